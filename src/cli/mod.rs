//! Argument parsing and dispatch for the `gavel` binary.

mod challenger;
mod demo;
mod deploy;
mod fuzz;
mod propose;
mod verify_trace;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// gavel: fraud-proof dispute games for EVM rollups.
#[derive(Debug, Parser)]
#[command(name = "gavel", version, about)]
pub struct Cli {
    /// More log output (repeat for more); logs go to stderr. RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One EVM dispute end to end: a batch of real transactions, a dishonest proposer, the
    /// challenger bot bisecting to the lie and winning with one on-chain step.
    Demo(demo::DemoArgs),
    /// Play many random dispute games on an in-process L1 and check that the honest side
    /// always wins.
    Fuzz(fuzz::FuzzArgs),
    /// Run Ethereum state tests (and gavel batches) through the executor: check the post-state
    /// roots against revm's, and hand every selected step to the step verifier.
    VerifyTrace(verify_trace::VerifyTraceArgs),
    /// Run the challenger bot: watch every dispute game, defend honest proposals, attack
    /// dishonest ones, resolve and claim bonds (docs/challenger.md).
    Challenger(challenger::ChallengerArgs),
    /// Deploy the EVM dispute system for an L2 genesis; write the deployment file.
    Deploy(deploy::DeployArgs),
    /// Propose a state root (EVM: post --batch and propose over it; toy VM: a toy root),
    /// honest or lying from a chosen step: a test and demo helper.
    Propose(propose::ProposeArgs),
}

/// Sets up logging to stderr.
pub fn init_tracing(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Deploy(args) => deploy::run(args),
        Command::Fuzz(args) => fuzz::run(args),
        Command::VerifyTrace(args) => verify_trace::run(args),
        Command::Challenger(args) => challenger::run(args),
        Command::Propose(args) => propose::run(args),
    }
}
