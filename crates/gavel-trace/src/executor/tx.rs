//! One transaction in revm: build the EVM over the state, run it with the frame inspector, and
//! turn revm's state diff into [`Change`]s. Used by the batch run (counting) and by replays
//! (recording), so both see exactly the same execution.

use alloy_primitives::{Address, U256};
use gavel_commit::record::ChainConfig;
use revm::InspectEvm;
use revm::context::{CfgEnv, Context};
use revm::context_interface::result::{EVMError, ExecutionResult};
use revm::handler::{MainBuilder, MainContext};
use revm::primitives::hardfork::SpecId;
use revm::state::EvmState;

use super::error::Refusal;
use super::inspector::{FrameInspector, Recording};
use crate::batch::{BatchTx, BlockContext};
use crate::chain::{ChainState, Change, StateError};

/// How an executed transaction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxStatus {
    /// STOP or RETURN.
    Success,
    /// REVERT.
    Revert,
    /// Exceptional halt (revm's reason).
    Halt(String),
}

/// What one transaction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxOutcome {
    /// Executed (successfully or not): the state changed at least by fees and nonce.
    Executed {
        /// How it ended.
        status: TxStatus,
        /// Gas charged (after refunds and the EIP-7623 floor).
        gas_used: u64,
        /// Access-list items warmed by the transaction-start steps.
        access_list_items: u64,
        /// Opcode steps (incl. a synthetic STOP for a code-less callee).
        opcode_steps: u64,
    },
    /// Invalid against the state or the block (nonce, balance, fees, gas): skipped, no change.
    Skipped {
        /// revm's (or the block-gas check's) reason.
        reason: String,
    },
}

impl TxOutcome {
    /// Steps of the transaction's transition (spec §15.2).
    pub fn steps(&self) -> u64 {
        match self {
            Self::Executed {
                access_list_items,
                opcode_steps,
                ..
            } => crate::trace::tx_steps(*access_list_items, *opcode_steps),
            Self::Skipped { .. } => 1,
        }
    }
}

/// Why a transaction could not be traced.
#[derive(Debug)]
pub(crate) enum TxFailure {
    /// Unsupported; `Some(i)`: at opcode step `i`, `None`: at the transaction start.
    Refused(Option<u64>, Refusal),
    Evm(String),
    State(StateError),
}

pub(crate) struct TxRun {
    pub outcome: TxOutcome,
    pub changes: Vec<Change>,
    pub recording: Recording,
}

/// revm's configuration for the chain: Osaka, chain id, the 2^23 per-transaction cap.
pub(crate) fn cfg(config: &ChainConfig) -> CfgEnv {
    let mut cfg = CfgEnv::new_with_spec(SpecId::OSAKA);
    cfg.chain_id = config.chain_id;
    cfg.tx_gas_limit_cap = Some(config.tx_gas_cap);
    cfg
}

/// Run `tx` on `state` in block `ctx`, where `block_gas_used` gas is already used; with
/// `record = Some(n)`, keep per-step records (about `n` of them).
pub(crate) fn run(
    state: &ChainState,
    config: &ChainConfig,
    ctx: &BlockContext,
    block_gas_used: u64,
    tx: &BatchTx,
    record: Option<usize>,
) -> Result<TxRun, TxFailure> {
    let skipped = |reason: String| TxRun {
        outcome: TxOutcome::Skipped { reason },
        changes: Vec::new(),
        recording: Recording::default(),
    };
    // Ethereum's block rule: a transaction's gas limit must fit the block's remaining gas.
    let remaining = ctx.gas_limit.saturating_sub(block_gas_used);
    if tx.gas_limit() > remaining {
        return Ok(skipped(format!(
            "gas limit {} exceeds the block's remaining gas {remaining}",
            tx.gas_limit()
        )));
    }
    let mut evm = Context::mainnet()
        .with_cfg(cfg(config))
        .with_block(ctx.revm_env())
        .with_ref_db(state)
        .build_mainnet_with_inspector(FrameInspector::new(record));
    let result = evm.inspect_tx(tx.tx_env());
    let mut insp = evm.inspector;
    let out = match result {
        Err(EVMError::Transaction(e)) => return Ok(skipped(e.to_string())),
        Err(EVMError::Database(e)) => return Err(TxFailure::State(e)),
        Err(e) => return Err(TxFailure::Evm(e.to_string())),
        Ok(out) => out,
    };
    if let Some((at, r)) = insp.refusal {
        return Err(TxFailure::Refused(at, r));
    }
    let top = insp
        .top
        .ok_or_else(|| TxFailure::Evm("the transaction's frame was never entered".into()))?;
    if top.code_empty {
        if insp.ops != 0 {
            return Err(TxFailure::Evm(
                "a callee without code executed opcodes".into(),
            ));
        }
        insp.synthesize_stop(top.gas_limit);
    }
    let (status, gas_used) = match &out.result {
        ExecutionResult::Success { logs, .. } | ExecutionResult::Revert { logs, .. }
            if !logs.is_empty() =>
        {
            // LOG opcodes are refused, so revm cannot have logs (an Amsterdam-style transfer
            // log would be a spec change).
            return Err(TxFailure::Evm(format!("{} unexpected log(s)", logs.len())));
        }
        ExecutionResult::Success { .. } => (TxStatus::Success, out.result.tx_gas_used()),
        ExecutionResult::Revert { .. } => (TxStatus::Revert, out.result.tx_gas_used()),
        ExecutionResult::Halt { reason, .. } => (
            TxStatus::Halt(format!("{reason:?}")),
            out.result.tx_gas_used(),
        ),
    };
    // Only a successful frame keeps its writes (one frame: a revert or halt undoes them all).
    let stored = match status {
        TxStatus::Success => insp.stored.as_slice(),
        _ => &[],
    };
    let changes = diff(state, out.state, stored).map_err(TxFailure::State)?;
    Ok(TxRun {
        outcome: TxOutcome::Executed {
            status,
            gas_used,
            access_list_items: tx.access_list_items(),
            opcode_steps: insp.ops,
        },
        changes,
        recording: insp.recording,
    })
}

