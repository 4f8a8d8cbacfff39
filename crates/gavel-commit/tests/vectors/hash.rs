//! `hash.json`: tags, keccak, the internal node hash and its zero rule.

use alloy_primitives::B256;
use gavel_commit::hash::{keccak256, node_hash, tag};
use serde_json::{Value, json};

use crate::util::{hx, rnd};

pub fn vectors() -> Value {
    let tags = json!({
        "NODE": tag::NODE, "STEM": tag::STEM, "SUBSTATE_LEAF": tag::SUBSTATE_LEAF,
        "STACK": tag::STACK, "STEM_KEY": tag::STEM_KEY, "SUBSTATE_KEY": tag::SUBSTATE_KEY,
        "LOG": tag::LOG, "STEP": tag::STEP, "CONTEXT": tag::CONTEXT, "FRAME": tag::FRAME,
        "TX": tag::TX, "BOUNDARY": tag::BOUNDARY, "BLOCK": tag::BLOCK,
        "CHAIN_CONFIG": tag::CHAIN_CONFIG, "SNAPSHOT": tag::SNAPSHOT, "RECEIPT": tag::RECEIPT,
    });
    let keccak: Vec<Value> = [&b""[..], b"abc", &[0u8; 65]]
        .iter()
        .map(|i| json!({ "input": hx(i), "output": hx(keccak256(i)) }))
        .collect();
    let (a, b) = (rnd("hash", 0), rnd("hash", 1));
    let pairs = [
        (B256::ZERO, B256::ZERO),
        (a, B256::ZERO),
        (B256::ZERO, a),
        (a, b),
        (b, a),
    ];
    let nodes: Vec<Value> = pairs
        .iter()
        .map(|(l, r)| json!({ "left": hx(l), "right": hx(r), "hash": hx(node_hash(l, r)) }))
        .collect();
    json!({ "tags": tags, "keccak256": keccak, "node_hash": nodes })
}
