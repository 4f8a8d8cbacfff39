//! The batch inbox (`contracts/src/inbox/BatchInbox.sol`, docs/protocol.md §13): the posting
//! encoding of a batch, and posting and reading batches on L1.
//!
//! Posting encoding (big-endian, no padding):
//!
//! ```text
//! version(1) = 1 ‖ chainId(8) ‖ blockCount(4) ‖ block*
//! block = number(8) ‖ timestamp(8) ‖ gasLimit(8) ‖ coinbase(20) ‖ baseFee(8) ‖ prevRandao(32)
//!         ‖ txCount(4) ‖ (length(4) ‖ EIP-2718 bytes)*
//! ```
//!
//! The inbox computes the spec §13.3 commitment from exactly these bytes, so the recorded
//! commitment can never disagree with the posted data.

use alloy::primitives::{Address, B256, Bytes};
use alloy::sol_types::{SolCall, SolEvent};
use gavel_trace::batch::{BatchTx, Block, BlockContext, MAX_BLOCKS, MAX_TXS_PER_BLOCK, TxError};
use gavel_trace::{Batch, BatchError};

use crate::bindings::BatchInbox;
use crate::{ChainError, L1, TxReceipt, send_call, view};

/// The version byte of the posting encoding.
pub const BATCH_ENCODING_VERSION: u8 = 1;
/// Bytes of a block header in the posting encoding.
pub const BLOCK_HEADER_LEN: usize = 88;

/// Why posted bytes are not a batch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboxDecodeError {
    /// The data ends inside `field`, which starts at `offset`.
    #[error("truncated at byte {offset}: {field} does not fit")]
    Truncated {
        /// Where the field starts.
        offset: usize,
        /// The field.
        field: &'static str,
    },
    /// Bytes after the last transaction.
    #[error("{count} trailing bytes after the last transaction (from byte {offset})")]
    TrailingBytes {
        /// Where they start.
        offset: usize,
        /// How many.
        count: usize,
    },
    /// The version byte is not [`BATCH_ENCODING_VERSION`].
    #[error("unsupported encoding version {0} (expected {BATCH_ENCODING_VERSION})")]
    UnsupportedVersion(u8),
    /// Block count 0 or above 2^16.
    #[error("block count {0} is not in 1..=65536")]
    BadBlockCount(usize),
    /// More than 2^16 transactions in a block.
    #[error("block {block}: {count} transactions, at most 65536")]
    TooManyTxs {
        /// The block index.
        block: usize,
        /// The count.
        count: usize,
    },
    /// A transaction is not well formed (spec §13.2).
    #[error("block {block}, tx {tx}: {error}")]
    Tx {
        /// The block index.
        block: usize,
        /// The transaction index.
        tx: usize,
        /// What is wrong.
        error: TxError,
    },
    /// The blocks break a batch rule (numbers, timestamps).
    #[error("{0}")]
    Batch(#[from] BatchError),
}

/// The posting encoding of `batch` (see the module docs).
pub fn encode_batch(batch: &Batch) -> Vec<u8> {
    let mut out = vec![BATCH_ENCODING_VERSION];
    out.extend(batch.chain_id().to_be_bytes());
    out.extend((batch.blocks().len() as u32).to_be_bytes());
    for block in batch.blocks() {
        let c = &block.context;
        out.extend(c.number.to_be_bytes());
        out.extend(c.timestamp.to_be_bytes());
        out.extend(c.gas_limit.to_be_bytes());
        out.extend(c.coinbase.as_slice());
        out.extend(c.base_fee.to_be_bytes());
        out.extend(c.prev_randao.as_slice());
        out.extend((block.txs.len() as u32).to_be_bytes());
        for tx in &block.txs {
            out.extend((tx.raw().len() as u32).to_be_bytes());
            out.extend(tx.raw().as_ref());
        }
    }
    out
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], InboxDecodeError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or(InboxDecodeError::Truncated {
                offset: self.at,
                field,
            })?;
        let out = &self.data[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u64(&mut self, field: &'static str) -> Result<u64, InboxDecodeError> {
        let b = self.take(8, field)?;
        Ok(u64::from_be_bytes(b.try_into().expect("8 bytes")))
    }

    fn u32(&mut self, field: &'static str) -> Result<usize, InboxDecodeError> {
        let b = self.take(4, field)?;
        Ok(u32::from_be_bytes(b.try_into().expect("4 bytes")) as usize)
    }
}

