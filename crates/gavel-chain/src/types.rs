//! Backend-neutral transaction, receipt and log types.

use alloy::primitives::{Address, B256, Bytes, U256};
use serde::{Deserialize, Serialize};

/// A transaction to sign and send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxRequest {
    /// The sender; must be one of [`crate::L1::accounts`].
    pub from: Address,
    /// The callee, or `None` to create a contract from `data`.
    pub to: Option<Address>,
    /// Calldata, or init code for a creation.
    pub data: Bytes,
    /// Wei sent along.
    pub value: U256,
    /// Gas limit; `None` lets the backend choose (estimate on JSON-RPC, the EIP-7825 cap in
    /// process). The gas *used* does not depend on it.
    pub gas_limit: Option<u64>,
}

impl TxRequest {
    /// A call of `to` with `data` and no value.
    pub fn call(from: Address, to: Address, data: impl Into<Bytes>) -> Self {
        Self {
            from,
            to: Some(to),
            data: data.into(),
            ..Self::default()
        }
    }

    /// A contract creation from `init_code`.
    pub fn create(from: Address, init_code: impl Into<Bytes>) -> Self {
        Self {
            from,
            to: None,
            data: init_code.into(),
            ..Self::default()
        }
    }

    /// The same request with `value` wei attached.
    pub fn with_value(mut self, value: U256) -> Self {
        self.value = value;
        self
    }

    /// The same request with an explicit gas limit.
    pub fn with_gas_limit(mut self, gas_limit: u64) -> Self {
        self.gas_limit = Some(gas_limit);
        self
    }
}

/// The receipt of a mined transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxReceipt {
    /// The transaction hash (in process: a hash of the block number and the sender's nonce,
    /// unique on that chain).
    pub tx_hash: B256,
    /// The block that includes it.
    pub block_number: u64,
    /// Whether it succeeded. `send` turns reverts into errors, so an `Ok` receipt is normally
    /// successful; the field is kept for receipts read back from a node.
    pub success: bool,
    /// Gas charged, as in the receipt: intrinsic + calldata + execution − refund, and at least
    /// the EIP-7623 calldata floor.
    pub gas_used: u64,
    /// Logs emitted, in order.
    pub logs: Vec<LogEntry>,
    /// The created contract for a creation.
    pub contract_address: Option<Address>,
}

/// One log as stored on chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// The emitting contract.
    pub address: Address,
    /// Topics, `topics[0]` being the event signature for non-anonymous events.
    pub topics: Vec<B256>,
    /// Non-indexed data.
    pub data: Bytes,
    /// Block number.
    pub block_number: u64,
    /// Index of the transaction in its block.
    pub tx_index: u64,
    /// Index of the log in its block.
    pub log_index: u64,
    /// The hash of the transaction that emitted it (what [`crate::L1::transaction_input`]
    /// takes).
    #[serde(default)]
    pub tx_hash: B256,
}

impl LogEntry {
    /// The log as an `alloy` primitive log, for `SolEvent::decode_log`.
    pub fn to_primitive(&self) -> alloy::primitives::Log {
        alloy::primitives::Log::new_unchecked(self.address, self.topics.clone(), self.data.clone())
    }
}

/// Which logs to fetch. Empty `addresses` means any address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Emitting contracts (any of them); empty = all.
    pub addresses: Vec<Address>,
    /// Required first topic (event signature), if any.
    pub topic0: Option<B256>,
    /// First block, inclusive.
    pub from_block: u64,
    /// Last block, inclusive; `None` = latest.
    pub to_block: Option<u64>,
}

impl LogFilter {
    /// Whether `log` passes the address and topic conditions (not the block range).
    pub fn matches(&self, log: &LogEntry) -> bool {
        (self.addresses.is_empty() || self.addresses.contains(&log.address))
            && self.topic0.is_none_or(|t| log.topics.first() == Some(&t))
    }
}
