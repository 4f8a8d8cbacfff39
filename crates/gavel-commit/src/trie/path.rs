//! Path proofs for the prefix trie (spec §4.3): the verifier side, pure functions over bytes.
//!
//! ```text
//! PathProof := kind(1) ‖ depth(1) ‖ [otherKey(31) ‖ otherPayload(32)  if kind = 2]
//!              ‖ bitmap ‖ siblings                 (spec §3.1, R = depth requests)
//! kind 0: the path ends in an empty subtree at `depth`     (key absent)
//! kind 1: the path ends in the key's own terminal          (key present; payload supplied)
//! kind 2: the path ends in another key's terminal          (key absent)
//! ```
//!
//! Siblings are listed bottom-up: request `j` is the sibling at depth `depth − j` on the path,
//! i.e. the child of the internal node at depth `depth − 1 − j` that the key's bit at that
//! depth does not select.

use alloy_primitives::B256;

use crate::error::ProofError;
use crate::hash::{node_hash, tagged};
use crate::proof::{Reader, read_siblings, write_siblings};

use super::{KEY_BITS, Key, bit};

/// Where a path ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terminal {
    /// An empty subtree: the key is absent.
    Empty,
    /// The key's own terminal; its payload is supplied by the caller.
    Own,
    /// Another key's terminal sits where the key would be: the key is absent.
    Other {
        /// The other key.
        key: Key,
        /// Its payload.
        payload: B256,
    },
}

/// A decoded path proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathProof {
    terminal: Terminal,
    /// Siblings bottom-up, `0` for empty ones; `siblings.len()` is the terminal's depth.
    siblings: Vec<B256>,
}

/// Terminal (leaf) hash of the trie with terminal tag `tag`.
pub fn leaf_hash(tag: u8, key: &Key, payload: &B256) -> B256 {
    tagged(tag, &[key.as_slice(), payload.as_slice()])
}

impl PathProof {
    /// A proof ending in `terminal` with `siblings` bottom-up (at most 248).
    pub fn new(terminal: Terminal, siblings: Vec<B256>) -> Result<Self, ProofError> {
        if siblings.len() > KEY_BITS {
            return Err(ProofError::DepthOutOfRange {
                depth: siblings.len(),
                max: KEY_BITS,
            });
        }
        Ok(Self { terminal, siblings })
    }

    /// How the path ends.
    pub fn terminal(&self) -> &Terminal {
        &self.terminal
    }

    /// Siblings bottom-up, zeros included.
    pub fn siblings(&self) -> &[B256] {
        &self.siblings
    }

    /// Depth of the terminal.
    pub fn depth(&self) -> usize {
        self.siblings.len()
    }

    /// Decode from `r` (the caller decides whether bytes may follow).
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, ProofError> {
        let kind = r.u8()?;
        let depth = usize::from(r.u8()?);
        if depth > KEY_BITS {
            return Err(ProofError::DepthOutOfRange {
                depth,
                max: KEY_BITS,
            });
        }
        let terminal = match kind {
            0 => Terminal::Empty,
            1 => Terminal::Own,
            2 => Terminal::Other {
                key: r.key31()?,
                payload: r.word()?,
            },
            kind => return Err(ProofError::UnknownTerminal { kind }),
        };
        let siblings = read_siblings(r, depth)?;
        Ok(Self { terminal, siblings })
    }

    /// Append the encoding.
    pub fn encode(&self, out: &mut Vec<u8>) {
        // `new` and `decode` bound the depth by 248.
        let depth = self.depth() as u8;
        match &self.terminal {
            Terminal::Empty => out.extend_from_slice(&[0, depth]),
            Terminal::Own => out.extend_from_slice(&[1, depth]),
            Terminal::Other { key, payload } => {
                out.extend_from_slice(&[2, depth]);
                out.extend_from_slice(key);
                out.extend_from_slice(payload.as_slice());
            }
        }
        write_siblings(out, &self.siblings);
    }

    /// The encoding as a fresh vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Whether the proof says the key is present.
    pub fn is_present(&self) -> bool {
        self.terminal == Terminal::Own
    }

    /// The structural rules that make a path proof canonical for `key` (spec §4.3).
    pub fn check(&self, key: &Key) -> Result<(), ProofError> {
        let depth = self.depth();
        match &self.terminal {
            Terminal::Empty if depth > 0 && self.siblings[0].is_zero() => {
                Err(ProofError::EmptyTerminalWithoutSibling { depth })
            }
            Terminal::Other { key: other, .. } => {
                if other == key {
                    return Err(ProofError::OtherKeyIsTarget);
                }
                if (0..depth).any(|d| bit(other, d) != bit(key, d)) {
                    return Err(ProofError::OtherKeyPrefixMismatch { depth });
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Hash the path from a node `h` at the terminal depth up to the root.
    pub(crate) fn fold(&self, key: &Key, mut h: B256) -> B256 {
        let depth = self.depth();
        for (j, s) in self.siblings.iter().enumerate() {
            let d = depth - 1 - j;
            h = if bit(key, d) {
                node_hash(s, &h)
            } else {
                node_hash(&h, s)
            };
        }
        h
    }

    /// The root this proof commits to, for `key` with payload `own` (used only when the
    /// terminal is [`Terminal::Own`]).
    pub fn root(&self, tag: u8, key: &Key, own: &B256) -> Result<B256, ProofError> {
        self.check(key)?;
        let h = match &self.terminal {
            Terminal::Empty => B256::ZERO,
            Terminal::Own => leaf_hash(tag, key, own),
            Terminal::Other { key: k, payload } => leaf_hash(tag, k, payload),
        };
        Ok(self.fold(key, h))
    }

    /// The root after setting `key`'s payload to `new` (spec §4.4): update in place if present;
    /// if absent, a zero payload changes nothing, a non-zero one inserts the key at the
    /// terminal, splitting a foreign terminal down to the first bit where the keys differ.
    pub fn root_after_set(&self, tag: u8, key: &Key, new: &B256) -> Result<B256, ProofError> {
        self.check(key)?;
        let depth = self.depth();
        let h = match &self.terminal {
            Terminal::Own => leaf_hash(tag, key, new),
            Terminal::Empty if new.is_zero() => B256::ZERO,
            Terminal::Other { key: k, payload } if new.is_zero() => leaf_hash(tag, k, payload),
            Terminal::Empty => leaf_hash(tag, key, new),
            Terminal::Other {
                key: other,
                payload,
            } => {
                // `check` guarantees a first differing bit at or below `depth`.
                let split = (depth..KEY_BITS)
                    .find(|&d| bit(other, d) != bit(key, d))
                    .ok_or(ProofError::OtherKeyIsTarget)?;
                let mine = leaf_hash(tag, key, new);
                let theirs = leaf_hash(tag, other, payload);
                let mut h = if bit(key, split) {
                    node_hash(&theirs, &mine)
                } else {
                    node_hash(&mine, &theirs)
                };
                for d in (depth..split).rev() {
                    h = if bit(key, d) {
                        node_hash(&B256::ZERO, &h)
                    } else {
                        node_hash(&h, &B256::ZERO)
                    };
                }
                h
            }
        };
        Ok(self.fold(key, h))
    }
}
