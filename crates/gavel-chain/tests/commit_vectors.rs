//! The golden vectors of `fixtures/vectors/*.json` (docs/spec.md §11) run through the Solidity
//! twins of the commitment kernel (`contracts/src/commit/`), deployed as thin harness contracts
//! into the in-process L1. Every case of every file must give the same result (root, value,
//! accepted) or the same error name as its `expect` field, i.e. the same answer as the Rust
//! crate `gavel-commit` that generated the file.
//!
//! `cargo test -p gavel-chain --test commit_vectors -- --nocapture gas_table` prints the gas the
//! library calls use per verification kind (measured inside the harness with `gasleft()`).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use alloy::primitives::{Address, B256, Bytes, FixedBytes, U256, keccak256};
use alloy::sol;
use alloy::sol_types::SolCall;
use gavel_chain::{ChainError, InProcessL1, TxRequest, dev_address};
use serde_json::Value;

sol!(
    #[derive(Debug, PartialEq, Eq)]
    HashHarness,
    "../../contracts/artifacts/HashHarness.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    SparseProofHarness,
    "../../contracts/artifacts/SparseProofHarness.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    WorldProofHarness,
    "../../contracts/artifacts/WorldProofHarness.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    CodeProofHarness,
    "../../contracts/artifacts/CodeProofHarness.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    MemoryProofHarness,
    "../../contracts/artifacts/MemoryProofHarness.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    StackProofHarness,
    "../../contracts/artifacts/StackProofHarness.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    SubstateProofHarness,
    "../../contracts/artifacts/SubstateProofHarness.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    RecordsHarness,
    "../../contracts/artifacts/RecordsHarness.json"
);

////////////////////////////////////////////////////////////////
//                          Plumbing                          //
////////////////////////////////////////////////////////////////

/// Every custom error of `contracts/src/commit/CommitErrors.sol` (spec §10 and the decoder
/// errors); reverts are named by their 4-byte selector.
const ERROR_NAMES: &[&str] = &[
    "Truncated",
    "TrailingBytes",
    "ZeroSibling",
    "BitmapPadding",
    "TooManySiblingRequests",
    "NoLeaves",
    "LeafIndexOutOfRange",
    "LeavesNotAscending",
    "DepthOutOfRange",
    "UnknownTerminal",
    "EmptyTerminalWithoutSibling",
    "OtherKeyIsTarget",
    "OtherKeyPrefixMismatch",
    "ValueForAbsentKey",
    "RootMismatch",
    "ChunkCountMismatch",
    "StackUnderflow",
    "ReservedBytes",
    "UnsupportedVersion",
    "TooManyTopics",
    "LengthMismatch",
];

fn error_name(data: &[u8]) -> String {
    static NAMES: OnceLock<HashMap<[u8; 4], &'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        ERROR_NAMES
            .iter()
            .map(|n| {
                let h = keccak256(format!("{n}()"));
                ([h[0], h[1], h[2], h[3]], *n)
            })
            .collect()
    });
    match data {
        [a, b, c, d] => names
            .get(&[*a, *b, *c, *d])
            .map_or_else(|| gavel_chain::decode_revert(data), |n| (*n).to_owned()),
        _ => gavel_chain::decode_revert(data),
    }
}

/// The in-process L1 with the harnesses deployed.
struct Env {
    l1: InProcessL1,
    from: Address,
    hash: Address,
    sparse: Address,
    world: Address,
    code: Address,
    memory: Address,
    stack: Address,
    substate: Address,
    records: Address,
}

impl Env {
    fn new() -> Self {
        let l1 = InProcessL1::with_accounts(1);
        let from = dev_address(0);
        let deploy = |code: &Bytes| {
            l1.send_now(TxRequest::create(from, code.clone()))
                .expect("deploy a harness")
                .contract_address
                .expect("a creation has an address")
        };
        let hash = deploy(&HashHarness::BYTECODE);
        let sparse = deploy(&SparseProofHarness::BYTECODE);
        let world = deploy(&WorldProofHarness::BYTECODE);
        let code = deploy(&CodeProofHarness::BYTECODE);
        let memory = deploy(&MemoryProofHarness::BYTECODE);
        let stack = deploy(&StackProofHarness::BYTECODE);
        let substate = deploy(&SubstateProofHarness::BYTECODE);
        let records = deploy(&RecordsHarness::BYTECODE);
        Self {
            l1,
            from,
            hash,
            sparse,
            world,
            code,
            memory,
            stack,
            substate,
            records,
        }
    }

    /// Calls `c` on `to`; a revert becomes its error name.
    fn call<C: SolCall>(&self, to: Address, c: C) -> Result<C::Return, String> {
        match self.l1.call_now(self.from, to, c.abi_encode().into()) {
            Ok(out) => Ok(C::abi_decode_returns(&out).expect("decode harness return")),
            Err(ChainError::Reverted { data }) => Err(error_name(&data)),
            Err(e) => panic!("harness call {} failed: {e}", C::SIGNATURE),
        }
    }
}

/// Gas figures collected per verification kind.
#[derive(Default)]
struct Gas(BTreeMap<String, Vec<(u64, usize, u64)>>);

impl Gas {
    /// Records one measurement: the library call's gas and the witness bytes it needed (the
    /// proof and the opened values), with their EIP-7623 floor cost (10 / 40 gas per zero /
    /// non-zero byte).
    fn add(&mut self, kind: &str, gas: U256, witness: &[u8]) {
        let floor = witness.iter().map(|&b| if b == 0 { 10 } else { 40 }).sum();
        self.0
            .entry(kind.to_owned())
            .or_default()
            .push((gas.to::<u64>(), witness.len(), floor));
    }
}

/// `proof ‖ values`: the witness bytes of an opening.
fn witness(proof: &[u8], values: &[B256]) -> Vec<u8> {
    let mut out = proof.to_vec();
    for v in values {
        out.extend_from_slice(v.as_slice());
    }
    out
}

////////////////////////////////////////////////////////////////
//                        JSON helpers                        //
////////////////////////////////////////////////////////////////

/// The sections of every vector file this test runs; a section it does not know fails the
/// test, so new vectors cannot be skipped silently.
const SECTIONS: &[(&str, &[&str])] = &[
    ("hash", &["keccak256", "node_hash", "tags"]),
    (
        "proof",
        &["format", "sibling_requests", "trees", "update", "verify"],
    ),
    (
        "world",
        &[
            "basic_data",
            "roots",
            "sequential",
            "stem_keys",
            "tree_keys",
            "update_stem",
            "verify_stem",
        ],
    ),
    ("code", &["chunking", "fetch", "format", "jumpdest"]),
    (
        "memory",
        &[
            "depth",
            "sequence",
            "update_words",
            "verify_words",
            "word_ranges",
        ],
    ),
    ("stack", &["link", "openings", "pushes"]),
    ("substate", &["keys", "sequence", "update", "verify"]),
    (
        "records",
        &[
            "block_env",
            "boundary",
            "chain_config",
            "context",
            "empty_step",
            "frame",
            "log_link",
            "machine",
            "receipt_link",
            "snapshot",
            "step",
            "tx_env",
        ],
    ),
];

fn load(name: &str) -> Value {
    let path = format!(
        "{}/../../fixtures/vectors/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).expect("vector JSON");
    assert_eq!(doc["spec"], "0.1", "{path}: spec version");
    let known = SECTIONS
        .iter()
        .find(|s| s.0 == name)
        .unwrap_or_else(|| panic!("no sections listed for {name}"))
        .1;
    let mut sections: Vec<&str> = doc["vectors"]
        .as_object()
        .expect("vectors object")
        .keys()
        .map(String::as_str)
        .collect();
    sections.sort_unstable();
    assert_eq!(sections, known, "{path}: sections (update this test)");
    doc["vectors"].clone()
}

#[test]
fn every_vector_file_is_covered() {
    let dir = format!("{}/../../fixtures/vectors", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    files.sort();
    let mut known: Vec<&str> = SECTIONS.iter().map(|s| s.0).collect();
    known.sort();
    assert_eq!(files, known, "fixtures/vectors/*.json");
}

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array: {v}"))
}

fn hexb(v: &Value) -> Bytes {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("expected hex string: {v}"));
    alloy::hex::decode(s)
        .unwrap_or_else(|e| panic!("bad hex {s}: {e}"))
        .into()
}

