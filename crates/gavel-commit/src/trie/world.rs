//! The world state (spec §4.5): the prefix trie of stems, each with a 256-leaf subtree.
//!
//! A stem's terminal is `keccak(0x02 ‖ stem ‖ subroot)` where `subroot` is the root of a
//! depth-8 [`SparseTree`] over its 256 leaf values (raw values, `0` = empty). A leaf write costs
//! 8 subtree hashes plus the stem's trie path.
//!
//! A **stem opening** proves (and optionally rewrites) several leaves of one stem:
//!
//! ```text
//! StemProof := PathProof(tag 0x02)           spec §4.3
//!              ‖ MultiProof(depth 8, J)      only if the path ends in the stem itself
//! ```
//!
//! where `J` are the opened subindices, ascending. Random stems share about one level of their
//! paths, so a step that touches several stems carries one opening per stem, each verified
//! against the root left by the previous one (spec §4.6), rather than a joint multiproof that
//! would save almost nothing.

use alloy_primitives::map::HashMap;

use alloy_primitives::{Address, B256, U256};

use crate::code::CodeTree;
use crate::error::{CommitError, ProofError};
use crate::hash::{keccak256, tag};
use crate::proof::{self, Reader, expect_root, root_from_siblings};
use crate::sparse::SparseTree;

use super::key::{self, BasicData, TreeKey};
use super::path::PathProof;
use super::{Key, PrefixTrie};

/// Depth of a stem's subtree (256 leaves).
pub const STEM_DEPTH: u8 = 8;

/// The world state trie.
#[derive(Debug, Clone)]
pub struct WorldState {
    trie: PrefixTrie,
    stems: HashMap<Key, SparseTree>,
}

impl Default for WorldState {
    fn default() -> Self {
        Self::new()
    }
}

impl WorldState {
    /// An empty world (root `0`).
    pub fn new() -> Self {
        Self {
            trie: PrefixTrie::new(tag::STEM),
            stems: HashMap::default(),
        }
    }

    /// The world root.
    pub fn root(&self) -> B256 {
        self.trie.root()
    }

    /// Number of stems ever created (emptied stems stay: no collapsing).
    pub fn stem_count(&self) -> usize {
        self.stems.len()
    }

    /// Depth of `stem`'s terminal in the trie (or where its path ends if absent).
    pub fn depth_of(&self, stem: &Key) -> usize {
        self.trie.depth_of(stem)
    }

    /// Leaf value (`0` if absent).
    pub fn get(&self, key: &TreeKey) -> B256 {
        self.stems
            .get(&key.stem)
            .map_or(B256::ZERO, |t| t.get(key.subindex.into()))
    }

    /// Write a leaf. Writing `0` into an absent stem changes nothing; a stem, once created,
    /// stays. O(8 + depth) hashes.
    pub fn set(&mut self, key: &TreeKey, value: B256) {
        let tree = match self.stems.get_mut(&key.stem) {
            Some(t) => t,
            None if value.is_zero() => return,
            None => self
                .stems
                .entry(key.stem)
                .or_insert_with(|| SparseTree::new(STEM_DEPTH)),
        };
        tree.set(key.subindex.into(), value)
            .expect("a u8 subindex is inside a depth-8 tree");
        // A stem in `stems` is present in the trie, so a zero subroot updates it in place
        // (the stem stays: no collapsing) rather than being ignored.
        let sub = tree.root();
        self.trie.set(key.stem, sub);
    }

    /// The opening of `subindices` (ascending, distinct, non-empty) of `stem`.
    pub fn prove(&self, stem: &Key, subindices: &[u8]) -> Result<Vec<u8>, CommitError> {
        if subindices.is_empty() || subindices.windows(2).any(|w| w[0] >= w[1]) {
            return Err(CommitError::LeavesNotAscending);
        }
        let path = self.trie.prove(stem);
        let mut out = path.to_bytes();
        if path.is_present() {
            let idx: Vec<u64> = subindices.iter().map(|&s| s.into()).collect();
            out.extend(self.stems[stem].prove(&idx)?);
        }
        Ok(out)
    }

    /// BASIC_DATA of `address` (all-zero for an absent account).
    pub fn basic_data(&self, address: &Address) -> Result<BasicData, CommitError> {
        BasicData::decode(&self.get(&key::basic_data_key(address)))
    }

