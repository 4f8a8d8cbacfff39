//! The driver with a test checker: which steps it hands over, how verdicts add up in the
//! summary, and the witness mutation function.

use std::path::PathBuf;

use gavel_trace::Executor;
use gavel_verify::driver::batch_paths;
use gavel_verify::{Driver, Error, Options, StepChecker, StepVerdict, Summary, mutate};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Verifies every step, "tries" each mutation of the step's boundary hash, and accepts a forgery
/// when told to.
#[derive(Default)]
struct Recorder {
    seen: Vec<u64>,
    forged_accepted_at: Option<u64>,
}

impl StepChecker for Recorder {
    fn check(
        &mut self,
        exec: &Executor,
        trace_index: u64,
        mutations: u32,
        rng: &mut dyn RngCore,
    ) -> Result<StepVerdict, Error> {
        self.seen.push(trace_index);
        let (j, _) = exec.layout().locate(trace_index);
        let witness = exec.transitions()[j as usize].boundary.hash();
        for _ in 0..mutations {
            assert_ne!(mutate(witness.as_slice(), rng), witness.as_slice());
        }
        let forged = u32::from(self.forged_accepted_at == Some(trace_index));
        Ok(StepVerdict {
            verified: true,
            mutations,
            forged_accepted: forged,
            ..StepVerdict::default()
        })
    }
}

fn eest(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/eest/state_tests")
        .join(rel)
}

#[test]
fn every_step_of_every_transition_is_handed_over() {
    let mut d = Driver::new(Recorder::default(), Options::default());
    let stats = d
        .run_state_test(&eest("istanbul/eip1344_chainid/test_chainid.json"))
        .unwrap()
        .clone();
    // Five Osaka entries, three of them plain legacy/typed calls gavel runs; two are EIP-7702.
    assert_eq!((stats.txs, stats.checked), (5, 3));
    let report = d.report().clone();
    let s = &report.summary;
    assert_eq!(s.verified, s.steps);
    assert_eq!(s.steps_skipped, 0);
    assert_eq!(stats.verified, s.steps);
    // Block start (1 step), the transaction (start, opcodes, end), block end (1 step).
    assert!(s.steps > 4, "{s:?}");
}

#[test]
fn max_steps_bounds_each_transition_and_counts_the_rest_as_skipped() {
    let opts = Options {
        max_steps: Some(3),
        mutations: 2,
        ..Options::default()
    };
    let mut d = Driver::new(Recorder::default(), opts);
    d.run_state_test(&eest("istanbul/eip1344_chainid/test_chainid.json"))
        .unwrap();
    let s = d.finish().summary;
    // Three executed cases of three transitions each: 1 + 3 + 1 verified per case.
    assert_eq!(s.verified, 15);
    assert_eq!(s.steps_skipped, s.steps - 15);
    assert_eq!(s.mutations, 30);
    assert!(s.ok());
}

#[test]
fn an_accepted_forgery_fails_the_run() {
    let checker = Recorder {
        forged_accepted_at: Some(0),
        ..Recorder::default()
    };
    let mut d = Driver::new(checker, Options::default());
    d.run_state_test(&eest("istanbul/eip1344_chainid/test_chainid.json"))
        .unwrap();
    let r = d.finish();
    // Trace index 0 (block start) of each of the three executed cases.
    assert_eq!(r.summary.forged_accepted, 3);
    assert!(!r.summary.ok());
    assert_eq!(r.findings.len(), 3);
}

#[test]
fn gavel_batches_run_from_their_directory() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/batches/transfers");
    let (g, b) = batch_paths(&dir, None).unwrap();
    let mut d = Driver::new(Recorder::default(), Options::default());
    let stats = d.run_batch(&g, &b).unwrap().clone();
    assert!(stats.txs > 0);
    let s = d.finish().summary;
    assert_eq!((s.files, s.txs), (1, stats.txs));
    assert_eq!(s.verified, s.steps);
}

#[test]
fn the_summary_has_exactly_the_documented_fields() {
    let v = serde_json::to_value(Summary::default()).unwrap();
    let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "files",
            "forged_accepted",
            "mismatches",
            "mutations",
            "steps",
            "steps_skipped",
            "txs",
            "txs_unsupported",
            "verified"
        ]
    );
}

#[test]
fn mutation_is_deterministic_per_seed_and_always_changes_the_witness() {
    let word = [7u8; 32];
    let witnesses: Vec<Vec<u8>> = vec![
        vec![],
        vec![0],
        vec![1, 2, 3],
        word.repeat(2),
        (0..=255).collect(),
    ];
    for seed in 0..200u64 {
        for w in &witnesses {
            let a = mutate(w, &mut ChaCha8Rng::seed_from_u64(seed));
            let b = mutate(w, &mut ChaCha8Rng::seed_from_u64(seed));
            assert_eq!(a, b, "seed {seed}");
            assert_ne!(&a, w, "seed {seed} left {w:?} unchanged");
        }
    }
    // Different seeds give different forgeries.
    let w: Vec<u8> = (0..=255).collect();
    let distinct: std::collections::BTreeSet<Vec<u8>> = (0..50u64)
        .map(|s| mutate(&w, &mut ChaCha8Rng::seed_from_u64(s)))
        .collect();
    assert!(distinct.len() > 40);
}
