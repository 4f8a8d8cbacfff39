//! Batches: blocks of signed transactions with their context (spec §13).
//!
//! A [`Batch`] is always well formed: transactions decode, signatures recover to low-`s`
//! signers of this chain, block numbers follow each other and timestamps increase. Whether a
//! transaction is *valid against the state* (nonce, balance, gas) is decided at execution:
//! an invalid one is skipped (spec §14.2), because the dispute game must be able to prove any
//! batch the sequencer posted.

pub mod builder;
pub mod file;
pub mod tx;

use std::fmt;
use std::path::Path;

use alloy_primitives::{Address, B256, U256};
use gavel_commit::hash::tagged;
use gavel_commit::record::BlockEnv;
use gavel_commit::sparse::SparseTree;
use revm::context::BlockEnv as RevmBlockEnv;
use revm::context_interface::block::BlobExcessGasAndPrice;
use thiserror::Error;

pub use builder::{BatchBuilder, TxRequest, TxType, dev_key};
pub use tx::{BatchTx, TxError};

use crate::json::ValueError;
use crate::tag;

/// Depth of the transaction tree of a block and of the block tree of a batch (spec §13.3).
pub const BATCH_TREE_DEPTH: u8 = 16;
/// Most blocks in a batch.
pub const MAX_BLOCKS: usize = 1 << BATCH_TREE_DEPTH;
/// Most transactions in a block.
pub const MAX_TXS_PER_BLOCK: usize = 1 << BATCH_TREE_DEPTH;

/// A block's context: what its transactions see as the block environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockContext {
    /// NUMBER.
    pub number: u64,
    /// TIMESTAMP.
    pub timestamp: u64,
    /// COINBASE (receives the priority fees).
    pub coinbase: Address,
    /// BASEFEE (chosen by the sequencer, burnt).
    pub base_fee: u64,
    /// PREVRANDAO.
    pub prev_randao: B256,
    /// GASLIMIT: the sum of the gas limits of the executed transactions stays below it.
    pub gas_limit: u64,
}

impl BlockContext {
    /// A context with test-friendly defaults: 1 gwei base fee, 30M gas, a fixed coinbase and a
    /// prevrandao derived from the number.
    pub fn new(number: u64, timestamp: u64) -> Self {
        Self {
            number,
            timestamp,
            coinbase: Address::repeat_byte(0xc0),
            base_fee: 1_000_000_000,
            prev_randao: alloy_primitives::keccak256(number.to_be_bytes()),
            gas_limit: 30_000_000,
        }
    }

    /// The BlockEnv record (spec §9.6) under `chain_config`.
    pub fn env_record(&self, chain_config: B256) -> BlockEnv {
        BlockEnv {
            number: self.number,
            timestamp: self.timestamp,
            gas_limit: self.gas_limit,
            coinbase: self.coinbase,
            base_fee: U256::from(self.base_fee),
            prev_randao: self.prev_randao,
            chain_config,
        }
    }

    /// revm's block environment. There are no blobs on the L2, so the excess blob gas is 0 and
    /// BLOBBASEFEE is the minimum, 1 wei (what Ethereum computes after no blob use).
    pub fn revm_env(&self) -> RevmBlockEnv {
        RevmBlockEnv {
            number: U256::from(self.number),
            beneficiary: self.coinbase,
            timestamp: U256::from(self.timestamp),
            gas_limit: self.gas_limit,
            basefee: self.base_fee,
            difficulty: U256::ZERO,
            prevrandao: Some(self.prev_randao),
            blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new(
                0,
                revm::primitives::eip4844::BLOB_BASE_FEE_UPDATE_FRACTION_PRAGUE,
            )),
            slot_num: 0,
        }
    }

    /// The preimage of the block's leaf (spec §13.3, 144 bytes): `number ‖ timestamp ‖
    /// gasLimit ‖ coinbase ‖ baseFee(32) ‖ prevRandao ‖ txCount(4) ‖ txRoot`. Witnesses open
    /// it as it is (§17.6).
    pub fn leaf_preimage(&self, tx_count: u32, tx_root: &B256) -> Vec<u8> {
        [
            &self.number.to_be_bytes()[..],
            &self.timestamp.to_be_bytes(),
            &self.gas_limit.to_be_bytes(),
            self.coinbase.as_slice(),
            &U256::from(self.base_fee).to_be_bytes::<32>(),
            self.prev_randao.as_slice(),
            &tx_count.to_be_bytes(),
            tx_root.as_slice(),
        ]
        .concat()
    }

    /// The block's leaf in the batch tree (spec §13.3).
    pub fn leaf(&self, tx_count: u32, tx_root: &B256) -> B256 {
        tagged(tag::BATCH_BLOCK, &[&self.leaf_preimage(tx_count, tx_root)])
    }
}

