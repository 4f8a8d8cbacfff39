//! Sends one agent action to the game contract and applies it to the Rust mirror, and
//! reports whether the two agreed.

use alloy_primitives::{Address, B256, Bytes};
use gavel_chain::{ChainError, ChildRef, ClaimRef, L1, decode_revert, game};
use gavel_game::{Action, GameState, ToyVerifier};

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

/// The children of `index` in ascending index order, as `resolveClaim` wants them.
fn children_of(state: &GameState, index: usize) -> Vec<ChildRef> {
    state
        .children(index)
        .iter()
        .filter_map(|&i| {
            state.claim(i).map(|c| ChildRef {
                index: i,
                claim: c.claim,
                claimant: c.claimant,
            })
        })
        .collect()
}

fn claim_ref(state: &GameState, index: usize) -> ClaimRef {
    state
        .claim(index)
        .map(|c| ClaimRef {
            claim: c.claim,
            claimant: c.claimant,
        })
        .unwrap_or_default()
}

fn compare(
    chain: Result<u64, ChainError>,
    mirror: Result<(), String>,
    what: &str,
) -> Result<Outcome, ChainError> {
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

/// Executes `action` from `actor` on `game` at time `now` (the timestamp the next block gets).
pub async fn execute(
    l1: &impl L1,
    game_addr: Address,
    mirror: &mut GameState,
    actor: Address,
    action: &Action,
    now: u64,
) -> Result<Outcome, ChainError> {
    match action {
        Action::Move {
            parent_index,
            claim,
            is_attack,
            bond,
        } => {
            let disputed = mirror
                .claim(*parent_index)
                .map(|c| c.digest())
                .unwrap_or(B256::ZERO);
            let chain = game::game_move(
                l1,
                actor,
                game_addr,
                disputed,
                *parent_index,
                *claim,
                *is_attack,
                *bond,
            )
            .await
            .map(|r| r.gas_used);
            let mirror_result = mirror
                .apply_move(*parent_index, *claim, *is_attack, actor, *bond, now)
                .map(|_| ())
                .map_err(|e| e.solidity_name().to_owned());
            compare(chain, mirror_result, "move")
        }
        Action::Step {
            claim_index,
            is_attack,
            state_index,
            witness,
            ..
        } => {
            let parent = claim_ref(mirror, *claim_index);
            let state_ref = state_index
                .map(|i| claim_ref(mirror, i))
                .unwrap_or_default();
            let chain = game::game_step(
                l1,
                actor,
                game_addr,
                *claim_index,
                *is_attack,
                parent,
                state_index.unwrap_or(0),
                state_ref,
                witness.clone(),
            )
            .await
            .map(|r| r.gas_used);
            let mirror_result = mirror_step(
                mirror,
                *claim_index,
                *is_attack,
                *state_index,
                witness,
                actor,
                now,
            );
            compare(chain, mirror_result, "step")
        }
        Action::ResolveClaim { claim_index } => {
            let children = children_of(mirror, *claim_index);
            let subject = claim_ref(mirror, *claim_index);
            let chain =
                game::game_resolve_claim(l1, actor, game_addr, *claim_index, subject, children)
                    .await
                    .map(|r| r.gas_used);
            let mirror_result = mirror
                .resolve_claim(*claim_index, now)
                .map(|_| ())
                .map_err(|e| e.solidity_name().to_owned());
            compare(chain, mirror_result, "resolveClaim")
        }
        Action::Resolve => {
            let chain = game::game_resolve(l1, actor, game_addr)
                .await
                .map(|r| r.gas_used);
            let mirror_result = mirror
                .resolve(now)
                .map(|_| ())
                .map_err(|e| e.solidity_name().to_owned());
            compare(chain, mirror_result, "resolve")
        }
        Action::ClaimCredit { recipient } => {
            let chain = game::game_claim_credit(l1, actor, game_addr, *recipient)
                .await
                .map(|r| r.gas_used);
            let mirror_result = mirror
                .claim_credit(*recipient, now)
                .map(|_| ())
                .map_err(|e| e.solidity_name().to_owned());
            compare(chain, mirror_result, "claimCredit")
        }
    }
}

/// Applies a step to the mirror, running the Rust twin of the toy verifier where the
/// contract calls the on-chain one.
fn mirror_step(
    mirror: &mut GameState,
    claim_index: usize,
    is_attack: bool,
    state_index: Option<usize>,
    witness: &Bytes,
    actor: Address,
    now: u64,
) -> Result<(), String> {
    mirror
        .step(
            claim_index,
            is_attack,
            state_index,
            witness,
            &ToyVerifier,
            actor,
            now,
        )
        .map_err(|e| e.solidity_name().to_owned())
}
