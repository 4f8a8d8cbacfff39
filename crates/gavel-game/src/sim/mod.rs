//! An in-memory game between the honest solver and any number of adversaries, on the Rust
//! mirror: the harness of the property tests, reusable by the fuzzer.
//!
//! Time advances in random ticks shorter than the clock extension and the honest side acts
//! in every tick, so it always answers within the time the protocol guarantees it; the
//! adversaries act in a random order around it. Every action goes through the mirror's
//! checks and rejected ones are dropped (and counted). After the play rounds only the honest
//! side acts: it resolves everything and claims its credit; then every other credit is paid.

mod apply;
mod report;

pub use apply::{Applied, apply_action};
pub use report::{LogEntry, SimReport};

use crate::adversary::{Adversary, Strategy, make_adversary};
use crate::config::{ConfigError, GameConfig};
use crate::error::GameError;
use crate::resolution::resolve_all;
use crate::solver::{Action, HonestSolver};
use crate::state::{ClaimOutcome, GameState, GameStatus};
use crate::toy::{ToyTrace, ToyVerifier};
use crate::trace::{SharedTrace, TraceError, TraceProvider, honest_root};
use crate::verifier::StepVerifier;
use alloy_primitives::{Address, B256, U256, keccak256};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// When the simulated game is created (a realistic timestamp; only differences matter).
pub const GENESIS_TIME: u64 = 1_700_000_000;

/// Upper bound on honest-only ticks after play, far above what resolution needs.
const MAX_WIND_DOWN_TICKS: u32 = 100_000;

/// The honest side's address in simulations.
pub fn honest_address() -> Address {
    Address::repeat_byte(0x11)
}

/// The address of adversary `i` in simulations (adversary 0 proposes a dishonest root).
pub fn adversary_address(i: usize) -> Address {
    let mut bytes = [0u8; 20];
    bytes[0] = 0xad;
    bytes[12..].copy_from_slice(&(i as u64).to_be_bytes());
    Address::from(bytes)
}

/// Everything that decides a simulated game.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimParams {
    /// Game parameters.
    pub config: GameConfig,
    /// Seed of every random choice of the simulation (time, turn order, adversaries).
    pub seed: u64,
    /// The anchor root the toy trace starts from.
    pub starting_root: B256,
    /// Real steps in the toy trace (the rest stutters).
    pub trace_length: u64,
    /// Whether the root claim is the honest final state (else the lying trace's).
    pub honest_root: bool,
    /// Trace index from which the lying trace differs.
    pub divergence: u64,
    /// The adversaries, in order; adversary 0 creates a dishonest root.
    pub adversaries: Vec<Strategy>,
    /// Ticks in which the adversaries act.
    pub play_rounds: u32,
}

impl SimParams {
    /// A toy-VM game with the default configuration and 40 play rounds.
    pub fn toy(
        seed: u64,
        trace_length: u64,
        honest_root: bool,
        divergence: u64,
        adversaries: Vec<Strategy>,
    ) -> Self {
        SimParams {
            config: GameConfig::toy_default(),
            seed,
            starting_root: keccak256(seed.to_be_bytes()),
            trace_length,
            honest_root,
            divergence,
            adversaries,
            play_rounds: 40,
        }
    }
}

