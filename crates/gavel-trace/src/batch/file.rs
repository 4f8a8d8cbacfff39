//! The batch file (spec §13.1):
//!
//! ```json
//! {
//!   "version": 1,
//!   "chainId": 901,
//!   "blocks": [
//!     {
//!       "number": 1, "timestamp": 1700000012,
//!       "coinbase": "0xc0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0",
//!       "baseFee": "0x3b9aca00",
//!       "prevRandao": "0x…32 bytes…",
//!       "gasLimit": 30000000,
//!       "transactions": ["0x02f8…"]
//!     }
//!   ]
//! }
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Batch, BatchError, BatchErrorKind, BatchTx, Block, BlockContext};
use crate::json::{self, Quantity};

/// The format version this crate reads and writes.
pub const FORMAT_VERSION: u64 = 1;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawBlock {
    number: Quantity,
    timestamp: Quantity,
    coinbase: String,
    base_fee: Quantity,
    prev_randao: String,
    gas_limit: Quantity,
    transactions: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawBatch {
    version: Quantity,
    chain_id: Quantity,
    blocks: Vec<RawBlock>,
}

impl Batch {
    /// Read a batch file for the chain `chain_id`.
    pub fn from_file(path: impl AsRef<Path>, chain_id: u64) -> Result<Self, BatchError> {
        let path = path.as_ref();
        let with_file = |mut e: BatchError| {
            e.file = Some(path.into());
            e
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| with_file(BatchError::new(BatchErrorKind::Io(e.to_string()))))?;
        Self::from_json(&text, chain_id).map_err(with_file)
    }

    /// Parse batch JSON for the chain `chain_id`; every error names the block, transaction
    /// and field it is about.
    pub fn from_json(text: &str, chain_id: u64) -> Result<Self, BatchError> {
        let raw: RawBatch = serde_json::from_str(text)
            .map_err(|e| BatchError::new(BatchErrorKind::Json(e.to_string())))?;
        let top = |f: &'static str, e| BatchError::new(BatchErrorKind::Value(e)).field(f);
        let version = raw.version.to_u64().map_err(|e| top("version", e))?;
        if version != FORMAT_VERSION {
            return Err(
                BatchError::new(BatchErrorKind::UnsupportedVersion(version)).field("version")
            );
        }
        let file_chain = raw.chain_id.to_u64().map_err(|e| top("chainId", e))?;
        if file_chain != chain_id {
            return Err(BatchError::new(BatchErrorKind::ChainId {
                expected: chain_id,
                got: file_chain,
            })
            .field("chainId"));
        }
        let blocks = raw
            .blocks
            .into_iter()
            .enumerate()
            .map(|(b, rb)| parse_block(b, rb, chain_id))
            .collect::<Result<Vec<_>, _>>()?;
        Batch::new(chain_id, blocks)
    }

    /// The batch as JSON (deterministic; quantities as numbers when small, else hex).
    pub fn to_json(&self) -> String {
        let blocks = self
            .blocks()
            .iter()
            .map(|b| {
                let c = &b.context;
                RawBlock {
                    number: Quantity::num(c.number),
                    timestamp: Quantity::num(c.timestamp),
                    coinbase: format!("{:#x}", c.coinbase),
                    base_fee: Quantity::hex(alloy_primitives::U256::from(c.base_fee)),
                    prev_randao: format!("{:#x}", c.prev_randao),
                    gas_limit: Quantity::num(c.gas_limit),
                    transactions: b.txs.iter().map(|t| json::to_hex(t.raw())).collect(),
                }
            })
            .collect();
        json::pretty(&RawBatch {
            version: Quantity::num(FORMAT_VERSION),
            chain_id: Quantity::num(self.chain_id()),
            blocks,
        })
    }
}

fn parse_block(b: usize, raw: RawBlock, chain_id: u64) -> Result<Block, BatchError> {
    let at = |f: &'static str, e| BatchError::new(BatchErrorKind::Value(e)).block(b).field(f);
    let context = BlockContext {
        number: raw.number.to_u64().map_err(|e| at("number", e))?,
        timestamp: raw.timestamp.to_u64().map_err(|e| at("timestamp", e))?,
        coinbase: json::address(&raw.coinbase).map_err(|e| at("coinbase", e))?,
        base_fee: raw.base_fee.to_u64().map_err(|e| at("baseFee", e))?,
        prev_randao: json::b256(&raw.prev_randao).map_err(|e| at("prevRandao", e))?,
        gas_limit: raw.gas_limit.to_u64().map_err(|e| at("gasLimit", e))?,
    };
    let txs = raw
        .transactions
        .iter()
        .enumerate()
        .map(|(i, hex)| {
            let bytes = json::bytes(hex)
                .map_err(|e| BatchError::new(BatchErrorKind::Value(e)).block(b).tx(i))?;
            BatchTx::decode(&bytes, chain_id)
                .map_err(|e| BatchError::new(BatchErrorKind::Tx(e)).block(b).tx(i))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Block { context, txs })
}
