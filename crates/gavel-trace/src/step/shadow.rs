//! The inspector that follows revm through one transaction and keeps the shadow machine's
//! state beside it (spec §16.2): before every opcode it makes the running state of revm's
//! interpreter (pc, `gas.remaining()`, stack chain, memory tree and size, code root, context),
//! whose hash is the post-state of the previous step.
//!
//! Incremental by construction: the stack chain keeps one head per item, and after an opcode
//! only the items from the lowest one it touched are re-linked (DUPn re-links one item,
//! SWAPn n + 1, ADD one); the memory tree rehashes only the words MSTORE/MSTORE8 wrote
//! (the only memory writers of the supported set); SLOAD and SSTORE mark their WarmSlot in the
//! substate and SSTORE writes its slot into the world trie when the value changes (the only
//! world and substate writers inside the frame); the refund counter is revm's
//! `gas.refunded()`; everything else is read from revm.

use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::{B256, Bytes, U256};
use gavel_commit::code::{CHUNK_SIZE, CodeTree, MAX_CHUNKS};
use gavel_commit::memory::{Memory, word_range};
use gavel_commit::record::{BlockEnv, Boundary, Context, Machine, StepState};
use gavel_commit::stack::Stack;
use gavel_commit::substate::{self, Kind, Substate};
use gavel_commit::trie::key;
use gavel_commit::trie::world::WorldState;
use revm::Inspector;
use revm::bytecode::opcode::*;
use revm::context_interface::ContextTr;
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_types::{Jumps, MemoryTr};
use revm::interpreter::{
    CallInputs, CallOutcome, CreateInputs, CreateOutcome, InstructionResult, Interpreter,
};

use super::gas;
use super::tx_start::{MachineError, TxStart, tx_start, warm};
use super::witness::{block_env_preimage, opcode_witness, snapshot_preimage, tx_env_preimage};
use crate::batch::{BatchTx, BlockContext};
use crate::executor::inspector::FrameInspector;
use crate::opcodes;

/// The fixed inputs of a replay.
pub(crate) struct Inputs<'a> {
    pub tx: &'a BatchTx,
    pub block: &'a BlockContext,
    pub block_env: BlockEnv,
    pub pre: Boundary,
    pub code: &'a CodeTree,
    /// Opcode steps of the first run (the last one halts).
    pub total_ops: u64,
    /// Opcode indices whose witnesses to build.
    pub targets: BTreeSet<u64>,
    /// Warm-up indices (item `i`, step `1 + i`) whose pre-states to keep.
    pub warm_targets: BTreeSet<u64>,
    /// The world before the transaction (`TxEnv.boundary`'s), whose values are the original
    /// ones SSTORE's gas depends on: `None` when no witness of this replay can need it.
    pub original: Option<WorldState>,
}

/// The warming state before one warm-up (spec §16.2), with its context and substate.
#[derive(Debug, Clone)]
pub(crate) struct WarmPre {
    pub step: StepState,
    pub context: Context,
    pub substate: Substate,
}

/// What the previous opcode may have changed, for the sync before the next one.
#[derive(Debug, Clone, Copy)]
struct Prev {
    stack_len: usize,
    inputs: usize,
    /// `(offset, len)` an MSTORE/MSTORE8 wrote.
    write: Option<(u64, u64)>,
    /// `(opcode, slot, value)` of an SLOAD or SSTORE (value: SSTORE's new one).
    storage: Option<(u8, U256, U256)>,
}

