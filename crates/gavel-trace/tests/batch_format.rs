//! The batch file format: round trips, and every way a batch file can be wrong is rejected with
//! an error that names the block, transaction and field.

use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope, TxLegacy};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, Signature, TxKind, U256};
use alloy_signer::SignerSync;
use gavel_trace::batch::{
    Batch, BatchBuilder, BatchErrorKind, BatchTx, Block, BlockContext, TxError, TxRequest, TxType,
    dev_key,
};
use gavel_trace::batch::{MAX_BLOCKS, MAX_TXS_PER_BLOCK};

const CHAIN: u64 = 901;

fn sample() -> Batch {
    let (a, b) = (dev_key(1), dev_key(2));
    let mut bb = BatchBuilder::new(CHAIN);
    bb.block(BlockContext::new(1, 100));
    bb.tx(&a, TxRequest::transfer(b.address(), U256::from(7)))
        .unwrap();
    bb.tx(
        &b,
        TxRequest::transfer(a.address(), U256::from(1)).ty(TxType::Legacy),
    )
    .unwrap();
    bb.block(BlockContext::new(2, 112));
    bb.tx(
        &a,
        TxRequest::call(Address::repeat_byte(9), vec![1, 2, 3]).ty(TxType::Eip2930),
    )
    .unwrap();
    bb.build().unwrap()
}

fn parse(json: &str) -> Result<Batch, gavel_trace::BatchError> {
    Batch::from_json(json, CHAIN)
}

/// `sample()` as JSON with `edit` applied to the parsed value.
fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
    edit(&mut v);
    v.to_string()
}

fn tx_hex(raw: &[u8]) -> serde_json::Value {
    serde_json::Value::String(format!("0x{}", alloy_primitives::hex::encode(raw)))
}

#[test]
fn json_round_trip_keeps_bytes_signers_and_commitment() {
    let b = sample();
    let text = b.to_json();
    let back = parse(&text).unwrap();
    assert_eq!(back, b);
    assert_eq!(back.to_json(), text);
    assert_eq!(back.commitment(), b.commitment());
    assert_eq!(b.transition_count(), 2 + 2 + 1 + 2);
    assert_eq!(b.blocks()[0].txs[0].signer(), dev_key(1).address());
    assert_eq!(b.blocks()[0].txs[1].ty(), 0);
    assert_eq!(b.blocks()[1].txs[0].ty(), 1);
}

#[test]
fn commitment_binds_every_block_field_and_every_transaction() {
    let b = sample();
    let base = b.commitment();
    let mut blocks = b.blocks().to_vec();
    let ctx = blocks[1].context;
    let variants = [
        BlockContext {
            gas_limit: ctx.gas_limit + 1,
            ..ctx
        },
        BlockContext {
            coinbase: Address::repeat_byte(1),
            ..ctx
        },
        BlockContext {
            base_fee: ctx.base_fee + 1,
            ..ctx
        },
        BlockContext {
            prev_randao: alloy_primitives::B256::repeat_byte(3),
            ..ctx
        },
        BlockContext {
            timestamp: ctx.timestamp + 1,
            ..ctx
        },
    ];
    for v in variants {
        blocks[1].context = v;
        let other = Batch::new(CHAIN, blocks.clone()).unwrap();
        assert_ne!(other.commitment(), base, "{v:?}");
    }
    blocks[1].context = ctx;
    blocks[0].txs.swap(0, 1);
    assert_ne!(
        Batch::new(CHAIN, blocks.clone()).unwrap().commitment(),
        base
    );
    blocks[0].txs.pop();
    assert_ne!(Batch::new(CHAIN, blocks).unwrap().commitment(), base);
}

