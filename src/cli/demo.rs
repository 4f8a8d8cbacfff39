//! `gavel demo`: one EVM dispute from batch to bonds, end to end.
//!
//! A batch of real signed L2 transactions (transfers and calls into a looping contract) is
//! built and executed; the EVM dispute system is deployed; the sequencer posts the batch to
//! the inbox; a dishonest proposer claims a wrong state root (its trace lies from a step in
//! the middle of a transaction on); the challenger bot — the real `gavel-challenger` poll loop
//! with the EVM inbox-replay source, running as its own task — bisects down to the lie, steps
//! through the on-chain `EvmStepVerifier`, resolves the game and withdraws its winnings.
//!
//! Embedded (default): an in-process L1 (revm), time advanced in process. With `--rpc-url`:
//! a node (a fresh anvil: its dev keys are the default, time via `evm_increaseTime` +
//! `evm_mine`). The last stdout line is JSON; the exit code is non-zero unless the bot won.

use anyhow::{Context, bail};
use clap::Args;
use gavel_chain::evm::l2_of;
use gavel_chain::{
    EvmDeployParams, EvmTrace, FaultDisputeGame, GameStatus, InProcessL1, L1, RpcL1, TimeControl,
    create_evm_game, deploy_evm_system, game, post_batch,
};
use gavel_challenger::harness::{ChainAdversary, Metered, demo_chain};
use gavel_challenger::{
    Challenger, ChallengerConfig, EvmBase, EvmSource, EvmSourceOptions, HonestSource, Mode, Phase,
};
use gavel_game::{GameConfig, Position, Strategy, TraceProvider, honest_root};
use gavel_trace::step::ProofKind;
use gavel_trace::{ExecOptions, Executor, Layout};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// anvil's (and hardhat's) first three dev keys: public test keys, never for real funds.
pub const ANVIL_DEV_KEYS: [&str; 3] = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
];

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Play against this L1 node instead of the in-process one (it must support
    /// `evm_increaseTime` and `evm_mine`, like anvil).
    #[arg(long)]
    pub rpc_url: Option<String>,
    /// With --rpc-url: a file with three hex private keys, one per line (deployer and
    /// sequencer, dishonest proposer, bot) [default: anvil's first three dev keys].
    #[arg(long)]
    pub keys_file: Option<PathBuf>,
    /// The transition the proposer starts lying in [default: the longest transaction].
    #[arg(long)]
    pub lie_transition: Option<u64>,
    /// The step of that transition the lie starts at [default: its middle step].
    #[arg(long)]
    pub lie_step: Option<u64>,
    /// Milliseconds between the bot's polls.
    #[arg(long, default_value_t = 20)]
    pub poll_interval_ms: u64,
}

/// The demo's game: the EVM layout (44 moves to a step) with short clocks.
fn demo_game_config() -> GameConfig {
    GameConfig {
        max_depth: gavel_chain::evm::EVM_MAX_DEPTH as u32,
        split_depth: gavel_chain::evm::EVM_SPLIT_DEPTH as u32,
        ..GameConfig::toy_default()
    }
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        match args.rpc_url.clone() {
            None => {
                let l1 = InProcessL1::with_accounts(3);
                demo(Arc::new(Metered::new(l1)), &args, "in-process").await
            }
            Some(url) => {
                let keys: Vec<String> = match &args.keys_file {
                    Some(path) => std::fs::read_to_string(path)
                        .with_context(|| format!("reading keys file {}", path.display()))?
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(String::from)
                        .collect(),
                    None => ANVIL_DEV_KEYS.iter().map(|k| k.to_string()).collect(),
                };
                if keys.len() < 3 {
                    bail!("the keys file needs three keys (deployer, proposer, bot), one per line");
                }
                let l1 = RpcL1::connect(&url, &keys[..3])
                    .await
                    .with_context(|| format!("connecting to {url}"))?;
                demo(Arc::new(Metered::new(l1)), &args, &url).await
            }
        }
    })
}

fn say(line: impl AsRef<str>) {
    println!("{}", line.as_ref());
}

