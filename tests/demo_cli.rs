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

/// `gavel propose` / `gavel deploy` on EVM deployments: bad input is refused before any
/// node is needed (malformed batch, missing batch or genesis), and an unreachable node is a
/// clear error. Exit code 2, no panic.
#[test]
fn evm_propose_and_deploy_bad_inputs_fail_cleanly() {
    let dir = std::env::temp_dir().join(format!("gavel-propose-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixture =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/batches/mem_loop");
    let genesis = gavel_trace::Genesis::from_file(fixture.join("genesis.json")).unwrap();
    let deployment = dir.join("deployment.json");
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let l1 = gavel_chain::InProcessL1::with_accounts(1);
        let deployer = gavel_chain::dev_address(0);
        let params = gavel_chain::EvmDeployParams::new(&genesis.prestate().unwrap(), deployer);
        gavel_chain::deploy_evm_system(&l1, deployer, &params)
            .await
            .unwrap()
            .save(&deployment)
            .unwrap();
    });
    let bad_batch = dir.join("bad.json");
    std::fs::write(
        &bad_batch,
        "{\"version\": 1, \"chainId\": 901, \"blocks\": [}",
    )
    .unwrap();
    let run = |args: &[&str], extra: &[&std::path::Path]| {
        let mut cmd = Command::new(gavel_bin());
        cmd.args(args).args(extra).env(
            "GAVEL_PROPOSER_KEY",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        );
        cmd.output().unwrap()
    };
    let check = |out: std::process::Output, expect: &str| {
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(expect) && !err.contains("panicked"),
            "expected {expect:?}: {err}"
        );
    };
    let d = deployment.to_str().unwrap();
    let g = fixture.join("genesis.json");
    let g = g.to_str().unwrap();
    let url = "http://127.0.0.1:9";
    check(
        run(
            &[
                "propose",
                "--rpc-url",
                url,
                "--deployment",
                d,
                "--genesis",
                g,
                "--batch",
            ],
            &[&bad_batch],
        ),
        "malformed batch",
    );
    check(
        run(
            &[
                "propose",
                "--rpc-url",
                url,
                "--deployment",
                d,
                "--genesis",
                g,
            ],
            &[],
        ),
        "--batch",
    );
    let b = fixture.join("batch.json");
    let b = b.to_str().unwrap();
    check(
        run(
            &["propose", "--rpc-url", url, "--deployment", d, "--batch", b],
            &[],
        ),
        "genesis",
    );
    check(
        run(
            &[
                "propose",
                "--rpc-url",
                url,
                "--deployment",
                d,
                "--batch",
                b,
                "--genesis",
                g,
            ],
            &[],
        ),
        "cannot reach",
    );
    let out = Command::new(gavel_bin())
        .args(["deploy", "--rpc-url", url, "--genesis", g, "--out"])
        .arg(dir.join("out.json"))
        .env("GAVEL_DEPLOYER_KEY", "not-a-key")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        !err.contains("not-a-key") && !err.contains("panicked"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
