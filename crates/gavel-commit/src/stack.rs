//! The stack hash chain (spec §7).
//!
//! `head(empty) = 0`, `head(s ++ [x]) = keccak(0x04 ‖ head(s) ‖ x)`, with the item as a 32-byte
//! big-endian word; the record keeps `(head, length)`. A step that consumes the top `k` items
//! opens them with `k` items (top first) and the head below them: `32(k + 1)` witness bytes and
//! `k` hashes, then pushes its results onto that lower head. The head binds the whole stack, so
//! an opening is unique; the length is kept beside it only so the verifier can check
//! underflow and overflow without opening anything.

use alloy_primitives::{B256, U256};

use crate::error::{CommitError, ProofError};
use crate::hash::{tag, tagged};
use crate::proof::Reader;

/// The EVM stack limit.
pub const MAX_STACK: usize = 1024;

/// One link: the head after pushing `item` onto a stack whose head is `below`.
pub fn link(below: &B256, item: &U256) -> B256 {
    tagged(tag::STACK, &[below.as_slice(), &item.to_be_bytes::<32>()])
}

/// Push `items` (bottom-most first) onto `below`.
pub fn push_all(below: B256, items: &[U256]) -> B256 {
    items.iter().fold(below, |h, x| link(&h, x))
}

/// A stack with its chain of heads, so push and pop are O(1) hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stack {
    items: Vec<U256>,
    heads: Vec<B256>,
}

impl Stack {
    /// An empty stack.
    pub fn new() -> Self {
        Self::default()
    }

    /// Current head (`0` when empty).
    pub fn head(&self) -> B256 {
        self.heads.last().copied().unwrap_or_default()
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Item `n` from the top (0 = top).
    pub fn peek(&self, n: usize) -> Option<U256> {
        self.items.len().checked_sub(n + 1).map(|i| self.items[i])
    }

    /// Push (one hash).
    pub fn push(&mut self, x: U256) -> Result<(), CommitError> {
        if self.items.len() == MAX_STACK {
            return Err(CommitError::StackOverflow);
        }
        self.heads.push(link(&self.head(), &x));
        self.items.push(x);
        Ok(())
    }

    /// Pop (no hash: the lower head is remembered).
    pub fn pop(&mut self) -> Result<U256, CommitError> {
        self.heads.pop();
        self.items
            .pop()
            .ok_or(CommitError::StackUnderflow { wanted: 1, len: 0 })
    }

    /// The opening of the top `k` items.
    pub fn open(&self, k: usize) -> Result<StackOpening, CommitError> {
        let len = self.items.len();
        if k > len {
            return Err(CommitError::StackUnderflow { wanted: k, len });
        }
        Ok(StackOpening {
            items: self.items[len - k..].iter().rev().copied().collect(),
            below: if k == len {
                B256::ZERO
            } else {
                self.heads[len - k - 1]
            },
        })
    }
}

/// The top `k` items (top first) and the head below them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackOpening {
    /// Items, top first.
    pub items: Vec<U256>,
    /// Head of the stack under them.
    pub below: B256,
}

impl StackOpening {
    /// `items (32 each, top first) ‖ below (32)`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 * (self.items.len() + 1));
        for x in &self.items {
            out.extend_from_slice(&x.to_be_bytes::<32>());
        }
        out.extend_from_slice(self.below.as_slice());
        out
    }

    /// The head these items and `below` make.
    pub fn head(&self) -> B256 {
        self.items.iter().rev().fold(self.below, |h, x| link(&h, x))
    }
}

/// Verify an opening of `k` items of the stack `(head, len)` given as bytes (spec §7.2).
pub fn verify_opening(
    head: B256,
    len: usize,
    k: usize,
    bytes: &[u8],
) -> Result<StackOpening, ProofError> {
    if k > len {
        return Err(ProofError::StackUnderflow { wanted: k, len });
    }
    let mut r = Reader::new(bytes);
    let mut items = Vec::with_capacity(k);
    for _ in 0..k {
        items.push(U256::from_be_bytes(r.word()?.0));
    }
    let below = r.word()?;
    r.finish()?;
    let o = StackOpening { items, below };
    crate::proof::expect_root(head, o.head())?;
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_pop_and_open() {
        let mut s = Stack::new();
        assert_eq!(s.head(), B256::ZERO);
        for i in 1..=5u64 {
            s.push(U256::from(i)).unwrap();
        }
        let o = s.open(2).unwrap();
        assert_eq!(o.items, vec![U256::from(5), U256::from(4)]);
        let v = verify_opening(s.head(), s.len(), 2, &o.to_bytes()).unwrap();
        assert_eq!(v, o);
        // ADD: pop 2, push the sum onto `below`.
        let after = push_all(o.below, &[U256::from(9)]);
        s.pop().unwrap();
        s.pop().unwrap();
        s.push(U256::from(9)).unwrap();
        assert_eq!(after, s.head());
        assert_eq!(s.open(4).unwrap().below, B256::ZERO);
    }

    #[test]
    fn underflow_overflow_and_forgery_are_errors() {
        let mut s = Stack::new();
        assert!(s.pop().is_err());
        s.push(U256::from(1)).unwrap();
        assert!(verify_opening(s.head(), 1, 2, &[]).is_err());
        let mut b = s.open(1).unwrap().to_bytes();
        b[31] ^= 1;
        assert!(matches!(
            verify_opening(s.head(), 1, 1, &b),
            Err(ProofError::RootMismatch { .. })
        ));
        let mut s = Stack::new();
        for i in 0..MAX_STACK {
            s.push(U256::from(i)).unwrap();
        }
        assert_eq!(s.push(U256::ZERO), Err(CommitError::StackOverflow));
    }
}
