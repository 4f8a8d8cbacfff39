//! The JSON-RPC backend against a real anvil, and its connection errors.

mod common;

use common::{anvil_bin, anvil_keys, conformance, spawn_anvil};
use gavel_chain::{ChainError, L1, RetryPolicy, RpcL1, RpcOptions};
use std::time::Duration;

#[tokio::test]
async fn conforms_on_anvil() {
    let Some(bin) = anvil_bin() else { return };
    let anvil = spawn_anvil(&bin);
    let keys = anvil_keys(&anvil, 2);
    // Tiny log pages so that eth_getLogs paging is exercised.
    let options = RpcOptions {
        log_page_blocks: 2,
        ..RpcOptions::default()
    };
    let l1 = RpcL1::connect_with(&anvil.endpoint(), &keys, options)
        .await
        .unwrap();
    assert_eq!(l1.chain_id().await.unwrap(), anvil.chain_id());
    assert_eq!(l1.accounts(), anvil.addresses()[..2].to_vec());
    conformance(&l1).await;
}

#[tokio::test]
async fn malformed_keys_are_named_by_position_without_leaking() {
    let secret_looking = "0xzz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    let keys = [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        secret_looking,
    ];
    match RpcL1::connect("http://127.0.0.1:1", &keys).await {
        Err(e @ ChainError::BadKey { index: 1, .. }) => {
            assert!(
                !e.to_string().contains("bec39a17"),
                "the key leaked into {e}"
            )
        }
        Err(e) => panic!("expected BadKey #1, got {e}"),
        Ok(_) => panic!("expected BadKey #1, got a connection"),
    }
    assert!(matches!(
        RpcL1::connect("http://127.0.0.1:1", &["0x1234"]).await,
        Err(ChainError::BadKey { index: 0, .. })
    ));
}

#[tokio::test]
async fn bad_urls_are_rejected() {
    let none: [&str; 0] = [];
    assert!(matches!(
        RpcL1::connect("not a url", &none).await,
        Err(ChainError::BadUrl { .. })
    ));
    assert!(matches!(
        RpcL1::connect("ftp://127.0.0.1:8545", &none).await,
        Err(ChainError::BadUrl { .. })
    ));
}

#[tokio::test]
async fn unreachable_endpoint_is_a_clear_error() {
    // Bind a port, then free it, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let options = RpcOptions {
        retry: RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        },
        ..RpcOptions::default()
    };
    let none: [&str; 0] = [];
    match RpcL1::connect_with(&url, &none, options).await {
        Err(e @ ChainError::Unreachable { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains(&url), "{msg}");
        }
        Err(e) => panic!("expected Unreachable, got {e}"),
        Ok(_) => panic!("expected Unreachable, got a connection"),
    }
}

/// The toy system deployed and played on anvil through the JSON-RPC backend: create a game,
/// counter the root, read it back, let the clocks run out and resolve.
#[tokio::test]
async fn toy_system_on_anvil() {
    use alloy::primitives::{B256, U256, keccak256};
    use common::toy::{Trace, small_params};
    use gavel_chain::game::{self, ChildRef, ClaimRef, GameStatus};
    use gavel_chain::{TimeControl, deploy_toy_system};

    let Some(bin) = anvil_bin() else { return };
    let anvil = spawn_anvil(&bin);
    let l1 = RpcL1::connect(&anvil.endpoint(), &anvil_keys(&anvil, 3))
        .await
        .unwrap();
    let [deployer, alice, bob] = l1.accounts()[..] else {
        panic!("three accounts")
    };
    let params = small_params();
    let deployment = deploy_toy_system(&l1, deployer, &params).await.unwrap();
    assert_eq!(deployment.chain_id, anvil.chain_id());

    let honest = Trace::honest(params.anchor_root, 10, 4);
    let lie = keccak256("a lie");
    let input = B256::from(U256::from(10u64));
    let created = game::create_game(&l1, alice, &deployment, lie, params.anchor_seq + 1, input)
        .await
        .unwrap();
    let v = game::read_game(&l1, created).await.unwrap();
    assert_eq!(v.claims.len(), 1);
    assert_eq!(v.absolute_prestate, honest.state(0));

    let root = &v.claims[0];
    let bond = params.base_bond + params.bond_increment;
    let value = honest.at(2, 4);
    let moved = game::game_move(&l1, bob, created, root.digest(), 0, value, true, bond)
        .await
        .unwrap();
    assert!(moved.gas_used > 50_000, "a move costs {}", moved.gas_used);
    assert_eq!(moved.logs.len(), 1);
    // A second, identical move with a stale digest is refused with the custom error.
    let stale = game::game_move(&l1, bob, created, B256::ZERO, 0, value, true, bond)
        .await
        .unwrap_err();
    assert_eq!(
        stale.revert_name().as_deref(),
        Some("InvalidDisputedClaimIndex")
    );

    let v = game::read_game(&l1, created).await.unwrap();
    assert_eq!(v.claims.len(), 2);
    let c = &v.claims[1];
    assert_eq!(
        (c.parent_index, c.position, c.claimant, c.claim),
        (Some(0), 2, bob, value)
    );
    assert_eq!(v.claims[0].child_count, 1);

    // Resolution after the clocks: bob's claim stands, the root falls, bob gets both bonds.
    l1.advance_time(params.max_clock_duration + 1)
        .await
        .unwrap();
    let subject = |i: usize| ClaimRef {
        claim: v.claims[i].claim,
        claimant: v.claims[i].claimant,
    };
    game::game_resolve_claim(&l1, alice, created, 1, subject(1), vec![])
        .await
        .unwrap();
    let child = ChildRef {
        index: 1,
        claim: c.claim,
        claimant: c.claimant,
    };
    game::game_resolve_claim(&l1, alice, created, 0, subject(0), vec![child])
        .await
        .unwrap();
    game::game_resolve(&l1, alice, created).await.unwrap();
    let v = game::read_game(&l1, created).await.unwrap();
    assert_eq!(v.status, GameStatus::ChallengerWins);
    assert_eq!(
        game::credit_of(&l1, created, bob).await.unwrap(),
        params.base_bond + bond
    );
}

/// Many tasks sending from one key at once: the backend serializes them per sender, so no
/// nonce is used twice and every transaction lands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_from_one_key() {
    use alloy::primitives::{Address, Bytes, U256};
    use gavel_chain::TxRequest;
    use std::sync::Arc;

    let Some(bin) = anvil_bin() else { return };
    let anvil = spawn_anvil(&bin);
    let l1 = Arc::new(
        RpcL1::connect(&anvil.endpoint(), &anvil_keys(&anvil, 1))
            .await
            .unwrap(),
    );
    let from = l1.accounts()[0];
    let to = Address::repeat_byte(0x55);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let l1 = Arc::clone(&l1);
            tokio::spawn(async move {
                l1.send(TxRequest::call(from, to, Bytes::new()).with_value(U256::from(1)))
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(l1.balance(to).await.unwrap(), U256::from(8));
}
