//! What the transaction-start and access-list warm-up steps compute (spec §17.2, §17.3), on a
//! world trie and substate owned by the replay.

use alloy_consensus::Transaction;
use alloy_primitives::{Address, B256, KECCAK256_EMPTY, U256};
use gavel_commit::memory::{DataView, Memory};
use gavel_commit::record::{Boundary, Context, Frame, Machine, Snapshot, StepState, TxEnv};
use gavel_commit::substate::Substate;
use gavel_commit::trie::key;
use gavel_commit::trie::world::WorldState;

use super::gas::{effective_gas_price, intrinsic_gas};
use super::records::{AccessItem, access_heads, access_items};
use crate::batch::{BatchTx, BlockContext};

/// Why a step could not be computed: the replay disagrees with what the first run accepted,
/// so this is a bug (or a state the first run should have refused), never a batch property.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MachineError {
    /// A world-trie leaf did not decode or a balance left its range.
    #[error("{0}")]
    State(String),
    /// The shadow machine and revm disagree.
    #[error("shadow machine disagrees with revm: {0}")]
    Diverged(String),
}

/// The records a transaction's frame runs with, as its transaction start makes them.
#[derive(Debug, Clone)]
pub struct TxStart {
    /// The transaction record.
    pub tx_env: TxEnv,
    /// The frame record.
    pub frame: Frame,
    /// The frame's snapshot (after the gas purchase and the three warm entries).
    pub snapshot: Snapshot,
    /// The context after the transaction start (before any warm-up).
    pub context: Context,
    /// The post-state of the transaction start.
    pub step: StepState,
    /// The access list, one item per warm-up step.
    pub items: Vec<AccessItem>,
    /// `heads[i]`: the warming `micro` before item `i` (`heads[n] = 0`).
    pub heads: Vec<B256>,
    /// The calldata as a memory-format tree (spec §6.3).
    pub calldata: Memory,
    /// The effective gas price.
    pub gas_price: u128,
}

fn basic(world: &WorldState, a: &Address) -> Result<key::BasicData, MachineError> {
    world
        .basic_data(a)
        .map_err(|e| MachineError::State(format!("BASIC_DATA of {a}: {e}")))
}

/// Write `a`'s BASIC_DATA. An account that did not exist gets its CODE_HASH leaf (empty code)
/// as well, as the chain model writes every account (spec §14.2, §17.2); its CODE_ROOT stays 0.
fn write_basic(
    world: &mut WorldState,
    a: &Address,
    b: &key::BasicData,
) -> Result<(), MachineError> {
    let enc = b
        .encode()
        .map_err(|e| MachineError::State(format!("BASIC_DATA of {a}: {e}")))?;
    world.set(&key::basic_data_key(a), enc);
    if world.get(&key::code_hash_key(a)).is_zero() {
        world.set(&key::code_hash_key(a), KECCAK256_EMPTY);
    }
    Ok(())
}

/// Add `add` to and take `sub` from `a`'s balance (written even when unchanged: the
/// transaction end's sender credit always writes, §17.4).
pub fn credit(
    world: &mut WorldState,
    a: &Address,
    add: u128,
    sub: u128,
) -> Result<(), MachineError> {
    let mut b = basic(world, a)?;
    b.balance = b
        .balance
        .checked_add(add)
        .and_then(|x| x.checked_sub(sub))
        .ok_or_else(|| MachineError::State(format!("balance of {a} leaves 128 bits")))?;
    write_basic(world, a, &b)
}

/// The substate after the transaction start's three warm entries (EIP-2929, EIP-3651).
pub fn start_substate(sender: &Address, to: &Address, coinbase: &Address) -> Substate {
    let mut s = Substate::new();
    for a in [sender, to, coinbase] {
        s.warm_account(a);
    }
    s
}

/// Warm one access-list item (spec §17.3; idempotent).
pub fn warm(substate: &mut Substate, item: &AccessItem) {
    match item {
        AccessItem::Account(a) => {
            substate.warm_account(a);
        }
        AccessItem::Slot(a, k) => {
            substate.warm_slot(a, (*k).into());
        }
    }
}

