//! The L2 state: accounts as revm reads them, and the world trie that commits to them.
//!
//! Both views are kept side by side and changed together by [`ChainState::apply`], one
//! [`Change`] at a time, so a write rehashes exactly the trie paths it touches (O(depth) keccak,
//! spec §4.2) and the world root is never rebuilt. The list of changes a transaction made is
//! also what the executor keeps as its diff journal (see `executor::checkpoint`).
//!
//! The world trie never removes a stem (spec §4.2, no collapsing), so the state also remembers
//! which keys were ever written: a storage slot that went back to zero stays in the account's
//! map with value zero, and a deleted account leaves a tombstone. With that,
//! [`ChainState::root_from_scratch`] can rebuild the root independently of the incremental
//! trie, which is what the tests compare against.

use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::map::HashMap;
use alloy_primitives::{Address, B256, Bytes, KECCAK256_EMPTY, U256};
use gavel_commit::code::CodeTree;
use gavel_commit::trie::Key;
use gavel_commit::trie::key::{self, BasicData};
use gavel_commit::trie::world::{self, WorldState};
use revm::bytecode::Bytecode;
use revm::database_interface::{DBErrorMarker, DatabaseRef};
use revm::state::AccountInfo;
use thiserror::Error;

/// An account as the L2 state holds it (balances are 128-bit: deviation D2, spec §9.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: u128,
    /// `keccak256(code)`; `KECCAK256_EMPTY` without code.
    pub code_hash: B256,
    /// Storage, including slots that were written back to zero (their stems stay in the trie).
    pub storage: HashMap<U256, U256>,
}

impl Account {
    /// An account without code or storage.
    pub fn new(nonce: u64, balance: u128) -> Self {
        Self {
            nonce,
            balance,
            code_hash: KECCAK256_EMPTY,
            storage: HashMap::default(),
        }
    }
}

/// Code known to the state, with its commitment.
#[derive(Debug, Clone)]
pub struct Code {
    /// revm's analysed bytecode (jump table; cheap to clone).
    pub bytecode: Bytecode,
    /// The raw bytes.
    pub bytes: Bytes,
    /// Code tree root (spec §5.2; `0` for empty code).
    pub root: B256,
}

/// One write to the state. A transaction's writes are a list of these; applying the list to the
/// state before the transaction gives the state after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// New code, listed before the account that refers to it.
    Code {
        /// `keccak256(code)`.
        hash: B256,
        /// The code.
        code: Bytes,
    },
    /// An account created, or its nonce, balance or code changed.
    Account {
        /// The account.
        address: Address,
        /// New nonce.
        nonce: u64,
        /// New balance.
        balance: u128,
        /// New code hash (its code was listed before or is already known).
        code_hash: B256,
    },
    /// A storage slot written (the account exists).
    Slot {
        /// The account.
        address: Address,
        /// The slot.
        slot: U256,
        /// The new value.
        value: U256,
    },
    /// A slot that was never written and that a transaction set to a non-zero value and back to
    /// zero: the intermediate write created the slot's stem, which stays (spec §4.2, no
    /// collapsing), so the slot is recorded as a written zero. Nothing if it was written before.
    ZeroSlot {
        /// The account.
        address: Address,
        /// The slot.
        slot: U256,
    },
    /// An account deleted (EIP-161 empty account, SELFDESTRUCT): every leaf becomes zero and
    /// the stems stay.
    Deleted {
        /// The account.
        address: Address,
    },
}

/// Why the state refused a change.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StateError {
    /// A balance at or above 2^128 (deviation D2).
    #[error("balance {balance} of {address} does not fit 128 bits (deviation D2)")]
    BalanceOverflow {
        /// The account.
        address: Address,
        /// The balance.
        balance: U256,
    },
    /// Code too large for the code tree or the BASIC_DATA code-size field.
    #[error("code of {len} bytes is too large: {reason}")]
    CodeTooLarge {
        /// Code length.
        len: usize,
        /// What limits it.
        reason: String,
    },
    /// An account refers to a code hash whose code was never given.
    #[error("account {address} refers to unknown code {hash}")]
    UnknownCode {
        /// The account.
        address: Address,
        /// The hash.
        hash: B256,
    },
    /// A storage write to an account that does not exist.
    #[error("storage write to {address}, which does not exist")]
    SlotOfMissingAccount {
        /// The account.
        address: Address,
    },
    /// revm asked for a block hash; BLOCKHASH is refused before it can run, so this is a bug.
    #[error("block hash of block {number} requested, but the chain model keeps no block history")]
    BlockHashUnavailable {
        /// Requested block number.
        number: u64,
    },
}

