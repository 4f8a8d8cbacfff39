//! The code chunk tree and opcode fetch (spec §5).
//!
//! Code is cut into EIP-7864 chunks: chunk `i` is `prefix ‖ code[31i .. 31i+31]` (zero-padded),
//! where `prefix = min(31, number of leading bytes of the chunk that are PUSH data of an earlier
//! instruction)`. The chunks are the leaves of a depth-11 [`SparseTree`] (2048 chunks = 63,488
//! bytes ≥ Osaka's 49,152-byte initcode limit). A chunk of all zeros is the empty leaf, which is
//! also exactly what the EVM reads past the end of code (STOP, no JUMPDEST), so the verifier
//! needs no code size to fetch or to validate a jump.
//!
//! An instruction at `pc` is fetched with the chunks from `pc / 31` through `(pc + n) / 31`
//! (`n` its immediate size), at most three for a PUSH32 that starts on a chunk's last byte, and
//! one multiproof for them (spec §3.2).

use alloy_primitives::B256;

use crate::error::{CommitError, ProofError};
use crate::proof::{self, Reader};
use crate::sparse::SparseTree;

/// Code bytes per chunk.
pub const CHUNK_SIZE: usize = 31;
/// Depth of the code tree.
pub const CODE_DEPTH: u8 = 11;
/// Number of chunks the tree holds.
pub const MAX_CHUNKS: u64 = 1 << CODE_DEPTH;
/// Largest code the tree holds.
pub const MAX_CODE_BYTES: usize = CHUNK_SIZE << CODE_DEPTH;

/// The JUMPDEST opcode.
pub const JUMPDEST: u8 = 0x5b;

/// Immediate size of `opcode`: 1..=32 for PUSH1..PUSH32, else 0.
pub fn push_len(opcode: u8) -> usize {
    if (0x60..=0x7f).contains(&opcode) {
        usize::from(opcode - 0x5f)
    } else {
        0
    }
}

/// EIP-7864 chunking (spec §5.1).
pub fn chunkify(code: &[u8]) -> Vec<B256> {
    let n = code.len().div_ceil(CHUNK_SIZE);
    // pushdata[i] = how many PUSH-data bytes remain from byte i on (0 at an instruction).
    let mut pushdata = vec![0usize; n * CHUNK_SIZE];
    let mut pc = 0;
    while pc < code.len() {
        let k = push_len(code[pc]);
        for x in 0..k {
            if let Some(slot) = pushdata.get_mut(pc + 1 + x) {
                *slot = k - x;
            }
        }
        pc += 1 + k;
    }
    (0..n)
        .map(|i| {
            let mut c = [0u8; 32];
            let start = i * CHUNK_SIZE;
            let end = (start + CHUNK_SIZE).min(code.len());
            c[0] = pushdata[start].min(CHUNK_SIZE) as u8;
            c[1..1 + end - start].copy_from_slice(&code[start..end]);
            B256::from(c)
        })
        .collect()
}

/// Whether byte `offset` (0..31) of `chunk` is a JUMPDEST instruction (not PUSH data): scan
/// the chunk's instructions from its prefix, at most 31 bytes (spec §5.3).
pub fn is_jumpdest(chunk: &B256, offset: usize) -> bool {
    if offset >= CHUNK_SIZE || chunk[1 + offset] != JUMPDEST {
        return false;
    }
    let mut p = usize::from(chunk[0]);
    while p < offset {
        p += 1 + push_len(chunk[1 + p]);
    }
    p == offset
}

/// The code tree of one contract.
#[derive(Debug, Clone)]
pub struct CodeTree {
    tree: SparseTree,
    len: usize,
}

/// A fetched instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The opcode byte (0 = STOP past the end of code).
    pub opcode: u8,
    /// Its immediate bytes (PUSH data; zero past the end of code).
    pub immediate: Vec<u8>,
}

/// Everything a step needs to fetch the instruction at `pc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchWitness {
    /// The chunks `pc / 31 ..` the instruction touches (empty past the tree).
    pub chunks: Vec<B256>,
    /// Their multiproof (empty past the tree).
    pub proof: Vec<u8>,
}