fn w(v: &Value) -> B256 {
    let b = hexb(v);
    assert_eq!(b.len(), 32, "expected a word: {v}");
    B256::from_slice(&b)
}

fn u(v: &Value) -> U256 {
    match v {
        Value::Number(n) => U256::from(n.as_u64().expect("u64")),
        Value::String(s) if s.starts_with("0x") => s.parse().expect("hex U256"),
        Value::String(s) => U256::from_str_radix(s, 10).expect("decimal U256"),
        _ => panic!("expected a number: {v}"),
    }
}

fn k31(v: &Value) -> FixedBytes<31> {
    let b = hexb(v);
    assert_eq!(b.len(), 31, "expected a 31-byte key: {v}");
    FixedBytes::<31>::from_slice(&b)
}

fn addr(v: &Value) -> Address {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("expected an address: {v}"))
}

fn name(v: &Value) -> String {
    v["name"].as_str().unwrap_or("?").to_owned()
}

/// `None` for `{"ok": true}`, the error name for `{"error": ...}`.
fn expected_error(case: &Value) -> Option<String> {
    let e = &case["expect"];
    if e["ok"] == Value::Bool(true) {
        return None;
    }
    Some(
        e["error"]
            .as_str()
            .unwrap_or_else(|| panic!("bad expect in {case}"))
            .to_owned(),
    )
}

/// Asserts a harness result agrees with the case's `expect` field; returns the value if ok.
fn check<T: std::fmt::Debug>(file: &str, case: &Value, got: Result<T, String>) -> Option<T> {
    match (expected_error(case), got) {
        (None, Ok(v)) => Some(v),
        (Some(e), Err(g)) => {
            assert_eq!(g, e, "{file}: {}: wrong error", name(case));
            None
        }
        (None, Err(g)) => panic!("{file}: {}: expected ok, Solidity reverted {g}", name(case)),
        (Some(e), Ok(v)) => panic!(
            "{file}: {}: expected {e}, Solidity accepted ({v:?})",
            name(case)
        ),
    }
}

fn leaves(v: &Value, index: &str, value: &str) -> (Vec<U256>, Vec<B256>) {
    arr(v).iter().map(|l| (u(&l[index]), w(&l[value]))).unzip()
}

////////////////////////////////////////////////////////////////
//                        hash.json                           //
////////////////////////////////////////////////////////////////

fn run_hash(env: &Env) {
    let v = load("hash");
    let order = [
        "NODE",
        "STEM",
        "SUBSTATE_LEAF",
        "STACK",
        "STEM_KEY",
        "SUBSTATE_KEY",
        "LOG",
        "STEP",
        "CONTEXT",
        "FRAME",
        "TX",
        "BOUNDARY",
        "BLOCK",
        "CHAIN_CONFIG",
        "SNAPSHOT",
        "RECEIPT",
    ];
    let tags = env.call(env.hash, HashHarness::tagsCall {}).unwrap();
    assert_eq!(v["tags"].as_object().unwrap().len(), order.len());
    for (i, t) in order.iter().enumerate() {
        assert_eq!(
            u64::from(tags[i]),
            v["tags"][t].as_u64().unwrap(),
            "tag {t}"
        );
    }
    for c in arr(&v["keccak256"]) {
        let got = env
            .call(
                env.hash,
                HashHarness::keccakCall {
                    _data: hexb(&c["input"]),
                },
            )
            .unwrap();
        assert_eq!(got, w(&c["output"]), "keccak256 {}", c["input"]);
    }
    for c in arr(&v["node_hash"]) {
        let got = env
            .call(
                env.hash,
                HashHarness::nodeCall {
                    _left: w(&c["left"]),
                    _right: w(&c["right"]),
                },
            )
            .unwrap();
        assert_eq!(got, w(&c["hash"]), "node_hash {c}");
    }
}

////////////////////////////////////////////////////////////////
//                        proof.json                          //
////////////////////////////////////////////////////////////////

fn run_proof(env: &Env, gas: &mut Gas) {
    let v = load("proof");
    for c in arr(&v["sibling_requests"]) {
        let indices: Vec<U256> = arr(&c["indices"]).iter().map(u).collect();
        let got = env
            .call(
                env.sparse,
                SparseProofHarness::requestsCall {
                    _depth: u(&c["depth"]),
                    _indices: indices,
                },
            )
            .unwrap();
        assert_eq!(got, u(&c["requests"]), "sibling_requests {c}");
    }
    for t in arr(&v["trees"]) {
        let (idx, vals) = leaves(&t["leaves"], "index", "value");
        if idx.is_empty() {
            assert_eq!(w(&t["root"]), B256::ZERO, "the empty tree's root is 0");
            continue;
        }
        let got = env
            .call(
                env.sparse,
                SparseProofHarness::sparseRootCall {
                    _depth: u(&t["depth"]),
                    _indices: idx,
                    _leaves: vals,
                },
            )
            .unwrap();
        assert_eq!(got, w(&t["root"]), "tree of depth {}", t["depth"]);
    }
    for c in arr(&v["verify"]) {
        let (idx, vals) = leaves(&c["leaves"], "index", "value");
        let proof = hexb(&c["proof"]);
        let k = idx.len();
        let wit = witness(&proof, &vals);
        let r = env.call(
            env.sparse,
            SparseProofHarness::verifyCall {
                _root: w(&c["root"]),
                _depth: u(&c["depth"]),
                _indices: idx,
                _leaves: vals,
                _proof: proof,
            },
        );
        if let Some(g) = check("proof.json verify", c, r) {
            gas.add(
                &format!("multiproof verify, depth {}, {k} leaves", c["depth"]),
                g,
                &wit,
            );
        }
    }
    for c in arr(&v["update"]) {
        let writes = arr(&c["writes"]);
        let idx: Vec<U256> = writes.iter().map(|x| u(&x["index"])).collect();
        let olds: Vec<B256> = writes.iter().map(|x| w(&x["old"])).collect();
        let news: Vec<B256> = writes.iter().map(|x| w(&x["new"])).collect();
        let proof = hexb(&c["proof"]);
        let k = idx.len();
        let wit = witness(&proof, &olds);
        let r = env
            .call(
                env.sparse,
                SparseProofHarness::updateCall {
                    _root: w(&c["root"]),
                    _depth: u(&c["depth"]),
                    _indices: idx,
                    _olds: olds,
                    _news: news,
                    _proof: proof.clone(),
                },
            )
            .unwrap_or_else(|e| panic!("proof.json update {}: {e}", name(c)));
        assert_eq!(
            r.newRoot_,
            w(&c["new_root"]),
            "proof.json update {}",
            name(c)
        );
        gas.add(
            &format!("multiproof update, depth {}, {k} leaves", c["depth"]),
            r.gas_,
            &wit,
        );
    }
}

////////////////////////////////////////////////////////////////
//                        world.json                          //
////////////////////////////////////////////////////////////////

impl Env {
    /// Root of a fixed-depth tree holding `leaves` (zeros allowed), through the Solidity side.
    fn sparse_root(&self, depth: u64, leaves: &BTreeMap<u64, B256>) -> B256 {
        if leaves.values().all(|v| v.is_zero()) {
            return B256::ZERO;
        }
        let (idx, vals): (Vec<U256>, Vec<B256>) =
            leaves.iter().map(|(i, v)| (U256::from(*i), *v)).unzip();
        self.call(
            self.sparse,
            SparseProofHarness::sparseRootCall {
                _depth: U256::from(depth),
                _indices: idx,
                _leaves: vals,
            },
        )
        .unwrap()
    }

