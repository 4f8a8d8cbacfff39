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
    let l1 = RpcL1::connect(&anvil.endpoint(), &keys).await.unwrap();
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
