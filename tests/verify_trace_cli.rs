//! `gavel verify-trace`: exit codes (0 clean, 1 on a mismatch, 2 on bad input) and the summary
//! as the last stdout line with `--json`.

use std::path::PathBuf;
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

fn last_json(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().expect("a last line");
    serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {last}"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chainid_test() -> PathBuf {
    root().join("fixtures/eest/state_tests/istanbul/eip1344_chainid/test_chainid.json")
}

fn registrar_test() -> PathBuf {
    root().join(
        "fixtures/eest/state_tests/static/state_tests/stSystemOperationsTest/\
         CallToNameRegistratorAddressTooBigLeft.json",
    )
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("verify-trace-{name}"));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn the_committed_corpus_passes_with_a_json_summary() {
    let dir = root().join("fixtures/eest");
    let out = gavel(&[
        "verify-trace",
        "--state-test",
        dir.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = last_json(&out);
    assert_eq!(s["files"], 52);
    assert_eq!(s["txs"], 76);
    assert_eq!(s["mismatches"], 0);
    assert_eq!(s["forged_accepted"], 0);
    assert_eq!(s["txs_unsupported"]["contract creation"], 1);
    // Every step of every supported transaction goes through the on-chain verifier.
    assert!(s["verified"].as_u64().unwrap() > 1000, "{s}");
    assert_eq!(s["steps_skipped"], 0);
    assert_eq!(s["verified"], s["steps"]);
    assert!(
        stderr(&out).contains("CallToNameRegistratorAddressTooBigLeft.json: txs 1, checked 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_tampered_post_root_exits_1() {
    let text = std::fs::read_to_string(registrar_test()).unwrap();
    // The post-state root of the file's one supported case (the Cancun and Prague entries
    // carry the same root, but only Osaka entries are checked).
    let good = "0xeeaed21690fc26e00b3bd46ab5e43f8c903ba4b445b14c4119cece8fdb0f10bb";
    assert!(text.contains(good));
    let bad = tmp(
        "tampered.json",
        &text.replace(good, &format!("{}00", &good[..good.len() - 2])),
    );
    let out = gavel(&[
        "verify-trace",
        "--state-test",
        bad.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(last_json(&out)["mismatches"], 1);
    assert!(stderr(&out).contains("MISMATCH"), "{}", stderr(&out));
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let bad = tmp("bad.json", "{ not json");
    let out = gavel(&["verify-trace", "--state-test", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(bad.to_str().unwrap()),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("malformed state-test JSON"));

    let out = gavel(&["verify-trace", "--state-test", "/nonexistent/x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/x.json"),
        "{}",
        stderr(&out)
    );

    let out = gavel(&["verify-trace"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing to verify"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn forks_other_than_osaka_are_refused() {
    let f = chainid_test();
    let out = gavel(&[
        "verify-trace",
        "--state-test",
        f.to_str().unwrap(),
        "--fork",
        "Cancun",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("fork \"Cancun\" is not supported"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn gavel_batches_and_max_steps() {
    let dir = root().join("fixtures/batches/transfers");
    let out = gavel(&[
        "verify-trace",
        "--batch",
        dir.to_str().unwrap(),
        "--max-steps",
        "2",
        "--mutate",
        "3",
        "--seed",
        "7",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = last_json(&out);
    assert_eq!(s["files"], 1);
    assert!(s["txs"].as_u64().unwrap() > 0);
    // At most two steps per transition are verified, three forgeries each; the rest is
    // executed and counted as skipped.
    let (steps, skipped, verified) = (
        s["steps"].as_u64().unwrap(),
        s["steps_skipped"].as_u64().unwrap(),
        s["verified"].as_u64().unwrap(),
    );
    assert!(verified > 0 && skipped > 0, "{s}");
    assert_eq!(verified + skipped, steps);
    assert_eq!(s["mutations"].as_u64().unwrap(), 3 * verified);

    let out = gavel(&["verify-trace", "--batch", "/nonexistent/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/dir"),
        "{}",
        stderr(&out)
    );
}
