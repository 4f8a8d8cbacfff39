//! `world.json`: EIP-7864 keys with keccak, BASIC_DATA, world roots, stem openings (present,
//! absent by empty subtree, absent by foreign stem), updates incl. insertions, sequential
//! multi-stem witnesses, and negative cases.

use alloy_primitives::{Address, B256, U256};
use gavel_commit::trie::Key;
use gavel_commit::trie::key::{self, BasicData, TreeKey};
use gavel_commit::trie::path::{PathProof, Terminal};
use gavel_commit::trie::world::{self, WorldState};
use serde_json::{Value, json};

use crate::util::{flip, hx, outcome, rnd, rnd_bytes};

fn addr(i: u64) -> Address {
    Address::from_slice(&rnd("world-addr", i)[12..])
}

fn kind_of(w: &WorldState, stem: &Key) -> &'static str {
    let bytes = w.prove(stem, &[0]).unwrap();
    let mut r = gavel_commit::proof::Reader::new(&bytes);
    match PathProof::decode(&mut r).unwrap().terminal() {
        Terminal::Empty => "empty",
        Terminal::Own => "own",
        Terminal::Other { .. } => "other",
    }
}

fn opening(name: &str, root: B256, stem: &Key, leaves: &[(u8, B256)], p: &[u8]) -> Value {
    json!({
        "name": name, "root": hx(root), "stem": hx(stem),
        "leaves": leaves.iter().map(|(s, v)| json!({"subindex": s, "value": hx(v)})).collect::<Vec<_>>(),
        "proof": hx(p),
        "expect": outcome(&world::verify_stem(root, stem, leaves, p)),
    })
}

fn update(name: &str, root: B256, stem: &Key, writes: &[(u8, B256, B256)], p: &[u8]) -> Value {
    let r = world::update_stem(root, stem, writes, p);
    let mut v = json!({
        "name": name, "root": hx(root), "stem": hx(stem),
        "writes": writes.iter().map(|(s, o, n)| json!({"subindex": s, "old": hx(o), "new": hx(n)})).collect::<Vec<_>>(),
        "proof": hx(p),
        "expect": outcome(&r),
    });
    if let Ok(new_root) = r {
        v["new_root"] = json!(hx(new_root));
    }
    v
}

fn leaves_of(w: &WorldState, stem: &Key, subs: &[u8]) -> Vec<(u8, B256)> {
    subs.iter()
        .map(|&s| {
            (
                s,
                w.get(&TreeKey {
                    stem: *stem,
                    subindex: s,
                }),
            )
        })
        .collect()
}

