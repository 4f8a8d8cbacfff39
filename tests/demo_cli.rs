//! `gavel demo`: in process, and against a fresh anvil (anvil from `ANVIL_BIN` or PATH; without
//! it the anvil test prints a notice and passes, except under `CI=true`).

use std::process::Command;

fn gavel_bin() -> String {
    std::env::var("GAVEL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_gavel").into())
}

/// Runs `gavel demo ARGS`, checks it exited 0 and that its last stdout line is JSON with
/// status CHALLENGER_WINS; returns that JSON.
fn demo(args: &[&str]) -> serde_json::Value {
    let out = Command::new(gavel_bin())
        .arg("demo")
        .args(args)
        .output()
        .expect("run gavel demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "gavel demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().last().expect("some output");
    let json: serde_json::Value = serde_json::from_str(last).expect("the last line is JSON");
    assert_eq!(json["status"], "CHALLENGER_WINS", "{json}");
    assert!(stdout.contains("bisection path"), "{stdout}");
    json
}

#[test]
fn demo_in_process_ends_with_the_bot_winning() {
    let json = demo(&[]);
    assert_eq!(json["moves"], 44, "{json}");
    assert!(json["step_gas"].as_u64().unwrap() > 21_000, "{json}");
    assert!(
        json["l1_gas_total"].as_u64().unwrap() > json["game_gas"].as_u64().unwrap(),
        "{json}"
    );
    // Another lie, in a block transition.
    let json = demo(&["--lie-transition", "0", "--lie-step", "0"]);
    assert_eq!(json["step_transition"], 0, "{json}");
}

#[test]
fn demo_against_anvil_ends_with_the_bot_winning() {
    let bin = match std::env::var("ANVIL_BIN") {
        Ok(p) => p,
        Err(_) if Command::new("anvil").arg("--version").output().is_ok() => "anvil".into(),
        Err(_) => {
            assert!(
                std::env::var("CI").is_err(),
                "anvil not found under CI: install it (scripts/install-tools.sh), export ANVIL_BIN"
            );
            eprintln!("NOTICE: anvil not found (set ANVIL_BIN); skipping the anvil demo");
            return;
        }
    };
    let anvil = alloy::node_bindings::Anvil::at(bin)
        .arg("--host")
        .arg("127.0.0.1")
        .spawn();
    let json = demo(&["--rpc-url", &anvil.endpoint(), "--poll-interval-ms", "100"]);
    assert_eq!(json["moves"], 44, "{json}");
}

#[test]
fn demo_bad_inputs_fail_cleanly() {
    // Unreachable RPC.
    let out = Command::new(gavel_bin())
        .args(["demo", "--rpc-url", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error:") && !err.contains("panicked"), "{err}");
    // A keys file with too few keys.
    let dir = std::env::temp_dir().join(format!("gavel-demo-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keys = dir.join("keys");
    std::fs::write(&keys, "0x01\n").unwrap();
    let out = Command::new(gavel_bin())
        .args(["demo", "--rpc-url", "http://127.0.0.1:9", "--keys-file"])
        .arg(&keys)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("three keys"));
    std::fs::remove_dir_all(dir).unwrap();
}
