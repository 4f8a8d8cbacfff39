//! The game state and the move/step rules, mirroring `FaultDisputeGame` call by call
//! (docs/protocol.md §3–§6, check order of §11). Resolution lives in `resolution.rs`.

use crate::clock::{challenger_duration, next_duration};
use crate::config::{ConfigError, GameConfig};
use crate::error::GameError;
use crate::position::Position;
use crate::verifier::StepVerifier;
use alloy_primitives::{Address, B256, U256, keccak256};
use alloy_sol_types::SolValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The status of a game; discriminants match Solidity's `GameStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum GameStatus {
    /// Moves, steps and resolution are possible.
    InProgress = 0,
    /// The root claim was countered.
    ChallengerWins = 1,
    /// The root claim stood.
    DefenderWins = 2,
}

impl GameStatus {
    /// The status for a Solidity `uint8`, if valid.
    pub fn from_u8(v: u8) -> Option<GameStatus> {
        match v {
            0 => Some(GameStatus::InProgress),
            1 => Some(GameStatus::ChallengerWins),
            2 => Some(GameStatus::DefenderWins),
            _ => None,
        }
    }
}

/// One claim: what the contract stores for it plus what its `Move` event carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimData {
    /// The claim this one counters (`None` for the root).
    pub parent_index: Option<usize>,
    /// Who made (and bonded) the claim.
    pub claimant: Address,
    /// The claimed state commitment.
    pub claim: B256,
    /// Where the claim sits in the tree.
    pub position: Position,
    /// Seconds the claimant's side had used when the claim was made.
    pub clock_duration: u64,
    /// When the claim was made.
    pub clock_timestamp: u64,
    /// How many claims counter this one by a move.
    pub child_count: u32,
    /// Who countered this max-depth claim by a step.
    pub countered_by: Option<Address>,
}

impl ClaimData {
    /// The stored digest `keccak256(abi.encode(bytes32 claim, address claimant))`.
    pub fn digest(&self) -> B256 {
        claim_digest(self.claim, self.claimant)
    }
}

/// `keccak256(abi.encode(claim, claimant))`, the value `claimDigest[i]` stores.
pub fn claim_digest(claim: B256, claimant: Address) -> B256 {
    keccak256((claim, claimant).abi_encode())
}

/// The result of a resolved subgame (`ClaimResolved` event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimOutcome {
    /// Whether the claim fell (stepped against, or a child stands).
    pub countered: bool,
    /// Who receives the claim's bond.
    pub recipient: Address,
    /// The claim's bond.
    pub bond: U256,
}

/// Which claims a step against a max-depth claim uses (§6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTarget {
    /// Whether the step attacks (`true`) or defends the claim.
    pub is_attack: bool,
    /// The claim holding the pre-state; `None` means the absolute prestate.
    pub pre_state_index: Option<usize>,
    /// The claim holding the post-state the verifier's result is compared with.
    pub post_index: usize,
    /// The trace index of the step the verifier runs (pre `s_t` to post `s_{t+1}`).
    pub trace_index: u64,
    /// Whether the post claim is on the same side as the stepped claim.
    pub parent_post_agree: bool,
}

impl StepTarget {
    /// The claim index the caller passes as `stateIndex`: the chain claim that is not the
    /// stepped claim itself (`None` for an attack at trace index 0, where it is ignored).
    pub fn state_index(&self) -> Option<usize> {
        if self.is_attack {
            self.pre_state_index
        } else {
            Some(self.post_index)
        }
    }
}

/// A game as the contract holds it, plus the per-claim data its events carry.
///
/// Fields are private: every change goes through a method that applies the contract's
/// checks, so a `GameState` is always one the contract could be in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameState {
    config: GameConfig,
    root_claim: B256,
    absolute_prestate: B256,
    creator: Address,
    created_at: u64,
    claims: Vec<ClaimData>,
    children: Vec<Vec<usize>>,
    outcomes: Vec<Option<ClaimOutcome>>,
    status: GameStatus,
    resolved_at: Option<u64>,
    credits: BTreeMap<Address, U256>,
    balance: U256,
}

