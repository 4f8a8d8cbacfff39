//! `gavel challenger`: the long-running bot. Settings come from a config file, then
//! `GAVEL_CHALLENGER_*` variables, then these flags (each overriding the one before); the key
//! from `--key-file` or `GAVEL_CHALLENGER_KEY`, never from a flag. See docs/challenger.md.

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use gavel_chain::{Deployment, L1, RetryPolicy, RpcL1, RpcOptions};
use gavel_challenger::{
    Challenger, ChallengerConfig, EvmBase, EvmSource, EvmSourceOptions, HonestSource, Mode,
    ToySource, load_key, telemetry,
};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// What the bot may send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Send nothing; log and count what would be sent.
    Watch,
    /// Only defend honest proposals.
    Defend,
    /// Defend honest proposals and attack dishonest ones.
    Full,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Watch => Mode::Watch,
            ModeArg::Defend => Mode::Defend,
            ModeArg::Full => Mode::Full,
        }
    }
}

#[derive(Debug, Args)]
pub struct ChallengerArgs {
    /// L1 JSON-RPC endpoint (http or https).
    #[arg(long)]
    pub rpc_url: Option<String>,
    /// Deployment file (JSON, as written by the deployment helpers).
    #[arg(long)]
    pub deployment: Option<PathBuf>,
    /// File holding the hex private key to send from (else GAVEL_CHALLENGER_KEY).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// What the bot may send [default: full].
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Config file, TOML (or JSON if it ends in .json).
    #[arg(long, env = "GAVEL_CHALLENGER_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory for the bot's ledger (survives restarts).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Serve Prometheus metrics at this address, e.g. 127.0.0.1:9184.
    #[arg(long)]
    pub metrics_addr: Option<String>,
    /// First L1 block to look for games in.
    #[arg(long)]
    pub start_block: Option<u64>,
    /// Milliseconds between polls.
    #[arg(long)]
    pub poll_interval_ms: Option<u64>,
    /// The honest toy trace length (toy VM games with another length are not played).
    #[arg(long)]
    pub toy_trace_length: Option<u64>,
    /// The L2 genesis file: turns on the EVM source for the deployment's EVM game type.
    #[arg(long)]
    pub genesis: Option<PathBuf>,
    /// A snapshot of the L2 state after some batch: the EVM sync starts there.
    #[arg(long)]
    pub snapshot: Option<PathBuf>,
    /// Poll once and exit (for scripts and checks).
    #[arg(long)]
    pub once: bool,
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The settings: file, then environment, then flags.
fn settings(args: &ChallengerArgs) -> anyhow::Result<ChallengerConfig> {
    let mut config = match &args.config {
        Some(path) => ChallengerConfig::from_file(path)?,
        None => ChallengerConfig::default(),
    };
    config.apply_env(env_var)?;
    if let Some(v) = &args.rpc_url {
        config.rpc_url = Some(v.clone());
    }
    if let Some(v) = &args.deployment {
        config.deployment = Some(v.clone());
    }
    if let Some(v) = &args.key_file {
        config.key_file = Some(v.clone());
    }
    if let Some(v) = args.mode {
        config.mode = v.into();
    }
    if let Some(v) = &args.data_dir {
        config.data_dir = Some(v.clone());
    }
    if let Some(v) = &args.metrics_addr {
        config.metrics_addr = Some(v.clone());
    }
    if let Some(v) = args.start_block {
        config.start_block = v;
    }
    if let Some(v) = args.poll_interval_ms {
        config.poll_interval_ms = v;
    }
    if let Some(v) = args.toy_trace_length {
        config.toy.trace_length = Some(v);
    }
    if let Some(v) = &args.genesis {
        config.evm.genesis = Some(v.clone());
    }
    if let Some(v) = &args.snapshot {
        config.evm.snapshot = Some(v.clone());
    }
    config.validate()?;
    Ok(config)
}

pub fn run(args: ChallengerArgs) -> anyhow::Result<ExitCode> {
    let config = settings(&args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(config, args.once))
}

async fn serve(config: ChallengerConfig, once: bool) -> anyhow::Result<ExitCode> {
    // `validate` guarantees both are set.
    let (Some(url), Some(deployment_path)) = (&config.rpc_url, &config.deployment) else {
        bail!("no RPC URL or deployment file");
    };
    let deployment = Deployment::load(deployment_path)?;
    // Watch mode sends nothing, so it runs without a key if none is given.
    let key = match load_key(config.key_file.as_deref(), env_var) {
        Ok(k) => Some(k),
        Err(_) if config.mode == Mode::Watch && config.key_file.is_none() => None,
        Err(e) => return Err(e.into()),
    };
    let options = RpcOptions {
        request_timeout: Duration::from_secs(config.request_timeout_secs.max(1)),
        receipt_timeout: Duration::from_secs(config.receipt_timeout_secs.max(1)),
        retry: RetryPolicy {
            max_attempts: config.retry_attempts,
            ..RetryPolicy::default()
        },
        ..RpcOptions::default()
    };
    let keys: Vec<String> = key.into_iter().collect();
    let l1 = RpcL1::connect_with(url, &keys, options).await?;
    let operator = L1::accounts(&l1).first().copied().unwrap_or_default();
    if let Some(addr) = &config.metrics_addr {
        telemetry::serve(addr)?;
        tracing::info!(%addr, "metrics endpoint up");
    }
    let l1 = Arc::new(l1);
    let sources = sources(&config, &deployment, &l1)?;
    let bot = Challenger::new(l1, operator, deployment, sources, config).await?;
    if once {
        let report = bot.poll().await?;
        println!(
            "{}",
            serde_json::json!({
                "operator": bot.operator().to_string(),
                "head": report.head,
                "new_games": report.new_games,
                "games_processed": report.games_processed,
                "sent": report.sent,
                "withheld": report.withheld,
                "errors": report.errors,
            })
        );
        return Ok(ExitCode::SUCCESS);
    }
    bot.run(shutdown_signal()).await;
    Ok(ExitCode::SUCCESS)
}

/// The honest sources the settings turn on: the toy VM's, and the EVM inbox sync when a
/// genesis or snapshot is given (it needs the deployment's EVM game type).
pub fn sources<L: L1 + 'static>(
    config: &ChallengerConfig,
    deployment: &Deployment,
    l1: &Arc<L>,
) -> anyhow::Result<Vec<Arc<dyn HonestSource>>> {
    let mut sources: Vec<Arc<dyn HonestSource>> = Vec::new();
    if config.toy.enabled {
        sources.push(Arc::new(ToySource::new(config.toy.trace_length)));
    }
    let evm = &config.evm;
    if evm.genesis.is_some() || evm.snapshot.is_some() {
        let base = EvmBase::from_files(evm.genesis.as_deref(), evm.snapshot.as_deref())?;
        let source = EvmSource::new(
            l1.clone(),
            deployment,
            base,
            EvmSourceOptions {
                start_block: config.start_block,
                cache_dir: config.data_dir.as_ref().map(|d| d.join("evm")),
            },
        )
        .context("setting up the EVM source")?;
        sources.push(Arc::new(source));
    } else if deployment.l2.is_some() {
        tracing::warn!(
            "the deployment has an EVM game type but no --genesis/--snapshot is given: EVM games are not played"
        );
    }
    if sources.is_empty() {
        bail!("no honest source is enabled: the bot could not judge any game");
    }
    Ok(sources)
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
