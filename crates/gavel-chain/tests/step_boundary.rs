//! The block and transaction boundary steps (docs/spec.md §17) on the in-process L1: witnesses
//! from `gavel_trace::boundary_witness`, verified by `contracts/src/step/boundary/`, held
//! against gavel's executor (revm 43) on real signed batches.
//!
//! `cargo test -p gavel-chain --test step_boundary -- --nocapture gas_table` prints the gas
//! per step kind.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use alloy::primitives::{Address, B256, Bytes, U256, keccak256};
use alloy::sol;
use alloy::sol_types::{SolCall, SolValue};
use alloy_eips::eip2930::{AccessList, AccessListItem};
use gavel_chain::{ChainError, InProcessL1, TxRequest as L1Tx, dev_address};
use gavel_commit::record::Boundary;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, TxType, dev_key};
use gavel_trace::boundary_witness::{
    self as bw, StepWitness, TxStart, absolute_prestate, decode_tx,
};
use gavel_trace::chain::{Change, Genesis, GenesisAccount};
use gavel_trace::executor::{Outcome, TxOutcome, TxStatus};
use gavel_trace::step::records::{HaltStatus, halted_micro};
use gavel_trace::{Batch, ExecOptions, Executor, TransitionKind};

sol!(
    #[derive(Debug, PartialEq, Eq)]
    BlockStepVerifier,
    "../../contracts/artifacts/BlockStepVerifier.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    TxEndStepVerifier,
    "../../contracts/artifacts/TxEndStepVerifier.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    TxStartStepVerifier,
    "../../contracts/artifacts/TxStartStepVerifier.json"
);

const CHAIN: u64 = 901;
const T0: u64 = 1_700_000_000;
const ETH: u128 = 1_000_000_000_000_000_000;
const B: u64 = 24;

/// Custom errors the verifiers can raise, named by selector.
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
    "ReservedBytes",
    "UnsupportedVersion",
    "LengthMismatch",
    "RecordMismatch",
    "WrongStepKind",
    "WrongOffset",
    "WrongPhase",
    "MalformedTx",
    "BadSignature",
    "WrongChainId",
    "UnsupportedTx",
    "BalanceOverflow",
    "BadAnchor",
    "UnsupportedStep",
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

/// The L1 with the verifiers deployed.
struct Env {
    l1: InProcessL1,
    from: Address,
    block: Address,
    tx_start: Address,
    tx_end: Address,
}

impl Env {
    fn new(chain_config: B256) -> Self {
        let l1 = InProcessL1::with_accounts(1);
        let from = dev_address(0);
        let deploy = |code: &Bytes, args: Vec<u8>| {
            let mut init = code.to_vec();
            init.extend(args);
            l1.send_now(L1Tx::create(from, init))
                .expect("deploy a verifier")
                .contract_address
                .expect("a creation has an address")
        };
        let block = deploy(
            &BlockStepVerifier::BYTECODE,
            (chain_config, U256::from(B)).abi_encode_params(),
        );
        let tx_start = deploy(
            &TxStartStepVerifier::BYTECODE,
            (chain_config, CHAIN, U256::from(B)).abi_encode_params(),
        );
        let tx_end = deploy(&TxEndStepVerifier::BYTECODE, (CHAIN,).abi_encode_params());
        Self {
            l1,
            from,
            block,
            tx_start,
            tx_end,
        }
    }

    fn call<C: SolCall>(&self, to: Address, c: &C) -> Result<C::Return, String> {
        match self.l1.call_now(self.from, to, c.abi_encode().into()) {
            Ok(out) => Ok(C::abi_decode_returns(&out).expect("decode return")),
            Err(ChainError::Reverted { data }) => Err(error_name(&data)),
            Err(e) => panic!("call {} failed: {e}", C::SIGNATURE),
        }
    }

    /// `step` on `to`; the post or the revert's name.
    fn step(
        &self,
        to: Address,
        pre: B256,
        trace_index: u64,
        witness: &[u8],
    ) -> Result<B256, String> {
        let c = BlockStepVerifier::stepCall {
            _pre: pre,
            _traceIndex: U256::from(trace_index),
            _witness: Bytes::copy_from_slice(witness),
        };
        self.call(to, &c)
    }

