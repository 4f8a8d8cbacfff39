//! The honest player (docs/protocol.md §8): pure, from the claims of a game and the honest
//! trace to the moves, steps, resolutions and payouts the honest side must send now.

use crate::error::GameError;
use crate::position::Position;
use crate::state::{GameState, GameStatus};
use crate::trace::{TraceError, TraceProvider};
use alloy_primitives::{Address, B256, Bytes, U256};
use serde::{Deserialize, Serialize};

pub use crate::trace::honest_root;

/// One transaction a player wants to send to the game.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// `move(digest(parent), parent_index, claim, is_attack)` paying `bond`.
    Move {
        /// The claim countered.
        parent_index: usize,
        /// The new claim's value.
        claim: B256,
        /// Attack (disagree with the parent) or defend (agree, disagree with its successor).
        is_attack: bool,
        /// The bond paid.
        bond: U256,
    },
    /// `step(claim_index, is_attack, …, state_index, …, witness)`.
    Step {
        /// The max-depth claim countered.
        claim_index: usize,
        /// Attack-step or defend-step.
        is_attack: bool,
        /// The chain claim at the other end of the step (`None` for an attack at trace 0).
        state_index: Option<usize>,
        /// The verifier witness.
        witness: Bytes,
        /// The post-state the sender expects the verifier to compute (not sent on-chain).
        post_state: B256,
    },
    /// `resolveClaim(claim_index, …)` with all children in one page.
    ResolveClaim {
        /// The claim whose subgame is resolved.
        claim_index: usize,
    },
    /// `resolve()`.
    Resolve,
    /// `claimCredit(recipient)`.
    ClaimCredit {
        /// Who is paid.
        recipient: Address,
    },
}

/// Why the solver cannot decide.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SolverError {
    /// The game starts from another prestate than the trace: it disputes a different trace.
    #[error("game prestate {game} is not the trace's prestate {trace}")]
    PrestateMismatch {
        /// The game's absolute prestate.
        game: B256,
        /// The trace's absolute prestate.
        trace: B256,
    },
    /// The trace could not answer.
    #[error("trace: {0}")]
    Trace(#[from] TraceError),
    /// A step would start from a chain claim the honest trace disagrees with (§8 rule 5).
    #[error(
        "step against claim {claim_index} would start from {found}, the honest pre-state is {expected}"
    )]
    PoisonedPrestate {
        /// The claim the step would counter.
        claim_index: usize,
        /// The honest pre-state.
        expected: B256,
        /// The pre-state in the chain.
        found: B256,
    },
    /// The honest step would not counter the claim (cannot happen on an honest path).
    #[error("the honest step against claim {claim_index} would not counter it")]
    UnwinnableStep {
        /// The claim.
        claim_index: usize,
    },
    /// The game rejected a query (cannot happen for a consistent game).
    #[error("game: {0}")]
    Game(#[from] GameError),
}

/// The honest player at `address`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HonestSolver {
    /// The address the honest side sends from; its claims are honest by construction.
    pub address: Address,
}

impl HonestSolver {
    /// A solver sending from `address`.
    pub fn new(address: Address) -> Self {
        HonestSolver { address }
    }

    /// Everything the honest side should send at time `now`, in order: counters to every
    /// live threat, then the resolutions that have become possible, then its payout.
    pub fn next_actions(
        &self,
        game: &GameState,
        trace: &dyn TraceProvider,
        now: u64,
    ) -> Result<Vec<Action>, SolverError> {
        if game.absolute_prestate() != trace.absolute_prestate() {
            return Err(SolverError::PrestateMismatch {
                game: game.absolute_prestate(),
                trace: trace.absolute_prestate(),
            });
        }
        let mut actions = Vec::new();
        for threat in self.threats(game, trace)? {
            if let Some(action) = self.counter(game, trace, threat, now)? {
                actions.push(action);
            }
        }
        actions.extend(resolution_actions(game, self.address, now));
        Ok(actions)
    }

    /// Like [`next_actions`](Self::next_actions) but skipping every counter that fails
    /// instead of failing, and standing by its own root even where `trace` disagrees with it:
    /// how a dishonest player uses the same algorithm over a lying belief.
    pub fn next_actions_lenient(
        &self,
        game: &GameState,
        trace: &dyn TraceProvider,
        now: u64,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        for threat in self.threats_in(game, trace, true).unwrap_or_default() {
            if let Ok(Some(action)) = self.counter(game, trace, threat, now) {
                actions.push(action);
            }
        }
        actions.extend(resolution_actions(game, self.address, now));
        actions
    }

