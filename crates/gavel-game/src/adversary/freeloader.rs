//! Freeloaders: honest values in dishonest places, and copies of honest counters.

use super::{Adversary, bonded_move, has_moved, is_true, movable, step_from, steppable, value_for};
use crate::solver::Action;
use crate::state::GameState;
use crate::trace::TraceProvider;
use alloy_primitives::Address;
use rand::{Rng, RngCore};

/// Most actions per turn.
const PER_TURN: usize = 12;

/// Two tactics, both using only honest values:
/// * **wrong branch**: counters claims whose value is true, in both directions, with the
///   true value of the new position (a correct value making an incorrect counter);
/// * **copying**: sends the counter the honest side would send to a false claim under a true
///   one, hoping to be earlier and take the bond (duplicates are allowed; the left-most rule
///   prefers the earliest of equal positions).
pub struct Freeloader {
    address: Address,
}

impl Freeloader {
    /// A freeloader at `address`.
    pub fn new(address: Address) -> Self {
        Freeloader { address }
    }

    fn wrong_branch(
        &self,
        game: &GameState,
        honest: &dyn TraceProvider,
        now: u64,
        out: &mut Vec<Action>,
    ) {
        for i in 0..game.claims().len() {
            if game.claims()[i].claimant == self.address || !is_true(game, honest, i) {
                continue;
            }
            for is_attack in [true, false] {
                if movable(game, i, now) && !has_moved(game, i, is_attack, self.address) {
                    let value = value_for(game, honest, i, is_attack);
                    out.extend(bonded_move(game, i, is_attack, value));
                } else if steppable(game, i, now) {
                    // The honest witness never counters a true leaf: the game must say ValidStep.
                    out.extend(step_from(game, honest, i, is_attack));
                }
            }
        }
    }

    fn copy_honest(
        &self,
        game: &GameState,
        honest: &dyn TraceProvider,
        now: u64,
        out: &mut Vec<Action>,
    ) {
        for (i, claim) in game.claims().iter().enumerate() {
            let under_truth = claim.parent_index.is_none_or(|p| is_true(game, honest, p));
            if claim.claimant == self.address || !under_truth || is_true(game, honest, i) {
                continue;
            }
            let is_attack = true;
            if movable(game, i, now) && !has_moved(game, i, is_attack, self.address) {
                out.extend(bonded_move(
                    game,
                    i,
                    is_attack,
                    value_for(game, honest, i, is_attack),
                ));
            } else if steppable(game, i, now) {
                out.extend(step_from(game, honest, i, is_attack));
            }
        }
    }
}

impl Adversary for Freeloader {
    fn name(&self) -> String {
        "freeloader".to_owned()
    }

    fn act(
        &mut self,
        game: &GameState,
        honest: &dyn TraceProvider,
        rng: &mut dyn RngCore,
        now: u64,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        if rng.random_bool(0.5) {
            self.copy_honest(game, honest, now, &mut actions);
        }
        self.wrong_branch(game, honest, now, &mut actions);
        actions.truncate(PER_TURN);
        actions
    }
}
