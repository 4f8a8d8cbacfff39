//! State records: what a trace position commits to (spec §9).
//!
//! Inside a transaction a position commits to a [`StepState`]; between transitions to a
//! [`Boundary`]. Both are `keccak(tag ‖ fixed-width fields)`, so the Solidity side opens one with
//! a single `abi.encodePacked` and one `keccak256`. The step state is split in two because
//! witness bytes are the cost (DESIGN §3): the fields nearly every opcode needs (pc, gas,
//! stack, memory, code, micro-op state) sit at the top, six words; everything else (world,
//! substate, logs, return data, refund, frame and transaction constants) hides behind one
//! [`Context`] hash that only state-, log-, call- and environment-opcodes open.
//!
//! Small integers are packed big-endian into one word per record with the remaining bytes
//! reserved zero; decoding rejects non-zero reserved bytes so one state has one encoding.

use alloy_primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};

use crate::error::CommitError;
use crate::hash::{keccak256, tag, tagged};
use crate::memory::DataView;

/// Fixed-position big-endian packing of small fields into a 32-byte word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Packed([u8; 32]);

impl Packed {
    fn put(mut self, at: usize, bytes: &[u8]) -> Self {
        self.0[at..at + bytes.len()].copy_from_slice(bytes);
        self
    }

    fn get<const N: usize>(&self, at: usize) -> [u8; N] {
        self.0[at..at + N]
            .try_into()
            .expect("fixed field positions")
    }

    fn check_reserved(w: &B256, from: usize, what: &'static str) -> Result<Self, CommitError> {
        if w[from..].iter().any(|&b| b != 0) {
            return Err(CommitError::ReservedBytes { what });
        }
        Ok(Self(w.0))
    }

    /// The word.
    pub fn word(&self) -> B256 {
        B256::from(self.0)
    }
}

/// The machine word: `pc(4) ‖ gas(8) ‖ stackLength(2) ‖ memorySize(4) ‖ cursor(4) ‖ 0(10)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// Program counter.
    pub pc: u32,
    /// Gas left in the frame.
    pub gas: u64,
    /// Stack length (≤ 1024).
    pub stack_len: u16,
    /// Memory size in bytes (a multiple of 32).
    pub memory_size: u32,
    /// Micro-op cursor (0 when no micro-op sequence runs).
    pub cursor: u32,
}

impl Machine {
    /// Pack.
    pub fn word(&self) -> B256 {
        Packed::default()
            .put(0, &self.pc.to_be_bytes())
            .put(4, &self.gas.to_be_bytes())
            .put(12, &self.stack_len.to_be_bytes())
            .put(14, &self.memory_size.to_be_bytes())
            .put(18, &self.cursor.to_be_bytes())
            .word()
    }

    /// Unpack (reserved bytes 22..32 must be zero).
    pub fn from_word(w: &B256) -> Result<Self, CommitError> {
        let p = Packed::check_reserved(w, 22, "machine word")?;
        Ok(Self {
            pc: u32::from_be_bytes(p.get(0)),
            gas: u64::from_be_bytes(p.get(4)),
            stack_len: u16::from_be_bytes(p.get(12)),
            memory_size: u32::from_be_bytes(p.get(14)),
            cursor: u32::from_be_bytes(p.get(18)),
        })
    }
}

/// The hot record of a position inside a transaction (spec §9.2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepState {
    /// pc, gas, stack length, memory size, micro-op cursor.
    pub machine: Machine,
    /// Stack hash-chain head.
    pub stack_head: B256,
    /// Memory root of the current frame.
    pub memory_root: B256,
    /// Code root of the executing code.
    pub code_root: B256,
    /// Hash of the running micro-op sequence's state (0 when none).
    pub micro: B256,
    /// [`Context::hash`].
    pub context: B256,
}

