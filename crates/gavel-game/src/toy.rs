//! The toy VM of docs/protocol.md §10, bit-exact with the Solidity toy verifier: a counter
//! that hashes an accumulator `remaining` times and then stutters.

use crate::trace::{StepProof, TraceError, TraceProvider};
use crate::verifier::{StepVerifier, VerifierError};
use alloy_primitives::{B256, Bytes, U256, keccak256};
use alloy_sol_types::SolValue;
use serde::{Deserialize, Serialize};

/// The most states a toy trace precomputes (keeps a bad argument from exhausting memory).
pub const MAX_TOY_STATES: u64 = 1 << 24;

/// One toy VM state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToyRecord {
    /// Steps taken so far.
    pub step: U256,
    /// Steps still to take.
    pub remaining: U256,
    /// The accumulator.
    pub acc: B256,
}

impl ToyRecord {
    /// `abi.encode(step, remaining, acc)`: the witness of a step from this state.
    pub fn encode(&self) -> Vec<u8> {
        (self.step, self.remaining, self.acc).abi_encode()
    }

    /// The state commitment `keccak256(abi.encode(step, remaining, acc))`.
    pub fn commit(&self) -> B256 {
        keccak256(self.encode())
    }

    /// Opens a witness: exactly 96 bytes (no lenient decoding, as the verifier).
    pub fn decode(witness: &[u8]) -> Option<ToyRecord> {
        if witness.len() != 96 {
            return None;
        }
        Some(ToyRecord {
            step: U256::from_be_slice(&witness[0..32]),
            remaining: U256::from_be_slice(&witness[32..64]),
            acc: B256::from_slice(&witness[64..96]),
        })
    }
}

/// `keccak256(abi.encode(uint256 step, uint256 remaining, bytes32 acc))`.
pub fn toy_state(step: U256, remaining: U256, acc: B256) -> B256 {
    ToyRecord {
        step,
        remaining,
        acc,
    }
    .commit()
}

/// The toy VM input carried in `extraData`: `bytes32(traceLength)`.
pub fn toy_input(trace_length: u64) -> B256 {
    B256::from(U256::from(trace_length))
}

/// The absolute prestate of a toy game: `toyState(0, traceLength, startingRoot)`.
pub fn toy_prestate(starting_root: B256, trace_length: u64) -> B256 {
    toy_state(U256::ZERO, U256::from(trace_length), starting_root)
}

/// One toy step: unchanged when `remaining == 0`, else
/// `(step + 1, remaining − 1, keccak256(abi.encode(acc, step)))`. `None` when `step + 1`
/// overflows, where Solidity's checked arithmetic reverts.
pub fn toy_step(pre: &ToyRecord) -> Option<ToyRecord> {
    if pre.remaining.is_zero() {
        return Some(*pre);
    }
    Some(ToyRecord {
        step: pre.step.checked_add(U256::from(1))?,
        remaining: pre.remaining - U256::from(1),
        acc: keccak256((pre.acc, pre.step).abi_encode()),
    })
}

/// The toy step verifier (`ToyStepVerifier.step`); it ignores the trace index.
#[derive(Clone, Copy, Debug, Default)]
pub struct ToyVerifier;

impl StepVerifier for ToyVerifier {
    fn step(
        &self,
        pre_state: B256,
        _trace_index: u64,
        witness: &[u8],
    ) -> Result<B256, VerifierError> {
        if keccak256(witness) != pre_state {
            return Err(VerifierError::InvalidWitness);
        }
        let pre = ToyRecord::decode(witness).ok_or(VerifierError::InvalidWitness)?;
        toy_step(&pre)
            .map(|post| post.commit())
            .ok_or(VerifierError::Reverted("Panic"))
    }
}

/// A precomputed toy trace over a tree of `2^max_depth` leaves.
#[derive(Clone, Debug)]
pub struct ToyTrace {
    records: Vec<ToyRecord>,
    states: Vec<B256>,
    leaves: u64,
}

impl ToyTrace {
    /// The honest trace of `trace_length` real steps from `starting_root`.
    pub fn new(starting_root: B256, trace_length: u64, max_depth: u32) -> Result<Self, TraceError> {
        Self::build(starting_root, trace_length, max_depth, None)
    }

    /// A VM-consistent liar: equal to the honest trace for trace indices `< diverge_at`, then
    /// the step at `diverge_at` mixes `salt` into the accumulator and every later step follows
    /// the toy rule from there. Every step verifies except the one at `diverge_at`, so a
    /// dishonest player can play it consistently down to that one step.
    pub fn divergent(
        starting_root: B256,
        trace_length: u64,
        max_depth: u32,
        diverge_at: u64,
        salt: B256,
    ) -> Result<Self, TraceError> {
        Self::build(
            starting_root,
            trace_length,
            max_depth,
            Some((diverge_at, salt)),
        )
    }

