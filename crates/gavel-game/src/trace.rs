//! What the game needs from an execution trace: commitments and step witnesses.

use crate::position::Position;
use alloy_primitives::{B256, Bytes, keccak256};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Why a trace cannot answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TraceError {
    /// The trace index is beyond the tree's leaves.
    #[error("trace index {trace_index} is beyond the {leaves} leaves of the trace")]
    OutOfRange {
        /// The requested index.
        trace_index: u64,
        /// Number of leaves (`2^max_depth`).
        leaves: u64,
    },
    /// The position is deeper than the trace's tree.
    #[error("position {position} is deeper than max depth {max_depth}")]
    TooDeep {
        /// The requested position.
        position: Position,
        /// The tree's max depth.
        max_depth: u32,
    },
    /// The trace would not fit in memory.
    #[error("trace of {0} states is too long to precompute")]
    TooLong(u64),
    /// The VM cannot produce this step (e.g. an unsupported opcode, named in the message).
    #[error("unsupported step: {0}")]
    Unsupported(String),
    /// The backing executor failed.
    #[error("trace backend: {0}")]
    Backend(String),
}

/// A step and what the verifier needs to re-execute it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProof {
    /// The state before the step.
    pub pre_state: B256,
    /// Everything the verifier reads, opened against `pre_state`.
    pub witness: Bytes,
    /// The state after the step according to this trace.
    pub post_state: B256,
}

/// A trace `s_0 .. s_N` (`N = 2^max_depth`) as one side of a game sees it.
pub trait TraceProvider {
    /// `s_0`, the state before the first step.
    fn absolute_prestate(&self) -> B256;

    /// `s_{trace_index + 1}`: what a leaf with this trace index commits to.
    fn state_at(&self, trace_index: u64) -> Result<B256, TraceError>;

    /// What a claim at `pos` commits to (its trace index's state).
    fn claim_at(&self, pos: Position, max_depth: u32) -> Result<B256, TraceError> {
        if pos.depth() > max_depth {
            return Err(TraceError::TooDeep {
                position: pos,
                max_depth,
            });
        }
        self.state_at(pos.trace_index(max_depth))
    }

    /// The step from `s_{trace_index}` to `s_{trace_index + 1}` (index 0 starts from the
    /// absolute prestate).
    fn step_witness(&self, trace_index: u64) -> Result<StepProof, TraceError>;
}

macro_rules! forward_trace {
    ($($ty:ty),*) => {$(
        impl<T: TraceProvider + ?Sized> TraceProvider for $ty {
            fn absolute_prestate(&self) -> B256 {
                (**self).absolute_prestate()
            }
            fn state_at(&self, trace_index: u64) -> Result<B256, TraceError> {
                (**self).state_at(trace_index)
            }
            fn claim_at(&self, pos: Position, max_depth: u32) -> Result<B256, TraceError> {
                (**self).claim_at(pos, max_depth)
            }
            fn step_witness(&self, trace_index: u64) -> Result<StepProof, TraceError> {
                (**self).step_witness(trace_index)
            }
        }
    )*};
}
forward_trace!(&T, Box<T>, Arc<T>);

/// A trace shared between the players of a simulation.
pub type SharedTrace = Arc<dyn TraceProvider + Send + Sync>;

/// The state commitment the root claim of an honest proposer carries: `s_N`.
pub fn honest_root(trace: &dyn TraceProvider, max_depth: u32) -> Result<B256, TraceError> {
    trace.claim_at(Position::ROOT, max_depth)
}

/// Any trace with a lie from trace index `diverge_at` on: `state_at(t)` is the inner trace's
/// for `t < diverge_at` and `keccak256(inner ‖ salt)` after. Its steps from the divergence on
/// do not verify (the witness opens the inner state), so it models a dishonest party without
/// a VM-consistent alternative trace; for the toy VM `ToyTrace::divergent` is a stronger liar.
#[derive(Clone, Debug)]
pub struct LyingTrace<T> {
    inner: T,
    diverge_at: u64,
    salt: B256,
}

impl<T: TraceProvider> LyingTrace<T> {
    /// Wraps `inner`, lying from `diverge_at` on with `salt` (a zero salt still lies).
    pub fn new(inner: T, diverge_at: u64, salt: B256) -> Self {
        LyingTrace {
            inner,
            diverge_at,
            salt,
        }
    }

    fn lie(&self, honest: B256) -> B256 {
        keccak256([honest.as_slice(), self.salt.as_slice()].concat())
    }

    fn state(&self, k: u64) -> Result<B256, TraceError> {
        // `k` counts steps: state `s_k`.
        match k.checked_sub(1) {
            None => Ok(self.inner.absolute_prestate()),
            Some(t) => self.state_at(t),
        }
    }
}

impl<T: TraceProvider> TraceProvider for LyingTrace<T> {
    fn absolute_prestate(&self) -> B256 {
        self.inner.absolute_prestate()
    }

    fn state_at(&self, trace_index: u64) -> Result<B256, TraceError> {
        let honest = self.inner.state_at(trace_index)?;
        Ok(if trace_index < self.diverge_at {
            honest
        } else {
            self.lie(honest)
        })
    }

    fn step_witness(&self, trace_index: u64) -> Result<StepProof, TraceError> {
        let inner = self.inner.step_witness(trace_index)?;
        Ok(StepProof {
            pre_state: self.state(trace_index)?,
            witness: inner.witness,
            post_state: self.state_at(trace_index)?,
        })
    }
}
