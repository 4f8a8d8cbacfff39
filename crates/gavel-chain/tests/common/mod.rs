//! Shared test helpers: tiny raw-bytecode contracts, a backend conformance suite run on both
//! backends, and anvil discovery.
#![allow(dead_code)]

pub mod toy;

use alloy::primitives::{Address, B256, Bytes, U256, b256, bytes};
use gavel_chain::{ChainError, L1, LogFilter, TimeControl, TxRequest};

/// Topic emitted by [`LOGGER_INIT`].
pub const LOGGER_TOPIC: B256 =
    b256!("1111111111111111111111111111111111111111111111111111111111111111");

/// Init code of a contract whose runtime (69 bytes):
/// * empty calldata: reverts with the 4 bytes `0xdeadbeef`;
/// * otherwise: emits `LOG1(LOGGER_TOPIC, calldata)` and returns the calldata.
pub const LOGGER_INIT: Bytes = bytes!(
    // init: CODECOPY the 0x45-byte runtime from offset 0x0b and RETURN it
    "604580600b6000396000f3"
    // runtime
    "3615603457"                     // if calldatasize == 0 jump to 0x34
    "366000600037"                   // calldatacopy(0, 0, calldatasize)
    "7f1111111111111111111111111111111111111111111111111111111111111111"
    "366000a1"                       // log1(0, calldatasize, topic)
    "366000f3"                       // return(0, calldatasize)
    "5b63deadbeef60e01b60005260046000fd" // 0x34: revert(0, 4) with 0xdeadbeef
);

/// Init code of a contract whose runtime is the single INVALID opcode (halts on any call).
pub const INVALID_INIT: Bytes = bytes!("600180600b6000396000f3fe");

/// Gas of a transaction carrying `nonzero` non-zero calldata bytes to an account without
/// code under the EIP-7623 floor: 21000 + 10 gas per token, 4 tokens per non-zero byte.
pub fn floor_gas(nonzero: u64) -> u64 {
    21_000 + 10 * 4 * nonzero
}

