//! The in-process backend: the shared conformance suite plus what only it can check exactly.

mod common;

use alloy::primitives::{Address, Bytes, U256, bytes};
use common::{LOGGER_INIT, conformance};
use gavel_chain::{
    ChainError, InProcessConfig, InProcessL1, L1, TimeControl, TxRequest, dev_address,
};

#[tokio::test]
async fn conforms() {
    conformance(&InProcessL1::new()).await;
}

#[tokio::test]
async fn accounts_are_funded_and_nonces_tracked() {
    let l1 = InProcessL1::with_accounts(3);
    let accounts = l1.accounts();
    assert_eq!(
        accounts,
        vec![dev_address(0), dev_address(1), dev_address(2)]
    );
    let funded = U256::from(10u64).pow(U256::from(24u64));
    assert_eq!(l1.balance(accounts[2]).await.unwrap(), funded);
    assert_eq!(l1.nonce_now(accounts[0]), 0);
    l1.send(TxRequest::create(accounts[0], LOGGER_INIT))
        .await
        .unwrap();
    l1.send(TxRequest::call(accounts[0], accounts[1], Bytes::new()))
        .await
        .unwrap();
    assert_eq!(l1.nonce_now(accounts[0]), 2);
}

#[tokio::test]
async fn reverts_and_halts_change_nothing() {
    let l1 = InProcessL1::new();
    let alice = l1.accounts()[0];
    let logger = l1
        .send(TxRequest::create(alice, LOGGER_INIT))
        .await
        .unwrap()
        .contract_address
        .unwrap();
    let nonce = l1.nonce_now(alice);
    let block = l1.block_number_now();
    let err = l1
        .send(TxRequest::call(alice, logger, Bytes::new()))
        .await
        .unwrap_err();
    assert_eq!(err.revert_data(), Some(&bytes!("deadbeef")));
    let invalid = l1
        .send(TxRequest::create(alice, common::INVALID_INIT))
        .await
        .unwrap()
        .contract_address
        .unwrap();
    match l1.send(TxRequest::call(alice, invalid, Bytes::new())).await {
        Err(ChainError::Halted { reason }) => assert!(reason.contains("Invalid"), "{reason}"),
        other => panic!("expected a halt, got {other:?}"),
    }
    assert_eq!(
        l1.nonce_now(alice),
        nonce + 1,
        "only the successful creation used a nonce"
    );
    assert_eq!(l1.block_number_now(), block + 1);
}

#[tokio::test]
async fn gas_price_is_the_base_fee() {
    let base_fee = 7u64;
    let l1 = InProcessL1::with_config(InProcessConfig {
        base_fee,
        ..InProcessConfig::default()
    });
    let alice = l1.accounts()[0];
    let before = l1.balance_now(alice);
    let r = l1
        .send(TxRequest::call(
            alice,
            Address::repeat_byte(1),
            Bytes::new(),
        ))
        .await
        .unwrap();
    assert_eq!(r.gas_used, 21_000);
    assert_eq!(
        l1.balance_now(alice),
        before - U256::from(21_000 * base_fee)
    );
}

#[tokio::test]
async fn invalid_transactions_are_reported() {
    let l1 = InProcessL1::new();
    let alice = l1.accounts()[0];
    // Above the EIP-7825 cap of 2^24.
    let tx =
        TxRequest::call(alice, Address::repeat_byte(1), Bytes::new()).with_gas_limit((1 << 24) + 1);
    match l1.send(tx).await {
        Err(ChainError::InvalidTransaction { from, .. }) => assert_eq!(from, alice),
        other => panic!("expected InvalidTransaction, got {other:?}"),
    }
    // More value than the balance.
    let tx = TxRequest::call(alice, Address::repeat_byte(1), Bytes::new()).with_value(U256::MAX);
    assert!(matches!(
        l1.send(tx).await,
        Err(ChainError::InvalidTransaction { .. })
    ));
}

#[tokio::test]
async fn time_is_under_test_control() {
    let l1 = InProcessL1::new();
    let alice = l1.accounts()[0];
    let t0 = l1.now();
    assert_eq!(l1.timestamp_now(), t0);
    let r = l1
        .send(TxRequest::call(
            alice,
            Address::repeat_byte(1),
            Bytes::new(),
        ))
        .await
        .unwrap();
    assert_eq!(
        l1.timestamp().await.unwrap(),
        t0,
        "sending does not move the clock"
    );
    l1.advance_time(3600).await.unwrap();
    assert_eq!(l1.now(), t0 + 3600);
    assert_eq!(l1.timestamp_now(), t0 + 3600);
    assert_eq!(l1.block_number_now(), r.block_number + 1);
}

#[tokio::test]
async fn added_accounts_can_send() {
    let l1 = InProcessL1::with_accounts(1);
    let carol = Address::repeat_byte(0xca);
    l1.add_account(carol, U256::from(1_000_000u64));
    assert!(l1.accounts().contains(&carol));
    l1.send(
        TxRequest::call(carol, Address::repeat_byte(1), Bytes::new()).with_value(U256::from(5)),
    )
    .await
    .unwrap();
    assert_eq!(l1.balance_now(carol), U256::from(1_000_000u64 - 5));
}

/// The in-process chain is shared across threads behind `Arc`, its futures are `Send`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_across_tasks() {
    use std::sync::Arc;
    let l1 = Arc::new(InProcessL1::with_accounts(4));
    let to = Address::repeat_byte(0x55);
    let tasks: Vec<_> = l1
        .accounts()
        .into_iter()
        .map(|from| {
            let l1 = Arc::clone(&l1);
            tokio::spawn(async move {
                for _ in 0..25 {
                    l1.send(TxRequest::call(from, to, Bytes::new()).with_value(U256::from(1)))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(l1.balance_now(to), U256::from(100));
    assert_eq!(l1.block_number_now(), 100);
}