    fn build(
        starting_root: B256,
        trace_length: u64,
        max_depth: u32,
        tamper: Option<(u64, B256)>,
    ) -> Result<Self, TraceError> {
        let leaves = 1u64
            .checked_shl(max_depth)
            .ok_or(TraceError::TooLong(u64::MAX))?;
        // Steps to compute before the trace can only stutter.
        let last_change =
            tamper.map_or(trace_length, |(k, _)| trace_length.max(k.saturating_add(1)));
        let needed = last_change.min(leaves);
        if needed >= MAX_TOY_STATES {
            return Err(TraceError::TooLong(needed));
        }
        let mut records = vec![ToyRecord {
            step: U256::ZERO,
            remaining: U256::from(trace_length),
            acc: starting_root,
        }];
        for j in 0..needed {
            let current = records[records.len() - 1];
            // `step` stays below `trace_length`, so the increment cannot overflow.
            let mut next = toy_step(&current).unwrap_or(current);
            if let Some((k, salt)) = tamper
                && k == j
            {
                next.acc = keccak256((next.acc, salt).abi_encode());
            }
            records.push(next);
        }
        let states = records.iter().map(ToyRecord::commit).collect();
        Ok(ToyTrace {
            records,
            states,
            leaves,
        })
    }

    /// The record of `s_k` (states after the last computed one stutter).
    pub fn record(&self, k: u64) -> &ToyRecord {
        let last = self.records.len() - 1;
        &self.records[usize::try_from(k).map_or(last, |k| k.min(last))]
    }

    fn state(&self, k: u64) -> B256 {
        let last = self.states.len() - 1;
        self.states[usize::try_from(k).map_or(last, |k| k.min(last))]
    }

    fn check(&self, trace_index: u64) -> Result<(), TraceError> {
        if trace_index >= self.leaves {
            return Err(TraceError::OutOfRange {
                trace_index,
                leaves: self.leaves,
            });
        }
        Ok(())
    }
}

impl TraceProvider for ToyTrace {
    fn absolute_prestate(&self) -> B256 {
        self.states[0]
    }

    fn state_at(&self, trace_index: u64) -> Result<B256, TraceError> {
        self.check(trace_index)?;
        Ok(self.state(trace_index + 1))
    }

    fn step_witness(&self, trace_index: u64) -> Result<StepProof, TraceError> {
        self.check(trace_index)?;
        Ok(StepProof {
            pre_state: self.state(trace_index),
            witness: Bytes::from(self.record(trace_index).encode()),
            post_state: self.state(trace_index + 1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: B256 = B256::repeat_byte(0xab);

    #[test]
    fn honest_trace_steps_then_stutters() {
        let t = ToyTrace::new(ROOT, 3, 3).unwrap();
        assert_eq!(t.absolute_prestate(), toy_prestate(ROOT, 3));
        assert_eq!(t.record(3).remaining, U256::ZERO);
        assert_eq!(t.state_at(2).unwrap(), t.state_at(7).unwrap());
        assert_ne!(t.state_at(1).unwrap(), t.state_at(2).unwrap());
        assert!(matches!(t.state_at(8), Err(TraceError::OutOfRange { .. })));
        for i in 0..8 {
            let p = t.step_witness(i).unwrap();
            assert_eq!(
                ToyVerifier.step(p.pre_state, i, &p.witness),
                Ok(p.post_state)
            );
        }
    }

    #[test]
    fn verifier_rejects_bad_witnesses() {
        let t = ToyTrace::new(ROOT, 4, 3).unwrap();
        let p = t.step_witness(1).unwrap();
        let mut padded = p.witness.to_vec();
        padded.push(0);
        assert_eq!(
            ToyVerifier.step(p.pre_state, 1, &padded),
            Err(VerifierError::InvalidWitness)
        );
        let mut flipped = p.witness.to_vec();
        flipped[95] ^= 1;
        assert_eq!(
            ToyVerifier.step(p.pre_state, 1, &flipped),
            Err(VerifierError::InvalidWitness)
        );
        let short = keccak256([1u8]);
        assert_eq!(
            ToyVerifier.step(short, 1, &[1u8]),
            Err(VerifierError::InvalidWitness)
        );
        // A crafted state at the top of uint256 reverts like Solidity's checked `step + 1`.
        let top = ToyRecord {
            step: U256::MAX,
            remaining: U256::from(1),
            acc: ROOT,
        };
        assert_eq!(
            ToyVerifier.step(top.commit(), 0, &top.encode()),
            Err(VerifierError::Reverted("Panic"))
        );
    }

    #[test]
    fn divergent_trace_lies_consistently_after_k() {
        for (len, k) in [(5u64, 0u64), (5, 2), (5, 5), (5, 7), (8, 7)] {
            let honest = ToyTrace::new(ROOT, len, 3).unwrap();
            let liar = ToyTrace::divergent(ROOT, len, 3, k, B256::repeat_byte(7)).unwrap();
            assert_eq!(liar.absolute_prestate(), honest.absolute_prestate());
            for t in 0..8 {
                let same = honest.state_at(t).unwrap() == liar.state_at(t).unwrap();
                assert_eq!(same, t < k, "len {len} k {k} t {t}");
                let p = liar.step_witness(t).unwrap();
                let verified = ToyVerifier.step(p.pre_state, t, &p.witness) == Ok(p.post_state);
                assert_eq!(verified, t != k, "len {len} k {k} t {t}");
            }
        }
    }

    #[test]
    fn oversized_traces_are_refused() {
        assert!(matches!(
            ToyTrace::new(ROOT, u64::MAX, 62),
            Err(TraceError::TooLong(_))
        ));
        assert!(matches!(
            ToyTrace::new(ROOT, 1, 64),
            Err(TraceError::TooLong(_))
        ));
        // A short trace in a deep tree is cheap: it stutters after its end.
        let t = ToyTrace::new(ROOT, 3, 62).unwrap();
        assert_eq!(t.state_at(1 << 61).unwrap(), t.state_at(2).unwrap());
    }
}
