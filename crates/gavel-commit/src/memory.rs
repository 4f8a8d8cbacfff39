//! The memory Merkle tree and data views (spec §6).
//!
//! Memory is a depth-16 [`SparseTree`] of 32-byte words (word `i` = bytes `32i .. 32i+32`),
//! committed as `(root, size)`. The depth is fixed by the L2 gas cap: a frame's memory of `w`
//! words costs `3w + w²/512` gas, which exceeds 2^23 before `w` reaches 2^16, so 2^16 words
//! (2 MiB) is more than any transaction can pay for. Because unwritten words are `0`, memory
//! expansion changes only `size`, never the root, and a fresh frame's root is `0`.
//!
//! Calldata, return data and log data are [`DataView`]s `(root, offset, length)` into some
//! memory tree, so nothing is copied on call entry or exit (DESIGN §4).

use alloy_primitives::B256;

use crate::error::{CommitError, ProofError};
use crate::proof;
use crate::sparse::SparseTree;

/// Depth of the memory tree.
pub const MEM_DEPTH: u8 = 16;
/// Words the tree holds.
pub const MAX_MEMORY_WORDS: u64 = 1 << MEM_DEPTH;
/// Bytes the tree holds (2 MiB).
pub const MAX_MEMORY_BYTES: u64 = MAX_MEMORY_WORDS * 32;

/// The words `[offset, offset + len)` touches (empty for `len == 0`).
pub fn word_range(offset: u64, len: u64) -> std::ops::Range<u64> {
    if len == 0 {
        return 0..0;
    }
    offset / 32..(offset + len).div_ceil(32)
}

/// One frame's memory.
#[derive(Debug, Clone)]
pub struct Memory {
    tree: SparseTree,
    size: u64,
}

impl Default for Memory {
    fn default() -> Self {
        Self::new()
    }
}

impl Memory {
    /// Empty memory: root `0`, size 0.
    pub fn new() -> Self {
        Self {
            tree: SparseTree::new(MEM_DEPTH),
            size: 0,
        }
    }

    /// The root.
    pub fn root(&self) -> B256 {
        self.tree.root()
    }

    /// Size in bytes (a multiple of 32).
    pub fn size(&self) -> u64 {
        self.size
    }

    fn check(offset: u64, len: u64) -> Result<(), CommitError> {
        match offset.checked_add(len) {
            Some(end) if end <= MAX_MEMORY_BYTES => Ok(()),
            _ => Err(CommitError::MemoryOutOfRange {
                offset,
                len,
                max: MAX_MEMORY_BYTES,
            }),
        }
    }

    /// EVM expansion: a non-empty access grows `size` to cover it, rounded up to a word.
    pub fn expand(&mut self, offset: u64, len: u64) -> Result<(), CommitError> {
        if len == 0 {
            return Ok(());
        }
        Self::check(offset, len)?;
        self.size = self.size.max((offset + len).div_ceil(32) * 32);
        Ok(())
    }

    /// Word `i`.
    pub fn word(&self, i: u64) -> B256 {
        self.tree.get(i)
    }

    /// Read `len` bytes at `offset` (expanding, as the EVM does).
    pub fn read(&mut self, offset: u64, len: u64) -> Result<Vec<u8>, CommitError> {
        self.expand(offset, len)?;
        let mut out = Vec::with_capacity(len as usize);
        for w in word_range(offset, len) {
            let word = self.word(w);
            let lo = offset.max(w * 32) - w * 32;
            let hi = (offset + len).min(w * 32 + 32) - w * 32;
            out.extend_from_slice(&word[lo as usize..hi as usize]);
        }
        Ok(out)
    }

