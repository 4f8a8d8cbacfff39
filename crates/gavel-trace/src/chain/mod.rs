//! The L2 chain model (spec §14): genesis, state, and what a batch starts from.
//!
//! Execution is Ethereum's at Osaka with the deviations of spec §9.8. Block-level processing is
//! deliberately small: no system calls (EIP-4788 beacon root, EIP-2935 history), no
//! withdrawals, no requests, no block reward; the base fee is burnt and the priority fee goes
//! to the block's coinbase, as revm's mainnet handler does.

pub mod genesis;
pub mod state;

use alloy_primitives::B256;
use gavel_commit::hash::tagged;
use gavel_commit::record::ChainConfig;

pub use genesis::{Genesis, GenesisAccount, GenesisError, GenesisErrorKind};
pub use state::{Account, ChainState, Change, StateError};

use crate::tag;

/// The last block before a batch: what its first block must follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastBlock {
    /// Its number (0 for genesis).
    pub number: u64,
    /// Its timestamp.
    pub timestamp: u64,
    /// Its hash ([`block_hash`]).
    pub hash: B256,
}

/// Everything a batch's execution starts from (the anchor of a game).
#[derive(Debug, Clone)]
pub struct Prestate {
    /// The chain configuration.
    pub config: ChainConfig,
    /// The world state.
    pub state: ChainState,
    /// The block the batch continues.
    pub last_block: LastBlock,
}

/// A block's hash (spec §14.3):
/// `keccak256(0x1b ‖ parentHash ‖ blockEnv ‖ worldRoot ‖ receipts ‖ gasUsed(uint64))`, all taken
/// from the boundary before the block end, so the block-end step computes it from one opened
/// boundary. The genesis hash uses zero for the parent, the block env and the receipts.
pub fn block_hash(
    parent: &B256,
    block_env: &B256,
    world_root: &B256,
    receipts: &B256,
    gas_used: u64,
) -> B256 {
    tagged(
        tag::BLOCK_HASH,
        &[
            parent.as_slice(),
            block_env.as_slice(),
            world_root.as_slice(),
            receipts.as_slice(),
            &gas_used.to_be_bytes(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn block_hash_is_spec_14_3() {
        let (p, e, w, r) = (
            B256::repeat_byte(1),
            B256::repeat_byte(2),
            B256::repeat_byte(3),
            B256::repeat_byte(4),
        );
        let pre = [
            &[0x1bu8][..],
            p.as_slice(),
            e.as_slice(),
            w.as_slice(),
            r.as_slice(),
            &9u64.to_be_bytes(),
        ]
        .concat();
        assert_eq!(block_hash(&p, &e, &w, &r, 9), keccak256(pre));
    }
}
