//! How an L2 node embeds gavel (docs/embedding.md): execute a posted batch from a genesis,
//! read the claim a proposer posts, the commitment at any trace position a dispute asks for,
//! and the witness of one step — then check that witness with the real Solidity verifier in an
//! in-process L1, as the dispute game would.
//!
//! ```sh
//! cargo run --release --example embed_node                       # fixtures/batches/mem_loop
//! cargo run --release --example embed_node -- fixtures/batches/transfers
//! ```

use std::path::PathBuf;

use anyhow::{Context, bail};
use gavel::chain::{
    EvmVerifierParams, InProcessL1, StepOutcome, deploy_evm_verifier, dev_address, run_step,
};
use gavel::trace::{Batch, ExecOptions, Executor, Genesis, Layout, SnapshotPolicy};

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fixtures/batches/mem_loop".into()),
    );

    // 1. The chain: a genesis allocation, then a batch as the sequencer posted it.
    let genesis = Genesis::from_file(dir.join("genesis.json"))?;
    let batch = Batch::from_file(dir.join("batch.json"), genesis.config.chain_id)?;

    // 2. Execute it. The executor keeps boundaries, a diff journal and snapshots, so any
    //    transition can be replayed later without re-running the batch.
    let exec = Executor::run(
        genesis.prestate()?,
        batch,
        ExecOptions {
            layout: Layout::EVM,
            snapshots: SnapshotPolicy::Auto,
        },
    )
    .context("executing the batch")?;
    let layout = exec.layout();
    println!(
        "executed {} transitions; final world root {}",
        exec.transitions().len(),
        exec.final_boundary().world_root
    );

    // 3. What a proposer claims: the boundary after the batch's last transition (spec §9.6).
    println!(
        "claim after the batch (root claim): {}",
        exec.final_boundary().hash()
    );

    // 4. Commitments a dispute asks for. The top layer (split depth) is the boundary after
    //    each transition; the bottom layer the state after each step inside one transition.
    let Some((j, t)) = exec
        .transitions()
        .iter()
        .enumerate()
        .max_by_key(|(_, t)| t.steps)
    else {
        bail!("the batch has no transitions");
    };
    let j = j as u64;
    let last_of_j = layout.trace_index(j, layout.steps_per_transition() - 1);
    println!(
        "transition {j} ({}, {} steps): top-layer claim {}",
        t.kind,
        t.steps,
        exec.commitment_at(last_of_j)?
    );
    let mid = layout.trace_index(j, t.steps / 2);
    println!(
        "  state after step {}: {}",
        t.steps / 2,
        exec.commitment_at(mid)?
    );

    // 5. The witness of that step: everything the on-chain verifier needs, opened against
    //    the pre-state.
    let proof = exec.step_proof(mid)?;
    let witness = proof
        .witness
        .context("every supported step has a witness")?;
    println!(
        "  step {:?}: pre {} post {} witness {} bytes",
        proof.kind,
        proof.pre,
        proof.post,
        witness.len()
    );

    // 6. The dispute game would hand it to the step verifier: do the same on an in-process L1.
    let l1 = InProcessL1::with_accounts(1);
    let verifier = deploy_evm_verifier(&l1, dev_address(0), EvmVerifierParams::for_executor(&exec))
        .await?
        .verifier;
    match run_step(&l1, verifier, proof.pre, mid, &witness).await? {
        StepOutcome::Post(post) if post == proof.post => {
            println!("  the on-chain verifier agrees: post {post}")
        }
        other => bail!("the verifier disagrees: {other:?}"),
    }
    Ok(())
}
