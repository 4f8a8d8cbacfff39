//! gavel: a fraud-proof dispute game engine for EVM rollups.
//!
//! This facade re-exports the workspace crates so an embedder can depend on one crate: the
//! commitment kernel ([`commit`]), the executor and prover ([`trace`]), the game rules and
//! honest solver ([`game`]), the L1 side ([`chain`]) and the scenario fuzzer ([`fuzz`]).
//! docs/embedding.md shows how an L2 node uses them (`examples/embed_node.rs`).

pub use gavel_chain as chain;
pub use gavel_challenger as challenger;
pub use gavel_commit as commit;
pub use gavel_fuzz as fuzz;
pub use gavel_game as game;
pub use gavel_trace as trace;
