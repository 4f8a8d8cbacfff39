//! One transaction replayed with the shadow inspector: every step's commitment, optionally one
//! step's witness and pre-state records.

use alloy_primitives::{B256, Bytes};
use gavel_commit::code::CodeTree;
use gavel_commit::memory::DataView;
use gavel_commit::record::{BlockEnv, Boundary, ChainConfig, Context, StepState};
use gavel_commit::substate::Substate;
use gavel_commit::trie::world::WorldState;
use revm::InspectEvm;
use revm::bytecode::opcode::STOP;
use revm::context::Context as RevmContext;
use revm::context_interface::result::EVMError;
use revm::handler::{MainBuilder, MainContext};
use revm::interpreter::InstructionResult;

use super::records::{HaltStatus, halted, output_view};
use super::shadow::{Inputs, Shadow};
use super::tx_end::tx_end;
use super::tx_start::{MachineError, warm};
use crate::batch::{BatchTx, BlockContext};
use crate::chain::ChainState;
use crate::executor::tx::cfg;

/// A transaction to replay.
pub(crate) struct TxReplay<'a> {
    /// The state before the transaction (consumed: its world trie becomes the shadow's).
    pub state: ChainState,
    pub config: &'a ChainConfig,
    pub block: &'a BlockContext,
    pub block_env: BlockEnv,
    /// The boundary before and (from the first run) after it.
    pub pre: Boundary,
    pub post: Boundary,
    pub tx: &'a BatchTx,
    pub opcode_steps: u64,
    /// Step (of the transition) whose witness / inputs to capture.
    pub target: Option<u64>,
    pub want_inputs: bool,
}

/// The pre-state records of the target step (see `StepInputs`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Captured {
    pub step: Option<StepState>,
    pub context: Option<Context>,
    pub with_records: bool,
    pub substate: Option<Substate>,
    pub world: Option<WorldState>,
}

pub(crate) struct ReplayOut {
    pub commitments: Vec<B256>,
    pub witness: Option<(Bytes, u8)>,
    pub captured: Captured,
    pub start: Option<super::tx_start::TxStart>,
}

fn diverged(what: impl Into<String>) -> MachineError {
    MachineError::Diverged(what.into())
}

fn status_of(r: InstructionResult) -> HaltStatus {
    if r.is_ok() {
        HaltStatus::Success
    } else if r.is_revert() {
        HaltStatus::Revert
    } else {
        HaltStatus::Exceptional
    }
}

