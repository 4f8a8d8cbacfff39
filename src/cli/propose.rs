//! `gavel propose`: create a game on a real chain, honest or lying from a chosen step on.
//!
//! * toy VM (`--vm toy`, or a deployment without an EVM game type): the root of a toy trace;
//! * EVM (`--vm evm`, or a deployment with an `l2` section): posts `--batch` to the inbox as
//!   the sequencer (unless it is already the inbox's latest batch), replays the inbox from
//!   `--genesis` (or `--snapshot`) to the state before it, executes it and creates the game
//!   with the honest root or a consistent lie (`--lie-at` / `--lie-at-transition`).
//!
//! A test and demo helper: a real proposer posts the state root its node computed.

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use gavel_chain::{AnchorStateRegistry, Deployment, L1, RpcL1, game, view};
use gavel_challenger::load_key_named;
use gavel_game::toy::toy_input;
use gavel_game::{ToyTrace, honest_root};
use std::path::PathBuf;
use std::process::ExitCode;

/// The variable holding the proposer's key when `--key-file` is not given.
pub const PROPOSER_KEY_ENV: &str = "GAVEL_PROPOSER_KEY";
/// The variable holding the sequencer's key when `--sequencer-key-file` is not given.
pub const SEQUENCER_KEY_ENV: &str = "GAVEL_SEQUENCER_KEY";

/// Which VM's game to create.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Vm {
    /// The toy VM.
    Toy,
    /// The EVM over inbox batches.
    Evm,
}

#[derive(Debug, Args)]
pub struct ProposeArgs {
    /// L1 JSON-RPC endpoint.
    #[arg(long)]
    pub rpc_url: String,
    /// Deployment file.
    #[arg(long)]
    pub deployment: PathBuf,
    /// File holding the proposer's hex private key (else GAVEL_PROPOSER_KEY).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// The VM [default: evm if the deployment has an EVM game type, else toy].
    #[arg(long, value_enum)]
    pub vm: Option<Vm>,
    /// Lie from this trace index on (a VM-consistent lie, caught at exactly one step);
    /// omitted: propose the honest root.
    #[arg(long, conflicts_with = "lie_at_transition")]
    pub lie_at: Option<u64>,
    /// EVM: lie from step `--lie-step` of this transition on.
    #[arg(long)]
    pub lie_at_transition: Option<u64>,
    /// EVM: the step of `--lie-at-transition` the lie starts at.
    #[arg(long, default_value_t = 0)]
    pub lie_step: u64,
    /// EVM: the batch file (JSON, as in fixtures/batches) to post and propose over.
    #[arg(long)]
    pub batch: Option<PathBuf>,
    /// EVM: the L2 genesis file (the inbox is replayed from it).
    #[arg(long)]
    pub genesis: Option<PathBuf>,
    /// EVM: a snapshot of the L2 state to replay from instead of the genesis.
    #[arg(long)]
    pub snapshot: Option<PathBuf>,
    /// EVM: file holding the sequencer's hex key (else GAVEL_SEQUENCER_KEY, else the
    /// proposer's key).
    #[arg(long)]
    pub sequencer_key_file: Option<PathBuf>,
    /// Salt byte of the lie (different salts give different lying roots).
    #[arg(long, default_value_t = 7)]
    pub salt: u8,
    /// The toy trace length (the game's VM input).
    #[arg(long, default_value_t = 40)]
    pub trace_length: u64,
    /// L2 sequence number [default: the anchor's + 1].
    #[arg(long)]
    pub seq: Option<u64>,
}

pub fn run(args: ProposeArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(propose(args))
}

