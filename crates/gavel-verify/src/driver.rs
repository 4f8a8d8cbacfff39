//! The `verify-trace` driver: files → cases → executor → revm check → per-step verification,
//! aggregated into a [`Summary`].
//!
//! Per-step verification (an off-chain prover and the on-chain step verifier) plugs in through
//! [`StepChecker`]; the driver decides which steps to check ([`crate::select_steps`]) and hands
//! the checker the executed batch, the step's trace index, how many forged witnesses to try
//! ([`crate::mutate`]) and a seeded random generator.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alloy_primitives::keccak256;
use gavel_trace::{Batch, ExecOptions, Executor, Genesis};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::check::{Verdict, check_case};
use crate::select::select_steps;
use crate::statetest;
use crate::unsupported;

/// What a checker says about one step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepVerdict {
    /// The honest witness was accepted and its post-state matches the executor's.
    pub verified: bool,
    /// What went wrong with the honest step (rejected, wrong post-state).
    pub mismatch: Option<String>,
    /// Forged witnesses tried.
    pub mutations: u32,
    /// Forged witnesses the verifier accepted (each one a soundness bug).
    pub forged_accepted: u32,
    /// Why the step could not be checked (a stable counter key), if it could not.
    pub unsupported: Option<String>,
}

impl StepVerdict {
    /// A step the checker cannot handle.
    pub fn unsupported(reason: impl Into<String>) -> Self {
        Self {
            unsupported: Some(reason.into()),
            ..Self::default()
        }
    }
}

/// Verifies single steps of an executed batch (the seam for the prover and the on-chain step
/// verifier).
pub trait StepChecker {
    /// Check step `trace_index` of `exec`: prove it, verify the honest witness, then verify
    /// `mutations` forged witnesses (from [`crate::mutate`] with `rng`), which must all be
    /// rejected. `Err` means the checker itself broke, not that the step is wrong.
    fn check(
        &mut self,
        exec: &Executor,
        trace_index: u64,
        mutations: u32,
        rng: &mut dyn RngCore,
    ) -> Result<StepVerdict, Error>;

    /// Called before the steps `steps` (offsets) of transition `j` are checked, so a checker
    /// can prove them together (one replay of the transition instead of one per step).
    fn prepare(&mut self, _exec: &Executor, _j: u64, _steps: &[u64]) -> Result<(), Error> {
        Ok(())
    }
}

/// Steps proven together: bounds what a checker holds in memory for one long transition.
const PREPARE_CHUNK: usize = 4096;

/// Driver settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// At most this many steps per transition (spread over it); `None`: every step.
    pub max_steps: Option<u64>,
    /// Forged witnesses per verified step.
    pub mutations: u32,
    /// Seed of the per-case random generators.
    pub seed: u64,
    /// Executor settings.
    pub exec: ExecOptions,
}

/// The totals of a run (the `--json` line).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Files read (state-test files and batch files).
    pub files: u64,
    /// Transactions (state-test Osaka entries, batch transactions).
    pub txs: u64,
    /// Transactions that could not be checked, by reason.
    pub txs_unsupported: BTreeMap<String, u64>,
    /// Steps of the executed transitions of the checked transactions' batches.
    pub steps: u64,
    /// Steps not verified: not selected by `--max-steps`, or unsupported by the checker.
    pub steps_skipped: u64,
    /// Steps the checker verified.
    pub verified: u64,
    /// Disagreements: revm post-state checks and step checks.
    pub mismatches: u64,
    /// Forged witnesses tried.
    pub mutations: u64,
    /// Forged witnesses accepted.
    pub forged_accepted: u64,
}

impl Summary {
    /// Whether the run found nothing wrong.
    pub fn ok(&self) -> bool {
        self.mismatches == 0 && self.forged_accepted == 0
    }
}

/// Per-file counts (for progress lines and corpus selection).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileStats {
    /// The file.
    pub file: PathBuf,
    /// Transactions.
    pub txs: u64,
    /// Transactions whose revm post-state check passed.
    pub checked: u64,
    /// Steps verified.
    pub verified: u64,
    /// Transactions unsupported.
    pub unsupported: u64,
    /// Mismatches.
    pub mismatches: u64,
}

/// A disagreement, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `file test[index]` or the batch file, plus the trace index for step findings.
    pub at: String,
    /// What.
    pub what: String,
}

/// Everything a run produced.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The totals.
    pub summary: Summary,
    /// Every mismatch and accepted forgery.
    pub findings: Vec<Finding>,
    /// Steps the checker could not handle, by reason.
    pub steps_unsupported: BTreeMap<String, u64>,
    /// Per-file counts, in run order.
    pub files: Vec<FileStats>,
}

/// Runs files through the executor and a [`StepChecker`] (see the module docs).
pub struct Driver<C> {
    checker: C,
    options: Options,
    report: Report,
}

impl<C: StepChecker> Driver<C> {
    /// A driver with `checker` and `options`.
    pub fn new(checker: C, options: Options) -> Self {
        Self {
            checker,
            options,
            report: Report::default(),
        }
    }

    /// The report so far.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The final report.
    pub fn finish(self) -> Report {
        self.report
    }