#[test]
fn structure_errors_report_line_and_column_or_the_field() {
    let e = parse("{\n  \"version\": 1,\n  \"chainId\": 901,\n  \"blocks\": [ }").unwrap_err();
    assert!(
        matches!(&e.kind, BatchErrorKind::Json(m) if m.contains("line 4")),
        "{e}"
    );

    let e = parse(&edited(|v| v["extra"] = 1.into())).unwrap_err();
    assert!(matches!(&e.kind, BatchErrorKind::Json(m) if m.contains("unknown field `extra`")));

    let e = parse(&edited(|v| v["blocks"][1]["tip"] = 1.into())).unwrap_err();
    assert!(matches!(&e.kind, BatchErrorKind::Json(m) if m.contains("unknown field `tip`")));

    let e = parse(&edited(|v| {
        v["blocks"][0].as_object_mut().unwrap().remove("coinbase");
    }))
    .unwrap_err();
    assert!(matches!(&e.kind, BatchErrorKind::Json(m) if m.contains("missing field `coinbase`")));

    let e = parse(&edited(|v| v["version"] = 2.into())).unwrap_err();
    assert_eq!(e.kind, BatchErrorKind::UnsupportedVersion(2));
    assert_eq!(e.field, Some("version"));

    let e = parse(&edited(|v| v["chainId"] = 902.into())).unwrap_err();
    assert_eq!(
        e.kind,
        BatchErrorKind::ChainId {
            expected: CHAIN,
            got: 902
        }
    );
}

#[test]
fn value_errors_name_block_and_field() {
    let cases: Vec<(&str, serde_json::Value)> = vec![
        ("coinbase", "c0c0".into()),
        ("coinbase", "0x1234".into()),
        ("prevRandao", "0x00".into()),
        ("baseFee", "0x10000000000000000".into()),
        ("gasLimit", (-1).into()),
        ("timestamp", "soon".into()),
        ("number", 1.5.into()),
    ];
    for (field, value) in cases {
        let e = parse(&edited(|v| v["blocks"][1][field] = value.clone())).unwrap_err();
        assert!(matches!(e.kind, BatchErrorKind::Value(_)), "{field}: {e}");
        assert_eq!(e.block, Some(1), "{field}");
        assert_eq!(e.field, Some(field));
        assert!(
            e.to_string().starts_with(&format!("block 1, {field}: ")),
            "{e}"
        );
    }
}

#[test]
fn transaction_hex_errors_name_block_and_tx() {
    for bad in ["02f8", "0x02f", "0x02zz"] {
        let e = parse(&edited(|v| v["blocks"][0]["transactions"][1] = bad.into())).unwrap_err();
        assert!(matches!(e.kind, BatchErrorKind::Value(_)), "{bad}: {e}");
        assert_eq!((e.block, e.tx), (Some(0), Some(1)));
    }
}

fn tx_error(raw: &[u8]) -> TxError {
    let e = parse(&edited(|v| v["blocks"][1]["transactions"][0] = tx_hex(raw))).unwrap_err();
    assert_eq!((e.block, e.tx), (Some(1), Some(0)), "{e}");
    assert!(e.to_string().starts_with("block 1, tx 0: "), "{e}");
    match e.kind {
        BatchErrorKind::Tx(t) => t,
        other => panic!("not a tx error: {other:?}"),
    }
}

#[test]
fn other_transaction_types_are_refused_by_name() {
    assert_eq!(tx_error(&[]), TxError::Empty);
    for (ty, name) in [
        (3u8, "EIP-4844 blob transaction"),
        (4, "EIP-7702 set-code transaction"),
        (0x7e, "deposit transaction (OP stack)"),
    ] {
        let e = tx_error(&[ty, 0xc0]);
        assert_eq!(e, TxError::UnsupportedType { ty, name });
        assert!(e.to_string().contains(name));
    }
    assert_eq!(tx_error(&[0x05, 0xc0]), TxError::UnknownType(5));
    assert_eq!(tx_error(&[0x00, 0xc0]), TxError::UnknownType(0));
    assert_eq!(tx_error(&[0x85, 1, 2, 3, 4, 5]), TxError::NotEip2718(0x85));
}

