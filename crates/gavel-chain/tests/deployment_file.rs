//! Saving and loading a deployment, and the errors a bad file gives.

mod common;

use gavel_chain::{ChainError, Deployment, InProcessL1, L1, ToyDeployParams, deploy_toy_system};
use std::path::PathBuf;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gavel-chain-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn round_trips_through_json() {
    let l1 = InProcessL1::new();
    let d = deploy_toy_system(&l1, l1.accounts()[0], &ToyDeployParams::default())
        .await
        .unwrap();
    let dir = temp_dir("roundtrip");
    let path = dir.join("deployment.json");
    d.save(&path).unwrap();
    assert_eq!(Deployment::load(&path).unwrap(), d);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"game_types\""), "{text}");
    std::fs::remove_dir_all(dir).unwrap();
}

fn load_error(name: &str, content: Option<&str>) -> String {
    let dir = temp_dir(name);
    let path = dir.join("deployment.json");
    if let Some(c) = content {
        std::fs::write(&path, c).unwrap();
    }
    let err = Deployment::load(&path).unwrap_err();
    std::fs::remove_dir_all(dir).unwrap();
    match &err {
        ChainError::DeploymentFile { path: p, .. } => assert_eq!(p, &path),
        other => panic!("expected DeploymentFile, got {other:?}"),
    }
    err.to_string()
}

#[test]
fn malformed_files_give_clear_errors() {
    assert!(load_error("missing", None).contains("cannot read"));
    let msg = load_error("garbage", Some("{ not json"));
    assert!(
        msg.contains("not a deployment") && msg.contains("line 1"),
        "{msg}"
    );
    let msg = load_error("fields", Some(r#"{"format": 1, "chain_id": 1}"#));
    assert!(msg.contains("missing field"), "{msg}");
    let msg = load_error(
        "address",
        Some(
            r#"{"format":1,"chain_id":1,"deployer":"0x12","factory":"0x0000000000000000000000000000000000000001",
            "anchor_registry":"0x0000000000000000000000000000000000000002","game_types":[]}"#,
        ),
    );
    assert!(msg.contains("not a deployment"), "{msg}");
}

#[tokio::test]
async fn wrong_format_and_empty_deployments_are_rejected() {
    let l1 = InProcessL1::new();
    let mut d = deploy_toy_system(&l1, l1.accounts()[0], &ToyDeployParams::default())
        .await
        .unwrap();
    d.format = 99;
    let json = serde_json::to_string(&d).unwrap();
    assert!(load_error("format", Some(&json)).contains("format 99"));
    d.format = gavel_chain::DEPLOYMENT_FORMAT;
    d.game_types.clear();
    let json = serde_json::to_string(&d).unwrap();
    assert!(load_error("empty", Some(&json)).contains("no game type"));
}
