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

/// Simulation failures that are halts of the EVM rather than node problems.
const HALT_MESSAGES: &[&str] = &[
    "evm error",
    "invalid opcode",
    "out of gas",
    "stack underflow",
    "stack overflow",
    "invalid jump",
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
            // A halt during simulation (invalid opcode, out of gas, ...): anvil says "EVM error
            // InvalidFEOpcode", geth "invalid opcode: INVALID".
            if matches!(op, "eth_call" | "eth_estimateGas")
                && HALT_MESSAGES.iter().any(|m| lower.contains(m))
            {
                return ChainError::Halted { reason: message };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A JSON-RPC error object as a node would send it.
    fn node_error(code: i64, message: &'static str, data: Option<&str>) -> TransportError {
        let json = match data {
            Some(d) => format!(r#"{{"code":{code},"message":"{message}","data":{d}}}"#),
            None => format!(r#"{{"code":{code},"message":"{message}"}}"#),
        };
        RpcError::ErrorResp(serde_json::from_str(&json).unwrap())
    }

    #[test]
    fn revert_data_is_extracted() {
        let e = classify(
            "eth_call",
            node_error(3, "execution reverted", Some("\"0xdeadbeef\"")),
        );
        assert_eq!(
            e.revert_data().map(|d| d.to_vec()),
            Some(vec![0xde, 0xad, 0xbe, 0xef])
        );
        let e = classify("eth_call", node_error(-32000, "execution reverted", None));
        assert_eq!(e.revert_data().map(|d| d.len()), Some(0));
    }

    #[test]
    fn halts_during_simulation_are_halts() {
        let e = classify(
            "eth_estimateGas",
            node_error(-32603, "EVM error InvalidFEOpcode", None),
        );
        assert!(matches!(e, ChainError::Halted { .. }), "{e:?}");
    }

    #[test]
    fn nonce_races_and_rate_limits_are_transient() {
        let e = classify(
            "eth_sendRawTransaction",
            node_error(-32000, "nonce too low", None),
        );
        assert!(e.is_transient() && is_nonce_used(&e));
        let e = classify(
            "eth_sendRawTransaction",
            node_error(-32000, "already known", None),
        );
        assert!(e.is_transient() && is_already_known(&e));
        let e = classify("eth_getLogs", node_error(429, "rate limited", None));
        assert!(e.is_transient());
    }

    #[test]
    fn bad_requests_are_permanent() {
        let e = classify("eth_getLogs", node_error(-32602, "invalid params", None));
        assert!(!e.is_transient());
        let e = classify("eth_call", RpcError::NullResp);
        assert!(matches!(e, ChainError::BadAnswer { .. }));
    }

    #[test]
    fn transport_failures_are_classified_by_status() {
        assert!(classify("x", TransportErrorKind::http_error(503, String::new())).is_transient());
        assert!(classify("x", TransportErrorKind::http_error(502, String::new())).is_transient());
        assert!(!classify("x", TransportErrorKind::http_error(401, String::new())).is_transient());
        assert!(classify("x", TransportErrorKind::custom_str("connection reset")).is_transient());
        assert!(!classify("x", TransportErrorKind::non_retryable_str("bad")).is_transient());
    }

    #[test]
    fn range_errors_are_recognized() {
        let e = classify(
            "eth_getLogs",
            node_error(-32005, "query returned more than 10000 results", None),
        );
        assert!(is_range_too_large(&e));
        let e = classify("eth_getLogs", node_error(-32602, "invalid params", None));
        assert!(!is_range_too_large(&e));
    }
}
