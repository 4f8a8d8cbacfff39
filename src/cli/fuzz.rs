//! `gavel fuzz`: many random games on an in-process L1, with a report.

use anyhow::Context;
use clap::{Args, ValueEnum};
use gavel_fuzz::{FuzzConfig, FuzzReport};
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::Instant;

/// Which VM the fuzzed games dispute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Vm {
    /// The toy counter VM (docs/protocol.md §10).
    Toy,
    /// Real EVM batches through the deployed EvmStepVerifier (docs/fuzzing.md).
    Evm,
}

#[derive(Debug, Args)]
pub struct FuzzArgs {
    /// VM whose traces are disputed.
    #[arg(long, value_enum, default_value = "toy")]
    pub vm: Vm,
    /// Number of games to play (at least 1).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    pub games: u64,
    /// Run seed (unsigned 64-bit integer); every game's seed derives from it.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub seed: u64,
    /// Maximum adversaries per game (each game draws 1..=K).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=16))]
    pub adversaries: u64,
    /// Replay the single game with this game seed (printed by a failing run).
    #[arg(long)]
    pub game_seed: Option<u64>,
    /// Print the report as one JSON object on the last line.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

pub fn run(args: FuzzArgs) -> anyhow::Result<ExitCode> {
    let mut config = match args.vm {
        Vm::Toy => FuzzConfig::toy(args.seed, args.games),
        Vm::Evm => FuzzConfig::evm(args.seed, args.games),
    };
    config.max_adversaries = usize::try_from(args.adversaries).context("--adversaries")?;
    if let Some(game_seed) = args.game_seed {
        config.single_game_seed = Some(game_seed);
        config.games = 1;
    }

    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(config.games);
        bar.set_style(
            ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} games {msg}")
                .context("progress bar template")?
                .progress_chars("=> "),
        );
        bar
    };
    let started = Instant::now();
    let report = gavel_fuzz::run(&config, |_, game| {
        bar.inc(1);
        if !game.is_clean() {
            bar.println(format!(
                "game seed {} FAILED: {}",
                game.scenario.game_seed,
                game.violations.join("; ")
            ));
        }
    })
    .context("fuzz run aborted")?;
    bar.finish_and_clear();
    let mut report: FuzzReport = report;
    report.finish(started.elapsed().as_secs_f64());

    println!("{report}");
    for failure in &report.failures {
        println!(
            "FAILED game #{} — reproduce with: gavel fuzz --vm {} --game-seed {} --adversaries {}\n  scenario: {}\n  {}",
            failure.index,
            config.vm.name(),
            failure.game_seed,
            args.adversaries,
            serde_json::to_string(&failure.scenario)?,
            failure.violations.join("\n  ")
        );
    }
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
