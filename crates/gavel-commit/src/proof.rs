//! The compressed-sibling format shared by every tree (spec §3), and the fixed-depth multiproof.
//!
//! A proof lists the siblings a verifier asks for, in the order it asks for them, as
//!
//! ```text
//! bitmap   ceil(R / 8) bytes, a big-endian integer; bit r (value >> r & 1) says whether
//!          request r has a non-default sibling
//! siblings 32 bytes each, one per set bit, in request order
//! ```
//!
//! where `R`, the number of requests, follows from what is being proven (the depth and the leaf
//! indices), never from the proof itself. The default sibling is `0` in every tree (see
//! [`crate::hash::node_hash`]). The encoding is canonical: a flagged sibling that is zero and a set
//! bit beyond `R` are both rejected, so one statement has exactly one proof.
//!
//! Witness bytes dominate the cost of a step on L1 (DESIGN §3: ~40 gas per non-zero byte,
//! ~1.3k gas per 32-byte sibling), which is why empty subtrees cost one bit, not 32 bytes.

use alloy_primitives::B256;

use crate::error::ProofError;
use crate::hash::node_hash;

/// Largest number of sibling requests one bitmap may describe (one EVM word of bits).
pub const MAX_REQUESTS: usize = 256;

/// Largest depth of a fixed-depth tree (leaf indices are `u64`).
pub const MAX_FIXED_DEPTH: u8 = 63;

/// A cursor over proof bytes that reports where it ran out.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Start reading at offset 0.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    /// Offset of the next unread byte.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Take the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ProofError> {
        let rest = self.bytes.len() - self.pos;
        if rest < n {
            return Err(ProofError::Truncated {
                at: self.pos,
                needed: n - rest,
            });
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Take one byte.
    pub fn u8(&mut self) -> Result<u8, ProofError> {
        Ok(self.take(1)?[0])
    }

    /// Take a 32-byte word.
    pub fn word(&mut self) -> Result<B256, ProofError> {
        Ok(B256::from_slice(self.take(32)?))
    }

    /// Take a 31-byte key.
    pub fn key31(&mut self) -> Result<[u8; 31], ProofError> {
        let mut k = [0u8; 31];
        k.copy_from_slice(self.take(31)?);
        Ok(k)
    }

    /// Require that every byte was consumed.
    pub fn finish(self) -> Result<(), ProofError> {
        let extra = self.bytes.len() - self.pos;
        if extra != 0 {
            return Err(ProofError::TrailingBytes {
                at: self.pos,
                extra,
            });
        }
        Ok(())
    }
}

/// Read a bitmap for `requests` requests and the siblings it flags; returns all `requests`
/// siblings with the defaults filled in as `0`.
pub fn read_siblings(r: &mut Reader<'_>, requests: usize) -> Result<Vec<B256>, ProofError> {
    if requests > MAX_REQUESTS {
        return Err(ProofError::TooManySiblingRequests { requests });
    }
    let bitmap = r.take(requests.div_ceil(8))?;
    let bit = |i: usize| bitmap[bitmap.len() - 1 - i / 8] >> (i % 8) & 1 == 1;
    for i in requests..bitmap.len() * 8 {
        if bit(i) {
            return Err(ProofError::BitmapPadding { requests });
        }
    }
    let mut out = Vec::with_capacity(requests);
    for i in 0..requests {
        if bit(i) {
            let at = r.pos();
            let s = r.word()?;
            if s.is_zero() {
                return Err(ProofError::ZeroSibling { at });
            }
            out.push(s);
        } else {
            out.push(B256::ZERO);
        }
    }
    Ok(out)
}

/// Append the bitmap and the non-default siblings of `siblings` (in request order).
pub fn write_siblings(out: &mut Vec<u8>, siblings: &[B256]) {
    let n = siblings.len().div_ceil(8);
    let start = out.len();
    out.resize(start + n, 0);
    for (i, s) in siblings.iter().enumerate() {
        if !s.is_zero() {
            out[start + n - 1 - i / 8] |= 1 << (i % 8);
        }
    }
    for s in siblings.iter().filter(|s| !s.is_zero()) {
        out.extend_from_slice(s.as_slice());
    }
}

/// Byte length of the encoding of `siblings`.
pub fn encoded_len(siblings: &[B256]) -> usize {
    siblings.len().div_ceil(8) + 32 * siblings.iter().filter(|s| !s.is_zero()).count()
}