fn chunk_span(pc: u64, opcode: u8) -> (u64, u64) {
    let first = pc / CHUNK_SIZE as u64;
    let last = (pc + push_len(opcode) as u64) / CHUNK_SIZE as u64;
    (first, last.min(MAX_CHUNKS - 1))
}

impl CodeTree {
    /// Chunk and commit `code`.
    pub fn new(code: &[u8]) -> Result<Self, CommitError> {
        if code.len() > MAX_CODE_BYTES {
            return Err(CommitError::CodeTooLarge {
                len: code.len(),
                max: MAX_CODE_BYTES,
            });
        }
        let leaves = chunkify(code)
            .into_iter()
            .enumerate()
            .map(|(i, c)| (i as u64, c));
        Ok(Self {
            tree: SparseTree::from_leaves(CODE_DEPTH, leaves)?,
            len: code.len(),
        })
    }

    /// The code root (`0` for empty code).
    pub fn root(&self) -> B256 {
        self.tree.root()
    }

    /// Code length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the code is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Chunk `i` (`0` past the end).
    pub fn chunk(&self, i: u64) -> B256 {
        self.tree.get(i)
    }

    /// Multiproof for chunks `indices` (ascending).
    pub fn prove_chunks(&self, indices: &[u64]) -> Result<Vec<u8>, CommitError> {
        self.tree.prove(indices)
    }

    /// The fetch witness for the instruction at `pc`.
    pub fn prove_fetch(&self, pc: u64) -> Result<FetchWitness, CommitError> {
        let first = pc / CHUNK_SIZE as u64;
        if first >= MAX_CHUNKS {
            return Ok(FetchWitness {
                chunks: Vec::new(),
                proof: Vec::new(),
            });
        }
        let opcode = self.chunk(first)[1 + (pc % CHUNK_SIZE as u64) as usize];
        let (first, last) = chunk_span(pc, opcode);
        let idx: Vec<u64> = (first..=last).collect();
        Ok(FetchWitness {
            chunks: idx.iter().map(|&i| self.chunk(i)).collect(),
            proof: self.prove_chunks(&idx)?,
        })
    }
}

/// Verify chunks `(index, chunk)` (ascending) against a code root.
pub fn verify_chunks(root: B256, chunks: &[(u64, B256)], proof: &[u8]) -> Result<(), ProofError> {
    proof::verify(root, CODE_DEPTH, chunks, proof)
}

/// Fetch the instruction at `pc` from a code root (spec §5.2): exactly the chunks the
/// instruction touches must be given, with their multiproof.
pub fn verify_fetch(
    root: B256,
    pc: u64,
    chunks: &[B256],
    proof: &[u8],
) -> Result<Instruction, ProofError> {
    let first = pc / CHUNK_SIZE as u64;
    if first >= MAX_CHUNKS {
        if !chunks.is_empty() {
            return Err(ProofError::ChunkCountMismatch {
                expected: 0,
                got: chunks.len(),
            });
        }
        Reader::new(proof).finish()?;
        return Ok(Instruction {
            opcode: 0,
            immediate: Vec::new(),
        });
    }
    let Some(head) = chunks.first() else {
        return Err(ProofError::ChunkCountMismatch {
            expected: 1,
            got: 0,
        });
    };
    let opcode = head[1 + (pc % CHUNK_SIZE as u64) as usize];
    let (first, last) = chunk_span(pc, opcode);
    let expected = (last - first + 1) as usize;
    if chunks.len() != expected {
        return Err(ProofError::ChunkCountMismatch {
            expected,
            got: chunks.len(),
        });
    }
    let leaves: Vec<(u64, B256)> = (first..).zip(chunks.iter().copied()).collect();
    verify_chunks(root, &leaves, proof)?;
    let immediate = (1..=push_len(opcode) as u64)
        .map(|k| {
            let at = pc + k;
            let c = at / CHUNK_SIZE as u64;
            if c > last {
                0
            } else {
                chunks[(c - first) as usize][1 + (at % CHUNK_SIZE as u64) as usize]
            }
        })
        .collect();
    Ok(Instruction { opcode, immediate })
}