/// The same checks on any backend: creation, call, logs, revert data, halts, calldata floor
/// gas, transfers, unknown senders and time control.
pub async fn conformance<C: L1 + TimeControl>(l1: &C) {
    let accounts = l1.accounts();
    assert!(accounts.len() >= 2, "backend needs two senders");
    let (alice, bob) = (accounts[0], accounts[1]);

    let start = l1.block_number().await.unwrap();
    let created = l1
        .send(TxRequest::create(alice, LOGGER_INIT))
        .await
        .unwrap();
    assert!(created.success);
    let logger = created
        .contract_address
        .expect("creation receipt has the contract address");
    assert!(
        created.block_number > start,
        "a transaction mines a new block"
    );
    assert_eq!(l1.block_number().await.unwrap(), created.block_number);

    // call: returns the calldata; empty calldata reverts with its data.
    let echo = l1.call(alice, logger, bytes!("cafe")).await.unwrap();
    assert_eq!(echo, bytes!("cafe"));
    match l1.call(alice, logger, Bytes::new()).await {
        Err(ChainError::Reverted { data }) => assert_eq!(data, bytes!("deadbeef")),
        other => panic!("expected a revert with data, got {other:?}"),
    }

    // send: logs are in the receipt and in logs().
    let sent = l1
        .send(TxRequest::call(bob, logger, bytes!("0102030405")))
        .await
        .unwrap();
    assert_eq!(sent.logs.len(), 1);
    assert_eq!(sent.logs[0].address, logger);
    assert_eq!(sent.logs[0].topics, vec![LOGGER_TOPIC]);
    assert_eq!(sent.logs[0].data, bytes!("0102030405"));
    let second = l1
        .send(TxRequest::call(alice, logger, bytes!("06")))
        .await
        .unwrap();
    let all = l1
        .logs(LogFilter {
            addresses: vec![logger],
            topic0: Some(LOGGER_TOPIC),
            from_block: start,
            to_block: None,
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].block_number, sent.block_number);
    assert_eq!(all[1].data, bytes!("06"));
    let only_second = l1
        .logs(LogFilter {
            addresses: vec![],
            topic0: Some(LOGGER_TOPIC),
            from_block: second.block_number,
            to_block: Some(second.block_number),
        })
        .await
        .unwrap();
    assert_eq!(only_second.len(), 1);
    assert_eq!(only_second[0].data, bytes!("06"));
    let other_topic = l1
        .logs(LogFilter {
            addresses: vec![logger],
            topic0: Some(B256::ZERO),
            from_block: start,
            to_block: None,
        })
        .await
        .unwrap();
    assert!(other_topic.is_empty());

    // A reverting transaction is refused with its revert data and mines nothing.
    let before = l1.block_number().await.unwrap();
    match l1.send(TxRequest::call(alice, logger, Bytes::new())).await {
        Err(ChainError::Reverted { data }) => assert_eq!(data, bytes!("deadbeef")),
        other => panic!("expected a revert with data, got {other:?}"),
    }
    assert_eq!(l1.block_number().await.unwrap(), before);

    // A halting transaction is refused with the halt reason.
    let invalid = l1
        .send(TxRequest::create(alice, INVALID_INIT))
        .await
        .unwrap()
        .contract_address
        .unwrap();
    match l1.send(TxRequest::call(alice, invalid, bytes!("01"))).await {
        Err(ChainError::Halted { reason }) => assert!(reason.contains("Invalid"), "{reason}"),
        other => panic!("expected a halt, got {other:?}"),
    }

    // Calldata floor (EIP-7623): 1000 non-zero bytes to an EOA cost 61000, not 37000.
    let eoa = Address::repeat_byte(0x42);
    let heavy = l1
        .send(TxRequest::call(alice, eoa, vec![0xffu8; 1000]))
        .await
        .unwrap();
    assert_eq!(heavy.gas_used, floor_gas(1000));
    let plain = l1
        .send(TxRequest::call(alice, eoa, Bytes::new()))
        .await
        .unwrap();
    assert_eq!(plain.gas_used, 21_000);

    // Value transfer to a fresh address.
    let fresh = Address::repeat_byte(0x77);
    let amount = U256::from(123_456_789u64);
    l1.send(TxRequest::call(bob, fresh, Bytes::new()).with_value(amount))
        .await
        .unwrap();
    assert_eq!(l1.balance(fresh).await.unwrap(), amount);

    // Unknown sender.
    let stranger = Address::repeat_byte(0x99);
    match l1.send(TxRequest::call(stranger, eoa, Bytes::new())).await {
        Err(ChainError::UnknownSender(a)) => assert_eq!(a, stranger),
        other => panic!("expected UnknownSender, got {other:?}"),
    }

    // Time control: the latest block moves forward by at least the amount asked for.
    let t0 = l1.timestamp().await.unwrap();
    let b0 = l1.block_number().await.unwrap();
    l1.advance_time(1000).await.unwrap();
    assert!(l1.timestamp().await.unwrap() >= t0 + 1000);
    assert_eq!(l1.block_number().await.unwrap(), b0 + 1);
}

/// The anvil binary: `ANVIL_BIN`, else `anvil` on `PATH`. `None` (with a printed notice) when
/// neither exists, unless `CI=true`, where a missing anvil fails the test.
pub fn anvil_bin() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("ANVIL_BIN") {
        let p = std::path::PathBuf::from(p);
        assert!(p.is_file(), "ANVIL_BIN={} does not exist", p.display());
        return Some(p);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("anvil"))
            .find(|p| p.is_file())
    });
    if on_path.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("anvil not found (set ANVIL_BIN or put anvil on PATH); required under CI=true");
        }
        eprintln!("SKIPPED: anvil not found (set ANVIL_BIN or put anvil on PATH)");
    }
    on_path
}

/// Spawns anvil on loopback (a free port), pinned to Osaka. Stopped when the instance drops.
pub fn spawn_anvil(bin: &std::path::Path) -> alloy::node_bindings::AnvilInstance {
    alloy::node_bindings::Anvil::at(bin)
        .host("127.0.0.1")
        .args(["--hardfork", "osaka"])
        .try_spawn()
        .expect("anvil starts")
}

/// Hex private keys of the first `n` anvil dev accounts.
pub fn anvil_keys(anvil: &alloy::node_bindings::AnvilInstance, n: usize) -> Vec<String> {
    anvil
        .keys()
        .iter()
        .take(n)
        .map(|k| alloy::hex::encode_prefixed(k.to_bytes()))
        .collect()
}
