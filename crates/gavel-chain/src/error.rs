//! The one error type of the L1 layer.
//!
//! Every variant says what went wrong and where. Callers branch on three questions:
//! did the EVM reject the call ([`ChainError::Reverted`] carries the revert data, decode it with
//! [`crate::decode_revert`]), is it worth retrying ([`ChainError::is_transient`]), or is the
//! input itself bad (keys, URLs, deployment files, answers that do not decode).

use alloy::primitives::{Address, Bytes};
use std::path::PathBuf;

/// Errors of the L1 backends, the bindings and the deployment helpers.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The call or transaction reverted; `data` is the raw revert data (a custom error, an
    /// `Error(string)`, or empty).
    #[error("execution reverted: {}", crate::describe_revert(data))]
    Reverted {
        /// The raw revert data.
        data: Bytes,
    },
    /// The EVM halted without revert data (out of gas, invalid opcode, stack error, ...).
    #[error("execution halted: {reason}")]
    Halted {
        /// The halt reason as the backend reported it.
        reason: String,
    },
    /// The transaction is invalid before execution (nonce, balance, gas limit above the cap).
    #[error("invalid transaction from {from}: {reason}")]
    InvalidTransaction {
        /// The sender.
        from: Address,
        /// Why the backend refused it.
        reason: String,
    },
    /// `send` was asked to sign for an address the backend holds no key for.
    #[error("no signing key for sender {0}")]
    UnknownSender(Address),
    /// A JSON-RPC request failed.
    #[error("JSON-RPC {op} failed ({}): {message}", if *transient { "transient" } else { "permanent" })]
    Rpc {
        /// The operation that failed (e.g. `eth_getLogs`).
        op: &'static str,
        /// Whether retrying may help (connection errors, timeouts, 5xx, rate limits, nonce races).
        transient: bool,
        /// The node's or transport's message.
        message: String,
    },
    /// A JSON-RPC request did not answer in time.
    #[error("JSON-RPC {op} timed out after {secs} s")]
    Timeout {
        /// The operation that timed out.
        op: &'static str,
        /// The time limit that was exceeded.
        secs: u64,
    },
    /// The node answered something that does not make sense (missing field, bad encoding).
    #[error("malformed answer to {op}: {message}")]
    BadAnswer {
        /// The operation whose answer was malformed.
        op: &'static str,
        /// What was wrong with it.
        message: String,
    },
    /// The endpoint URL does not parse.
    #[error("invalid JSON-RPC URL {url:?}: {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The endpoint could not be reached when connecting.
    #[error("cannot reach JSON-RPC endpoint {url}: {reason}")]
    Unreachable {
        /// The URL as given.
        url: String,
        /// The underlying error.
        reason: String,
    },
    /// A private key does not parse (the key itself is never printed).
    #[error("private key #{index} is malformed: {reason}")]
    BadKey {
        /// The position of the key in the list given to `connect`.
        index: usize,
        /// Why it was rejected.
        reason: String,
    },
    /// Signing a transaction failed.
    #[error("signing a transaction from {from} failed: {message}")]
    Signing {
        /// The sender.
        from: Address,
        /// The signer's message.
        message: String,
    },
    /// Return data or log data did not ABI-decode as the binding expects.
    #[error("cannot decode {what}: {message}")]
    Decode {
        /// What was being decoded (e.g. `claimMeta(3)`).
        what: String,
        /// The decoder's message.
        message: String,
    },
    /// A transaction succeeded but did not produce what the helper expected (e.g. no
    /// `GameCreated` event).
    #[error("unexpected outcome of {what}: {message}")]
    Unexpected {
        /// The helper or step concerned.
        what: &'static str,
        /// What was missing or wrong.
        message: String,
    },
    /// A deployment file could not be read or written.
    #[error("deployment file {}: {message}", path.display())]
    DeploymentFile {
        /// The file.
        path: PathBuf,
        /// What went wrong (I/O error, JSON error with line and column).
        message: String,
    },
    /// A parameter given to a helper is out of range.
    #[error("invalid parameter {name}: {message}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// Why it was rejected.
        message: String,
    },
}

impl ChainError {
    /// Whether retrying the same operation may succeed: connection failures, timeouts, HTTP 5xx
    /// and 429, rate limits, and nonce races with another sender of the same key.
    pub fn is_transient(&self) -> bool {
        match self {
            ChainError::Rpc { transient, .. } => *transient,
            ChainError::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The revert data if this is a revert.
    pub fn revert_data(&self) -> Option<&Bytes> {
        match self {
            ChainError::Reverted { data } => Some(data),
            _ => None,
        }
    }

    /// The name of the error (see [`crate::decode_revert`]) if this is a revert.
    pub fn revert_name(&self) -> Option<String> {
        self.revert_data().map(|d| crate::decode_revert(d))
    }
}
