//! gavel-game: the bisection dispute game of `docs/protocol.md` in pure Rust.
//!
//! * [`position`], [`config`], [`clock`]: tree arithmetic, parameters, chess clocks;
//! * [`state`], [`resolution`]: a mirror of `FaultDisputeGame` that applies the contract's
//!   checks in the contract's order and returns the same errors ([`GameError`]);
//! * [`trace`], [`toy`], [`verifier`]: what a side knows about the execution trace, and the
//!   toy VM used by tests and the fuzzer;
//! * [`solver`]: the honest player; [`adversary`]: the dishonest ones;
//! * [`sim`]: an in-memory game between them, for tests and the fuzzer.
//!
//! No I/O and no EVM here: the chain side replays the same rules against the contracts.

pub mod adversary;
pub mod clock;
pub mod config;
pub mod error;
pub mod position;
pub mod resolution;
pub mod sim;
pub mod solver;
pub mod state;
pub mod toy;
pub mod trace;
pub mod verifier;

pub use adversary::{Adversary, ScriptedMove, Strategy, ValueChoice, make_adversary};
pub use config::{ConfigError, GameConfig};
pub use error::GameError;
pub use position::Position;
pub use resolution::{Resolution, resolve_all};
pub use sim::{SimParams, SimReport, Simulation};
pub use solver::{Action, HonestSolver, SolverError};
pub use state::{ClaimData, ClaimOutcome, GameState, GameStatus, StepTarget};
pub use toy::{ToyTrace, ToyVerifier};
pub use trace::{LyingTrace, SharedTrace, StepProof, TraceError, TraceProvider, honest_root};
pub use verifier::{StepVerifier, VerifierError};
