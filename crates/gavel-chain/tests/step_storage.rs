//! The storage step (docs/spec.md §16.3): every step of batches that SLOAD and SSTORE goes
//! through the deployed `EvmStepVerifier` → `OpcodeStepVerifier` → `StorageStepVerifier` and
//! must answer exactly the executor's post-state (whose transaction ends are revm's gas and
//! refunds: the transaction-end step's post is the executor's boundary).
//!
//! Covered: cold and warm accesses (also warm through an access list), header slots (< 64) and
//! main storage, zero → non-zero, non-zero → zero (refund), restoring the original value (both
//! from zero and from non-zero), a no-op write, a transient write into a main-storage stem that
//! did not exist (the stem stays), reverting transactions after SSTOREs (with and without a
//! value transfer), the EIP-2200 sentry, out of gas on a cold SSTORE and on a cold SLOAD, an
//! out-of-gas halt after several SSTOREs; then byte flips of the storage witnesses.
//!
//! `cargo test -p gavel-chain --test step_storage -- --nocapture gas_table` prints the gas of
//! SLOAD and SSTORE steps.

use std::collections::BTreeMap;

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::sol;
use alloy::sol_types::SolCall;
use alloy_eips::eip2930::{AccessList, AccessListItem};
use gavel_chain::{
    EvmVerifierParams, InProcessL1, StepOutcome, deploy_evm_verifier, dev_address, run_step,
};
use gavel_commit::proof::{Reader, read_multiproof};
use gavel_commit::trie::path::PathProof;
use gavel_trace::asm::Asm;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
use gavel_trace::chain::GenesisAccount;
use gavel_trace::executor::{Outcome, TxOutcome, TxStatus};
use gavel_trace::step::{ProofKind, StepProof};
use gavel_trace::{ExecOptions, Executor, Genesis, Layout};
use revm::bytecode::opcode::*;

sol!(
    #[derive(Debug, PartialEq, Eq)]
    StepGasProbe,
    "../../contracts/artifacts/StepGasProbe.json"
);

const T0: u64 = 1_700_000_000;
const ETH: u128 = 1_000_000_000_000_000_000;
const CHAIN: u64 = 901;

/// The storage script: 96-byte entries `(mode, slot, value)`; mode 0 `sstore(slot, value)`,
/// otherwise `pop(sload(slot))`.
const SCRIPT: Address = Address::new([0x53; 20]);
/// `sstore(3, 7); sstore(0x1000, 9); revert(0, 0)`.
const REVERTER: Address = Address::new([0x54; 20]);
/// Burns gas while `gas > calldata[0]`, then `sload(0)` if `calldata[32] ≠ 0`, else
/// `sstore(0, 1)`.
const BURNER: Address = Address::new([0x55; 20]);

const LOAD: u8 = 1;
const STORE: u8 = 0;
/// A main-storage slot whose stem holds nothing else.
const LONELY: u64 = 5000;

fn big() -> U256 {
    U256::from(1) << 200
}

fn script() -> Bytes {
    let mut a = Asm::new();
    a.op(PUSH0)
        .label("loop")
        .op(DUP1)
        .op(CALLDATASIZE)
        .op(GT)
        .jumpi("entry")
        .op(STOP)
        .label("entry")
        .op(DUP1)
        .op(CALLDATALOAD)
        .dup(2)
        .push(32)
        .op(ADD)
        .op(CALLDATALOAD)
        .swap(1)
        .jumpi("load")
        .dup(2)
        .push(64)
        .op(ADD)
        .op(CALLDATALOAD)
        .swap(1)
        .op(SSTORE)
        .jump("next")
        .label("load")
        .op(SLOAD)
        .op(POP)
        .label("next")
        .push(96)
        .op(ADD)
        .jump("loop");
    a.build().expect("script")
}

fn reverter() -> Bytes {
    let mut a = Asm::new();
    a.push(7)
        .push(3)
        .op(SSTORE)
        .push(9)
        .push(0x1000)
        .op(SSTORE)
        .op(PUSH0)
        .op(PUSH0)
        .op(REVERT);
    a.build().expect("reverter")
}

fn burner() -> Bytes {
    let mut a = Asm::new();
    a.label("top")
        .op(PUSH0)
        .op(CALLDATALOAD)
        .op(GAS)
        .op(GT)
        .jumpi("top")
        .push(32)
        .op(CALLDATALOAD)
        .jumpi("load")
        .push(1)
        .op(PUSH0)
        .op(SSTORE)
        .op(STOP)
        .label("load")
        .op(PUSH0)
        .op(SLOAD)
        .op(STOP);
    a.build().expect("burner")
}

