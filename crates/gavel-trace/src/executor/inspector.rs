//! The inspector that follows revm through one transaction: it counts the opcode steps,
//! refuses unsupported ones before they run, and (when recording) keeps what the shadow
//! machine needs per step.
//!
//! Counting is what the full batch run does (one table lookup per step); recording is for the
//! one transition being disputed, re-run from its checkpoint.

use alloy_primitives::{Address, U256};
use revm::Inspector;
use revm::context_interface::ContextTr;
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_types::{Jumps, MemoryTr};
use revm::interpreter::{
    CallInputs, CallOutcome, CreateInputs, CreateOutcome, InstructionResult, Interpreter,
};
use revm::precompile::{PrecompileSpecId, Precompiles};

use super::error::Refusal;
use crate::opcodes::{self, Support};

/// One opcode step, as seen before it executes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRecord {
    /// Program counter.
    pub pc: u32,
    /// The opcode.
    pub opcode: u8,
    /// Gas left before the step.
    pub gas: u64,
    /// Stack length before the step.
    pub stack_len: u16,
    /// Memory size in bytes before the step.
    pub memory_size: u32,
    /// Frames on the call stack (1: the transaction's frame).
    pub depth: u16,
    /// Whether revm never showed this step: the STOP of a callee without code.
    pub synthetic: bool,
    /// Where this step's stack inputs start in [`Recording::items`].
    pub(crate) items_at: u32,
    /// How many stack inputs were recorded (the opcode's inputs, or fewer on underflow).
    pub(crate) items_len: u8,
}

/// The per-step records of one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recording {
    /// The opcode steps in order.
    pub steps: Vec<StepRecord>,
    /// Stack inputs of all steps, each step's top item first.
    pub items: Vec<U256>,
}

impl Recording {
    /// The stack items step `i` reads, top first.
    pub fn inputs(&self, i: usize) -> &[U256] {
        let s = &self.steps[i];
        &self.items[s.items_at as usize..s.items_at as usize + s.items_len as usize]
    }
}

/// The top frame as the `call` hook saw it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TopFrame {
    pub gas_limit: u64,
    pub code_empty: bool,
}

pub(crate) struct FrameInspector {
    record: bool,
    /// Opcode steps seen (a refused opcode is not counted: it never runs).
    pub ops: u64,
    /// The first refusal and the opcode index it happened at (`None`: at the frame).
    pub refusal: Option<(Option<u64>, Refusal)>,
    pub recording: Recording,
    /// `(account, slot)` of every SSTORE of a non-zero value, in order (repeats kept). A
    /// successful transaction executed them all (one frame: any halt reverts everything); the
    /// state diff needs them to keep the stems such a write created (see `tx::diff`).
    pub stored: Vec<(Address, U256)>,
    pub top: Option<TopFrame>,
    frames: u32,
    precompiles: &'static Precompiles,
}

impl FrameInspector {
    /// `record`: `Some(expected opcode steps)` to keep per-step records (the capacity is
    /// reserved up front: growing a vector of millions of records costs more than filling it).
    pub fn new(record: Option<usize>) -> Self {
        let recording = match record {
            Some(n) => Recording {
                steps: Vec::with_capacity(n),
                items: Vec::with_capacity(2 * n),
            },
            None => Recording::default(),
        };
        Self {
            record: record.is_some(),
            ops: 0,
            refusal: None,
            recording,
            stored: Vec::new(),
            top: None,
            frames: 0,
            precompiles: Precompiles::new(PrecompileSpecId::OSAKA),
        }
    }

    fn refuse(&mut self, at: Option<u64>, r: Refusal) {
        self.refusal.get_or_insert((at, r));
    }

    /// The synthetic STOP of a code-less callee (see `trace` module docs).
    pub fn synthesize_stop(&mut self, gas: u64) {
        if self.record {
            self.recording.steps.push(StepRecord {
                pc: 0,
                opcode: 0x00,
                gas,
                stack_len: 0,
                memory_size: 0,
                depth: 1,
                synthetic: true,
                items_at: self.recording.items.len() as u32,
                items_len: 0,
            });
        }
        self.ops += 1;
    }
}

impl<CTX: ContextTr> Inspector<CTX, EthInterpreter> for FrameInspector {
    fn step(&mut self, interp: &mut Interpreter<EthInterpreter>, _ctx: &mut CTX) {
        if self.refusal.is_some() {
            // Stop work as soon as possible; the result is discarded.
            interp.halt(InstructionResult::OpcodeNotFound);
            return;
        }
        let op = interp.bytecode.opcode();
        let info = opcodes::info(op);
        if let Support::Refused(reason) = info.support {
            self.refuse(
                Some(self.ops),
                Refusal::Opcode {
                    opcode: op,
                    name: info.name,
                    reason,
                },
            );
            interp.halt(InstructionResult::OpcodeNotFound);
            return;
        }
        if interp.input.depth != 0 {
            self.refuse(Some(self.ops), Refusal::NestedFrame);
            interp.halt(InstructionResult::OpcodeNotFound);
            return;
        }
        if op == revm::bytecode::opcode::SSTORE {
            let data = interp.stack.data();
            if let [.., value, slot] = data.as_slice()
                && !value.is_zero()
            {
                self.stored.push((interp.input.target_address, *slot));
            }
        }
        if self.record {
            let data = interp.stack.data();
            let n = data.len().min(info.inputs as usize);
            let items_at = self.recording.items.len() as u32;
            self.recording
                .items
                .extend(data[data.len() - n..].iter().rev().copied());
            self.recording.steps.push(StepRecord {
                pc: interp.bytecode.pc() as u32,
                opcode: op,
                gas: interp.gas.remaining(),
                stack_len: interp.stack.len() as u16,
                memory_size: interp.memory.size() as u32,
                depth: interp.input.depth as u16 + 1,
                synthetic: false,
                items_at,
                items_len: n as u8,
            });
        }
        self.ops += 1;
    }

    fn call(&mut self, _ctx: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        self.frames += 1;
        if self.frames > 1 {
            self.refuse(Some(self.ops), Refusal::NestedFrame);
        } else if self.precompiles.contains(&inputs.bytecode_address) {
            self.refuse(
                None,
                Refusal::PrecompileCall {
                    address: inputs.bytecode_address,
                },
            );
        } else {
            self.top = Some(TopFrame {
                gas_limit: inputs.gas_limit,
                code_empty: inputs.known_bytecode.1.is_empty(),
            });
        }
        None
    }

    fn create(&mut self, _ctx: &mut CTX, _inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        self.frames += 1;
        if self.frames > 1 {
            self.refuse(Some(self.ops), Refusal::NestedFrame);
        } else {
            self.refuse(None, Refusal::ContractCreation);
        }
        None
    }
}