#[test]
fn malformed_rlp_and_trailing_bytes_are_refused() {
    let good = sample().blocks()[0].txs[0].raw().to_vec();
    assert!(matches!(tx_error(&[0x02, 0xc3, 0x01]), TxError::Rlp(_)));
    assert!(matches!(tx_error(&good[..good.len() - 1]), TxError::Rlp(_)));
    let mut long = good.clone();
    long.push(0);
    assert!(matches!(tx_error(&long), TxError::Rlp(_)));
    let legacy = sample().blocks()[0].txs[1].raw().to_vec();
    assert!(matches!(
        tx_error(&legacy[..legacy.len() - 2]),
        TxError::Rlp(_)
    ));
}

fn eip1559(chain_id: u64) -> TxEip1559 {
    TxEip1559 {
        chain_id,
        nonce: 0,
        gas_limit: 21_000,
        max_fee_per_gas: 10,
        max_priority_fee_per_gas: 1,
        to: TxKind::Call(Address::repeat_byte(2)),
        value: U256::from(1),
        access_list: Default::default(),
        input: Bytes::new(),
    }
}

fn encode_with(tx: TxEip1559, sig: Signature) -> Vec<u8> {
    TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
}

#[test]
fn signatures_must_recover_with_low_s() {
    let key = dev_key(1);
    let tx = eip1559(CHAIN);
    let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
    let ok = encode_with(tx.clone(), sig);
    assert_eq!(BatchTx::decode(&ok, CHAIN).unwrap().signer(), key.address());

    // The malleable twin (n - s, flipped parity) recovers the same key: EIP-2 forbids it.
    let n = U256::from_str_radix(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        16,
    )
    .unwrap();
    let twin = Signature::new(sig.r(), n - sig.s(), !sig.v());
    assert_eq!(tx_error(&encode_with(tx.clone(), twin)), TxError::HighS);

    let zero_r = Signature::new(U256::ZERO, sig.s(), sig.v());
    assert!(matches!(
        tx_error(&encode_with(tx, zero_r)),
        TxError::BadSignature(_)
    ));
}

#[test]
fn chain_ids_must_match_and_legacy_needs_eip155() {
    let key = dev_key(1);
    let tx = eip1559(902);
    let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
    assert_eq!(
        tx_error(&encode_with(tx, sig)),
        TxError::WrongChainId {
            expected: CHAIN,
            got: 902
        }
    );

    let legacy = TxLegacy {
        chain_id: None,
        nonce: 0,
        gas_price: 10,
        gas_limit: 21_000,
        to: TxKind::Call(Address::repeat_byte(2)),
        value: U256::from(1),
        input: Bytes::new(),
    };
    let sig = key.sign_hash_sync(&legacy.signature_hash()).unwrap();
    let raw = TxEnvelope::from(legacy.into_signed(sig)).encoded_2718();
    assert_eq!(tx_error(&raw), TxError::MissingChainId);
}

#[test]
fn block_order_and_counts_are_checked() {
    let e = parse(&edited(|v| v["blocks"][1]["number"] = 3.into())).unwrap_err();
    assert_eq!(
        e.kind,
        BatchErrorKind::BlockNumber {
            expected: 2,
            got: 3
        }
    );
    assert_eq!((e.block, e.field), (Some(1), Some("number")));

    let e = parse(&edited(|v| v["blocks"][1]["timestamp"] = 100.into())).unwrap_err();
    assert_eq!(
        e.kind,
        BatchErrorKind::Timestamp {
            parent: 100,
            got: 100
        }
    );

    let e = parse(&edited(|v| v["blocks"] = serde_json::json!([]))).unwrap_err();
    assert_eq!(e.kind, BatchErrorKind::NoBlocks);

    let one = sample().blocks()[0].clone();
    let mut big = one.clone();
    big.txs = vec![one.txs[0].clone(); MAX_TXS_PER_BLOCK + 1];
    assert_eq!(
        big.tx_tree().unwrap_err().kind,
        BatchErrorKind::TooManyTxs(MAX_TXS_PER_BLOCK + 1)
    );
    let e = Batch::new(CHAIN, vec![big]).unwrap_err();
    assert_eq!(e.kind, BatchErrorKind::TooManyTxs(MAX_TXS_PER_BLOCK + 1));
    assert_eq!(e.block, Some(0));

    let blocks: Vec<Block> = (0..=MAX_BLOCKS as u64)
        .map(|i| Block {
            context: BlockContext::new(i + 1, i + 1),
            txs: vec![],
        })
        .collect();
    let e = Batch::new(CHAIN, blocks).unwrap_err();
    assert_eq!(e.kind, BatchErrorKind::TooManyBlocks(MAX_BLOCKS + 1));
}

