//! The EVM game type (docs/protocol.md §13): one-call deployment of the whole EVM dispute system,
//! game creation over posted batches, the EVM [`TraceProvider`] over `gavel_trace::Executor`
//! and a Rust mirror of the on-chain step verifier for the in-process L1.
//!
//! What a challenger needs for EVM games:
//!
//! * [`Deployment::l2`](crate::Deployment) — the inbox, the step verifier and the genesis of the
//!   L2 the game type serves;
//! * [`EvmTrace::new`] — the honest trace of batch `n` from the executor run over it from the
//!   anchor state (the state after batch `n − 1`); [`EvmTrace::final_claim`] is the honest
//!   root claim and [`EvmTrace::final_boundary`] the next anchor;
//! * [`create_evm_game`] — proposes (registers the anchor preimage if needed, reads the batch
//!   commitment from the inbox, creates the game);
//! * [`EvmTrace::dishonest`] — a liar for tests and fuzzing.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use alloy::primitives::{Address, B256, U256};
use alloy::sol_types::{SolCall, SolConstructor};
use gavel_commit::record::Boundary;
use gavel_game::{
    GameConfig, LyingTrace, StepProof, StepVerifier, TraceError, TraceProvider, VerifierError,
};
use gavel_trace::{ExecError, Executor, Prestate};
use serde::{Deserialize, Serialize};

use crate::bindings::{
    AccessListStepVerifier, BatchInbox, BlockStepVerifier, EvmFaultDisputeGame, EvmStepVerifier,
    OpcodeStepVerifier, TxEndStepVerifier, TxStartStepVerifier,
};
use crate::deploy::register_implementation;
use crate::json_fields::Obj;
use crate::{
    ChainError, Deployment, EvmVerifierAddresses, EvmVerifierParams, GameParams, InProcessL1, L1,
    deploy, deploy_core, deploy_evm_verifier, send_call, view,
};

/// The game type id of the EVM game.
pub const EVM_GAME_TYPE: u32 = 1;

/// The EVM layout's split depth (spec §15.3).
pub const EVM_SPLIT_DEPTH: u64 = 20;
/// The EVM layout's max depth (spec §15.3).
pub const EVM_MAX_DEPTH: u64 = 44;

/// The anchor a deployment starts from: the L2 block the first batch continues and its idle
/// boundary (spec §17.7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenesisAnchor {
    /// The L2 block number the first posted batch continues (0 for genesis).
    pub block_number: u64,
    /// Its timestamp: the first batch's first block must be later.
    pub timestamp: u64,
    /// The idle boundary (`worldRoot`, `lastBlockHash`, the rest zero); its hash is the anchor
    /// root, its preimage is registered with the block-step verifier.
    pub boundary: Boundary,
    /// The L2 sequence number of this state (0 for genesis): the first game is about batch
    /// `sequence_number + 1`.
    pub sequence_number: u64,
}

impl GenesisAnchor {
    /// The anchor of the state a batch executes from (a genesis `Prestate` for a new chain),
    /// with sequence number 0.
    pub fn from_prestate(pre: &Prestate) -> Self {
        Self {
            block_number: pre.last_block.number,
            timestamp: pre.last_block.timestamp,
            boundary: idle_boundary(pre.state.world_root(), pre.last_block.hash),
            sequence_number: 0,
        }
    }
}

/// The idle boundary with `world_root` and `last_block_hash` (spec §17.7's anchor form).
pub fn idle_boundary(world_root: B256, last_block_hash: B256) -> Boundary {
    Boundary {
        world_root,
        last_block_hash,
        ..Boundary::default()
    }
}

/// Everything [`deploy_evm_system`] needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvmDeployParams {
    /// The game type to register ([`EVM_GAME_TYPE`]).
    pub game_type: u32,
    /// The game's depths, clocks and bonds (depths: the EVM layout, 44 / 20).
    pub game: GameParams,
    /// The L2 chain id.
    pub chain_id: u64,
    /// The L2 `ChainConfig` hash (spec §9.8).
    pub chain_config: B256,
    /// The only address allowed to post batches.
    pub sequencer: Address,
    /// Where the chain starts.
    pub genesis: GenesisAnchor,
}