/// A block of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Its context.
    pub context: BlockContext,
    /// Its transactions, in order.
    pub txs: Vec<BatchTx>,
}

impl Block {
    /// The depth-16 tree of transaction hashes (spec §13.3); fails for more than
    /// [`MAX_TXS_PER_BLOCK`] transactions.
    pub fn tx_tree(&self) -> Result<SparseTree, BatchError> {
        if self.txs.len() > MAX_TXS_PER_BLOCK {
            return Err(BatchError::new(BatchErrorKind::TooManyTxs(self.txs.len())));
        }
        Ok(SparseTree::from_leaves(
            BATCH_TREE_DEPTH,
            self.txs
                .iter()
                .enumerate()
                .map(|(i, t)| (i as u64, t.hash())),
        )
        .expect("indices below 2^16 fit the depth-16 tree"))
    }

    /// The block's leaf in the batch tree.
    pub fn leaf(&self) -> Result<B256, BatchError> {
        Ok(self
            .context
            .leaf(self.txs.len() as u32, &self.tx_tree()?.root()))
    }
}

/// A well-formed batch (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    chain_id: u64,
    blocks: Vec<Block>,
}

impl Batch {
    /// Check and wrap blocks: at least one block, at most [`MAX_BLOCKS`] with at most
    /// [`MAX_TXS_PER_BLOCK`] transactions each, consecutive numbers, increasing timestamps,
    /// every transaction signed for `chain_id`.
    pub fn new(chain_id: u64, blocks: Vec<Block>) -> Result<Self, BatchError> {
        if blocks.is_empty() {
            return Err(BatchError::new(BatchErrorKind::NoBlocks));
        }
        if blocks.len() > MAX_BLOCKS {
            return Err(BatchError::new(BatchErrorKind::TooManyBlocks(blocks.len())));
        }
        for (b, block) in blocks.iter().enumerate() {
            let at = |kind| BatchError::new(kind).block(b);
            if block.txs.len() > MAX_TXS_PER_BLOCK {
                return Err(at(BatchErrorKind::TooManyTxs(block.txs.len())));
            }
            if let Some((i, _)) = block
                .txs
                .iter()
                .enumerate()
                .find(|(_, t)| t.envelope_chain_id() != Some(chain_id))
            {
                return Err(BatchError::new(BatchErrorKind::Tx(TxError::WrongChainId {
                    expected: chain_id,
                    got: block.txs[i].envelope_chain_id().unwrap_or_default(),
                }))
                .block(b)
                .tx(i));
            }
            if b > 0 {
                let parent = &blocks[b - 1].context;
                let expected = parent.number.wrapping_add(1);
                if block.context.number != expected {
                    return Err(at(BatchErrorKind::BlockNumber {
                        expected,
                        got: block.context.number,
                    })
                    .field("number"));
                }
                if block.context.timestamp <= parent.timestamp {
                    return Err(at(BatchErrorKind::Timestamp {
                        parent: parent.timestamp,
                        got: block.context.timestamp,
                    })
                    .field("timestamp"));
                }
            }
        }
        Ok(Self { chain_id, blocks })
    }

    /// The chain the transactions are signed for.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The blocks.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Number of transitions: block start, one per transaction, block end, for every block
    /// (spec §15.1).
    pub fn transition_count(&self) -> u64 {
        self.blocks.iter().map(|b| b.txs.len() as u64 + 2).sum()
    }