/// Why a simulation could not be played.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The configuration is invalid.
    #[error("config: {0}")]
    Config(#[from] ConfigError),
    /// A trace could not be built or queried.
    #[error("trace: {0}")]
    Trace(#[from] TraceError),
    /// The game did not finish (a liveness bug).
    #[error("the game did not finish after {0} honest ticks")]
    Stuck(u32),
}

/// A game in progress between the honest solver and the adversaries.
pub struct Simulation {
    seed: u64,
    play_rounds: u32,
    state: GameState,
    honest: HonestSolver,
    honest_trace: SharedTrace,
    verifier: Box<dyn StepVerifier + Send + Sync>,
    adversaries: Vec<(Address, Box<dyn Adversary>)>,
    rng: ChaCha8Rng,
    now: u64,
    paid: BTreeMap<Address, U256>,
    received: BTreeMap<Address, U256>,
    moves: u64,
    steps: u64,
    rejected: BTreeMap<String, u64>,
    honest_failures: Vec<String>,
    log: Vec<LogEntry>,
}

impl Simulation {
    /// A toy-VM game: the honest trace, a VM-consistent liar diverging at
    /// `params.divergence`, and the toy verifier.
    pub fn new(params: &SimParams) -> Result<Self, SimError> {
        let max = params.config.max_depth;
        let honest = ToyTrace::new(params.starting_root, params.trace_length, max)?;
        let salt = keccak256([b"gavel-liar".as_slice(), &params.seed.to_be_bytes()].concat());
        let lying = ToyTrace::divergent(
            params.starting_root,
            params.trace_length,
            max,
            params.divergence,
            salt,
        )?;
        Self::with_traces(
            params,
            Arc::new(honest),
            Arc::new(lying),
            Box::new(ToyVerifier),
        )
    }

    /// A game over any VM: `honest` and `lying` traces and the matching verifier.
    pub fn with_traces(
        params: &SimParams,
        honest: SharedTrace,
        lying: SharedTrace,
        verifier: Box<dyn StepVerifier + Send + Sync>,
    ) -> Result<Self, SimError> {
        let max = params.config.max_depth;
        let (creator, root) = if params.honest_root || params.adversaries.is_empty() {
            (honest_address(), honest_root(&*honest, max)?)
        } else {
            (adversary_address(0), honest_root(&*lying, max)?)
        };
        let state = GameState::new(
            params.config.clone(),
            honest.absolute_prestate(),
            creator,
            root,
            GENESIS_TIME,
        )?;
        let mut seeds = ChaCha8Rng::seed_from_u64(params.seed ^ 0x5eed_ad5e);
        let adversaries = params
            .adversaries
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let address = adversary_address(i);
                (
                    address,
                    make_adversary(s, address, seeds.random(), lying.clone()),
                )
            })
            .collect();
        let mut paid = BTreeMap::new();
        paid.insert(creator, params.config.required_bond(crate::Position::ROOT));
        Ok(Simulation {
            seed: params.seed,
            play_rounds: params.play_rounds,
            state,
            honest: HonestSolver::new(honest_address()),
            honest_trace: honest,
            verifier,
            adversaries,
            rng: ChaCha8Rng::seed_from_u64(params.seed),
            now: GENESIS_TIME,
            paid,
            received: BTreeMap::new(),
            moves: 0,
            steps: 0,
            rejected: BTreeMap::new(),
            honest_failures: Vec::new(),
            log: Vec::new(),
        })
    }

    /// The game as it stands.
    pub fn state(&self) -> &GameState {
        &self.state
    }

    /// Every action sent so far.
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    /// Plays the game to the end and judges it.
    pub fn run(&mut self) -> Result<SimReport, SimError> {
        // Ticks stay below the extension so every late claim is answered in time (§4).
        let tick = self.state.config().clock_extension.max(1);
        for _ in 0..self.play_rounds {
            self.now += self.rng.random_range(0..tick);
            let mut order: Vec<Option<usize>> = (0..self.adversaries.len()).map(Some).collect();
            order.push(None);
            order.shuffle(&mut self.rng);
            for party in order {
                match party {
                    None => {
                        self.honest_turn();
                    }
                    Some(i) => self.adversary_turn(i),
                }
            }
        }
        self.wind_down()?;
        Ok(self.report())
    }

    fn honest_turn(&mut self) -> bool {
        let trace = &*self.honest_trace;
        let actions = match self.honest.next_actions(&self.state, trace, self.now) {
            Ok(actions) => actions,
            Err(e) => {
                self.honest_failures
                    .push(format!("solver at {}: {e}", self.now));
                self.honest
                    .next_actions_lenient(&self.state, trace, self.now)
            }
        };
        let acted = !actions.is_empty();
        let who = self.honest.address;
        for action in actions {
            if let Err(e) = self.apply(who, action.clone()) {
                self.honest_failures
                    .push(format!("honest {action:?} rejected at {}: {e}", self.now));
            }
        }
        acted
    }

    fn adversary_turn(&mut self, i: usize) {
        let (who, adversary) = &mut self.adversaries[i];
        let who = *who;
        let actions = adversary.act(&self.state, &*self.honest_trace, &mut self.rng, self.now);
        for action in actions {
            if let Err(e) = self.apply(who, action) {
                *self
                    .rejected
                    .entry(e.solidity_name().to_owned())
                    .or_default() += 1;
            }
        }
    }

    fn apply(&mut self, who: Address, action: Action) -> Result<(), GameError> {
        let result = apply_action(&mut self.state, &*self.verifier, who, &action, self.now);
        match &result {
            Ok(Applied::Moved { bond, .. }) => {
                self.moves += 1;
                *self.paid.entry(who).or_default() += *bond;
            }
            Ok(Applied::Stepped) => self.steps += 1,
            Ok(Applied::CreditClaimed { recipient, amount }) => {
                *self.received.entry(*recipient).or_default() += *amount;
            }
            Ok(_) | Err(_) => {}
        }
        let logged = result.clone().map_err(|e| e.solidity_name().to_owned());
        self.log.push(LogEntry {
            time: self.now,
            actor: who,
            action,
            result: logged,
        });
        result.map(|_| ())
    }

    /// Honest-only ticks until the game is resolved and the honest credit paid, jumping
    /// straight to the next expiry when there is nothing to do; then pays everyone else.
    fn wind_down(&mut self) -> Result<(), SimError> {
        let honest = self.honest.address;
        for _ in 0..MAX_WIND_DOWN_TICKS {
            let acted = self.honest_turn();
            let resolved_at = self.state.resolved_at();
            if let Some(at) = resolved_at
                && self.state.credit(honest).is_zero()
                && self.now >= at + self.state.config().withdrawal_delay
            {
                let owed: Vec<Address> = self.state.credits().keys().copied().collect();
                for who in owed {
                    // Anyone may trigger a payout; the simulation does it for the others.
                    let _ = self.apply(who, Action::ClaimCredit { recipient: who });
                }
                return Ok(());
            }
            if !acted {
                self.now = self.next_event().max(self.now + 1);
            }
        }
        Err(SimError::Stuck(MAX_WIND_DOWN_TICKS))
    }

    /// The next time something becomes possible: a clock running out or the payout delay.
    fn next_event(&self) -> u64 {
        let max = self.state.config().max_clock_duration;
        let expiries = (0..self.state.claims().len())
            .filter(|&i| self.state.outcome(i).is_none())
            .filter_map(|i| {
                let used = self.state.challenger_duration(i, self.now).ok()?;
                (used < max).then(|| self.now + (max - used))
            });
        let payout = self
            .state
            .resolved_at()
            .map(|at| at + self.state.config().withdrawal_delay);
        expiries
            .chain(payout)
            .filter(|&t| t > self.now)
            .min()
            .unwrap_or(self.now + 1)
    }

    fn report(&self) -> SimReport {
        let honest = self.honest.address;
        let sum = |m: &BTreeMap<Address, U256>| m.values().fold(U256::ZERO, |a, b| a + b);
        let outcomes: Vec<Option<ClaimOutcome>> = (0..self.state.claims().len())
            .map(|i| self.state.outcome(i).cloned())
            .collect();
        let full = resolve_all(&self.state);
        let resolution_matches = outcomes
            .iter()
            .zip(&full.per_claim)
            .all(|(o, f)| o.as_ref() == Some(f))
            && self.state.status() == full.status;
        let honest_value = honest_root(&*self.honest_trace, self.state.config().max_depth).ok();
        let expected = if honest_value == Some(self.state.root_claim()) {
            GameStatus::DefenderWins
        } else {
            GameStatus::ChallengerWins
        };
        SimReport {
            seed: self.seed,
            expected,
            status: self.state.status(),
            honest_paid: self.paid.get(&honest).copied().unwrap_or_default(),
            honest_received: self.received.get(&honest).copied().unwrap_or_default(),
            total_paid: sum(&self.paid),
            total_paid_out: sum(&self.received),
            final_balance: self.state.balance(),
            claims: self.state.claims().len(),
            moves: self.moves,
            steps: self.steps,
            rejected: self.rejected.clone(),
            honest_failures: self.honest_failures.clone(),
            resolution_matches,
            adversaries: self.adversaries.iter().map(|(_, a)| a.name()).collect(),
        }
    }
}
