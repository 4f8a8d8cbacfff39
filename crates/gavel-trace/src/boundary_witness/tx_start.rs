//! The transaction-start step (spec §17.2, witness §17.6).

use alloy_primitives::{Address, B256, U256};
use gavel_commit::record::{
    Boundary, Context, Frame, L2_TX_GAS_CAP, PHASE_IN_BLOCK, Snapshot, StepState, TxEnv,
};
use gavel_commit::substate::Substate;
use gavel_commit::trie::key::{self, BasicData};
use gavel_commit::trie::world::WorldState;

use super::io::{block_opening, check_batch};
use super::{StepWitness, WitnessError, kind};
use crate::batch::{Batch, BatchTx};
use crate::executor::boundary;
use crate::step::{self, gas::decode_tx, witness::boundary_head, witness::part};

/// What the transaction-start step produced.
#[derive(Debug, Clone)]
// Built once per transaction start and consumed at once, never stored in bulk: boxing the
// large variant would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum TxStart {
    /// The transaction is invalid against the state or the block: post = boundary with
    /// `txIndex + 1`.
    Skipped(StepWitness),
    /// The frame's first state.
    Executed {
        /// Witness and post (the StepState hash).
        step: StepWitness,
        /// The StepState.
        state: StepState,
        /// Its context.
        context: Context,
        /// The transaction's frame.
        frame: Frame,
        /// The transaction constants.
        tx_env: TxEnv,
        /// The frame's revert snapshot.
        snapshot: Snapshot,
        /// The world trie after the transaction start (gas bought, value moved).
        world: WorldState,
        /// The substate after the transaction start (sender, callee, coinbase warm).
        substate: Substate,
    },
}

impl TxStart {
    /// The witness and post, whichever way the step went.
    pub fn witness(&self) -> &StepWitness {
        match self {
            Self::Skipped(w) => w,
            Self::Executed { step, .. } => step,
        }
    }
}

/// Whether `a` is an Osaka precompile (0x01–0x11, 0x100): calls to them are refused (§15.4).
fn is_precompile(a: &Address) -> bool {
    let v = U256::from_be_slice(a.as_slice());
    (v >= U256::from(1) && v <= U256::from(0x11)) || v == U256::from(0x100)
}

/// The transaction-start step of transaction `pre.tx_index` of block `pre.block_index`, from
/// the world trie `world` whose root is `pre.world_root`.
pub fn tx_start(
    pre: &Boundary,
    batch: &Batch,
    world: &WorldState,
    chain_config: B256,
) -> Result<TxStart, WitnessError> {
    check_batch(pre, batch)?;
    if pre.phase != PHASE_IN_BLOCK {
        return Err(WitnessError::WrongPhase("transaction start needs phase 1"));
    }
    if world.root() != pre.world_root {
        return Err(WitnessError::Inconsistent(
            "world root differs from the boundary's",
        ));
    }
    let out_of_batch = WitnessError::OutOfBatch {
        block: pre.block_index,
        tx: pre.tx_index,
    };
    let block = batch
        .blocks()
        .get(pre.block_index as usize)
        .ok_or(out_of_batch.clone())?;
    let tx = block.txs.get(pre.tx_index as usize).ok_or(out_of_batch)?;
    let ctx = &block.context;
    if pre.block_env != ctx.env_record(chain_config).hash() {
        return Err(WitnessError::Inconsistent(
            "the boundary's BlockEnv is not this block's",
        ));
    }

    let mut witness = boundary_head(kind::TX_START, pre);
    witness.extend(block_opening(batch, pre.block_index)?);
    let tree = block
        .tx_tree()
        .map_err(|_| WitnessError::Inconsistent("too many transactions"))?;
    part(&mut witness, &tree.prove(&[u64::from(pre.tx_index)])?);
    part(&mut witness, tx.raw());

    let from = tx.signer();
    let sender_basic = world.get(&key::basic_data_key(&from));
    let sender_code = world.get(&key::code_hash_key(&from));
    witness.extend_from_slice(sender_basic.as_slice());
    witness.extend_from_slice(sender_code.as_slice());
    let stem = key::basic_data_key(&from).stem;
    part(&mut witness, &world.prove(&stem, &[0, 1])?);

    let basic = BasicData::decode(&sender_basic)?;
    if !valid(tx, &basic, pre, ctx.gas_limit, ctx.base_fee) {
        return Ok(TxStart::Skipped(StepWitness {
            witness,
            post: boundary::tx_skipped(pre).hash(),
        }));
    }
    if tx.to().is_none_or(|to| is_precompile(&to)) {
        return Err(WitnessError::Tx(
            "contract creations and precompile calls are refused (spec §15.4)".into(),
        ));
    }
    // The state is the step machine's; the witness adds the callee opening at the point the
    // verifier reads it (after the sender's writes, before the callee's).
    let mut w = world.clone();
    let (start, substate, _) = step::tx_start::tx_start(&mut w, tx, ctx, pre, false, |w, to| {
        for k in [
            key::basic_data_key(to),
            key::code_hash_key(to),
            key::code_root_key(to),
        ] {
            witness.extend_from_slice(w.get(&k).as_slice());
        }
        part(
            &mut witness,
            &w.prove(&key::basic_data_key(to).stem, &[0, 1, 2])?,
        );
        Ok::<(), WitnessError>(())
    })?;
    Ok(TxStart::Executed {
        step: StepWitness {
            witness,
            post: start.step.hash(),
        },
        state: start.step,
        context: start.context,
        frame: start.frame,
        tx_env: start.tx_env,
        snapshot: start.snapshot,
        world: w,
        substate,
    })
}

/// revm 43's validity rules (spec §14.2, §17.2). The executor asks revm itself; this is the
/// verifier's restatement, held against revm by the tests (a skipped transaction must be
/// skipped by both).
fn valid(
    tx: &BatchTx,
    sender: &BasicData,
    pre: &Boundary,
    block_gas_limit: u64,
    base_fee: u64,
) -> bool {
    use alloy_consensus::Transaction as _;
    let e = tx.envelope();
    let d = decode_tx(tx);
    let gas = tx.gas_limit();
    let max_fee = U256::from(e.max_fee_per_gas());
    let tip = U256::from(e.max_priority_fee_per_gas().unwrap_or(e.max_fee_per_gas()));
    e.nonce() == sender.nonce
        && e.nonce() != u64::MAX
        && sender.code_size == 0
        && gas <= L2_TX_GAS_CAP
        && u128::from(gas) + u128::from(pre.block_gas_used) <= u128::from(block_gas_limit)
        && gas >= d.intrinsic
        && gas >= d.floor
        && !(tx.to().is_none() && e.input().len() > 49_152)
        && tip <= max_fee
        && max_fee >= U256::from(base_fee)
        && U256::from(gas) * max_fee + e.value() <= U256::from(sender.balance)
}