pub(crate) struct Shadow<'a> {
    pub inputs: Inputs<'a>,
    /// Refusal checks and step counting, exactly as in the batch run.
    pub counter: FrameInspector,
    pub world: WorldState,
    pub snapshot_world: Option<WorldState>,
    pub start: Option<TxStart>,
    /// The substate right after the transaction start (the snapshot's).
    pub start_substate: Option<Substate>,
    /// The substate after the warm-ups.
    pub substate: Option<Substate>,
    /// The running context (after the warm-ups).
    pub running: Context,
    running_hash: B256,
    pub commitments: Vec<B256>,
    pub stack: Stack,
    pub memory: Memory,
    prev: Option<Prev>,
    /// Opcodes seen.
    pub ops: u64,
    /// The witness of every opcode index of `inputs.targets` and the state before it.
    pub witnesses: BTreeMap<u64, (Bytes, StepState, u8)>,
    /// The pre-state of every warm-up of `inputs.warm_targets`.
    pub warm_pres: BTreeMap<u64, WarmPre>,
    /// RETURN/REVERT's `(offset, len, memoryRoot)`, from the last such opcode.
    pub output: Option<(U256, U256, B256)>,
    /// The frame's result and remaining gas (`call_end`).
    pub result: Option<(InstructionResult, u64)>,
    pub error: Option<MachineError>,
}

impl<'a> Shadow<'a> {
    pub fn new(inputs: Inputs<'a>, world: WorldState, capacity: usize) -> Self {
        Self {
            inputs,
            counter: FrameInspector::new(None),
            world,
            snapshot_world: None,
            start: None,
            start_substate: None,
            substate: None,
            running: Context::default(),
            running_hash: B256::ZERO,
            commitments: Vec::with_capacity(capacity),
            stack: Stack::new(),
            memory: Memory::new(),
            prev: None,
            ops: 0,
            witnesses: BTreeMap::new(),
            warm_pres: BTreeMap::new(),
            output: None,
            result: None,
            error: None,
        }
    }

    fn fail(&mut self, e: MachineError) {
        self.error.get_or_insert(e);
    }

    /// The transaction start and the warm-ups, when revm enters the frame with `frame_gas`.
    fn enter(&mut self, frame_gas: u64) -> Result<(), MachineError> {
        let (start, substate, snap_world) = tx_start(
            &mut self.world,
            self.inputs.tx,
            self.inputs.block,
            &self.inputs.pre,
            true,
            |_, _| Ok::<(), MachineError>(()),
        )?;
        // The records come from the spec's rules on the world trie; revm must agree on the
        // frame's gas (intrinsic gas) and the code it runs (codeRoot, codeSize).
        if start.step.machine.gas != frame_gas {
            return Err(MachineError::Diverged(format!(
                "frame gas {} by the step machine, {frame_gas} by revm",
                start.step.machine.gas
            )));
        }
        if start.step.code_root != self.inputs.code.root()
            || start.frame.code_size as usize != self.inputs.code.len()
        {
            return Err(MachineError::Diverged(
                "the callee's CODE_ROOT or code size is not the code revm runs".into(),
            ));
        }
        self.commitments.push(start.step.hash());
        let mut ctx = start.context;
        let mut warm_sub = substate.clone();
        for (i, item) in start.items.iter().enumerate() {
            if self.inputs.warm_targets.contains(&(i as u64)) {
                self.warm_pres.insert(
                    i as u64,
                    WarmPre {
                        step: StepState {
                            micro: start.heads[i],
                            context: ctx.hash(),
                            ..start.step
                        },
                        context: ctx,
                        substate: warm_sub.clone(),
                    },
                );
            }
            warm(&mut warm_sub, item);
            ctx.substate_root = warm_sub.root();
            let s = StepState {
                micro: start.heads[i + 1],
                context: ctx.hash(),
                ..start.step
            };
            self.commitments.push(s.hash());
        }
        self.running = ctx;
        self.running_hash = ctx.hash();
        self.snapshot_world = snap_world;
        self.start_substate = Some(substate);
        self.substate = Some(warm_sub);
        self.start = Some(start);
        Ok(())
    }