    /// Root of a prefix trie with terminal tag `tag`, through the Solidity reference builder.
    fn trie_root(&self, tag: u8, entries: &BTreeMap<FixedBytes<31>, B256>) -> B256 {
        let (keys, payloads): (Vec<FixedBytes<31>>, Vec<B256>) =
            entries.iter().map(|(k, v)| (*k, *v)).unzip();
        self.call(
            self.world,
            WorldProofHarness::trieRootCall {
                _tag: tag,
                _keys: keys,
                _payloads: payloads,
            },
        )
        .unwrap()
    }
}

fn run_world(env: &Env, gas: &mut Gas) {
    let v = load("world");
    for c in arr(&v["stem_keys"]) {
        let got = env
            .call(
                env.world,
                WorldProofHarness::stemCall {
                    _account: addr(&c["address"]),
                    _treeIndex: u(&c["tree_index"]),
                },
            )
            .unwrap();
        assert_eq!(got, k31(&c["stem"]), "stem_keys {c}");
    }
    for c in arr(&v["tree_keys"]) {
        let a = addr(&c["address"]);
        let (stem, sub) = match c["leaf"].as_str().unwrap() {
            "storage" => {
                let r = env
                    .call(
                        env.world,
                        WorldProofHarness::storageKeyCall {
                            _account: a,
                            _slot: u(&c["slot"]),
                        },
                    )
                    .unwrap();
                assert_eq!(r.treeIndex_, u(&c["tree_index"]), "tree index {c}");
                assert_eq!(r.subindex_, u(&c["subindex"]), "subindex {c}");
                (r.stem_, r.subindex_.to::<u8>())
            }
            leaf => {
                let stem = env
                    .call(
                        env.world,
                        WorldProofHarness::accountStemCall { _account: a },
                    )
                    .unwrap();
                let sub = match leaf {
                    "basic_data" => 0,
                    "code_hash" => 1,
                    "code_root" => 2,
                    other => panic!("unknown leaf {other}"),
                };
                (stem, sub)
            }
        };
        let mut key = [0u8; 32];
        key[..31].copy_from_slice(stem.as_slice());
        key[31] = sub;
        assert_eq!(B256::from(key), w(&c["key"]), "tree_keys {c}");
    }
    for c in arr(&v["basic_data"]) {
        let code_size = c["code_size"].as_u64().unwrap();
        let nonce = u(&c["nonce"]).to::<u64>();
        let balance = u(&c["balance"]).to::<u128>();
        let leaf = env
            .call(
                env.world,
                WorldProofHarness::encodeBasicDataCall {
                    _codeSize: alloy::primitives::aliases::U24::from(code_size),
                    _nonce: nonce,
                    _balance: balance,
                },
            )
            .unwrap();
        assert_eq!(leaf, w(&c["leaf"]), "basic_data {c}");
        let d = env
            .call(
                env.world,
                WorldProofHarness::decodeBasicDataCall { _leaf: leaf },
            )
            .unwrap();
        assert_eq!(
            (d.codeSize_.to::<u64>(), d.nonce_, d.balance_),
            (code_size, nonce, balance)
        );
    }
    // Decoders reject a version byte and reserved bytes (spec §4.1).
    let mut bad = [0u8; 32];
    bad[0] = 1;
    assert_eq!(
        env.call(
            env.world,
            WorldProofHarness::decodeBasicDataCall { _leaf: bad.into() }
        ),
        Err("UnsupportedVersion".into())
    );
    let mut bad = [0u8; 32];
    bad[3] = 1;
    assert_eq!(
        env.call(
            env.world,
            WorldProofHarness::decodeBasicDataCall { _leaf: bad.into() }
        ),
        Err("ReservedBytes".into())
    );

    // Roots along write sequences, rebuilt from scratch on the Solidity side: each stem's
    // subtree root (depth 8) and the trie over the stems ever written non-zero.
    let mut stems: BTreeMap<FixedBytes<31>, BTreeMap<u64, B256>> = BTreeMap::new();
    for c in arr(&v["roots"]) {
        if c["name"] == "empty" || c["name"] == "one leaf" {
            stems.clear();
        }
        if c["name"] == "8 accounts, 3 slots each" {
            stems.clear();
        }
        for wr in arr(&c["writes"]) {
            let key = hexb(&wr["key"]);
            let stem = FixedBytes::<31>::from_slice(&key[..31]);
            let value = w(&wr["value"]);
            match stems.get_mut(&stem) {
                Some(leaves) => {
                    leaves.insert(u64::from(key[31]), value);
                }
                None if value.is_zero() => {}
                None => {
                    stems.insert(stem, BTreeMap::from([(u64::from(key[31]), value)]));
                }
            }
        }
        let subroots: BTreeMap<FixedBytes<31>, B256> = stems
            .iter()
            .map(|(s, leaves)| (*s, env.sparse_root(8, leaves)))
            .collect();
        assert_eq!(
            stems.len() as u64,
            c["stems"].as_u64().unwrap(),
            "roots {}: stems",
            name(c)
        );
        assert_eq!(
            env.trie_root(2, &subroots),
            w(&c["root"]),
            "roots {}",
            name(c)
        );
    }

    for c in arr(&v["verify_stem"]) {
        let (idx, vals) = leaves(&c["leaves"], "subindex", "value");
        let proof = hexb(&c["proof"]);
        let k = idx.len();
        let wit = witness(&proof, &vals);
        let r = env.call(
            env.world,
            WorldProofHarness::verifyStemCall {
                _root: w(&c["root"]),
                _stem: k31(&c["stem"]),
                _subindices: idx,
                _values: vals,
                _proof: proof.clone(),
            },
        );
        if let Some(r) = check("world.json verify_stem", c, r) {
            let what = if r.present_ {
                format!(
                    "world stem opening, present, {k} leaves, path depth {}",
                    proof[1]
                )
            } else {
                format!("world stem opening, absent, path depth {}", proof[1])
            };
            gas.add(&what, r.gas_, &wit);
        }
    }
    for c in arr(&v["update_stem"]) {
        let writes = arr(&c["writes"]);
        let idx: Vec<U256> = writes.iter().map(|x| u(&x["subindex"])).collect();
        let olds: Vec<B256> = writes.iter().map(|x| w(&x["old"])).collect();
        let news: Vec<B256> = writes.iter().map(|x| w(&x["new"])).collect();
        let proof = hexb(&c["proof"]);
        let k = idx.len();
        let wit = witness(&proof, &olds);
        let r = env.call(
            env.world,
            WorldProofHarness::updateStemCall {
                _root: w(&c["root"]),
                _stem: k31(&c["stem"]),
                _subindices: idx,
                _olds: olds,
                _news: news,
                _proof: proof.clone(),
            },
        );
        if let Some(r) = check("world.json update_stem", c, r) {
            assert_eq!(r.newRoot_, w(&c["new_root"]), "update_stem {}", name(c));
            let what = if proof[0] == 1 {
                format!(
                    "world stem update, present, {k} leaves, path depth {}",
                    proof[1]
                )
            } else {
                format!("world stem insertion or no-op, path depth {}", proof[1])
            };
            gas.add(&what, r.gas_, &wit);
        }
    }
    // One step touching three stems: each opening against the root the previous one left.
    let seq = &v["sequential"];
    let mut root = w(&seq["root"]);
    for o in arr(&seq["openings"]) {
        let proof = hexb(&o["proof"]);
        let r = env
            .call(
                env.world,
                WorldProofHarness::updateStemCall {
                    _root: root,
                    _stem: k31(&o["stem"]),
                    _subindices: vec![u(&o["subindex"])],
                    _olds: vec![w(&o["old"])],
                    _news: vec![w(&o["new"])],
                    _proof: proof.clone(),
                },
            )
            .unwrap_or_else(|e| panic!("sequential opening: {e}"));
        gas.add(
            "world stem update, sequential witness (1 leaf each)",
            r.gas_,
            &witness(&proof, &[w(&o["old"])]),
        );
        root = r.newRoot_;
    }
    assert_eq!(root, w(&seq["final_root"]), "sequential final root");
}

