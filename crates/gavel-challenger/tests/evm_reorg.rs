//! The EVM source survives an L1 re-org that replaces a posted batch: on a real anvil node the
//! source syncs batch 1, the node reverts to before its posting (`evm_snapshot` /
//! `evm_revert`), another batch 1 is posted, and the next sync must serve the new batch's
//! state — not the one it read before the re-org.
//!
//! anvil comes from `ANVIL_BIN` (scripts/test.sh installs it) or PATH; under `CI=true` a
//! missing anvil fails the test.

use std::sync::Arc;

use alloy::node_bindings::Anvil;
use alloy_primitives::U256;
use gavel_chain::evm::l2_of;
use gavel_chain::{EvmDeployParams, L1, RpcL1, deploy_evm_system, post_batch};
use gavel_challenger::harness::demo_chain;
use gavel_challenger::{EvmBase, EvmSource, EvmSourceOptions};
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
use gavel_trace::{ExecOptions, Executor};

fn anvil_path() -> Option<String> {
    if let Ok(path) = std::env::var("ANVIL_BIN") {
        return Some(path);
    }
    if std::process::Command::new("anvil")
        .arg("--version")
        .output()
        .is_ok()
    {
        return Some("anvil".into());
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "anvil not found under CI: scripts/test.sh must install it and export ANVIL_BIN"
    );
    eprintln!("NOTICE: anvil not found (set ANVIL_BIN); skipping the re-org test");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reorg_that_replaces_a_posted_batch_is_followed() {
    let Some(bin) = anvil_path() else { return };
    let anvil = Anvil::at(bin).arg("--host").arg("127.0.0.1").spawn();
    let keys: Vec<String> = anvil.keys()[..2]
        .iter()
        .map(|k| alloy::hex::encode(k.to_bytes()))
        .collect();
    let l1 = Arc::new(
        RpcL1::connect(&anvil.endpoint(), &keys)
            .await
            .expect("connect"),
    );
    let sequencer = l1.accounts()[0];

    // Batch "A" (the demo batch) and batch "B": another first batch of the same chain.
    let (genesis, a) = demo_chain(1).expect("demo chain");
    let mut b = BatchBuilder::new(genesis.config.chain_id);
    b.block(BlockContext::new(1, genesis.timestamp + 12));
    b.tx(
        &dev_key(1),
        TxRequest::transfer(dev_key(2).address(), U256::from(777u64)),
    )
    .expect("sign");
    let b = b.build().expect("batch B");
    assert_ne!(a.commitment(), b.commitment());
    let post_root = |batch: &gavel_trace::Batch| {
        Executor::run(
            genesis.prestate().expect("prestate"),
            batch.clone(),
            ExecOptions::default(),
        )
        .expect("execute")
        .final_boundary()
        .world_root
    };

    let params = EvmDeployParams::new(&genesis.prestate().expect("prestate"), sequencer);
    let d = deploy_evm_system(l1.as_ref(), sequencer, &params)
        .await
        .expect("deploy");
    let inbox = l2_of(&d).expect("l2").inbox;
    let source = EvmSource::new(
        l1.clone(),
        &d,
        EvmBase::Genesis(genesis.clone()),
        EvmSourceOptions {
            start_block: 0,
            cache_dir: None,
        },
    )
    .expect("source");

    let before_posting = l1.dev_snapshot().await.expect("evm_snapshot");
    post_batch(l1.as_ref(), sequencer, inbox, &a)
        .await
        .expect("post A");
    assert_eq!(source.sync_all().await.expect("sync"), 1);
    let synced = source.state_after(1).await.expect("batch 1 synced");
    assert_eq!(synced.state.world_root(), post_root(&a));

    // The re-org: the posting of A disappears, B is posted as batch 1 instead (and the chain
    // grows past the old head, as a competing fork would).
    l1.dev_revert(before_posting).await.expect("evm_revert");
    post_batch(l1.as_ref(), sequencer, inbox, &b)
        .await
        .expect("post B");
    assert_eq!(source.sync_all().await.expect("sync after the re-org"), 1);
    let synced = source.state_after(1).await.expect("batch 1 synced again");
    assert_eq!(
        synced.state.world_root(),
        post_root(&b),
        "the source still serves the batch the re-org removed"
    );
}