    /// Bring the mirrors up to date with revm after the previous opcode.
    fn sync(&mut self, interp: &Interpreter<EthInterpreter>) -> Result<(), MachineError> {
        let Some(p) = self.prev.take() else {
            return Ok(());
        };
        let data = interp.stack.data();
        // Opcodes never touch items below their inputs, so only those are compared, and only
        // from the first that differs are they re-linked.
        let common = self.stack.len().min(data.len());
        let mut i = p.stack_len.saturating_sub(p.inputs).min(common);
        while i < common && self.stack.peek(self.stack.len() - 1 - i) == Some(data[i]) {
            i += 1;
        }
        while self.stack.len() > i {
            self.stack
                .pop()
                .map_err(|e| MachineError::Diverged(e.to_string()))?;
        }
        for x in &data[i..] {
            self.stack
                .push(*x)
                .map_err(|e| MachineError::Diverged(e.to_string()))?;
        }
        if let Some((op, slot, value)) = p.storage {
            self.storage_effect(interp, op, slot, value)?;
        }
        if let Some((offset, len)) = p.write {
            for w in word_range(offset, len) {
                let (lo, hi) = (w as usize * 32, w as usize * 32 + 32);
                if interp.memory.size() < hi {
                    return Err(MachineError::Diverged(format!(
                        "memory word {w} written but memory is {} bytes",
                        interp.memory.size()
                    )));
                }
                let word = interp.memory.slice(lo..hi).to_vec();
                self.memory
                    .write(lo as u64, &word)
                    .map_err(|e| MachineError::Diverged(e.to_string()))?;
            }
        }
        Ok(())
    }

    /// What an SLOAD or SSTORE that ran (the next opcode is running, so it did not halt) did to
    /// the records (spec §16.3): WarmSlot marked, SSTORE's value written into the world trie if
    /// it changes, and the refund counter revm keeps.
    fn storage_effect(
        &mut self,
        interp: &Interpreter<EthInterpreter>,
        op: u8,
        slot: U256,
        value: U256,
    ) -> Result<(), MachineError> {
        let address = self
            .start
            .as_ref()
            .ok_or_else(|| MachineError::Diverged("storage access before the frame".into()))?
            .frame
            .address;
        let sub = self
            .substate
            .as_mut()
            .ok_or_else(|| MachineError::Diverged("storage access before the warm-ups".into()))?;
        sub.warm_slot(&address, slot);
        let substate_root = sub.root();
        let current = self.world.storage(&address, slot);
        if op == SSTORE {
            if current != value {
                // A revert or halt restores the snapshot's world: keep it before the first
                // write (the transaction start keeps it only when value moved).
                if self.snapshot_world.is_none() {
                    self.snapshot_world = Some(self.world.clone());
                }
                self.world.set_storage(&address, slot, value);
            }
        } else if interp.stack.data().last() != Some(&current) {
            return Err(MachineError::Diverged(format!(
                "SLOAD of slot {slot}: revm pushed {:?}, the world trie holds {current}",
                interp.stack.data().last()
            )));
        }
        self.running.world_root = self.world.root();
        self.running.substate_root = substate_root;
        self.running.refund = interp.gas.refunded();
        self.running_hash = self.running.hash();
        Ok(())
    }

    /// The running state of revm's interpreter (spec §16.2).
    fn running_state(&self, interp: &Interpreter<EthInterpreter>) -> StepState {
        StepState {
            machine: Machine {
                pc: interp.bytecode.pc() as u32,
                gas: interp.gas.remaining(),
                stack_len: self.stack.len() as u16,
                memory_size: interp.memory.size() as u32,
                cursor: 0,
            },
            stack_head: self.stack.head(),
            memory_root: self.memory.root(),
            code_root: self.inputs.code.root(),
            micro: B256::ZERO,
            context: self.running_hash,
        }
    }