impl StepState {
    /// `machine ‖ stackHead ‖ memoryRoot ‖ codeRoot ‖ micro ‖ context` (192 bytes).
    pub fn preimage(&self) -> Vec<u8> {
        [
            self.machine.word(),
            self.stack_head,
            self.memory_root,
            self.code_root,
            self.micro,
            self.context,
        ]
        .concat()
    }

    /// `keccak256(0x10 ‖ preimage)`.
    pub fn hash(&self) -> B256 {
        tagged(tag::STEP, &[&self.preimage()])
    }
}

/// The less frequently opened half of a step state (spec §9.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// World-state root.
    pub world_root: B256,
    /// Substate root.
    pub substate_root: B256,
    /// Log accumulator of the transaction ([`log_link`]).
    pub logs: B256,
    /// The last call's return data.
    pub return_data: DataView,
    /// Refund counter (two's complement, may dip below zero inside a frame).
    pub refund: i64,
    /// [`Frame::hash`] of the executing frame.
    pub frame: B256,
    /// [`TxEnv::hash`].
    pub tx: B256,
}

impl Context {
    /// `returnOffset(4) ‖ returnLength(4) ‖ refund(8) ‖ 0(16)`.
    pub fn packed(&self) -> B256 {
        Packed::default()
            .put(0, &self.return_data.packed())
            .put(8, &self.refund.to_be_bytes())
            .word()
    }

    /// Inverse of [`Context::packed`]: `(offset, length, refund)`.
    pub fn unpack(w: &B256) -> Result<(u32, u32, i64), CommitError> {
        let p = Packed::check_reserved(w, 16, "context word")?;
        Ok((
            u32::from_be_bytes(p.get(0)),
            u32::from_be_bytes(p.get(4)),
            i64::from_be_bytes(p.get(8)),
        ))
    }

    /// `worldRoot ‖ substateRoot ‖ logs ‖ returnDataRoot ‖ packed ‖ frame ‖ tx` (224 bytes).
    pub fn preimage(&self) -> Vec<u8> {
        [
            self.world_root,
            self.substate_root,
            self.logs,
            self.return_data.root,
            self.packed(),
            self.frame,
            self.tx,
        ]
        .concat()
    }

    /// `keccak256(0x11 ‖ preimage)`.
    pub fn hash(&self) -> B256 {
        tagged(tag::CONTEXT, &[&self.preimage()])
    }
}

/// What a reverting frame restores (spec §9.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// World root at frame entry.
    pub world_root: B256,
    /// Substate root at frame entry.
    pub substate_root: B256,
    /// Log accumulator at frame entry.
    pub logs: B256,
    /// Refund counter at frame entry.
    pub refund: i64,
}

impl Snapshot {
    /// `keccak256(0x17 ‖ worldRoot ‖ substateRoot ‖ logs ‖ refund(8))`.
    pub fn hash(&self) -> B256 {
        tagged(
            tag::SNAPSHOT,
            &[
                self.world_root.as_slice(),
                self.substate_root.as_slice(),
                self.logs.as_slice(),
                &self.refund.to_be_bytes(),
            ],
        )
    }
}

/// Frame flag: STATICCALL context.
pub const FRAME_STATIC: u8 = 1;
/// Frame flag: the frame runs initcode (CREATE/CREATE2/creation transaction).
pub const FRAME_CREATE: u8 = 2;

/// Per-frame constants (spec §9.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// ADDRESS (whose storage the frame uses).
    pub address: Address,
    /// CALLER.
    pub caller: Address,
    /// CALLVALUE.
    pub value: U256,
    /// Calldata (for a create frame: empty).
    pub calldata: DataView,
    /// CODESIZE.
    pub code_size: u32,
    /// Where the caller wants the output: offset in its memory.
    pub ret_offset: u32,
    /// Where the caller wants the output: length.
    pub ret_length: u32,
    /// Call depth (0 for the transaction's frame).
    pub depth: u16,
    /// [`FRAME_STATIC`] | [`FRAME_CREATE`].
    pub flags: u8,
    /// [`StepState::hash`] of the suspended caller (0 for the transaction's frame).
    pub parent: B256,
    /// [`Snapshot::hash`] taken at entry.
    pub snapshot: B256,
}

