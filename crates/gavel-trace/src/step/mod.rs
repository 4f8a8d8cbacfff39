//! The shadow step machine (spec §16–§17): the commitment after every step of a transition and
//! the witness of an opcode step.
//!
//! One replay of a transaction in revm with a [`shadow`] inspector that mirrors what the
//! verifier's records hold, incrementally: the stack as a hash chain (only the items an opcode
//! touched are re-linked), the memory tree (only the words an opcode wrote are rehashed), the
//! world trie (written by the transaction start, SSTORE and the transaction end) and the
//! substate (written by the warm-ups, SLOAD and SSTORE). Files:
//!
//! * [`records`]: the records the machine adds (halted state, access-list chain);
//! * [`gas`]: revm 43's static gas and the two decisions a witness depends on;
//! * [`tx_start`], [`tx_end`]: what transaction start, warm-ups and transaction end compute;
//! * [`shadow`]: the inspector that follows revm;
//! * [`witness`]: the byte formats (§16.1, §16.3);
//! * [`replay`]: one transaction replayed with the shadow inspector.

pub mod gas;
pub mod records;
pub(crate) mod replay;
pub(crate) mod shadow;
pub mod tx_end;
pub mod tx_start;
pub mod witness;

use alloy_primitives::{B256, Bytes};
use gavel_commit::record::{BlockEnv, Boundary, Context, Frame, Snapshot, StepState, TxEnv};
use gavel_commit::substate::Substate;
use gavel_commit::trie::world::WorldState;

use crate::trace::StepRef;

/// What a step does, as the verifier dispatches it (spec §16.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofKind {
    /// Block start (§17.1).
    BlockStart,
    /// Transaction start (§17.2), also for a skipped transaction.
    TxStart,
    /// Access-list warm-up `index` (§17.3).
    AccessListItem {
        /// Index among the items.
        index: u64,
    },
    /// An opcode step (§16.3).
    Opcode {
        /// The opcode byte executed.
        opcode: u8,
    },
    /// Transaction end (§17.4).
    TxEnd,
    /// Block end (§17.5).
    BlockEnd,
    /// A stutter: the transition has ended, the leaf repeats the boundary (kind 0).
    Stutter,
    /// Offset 0 of a transition past the batch (kind 4).
    PastBatch,
}

/// Everything the verifier needs for one step: pre, post and the witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepProof {
    /// The leaf of the post-state.
    pub trace_index: u64,
    /// Commitment at `trace_index − 1` (the prestate boundary for 0).
    pub pre: B256,
    /// Commitment at `trace_index`.
    pub post: B256,
    /// The step.
    pub kind: ProofKind,
    /// The witness (`None` where its format is not specified yet or its builder lives
    /// elsewhere: transaction start, warm-ups, transaction end, block steps, past-batch).
    pub witness: Option<Bytes>,
}

/// The pre-state of a step, for the witness builders of the transaction and block steps.
/// Fields a step does not have are `None`.
#[derive(Debug, Clone)]
pub struct StepInputs {
    /// Where the step is.
    pub at: StepRef,
    /// The step.
    pub kind: ProofKind,
    /// The boundary before the transition.
    pub boundary: Boundary,
    /// The current block's BlockEnv (`None` between blocks).
    pub block_env: Option<BlockEnv>,
    /// The pre-state step state (warming, running or halted), inside a transaction.
    pub step: Option<StepState>,
    /// Its context.
    pub context: Option<Context>,
    /// The frame record.
    pub frame: Option<Frame>,
    /// The transaction record.
    pub tx_env: Option<TxEnv>,
    /// The frame's snapshot.
    pub snapshot: Option<Snapshot>,
    /// The substate as of the pre-state (`None` outside a transaction: it is reset at start).
    pub substate: Option<Substate>,
    /// The world trie as of the pre-state.
    pub world: WorldState,
}
