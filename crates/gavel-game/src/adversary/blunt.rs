//! Blunt adversaries: counter everyone the same way, or do nothing at all.

use super::{Adversary, bonded_move, has_moved, movable, step_from, steppable, value_for};
use crate::solver::Action;
use crate::state::GameState;
use crate::trace::{SharedTrace, TraceProvider};
use alloy_primitives::Address;
use rand::RngCore;

/// Most counters sent per turn, so a game against a blunt adversary stays small.
const PER_TURN: usize = 16;

/// Counters every other player's claim once, always by attack (or always by defend, where
/// the root is attacked since it cannot be defended), with the lying trace's values, and
/// steps against every other player's leaf with the lying trace's witness.
pub struct Always {
    address: Address,
    lying: SharedTrace,
    attack: bool,
}

impl Always {
    /// `attack` selects always-attack, else always-defend.
    pub fn new(address: Address, lying: SharedTrace, attack: bool) -> Self {
        Always {
            address,
            lying,
            attack,
        }
    }
}

impl Adversary for Always {
    fn name(&self) -> String {
        if self.attack {
            "always-attack"
        } else {
            "always-defend"
        }
        .to_owned()
    }

    fn act(
        &mut self,
        game: &GameState,
        _: &dyn TraceProvider,
        _: &mut dyn RngCore,
        now: u64,
    ) -> Vec<Action> {
        let lying = &*self.lying;
        let mut actions = Vec::new();
        for (i, claim) in game.claims().iter().enumerate() {
            if actions.len() >= PER_TURN {
                break;
            }
            if claim.claimant == self.address {
                continue;
            }
            let is_attack = self.attack || i == 0;
            if movable(game, i, now) && !has_moved(game, i, is_attack, self.address) {
                let value = value_for(game, lying, i, is_attack);
                actions.extend(bonded_move(game, i, is_attack, value));
            } else if steppable(game, i, now) {
                actions.extend(step_from(game, lying, i, is_attack));
            }
        }
        actions
    }
}

/// Never acts: the honest side must win on clocks alone.
pub struct Staller;

impl Adversary for Staller {
    fn name(&self) -> String {
        "staller".to_owned()
    }

    fn act(
        &mut self,
        _: &GameState,
        _: &dyn TraceProvider,
        _: &mut dyn RngCore,
        _: u64,
    ) -> Vec<Action> {
        Vec::new()
    }
}
