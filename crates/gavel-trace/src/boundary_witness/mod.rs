//! Witnesses of the block and transaction boundary steps (spec §17): block start, block end,
//! past the batch, transaction start, access-list warm-up and transaction end.
//!
//! Every builder is a pure function of explicit inputs (the records of the pre-state, the
//! batch, the world trie, the substate) and returns the witness bytes together with the
//! post-state commitment the on-chain verifier (`contracts/src/step/boundary/`) must answer.
//! The builders never run revm: they compute the post-state by §17's rules, so a test can
//! hold them against the executor's boundaries.

pub mod access_list;
mod block;
mod io;
mod rows;
mod tx_end;
mod tx_start;
mod txdecode;

use alloy_primitives::B256;
use gavel_commit::error::CommitError;
use thiserror::Error;

pub use block::{absolute_prestate, block_end, block_start, past_batch};
pub use tx_end::{TxEndInput, tx_end};
pub use tx_start::{TxStart, calldata_root, tx_start};
pub use txdecode::{DecodedTx, access_head, access_items, decode_tx, intrinsic_gas};

/// Witness step kinds after the `0x01` boundary byte (spec §16.1).
pub mod kind {
    /// Block start.
    pub const BLOCK_START: u8 = 1;
    /// Transaction start.
    pub const TX_START: u8 = 2;
    /// Block end.
    pub const BLOCK_END: u8 = 3;
    /// Past the batch.
    pub const PAST_BATCH: u8 = 4;
}

/// Tags this module's records use (spec §16.2).
pub mod tag {
    /// The halted micro state.
    pub const HALTED: u8 = 0x1c;
    /// An access-list chain link.
    pub const ACCESS_ITEM: u8 = 0x1d;
}

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
}

/// `HALTED(status) = keccak256(0x1c ‖ status)` (spec §16.2).
pub fn halted(status: u8) -> B256 {
    gavel_commit::hash::tagged(tag::HALTED, &[&[status]])
}
