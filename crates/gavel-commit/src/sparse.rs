//! A fixed-depth sparse binary Merkle tree with raw 32-byte leaves and `0` as the empty leaf.
//!
//! The memory tree, the code chunk tree and the 256-leaf subtree under every world-trie stem
//! are all this tree at different depths (spec §3.2). Leaves are not hashed: at a fixed depth a
//! verifier always knows which level it is at, so a leaf can never pose as an internal node, and
//! skipping the leaf hash saves a keccak per opened leaf on L1.
//!
//! Only non-zero nodes are stored, keyed by `(level, index)` with level 0 the leaves, so a write
//! rehashes exactly `depth` nodes and an empty subtree costs no memory.

use alloy_primitives::map::HashMap;

use alloy_primitives::B256;

use crate::error::{CommitError, ProofError};
use crate::hash::node_hash;
use crate::proof::{self, fold_levels, write_siblings};

/// A fixed-depth sparse Merkle tree (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparseTree {
    depth: u8,
    nodes: HashMap<(u8, u64), B256>,
}

impl SparseTree {
    /// An empty tree of `depth` levels (`2^depth` leaves). `depth` is at most
    /// [`proof::MAX_FIXED_DEPTH`].
    pub fn new(depth: u8) -> Self {
        assert!(
            depth <= proof::MAX_FIXED_DEPTH,
            "depth is a spec constant, not input"
        );
        Self {
            depth,
            nodes: HashMap::default(),
        }
    }

    /// Build from scratch, level by level (the reference the incremental path is tested
    /// against). Zero leaves are skipped; duplicate indices keep the last value.
    pub fn from_leaves(
        depth: u8,
        leaves: impl IntoIterator<Item = (u64, B256)>,
    ) -> Result<Self, CommitError> {
        let mut t = Self::new(depth);
        let mut level: HashMap<u64, B256> = HashMap::default();
        for (i, v) in leaves {
            t.check(i)?;
            level.insert(i, v);
        }
        level.retain(|_, v| !v.is_zero());
        for l in 0..=depth {
            for (&i, &h) in &level {
                t.nodes.insert((l, i), h);
            }
            if l == depth {
                break;
            }
            let mut parents: HashMap<u64, B256> = HashMap::default();
            for &i in level.keys() {
                let p = i >> 1;
                if parents.contains_key(&p) {
                    continue;
                }
                let left = level.get(&(p << 1)).copied().unwrap_or_default();
                let right = level.get(&(p << 1 | 1)).copied().unwrap_or_default();
                parents.insert(p, node_hash(&left, &right));
            }
            level = parents;
        }
        Ok(t)
    }

    fn check(&self, index: u64) -> Result<(), CommitError> {
        if index >> self.depth != 0 {
            return Err(CommitError::LeafIndexOutOfRange {
                index,
                depth: self.depth,
            });
        }
        Ok(())
    }

    /// Number of levels.
    pub fn depth(&self) -> u8 {
        self.depth
    }

    /// The root (`0` for an empty tree).
    pub fn root(&self) -> B256 {
        self.node(self.depth, 0)
    }

    /// Node `index` at `level` (level 0 = leaves), `0` if empty.
    pub fn node(&self, level: u8, index: u64) -> B256 {
        self.nodes.get(&(level, index)).copied().unwrap_or_default()
    }

    /// Leaf `index` (`0` if empty or out of range).
    pub fn get(&self, index: u64) -> B256 {
        self.node(0, index)
    }

