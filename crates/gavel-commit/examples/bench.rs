//! Update cost and proof sizes of every gavel-commit tree.
//!
//! `cargo run --release -p gavel-commit --example bench [accounts]`
//!
//! Prints a markdown table. Sizes are witness bytes; "floor gas" is their calldata cost under
//! the EIP-7623 floor (10 gas per zero byte, 40 per non-zero byte), the dominant cost of a step
//! on L1 (DESIGN §3). Times are wall-clock on this machine, one thread.

use std::time::Instant;

use alloy_primitives::{Address, B256, U256};
use gavel_commit::code::{CodeTree, push_len};
use gavel_commit::hash::{hash_count, keccak256};
use gavel_commit::memory::Memory;
use gavel_commit::stack::Stack;
use gavel_commit::substate::{Kind, Substate, key as sub_key};
use gavel_commit::trie::key::{self, TreeKey};
use gavel_commit::trie::world::WorldState;

fn rnd(seed: &str, i: u64) -> B256 {
    keccak256(&[seed.as_bytes(), &i.to_be_bytes()].concat())
}

fn addr(i: u64) -> Address {
    Address::from_slice(&rnd("bench-addr", i)[12..])
}

fn floor_gas(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&b| if b == 0 { 10 } else { 40 }).sum()
}

fn row(what: &str, bytes: &[u8]) {
    println!("| {what} | {} | {} |", bytes.len(), floor_gas(bytes));
}

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v[v.len() / 2]
}