    /// Gas of a `step` transaction (intrinsic and calldata included).
    fn step_gas(&self, to: Address, pre: B256, trace_index: u64, witness: &[u8]) -> u64 {
        let c = BlockStepVerifier::stepCall {
            _pre: pre,
            _traceIndex: U256::from(trace_index),
            _witness: Bytes::copy_from_slice(witness),
        };
        self.l1
            .send_now(L1Tx::call(self.from, to, c.abi_encode()))
            .expect("step transaction")
            .gas_used
    }
}

////////////////////////////////////////////////////////////////
//                          Scenario                          //
////////////////////////////////////////////////////////////////

fn addr(i: u64) -> Address {
    dev_key(i).address()
}

/// `sstore(0, calldata[0..32]); stop`.
fn storer() -> Bytes {
    Bytes::from_static(&[0x5f, 0x35, 0x5f, 0x55, 0x00])
}

/// `revert(0, 0)`.
fn reverter() -> Bytes {
    Bytes::from_static(&[0x5f, 0x5f, 0xfd])
}

const STORER: Address = Address::new([0x51; 20]);
const REVERTER: Address = Address::new([0x52; 20]);

struct Scenario {
    genesis: Genesis,
    batch: Batch,
    ex: Executor,
}

fn genesis() -> Genesis {
    let mut g = Genesis::new(CHAIN);
    g.timestamp = T0;
    for i in 1..=3 {
        g.alloc.insert(
            addr(i),
            GenesisAccount {
                balance: 100 * ETH,
                ..Default::default()
            },
        );
    }
    // A poor sender: cannot pay 21000 gas at 10 gwei.
    g.alloc.insert(
        addr(4),
        GenesisAccount {
            balance: 1_000,
            ..Default::default()
        },
    );
    for (a, code) in [(STORER, storer()), (REVERTER, reverter())] {
        g.alloc.insert(
            a,
            GenesisAccount {
                nonce: 1,
                code,
                ..Default::default()
            },
        );
    }
    g
}

fn scenario() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| {
        let genesis = genesis();
        let mut bb = BatchBuilder::new(CHAIN);
        let (k1, k2, k3, k4) = (dev_key(1), dev_key(2), dev_key(3), dev_key(4));
        let fresh = Address::repeat_byte(0xfe);
        let word = U256::from(0x2a).to_be_bytes::<32>().to_vec();
        let list = AccessList(vec![
            AccessListItem {
                address: STORER,
                storage_keys: vec![B256::ZERO, B256::with_last_byte(7)],
            },
            AccessListItem {
                address: fresh,
                storage_keys: vec![],
            },
        ]);
        bb.block(BlockContext::new(1, T0 + 12));
        bb.tx(&k1, TxRequest::transfer(addr(2), U256::from(ETH)))
            .unwrap();
        bb.tx(
            &k1,
            TxRequest::call(STORER, word.clone())
                .ty(TxType::Legacy)
                .gas(100_000),
        )
        .unwrap();
        bb.tx(
            &k2,
            TxRequest::call(STORER, word.clone())
                .ty(TxType::Eip2930)
                .gas(100_000)
                .access_list(list.clone()),
        )
        .unwrap();
        bb.tx(&k3, TxRequest::transfer(fresh, U256::ZERO)).unwrap();
        bb.tx(&k3, TxRequest::call(REVERTER, vec![]).gas(60_000))
            .unwrap();
        // EIP-7623: 100 non-zero bytes, intrinsic 22,600, floor 25,000.
        bb.tx(
            &k2,
            TxRequest::call(Address::repeat_byte(0xfd), vec![0xab; 100]).gas(25_000),
        )
        .unwrap();
        // Skipped: bad nonce, balance, gas below intrinsic, gas above the cap, fee cap below
        // the base fee.
        bb.tx(&k1, TxRequest::transfer(addr(3), U256::from(1)).nonce(99))
            .unwrap();
        bb.tx(&k4, TxRequest::transfer(addr(3), U256::from(1)))
            .unwrap();
        bb.tx(
            &k3,
            TxRequest::transfer(addr(1), U256::from(1))
                .gas(20_000)
                .nonce(2),
        )
        .unwrap();
        bb.tx(
            &k3,
            TxRequest::transfer(addr(1), U256::from(1))
                .gas((1 << 23) + 1)
                .nonce(2),
        )
        .unwrap();
        bb.tx(
            &k3,
            TxRequest::transfer(addr(1), U256::from(1))
                .fees(1, 0)
                .nonce(2),
        )
        .unwrap();
        bb.block(BlockContext::new(2, T0 + 24));
        bb.tx(
            &k1,
            TxRequest::transfer(addr(3), U256::from(5))
                .ty(TxType::Legacy)
                .nonce(2),
        )
        .unwrap();
        bb.tx(
            &k2,
            TxRequest::transfer(addr(3), U256::from(7))
                .ty(TxType::Eip2930)
                .nonce(2),
        )
        .unwrap();
        let batch = bb.build().unwrap();
        let ex = Executor::run(
            genesis.prestate().unwrap(),
            batch.clone(),
            ExecOptions::default(),
        )
        .expect("the executor runs the batch");
        Scenario { genesis, batch, ex }
    })
}

