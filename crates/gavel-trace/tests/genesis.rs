//! The genesis file: parse, validate, build the world state; every error kind names its field.

use alloy_primitives::{Address, B256, U256, keccak256};
use gavel_commit::record::ChainConfig;
use gavel_commit::trie::key;
use gavel_trace::chain::{Genesis, GenesisAccount, GenesisErrorKind};

const GOOD: &str = r#"{
  "config": { "chainId": 901, "fork": "Osaka", "txGasCap": 8388608 },
  "timestamp": "0x10",
  "alloc": {
    "0x00000000000000000000000000000000000000aa": {
      "balance": "1000000000000000000", "nonce": 1,
      "code": "0x6001600201", "storage": { "0x0": "0x2a", "70": "0x1" }
    },
    "0x00000000000000000000000000000000000000bb": { "balance": "0x10" },
    "0x00000000000000000000000000000000000000cc": { }
  }
}"#;

fn aa() -> Address {
    Address::with_last_byte(0xaa)
}

#[test]
fn parses_and_builds_the_world_state() {
    let g = Genesis::from_json(GOOD).unwrap();
    assert_eq!(g.config, ChainConfig::osaka(901));
    assert_eq!(g.timestamp, 16);
    assert_eq!(g.alloc[&aa()].storage[&U256::from(70)], U256::from(1));
    let s = g.state().unwrap();
    assert_eq!(s.world_root(), s.root_from_scratch());
    assert_eq!(s.storage(&aa(), U256::ZERO), U256::from(42));
    assert_eq!(
        s.world().get(&key::code_hash_key(&aa())),
        keccak256([0x60, 0x01, 0x60, 0x02, 0x01])
    );
    assert!(
        s.account(&Address::with_last_byte(0xcc)).is_none(),
        "empty accounts are absent"
    );
    // JSON round trip.
    let back = Genesis::from_json(&g.to_json()).unwrap();
    assert_eq!(back, g);
    assert_eq!(back.state().unwrap().world_root(), s.world_root());
    assert_eq!(g.config_hash(), ChainConfig::osaka(901).hash());
}

#[test]
fn the_genesis_hash_binds_the_world_root() {
    let g = Genesis::from_json(GOOD).unwrap();
    let p = g.prestate().unwrap();
    assert_eq!(p.last_block.number, 0);
    assert_eq!(p.last_block.timestamp, 16);
    let mut g2 = g.clone();
    g2.alloc.get_mut(&aa()).unwrap().balance += 1;
    assert_ne!(g2.prestate().unwrap().last_block.hash, p.last_block.hash);
}

fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(GOOD).unwrap();
    edit(&mut v);
    v.to_string()
}

fn kind_at(json: &str) -> (GenesisErrorKind, String) {
    let e = Genesis::from_json(json).unwrap_err();
    (e.kind, e.at)
}

const AA: &str = "0x00000000000000000000000000000000000000aa";

#[test]
fn syntax_and_structure_errors() {
    let (k, _) = kind_at("{ \"config\": ");
    assert!(matches!(k, GenesisErrorKind::Json(m) if m.contains("line 1")));
    let (k, _) = kind_at(&edited(|v| v["alloc"][AA]["code_hash"] = "0x".into()));
    assert!(matches!(k, GenesisErrorKind::Json(m) if m.contains("unknown field `code_hash`")));
}

#[test]
fn value_errors_name_the_field() {
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(Edit, String)> = vec![
        (
            Box::new(|v| v["alloc"][AA]["balance"] = format!("0x1{}", "0".repeat(32)).into()),
            format!("alloc.{AA}.balance"),
        ),
        (
            Box::new(|v| v["alloc"][AA]["nonce"] = "-3".into()),
            format!("alloc.{AA}.nonce"),
        ),
        (
            Box::new(|v| v["alloc"][AA]["code"] = "0x600".into()),
            format!("alloc.{AA}.code"),
        ),
        (
            Box::new(|v| v["alloc"][AA]["storage"]["0x0"] = "zz".into()),
            format!("alloc.{AA}.storage.0x0"),
        ),
        (
            Box::new(|v| v["config"]["chainId"] = "0x1ffffffffffffffff".into()),
            "config.chainId".into(),
        ),
        (
            Box::new(|v| v["timestamp"] = "x".into()),
            "timestamp".into(),
        ),
        (
            Box::new(|v| {
                let alloc = v["alloc"].as_object_mut().unwrap();
                let acc = alloc.remove(AA).unwrap();
                alloc.insert("0xaa".into(), acc);
            }),
            "alloc.0xaa".into(),
        ),
    ];
    for (edit, at) in cases {
        let (k, got) = kind_at(&edited(edit));
        assert!(matches!(k, GenesisErrorKind::Value(_)), "{at}: {k:?}");
        assert_eq!(got, at);
    }
}