impl DBErrorMarker for StateError {}

/// The L2 state (see the module docs).
#[derive(Debug, Clone)]
pub struct ChainState {
    accounts: HashMap<Address, Account>,
    codes: HashMap<B256, Code>,
    /// Deleted accounts and the storage keys they had (their stems stay in the trie).
    tombstones: BTreeMap<Address, BTreeSet<U256>>,
    world: WorldState,
}

impl Default for ChainState {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainState {
    /// The empty state (world root `0`).
    pub fn new() -> Self {
        let mut codes = HashMap::default();
        codes.insert(
            KECCAK256_EMPTY,
            Code {
                bytecode: Bytecode::default(),
                bytes: Bytes::new(),
                root: B256::ZERO,
            },
        );
        Self {
            accounts: HashMap::default(),
            codes,
            tombstones: BTreeMap::new(),
            world: WorldState::new(),
        }
    }

    /// The world root (spec §4).
    pub fn world_root(&self) -> B256 {
        self.world.root()
    }

    /// The world trie (for proofs).
    pub fn world(&self) -> &WorldState {
        &self.world
    }

    /// Move the world trie out (the accounts stay, so revm can still read the state): the step
    /// machine writes its own copy of the world leaf by leaf without cloning it again.
    pub(crate) fn take_world(&mut self) -> WorldState {
        std::mem::take(&mut self.world)
    }

    /// An account, if it exists.
    pub fn account(&self, address: &Address) -> Option<&Account> {
        self.accounts.get(address)
    }

    /// Every existing account, sorted by address.
    pub fn accounts(&self) -> Vec<(&Address, &Account)> {
        let mut v: Vec<_> = self.accounts.iter().collect();
        v.sort_by_key(|(a, _)| **a);
        v
    }

    /// Code by hash.
    pub fn code(&self, hash: &B256) -> Option<&Code> {
        self.codes.get(hash)
    }

    /// A storage value (`0` if unset).
    pub fn storage(&self, address: &Address, slot: U256) -> U256 {
        self.accounts
            .get(address)
            .and_then(|a| a.storage.get(&slot))
            .copied()
            .unwrap_or_default()
    }

    /// Apply a list of changes in order.
    pub fn apply_all(&mut self, changes: &[Change]) -> Result<(), StateError> {
        changes.iter().try_for_each(|c| self.apply(c))
    }