/// Whether `dest` is a valid jump destination of the code under `root`; `chunk` and `proof`
/// open chunk `dest / 31` (both empty when that chunk is past the tree: never valid).
pub fn verify_jumpdest(
    root: B256,
    dest: u64,
    chunk: Option<B256>,
    proof: &[u8],
) -> Result<bool, ProofError> {
    let c = dest / CHUNK_SIZE as u64;
    match chunk {
        _ if c >= MAX_CHUNKS => {
            if chunk.is_some() {
                return Err(ProofError::ChunkCountMismatch {
                    expected: 0,
                    got: 1,
                });
            }
            Reader::new(proof).finish()?;
            Ok(false)
        }
        None => Err(ProofError::ChunkCountMismatch {
            expected: 1,
            got: 0,
        }),
        Some(ch) => {
            verify_chunks(root, &[(c, ch)], proof)?;
            Ok(is_jumpdest(&ch, (dest % CHUNK_SIZE as u64) as usize))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push32_on_a_chunks_last_byte_spans_three_chunks() {
        let mut code = vec![0x5b; 30];
        code.push(0x7f); // PUSH32 at offset 30
        code.extend((1..=32).map(|i| i as u8));
        code.push(0x5b);
        let chunks = chunkify(&code);
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[1][0], 31, "chunk 1 is all push data");
        assert_eq!(chunks[2][0], 1, "one push byte spills into chunk 2");
        let t = CodeTree::new(&code).unwrap();
        let w = t.prove_fetch(30).unwrap();
        assert_eq!(w.chunks.len(), 3);
        let ins = verify_fetch(t.root(), 30, &w.chunks, &w.proof).unwrap();
        assert_eq!(ins.opcode, 0x7f);
        assert_eq!(ins.immediate, (1..=32).collect::<Vec<u8>>());
        assert!(
            is_jumpdest(&chunks[2], 1),
            "the byte after the data is code"
        );
        assert!(!is_jumpdest(&chunks[2], 0));
    }

    #[test]
    fn push_data_looking_like_jumpdest_is_not_one() {
        let code = [0x60, 0x5b, 0x5b]; // PUSH1 0x5b; JUMPDEST
        let c = chunkify(&code);
        assert!(!is_jumpdest(&c[0], 1));
        assert!(is_jumpdest(&c[0], 2));
        let t = CodeTree::new(&code).unwrap();
        let p = t.prove_chunks(&[0]).unwrap();
        assert!(verify_jumpdest(t.root(), 2, Some(c[0]), &p).unwrap());
        assert!(!verify_jumpdest(t.root(), 1, Some(c[0]), &p).unwrap());
        assert!(
            !verify_jumpdest(
                t.root(),
                40,
                Some(B256::ZERO),
                &t.prove_chunks(&[1]).unwrap()
            )
            .unwrap()
        );
        assert!(!verify_jumpdest(t.root(), u64::MAX, None, &[]).unwrap());
    }

    #[test]
    fn fetch_past_the_end_is_stop_and_past_the_tree_needs_no_proof() {
        let t = CodeTree::new(&[0x60, 0x01]).unwrap();
        let w = t.prove_fetch(100).unwrap();
        assert_eq!(w.chunks, vec![B256::ZERO]);
        assert_eq!(
            verify_fetch(t.root(), 100, &w.chunks, &w.proof)
                .unwrap()
                .opcode,
            0
        );
        let far = MAX_CHUNKS * 31;
        assert_eq!(verify_fetch(t.root(), far, &[], &[]).unwrap().opcode, 0);
        assert!(verify_fetch(t.root(), far, &[], &[0]).is_err());
    }

    #[test]
    fn wrong_chunk_count_is_rejected() {
        let t = CodeTree::new(&[0x61, 0x01, 0x02]).unwrap();
        let w = t.prove_fetch(0).unwrap();
        let mut more = w.chunks.clone();
        more.push(B256::ZERO);
        assert_eq!(
            verify_fetch(t.root(), 0, &more, &w.proof),
            Err(ProofError::ChunkCountMismatch {
                expected: 1,
                got: 2
            })
        );
    }

    #[test]
    fn oversized_code_is_refused() {
        assert!(matches!(
            CodeTree::new(&vec![0; MAX_CODE_BYTES + 1]),
            Err(CommitError::CodeTooLarge { .. })
        ));
    }
}
