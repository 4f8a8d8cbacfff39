//! EIP-7864 tree keys, derived with keccak-256 (spec §4.1).
//!
//! `stem(address, treeIndex) = keccak256(0x05 ‖ address(20) ‖ treeIndex(32, big-endian))[0..31]`
//! — exactly `abi.encodePacked(uint8(5), address, uint256)` in Solidity. EIP-7864 hashes
//! `address32 ‖ treeIndex(little-endian)` with SHA-256; keccak is the EVM's native hash and the
//! big-endian index is what `abi.encodePacked` gives, so the verifier derives a stem with one
//! `keccak256` and no byte reversal.
//!
//! Leaf positions follow EIP-7864: tree index 0 of an account holds BASIC_DATA (subindex 0),
//! CODE_HASH (1), gavel's CODE_ROOT (2, from EIP-7864's reserved range 2..63) and storage slots
//! 0..63 (subindices 64..127); every other slot lives at tree index `2^240 + slot / 256`,
//! subindex `slot % 256` (EIP-7864's `MAIN_STORAGE_OFFSET = 256^31`). Code chunks are not
//! stored in the world trie (they live in the code tree, spec §5), so subindices 128..255 of
//! tree index 0 stay empty.

use alloy_primitives::{Address, B256, U256};

use crate::error::CommitError;
use crate::hash::{tag, tagged};

use super::Key;

/// Subindex of the BASIC_DATA leaf.
pub const BASIC_DATA_LEAF_KEY: u8 = 0;
/// Subindex of the CODE_HASH leaf (`keccak256(code)`, what EXTCODEHASH returns).
pub const CODE_HASH_LEAF_KEY: u8 = 1;
/// Subindex of the CODE_ROOT leaf (root of the code chunk tree; gavel, not EIP-7864).
pub const CODE_ROOT_LEAF_KEY: u8 = 2;
/// First subindex of the header storage slots.
pub const HEADER_STORAGE_OFFSET: u8 = 64;
/// EIP-7864's first code-chunk subindex; header storage ends here.
pub const CODE_OFFSET: u8 = 128;
/// `MAIN_STORAGE_OFFSET / 256 = 256^30`: the tree-index offset of main storage.
pub const MAIN_STORAGE_TREE_OFFSET: U256 = U256::from_limbs([0, 0, 0, 1 << 48]);

/// A full 32-byte tree key: 31-byte stem and a subindex in its 256-leaf subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TreeKey {
    /// The stem (trie key).
    pub stem: Key,
    /// The leaf inside the stem's subtree.
    pub subindex: u8,
}

impl TreeKey {
    /// The 32 bytes `stem ‖ subindex`.
    pub fn to_b256(&self) -> B256 {
        let mut b = [0u8; 32];
        b[..31].copy_from_slice(&self.stem);
        b[31] = self.subindex;
        B256::from(b)
    }
}

/// The stem of `address`'s tree index `tree_index`.
pub fn stem(address: &Address, tree_index: U256) -> Key {
    let h = tagged(
        tag::STEM_KEY,
        &[address.as_slice(), &tree_index.to_be_bytes::<32>()],
    );
    let mut k = [0u8; 31];
    k.copy_from_slice(&h[..31]);
    k
}

/// The key of a leaf on the account's own stem (tree index 0).
pub fn account_key(address: &Address, subindex: u8) -> TreeKey {
    TreeKey {
        stem: stem(address, U256::ZERO),
        subindex,
    }
}

/// Key of the BASIC_DATA leaf.
pub fn basic_data_key(address: &Address) -> TreeKey {
    account_key(address, BASIC_DATA_LEAF_KEY)
}

/// Key of the CODE_HASH leaf.
pub fn code_hash_key(address: &Address) -> TreeKey {
    account_key(address, CODE_HASH_LEAF_KEY)
}

/// Key of the CODE_ROOT leaf.
pub fn code_root_key(address: &Address) -> TreeKey {
    account_key(address, CODE_ROOT_LEAF_KEY)
}

/// `(tree index, subindex)` of storage slot `slot` (EIP-7864 `get_tree_key_for_storage_slot`).
pub fn storage_position(slot: U256) -> (U256, u8) {
    let header = U256::from(CODE_OFFSET - HEADER_STORAGE_OFFSET);
    if slot < header {
        // slot < 64 so the narrowing is exact.
        (U256::ZERO, HEADER_STORAGE_OFFSET + slot.byte(0))
    } else {
        ((slot >> 8) + MAIN_STORAGE_TREE_OFFSET, slot.byte(0))
    }
}

