//! Witnesses of the block and transaction boundary steps (spec §17): block start, block end,
//! past the batch, transaction start, access-list warm-up and transaction end.
//!
//! Every builder is a pure function of explicit inputs (the records of the pre-state, the
//! batch, the world trie, the substate) and returns the witness bytes together with the
//! post-state commitment the on-chain verifier (`contracts/src/step/boundary/`) must answer.
//! The builders never run revm. What a step computes is the step machine's
//! (`crate::step::tx_start`, `crate::step::tx_end`, `crate::step::gas`, the access-list chain
//! and halted state of `crate::step::records`) and the boundary rows are the executor's
//! (`crate::executor::boundary`): the builders add the openings around those same functions,
//! so the witness's expected post and the shadow machine's commitment come from one
//! implementation. `Executor::step_proof` checks the two agree for every step it proves.

pub mod access_list;
mod block;
mod io;
mod tx_end;
mod tx_start;

use alloy_primitives::B256;
use gavel_commit::error::CommitError;
use thiserror::Error;

use crate::step::tx_start::MachineError;

pub use block::{absolute_prestate, block_end, block_start, past_batch};
pub use tx_end::{TxEndInput, tx_end};
pub use tx_start::{TxStart, tx_start};
// The gas figures and boundary kinds live with the step machine; re-exported for the
// builders' callers.
pub use crate::step::gas::{DecodedTx, decode_tx, intrinsic_gas};
pub use crate::step::witness::boundary_kind as kind;

/// A step's witness and the post-state commitment the verifier returns for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepWitness {
    /// The whole witness, as `IStepVerifier.step` receives it.
    pub witness: Vec<u8>,
    /// The post-state (a Boundary or StepState hash).
    pub post: B256,
}

/// Why a witness cannot be built: the inputs do not describe a state where the step applies.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WitnessError {
    /// The pre-state's phase or indices do not allow the step.
    #[error("the step does not apply: {0}")]
    WrongPhase(&'static str),
    /// An index beyond the batch.
    #[error("block {block} / transaction {tx} is not in the batch")]
    OutOfBatch {
        /// Block index.
        block: u32,
        /// Transaction index.
        tx: u32,
    },
    /// A proof could not be built.
    #[error("proof: {0}")]
    Commit(#[from] CommitError),
    /// The transaction bytes are not a supported canonical EIP-2718 transaction.
    #[error("transaction: {0}")]
    Tx(String),
    /// A record given as input does not match the state it should describe.
    #[error("inconsistent input: {0}")]
    Inconsistent(&'static str),
    /// The step's own computation failed (a leaf that does not decode, a balance leaving
    /// 128 bits).
    #[error("step: {0}")]
    Step(#[from] MachineError),
}
