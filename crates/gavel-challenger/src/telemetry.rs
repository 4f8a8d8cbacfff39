//! Prometheus metrics: the names, their descriptions, and the HTTP endpoint.
//!
//! The library records through the `metrics` facade (a no-op until a recorder is
//! installed), so embedding the bot in a process that has its own recorder just works, and
//! tests with several bots in one process need none.

use crate::ChallengerError;
use metrics::{Unit, describe_counter, describe_gauge};

/// Games discovered from the factory's events.
pub const GAMES_SEEN: &str = "gavel_challenger_games_seen_total";
/// Games tracked, by `status` (`in_progress`, `challenger_wins`, `defender_wins`, `ignored`).
pub const GAMES: &str = "gavel_challenger_games";
/// Moves sent, by `kind` (`attack`, `defend`).
pub const MOVES: &str = "gavel_challenger_moves_total";
/// Steps sent.
pub const STEPS: &str = "gavel_challenger_steps_total";
/// `resolveClaim` pages and `resolve` calls sent, by `kind` (`claim`, `game`).
pub const RESOLUTIONS: &str = "gavel_challenger_resolutions_total";
/// Credits withdrawn (count).
pub const CREDITS_CLAIMED: &str = "gavel_challenger_credits_claimed_total";
/// Bonds paid into games, gwei.
pub const BONDS_POSTED: &str = "gavel_challenger_bonds_posted_gwei_total";
/// Credit withdrawn beyond the bonds this bot posted in the game, gwei.
pub const BONDS_WON: &str = "gavel_challenger_bonds_won_gwei_total";
/// Credit withdrawn, gwei.
pub const CREDIT_WEI: &str = "gavel_challenger_credit_claimed_gwei_total";
/// Errors, by `kind` (see `ChallengerError::kind`).
pub const ERRORS: &str = "gavel_challenger_errors_total";
/// Actions planned but not sent (watch mode, or a mode that excludes them), by `kind`.
pub const SKIPPED: &str = "gavel_challenger_actions_not_sent_total";
/// Blocks between the chain head and the last block the bot has scanned.
pub const HEAD_LAG: &str = "gavel_challenger_chain_head_lag_blocks";
/// The chain head the bot last saw.
pub const HEAD: &str = "gavel_challenger_chain_head_block";
/// Transactions in flight.
pub const PENDING_TXS: &str = "gavel_challenger_pending_txs";
/// The operator account's balance, gwei (out-of-funds alarm).
pub const BALANCE: &str = "gavel_challenger_balance_gwei";

/// Registers every metric's description (so the endpoint shows HELP lines from the start).
pub fn describe() {
    describe_counter!(GAMES_SEEN, "Games discovered from the factory's events");
    describe_gauge!(GAMES, "Games tracked, by status");
    describe_counter!(MOVES, "Moves sent, by kind (attack, defend)");
    describe_counter!(STEPS, "Steps sent");
    describe_counter!(
        RESOLUTIONS,
        "resolveClaim pages and resolve calls sent, by kind"
    );
    describe_counter!(CREDITS_CLAIMED, "Credits withdrawn");
    describe_counter!(BONDS_POSTED, "Bonds paid into games, gwei");
    describe_counter!(
        BONDS_WON,
        "Credit withdrawn beyond the bonds this bot posted in the same game, gwei"
    );
    describe_counter!(CREDIT_WEI, "Credit withdrawn, gwei");
    describe_counter!(ERRORS, "Errors, by kind");
    describe_counter!(SKIPPED, "Actions planned but not sent (mode), by kind");
    describe_gauge!(
        HEAD_LAG,
        Unit::Count,
        "Blocks between the chain head and the last block scanned for games"
    );
    describe_gauge!(HEAD, "The chain head the bot last saw");
    describe_gauge!(PENDING_TXS, "Transactions in flight");
    describe_gauge!(BALANCE, "The operator's balance, gwei");
}

/// Starts the Prometheus endpoint at `addr` (`host:port`, path `/metrics` or any path) and
/// installs it as the global recorder. Must run inside a tokio runtime.
pub fn serve(addr: &str) -> Result<(), ChallengerError> {
    let err = |message: String| ChallengerError::Metrics {
        addr: addr.into(),
        message,
    };
    let socket: std::net::SocketAddr = addr
        .parse()
        .map_err(|e| err(format!("not a host:port address: {e}")))?;
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .with_http_listener(socket)
        .install()
        .map_err(|e| err(e.to_string()))?;
    describe();
    Ok(())
}

/// Wei to whole gwei for the counters (u64 gwei holds 18 billion ETH).
pub fn gwei(wei: alloy_primitives::U256) -> u64 {
    u64::try_from(wei / alloy_primitives::U256::from(1_000_000_000u64)).unwrap_or(u64::MAX)
}
