//! Sends one agent action to the game contract and applies it to the Rust mirror, and
//! reports whether the two agreed.

use crate::agent::send_action_unchecked;
use alloy_primitives::Address;
use gavel_chain::{ChainError, L1, decode_revert};
use gavel_game::{Action, GameState, StepVerifier, sim::apply_action};

/// What happened to one action.
#[derive(Debug)]
pub enum Outcome {
    /// The contract and the mirror both accepted it.
    Accepted { gas: u64 },
    /// Both rejected it with the same error.
    Rejected { error: String },
    /// They disagreed: a bug in one of them.
    Mismatch(String),
}

fn name(action: &Action) -> &'static str {
    match action {
        Action::Move { .. } => "move",
        Action::Step { .. } => "step",
        Action::ResolveClaim { .. } => "resolveClaim",
        Action::Resolve => "resolve",
        Action::ClaimCredit { .. } => "claimCredit",
    }
}

/// Executes `action` from `actor` on `game` at time `now` (the timestamp the next block
/// gets): first on the contract, with the claim data as the mirror holds it before the
/// action, then on the mirror (running `verifier` for steps: the Rust twin of the toy
/// verifier, or the deployed EVM verifier itself).
pub async fn execute(
    l1: &impl L1,
    game_addr: Address,
    mirror: &mut GameState,
    verifier: &dyn StepVerifier,
    actor: Address,
    action: &Action,
    now: u64,
) -> Result<Outcome, ChainError> {
    let what = name(action);
    let chain = send_action_unchecked(l1, game_addr, mirror, actor, action)
        .await
        .map(|r| r.gas_used);
    let mirror = apply_action(mirror, verifier, actor, action, now)
        .map(|_| ())
        .map_err(|e| e.solidity_name().to_owned());
    Ok(match (chain, mirror) {
        (Ok(gas), Ok(())) => Outcome::Accepted { gas },
        (Err(ChainError::Reverted { data }), Err(expected)) => {
            let got = decode_revert(&data);
            if got == expected {
                Outcome::Rejected { error: got }
            } else {
                Outcome::Mismatch(format!(
                    "{what}: contract reverted {got}, mirror said {expected}"
                ))
            }
        }
        (Err(ChainError::Reverted { data }), Ok(())) => Outcome::Mismatch(format!(
            "{what}: contract reverted {} but the mirror accepted it",
            decode_revert(&data)
        )),
        (Ok(_), Err(expected)) => Outcome::Mismatch(format!(
            "{what}: contract accepted it but the mirror rejected it with {expected}"
        )),
        (Err(other), _) => return Err(other),
    })
}