    /// Apply one change to the accounts and, leaf by leaf, to the world trie. Only leaves whose
    /// value changes are written.
    pub fn apply(&mut self, change: &Change) -> Result<(), StateError> {
        match change {
            Change::Code { hash, code } => {
                if !self.codes.contains_key(hash) {
                    let root = CodeTree::new(code)
                        .map_err(|e| StateError::CodeTooLarge {
                            len: code.len(),
                            reason: e.to_string(),
                        })?
                        .root();
                    self.codes.insert(
                        *hash,
                        Code {
                            bytecode: Bytecode::new_raw(code.clone()),
                            bytes: code.clone(),
                            root,
                        },
                    );
                }
            }
            Change::Account {
                address,
                nonce,
                balance,
                code_hash,
            } => self.set_account(address, *nonce, *balance, code_hash)?,
            Change::Slot {
                address,
                slot,
                value,
            } => {
                let acc = self
                    .accounts
                    .get_mut(address)
                    .ok_or(StateError::SlotOfMissingAccount { address: *address })?;
                match acc.storage.get_mut(slot) {
                    Some(v) if v == value => {}
                    Some(v) => {
                        *v = *value;
                        self.world.set_storage(address, *slot, *value);
                    }
                    // A zero into a never-written slot creates nothing (spec §4.2), so the
                    // model does not record it either.
                    None if value.is_zero() => {}
                    None => {
                        acc.storage.insert(*slot, *value);
                        self.world.set_storage(address, *slot, *value);
                    }
                }
            }
            Change::ZeroSlot { address, slot } => {
                let acc = self
                    .accounts
                    .get_mut(address)
                    .ok_or(StateError::SlotOfMissingAccount { address: *address })?;
                if !acc.storage.contains_key(slot) {
                    acc.storage.insert(*slot, U256::ZERO);
                    // The trie creates a stem only for a non-zero value: write one, then the
                    // zero, exactly as the transaction's SSTOREs did (the root depends only on
                    // the stems and the final values).
                    self.world.set_storage(address, *slot, U256::from(1));
                    self.world.set_storage(address, *slot, U256::ZERO);
                }
            }
            Change::Deleted { address } => {
                if let Some(acc) = self.accounts.remove(address) {
                    for k in [
                        key::basic_data_key(address),
                        key::code_hash_key(address),
                        key::code_root_key(address),
                    ] {
                        self.world.set(&k, B256::ZERO);
                    }
                    let stone = self.tombstones.entry(*address).or_default();
                    for (slot, _) in acc.storage {
                        self.world.set_storage(address, slot, U256::ZERO);
                        stone.insert(slot);
                    }
                }
            }
        }
        Ok(())
    }

    fn set_account(
        &mut self,
        address: &Address,
        nonce: u64,
        balance: u128,
        code_hash: &B256,
    ) -> Result<(), StateError> {
        let code = self.codes.get(code_hash).ok_or(StateError::UnknownCode {
            address: *address,
            hash: *code_hash,
        })?;
        let basic = BasicData {
            code_size: u32::try_from(code.bytes.len()).unwrap_or(u32::MAX),
            nonce,
            balance,
        }
        .encode()
        .map_err(|e| StateError::CodeTooLarge {
            len: code.bytes.len(),
            reason: e.to_string(),
        })?;
        let code_root = code.root;
        let old = self.accounts.get(address);
        let old_basic = old.map(|a| (a.nonce, a.balance, a.code_hash));
        if old_basic == Some((nonce, balance, *code_hash)) {
            return Ok(());
        }
        self.world.set(&key::basic_data_key(address), basic);
        if old.map(|a| a.code_hash) != Some(*code_hash) {
            self.world.set(&key::code_hash_key(address), *code_hash);
            self.world.set(&key::code_root_key(address), code_root);
        }
        let acc = self
            .accounts
            .entry(*address)
            .or_insert_with(|| Account::new(nonce, balance));
        acc.nonce = nonce;
        acc.balance = balance;
        acc.code_hash = *code_hash;
        Ok(())
    }

