//! Random adversaries: arbitrary legal-looking moves, steps and resolution attempts.

use super::{Adversary, bonded_move, garbage_step, movable, random_b256, step_from, value_for};
use crate::solver::Action;
use crate::state::GameState;
use crate::trace::{SharedTrace, TraceProvider};
use alloy_primitives::{Address, B256};
use rand::{Rng, RngCore};

/// A value for a move against `parent`: honest, the lying trace's, random, or a copy.
fn random_value(
    game: &GameState,
    honest: &dyn TraceProvider,
    lying: &dyn TraceProvider,
    rng: &mut dyn RngCore,
    parent: usize,
    is_attack: bool,
) -> B256 {
    match rng.random_range(0..4) {
        0 => value_for(game, honest, parent, is_attack),
        1 => value_for(game, lying, parent, is_attack),
        2 => random_b256(rng),
        _ => game.claims()[rng.random_range(0..game.claims().len())].claim,
    }
}

/// Draws a claim index: usually one that can be moved against, sometimes any index
/// (including one past the end) so the game's rejections get exercised.
fn random_target(game: &GameState, rng: &mut dyn RngCore, now: u64) -> usize {
    let live: Vec<usize> = (0..game.claims().len())
        .filter(|&i| movable(game, i, now))
        .collect();
    if live.is_empty() || rng.random_bool(0.2) {
        rng.random_range(0..=game.claims().len())
    } else {
        live[rng.random_range(0..live.len())]
    }
}

/// Up to three random actions per turn: moves (70%), steps (15%), resolution pokes (15%).
pub struct RandomPlayer {
    address: Address,
    lying: SharedTrace,
}

impl RandomPlayer {
    /// A random player at `address`.
    pub fn new(address: Address, lying: SharedTrace) -> Self {
        RandomPlayer { address, lying }
    }

    fn random_move(
        &self,
        game: &GameState,
        honest: &dyn TraceProvider,
        rng: &mut dyn RngCore,
        now: u64,
    ) -> Action {
        let parent = random_target(game, rng, now);
        let is_attack = parent == 0 || rng.random_bool(0.5);
        let claim = if parent < game.claims().len() {
            random_value(game, honest, &*self.lying, rng, parent, is_attack)
        } else {
            random_b256(rng)
        };
        let bond = game
            .claim(parent)
            .map(|p| game.config().required_bond(p.position.move_(is_attack)))
            .unwrap_or_default();
        Action::Move {
            parent_index: parent,
            claim,
            is_attack,
            bond,
        }
    }

    fn random_step(
        &self,
        game: &GameState,
        honest: &dyn TraceProvider,
        rng: &mut dyn RngCore,
    ) -> Option<Action> {
        let max = game.config().max_depth;
        let leaves: Vec<usize> = (0..game.claims().len())
            .filter(|&i| game.claims()[i].position.depth() == max)
            .collect();
        // Without leaves, try a step against an inner claim (InvalidParent).
        let claim = if leaves.is_empty() {
            rng.random_range(0..game.claims().len())
        } else {
            leaves[rng.random_range(0..leaves.len())]
        };
        let is_attack = rng.random_bool(0.5);
        match rng.random_range(0..3) {
            0 => step_from(game, honest, claim, is_attack),
            1 => step_from(game, &*self.lying, claim, is_attack),
            _ => Some(garbage_step(game, rng, claim, is_attack)),
        }
        .or_else(|| Some(garbage_step(game, rng, claim, is_attack)))
    }

    fn random_poke(&self, game: &GameState, rng: &mut dyn RngCore) -> Action {
        match rng.random_range(0..3) {
            0 => Action::ResolveClaim {
                claim_index: rng.random_range(0..=game.claims().len()),
            },
            1 => Action::Resolve,
            _ => Action::ClaimCredit {
                recipient: self.address,
            },
        }
    }
}

impl Adversary for RandomPlayer {
    fn name(&self) -> String {
        "random".to_owned()
    }

    fn act(
        &mut self,
        game: &GameState,
        honest: &dyn TraceProvider,
        rng: &mut dyn RngCore,
        now: u64,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        for _ in 0..rng.random_range(0..=3) {
            let roll = rng.random_range(0..100);
            if roll < 70 {
                actions.push(self.random_move(game, honest, rng, now));
            } else if roll < 85 {
                actions.extend(self.random_step(game, honest, rng));
            } else {
                actions.push(self.random_poke(game, rng));
            }
        }
        actions
    }
}

/// Most claims a spammer makes over a whole game, so games stay finite and fast.
const SPAM_BUDGET: usize = 150;

/// Floods the game: up to eight moves per turn at random live claims, with lies and noise.
pub struct Spammer {
    address: Address,
    lying: SharedTrace,
}

impl Spammer {
    /// A spammer at `address`.
    pub fn new(address: Address, lying: SharedTrace) -> Self {
        Spammer { address, lying }
    }
}

impl Adversary for Spammer {
    fn name(&self) -> String {
        "spammer".to_owned()
    }

    fn act(
        &mut self,
        game: &GameState,
        _: &dyn TraceProvider,
        rng: &mut dyn RngCore,
        now: u64,
    ) -> Vec<Action> {
        let made = game
            .claims()
            .iter()
            .filter(|c| c.claimant == self.address)
            .count();
        let live: Vec<usize> = (0..game.claims().len())
            .filter(|&i| movable(game, i, now))
            .collect();
        if live.is_empty() {
            return Vec::new();
        }
        let count = rng
            .random_range(1..=8)
            .min(SPAM_BUDGET.saturating_sub(made));
        (0..count)
            .filter_map(|_| {
                let parent = live[rng.random_range(0..live.len())];
                let is_attack = parent == 0 || rng.random_bool(0.5);
                let value = if rng.random_bool(0.5) {
                    value_for(game, &*self.lying, parent, is_attack)
                } else {
                    random_b256(rng)
                };
                bonded_move(game, parent, is_attack, value)
            })
            .collect()
    }
}
