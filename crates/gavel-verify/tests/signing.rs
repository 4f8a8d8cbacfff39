//! Entries without `txbytes` are signed with the test's `secretKey`: RFC 6979 signatures are
//! deterministic, so signing must reproduce the fixture's own `txbytes` exactly.

use std::path::{Path, PathBuf};

use gavel_verify::statetest;

fn without_txbytes(rel: &str) -> (Vec<statetest::Case>, Vec<statetest::Case>) {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/eest/state_tests")
        .join(rel);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for unit in v.as_object_mut().unwrap().values_mut() {
        for entries in unit["post"].as_object_mut().unwrap().values_mut() {
            for e in entries.as_array_mut().unwrap() {
                e.as_object_mut().unwrap().remove("txbytes");
            }
        }
    }
    let with = statetest::parse(&file, &text).unwrap();
    let signed = statetest::parse(Path::new("signed.json"), &v.to_string()).unwrap();
    (with, signed)
}

#[test]
fn signing_with_the_secret_key_reproduces_txbytes() {
    for rel in [
        "istanbul/eip1344_chainid/test_chainid.json",
        "berlin/eip2930_access_list/test_repeated_address_acl.json",
    ] {
        let (with, signed) = without_txbytes(rel);
        assert_eq!(with.len(), signed.len());
        let mut compared = 0;
        for (a, b) in with.iter().zip(&signed) {
            let (Ok(a), Ok(b)) = (&a.input, &b.input) else {
                // Unsupported either way (e.g. EIP-7702), and for the same reason.
                assert_eq!(
                    a.input.as_ref().err().map(|u| &u.reason),
                    b.input.as_ref().err().map(|u| &u.reason)
                );
                continue;
            };
            let raw = |c: &statetest::CaseInput| c.batch.blocks()[0].txs[0].raw().clone();
            assert_eq!(raw(a), raw(b), "{rel}");
            compared += 1;
        }
        assert!(compared > 0, "{rel}");
    }
}
