//! The per-transaction substate trie (spec §8).
//!
//! Everything EIP-2929/1153/6780 make a transaction remember lives in one prefix trie
//! ([`PrefixTrie`] with terminal tag `0x03`, payload = value), reset to `0` at every transaction
//! start: warm accounts and slots, transient storage, accounts created in the transaction, and
//! the accounts whose SELFDESTRUCT must delete them at transaction end, kept both as a set (to
//! skip duplicates) and as an indexed list with a count (so the transaction-end steps can walk
//! it one entry per step). A call frame reverts it by restoring the root it saved on entry.
//!
//! `key(kind, address, slot) = keccak256(0x06 ‖ kind(1) ‖ address(20) ‖ slot(32))[0..31]`.
//! Keys are full 248-bit hashes: a shorter key would let a transaction grind two slots onto one
//! leaf and make a cold access warm.

use alloy_primitives::{Address, B256, U256};

use crate::error::ProofError;
use crate::hash::{tag, tagged};
use crate::proof::{Reader, expect_root};
use crate::trie::path::{PathProof, Terminal};
use crate::trie::{Key, PrefixTrie};

/// What a substate entry records (spec §8.1). The byte values are part of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Kind {
    /// EIP-2929 warm account; value 1.
    WarmAccount = 1,
    /// EIP-2929 warm storage slot; value 1.
    WarmSlot = 2,
    /// EIP-1153 transient storage; value = the stored word.
    Transient = 3,
    /// Account created in this transaction (EIP-6780); value 1.
    Created = 4,
    /// Account scheduled for deletion at transaction end; value 1.
    Destructed = 5,
    /// Entry `slot` of the deletion list (address 0); value = the address, right-aligned.
    DestructList = 6,
    /// Length of the deletion list (address 0, slot 0); value = the count.
    DestructCount = 7,
}

/// The trie key of an entry.
pub fn key(kind: Kind, address: &Address, slot: U256) -> Key {
    let h = tagged(
        tag::SUBSTATE_KEY,
        &[&[kind as u8], address.as_slice(), &slot.to_be_bytes::<32>()],
    );
    let mut k = [0u8; 31];
    k.copy_from_slice(&h[..31]);
    k
}

/// One transaction's substate.
#[derive(Debug, Clone)]
pub struct Substate {
    trie: PrefixTrie,
}

impl Default for Substate {
    fn default() -> Self {
        Self::new()
    }
}

fn one() -> B256 {
    B256::with_last_byte(1)
}

impl Substate {
    /// The empty substate (root `0`).
    pub fn new() -> Self {
        Self {
            trie: PrefixTrie::new(tag::SUBSTATE_LEAF),
        }
    }

    /// The root.
    pub fn root(&self) -> B256 {
        self.trie.root()
    }

    /// Value at `key` (`0` if absent).
    pub fn get(&self, key: &Key) -> B256 {
        self.trie.get(key).unwrap_or_default()
    }

    /// Set `key`; a zero value on an absent key changes nothing.
    pub fn set(&mut self, key: Key, value: B256) {
        self.trie.set(key, value);
    }

    /// The proof for `key`.
    pub fn prove(&self, key: &Key) -> Vec<u8> {
        self.trie.prove(key).to_bytes()
    }

    /// Mark `address` warm; returns whether it already was.
    pub fn warm_account(&mut self, address: &Address) -> bool {
        let k = key(Kind::WarmAccount, address, U256::ZERO);
        let was = !self.get(&k).is_zero();
        self.set(k, one());
        was
    }

    /// Mark a slot warm; returns whether it already was.
    pub fn warm_slot(&mut self, address: &Address, slot: U256) -> bool {
        let k = key(Kind::WarmSlot, address, slot);
        let was = !self.get(&k).is_zero();
        self.set(k, one());
        was
    }

    /// TLOAD.
    pub fn tload(&self, address: &Address, slot: U256) -> U256 {
        self.get(&key(Kind::Transient, address, slot)).into()
    }

    /// TSTORE.
    pub fn tstore(&mut self, address: &Address, slot: U256, value: U256) {
        self.set(key(Kind::Transient, address, slot), value.into());
    }

    /// Record that `address` was created in this transaction.
    pub fn mark_created(&mut self, address: &Address) {
        self.set(key(Kind::Created, address, U256::ZERO), one());
    }

    /// Whether `address` was created in this transaction.
    pub fn is_created(&self, address: &Address) -> bool {
        !self.get(&key(Kind::Created, address, U256::ZERO)).is_zero()
    }

