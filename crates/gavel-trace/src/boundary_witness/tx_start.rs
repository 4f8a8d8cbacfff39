//! The transaction-start step (spec §17.2, witness §17.6).

use alloy_primitives::{Address, B256, KECCAK256_EMPTY, U256};
use gavel_commit::memory::{DataView, Memory};
use gavel_commit::record::{
    Boundary, Context, Frame, L2_TX_GAS_CAP, Machine, PHASE_IN_BLOCK, Snapshot, StepState, TxEnv,
};
use gavel_commit::substate::Substate;
use gavel_commit::trie::key::{self, BasicData};
use gavel_commit::trie::world::WorldState;

use super::io::{block_opening, boundary_head, check_batch, part};
use super::txdecode::{access_head, access_items, decode_tx, effective_gas_price};
use super::{StepWitness, WitnessError, kind, rows};
use crate::batch::{Batch, BatchTx};

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
    let Some(price) = valid(tx, &basic, pre, ctx.gas_limit, ctx.base_fee) else {
        return Ok(TxStart::Skipped(StepWitness {
            witness,
            post: rows::tx_skipped(pre).hash(),
        }));
    };
    let to = match tx.to() {
        Some(to) if !is_precompile(&to) => to,
        _ => {
            return Err(WitnessError::Tx(
                "contract creations and precompile calls are refused (spec §15.4)".into(),
            ));
        }
    };
    let e = tx.envelope();
    let value = alloy_consensus::Transaction::value(e);

    // Gas purchase and nonce (the snapshot's world).
    let mut w = world.clone();
    let cost = u128::try_from(U256::from(tx.gas_limit()) * price)
        .map_err(|_| WitnessError::Inconsistent("fee above 2^128"))?;
    w.set(
        &key::basic_data_key(&from),
        BasicData {
            code_size: 0,
            nonce: basic.nonce + 1,
            balance: basic.balance - cost,
        }
        .encode()?,
    );
    if sender_code.is_zero() {
        w.set(&key::code_hash_key(&from), KECCAK256_EMPTY);
    }
    let snapshot_world = w.root();

    // Value transfer and the callee's code.
    if !value.is_zero() && to != from {
        let b = BasicData::decode(&w.get(&key::basic_data_key(&from)))?;
        let balance = u128::try_from(U256::from(b.balance) - value)
            .map_err(|_| WitnessError::Inconsistent("value above the balance"))?;
        w.set(
            &key::basic_data_key(&from),
            BasicData { balance, ..b }.encode()?,
        );
    }
    let (code_size, code_root) = if to == from {
        (0, B256::ZERO)
    } else {
        let to_basic = w.get(&key::basic_data_key(&to));
        let to_code = w.get(&key::code_hash_key(&to));
        let to_root = w.get(&key::code_root_key(&to));
        for v in [to_basic, to_code, to_root] {
            witness.extend_from_slice(v.as_slice());
        }
        part(
            &mut witness,
            &w.prove(&key::basic_data_key(&to).stem, &[0, 1, 2])?,
        );
        let b = BasicData::decode(&to_basic)?;
        if !value.is_zero() {
            let balance = U256::from(b.balance) + value;
            let balance = u128::try_from(balance)
                .map_err(|_| WitnessError::Inconsistent("balance reaches 2^128 (D2)"))?;
            w.set(
                &key::basic_data_key(&to),
                BasicData { balance, ..b }.encode()?,
            );
            if to_code.is_zero() {
                w.set(&key::code_hash_key(&to), KECCAK256_EMPTY);
            }
        }
        (b.code_size, to_root)
    };

    let mut substate = Substate::new();
    substate.warm_account(&from);
    substate.warm_account(&to);
    substate.warm_account(&ctx.coinbase);

    let tx_env = TxEnv {
        origin: from,
        gas_price: price,
        gas_limit: tx.gas_limit(),
        tx_hash: tx.hash(),
        boundary: pre.hash(),
    };
    let snapshot = Snapshot {
        world_root: snapshot_world,
        substate_root: substate.root(),
        logs: B256::ZERO,
        refund: 0,
    };
    let input = alloy_consensus::Transaction::input(e);
    let frame = Frame {
        address: to,
        caller: from,
        value,
        calldata: DataView {
            root: calldata_root(input)?,
            offset: 0,
            length: input.len() as u32,
        },
        code_size,
        ret_offset: 0,
        ret_length: 0,
        depth: 0,
        flags: 0,
        parent: B256::ZERO,
        snapshot: snapshot.hash(),
    };
    let context = Context {
        world_root: w.root(),
        substate_root: substate.root(),
        logs: B256::ZERO,
        return_data: DataView::default(),
        refund: 0,
        frame: frame.hash(),
        tx: tx_env.hash(),
    };
    let d = decode_tx(tx);
    let state = StepState {
        machine: Machine {
            pc: 0,
            gas: tx.gas_limit() - d.intrinsic,
            stack_len: 0,
            memory_size: 0,
            cursor: 0,
        },
        stack_head: B256::ZERO,
        memory_root: B256::ZERO,
        code_root,
        micro: access_head(&access_items(tx)),
        context: context.hash(),
    };
    Ok(TxStart::Executed {
        step: StepWitness {
            witness,
            post: state.hash(),
        },
        state,
        context,
        frame,
        tx_env,
        snapshot,
        world: w,
        substate,
    })
}

/// The memory-format tree of the calldata (spec §6.3).
pub fn calldata_root(input: &[u8]) -> Result<B256, WitnessError> {
    let mut m = Memory::new();
    if !input.is_empty() {
        m.write(0, input)?;
    }
    Ok(m.root())
}

/// revm 43's validity rules (spec §14.2); `Some(effective gas price)` when valid.
fn valid(
    tx: &BatchTx,
    sender: &BasicData,
    pre: &Boundary,
    block_gas_limit: u64,
    base_fee: u64,
) -> Option<U256> {
    use alloy_consensus::Transaction as _;
    let e = tx.envelope();
    let d = decode_tx(tx);
    let gas = tx.gas_limit();
    let max_fee = U256::from(e.max_fee_per_gas());
    let tip = U256::from(e.max_priority_fee_per_gas().unwrap_or(e.max_fee_per_gas()));
    let ok = e.nonce() == sender.nonce
        && e.nonce() != u64::MAX
        && sender.code_size == 0
        && gas <= L2_TX_GAS_CAP
        && u128::from(gas) + u128::from(pre.block_gas_used) <= u128::from(block_gas_limit)
        && gas >= d.intrinsic
        && gas >= d.floor
        && !(tx.to().is_none() && e.input().len() > 49_152)
        && tip <= max_fee
        && max_fee >= U256::from(base_fee)
        && U256::from(gas) * max_fee + e.value() <= U256::from(sender.balance);
    ok.then(|| effective_gas_price(tx, base_fee))
}
