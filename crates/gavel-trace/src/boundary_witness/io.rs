//! Byte layout helpers shared by the builders (spec §17.6).

use gavel_commit::record::Boundary;

use super::WitnessError;
use crate::batch::{BATCH_TREE_DEPTH, Batch};

/// Appends a `uint32` big-endian length and the part.
pub(super) fn part(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// `0x01 ‖ kind ‖ Boundary preimage`.
pub(super) fn boundary_head(kind: u8, pre: &Boundary) -> Vec<u8> {
    let mut out = vec![0x01, kind];
    out.extend_from_slice(&pre.preimage());
    out
}

/// The block opening of block `index` (spec §17.6): block leaf preimage (144), batch preimage
/// (36), `u32 len ‖ multiproof`.
pub(super) fn block_opening(batch: &Batch, index: u32) -> Result<Vec<u8>, WitnessError> {
    let blocks = batch.blocks();
    let block = blocks.get(index as usize).ok_or(WitnessError::OutOfBatch {
        block: index,
        tx: 0,
    })?;
    let c = &block.context;
    let tx_root = block
        .tx_tree()
        .map_err(|_| WitnessError::Inconsistent("too many transactions"))?
        .root();
    let tree = blocks_tree(batch)?;
    let mut out = Vec::with_capacity(300);
    out.extend_from_slice(&c.number.to_be_bytes());
    out.extend_from_slice(&c.timestamp.to_be_bytes());
    out.extend_from_slice(&c.gas_limit.to_be_bytes());
    out.extend_from_slice(c.coinbase.as_slice());
    out.extend_from_slice(&alloy_primitives::U256::from(c.base_fee).to_be_bytes::<32>());
    out.extend_from_slice(c.prev_randao.as_slice());
    out.extend_from_slice(&(block.txs.len() as u32).to_be_bytes());
    out.extend_from_slice(tx_root.as_slice());
    out.extend_from_slice(&(blocks.len() as u32).to_be_bytes());
    out.extend_from_slice(tree.root().as_slice());
    part(&mut out, &tree.prove(&[u64::from(index)])?);
    Ok(out)
}

/// The batch's block tree (spec §13.3).
pub(super) fn blocks_tree(batch: &Batch) -> Result<gavel_commit::sparse::SparseTree, WitnessError> {
    let mut leaves = Vec::with_capacity(batch.blocks().len());
    for (i, b) in batch.blocks().iter().enumerate() {
        let leaf = b
            .leaf()
            .map_err(|_| WitnessError::Inconsistent("too many transactions"))?;
        leaves.push((i as u64, leaf));
    }
    Ok(gavel_commit::sparse::SparseTree::from_leaves(
        BATCH_TREE_DEPTH,
        leaves,
    )?)
}

/// `blockCount(4) ‖ blocksRoot(32)`.
pub(super) fn batch_preimage(batch: &Batch) -> Result<Vec<u8>, WitnessError> {
    let mut out = (batch.blocks().len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(blocks_tree(batch)?.root().as_slice());
    Ok(out)
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