fn entries(e: &[(u8, U256, u64)]) -> Vec<u8> {
    e.iter()
        .flat_map(|(mode, slot, value)| {
            [
                U256::from(*mode).to_be_bytes::<32>(),
                slot.to_be_bytes::<32>(),
                U256::from(*value).to_be_bytes::<32>(),
            ]
            .concat()
        })
        .collect()
}

fn words(w: &[u64]) -> Vec<u8> {
    w.iter()
        .flat_map(|x| U256::from(*x).to_be_bytes::<32>())
        .collect()
}

fn u(x: u64) -> U256 {
    U256::from(x)
}

/// The storage batch; see the module docs. Transactions, in order:
/// block 1: 0 the script's tour of slot transitions, 1 warm accesses through an access list and
/// a read of the lonely stem, 2 and 3 reverts after SSTOREs (with and without value);
/// block 2: 4 the sentry, 5 out of gas on a cold SSTORE, 6 a cold SSTORE that succeeds, 7 out
/// of gas after two SSTOREs, 8 out of gas on a cold SLOAD, 9 out of gas on SLOAD's static gas.
fn storage_batch() -> Executor {
    let (alice, bob) = (dev_key(1), dev_key(2));
    let mut genesis = Genesis::new(CHAIN);
    genesis.timestamp = T0;
    let funded = GenesisAccount {
        balance: 10 * ETH,
        ..Default::default()
    };
    let contract = |code: Bytes, storage: &[(U256, U256)]| GenesisAccount {
        nonce: 1,
        code,
        storage: storage.iter().copied().collect::<BTreeMap<_, _>>(),
        ..Default::default()
    };
    for (a, acc) in [
        (alice.address(), funded.clone()),
        (bob.address(), funded),
        (
            SCRIPT,
            contract(
                script(),
                &[(u(3), u(7)), (u(70), u(9)), (big(), u(11)), (u(1000), u(5))],
            ),
        ),
        (REVERTER, contract(reverter(), &[(u(3), u(1))])),
        (BURNER, contract(burner(), &[])),
    ] {
        genesis.alloc.insert(a, acc);
    }
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, T0 + 12));
    let tour = entries(&[
        (LOAD, u(3), 0),       // cold header slot, non-zero
        (STORE, u(3), 0),      // warm, non-zero → zero: refund 4800
        (STORE, u(3), 7),      // back to the original: −4800 + 2800
        (STORE, u(100), 1),    // cold, main storage, zero → non-zero, absent stem
        (STORE, u(100), 2),    // dirty
        (STORE, u(100), 0),    // back to the original zero: refund 19,900
        (STORE, u(LONELY), 8), // creates a stem ...
        (STORE, u(LONELY), 0), // ... that stays with a zero value
        (STORE, big(), 0),     // cold, main, existing stem, non-zero → zero
        (LOAD, big(), 0),      // warm, now zero
        (STORE, u(70), 70),    // cold header reset
        (STORE, u(70), 70),    // no-op: new = current, no original opening
        (LOAD, u(12_345), 0),  // cold, absent main-storage stem
        (STORE, u(1000), 6),   // a second slot of an existing main stem
    ]);
    b.tx(&alice, TxRequest::call(SCRIPT, tour).gas(400_000))
        .expect("tx");
    let listed = entries(&[
        (LOAD, u(70), 0),
        (STORE, u(4), 1),
        (LOAD, u(LONELY), 0),
        (STORE, u(LONELY), 0),
    ]);
    b.tx(
        &bob,
        TxRequest::call(SCRIPT, listed)
            .access_list(AccessList(vec![AccessListItem {
                address: SCRIPT,
                storage_keys: vec![B256::with_last_byte(70), B256::with_last_byte(4)],
            }]))
            .gas(200_000),
    )
    .expect("tx");
    b.tx(
        &alice,
        TxRequest::call(REVERTER, Vec::new())
            .value(U256::from(5))
            .gas(100_000),
    )
    .expect("tx");
    b.tx(&bob, TxRequest::call(REVERTER, Vec::new()).gas(100_000))
        .expect("tx");
    b.block(BlockContext::new(2, T0 + 24));
    for (threshold, load, gas) in [(2300, 0, 60_000), (5000, 0, 60_000), (30_000, 0, 80_000)] {
        b.tx(
            &alice,
            TxRequest::call(BURNER, words(&[threshold, load])).gas(gas),
        )
        .expect("tx");
    }
    let starved = entries(&[(STORE, u(200), 1), (STORE, u(201), 1), (STORE, u(202), 1)]);
    b.tx(&bob, TxRequest::call(SCRIPT, starved).gas(80_000))
        .expect("tx");
    for threshold in [2000, 60] {
        b.tx(
            &alice,
            TxRequest::call(BURNER, words(&[threshold, 1])).gas(60_000),
        )
        .expect("tx");
    }
    Executor::run(
        genesis.prestate().expect("prestate"),
        b.build().expect("batch"),
        ExecOptions {
            layout: Layout::EVM,
            ..ExecOptions::default()
        },
    )
    .expect("the batch executes")
}

