//! gavel-fuzz: thousands of dispute scenarios on an in-process L1 with the real contracts.
//!
//! Each game gets a fresh in-process L1 with the system deployed (the toy VM, or the whole EVM
//! system with a random real batch posted to its inbox: [`evm`]), a random trace, an honest or
//! dishonest root, and one to K adversaries drawn from the zoo. Every action is sent
//! to the contract and applied to the Rust mirror; the two must agree call by call. At the
//! end the run checks that the honest side won, lost no bond, that every credit matches the
//! rules, and that ETH is conserved. See docs/fuzzing.md.

/// The chain agent (replay a game from the chain, send actions) lives in the challenger
/// crate; re-exported here so fuzz code and older call sites keep one path.
pub use gavel_challenger::agent;
pub mod evm;
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

/// The VM whose traces the games dispute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vm {
    /// The toy counter VM (docs/protocol.md §10) with `ToyStepVerifier`.
    Toy,
    /// Real EVM batches with the deployed `EvmStepVerifier` ([`evm`]).
    Evm,
}

impl Vm {
    /// `"toy"` or `"evm"` (the report's `vm`).
    pub fn name(self) -> &'static str {
        match self {
            Vm::Toy => "toy",
            Vm::Evm => "evm",
        }
    }
}

/// Settings of a run.
#[derive(Clone, Debug)]
pub struct FuzzConfig {
    /// The VM.
    pub vm: Vm,
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
            vm: Vm::Toy,
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

impl FuzzConfig {
    /// The EVM defaults used by `gavel fuzz --vm evm`: the EVM layout (44 / 20, so 44 moves to
    /// a step) with the toy clocks and bonds.
    pub fn evm(seed: u64, games: u64) -> Self {
        let game = evm::evm_game_config();
        let max_rounds = 4 * game.max_depth + 16;
        Self {
            vm: Vm::Evm,
            game,
            max_rounds,
            adversary_rounds: max_rounds / 2,
            ..Self::toy(seed, games)
        }
    }
}

/// Plays one scenario on a fresh in-process L1 (what `run` does for each game). For the EVM,
/// the batch is regenerated from `scenario.game_seed`; the scenario's root, divergence and
/// adversaries are used as given.
pub fn play_scenario(scenario: &Scenario, config: &FuzzConfig) -> Result<GameReport, FuzzError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    runtime.block_on(play_one(scenario, config))
}

async fn play_one(scenario: &Scenario, config: &FuzzConfig) -> Result<GameReport, FuzzError> {
    match config.vm {
        Vm::Toy => runner::play(scenario, config).await,
        Vm::Evm => {
            let (genesis, exec, _) = evm::generate(
                scenario.game_seed,
                config.max_adversaries,
                &config.strategies,
            )?;
            evm::play_evm(&genesis, exec, scenario, config).await
        }
    }
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
    let mut report = FuzzReport::new(config.vm.name(), config.seed);
    for index in 0..config.games {
        let seed = config
            .single_game_seed
            .unwrap_or_else(|| game_seed(config.seed, index));
        let game = match config.vm {
            Vm::Toy => {
                let scenario = Scenario::generate(
                    seed,
                    config.game.max_depth,
                    config.max_adversaries,
                    &config.strategies,
                );
                runtime.block_on(runner::play(&scenario, config))?
            }
            Vm::Evm => {
                let (genesis, exec, scenario) =
                    evm::generate(seed, config.max_adversaries, &config.strategies)?;
                runtime.block_on(evm::play_evm(&genesis, exec, &scenario, config))?
            }
        };
        report.record(index, &game);
        on_game(index, &game);
    }
    Ok(report)
}
