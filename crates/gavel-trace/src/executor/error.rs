//! Executor errors. A refusal always names what is unsupported and the step where it was met.

use alloy_primitives::{Address, B256};
use thiserror::Error;

use crate::boundary_witness::WitnessError;
use crate::chain::StateError;
use crate::step::tx_start::MachineError;
use crate::trace::{StepRef, TransitionKind};

/// Something the step verifier cannot prove yet (DESIGN §4: refuse, never prove it as
/// something else).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Refusal {
    /// An opcode outside the supported set.
    #[error("{name} ({opcode:#04x}) is refused: {reason}")]
    Opcode {
        /// The byte.
        opcode: u8,
        /// Its mnemonic.
        name: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A contract-creation transaction (its frame runs initcode and deploys code).
    #[error("contract-creation transaction is refused: create frames are not supported yet")]
    ContractCreation,
    /// A transaction to a precompile.
    #[error("call to precompile {address} is refused: precompile steps are not supported yet")]
    PrecompileCall {
        /// The precompile.
        address: Address,
    },
    /// A second frame appeared (calls are refused by opcode first; this is the safety net).
    #[error("a nested call frame is refused: only the transaction's frame is supported")]
    NestedFrame,
}

/// Why a batch could not be executed or traced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExecError {
    /// The batch is signed for another chain.
    #[error("batch is for chain {batch}, the prestate's chain is {chain}")]
    ChainMismatch {
        /// The batch's chain id.
        batch: u64,
        /// The prestate's.
        chain: u64,
    },
    /// The first block does not follow the prestate's last block.
    #[error("block 0 has number {got}, expected {expected} (after the prestate's last block)")]
    FirstBlockNumber {
        /// `last + 1`.
        expected: u64,
        /// Given.
        got: u64,
    },
    /// The first block is not after the prestate's last block.
    #[error("block 0 has timestamp {got}, not after the prestate's last block at {parent}")]
    FirstBlockTimestamp {
        /// The last block's timestamp.
        parent: u64,
        /// Given.
        got: u64,
    },
    /// More transitions than the layout's top layer holds.
    #[error("batch has {count} transitions, the layout holds {max}")]
    TooManyTransitions {
        /// Transitions of the batch.
        count: u64,
        /// `2^split_depth`.
        max: u64,
    },
    /// A transition with more steps than the layout's bottom layer holds.
    #[error("{kind} (transition {transition}) has {steps} steps, the layout holds {max}")]
    TransitionTooLong {
        /// The transition.
        kind: TransitionKind,
        /// Its index.
        transition: u64,
        /// Its steps.
        steps: u64,
        /// `2^(max_depth − split_depth)`.
        max: u64,
    },
    /// Unsupported operation: the trace cannot be proven.
    #[error("{at}: {refusal}")]
    Refused {
        /// Where.
        at: StepRef,
        /// What.
        refusal: Refusal,
    },
    /// revm failed in a way that is not a transaction-validity error.
    #[error("{at}: EVM error: {message}")]
    Evm {
        /// The transition.
        at: TransitionKind,
        /// revm's message.
        message: String,
    },
    /// The state refused revm's result.
    #[error("{at}: {error}")]
    State {
        /// The transition.
        at: TransitionKind,
        /// What.
        error: StateError,
    },
    /// Re-running a transition from its checkpoint gave another result: a bug (non-determinism
    /// or a broken journal), never a property of the batch.
    #[error("replay of transition {transition} differs from the first run: {what}")]
    ReplayMismatch {
        /// The transition.
        transition: u64,
        /// What differs.
        what: &'static str,
    },
    /// The step machine disagrees with revm or with the first run while computing the steps of
    /// a transition: a bug detector, never a property of the batch.
    #[error("{at} (transition {transition}): step machine: {error}")]
    Machine {
        /// The transition.
        at: TransitionKind,
        /// Its index.
        transition: u64,
        /// What.
        error: MachineError,
    },
    /// A witness builder (`crate::boundary_witness`) refused a step the executor ran: the two
    /// disagree on what the step is, a bug detector.
    #[error("{at} (transition {transition}, step {step}): witness: {error}")]
    Witness {
        /// The transition.
        at: TransitionKind,
        /// Its index.
        transition: u64,
        /// The step inside it.
        step: u64,
        /// What the builder said.
        error: WitnessError,
    },
    /// A witness builder expects another post-state than the shadow machine's commitment: the
    /// verifier would answer something else than the trace commits to, a bug detector.
    #[error(
        "{at} (transition {transition}, step {step}): the witness builder expects post \
         {builder}, the step machine commits to {machine}"
    )]
    WitnessPost {
        /// The transition.
        at: TransitionKind,
        /// Its index.
        transition: u64,
        /// The step inside it.
        step: u64,
        /// The builder's post.
        builder: B256,
        /// The shadow machine's commitment.
        machine: B256,
    },
    /// A trace position that does not exist.
    #[error(transparent)]
    Trace(#[from] TraceError),
    /// No such transition.
    #[error("transition {transition} does not exist (the batch has {count})")]
    NoSuchTransition {
        /// Asked for.
        transition: u64,
        /// Transitions of the batch.
        count: u64,
    },
}

/// Why a trace position has no commitment (yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TraceError {
    /// Beyond the trace.
    #[error("trace index {trace_index} is beyond the trace of {len} leaves")]
    OutOfRange {
        /// Asked for.
        trace_index: u64,
        /// `2^max_depth`.
        len: u64,
    },
    /// A state strictly inside a transition (only from APIs that answer boundaries alone).
    #[error("{at} is inside its transition: not a boundary")]
    InsideTransition {
        /// The step whose post-state was asked for.
        at: StepRef,
    },
}
