//! gavel's off-chain executor, first slice (issue 3 §3, §5).
//!
//! Data flows `genesis + batch → executor → boundaries`:
//!
//! * [`chain`]: the L2 chain model — a genesis allocation becomes a [`chain::ChainState`]
//!   (accounts for revm, the `gavel_commit` world trie for commitments), updated incrementally
//!   from revm's state diff after every transaction.
//! * [`batch`]: the batch file format (blocks with their context and EIP-2718 signed
//!   transactions), its commitment, and a [`batch::BatchBuilder`] that signs transactions for
//!   tests and fixtures.
//! * [`trace`]: how a batch is numbered — transitions (block start, each transaction, block
//!   end), steps inside a transition, and where they sit in the dispute game's trace.
//! * [`opcodes`]: which opcodes the step verifier supports, one file per opcode class.
//! * [`executor`]: runs a batch in revm 43 (Osaka) with an inspector that numbers every step
//!   and refuses what the verifier cannot prove yet; keeps boundaries, a diff journal and
//!   snapshots so any transition can be replayed without re-running the batch.
//!
//! The normative description is `docs/spec.md` §13–§15 (batch format, chain model, numbering).

pub mod asm;
pub mod batch;
pub mod boundary_witness;
pub mod chain;
pub mod executor;
pub mod opcodes;
pub mod step;
pub mod trace;

mod json;

/// Domain tags this crate adds to spec §2.1 (assigned in spec §13–§14; the table there lists
/// gavel-commit's).
pub mod tag {
    /// A block of a batch: its context, transaction count and transaction root (spec §13.3).
    pub const BATCH_BLOCK: u8 = 0x19;
    /// A batch: block count and block root (spec §13.3).
    pub const BATCH: u8 = 0x1a;
    /// A block hash (spec §14.3).
    pub const BLOCK_HASH: u8 = 0x1b;
}

pub use batch::{Batch, BatchBuilder, BatchError, BatchTx, Block, BlockContext};
pub use chain::{ChainState, Genesis, GenesisError, Prestate};
pub use executor::{ExecError, ExecOptions, Executor, Refusal, SnapshotPolicy, TraceError};
pub use trace::{Layout, StepRef, TransitionKind};