    /// The world root rebuilt from the accounts alone, without the incremental trie: the
    /// reference the incremental root is tested against.
    pub fn root_from_scratch(&self) -> B256 {
        let mut stems: BTreeMap<Key, Vec<(u8, B256)>> = BTreeMap::new();
        let mut put =
            |k: key::TreeKey, v: B256| stems.entry(k.stem).or_default().push((k.subindex, v));
        for (address, slots) in &self.tombstones {
            // Present with whatever value the live account (if re-created) gives below.
            put(key::basic_data_key(address), B256::ZERO);
            for slot in slots {
                put(key::storage_key(address, *slot), B256::ZERO);
            }
        }
        for (address, acc) in &self.accounts {
            let code = &self.codes[&acc.code_hash];
            let basic = BasicData {
                code_size: code.bytes.len() as u32,
                nonce: acc.nonce,
                balance: acc.balance,
            }
            .encode()
            .expect("code sizes are checked when code is added");
            put(key::basic_data_key(address), basic);
            put(key::code_hash_key(address), acc.code_hash);
            put(key::code_root_key(address), code.root);
            for (slot, v) in &acc.storage {
                put(key::storage_key(address, *slot), (*v).into());
            }
        }
        // Later pushes win inside a stem (a live value after a tombstone's zero).
        let stems: Vec<(Key, Vec<(u8, B256)>)> = stems
            .into_iter()
            .map(|(s, leaves)| {
                let mut last: BTreeMap<u8, B256> = BTreeMap::new();
                for (i, v) in leaves {
                    last.insert(i, v);
                }
                (s, last.into_iter().collect())
            })
            .collect();
        world::root_from_scratch(&stems)
    }
}

impl DatabaseRef for ChainState {
    type Error = StateError;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, StateError> {
        Ok(self.accounts.get(&address).map(|a| {
            let code = self.codes[&a.code_hash].bytecode.clone();
            AccountInfo::new(U256::from(a.balance), a.nonce, a.code_hash, code)
        }))
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, StateError> {
        Ok(self
            .codes
            .get(&code_hash)
            .map(|c| c.bytecode.clone())
            .unwrap_or_default())
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, StateError> {
        Ok(self.storage(&address, index))
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, StateError> {
        Err(StateError::BlockHashUnavailable { number })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    fn addr(i: u8) -> Address {
        Address::with_last_byte(i)
    }

    #[test]
    fn incremental_root_equals_from_scratch_through_writes_zeroing_and_deletion() {
        let mut s = ChainState::new();
        let code = Bytes::from_static(&[0x60, 0x01, 0x00]);
        let h = keccak256(&code);
        let changes = vec![
            Change::Code {
                hash: h,
                code: code.clone(),
            },
            Change::Account {
                address: addr(1),
                nonce: 1,
                balance: 10,
                code_hash: h,
            },
            Change::Account {
                address: addr(2),
                nonce: 0,
                balance: 5,
                code_hash: KECCAK256_EMPTY,
            },
            Change::Slot {
                address: addr(1),
                slot: U256::from(3),
                value: U256::from(7),
            },
            Change::Slot {
                address: addr(1),
                slot: U256::from(1000),
                value: U256::from(8),
            },
            Change::Slot {
                address: addr(1),
                slot: U256::from(99),
                value: U256::ZERO,
            },
        ];
        s.apply_all(&changes).unwrap();
        assert_eq!(s.world_root(), s.root_from_scratch());
        assert_eq!(
            s.world().stem_count(),
            3,
            "account stems ×2 + slot 1000's stem"
        );

        s.apply(&Change::Slot {
            address: addr(1),
            slot: U256::from(1000),
            value: U256::ZERO,
        })
        .unwrap();
        assert_eq!(s.world().stem_count(), 3, "zeroed stems stay");
        assert_eq!(s.world_root(), s.root_from_scratch());

        s.apply(&Change::Deleted { address: addr(1) }).unwrap();
        assert!(s.account(&addr(1)).is_none());
        assert_eq!(s.world_root(), s.root_from_scratch());
        s.apply(&Change::Account {
            address: addr(1),
            nonce: 0,
            balance: 1,
            code_hash: KECCAK256_EMPTY,
        })
        .unwrap();
        assert_eq!(s.world_root(), s.root_from_scratch());
    }

    #[test]
    fn refuses_unknown_code_and_slots_of_missing_accounts() {
        let mut s = ChainState::new();
        assert_eq!(
            s.apply(&Change::Slot {
                address: addr(1),
                slot: U256::ZERO,
                value: U256::from(1),
            }),
            Err(StateError::SlotOfMissingAccount { address: addr(1) })
        );
        let h = B256::repeat_byte(7);
        assert_eq!(
            s.apply(&Change::Account {
                address: addr(1),
                nonce: 0,
                balance: 0,
                code_hash: h,
            }),
            Err(StateError::UnknownCode {
                address: addr(1),
                hash: h
            })
        );
    }

    #[test]
    fn unchanged_writes_do_not_hash() {
        let mut s = ChainState::new();
        let c = Change::Account {
            address: addr(1),
            nonce: 1,
            balance: 2,
            code_hash: KECCAK256_EMPTY,
        };
        s.apply(&c).unwrap();
        let before = gavel_commit::hash::hash_count();
        s.apply(&c).unwrap();
        assert_eq!(gavel_commit::hash::hash_count(), before);
    }
}