impl Frame {
    /// `calldataOffset(4) ‖ calldataLength(4) ‖ codeSize(4) ‖ retOffset(4) ‖ retLength(4) ‖
    /// depth(2) ‖ flags(1) ‖ 0(9)`.
    pub fn packed(&self) -> B256 {
        Packed::default()
            .put(0, &self.calldata.packed())
            .put(8, &self.code_size.to_be_bytes())
            .put(12, &self.ret_offset.to_be_bytes())
            .put(16, &self.ret_length.to_be_bytes())
            .put(20, &self.depth.to_be_bytes())
            .put(22, &[self.flags])
            .word()
    }

    /// `address(20) ‖ caller(20) ‖ value(32) ‖ calldataRoot(32) ‖ packed(32) ‖ parent(32) ‖
    /// snapshot(32)` (200 bytes).
    pub fn preimage(&self) -> Vec<u8> {
        [
            self.address.as_slice(),
            self.caller.as_slice(),
            &self.value.to_be_bytes::<32>(),
            self.calldata.root.as_slice(),
            self.packed().as_slice(),
            self.parent.as_slice(),
            self.snapshot.as_slice(),
        ]
        .concat()
    }

    /// `keccak256(0x12 ‖ preimage)`.
    pub fn hash(&self) -> B256 {
        tagged(tag::FRAME, &[&self.preimage()])
    }
}

/// Per-transaction constants (spec §9.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxEnv {
    /// ORIGIN.
    pub origin: Address,
    /// GASPRICE (effective gas price).
    pub gas_price: U256,
    /// The transaction's gas limit.
    pub gas_limit: u64,
    /// The signed transaction's hash.
    pub tx_hash: B256,
    /// [`Boundary::hash`] the transaction started from.
    pub boundary: B256,
}

impl TxEnv {
    /// `keccak256(0x13 ‖ origin(20) ‖ gasPrice(32) ‖ gasLimit(8) ‖ txHash(32) ‖ boundary(32))`.
    pub fn hash(&self) -> B256 {
        tagged(
            tag::TX,
            &[
                self.origin.as_slice(),
                &self.gas_price.to_be_bytes::<32>(),
                &self.gas_limit.to_be_bytes(),
                self.tx_hash.as_slice(),
                self.boundary.as_slice(),
            ],
        )
    }
}

/// Per-block constants (spec §9.6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockEnv {
    /// NUMBER.
    pub number: u64,
    /// TIMESTAMP.
    pub timestamp: u64,
    /// GASLIMIT.
    pub gas_limit: u64,
    /// COINBASE.
    pub coinbase: Address,
    /// BASEFEE.
    pub base_fee: U256,
    /// PREVRANDAO.
    pub prev_randao: B256,
    /// [`ChainConfig::hash`].
    pub chain_config: B256,
}

impl BlockEnv {
    /// `keccak256(0x15 ‖ number(8) ‖ timestamp(8) ‖ gasLimit(8) ‖ coinbase(20) ‖ baseFee(32) ‖
    /// prevRandao(32) ‖ chainConfig(32))`.
    pub fn hash(&self) -> B256 {
        tagged(
            tag::BLOCK,
            &[
                &self.number.to_be_bytes(),
                &self.timestamp.to_be_bytes(),
                &self.gas_limit.to_be_bytes(),
                self.coinbase.as_slice(),
                &self.base_fee.to_be_bytes::<32>(),
                self.prev_randao.as_slice(),
                self.chain_config.as_slice(),
            ],
        )
    }
}

/// Boundary phase: before the block start of `block_index`.
pub const PHASE_BETWEEN_BLOCKS: u8 = 0;
/// Boundary phase: inside block `block_index`, before transaction `tx_index`.
pub const PHASE_IN_BLOCK: u8 = 1;

