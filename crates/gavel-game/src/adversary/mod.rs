//! The adversary zoo: dishonest players the honest solver must beat, whatever they do.
//!
//! Adversaries only ever pay the exact bond (a wrong bond is rejected before anything else
//! and teaches nothing); everything else — illegal targets, lying witnesses, premature
//! resolution — they may try, and the game must reject it.

mod belief;
mod blunt;
mod freeloader;
mod poison;
mod random;
mod scripted;
mod strategy;

pub use belief::{Belief, BeliefPlayer, Lies};
pub use scripted::draw_script;
pub use strategy::{DEFAULT_HONEST_DEPTH, ParseStrategyError, ScriptedMove, Strategy, ValueChoice};

use crate::solver::Action;
use crate::state::GameState;
use crate::trace::{SharedTrace, TraceProvider};
use alloy_primitives::{Address, B256, Bytes, keccak256};
use rand::RngCore;

/// A dishonest player.
pub trait Adversary: Send {
    /// A short description (strategy and parameters) for reports.
    fn name(&self) -> String;

    /// What the adversary sends at time `now`, given the game, the honest trace (adversaries
    /// know the truth; they choose to lie) and a random source.
    fn act(
        &mut self,
        game: &GameState,
        honest: &dyn TraceProvider,
        rng: &mut dyn RngCore,
        now: u64,
    ) -> Vec<Action>;
}

/// Builds the adversary for `strategy` sending from `address`. `lying` is the dishonest
/// trace liars play (and the dishonest proposer's root comes from); `seed` fixes anything
/// the adversary draws once (a scripted adversary's script when none is given).
pub fn make_adversary(
    strategy: &Strategy,
    address: Address,
    seed: u64,
    lying: SharedTrace,
) -> Box<dyn Adversary> {
    match strategy {
        Strategy::Random => Box::new(random::RandomPlayer::new(address, lying)),
        Strategy::Spammer => Box::new(random::Spammer::new(address, lying)),
        Strategy::AlwaysAttack => Box::new(blunt::Always::new(address, lying, true)),
        Strategy::AlwaysDefend => Box::new(blunt::Always::new(address, lying, false)),
        Strategy::Staller => Box::new(blunt::Staller),
        Strategy::TopLayerLiar => Box::new(BeliefPlayer::new(
            strategy.to_string(),
            address,
            lying,
            Lies::TopLayer,
        )),
        Strategy::BottomLayerLiar => Box::new(BeliefPlayer::new(
            strategy.to_string(),
            address,
            lying,
            Lies::BottomLayer,
        )),
        Strategy::HonestUntilDepth(k) => Box::new(BeliefPlayer::new(
            strategy.to_string(),
            address,
            lying,
            Lies::FromDepth(*k),
        )),
        Strategy::ConsistentLiar => Box::new(BeliefPlayer::new(
            strategy.to_string(),
            address,
            lying,
            Lies::Everywhere,
        )),
        Strategy::Freeloader => Box::new(freeloader::Freeloader::new(address)),
        Strategy::PoisonedPrestate => Box::new(poison::Poisoner::new(address, lying)),
        Strategy::Scripted(script) => {
            Box::new(scripted::Scripted::new(script.clone(), seed, lying))
        }
    }
}

// ---- tactics shared by several adversaries ----

/// Whether claim `i` can still be countered by a move.
fn movable(game: &GameState, i: usize, now: u64) -> bool {
    game.claim(i)
        .is_some_and(|c| c.position.depth() < game.config().max_depth && !game.is_expired(i, now))
}

/// Whether claim `i` can still be countered by a step.
fn steppable(game: &GameState, i: usize, now: u64) -> bool {
    game.claim(i).is_some_and(|c| {
        c.position.depth() == game.config().max_depth
            && c.countered_by.is_none()
            && !game.is_expired(i, now)
    })
}

/// A move against `parent` with the exact bond, or `None` if the move cannot be legal
/// (defending the root, or below the max depth).
fn bonded_move(game: &GameState, parent: usize, is_attack: bool, claim: B256) -> Option<Action> {
    let position = game.claim(parent)?.position.move_(is_attack);
    let legal = position.depth() <= game.config().max_depth && (is_attack || parent != 0);
    legal.then(|| Action::Move {
        parent_index: parent,
        claim,
        is_attack,
        bond: game.config().required_bond(position),
    })
}

/// Whether `who` already countered `parent` in direction `is_attack`.
fn has_moved(game: &GameState, parent: usize, is_attack: bool, who: Address) -> bool {
    let Some(p) = game.claim(parent) else {
        return false;
    };
    let position = p.position.move_(is_attack);
    game.children(parent).iter().any(|&c| {
        let child = &game.claims()[c];
        child.claimant == who && child.position == position
    })
}

/// `trace`'s value for the claim a move against `parent` would make (a hash if it has none).
fn value_for(game: &GameState, trace: &dyn TraceProvider, parent: usize, is_attack: bool) -> B256 {
    let max = game.config().max_depth;
    let Some(p) = game.claim(parent) else {
        return B256::ZERO;
    };
    let position = p.position.move_(is_attack);
    trace
        .claim_at(position, max)
        .unwrap_or_else(|_| keccak256(position.0.to_be_bytes()))
}

/// A step against `claim` with `trace`'s witness for the step the contract would run; the
/// state index is the one the chain requires. `None` when the chain has no such step.
fn step_from(
    game: &GameState,
    trace: &dyn TraceProvider,
    claim: usize,
    is_attack: bool,
) -> Option<Action> {
    let target = game.step_target(claim, is_attack).ok()?;
    let proof = trace.step_witness(target.trace_index).ok()?;
    Some(Action::Step {
        claim_index: claim,
        is_attack,
        state_index: target.state_index(),
        witness: proof.witness,
        post_state: proof.post_state,
    })
}

/// A step against `claim` with a random (almost surely invalid) witness.
fn garbage_step(game: &GameState, rng: &mut dyn RngCore, claim: usize, is_attack: bool) -> Action {
    let mut witness = vec![0u8; 96];
    rng.fill_bytes(&mut witness);
    Action::Step {
        claim_index: claim,
        is_attack,
        state_index: game
            .step_target(claim, is_attack)
            .ok()
            .and_then(|t| t.state_index()),
        witness: Bytes::from(witness),
        post_state: B256::ZERO,
    }
}

/// Whether `trace` agrees with claim `i`'s value.
fn is_true(game: &GameState, trace: &dyn TraceProvider, i: usize) -> bool {
    game.claim(i).is_some_and(|c| {
        trace
            .claim_at(c.position, game.config().max_depth)
            .is_ok_and(|v| v == c.claim)
    })
}

/// A random 32-byte value.
fn random_b256(rng: &mut dyn RngCore) -> B256 {
    let mut b = B256::ZERO;
    rng.fill_bytes(b.as_mut_slice());
    b
}
