//! What the transaction-end step computes (spec §17.4): refund, the EIP-7623 floor, fees, and
//! the boundary of §14.3's "transaction executed" row.

use alloy_consensus::Transaction;
use gavel_commit::record::Boundary;
use gavel_commit::trie::world::WorldState;

use super::records::HaltStatus;
use super::tx_start::{MachineError, credit};
use crate::batch::{BatchTx, BlockContext};
use crate::executor::boundary;

/// EIP-7623's floor: `21000 + 10 · tokens`, `tokens = zero bytes + 4 · non-zero bytes`.
pub fn floor_gas(calldata: &[u8]) -> u64 {
    let nonzero = calldata.iter().filter(|b| **b != 0).count() as u64;
    let zero = calldata.len() as u64 - nonzero;
    21_000 + 10 * (zero + 4 * nonzero)
}

/// The gas the transaction is charged from the halted state (spec §17.4).
pub fn gas_used(tx: &BatchTx, status: HaltStatus, gas_left: u64, refund: i64) -> u64 {
    let used = tx.gas_limit().saturating_sub(gas_left);
    let refund = if status == HaltStatus::Success {
        u64::try_from(refund.max(0)).unwrap_or(0).min(used / 5)
    } else {
        0
    };
    (used - refund).max(floor_gas(tx.envelope().input()))
}

/// Pay the sender's unused gas and the coinbase's tip on `world` (the world of the halted
/// state) and return the boundary after the transaction.
#[allow(clippy::too_many_arguments)]
pub fn tx_end(
    world: &mut WorldState,
    pre: &Boundary,
    tx: &BatchTx,
    block: &BlockContext,
    gas_price: u128,
    status: HaltStatus,
    gas_left: u64,
    refund: i64,
) -> Result<Boundary, MachineError> {
    let used = gas_used(tx, status, gas_left, refund);
    let back = u128::from(tx.gas_limit() - used) * gas_price;
    if back > 0 {
        credit(world, &tx.signer(), back, 0)?;
    }
    let tip = u128::from(used) * gas_price.saturating_sub(u128::from(block.base_fee));
    // Written only if non-zero: a zero tip must not create the coinbase (spec §17.4).
    if tip > 0 {
        credit(world, &block.coinbase, tip, 0)?;
    }
    Ok(boundary::tx_executed(
        pre,
        world.root(),
        used,
        status == HaltStatus::Success,
    ))
}
