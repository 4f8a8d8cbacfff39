//! Helpers shared by the vector generators.

use std::path::PathBuf;

use alloy_primitives::{B256, hex};
use gavel_commit::ProofError;
use gavel_commit::hash::keccak256;
use serde_json::{Value, json};

/// `0x`-prefixed lower-case hex.
pub fn hx(b: impl AsRef<[u8]>) -> String {
    format!("0x{}", hex::encode(b.as_ref()))
}

/// Deterministic pseudo-random word number `i` of stream `seed`.
pub fn rnd(seed: &str, i: u64) -> B256 {
    keccak256(&[seed.as_bytes(), &i.to_be_bytes()].concat())
}

/// Deterministic pseudo-random bytes.
pub fn rnd_bytes(seed: &str, len: usize) -> Vec<u8> {
    (0..len.div_ceil(32) as u64)
        .flat_map(|i| rnd(seed, i).0)
        .take(len)
        .collect()
}

/// `{"ok": true}` or `{"error": "<ProofError name>"}`.
pub fn outcome<T>(r: &Result<T, ProofError>) -> Value {
    match r {
        Ok(_) => json!({ "ok": true }),
        Err(e) => json!({ "error": e.name() }),
    }
}

/// Flip the bits of `mask` in byte `at`.
pub fn flip(bytes: &[u8], at: usize, mask: u8) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at] ^= mask;
    b
}

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/vectors")
        .join(format!("{name}.json"))
}

/// Compare the generated vectors with the committed file, or rewrite it under `GAVEL_BLESS=1`.
/// Rebuilds `v` with every object's keys in sorted order. serde_json keeps insertion order
/// when its `preserve_order` feature is on, which a workspace build can switch on through
/// feature unification; sorting makes the files the same either way.
fn canonical(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, canonical(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

pub fn check_or_bless(name: &str, body: Value) {
    let doc = canonical(json!({
        "spec": gavel_commit::SPEC_VERSION,
        "generator": "GAVEL_BLESS=1 cargo test -p gavel-commit --test vectors",
        "vectors": body,
    }));
    let text = serde_json::to_string_pretty(&doc).expect("json") + "\n";
    let p = path(name);
    if std::env::var("GAVEL_BLESS").as_deref() == Ok("1") {
        std::fs::create_dir_all(p.parent().expect("dir")).expect("create fixtures/vectors");
        std::fs::write(&p, text).expect("write vectors");
        return;
    }
    let committed = std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run GAVEL_BLESS=1 cargo test -p gavel-commit --test vectors",
            p.display()
        )
    });
    assert!(
        committed == text,
        "{} differs from what the code produces (an encoding changed?). If intended, bump the \
         spec version, note it in docs/spec.md's changelog and run \
         GAVEL_BLESS=1 cargo test -p gavel-commit --test vectors",
        p.display()
    );
}