/// The transaction start of a valid `tx` on `world` (spec §17.2), written in place: gas
/// purchase and nonce, the snapshot, then the value transfer. This is the only computation of
/// the transaction-start records: the shadow machine runs it beside revm and the witness
/// builder (`crate::boundary_witness::tx_start`) wraps it with the openings.
///
/// `open_callee` is called once, for `to ≠ sender`, with the world after the sender's writes
/// and before the callee's: the moment the witness opens the callee (§17.6). The callee's
/// `(codeSize, codeRoot)` are read from its BASIC_DATA and CODE_ROOT leaves there (`0` for
/// `to = sender`, EIP-3607). With `keep_snapshot_world`, the world at the snapshot is returned
/// when the transfer writes (what a revert or exceptional halt restores).
pub fn tx_start<E: From<MachineError>>(
    world: &mut WorldState,
    tx: &BatchTx,
    block: &BlockContext,
    pre: &Boundary,
    keep_snapshot_world: bool,
    open_callee: impl FnOnce(&WorldState, &Address) -> Result<(), E>,
) -> Result<(TxStart, Substate, Option<WorldState>), E> {
    let e = tx.envelope();
    let sender = tx.signer();
    let to = tx.to().ok_or_else(|| {
        MachineError::Diverged("contract creation reached the step machine".into())
    })?;
    let gas_price = effective_gas_price(tx, block.base_fee);
    let value = e.value();
    let value128 = u128::try_from(value)
        .map_err(|_| MachineError::State(format!("value {value} leaves 128 bits")))?;
    let frame_gas = tx
        .gas_limit()
        .checked_sub(intrinsic_gas(tx))
        .ok_or_else(|| MachineError::State("gas limit below the intrinsic gas".into()))?;

    // Gas purchase and nonce; a sender that did not exist (a zero-cost transaction) gets its
    // CODE_HASH like any written account.
    let fee = gas_price
        .checked_mul(u128::from(tx.gas_limit()))
        .ok_or_else(|| MachineError::State("gas purchase leaves 128 bits".into()))?;
    let mut b = basic(world, &sender)?;
    b.nonce = b
        .nonce
        .checked_add(1)
        .ok_or_else(|| MachineError::State(format!("nonce of {sender} overflows")))?;
    b.balance = b
        .balance
        .checked_sub(fee)
        .ok_or_else(|| MachineError::State(format!("{sender} cannot pay for its gas")))?;
    write_basic(world, &sender, &b)?;

    let substate = start_substate(&sender, &to, &block.coinbase);
    let snapshot = Snapshot {
        world_root: world.root(),
        substate_root: substate.root(),
        logs: B256::ZERO,
        refund: 0,
    };
    // Both BASIC_DATA leaves are written only if value moves between two accounts (§17.2).
    let moves = value128 > 0 && to != sender;
    let snapshot_world = (keep_snapshot_world && moves).then(|| world.clone());
    let (code_size, code_root) = if to == sender {
        (0, B256::ZERO)
    } else {
        if moves {
            credit(world, &sender, 0, value128)?;
        }
        open_callee(world, &to)?;
        let code = (
            basic(world, &to)?.code_size,
            world.get(&key::code_root_key(&to)),
        );
        if moves {
            credit(world, &to, value128, 0)?;
        }
        code
    };

    let input = e.input();
    let mut calldata = Memory::new();
    calldata
        .write(0, input)
        .map_err(|e| MachineError::State(format!("calldata: {e}")))?;
    let tx_env = TxEnv {
        origin: sender,
        gas_price: U256::from(gas_price),
        gas_limit: tx.gas_limit(),
        tx_hash: tx.hash(),
        boundary: pre.hash(),
    };
    let frame = Frame {
        address: to,
        caller: sender,
        value,
        calldata: DataView {
            root: calldata.root(),
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
        world_root: world.root(),
        substate_root: substate.root(),
        logs: B256::ZERO,
        return_data: DataView::default(),
        refund: 0,
        frame: frame.hash(),
        tx: tx_env.hash(),
    };
    let items = access_items(e.access_list());
    let heads = access_heads(&items);
    let step = StepState {
        machine: Machine {
            gas: frame_gas,
            ..Machine::default()
        },
        code_root,
        micro: heads[0],
        context: context.hash(),
        ..StepState::default()
    };
    Ok((
        TxStart {
            tx_env,
            frame,
            snapshot,
            context,
            step,
            items,
            heads,
            calldata,
            gas_price,
        },
        substate,
        snapshot_world,
    ))
}
