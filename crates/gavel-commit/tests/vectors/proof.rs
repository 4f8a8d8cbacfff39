//! `proof.json`: the compressed sibling format and fixed-depth multiproofs, with negative
//! cases for every canonicality rule.

use alloy_primitives::B256;
use gavel_commit::proof::{self, sibling_requests};
use gavel_commit::sparse::SparseTree;
use serde_json::{Value, json};

use crate::util::{flip, hx, outcome, rnd};

fn leaves_json(leaves: &[(u64, B256)]) -> Value {
    leaves
        .iter()
        .map(|(i, v)| json!({ "index": i, "value": hx(v) }))
        .collect()
}

fn verify_case(name: &str, depth: u8, root: B256, leaves: &[(u64, B256)], p: &[u8]) -> Value {
    json!({
        "name": name,
        "depth": depth,
        "root": hx(root),
        "leaves": leaves_json(leaves),
        "proof": hx(p),
        "expect": outcome(&proof::verify(root, depth, leaves, p)),
    })
}

pub fn vectors() -> Value {
    let mut cases = Vec::new();
    let mut updates = Vec::new();
    let mut requests = Vec::new();

    // A depth-4 tree with a few leaves, fully listed so a twin can rebuild it.
    let d4: Vec<(u64, B256)> = [1u64, 2, 3, 9, 14]
        .iter()
        .map(|&i| (i, rnd("proof-d4", i)))
        .collect();
    let t4 = SparseTree::from_leaves(4, d4.clone()).unwrap();
    // A depth-16 tree (memory depth) with leaves far apart.
    let d16: Vec<(u64, B256)> = [0u64, 1, 77, 4096, 65535]
        .iter()
        .map(|&i| (i, rnd("proof-d16", i)))
        .collect();
    let t16 = SparseTree::from_leaves(16, d16.clone()).unwrap();

    let trees = json!([
        { "depth": 4, "leaves": leaves_json(&d4), "root": hx(t4.root()) },
        { "depth": 16, "leaves": leaves_json(&d16), "root": hx(t16.root()) },
        { "depth": 8, "leaves": [], "root": hx(B256::ZERO) },
    ]);

    for (t, sets) in [
        (
            &t4,
            vec![
                vec![2u64],
                vec![2, 3],
                vec![3, 4],
                vec![0],
                vec![1, 9, 14],
                vec![5],
            ],
        ),
        (
            &t16,
            vec![
                vec![77],
                vec![0, 1],
                vec![4095, 4096],
                vec![65535],
                vec![30000],
            ],
        ),
    ] {
        for idx in sets {
            let leaves: Vec<(u64, B256)> = idx.iter().map(|&i| (i, t.get(i))).collect();
            let p = t.prove(&idx).unwrap();
            let name = format!("depth {} leaves {:?}", t.depth(), idx);
            cases.push(verify_case(&name, t.depth(), t.root(), &leaves, &p));
            requests.push(json!({
                "depth": t.depth(), "indices": idx,
                "requests": sibling_requests(t.depth(), &idx).unwrap(),
            }));
            let writes: Vec<(u64, B256, B256)> = leaves
                .iter()
                .enumerate()
                .map(|(k, &(i, v))| (i, v, rnd("proof-new", k as u64)))
                .collect();
            updates.push(json!({
                "name": name,
                "depth": t.depth(),
                "root": hx(t.root()),
                "writes": writes.iter().map(|(i, o, n)| json!({"index": i, "old": hx(o), "new": hx(n)})).collect::<Vec<_>>(),
                "proof": hx(&p),
                "new_root": hx(proof::update(t.root(), t.depth(), &writes, &p).unwrap()),
            }));
        }
    }

    // Negative cases on the depth-4 proof of leaf 2 (bitmap byte + siblings).
    let leaves = vec![(2u64, t4.get(2))];
    let p = t4.prove(&[2]).unwrap();
    let root = t4.root();
    let mut zero_sib = p.clone();
    // Set the bitmap bit of request 3 (the root's other child is empty? force a zero sibling).
    let bitmap = zero_sib[0];
    let unset = (0..4).find(|b| bitmap >> b & 1 == 0);
    if let Some(b) = unset {
        zero_sib[0] |= 1 << b;
        let ones_below = (0..b).filter(|x| bitmap >> x & 1 == 1).count();
        let at = 1 + 32 * ones_below;
        zero_sib.splice(at..at, [0u8; 32]);
        cases.push(verify_case(
            "flagged zero sibling",
            4,
            root,
            &leaves,
            &zero_sib,
        ));
    }
    cases.push(verify_case(
        "bitmap padding bit",
        4,
        root,
        &leaves,
        &flip(&p, 0, 0x80),
    ));
    cases.push(verify_case(
        "flipped sibling byte",
        4,
        root,
        &leaves,
        &flip(&p, 5, 0x01),
    ));
    cases.push(verify_case(
        "truncated",
        4,
        root,
        &leaves,
        &p[..p.len() - 1],
    ));
    cases.push(verify_case(
        "trailing byte",
        4,
        root,
        &leaves,
        &[p.as_slice(), &[0]].concat(),
    ));
    let wrong = vec![(2u64, rnd("wrong", 0))];
    cases.push(verify_case("wrong leaf value", 4, root, &wrong, &p));
    cases.push(verify_case(
        "leaf moved to its sibling index",
        4,
        root,
        &[(3, t4.get(2))],
        &p,
    ));
    cases.push(verify_case(
        "index out of range",
        4,
        root,
        &[(16, t4.get(2))],
        &p,
    ));
    cases.push(verify_case(
        "indices not ascending",
        4,
        root,
        &[(3, t4.get(3)), (2, t4.get(2))],
        &p,
    ));
    cases.push(verify_case("no leaves", 4, root, &[], &p));

    json!({
        "format": "proof = bitmap(ceil(R/8) bytes, big-endian integer, bit r = request r) ‖ non-default siblings (32 bytes each, request order)",
        "trees": trees,
        "sibling_requests": requests,
        "verify": cases,
        "update": updates,
    })
}