pub fn vectors() -> Value {
    // Keys.
    let a = Address::repeat_byte(0x11);
    let stems: Vec<Value> = [U256::ZERO, U256::from(1), U256::from(1) << 240, U256::MAX]
        .iter()
        .map(|i| json!({ "address": a.to_string(), "tree_index": hx(i.to_be_bytes::<32>()), "stem": hx(key::stem(&a, *i)) }))
        .collect();
    let mut tree_keys = vec![
        json!({ "address": a.to_string(), "leaf": "basic_data", "key": hx(key::basic_data_key(&a).to_b256()) }),
        json!({ "address": a.to_string(), "leaf": "code_hash", "key": hx(key::code_hash_key(&a).to_b256()) }),
        json!({ "address": a.to_string(), "leaf": "code_root", "key": hx(key::code_root_key(&a).to_b256()) }),
    ];
    for slot in [
        U256::ZERO,
        U256::from(63),
        U256::from(64),
        U256::from(0x1234),
        U256::MAX,
    ] {
        let (index, sub) = key::storage_position(slot);
        tree_keys.push(json!({
            "address": a.to_string(), "leaf": "storage", "slot": hx(slot.to_be_bytes::<32>()),
            "tree_index": hx(index.to_be_bytes::<32>()), "subindex": sub,
            "key": hx(key::storage_key(&a, slot).to_b256()),
        }));
    }
    let basic: Vec<Value> = [(0u32, 0u64, 0u128), (24576, 1, 10u128.pow(18)), (0xff_ffff, u64::MAX, u128::MAX)]
        .iter()
        .map(|&(code_size, nonce, balance)| {
            let d = BasicData { code_size, nonce, balance };
            json!({ "code_size": code_size, "nonce": nonce.to_string(), "balance": balance.to_string(), "leaf": hx(d.encode().unwrap()) })
        })
        .collect();

    // Roots: write sequences and the root after each.
    let mut roots = Vec::new();
    let mut w = WorldState::new();
    roots.push(json!({ "name": "empty", "writes": [], "root": hx(w.root()), "stems": 0 }));
    let k = key::storage_key(&a, U256::from(5));
    w.set(&k, B256::with_last_byte(9));
    roots.push(json!({ "name": "one leaf", "writes": [{"key": hx(k.to_b256()), "value": hx(B256::with_last_byte(9))}], "root": hx(w.root()), "stems": 1 }));
    w.set(&k, B256::ZERO);
    roots.push(json!({ "name": "the same leaf cleared: the stem stays", "writes": [{"key": hx(k.to_b256()), "value": hx(B256::ZERO)}], "root": hx(w.root()), "stems": 1 }));

    let mut w = WorldState::new();
    let mut writes = Vec::new();
    for i in 0..8u64 {
        let code = if i % 3 == 0 {
            rnd_bytes(&format!("code{i}"), 50 + i as usize * 13)
        } else {
            vec![]
        };
        let mut probe = WorldState::new();
        probe
            .set_account(&addr(i), i, u128::from(i) * 1_000_000_007, &code)
            .unwrap();
        for (stem, sub) in probe
            .stem_roots()
            .iter()
            .flat_map(|(s, _)| (0u8..3).map(move |x| (*s, x)))
        {
            let v = probe.get(&TreeKey {
                stem,
                subindex: sub,
            });
            if !v.is_zero() {
                writes.push((
                    TreeKey {
                        stem,
                        subindex: sub,
                    },
                    v,
                ));
            }
        }
        for j in 0..3u64 {
            let slot = if j == 0 {
                U256::from(j)
            } else {
                rnd("slot", i * 10 + j).into()
            };
            writes.push((key::storage_key(&addr(i), slot), rnd("val", i * 10 + j)));
        }
    }
    for (k, v) in &writes {
        w.set(k, *v);
    }
    roots.push(json!({
        "name": "8 accounts, 3 slots each",
        "writes": writes.iter().map(|(k, v)| json!({"key": hx(k.to_b256()), "value": hx(v)})).collect::<Vec<_>>(),
        "root": hx(w.root()),
        "stems": w.stem_count(),
    }));

    // Openings and updates against the 8-account world.
    let root = w.root();
    let mut openings = Vec::new();
    let mut updates = Vec::new();
    let present = key::basic_data_key(&addr(3)).stem;
    let subs = [0u8, 1, 2];
    let leaves = leaves_of(&w, &present, &subs);
    let p = w.prove(&present, &subs).unwrap();
    openings.push(opening(
        "account 3: basic data, code hash, code root",
        root,
        &present,
        &leaves,
        &p,
    ));
    let new_basic = BasicData {
        code_size: 0,
        nonce: 4,
        balance: 1,
    }
    .encode()
    .unwrap();
    let writes3 = [
        (0u8, leaves[0].1, new_basic),
        (1, leaves[1].1, leaves[1].1),
        (2, leaves[2].1, leaves[2].1),
    ];
    updates.push(update(
        "account 3: bump nonce",
        root,
        &present,
        &writes3,
        &p,
    ));
    let slot_key = key::storage_key(&addr(2), U256::ZERO);
    let sp = w.prove(&slot_key.stem, &[slot_key.subindex]).unwrap();
    let sv = w.get(&slot_key);
    openings.push(opening(
        "account 2: header slot 0",
        root,
        &slot_key.stem,
        &[(slot_key.subindex, sv)],
        &sp,
    ));
    updates.push(update(
        "account 2: clear header slot 0",
        root,
        &slot_key.stem,
        &[(slot_key.subindex, sv, B256::ZERO)],
        &sp,
    ));

    // Absent stems: find one whose path ends empty and one that ends in a foreign stem.
    let mut found = (None, None);
    for i in 100.. {
        let s = key::basic_data_key(&addr(i)).stem;
        match kind_of(&w, &s) {
            "empty" if found.0.is_none() => found.0 = Some(s),
            "other" if found.1.is_none() => found.1 = Some(s),
            _ => {}
        }
        if found.0.is_some() && found.1.is_some() {
            break;
        }
    }
    let (empty_stem, other_stem) = (found.0.unwrap(), found.1.unwrap());
    for (label, s) in [("empty subtree", empty_stem), ("foreign stem", other_stem)] {
        let p = w.prove(&s, &[0]).unwrap();
        openings.push(opening(
            &format!("absent account ({label})"),
            root,
            &s,
            &[(0, B256::ZERO)],
            &p,
        ));
        openings.push(opening(
            &format!("absent account ({label}) claimed non-zero"),
            root,
            &s,
            &[(0, B256::with_last_byte(1))],
            &p,
        ));
        let fresh = BasicData {
            code_size: 0,
            nonce: 0,
            balance: 5,
        }
        .encode()
        .unwrap();
        updates.push(update(
            &format!("insert account ({label})"),
            root,
            &s,
            &[(0, B256::ZERO, fresh)],
            &p,
        ));
        updates.push(update(
            &format!("zero write into absent stem ({label}): no-op"),
            root,
            &s,
            &[(0, B256::ZERO, B256::ZERO)],
            &p,
        ));
        let mut w2 = w.clone();
        w2.set(
            &TreeKey {
                stem: s,
                subindex: 0,
            },
            fresh,
        );
        let predicted = world::update_stem(root, &s, &[(0, B256::ZERO, fresh)], &p).unwrap();
        assert_eq!(
            predicted,
            w2.root(),
            "the vector's insertion matches the world state"
        );
    }

    // Negative openings.
    openings.push(opening(
        "flipped sibling byte",
        root,
        &present,
        &leaves,
        &flip(&p, 10, 1),
    ));
    openings.push(opening(
        "unknown terminal kind",
        root,
        &present,
        &leaves,
        &flip(&p, 0, 4),
    ));
    openings.push(opening(
        "depth 249",
        root,
        &present,
        &leaves,
        &[&[1u8, 249][..], &p[2..]].concat(),
    ));
    // Crafted non-canonical absence proofs (spec §4.3): an empty terminal pushed one level
    // deeper folds to the same root but would insert at the wrong depth.
    let honest = {
        let b = w.prove(&empty_stem, &[0]).unwrap();
        PathProof::decode(&mut gavel_commit::proof::Reader::new(&b)).unwrap()
    };
    let mut deeper = vec![B256::ZERO];
    deeper.extend_from_slice(honest.siblings());
    let forged = PathProof::new(Terminal::Empty, deeper).unwrap().to_bytes();
    openings.push(opening(
        "empty terminal one level too deep",
        root,
        &empty_stem,
        &[(0, B256::ZERO)],
        &forged,
    ));
    let own_as_other = PathProof::new(
        Terminal::Other {
            key: empty_stem,
            payload: B256::ZERO,
        },
        honest.siblings().to_vec(),
    )
    .unwrap()
    .to_bytes();
    openings.push(opening(
        "foreign terminal naming the proven stem",
        root,
        &empty_stem,
        &[(0, B256::ZERO)],
        &own_as_other,
    ));
    openings.push(opening(
        "trailing byte",
        root,
        &present,
        &leaves,
        &[p.as_slice(), &[0]].concat(),
    ));
    openings.push(opening(
        "truncated",
        root,
        &present,
        &leaves,
        &p[..p.len() - 1],
    ));
    let mut wrong = leaves.clone();
    wrong[1].1 = rnd("wrong", 1);
    openings.push(opening("wrong code hash", root, &present, &wrong, &p));
    openings.push(opening(
        "leaves not ascending",
        root,
        &present,
        &[leaves[1], leaves[0]],
        &p,
    ));
    let mut other_stem_bytes = present;
    other_stem_bytes[30] ^= 1;
    openings.push(opening(
        "proof for another stem",
        root,
        &other_stem_bytes,
        &leaves,
        &p,
    ));

    // Sequential witness: three stems touched in one step, each opened against the root the
    // previous one left.
    let mut w3 = w.clone();
    let touches = [
        (
            key::basic_data_key(&addr(1)),
            BasicData {
                code_size: 0,
                nonce: 2,
                balance: 7,
            }
            .encode()
            .unwrap(),
        ),
        (
            key::basic_data_key(&addr(200)),
            BasicData {
                code_size: 0,
                nonce: 0,
                balance: 3,
            }
            .encode()
            .unwrap(),
        ),
        (
            key::storage_key(&addr(1), U256::from(99_999)),
            rnd("seq", 0),
        ),
    ];
    let mut steps = Vec::new();
    for (k, v) in touches {
        let p = w3.prove(&k.stem, &[k.subindex]).unwrap();
        steps.push(json!({
            "stem": hx(k.stem), "subindex": k.subindex,
            "old": hx(w3.get(&k)), "new": hx(v), "proof": hx(&p),
        }));
        w3.set(&k, v);
    }
    let sequential = json!({ "root": hx(root), "openings": steps, "final_root": hx(w3.root()) });

    json!({
        "stem_keys": stems,
        "tree_keys": tree_keys,
        "basic_data": basic,
        "roots": roots,
        "verify_stem": openings,
        "update_stem": updates,
        "sequential": sequential,
    })
}
