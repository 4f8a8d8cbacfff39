//! One action applied to the mirror exactly as the contract would process its transaction.

use crate::error::GameError;
use crate::solver::Action;
use crate::state::{ClaimOutcome, GameState, GameStatus};
use crate::verifier::StepVerifier;
use alloy_primitives::{Address, U256};
use serde::{Deserialize, Serialize};

/// What an accepted action did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Applied {
    /// A claim was added and its bond paid in.
    Moved {
        /// The new claim's index.
        index: usize,
        /// The bond paid.
        bond: U256,
    },
    /// A leaf was countered.
    Stepped,
    /// A subgame was resolved.
    ClaimResolved(ClaimOutcome),
    /// The game was resolved.
    Resolved(GameStatus),
    /// Credit was paid out.
    CreditClaimed {
        /// Who was paid.
        recipient: Address,
        /// How much.
        amount: U256,
    },
}

/// Applies `action` sent by `actor` to the mirror, exactly as the contract would process
/// the corresponding transaction. Moves pay the bond named in the action.
pub fn apply_action(
    game: &mut GameState,
    verifier: &dyn StepVerifier,
    actor: Address,
    action: &Action,
    now: u64,
) -> Result<Applied, GameError> {
    match action {
        Action::Move {
            parent_index,
            claim,
            is_attack,
            bond,
        } => {
            let index = game.apply_move(*parent_index, *claim, *is_attack, actor, *bond, now)?;
            Ok(Applied::Moved { index, bond: *bond })
        }
        Action::Step {
            claim_index,
            is_attack,
            state_index,
            witness,
            ..
        } => {
            game.step(
                *claim_index,
                *is_attack,
                *state_index,
                witness,
                verifier,
                actor,
                now,
            )?;
            Ok(Applied::Stepped)
        }
        Action::ResolveClaim { claim_index } => game
            .resolve_claim(*claim_index, now)
            .map(Applied::ClaimResolved),
        Action::Resolve => game.resolve(now).map(Applied::Resolved),
        Action::ClaimCredit { recipient } => {
            let amount = game.claim_credit(*recipient, now)?;
            Ok(Applied::CreditClaimed {
                recipient: *recipient,
                amount,
            })
        }
    }
}