    fn on_step(&mut self, interp: &Interpreter<EthInterpreter>) -> Result<(), MachineError> {
        self.sync(interp)?;
        let state = self.running_state(interp);
        let h = state.hash();
        if self.ops == 0 {
            // The first opcode's running state is what the start (and warm-ups) produced.
            if self.commitments.last() != Some(&h) {
                return Err(MachineError::Diverged(
                    "the first opcode's state is not the transaction start's post-state".into(),
                ));
            }
        } else {
            self.commitments.push(h);
        }
        let op = interp.bytecode.opcode();
        let len = self.stack.len();
        let top = |n: usize| self.stack.peek(n).unwrap_or_default();
        if self.inputs.targets.contains(&self.ops) {
            let w = self.opcode_witness(&state, op)?;
            self.witnesses.insert(self.ops, (w, state, op));
        }
        let write = match op {
            MSTORE | MSTORE8 if len >= 2 => u64::try_from(top(0))
                .ok()
                .map(|off| (off, if op == MSTORE { 32 } else { 1 })),
            _ => None,
        };
        if matches!(op, RETURN | REVERT) && len >= 2 {
            self.output = Some((top(0), top(1), self.memory.root()));
        }
        let storage = match op {
            SLOAD if len >= 1 => Some((op, top(0), U256::ZERO)),
            SSTORE if len >= 2 => Some((op, top(0), top(1))),
            _ => None,
        };
        self.prev = Some(Prev {
            stack_len: len,
            inputs: usize::from(opcodes::info(op).inputs),
            write,
            storage,
        });
        self.ops += 1;
        Ok(())
    }

    /// The §16.3 witness of the opcode about to run from `pre`.
    pub fn opcode_witness(&self, pre: &StepState, op: u8) -> Result<Bytes, MachineError> {
        let err = |e: gavel_commit::CommitError| MachineError::Diverged(e.to_string());
        let start = self
            .start
            .as_ref()
            .ok_or_else(|| MachineError::Diverged("opcode before the frame".into()))?;
        let fetch = self
            .inputs
            .code
            .prove_fetch(u64::from(pre.machine.pc))
            .map_err(err)?;
        let len = self.stack.len();
        let k = usize::from(opcodes::info(op).inputs).min(len);
        let opening = self.stack.open(k).map_err(err)?;
        let halts = gas::halts(self.ops, self.inputs.total_ops);
        let top = |n: usize| self.stack.peek(n).unwrap_or_default();
        let ctx_frame = || [self.running.preimage(), start.frame.preimage()].concat();
        let ctx_tx = || [self.running.preimage(), tx_env_preimage(&start.tx_env)].concat();
        let mut part: Vec<u8> = Vec::new();
        match op {
            // A jump without a witness (not taken, or failing before its destination check)
            // falls through to the empty arm.
            JUMP | JUMPI
                if gas::needs_jump_witness(op, pre.machine.gas, len, !top(1).is_zero()) =>
            {
                let c = top(0) / U256::from(CHUNK_SIZE);
                if c < U256::from(MAX_CHUNKS) {
                    let c = c.to::<u64>();
                    part.extend_from_slice(self.inputs.code.chunk(c).as_slice());
                    part.extend(self.inputs.code.prove_chunks(&[c]).map_err(err)?);
                }
            }
            // Given also when the step halts for want of dynamic gas: the verifier proves the
            // cold access or the write's cost from these openings.
            SLOAD | SSTORE if gas::needs_storage_witness(op, pre.machine.gas, len) => {
                part = ctx_frame();
                self.storage_part(&mut part, op, top(0), top(1))?;
            }
            _ if halts => {}
            MLOAD | MSTORE | MSTORE8 => {
                let size = if op == MSTORE8 { 1 } else { 32 };
                let off = u64::try_from(top(0))
                    .map_err(|_| MachineError::Diverged("memory offset past u64".into()))?;
                let o = self.memory.prove_range(off, size).map_err(err)?;
                for (_, w) in &o.words {
                    part.extend_from_slice(w.as_slice());
                }
                part.extend(o.proof);
            }
            ADDRESS | CALLER | CALLVALUE | CALLDATASIZE | CODESIZE => part = ctx_frame(),
            CALLDATALOAD => {
                part = ctx_frame();
                let view = start.frame.calldata;
                let n = u64::from(view.length);
                if top(0) < U256::from(n) {
                    let i = top(0).to::<u64>();
                    let from = u64::from(view.offset) + i;
                    let to = u64::from(view.offset) + (i + 32).min(n);
                    let o = start.calldata.prove_range(from, to - from).map_err(err)?;
                    for (_, w) in &o.words {
                        part.extend_from_slice(w.as_slice());
                    }
                    part.extend(o.proof);
                }
            }
            ORIGIN | GASPRICE => part = ctx_tx(),
            COINBASE | TIMESTAMP | NUMBER | DIFFICULTY | GASLIMIT | BASEFEE => {
                part = ctx_tx();
                part.extend(self.inputs.pre.preimage());
                part.extend(block_env_preimage(&self.inputs.block_env));
            }
            _ => {}
        }
        let halt = if halts {
            [
                self.running.preimage(),
                start.frame.preimage(),
                snapshot_preimage(&start.snapshot),
            ]
            .concat()
        } else {
            Vec::new()
        };
        Ok(opcode_witness(pre, &fetch, &opening, &part, &halt))
    }
}

