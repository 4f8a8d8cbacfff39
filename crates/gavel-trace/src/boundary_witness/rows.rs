//! The boundary rows of spec §14.3, restated from the spec for the builders (the executor's own
//! copy is private to it; the tests hold the two against each other).

use alloy_primitives::B256;
use gavel_commit::record::{Boundary, PHASE_BETWEEN_BLOCKS, PHASE_IN_BLOCK, receipt_link};

use crate::chain::block_hash;

/// Before the batch.
pub(super) fn initial(world_root: B256, batch: B256, last_block_hash: B256) -> Boundary {
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

/// After a block start.
pub(super) fn block_start(b: &Boundary, block_env: B256) -> Boundary {
    Boundary {
        block_env,
        tx_index: 0,
        phase: PHASE_IN_BLOCK,
        block_gas_used: 0,
        receipts: B256::ZERO,
        ..*b
    }
}

/// After an executed transaction.
pub(super) fn tx_executed(
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

/// After a skipped transaction.
pub(super) fn tx_skipped(b: &Boundary) -> Boundary {
    Boundary {
        tx_index: b.tx_index + 1,
        ..*b
    }
}

/// After a block end.
pub(super) fn block_end(b: &Boundary) -> Boundary {
    Boundary {
        block_env: B256::ZERO,
        block_index: b.block_index + 1,
        tx_index: 0,
        phase: PHASE_BETWEEN_BLOCKS,
        block_gas_used: 0,
        receipts: B256::ZERO,
        last_block_hash: block_hash(
            &b.last_block_hash,
            &b.block_env,
            &b.world_root,
            &b.receipts,
            b.block_gas_used,
        ),
        ..*b
    }
}
