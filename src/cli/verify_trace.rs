//! `gavel verify-trace`: Ethereum state tests (and gavel batches) through the executor, checked
//! against revm's post-state roots, every (selected) step handed to a step checker.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use clap::Args;
use gavel_verify::driver::{FileStats, batch_paths};
use gavel_verify::statetest::{check_fork, collect_files};
use gavel_verify::{Driver, OnChainChecker, Options};

#[derive(Debug, Args)]
pub struct VerifyTraceArgs {
    /// State-test files or directories (walked recursively for *.json, sorted).
    #[arg(long, num_args = 1.., value_name = "FILE_OR_DIR")]
    pub state_test: Vec<PathBuf>,
    /// A gavel batch: a directory with batch.json and genesis.json, or a batch file.
    #[arg(long, value_name = "DIR_OR_BATCH_FILE")]
    pub batch: Vec<PathBuf>,
    /// The genesis of the --batch files (default: genesis.json next to each batch).
    #[arg(long, value_name = "FILE")]
    pub genesis: Option<PathBuf>,
    /// The fork whose post-states are checked (gavel runs Osaka only).
    #[arg(long, default_value = "Osaka")]
    pub fork: String,
    /// Forged (mutated) witnesses tried per verified step.
    #[arg(long, default_value_t = 0)]
    pub mutate: u32,
    /// At most N steps per transition, spread over it (first, last, evenly between).
    #[arg(long, value_name = "N")]
    pub max_steps: Option<u64>,
    /// Seed of the mutations (unsigned 64-bit integer).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print the summary as one JSON object on the last stdout line.
    #[arg(long)]
    pub json: bool,
}

fn progress(s: &FileStats) {
    eprintln!(
        "{}: txs {}, checked {}, verified {}, unsupported {}, mismatches {}",
        s.file.display(),
        s.txs,
        s.checked,
        s.verified,
        s.unsupported,
        s.mismatches
    );
}

pub fn run(args: VerifyTraceArgs) -> anyhow::Result<ExitCode> {
    check_fork(&args.fork)?;
    if args.state_test.is_empty() && args.batch.is_empty() {
        bail!("nothing to verify: pass --state-test FILE_OR_DIR... and/or --batch DIR_OR_FILE");
    }
    let files = collect_files(&args.state_test)?;
    let batches = args
        .batch
        .iter()
        .map(|b| batch_paths(b, args.genesis.as_deref()))
        .collect::<Result<Vec<_>, _>>()?;
    let options = Options {
        max_steps: args.max_steps,
        mutations: args.mutate,
        seed: args.seed,
        ..Options::default()
    };
    let start = Instant::now();
    let mut driver = Driver::new(OnChainChecker::new()?, options);
    for f in &files {
        progress(driver.run_state_test(f)?);
    }
    for (genesis, batch) in &batches {
        progress(driver.run_batch(genesis, batch)?);
    }
    let report = driver.finish();
    for f in &report.findings {
        eprintln!("MISMATCH {}: {}", f.at, f.what);
    }
    let s = &report.summary;
    eprintln!(
        "files {}, txs {} ({} unsupported), steps {} ({} skipped), verified {}, mismatches {}, \
         mutations {}, forged accepted {} in {:.1}s",
        s.files,
        s.txs,
        s.txs_unsupported.values().sum::<u64>(),
        s.steps,
        s.steps_skipped,
        s.verified,
        s.mismatches,
        s.mutations,
        s.forged_accepted,
        start.elapsed().as_secs_f64()
    );
    for (reason, n) in &s.txs_unsupported {
        eprintln!("  unsupported tx: {reason}: {n}");
    }
    for (reason, n) in &report.steps_unsupported {
        eprintln!("  unverified step: {reason}: {n}");
    }
    if args.json {
        println!("{}", serde_json::to_string(s)?);
    }
    Ok(if s.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
