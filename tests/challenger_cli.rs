//! `gavel challenger` and `gavel propose` refuse bad input with a clear message and a
//! non-zero exit, never a panic, and never echo the key.

use alloy_primitives::{Address, B256};
use gavel_chain::{DEPLOYMENT_FORMAT, Deployment, GameParams, GameTypeDeployment, TOY_GAME_TYPE};
use std::path::PathBuf;
use std::process::{Command, Output};

const KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/// The binary under test; `GAVEL_BIN` overrides it (a shared target dir may hold another
/// branch's build by the time the test runs).
fn gavel_bin() -> String {
    std::env::var("GAVEL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_gavel").into())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gavel-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn deployment_file(dir: &std::path::Path) -> PathBuf {
    let d = Deployment {
        format: DEPLOYMENT_FORMAT,
        chain_id: 31337,
        deployer: Address::repeat_byte(1),
        factory: Address::repeat_byte(2),
        anchor_registry: Address::repeat_byte(3),
        l2: None,
        game_types: vec![GameTypeDeployment {
            game_type: TOY_GAME_TYPE,
            implementation: Address::repeat_byte(4),
            verifier: Address::repeat_byte(5),
            verifier_kind: "toy".into(),
            params: GameParams {
                max_depth: 6,
                split_depth: 3,
                max_clock_duration: 600,
                clock_extension: 60,
                withdrawal_delay: 60,
                base_bond: Default::default(),
                bond_increment: Default::default(),
            },
            anchor_root: B256::ZERO,
            anchor_seq: 0,
        }],
    };
    let path = dir.join("deployment.json");
    d.save(&path).unwrap();
    path
}

fn gavel(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(gavel_bin());
    cmd.args(args);
    for var in gavel_challenger::ENV_VARS {
        cmd.env_remove(var);
    }
    cmd.env_remove("GAVEL_CHALLENGER_KEY")
        .env_remove("GAVEL_CHALLENGER_CONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run gavel")
}

fn refused(out: &Output, expect: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(err.contains(expect), "expected {expect:?} in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains(&KEY[2..]), "the key leaked: {err}");
}

#[test]
fn malformed_deployment_file() {
    let dir = scratch("baddeploy");
    let bad = dir.join("d.json");
    std::fs::write(&bad, "{\"format\": 1, \"chain_id\": ").unwrap();
    let out = gavel(
        &[
            "challenger",
            "--rpc-url",
            "http://127.0.0.1:9",
            "--deployment",
            bad.to_str().unwrap(),
        ],
        &[("GAVEL_CHALLENGER_KEY", KEY)],
    );
    refused(&out, "not a deployment");
    let missing = dir.join("none.json");
    let out = gavel(
        &[
            "challenger",
            "--rpc-url",
            "http://127.0.0.1:9",
            "--deployment",
            missing.to_str().unwrap(),
        ],
        &[("GAVEL_CHALLENGER_KEY", KEY)],
    );
    refused(&out, "cannot read");
}

#[test]
fn unreachable_rpc() {
    let dir = scratch("unreachable");
    let d = deployment_file(&dir);
    let out = gavel(
        &[
            "challenger",
            "--rpc-url",
            "http://127.0.0.1:9",
            "--deployment",
            d.to_str().unwrap(),
        ],
        &[("GAVEL_CHALLENGER_KEY", KEY)],
    );
    refused(&out, "cannot reach JSON-RPC endpoint");
    let out = gavel(
        &[
            "challenger",
            "--rpc-url",
            "ws://x",
            "--deployment",
            d.to_str().unwrap(),
        ],
        &[("GAVEL_CHALLENGER_KEY", KEY)],
    );
    refused(&out, "invalid JSON-RPC URL");
}

#[test]
fn wrong_or_missing_key() {
    let dir = scratch("badkey");
    let d = deployment_file(&dir);
    let args = [
        "challenger",
        "--rpc-url",
        "http://127.0.0.1:9",
        "--deployment",
        d.to_str().unwrap(),
    ];
    refused(
        &gavel(&args, &[]),
        "no key: give --key-file FILE or set GAVEL_CHALLENGER_KEY",
    );
    let wrong = format!("{}zz", &KEY[..KEY.len() - 2]);
    refused(
        &gavel(&args, &[("GAVEL_CHALLENGER_KEY", &wrong)]),
        "private key #0 is malformed",
    );
    let key_file = dir.join("key");
    std::fs::write(&key_file, "not a key\n").unwrap();
    let mut with_file = args.to_vec();
    with_file.extend(["--key-file", key_file.to_str().unwrap()]);
    refused(&gavel(&with_file, &[]), "private key #0 is malformed");
    let mut no_file = args.to_vec();
    no_file.extend(["--key-file", "/nonexistent/gavel-key"]);
    refused(
        &gavel(&no_file, &[]),
        "cannot read key file /nonexistent/gavel-key",
    );
}

#[test]
fn bad_config_file_and_env() {
    let dir = scratch("badconfig");
    let d = deployment_file(&dir);
    let config = dir.join("c.toml");
    std::fs::write(
        &config,
        "rpc_url = \"http://127.0.0.1:9\"\npoll_intervall_ms = 5\n",
    )
    .unwrap();
    let out = gavel(
        &[
            "challenger",
            "--config",
            config.to_str().unwrap(),
            "--deployment",
            d.to_str().unwrap(),
        ],
        &[("GAVEL_CHALLENGER_KEY", KEY)],
    );
    refused(&out, "unknown field `poll_intervall_ms`");
    let out = gavel(
        &[
            "challenger",
            "--rpc-url",
            "http://127.0.0.1:9",
            "--deployment",
            d.to_str().unwrap(),
        ],
        &[
            ("GAVEL_CHALLENGER_KEY", KEY),
            ("GAVEL_CHALLENGER_MODE", "attack"),
        ],
    );
    refused(&out, "mode \"attack\" is not one of watch, defend, full");
    let out = gavel(&["challenger"], &[("GAVEL_CHALLENGER_KEY", KEY)]);
    refused(&out, "no RPC URL");
}

#[test]
fn propose_refuses_bad_input() {
    let dir = scratch("propose");
    let d = deployment_file(&dir);
    let out = gavel(
        &[
            "propose",
            "--rpc-url",
            "http://127.0.0.1:9",
            "--deployment",
            d.to_str().unwrap(),
        ],
        &[],
    );
    refused(&out, "GAVEL_PROPOSER_KEY");
    let out = gavel(
        &[
            "propose",
            "--rpc-url",
            "http://127.0.0.1:9",
            "--deployment",
            d.to_str().unwrap(),
        ],
        &[("GAVEL_PROPOSER_KEY", KEY)],
    );
    refused(&out, "cannot reach JSON-RPC endpoint");
}
