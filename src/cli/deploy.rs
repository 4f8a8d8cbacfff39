//! `gavel deploy`: deploy the EVM dispute system for an L2 genesis and write the deployment
//! file the bot, `gavel propose` and operators read.

use anyhow::{Context, bail};
use clap::Args;
use gavel_chain::{EvmDeployParams, L1, RpcL1, deploy_evm_system};
use gavel_challenger::load_key_named;
use gavel_game::GameConfig;
use gavel_trace::Genesis;
use std::path::PathBuf;
use std::process::ExitCode;

/// The variable holding the deployer's key when `--key-file` is not given.
pub const DEPLOYER_KEY_ENV: &str = "GAVEL_DEPLOYER_KEY";

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// L1 JSON-RPC endpoint.
    #[arg(long)]
    pub rpc_url: String,
    /// The L2 genesis file.
    #[arg(long)]
    pub genesis: PathBuf,
    /// Where to write the deployment file.
    #[arg(long)]
    pub out: PathBuf,
    /// The only address allowed to post batches [default: the deployer].
    #[arg(long)]
    pub sequencer: Option<alloy_primitives::Address>,
    /// File holding the deployer's hex key (else GAVEL_DEPLOYER_KEY).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Game tree depth [default: 44, the EVM layout]; with --split-depth, a smaller layout
    /// for tests (fewer transitions and steps per batch).
    #[arg(long, requires = "split_depth")]
    pub max_depth: Option<u32>,
    /// Depth of the transition boundaries [default: 20].
    #[arg(long, requires = "max_depth")]
    pub split_depth: Option<u32>,
    /// Chess-clock budget per side, seconds [default: 3.5 days].
    #[arg(long)]
    pub max_clock_duration: Option<u64>,
    /// Clock extension, seconds [default: 3 hours].
    #[arg(long)]
    pub clock_extension: Option<u64>,
    /// Bond withdrawal delay, seconds [default: 7 days].
    #[arg(long)]
    pub withdrawal_delay: Option<u64>,
}

pub fn run(args: DeployArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(deploy(args))
}

async fn deploy(args: DeployArgs) -> anyhow::Result<ExitCode> {
    let genesis = Genesis::from_file(&args.genesis)?;
    let pre = genesis.prestate()?;
    let key = load_key_named(args.key_file.as_deref(), DEPLOYER_KEY_ENV, |n| {
        std::env::var(n).ok().filter(|v| !v.is_empty())
    })?;
    let l1 = RpcL1::connect(&args.rpc_url, &[key]).await?;
    let deployer = l1.accounts()[0];
    if l1.balance(deployer).await?.is_zero() {
        bail!("the deployer {deployer} has no ETH on this chain");
    }
    let mut params = EvmDeployParams::new(&pre, args.sequencer.unwrap_or(deployer));
    let g = &params.game;
    let mut config = GameConfig {
        max_depth: u32::try_from(g.max_depth)?,
        split_depth: u32::try_from(g.split_depth)?,
        max_clock_duration: g.max_clock_duration,
        clock_extension: g.clock_extension,
        withdrawal_delay: g.withdrawal_delay,
        base_bond: g.base_bond,
        bond_increment: g.bond_increment,
    };
    if let (Some(max), Some(split)) = (args.max_depth, args.split_depth) {
        config.max_depth = max;
        config.split_depth = split;
    }
    if let Some(v) = args.max_clock_duration {
        config.max_clock_duration = v;
    }
    if let Some(v) = args.clock_extension {
        config.clock_extension = v;
    }
    if let Some(v) = args.withdrawal_delay {
        config.withdrawal_delay = v;
    }
    config
        .validate()
        .map_err(|e| anyhow::anyhow!("game parameters: {e}"))?;
    params = params.with_config(&config);
    let d = deploy_evm_system(&l1, deployer, &params)
        .await
        .context("deploying the EVM dispute system")?;
    d.save(&args.out)?;
    let l2 = d.l2.as_ref().context("the deployment has no l2 section")?;
    println!(
        "{}",
        serde_json::json!({
            "deployment": args.out.display().to_string(),
            "factory": d.factory.to_string(),
            "inbox": l2.inbox.to_string(),
            "sequencer": l2.sequencer.to_string(),
            "game_type": l2.game_type,
            "max_depth": config.max_depth,
            "split_depth": config.split_depth,
            "anchor_root": l2.genesis.boundary.hash().to_string(),
        })
    );
    Ok(ExitCode::SUCCESS)
}