impl EvmDeployParams {
    /// Defaults for the L2 whose genesis (or restart point) is `pre`: the EVM layout, 3.5-day
    /// clocks with 3-hour extensions, a 7-day withdrawal delay, 0.08 ETH + 0.001 ETH per depth.
    pub fn new(pre: &Prestate, sequencer: Address) -> Self {
        let milli_ether = U256::from(1_000_000_000_000_000u64);
        Self {
            game_type: EVM_GAME_TYPE,
            game: GameParams {
                max_depth: EVM_MAX_DEPTH,
                split_depth: EVM_SPLIT_DEPTH,
                max_clock_duration: 302_400,
                clock_extension: 10_800,
                withdrawal_delay: 604_800,
                base_bond: milli_ether * U256::from(80u64),
                bond_increment: milli_ether,
            },
            chain_id: pre.config.chain_id,
            chain_config: pre.config.hash(),
            sequencer,
            genesis: GenesisAnchor::from_prestate(pre),
        }
    }

    /// The same parameters with the game configured like `config` (depths, clocks, bonds).
    pub fn with_config(mut self, config: &GameConfig) -> Self {
        self.game = GameParams {
            max_depth: u64::from(config.max_depth),
            split_depth: u64::from(config.split_depth),
            max_clock_duration: config.max_clock_duration,
            clock_extension: config.clock_extension,
            withdrawal_delay: config.withdrawal_delay,
            base_bond: config.base_bond,
            bond_increment: config.bond_increment,
        };
        self
    }
}

/// The L2 served by a deployment's EVM game type (the `l2` section of the deployment file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct L2Deployment {
    /// The EVM game type id (in `game_types`).
    pub game_type: u32,
    /// The L2 chain id.
    pub chain_id: u64,
    /// The L2 `ChainConfig` hash the step verifier pins.
    pub chain_config: B256,
    /// The `BatchInbox`.
    pub inbox: Address,
    /// The sequencer allowed to post.
    pub sequencer: Address,
    /// The `EvmStepVerifier` and its sub-verifiers.
    pub step_verifier: EvmVerifierAddresses,
    /// The anchor the deployment was seeded with.
    pub genesis: GenesisAnchor,
}

impl L2Deployment {
    pub(crate) fn from_json(o: &Obj) -> Result<Self, String> {
        o.only(&[
            "game_type",
            "chain_id",
            "chain_config",
            "inbox",
            "sequencer",
            "step_verifier",
            "genesis",
        ])?;
        Ok(Self {
            game_type: o.req("game_type")?,
            chain_id: o.req("chain_id")?,
            chain_config: o.req("chain_config")?,
            inbox: o.req("inbox")?,
            sequencer: o.req("sequencer")?,
            step_verifier: o.req("step_verifier")?,
            genesis: o.req("genesis")?,
        })
    }
}