/// revm's state diff as changes to `state`, in address order (the world root does not depend
/// on the order, the journal does). Only values that differ from `state` become changes.
///
/// `stored` are the slots the transaction's SSTOREs set to a non-zero value. The step machine
/// writes the world trie at every SSTORE (spec §16.3), and a non-zero write into a main-storage
/// stem that does not exist creates it for good (§4.2, no collapsing) even if the slot ends the
/// transaction at zero, where revm's diff shows nothing. Such a slot, never written before,
/// becomes a [`Change::ZeroSlot`], so the executor's world root is the one the verifier computes.
pub(crate) fn diff(
    state: &ChainState,
    evm: EvmState,
    stored: &[(Address, U256)],
) -> Result<Vec<Change>, StateError> {
    let mut accounts: Vec<_> = evm.into_iter().filter(|(_, a)| a.is_touched()).collect();
    accounts.sort_by_key(|(a, _)| *a);
    let mut out = Vec::new();
    for (address, acc) in accounts {
        let old = state.account(&address);
        // Post-EIP-161 (revm normalizes earlier forks the same way): a touched empty account
        // is deleted; so is a selfdestructed one.
        if acc.is_selfdestructed() || acc.is_empty() {
            if old.is_some() {
                out.push(Change::Deleted { address });
            }
            continue;
        }
        let balance =
            u128::try_from(acc.info.balance).map_err(|_| StateError::BalanceOverflow {
                address,
                balance: acc.info.balance,
            })?;
        let code_hash = acc.info.code_hash;
        if state.code(&code_hash).is_none() {
            let code = acc.info.code.as_ref().map(|c| c.original_bytes()).ok_or(
                StateError::UnknownCode {
                    address,
                    hash: code_hash,
                },
            )?;
            out.push(Change::Code {
                hash: code_hash,
                code,
            });
        }
        if old.map(|o| (o.nonce, o.balance, o.code_hash))
            != Some((acc.info.nonce, balance, code_hash))
        {
            out.push(Change::Account {
                address,
                nonce: acc.info.nonce,
                balance,
                code_hash,
            });
        }
        let mut slots: Vec<(U256, U256)> = acc
            .storage
            .iter()
            .map(|(k, s)| (*k, s.present_value))
            .collect();
        if acc.is_created() {
            // A created account starts with empty storage: clear what the address held.
            if let Some(o) = old {
                for k in o.storage.keys() {
                    if !acc.storage.contains_key(k) {
                        slots.push((*k, U256::ZERO));
                    }
                }
            }
        }
        slots.sort_by_key(|(k, _)| *k);
        for (slot, value) in slots {
            if state.storage(&address, slot) != value {
                out.push(Change::Slot {
                    address,
                    slot,
                    value,
                });
            }
        }
        let written = |k: &U256| old.is_some_and(|o| o.storage.contains_key(k));
        let mut zeroed: Vec<U256> = stored
            .iter()
            .filter(|(a, k)| {
                *a == address
                    && !written(k)
                    && acc
                        .storage
                        .get(k)
                        .is_some_and(|s| s.present_value.is_zero())
            })
            .map(|(_, k)| *k)
            .collect();
        zeroed.sort_unstable();
        zeroed.dedup();
        out.extend(
            zeroed
                .into_iter()
                .map(|slot| Change::ZeroSlot { address, slot }),
        );
    }
    Ok(out)
}
