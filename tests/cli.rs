//! The `gavel` binary: bad input is refused with a clear message and a non-zero exit, and a
//! small fuzz run reports in JSON on its last line.

use std::process::{Command, Output};

fn gavel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(args)
        .output()
        .expect("run gavel")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn unknown_vm_is_refused() {
    let out = gavel(&["fuzz", "--vm", "mips", "--games", "1"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("invalid value 'mips' for '--vm"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn evm_vm_plays_real_batches_and_reports_json() {
    let out = gavel(&[
        "fuzz", "--vm", "evm", "--games", "1", "--seed", "3", "--json", "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().expect("a JSON line");
    let report: serde_json::Value = serde_json::from_str(last).expect("JSON report");
    assert_eq!(report["vm"], "evm");
    assert_eq!(report["games"], 1);
    assert_eq!(report["honest_wins"], 1);
}

#[test]
fn zero_games_is_refused() {
    let out = gavel(&["fuzz", "--vm", "toy", "--games", "0"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--games"), "{}", stderr(&out));
}

#[test]
fn malformed_seed_is_refused() {
    for seed in ["abc", "-1", "18446744073709551616", "1.5"] {
        let out = gavel(&["fuzz", "--vm", "toy", "--games", "1", "--seed", seed]);
        assert!(!out.status.success(), "seed {seed} accepted");
        assert!(stderr(&out).contains("--seed"), "{}", stderr(&out));
    }
}

#[test]
fn too_many_adversaries_is_refused() {
    let out = gavel(&["fuzz", "--games", "1", "--adversaries", "0"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--adversaries"), "{}", stderr(&out));
}

#[test]
fn json_report_is_the_last_line() {
    let out = gavel(&[
        "fuzz", "--vm", "toy", "--games", "4", "--seed", "11", "--json", "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().expect("output");
    let report: serde_json::Value = serde_json::from_str(last).expect("last line is JSON");
    assert_eq!(report["games"], 4);
    assert_eq!(report["honest_wins"], 4);
    assert_eq!(report["honest_bond_losses"], 0);
    assert_eq!(report["seed"], 11);
    assert!(report["moves"].as_u64().unwrap() > 0);
    assert!(
        !report["adversary_strategies"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn replaying_a_game_seed_plays_one_game() {
    let out = gavel(&[
        "fuzz",
        "--game-seed",
        "12345",
        "--games",
        "50",
        "--json",
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(report["games"], 1);
}
