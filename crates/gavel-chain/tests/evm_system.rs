//! The EVM game type's L1 side (docs/protocol.md §13): the batch inbox (posting encoding,
//! on-chain commitment, refusals), `deploy_evm_system` and its deployment file, the EVM trace
//! provider against the deployed verifier, and game creation over a posted batch.

use std::path::PathBuf;

use alloy::primitives::{Address, B256, U256};
use gavel_chain::evm::{anchor_registered, l2_of};
use gavel_chain::inbox::{batch_commitment, batch_count, batch_from_calldata, post_batch_raw};
use gavel_chain::{
    BatchInbox, ChainError, Deployment, EvmDeployParams, EvmStepVerifier, EvmTrace, InProcessL1,
    L1, StepOutcome, create_evm_game, decode_batch, decode_revert, deploy_evm_system, encode_batch,
    game, post_batch, run_step, view,
};
use gavel_game::{Position, TraceProvider};
use gavel_trace::{Batch, ExecOptions, Executor, Genesis, Layout};

fn fixture(name: &str) -> (Genesis, Batch) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/batches")
        .join(name);
    let genesis = Genesis::from_file(dir.join("genesis.json")).expect("genesis");
    let batch = Batch::from_file(dir.join("batch.json"), genesis.config.chain_id).expect("batch");
    (genesis, batch)
}

