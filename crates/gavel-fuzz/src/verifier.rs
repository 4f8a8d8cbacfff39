//! The Rust twin of the on-chain toy step verifier, so the mirror can predict what a step
//! transaction computes before the contract runs it.

use alloy_primitives::{B256, U256, keccak256};
use gavel_game::toy::toy_state;

/// Why the verifier rejected a witness (the on-chain twin reverts with `InvalidWitness`).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("InvalidWitness")]
pub struct InvalidWitness;

/// Executes one toy step from `pre` with `witness`, exactly as `ToyStepVerifier.step`.
pub fn toy_verify(pre: B256, witness: &[u8]) -> Result<B256, InvalidWitness> {
    if witness.len() != 96 || keccak256(witness) != pre {
        return Err(InvalidWitness);
    }
    let step = U256::from_be_slice(&witness[0..32]);
    let remaining = U256::from_be_slice(&witness[32..64]);
    let acc = B256::from_slice(&witness[64..96]);
    if remaining.is_zero() {
        return Ok(pre);
    }
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(acc.as_slice());
    buf[32..].copy_from_slice(&step.to_be_bytes::<32>());
    Ok(toy_state(step + U256::from(1u8), remaining - U256::from(1u8), keccak256(buf)))
}
