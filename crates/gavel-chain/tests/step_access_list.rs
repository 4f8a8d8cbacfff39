//! The access-list warm-up step (docs/spec.md §17.3, §17.6) on the in-process L1: every
//! warm-up of the `transfers` fixture batch (an EIP-2930 transaction with an address and two
//! storage keys, one repeated) is proven with `gavel_trace::boundary_witness::access_list`
//! and verified by the deployed EVM step verifier with exactly the shadow machine's post-state;
//! every single-byte change of a witness is rejected or gives that same post-state.

use std::path::PathBuf;

use alloy::consensus::Transaction as _;
use alloy::primitives::B256;
use gavel_chain::{
    EvmVerifierParams, InProcessL1, StepOutcome, deploy_evm_verifier, dev_address, run_step,
};
use gavel_trace::boundary_witness::access_list::warm_up;
use gavel_trace::step::ProofKind;
use gavel_trace::step::records::{access_heads, access_items};
use gavel_trace::{Batch, ExecOptions, Executor, Genesis, Layout, TransitionKind};

fn transfers() -> Executor {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/batches/transfers");
    let genesis = Genesis::from_file(dir.join("genesis.json")).expect("genesis");
    let batch = Batch::from_file(dir.join("batch.json"), genesis.config.chain_id).expect("batch");
    Executor::run(
        genesis.prestate().expect("prestate"),
        batch,
        ExecOptions {
            layout: Layout::EVM,
            ..ExecOptions::default()
        },
    )
    .expect("the fixture executes")
}

/// `(trace index, witness, expected post)` of every warm-up in the batch.
fn warm_ups(exec: &Executor) -> Vec<(u64, Vec<u8>, B256)> {
    let layout = exec.layout();
    let mut out = Vec::new();
    for (j, t) in exec.transitions().iter().enumerate() {
        let TransitionKind::Tx { block, tx } = t.kind else {
            continue;
        };
        let batch_tx = &exec.batch().blocks()[block as usize].txs[tx as usize];
        let items = access_items(batch_tx.envelope().access_list());
        let heads = access_heads(&items);
        for k in 1..=items.len() as u64 {
            let index = layout.trace_index(j as u64, k);
            let inputs = exec.step_inputs(index).expect("step inputs");
            let ProofKind::AccessListItem { index: i } = inputs.kind else {
                panic!("step {k} of transition {j} is {:?}", inputs.kind);
            };
            let w = warm_up(
                inputs.step.as_ref().expect("a warming state"),
                inputs.context.as_ref().expect("its context"),
                inputs.substate.as_ref().expect("its substate"),
                &items[i as usize],
                heads[i as usize + 1],
            )
            .expect("witness");
            assert_eq!(
                w.post,
                exec.commitment_at(index).expect("commitment"),
                "builder post at transition {j} step {k}"
            );
            out.push((index, w.witness, w.post));
        }
    }
    out
}

#[tokio::test]
async fn every_warm_up_is_verified_and_byte_flips_are_rejected() {
    let exec = transfers();
    let steps = warm_ups(&exec);
    assert_eq!(steps.len(), 3, "the fixture's access list has three items");

    let l1 = InProcessL1::with_accounts(1);
    let verifier = deploy_evm_verifier(&l1, dev_address(0), EvmVerifierParams::for_executor(&exec))
        .await
        .expect("deploy")
        .verifier;

    let mut rejected = 0;
    for (t, witness, post) in &steps {
        let pre = exec.commitment_at(t - 1).expect("pre");
        let got = run_step(&l1, verifier, pre, *t, witness)
            .await
            .expect("call");
        assert_eq!(got, StepOutcome::Post(*post), "honest warm-up at {t}");
        for i in 0..witness.len() {
            let mut forged = witness.clone();
            forged[i] ^= 0x01;
            match run_step(&l1, verifier, pre, *t, &forged)
                .await
                .expect("call")
            {
                StepOutcome::Post(p) => assert_eq!(p, *post, "byte {i} of the witness at {t}"),
                StepOutcome::Rejected(_) => rejected += 1,
            }
        }
        for forged in [
            witness[..witness.len() - 1].to_vec(),
            [witness.as_slice(), &[0]].concat(),
        ] {
            assert!(
                matches!(
                    run_step(&l1, verifier, pre, *t, &forged)
                        .await
                        .expect("call"),
                    StepOutcome::Rejected(_)
                ),
                "a truncated or extended witness at {t}"
            );
        }
    }
    assert!(rejected > 1000, "only {rejected} flips were rejected");
}

#[tokio::test]
async fn a_malformed_item_is_rejected_by_name() {
    let exec = transfers();
    let (t, witness, _) = warm_ups(&exec).remove(0);
    let l1 = InProcessL1::with_accounts(1);
    let verifier = deploy_evm_verifier(&l1, dev_address(0), EvmVerifierParams::for_executor(&exec))
        .await
        .expect("deploy")
        .verifier;
    let pre = exec.commitment_at(t - 1).expect("pre");
    // The presence flag sits after 0x00, StepState, Context, rest and the 53-byte item.
    let mut forged = witness.clone();
    forged[1 + 192 + 224 + 32 + 53] = 2;
    let StepOutcome::Rejected(why) = run_step(&l1, verifier, pre, t, &forged)
        .await
        .expect("call")
    else {
        panic!("a presence flag of 2 was accepted");
    };
    assert!(why.contains("MalformedAccessItem"), "{why}");
}
