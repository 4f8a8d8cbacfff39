//! `gavel verify-trace`: Ethereum state tests and gavel batches through gavel's executor.
//!
//! ```text
//! state-test files ─ statetest ─→ cases (genesis + one-block batch + expected root/logs)
//!                                  │ or Unsupported { reason }
//!                                  ▼
//!                      check: Executor (revm 43, Osaka) → MPT root, logs hash = fixture's?
//!                                  ▼
//! gavel batch files ───────→ driver: select steps → StepChecker (prover + step verifier,
//!                                     honest witness and mutated forgeries) → Summary
//! ```
//!
//! * [`statetest`]: state-test files → [`Case`]s, with stable [`Unsupported`] reasons.
//! * [`check`]: the revm ground-truth check of one case.
//! * [`driver`]: the run, the [`StepChecker`] seam and the [`Summary`].
//! * [`select_steps`] and [`mutate`]: which steps to verify, and how witnesses are forged.

pub mod check;
pub mod driver;
pub mod mpt;
pub mod onchain;
pub mod statetest;
pub mod unsupported;

mod error;
mod mutate;
mod select;

pub use check::{Checked, Verdict, check_case};
pub use driver::{Driver, Options, Report, StepChecker, StepVerdict, Summary};
pub use error::Error;
pub use mutate::mutate;
pub use onchain::OnChainChecker;
pub use select::select_steps;
pub use statetest::Case;
pub use unsupported::Unsupported;