/// Decodes the posting encoding into a well-formed batch: every structural rule the inbox
/// checks, plus spec §13.2's transaction rules (decoding, signature, chain id) that the inbox
/// leaves to nodes. Never panics on any input.
pub fn decode_batch(data: &[u8]) -> Result<Batch, InboxDecodeError> {
    let mut r = Reader { data, at: 0 };
    let version = r.take(1, "version")?[0];
    if version != BATCH_ENCODING_VERSION {
        return Err(InboxDecodeError::UnsupportedVersion(version));
    }
    let chain_id = r.u64("chainId")?;
    let count = r.u32("blockCount")?;
    if count == 0 || count > MAX_BLOCKS {
        return Err(InboxDecodeError::BadBlockCount(count));
    }
    let mut blocks = Vec::new();
    for b in 0..count {
        let number = r.u64("number")?;
        let timestamp = r.u64("timestamp")?;
        let gas_limit = r.u64("gasLimit")?;
        let coinbase = Address::from_slice(r.take(20, "coinbase")?);
        let base_fee = r.u64("baseFee")?;
        let prev_randao = B256::from_slice(r.take(32, "prevRandao")?);
        let tx_count = r.u32("txCount")?;
        if tx_count > MAX_TXS_PER_BLOCK {
            return Err(InboxDecodeError::TooManyTxs {
                block: b,
                count: tx_count,
            });
        }
        let mut txs = Vec::new();
        for i in 0..tx_count {
            let len = r.u32("tx length")?;
            let raw = r.take(len, "tx bytes")?;
            let tx = BatchTx::decode(raw, chain_id).map_err(|error| InboxDecodeError::Tx {
                block: b,
                tx: i,
                error,
            })?;
            txs.push(tx);
        }
        blocks.push(Block {
            context: BlockContext {
                number,
                timestamp,
                coinbase,
                base_fee,
                prev_randao,
                gas_limit,
            },
            txs,
        });
    }
    if r.at != data.len() {
        return Err(InboxDecodeError::TrailingBytes {
            offset: r.at,
            count: data.len() - r.at,
        });
    }
    Ok(Batch::new(chain_id, blocks)?)
}

/// A batch recorded by the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostedBatch {
    /// Its number (from 1): the L2 sequence number of the state after it.
    pub number: u64,
    /// Its spec §13.3 commitment, as the inbox computed it.
    pub commitment: B256,
    /// The posting transaction.
    pub receipt: TxReceipt,
}

/// Posts `batch` to the inbox at `inbox` from the sequencer `sequencer`. Fails with the
/// inbox's revert (`NotSequencer`, `BadBlockNumber`, …) if it refuses the batch, and with
/// [`ChainError::Unexpected`] if the recorded commitment is not `batch.commitment()`.
pub async fn post_batch(
    l1: &impl L1,
    sequencer: Address,
    inbox: Address,
    batch: &Batch,
) -> Result<PostedBatch, ChainError> {
    let receipt = post_batch_raw(l1, sequencer, inbox, encode_batch(batch)).await?;
    let posted = posted_from(&receipt, inbox)?;
    if posted.1 != batch.commitment() {
        return Err(ChainError::Unexpected {
            what: "postBatch",
            message: format!(
                "the inbox recorded commitment {} but the batch's is {}",
                posted.1,
                batch.commitment()
            ),
        });
    }
    Ok(PostedBatch {
        number: posted.0,
        commitment: posted.1,
        receipt,
    })
}

/// `inbox.postBatch(data)` with any bytes (for tests of the inbox's own checks).
pub async fn post_batch_raw(
    l1: &impl L1,
    sender: Address,
    inbox: Address,
    data: Vec<u8>,
) -> Result<TxReceipt, ChainError> {
    send_call(
        l1,
        sender,
        inbox,
        BatchInbox::postBatchCall { _data: data.into() },
        Default::default(),
    )
    .await
}

fn posted_from(receipt: &TxReceipt, inbox: Address) -> Result<(u64, B256), ChainError> {
    let log = receipt
        .logs
        .iter()
        .find(|l| {
            l.address == inbox && l.topics.first() == Some(&BatchInbox::BatchPosted::SIGNATURE_HASH)
        })
        .ok_or_else(|| ChainError::Unexpected {
            what: "postBatch",
            message: "no BatchPosted event in the receipt".into(),
        })?;
    let ev = crate::game::decode_event::<BatchInbox::BatchPosted>(log)?;
    let number = u64::try_from(ev.number).map_err(|_| ChainError::Unexpected {
        what: "postBatch",
        message: format!("batch number {} does not fit 64 bits", ev.number),
    })?;
    Ok((number, ev.commitment))
}

