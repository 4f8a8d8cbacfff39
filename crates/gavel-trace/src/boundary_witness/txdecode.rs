//! What the transaction-start and -end steps derive from a transaction's bytes: intrinsic gas,
//! the EIP-7623 floor and the access list's warm-up chain (spec §16.2, §17.2).

use alloy_consensus::Transaction;
use alloy_primitives::{Address, B256, U256};
use gavel_commit::hash::tagged;

use super::tag;
use crate::batch::BatchTx;

/// Intrinsic gas and floor of a transaction, as revm 43 computes them at Osaka.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodedTx {
    /// EIP-2028 tokens of the calldata (zero byte 1, non-zero byte 4).
    pub tokens: u64,
    /// Intrinsic gas without the floor (base, calldata, access list, creation).
    pub intrinsic: u64,
    /// EIP-7623 floor `21000 + 10 · tokens`.
    pub floor: u64,
}

/// Decode the gas figures of `tx`.
pub fn decode_tx(tx: &BatchTx) -> DecodedTx {
    let e = tx.envelope();
    let input = e.input();
    let zeros = input.iter().filter(|b| **b == 0).count() as u64;
    let tokens = zeros + 4 * (input.len() as u64 - zeros);
    DecodedTx {
        tokens,
        intrinsic: intrinsic_gas(tx),
        floor: 21_000 + 10 * tokens,
    }
}

/// Intrinsic gas (spec §17.2): `21000 + 4 · tokens + 2400 · addresses + 1900 · keys`, plus
/// `32000 + 2 · words` for a creation.
pub fn intrinsic_gas(tx: &BatchTx) -> u64 {
    let e = tx.envelope();
    let input = e.input();
    let zeros = input.iter().filter(|b| **b == 0).count() as u64;
    let tokens = zeros + 4 * (input.len() as u64 - zeros);
    let (addresses, keys) = e.access_list().map_or((0, 0), |l| {
        (
            l.len() as u64,
            l.iter().map(|i| i.storage_keys.len() as u64).sum(),
        )
    });
    let mut gas = 21_000 + 4 * tokens + 2_400 * addresses + 1_900 * keys;
    if tx.to().is_none() {
        gas += 32_000 + 2 * (input.len() as u64).div_ceil(32);
    }
    gas
}

/// The access-list items in list order (an address, then its keys), each
/// `0x01 ‖ address ‖ 0(32)` or `0x02 ‖ address ‖ key` (spec §16.2).
pub fn access_items(tx: &BatchTx) -> Vec<[u8; 53]> {
    let mut out = Vec::new();
    if let Some(list) = tx.envelope().access_list() {
        for entry in list.iter() {
            out.push(item(1, &entry.address, B256::ZERO));
            for k in &entry.storage_keys {
                out.push(item(2, &entry.address, *k));
            }
        }
    }
    out
}

fn item(kind: u8, address: &Address, key: B256) -> [u8; 53] {
    let mut b = [0u8; 53];
    b[0] = kind;
    b[1..21].copy_from_slice(address.as_slice());
    b[21..].copy_from_slice(key.as_slice());
    b
}

/// `accessHead` of `items` (spec §16.2): `0` for none, else
/// `keccak256(0x1d ‖ accessHead(rest) ‖ item_0)`.
pub fn access_head(items: &[[u8; 53]]) -> B256 {
    items.iter().rev().fold(B256::ZERO, |rest, it| {
        tagged(tag::ACCESS_ITEM, &[rest.as_slice(), it])
    })
}

/// Effective gas price (revm `TxEnv::effective_gas_price`): the gas price, or
/// `min(maxFee, baseFee + tip)` for EIP-1559.
pub(super) fn effective_gas_price(tx: &BatchTx, base_fee: u64) -> U256 {
    let e = tx.envelope();
    match e.max_priority_fee_per_gas() {
        Some(tip) => U256::from(e.max_fee_per_gas().min(u128::from(base_fee) + tip)),
        None => U256::from(e.gas_price().unwrap_or_default()),
    }
}
