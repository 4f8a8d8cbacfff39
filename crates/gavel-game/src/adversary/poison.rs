//! The poisoned-prestate attacker: tries to make the honest side need a pre-state that only
//! the attacker's lies provide.

use super::{Adversary, bonded_move, has_moved, is_true, movable, step_from, steppable, value_for};
use crate::solver::Action;
use crate::state::GameState;
use crate::trace::{SharedTrace, TraceProvider};
use alloy_primitives::Address;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

/// Most counters of true claims per turn.
const COUNTERS_PER_TURN: usize = 4;
/// Most own claims extended per turn.
const EXTENSIONS_PER_TURN: usize = 2;
/// Most steps per turn.
const STEPS_PER_TURN: usize = 4;

/// Each turn:
/// * counters true claims, deepest first, in a random direction with lies, so honest
///   answers sit in chains full of its claims;
/// * extends its own claims, mostly by defending them, so the chain claim just before a
///   leaf (the step's pre-state) is one of its lies;
/// * steps against every live leaf in both directions with its lying trace's witness, which
///   verifies exactly when the chain's pre-state is one of its consistent lies.
pub struct Poisoner {
    address: Address,
    lying: SharedTrace,
}

impl Poisoner {
    /// A poisoner at `address` lying with `lying`.
    pub fn new(address: Address, lying: SharedTrace) -> Self {
        Poisoner { address, lying }
    }
}

impl Adversary for Poisoner {
    fn name(&self) -> String {
        "poisoned-prestate".to_owned()
    }

    fn act(
        &mut self,
        game: &GameState,
        honest: &dyn TraceProvider,
        rng: &mut dyn RngCore,
        now: u64,
    ) -> Vec<Action> {
        let lying = &*self.lying;
        let mine = |i: usize| game.claims()[i].claimant == self.address;
        let mut actions = Vec::new();

        let mut truths: Vec<usize> = (0..game.claims().len())
            .filter(|&i| !mine(i) && movable(game, i, now) && is_true(game, honest, i))
            .collect();
        truths.sort_by_key(|&i| std::cmp::Reverse(game.claims()[i].position.depth()));
        for i in truths.into_iter().take(COUNTERS_PER_TURN) {
            let is_attack = i == 0 || rng.random_bool(0.5);
            if !has_moved(game, i, is_attack, self.address) {
                actions.extend(bonded_move(
                    game,
                    i,
                    is_attack,
                    value_for(game, lying, i, is_attack),
                ));
            }
        }

        let mut own: Vec<usize> = (0..game.claims().len())
            .filter(|&i| mine(i) && movable(game, i, now))
            .collect();
        own.shuffle(rng);
        for i in own.into_iter().take(EXTENSIONS_PER_TURN) {
            let is_attack = i == 0 || rng.random_bool(0.3);
            if !has_moved(game, i, is_attack, self.address) {
                actions.extend(bonded_move(
                    game,
                    i,
                    is_attack,
                    value_for(game, lying, i, is_attack),
                ));
            }
        }

        let leaves = (0..game.claims().len()).filter(|&i| !mine(i) && steppable(game, i, now));
        let steps =
            leaves.flat_map(|i| [true, false].map(|attack| step_from(game, lying, i, attack)));
        actions.extend(steps.flatten().take(STEPS_PER_TURN));
        actions
    }
}