#[test]
fn files_name_themselves_in_errors() {
    let dir = std::env::temp_dir().join(format!("gavel-trace-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("missing.json");
    let e = Batch::from_file(&missing, CHAIN).unwrap_err();
    assert!(matches!(e.kind, BatchErrorKind::Io(_)));
    assert!(e.to_string().contains("missing.json"), "{e}");

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        edited(|v| v["blocks"][1]["transactions"][0] = "0x03c0".into()),
    )
    .unwrap();
    let e = Batch::from_file(&bad, CHAIN).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("{}, block 1, tx 0: EIP-4844", bad.display())),
        "{e}"
    );
    let good = dir.join("good.json");
    std::fs::write(&good, sample().to_json()).unwrap();
    assert_eq!(Batch::from_file(&good, CHAIN).unwrap(), sample());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_builder_counts_nonces_per_signer_and_rejects_txs_before_a_block() {
    let (a, b) = (dev_key(1), dev_key(2));
    let mut bb = BatchBuilder::new(CHAIN);
    assert_eq!(
        bb.tx(&a, TxRequest::transfer(b.address(), U256::from(1)))
            .unwrap_err()
            .kind,
        BatchErrorKind::NoBlocks
    );
    bb.set_nonce(a.address(), 5);
    bb.block(BlockContext::new(1, 1));
    bb.tx(&a, TxRequest::transfer(b.address(), U256::from(1)))
        .unwrap();
    bb.tx(&a, TxRequest::transfer(b.address(), U256::from(1)).nonce(9))
        .unwrap();
    bb.tx(&a, TxRequest::transfer(b.address(), U256::from(1)))
        .unwrap();
    let batch = bb.build().unwrap();
    let nonces: Vec<u64> = batch.blocks()[0]
        .txs
        .iter()
        .map(|t| alloy_consensus::Transaction::nonce(t.envelope()))
        .collect();
    assert_eq!(nonces, vec![5, 9, 6]);
}

/// spec §13.3, re-derived with plain keccak: a one-block, one-transaction batch.
#[test]
fn commitment_follows_spec_13_3() {
    use alloy_primitives::{B256, keccak256};
    let key = dev_key(1);
    let mut bb = BatchBuilder::new(CHAIN);
    bb.block(BlockContext::new(7, 70));
    bb.tx(
        &key,
        TxRequest::transfer(Address::repeat_byte(2), U256::from(1)),
    )
    .unwrap();
    let batch = bb.build().unwrap();
    let raw = batch.blocks()[0].txs[0].raw().clone();

    // A lone leaf at index 0 of a depth-16 tree: left child at every level, right sibling 0.
    let left_path = |mut h: B256| {
        for _ in 0..16 {
            h = keccak256([&[0x01u8][..], h.as_slice(), &[0u8; 32]].concat());
        }
        h
    };
    let tx_root = left_path(keccak256(&raw));
    let c = BlockContext::new(7, 70);
    let block_leaf = keccak256(
        [
            &[0x19u8][..],
            &7u64.to_be_bytes(),
            &70u64.to_be_bytes(),
            &c.gas_limit.to_be_bytes(),
            c.coinbase.as_slice(),
            &U256::from(c.base_fee).to_be_bytes::<32>(),
            c.prev_randao.as_slice(),
            &1u32.to_be_bytes(),
            tx_root.as_slice(),
        ]
        .concat(),
    );
    let expected = keccak256(
        [
            &[0x1au8][..],
            &1u32.to_be_bytes(),
            left_path(block_leaf).as_slice(),
        ]
        .concat(),
    );
    assert_eq!(batch.commitment(), expected);
}
