//! Ethereum's commitments to a post-state, computed from a gavel [`ChainState`]: the Merkle
//! Patricia state root (what a state test's `post.<fork>[i].hash` holds) and the logs hash
//! (`post.<fork>[i].logs`).
//!
//! Account leaf: `keccak256(address) → rlp([nonce, balance, storageRoot, codeHash])`; storage
//! leaf: `keccak256(slot) → rlp(value)`, zero values absent. gavel keeps slots written back to
//! zero (its own trie never collapses), so they are dropped here.

use alloy_primitives::{B256, Log, U256, keccak256};
use alloy_trie::TrieAccount;
use alloy_trie::root::{state_root_unhashed, storage_root_unhashed};
use gavel_trace::ChainState;

/// The MPT state root of `state`.
pub fn state_root(state: &ChainState) -> B256 {
    state_root_unhashed(state.accounts().into_iter().map(|(address, acc)| {
        let storage = acc
            .storage
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(k, v)| (B256::from(*k), *v));
        let account = TrieAccount {
            nonce: acc.nonce,
            balance: U256::from(acc.balance),
            storage_root: storage_root_unhashed(storage),
            code_hash: acc.code_hash,
        };
        (*address, account)
    }))
}

/// `keccak256(rlp(logs))`: the logs hash of a state test.
pub fn logs_hash(logs: &[Log]) -> B256 {
    let mut out = Vec::new();
    alloy_rlp::encode_list(logs, &mut out);
    keccak256(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::b256;

    #[test]
    fn empty_logs_hash_is_keccak_of_empty_list() {
        assert_eq!(
            logs_hash(&[]),
            b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
        );
    }

    #[test]
    fn empty_state_has_the_empty_trie_root() {
        assert_eq!(state_root(&ChainState::new()), alloy_trie::EMPTY_ROOT_HASH);
    }
}
