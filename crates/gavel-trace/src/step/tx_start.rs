//! What the transaction-start and access-list warm-up steps compute (spec §17.2, §17.3), on a
//! world trie and substate owned by the replay.

use alloy_consensus::Transaction;
use alloy_primitives::{Address, B256, KECCAK256_EMPTY, U256};
use gavel_commit::memory::{DataView, Memory};
use gavel_commit::record::{Boundary, Context, Frame, Machine, Snapshot, StepState, TxEnv};
use gavel_commit::substate::Substate;
use gavel_commit::trie::key;
use gavel_commit::trie::world::WorldState;

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

/// Add `delta` (may be negative through `sub`) to `a`'s balance. An account that did not
/// exist gets its CODE_HASH leaf (empty code) as well, as the chain model writes every account
/// (spec §14.2); its CODE_ROOT stays 0.
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
    let enc = b
        .encode()
        .map_err(|e| MachineError::State(format!("BASIC_DATA of {a}: {e}")))?;
    world.set(&key::basic_data_key(a), enc);
    if world.get(&key::code_hash_key(a)).is_zero() {
        world.set(&key::code_hash_key(a), KECCAK256_EMPTY);
    }
    Ok(())
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

/// The transaction start of a valid `tx` on `world` (written in place: gas purchase and nonce,
/// then the value transfer). Returns the records and, when the transfer wrote anything, the
/// world at the snapshot (what a revert or halt restores). `frame_gas` is the gas revm gives
/// the frame (`gasLimit − intrinsic gas`), `code` the callee's `(codeRoot, codeSize)`.
pub fn tx_start(
    world: &mut WorldState,
    tx: &BatchTx,
    block: &BlockContext,
    pre: &Boundary,
    frame_gas: u64,
    code: (B256, u32),
) -> Result<(TxStart, Substate, Option<WorldState>), MachineError> {
    let e = tx.envelope();
    let sender = tx.signer();
    let to = tx.to().ok_or_else(|| {
        MachineError::Diverged("contract creation reached the step machine".into())
    })?;
    let gas_price = e.effective_gas_price(Some(block.base_fee));
    let value = e.value();
    let value128 = u128::try_from(value)
        .map_err(|_| MachineError::State(format!("value {value} leaves 128 bits")))?;

    // Gas purchase and nonce.
    let fee = gas_price
        .checked_mul(u128::from(tx.gas_limit()))
        .ok_or_else(|| MachineError::State("gas purchase leaves 128 bits".into()))?;
    let mut b = basic(world, &sender)?;
    b.nonce += 1;
    b.balance = b
        .balance
        .checked_sub(fee)
        .ok_or_else(|| MachineError::State(format!("{sender} cannot pay for its gas")))?;
    let enc = b
        .encode()
        .map_err(|e| MachineError::State(format!("BASIC_DATA of {sender}: {e}")))?;
    world.set(&key::basic_data_key(&sender), enc);

    let substate = start_substate(&sender, &to, &block.coinbase);
    let snapshot = Snapshot {
        world_root: world.root(),
        substate_root: substate.root(),
        logs: B256::ZERO,
        refund: 0,
    };
    // A revert restores the snapshot's world; keep it only when the transfer changes the trie.
    let snapshot_world = (value128 > 0).then(|| world.clone());
    if value128 > 0 {
        credit(world, &sender, 0, value128)?;
        credit(world, &to, value128, 0)?;
    }

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
        code_size: code.1,
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
        code_root: code.0,
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
