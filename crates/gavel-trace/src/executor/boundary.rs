//! How the Boundary record (spec §9.6) moves across transitions (spec §14.3). Pure functions:
//! the block-start, transaction-end and block-end steps of the verifier compute exactly these,
//! and so do the witness builders (`crate::boundary_witness`), which use these very functions.

use alloy_primitives::B256;
use gavel_commit::record::{Boundary, PHASE_BETWEEN_BLOCKS, PHASE_IN_BLOCK, receipt_link};

use crate::chain::block_hash;

/// The absolute prestate of a batch: before block 0, nothing in progress.
pub fn initial(world_root: B256, batch: B256, last_block_hash: B256) -> Boundary {
    Boundary {
        world_root,
        batch,
        block_env: B256::ZERO,
        block_index: 0,
        tx_index: 0,
        phase: PHASE_BETWEEN_BLOCKS,
        block_gas_used: 0,
        receipts: B256::ZERO,
        last_block_hash,
    }
}

/// After the block start of the current `block_index`, whose BlockEnv hash is `block_env`.
pub fn block_start(b: &Boundary, block_env: B256) -> Boundary {
    Boundary {
        block_env,
        tx_index: 0,
        phase: PHASE_IN_BLOCK,
        block_gas_used: 0,
        receipts: B256::ZERO,
        ..*b
    }
}

/// After an executed transaction: new world root, gas added, receipt appended with the log
/// accumulator `logs` (0 while logs are refused).
pub fn tx_executed(
    b: &Boundary,
    world_root: B256,
    gas_used: u64,
    success: bool,
    logs: B256,
) -> Boundary {
    let cumulative = b.block_gas_used + gas_used;
    Boundary {
        world_root,
        tx_index: b.tx_index + 1,
        block_gas_used: cumulative,
        receipts: receipt_link(&b.receipts, success, cumulative, &logs),
        ..*b
    }
}

/// After a transaction skipped as invalid: only the index moves.
pub fn tx_skipped(b: &Boundary) -> Boundary {
    Boundary {
        tx_index: b.tx_index + 1,
        ..*b
    }
}

/// After the block end: the block's hash becomes the last block hash, the next block waits.
pub fn block_end(b: &Boundary) -> (Boundary, B256) {
    let hash = block_hash(
        &b.last_block_hash,
        &b.block_env,
        &b.world_root,
        &b.receipts,
        b.block_gas_used,
    );
    let next = Boundary {
        block_env: B256::ZERO,
        block_index: b.block_index + 1,
        tx_index: 0,
        phase: PHASE_BETWEEN_BLOCKS,
        block_gas_used: 0,
        receipts: B256::ZERO,
        last_block_hash: hash,
        ..*b
    };
    (next, hash)
}