async fn demo<L: L1 + TimeControl + 'static>(
    l1: Arc<Metered<L>>,
    args: &DemoArgs,
    where_: &str,
) -> anyhow::Result<ExitCode> {
    let accounts = l1.accounts();
    let [deployer, liar, bot_addr] = [accounts[0], accounts[1], accounts[2]];
    for (role, a) in [
        ("deployer", deployer),
        ("proposer", liar),
        ("bot", bot_addr),
    ] {
        if l1.balance(a).await?.is_zero() {
            bail!(
                "the {role} account {a} has no ETH on this chain: give funded keys (--keys-file)"
            );
        }
    }
    let config = demo_game_config();
    let layout = Layout::new(config.split_depth, config.max_depth)?;

    // The L2: genesis and one batch of real signed transactions, executed.
    let (genesis, batch) = demo_chain(1).map_err(anyhow::Error::msg)?;
    let pre = genesis.prestate()?;
    let exec = Executor::run(
        pre.clone(),
        batch.clone(),
        ExecOptions {
            layout,
            ..ExecOptions::default()
        },
    )
    .context("executing the demo batch")?;
    let txs: usize = batch.blocks().iter().map(|b| b.txs.len()).sum();
    say(format!(
        "L2 batch: {} blocks, {txs} signed transactions, {} transitions, {} steps in all",
        batch.blocks().len(),
        exec.transitions().len(),
        exec.transitions().iter().map(|t| t.steps).sum::<u64>()
    ));

    // L1: the dispute system, the batch in the inbox.
    say(format!("L1: {where_}"));
    let params = EvmDeployParams::new(&pre, deployer).with_config(&config);
    let deployment = deploy_evm_system(l1.as_ref(), deployer, &params)
        .await
        .context("deploying the EVM dispute system")?;
    let l2 = l2_of(&deployment)?.clone();
    say(format!(
        "deployed: factory {}, inbox {}, step verifier {}",
        deployment.factory, l2.inbox, l2.step_verifier.verifier
    ));
    let posted = post_batch(l1.as_ref(), deployer, l2.inbox, &batch)
        .await
        .context("posting the batch")?;
    say(format!(
        "sequencer posted batch {} (commitment {}), {} gas",
        posted.number, posted.commitment, posted.receipt.gas_used
    ));
    let setup_txs = l1.sent().len();

    // The dishonest proposer: lies from a step inside a transaction on.
    let honest = EvmTrace::new(exec);
    let transitions = honest.executor().transitions();
    let j = match args.lie_transition {
        Some(j) => j,
        None => transitions
            .iter()
            .enumerate()
            .max_by_key(|(_, t)| t.steps)
            .map(|(j, _)| j as u64)
            .unwrap_or(0),
    };
    let steps = transitions.get(j as usize).map_or(0, |t| t.steps);
    let k = args.lie_step.unwrap_or(steps / 2);
    let divergence = honest.trace_index(j, k);
    let lying = Arc::new(honest.dishonest(j, k, alloy_primitives::B256::repeat_byte(0x5a)));
    let root = honest_root(lying.as_ref(), config.max_depth)?;
    let game_addr = create_evm_game(
        l1.as_ref(),
        liar,
        &deployment,
        posted.number,
        root,
        &l2.genesis.boundary,
    )
    .await
    .context("creating the game")?;
    say(format!(
        "dishonest proposer {liar} claims root {root} (honest: {}), lying from transition {j} step {k} (trace index {divergence})",
        honest.final_claim()
    ));
    say(format!("game {game_addr}"));

    // The bot: the real poll loop with the EVM source, as its own task.
    let source = EvmSource::new(
        l1.clone(),
        &deployment,
        EvmBase::Genesis(genesis),
        EvmSourceOptions::default(),
    )?;
    let sources: Vec<Arc<dyn HonestSource>> = vec![Arc::new(source)];
    let bot_config = ChallengerConfig {
        mode: Mode::Full,
        poll_interval_ms: args.poll_interval_ms.max(1),
        ..ChallengerConfig::default()
    };
    let bot = Challenger::new(
        l1.clone(),
        bot_addr,
        deployment.clone(),
        sources,
        bot_config,
    )
    .await
    .context("starting the bot")?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let runner = {
        let bot = bot.clone();
        tokio::spawn(async move {
            bot.run(async {
                let _ = stop_rx.await;
            })
            .await
        })
    };
    let result = play(&l1, &bot, game_addr, liar, lying, &honest, &config).await;
    let _ = stop_tx.send(());
    let _ = runner.await;
    let status = result?;

    // Report.
    let view = game::read_game(l1.as_ref(), game_addr).await?;
    say("bisection path (depth, position index, trace index, who):");
    let who = |a: alloy_primitives::Address| {
        if a == liar {
            "proposer (dishonest)"
        } else if a == bot_addr {
            "bot"
        } else {
            "other"
        }
    };
    for c in &view.claims {
        let p = Position(c.position);
        say(format!(
            "  #{:<3} depth {:>2}  index {:>14}  trace index {:>14}  {}{}",
            c.index,
            p.depth(),
            p.index_at_depth(),
            p.trace_index(config.max_depth),
            who(c.claimant),
            match c.countered_by {
                Some(by) => format!("  (countered by {})", who(by)),
                None => String::new(),
            }
        ));
    }
    let proof = honest.executor().step_proof(divergence)?;
    let step_kind = match proof.kind {
        ProofKind::Opcode { opcode } => {
            format!("opcode {}", gavel_trace::opcodes::info(opcode).name)
        }
        other => format!("{other:?}"),
    };
    let sent = l1.sent();
    let step_selector = <FaultDisputeGame::stepCall as alloy_sol_types::SolCall>::SELECTOR;
    let step_gas: u64 = sent
        .iter()
        .filter(|t| t.to == Some(game_addr) && t.selector == step_selector)
        .map(|t| t.gas_used)
        .sum();
    let game_txs: Vec<_> = sent.iter().skip(setup_txs).collect();
    let l1_gas_total: u64 = sent.iter().map(|t| t.gas_used).sum();
    let game_gas: u64 = game_txs.iter().map(|t| t.gas_used).sum();
    let moves = view.claims.len().saturating_sub(1);
    let bot_moves = view
        .claims
        .iter()
        .filter(|c| c.claimant == bot_addr)
        .count();
    let rec = bot.state().games.get(&game_addr).cloned();
    say(format!(
        "step at trace index {divergence} (transition {j}, step {k}: {step_kind}): {step_gas} gas"
    ));
    say(format!(
        "{moves} moves ({bot_moves} by the bot), L1 gas: {game_gas} for the game, {l1_gas_total} in all (with deployment)"
    ));
    let status_name = match status {
        GameStatus::ChallengerWins => "CHALLENGER_WINS",
        GameStatus::DefenderWins => "DEFENDER_WINS",
        GameStatus::InProgress => "IN_PROGRESS",
    };
    let json = serde_json::json!({
        "status": status_name,
        "game": game_addr.to_string(),
        "l1": where_,
        "moves": moves,
        "bot_moves": bot_moves,
        "max_depth": config.max_depth,
        "split_depth": config.split_depth,
        "step_trace_index": divergence,
        "step_transition": j,
        "step_in_transition": k,
        "step_kind": step_kind,
        "step_gas": step_gas,
        "game_gas": game_gas,
        "l1_gas_total": l1_gas_total,
        "post_batch_gas": posted.receipt.gas_used,
        "bot_credit_claimed_wei": rec.as_ref().map(|r| r.credit_claimed.to_string()),
        "bot_bonds_posted_wei": rec.as_ref().map(|r| r.bonds_posted.to_string()),
    });
    say(json.to_string());
    Ok(if status == GameStatus::ChallengerWins {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The game from creation to withdrawn bonds: the liar answers every bot move (5 s of chain
/// time per round) until the bot steps, then the clocks run out and the bot resolves and
/// claims. Returns the final status.
async fn play<L: L1 + TimeControl + 'static>(
    l1: &Arc<Metered<L>>,
    bot: &Challenger<Metered<L>>,
    game_addr: alloy_primitives::Address,
    liar: alloy_primitives::Address,
    lying: Arc<gavel_chain::DishonestEvmTrace>,
    honest: &EvmTrace,
    config: &GameConfig,
) -> anyhow::Result<GameStatus> {
    let mut adversary = ChainAdversary::new(&Strategy::ConsistentLiar, liar, 1, lying);
    let stepped = || {
        bot.state()
            .games
            .get(&game_addr)
            .is_some_and(|r| r.steps > 0)
    };
    let timeout = Duration::from_secs(120);
    for _round in 0..(3 * config.max_depth) {
        // Wait for the bot's answer: its claim is the newest, or it stepped.
        let start = Instant::now();
        loop {
            if stepped() {
                break;
            }
            if let Ok(v) = game::read_game(l1.as_ref(), game_addr).await
                && v.claims
                    .last()
                    .is_some_and(|c| c.claimant == bot.operator())
            {
                break;
            }
            if start.elapsed() > timeout {
                bail!("the bot did not answer within {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        if stepped() {
            break;
        }
        adversary
            .act(l1.as_ref(), game_addr, honest as &dyn TraceProvider)
            .await;
        l1.advance_time(5).await?;
    }
    if !stepped() {
        bail!("the bot never stepped");
    }
    // Clocks out: the bot resolves; then the withdrawal delay: the bot claims its credit.
    l1.advance_time(config.max_clock_duration + 1).await?;
    let start = Instant::now();
    let status = loop {
        let v = game::read_game(l1.as_ref(), game_addr).await?;
        if v.status != GameStatus::InProgress {
            break v.status;
        }
        if start.elapsed() > timeout {
            bail!("the bot did not resolve the game within {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    l1.advance_time(config.withdrawal_delay + 1).await?;
    let start = Instant::now();
    while !bot
        .state()
        .games
        .get(&game_addr)
        .is_some_and(|r| matches!(r.phase, Phase::Finished { .. }))
    {
        if start.elapsed() > timeout {
            bail!("the bot did not withdraw its credit within {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(status)
}