////////////////////////////////////////////////////////////////
//                         code.json                          //
////////////////////////////////////////////////////////////////

fn run_code(env: &Env, gas: &mut Gas) {
    let v = load("code");
    assert_eq!(v["format"]["depth"], 11);
    for c in arr(&v["chunking"]) {
        let code = hexb(&c["code"]);
        let chunks = env
            .call(
                env.code,
                CodeProofHarness::chunkifyCall {
                    _code: code.clone(),
                },
            )
            .unwrap();
        let want: Vec<B256> = arr(&c["chunks"]).iter().map(w).collect();
        assert_eq!(chunks, want, "chunking {}", name(c));
        let root = env
            .call(env.code, CodeProofHarness::codeRootCall { _code: code })
            .unwrap();
        assert_eq!(root, w(&c["root"]), "code root {}", name(c));
    }
    for c in arr(&v["fetch"]) {
        let chunks: Vec<B256> = arr(&c["chunks"]).iter().map(w).collect();
        let proof = hexb(&c["proof"]);
        let n = chunks.len();
        let r = env.call(
            env.code,
            CodeProofHarness::fetchCall {
                _root: w(&c["root"]),
                _pc: u(&c["pc"]),
                _chunks: chunks.clone(),
                _proof: proof.clone(),
            },
        );
        if let Some(r) = check("code.json fetch", c, r) {
            assert_eq!(r.opcode_, u(&c["opcode"]), "fetch {}: opcode", name(c));
            let imm = hexb(&c["immediate"]);
            assert_eq!(
                r.immediate_,
                U256::from_be_slice(&imm),
                "fetch {}: immediate",
                name(c)
            );
            if n > 0 {
                gas.add(
                    &format!("opcode fetch, {n} chunk(s)"),
                    r.gas_,
                    &witness(&proof, &chunks),
                );
            }
        }
    }
    for c in arr(&v["jumpdest"]) {
        let proof = hexb(&c["proof"]);
        let chunk = (!c["chunk"].is_null()).then(|| w(&c["chunk"]));
        let r = env.call(
            env.code,
            CodeProofHarness::isJumpdestCall {
                _root: w(&c["root"]),
                _dest: u(&c["dest"]),
                _hasChunk: chunk.is_some(),
                _chunk: chunk.unwrap_or_default(),
                _proof: proof.clone(),
            },
        );
        if let Some(r) = check("code.json jumpdest", c, r) {
            assert_eq!(
                r.valid_,
                c["valid"].as_bool().unwrap(),
                "jumpdest {}",
                name(c)
            );
            if chunk.is_some() {
                gas.add(
                    "jump destination check",
                    r.gas_,
                    &witness(&proof, &[chunk.unwrap_or_default()]),
                );
            }
        }
    }
}

////////////////////////////////////////////////////////////////
//                        memory.json                         //
////////////////////////////////////////////////////////////////

fn run_memory(env: &Env, gas: &mut Gas) {
    let v = load("memory");
    assert_eq!(v["depth"], 16);
    // Roots along writes, rebuilt on the Solidity side from the words the writes leave.
    let mut words: BTreeMap<u64, B256> = BTreeMap::new();
    let mut size = U256::ZERO;
    for c in arr(&v["sequence"]) {
        match c["op"].as_str().unwrap() {
            "new" => {
                words.clear();
                size = U256::ZERO;
            }
            "write" => {
                let off = c["offset"].as_u64().unwrap();
                let data = hexb(&c["data"]);
                for (i, b) in data.iter().enumerate() {
                    let at = off + i as u64;
                    words.entry(at / 32).or_default().0[(at % 32) as usize] = *b;
                }
                size = env
                    .call(
                        env.memory,
                        MemoryProofHarness::expandedSizeCall {
                            _size: size,
                            _offset: U256::from(off),
                            _length: U256::from(data.len()),
                        },
                    )
                    .unwrap();
            }
            "expand" => {
                size = env
                    .call(
                        env.memory,
                        MemoryProofHarness::expandedSizeCall {
                            _size: size,
                            _offset: u(&c["offset"]),
                            _length: u(&c["length"]),
                        },
                    )
                    .unwrap();
            }
            op => panic!("unknown memory op {op}"),
        }
        assert_eq!(size, u(&c["size"]), "memory sequence {}: size", c["op"]);
        assert_eq!(
            env.sparse_root(16, &words),
            w(&c["root"]),
            "memory sequence {c}: root"
        );
    }
    for c in arr(&v["word_ranges"]) {
        let r = env
            .call(
                env.memory,
                MemoryProofHarness::wordRangeCall {
                    _offset: u(&c["offset"]),
                    _length: u(&c["length"]),
                },
            )
            .unwrap();
        assert_eq!(
            (r.first_, r.end_),
            (u(&c["first_word"]), u(&c["end_word"])),
            "word range {c}"
        );
    }
    for c in arr(&v["verify_words"]) {
        let (idx, vals) = leaves(&c["words"], "index", "word");
        let proof = hexb(&c["proof"]);
        let k = idx.len();
        let wit = witness(&proof, &vals);
        let r = env.call(
            env.memory,
            MemoryProofHarness::verifyWordsCall {
                _root: w(&c["root"]),
                _indices: idx,
                _words: vals,
                _proof: proof.clone(),
            },
        );
        if let Some(g) = check("memory.json verify_words", c, r) {
            gas.add(&format!("memory read, {k} word(s)"), g, &wit);
        }
    }
    for c in arr(&v["update_words"]) {
        let writes = arr(&c["writes"]);
        let idx: Vec<U256> = writes.iter().map(|x| u(&x["index"])).collect();
        let olds: Vec<B256> = writes.iter().map(|x| w(&x["old"])).collect();
        let news: Vec<B256> = writes.iter().map(|x| w(&x["new"])).collect();
        let proof = hexb(&c["proof"]);
        let k = idx.len();
        let wit = witness(&proof, &olds);
        let r = env
            .call(
                env.memory,
                MemoryProofHarness::updateWordsCall {
                    _root: w(&c["root"]),
                    _indices: idx,
                    _olds: olds,
                    _news: news,
                    _proof: proof.clone(),
                },
            )
            .unwrap_or_else(|e| panic!("memory.json update_words {}: {e}", name(c)));
        assert_eq!(r.newRoot_, w(&c["new_root"]), "update_words {}", name(c));
        gas.add(&format!("memory write, {k} word(s)"), r.gas_, &wit);
    }
}

////////////////////////////////////////////////////////////////
//                         stack.json                         //
////////////////////////////////////////////////////////////////

fn run_stack(env: &Env, gas: &mut Gas) {
    let v = load("stack");
    let pushes = arr(&v["pushes"]);
    let mut head = w(&pushes[0]["head"]);
    assert_eq!(head, B256::ZERO, "the empty stack's head is 0");
    for c in &pushes[1..] {
        head = env
            .call(
                env.stack,
                StackProofHarness::pushCall {
                    _head: head,
                    _item: u(&c["item"]),
                },
            )
            .unwrap();
        assert_eq!(head, w(&c["head"]), "push to length {}", c["len"]);
    }
    for c in arr(&v["openings"]) {
        let bytes = hexb(&c["bytes"]);
        let k = c["k"].as_u64().unwrap();
        let r = env.call(
            env.stack,
            StackProofHarness::openCall {
                _head: w(&c["head"]),
                _length: u(&c["len"]),
                _k: U256::from(k),
                _opening: bytes.clone(),
            },
        );
        if let Some(r) = check("stack.json openings", c, r) {
            let items: Vec<U256> = arr(&c["items"]).iter().map(u).collect();
            assert_eq!(r.items_, items, "opening {}: items", name(c));
            assert_eq!(r.below_, w(&c["below"]), "opening {}: below", name(c));
            gas.add(&format!("stack opening, {k} item(s)"), r.gas_, &bytes);
        }
    }
}

