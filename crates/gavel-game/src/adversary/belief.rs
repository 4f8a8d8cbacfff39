//! Consistent liars: the honest algorithm played over a trace that lies at chosen depths.

use super::Adversary;
use crate::position::Position;
use crate::solver::{Action, HonestSolver};
use crate::state::GameState;
use crate::trace::{SharedTrace, StepProof, TraceError, TraceProvider};
use alloy_primitives::{Address, B256};
use rand::RngCore;

/// At which depths a belief takes the lying trace's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lies {
    /// Every depth.
    Everywhere,
    /// Depths `≤ SPLIT_DEPTH`.
    TopLayer,
    /// Depths `> SPLIT_DEPTH`.
    BottomLayer,
    /// Depths `≥ k`.
    FromDepth(u32),
}

/// What a dishonest player pretends the trace is: the lying trace at the depths it lies at,
/// the honest one elsewhere. Steps use the trace of the max depth.
pub struct Belief<'a> {
    honest: &'a dyn TraceProvider,
    lying: &'a dyn TraceProvider,
    lies: Lies,
    split_depth: u32,
    max_depth: u32,
}

impl<'a> Belief<'a> {
    /// A belief for a game with the given split and max depth.
    pub fn new(
        honest: &'a dyn TraceProvider,
        lying: &'a dyn TraceProvider,
        lies: Lies,
        split_depth: u32,
        max_depth: u32,
    ) -> Self {
        Belief {
            honest,
            lying,
            lies,
            split_depth,
            max_depth,
        }
    }

    fn at(&self, depth: u32) -> &'a dyn TraceProvider {
        let lie = match self.lies {
            Lies::Everywhere => true,
            Lies::TopLayer => depth <= self.split_depth,
            Lies::BottomLayer => depth > self.split_depth,
            Lies::FromDepth(k) => depth >= k,
        };
        if lie { self.lying } else { self.honest }
    }
}

impl TraceProvider for Belief<'_> {
    fn absolute_prestate(&self) -> B256 {
        self.honest.absolute_prestate()
    }

    fn state_at(&self, trace_index: u64) -> Result<B256, TraceError> {
        self.at(self.max_depth).state_at(trace_index)
    }

    fn claim_at(&self, pos: Position, max_depth: u32) -> Result<B256, TraceError> {
        self.at(pos.depth()).claim_at(pos, max_depth)
    }

    fn step_witness(&self, trace_index: u64) -> Result<StepProof, TraceError> {
        self.at(self.max_depth).step_witness(trace_index)
    }
}

/// Plays the honest solver's algorithm over a [`Belief`], skipping what it cannot win.
pub struct BeliefPlayer {
    name: String,
    solver: HonestSolver,
    lying: SharedTrace,
    lies: Lies,
}

impl BeliefPlayer {
    /// A player named `name` at `address` lying with `lying` at the depths `lies` selects.
    pub fn new(name: String, address: Address, lying: SharedTrace, lies: Lies) -> Self {
        BeliefPlayer {
            name,
            solver: HonestSolver::new(address),
            lying,
            lies,
        }
    }
}

impl Adversary for BeliefPlayer {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn act(
        &mut self,
        game: &GameState,
        honest: &dyn TraceProvider,
        _: &mut dyn RngCore,
        now: u64,
    ) -> Vec<Action> {
        let config = game.config();
        let belief = Belief::new(
            honest,
            &*self.lying,
            self.lies,
            config.split_depth,
            config.max_depth,
        );
        self.solver.next_actions_lenient(game, &belief, now)
    }
}
