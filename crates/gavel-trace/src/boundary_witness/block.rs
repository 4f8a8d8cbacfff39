//! Block start, block end, past the batch (spec §17.1, §17.5, §17.6) and the absolute prestate
//! (§17.7).

use alloy_primitives::B256;
use gavel_commit::record::{Boundary, PHASE_BETWEEN_BLOCKS, PHASE_IN_BLOCK};

use super::io::{batch_preimage, block_opening, check_batch};
use super::{StepWitness, WitnessError, kind};
use crate::batch::Batch;
use crate::executor::boundary;
use crate::step::witness::boundary_head;

/// The block start of block `pre.block_index`: its witness and the boundary after it.
pub fn block_start(
    pre: &Boundary,
    batch: &Batch,
    chain_config: B256,
) -> Result<StepWitness, WitnessError> {
    check_batch(pre, batch)?;
    if pre.phase != PHASE_BETWEEN_BLOCKS {
        return Err(WitnessError::WrongPhase("block start needs phase 0"));
    }
    let mut witness = boundary_head(kind::BLOCK_START, pre);
    witness.extend(block_opening(batch, pre.block_index)?);
    let env = batch.blocks()[pre.block_index as usize]
        .context
        .env_record(chain_config)
        .hash();
    Ok(StepWitness {
        witness,
        post: boundary::block_start(pre, env).hash(),
    })
}

/// The block end of block `pre.block_index` (all its transactions done).
pub fn block_end(pre: &Boundary, batch: &Batch) -> Result<StepWitness, WitnessError> {
    check_batch(pre, batch)?;
    let block = batch
        .blocks()
        .get(pre.block_index as usize)
        .ok_or(WitnessError::OutOfBatch {
            block: pre.block_index,
            tx: pre.tx_index,
        })?;
    if pre.phase != PHASE_IN_BLOCK || pre.tx_index as usize != block.txs.len() {
        return Err(WitnessError::WrongPhase(
            "block end needs phase 1 after the last transaction",
        ));
    }
    let mut witness = boundary_head(kind::BLOCK_END, pre);
    witness.extend(block_opening(batch, pre.block_index)?);
    Ok(StepWitness {
        witness,
        post: boundary::block_end(pre).0.hash(),
    })
}

/// A step past the batch's last block end: the boundary repeats.
pub fn past_batch(pre: &Boundary, batch: &Batch) -> Result<StepWitness, WitnessError> {
    check_batch(pre, batch)?;
    if pre.phase != PHASE_BETWEEN_BLOCKS || pre.block_index as usize != batch.blocks().len() {
        return Err(WitnessError::WrongPhase(
            "past the batch needs the final boundary",
        ));
    }
    let mut witness = boundary_head(kind::PAST_BATCH, pre);
    witness.extend(batch_preimage(batch));
    Ok(StepWitness {
        witness,
        post: pre.hash(),
    })
}

/// The absolute prestate of a game over `batch` (its commitment) from the anchor boundary
/// (spec §17.7): the anchor's world root and last block hash, everything else reset. Fails if
/// the anchor is not idle (phase 0, no block env, no transaction index, gas or receipts).
pub fn absolute_prestate(anchor: &Boundary, batch: B256) -> Result<Boundary, WitnessError> {
    if anchor.phase != PHASE_BETWEEN_BLOCKS
        || anchor.block_env != B256::ZERO
        || anchor.tx_index != 0
        || anchor.block_gas_used != 0
        || anchor.receipts != B256::ZERO
    {
        return Err(WitnessError::WrongPhase(
            "the anchor must be an idle boundary",
        ));
    }
    Ok(boundary::initial(
        anchor.world_root,
        batch,
        anchor.last_block_hash,
    ))
}
