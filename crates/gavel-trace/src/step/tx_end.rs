//! What the transaction-end step computes (spec §17.4): refund, the EIP-7623 floor, fees, and
//! the boundary of §14.3's "transaction executed" row. The only computation of it: the shadow
//! machine runs it after the halted state and the witness builder
//! (`crate::boundary_witness::tx_end`) wraps it with the openings.

use alloy_primitives::{Address, B256};
use gavel_commit::record::Boundary;
use gavel_commit::trie::world::WorldState;

use super::records::HaltStatus;
use super::tx_start::{MachineError, credit};
use crate::executor::boundary;

pub use super::gas::floor_gas;

/// What the transaction end reads from the halted state and its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxEndInputs {
    /// How the frame ended.
    pub status: HaltStatus,
    /// The halted state's gas.
    pub gas_left: u64,
    /// The halted context's refund counter.
    pub refund: i64,
    /// The halted context's log accumulator.
    pub logs: B256,
    /// `TxEnv.origin`.
    pub sender: Address,
    /// `TxEnv.gasLimit`.
    pub gas_limit: u64,
    /// `TxEnv.gasPrice` (the effective gas price).
    pub gas_price: u128,
    /// The block's coinbase.
    pub coinbase: Address,
    /// The block's base fee.
    pub base_fee: u128,
    /// The EIP-7623 floor of the transaction's calldata.
    pub floor: u64,
}

/// The gas the transaction is charged (spec §17.4): `used = gasLimit − gas left`, minus
/// `min(refund as uint64, used / 5)` for a successful frame (revm 43's cast: a negative counter
/// becomes huge and the cap applies), then at least the floor.
pub fn gas_used(
    gas_limit: u64,
    status: HaltStatus,
    gas_left: u64,
    refund: i64,
    floor: u64,
) -> Result<u64, MachineError> {
    let used = gas_limit
        .checked_sub(gas_left)
        .ok_or_else(|| MachineError::State("gas left above the gas limit".into()))?;
    let refund = if status == HaltStatus::Success {
        (refund as u64).min(used / 5)
    } else {
        0
    };
    Ok((used - refund).max(floor))
}

/// Pay the sender's unused gas and the coinbase's priority fee on `world` (the world of the
/// halted state) and return the boundary after the transaction. `open` is called before each
/// payment with the world it is written to (the witness's sequential credits, §17.6): the
/// sender always, the coinbase only when its fee is non-zero (a zero fee must not create it).
pub fn tx_end<E: From<MachineError>>(
    world: &mut WorldState,
    pre: &Boundary,
    i: &TxEndInputs,
    mut open: impl FnMut(&WorldState, &Address) -> Result<(), E>,
) -> Result<Boundary, E> {
    let overflow = || MachineError::State("a payment leaves 128 bits".into());
    let used = gas_used(i.gas_limit, i.status, i.gas_left, i.refund, i.floor)?;
    let back = u128::from(i.gas_limit - used)
        .checked_mul(i.gas_price)
        .ok_or_else(overflow)?;
    open(world, &i.sender)?;
    credit(world, &i.sender, back, 0)?;
    let tip = i
        .gas_price
        .checked_sub(i.base_fee)
        .ok_or_else(|| MachineError::State("gas price below the base fee".into()))?;
    let fee = u128::from(used).checked_mul(tip).ok_or_else(overflow)?;
    if fee > 0 {
        open(world, &i.coinbase)?;
        credit(world, &i.coinbase, fee, 0)?;
    }
    Ok(boundary::tx_executed(
        pre,
        world.root(),
        used,
        i.status == HaltStatus::Success,
        i.logs,
    ))
}