fn env() -> &'static Env {
    static E: OnceLock<Env> = OnceLock::new();
    E.get_or_init(|| Env::new(scenario().ex.config().hash()))
}

////////////////////////////////////////////////////////////////
//                         Witnesses                          //
////////////////////////////////////////////////////////////////

/// One boundary step of the scenario: its verifier, pre, trace index, witness and what the
/// executor says comes after it.
struct Case {
    name: String,
    verifier: Address,
    pre: B256,
    trace_index: u64,
    witness: StepWitness,
}

/// Every boundary-pre step of the scenario (block start, transaction start, block end, past
/// the batch), with the executor's expectation checked while building.
fn cases() -> &'static Vec<Case> {
    static C: OnceLock<Vec<Case>> = OnceLock::new();
    C.get_or_init(|| {
        let s = scenario();
        let e = env();
        let cfg = s.ex.config().hash();
        let layout = s.ex.layout();
        let mut out = Vec::new();
        for (j, t) in s.ex.transitions().iter().enumerate() {
            let j = j as u64;
            let pre = s.ex.boundary_before(j);
            let ti = layout.trace_index(j, 0);
            let (name, verifier, w) = match t.kind {
                TransitionKind::BlockStart { block } => {
                    let w = bw::block_start(&pre, &s.batch, cfg).unwrap();
                    assert_eq!(w.post, t.boundary.hash(), "block start {block}");
                    (format!("block start {block}"), e.block, w)
                }
                TransitionKind::BlockEnd { block } => {
                    let w = bw::block_end(&pre, &s.batch).unwrap();
                    assert_eq!(w.post, t.boundary.hash(), "block end {block}");
                    (format!("block end {block}"), e.block, w)
                }
                TransitionKind::Tx { block, tx } => {
                    let state = s.ex.state_before(j).unwrap();
                    let start = bw::tx_start(&pre, &s.batch, state.world(), cfg).unwrap();
                    let what = check_tx_start(j, &pre, &start);
                    if let Some(end) = tx_end_case(j, &pre, &start, cfg) {
                        out.push(end);
                    }
                    (
                        format!("tx start {block}.{tx} ({what})"),
                        e.tx_start,
                        start.witness().clone(),
                    )
                }
            };
            out.push(Case {
                name,
                verifier,
                pre: pre.hash(),
                trace_index: ti,
                witness: w,
            });
        }
        let n = s.ex.transitions().len() as u64;
        let fin = *s.ex.final_boundary();
        let w = bw::past_batch(&fin, &s.batch).unwrap();
        assert_eq!(w.post, fin.hash());
        out.push(Case {
            name: "past the batch".into(),
            verifier: e.block,
            pre: fin.hash(),
            trace_index: layout.trace_index(n + 3, 0),
            witness: w,
        });
        out
    })
}

