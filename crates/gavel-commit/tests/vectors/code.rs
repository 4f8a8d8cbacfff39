//! `code.json`: chunking (incl. PUSH32 data spanning three chunks), code roots, opcode fetch
//! and jump-destination checks, with negative cases.

use alloy_primitives::B256;
use gavel_commit::code::{self, CodeTree, MAX_CHUNKS, chunkify, verify_fetch, verify_jumpdest};
use serde_json::{Value, json};

use crate::util::{flip, hx, outcome, rnd_bytes};

fn fetch_case(name: &str, root: B256, pc: u64, chunks: &[B256], p: &[u8]) -> Value {
    let r = verify_fetch(root, pc, chunks, p);
    let mut v = json!({
        "name": name, "root": hx(root), "pc": pc,
        "chunks": chunks.iter().map(hx).collect::<Vec<_>>(), "proof": hx(p),
        "expect": outcome(&r),
    });
    if let Ok(ins) = r {
        v["opcode"] = json!(ins.opcode);
        v["immediate"] = json!(hx(&ins.immediate));
    }
    v
}

fn jump_case(name: &str, root: B256, dest: u64, chunk: Option<B256>, p: &[u8]) -> Value {
    let r = verify_jumpdest(root, dest, chunk, p);
    let mut v = json!({
        "name": name, "root": hx(root), "dest": dest,
        "chunk": chunk.map(hx), "proof": hx(p), "expect": outcome(&r),
    });
    if let Ok(valid) = r {
        v["valid"] = json!(valid);
    }
    v
}

pub fn vectors() -> Value {
    // PUSH32 on the last byte of chunk 0: its data fills chunk 1 and spills one byte into 2.
    let mut span = vec![0x5b; 30];
    span.push(0x7f);
    span.extend(1..=32u8);
    span.extend([0x5b, 0x56]);
    let programs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("one STOP", vec![0x00]),
        ("PUSH1 0x5b JUMPDEST", vec![0x60, 0x5b, 0x5b]),
        ("PUSH32 spanning three chunks", span.clone()),
        ("truncated PUSH2 at the end", vec![0x5b, 0x61, 0x5b]),
        (
            "exactly 31 bytes",
            (0..31)
                .map(|i| if i % 2 == 0 { 0x5b } else { 0x01 })
                .collect(),
        ),
        ("700 pseudo-random bytes", rnd_bytes("code", 700)),
    ];
    let chunking: Vec<Value> = programs
        .iter()
        .map(|(name, c)| {
            json!({
                "name": name, "code": hx(c),
                "chunks": chunkify(c).iter().map(hx).collect::<Vec<_>>(),
                "root": hx(CodeTree::new(c).unwrap().root()),
            })
        })
        .collect();

    let t = CodeTree::new(&span).unwrap();
    let root = t.root();
    let mut fetch = Vec::new();
    for (name, pc) in [
        ("JUMPDEST at pc 0", 0u64),
        ("PUSH32 at pc 30 (three chunks)", 30),
        ("JUMPDEST right after the push data", 63),
        ("past the end of code: STOP", 70),
    ] {
        let w = t.prove_fetch(pc).unwrap();
        fetch.push(fetch_case(name, root, pc, &w.chunks, &w.proof));
    }
    let far = MAX_CHUNKS * 31;
    fetch.push(fetch_case(
        "past the tree: STOP without proof",
        root,
        far,
        &[],
        &[],
    ));
    let w = t.prove_fetch(30).unwrap();
    fetch.push(fetch_case(
        "PUSH32 with its last chunk missing",
        root,
        30,
        &w.chunks[..2],
        &w.proof,
    ));
    let mut bad = w.chunks.clone();
    bad[1].0[5] ^= 1;
    fetch.push(fetch_case(
        "PUSH32 with a forged data byte",
        root,
        30,
        &bad,
        &w.proof,
    ));
    fetch.push(fetch_case(
        "flipped bitmap bit",
        root,
        30,
        &w.chunks,
        &flip(&w.proof, 1, 0x10),
    ));
    // A larger program: real siblings in the proofs.
    let big = rnd_bytes("code", 700);
    let tb = CodeTree::new(&big).unwrap();
    let mut pc = 0usize;
    let mut boundaries = Vec::new();
    while pc < big.len() {
        boundaries.push(pc as u64);
        pc += 1 + code::push_len(big[pc]);
    }
    for &pc in boundaries.iter().step_by(boundaries.len() / 6 + 1) {
        let w = tb.prove_fetch(pc).unwrap();
        fetch.push(fetch_case(
            &format!("700-byte program, pc {pc}"),
            tb.root(),
            pc,
            &w.chunks,
            &w.proof,
        ));
    }
    let wb = tb.prove_fetch(boundaries[3]).unwrap();
    fetch.push(fetch_case(
        "700-byte program, flipped sibling byte",
        tb.root(),
        boundaries[3],
        &wb.chunks,
        &flip(&wb.proof, 7, 0x01),
    ));
    let w0 = t.prove_fetch(0).unwrap();
    fetch.push(fetch_case(
        "extra chunk",
        root,
        0,
        &[w0.chunks[0], B256::ZERO],
        &w0.proof,
    ));
    fetch.push(fetch_case("proof past the tree", root, far, &[], &[0]));

    let chunks = chunkify(&span);
    let mut jumps = Vec::new();
    for (name, dest) in [
        ("JUMPDEST at 0", 0u64),
        ("PUSH32 opcode is no JUMPDEST", 30),
        ("push data is no JUMPDEST", 40),
        ("JUMPDEST after push data", 63),
        ("JUMP opcode", 64),
        ("past the end of code", 100),
    ] {
        let c = dest / 31;
        jumps.push(jump_case(
            name,
            root,
            dest,
            Some(chunks.get(c as usize).copied().unwrap_or_default()),
            &t.prove_chunks(&[c]).unwrap(),
        ));
    }
    jumps.push(jump_case("past the tree", root, u64::MAX, None, &[]));
    jumps.push(jump_case(
        "forged chunk",
        root,
        40,
        Some(B256::repeat_byte(0x5b)),
        &t.prove_chunks(&[1]).unwrap(),
    ));
    jumps.push(jump_case(
        "missing chunk",
        root,
        0,
        None,
        &t.prove_chunks(&[0]).unwrap(),
    ));

    let pdata = json!({
        "rule": "chunk i = prefix ‖ code[31i..31i+31] (zero padded); prefix = min(31, PUSH-data bytes at the chunk's start)",
        "depth": code::CODE_DEPTH,
    });
    json!({ "format": pdata, "chunking": chunking, "fetch": fetch, "jumpdest": jumps })
}