    /// Storage slot value.
    pub fn storage(&self, address: &Address, slot: U256) -> U256 {
        self.get(&key::storage_key(address, slot)).into()
    }

    /// Write a storage slot.
    pub fn set_storage(&mut self, address: &Address, slot: U256, value: U256) {
        self.set(&key::storage_key(address, slot), value.into());
    }

    /// Create or overwrite an account: BASIC_DATA (with `code.len()` as code size),
    /// CODE_HASH = `keccak256(code)` and CODE_ROOT = the code tree root (spec §4.5).
    pub fn set_account(
        &mut self,
        address: &Address,
        nonce: u64,
        balance: u128,
        code: &[u8],
    ) -> Result<(), CommitError> {
        let code_root = CodeTree::new(code)?.root();
        let basic = BasicData {
            code_size: u32::try_from(code.len()).unwrap_or(u32::MAX),
            nonce,
            balance,
        }
        .encode()?;
        self.set(&key::basic_data_key(address), basic);
        self.set(&key::code_hash_key(address), keccak256(code));
        self.set(&key::code_root_key(address), code_root);
        Ok(())
    }

    /// Every `(stem, subroot)` of the trie, in stem order (for from-scratch checks).
    pub fn stem_roots(&self) -> Vec<(Key, B256)> {
        self.trie.entries()
    }
}

/// Decoded opening: the path and, if present, the subtree siblings.
fn decode_opening(
    stem: &Key,
    subindices: &[u64],
    proof: &[u8],
) -> Result<(PathProof, Option<Vec<B256>>), ProofError> {
    let mut r = Reader::new(proof);
    let path = PathProof::decode(&mut r)?;
    path.check(stem)?;
    let siblings = if path.is_present() {
        Some(proof::read_multiproof(&mut r, STEM_DEPTH, subindices)?)
    } else {
        proof::sibling_requests(STEM_DEPTH, subindices)?;
        None
    };
    r.finish()?;
    Ok((path, siblings))
}

/// Verify that leaves `(subindex, value)` (ascending subindices) of `stem` hold under `root`.
/// An absent stem proves every value `0`.
pub fn verify_stem(
    root: B256,
    stem: &Key,
    leaves: &[(u8, B256)],
    proof: &[u8],
) -> Result<(), ProofError> {
    let idx: Vec<u64> = leaves.iter().map(|l| l.0.into()).collect();
    let (path, siblings) = decode_opening(stem, &idx, proof)?;
    let sub = match siblings {
        Some(s) => {
            let l: Vec<(u64, B256)> = leaves.iter().map(|l| (l.0.into(), l.1)).collect();
            root_from_siblings(STEM_DEPTH, &l, &s)
        }
        None if leaves.iter().any(|l| !l.1.is_zero()) => return Err(ProofError::ValueForAbsentKey),
        None => B256::ZERO,
    };
    expect_root(root, path.root(tag::STEM, stem, &sub)?)
}

/// Verify leaves `(subindex, old, new)` of `stem` against `root` and return the root after
/// writing the new values (inserting the stem if it was absent and a new value is non-zero).
pub fn update_stem(
    root: B256,
    stem: &Key,
    leaves: &[(u8, B256, B256)],
    proof: &[u8],
) -> Result<B256, ProofError> {
    let idx: Vec<u64> = leaves.iter().map(|l| l.0.into()).collect();
    let (path, siblings) = decode_opening(stem, &idx, proof)?;
    let old: Vec<(u64, B256)> = leaves.iter().map(|l| (l.0.into(), l.1)).collect();
    let new: Vec<(u64, B256)> = leaves.iter().map(|l| (l.0.into(), l.2)).collect();
    let (old_sub, new_sub) = match siblings {
        Some(s) => (
            root_from_siblings(STEM_DEPTH, &old, &s),
            root_from_siblings(STEM_DEPTH, &new, &s),
        ),
        None if old.iter().any(|l| !l.1.is_zero()) => return Err(ProofError::ValueForAbsentKey),
        None => (B256::ZERO, proof::sparse_root(STEM_DEPTH, &new)?),
    };
    expect_root(root, path.root(tag::STEM, stem, &old_sub)?)?;
    path.root_after_set(tag::STEM, stem, &new_sub)
}