async fn propose(args: ProposeArgs) -> anyhow::Result<ExitCode> {
    let deployment = Deployment::load(&args.deployment)?;
    let vm = args.vm.unwrap_or(if deployment.l2.is_some() {
        Vm::Evm
    } else {
        Vm::Toy
    });
    if vm == Vm::Evm {
        return propose_evm(&args, &deployment).await;
    }
    let key = load_key_named(args.key_file.as_deref(), PROPOSER_KEY_ENV, |n| {
        std::env::var(n).ok().filter(|v| !v.is_empty())
    })?;
    let l1 = RpcL1::connect(&args.rpc_url, &[key]).await?;
    let chain_id = l1.chain_id().await?;
    if chain_id != deployment.chain_id {
        bail!(
            "the deployment is for chain {}, {} serves chain {chain_id}",
            deployment.chain_id,
            args.rpc_url
        );
    }
    let proposer = l1.accounts()[0];
    let primary = deployment.primary()?;
    if primary.verifier_kind != "toy" {
        bail!(
            "game type {} uses the {:?} verifier; gavel propose only proposes toy VM games",
            primary.game_type,
            primary.verifier_kind
        );
    }
    let anchor = view(
        &l1,
        deployment.anchor_registry,
        AnchorStateRegistry::anchorsCall {
            _gameType: primary.game_type,
        },
    )
    .await
    .context("reading the anchor")?;
    let anchor_seq = u64::try_from(anchor.l2SequenceNumber_).context("anchor sequence number")?;
    let seq = args.seq.unwrap_or(anchor_seq + 1);
    let max_depth = u32::try_from(primary.params.max_depth).context("max depth")?;
    if args.lie_at_transition.is_some() {
        bail!("--lie-at-transition is for EVM games; use --lie-at for the toy VM");
    }
    let trace = match args.lie_at {
        None => ToyTrace::new(anchor.root_, args.trace_length, max_depth)?,
        Some(at) => ToyTrace::divergent(
            anchor.root_,
            args.trace_length,
            max_depth,
            at,
            alloy_primitives::B256::repeat_byte(args.salt),
        )?,
    };
    let root = honest_root(&trace, max_depth)?;
    let game_addr = game::create_game(
        &l1,
        proposer,
        &deployment,
        root,
        seq,
        toy_input(args.trace_length),
    )
    .await
    .context("creating the game")?;
    println!(
        "{}",
        serde_json::json!({
            "game": game_addr.to_string(),
            "proposer": proposer.to_string(),
            "root_claim": root.to_string(),
            "honest": args.lie_at.is_none(),
            "l2_sequence_number": seq,
            "trace_length": args.trace_length,
        })
    );
    Ok(ExitCode::SUCCESS)
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

async fn propose_evm(args: &ProposeArgs, deployment: &Deployment) -> anyhow::Result<ExitCode> {
    use gavel_chain::evm::{idle_boundary, l2_of};
    use gavel_chain::inbox::{batch_commitment, batch_count};
    use gavel_chain::{EvmTrace, create_evm_game, post_batch};
    use gavel_challenger::{EvmBase, EvmSource, EvmSourceOptions};
    use gavel_trace::{Batch, ExecOptions, Executor, Layout};
    use std::sync::Arc;

    let l2 = l2_of(deployment)?.clone();
    let Some(batch_path) = &args.batch else {
        bail!("an EVM proposal needs --batch FILE");
    };
    let batch = Batch::from_file(batch_path, l2.chain_id)?;
    let base = EvmBase::from_files(args.genesis.as_deref(), args.snapshot.as_deref())?;
    let proposer_key = load_key_named(args.key_file.as_deref(), PROPOSER_KEY_ENV, env_var)?;
    let sequencer_key = match (&args.sequencer_key_file, env_var(SEQUENCER_KEY_ENV)) {
        (Some(path), _) => load_key_named(Some(path), SEQUENCER_KEY_ENV, env_var)?,
        (None, Some(k)) => k,
        (None, None) => proposer_key.clone(),
    };
    let l1 = Arc::new(RpcL1::connect(&args.rpc_url, &[proposer_key, sequencer_key]).await?);
    let chain_id = l1.chain_id().await?;
    if chain_id != deployment.chain_id {
        bail!(
            "the deployment is for chain {}, {} serves chain {chain_id}",
            deployment.chain_id,
            args.rpc_url
        );
    }
    let accounts = l1.accounts();
    let (proposer, sequencer) = (accounts[0], accounts[accounts.len() - 1]);

    // Post the batch unless it is the inbox's latest already.
    let count = batch_count(l1.as_ref(), l2.inbox).await?;
    let latest = match count {
        0 => None,
        n => Some(batch_commitment(l1.as_ref(), l2.inbox, n).await?),
    };
    let number = if latest == Some(batch.commitment()) {
        count
    } else {
        if sequencer != l2.sequencer {
            bail!(
                "only the sequencer {} may post batches; the key given is for {sequencer} \
                 (--sequencer-key-file or {SEQUENCER_KEY_ENV})",
                l2.sequencer
            );
        }
        post_batch(l1.as_ref(), sequencer, l2.inbox, &batch)
            .await
            .context("posting the batch")?
            .number
    };

    // The state before the batch, from the inbox replay.
    let source = EvmSource::new(l1.clone(), deployment, base, EvmSourceOptions::default())?;
    source.sync_all().await?;
    let Some(pre) = source.state_after(number - 1).await else {
        bail!(
            "the replay did not reach batch {} (synced to {}): is the genesis or snapshot older \
             than the inbox's batches?",
            number - 1,
            source.synced().await
        );
    };
    let params = &deployment
        .game_type(l2.game_type)
        .context("the EVM game type is not in the deployment")?
        .params;
    let layout = Layout::new(
        u32::try_from(params.split_depth)?,
        u32::try_from(params.max_depth)?,
    )?;
    let exec = Executor::run(
        (*pre).clone(),
        batch,
        ExecOptions {
            layout,
            ..ExecOptions::default()
        },
    )
    .context("executing the batch")?;
    let honest = EvmTrace::new(exec);
    let salt = alloy_primitives::B256::repeat_byte(args.salt);
    let root = match (args.lie_at, args.lie_at_transition) {
        (Some(t), _) => honest_root(&honest.dishonest_from(t, salt), layout.max_depth())?,
        (None, Some(j)) => honest_root(
            &honest.dishonest(j, args.lie_step, salt),
            layout.max_depth(),
        )?,
        (None, None) => honest.final_claim(),
    };
    let anchor = idle_boundary(pre.state.world_root(), pre.last_block.hash);
    let game_addr = create_evm_game(l1.as_ref(), proposer, deployment, number, root, &anchor)
        .await
        .context("creating the game")?;
    println!(
        "{}",
        serde_json::json!({
            "game": game_addr.to_string(),
            "proposer": proposer.to_string(),
            "root_claim": root.to_string(),
            "honest_root": honest.final_claim().to_string(),
            "honest": args.lie_at.is_none() && args.lie_at_transition.is_none(),
            "l2_sequence_number": number,
            "batch_commitment": honest.input().to_string(),
            "transitions": honest.executor().transitions().len(),
        })
    );
    Ok(ExitCode::SUCCESS)
}