/// The commitment of batch `number`; [`ChainError::Reverted`] (`UnknownBatch`) if not posted.
pub async fn batch_commitment(
    l1: &impl L1,
    inbox: Address,
    number: u64,
) -> Result<B256, ChainError> {
    view(
        l1,
        inbox,
        BatchInbox::batchCommitmentCall {
            _number: alloy::primitives::U256::from(number),
        },
    )
    .await
}

/// The number of batches posted.
pub async fn batch_count(l1: &impl L1, inbox: Address) -> Result<u64, ChainError> {
    let n = view(l1, inbox, BatchInbox::batchCountCall {}).await?;
    u64::try_from(n).map_err(|_| ChainError::Unexpected {
        what: "batchCount",
        message: format!("{n} does not fit 64 bits"),
    })
}

/// The batch posted by a `postBatch` transaction, from its calldata (what a node does with the
/// transaction named by a `BatchPosted` event).
pub fn batch_from_calldata(calldata: &[u8]) -> Result<Batch, ChainError> {
    let call = BatchInbox::postBatchCall::abi_decode(calldata).map_err(|e| ChainError::Decode {
        what: "postBatch calldata".into(),
        message: e.to_string(),
    })?;
    decode_batch(&call._data).map_err(|e| ChainError::Decode {
        what: "posted batch".into(),
        message: e.to_string(),
    })
}

/// The calldata of posting `batch` (`postBatch(encode_batch(batch))`).
pub fn post_calldata(batch: &Batch) -> Bytes {
    BatchInbox::postBatchCall {
        _data: encode_batch(batch).into(),
    }
    .abi_encode()
    .into()
}

/// One `BatchPosted` event: where a node finds a posted batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchPostedEvent {
    /// The batch number.
    pub number: u64,
    /// Its commitment, as the inbox computed it.
    pub commitment: B256,
    /// `keccak256` of the posted bytes.
    pub data_hash: B256,
    /// The L1 block of the posting.
    pub block_number: u64,
    /// The posting transaction.
    pub tx_hash: B256,
}

/// The `BatchPosted` events of the inbox at `inbox` in L1 blocks `from_block..=to_block`, in
/// chain order.
pub async fn posted_batches(
    l1: &impl L1,
    inbox: Address,
    from_block: u64,
    to_block: Option<u64>,
) -> Result<Vec<BatchPostedEvent>, ChainError> {
    let logs = l1
        .logs(crate::LogFilter {
            addresses: vec![inbox],
            topic0: Some(BatchInbox::BatchPosted::SIGNATURE_HASH),
            from_block,
            to_block,
        })
        .await?;
    logs.iter()
        .map(|log| {
            let ev = crate::game::decode_event::<BatchInbox::BatchPosted>(log)?;
            let number = u64::try_from(ev.number).map_err(|_| ChainError::Unexpected {
                what: "BatchPosted",
                message: format!("batch number {} does not fit 64 bits", ev.number),
            })?;
            Ok(BatchPostedEvent {
                number,
                commitment: ev.commitment,
                data_hash: ev.dataHash,
                block_number: log.block_number,
                tx_hash: log.tx_hash,
            })
        })
        .collect()
}

/// The posting-encoded bytes of the batch `event` names, read from its transaction's
/// calldata and checked against the event's data hash. A batch posted through another
/// contract (calldata that is not a direct `postBatch` call) is a [`ChainError::Decode`].
pub async fn fetch_posted_bytes(
    l1: &impl L1,
    event: &BatchPostedEvent,
) -> Result<Vec<u8>, ChainError> {
    let input =
        l1.transaction_input(event.tx_hash)
            .await?
            .ok_or_else(|| ChainError::Unexpected {
                what: "BatchPosted",
                message: format!(
                    "the node does not know transaction {} of batch {}",
                    event.tx_hash, event.number
                ),
            })?;
    let call = BatchInbox::postBatchCall::abi_decode(&input).map_err(|e| ChainError::Decode {
        what: format!(
            "calldata of transaction {} (batch {})",
            event.tx_hash, event.number
        ),
        message: format!("not a direct postBatch call: {e}"),
    })?;
    let data: Vec<u8> = call._data.into();
    if alloy::primitives::keccak256(&data) != event.data_hash {
        return Err(ChainError::Decode {
            what: format!("batch {}", event.number),
            message: "the posting transaction's data does not hash to the event's dataHash".into(),
        });
    }
    Ok(data)
}