/// The world root holding exactly `stems` (stem, its subtree leaves; distinct stems), built
/// from scratch.
pub fn root_from_scratch(stems: &[(Key, Vec<(u8, B256)>)]) -> B256 {
    let entries: Vec<(Key, B256)> = stems
        .iter()
        .map(|(s, leaves)| {
            let t = SparseTree::from_leaves(STEM_DEPTH, leaves.iter().map(|l| (l.0.into(), l.1)))
                .expect("u8 subindices fit depth 8");
            (*s, t.root())
        })
        .collect();
    super::root_from_entries(tag::STEM, &entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hash_count;

    fn addr(i: u64) -> Address {
        Address::left_padding_from(&i.to_be_bytes())
    }

    #[test]
    fn accounts_and_storage_round_trip() {
        let mut w = WorldState::new();
        assert_eq!(w.root(), B256::ZERO);
        w.set_account(&addr(1), 3, 1000, &[0x60, 0x00]).unwrap();
        w.set_storage(&addr(1), U256::from(5), U256::from(9));
        w.set_storage(&addr(1), U256::from(500), U256::from(10));
        assert_eq!(w.basic_data(&addr(1)).unwrap().nonce, 3);
        assert_eq!(w.basic_data(&addr(1)).unwrap().code_size, 2);
        assert_eq!(w.storage(&addr(1), U256::from(5)), U256::from(9));
        assert_eq!(w.storage(&addr(1), U256::from(500)), U256::from(10));
        assert_eq!(
            w.stem_count(),
            2,
            "slot 5 is in the header, slot 500 in main storage"
        );
        assert_eq!(w.storage(&addr(2), U256::from(5)), U256::ZERO);
    }

    #[test]
    fn clearing_every_leaf_keeps_the_stem() {
        let mut w = WorldState::new();
        w.set_storage(&addr(1), U256::from(5), U256::from(9));
        let one_stem = w.root();
        w.set_storage(&addr(1), U256::from(5), U256::ZERO);
        assert_ne!(w.root(), B256::ZERO);
        assert_ne!(w.root(), one_stem);
        w.set_storage(&addr(2), U256::from(5), U256::ZERO);
        assert_eq!(
            w.stem_count(),
            1,
            "writing zero into an absent stem creates nothing"
        );
    }

    #[test]
    fn openings_verify_and_predict_updates() {
        let mut w = WorldState::new();
        for i in 0..40 {
            w.set_account(&addr(i), i, u128::from(i) * 10, &[]).unwrap();
            w.set_storage(&addr(i), U256::from(i * 100), U256::from(i + 1));
        }
        for i in 0..60u64 {
            let a = addr(i);
            let k0 = key::basic_data_key(&a);
            let subs = [0u8, 1, 2];
            let vals: Vec<B256> = subs
                .iter()
                .map(|&s| {
                    w.get(&TreeKey {
                        stem: k0.stem,
                        subindex: s,
                    })
                })
                .collect();
            let proof = w.prove(&k0.stem, &subs).unwrap();
            let leaves: Vec<(u8, B256)> = subs.iter().copied().zip(vals.iter().copied()).collect();
            verify_stem(w.root(), &k0.stem, &leaves, &proof).unwrap();
            let new_basic = BasicData {
                code_size: 0,
                nonce: i + 1,
                balance: 5,
            }
            .encode()
            .unwrap();
            let writes = [
                (0u8, vals[0], new_basic),
                (1, vals[1], vals[1]),
                (2, vals[2], vals[2]),
            ];
            let predicted = update_stem(w.root(), &k0.stem, &writes, &proof).unwrap();
            w.set(&k0, new_basic);
            assert_eq!(predicted, w.root(), "account {i}");
        }
    }

    #[test]
    fn incremental_equals_from_scratch_and_a_write_costs_its_path() {
        let mut w = WorldState::new();
        let mut model: HashMap<Key, Vec<(u8, B256)>> = HashMap::default();
        for i in 0..500u64 {
            let k = key::storage_key(&addr(i % 37), U256::from(i * 7));
            let v = B256::with_last_byte((i % 200) as u8 + 1);
            w.set(&k, v);
            model.entry(k.stem).or_default().push((k.subindex, v));
        }
        let model: Vec<(Key, Vec<(u8, B256)>)> = model.into_iter().collect();
        assert_eq!(w.root(), root_from_scratch(&model));
        let k = key::storage_key(&addr(3), U256::from(21));
        let depth = w.depth_of(&k.stem) as u64;
        let before = hash_count();
        w.set(&k, B256::repeat_byte(0xaa));
        assert_eq!(hash_count() - before, 8 + depth + 1);
    }
}