/// The record between transitions: after block start, after each transaction, after block end
/// (spec §9.6). The last step of a transition produces it as its post-state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boundary {
    /// World-state root.
    pub world_root: B256,
    /// The batch being executed (its inbox commitment).
    pub batch: B256,
    /// [`BlockEnv::hash`] of the current block (0 between blocks).
    pub block_env: B256,
    /// Index of the current block in the batch.
    pub block_index: u32,
    /// Index of the next transaction in the block.
    pub tx_index: u32,
    /// [`PHASE_BETWEEN_BLOCKS`] or [`PHASE_IN_BLOCK`].
    pub phase: u8,
    /// Gas used by the block so far.
    pub block_gas_used: u64,
    /// Receipt accumulator of the block ([`receipt_link`]).
    pub receipts: B256,
    /// Hash of the last completed block (for BLOCKHASH and the next block's parent).
    pub last_block_hash: B256,
}

impl Boundary {
    /// `blockIndex(4) ‖ txIndex(4) ‖ phase(1) ‖ blockGasUsed(8) ‖ 0(15)`.
    pub fn packed(&self) -> B256 {
        Packed::default()
            .put(0, &self.block_index.to_be_bytes())
            .put(4, &self.tx_index.to_be_bytes())
            .put(8, &[self.phase])
            .put(9, &self.block_gas_used.to_be_bytes())
            .word()
    }

    /// `worldRoot ‖ batch ‖ blockEnv ‖ packed ‖ receipts ‖ lastBlockHash` (192 bytes).
    pub fn preimage(&self) -> Vec<u8> {
        [
            self.world_root,
            self.batch,
            self.block_env,
            self.packed(),
            self.receipts,
            self.last_block_hash,
        ]
        .concat()
    }

    /// `keccak256(0x14 ‖ preimage)`.
    pub fn hash(&self) -> B256 {
        tagged(tag::BOUNDARY, &[&self.preimage()])
    }
}

/// One log appended to an accumulator (spec §9.7):
/// `keccak256(0x07 ‖ prev ‖ address(20) ‖ topicCount(1) ‖ topics(32 each) ‖ dataRoot(32) ‖
/// dataOffset(4) ‖ dataLength(4))`. The data stays a view into the emitting frame's memory.
pub fn log_link(
    prev: &B256,
    address: &Address,
    topics: &[B256],
    data: &DataView,
) -> Result<B256, CommitError> {
    if topics.len() > 4 {
        return Err(CommitError::TooManyTopics {
            count: topics.len(),
        });
    }
    let mut pre = Vec::with_capacity(32 + 20 + 1 + 32 * topics.len() + 40);
    pre.extend_from_slice(prev.as_slice());
    pre.extend_from_slice(address.as_slice());
    pre.push(topics.len() as u8);
    for t in topics {
        pre.extend_from_slice(t.as_slice());
    }
    pre.extend_from_slice(data.root.as_slice());
    pre.extend_from_slice(&data.packed());
    Ok(tagged(tag::LOG, &[&pre]))
}

/// One transaction's receipt appended to a block's accumulator (spec §9.7):
/// `keccak256(0x18 ‖ prev ‖ status(1) ‖ cumulativeGasUsed(8) ‖ logs(32))`.
pub fn receipt_link(prev: &B256, success: bool, cumulative_gas: u64, logs: &B256) -> B256 {
    tagged(
        tag::RECEIPT,
        &[
            prev.as_slice(),
            &[u8::from(success)],
            &cumulative_gas.to_be_bytes(),
            logs.as_slice(),
        ],
    )
}

/// The L2 per-transaction gas cap (deviation D3; EIP-7825 allows 2^24).
pub const L2_TX_GAS_CAP: u64 = 1 << 23;

