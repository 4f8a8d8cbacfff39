//! The on-chain step verifier's interface, for the mirror (`IStepVerifier.step`).

use alloy_primitives::B256;

/// Why a verifier reverted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifierError {
    /// The witness does not open the pre-state (toy verifier: not 96 bytes, or wrong hash).
    #[error("InvalidWitness: the witness does not open the pre-state")]
    InvalidWitness,
    /// A verifier-specific revert, by its Solidity error name.
    #[error("{0}: verifier revert")]
    Reverted(&'static str),
}

impl VerifierError {
    /// The Solidity custom error name of the revert.
    pub fn solidity_name(&self) -> &'static str {
        match self {
            VerifierError::InvalidWitness => "InvalidWitness",
            VerifierError::Reverted(name) => name,
        }
    }
}

/// Re-executes one step, as `IStepVerifier.step(pre, traceIndex, witness)` does on-chain.
pub trait StepVerifier {
    /// The post-state of the step `trace_index` (from `s_{trace_index}` to
    /// `s_{trace_index + 1}`) starting at `pre_state`, or the verifier's revert.
    fn step(
        &self,
        pre_state: B256,
        trace_index: u64,
        witness: &[u8],
    ) -> Result<B256, VerifierError>;
}
