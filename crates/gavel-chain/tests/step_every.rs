//! Every step of whole batches through the deployed EVM step verifier (docs/spec.md §16–§17):
//! the library prover (`Executor::step_proofs`) gives pre, post and witness of each step —
//! block starts and ends, transaction starts (executed and skipped), access-list warm-ups,
//! opcodes, transaction ends — and `EvmStepVerifier` must answer exactly the executor's
//! post-state. Also the past-batch leaf and stutter leaves.
//!
//! Batches: the `transfers` and `mem_loop` fixtures and one built here with EIP-2930 access
//! lists on calls (a repeated address and key, 1559 and 2930 types, a reverting callee).

use std::path::PathBuf;

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy_eips::eip2930::{AccessList, AccessListItem};
use gavel_chain::{
    EvmVerifierParams, InProcessL1, StepOutcome, deploy_evm_verifier, dev_address, run_step,
};
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, TxType, dev_key};
use gavel_trace::chain::GenesisAccount;
use gavel_trace::step::{ProofKind, StepProof};
use gavel_trace::{Batch, ExecOptions, Executor, Genesis, Layout};

const T0: u64 = 1_700_000_000;
const ETH: u128 = 1_000_000_000_000_000_000;

fn run(genesis: &Genesis, batch: Batch) -> Executor {
    Executor::run(
        genesis.prestate().expect("prestate"),
        batch,
        ExecOptions {
            layout: Layout::EVM,
            ..ExecOptions::default()
        },
    )
    .expect("the batch executes")
}

fn fixture(name: &str) -> Executor {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/batches")
        .join(name);
    let genesis = Genesis::from_file(dir.join("genesis.json")).expect("genesis");
    let batch = Batch::from_file(dir.join("batch.json"), genesis.config.chain_id).expect("batch");
    run(&genesis, batch)
}

/// `mstore(0, calldata[0..32]); return(0, 32)` (storage is not supported by the step machine
/// yet).
const ECHO: Address = Address::new([0x51; 20]);
/// `revert(0, 0)`.
const REVERTER: Address = Address::new([0x52; 20]);

/// Calls with access lists: the callee and its slots warmed, an address and a key listed twice,
/// a list naming the sender and the coinbase, a reverting callee with a list.
fn access_lists() -> Executor {
    let (alice, bob) = (dev_key(1), dev_key(2));
    let mut genesis = Genesis::new(901);
    genesis.timestamp = T0;
    for (a, acc) in [
        (
            alice.address(),
            GenesisAccount {
                balance: 10 * ETH,
                ..Default::default()
            },
        ),
        (
            bob.address(),
            GenesisAccount {
                balance: 10 * ETH,
                ..Default::default()
            },
        ),
        (
            ECHO,
            GenesisAccount {
                nonce: 1,
                code: Bytes::from_static(&[0x5f, 0x35, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]),
                ..Default::default()
            },
        ),
        (
            REVERTER,
            GenesisAccount {
                nonce: 1,
                code: Bytes::from_static(&[0x5f, 0x5f, 0xfd]),
                ..Default::default()
            },
        ),
    ] {
        genesis.alloc.insert(a, acc);
    }
    let item = |a: Address, keys: &[u8]| AccessListItem {
        address: a,
        storage_keys: keys.iter().map(|k| B256::with_last_byte(*k)).collect(),
    };
    let block = BlockContext::new(1, T0 + 12);
    let coinbase = block.coinbase;
    let mut b = BatchBuilder::new(901);
    b.block(block);
    let word = U256::from(0x2a).to_be_bytes::<32>().to_vec();
    b.tx(
        &alice,
        TxRequest::call(ECHO, word.clone())
            .ty(TxType::Eip2930)
            .access_list(AccessList(vec![item(ECHO, &[0, 1, 0]), item(ECHO, &[])]))
            .gas(100_000),
    )
    .expect("tx");
    b.tx(
        &bob,
        TxRequest::call(ECHO, word)
            .access_list(AccessList(vec![
                item(bob.address(), &[]),
                item(coinbase, &[7]),
                item(ECHO, &[0]),
            ]))
            .gas(100_000),
    )
    .expect("tx");
    b.block(BlockContext::new(2, T0 + 24));
    b.tx(
        &alice,
        TxRequest::call(REVERTER, Vec::new())
            .ty(TxType::Eip2930)
            .access_list(AccessList(vec![item(REVERTER, &[3, 4])]))
            .value(U256::from(5))
            .gas(60_000),
    )
    .expect("tx");
    run(&genesis, b.build().expect("batch"))
}

