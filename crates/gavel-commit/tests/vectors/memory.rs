//! `memory.json`: memory roots after writes, word openings and write updates.

use alloy_primitives::B256;
use gavel_commit::memory::{self, Memory, word_range};
use serde_json::{Value, json};

use crate::util::{flip, hx, outcome, rnd_bytes};

pub fn vectors() -> Value {
    let mut m = Memory::new();
    let mut steps = vec![json!({ "op": "new", "root": hx(m.root()), "size": m.size() })];
    let writes: Vec<(u64, Vec<u8>)> = vec![
        (0, vec![0xaa; 32]),
        (17, rnd_bytes("mem1", 32)),
        (1_048_544, rnd_bytes("mem2", 32)),
        (100, vec![0; 40]),
        (3, vec![1]),
    ];
    for (off, data) in &writes {
        m.write(*off, data).unwrap();
        steps.push(json!({ "op": "write", "offset": off, "data": hx(data), "root": hx(m.root()), "size": m.size() }));
    }
    m.expand(2_000_000, 32).unwrap();
    steps.push(json!({ "op": "expand", "offset": 2_000_000, "length": 32, "root": hx(m.root()), "size": m.size() }));

    let root = m.root();
    let mut reads = Vec::new();
    let mut updates = Vec::new();
    for (name, off, len) in [
        ("aligned word 0", 0u64, 32u64),
        ("unaligned 32 bytes at 17", 17, 32),
        ("last word of 1 MiB", 1_048_544, 32),
        ("untouched word", 65_000 * 32, 32),
    ] {
        let o = m.prove_range(off, len).unwrap();
        reads.push(json!({
            "name": name, "root": hx(root), "offset": off, "length": len,
            "words": o.words.iter().map(|(i, w)| json!({"index": i, "word": hx(w)})).collect::<Vec<_>>(),
            "proof": hx(&o.proof),
            "expect": outcome(&memory::verify_words(root, &o.words, &o.proof)),
        }));
        let new = rnd_bytes(name, len as usize);
        let mut m2 = m.clone();
        m2.write(off, &new).unwrap();
        let ws: Vec<(u64, B256, B256)> = o.words.iter().map(|&(i, w)| (i, w, m2.word(i))).collect();
        updates.push(json!({
            "name": name, "root": hx(root),
            "writes": ws.iter().map(|(i, a, b)| json!({"index": i, "old": hx(a), "new": hx(b)})).collect::<Vec<_>>(),
            "proof": hx(&o.proof),
            "new_root": hx(memory::update_words(root, &ws, &o.proof).unwrap()),
        }));
    }
    let o = m.prove_range(17, 32).unwrap();
    for (name, words, p) in [
        ("flipped proof byte", o.words.clone(), flip(&o.proof, 9, 4)),
        (
            "wrong word",
            vec![o.words[0], (o.words[1].0, B256::repeat_byte(1))],
            o.proof.clone(),
        ),
        (
            "word index beyond 2^16",
            vec![(1 << 16, B256::ZERO)],
            o.proof.clone(),
        ),
    ] {
        reads.push(json!({
            "name": name, "root": hx(root),
            "words": words.iter().map(|(i, w)| json!({"index": i, "word": hx(w)})).collect::<Vec<_>>(),
            "proof": hx(&p), "expect": outcome(&memory::verify_words(root, &words, &p)),
        }));
    }
    let ranges: Vec<Value> = [(0u64, 0u64), (0, 1), (31, 2), (32, 32), (33, 64)]
        .iter()
        .map(|&(o, l)| {
            let r = word_range(o, l);
            json!({ "offset": o, "length": l, "first_word": r.start, "end_word": r.end })
        })
        .collect();
    json!({
        "depth": memory::MEM_DEPTH,
        "sequence": steps,
        "word_ranges": ranges,
        "verify_words": reads,
        "update_words": updates,
    })
}
