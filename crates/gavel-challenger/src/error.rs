//! The challenger's error type: what went wrong, where, and whether the bot should keep
//! going (most errors are per game and only retried later; a few stop the bot at start-up).

use alloy_primitives::Address;
use std::path::PathBuf;

/// Errors of the challenger library.
#[derive(Debug, thiserror::Error)]
pub enum ChallengerError {
    /// The L1 failed (RPC, revert, decode); see [`gavel_chain::ChainError::is_transient`].
    #[error("L1: {0}")]
    Chain(#[from] gavel_chain::ChainError),
    /// A game read from the chain does not replay in the Rust mirror.
    #[error(transparent)]
    Replay(#[from] crate::agent::ReplayError),
    /// The honest solver refused (poisoned pre-state, unwinnable step, trace failure).
    #[error("game {game}: solver: {error}")]
    Solver {
        /// The game.
        game: Address,
        /// The solver's error.
        error: gavel_game::SolverError,
    },
    /// The honest source could not build the trace for a game.
    #[error("game {game}: honest source: {error}")]
    Source {
        /// The game.
        game: Address,
        /// The source's error.
        error: crate::source::SourceError,
    },
    /// The configuration is invalid (file, environment or flags).
    #[error("configuration: {0}")]
    Config(String),
    /// The signing key is missing or unreadable (the key itself is never printed).
    #[error("signing key: {0}")]
    Key(String),
    /// The data directory cannot be used.
    #[error("data dir {}: {message}", path.display())]
    Store {
        /// The file or directory concerned.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The deployment does not match the chain the bot is connected to.
    #[error("deployment does not match the chain: {0}")]
    Deployment(String),
    /// The metrics endpoint could not be started.
    #[error("metrics endpoint {addr}: {message}")]
    Metrics {
        /// The listen address.
        addr: String,
        /// Why it failed.
        message: String,
    },
}

impl ChallengerError {
    /// A short, stable label for the `errors_total{kind}` metric.
    pub fn kind(&self) -> &'static str {
        match self {
            ChallengerError::Chain(e) if e.revert_name().is_some_and(|n| is_race(&n)) => "race",
            ChallengerError::Chain(e) if e.revert_data().is_some() => "revert",
            ChallengerError::Chain(e) if e.is_transient() => "rpc_transient",
            ChallengerError::Chain(_) => "rpc",
            ChallengerError::Replay(_) => "replay",
            ChallengerError::Solver { .. } => "solver",
            ChallengerError::Source { .. } => "source",
            ChallengerError::Config(_) => "config",
            ChallengerError::Key(_) => "key",
            ChallengerError::Store { .. } => "store",
            ChallengerError::Deployment(_) => "deployment",
            ChallengerError::Metrics { .. } => "metrics",
        }
    }
}

/// Reverts that mean another player got there first (another bot resolved the claim or the
/// game, stepped the claim, or withdrew): expected with several honest bots, harmless, and
/// re-planned at the next poll.
pub fn is_race(revert_name: &str) -> bool {
    [
        "ClaimAlreadyResolved",
        "GameNotInProgress",
        "DuplicateStep",
        "NoCreditToClaim",
    ]
    .iter()
    .any(|n| revert_name.starts_with(n))
}
