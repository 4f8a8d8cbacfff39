//! Bottom-up resolution by subgames, the game's verdict and credit payouts (docs/protocol.md §7).

use crate::error::GameError;
use crate::state::{ClaimOutcome, GameState, GameStatus};
use alloy_primitives::{Address, U256};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

impl GameState {
    /// `resolveClaim`: resolves claim `i`'s subgame once its clock has run out and every
    /// child subgame is resolved, and credits its bond.
    pub fn resolve_claim(&mut self, i: usize, now: u64) -> Result<ClaimOutcome, GameError> {
        if self.status() != GameStatus::InProgress {
            return Err(GameError::GameNotInProgress);
        }
        if self.claim(i).is_none() {
            return Err(GameError::InvalidClaimRef);
        }
        if !self.is_expired(i, now) {
            return Err(GameError::ClockNotExpired);
        }
        if self.outcome(i).is_some() {
            return Err(GameError::ClaimAlreadyResolved);
        }
        let children = self.children(i);
        let mut stands = Vec::with_capacity(children.len());
        for &c in children {
            let outcome = self.outcome(c).ok_or(GameError::OutOfOrderResolution)?;
            stands.push((c, !outcome.countered));
        }
        let outcome = subgame_outcome(self, i, stands.into_iter());
        self.set_outcome(i, outcome.clone());
        Ok(outcome)
    }

    /// `resolve`: ends the game once the root's subgame is resolved.
    pub fn resolve(&mut self, now: u64) -> Result<GameStatus, GameError> {
        if self.status() != GameStatus::InProgress {
            return Err(GameError::GameNotInProgress);
        }
        let root = self.outcome(0).ok_or(GameError::OutOfOrderResolution)?;
        let status = if root.countered {
            GameStatus::ChallengerWins
        } else {
            GameStatus::DefenderWins
        };
        self.finish(status, now);
        Ok(status)
    }

    /// `claimCredit`: pays out `recipient`'s whole credit after the withdrawal delay.
    /// Returns the amount paid.
    pub fn claim_credit(&mut self, recipient: Address, now: u64) -> Result<U256, GameError> {
        let resolved_at = self.resolved_at().ok_or(GameError::GameNotResolved)?;
        if now < resolved_at.saturating_add(self.config().withdrawal_delay) {
            return Err(GameError::WithdrawalDelayNotPassed);
        }
        if self.credit(recipient).is_zero() {
            return Err(GameError::NoCreditToClaim);
        }
        Ok(self.take_credit(recipient))
    }
}

/// The outcome of claim `i` given whether each child (index, stands) stands, in index order:
/// countered iff stepped or a child stands; the bond goes to the stepper, else the left-most
/// standing child (smallest position, earliest index on ties), else back to the claimant.
fn subgame_outcome(
    game: &GameState,
    i: usize,
    children: impl Iterator<Item = (usize, bool)>,
) -> ClaimOutcome {
    let claims = game.claims();
    let claim = &claims[i];
    let bond = game.config().required_bond(claim.position);
    // `min_by_key` keeps the first of equal keys, which is the earliest index.
    let leftmost = children
        .filter(|&(_, stands)| stands)
        .map(|(c, _)| &claims[c])
        .min_by_key(|c| c.position);
    match (claim.countered_by, leftmost) {
        (Some(stepper), _) => ClaimOutcome {
            countered: true,
            recipient: stepper,
            bond,
        },
        (None, Some(child)) => ClaimOutcome {
            countered: true,
            recipient: child.claimant,
            bond,
        },
        (None, None) => ClaimOutcome {
            countered: false,
            recipient: claim.claimant,
            bond,
        },
    }
}

/// The final outcome of a game if every subgame were resolved now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// The status `resolve` would set.
    pub status: GameStatus,
    /// Every claim's subgame result, by index.
    pub per_claim: Vec<ClaimOutcome>,
    /// Total credit per recipient.
    pub credits: BTreeMap<Address, U256>,
}

/// Resolves every subgame bottom-up ignoring clocks. Children always have larger indices
/// than their parent, so one pass in descending index order sees every child first.
pub fn resolve_all(game: &GameState) -> Resolution {
    let n = game.claims().len();
    let mut per_claim: Vec<Option<ClaimOutcome>> = vec![None; n];
    for i in (0..n).rev() {
        let children = game.children(i).iter().map(|&c| {
            let stands = per_claim[c].as_ref().is_some_and(|o| !o.countered);
            (c, stands)
        });
        per_claim[i] = Some(subgame_outcome(game, i, children));
    }
    let per_claim: Vec<ClaimOutcome> = per_claim.into_iter().flatten().collect();
    let mut credits = BTreeMap::new();
    for o in &per_claim {
        *credits.entry(o.recipient).or_insert(U256::ZERO) += o.bond;
    }
    let status = if per_claim.first().is_some_and(|o| o.countered) {
        GameStatus::ChallengerWins
    } else {
        GameStatus::DefenderWins
    };
    Resolution {
        status,
        per_claim,
        credits,
    }
}
