//! The EVM honest source on the in-process L1: inbox sync, `NotYet` before the batch is
//! posted, the trace of a posted batch matching the game, snapshots, refusals.

use gavel_chain::evm::l2_of;
use gavel_chain::{
    EvmDeployParams, InProcessL1, L1, create_evm_game, deploy_evm_system, game, post_batch,
};
use gavel_challenger::harness::demo_chain;
use gavel_challenger::{
    EvmBase, EvmSnapshot, EvmSource, EvmSourceOptions, GameSpec, HonestSource, Verdict,
};
use gavel_game::TraceProvider;
use std::sync::Arc;

#[tokio::test]
async fn evm_source_syncs_the_inbox_and_serves_the_batch_trace() {
    let (genesis, batch) = demo_chain(1).unwrap();
    let l1 = Arc::new(InProcessL1::with_accounts(3));
    let deployer = l1.accounts()[0];
    let params = EvmDeployParams::new(&genesis.prestate().unwrap(), deployer);
    let d = deploy_evm_system(l1.as_ref(), deployer, &params)
        .await
        .unwrap();
    let l2 = l2_of(&d).unwrap().clone();
    let dir = std::env::temp_dir().join(format!("gavel-evm-source-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let source = EvmSource::new(
        l1.clone(),
        &d,
        EvmBase::Genesis(genesis.clone()),
        EvmSourceOptions {
            start_block: 0,
            cache_dir: Some(dir.clone()),
        },
    )
    .unwrap();
    assert!(source.handles(l2.game_type) && !source.handles(255));
    assert_eq!(source.sync_all().await.unwrap(), 0);

    // Post, propose honestly, ask.
    post_batch(l1.as_ref(), deployer, l2.inbox, &batch)
        .await
        .unwrap();
    let exec = gavel_trace::Executor::run(
        genesis.prestate().unwrap(),
        batch.clone(),
        gavel_trace::ExecOptions::default(),
    )
    .unwrap();
    let honest = gavel_chain::EvmTrace::new(exec);
    let g = create_evm_game(
        l1.as_ref(),
        l1.accounts()[1],
        &d,
        1,
        honest.final_claim(),
        &l2.genesis.boundary,
    )
    .await
    .unwrap();
    let view = game::read_game(l1.as_ref(), g).await.unwrap();
    let spec = GameSpec::of(&view).unwrap();
    let Verdict::Ours(trace) = source.honest_trace(&spec).await.unwrap() else {
        panic!("the posted batch is ours");
    };
    assert_eq!(trace.absolute_prestate(), view.absolute_prestate);
    assert_eq!(trace.state_at(123).unwrap(), honest.state_at(123).unwrap());
    assert!(dir.join("batches/1.bin").exists(), "batch bytes cached");
    let after = source.state_after(1).await.unwrap();
    assert_eq!(after.state.world_root(), honest.final_boundary().world_root);

    // A game about a batch not posted yet: not yet.
    let mut later = spec.clone();
    later.l2_sequence_number = alloy_primitives::U256::from(2);
    assert!(matches!(
        source.honest_trace(&later).await.unwrap(),
        Verdict::NotYet(_)
    ));
    // Another input than the inbox's commitment: not ours.
    let mut wrong = spec.clone();
    wrong.input = alloy_primitives::B256::repeat_byte(1);
    let fresh = EvmSource::new(
        l1.clone(),
        &d,
        EvmBase::Genesis(genesis.clone()),
        EvmSourceOptions::default(),
    )
    .unwrap();
    assert!(matches!(
        fresh.honest_trace(&wrong).await.unwrap(),
        Verdict::NotOurs(_)
    ));

    // Snapshot after batch 1: round trip, and batch 1 is then before the base.
    let snap = EvmSnapshot::of(1, &after).unwrap();
    let path = dir.join("snap.json");
    snap.save(&path).unwrap();
    let loaded = EvmSnapshot::load(&path).unwrap();
    assert_eq!(loaded, snap);
    let from_snap = EvmSource::new(
        l1.clone(),
        &d,
        EvmBase::Snapshot(loaded),
        EvmSourceOptions::default(),
    )
    .unwrap();
    assert!(matches!(
        from_snap.honest_trace(&spec).await.unwrap(),
        Verdict::NotOurs(_)
    ));
    // A tampered snapshot is refused on load.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("\"world_root\": \"0x", "\"world_root\": \"0x1"),
    )
    .unwrap();
    assert!(EvmSnapshot::load(&path).is_err());

    // Another genesis than the deployment's is refused.
    let mut other = genesis.clone();
    other.timestamp += 1;
    let e = EvmSource::new(
        l1.clone(),
        &d,
        EvmBase::Genesis(other),
        EvmSourceOptions::default(),
    )
    .err()
    .expect("refused");
    assert!(e.to_string().contains("genesis"), "{e}");
    let mut other = genesis.clone();
    other.alloc.insert(
        alloy_primitives::Address::repeat_byte(9),
        gavel_trace::chain::GenesisAccount {
            balance: 1,
            ..Default::default()
        },
    );
    let e = EvmSource::new(
        l1.clone(),
        &d,
        EvmBase::Genesis(other),
        EvmSourceOptions::default(),
    )
    .err()
    .expect("refused");
    assert!(e.to_string().contains("genesis"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}
