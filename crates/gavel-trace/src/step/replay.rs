//! One transaction replayed with the shadow inspector: every step's commitment, the witnesses
//! of any set of its steps (warm-ups, opcodes, the transaction end; the transaction start's is
//! built from the pre-state alone, without a replay) and optionally one step's pre-state
//! records.

use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::{B256, Bytes};
use gavel_commit::code::CodeTree;
use gavel_commit::memory::DataView;
use gavel_commit::record::{BlockEnv, Boundary, ChainConfig, Context, StepState};
use gavel_commit::substate::Substate;
use gavel_commit::trie::world::WorldState;
use revm::InspectEvm;
use revm::bytecode::opcode::{SSTORE, STOP};
use revm::context::Context as RevmContext;
use revm::context_interface::result::EVMError;
use revm::handler::{MainBuilder, MainContext};
use revm::interpreter::InstructionResult;

use super::gas::floor_gas;
use super::records::{HaltStatus, halted, output_view};
use super::shadow::{Inputs, Shadow, WarmPre};
use super::tx_end::{TxEndInputs, tx_end};
use super::tx_start::MachineError;
use crate::batch::{Batch, BatchTx, BlockContext};
use crate::boundary_witness::{self as bw, StepWitness, WitnessError};
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
    /// The batch (the transaction end's witness re-opens the transaction bytes).
    pub batch: &'a Batch,
    /// Steps (of the transition) whose witnesses to build.
    pub targets: &'a BTreeSet<u64>,
    /// Step whose pre-state records to capture (`StepInputs`).
    pub inputs_of: Option<u64>,
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
    /// Opcode steps' witnesses and opcodes, by step of the transition.
    pub opcode_witnesses: BTreeMap<u64, (Bytes, u8)>,
    /// Warm-up and transaction-end witnesses by step, as their builders answered (the caller
    /// holds their posts against `commitments`).
    pub built: BTreeMap<u64, Result<StepWitness, WitnessError>>,
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
    // Step k of the transition: 0 the start, 1..=items the warm-ups, then the opcodes, then
    // the end. The shadow is told which opcode / warm-up indices to keep (the step whose
    // inputs are asked for included).
    let wanted = || r.targets.iter().copied().chain(r.inputs_of);
    let targets: BTreeSet<u64> = wanted()
        .filter(|k| (1 + items..1 + items + r.opcode_steps).contains(k))
        .map(|k| k - 1 - items)
        .collect();
    let warm_targets: BTreeSet<u64> = wanted()
        .filter(|k| (1..=items).contains(k))
        .map(|k| k - 1)
        .collect();
    let world = r.state.take_world();
    let pre_world = (r.inputs_of == Some(0)).then(|| world.clone());
    // SSTORE's witness opens the original value in the world before the transaction: keep a
    // copy only when a witness is asked for and the code can hold an SSTORE at all.
    let original = (!targets.is_empty() && bytes.contains(&SSTORE)).then(|| world.clone());
    let inputs = Inputs {
        tx: r.tx,
        block: r.block,
        block_env: r.block_env,
        pre: r.pre,
        code: &code,
        total_ops: r.opcode_steps,
        targets,
        warm_targets,
        original,
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
        if shadow.inputs.targets.contains(&0) {
            shadow.start = Some(start.clone());
            let w = shadow.opcode_witness(&state, STOP)?;
            shadow.start = None;
            shadow.witnesses.insert(0, (w, state, STOP));
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
    if let Some(k) = r.inputs_of {
        let end_world = match status {
            HaltStatus::Success => &shadow.world,
            _ => shadow.snapshot_world.as_ref().unwrap_or(&shadow.world),
        };
        captured = capture(
            k,
            items,
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
    let mut built = BTreeMap::new();
    // The warm-ups' witnesses from their pre-states (kept by the shadow during the run).
    for (i, pre) in &shadow.warm_pres {
        let k = 1 + i;
        if r.targets.contains(&k) {
            built.insert(k, warm_up_witness(&start, *i, pre));
        }
    }
    // The transaction end's witness, from the halted state and the world it refers to, before
    // the end's payments write that world (no clone, no second replay).
    let end_step = steps - 1;
    if r.targets.contains(&end_step) {
        built.insert(
            end_step,
            bw::tx_end(bw::TxEndInput {
                state: &halt_step,
                context: &halt_ctx,
                frame: &start.frame,
                tx_env: &start.tx_env,
                boundary: &r.pre,
                batch: r.batch,
                world: &end_world,
                chain_config: r.config.hash(),
            }),
        );
    }
    let end = TxEndInputs {
        status,
        gas_left: halt_step.machine.gas,
        refund: halt_ctx.refund,
        logs: halt_ctx.logs,
        sender: r.tx.signer(),
        gas_limit: r.tx.gas_limit(),
        gas_price: start.gas_price,
        coinbase: r.block.coinbase,
        base_fee: u128::from(r.block.base_fee),
        floor: floor_gas(alloy_consensus::Transaction::input(r.tx.envelope())),
    };
    let boundary = tx_end(&mut end_world, &r.pre, &end, |_, _| {
        Ok::<(), MachineError>(())
    })?;
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
    let opcode_witnesses = std::mem::take(&mut shadow.witnesses)
        .into_iter()
        .map(|(i, (w, _, op))| (1 + items + i, (w, op)))
        .collect();
    Ok(ReplayOut {
        commitments: std::mem::take(&mut shadow.commitments),
        opcode_witnesses,
        built,
        captured,
        start: Some(start),
    })
}

/// The witness of warm-up `i` (spec §17.3) from its pre-state: the item is the head of the
/// remaining chain, `rest` the chain after it.
fn warm_up_witness(
    start: &super::tx_start::TxStart,
    i: u64,
    pre: &WarmPre,
) -> Result<StepWitness, WitnessError> {
    let i = i as usize;
    let (Some(item), Some(rest)) = (start.items.get(i), start.heads.get(i + 1)) else {
        return Err(WitnessError::Inconsistent(
            "warm-up index past the access list",
        ));
    };
    bw::access_list::warm_up(&pre.step, &pre.context, &pre.substate, item, *rest)
}

/// The pre-state of step `k` of the transaction (after the run; nothing is cloned during it).
fn capture(
    k: u64,
    items: u64,
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
        // Warm-up `k − 1`: the warming state the shadow kept before it.
        if let Some(p) = shadow.warm_pres.get(&(k - 1)) {
            c.step = Some(p.step);
            c.context = Some(p.context);
            c.substate = Some(p.substate.clone());
        }
        c.world = Some(shadow.world.clone());
    } else if k <= items + shadow.ops {
        c.step = shadow.witnesses.get(&(k - 1 - items)).map(|(_, s, _)| *s);
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
