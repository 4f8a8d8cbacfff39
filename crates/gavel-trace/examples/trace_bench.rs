//! Executor figures: tracing throughput against plain revm, and the checkpoint trade-off.
//!
//! `cargo run --release -p gavel-trace --example trace_bench [accounts]`
//!
//! Prints markdown tables. Wall-clock, one thread, best of 3 runs.

use std::time::{Duration, Instant};

use alloy_primitives::{Address, U256};
use gavel_trace::asm::Asm;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
use gavel_trace::chain::{Genesis, GenesisAccount};
use gavel_trace::executor::{Outcome, TxOutcome};
use gavel_trace::{ExecOptions, Executor, SnapshotPolicy};
use revm::ExecuteEvm;
use revm::bytecode::opcode::*;
use revm::context::Context;
use revm::handler::{MainBuilder, MainContext};

const CHAIN: u64 = 901;
const LOOP: Address = Address::repeat_byte(0x10);

fn best<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    (best, out.expect("ran at least once"))
}

/// `n` iterations of JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH2 loop JUMPI (7 steps, 26 gas).
fn spin() -> alloy_primitives::Bytes {
    let mut a = Asm::new();
    a.op(PUSH0)
        .op(CALLDATALOAD)
        .label("loop")
        .push(1)
        .swap(1)
        .op(SUB)
        .op(DUP1)
        .jumpi("loop")
        .op(STOP);
    a.build().expect("labels resolve")
}

fn throughput() {
    let alice = dev_key(1);
    let mut g = Genesis::new(CHAIN);
    g.alloc.insert(
        alice.address(),
        GenesisAccount {
            balance: 10u128.pow(20),
            ..Default::default()
        },
    );
    g.alloc.insert(
        LOOP,
        GenesisAccount {
            nonce: 1,
            code: spin(),
            ..Default::default()
        },
    );
    let iterations: u64 = 300_000; // ~2.1M steps, ~7.8M gas: under the 2^23 cap
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, 1));
    b.tx(
        &alice,
        TxRequest::call(LOOP, U256::from(iterations).to_be_bytes::<32>().to_vec()).gas(8_000_000),
    )
    .expect("signs");
    let batch = b.build().expect("well formed");
    let pre = g.prestate().expect("valid genesis");

    // Plain revm on the same state, same transaction, no inspector.
    let tx = batch.blocks()[0].txs[0].tx_env();
    let block = batch.blocks()[0].context.revm_env();
    let mut cfg = revm::context::CfgEnv::new_with_spec(revm::primitives::hardfork::SpecId::OSAKA);
    cfg.chain_id = CHAIN;
    cfg.tx_gas_limit_cap = Some(1 << 23);
    let (plain, gas) = best(|| {
        let mut evm = Context::mainnet()
            .with_cfg(cfg.clone())
            .with_block(block.clone())
            .with_ref_db(&pre.state)
            .build_mainnet();
        evm.transact(tx.clone()).expect("runs").result.tx_gas_used()
    });

    let (count, ex) =
        best(|| Executor::run(pre.clone(), batch.clone(), ExecOptions::default()).expect("runs"));
    let Outcome::Tx(TxOutcome::Executed {
        opcode_steps,
        gas_used,
        ..
    }) = ex.transitions()[1].outcome
    else {
        panic!("the loop executes")
    };
    assert_eq!(gas_used, gas);
    let (record, trace) = best(|| ex.replay(1).expect("replays"));
    assert_eq!(trace.opcodes.steps.len() as u64, opcode_steps);

    // What a full bisection needs of this transition: every commitment (one replay with the
    // shadow machine) and the witness of its last opcode step (a second replay), on a fresh
    // executor so the commitment cache does not help.
    let steps = ex.transitions()[1].steps;
    let last_op = ex.layout().trace_index(1, steps - 2);
    let (bisect, proof) = best(|| {
        let fresh = ex.clone();
        let c = fresh.transition_commitments(1).expect("commits");
        assert_eq!(c.len() as u64, steps);
        fresh.step_proof(last_op).expect("proves")
    });
    assert!(proof.witness.is_some());
    let (commit_only, _) = best(|| ex.clone().transition_commitments(1).expect("commits"));

    let rate = |d: Duration| opcode_steps as f64 / d.as_secs_f64() / 1e6;
    println!("### Tracing throughput ({opcode_steps} steps, {gas_used} gas, one transaction)\n");
    println!("| run | time | M steps/s | × plain revm |");
    println!("|---|---|---|---|");
    for (what, d) in [
        ("plain revm (`transact`, no inspector)", plain),
        ("executor run (counting inspector, diff, boundaries)", count),
        ("replay of the transition (per-step records)", record),
        (
            "step machine: all commitments of the transition (one replay)",
            commit_only,
        ),
        (
            "step machine: all commitments + witness of the last opcode step",
            bisect,
        ),
    ] {
        println!(
            "| {what} | {:.1} ms | {:.0} | {:.2} |",
            d.as_secs_f64() * 1e3,
            rate(d),
            d.as_secs_f64() / plain.as_secs_f64()
        );
    }
    println!();
}