pub(crate) fn replay(mut r: TxReplay<'_>) -> Result<ReplayOut, MachineError> {
    let to =
        r.tx.to()
            .ok_or_else(|| diverged("contract creation reached the step machine"))?;
    let bytes = r
        .state
        .account(&to)
        .and_then(|a| r.state.code(&a.code_hash))
        .map(|c| c.bytes.clone())
        .unwrap_or_default();
    let code = CodeTree::new(&bytes).map_err(|e| diverged(e.to_string()))?;
    let items = r.tx.access_list_items();
    let steps = crate::trace::tx_steps(items, r.opcode_steps);
    let opcode_target = r
        .target
        .filter(|k| (1 + items..1 + items + r.opcode_steps).contains(k))
        .map(|k| k - 1 - items);
    let world = r.state.take_world();
    let pre_world = (r.want_inputs && r.target == Some(0)).then(|| world.clone());
    let inputs = Inputs {
        tx: r.tx,
        block: r.block,
        block_env: r.block_env,
        pre: r.pre,
        code: &code,
        total_ops: r.opcode_steps,
        target: opcode_target,
    };
    let mut shadow = Shadow::new(inputs, world, steps as usize);
    let mut evm = RevmContext::mainnet()
        .with_cfg(cfg(r.config))
        .with_block(r.block.revm_env())
        .with_ref_db(&r.state)
        .build_mainnet_with_inspector(&mut shadow);
    let result = evm.inspect_tx(r.tx.tx_env());
    drop(evm);
    match result {
        Ok(_) => {}
        Err(EVMError::Transaction(e)) => {
            return Err(diverged(format!(
                "the first run executed it, now invalid: {e}"
            )));
        }
        Err(e) => return Err(diverged(e.to_string())),
    }
    if let Some(e) = shadow.error.take() {
        return Err(e);
    }
    if let Some((_, refusal)) = shadow.counter.refusal {
        return Err(diverged(format!("refused on replay: {refusal}")));
    }
    let start = shadow
        .start
        .take()
        .ok_or_else(|| diverged("the transaction's frame was never entered"))?;
    let mut captured = Captured::default();
    // The synthetic STOP of a callee without code: revm runs no interpreter (spec §15.2).
    if shadow.counter.top.is_some_and(|t| t.code_empty) {
        if shadow.ops != 0 {
            return Err(diverged("a callee without code executed opcodes"));
        }
        let state = StepState {
            micro: B256::ZERO,
            context: shadow.running.hash(),
            ..start.step
        };
        if shadow.commitments.last() != Some(&state.hash()) {
            return Err(diverged("the synthetic STOP's state"));
        }
        if opcode_target == Some(0) {
            shadow.start = Some(start.clone());
            let w = shadow.opcode_witness(&state, STOP)?;
            shadow.start = None;
            shadow.witness = Some((w, state, STOP));
        }
        shadow.ops = 1;
    }
    if shadow.ops != r.opcode_steps {
        return Err(diverged(format!(
            "{} opcode steps on replay, {} in the first run",
            shadow.ops, r.opcode_steps
        )));
    }
    let (res, gas_left) = shadow
        .result
        .ok_or_else(|| diverged("the frame returned no result"))?;
    let status = status_of(res);
    let output = match (status, shadow.output) {
        (HaltStatus::Exceptional, _) | (_, None) => DataView::default(),
        (_, Some((off, len, root))) => {
            let len = u64::try_from(len).map_err(|_| diverged("output length"))?;
            let off = if len == 0 {
                0
            } else {
                u64::try_from(off).map_err(|_| diverged("output offset"))?
            };
            output_view(root, off, len)
        }
    };
    let (halt_step, halt_ctx) = halted(status, gas_left, &shadow.running, &start.snapshot, output);
    shadow.commitments.push(halt_step.hash());

    let end_substate = match status {
        HaltStatus::Success => shadow.substate.clone(),
        _ => shadow.start_substate.clone(),
    };
    if r.want_inputs
        && let Some(k) = r.target
    {
        let end_world = match status {
            HaltStatus::Success => &shadow.world,
            _ => shadow.snapshot_world.as_ref().unwrap_or(&shadow.world),
        };
        captured = capture(
            k,
            items,
            &start,
            &shadow,
            pre_world,
            (&halt_step, &halt_ctx, end_world, &end_substate),
        );
    }
    // A revert or halt restores the snapshot's world (spec §16.2).
    let mut end_world = match status {
        HaltStatus::Success => std::mem::take(&mut shadow.world),
        _ => shadow
            .snapshot_world
            .take()
            .unwrap_or_else(|| std::mem::take(&mut shadow.world)),
    };
    let boundary = tx_end(
        &mut end_world,
        &r.pre,
        r.tx,
        r.block,
        start.gas_price,
        status,
        halt_step.machine.gas,
        halt_ctx.refund,
    )?;
    if boundary != r.post {
        return Err(diverged(
            "the transaction end's post-state is not the executor's boundary",
        ));
    }
    shadow.commitments.push(boundary.hash());
    if shadow.commitments.len() as u64 != steps {
        return Err(diverged(format!(
            "{} commitments for {steps} steps",
            shadow.commitments.len()
        )));
    }
    Ok(ReplayOut {
        commitments: std::mem::take(&mut shadow.commitments),
        witness: shadow.witness.take().map(|(w, _, op)| (w, op)),
        captured,
        start: Some(start),
    })
}

/// The pre-state of step `k` of the transaction (after the run; nothing is cloned during it).
fn capture(
    k: u64,
    items: u64,
    start: &super::tx_start::TxStart,
    shadow: &Shadow<'_>,
    pre_world: Option<WorldState>,
    end: (&StepState, &Context, &WorldState, &Option<Substate>),
) -> Captured {
    let mut c = Captured {
        with_records: k > 0,
        ..Captured::default()
    };
    if k == 0 {
        c.world = pre_world;
    } else if k <= items {
        // Warm-up `i`: the warming state before item `i`.
        let i = (k - 1) as usize;
        let mut sub = shadow.start_substate.clone().unwrap_or_default();
        for item in &start.items[..i] {
            warm(&mut sub, item);
        }
        let ctx = Context {
            substate_root: sub.root(),
            ..start.context
        };
        c.step = Some(StepState {
            micro: start.heads[i],
            context: ctx.hash(),
            ..start.step
        });
        c.context = Some(ctx);
        c.substate = Some(sub);
        c.world = Some(shadow.world.clone());
    } else if k <= items + shadow.ops {
        c.step = shadow.witness.as_ref().map(|(_, s, _)| *s);
        c.context = Some(shadow.running);
        c.substate = shadow.substate.clone();
        c.world = Some(shadow.world.clone());
    } else {
        c.step = Some(*end.0);
        c.context = Some(*end.1);
        c.substate = end.3.clone();
        c.world = Some(end.2.clone());
    }
    c
}