/// Deviation bits of [`ChainConfig::deviations`] (spec §9.8).
pub mod deviation {
    /// D0: state commitments use gavel's keccak encodings instead of EIP-7864's SHA-256 tree.
    pub const KECCAK_COMMITMENTS: u64 = 1 << 0;
    /// D1: code lives in a chunk tree under the CODE_ROOT leaf, not in the world trie.
    pub const CODE_TREE: u64 = 1 << 1;
    /// D2: balances (and so total supply) stay below 2^128.
    pub const BALANCE_128: u64 = 1 << 2;
    /// D3: the per-transaction gas cap is 2^23.
    pub const TX_GAS_CAP_2_23: u64 = 1 << 3;
    /// Every deviation of spec v0.1.
    pub const V0_1: u64 = KECCAK_COMMITMENTS | CODE_TREE | BALANCE_128 | TX_GAS_CAP_2_23;
}

/// The chain configuration pinned by every block (spec §9.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainConfig {
    /// CHAINID.
    pub chain_id: u64,
    /// Fork name, hashed into the config ("Osaka").
    pub fork: String,
    /// Per-transaction gas cap.
    pub tx_gas_cap: u64,
    /// Deviation bits ([`deviation`]).
    pub deviations: u64,
}

/// Spec version as `(major, minor)`, hashed into the chain config.
pub const SPEC_VERSION: (u8, u8) = (0, 1);

impl ChainConfig {
    /// The v0.1 configuration for `chain_id`: Osaka, 2^23 cap, deviations D0–D3.
    pub fn osaka(chain_id: u64) -> Self {
        Self {
            chain_id,
            fork: "Osaka".into(),
            tx_gas_cap: L2_TX_GAS_CAP,
            deviations: deviation::V0_1,
        }
    }

    /// `keccak256(0x16 ‖ specMajor(1) ‖ specMinor(1) ‖ chainId(8) ‖ keccak256(fork) ‖
    /// txGasCap(8) ‖ deviations(8))`.
    pub fn hash(&self) -> B256 {
        tagged(
            tag::CHAIN_CONFIG,
            &[
                &[SPEC_VERSION.0, SPEC_VERSION.1],
                &self.chain_id.to_be_bytes(),
                keccak256(self.fork.as_bytes()).as_slice(),
                &self.tx_gas_cap.to_be_bytes(),
                &self.deviations.to_be_bytes(),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_word_round_trips_and_rejects_reserved_bytes() {
        let m = Machine {
            pc: 0x0102_0304,
            gas: 0x1122_3344_5566_7788,
            stack_len: 1024,
            memory_size: 0x20_0000,
            cursor: 9,
        };
        let w = m.word();
        assert_eq!(&w[..4], &[1, 2, 3, 4]);
        assert_eq!(Machine::from_word(&w).unwrap(), m);
        let mut bad = w;
        bad[31] = 1;
        assert!(Machine::from_word(&bad).is_err());
    }

    #[test]
    fn context_word_keeps_a_negative_refund() {
        let c = Context {
            refund: -5,
            return_data: DataView {
                root: B256::ZERO,
                offset: 7,
                length: 9,
            },
            ..Default::default()
        };
        assert_eq!(Context::unpack(&c.packed()).unwrap(), (7, 9, -5));
    }

    #[test]
    fn every_field_changes_the_step_hash() {
        let base = StepState::default();
        let h = base.hash();
        let mut variants = vec![];
        let mut s = base;
        s.machine.cursor = 1;
        variants.push(s);
        let mut s = base;
        s.micro = B256::with_last_byte(1);
        variants.push(s);
        let mut s = base;
        s.context = B256::with_last_byte(1);
        variants.push(s);
        for v in variants {
            assert_ne!(v.hash(), h);
        }
        assert_eq!(base.preimage().len(), 192);
    }

    #[test]
    fn logs_take_at_most_four_topics() {
        let v = DataView::default();
        assert!(log_link(&B256::ZERO, &Address::ZERO, &[B256::ZERO; 4], &v).is_ok());
        assert_eq!(
            log_link(&B256::ZERO, &Address::ZERO, &[B256::ZERO; 5], &v),
            Err(CommitError::TooManyTopics { count: 5 })
        );
    }
}
