//! Bad input gives an error naming the file, never a panic; a fork other than Osaka is refused.

use std::path::PathBuf;

use gavel_verify::Error;
use gavel_verify::driver::batch_paths;
use gavel_verify::statetest::{self, check_fork};

fn tmp(name: &str, text: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("gavel-verify-{name}"));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn malformed_state_tests_name_the_file() {
    for (name, text) in [
        ("not-json.json", "{ this is not json"),
        ("not-a-suite.json", "[1, 2, 3]"),
        (
            "no-env.json",
            r#"{"t": {"pre": {}, "post": {}, "transaction": {}}}"#,
        ),
        ("empty.json", ""),
    ] {
        let p = tmp(name, text);
        let e = statetest::load_file(&p).expect_err(name);
        assert!(matches!(e, Error::StateTestJson { .. }), "{name}: {e:?}");
        let msg = e.to_string();
        assert!(msg.contains(&p.display().to_string()), "{msg}");
        assert!(msg.contains("malformed state-test JSON"), "{msg}");
    }
}

#[test]
fn missing_files_name_the_file() {
    let p = PathBuf::from("/nonexistent/gavel/state-test.json");
    let e = statetest::collect_files(std::slice::from_ref(&p)).unwrap_err();
    assert!(
        e.to_string().contains("/nonexistent/gavel/state-test.json"),
        "{e}"
    );
    let e = statetest::load_file(&p).unwrap_err();
    assert!(e.to_string().contains("cannot read"), "{e}");
}

#[test]
fn only_osaka_is_accepted() {
    assert!(check_fork("Osaka").is_ok());
    let e = check_fork("Cancun").unwrap_err();
    assert!(e.to_string().contains("\"Cancun\" is not supported"), "{e}");
}

#[test]
fn batch_paths_pair_batch_and_genesis() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/batches/transfers");
    let (g, b) = batch_paths(&dir, None).unwrap();
    assert_eq!(
        (g, b.clone()),
        (dir.join("genesis.json"), dir.join("batch.json"))
    );
    let (g, _) = batch_paths(&b, None).unwrap();
    assert_eq!(g, dir.join("genesis.json"));
    let lone = tmp("lone-batch.json", "{}");
    let e = batch_paths(&lone, Some(&dir.join("missing.json"))).unwrap_err();
    assert!(e.to_string().contains("missing.json"), "{e}");
}
