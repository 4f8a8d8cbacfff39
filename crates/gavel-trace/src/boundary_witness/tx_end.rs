//! The transaction-end step (spec §17.4, witness §17.6).

use alloy_primitives::B256;
use gavel_commit::record::{Boundary, Context, Frame, StepState, TxEnv};
use gavel_commit::trie::key;
use gavel_commit::trie::world::WorldState;

use super::{StepWitness, WitnessError};
use crate::batch::Batch;
use crate::step;
use crate::step::gas::floor_gas;
use crate::step::records::HaltStatus;
use crate::step::tx_end::TxEndInputs;
use crate::step::witness::{block_env_preimage, part, tx_env_preimage};

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

/// The transaction-end step from a halted state: its witness and the boundary after the
/// transaction.
pub fn tx_end(i: TxEndInput<'_>) -> Result<StepWitness, WitnessError> {
    let status = HaltStatus::from_micro(&i.state.micro)
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

    // What the step computes is the step machine's; the witness adds an opening before each
    // credit, against the world that credit writes (sequential, §4.6).
    let too_big = |_| WitnessError::Inconsistent("a price above 2^128");
    let inputs = TxEndInputs {
        status,
        gas_left: i.state.machine.gas,
        refund: i.context.refund,
        logs: i.context.logs,
        sender: i.tx_env.origin,
        gas_limit: i.tx_env.gas_limit,
        gas_price: u128::try_from(i.tx_env.gas_price).map_err(too_big)?,
        coinbase: env.coinbase,
        base_fee: u128::try_from(env.base_fee).map_err(too_big)?,
        floor: floor_gas(alloy_consensus::Transaction::input(tx.envelope())),
    };
    let mut w = i.world.clone();
    let post = step::tx_end::tx_end(&mut w, b, &inputs, |w, a| {
        let basic_key = key::basic_data_key(a);
        witness.extend_from_slice(w.get(&basic_key).as_slice());
        witness.extend_from_slice(w.get(&key::code_hash_key(a)).as_slice());
        part(&mut witness, &w.prove(&basic_key.stem, &[0, 1])?);
        Ok::<(), WitnessError>(())
    })?;
    Ok(StepWitness {
        witness,
        post: post.hash(),
    })
}