/// Key of storage slot `slot` of `address`.
pub fn storage_key(address: &Address, slot: U256) -> TreeKey {
    let (index, subindex) = storage_position(slot);
    TreeKey {
        stem: stem(address, index),
        subindex,
    }
}

/// The BASIC_DATA leaf: `version(1) ‖ reserved(4) ‖ codeSize(3) ‖ nonce(8) ‖ balance(16)`,
/// big-endian (EIP-7864). Balances are 128-bit (deviation D2, spec §9.8).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BasicData {
    /// Code size in bytes (< 2^24).
    pub code_size: u32,
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: u128,
}

/// Largest code size the 3-byte field holds.
pub const MAX_CODE_SIZE_FIELD: u32 = (1 << 24) - 1;

impl BasicData {
    /// Encode as the leaf value (version 0).
    pub fn encode(&self) -> Result<B256, CommitError> {
        if self.code_size > MAX_CODE_SIZE_FIELD {
            return Err(CommitError::CodeTooLarge {
                len: self.code_size as usize,
                max: MAX_CODE_SIZE_FIELD as usize,
            });
        }
        let mut b = [0u8; 32];
        b[5..8].copy_from_slice(&self.code_size.to_be_bytes()[1..]);
        b[8..16].copy_from_slice(&self.nonce.to_be_bytes());
        b[16..32].copy_from_slice(&self.balance.to_be_bytes());
        Ok(B256::from(b))
    }

    /// Decode a leaf value; rejects unknown versions and non-zero reserved bytes.
    pub fn decode(v: &B256) -> Result<Self, CommitError> {
        if v[0] != 0 {
            return Err(CommitError::UnsupportedVersion { version: v[0] });
        }
        if v[1..5] != [0; 4] {
            return Err(CommitError::ReservedBytes { what: "basic data" });
        }
        let mut cs = [0u8; 4];
        cs[1..].copy_from_slice(&v[5..8]);
        Ok(Self {
            code_size: u32::from_be_bytes(cs),
            nonce: u64::from_be_bytes(v[8..16].try_into().expect("8 bytes")),
            balance: u128::from_be_bytes(v[16..32].try_into().expect("16 bytes")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_main_storage_positions_follow_eip_7864() {
        assert_eq!(storage_position(U256::ZERO), (U256::ZERO, 64));
        assert_eq!(storage_position(U256::from(63)), (U256::ZERO, 127));
        assert_eq!(storage_position(U256::from(64)), (U256::from(1) << 240, 64));
        assert_eq!(
            storage_position(U256::from(0x1234)),
            ((U256::from(1) << 240) + U256::from(0x12), 0x34)
        );
        assert_eq!(
            storage_position(U256::MAX),
            ((U256::MAX >> 8) + (U256::from(1) << 240), 0xff),
            "the largest slot's tree index still fits 256 bits"
        );
    }

    #[test]
    fn stem_is_abi_encode_packed_keccak() {
        let a = Address::repeat_byte(0x11);
        let mut pre = vec![0x05];
        pre.extend_from_slice(a.as_slice());
        pre.extend_from_slice(&[0u8; 32]);
        let h = crate::hash::keccak256(&pre);
        assert_eq!(stem(&a, U256::ZERO), h[..31]);
        assert_eq!(basic_data_key(&a).to_b256()[..31], h[..31]);
        assert_eq!(code_root_key(&a).subindex, 2);
    }

    #[test]
    fn basic_data_round_trips_and_rejects_garbage() {
        let d = BasicData {
            code_size: 24576,
            nonce: 7,
            balance: u128::MAX,
        };
        let v = d.encode().unwrap();
        assert_eq!(BasicData::decode(&v).unwrap(), d);
        let mut bad = v;
        bad[0] = 1;
        assert_eq!(
            BasicData::decode(&bad),
            Err(CommitError::UnsupportedVersion { version: 1 })
        );
        let mut bad = v;
        bad[3] = 1;
        assert!(matches!(
            BasicData::decode(&bad),
            Err(CommitError::ReservedBytes { .. })
        ));
        assert!(
            BasicData {
                code_size: 1 << 24,
                ..d
            }
            .encode()
            .is_err()
        );
    }
}
