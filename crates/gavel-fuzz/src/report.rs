//! What a fuzzing run found, per game and in total.

use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The outcome of one played game.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GameReport {
    /// The scenario that was played.
    pub scenario: Scenario,
    /// Whether the root resolved the honest way.
    pub honest_won: bool,
    /// Wei the honest side paid in bonds and did not get back (0 when it lost nothing).
    pub honest_bond_loss: String,
    /// Moves accepted by the game contract.
    pub moves: u64,
    /// Steps accepted by the game contract.
    pub steps: u64,
    /// Actions the contract rejected (adversaries trying illegal things), all of which the
    /// Rust mirror rejected with the same error.
    pub rejected: u64,
    /// The rejected actions by custom error name.
    pub rejected_by_error: BTreeMap<String, u64>,
    /// Total L1 gas of every accepted transaction of the game.
    pub gas: u64,
    /// Every broken property, in words (empty when the game is clean).
    pub violations: Vec<String>,
}

impl GameReport {
    /// Whether every property held in this game.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }
}

/// A failed game, with what it takes to replay it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GameFailure {
    /// Index of the game in the run.
    pub index: u64,
    /// The game's own seed (`gavel fuzz --game-seed`).
    pub game_seed: u64,
    /// The scenario.
    pub scenario: Scenario,
    /// What went wrong.
    pub violations: Vec<String>,
}

/// The summary of a run; the CLI prints it as a table and, with `--json`, as one JSON line.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FuzzReport {
    /// VM the games ran on.
    pub vm: String,
    /// The run seed.
    pub seed: u64,
    /// Games played.
    pub games: u64,
    /// Games whose root resolved the honest way.
    pub honest_wins: u64,
    /// Games in which the honest side lost any bond.
    pub honest_bond_losses: u64,
    /// Games in which any property failed (mirror disagreement, ETH not conserved, ...).
    pub failed_games: u64,
    /// Games with an honest root claim.
    pub honest_roots: u64,
    /// Every adversary strategy that played at least once.
    pub adversary_strategies: Vec<String>,
    /// How many adversary seats each strategy took.
    pub strategy_counts: BTreeMap<String, u64>,
    /// Accepted moves over all games.
    pub moves: u64,
    /// Accepted steps over all games.
    pub steps: u64,
    /// Actions rejected by the contract (and by the mirror, identically).
    pub rejected_actions: u64,
    /// Rejected actions by custom error name.
    pub rejected_by_error: BTreeMap<String, u64>,
    /// L1 gas over all games.
    pub l1_gas_total: u64,
    /// Wall-clock seconds of the run.
    pub elapsed_secs: f64,
    /// Games per second.
    pub games_per_sec: f64,
    /// Failed games (at most the first 20).
    pub failures: Vec<GameFailure>,
}

impl FuzzReport {
    /// An empty report for a run.
    pub fn new(vm: &str, seed: u64) -> Self {
        Self {
            vm: vm.to_owned(),
            seed,
            ..Self::default()
        }
    }

    /// Adds one game.
    pub fn record(&mut self, index: u64, game: &GameReport) {
        self.games += 1;
        self.honest_wins += u64::from(game.honest_won);
        self.honest_bond_losses += u64::from(game.honest_bond_loss != "0");
        self.honest_roots += u64::from(game.scenario.honest_root);
        self.moves += game.moves;
        self.steps += game.steps;
        self.rejected_actions += game.rejected;
        self.l1_gas_total += game.gas;
        for (error, count) in &game.rejected_by_error {
            *self.rejected_by_error.entry(error.clone()).or_default() += count;
        }
        for strategy in &game.scenario.adversaries {
            *self
                .strategy_counts
                .entry(strategy.to_string())
                .or_default() += 1;
        }
        self.adversary_strategies = self.strategy_counts.keys().cloned().collect();
        if !game.is_clean() {
            self.failed_games += 1;
            if self.failures.len() < 20 {
                self.failures.push(GameFailure {
                    index,
                    game_seed: game.scenario.game_seed,
                    scenario: game.scenario.clone(),
                    violations: game.violations.clone(),
                });
            }
        }
    }

    /// Sets the timing figures.
    pub fn finish(&mut self, elapsed_secs: f64) {
        self.elapsed_secs = elapsed_secs;
        self.games_per_sec = if elapsed_secs > 0.0 {
            self.games as f64 / elapsed_secs
        } else {
            0.0
        };
    }

    /// Whether the run found nothing wrong.
    pub fn passed(&self) -> bool {
        self.failed_games == 0 && self.honest_wins == self.games && self.honest_bond_losses == 0
    }
}

impl fmt::Display for FuzzReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| metric | value |")?;
        writeln!(f, "|---|---|")?;
        let rows: [(&str, String); 12] = [
            ("vm", self.vm.clone()),
            ("seed", self.seed.to_string()),
            ("games", self.games.to_string()),
            ("honest wins", self.honest_wins.to_string()),
            ("honest bond losses", self.honest_bond_losses.to_string()),
            ("failed games", self.failed_games.to_string()),
            ("honest roots", self.honest_roots.to_string()),
            ("moves", self.moves.to_string()),
            ("steps", self.steps.to_string()),
            ("rejected actions", self.rejected_actions.to_string()),
            ("L1 gas", self.l1_gas_total.to_string()),
            ("games/s", format!("{:.1}", self.games_per_sec)),
        ];
        for (k, v) in rows {
            writeln!(f, "| {k} | {v} |")?;
        }
        writeln!(f)?;
        writeln!(f, "| strategy | seats |")?;
        writeln!(f, "|---|---|")?;
        for (k, v) in &self.strategy_counts {
            writeln!(f, "| {k} | {v} |")?;
        }
        Ok(())
    }
}