    /// Write `data` at `offset` (expanding). O(16) hashes per word touched.
    pub fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), CommitError> {
        let len = data.len() as u64;
        self.expand(offset, len)?;
        for w in word_range(offset, len) {
            let mut word = self.word(w);
            let lo = offset.max(w * 32);
            let hi = (offset + len).min(w * 32 + 32);
            word[(lo - w * 32) as usize..(hi - w * 32) as usize]
                .copy_from_slice(&data[(lo - offset) as usize..(hi - offset) as usize]);
            self.tree.set(w, word)?;
        }
        Ok(())
    }

    /// Multiproof for the words `indices` (ascending).
    pub fn prove(&self, indices: &[u64]) -> Result<Vec<u8>, CommitError> {
        self.tree.prove(indices)
    }

    /// The words and multiproof that open `[offset, offset + len)` (`len > 0`).
    pub fn prove_range(&self, offset: u64, len: u64) -> Result<MemoryOpening, CommitError> {
        Self::check(offset, len)?;
        let idx: Vec<u64> = word_range(offset, len).collect();
        let words = idx.iter().map(|&i| (i, self.word(i))).collect();
        Ok(MemoryOpening {
            words,
            proof: self.prove(&idx)?,
        })
    }
}

/// Words of a memory range with their multiproof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryOpening {
    /// `(index, word)`, ascending.
    pub words: Vec<(u64, B256)>,
    /// The multiproof (spec §3.2).
    pub proof: Vec<u8>,
}

/// Verify words `(index, word)` (ascending) against a memory root.
pub fn verify_words(root: B256, words: &[(u64, B256)], proof: &[u8]) -> Result<(), ProofError> {
    proof::verify(root, MEM_DEPTH, words, proof)
}

/// Verify words `(index, old, new)` against `root` and return the root after the write.
pub fn update_words(
    root: B256,
    words: &[(u64, B256, B256)],
    proof: &[u8],
) -> Result<B256, ProofError> {
    proof::update(root, MEM_DEPTH, words, proof)
}

/// A byte range of some memory tree: calldata, return data, log data (spec §6.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DataView {
    /// Root of the memory tree holding the bytes.
    pub root: B256,
    /// First byte.
    pub offset: u32,
    /// Length in bytes.
    pub length: u32,
}

impl DataView {
    /// `offset(4) ‖ length(4)` big-endian, the form views take inside packed record words.
    pub fn packed(&self) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&self.offset.to_be_bytes());
        b[4..].copy_from_slice(&self.length.to_be_bytes());
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_changes_size_not_root() {
        let mut m = Memory::new();
        m.expand(100, 1).unwrap();
        assert_eq!(m.size(), 128);
        assert_eq!(m.root(), B256::ZERO);
        m.expand(5000, 0).unwrap();
        assert_eq!(m.size(), 128, "zero-length accesses do not expand");
    }

    #[test]
    fn unaligned_write_touches_two_words_and_proof_predicts_it() {
        let mut m = Memory::new();
        m.write(0, &[1; 64]).unwrap();
        let old_root = m.root();
        let MemoryOpening { words, proof: p } = m.prove_range(17, 32).unwrap();
        assert_eq!(words.len(), 2);
        verify_words(old_root, &words, &p).unwrap();
        let mut m2 = m.clone();
        m2.write(17, &[9; 32]).unwrap();
        let writes: Vec<(u64, B256, B256)> =
            words.iter().map(|&(i, w)| (i, w, m2.word(i))).collect();
        assert_eq!(update_words(old_root, &writes, &p).unwrap(), m2.root());
        assert_eq!(m2.read(15, 4).unwrap(), vec![1, 1, 9, 9]);
    }

    #[test]
    fn accesses_beyond_two_mib_are_refused() {
        let mut m = Memory::new();
        assert!(m.write(MAX_MEMORY_BYTES - 1, &[1, 2]).is_err());
        assert!(m.expand(u64::MAX, 2).is_err());
        m.write(MAX_MEMORY_BYTES - 1, &[1]).unwrap();
        assert_eq!(m.size(), MAX_MEMORY_BYTES);
    }
}