/// Check that `indices` are non-empty, strictly ascending and inside a tree of `depth`.
fn check_indices(depth: u8, indices: impl IntoIterator<Item = u64>) -> Result<(), ProofError> {
    if depth > MAX_FIXED_DEPTH {
        return Err(ProofError::DepthOutOfRange {
            depth: depth.into(),
            max: MAX_FIXED_DEPTH.into(),
        });
    }
    let mut prev: Option<u64> = None;
    for index in indices {
        if index >> depth != 0 {
            return Err(ProofError::LeafIndexOutOfRange { index, depth });
        }
        if prev.is_some_and(|p| p >= index) {
            return Err(ProofError::LeavesNotAscending { index });
        }
        prev = Some(index);
    }
    if prev.is_none() {
        return Err(ProofError::NoLeaves);
    }
    Ok(())
}

/// Walk a fixed-depth tree bottom-up from the known `nodes` (ascending, distinct indices at
/// level 0), asking `sibling(level, index)` for every sibling that is not itself known, in
/// ascending index order within each level. Returns the root. This loop *is* the multiproof
/// verification order of spec §3.2.
pub fn fold_levels(
    depth: u8,
    mut nodes: Vec<(u64, B256)>,
    mut sibling: impl FnMut(u8, u64) -> B256,
) -> B256 {
    for level in 0..depth {
        let mut next = Vec::with_capacity(nodes.len());
        let mut i = 0;
        while i < nodes.len() {
            let (idx, h) = nodes[i];
            if idx & 1 == 0 && nodes.get(i + 1).is_some_and(|n| n.0 == idx + 1) {
                next.push((idx >> 1, node_hash(&h, &nodes[i + 1].1)));
                i += 2;
            } else {
                let s = sibling(level, idx ^ 1);
                let parent = if idx & 1 == 0 {
                    node_hash(&h, &s)
                } else {
                    node_hash(&s, &h)
                };
                next.push((idx >> 1, parent));
                i += 1;
            }
        }
        nodes = next;
    }
    nodes.first().map_or(B256::ZERO, |n| n.1)
}

/// Number of sibling requests a multiproof for `indices` in a tree of `depth` makes.
pub fn sibling_requests(depth: u8, indices: &[u64]) -> Result<usize, ProofError> {
    check_indices(depth, indices.iter().copied())?;
    let mut level: Vec<u64> = indices.to_vec();
    let mut requests = 0;
    for _ in 0..depth {
        let mut next = Vec::with_capacity(level.len());
        let mut i = 0;
        while i < level.len() {
            let idx = level[i];
            if idx & 1 == 0 && level.get(i + 1) == Some(&(idx + 1)) {
                i += 2;
            } else {
                requests += 1;
                i += 1;
            }
            next.push(idx >> 1);
        }
        level = next;
    }
    Ok(requests)
}

/// Read the siblings of a fixed-depth multiproof for `indices` from `r`.
pub fn read_multiproof(
    r: &mut Reader<'_>,
    depth: u8,
    indices: &[u64],
) -> Result<Vec<B256>, ProofError> {
    let requests = sibling_requests(depth, indices)?;
    read_siblings(r, requests)
}

/// Root of a fixed-depth tree from `leaves` (ascending indices) and already-decoded siblings.
pub fn root_from_siblings(depth: u8, leaves: &[(u64, B256)], siblings: &[B256]) -> B256 {
    let mut it = siblings.iter();
    fold_levels(depth, leaves.to_vec(), |_, _| {
        it.next().copied().unwrap_or(B256::ZERO)
    })
}

/// Root computed from a complete fixed-depth multiproof (`proof` must be consumed exactly).
pub fn compute_root(depth: u8, leaves: &[(u64, B256)], proof: &[u8]) -> Result<B256, ProofError> {
    let indices: Vec<u64> = leaves.iter().map(|l| l.0).collect();
    let mut r = Reader::new(proof);
    let siblings = read_multiproof(&mut r, depth, &indices)?;
    r.finish()?;
    Ok(root_from_siblings(depth, leaves, &siblings))
}

/// Verify that `leaves` are in the tree of `depth` committed by `root`.
pub fn verify(
    root: B256,
    depth: u8,
    leaves: &[(u64, B256)],
    proof: &[u8],
) -> Result<(), ProofError> {
    let computed = compute_root(depth, leaves, proof)?;
    expect_root(root, computed)
}

