//! gavel: a fraud-proof dispute game engine for EVM rollups.
//!
//! This facade re-exports the workspace crates so an embedder can depend on one crate:
//! the game rules and honest solver ([`game`]), the L1 side ([`chain`]) and the scenario
//! fuzzer ([`fuzz`]).

pub use gavel_chain as chain;
pub use gavel_challenger as challenger;
pub use gavel_fuzz as fuzz;
pub use gavel_game as game;