fn execute(genesis: &Genesis, batch: Batch) -> Executor {
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

async fn system(genesis: &Genesis) -> (InProcessL1, Deployment) {
    let l1 = InProcessL1::with_accounts(3);
    let deployer = l1.accounts()[0];
    let params = EvmDeployParams::new(&genesis.prestate().unwrap(), deployer);
    let d = deploy_evm_system(&l1, deployer, &params)
        .await
        .expect("deploy the EVM system");
    (l1, d)
}

fn revert_name(e: ChainError) -> String {
    match e {
        ChainError::Reverted { data } => decode_revert(&data),
        other => panic!("expected a revert, got {other}"),
    }
}

#[test]
fn posting_encoding_round_trips_and_never_panics() {
    for name in ["transfers", "mem_loop", "erc20", "arith_loop"] {
        let (_, batch) = fixture(name);
        let bytes = encode_batch(&batch);
        assert_eq!(decode_batch(&bytes).expect(name), batch, "{name}");
        // Every prefix is refused with an error (truncated), never a panic.
        for cut in 0..bytes.len() {
            assert!(decode_batch(&bytes[..cut]).is_err(), "{name} cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        let e = decode_batch(&longer).unwrap_err().to_string();
        assert!(e.contains("trailing"), "{e}");
        // The calldata a node reads back gives the same batch.
        let calldata = gavel_chain::inbox::post_calldata(&batch);
        assert_eq!(batch_from_calldata(&calldata).unwrap(), batch);
    }
    let (_, batch) = fixture("transfers");
    let mut bytes = encode_batch(&batch);
    bytes[0] = 2;
    assert!(
        decode_batch(&bytes)
            .unwrap_err()
            .to_string()
            .contains("version 2")
    );
    let mut bytes = encode_batch(&batch);
    // Corrupt the first transaction's type byte (after 13 + 88 header bytes and the length).
    bytes[13 + 88 + 4] = 0x03;
    let e = decode_batch(&bytes).unwrap_err().to_string();
    assert!(e.contains("block 0, tx 0"), "{e}");
}

#[tokio::test]
async fn inbox_records_the_commitment_computed_from_the_posted_bytes() {
    let (genesis, batch) = fixture("transfers");
    let (l1, d) = system(&genesis).await;
    let l2 = l2_of(&d).unwrap().clone();
    let sequencer = l1.accounts()[0];
    assert_eq!(batch_count(&l1, l2.inbox).await.unwrap(), 0);
    let e = batch_commitment(&l1, l2.inbox, 1).await.unwrap_err();
    assert_eq!(revert_name(e), "UnknownBatch");

    // Only the sequencer posts.
    let e = post_batch(&l1, l1.accounts()[1], l2.inbox, &batch)
        .await
        .unwrap_err();
    assert_eq!(revert_name(e), "NotSequencer");

    let posted = post_batch(&l1, sequencer, l2.inbox, &batch).await.unwrap();
    assert_eq!(posted.number, 1);
    assert_eq!(posted.commitment, batch.commitment());
    assert_eq!(
        batch_commitment(&l1, l2.inbox, 1).await.unwrap(),
        batch.commitment()
    );
    assert_eq!(batch_count(&l1, l2.inbox).await.unwrap(), 1);
    println!(
        "postBatch of transfers ({} bytes): {} gas",
        encode_batch(&batch).len(),
        posted.receipt.gas_used
    );

    // The same batch again: its first block does not follow the last posted one.
    let e = post_batch(&l1, sequencer, l2.inbox, &batch)
        .await
        .unwrap_err();
    assert_eq!(revert_name(e), "BadBlockNumber");

    // Malformed bytes, each refused by name.
    let good = encode_batch(&batch);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "BatchTruncated"),
        (good[..good.len() - 1].to_vec(), "BatchTruncated"),
        ([good.as_slice(), &[0]].concat(), "BatchTrailingBytes"),
        ([&[2u8][..], &good[1..]].concat(), "UnsupportedVersion"),
        (
            [&good[..1], &902u64.to_be_bytes(), &good[9..]].concat(),
            "WrongChainId",
        ),
        (
            [&good[..9], &0u32.to_be_bytes()[..]].concat(),
            "BadBlockCount",
        ),
    ];
    for (data, expected) in cases {
        let e = post_batch_raw(&l1, sequencer, l2.inbox, data)
            .await
            .unwrap_err();
        assert_eq!(revert_name(e), expected);
    }

    // `commitmentOf` agrees with the Rust commitment on every fixture.
    for name in ["mem_loop", "erc20", "arith_loop"] {
        let (_, b) = fixture(name);
        let c = view(
            &l1,
            l2.inbox,
            BatchInbox::commitmentOfCall {
                _data: encode_batch(&b).into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(c.commitment_, b.commitment(), "{name}");
    }
}

#[tokio::test]
async fn deployment_file_records_the_evm_system() {
    let (genesis, _) = fixture("transfers");
    let (l1, d) = system(&genesis).await;
    let l2 = l2_of(&d).unwrap();
    assert_eq!(d.format, gavel_chain::DEPLOYMENT_FORMAT);
    assert_eq!(d.game_types[0].game_type, gavel_chain::EVM_GAME_TYPE);
    assert_eq!(d.game_types[0].params.max_depth, 44);
    assert_eq!(d.game_types[0].params.split_depth, 20);
    assert_eq!(d.game_types[0].anchor_root, l2.genesis.boundary.hash());
    assert!(
        anchor_registered(&l1, l2.step_verifier.block_step, l2.genesis.boundary.hash())
            .await
            .unwrap()
    );

    let dir = std::env::temp_dir().join(format!("gavel-evm-deploy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("deployment.json");
    d.save(&path).unwrap();
    assert_eq!(Deployment::load(&path).unwrap(), d);

    // Malformed files name the field.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|v| v["l2"]["inbox"] = "0x12".into()),
            "field `l2.inbox`",
        ),
        (
            Box::new(|v| v["game_types"][0]["params"]["max_depth"] = "deep".into()),
            "field `game_types[0].params.max_depth`",
        ),
        (
            Box::new(|v| {
                v["l2"].as_object_mut().unwrap().remove("sequencer");
            }),
            "missing field `l2.sequencer`",
        ),
        (
            Box::new(|v| v["l2"]["extra"] = 1.into()),
            "unknown field `l2.extra`",
        ),
        (
            Box::new(|v| v["l2"]["game_type"] = 7.into()),
            "field `l2.game_type`: game type 7",
        ),
        (Box::new(|v| v["format"] = 1.into()), "format 1 has no `l2`"),
        (
            Box::new(|v| v["format"] = 3.into()),
            "format 3 is not a supported format",
        ),
    ];
    for (edit, expected) in cases {
        let mut bad = v.clone();
        edit(&mut bad);
        std::fs::write(&path, serde_json::to_string(&bad).unwrap()).unwrap();
        let e = Deployment::load(&path).unwrap_err().to_string();
        assert!(e.contains(expected), "expected {expected:?} in {e}");
        assert!(e.contains("deployment.json"), "{e}");
    }
    // A format-1 (toy) file without `l2` still loads.
    v["format"] = 1.into();
    v.as_object_mut().unwrap().remove("l2");
    std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
    let old = Deployment::load(&path).unwrap();
    assert!(old.l2.is_none());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn evm_trace_matches_the_deployed_verifier() {
    let (genesis, batch) = fixture("transfers");
    let exec = execute(&genesis, batch.clone());
    let trace = EvmTrace::new(exec);
    let (l1, d) = system(&genesis).await;
    let l2 = l2_of(&d).unwrap().clone();
    let verifier = l2.step_verifier.verifier;

    // The prestate: what the game's verifier computes from the registered genesis anchor.
    let on_chain = view(
        &l1,
        verifier,
        EvmStepVerifier::absolutePrestateCall {
            _0: l2.genesis.boundary.hash(),
            _1: batch.commitment(),
        },
    )
    .await
    .unwrap();
    assert_eq!(trace.absolute_prestate(), on_chain);
    // An unregistered anchor is refused.
    let e = view(
        &l1,
        verifier,
        EvmStepVerifier::absolutePrestateCall {
            _0: B256::repeat_byte(1),
            _1: batch.commitment(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(revert_name(e), "BadAnchor");

    // Claims at the split depth are the boundaries after each transition; past the batch the
    // final boundary; the root is the final boundary.
    let exec = trace.executor();
    for (j, t) in exec.transitions().iter().enumerate() {
        let pos = Position((1u128 << 20) + j as u128);
        assert_eq!(
            trace.claim_at(pos, 44).unwrap(),
            t.boundary.hash(),
            "transition {j}"
        );
    }
    let n = exec.transitions().len() as u128;
    assert_eq!(
        trace.claim_at(Position((1u128 << 20) + n + 3), 44).unwrap(),
        trace.final_claim()
    );
    assert_eq!(
        trace.claim_at(Position::ROOT, 44).unwrap(),
        trace.final_claim()
    );

    // Step witnesses: the first step of every transition, the steps of one executed
    // transaction, a stutter, the past-batch step; each verifies to the next state.
    let mut indices: Vec<u64> = (0..exec.transitions().len() as u64)
        .map(|j| trace.trace_index(j, 0))
        .collect();
    let tx = exec
        .transitions()
        .iter()
        .position(|t| t.steps > 3)
        .expect("an executed transaction") as u64;
    let steps = exec.transitions()[tx as usize].steps;
    indices.extend((0..steps + 1).map(|k| trace.trace_index(tx, k)));
    indices.push(trace.trace_index(n as u64, 0));
    for t in indices {
        let p = trace.step_witness(t).unwrap();
        let pre = match t {
            0 => trace.absolute_prestate(),
            _ => trace.state_at(t - 1).unwrap(),
        };
        assert_eq!(p.pre_state, pre, "pre at {t}");
        assert_eq!(p.post_state, trace.state_at(t).unwrap(), "post at {t}");
        let got = run_step(&l1, verifier, p.pre_state, t, &p.witness)
            .await
            .unwrap();
        assert_eq!(got, StepOutcome::Post(p.post_state), "step {t}");
    }

    // The dishonest variant lies from its chosen step on, consistently.
    let liar = trace.dishonest(tx, 2, B256::repeat_byte(9));
    let at = trace.trace_index(tx, 2);
    assert_eq!(
        liar.state_at(at - 1).unwrap(),
        trace.state_at(at - 1).unwrap()
    );
    for t in [at, at + 1, trace.trace_index(tx + 1, 0), (1u64 << 44) - 1] {
        assert_ne!(liar.state_at(t).unwrap(), trace.state_at(t).unwrap(), "{t}");
    }
    // Its step at the lie does not verify to its claim.
    let lie = liar.step_witness(at).unwrap();
    let got = run_step(&l1, verifier, lie.pre_state, at, &lie.witness)
        .await
        .unwrap();
    assert_ne!(got, StepOutcome::Post(lie.post_state));
}

#[tokio::test]
async fn evm_games_are_only_about_posted_batches_after_the_anchor() {
    let (genesis, batch) = fixture("transfers");
    let exec = execute(&genesis, batch.clone());
    let trace = EvmTrace::new(exec);
    let (l1, d) = system(&genesis).await;
    let l2 = l2_of(&d).unwrap().clone();
    let proposer = l1.accounts()[1];

    // Not posted yet.
    let e = create_evm_game(
        &l1,
        proposer,
        &d,
        1,
        trace.final_claim(),
        &l2.genesis.boundary,
    )
    .await
    .unwrap_err();
    assert_eq!(revert_name(e), "UnknownBatch");
    post_batch(&l1, l1.accounts()[0], l2.inbox, &batch)
        .await
        .unwrap();
    // Another input than the inbox's commitment.
    let e = game::create_game_of_type(
        &l1,
        proposer,
        &d,
        l2.game_type,
        trace.final_claim(),
        1,
        B256::repeat_byte(3),
    )
    .await
    .unwrap_err();
    assert_eq!(revert_name(e), "WrongBatchInput");
    // Not the batch right after the anchor.
    let e = game::create_game_of_type(
        &l1,
        proposer,
        &d,
        l2.game_type,
        trace.final_claim(),
        2,
        batch.commitment(),
    )
    .await
    .unwrap_err();
    assert_eq!(revert_name(e), "NotNextBatch");

    let g = create_evm_game(
        &l1,
        proposer,
        &d,
        1,
        trace.final_claim(),
        &l2.genesis.boundary,
    )
    .await
    .unwrap();
    let v = game::read_game(&l1, g).await.unwrap();
    assert_eq!(v.absolute_prestate, trace.absolute_prestate());
    assert_eq!(v.input, batch.commitment());
    assert_eq!(v.max_depth, 44);
    assert_eq!(v.split_depth, 20);
    let _: (Address, U256) = (proposer, U256::ZERO);
}
