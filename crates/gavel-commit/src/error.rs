//! Typed errors. Verification never panics on malformed bytes: every way a proof or an encoded
//! record can be wrong has a variant here, and the names are the ones the Solidity twins use for
//! their custom errors (spec §10).

use alloy_primitives::B256;
use thiserror::Error;

/// Why a proof (or an opening) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProofError {
    /// The proof ends before a field that must be there.
    #[error("proof truncated: {needed} more byte(s) needed at offset {at}")]
    Truncated { at: usize, needed: usize },
    /// Bytes remain after the proof was fully consumed.
    #[error("{extra} trailing byte(s) after the proof at offset {at}")]
    TrailingBytes { at: usize, extra: usize },
    /// A sibling flagged non-default in the bitmap is the default `0` (non-canonical).
    #[error("sibling at offset {at} is flagged present but is zero")]
    ZeroSibling { at: usize },
    /// Bitmap bits beyond the last sibling request are set (non-canonical).
    #[error("bitmap has bits set beyond its {requests} sibling request(s)")]
    BitmapPadding { requests: usize },
    /// A multiproof would need more than 256 sibling requests (one bitmap word).
    #[error("{requests} sibling requests exceed the limit of 256")]
    TooManySiblingRequests { requests: usize },
    /// No leaf was given to a multiproof.
    #[error("a multiproof needs at least one leaf")]
    NoLeaves,
    /// A leaf index does not fit the tree.
    #[error("leaf index {index} out of range for depth {depth}")]
    LeafIndexOutOfRange { index: u64, depth: u8 },
    /// Leaf indices must be strictly ascending.
    #[error("leaf index {index} is not greater than the previous one")]
    LeavesNotAscending { index: u64 },
    /// A trie path is deeper than the key has bits.
    #[error("path depth {depth} exceeds the maximum {max}")]
    DepthOutOfRange { depth: usize, max: usize },
    /// The terminal kind byte of a trie path is not 0, 1 or 2.
    #[error("unknown terminal kind {kind:#04x}")]
    UnknownTerminal { kind: u8 },
    /// An empty terminal below the root must have a non-empty sibling (else it is not the
    /// highest empty node on the path and the proof is not canonical).
    #[error("empty terminal at depth {depth} has an empty sibling")]
    EmptyTerminalWithoutSibling { depth: usize },
    /// A foreign-leaf terminal names the key being proven.
    #[error("foreign-leaf terminal carries the proven key itself")]
    OtherKeyIsTarget,
    /// A foreign-leaf terminal's key does not share the path's prefix with the proven key.
    #[error("foreign-leaf key leaves the proven key's path above depth {depth}")]
    OtherKeyPrefixMismatch { depth: usize },
    /// An absence proof was given together with a non-zero claimed value.
    #[error("absence proof but a non-zero value is claimed")]
    ValueForAbsentKey,
    /// The recomputed root is not the committed one.
    #[error("root mismatch: expected {expected}, computed {computed}")]
    RootMismatch { expected: B256, computed: B256 },
    /// The number of code chunks given does not match what the instruction needs.
    #[error("instruction at this pc needs {expected} chunk(s), {got} given")]
    ChunkCountMismatch { expected: usize, got: usize },
    /// A stack opening asks for more items than the stack holds.
    #[error("stack opening of {wanted} item(s) but the stack holds {len}")]
    StackUnderflow { wanted: usize, len: usize },
}

impl ProofError {
    /// The variant name: the custom error the Solidity twin reverts with, and the `error`
    /// field of negative golden vectors.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Truncated { .. } => "Truncated",
            Self::TrailingBytes { .. } => "TrailingBytes",
            Self::ZeroSibling { .. } => "ZeroSibling",
            Self::BitmapPadding { .. } => "BitmapPadding",
            Self::TooManySiblingRequests { .. } => "TooManySiblingRequests",
            Self::NoLeaves { .. } => "NoLeaves",
            Self::LeafIndexOutOfRange { .. } => "LeafIndexOutOfRange",
            Self::LeavesNotAscending { .. } => "LeavesNotAscending",
            Self::DepthOutOfRange { .. } => "DepthOutOfRange",
            Self::UnknownTerminal { .. } => "UnknownTerminal",
            Self::EmptyTerminalWithoutSibling { .. } => "EmptyTerminalWithoutSibling",
            Self::OtherKeyIsTarget { .. } => "OtherKeyIsTarget",
            Self::OtherKeyPrefixMismatch { .. } => "OtherKeyPrefixMismatch",
            Self::ValueForAbsentKey { .. } => "ValueForAbsentKey",
            Self::RootMismatch { .. } => "RootMismatch",
            Self::ChunkCountMismatch { .. } => "ChunkCountMismatch",
            Self::StackUnderflow { .. } => "StackUnderflow",
        }
    }
}

/// Errors of the builder-side (prover) APIs: asking a structure for something it cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommitError {
    /// A memory access beyond the fixed memory tree.
    #[error("memory range [{offset}, +{len}) exceeds {max} bytes")]
    MemoryOutOfRange { offset: u64, len: u64, max: u64 },
    /// Code longer than the code tree holds.
    #[error("code of {len} bytes exceeds the code tree capacity of {max} bytes")]
    CodeTooLarge { len: usize, max: usize },
    /// Push onto a full stack.
    #[error("stack overflow: 1024 items")]
    StackOverflow,
    /// Pop from an empty stack, or an opening deeper than the stack.
    #[error("stack underflow: {wanted} item(s) wanted, {len} held")]
    StackUnderflow { wanted: usize, len: usize },
    /// A leaf index outside a fixed-depth tree.
    #[error("leaf index {index} out of range for depth {depth}")]
    LeafIndexOutOfRange { index: u64, depth: u8 },
    /// A packed word or leaf value carries non-zero reserved bytes.
    #[error("{what}: reserved bytes are not zero")]
    ReservedBytes { what: &'static str },
    /// A basic-data leaf with an unknown version byte.
    #[error("basic-data version {version} is not supported")]
    UnsupportedVersion { version: u8 },
    /// Multiproof indices must be distinct and ascending.
    #[error("leaf indices must be strictly ascending")]
    LeavesNotAscending,
    /// A log with more than four topics.
    #[error("a log has at most 4 topics, got {count}")]
    TooManyTopics { count: usize },
}