/// The executed transactions' statuses, in order.
fn statuses(exec: &Executor) -> Vec<TxStatus> {
    exec.transitions()
        .iter()
        .filter_map(|t| match &t.outcome {
            Outcome::Tx(TxOutcome::Executed { status, .. }) => Some(status.clone()),
            _ => None,
        })
        .collect()
}

async fn deploy(l1: &InProcessL1, exec: &Executor) -> Address {
    deploy_evm_verifier(l1, dev_address(0), EvmVerifierParams::for_executor(exec))
        .await
        .expect("deploy the EVM step verifier")
        .verifier
}

/// Every step of every transition, each verified on-chain with the executor's post.
async fn all_proofs(l1: &InProcessL1, verifier: Address, exec: &Executor) -> Vec<StepProof> {
    let mut out = Vec::new();
    for (j, t) in exec.transitions().iter().enumerate() {
        let ks: Vec<u64> = (0..t.steps).collect();
        for p in exec.step_proofs(j as u64, &ks).expect("proofs") {
            let w = p.witness.as_ref().expect("a witness");
            let got = run_step(l1, verifier, p.pre, p.trace_index, w)
                .await
                .expect("call the verifier");
            assert_eq!(
                got,
                StepOutcome::Post(p.post),
                "transition {j} ({:?}) at {}",
                p.kind,
                p.trace_index
            );
            out.push(p);
        }
    }
    out
}

fn storage_op(p: &StepProof) -> Option<u8> {
    match p.kind {
        ProofKind::Opcode { opcode } if opcode == SLOAD || opcode == SSTORE => Some(opcode),
        _ => None,
    }
}

/// The op part of an opcode witness (§16.3: four `u32 ‖ part` after 193 bytes).
fn op_part(w: &[u8]) -> &[u8] {
    let mut at = 193;
    let mut parts = Vec::new();
    for _ in 0..4 {
        let n = u32::from_be_bytes(w[at..at + 4].try_into().expect("4 bytes")) as usize;
        parts.push(&w[at + 4..at + 4 + n]);
        at += 4 + n;
    }
    parts[2]
}

fn op_part_len(w: &[u8]) -> usize {
    op_part(w).len()
}

/// Whether a storage op part carries the original-value opening (`TxEnv ‖ Boundary ‖ …`, an
/// SSTORE that changes the value): bytes left after `Context ‖ Frame ‖ warm proof ‖ current ‖
/// opening`. A one-leaf opening's multiproof has 8 requests whatever the subindex.
fn has_original(w: &[u8]) -> bool {
    let part = op_part(w);
    let mut r = Reader::new(&part[424..]);
    PathProof::decode(&mut r).expect("warm proof");
    r.word().expect("current value");
    if PathProof::decode(&mut r).expect("stem path").is_present() {
        read_multiproof(&mut r, 8, &[0]).expect("multiproof");
    }
    r.pos() < part.len() - 424
}

