//! Why a case (or a step) cannot be checked: a short, stable reason used as a counter key, and
//! a free-form detail for humans.

use std::fmt;

use gavel_trace::batch::TxError;
use gavel_trace::chain::{GenesisErrorKind, StateError};
use gavel_trace::{ExecError, Refusal};

/// Something gavel cannot represent or prove (yet). Never an error, never dropped: the driver
/// counts it under [`Unsupported::reason`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The counter key: short and stable (no numbers that vary between cases).
    pub reason: String,
    /// Details for the log line (addresses, values, the executor's message).
    pub detail: String,
}

impl Unsupported {
    /// A reason with details.
    pub fn new(reason: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{}: {}", self.reason, self.detail)
        }
    }
}

/// Reason for a balance at or above 2^128 (deviation D2).
pub const BALANCE_D2: &str = "balance >= 2^128 (D2)";
/// Reason for a transaction gas limit above gavel's per-transaction cap (deviation D3).
pub const GAS_CAP_D3: &str = "gas limit above the L2 cap 2^23 (D3)";
/// Reason for an entry that expects the transaction to be rejected, when gavel executed it or
/// could not even represent it.
pub const EXPECTED_EXCEPTION: &str = "expected exception";

/// The reason for an unsupported transaction type byte.
pub fn tx_type(ty: u8) -> String {
    match gavel_trace::batch::tx::type_name(ty) {
        Some(name) => {
            let short = match ty {
                0x03 => "blob transaction",
                0x04 => "set-code transaction",
                _ => name,
            };
            format!("{short} (type {ty:#04x})")
        }
        None => format!("unknown transaction type {ty:#04x}"),
    }
}

/// The reason for a transaction the batch format rejects.
pub fn tx_error(e: &TxError) -> Unsupported {
    let reason = match e {
        TxError::UnsupportedType { ty, .. } | TxError::UnknownType(ty) => tx_type(*ty),
        TxError::MissingChainId => "legacy transaction without EIP-155 chain id".into(),
        TxError::HighS => "high-s signature (EIP-2)".into(),
        TxError::NonCanonical => "non-canonical transaction encoding".into(),
        TxError::WrongChainId { .. } => "chain id mismatch".into(),
        TxError::Empty | TxError::NotEip2718(_) | TxError::Rlp(_) | TxError::BadSignature(_) => {
            "undecodable transaction".into()
        }
    };
    Unsupported::new(reason, e.to_string())
}

/// The reason for a genesis the chain model rejects.
pub fn genesis_error(kind: &GenesisErrorKind, detail: String) -> Unsupported {
    let reason = match kind {
        GenesisErrorKind::TotalSupplyOverflow => "total supply >= 2^128 (D2)",
        GenesisErrorKind::State(StateError::BalanceOverflow { .. }) => BALANCE_D2,
        GenesisErrorKind::CodeTooLarge { .. } => "pre-state code above the EIP-170 limit",
        GenesisErrorKind::CodeStartsWithEf => "pre-state code starting with 0xEF",
        GenesisErrorKind::CodeAtPrecompile => "pre-state code at a precompile address",
        GenesisErrorKind::EmptyAccountWithStorage => "pre-state empty account with storage",
        _ => "pre-state rejected by the chain model",
    };
    Unsupported::new(reason, detail)
}

/// The reason for a refusal by the executor.
pub fn refusal(r: &Refusal) -> String {
    match r {
        Refusal::Opcode { name, .. } => format!("refused opcode {name}"),
        Refusal::ContractCreation => "contract creation".into(),
        Refusal::PrecompileCall { .. } => "precompile call".into(),
        Refusal::NestedFrame => "nested call".into(),
    }
}

/// The reason for an executor error on a case's batch.
pub fn exec_error(e: &ExecError) -> Unsupported {
    let reason = match e {
        ExecError::Refused { refusal: r, .. } => refusal(r),
        ExecError::State {
            error: StateError::BalanceOverflow { .. },
            ..
        } => BALANCE_D2.into(),
        ExecError::State { .. } => "state refused the result".into(),
        ExecError::Evm { .. } => "EVM error".into(),
        ExecError::TransitionTooLong { .. } => "transition longer than the layout".into(),
        _ => "executor rejected the batch".into(),
    };
    Unsupported::new(reason, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_reasons_are_stable() {
        assert_eq!(tx_type(3), "blob transaction (type 0x03)");
        assert_eq!(tx_type(4), "set-code transaction (type 0x04)");
        assert_eq!(tx_type(0x42), "unknown transaction type 0x42");
    }
}
