//! gavel-fuzz: thousands of dispute scenarios on an in-process L1 with the real contracts.
//!
//! Each game gets a fresh in-process L1 with the toy system deployed, a random trace, an
//! honest or dishonest root, and one to K adversaries drawn from the zoo. Every action is sent
//! to the contract and applied to the Rust mirror; the two must agree call by call. At the
//! end the run checks that the honest side won, lost no bond, that every credit matches the
//! rules, and that ETH is conserved. See docs/fuzzing.md.

/// The chain agent (replay a game from the chain, send actions) lives in the challenger
/// crate; re-exported here so fuzz code and older call sites keep one path.
pub use gavel_challenger::agent;
mod exec;
pub mod report;
mod runner;
pub mod scenario;

pub use report::{FuzzReport, GameFailure, GameReport};
pub use scenario::{Scenario, game_seed};

use gavel_game::{GameConfig, Strategy};

/// What can stop a run (as opposed to a game failing a property, which is reported).
#[derive(Debug, thiserror::Error)]
pub enum FuzzError {
    /// The L1 or a contract call failed outside the game rules.
    #[error("L1: {0}")]
    Chain(#[from] gavel_chain::ChainError),
    /// The honest trace could not answer.
    #[error("trace: {0}")]
    Trace(#[from] gavel_game::TraceError),
    /// The honest solver failed.
    #[error("solver: {0}")]
    Solver(#[from] gavel_game::SolverError),
    /// The configuration is unusable.
    #[error("config: {0}")]
    Config(String),
    /// The async runtime could not start.
    #[error("runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// Settings of a run.
#[derive(Clone, Debug)]
pub struct FuzzConfig {
    /// Run seed.
    pub seed: u64,
    /// Games to play.
    pub games: u64,
    /// Adversaries per game are drawn from 1..=this.
    pub max_adversaries: usize,
    /// Game parameters (deployed into every game's L1).
    pub game: GameConfig,
    /// Strategies adversaries are drawn from.
    pub strategies: Vec<Strategy>,
    /// Rounds in which adversaries act; afterwards only the honest side plays.
    pub adversary_rounds: u32,
    /// Upper bound of rounds per game (a game needs about 2 · max depth).
    pub max_rounds: u32,
    /// Replay only the game with this seed.
    pub single_game_seed: Option<u64>,
}

impl FuzzConfig {
    /// The toy-VM defaults used by `gavel fuzz --vm toy`.
    pub fn toy(seed: u64, games: u64) -> Self {
        let game = GameConfig::toy_default();
        let max_rounds = 4 * game.max_depth + 16;
        Self {
            seed,
            games,
            max_adversaries: 3,
            game,
            strategies: Strategy::ALL.to_vec(),
            adversary_rounds: max_rounds / 2,
            max_rounds,
            single_game_seed: None,
        }
    }
}

/// Plays one scenario on a fresh in-process L1 (what `run` does for each game).
pub fn play_scenario(scenario: &Scenario, config: &FuzzConfig) -> Result<GameReport, FuzzError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    runtime.block_on(runner::play(scenario, config))
}

/// Plays every game of the run, calling `on_game` after each, and returns the summary.
pub fn run(
    config: &FuzzConfig,
    mut on_game: impl FnMut(u64, &GameReport),
) -> Result<FuzzReport, FuzzError> {
    config
        .game
        .validate()
        .map_err(|e| FuzzError::Config(e.to_string()))?;
    if config.strategies.is_empty() {
        return Err(FuzzError::Config(
            "no adversary strategies to draw from".into(),
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let mut report = FuzzReport::new("toy", config.seed);
    for index in 0..config.games {
        let seed = config
            .single_game_seed
            .unwrap_or_else(|| game_seed(config.seed, index));
        let scenario = Scenario::generate(
            seed,
            config.game.max_depth,
            config.max_adversaries,
            &config.strategies,
        );
        let game = runtime.block_on(runner::play(&scenario, config))?;
        report.record(index, &game);
        on_game(index, &game);
    }
    Ok(report)
}