////////////////////////////////////////////////////////////////
//                       substate.json                        //
////////////////////////////////////////////////////////////////

fn run_substate(env: &Env, gas: &mut Gas) {
    let v = load("substate");
    let key = |kind: u8, a: Address, slot: U256| {
        env.call(
            env.substate,
            SubstateProofHarness::keyCall {
                _kind: kind,
                _account: a,
                _slot: slot,
            },
        )
        .unwrap()
    };
    let kinds = [
        ("WarmAccount", 1u8),
        ("WarmSlot", 2),
        ("Transient", 3),
        ("Created", 4),
        ("Destructed", 5),
        ("DestructList", 6),
        ("DestructCount", 7),
    ];
    for c in arr(&v["keys"]) {
        let kind = kinds
            .iter()
            .find(|k| k.0 == c["kind"])
            .unwrap_or_else(|| panic!("unknown kind {}", c["kind"]))
            .1;
        assert_eq!(
            u64::from(kind),
            c["byte"].as_u64().unwrap(),
            "kind byte {c}"
        );
        let got = key(kind, addr(&c["address"]), u(&c["slot"]));
        assert_eq!(got, k31(&c["key"]), "substate key {c}");
    }
    // Roots along one transaction, rebuilt on the Solidity side from the entries it leaves
    // (spec §8: zero into an absent key creates nothing; present keys stay).
    let one = B256::with_last_byte(1);
    let mut entries: BTreeMap<FixedBytes<31>, B256> = BTreeMap::new();
    let set = |entries: &mut BTreeMap<FixedBytes<31>, B256>, k, value: B256| {
        if entries.contains_key(&k) || !value.is_zero() {
            entries.insert(k, value);
        }
    };
    for c in arr(&v["sequence"]) {
        let a = || addr(&c["address"]);
        match c["op"].as_str().unwrap() {
            "new" => entries.clear(),
            "warm_account" => set(&mut entries, key(1, a(), U256::ZERO), one),
            "warm_slot" => set(&mut entries, key(2, a(), u(&c["slot"])), one),
            "tstore" => {
                let value = B256::from(u(&c["value"]));
                set(&mut entries, key(3, a(), u(&c["slot"])), value);
            }
            "mark_created" => set(&mut entries, key(4, a(), U256::ZERO), one),
            "schedule_destruct" => {
                let destructed = key(5, a(), U256::ZERO);
                if entries.get(&destructed).is_none_or(|v| v.is_zero()) {
                    let count_key = key(7, Address::ZERO, U256::ZERO);
                    let n =
                        U256::from_be_bytes(entries.get(&count_key).copied().unwrap_or_default().0);
                    set(&mut entries, destructed, one);
                    set(&mut entries, key(6, Address::ZERO, n), a().into_word());
                    set(&mut entries, count_key, B256::from(n + U256::from(1)));
                }
            }
            op => panic!("unknown substate op {op}"),
        }
        assert_eq!(
            env.trie_root(3, &entries),
            w(&c["root"]),
            "substate sequence {c}"
        );
    }
    for c in arr(&v["verify"]) {
        let proof = hexb(&c["proof"]);
        let r = env.call(
            env.substate,
            SubstateProofHarness::verifyCall {
                _root: w(&c["root"]),
                _key: k31(&c["key"]),
                _value: w(&c["value"]),
                _proof: proof.clone(),
            },
        );
        if let Some(r) = check("substate.json verify", c, r) {
            assert_eq!(
                !r.present_,
                c["absent"].as_bool().unwrap(),
                "verify {}: absent",
                name(c)
            );
            let what = if r.present_ { "present" } else { "absent" };
            gas.add(
                &format!("substate read, {what}, path depth {}", proof[1]),
                r.gas_,
                &witness(&proof, &[w(&c["value"])]),
            );
        }
    }
    for c in arr(&v["update"]) {
        let proof = hexb(&c["proof"]);
        let r = env
            .call(
                env.substate,
                SubstateProofHarness::updateCall {
                    _root: w(&c["root"]),
                    _key: k31(&c["key"]),
                    _old: w(&c["old"]),
                    _new: w(&c["new"]),
                    _proof: proof.clone(),
                },
            )
            .unwrap_or_else(|e| panic!("substate.json update {}: {e}", name(c)));
        assert_eq!(r.newRoot_, w(&c["new_root"]), "update {}", name(c));
        let what = if proof[0] == 1 {
            "present"
        } else {
            "insertion"
        };
        gas.add(
            &format!("substate write, {what}, path depth {}", proof[1]),
            r.gas_,
            &witness(&proof, &[w(&c["old"])]),
        );
    }
}

////////////////////////////////////////////////////////////////
//                        records.json                        //
////////////////////////////////////////////////////////////////

fn data_view(v: &Value) -> LibRecords::DataView {
    LibRecords::DataView {
        root: w(&v["root"]),
        offset: v["offset"].as_u64().unwrap() as u32,
        length: v["length"].as_u64().unwrap() as u32,
    }
}

fn machine(v: &Value) -> LibRecords::Machine {
    LibRecords::Machine {
        pc: v["pc"].as_u64().unwrap() as u32,
        gas: v["gas"].as_u64().unwrap(),
        stackLength: v["stack_len"].as_u64().unwrap() as u16,
        memorySize: v["memory_size"].as_u64().unwrap() as u32,
        cursor: v["cursor"].as_u64().unwrap() as u32,
    }
}