async fn deploy(l1: &InProcessL1, exec: &Executor) -> Address {
    deploy_evm_verifier(l1, dev_address(0), EvmVerifierParams::for_executor(exec))
        .await
        .expect("deploy the EVM step verifier")
        .verifier
}

async fn verify(l1: &InProcessL1, verifier: Address, what: &str, p: &StepProof) {
    let witness = p
        .witness
        .as_ref()
        .unwrap_or_else(|| panic!("{what}: no witness"));
    let got = run_step(l1, verifier, p.pre, p.trace_index, witness)
        .await
        .expect("call the verifier");
    assert_eq!(
        got,
        StepOutcome::Post(p.post),
        "{what} ({:?}) at {}",
        p.kind,
        p.trace_index
    );
}

/// Every step of every transition, the past-batch leaf and a few stutters; returns how many
/// steps of each kind were verified.
async fn every_step(name: &str, exec: &Executor) -> [usize; 8] {
    let l1 = InProcessL1::with_accounts(1);
    let verifier = deploy(&l1, exec).await;
    let per = exec.layout().steps_per_transition();
    let mut seen = [0usize; 8];
    for (j, t) in exec.transitions().iter().enumerate() {
        let j = j as u64;
        let mut ks: Vec<u64> = (0..t.steps).collect();
        // Stutters: right after the transition ends and at the last leaf of its range.
        if j.is_multiple_of(3) {
            ks.extend([t.steps, per - 1]);
        }
        for p in exec.step_proofs(j, &ks).expect("proofs") {
            verify(&l1, verifier, &format!("{name} transition {j}"), &p).await;
            seen[match p.kind {
                ProofKind::BlockStart => 0,
                ProofKind::TxStart => 1,
                ProofKind::AccessListItem { .. } => 2,
                ProofKind::Opcode { .. } => 3,
                ProofKind::TxEnd => 4,
                ProofKind::BlockEnd => 5,
                ProofKind::Stutter => 6,
                ProofKind::PastBatch => 7,
            }] += 1;
        }
    }
    // Past the batch: offset 0 of the next transitions and a stutter after it.
    let n = exec.transitions().len() as u64;
    for (j, ks) in [(n, vec![0, 1]), (n + 7, vec![0])] {
        for p in exec.step_proofs(j, &ks).expect("proofs") {
            verify(&l1, verifier, &format!("{name} past the batch"), &p).await;
            assert_eq!(p.pre, exec.final_boundary().hash());
            seen[if p.kind == ProofKind::PastBatch { 7 } else { 6 }] += 1;
        }
    }
    seen
}

#[tokio::test]
async fn every_step_of_transfers_is_verified() {
    let seen = every_step("transfers", &fixture("transfers")).await;
    // 2 blocks, 6 transactions (one skipped), an access list of 3 items.
    assert_eq!(seen[0], 2);
    assert_eq!(seen[1], 6);
    assert_eq!(seen[2], 3);
    assert_eq!(seen[4], 5);
    assert_eq!(seen[5], 2);
    assert_eq!(seen[7], 2);
}

#[tokio::test]
async fn every_step_of_mem_loop_is_verified() {
    let seen = every_step("mem_loop", &fixture("mem_loop")).await;
    assert!(seen[3] > 100, "opcode steps: {seen:?}");
}

#[tokio::test]
async fn every_step_of_calls_with_access_lists_is_verified() {
    let seen = every_step("access lists", &access_lists()).await;
    // [ECHO, 0, 1, 0, ECHO] + [bob, coinbase, 7, ECHO, 0] + [REVERTER, 3, 4].
    assert_eq!(seen[2], 5 + 5 + 3, "{seen:?}");
    assert_eq!(seen[4], 3);
}