fn checkpoints(accounts: u64) {
    // `accounts` funded accounts plus a token-like contract with one slot per account.
    let mut g = Genesis::new(CHAIN);
    let keys: Vec<_> = (0..64).map(dev_key).collect();
    for k in &keys {
        g.alloc.insert(
            k.address(),
            GenesisAccount {
                balance: 10u128.pow(20),
                ..Default::default()
            },
        );
    }
    let mut token = GenesisAccount {
        nonce: 1,
        code: spin(),
        ..Default::default()
    };
    for i in 0..accounts {
        let a = Address::from_slice(&alloy_primitives::keccak256(i.to_be_bytes())[12..]);
        g.alloc.insert(
            a,
            GenesisAccount {
                balance: 1,
                ..Default::default()
            },
        );
        token.storage.insert(U256::from(i) << 64, U256::from(i + 1));
    }
    g.alloc.insert(LOOP, token);
    let pre = g.prestate().expect("valid genesis");
    let stems = pre.state.world().stem_count();

    let txs = 512;
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, 1));
    for i in 0..txs {
        let to = Address::from_slice(&alloy_primitives::keccak256((i as u64).to_be_bytes())[12..]);
        b.tx(
            &keys[i % keys.len()],
            TxRequest::transfer(to, U256::from(5)),
        )
        .expect("signs");
    }
    let batch = b.build().expect("well formed");
    let n = batch.transition_count();

    let (clone, _) = best(|| pre.state.clone());
    // Resident memory of a few clones, from the kernel's count (pages of 4 KiB).
    let rss = || -> u64 {
        std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(0, |pages| pages * 4096)
    };
    let before = rss();
    let clones: Vec<_> = (0..4).map(|_| pre.state.clone()).collect();
    let per_clone = rss().saturating_sub(before) / clones.len() as u64;
    drop(clones);
    println!("### Checkpoints ({stems} stems, {n} transitions of plain transfers)\n");
    println!("| what | cost |");
    println!("|---|---|");
    println!(
        "| one snapshot (clone of the whole state) | {:.2} ms, {:.1} MB |",
        clone.as_secs_f64() * 1e3,
        per_clone as f64 / 1e6
    );
    for policy in [
        SnapshotPolicy::EveryTransitions(64),
        SnapshotPolicy::EveryChanges(512),
        SnapshotPolicy::Auto,
    ] {
        let opts = ExecOptions {
            snapshots: policy,
            ..ExecOptions::default()
        };
        let (run, ex) = best(|| Executor::run(pre.clone(), batch.clone(), opts).expect("runs"));
        let (snaps, entries) = ex.checkpoint_sizes();
        // The worst case for the policy: the transition just before its second snapshot (all
        // three take their first one at transition 0 and, here, at most one more early on).
        let entries_of = |j: u64| ex.changes(j).map_or(0, <[_]>::len) as u64;
        let worst = match policy {
            SnapshotPolicy::EveryTransitions(k) => (k - 1).min(n - 1),
            SnapshotPolicy::EveryChanges(k) => {
                let (mut j, mut sum) = (0, 0);
                while j + 1 < n && sum + entries_of(j) < k {
                    sum += entries_of(j);
                    j += 1;
                }
                j
            }
            _ => n - 1,
        };
        let (rebuild, st) = best(|| ex.state_before(worst).expect("rebuilds"));
        assert_eq!(st.world_root(), ex.boundary_before(worst).world_root);
        // Every policy here has its last snapshot before `worst` at transition 0.
        let replayed: usize = (0..worst)
            .map(|j| ex.changes(j).map_or(0, <[_]>::len))
            .sum();
        println!(
            "| {policy:?}: batch run ({snaps} snapshot(s), {entries} journal entries) | {:.1} ms |",
            run.as_secs_f64() * 1e3
        );
        println!(
            "| {policy:?}: state before transition {worst} ({replayed} entries replayed on one clone) | {:.2} ms |",
            rebuild.as_secs_f64() * 1e3
        );
    }
    println!();
}

fn main() {
    let accounts = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    throughput();
    checkpoints(accounts);
}
