//! gavel-challenger: the bot that keeps a rollup's dispute games honest.
//!
//! A pipeline you can read top to bottom (docs/challenger.md has the operator's view):
//!
//! * monitor — [`Challenger::poll`] follows the factory's `DisputeGameCreated` events;
//! * player — [`agent::replay`] rebuilds each game from the chain into the Rust mirror;
//! * source — an [`HonestSource`] gives the honest trace of a game (the toy VM's now,
//!   the EVM inbox replay, [`EvmSource`]);
//! * solver — `gavel_game::HonestSolver`, pure;
//! * policy — [`policy::select`] applies the mode (watch, defend, full);
//! * responder — sends moves, steps, paginated resolutions and credit claims, bounded.
//!
//! State that the chain does not keep handy lives in a data dir ([`store`]); metrics go
//! through the `metrics` facade ([`telemetry`]).

pub mod agent;
mod bot;
mod config;
mod error;
pub mod harness;
pub mod policy;
pub mod source;
pub mod store;
pub mod telemetry;

pub use bot::{Challenger, PollReport, status_label};
pub use config::{
    ChallengerConfig, ENV_VARS, EvmSettings, KEY_ENV, Mode, ToySettings, load_key, load_key_named,
};
pub use error::ChallengerError;
pub use source::evm::{EvmBase, EvmSnapshot, EvmSource, EvmSourceOptions};
pub use source::{BoxFuture, GameSpec, HonestSource, SourceError, ToySource, Verdict};
pub use store::{BotState, GameRecord, Phase, Store};