#[tokio::test]
async fn every_step_of_the_storage_batch_is_verified() {
    let exec = storage_batch();
    let st = statuses(&exec);
    assert_eq!(st.len(), 10, "{st:?}");
    assert_eq!(st[0], TxStatus::Success);
    assert_eq!(st[1], TxStatus::Success);
    assert_eq!((&st[2], &st[3]), (&TxStatus::Revert, &TxStatus::Revert));
    assert!(
        matches!(&st[4], TxStatus::Halt(r) if r.contains("ReentrancySentry")),
        "{st:?}"
    );
    assert!(
        matches!(&st[5], TxStatus::Halt(r) if r.contains("OutOfGas")),
        "{st:?}"
    );
    assert_eq!(st[6], TxStatus::Success);
    for s in &st[7..] {
        assert!(
            matches!(s, TxStatus::Halt(r) if r.contains("OutOfGas")),
            "{st:?}"
        );
    }
    // The transient write kept its stem, as the verifier's trie does.
    let fin = exec.final_state();
    assert_eq!(fin.world_root(), fin.root_from_scratch());
    assert_eq!(fin.storage(&SCRIPT, u(3)), u(7));
    assert_eq!(fin.storage(&SCRIPT, u(4)), u(1));
    assert_eq!(fin.storage(&SCRIPT, u(100)), U256::ZERO);
    assert_eq!(fin.storage(&SCRIPT, big()), U256::ZERO);
    assert_eq!(fin.storage(&REVERTER, u(3)), u(1));
    assert_eq!(fin.storage(&BURNER, U256::ZERO), u(1));

    // The tour earns refunds: the halted context's counter, capped at a fifth of the gas used,
    // is what revm refunded (the transaction end's post, verified below, is the executor's
    // boundary, whose gas comes from revm).
    let tour = &exec.transitions()[1];
    let Outcome::Tx(TxOutcome::Executed { gas_used, .. }) = tour.outcome else {
        panic!("the tour executed");
    };
    let end = exec
        .step_inputs(exec.layout().trace_index(1, tour.steps - 1))
        .expect("the tour's transaction end");
    let refund = end.context.expect("context").refund;
    let used = 400_000 - end.step.expect("halted state").machine.gas;
    // 47,400 earned, above the EIP-3529 cap of a fifth.
    assert!(refund as u64 > used / 5, "{refund} {used}");
    assert_eq!(gas_used, used - used / 5);

    let l1 = InProcessL1::with_accounts(1);
    let verifier = deploy(&l1, &exec).await;
    let proofs = all_proofs(&l1, verifier, &exec).await;
    let loads = proofs
        .iter()
        .filter(|p| storage_op(p) == Some(SLOAD))
        .count();
    let stores = proofs
        .iter()
        .filter(|p| storage_op(p) == Some(SSTORE))
        .count();
    // Script: 3 + 2 loads, 11 + 2 + 3 stores (the third of tx 7 halts); reverter 2 × 2;
    // burner: 3 stores, 2 loads.
    assert_eq!(
        (loads, stores),
        (3 + 2 + 2, 11 + 2 + 4 + 3 + 3),
        "{loads} {stores}"
    );
    // The halts with and without the storage openings (spec §16.3).
    let halting: Vec<usize> = proofs
        .iter()
        .zip(proofs.iter().skip(1))
        .filter(|(p, next)| storage_op(p).is_some() && next.kind == ProofKind::TxEnd)
        .map(|(p, _)| op_part_len(p.witness.as_ref().expect("witness")))
        .collect();
    // Sentry, cold SSTORE, the starved third SSTORE, cold SLOAD, SLOAD's static gas.
    assert_eq!(halting.len(), 5, "{halting:?}");
    assert_eq!(halting[0], 0, "the sentry needs no openings");
    assert!(
        halting[1] > 0 && halting[2] > 0 && halting[3] > 0,
        "{halting:?}"
    );
    assert_eq!(halting[4], 0, "SLOAD's static gas needs no openings");
    // The original value is opened exactly for SSTOREs that change the value: in the tour,
    // all stores but the no-op.
    let tour: Vec<bool> = proofs
        .iter()
        .filter(|p| storage_op(p) == Some(SSTORE))
        .take(11)
        .map(|p| has_original(p.witness.as_ref().expect("witness")))
        .collect();
    assert_eq!(
        tour,
        [
            true, true, true, true, true, true, true, true, true, false, true
        ]
    );
}

#[tokio::test]
async fn every_step_of_the_storage_fixtures_is_verified() {
    for name in ["arith_loop", "erc20"] {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/batches")
            .join(name);
        let genesis = Genesis::from_file(dir.join("genesis.json")).expect("genesis");
        let batch = gavel_trace::Batch::from_file(dir.join("batch.json"), genesis.config.chain_id)
            .expect("batch");
        let exec = Executor::run(
            genesis.prestate().expect("prestate"),
            batch,
            ExecOptions {
                layout: Layout::EVM,
                ..ExecOptions::default()
            },
        )
        .expect("runs");
        let l1 = InProcessL1::with_accounts(1);
        let verifier = deploy(&l1, &exec).await;
        let proofs = all_proofs(&l1, verifier, &exec).await;
        let n = proofs.iter().filter(|p| storage_op(p).is_some()).count();
        assert!(n >= 10, "{name}: {n} storage steps");
    }
}

