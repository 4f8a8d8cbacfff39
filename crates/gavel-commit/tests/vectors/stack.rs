//! `stack.json`: the hash chain and openings.

use alloy_primitives::U256;
use gavel_commit::stack::{Stack, verify_opening};
use serde_json::{Value, json};

use crate::util::{flip, hx, outcome, rnd};

pub fn vectors() -> Value {
    let mut s = Stack::new();
    let mut pushes = vec![json!({ "len": 0, "head": hx(s.head()) })];
    let items: Vec<U256> = (0..6)
        .map(|i| match i {
            0 => U256::ZERO,
            1 => U256::from(1),
            2 => U256::MAX,
            _ => rnd("stack", i).into(),
        })
        .collect();
    for x in &items {
        s.push(*x).unwrap();
        pushes.push(
            json!({ "item": hx(x.to_be_bytes::<32>()), "len": s.len(), "head": hx(s.head()) }),
        );
    }
    let mut openings = Vec::new();
    for k in [0usize, 1, 2, 6] {
        let o = s.open(k).unwrap();
        let bytes = o.to_bytes();
        openings.push(json!({
            "name": format!("open {k} of 6"),
            "head": hx(s.head()), "len": s.len(), "k": k, "bytes": hx(&bytes),
            "expect": outcome(&verify_opening(s.head(), s.len(), k, &bytes)),
            "items": o.items.iter().map(|x| hx(x.to_be_bytes::<32>())).collect::<Vec<_>>(),
            "below": hx(o.below),
        }));
    }
    let o = s.open(2).unwrap().to_bytes();
    for (name, k, bytes) in [
        ("mutated item", 2usize, flip(&o, 3, 1)),
        ("mutated below", 2, flip(&o, 70, 0x40)),
        ("too short", 2, o[..95].to_vec()),
        ("trailing byte", 2, [o.as_slice(), &[0]].concat()),
        ("underflow", 7, o.clone()),
    ] {
        openings.push(json!({
            "name": name, "head": hx(s.head()), "len": s.len(), "k": k, "bytes": hx(&bytes),
            "expect": outcome(&verify_opening(s.head(), s.len(), k, &bytes)),
        }));
    }
    json!({
        "link": "head' = keccak256(0x04 ‖ head ‖ item)",
        "pushes": pushes,
        "openings": openings,
    })
}
