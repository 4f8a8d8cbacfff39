//! The transaction-end step (spec §17.4, witness §17.6).

use alloy_primitives::{Address, B256, KECCAK256_EMPTY, U256};
use gavel_commit::record::{BlockEnv, Boundary, Context, Frame, StepState, TxEnv};
use gavel_commit::trie::key::{self, BasicData};
use gavel_commit::trie::world::WorldState;

use super::io::part;
use super::txdecode::decode_tx;
use super::{StepWitness, WitnessError, halted, rows};
use crate::batch::Batch;

/// The halted state and what it refers to.
#[derive(Debug, Clone, Copy)]
pub struct TxEndInput<'a> {
    /// The halted StepState (spec §16.2).
    pub state: &'a StepState,
    /// Its context.
    pub context: &'a Context,
    /// The transaction's frame.
    pub frame: &'a Frame,
    /// The transaction constants.
    pub tx_env: &'a TxEnv,
    /// The boundary the transaction started from (`tx_env.boundary`).
    pub boundary: &'a Boundary,
    /// The batch.
    pub batch: &'a Batch,
    /// The world trie at the halted state (root `context.world_root`).
    pub world: &'a WorldState,
    /// The chain-configuration hash (of the block's BlockEnv).
    pub chain_config: B256,
}

fn block_env_preimage(e: &BlockEnv) -> Vec<u8> {
    let mut out = Vec::with_capacity(140);
    out.extend_from_slice(&e.number.to_be_bytes());
    out.extend_from_slice(&e.timestamp.to_be_bytes());
    out.extend_from_slice(&e.gas_limit.to_be_bytes());
    out.extend_from_slice(e.coinbase.as_slice());
    out.extend_from_slice(&e.base_fee.to_be_bytes::<32>());
    out.extend_from_slice(e.prev_randao.as_slice());
    out.extend_from_slice(e.chain_config.as_slice());
    out
}

fn tx_env_preimage(t: &TxEnv) -> Vec<u8> {
    let mut out = Vec::with_capacity(124);
    out.extend_from_slice(t.origin.as_slice());
    out.extend_from_slice(&t.gas_price.to_be_bytes::<32>());
    out.extend_from_slice(&t.gas_limit.to_be_bytes());
    out.extend_from_slice(t.tx_hash.as_slice());
    out.extend_from_slice(t.boundary.as_slice());
    out
}

/// Credits `amount` to `a` in `w`: appends its opening (BASIC_DATA ‖ CODE_HASH ‖ u32 ‖ proof)
/// and writes the new balance (and CODE_HASH if the account was absent).
fn credit(
    out: &mut Vec<u8>,
    w: &mut WorldState,
    a: &Address,
    amount: U256,
) -> Result<(), WitnessError> {
    let basic_key = key::basic_data_key(a);
    let code_key = key::code_hash_key(a);
    let basic = w.get(&basic_key);
    let code = w.get(&code_key);
    out.extend_from_slice(basic.as_slice());
    out.extend_from_slice(code.as_slice());
    part(out, &w.prove(&basic_key.stem, &[0, 1])?);
    let b = BasicData::decode(&basic)?;
    let balance = u128::try_from(U256::from(b.balance) + amount)
        .map_err(|_| WitnessError::Inconsistent("balance reaches 2^128 (D2)"))?;
    w.set(&basic_key, BasicData { balance, ..b }.encode()?);
    if code.is_zero() {
        w.set(&code_key, KECCAK256_EMPTY);
    }
    Ok(())
}

/// The transaction-end step from a halted state: its witness and the boundary after the
/// transaction.
pub fn tx_end(i: TxEndInput<'_>) -> Result<StepWitness, WitnessError> {
    let status = (1u8..=3)
        .find(|s| halted(*s) == i.state.micro)
        .ok_or(WitnessError::WrongPhase("the state is not halted"))?;
    if i.context.hash() != i.state.context
        || i.frame.hash() != i.context.frame
        || i.tx_env.hash() != i.context.tx
        || i.boundary.hash() != i.tx_env.boundary
        || i.world.root() != i.context.world_root
    {
        return Err(WitnessError::Inconsistent(
            "the halted records do not chain",
        ));
    }
    let b = i.boundary;
    let block = i
        .batch
        .blocks()
        .get(b.block_index as usize)
        .ok_or(WitnessError::OutOfBatch {
            block: b.block_index,
            tx: b.tx_index,
        })?;
    let tx = block
        .txs
        .get(b.tx_index as usize)
        .ok_or(WitnessError::OutOfBatch {
            block: b.block_index,
            tx: b.tx_index,
        })?;
    let env = block.context.env_record(i.chain_config);
    if env.hash() != b.block_env {
        return Err(WitnessError::Inconsistent(
            "the boundary's BlockEnv is not this block's",
        ));
    }

    let mut witness = vec![0x00];
    witness.extend_from_slice(&i.state.preimage());
    witness.extend_from_slice(&i.context.preimage());
    witness.extend_from_slice(&i.frame.preimage());
    witness.extend_from_slice(&tx_env_preimage(i.tx_env));
    witness.extend_from_slice(&b.preimage());
    witness.extend_from_slice(&block_env_preimage(&env));
    part(&mut witness, tx.raw());

    // revm 43: refund = min(refunded as u64, used / 5) for a successful frame; then the floor.
    let limit = i.tx_env.gas_limit;
    let used = limit
        .checked_sub(i.state.machine.gas)
        .ok_or(WitnessError::Inconsistent("gas left above the gas limit"))?;
    let refund = if status == 1 {
        (i.context.refund as u64).min(used / 5)
    } else {
        0
    };
    let gas_used = (used - refund).max(decode_tx(tx).floor);

    let mut w = i.world.clone();
    let price = i.tx_env.gas_price;
    credit(
        &mut witness,
        &mut w,
        &i.tx_env.origin,
        U256::from(limit - gas_used) * price,
    )?;
    let tip = price
        .checked_sub(env.base_fee)
        .ok_or(WitnessError::Inconsistent("gas price below the base fee"))?;
    let fee = U256::from(gas_used) * tip;
    if !fee.is_zero() {
        credit(&mut witness, &mut w, &env.coinbase, fee)?;
    }
    let post = rows::tx_executed(b, w.root(), gas_used, status == 1, i.context.logs);
    Ok(StepWitness {
        witness,
        post: post.hash(),
    })
}
