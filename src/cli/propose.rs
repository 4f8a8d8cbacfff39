//! `gavel propose`: create a toy VM game on a real chain, honest or lying from a chosen step
//! on. A test and demo helper: a real proposer would post the state root its node computed.

use anyhow::{Context, bail};
use clap::Args;
use gavel_chain::{AnchorStateRegistry, Deployment, L1, RpcL1, game, view};
use gavel_challenger::load_key_named;
use gavel_game::toy::toy_input;
use gavel_game::{ToyTrace, honest_root};
use std::path::PathBuf;
use std::process::ExitCode;

/// The variable holding the proposer's key when `--key-file` is not given.
pub const PROPOSER_KEY_ENV: &str = "GAVEL_PROPOSER_KEY";

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
    /// Lie from this trace index on (a VM-consistent lie, caught at exactly one step);
    /// omitted: propose the honest root.
    #[arg(long)]
    pub lie_at: Option<u64>,
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