    /// The batch commitment (spec §13.3):
    /// `keccak256(0x1a ‖ blockCount(uint32) ‖ blocksRoot)`.
    pub fn commitment(&self) -> B256 {
        tagged(
            tag::BATCH,
            &[
                &(self.blocks.len() as u32).to_be_bytes(),
                self.blocks_tree().root().as_slice(),
            ],
        )
    }

    /// The depth-16 tree of block leaves (spec §13.3) whose root the commitment holds; the
    /// block openings of the boundary-step witnesses prove against it (§17.6).
    pub fn blocks_tree(&self) -> SparseTree {
        SparseTree::from_leaves(
            BATCH_TREE_DEPTH,
            self.blocks.iter().enumerate().map(|(i, b)| {
                let leaf = b.leaf().expect("Batch::new checked the transaction counts");
                (i as u64, leaf)
            }),
        )
        .expect("a batch holds at most 2^16 blocks")
    }
}

impl BatchTx {
    fn envelope_chain_id(&self) -> Option<u64> {
        alloy_consensus::Transaction::chain_id(self.envelope())
    }
}

/// What is wrong with a batch, and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct BatchError {
    /// The file, if read from one.
    pub file: Option<Box<Path>>,
    /// Index of the block in the batch.
    pub block: Option<usize>,
    /// Index of the transaction in its block.
    pub tx: Option<usize>,
    /// The field (`timestamp`, `baseFee`, …).
    pub field: Option<&'static str>,
    /// What is wrong.
    pub kind: BatchErrorKind,
}

impl BatchError {
    pub(crate) fn new(kind: BatchErrorKind) -> Self {
        Self {
            file: None,
            block: None,
            tx: None,
            field: None,
            kind,
        }
    }

    pub(crate) fn block(mut self, b: usize) -> Self {
        self.block = Some(b);
        self
    }

    pub(crate) fn tx(mut self, i: usize) -> Self {
        self.tx = Some(i);
        self
    }

    pub(crate) fn field(mut self, f: &'static str) -> Self {
        self.field = Some(f);
        self
    }
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(p) = &self.file {
            parts.push(p.display().to_string());
        }
        if let Some(b) = self.block {
            parts.push(format!("block {b}"));
        }
        if let Some(t) = self.tx {
            parts.push(format!("tx {t}"));
        }
        if let Some(x) = self.field {
            parts.push(x.to_owned());
        }
        if !parts.is_empty() {
            write!(f, "{}: ", parts.join(", "))?;
        }
        write!(f, "{}", self.kind)
    }
}

/// The kinds of [`BatchError`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BatchErrorKind {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(String),
    /// Not valid JSON or not the expected structure (serde's message has line and column).
    #[error("malformed batch JSON: {0}")]
    Json(String),
    /// A format version this crate does not read.
    #[error("batch format version {0} is not supported (this crate reads version 1)")]
    UnsupportedVersion(u64),
    /// The file's chain id is not the genesis chain id.
    #[error("batch is for chain {got}, the chain is {expected}")]
    ChainId {
        /// The chain's id.
        expected: u64,
        /// The file's.
        got: u64,
    },
    /// A value does not parse.
    #[error(transparent)]
    Value(#[from] ValueError),
    /// A transaction is rejected.
    #[error(transparent)]
    Tx(#[from] TxError),
    /// A batch without blocks.
    #[error("a batch needs at least one block")]
    NoBlocks,
    /// More than [`MAX_BLOCKS`] blocks.
    #[error("{0} blocks exceed the limit of {MAX_BLOCKS}")]
    TooManyBlocks(usize),
    /// More than [`MAX_TXS_PER_BLOCK`] transactions in a block.
    #[error("{0} transactions exceed the limit of {MAX_TXS_PER_BLOCK}")]
    TooManyTxs(usize),
    /// Block numbers must follow each other.
    #[error("block number {got}, expected {expected}")]
    BlockNumber {
        /// The next number.
        expected: u64,
        /// The given number.
        got: u64,
    },
    /// Timestamps must increase strictly.
    #[error("timestamp {got} is not after the parent's {parent}")]
    Timestamp {
        /// The parent block's timestamp.
        parent: u64,
        /// The given timestamp.
        got: u64,
    },
}
