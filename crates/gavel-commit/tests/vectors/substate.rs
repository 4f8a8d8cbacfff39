//! `substate.json`: substate keys per kind, roots along a transaction, proofs for warm and
//! cold entries, updates.

use alloy_primitives::{Address, B256, U256};
use gavel_commit::substate::{self, Kind, Substate, key};
use serde_json::{Value, json};

use crate::util::{flip, hx, outcome};

pub fn vectors() -> Value {
    let a = Address::repeat_byte(0xaa);
    let b = Address::repeat_byte(0xbb);
    let kinds = [
        (Kind::WarmAccount, "WarmAccount", a, U256::ZERO),
        (Kind::WarmSlot, "WarmSlot", a, U256::from(7)),
        (Kind::Transient, "Transient", a, U256::MAX),
        (Kind::Created, "Created", b, U256::ZERO),
        (Kind::Destructed, "Destructed", b, U256::ZERO),
        (
            Kind::DestructList,
            "DestructList",
            Address::ZERO,
            U256::from(0),
        ),
        (
            Kind::DestructCount,
            "DestructCount",
            Address::ZERO,
            U256::ZERO,
        ),
    ];
    let keys: Vec<Value> = kinds
        .iter()
        .map(|(k, name, addr, slot)| {
            json!({ "kind": name, "byte": *k as u8, "address": addr.to_string(),
                    "slot": hx(slot.to_be_bytes::<32>()), "key": hx(key(*k, addr, *slot)) })
        })
        .collect();

    let mut s = Substate::new();
    let mut seq = vec![json!({ "op": "new", "root": hx(s.root()) })];
    s.warm_account(&a);
    seq.push(json!({ "op": "warm_account", "address": a.to_string(), "root": hx(s.root()) }));
    s.warm_account(&b);
    seq.push(json!({ "op": "warm_account", "address": b.to_string(), "root": hx(s.root()) }));
    s.warm_slot(&a, U256::from(7));
    seq.push(
        json!({ "op": "warm_slot", "address": a.to_string(), "slot": "7", "root": hx(s.root()) }),
    );
    s.tstore(&a, U256::from(1), U256::from(42));
    seq.push(json!({ "op": "tstore", "address": a.to_string(), "slot": "1", "value": "42", "root": hx(s.root()) }));
    s.tstore(&a, U256::from(1), U256::ZERO);
    seq.push(json!({ "op": "tstore", "address": a.to_string(), "slot": "1", "value": "0", "root": hx(s.root()) }));
    s.mark_created(&b);
    seq.push(json!({ "op": "mark_created", "address": b.to_string(), "root": hx(s.root()) }));
    s.schedule_destruct(&b);
    seq.push(json!({ "op": "schedule_destruct", "address": b.to_string(), "root": hx(s.root()) }));

    let root = s.root();
    let mut proofs = Vec::new();
    let mut updates = Vec::new();
    let cases = [
        ("warm account a", key(Kind::WarmAccount, &a, U256::ZERO)),
        (
            "cold account",
            key(Kind::WarmAccount, &Address::repeat_byte(0xcc), U256::ZERO),
        ),
        (
            "transient slot set back to 0 (present, value 0)",
            key(Kind::Transient, &a, U256::from(1)),
        ),
        (
            "destruct count",
            key(Kind::DestructCount, &Address::ZERO, U256::ZERO),
        ),
    ];
    for (name, k) in cases {
        let p = s.prove(&k);
        let v = s.get(&k);
        proofs.push(json!({
            "name": name, "root": hx(root), "key": hx(k), "value": hx(v), "proof": hx(&p),
            "absent": substate::proves_absent(&k, &p).unwrap(),
            "expect": outcome(&substate::verify(root, &k, &v, &p)),
        }));
        let new = B256::with_last_byte(1);
        updates.push(json!({
            "name": name, "root": hx(root), "key": hx(k), "old": hx(v), "new": hx(new), "proof": hx(&p),
            "new_root": hx(substate::update(root, &k, &v, &new, &p).unwrap()),
        }));
    }
    let cold = key(Kind::WarmAccount, &Address::repeat_byte(0xcc), U256::ZERO);
    let p = s.prove(&cold);
    for (name, v, pr) in [
        (
            "cold account claimed warm",
            B256::with_last_byte(1),
            p.clone(),
        ),
        ("flipped proof byte", B256::ZERO, flip(&p, p.len() - 1, 1)),
    ] {
        proofs.push(json!({
            "name": name, "root": hx(root), "key": hx(cold), "value": hx(v), "proof": hx(&pr),
            "expect": outcome(&substate::verify(root, &cold, &v, &pr)),
        }));
    }
    json!({ "keys": keys, "sequence": seq, "verify": proofs, "update": updates })
}