fn run_records(env: &Env, gas: &mut Gas) {
    let v = load("records");
    let r = env.records;

    let f = &v["chain_config"]["fields"];
    let got = env
        .call(
            r,
            RecordsHarness::chainConfigHashCall {
                _c: LibRecords::ChainConfig {
                    chainId: f["chain_id"].as_u64().unwrap(),
                    fork: f["fork"].as_str().unwrap().to_owned(),
                    txGasCap: f["tx_gas_cap"].as_u64().unwrap(),
                    deviations: f["deviations"].as_u64().unwrap(),
                },
            },
        )
        .unwrap();
    assert_eq!(got, w(&v["chain_config"]["hash"]), "chain_config");

    let f = &v["block_env"]["fields"];
    let got = env
        .call(
            r,
            RecordsHarness::blockEnvHashCall {
                _b: LibRecords::BlockEnv {
                    number: f["number"].as_u64().unwrap(),
                    timestamp: f["timestamp"].as_u64().unwrap(),
                    gasLimit: f["gas_limit"].as_u64().unwrap(),
                    coinbase: addr(&f["coinbase"]),
                    baseFee: u(&f["base_fee"]),
                    prevRandao: w(&f["prev_randao"]),
                    chainConfig: w(&f["chain_config"]),
                },
            },
        )
        .unwrap();
    assert_eq!(got, w(&v["block_env"]["hash"]), "block_env");

    let f = &v["boundary"]["fields"];
    let got = env
        .call(
            r,
            RecordsHarness::boundaryCall {
                _b: LibRecords::Boundary {
                    worldRoot: w(&f["world_root"]),
                    batch: w(&f["batch"]),
                    blockEnv: w(&f["block_env"]),
                    blockIndex: f["block_index"].as_u64().unwrap() as u32,
                    txIndex: f["tx_index"].as_u64().unwrap() as u32,
                    phase: f["phase"].as_u64().unwrap() as u8,
                    blockGasUsed: f["block_gas_used"].as_u64().unwrap(),
                    receipts: w(&f["receipts"]),
                    lastBlockHash: w(&f["last_block_hash"]),
                },
            },
        )
        .unwrap();
    assert_eq!(got.packed_, w(&v["boundary"]["packed"]), "boundary packed");
    assert_eq!(got.hash_, w(&v["boundary"]["hash"]), "boundary");
    env.call(
        r,
        RecordsHarness::checkBoundaryPackedCall { _word: got.packed_ },
    )
    .unwrap();
    let mut bad = got.packed_;
    bad.0[31] = 1;
    assert_eq!(
        env.call(r, RecordsHarness::checkBoundaryPackedCall { _word: bad }),
        Err("ReservedBytes".into())
    );

    let f = &v["tx_env"]["fields"];
    let got = env
        .call(
            r,
            RecordsHarness::txEnvHashCall {
                _t: LibRecords::TxEnv {
                    origin: addr(&f["origin"]),
                    gasPrice: u(&f["gas_price"]),
                    gasLimit: f["gas_limit"].as_u64().unwrap(),
                    txHash: w(&f["tx_hash"]),
                    boundary: w(&f["boundary"]),
                },
            },
        )
        .unwrap();
    assert_eq!(got, w(&v["tx_env"]["hash"]), "tx_env");

    let f = &v["snapshot"]["fields"];
    let got = env
        .call(
            r,
            RecordsHarness::snapshotHashCall {
                _s: LibRecords::Snapshot {
                    worldRoot: w(&f["world_root"]),
                    substateRoot: w(&f["substate_root"]),
                    logs: w(&f["logs"]),
                    refund: f["refund"].as_i64().unwrap(),
                },
            },
        )
        .unwrap();
    assert_eq!(got, w(&v["snapshot"]["hash"]), "snapshot");

    let f = &v["frame"]["fields"];
    let got = env
        .call(
            r,
            RecordsHarness::frameCall {
                _f: LibRecords::Frame {
                    account: addr(&f["address"]),
                    caller: addr(&f["caller"]),
                    value: u(&f["value"]),
                    callData: data_view(&f["calldata"]),
                    codeSize: f["code_size"].as_u64().unwrap() as u32,
                    retOffset: f["ret_offset"].as_u64().unwrap() as u32,
                    retLength: f["ret_length"].as_u64().unwrap() as u32,
                    depth: f["depth"].as_u64().unwrap() as u16,
                    flags: f["flags"].as_u64().unwrap() as u8,
                    parent: w(&f["parent"]),
                    snapshot: w(&f["snapshot"]),
                },
            },
        )
        .unwrap();
    assert_eq!(got.packed_, w(&v["frame"]["packed"]), "frame packed");
    assert_eq!(got.hash_, w(&v["frame"]["hash"]), "frame");
    let mut bad = got.packed_;
    bad.0[23] = 1;
    assert_eq!(
        env.call(r, RecordsHarness::checkFramePackedCall { _word: bad }),
        Err("ReservedBytes".into())
    );

    let f = &v["context"]["fields"];
    let ctx = LibRecords::Context {
        worldRoot: w(&f["world_root"]),
        substateRoot: w(&f["substate_root"]),
        logs: w(&f["logs"]),
        returnData: data_view(&f["return_data"]),
        refund: f["refund"].as_i64().unwrap(),
        frame: w(&f["frame"]),
        tx: w(&f["tx"]),
    };
    let got = env
        .call(r, RecordsHarness::contextCall { _c: ctx.clone() })
        .unwrap();
    assert_eq!(got.packed_, w(&v["context"]["packed"]), "context packed");
    assert_eq!(got.hash_, w(&v["context"]["hash"]), "context");
    let d = env
        .call(
            r,
            RecordsHarness::decodeContextPackedCall { _word: got.packed_ },
        )
        .unwrap();
    assert_eq!(
        (d.returnDataOffset_, d.returnDataLength_, d.refund_),
        (ctx.returnData.offset, ctx.returnData.length, ctx.refund)
    );
    let mut bad = got.packed_;
    bad.0[16] = 1;
    assert_eq!(
        env.call(r, RecordsHarness::decodeContextPackedCall { _word: bad }),
        Err("ReservedBytes".into())
    );

    let m = machine(&v["machine"]["fields"]);
    let word = env
        .call(r, RecordsHarness::machineWordCall { _m: m.clone() })
        .unwrap();
    assert_eq!(word, w(&v["machine"]["word"]), "machine word");
    let back = env
        .call(r, RecordsHarness::decodeMachineCall { _word: word })
        .unwrap();
    assert_eq!(back, m, "machine word round trip");
    let mut bad = word;
    bad.0[31] = 1;
    assert_eq!(
        env.call(r, RecordsHarness::decodeMachineCall { _word: bad }),
        Err("ReservedBytes".into())
    );

    let f = &v["step"]["fields"];
    let step = LibRecords::StepState {
        machine: machine(&f["machine"]),
        stackHead: w(&f["stack_head"]),
        memoryRoot: w(&f["memory_root"]),
        codeRoot: w(&f["code_root"]),
        micro: w(&f["micro"]),
        context: w(&f["context"]),
    };
    let got = env
        .call(r, RecordsHarness::stepHashCall { _s: step })
        .unwrap();
    assert_eq!(got.hash_, w(&v["step"]["hash"]), "step");
    gas.add(
        "step state hash (6 words)",
        got.gas_,
        &hexb(&v["step"]["preimage"]),
    );
    let empty = LibRecords::StepState {
        machine: LibRecords::Machine {
            pc: 0,
            gas: 0,
            stackLength: 0,
            memorySize: 0,
            cursor: 0,
        },
        stackHead: B256::ZERO,
        memoryRoot: B256::ZERO,
        codeRoot: B256::ZERO,
        micro: B256::ZERO,
        context: B256::ZERO,
    };
    let got = env
        .call(r, RecordsHarness::stepHashCall { _s: empty })
        .unwrap();
    assert_eq!(got.hash_, w(&v["empty_step"]["hash"]), "empty step");

    let l = &v["log_link"];
    let got = env
        .call(
            r,
            RecordsHarness::logLinkCall {
                _prev: w(&l["prev"]),
                _emitter: addr(&l["address"]),
                _topics: arr(&l["topics"]).iter().map(w).collect(),
                _data: data_view(&l["data"]),
            },
        )
        .unwrap();
    assert_eq!(got, w(&l["hash"]), "log_link");
    assert_eq!(
        env.call(
            r,
            RecordsHarness::logLinkCall {
                _prev: B256::ZERO,
                _emitter: Address::ZERO,
                _topics: vec![B256::ZERO; 5],
                _data: data_view(&l["data"]),
            },
        ),
        Err("TooManyTopics".into())
    );

    let l = &v["receipt_link"];
    let got = env
        .call(
            r,
            RecordsHarness::receiptLinkCall {
                _prev: w(&l["prev"]),
                _success: l["success"].as_bool().unwrap(),
                _cumulativeGasUsed: l["cumulative_gas"].as_u64().unwrap(),
                _logs: w(&l["logs"]),
            },
        )
        .unwrap();
    assert_eq!(got, w(&l["hash"]), "receipt_link");
}

////////////////////////////////////////////////////////////////
//             Gas at realistic depths (synthetic)            //
////////////////////////////////////////////////////////////////

fn rnd(tag: &str, i: u64) -> B256 {
    keccak256(format!("gavel commit_vectors {tag} {i}"))
}

/// The §3.1 encoding of a sibling list (zeros are default).
fn encode_siblings(siblings: &[B256]) -> Vec<u8> {
    let n = siblings.len().div_ceil(8);
    let mut out = vec![0u8; n];
    for (i, s) in siblings.iter().enumerate() {
        if !s.is_zero() {
            out[n - 1 - i / 8] |= 1 << (i % 8);
        }
    }
    for s in siblings.iter().filter(|s| !s.is_zero()) {
        out.extend_from_slice(s.as_slice());
    }
    out
}