impl GameState {
    /// Creates a game as `initialize` does: the root claim by `creator`, who pays `bond(ROOT)`.
    pub fn new(
        config: GameConfig,
        absolute_prestate: B256,
        creator: Address,
        root_claim: B256,
        now: u64,
    ) -> Result<GameState, ConfigError> {
        config.validate()?;
        let root = ClaimData {
            parent_index: None,
            claimant: creator,
            claim: root_claim,
            position: Position::ROOT,
            clock_duration: 0,
            clock_timestamp: now,
            child_count: 0,
            countered_by: None,
        };
        let balance = config.required_bond(Position::ROOT);
        Ok(GameState {
            config,
            root_claim,
            absolute_prestate,
            creator,
            created_at: now,
            claims: vec![root],
            children: vec![Vec::new()],
            outcomes: vec![None],
            status: GameStatus::InProgress,
            resolved_at: None,
            credits: BTreeMap::new(),
            balance,
        })
    }

    /// The game's parameters.
    pub fn config(&self) -> &GameConfig {
        &self.config
    }
    /// The root claim's value.
    pub fn root_claim(&self) -> B256 {
        self.root_claim
    }
    /// The state before the first step.
    pub fn absolute_prestate(&self) -> B256 {
        self.absolute_prestate
    }
    /// Who created the game (and made the root claim).
    pub fn creator(&self) -> Address {
        self.creator
    }
    /// When the game was created.
    pub fn created_at(&self) -> u64 {
        self.created_at
    }
    /// Every claim, by index (the root is 0).
    pub fn claims(&self) -> &[ClaimData] {
        &self.claims
    }
    /// Claim `i`, if it exists.
    pub fn claim(&self, i: usize) -> Option<&ClaimData> {
        self.claims.get(i)
    }
    /// The indices of the claims that countered claim `i` by a move, in index order.
    pub fn children(&self, i: usize) -> &[usize] {
        self.children.get(i).map_or(&[], Vec::as_slice)
    }
    /// The subgame result of claim `i`, once resolved.
    pub fn outcome(&self, i: usize) -> Option<&ClaimOutcome> {
        self.outcomes.get(i).and_then(Option::as_ref)
    }
    /// The game status.
    pub fn status(&self) -> GameStatus {
        self.status
    }
    /// When `resolve` succeeded.
    pub fn resolved_at(&self) -> Option<u64> {
        self.resolved_at
    }
    /// Unclaimed credit of every recipient.
    pub fn credits(&self) -> &BTreeMap<Address, U256> {
        &self.credits
    }
    /// Unclaimed credit of `who`.
    pub fn credit(&self, who: Address) -> U256 {
        self.credits.get(&who).copied().unwrap_or_default()
    }
    /// Wei held by the game: bonds paid in minus credits paid out.
    pub fn balance(&self) -> U256 {
        self.balance
    }

    /// `getChallengerDuration(i)`: the time used by whoever would counter claim `i`.
    pub fn challenger_duration(&self, i: usize, now: u64) -> Result<u64, GameError> {
        let claim = self.claims.get(i).ok_or(GameError::InvalidClaimRef)?;
        let parent_duration = claim
            .parent_index
            .and_then(|p| self.claims.get(p))
            .map_or(0, |p| p.clock_duration);
        Ok(challenger_duration(
            &self.config,
            parent_duration,
            claim.clock_timestamp,
            now,
        ))
    }

    /// Whether nobody can counter claim `i` any more (its challenger's clock ran out).
    pub fn is_expired(&self, i: usize, now: u64) -> bool {
        self.challenger_duration(i, now)
            .is_ok_and(|d| d >= self.config.max_clock_duration)
    }