/// Holds a transaction start against the executor: a skipped transaction gives the executor's
/// boundary; an executed one a StepState whose world root is recomputed here through the
/// executor's own state model (ChainState) from the pre-state, and whose gas matches the
/// executor's gas use for code-less callees.
fn check_tx_start(j: u64, pre: &Boundary, start: &TxStart) -> String {
    let s = scenario();
    let t = &s.ex.transitions()[j as usize];
    let TransitionKind::Tx { block, tx } = t.kind else {
        unreachable!()
    };
    let btx = &s.batch.blocks()[block as usize].txs[tx as usize];
    let ctx = &s.batch.blocks()[block as usize].context;
    match (start, &t.outcome) {
        (TxStart::Skipped(w), Outcome::Tx(TxOutcome::Skipped { reason })) => {
            assert_eq!(w.post, t.boundary.hash(), "skipped tx {block}.{tx}");
            format!("skipped: {reason}")
        }
        (
            TxStart::Executed {
                state,
                context,
                tx_env,
                ..
            },
            Outcome::Tx(TxOutcome::Executed {
                status, gas_used, ..
            }),
        ) => {
            use alloy::consensus::Transaction as _;
            let mut st = s.ex.state_before(j).unwrap();
            let from = btx.signer();
            let to = btx.to().unwrap();
            let price = tx_env.gas_price;
            let acc = st.account(&from).unwrap().clone();
            let cost: u128 = (U256::from(btx.gas_limit()) * price).to();
            let value: u128 = btx.envelope().value().to();
            st.apply(&Change::Account {
                address: from,
                nonce: acc.nonce + 1,
                balance: acc.balance - cost - value,
                code_hash: acc.code_hash,
            })
            .unwrap();
            if value > 0 {
                let (n, b, c) = st
                    .account(&to)
                    .map_or((0, 0, alloy::primitives::KECCAK256_EMPTY), |a| {
                        (a.nonce, a.balance, a.code_hash)
                    });
                st.apply(&Change::Account {
                    address: to,
                    nonce: n,
                    balance: b + value,
                    code_hash: c,
                })
                .unwrap();
            }
            assert_eq!(context.world_root, st.world_root(), "tx {block}.{tx} world");
            assert_eq!(tx_env.boundary, pre.hash());
            let expected_price = match btx.envelope().max_priority_fee_per_gas() {
                Some(tip) => btx
                    .envelope()
                    .max_fee_per_gas()
                    .min(u128::from(ctx.base_fee) + tip),
                None => btx.envelope().max_fee_per_gas(),
            };
            assert_eq!(price, U256::from(expected_price));
            let d = decode_tx(btx);
            assert_eq!(btx.gas_limit() - state.machine.gas, d.intrinsic);
            if st
                .account(&to)
                .is_none_or(|a| a.code_hash == alloy::primitives::KECCAK256_EMPTY)
            {
                // A code-less callee executes one free STOP: revm charges the intrinsic gas or
                // the EIP-7623 floor, whichever is larger.
                assert_eq!(*gas_used, d.intrinsic.max(d.floor), "tx {block}.{tx} gas");
            }
            format!("{status:?}, {} gas", gas_used)
        }
        (a, b) => panic!("tx {block}.{tx}: builder {a:?} but executor {b:?}"),
    }
}

////////////////////////////////////////////////////////////////
//                           Tests                            //
////////////////////////////////////////////////////////////////