/// Deploys the whole EVM dispute system from `deployer` (who owns factory and registry):
/// factory, anchor registry, the `EvmStepVerifier` with its sub-verifiers, the `BatchInbox`,
/// the `EvmFaultDisputeGame` implementation registered as `params.game_type`, the anchor seeded
/// with the genesis boundary's hash and its preimage registered with the block-step verifier.
pub async fn deploy_evm_system(
    l1: &impl L1,
    deployer: Address,
    params: &EvmDeployParams,
) -> Result<Deployment, ChainError> {
    let g = &params.game;
    if g.split_depth == 0 || g.split_depth >= g.max_depth || g.max_depth > 62 {
        return Err(ChainError::InvalidParameter {
            name: "game",
            message: format!(
                "split depth {} and max depth {} must satisfy 0 < split < max ≤ 62",
                g.split_depth, g.max_depth
            ),
        });
    }
    let bottom_depth = u32::try_from(g.max_depth - g.split_depth).expect("≤ 62");
    let mut deployment = deploy_core(l1, deployer).await?;
    let step_verifier = deploy_evm_verifier(
        l1,
        deployer,
        EvmVerifierParams {
            chain_config: params.chain_config,
            chain_id: params.chain_id,
            bottom_depth,
        },
    )
    .await?;
    let mut inbox_code = BatchInbox::BYTECODE.to_vec();
    inbox_code.extend(
        BatchInbox::constructorCall {
            _sequencer: params.sequencer,
            _chainId: params.chain_id,
            _genesisNumber: params.genesis.block_number,
            _genesisTimestamp: params.genesis.timestamp,
        }
        .abi_encode(),
    );
    let inbox = deploy(l1, deployer, "deploying BatchInbox", inbox_code).await?;
    let mut game_code = EvmFaultDisputeGame::BYTECODE.to_vec();
    game_code.extend(
        EvmFaultDisputeGame::constructorCall {
            _gameType: params.game_type,
            _maxGameDepth: U256::from(g.max_depth),
            _splitDepth: U256::from(g.split_depth),
            _maxClockDuration: g.max_clock_duration,
            _clockExtension: g.clock_extension,
            _withdrawalDelay: g.withdrawal_delay,
            _baseBond: g.base_bond,
            _bondIncrement: g.bond_increment,
            _verifier: step_verifier.verifier,
            _anchorRegistry: deployment.anchor_registry,
            _factory: deployment.factory,
            _inbox: inbox,
        }
        .abi_encode(),
    );
    let implementation = deploy(l1, deployer, "deploying EvmFaultDisputeGame", game_code).await?;
    let anchor = &params.genesis;
    register_implementation(
        l1,
        deployer,
        &mut deployment,
        params.game_type,
        g.clone(),
        implementation,
        step_verifier.verifier,
        "evm",
        anchor.boundary.hash(),
        anchor.sequence_number,
    )
    .await?;
    register_anchor(l1, deployer, step_verifier.block_step, &anchor.boundary).await?;
    deployment.l2 = Some(L2Deployment {
        game_type: params.game_type,
        chain_id: params.chain_id,
        chain_config: params.chain_config,
        inbox,
        sequencer: params.sequencer,
        step_verifier,
        genesis: anchor.clone(),
    });
    Ok(deployment)
}

/// The `l2` section of `deployment`, or an error saying it is not an EVM deployment.
pub fn l2_of(deployment: &Deployment) -> Result<&L2Deployment, ChainError> {
    deployment
        .l2
        .as_ref()
        .ok_or_else(|| ChainError::InvalidParameter {
            name: "deployment",
            message: "no EVM game type (no `l2` section); deploy with deploy_evm_system".into(),
        })
}

/// Whether the block-step verifier at `block_step` knows the preimage of `anchor_root`.
pub async fn anchor_registered(
    l1: &impl L1,
    block_step: Address,
    anchor_root: B256,
) -> Result<bool, ChainError> {
    let a = view(l1, block_step, BlockStepVerifier::anchorsCall(anchor_root)).await?;
    Ok(a.worldRoot != B256::ZERO || a.lastBlockHash != B256::ZERO)
}

/// Registers `anchor`'s preimage with the block-step verifier (permissionless, idempotent;
/// spec §17.7). Fails with `BadAnchor` for a boundary that is not idle.
pub async fn register_anchor(
    l1: &impl L1,
    sender: Address,
    block_step: Address,
    anchor: &Boundary,
) -> Result<(), ChainError> {
    send_call(
        l1,
        sender,
        block_step,
        BlockStepVerifier::registerAnchorCall {
            _boundary: anchor.preimage().into(),
        },
        U256::ZERO,
    )
    .await
    .map(|_| ())
}

/// Proposes `root_claim` as the state after inbox batch `batch_number`: makes sure the
/// preimage of `anchor` (the boundary the game starts from, i.e. the state after batch
/// `batch_number − 1`, which must be the registry's current anchor) is registered, reads the
/// batch's commitment from the inbox and creates the game with the root bond. Returns the
/// game's address. An honest proposer always knows `anchor` (it is the final boundary of the
/// previous batch, [`EvmTrace::final_boundary`], or the deployment's genesis), so creation
/// cannot fail on a missing anchor preimage.
pub async fn create_evm_game(
    l1: &impl L1,
    proposer: Address,
    deployment: &Deployment,
    batch_number: u64,
    root_claim: B256,
    anchor: &Boundary,
) -> Result<Address, ChainError> {
    let l2 = l2_of(deployment)?;
    if !anchor_registered(l1, l2.step_verifier.block_step, anchor.hash()).await? {
        register_anchor(l1, proposer, l2.step_verifier.block_step, anchor).await?;
    }
    let input = crate::inbox::batch_commitment(l1, l2.inbox, batch_number).await?;
    crate::game::create_game_of_type(
        l1,
        proposer,
        deployment,
        l2.game_type,
        root_claim,
        batch_number,
        input,
    )
    .await
}

