//! The EVM step verifier (`contracts/src/step/`, spec §16–§17): deploy the dispatcher with its
//! five sub-verifiers (and the opcode verifier's storage part) in one call, and run one step against it.
//!
//! The verifier pins a chain (its chain-config hash and chain id) and the bottom depth of the
//! game layout, so one deployment serves every game of that chain and layout.

use alloy::primitives::{Address, B256, U256};
use alloy::sol_types::SolConstructor;
use serde::{Deserialize, Serialize};

use crate::bindings::{
    AccessListStepVerifier, BlockStepVerifier, EvmStepVerifier, OpcodeStepVerifier,
    StorageStepVerifier, TxEndStepVerifier, TxStartStepVerifier,
};
use crate::{ChainError, L1, deploy, view};

/// The chain and layout an EVM step verifier is deployed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvmVerifierParams {
    /// `ChainConfig` hash of the L2 (spec §9.8); every honest BlockEnv carries it.
    pub chain_config: B256,
    /// The L2 chain id (CHAINID, transaction signatures).
    pub chain_id: u64,
    /// `B = MAX_DEPTH − SPLIT_DEPTH` of the game layout (24 for the EVM layout, spec §15.3).
    pub bottom_depth: u32,
}

impl EvmVerifierParams {
    /// The verifier the steps of `exec` go to: its chain configuration and layout.
    pub fn for_executor(exec: &gavel_trace::Executor) -> Self {
        let config = exec.config();
        Self {
            chain_config: config.hash(),
            chain_id: config.chain_id,
            bottom_depth: exec.layout().bottom_depth(),
        }
    }
}

/// Where the parts of one EVM step verifier live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvmVerifierAddresses {
    /// The dispatcher (`IStepVerifier`): the address a game is created with.
    pub verifier: Address,
    /// Opcode steps (§16.3).
    pub opcode: Address,
    /// SLOAD/SSTORE's storage part, called by the opcode verifier (§16.3).
    #[serde(default)]
    pub storage: Address,
    /// Block start, block end, past the batch (§17.1, §17.5).
    pub block_step: Address,
    /// Transaction start (§17.2).
    pub tx_start: Address,
    /// Access-list warm-ups (§17.3).
    pub access_list: Address,
    /// Transaction end (§17.4).
    pub tx_end: Address,
}

/// Deploys the storage verifier, the five sub-verifiers and the dispatcher from `deployer`.
pub async fn deploy_evm_verifier(
    l1: &impl L1,
    deployer: Address,
    params: EvmVerifierParams,
) -> Result<EvmVerifierAddresses, ChainError> {
    let with = |code: &[u8], args: Vec<u8>| [code, &args].concat();
    let b = U256::from(params.bottom_depth);
    let storage = deploy(
        l1,
        deployer,
        "deploying StorageStepVerifier",
        StorageStepVerifier::BYTECODE.to_vec(),
    )
    .await?;
    let opcode = deploy(
        l1,
        deployer,
        "deploying OpcodeStepVerifier",
        with(
            &OpcodeStepVerifier::BYTECODE,
            OpcodeStepVerifier::constructorCall {
                _chainId: params.chain_id,
                _storage: storage,
            }
            .abi_encode(),
        ),
    )
    .await?;
    let block_step = deploy(
        l1,
        deployer,
        "deploying BlockStepVerifier",
        with(
            &BlockStepVerifier::BYTECODE,
            BlockStepVerifier::constructorCall {
                _chainConfig: params.chain_config,
                _bottomDepth: b,
            }
            .abi_encode(),
        ),
    )
    .await?;
    let tx_start = deploy(
        l1,
        deployer,
        "deploying TxStartStepVerifier",
        with(
            &TxStartStepVerifier::BYTECODE,
            TxStartStepVerifier::constructorCall {
                _chainConfig: params.chain_config,
                _chainId: params.chain_id,
                _bottomDepth: b,
            }
            .abi_encode(),
        ),
    )
    .await?;
    let access_list = deploy(
        l1,
        deployer,
        "deploying AccessListStepVerifier",
        AccessListStepVerifier::BYTECODE.to_vec(),
    )
    .await?;
    let tx_end = deploy(
        l1,
        deployer,
        "deploying TxEndStepVerifier",
        with(
            &TxEndStepVerifier::BYTECODE,
            TxEndStepVerifier::constructorCall {
                _chainId: params.chain_id,
            }
            .abi_encode(),
        ),
    )
    .await?;
    let verifier = deploy(
        l1,
        deployer,
        "deploying EvmStepVerifier",
        with(
            &EvmStepVerifier::BYTECODE,
            EvmStepVerifier::constructorCall {
                _bottomDepth: b,
                _opcode: opcode,
                _blockStep: block_step,
                _txStart: tx_start,
                _accessList: access_list,
                _txEnd: tx_end,
            }
            .abi_encode(),
        ),
    )
    .await?;
    Ok(EvmVerifierAddresses {
        verifier,
        opcode,
        storage,
        block_step,
        tx_start,
        access_list,
        tx_end,
    })
}

/// What the verifier made of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    /// It accepted the witness and computed this post-state.
    Post(B256),
    /// It reverted; the custom error's name with its arguments.
    Rejected(String),
}

/// Runs `step(pre, trace_index, witness)` on the dispatcher at `verifier` as a view call.
/// A revert is a [`StepOutcome::Rejected`], not an error: rejecting bad witnesses is the
/// verifier's job. Errors are transport or decoding failures.
pub async fn run_step(
    l1: &impl L1,
    verifier: Address,
    pre: B256,
    trace_index: u64,
    witness: &[u8],
) -> Result<StepOutcome, ChainError> {
    let call = EvmStepVerifier::stepCall {
        _preState: pre,
        _traceIndex: U256::from(trace_index),
        _witness: witness.to_vec().into(),
    };
    match view(l1, verifier, call).await {
        Ok(post) => Ok(StepOutcome::Post(post)),
        Err(ChainError::Reverted { data }) => {
            Ok(StepOutcome::Rejected(describe_step_revert(&data)))
        }
        Err(e) => Err(e),
    }
}

/// Names a step verifier's revert: its own errors, the commitment kernel's, the boundary
/// steps' (all reach the caller unchanged through the dispatcher).
pub fn describe_step_revert(data: &[u8]) -> String {
    use alloy::sol_types::SolInterface;
    let named = OpcodeStepVerifier::OpcodeStepVerifierErrors::abi_decode(data)
        .map(|e| format!("{e:?}"))
        .or_else(|_| {
            EvmStepVerifier::EvmStepVerifierErrors::abi_decode(data).map(|e| format!("{e:?}"))
        })
        .or_else(|_| {
            BlockStepVerifier::BlockStepVerifierErrors::abi_decode(data).map(|e| format!("{e:?}"))
        })
        .or_else(|_| {
            TxStartStepVerifier::TxStartStepVerifierErrors::abi_decode(data)
                .map(|e| format!("{e:?}"))
        })
        .or_else(|_| {
            AccessListStepVerifier::AccessListStepVerifierErrors::abi_decode(data)
                .map(|e| format!("{e:?}"))
        })
        .or_else(|_| {
            TxEndStepVerifier::TxEndStepVerifierErrors::abi_decode(data).map(|e| format!("{e:?}"))
        })
        .or_else(|_| {
            StorageStepVerifier::StorageStepVerifierErrors::abi_decode(data)
                .map(|e| format!("{e:?}"))
        });
    match named {
        Ok(name) => name,
        Err(_) => crate::describe_revert(data),
    }
}