    /// `move`: counters claim `parent_index` with `claim` at `move(parent, is_attack)`,
    /// paying `bond`. Returns the new claim's index.
    pub fn apply_move(
        &mut self,
        parent_index: usize,
        claim: B256,
        is_attack: bool,
        claimant: Address,
        bond: U256,
        now: u64,
    ) -> Result<usize, GameError> {
        if self.status != GameStatus::InProgress {
            return Err(GameError::GameNotInProgress);
        }
        let parent = self
            .claims
            .get(parent_index)
            .ok_or(GameError::InvalidDisputedClaimIndex)?;
        let position = parent.position.move_(is_attack);
        if position.depth() > self.config.max_depth {
            return Err(GameError::GameDepthExceeded);
        }
        if parent_index == 0 && !is_attack {
            return Err(GameError::CannotDefendRootClaim);
        }
        if bond != self.config.required_bond(position) {
            return Err(GameError::IncorrectBondAmount);
        }
        let challenger = self.challenger_duration(parent_index, now)?;
        if challenger >= self.config.max_clock_duration {
            return Err(GameError::ClockTimeExceeded);
        }
        let index = self.claims.len();
        self.claims.push(ClaimData {
            parent_index: Some(parent_index),
            claimant,
            claim,
            position,
            clock_duration: next_duration(&self.config, challenger, position.depth()),
            clock_timestamp: now,
            child_count: 0,
            countered_by: None,
        });
        self.children.push(Vec::new());
        self.outcomes.push(None);
        self.children[parent_index].push(index);
        self.claims[parent_index].child_count =
            self.claims[parent_index].child_count.saturating_add(1);
        self.balance += bond;
        Ok(index)
    }

    /// Finds the claims a step against max-depth claim `claim_index` uses (§6), by walking
    /// parent links from the claim's parent up to the required trace ancestor.
    pub fn step_target(
        &self,
        claim_index: usize,
        is_attack: bool,
    ) -> Result<StepTarget, GameError> {
        let claim = self
            .claims
            .get(claim_index)
            .ok_or(GameError::InvalidClaimRef)?;
        let max = self.config.max_depth;
        if claim.position.depth() != max {
            return Err(GameError::InvalidParent);
        }
        let t = claim.position.trace_index(max);
        if is_attack {
            let pre_state_index = if t == 0 {
                None
            } else {
                let wanted = Position(claim.position.0 - 1).trace_ancestor();
                Some(self.find_ancestor(claim.parent_index, wanted)?)
            };
            Ok(StepTarget {
                is_attack,
                pre_state_index,
                post_index: claim_index,
                trace_index: t,
                parent_post_agree: true,
            })
        } else {
            let wanted = Position(claim.position.0 + 1).trace_ancestor();
            let post_index = self.find_ancestor(claim.parent_index, wanted)?;
            let post_depth = self.claims[post_index].position.depth();
            Ok(StepTarget {
                is_attack,
                pre_state_index: Some(claim_index),
                post_index,
                trace_index: t + 1,
                parent_post_agree: (max - post_depth).is_multiple_of(2),
            })
        }
    }

    /// The first claim at `wanted` on the parent chain starting at `start`.
    fn find_ancestor(&self, start: Option<usize>, wanted: Position) -> Result<usize, GameError> {
        let mut cursor = start;
        while let Some(i) = cursor {
            let claim = &self.claims[i];
            if claim.position == wanted {
                return Ok(i);
            }
            cursor = claim.parent_index;
        }
        Err(GameError::InvalidPrestate)
    }

    /// The pre-state commitment a step target starts from.
    pub fn pre_state(&self, target: &StepTarget) -> B256 {
        target
            .pre_state_index
            .map_or(self.absolute_prestate, |i| self.claims[i].claim)
    }