/// Verify `(index, old, new)` leaves against `root` and return the root after writing `new`.
/// One proof serves both roots: the siblings do not change when only the proven leaves do.
pub fn update(
    root: B256,
    depth: u8,
    leaves: &[(u64, B256, B256)],
    proof: &[u8],
) -> Result<B256, ProofError> {
    let indices: Vec<u64> = leaves.iter().map(|l| l.0).collect();
    let mut r = Reader::new(proof);
    let siblings = read_multiproof(&mut r, depth, &indices)?;
    r.finish()?;
    let old: Vec<(u64, B256)> = leaves.iter().map(|l| (l.0, l.1)).collect();
    expect_root(root, root_from_siblings(depth, &old, &siblings))?;
    let new: Vec<(u64, B256)> = leaves.iter().map(|l| (l.0, l.2)).collect();
    Ok(root_from_siblings(depth, &new, &siblings))
}

/// Root of a fixed-depth tree holding only `leaves` (every other leaf `0`): a multiproof whose
/// siblings are all default. Used when a new stem is inserted into the world trie.
pub fn sparse_root(depth: u8, leaves: &[(u64, B256)]) -> Result<B256, ProofError> {
    check_indices(depth, leaves.iter().map(|l| l.0))?;
    Ok(fold_levels(depth, leaves.to_vec(), |_, _| B256::ZERO))
}

/// `Ok` iff `computed == expected`.
pub fn expect_root(expected: B256, computed: B256) -> Result<(), ProofError> {
    if expected == computed {
        Ok(())
    } else {
        Err(ProofError::RootMismatch { expected, computed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_round_trip_and_zero_costs_one_bit() {
        let s = vec![
            B256::ZERO,
            B256::repeat_byte(7),
            B256::ZERO,
            B256::ZERO,
            B256::repeat_byte(9),
        ];
        let mut out = Vec::new();
        write_siblings(&mut out, &s);
        assert_eq!(out.len(), 1 + 64);
        assert_eq!(out[0], 0b10010);
        assert_eq!(encoded_len(&s), out.len());
        let mut r = Reader::new(&out);
        assert_eq!(read_siblings(&mut r, 5).unwrap(), s);
        r.finish().unwrap();
    }

    #[test]
    fn bitmap_spans_bytes_big_endian() {
        let mut s = vec![B256::ZERO; 9];
        s[8] = B256::repeat_byte(1);
        let mut out = Vec::new();
        write_siblings(&mut out, &s);
        assert_eq!(
            &out[..2],
            &[0x01, 0x00],
            "request 8 is bit 0 of the first byte"
        );
    }

    #[test]
    fn non_canonical_encodings_are_rejected() {
        // Padding bit set.
        assert_eq!(
            read_siblings(&mut Reader::new(&[0b1000]), 3),
            Err(ProofError::BitmapPadding { requests: 3 })
        );
        // Flagged sibling that is zero.
        let mut bytes = vec![0b1];
        bytes.extend_from_slice(&[0u8; 32]);
        assert_eq!(
            read_siblings(&mut Reader::new(&bytes), 1),
            Err(ProofError::ZeroSibling { at: 1 })
        );
        // Flagged sibling missing.
        assert_eq!(
            read_siblings(&mut Reader::new(&[0b1, 5]), 1),
            Err(ProofError::Truncated { at: 1, needed: 31 })
        );
        assert_eq!(
            read_siblings(&mut Reader::new(&[]), 257),
            Err(ProofError::TooManySiblingRequests { requests: 257 })
        );
    }

    #[test]
    fn adjacent_pair_shares_its_parent() {
        assert_eq!(sibling_requests(4, &[6, 7]).unwrap(), 3);
        assert_eq!(sibling_requests(4, &[7, 8]).unwrap(), 6);
        assert_eq!(sibling_requests(4, &[5]).unwrap(), 4);
        assert_eq!(sibling_requests(0, &[0]).unwrap(), 0);
        assert_eq!(sibling_requests(4, &[]), Err(ProofError::NoLeaves));
        assert_eq!(
            sibling_requests(4, &[3, 3]),
            Err(ProofError::LeavesNotAscending { index: 3 })
        );
        assert_eq!(
            sibling_requests(4, &[16]),
            Err(ProofError::LeafIndexOutOfRange {
                index: 16,
                depth: 4
            })
        );
    }

    #[test]
    fn sparse_root_matches_hand_computation() {
        let v = B256::repeat_byte(3);
        let expect = node_hash(&node_hash(&B256::ZERO, &v), &B256::ZERO);
        assert_eq!(sparse_root(2, &[(1, v)]).unwrap(), expect);
        assert_eq!(sparse_root(2, &[(1, B256::ZERO)]).unwrap(), B256::ZERO);
    }
}