    /// Non-zero leaves, unordered.
    pub fn leaves(&self) -> impl Iterator<Item = (u64, B256)> + '_ {
        self.nodes
            .iter()
            .filter(|((l, _), _)| *l == 0)
            .map(|((_, i), v)| (*i, *v))
    }

    /// Number of non-zero leaves.
    pub fn len(&self) -> usize {
        self.leaves().count()
    }

    /// Whether every leaf is zero.
    pub fn is_empty(&self) -> bool {
        self.root().is_zero()
    }

    fn put(&mut self, level: u8, index: u64, h: B256) {
        if h.is_zero() {
            self.nodes.remove(&(level, index));
        } else {
            self.nodes.insert((level, index), h);
        }
    }

    /// Write leaf `index`, rehashing its `depth` ancestors.
    pub fn set(&mut self, index: u64, value: B256) -> Result<(), CommitError> {
        self.check(index)?;
        if self.get(index) == value {
            return Ok(());
        }
        self.put(0, index, value);
        let mut i = index;
        let mut h = value;
        for level in 0..self.depth {
            let s = self.node(level, i ^ 1);
            h = if i & 1 == 0 {
                node_hash(&h, &s)
            } else {
                node_hash(&s, &h)
            };
            i >>= 1;
            self.put(level + 1, i, h);
        }
        Ok(())
    }

    /// The siblings a multiproof for `indices` (ascending, distinct) asks for, in request
    /// order, zeros included.
    pub fn siblings(&self, indices: &[u64]) -> Result<Vec<B256>, CommitError> {
        for &i in indices {
            self.check(i)?;
        }
        if indices.windows(2).any(|w| w[0] >= w[1]) || indices.is_empty() {
            return Err(CommitError::LeavesNotAscending);
        }
        let mut out = Vec::new();
        let nodes = indices.iter().map(|&i| (i, self.get(i))).collect();
        fold_levels(self.depth, nodes, |level, index| {
            let s = self.node(level, index);
            out.push(s);
            s
        });
        Ok(out)
    }

    /// The compressed multiproof for `indices` (spec §3.2).
    pub fn prove(&self, indices: &[u64]) -> Result<Vec<u8>, CommitError> {
        let siblings = self.siblings(indices)?;
        let mut out = Vec::new();
        write_siblings(&mut out, &siblings);
        Ok(out)
    }
}

/// Verify-side convenience re-exported for the trees built on this one.
pub fn verify(
    root: B256,
    depth: u8,
    leaves: &[(u64, B256)],
    proof: &[u8],
) -> Result<(), ProofError> {
    proof::verify(root, depth, leaves, proof)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hash_count;

    fn w(b: u8) -> B256 {
        B256::repeat_byte(b)
    }

    #[test]
    fn empty_tree_root_is_zero_and_clearing_restores_it() {
        let mut t = SparseTree::new(8);
        assert_eq!(t.root(), B256::ZERO);
        t.set(5, w(1)).unwrap();
        assert_ne!(t.root(), B256::ZERO);
        t.set(5, B256::ZERO).unwrap();
        assert_eq!(t.root(), B256::ZERO);
        assert!(t.nodes.is_empty(), "zero nodes are not stored");
    }

    #[test]
    fn incremental_equals_from_scratch_and_update_costs_depth_hashes() {
        let mut t = SparseTree::new(16);
        let mut leaves = Vec::new();
        for i in 0..2000u64 {
            let v = B256::with_last_byte((i % 251) as u8 + 1);
            t.set(i * 31 % 65536, v).unwrap();
            leaves.push((i * 31 % 65536, v));
        }
        assert_eq!(
            t.root(),
            SparseTree::from_leaves(16, leaves).unwrap().root()
        );
        let before = hash_count();
        t.set(777, w(9)).unwrap();
        assert_eq!(hash_count() - before, 16);
    }

    #[test]
    fn proofs_verify_and_updates_agree_with_the_tree() {
        let mut t = SparseTree::new(5);
        for (i, b) in [(0, 1), (3, 2), (4, 3), (30, 4)] {
            t.set(i, w(b)).unwrap();
        }
        let idx = [3u64, 4];
        let p = t.prove(&idx).unwrap();
        verify(t.root(), 5, &[(3, w(2)), (4, w(3))], &p).unwrap();
        let new_root =
            proof::update(t.root(), 5, &[(3, w(2), w(7)), (4, w(3), B256::ZERO)], &p).unwrap();
        t.set(3, w(7)).unwrap();
        t.set(4, B256::ZERO).unwrap();
        assert_eq!(new_root, t.root());
        assert!(matches!(
            verify(t.root(), 5, &[(3, w(2)), (4, w(3))], &p),
            Err(ProofError::RootMismatch { .. })
        ));
    }

    #[test]
    fn out_of_range_index_is_an_error_not_a_panic() {
        let mut t = SparseTree::new(3);
        assert_eq!(
            t.set(8, w(1)),
            Err(CommitError::LeafIndexOutOfRange { index: 8, depth: 3 })
        );
        assert_eq!(t.prove(&[2, 1]), Err(CommitError::LeavesNotAscending));
    }
}
