//! gavel's commitment kernel: every hash the dispute game and the on-chain step verifier agree
//! on, with the proofs that open them. Pure Rust, no EVM, no I/O.
//!
//! The normative description is `docs/spec.md`; module docs point at its sections. Each tree
//! has a builder side (incremental, O(depth) hashes per write, proof generation) and a verifier
//! side: small pure functions over bytes that the Solidity verifier twins line by line.

pub mod code;
pub mod error;
pub mod hash;
pub mod memory;
pub mod proof;
pub mod record;
pub mod sparse;
pub mod stack;
pub mod substate;
pub mod trie;

pub use error::{CommitError, ProofError};

/// The version of `docs/spec.md` this crate implements.
pub const SPEC_VERSION: &str = "0.1";