    /// Run every Osaka case of a state-test file; returns the file's counts.
    pub fn run_state_test(&mut self, file: &Path) -> Result<&FileStats, Error> {
        let cases = statetest::load_file(file)?;
        let mut stats = FileStats {
            file: file.to_owned(),
            ..FileStats::default()
        };
        for case in &cases {
            stats.txs += 1;
            let checked = check_case(case, self.options.exec);
            match checked.verdict {
                Verdict::Unsupported(u) => {
                    stats.unsupported += 1;
                    self.unsupported(&u.reason, 1);
                }
                Verdict::Mismatch(what) => {
                    stats.mismatches += 1;
                    self.finding(case.name(), what);
                }
                Verdict::Passed => {
                    stats.checked += 1;
                    if let Some(ex) = &checked.executor {
                        let label = format!("{} {}", case.test, case.index);
                        let s = self.walk(ex, &case.name(), &label)?;
                        stats.verified += s.0;
                        stats.mismatches += s.1;
                    }
                }
            }
        }
        self.report.summary.txs += stats.txs;
        Ok(self.push(stats))
    }

    /// Run a gavel batch file from its genesis and walk its steps (no revm ground truth: the
    /// batch has no expected post-state). A refusal makes every transaction unsupported.
    pub fn run_batch(&mut self, genesis: &Path, batch: &Path) -> Result<&FileStats, Error> {
        let g = Genesis::from_file(genesis)?;
        let b = Batch::from_file(batch, g.config.chain_id)?;
        let txs = b.blocks().iter().map(|b| b.txs.len() as u64).sum();
        let mut stats = FileStats {
            file: batch.to_owned(),
            txs,
            ..FileStats::default()
        };
        self.report.summary.txs += txs;
        match Executor::run(g.prestate()?, b, self.options.exec) {
            Err(e) => {
                stats.unsupported = txs;
                self.unsupported(&unsupported::exec_error(&e).reason, txs);
            }
            Ok(ex) => {
                let name = batch.display().to_string();
                let label = batch
                    .file_name()
                    .map_or(name.clone(), |n| n.to_string_lossy().into());
                let s = self.walk(&ex, &name, &label)?;
                stats.verified = s.0;
                stats.mismatches = s.1;
            }
        }
        Ok(self.push(stats))
    }

    fn push(&mut self, stats: FileStats) -> &FileStats {
        self.report.summary.files += 1;
        self.report.files.push(stats);
        self.report.files.last().expect("just pushed")
    }

    fn unsupported(&mut self, reason: &str, n: u64) {
        *self
            .report
            .summary
            .txs_unsupported
            .entry(reason.to_owned())
            .or_default() += n;
    }

    fn finding(&mut self, at: String, what: String) {
        self.report.summary.mismatches += 1;
        self.report.findings.push(Finding { at, what });
    }

    /// Walk the selected steps of every transition of `ex`; returns (verified, mismatches).
    fn walk(&mut self, ex: &Executor, name: &str, label: &str) -> Result<(u64, u64), Error> {
        let mut rng = case_rng(self.options.seed, label);
        let layout = ex.layout();
        let (mut verified, mut mismatches) = (0, 0);
        for (j, t) in ex.transitions().iter().enumerate() {
            let selected = select_steps(t.steps, self.options.max_steps);
            let s = &mut self.report.summary;
            s.steps += t.steps;
            s.steps_skipped += t.steps - selected.len() as u64;
            for chunk in selected.chunks(PREPARE_CHUNK) {
                self.checker.prepare(ex, j as u64, chunk)?;
                for &k in chunk {
                    let ti = layout.trace_index(j as u64, k);
                    let v = self
                        .checker
                        .check(ex, ti, self.options.mutations, &mut rng)?;
                    let s = &mut self.report.summary;
                    s.mutations += u64::from(v.mutations);
                    s.forged_accepted += u64::from(v.forged_accepted);
                    if v.forged_accepted > 0 {
                        self.report.findings.push(Finding {
                            at: format!("{name} trace index {ti}"),
                            what: format!("{} forged witness(es) accepted", v.forged_accepted),
                        });
                    }
                    if let Some(what) = v.mismatch {
                        mismatches += 1;
                        self.finding(format!("{name} trace index {ti}"), what);
                    } else if let Some(reason) = v.unsupported {
                        self.report.summary.steps_skipped += 1;
                        *self.report.steps_unsupported.entry(reason).or_default() += 1;
                    } else if v.verified {
                        verified += 1;
                        self.report.summary.verified += 1;
                    }
                }
            }
        }
        Ok((verified, mismatches))
    }
}

/// The generator for one case: seeded from the run's seed and the case's label, so a case's
/// forgeries do not depend on which other cases ran.
fn case_rng(seed: u64, label: &str) -> ChaCha8Rng {
    let h = keccak256([&seed.to_be_bytes()[..], label.as_bytes()].concat());
    ChaCha8Rng::from_seed(h.0)
}

/// Where a `--batch` argument's files are: a directory holds `batch.json` and `genesis.json`;
/// a file is the batch, with `genesis.json` next to it unless `genesis` names one.
pub fn batch_paths(path: &Path, genesis: Option<&Path>) -> Result<(PathBuf, PathBuf), Error> {
    let bad = |file: &Path, message: &str| Error::BatchPath {
        file: file.to_owned(),
        message: message.to_owned(),
    };
    let (batch, dir) = if path.is_dir() {
        (path.join("batch.json"), path.to_owned())
    } else {
        let dir = path.parent().map_or_else(PathBuf::new, Path::to_owned);
        (path.to_owned(), dir)
    };
    if !batch.is_file() {
        return Err(bad(&batch, "no such batch file"));
    }
    let genesis = genesis.map_or_else(|| dir.join("genesis.json"), Path::to_owned);
    if !genesis.is_file() {
        return Err(bad(
            &genesis,
            "no such genesis file (pass --genesis FILE or put genesis.json next to the batch)",
        ));
    }
    Ok((genesis, batch))
}