/// The Rust game configuration of a registered game type (for the mirror and the solver).
pub fn game_config(params: &GameParams) -> Result<GameConfig, ChainError> {
    let bad = |message: String| ChainError::InvalidParameter {
        name: "params",
        message,
    };
    let config = GameConfig {
        max_depth: u32::try_from(params.max_depth).map_err(|e| bad(e.to_string()))?,
        split_depth: u32::try_from(params.split_depth).map_err(|e| bad(e.to_string()))?,
        max_clock_duration: params.max_clock_duration,
        clock_extension: params.clock_extension,
        withdrawal_delay: params.withdrawal_delay,
        base_bond: params.base_bond,
        bond_increment: params.bond_increment,
    };
    config.validate().map_err(|e| bad(e.to_string()))?;
    Ok(config)
}

// ---------------------------------------------------------------------------------------------
// The EVM trace provider
// ---------------------------------------------------------------------------------------------

fn trace_error(e: ExecError) -> TraceError {
    match e {
        ExecError::Trace(gavel_trace::TraceError::OutOfRange { trace_index, len }) => {
            TraceError::OutOfRange {
                trace_index,
                leaves: len,
            }
        }
        other => TraceError::Backend(other.to_string()),
    }
}

/// The honest trace of one batch (docs/protocol.md §13.3): a [`TraceProvider`] over an
/// [`Executor`] that ran the batch from the game's anchor state. Cheap to clone (shared).
///
/// * `absolute_prestate()` = the §17.7 prestate (the boundary before the batch, with the
///   batch's commitment), which is what `EvmStepVerifier.absolutePrestate(anchor, input)`
///   returns on-chain for the anchor the executor started from;
/// * `state_at(t)` = `Executor::commitment_at(t)` (leaf `t` = the state after step `t`);
/// * `step_witness(t)` = `Executor::step_proof(t)` (pre, witness, post).
#[derive(Clone, Debug)]
pub struct EvmTrace {
    exec: Arc<Executor>,
}

impl EvmTrace {
    /// The trace of the batch `exec` ran. The executor's layout must be the game's (the
    /// EVM layout for the default deployment).
    pub fn new(exec: impl Into<Arc<Executor>>) -> Self {
        Self { exec: exec.into() }
    }

    /// The executor.
    pub fn executor(&self) -> &Executor {
        &self.exec
    }

    /// The game's `input`: the batch's §13.3 commitment.
    pub fn input(&self) -> B256 {
        self.exec.batch().commitment()
    }

    /// The honest root claim: the boundary after the batch's last block.
    pub fn final_claim(&self) -> B256 {
        self.exec.final_boundary().hash()
    }

    /// The boundary after the batch: the anchor of the next batch's game once this one's
    /// honest proposal resolves.
    pub fn final_boundary(&self) -> Boundary {
        *self.exec.final_boundary()
    }

    /// The trace index of step `step` of transition `transition` (spec §15.3).
    pub fn trace_index(&self, transition: u64, step: u64) -> u64 {
        self.exec.layout().trace_index(transition, step)
    }

    /// A dishonest copy of this trace that lies from step `step` of transition `transition`
    /// on: every later claim is `keccak256(honest ‖ salt)`, so its lies are consistent (it
    /// never agrees with the honest trace again) and its steps from the lie on do not verify.
    pub fn dishonest(&self, transition: u64, step: u64, salt: B256) -> DishonestEvmTrace {
        self.dishonest_from(self.trace_index(transition, step), salt)
    }

    /// Like [`EvmTrace::dishonest`] from trace index `trace_index`.
    pub fn dishonest_from(&self, trace_index: u64, salt: B256) -> DishonestEvmTrace {
        LyingTrace::new(self.clone(), trace_index, salt)
    }
}

/// A lying EVM trace (see [`EvmTrace::dishonest`]).
pub type DishonestEvmTrace = LyingTrace<EvmTrace>;