impl Env {
    /// Folds `leaf` at `index` up `siblings.len()` levels, hashing on the Solidity side.
    fn fold(&self, index: U256, leaf: B256, siblings: &[B256]) -> B256 {
        let mut h = leaf;
        for (level, s) in siblings.iter().enumerate() {
            let (l, r) = if index.bit(level) { (*s, h) } else { (h, *s) };
            h = self
                .call(
                    self.hash,
                    HashHarness::nodeCall {
                        _left: l,
                        _right: r,
                    },
                )
                .unwrap();
        }
        h
    }

    fn terminal(&self, tag: u8, key: FixedBytes<31>, payload: B256) -> B256 {
        self.call(
            self.hash,
            HashHarness::terminalCall {
                _tag: tag,
                _key: key,
                _payload: payload,
            },
        )
        .unwrap()
    }
}

/// A present trie path of `depth` for `key` with non-zero siblings: the proof header and
/// siblings, and the root above `terminal`.
fn synthetic_path(
    env: &Env,
    tag: &str,
    key: FixedBytes<31>,
    depth: usize,
    terminal: B256,
) -> (Vec<u8>, B256) {
    let siblings: Vec<B256> = (0..depth as u64).map(|i| rnd(tag, i)).collect();
    let index = U256::from_be_slice(key.as_slice()) >> (248 - depth);
    let root = env.fold(index, terminal, &siblings);
    let mut proof = vec![1u8, depth as u8];
    proof.extend(encode_siblings(&siblings));
    (proof, root)
}

/// Openings at the depths of a large state (spec §12: 10,000 accounts put stems at median
/// depth 15, at most 25; 1 MiB of memory fills the memory tree; a 24 KiB contract has 793
/// chunks), with every path sibling non-zero.
fn synthetic_gas(env: &Env, gas: &mut Gas) {
    let value = rnd("value", 0);
    let new = rnd("value", 1);
    // World: one storage slot in its own stem (main storage: the subtree holds only it) and a
    // header slot next to BASIC_DATA / CODE_HASH / CODE_ROOT (one non-zero subtree sibling).
    for (label, sub, sub_siblings) in [
        ("main storage slot", 0x34u64, vec![B256::ZERO; 8]),
        (
            "header storage slot",
            64,
            (0..8u64)
                .map(|l| {
                    if l == 6 {
                        rnd("accounts", 0)
                    } else {
                        B256::ZERO
                    }
                })
                .collect(),
        ),
    ] {
        for depth in [15usize, 25] {
            let stem = FixedBytes::<31>::from_slice(&rnd("stem", depth as u64)[..31]);
            let subroot = env.fold(U256::from(sub), value, &sub_siblings);
            let terminal = env.terminal(2, stem, subroot);
            let (mut proof, root) = synthetic_path(env, "world", stem, depth, terminal);
            proof.extend(encode_siblings(&sub_siblings));
            let proof = Bytes::from(proof);
            let r = env
                .call(
                    env.world,
                    WorldProofHarness::verifyStemCall {
                        _root: root,
                        _stem: stem,
                        _subindices: vec![U256::from(sub)],
                        _values: vec![value],
                        _proof: proof.clone(),
                    },
                )
                .unwrap();
            assert!(r.present_);
            let wit = witness(&proof, &[value]);
            gas.add(
                &format!("[large state] SLOAD-style {label} read, path depth {depth}"),
                r.gas_,
                &wit,
            );
            let r = env
                .call(
                    env.world,
                    WorldProofHarness::updateStemCall {
                        _root: root,
                        _stem: stem,
                        _subindices: vec![U256::from(sub)],
                        _olds: vec![value],
                        _news: vec![new],
                        _proof: proof.clone(),
                    },
                )
                .unwrap();
            assert_eq!(r.newRoot_, {
                let sub_new = env.fold(U256::from(sub), new, &sub_siblings);
                let t = env.terminal(2, stem, sub_new);
                let index = U256::from_be_slice(stem.as_slice()) >> (248 - depth);
                let siblings: Vec<B256> = (0..depth as u64).map(|i| rnd("world", i)).collect();
                env.fold(index, t, &siblings)
            });
            gas.add(
                &format!("[large state] SSTORE-style {label} write, path depth {depth}"),
                r.gas_,
                &wit,
            );
        }
    }

    // Substate: 400 entries put keys at depth ~9.
    let key = FixedBytes::<31>::from_slice(&rnd("substate key", 0)[..31]);
    let one = B256::with_last_byte(1);
    let terminal = env.terminal(3, key, one);
    let (proof, root) = synthetic_path(env, "substate", key, 9, terminal);
    let proof = Bytes::from(proof);
    let r = env
        .call(
            env.substate,
            SubstateProofHarness::verifyCall {
                _root: root,
                _key: key,
                _value: one,
                _proof: proof.clone(),
            },
        )
        .unwrap();
    gas.add(
        "[large state] substate read (warm), path depth 9",
        r.gas_,
        &witness(&proof, &[one]),
    );
    let r = env
        .call(
            env.substate,
            SubstateProofHarness::updateCall {
                _root: root,
                _key: key,
                _old: one,
                _new: new,
                _proof: proof.clone(),
            },
        )
        .unwrap();
    gas.add(
        "[large state] substate write (TSTORE-style), path depth 9",
        r.gas_,
        &witness(&proof, &[one]),
    );

    // Memory: 1 MiB written, every sibling non-zero; one aligned word, an unaligned pair.
    let siblings: Vec<B256> = (0..16u64).map(|i| rnd("memory", i)).collect();
    let index = U256::from(12_345);
    let root = env.fold(index, value, &siblings);
    let proof = Bytes::from(encode_siblings(&siblings));
    let g = env
        .call(
            env.memory,
            MemoryProofHarness::verifyWordsCall {
                _root: root,
                _indices: vec![index],
                _words: vec![value],
                _proof: proof.clone(),
            },
        )
        .unwrap();
    let wit = witness(&proof, &[value]);
    gas.add("[large state] MLOAD aligned, 1 MiB memory", g, &wit);
    let r = env
        .call(
            env.memory,
            MemoryProofHarness::updateWordsCall {
                _root: root,
                _indices: vec![index],
                _olds: vec![value],
                _news: vec![new],
                _proof: proof,
            },
        )
        .unwrap();
    gas.add("[large state] MSTORE aligned, 1 MiB memory", r.gas_, &wit);
    let pair = [U256::from(12_344), U256::from(12_345)];
    let pair_root = env.fold(
        pair[0] >> 1,
        env.call(
            env.hash,
            HashHarness::nodeCall {
                _left: value,
                _right: new,
            },
        )
        .unwrap(),
        &siblings[1..],
    );
    let proof = Bytes::from(encode_siblings(&siblings[1..]));
    let wit = witness(&proof, &[value, new]);
    let g = env
        .call(
            env.memory,
            MemoryProofHarness::verifyWordsCall {
                _root: pair_root,
                _indices: pair.to_vec(),
                _words: vec![value, new],
                _proof: proof.clone(),
            },
        )
        .unwrap();
    gas.add(
        "[large state] MLOAD unaligned (2 words), 1 MiB memory",
        g,
        &wit,
    );
    let r = env
        .call(
            env.memory,
            MemoryProofHarness::updateWordsCall {
                _root: pair_root,
                _indices: pair.to_vec(),
                _olds: vec![value, new],
                _news: vec![new, value],
                _proof: proof,
            },
        )
        .unwrap();
    gas.add(
        "[large state] MSTORE unaligned (2 words), 1 MiB memory",
        r.gas_,
        &wit,
    );

    // Code: a 24 KiB contract (793 chunks: the top sibling of a chunk below 1024 is empty).
    let mut siblings: Vec<B256> = (0..11u64).map(|i| rnd("code", i)).collect();
    siblings[10] = B256::ZERO;
    let mut chunk = [0u8; 32];
    chunk[1] = 0x01; // ADD at offset 0
    let chunk = B256::from(chunk);
    let c = 400u64;
    let root = env.fold(U256::from(c), chunk, &siblings);
    let proof = Bytes::from(encode_siblings(&siblings));
    let r = env
        .call(
            env.code,
            CodeProofHarness::fetchCall {
                _root: root,
                _pc: U256::from(c * 31),
                _chunks: vec![chunk],
                _proof: proof.clone(),
            },
        )
        .unwrap();
    assert_eq!(r.opcode_, U256::from(1));
    gas.add(
        "[large state] opcode fetch, 24 KiB contract",
        r.gas_,
        &witness(&proof, &[chunk]),
    );

    // Stack: ADD opens 2 items, SWAP16 17.
    for k in [2u64, 17] {
        let mut head = rnd("stack below", k);
        let mut bytes = Vec::new();
        let items: Vec<U256> = (0..k)
            .map(|i| U256::from_be_bytes(rnd("item", i).0))
            .collect();
        for x in items.iter().rev() {
            bytes.splice(0..0, x.to_be_bytes::<32>());
            head = env
                .call(
                    env.stack,
                    StackProofHarness::pushCall {
                        _head: head,
                        _item: *x,
                    },
                )
                .unwrap();
        }
        bytes.extend_from_slice(rnd("stack below", k).as_slice());
        let bytes = Bytes::from(bytes);
        let r = env
            .call(
                env.stack,
                StackProofHarness::openCall {
                    _head: head,
                    _length: U256::from(1024),
                    _k: U256::from(k),
                    _opening: bytes.clone(),
                },
            )
            .unwrap();
        assert_eq!(r.items_, items);
        gas.add(
            &format!("[large state] stack opening, {k} items"),
            r.gas_,
            &bytes,
        );
    }
}

