//! Classification of JSON-RPC failures into reverts, transient and permanent errors.

use crate::ChainError;
use alloy::primitives::Bytes;
use alloy::transports::RpcError;
use alloy::transports::{TransportError, TransportErrorKind};

/// Node messages that mean "try again": races with other senders of the same key, nodes that
/// lag behind their load balancer, rate limits.
const TRANSIENT_MESSAGES: &[&str] = &[
    "nonce too low",
    "already known",
    "replacement transaction underpriced",
    "header not found",
    "unknown block",
    "timeout",
    "timed out",
    "rate limit",
    "too many requests",
    "temporarily unavailable",
    "try again",
    "busy",
];

/// Turns an alloy transport error of operation `op` into a [`ChainError`].
pub(crate) fn classify(op: &'static str, err: TransportError) -> ChainError {
    match err {
        RpcError::ErrorResp(payload) => {
            let message = payload.message.to_string();
            let lower = message.to_ascii_lowercase();
            if let Some(data) = payload.as_revert_data() {
                return ChainError::Reverted { data };
            }
            // Some nodes report a revert without data (e.g. `revert()` with no reason).
            if lower.contains("execution reverted") || lower == "reverted" {
                return ChainError::Reverted { data: Bytes::new() };
            }
            let transient =
                payload.is_retry_err() || TRANSIENT_MESSAGES.iter().any(|m| lower.contains(m));
            ChainError::Rpc {
                op,
                transient,
                message: format!("code {}: {message}", payload.code),
            }
        }
        RpcError::Transport(kind) => {
            let transient = match &kind {
                TransportErrorKind::HttpError(h) => h.status >= 500 || h.status == 429,
                TransportErrorKind::HttpErrorWithRetryAfter { error, .. } => error.status >= 400,
                TransportErrorKind::NonRetryable(_) | TransportErrorKind::PubsubUnavailable => {
                    false
                }
                // Connection refused or reset, DNS, I/O, a missing batch answer, a dropped
                // backend: the request may well succeed a moment later.
                _ => true,
            };
            ChainError::Rpc {
                op,
                transient,
                message: describe_chain(&kind),
            }
        }
        RpcError::NullResp => ChainError::BadAnswer {
            op,
            message: "null result".into(),
        },
        RpcError::DeserError { err, text } => {
            let mut text = text;
            text.truncate(200);
            ChainError::BadAnswer {
                op,
                message: format!("{err} in {text:?}"),
            }
        }
        other => ChainError::Rpc {
            op,
            transient: false,
            message: other.to_string(),
        },
    }
}

/// An error message including its sources (reqwest hides the interesting part, e.g.
/// "Connection refused", two levels down).
fn describe_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let msg = s.to_string();
        if !out.contains(&msg) {
            out.push_str(": ");
            out.push_str(&msg);
        }
        source = s.source();
    }
    out
}

/// Whether a node error message says the requested log range or result set is too large.
pub(crate) fn is_range_too_large(err: &ChainError) -> bool {
    let ChainError::Rpc { message, .. } = err else {
        return false;
    };
    let lower = message.to_ascii_lowercase();
    [
        "range",
        "more than",
        "too many",
        "limit exceeded",
        "too large",
        "response size",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

/// Whether a broadcast failed because the nonce was already used.
pub(crate) fn is_nonce_used(err: &ChainError) -> bool {
    matches!(err, ChainError::Rpc { message, .. } if message.to_ascii_lowercase().contains("nonce too low"))
}

/// Whether a broadcast failed because the node already has this exact transaction.
pub(crate) fn is_already_known(err: &ChainError) -> bool {
    matches!(err, ChainError::Rpc { message, .. } if {
        let lower = message.to_ascii_lowercase();
        lower.contains("already known") || lower.contains("already imported")
    })
}