impl Shadow<'_> {
    /// SLOAD's and SSTORE's op part after `Context ‖ Frame` (spec §16.3): the WarmSlot proof,
    /// the current value with its opening, and for an SSTORE that changes the value `TxEnv ‖
    /// Boundary ‖` the original value with its opening in the world before the transaction.
    fn storage_part(
        &self,
        part: &mut Vec<u8>,
        op: u8,
        slot: U256,
        value: U256,
    ) -> Result<(), MachineError> {
        let err = |e: gavel_commit::CommitError| MachineError::Diverged(e.to_string());
        let start = self
            .start
            .as_ref()
            .ok_or_else(|| MachineError::Diverged("opcode before the frame".into()))?;
        let sub = self
            .substate
            .as_ref()
            .ok_or_else(|| MachineError::Diverged("opcode before the warm-ups".into()))?;
        let address = start.frame.address;
        part.extend(sub.prove(&substate::key(Kind::WarmSlot, &address, slot)));
        let k = key::storage_key(&address, slot);
        let current = self.world.get(&k);
        part.extend_from_slice(current.as_slice());
        part.extend(self.world.prove(&k.stem, &[k.subindex]).map_err(err)?);
        if op == SSTORE && U256::from_be_bytes(current.0) != value {
            let original = self.inputs.original.as_ref().ok_or_else(|| {
                MachineError::Diverged("no world before the transaction for SSTORE".into())
            })?;
            part.extend(tx_env_preimage(&start.tx_env));
            part.extend(self.inputs.pre.preimage());
            part.extend_from_slice(original.get(&k).as_slice());
            part.extend(original.prove(&k.stem, &[k.subindex]).map_err(err)?);
        }
        Ok(())
    }
}

impl<CTX: ContextTr> Inspector<CTX, EthInterpreter> for Shadow<'_> {
    fn step(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut CTX) {
        self.counter.step(interp, ctx);
        if self.counter.refusal.is_some() || self.error.is_some() {
            return;
        }
        if let Err(e) = self.on_step(interp) {
            self.fail(e);
            interp.halt(InstructionResult::FatalExternalError);
        }
    }

    fn call(&mut self, ctx: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        let out = self.counter.call(ctx, inputs);
        if self.counter.refusal.is_none()
            && self.start.is_none()
            && let Err(e) = self.enter(inputs.gas_limit)
        {
            self.fail(e);
        }
        out
    }

    fn call_end(&mut self, _ctx: &mut CTX, _inputs: &CallInputs, outcome: &mut CallOutcome) {
        // One frame: the first result is the transaction frame's.
        self.result
            .get_or_insert((outcome.result.result, outcome.result.gas.remaining()));
    }

    fn create(&mut self, ctx: &mut CTX, inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        self.counter.create(ctx, inputs)
    }
}
