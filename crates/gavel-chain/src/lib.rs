//! The L1 side of gavel.
//!
//! * [`L1`] / [`TimeControl`]: one interface, two backends — [`InProcessL1`] (revm, time under
//!   test control, thousands of transactions per second) and [`RpcL1`] (a real node over
//!   JSON-RPC with local signing keys).
//! * [`decode_revert`]: names a revert (gavel custom errors, `Error(string)`, `Panic`).

mod bindings;
mod error;
mod inprocess;
mod l1;
mod retry;
mod revert;
mod rpc;
mod rpc_error;
mod types;

pub use bindings::{AnchorStateRegistry, DisputeGameFactory, FaultDisputeGame, ToyStepVerifier};
pub use error::ChainError;
pub use inprocess::{InProcessConfig, InProcessL1, dev_address};
pub use l1::{L1, TimeControl};
pub use retry::{RetryPolicy, retry};
pub use revert::{decode_revert, describe_revert};
pub use rpc::{RpcL1, RpcOptions};
pub use types::{LogEntry, LogFilter, TxReceipt, TxRequest};