    /// Every check `step` makes before calling the verifier, in contract order (§11).
    /// `state_index` is the caller's `stateIndex`; it is ignored for an attack at trace 0.
    pub fn check_step(
        &self,
        claim_index: usize,
        is_attack: bool,
        state_index: Option<usize>,
        now: u64,
    ) -> Result<StepTarget, GameError> {
        if self.status != GameStatus::InProgress {
            return Err(GameError::GameNotInProgress);
        }
        let claim = self
            .claims
            .get(claim_index)
            .ok_or(GameError::InvalidClaimRef)?;
        if claim.position.depth() != self.config.max_depth {
            return Err(GameError::InvalidParent);
        }
        if claim.countered_by.is_some() {
            return Err(GameError::DuplicateStep);
        }
        if self.is_expired(claim_index, now) {
            return Err(GameError::ClockTimeExceeded);
        }
        let target = self.step_target(claim_index, is_attack)?;
        let needs_state = !(is_attack && target.pre_state_index.is_none());
        if needs_state && state_index != target.state_index() {
            return Err(GameError::InvalidPrestate);
        }
        Ok(target)
    }

    /// `step`: checks, runs `verifier` on the pre-state and `witness`, and records `stepper`
    /// as the counter of `claim_index` if the result disagrees with the claim (§6).
    #[allow(clippy::too_many_arguments)] // mirrors the contract call plus caller and time
    pub fn step(
        &mut self,
        claim_index: usize,
        is_attack: bool,
        state_index: Option<usize>,
        witness: &[u8],
        verifier: &dyn StepVerifier,
        stepper: Address,
        now: u64,
    ) -> Result<(), GameError> {
        let target = self.check_step(claim_index, is_attack, state_index, now)?;
        let post = verifier.step(self.pre_state(&target), target.trace_index, witness)?;
        self.finish_step(claim_index, &target, post, stepper)
    }

    /// `step` with the verifier's result already computed (`computed_post`), e.g. when the
    /// game is rebuilt from `Step` events. The state claim is the one the chain requires.
    pub fn apply_step(
        &mut self,
        claim_index: usize,
        is_attack: bool,
        computed_post: B256,
        stepper: Address,
        now: u64,
    ) -> Result<(), GameError> {
        // Checks before the state claim first, so errors come in contract order.
        let state_index = self
            .step_target(claim_index, is_attack)
            .ok()
            .and_then(|t| t.state_index());
        let target = self.check_step(claim_index, is_attack, state_index, now)?;
        self.finish_step(claim_index, &target, computed_post, stepper)
    }

    /// Records a step the contract already accepted (a `Step` event, which does not say
    /// whether it attacked or defended): only the checks that do not depend on the direction
    /// or the time are repeated, so a replay from events cannot drift from the chain.
    pub fn record_step(&mut self, claim_index: usize, stepper: Address) -> Result<(), GameError> {
        if self.status != GameStatus::InProgress {
            return Err(GameError::GameNotInProgress);
        }
        let claim = self
            .claims
            .get_mut(claim_index)
            .ok_or(GameError::InvalidClaimRef)?;
        if claim.position.depth() != self.config.max_depth {
            return Err(GameError::InvalidParent);
        }
        if claim.countered_by.is_some() {
            return Err(GameError::DuplicateStep);
        }
        claim.countered_by = Some(stepper);
        Ok(())
    }

    fn finish_step(
        &mut self,
        claim_index: usize,
        target: &StepTarget,
        computed_post: B256,
        stepper: Address,
    ) -> Result<(), GameError> {
        let respected = computed_post == self.claims[target.post_index].claim;
        if target.parent_post_agree == respected {
            return Err(GameError::ValidStep);
        }
        self.claims[claim_index].countered_by = Some(stepper);
        Ok(())
    }

    // ---- used by resolution.rs ----

    pub(crate) fn set_outcome(&mut self, i: usize, outcome: ClaimOutcome) {
        *self.credits.entry(outcome.recipient).or_default() += outcome.bond;
        self.outcomes[i] = Some(outcome);
    }

    pub(crate) fn finish(&mut self, status: GameStatus, now: u64) {
        self.status = status;
        self.resolved_at = Some(now);
    }

    pub(crate) fn take_credit(&mut self, who: Address) -> U256 {
        let amount = self.credits.remove(&who).unwrap_or_default();
        self.balance = self.balance.saturating_sub(amount);
        amount
    }
}