impl TraceProvider for EvmTrace {
    fn absolute_prestate(&self) -> B256 {
        self.exec.prestate().hash()
    }

    fn state_at(&self, trace_index: u64) -> Result<B256, TraceError> {
        self.exec.commitment_at(trace_index).map_err(trace_error)
    }

    fn step_witness(&self, trace_index: u64) -> Result<StepProof, TraceError> {
        let p = self.exec.step_proof(trace_index).map_err(trace_error)?;
        let witness = p.witness.ok_or_else(|| {
            TraceError::Unsupported(format!(
                "no witness for {:?} at trace index {trace_index}",
                p.kind
            ))
        })?;
        Ok(StepProof {
            pre_state: p.pre,
            witness,
            post_state: p.post,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The on-chain verifier as the mirror's StepVerifier
// ---------------------------------------------------------------------------------------------

/// The name of a step verifier's revert as a `&'static str` (what
/// [`gavel_game::VerifierError::Reverted`] holds), equal to [`crate::decode_revert`] of the
/// same data as the game bubbles it up.
pub fn step_revert_name(data: &[u8]) -> &'static str {
    if let Some(sel) = data.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok())
        && let Some(name) = step_error_name(sel)
    {
        return name;
    }
    intern(crate::decode_revert(data))
}

pub(crate) fn step_error_name(sel: [u8; 4]) -> Option<&'static str> {
    EvmStepVerifier::EvmStepVerifierErrors::name_by_selector(sel)
        .or_else(|| OpcodeStepVerifier::OpcodeStepVerifierErrors::name_by_selector(sel))
        .or_else(|| BlockStepVerifier::BlockStepVerifierErrors::name_by_selector(sel))
        .or_else(|| TxStartStepVerifier::TxStartStepVerifierErrors::name_by_selector(sel))
        .or_else(|| AccessListStepVerifier::AccessListStepVerifierErrors::name_by_selector(sel))
        .or_else(|| TxEndStepVerifier::TxEndStepVerifierErrors::name_by_selector(sel))
        .or_else(|| BatchInbox::BatchInboxErrors::name_by_selector(sel))
        .or_else(|| EvmFaultDisputeGame::EvmFaultDisputeGameErrors::name_by_selector(sel))
}

/// Leaks each distinct name once (revert names are few: unknown selectors, panics).
fn intern(name: String) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&n) = names.get(name.as_str()) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.into_boxed_str());
    names.insert(leaked);
    leaked
}

/// The deployed `EvmStepVerifier` on an [`InProcessL1`] as a synchronous [`StepVerifier`]:
/// what the Rust mirror of a game (`gavel_game::GameState::step`) runs, so the mirror's verdict
/// is the contract's by construction (there is no Rust twin of the EVM verifier).
#[derive(Clone, Copy)]
pub struct InProcessStepVerifier<'a> {
    l1: &'a InProcessL1,
    verifier: Address,
}

impl<'a> InProcessStepVerifier<'a> {
    /// The verifier at `verifier` on `l1`.
    pub fn new(l1: &'a InProcessL1, verifier: Address) -> Self {
        Self { l1, verifier }
    }
}

impl StepVerifier for InProcessStepVerifier<'_> {
    fn step(
        &self,
        pre_state: B256,
        trace_index: u64,
        witness: &[u8],
    ) -> Result<B256, VerifierError> {
        let call = EvmStepVerifier::stepCall {
            _preState: pre_state,
            _traceIndex: U256::from(trace_index),
            _witness: witness.to_vec().into(),
        };
        match self
            .l1
            .call_now(Address::ZERO, self.verifier, call.abi_encode().into())
        {
            Ok(out) => EvmStepVerifier::stepCall::abi_decode_returns(&out)
                .map_err(|_| VerifierError::Reverted("BadVerifierReturn")),
            Err(ChainError::Reverted { data }) => {
                Err(VerifierError::Reverted(step_revert_name(&data)))
            }
            Err(ChainError::Halted { .. }) => Err(VerifierError::Reverted("empty revert data")),
            Err(_) => Err(VerifierError::Reverted("VerifierCallFailed")),
        }
    }
}