////////////////////////////////////////////////////////////////
//                           Tests                            //
////////////////////////////////////////////////////////////////

#[test]
fn hash_vectors() {
    run_hash(&Env::new());
}

#[test]
fn proof_vectors() {
    run_proof(&Env::new(), &mut Gas::default());
}

#[test]
fn world_vectors() {
    run_world(&Env::new(), &mut Gas::default());
}

#[test]
fn code_vectors() {
    run_code(&Env::new(), &mut Gas::default());
}

#[test]
fn memory_vectors() {
    run_memory(&Env::new(), &mut Gas::default());
}

#[test]
fn stack_vectors() {
    run_stack(&Env::new(), &mut Gas::default());
}

#[test]
fn substate_vectors() {
    run_substate(&Env::new(), &mut Gas::default());
}

#[test]
fn record_vectors() {
    run_records(&Env::new(), &mut Gas::default());
}

/// Every proof format is canonical (spec §3.1, §4.3): one statement has exactly one proof. So
/// flipping any bit pattern of any byte of an accepted proof, with the statement unchanged,
/// must make the Solidity side reject it (a mutated proof accepted would be a second proof of
/// the same statement, or a forgery).
#[test]
fn mutated_proofs_are_rejected() {
    let env = Env::new();
    let mut checked = 0usize;
    let mut each = |proof: &Bytes, call: &dyn Fn(Bytes) -> Result<(), String>| {
        assert_eq!(call(proof.clone()), Ok(()), "the unmutated proof verifies");
        for at in 0..proof.len() {
            for mask in [0x01u8, 0x80, 0xff] {
                let mut m = proof.to_vec();
                m[at] ^= mask;
                assert!(
                    call(m.into()).is_err(),
                    "proof {proof} with byte {at} ^ {mask:#x} accepted"
                );
                checked += 1;
            }
        }
    };
    let ok = |c: &Value| expected_error(c).is_none();

    let v = load("proof");
    for c in arr(&v["verify"]).iter().filter(|c| ok(c)) {
        let (idx, vals) = leaves(&c["leaves"], "index", "value");
        each(&hexb(&c["proof"]), &|p| {
            env.call(
                env.sparse,
                SparseProofHarness::verifyCall {
                    _root: w(&c["root"]),
                    _depth: u(&c["depth"]),
                    _indices: idx.clone(),
                    _leaves: vals.clone(),
                    _proof: p,
                },
            )
            .map(|_| ())
        });
    }
    let v = load("world");
    for c in arr(&v["verify_stem"]).iter().filter(|c| ok(c)) {
        let (idx, vals) = leaves(&c["leaves"], "subindex", "value");
        each(&hexb(&c["proof"]), &|p| {
            env.call(
                env.world,
                WorldProofHarness::verifyStemCall {
                    _root: w(&c["root"]),
                    _stem: k31(&c["stem"]),
                    _subindices: idx.clone(),
                    _values: vals.clone(),
                    _proof: p,
                },
            )
            .map(|_| ())
        });
    }
    let v = load("memory");
    for c in arr(&v["verify_words"]).iter().filter(|c| ok(c)) {
        let (idx, vals) = leaves(&c["words"], "index", "word");
        each(&hexb(&c["proof"]), &|p| {
            env.call(
                env.memory,
                MemoryProofHarness::verifyWordsCall {
                    _root: w(&c["root"]),
                    _indices: idx.clone(),
                    _words: vals.clone(),
                    _proof: p,
                },
            )
            .map(|_| ())
        });
    }
    let v = load("code");
    for c in arr(&v["fetch"]).iter().filter(|c| ok(c)) {
        let chunks: Vec<B256> = arr(&c["chunks"]).iter().map(w).collect();
        each(&hexb(&c["proof"]), &|p| {
            env.call(
                env.code,
                CodeProofHarness::fetchCall {
                    _root: w(&c["root"]),
                    _pc: u(&c["pc"]),
                    _chunks: chunks.clone(),
                    _proof: p,
                },
            )
            .map(|_| ())
        });
    }
    let v = load("substate");
    for c in arr(&v["verify"]).iter().filter(|c| ok(c)) {
        each(&hexb(&c["proof"]), &|p| {
            env.call(
                env.substate,
                SubstateProofHarness::verifyCall {
                    _root: w(&c["root"]),
                    _key: k31(&c["key"]),
                    _value: w(&c["value"]),
                    _proof: p,
                },
            )
            .map(|_| ())
        });
    }
    let v = load("stack");
    for c in arr(&v["openings"]).iter().filter(|c| ok(c)) {
        each(&hexb(&c["bytes"]), &|p| {
            env.call(
                env.stack,
                StackProofHarness::openCall {
                    _head: w(&c["head"]),
                    _length: u(&c["len"]),
                    _k: u(&c["k"]),
                    _opening: p,
                },
            )
            .map(|_| ())
        });
    }
    assert!(checked > 1000, "only {checked} mutations checked");
}

#[test]
fn gas_table() {
    let env = Env::new();
    let mut gas = Gas::default();
    run_proof(&env, &mut gas);
    run_world(&env, &mut gas);
    run_code(&env, &mut gas);
    run_memory(&env, &mut gas);
    run_stack(&env, &mut gas);
    run_substate(&env, &mut gas);
    run_records(&env, &mut gas);
    synthetic_gas(&env, &mut gas);
    println!(
        "| verification | cases | library gas, median / max | witness bytes, median | \
         witness floor gas, median |"
    );
    println!("|---|---|---|---|---|");
    for (kind, figures) in &gas.0 {
        let median = |mut v: Vec<u64>| {
            v.sort_unstable();
            (v[(v.len() - 1) / 2], v[v.len() - 1])
        };
        let (g, gmax) = median(figures.iter().map(|f| f.0).collect());
        let (b, _) = median(figures.iter().map(|f| f.1 as u64).collect());
        let (fl, _) = median(figures.iter().map(|f| f.2).collect());
        println!("| {kind} | {} | {g} / {gmax} | {b} | {fl} |", figures.len());
    }
}