/// Flipping one bit of any byte of a storage step's witness is rejected or leaves the post
/// unchanged; every byte of a few steps (an SLOAD, an SSTORE with the original-value
/// opening, a cold out-of-gas SSTORE), every 5th byte of the others; a truncated or extended
/// witness is rejected.
#[tokio::test]
async fn byte_flips_of_storage_witnesses_are_rejected() {
    let exec = storage_batch();
    let l1 = InProcessL1::with_accounts(1);
    let verifier = deploy(&l1, &exec).await;
    let proofs = all_proofs(&l1, verifier, &exec).await;
    let storage: Vec<&StepProof> = proofs.iter().filter(|p| storage_op(p).is_some()).collect();
    let full = [0, 1, storage.len() - 4];
    let (mut rejected, mut same) = (0usize, 0usize);
    for (n, p) in storage.iter().enumerate() {
        let w = p.witness.as_ref().expect("witness");
        let stride = if full.contains(&n) { 1 } else { 5 };
        for i in (0..w.len()).step_by(stride) {
            let mut forged = w.to_vec();
            forged[i] ^= 0x01;
            match run_step(&l1, verifier, p.pre, p.trace_index, &forged)
                .await
                .expect("call")
            {
                StepOutcome::Post(post) => {
                    assert_eq!(post, p.post, "byte {i} of the witness at {}", p.trace_index);
                    same += 1;
                }
                StepOutcome::Rejected(_) => rejected += 1,
            }
        }
        for forged in [w[..w.len() - 1].to_vec(), [w.as_ref(), &[0u8][..]].concat()] {
            assert!(
                matches!(
                    run_step(&l1, verifier, p.pre, p.trace_index, &forged)
                        .await
                        .expect("call"),
                    StepOutcome::Rejected(_)
                ),
                "a truncated or extended witness at {}",
                p.trace_index
            );
        }
    }
    println!("storage witnesses: {rejected} flips rejected, {same} with the same post");
    assert!(rejected > 10_000, "only {rejected} flips were rejected");
}

#[tokio::test]
async fn gas_table() {
    let exec = storage_batch();
    let l1 = InProcessL1::with_accounts(1);
    let verifier = deploy(&l1, &exec).await;
    let from = dev_address(0);
    let probe = l1
        .send_now(gavel_chain::TxRequest::create(
            from,
            StepGasProbe::BYTECODE.clone(),
        ))
        .expect("deploy the probe")
        .contract_address
        .expect("an address");
    let proofs = all_proofs(&l1, verifier, &exec).await;
    let mut rows: BTreeMap<String, Vec<(u64, u64, u64)>> = BTreeMap::new();
    for p in proofs.iter().filter(|p| storage_op(p).is_some()) {
        let w = p.witness.clone().expect("witness");
        let call = StepGasProbe::measureCall {
            _verifier: verifier,
            _pre: p.pre,
            _traceIndex: U256::from(p.trace_index),
            _witness: w.clone(),
        };
        let out = l1
            .call_now(from, probe, call.abi_encode().into())
            .expect("measure");
        let r = StepGasProbe::measureCall::abi_decode_returns(&out).expect("decode");
        assert_eq!(r.post_, p.post);
        let floor: u64 = w.iter().map(|&b| if b == 0 { 10 } else { 40 }).sum();
        let name = match storage_op(p) {
            Some(SLOAD) => "SLOAD",
            _ => "SSTORE",
        };
        let class = if op_part_len(&w) == 0 {
            format!("{name} (halt, no openings)")
        } else if has_original(&w) {
            format!("{name} (value changes)")
        } else {
            name.to_owned()
        };
        rows.entry(class)
            .or_default()
            .push((r.gasUsed_.to::<u64>(), w.len() as u64, floor));
    }
    let med = |mut v: Vec<u64>| {
        v.sort_unstable();
        (v[v.len() / 2], *v.last().expect("one"))
    };
    println!("exec gas = the step call through EvmStepVerifier, incl. cold account accesses");
    println!(
        "{:<30} {:>5} {:>15} {:>17} {:>17}",
        "class", "steps", "exec gas med/max", "witness B med/max", "floor gas med/max"
    );
    for (k, v) in rows {
        let (g, gm) = med(v.iter().map(|r| r.0).collect());
        let (b, bm) = med(v.iter().map(|r| r.1).collect());
        let (f, fm) = med(v.iter().map(|r| r.2).collect());
        println!(
            "{k:<30} {:>5} {:>7}/{:<7} {:>8}/{:<8} {:>8}/{:<8}",
            v.len(),
            g,
            gm,
            b,
            bm,
            f,
            fm
        );
    }
}