fn main() {
    let accounts: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);

    // Baseline: one tagged keccak of 65 bytes (an internal node).
    let t = Instant::now();
    let mut h = B256::ZERO;
    for _ in 0..200_000 {
        h = gavel_commit::hash::node_hash(&h, &B256::with_last_byte(1));
    }
    println!(
        "keccak baseline: {:.0} ns per internal-node hash ({h:.4})",
        t.elapsed().as_secs_f64() * 1e9 / 200_000.0
    );
    println!();

    // World: every account has BASIC_DATA, CODE_HASH, CODE_ROOT, two header slots and one
    // main-storage slot (so two stems per account).
    let mut w = WorldState::new();
    let t = Instant::now();
    for i in 0..accounts {
        let a = addr(i);
        w.set(&key::basic_data_key(&a), rnd("basic", i));
        w.set(&key::code_hash_key(&a), rnd("codehash", i));
        w.set(&key::code_root_key(&a), rnd("coderoot", i));
        w.set_storage(&a, U256::from(0), rnd("s0", i).into());
        w.set_storage(&a, U256::from(1), rnd("s1", i).into());
        w.set_storage(&a, rnd("slot", i).into(), rnd("s2", i).into());
    }
    let build = t.elapsed();
    let n = 20_000u64;
    let h0 = hash_count();
    let t = Instant::now();
    for j in 0..n {
        let a = addr(j % accounts);
        w.set_storage(&a, U256::from(1), rnd("upd", j).into());
    }
    let upd = t.elapsed();
    let hashes = (hash_count() - h0) as f64 / n as f64;

    println!(
        "## world trie: {accounts} accounts, {} stems",
        w.stem_count()
    );
    println!();
    println!(
        "build {:.2} s; storage write {:.2} µs and {hashes:.1} keccak per write (8 subtree + path + terminal)",
        build.as_secs_f64(),
        upd.as_secs_f64() * 1e6 / n as f64
    );
    let depths: Vec<usize> = (0..1000)
        .map(|i| w.depth_of(&key::basic_data_key(&addr(i % accounts)).stem))
        .collect();
    println!(
        "stem depth: median {}, max {} (of 1000 sampled accounts)",
        median(depths.clone()),
        depths.iter().max().unwrap()
    );
    println!();
    println!("| witness | bytes | floor gas |");
    println!("|---|---|---|");
    let a = addr(7);
    let k = key::storage_key(&a, U256::from(1));
    row(
        "header storage slot (account stem)",
        &w.prove(&k.stem, &[k.subindex]).unwrap(),
    );
    let k = key::storage_key(&a, rnd("slot", 7).into());
    row(
        "main storage slot (own stem)",
        &w.prove(&k.stem, &[k.subindex]).unwrap(),
    );
    let stem = key::basic_data_key(&a).stem;
    row("account: BASIC_DATA", &w.prove(&stem, &[0]).unwrap());
    row(
        "account: BASIC_DATA + CODE_HASH + CODE_ROOT",
        &w.prove(&stem, &[0, 1, 2]).unwrap(),
    );
    let absent = key::basic_data_key(&Address::repeat_byte(0xee)).stem;
    row(
        "absent account (insertion witness)",
        &w.prove(&absent, &[0]).unwrap(),
    );
    let sizes: Vec<usize> = (0..1000)
        .map(|i| {
            let k = key::storage_key(&addr(i % accounts), U256::from(1));
            w.prove(&k.stem, &[k.subindex]).unwrap().len()
        })
        .collect();
    println!(
        "| header slot, median / max of 1000 accounts | {} / {} | |",
        median(sizes.clone()),
        sizes.iter().max().unwrap()
    );
    let _ = TreeKey { stem, subindex: 0 };

    // Memory: 1 MiB of non-zero words.
    let mut m = Memory::new();
    let t = Instant::now();
    for i in 0..32_768u64 {
        m.write(i * 32, rnd("mem", i).as_slice()).unwrap();
    }
    let fill = t.elapsed();
    let t = Instant::now();
    for i in 0..n {
        m.write((i * 7919 % 32_768) * 32, rnd("mem2", i).as_slice())
            .unwrap();
    }
    let mw = t.elapsed();
    println!();
    println!("## memory: 1 MiB (32768 non-zero words)");
    println!();
    println!(
        "fill {:.1} ms; MSTORE of one word {:.2} µs (16 keccak)",
        fill.as_secs_f64() * 1e3,
        mw.as_secs_f64() * 1e6 / n as f64
    );
    println!();
    println!("| witness | bytes | floor gas |");
    println!("|---|---|---|");
    row(
        "aligned word (MLOAD/MSTORE), 1 MiB",
        &m.prove_range(4096, 32).unwrap().proof,
    );
    row(
        "unaligned 32 bytes (two words), 1 MiB",
        &m.prove_range(4100, 32).unwrap().proof,
    );
    let mut small = Memory::new();
    small.write(0, &[1; 256]).unwrap();
    row(
        "aligned word, 256-byte memory",
        &small.prove_range(64, 32).unwrap().proof,
    );

    // Code: a 24 KiB contract of random bytes (so PUSHes of every size occur).
    let code: Vec<u8> = (0..24_576u64 / 32).flat_map(|i| rnd("code", i).0).collect();
    let t = Instant::now();
    let ct = CodeTree::new(&code).unwrap();
    let ctime = t.elapsed();
    let mut pc = 0usize;
    let mut fetch_sizes = Vec::new();
    let mut by_chunks = [0usize; 4];
    while pc < code.len() {
        let f = ct.prove_fetch(pc as u64).unwrap();
        let bytes = f.chunks.len() * 32 + f.proof.len();
        fetch_sizes.push(bytes);
        by_chunks[f.chunks.len()] = by_chunks[f.chunks.len()].max(bytes);
        pc += 1 + push_len(code[pc]);
    }
    println!();
    println!(
        "## code: 24 KiB contract (793 chunks), chunk tree built in {:.2} ms",
        ctime.as_secs_f64() * 1e3
    );
    println!();
    println!(
        "opcode fetch witness (chunks + proof), over all {} instructions: median {} B, max {} B; max by chunk count 1/2/3: {} / {} / {} B",
        fetch_sizes.len(),
        median(fetch_sizes.clone()),
        fetch_sizes.iter().max().unwrap(),
        by_chunks[1],
        by_chunks[2],
        by_chunks[3]
    );
    let f = ct.prove_fetch(31 * 100).unwrap();
    println!();
    println!("| witness | bytes | floor gas |");
    println!("|---|---|---|");
    row(
        "fetch, one chunk (chunk + proof)",
        &[f.chunks.concat(), f.proof].concat(),
    );

    // Substate and stack.
    let mut s = Substate::new();
    for i in 0..200u64 {
        s.warm_account(&addr(i));
        s.warm_slot(&addr(i), U256::from(i));
    }
    row(
        "substate: warm slot, 400 entries",
        &s.prove(&sub_key(Kind::WarmSlot, &addr(3), U256::from(3))),
    );
    row(
        "substate: cold slot, 400 entries",
        &s.prove(&sub_key(Kind::WarmSlot, &addr(3), U256::from(4))),
    );
    let mut st = Stack::new();
    for i in 0..20u64 {
        st.push(rnd("stack", i).into()).unwrap();
    }
    row("stack: open 2 (ADD)", &st.open(2).unwrap().to_bytes());
    row("stack: open 17 (SWAP16)", &st.open(17).unwrap().to_bytes());
}
