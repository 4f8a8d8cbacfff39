//! Domain-tagged keccak-256.
//!
//! Every gavel commitment is `keccak256(tag ‖ payload)` with a one-byte tag from [`tag`], so no
//! preimage of one kind can be read as another kind (an internal node as a stem, a stack link
//! as a record). The one exception to "always hash" is [`node_hash`]: two empty children make
//! an empty parent (`0`), which is what lets every tree use `0` as its default sibling and keeps
//! the verifier free of default-hash tables. See `docs/spec.md` §2.

use std::cell::Cell;

use alloy_primitives::B256;
use tiny_keccak::{Hasher, Keccak};

/// The one-byte domain tags (spec §2.1). Values are part of the spec: never renumber.
pub mod tag {
    /// Internal node of any binary tree: `left ‖ right`.
    pub const NODE: u8 = 0x01;
    /// World-trie terminal (stem node): `stem(31) ‖ subtree root(32)`.
    pub const STEM: u8 = 0x02;
    /// Substate-trie terminal: `key(31) ‖ value(32)`.
    pub const SUBSTATE_LEAF: u8 = 0x03;
    /// Stack hash-chain link: `below(32) ‖ item(32)`.
    pub const STACK: u8 = 0x04;
    /// World-trie stem derivation: `address(20) ‖ tree index(32)`.
    pub const STEM_KEY: u8 = 0x05;
    /// Substate key derivation: `kind(1) ‖ address(20) ‖ slot(32)`.
    pub const SUBSTATE_KEY: u8 = 0x06;
    /// Log accumulator link.
    pub const LOG: u8 = 0x07;
    /// Step state (hot record).
    pub const STEP: u8 = 0x10;
    /// Step context (the less frequently opened half of the step state).
    pub const CONTEXT: u8 = 0x11;
    /// Per-frame constants.
    pub const FRAME: u8 = 0x12;
    /// Per-transaction constants.
    pub const TX: u8 = 0x13;
    /// Boundary state between transitions (block start, transaction, block end).
    pub const BOUNDARY: u8 = 0x14;
    /// Per-block constants.
    pub const BLOCK: u8 = 0x15;
    /// Chain configuration.
    pub const CHAIN_CONFIG: u8 = 0x16;
    /// Revert snapshot of a call frame.
    pub const SNAPSHOT: u8 = 0x17;
    /// Receipt accumulator link.
    pub const RECEIPT: u8 = 0x18;
}

thread_local! {
    static HASHES: Cell<u64> = const { Cell::new(0) };
}

/// Number of keccak-256 invocations made by this thread through this module.
///
/// Tests use it to show that an incremental update costs O(depth) hashes, not O(n); a
/// thread-local counter costs nothing next to a keccak permutation.
pub fn hash_count() -> u64 {
    HASHES.with(Cell::get)
}

/// Plain keccak-256 of the concatenation of `parts`.
pub fn keccak256_parts(parts: &[&[u8]]) -> B256 {
    HASHES.with(|c| c.set(c.get() + 1));
    let mut k = Keccak::v256();
    for p in parts {
        k.update(p);
    }
    let mut out = [0u8; 32];
    k.finalize(&mut out);
    B256::from(out)
}

/// Plain keccak-256.
pub fn keccak256(data: &[u8]) -> B256 {
    keccak256_parts(&[data])
}

/// `keccak256(tag ‖ parts...)`.
pub fn tagged(tag: u8, parts: &[&[u8]]) -> B256 {
    HASHES.with(|c| c.set(c.get() + 1));
    let mut k = Keccak::v256();
    k.update(&[tag]);
    for p in parts {
        k.update(p);
    }
    let mut out = [0u8; 32];
    k.finalize(&mut out);
    B256::from(out)
}

/// Internal node of every binary tree: `0` if both children are `0`, else
/// `keccak256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &B256, right: &B256) -> B256 {
    if left.is_zero() && right.is_zero() {
        return B256::ZERO;
    }
    tagged(tag::NODE, &[left.as_slice(), right.as_slice()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keccak_of_empty_is_the_known_constant() {
        assert_eq!(
            keccak256(&[]).to_string(),
            "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
        );
    }

    #[test]
    fn empty_children_give_empty_parent_and_any_other_pair_hashes() {
        assert_eq!(node_hash(&B256::ZERO, &B256::ZERO), B256::ZERO);
        let one = B256::with_last_byte(1);
        let l = node_hash(&one, &B256::ZERO);
        let r = node_hash(&B256::ZERO, &one);
        assert_ne!(l, B256::ZERO);
        assert_ne!(l, r, "child order must matter");
        assert_eq!(
            l,
            tagged(tag::NODE, &[one.as_slice(), B256::ZERO.as_slice()])
        );
    }

    #[test]
    fn counter_counts_every_hash() {
        let before = hash_count();
        keccak256(b"a");
        tagged(1, &[b"b"]);
        node_hash(&B256::ZERO, &B256::ZERO);
        assert_eq!(
            hash_count() - before,
            2,
            "the empty-pair shortcut must not hash"
        );
    }
}