#[test]
fn duplicates_compare_as_values_not_text() {
    let upper = "0x00000000000000000000000000000000000000AA";
    let text = GOOD.replacen(
        "\"0x00000000000000000000000000000000000000bb\"",
        &format!("\"{upper}\""),
        1,
    );
    let (k, at) = kind_at(&text);
    assert_eq!(k, GenesisErrorKind::DuplicateAccount);
    assert_eq!(at, format!("alloc.{upper}"));

    let text = GOOD.replace("\"70\": \"0x1\"", "\"0x00\": \"0x1\"");
    let (k, at) = kind_at(&text);
    assert_eq!(k, GenesisErrorKind::DuplicateSlot);
    assert_eq!(at, format!("alloc.{AA}.storage.0x00"));
}

#[test]
fn configuration_is_pinned_to_v0_1() {
    let (k, at) = kind_at(&edited(|v| v["config"]["fork"] = "Prague".into()));
    assert_eq!(k, GenesisErrorKind::UnsupportedFork("Prague".into()));
    assert_eq!(at, "config.fork");
    let (k, at) = kind_at(&edited(|v| v["config"]["txGasCap"] = (1u64 << 24).into()));
    assert_eq!(k, GenesisErrorKind::UnsupportedGasCap(1 << 24));
    assert_eq!(at, "config.txGasCap");
}

fn rust_genesis(address: Address, acc: GenesisAccount) -> GenesisErrorKind {
    let mut g = Genesis::new(901);
    g.alloc.insert(address, acc);
    let e = g.state().unwrap_err();
    assert_eq!(e.at, format!("alloc.{address:#x}"));
    e.kind
}

#[test]
fn accounts_the_chain_model_cannot_hold_are_refused() {
    let code = |c: Vec<u8>| GenesisAccount {
        balance: 1,
        code: c.into(),
        ..Default::default()
    };
    assert_eq!(
        rust_genesis(aa(), code(vec![0; 0x6001])),
        GenesisErrorKind::CodeTooLarge { len: 0x6001 }
    );
    assert_eq!(
        rust_genesis(aa(), code(vec![0xef, 0x01, 0x00])),
        GenesisErrorKind::CodeStartsWithEf
    );
    assert_eq!(
        rust_genesis(Address::with_last_byte(1), code(vec![0x00])),
        GenesisErrorKind::CodeAtPrecompile
    );
    let mut storage = std::collections::BTreeMap::new();
    storage.insert(U256::from(1), U256::from(1));
    assert_eq!(
        rust_genesis(
            aa(),
            GenesisAccount {
                storage,
                ..Default::default()
            }
        ),
        GenesisErrorKind::EmptyAccountWithStorage
    );

    let mut g = Genesis::new(901);
    for i in 1..=2 {
        g.alloc.insert(
            Address::with_last_byte(0xf0 + i),
            GenesisAccount {
                balance: u128::MAX / 2 + 1,
                ..Default::default()
            },
        );
    }
    let e = g.state().unwrap_err();
    assert_eq!(e.kind, GenesisErrorKind::TotalSupplyOverflow);
    assert_eq!(e.at, format!("alloc.{:#x}", Address::with_last_byte(0xf2)));
}

#[test]
fn files_name_themselves() {
    let e = Genesis::from_file("/nonexistent/genesis.json").unwrap_err();
    assert!(matches!(e.kind, GenesisErrorKind::Io(_)));
    assert!(
        e.to_string()
            .starts_with("/nonexistent/genesis.json: cannot read")
    );
    let _ = B256::ZERO;
}
