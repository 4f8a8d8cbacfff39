//! The batch openings the block and transaction-start witnesses share (spec §17.6). Record
//! encoders and the `u32 ‖ part` framing are `crate::step::witness`'s.

use gavel_commit::record::Boundary;

use super::WitnessError;
use crate::batch::Batch;
use crate::step::witness::part;

/// The block opening of block `index` (spec §17.6): block leaf preimage (144), batch preimage
/// (36), `u32 len ‖ multiproof`.
pub(super) fn block_opening(batch: &Batch, index: u32) -> Result<Vec<u8>, WitnessError> {
    let blocks = batch.blocks();
    let block = blocks.get(index as usize).ok_or(WitnessError::OutOfBatch {
        block: index,
        tx: 0,
    })?;
    let tx_root = block
        .tx_tree()
        .map_err(|_| WitnessError::Inconsistent("too many transactions"))?
        .root();
    let tree = batch.blocks_tree();
    let mut out = block
        .context
        .leaf_preimage(block.txs.len() as u32, &tx_root);
    out.extend_from_slice(&(blocks.len() as u32).to_be_bytes());
    out.extend_from_slice(tree.root().as_slice());
    part(&mut out, &tree.prove(&[u64::from(index)])?);
    Ok(out)
}

/// `blockCount(4) ‖ blocksRoot(32)`.
pub(super) fn batch_preimage(batch: &Batch) -> Vec<u8> {
    let mut out = (batch.blocks().len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(batch.blocks_tree().root().as_slice());
    out
}

/// Checks that `pre` belongs to `batch`.
pub(super) fn check_batch(pre: &Boundary, batch: &Batch) -> Result<(), WitnessError> {
    if pre.batch != batch.commitment() {
        return Err(WitnessError::Inconsistent(
            "the boundary is not of this batch",
        ));
    }
    Ok(())
}
