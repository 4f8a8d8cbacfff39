//! The access-list warm-up witness (spec §17.3, §17.6).

use alloy_primitives::{B256, U256};
use gavel_commit::record::{Context, StepState};
use gavel_commit::substate::{Kind, Substate, key};

use super::{StepWitness, WitnessError};
use crate::step::records::{ACCESS_ITEM, AccessItem};
use crate::step::tx_start::warm;

/// The warm-up of `item` from the warming state `state` (whose `micro` is the chain head
/// `keccak256(0x1d ‖ rest ‖ item)`), with `context` its context and `substate` the substate
/// it commits to. Returns the witness
/// `0x00 ‖ StepState ‖ Context ‖ rest ‖ item ‖ present ‖ substate path proof`
/// and the post-state: the entry inserted, `micro = rest`.
pub fn warm_up(
    state: &StepState,
    context: &Context,
    substate: &Substate,
    item: &AccessItem,
    rest: B256,
) -> Result<StepWitness, WitnessError> {
    let encoded = item.encode();
    if gavel_commit::hash::tagged(ACCESS_ITEM, &[rest.as_slice(), &encoded]) != state.micro {
        return Err(WitnessError::Inconsistent(
            "the item and rest are not the head of the access-list chain",
        ));
    }
    if context.hash() != state.context || substate.root() != context.substate_root {
        return Err(WitnessError::Inconsistent(
            "the context or substate does not match the step state",
        ));
    }
    let k = match item {
        AccessItem::Account(a) => key(Kind::WarmAccount, a, U256::ZERO),
        AccessItem::Slot(a, s) => key(Kind::WarmSlot, a, (*s).into()),
    };
    let present = substate.get(&k) != B256::ZERO;
    let proof = substate.prove(&k);

    // The write is the step machine's own warm-up (one implementation of §17.3).
    let mut after = substate.clone();
    warm(&mut after, item);
    let mut ctx = *context;
    ctx.substate_root = after.root();
    let mut post = *state;
    post.micro = rest;
    post.context = ctx.hash();

    let mut witness = Vec::with_capacity(1 + 192 + 224 + 32 + 53 + 1 + proof.len());
    witness.push(0x00);
    witness.extend(state.preimage());
    witness.extend(context.preimage());
    witness.extend(rest.as_slice());
    witness.extend(encoded);
    witness.push(present as u8);
    witness.extend(proof);
    Ok(StepWitness {
        witness,
        post: post.hash(),
    })
}