    /// `H` of §8 rule 1, by claim index: the root if the trace agrees with it, and every claim
    /// this solver made.
    pub fn honest_claims(
        &self,
        game: &GameState,
        trace: &dyn TraceProvider,
    ) -> Result<Vec<bool>, SolverError> {
        self.claims_held(game, trace, false)
    }

    /// The threats of §8 rule 2 in index order: a dishonest root, and every claim countering
    /// an honest one, except the solver's own claims.
    pub fn threats(
        &self,
        game: &GameState,
        trace: &dyn TraceProvider,
    ) -> Result<Vec<usize>, SolverError> {
        self.threats_in(game, trace, false)
    }

    /// The claims this player stands by; `loyal` adds its own root whatever its value.
    fn claims_held(
        &self,
        game: &GameState,
        trace: &dyn TraceProvider,
        loyal: bool,
    ) -> Result<Vec<bool>, SolverError> {
        let root_held = agrees(game, trace, 0)? || (loyal && game.creator() == self.address);
        Ok(game
            .claims()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    root_held
                } else {
                    c.claimant == self.address
                }
            })
            .collect())
    }

    fn threats_in(
        &self,
        game: &GameState,
        trace: &dyn TraceProvider,
        loyal: bool,
    ) -> Result<Vec<usize>, SolverError> {
        let held = self.claims_held(game, trace, loyal)?;
        Ok(game
            .claims()
            .iter()
            .enumerate()
            .filter(|&(i, c)| {
                let countering_held = c.parent_index.is_some_and(|p| held[p]);
                !held[i] && (i == 0 || countering_held)
            })
            .map(|(i, _)| i)
            .collect())
    }

    /// The counter to threat `i` (rules 3–4), or `None` when it is already countered by this
    /// solver or can no longer be countered.
    fn counter(
        &self,
        game: &GameState,
        trace: &dyn TraceProvider,
        i: usize,
        now: u64,
    ) -> Result<Option<Action>, SolverError> {
        if game.is_expired(i, now) {
            return Ok(None);
        }
        let claim = &game.claims()[i];
        let max = game.config().max_depth;
        let agree = agrees(game, trace, i)?;
        if claim.position.depth() < max {
            let is_attack = !agree;
            let position = claim.position.move_(is_attack);
            if self.already_moved(game, i, position) {
                return Ok(None);
            }
            return Ok(Some(Action::Move {
                parent_index: i,
                claim: trace.claim_at(position, max)?,
                is_attack,
                bond: game.config().required_bond(position),
            }));
        }
        if claim.countered_by.is_some() {
            return Ok(None);
        }
        let is_attack = !agree;
        let target = game.step_target(i, is_attack)?;
        let proof = trace.step_witness(target.trace_index)?;
        let found = game.pre_state(&target);
        if found != proof.pre_state {
            return Err(SolverError::PoisonedPrestate {
                claim_index: i,
                expected: proof.pre_state,
                found,
            });
        }
        let post_claim = game.claims()[target.post_index].claim;
        if target.parent_post_agree == (proof.post_state == post_claim) {
            return Err(SolverError::UnwinnableStep { claim_index: i });
        }
        Ok(Some(Action::Step {
            claim_index: i,
            is_attack,
            state_index: target.state_index(),
            witness: proof.witness,
            post_state: proof.post_state,
        }))
    }

    fn already_moved(&self, game: &GameState, parent: usize, position: Position) -> bool {
        game.children(parent).iter().any(|&c| {
            let child = &game.claims()[c];
            child.claimant == self.address && child.position == position
        })
    }
}

/// Whether `trace` agrees with the value of claim `i`.
pub fn agrees(game: &GameState, trace: &dyn TraceProvider, i: usize) -> Result<bool, SolverError> {
    let claim = game.claim(i).ok_or(GameError::InvalidClaimRef)?;
    Ok(trace.claim_at(claim.position, game.config().max_depth)? == claim.claim)
}

/// The resolution work possible at `now` (rule 7): every subgame whose clock ran out and
/// whose children are resolved, bottom-up; then `resolve`; then `who`'s payout once the
/// withdrawal delay has passed. Planned on a scratch copy so each action is valid after the
/// ones before it.
pub fn resolution_actions(game: &GameState, who: Address, now: u64) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut scratch = game.clone();
    if scratch.status() == GameStatus::InProgress {
        // Descending index order visits every child before its parent.
        for i in (0..scratch.claims().len()).rev() {
            if scratch.outcome(i).is_none() && scratch.resolve_claim(i, now).is_ok() {
                actions.push(Action::ResolveClaim { claim_index: i });
            }
        }
        if scratch.resolve(now).is_ok() {
            actions.push(Action::Resolve);
        }
    }
    if scratch.claim_credit(who, now).is_ok() {
        actions.push(Action::ClaimCredit { recipient: who });
    }
    actions
}