#[test]
fn every_boundary_step_matches_the_executor() {
    let e = env();
    let mut kinds = BTreeMap::new();
    for c in cases() {
        let got = e.step(c.verifier, c.pre, c.trace_index, &c.witness.witness);
        assert_eq!(got, Ok(c.witness.post), "{}", c.name);
        *kinds
            .entry(c.name.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .or_insert(0) += 1;
    }
    let s = scenario();
    let statuses: Vec<_> =
        s.ex.transitions()
            .iter()
            .filter_map(|t| match &t.outcome {
                Outcome::Tx(TxOutcome::Executed { status, .. }) => Some(status.clone()),
                _ => None,
            })
            .collect();
    assert!(
        statuses.contains(&TxStatus::Revert),
        "the scenario has a reverting tx"
    );
    assert_eq!(kinds.get("tx start"), Some(&13));
    assert_eq!(kinds.get("tx end"), Some(&8));
}

#[test]
fn skipped_transactions_are_the_ones_the_executor_skips() {
    let skipped: Vec<_> = cases()
        .iter()
        .filter(|c| c.name.contains("skipped"))
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(skipped.len(), 5, "{skipped:#?}");
}

#[test]
fn boundary_steps_need_offset_zero() {
    let e = env();
    for c in cases().iter().filter(|c| !c.name.starts_with("tx end")) {
        assert_eq!(
            e.step(c.verifier, c.pre, c.trace_index + 1, &c.witness.witness),
            Err("WrongOffset".to_owned()),
            "{}",
            c.name
        );
    }
}

#[test]
fn absolute_prestate_from_the_anchor() {
    let s = scenario();
    let e = env();
    // The anchor: an idle boundary over the genesis state (as a previous batch's final
    // boundary would be), here of an unrelated batch and block index.
    let pre = s.genesis.prestate().unwrap();
    let anchor = Boundary {
        world_root: pre.state.world_root(),
        batch: B256::repeat_byte(9),
        block_env: B256::ZERO,
        block_index: 3,
        tx_index: 0,
        phase: 0,
        block_gas_used: 0,
        receipts: B256::ZERO,
        last_block_hash: s.ex.prestate().last_block_hash,
    };
    let want = s.ex.prestate().hash();
    assert_eq!(
        absolute_prestate(&anchor, s.batch.commitment())
            .unwrap()
            .hash(),
        want
    );
    let input = s.batch.commitment();
    let q = BlockStepVerifier::absolutePrestateCall {
        _startingRoot: anchor.hash(),
        _input: input,
    };
    assert_eq!(e.call(e.block, &q), Err("BadAnchor".to_owned()));
    let from = BlockStepVerifier::prestateFromCall {
        _anchor: Bytes::from(anchor.preimage()),
        _input: input,
    };
    assert_eq!(e.call(e.block, &from), Ok(want));
    let reg = BlockStepVerifier::registerAnchorCall {
        _boundary: Bytes::from(anchor.preimage()),
    };
    e.l1.send_now(L1Tx::call(e.from, e.block, reg.abi_encode()))
        .unwrap();
    assert_eq!(e.call(e.block, &q), Ok(want));
    // A boundary inside a block is no anchor.
    let busy = Boundary { phase: 1, ..anchor };
    let bad = BlockStepVerifier::prestateFromCall {
        _anchor: Bytes::from(busy.preimage()),
        _input: input,
    };
    assert_eq!(e.call(e.block, &bad), Err("BadAnchor".to_owned()));
}

/// Flipping any witness byte either reverts or gives the same post: never another accepted
/// post. Every byte of the block witnesses and a spread of bytes of the transaction ones.
#[test]
fn mutated_witnesses_never_give_another_post() {
    let e = env();
    let mut tried = 0;
    for c in cases().iter().filter(|c| {
        c.name.starts_with("block start 0")
            || c.name.starts_with("block end 1")
            || c.name.starts_with("past")
            || c.name.starts_with("tx start 0.0 ")
            || c.name.starts_with("tx start 0.2 ")
            || c.name.starts_with("tx start 0.6 ")
            || c.name.starts_with("tx end 0.0")
            || c.name.starts_with("tx end 0.4")
    }) {
        let w = &c.witness.witness;
        let stride = if w.len() > 400 { w.len() / 200 } else { 1 };
        for i in (0..w.len()).step_by(stride) {
            for flip in [0x01u8, 0x80] {
                let mut m = w.clone();
                m[i] ^= flip;
                if let Ok(post) = e.step(c.verifier, c.pre, c.trace_index, &m) {
                    assert_eq!(post, c.witness.post, "{}: byte {i} ^ {flip:#x}", c.name);
                }
                tried += 1;
            }
        }
        // Truncation and a trailing byte.
        let mut longer = w.clone();
        longer.push(0);
        assert!(
            e.step(c.verifier, c.pre, c.trace_index, &longer).is_err(),
            "{}",
            c.name
        );
        assert!(
            e.step(c.verifier, c.pre, c.trace_index, &w[..w.len() - 1])
                .is_err(),
            "{}",
            c.name
        );
    }
    assert!(tried > 500);
}

#[test]
fn gas_table() {
    let e = env();
    let mut rows: BTreeMap<String, Vec<(u64, usize)>> = BTreeMap::new();
    for c in cases() {
        let kind = if c.name.starts_with("tx start") {
            if c.name.contains("skipped") {
                "tx start (skipped)".to_owned()
            } else {
                let ty = scenario_tx_type(&c.name);
                format!("tx start (executed, type {ty})")
            }
        } else {
            c.name
                .trim_end_matches(|ch: char| ch.is_ascii_digit() || ch == ' ' || ch == '.')
                .to_owned()
        };
        let gas = e.step_gas(c.verifier, c.pre, c.trace_index, &c.witness.witness);
        rows.entry(kind)
            .or_default()
            .push((gas, c.witness.witness.len()));
    }
    println!(
        "{:<32} {:>6} {:>12} {:>14}",
        "step kind", "cases", "tx gas (max)", "witness bytes"
    );
    for (k, v) in rows {
        let g = v.iter().map(|x| x.0).max().unwrap_or(0);
        let b = v.iter().map(|x| x.1).max().unwrap_or(0);
        println!("{k:<32} {:>6} {g:>12} {b:>14}", v.len());
    }
}

fn scenario_tx_type(name: &str) -> u8 {
    // "tx start b.t (...)"
    let id = name.split(' ').nth(2).unwrap_or("0.0");
    let mut it = id.split('.').map(|x| x.parse::<usize>().unwrap_or(0));
    let (b, t) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
    scenario().batch.blocks()[b].txs[t].ty()
}

/// The transaction end of an executed transaction, from the halted state its frame reaches
/// (spec §16.2) built here for the scenario's three kinds of callee: no code (one STOP, gas
/// unchanged), the reverter (PUSH0 PUSH0 REVERT: 4 gas, snapshot restored) and the storer
/// (SSTORE of the calldata word into slot 0; gas left from the executor's gas use, there is
/// no refund and the floor does not bind). The post must be the executor's boundary.
fn tx_end_case(j: u64, pre: &Boundary, start: &TxStart, cfg: B256) -> Option<Case> {
    use gavel_commit::record::{Machine, StepState};
    let s = scenario();
    let TxStart::Executed {
        state,
        context,
        frame,
        tx_env,
        snapshot,
        world,
        ..
    } = start
    else {
        return None;
    };
    let t = &s.ex.transitions()[j as usize];
    let Outcome::Tx(TxOutcome::Executed { gas_used, .. }) = &t.outcome else {
        panic!("executed by the builder but not by the executor");
    };
    let TransitionKind::Tx { block, tx } = t.kind else {
        unreachable!()
    };
    let mut world = world.clone();
    let mut ctx = *context;
    let (status, gas) = if frame.address == REVERTER {
        ctx.world_root = snapshot.world_root;
        ctx.substate_root = snapshot.substate_root;
        (HaltStatus::Revert, state.machine.gas - 4)
    } else if frame.address == STORER {
        world.set_storage(&STORER, U256::ZERO, U256::from(0x2a));
        ctx.world_root = world.root();
        (HaltStatus::Success, tx_env.gas_limit - gas_used)
    } else {
        (HaltStatus::Success, state.machine.gas)
    };
    assert_eq!(world.root(), ctx.world_root);
    let halted = StepState {
        machine: Machine {
            gas,
            ..Machine::default()
        },
        micro: halted_micro(status),
        context: ctx.hash(),
        ..StepState::default()
    };
    let w = bw::tx_end(bw::TxEndInput {
        state: &halted,
        context: &ctx,
        frame,
        tx_env,
        boundary: pre,
        batch: &s.batch,
        world: &world,
        chain_config: cfg,
    })
    .unwrap();
    assert_eq!(w.post, t.boundary.hash(), "tx end {block}.{tx}");
    Some(Case {
        name: format!("tx end {block}.{tx}"),
        verifier: env().tx_end,
        pre: halted.hash(),
        trace_index: s.ex.layout().trace_index(j, 2),
        witness: w,
    })
}