    /// Number of accounts scheduled for deletion.
    pub fn destruct_count(&self) -> u64 {
        let v: U256 = self
            .get(&key(Kind::DestructCount, &Address::ZERO, U256::ZERO))
            .into();
        v.saturating_to()
    }

    /// Schedule `address` for deletion at transaction end (once).
    pub fn schedule_destruct(&mut self, address: &Address) {
        let set_key = key(Kind::Destructed, address, U256::ZERO);
        if !self.get(&set_key).is_zero() {
            return;
        }
        let n = self.destruct_count();
        self.set(set_key, one());
        self.set(
            key(Kind::DestructList, &Address::ZERO, U256::from(n)),
            address.into_word(),
        );
        self.set(
            key(Kind::DestructCount, &Address::ZERO, U256::ZERO),
            B256::from(U256::from(n + 1)),
        );
    }

    /// The `i`-th scheduled address.
    pub fn destruct_at(&self, i: u64) -> Option<Address> {
        let v = self.get(&key(Kind::DestructList, &Address::ZERO, U256::from(i)));
        (i < self.destruct_count()).then(|| Address::from_word(v))
    }
}

fn decode(key: &Key, proof: &[u8]) -> Result<PathProof, ProofError> {
    let mut r = Reader::new(proof);
    let p = PathProof::decode(&mut r)?;
    p.check(key)?;
    r.finish()?;
    Ok(p)
}

fn root_for(p: &PathProof, key: &Key, value: &B256) -> Result<B256, ProofError> {
    if !p.is_present() && !value.is_zero() {
        return Err(ProofError::ValueForAbsentKey);
    }
    p.root(tag::SUBSTATE_LEAF, key, value)
}

/// Verify that `key` holds `value` (`0` covers absent keys) under `root`.
pub fn verify(root: B256, key: &Key, value: &B256, proof: &[u8]) -> Result<(), ProofError> {
    let p = decode(key, proof)?;
    expect_root(root, root_for(&p, key, value)?)
}

/// Verify `key` holds `old` and return the root after setting it to `new`.
pub fn update(
    root: B256,
    key: &Key,
    old: &B256,
    new: &B256,
    proof: &[u8],
) -> Result<B256, ProofError> {
    let p = decode(key, proof)?;
    expect_root(root, root_for(&p, key, old)?)?;
    p.root_after_set(tag::SUBSTATE_LEAF, key, new)
}

/// Whether a decoded proof says the key is absent (for callers distinguishing "absent" from
/// "present with value 0", e.g. a cold access).
pub fn proves_absent(key: &Key, proof: &[u8]) -> Result<bool, ProofError> {
    Ok(!matches!(decode(key, proof)?.terminal(), Terminal::Own))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(i: u8) -> Address {
        Address::repeat_byte(i)
    }

    #[test]
    fn warm_sets_transient_and_destruct_list() {
        let mut s = Substate::new();
        assert!(!s.warm_account(&a(1)));
        assert!(s.warm_account(&a(1)));
        assert!(!s.warm_slot(&a(1), U256::from(3)));
        s.tstore(&a(1), U256::from(3), U256::from(77));
        assert_eq!(s.tload(&a(1), U256::from(3)), U256::from(77));
        assert_eq!(s.tload(&a(2), U256::from(3)), U256::ZERO);
        s.schedule_destruct(&a(5));
        s.schedule_destruct(&a(6));
        s.schedule_destruct(&a(5));
        assert_eq!(s.destruct_count(), 2);
        assert_eq!(s.destruct_at(1), Some(a(6)));
        assert_eq!(s.destruct_at(2), None);
    }

    #[test]
    fn proofs_for_cold_and_warm_and_updates() {
        let mut s = Substate::new();
        for i in 1..30 {
            s.warm_account(&a(i));
        }
        let cold = key(Kind::WarmAccount, &a(200), U256::ZERO);
        let p = s.prove(&cold);
        verify(s.root(), &cold, &B256::ZERO, &p).unwrap();
        assert!(proves_absent(&cold, &p).unwrap());
        assert_eq!(
            verify(s.root(), &cold, &one(), &p),
            Err(ProofError::ValueForAbsentKey)
        );
        let new_root = update(s.root(), &cold, &B256::ZERO, &one(), &p).unwrap();
        s.warm_account(&a(200));
        assert_eq!(new_root, s.root());
        let warm = key(Kind::WarmAccount, &a(3), U256::ZERO);
        let p = s.prove(&warm);
        verify(s.root(), &warm, &one(), &p).unwrap();
        assert!(!proves_absent(&warm, &p).unwrap());
        assert!(verify(s.root(), &warm, &B256::ZERO, &p).is_err());
    }
}
