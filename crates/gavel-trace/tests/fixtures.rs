//! The committed example batches in `fixtures/batches/<name>/`: `genesis.json` and `batch.json`
//! are generated from `common::all()`, `expected.json` is what the executor makes of the
//! committed files (transition kinds, step counts, boundaries, world roots). The test fails when
//! any of them drifts; `GAVEL_BLESS=1 cargo test -p gavel-trace --test fixtures` rewrites them.

mod common;

use std::path::PathBuf;

use gavel_trace::executor::{Outcome, TxOutcome, TxStatus};
use gavel_trace::{Batch, ExecOptions, Executor, Genesis, Layout, SnapshotPolicy};
use serde_json::{Value, json};

fn dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/batches")
        .join(name)
}

fn bless() -> bool {
    std::env::var("GAVEL_BLESS").is_ok_and(|v| v == "1")
}

/// Compare `text` with the committed file, or write it when blessing.
fn check(path: &PathBuf, text: &str) {
    if bless() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (generate with GAVEL_BLESS=1)", path.display()));
    assert!(
        committed == text,
        "{} drifted from what the code produces; if the change is intended, run \
         GAVEL_BLESS=1 cargo test -p gavel-trace --test fixtures",
        path.display()
    );
}

fn outcome(o: &Outcome) -> Value {
    match o {
        Outcome::BlockStart => json!("block start"),
        Outcome::BlockEnd { hash } => json!({ "blockHash": hash }),
        Outcome::Tx(TxOutcome::Skipped { reason }) => json!({ "skipped": reason }),
        Outcome::Tx(TxOutcome::Executed {
            status,
            gas_used,
            access_list_items,
            opcode_steps,
        }) => json!({
            "status": match status {
                TxStatus::Success => "success".to_string(),
                TxStatus::Revert => "revert".to_string(),
                TxStatus::Halt(r) => format!("halt: {r}"),
            },
            "gasUsed": gas_used,
            "accessListItems": access_list_items,
            "opcodeSteps": opcode_steps,
        }),
    }
}

fn expected(genesis: &Genesis, ex: &Executor) -> String {
    let l = ex.layout();
    let transitions: Vec<Value> = ex
        .transitions()
        .iter()
        .map(|t| {
            json!({
                "kind": t.kind.to_string(),
                "steps": t.steps,
                "worldRoot": t.boundary.world_root,
                "boundary": t.boundary.hash(),
                "outcome": outcome(&t.outcome),
            })
        })
        .collect();
    let v = json!({
        "layout": { "splitDepth": l.split_depth(), "maxDepth": l.max_depth() },
        "chainConfig": genesis.config_hash(),
        "genesisWorldRoot": ex.prestate().world_root,
        "batch": ex.prestate().batch,
        "prestate": ex.prestate().hash(),
        "transitions": transitions,
        "final": ex.final_boundary().hash(),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap();
    s.push('\n');
    s
}

#[test]
fn fixture_batches_match_their_generators_and_their_golden_traces() {
    for s in common::all() {
        let d = dir(s.name);
        check(&d.join("genesis.json"), &s.genesis.to_json());
        check(&d.join("batch.json"), &s.batch.to_json());

        // From here on only the committed files are used: they must run on their own.
        let genesis = Genesis::from_file(d.join("genesis.json")).unwrap();
        let batch = Batch::from_file(d.join("batch.json"), genesis.config.chain_id).unwrap();
        assert_eq!(batch.commitment(), s.batch.commitment(), "{}", s.name);
        let run = Executor::run(
            genesis.prestate().unwrap(),
            batch,
            ExecOptions {
                layout: Layout::EVM,
                ..ExecOptions::default()
            },
        );
        let ex = run.unwrap_or_else(|e| panic!("{}: {e}", s.name));
        check(&d.join("expected.json"), &expected(&genesis, &ex));
    }
}

#[test]
fn execution_is_deterministic_across_runs_and_snapshot_policies() {
    for s in common::executable() {
        let runs: Vec<Vec<_>> = [
            SnapshotPolicy::EveryTransitions(1),
            SnapshotPolicy::EveryChanges(3),
            SnapshotPolicy::PrestateOnly,
        ]
        .into_iter()
        .map(|snapshots| {
            let ex = Executor::run(
                s.genesis.prestate().unwrap(),
                s.batch.clone(),
                ExecOptions {
                    layout: Layout::EVM,
                    snapshots,
                },
            )
            .unwrap();
            ex.transitions().to_vec()
        })
        .collect();
        assert!(runs.windows(2).all(|w| w[0] == w[1]), "{}", s.name);
    }
}
