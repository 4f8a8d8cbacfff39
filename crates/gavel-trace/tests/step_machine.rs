//! The shadow step machine (spec §16–§17): every step's commitment, opcode witnesses that parse
//! and verify with `gavel_commit`, stutters, cache correctness, and a proptest over random
//! straight-line and looping programs.

mod common;

use alloy_primitives::{Address, B256, Bytes, U256};
use common::*;
use gavel_commit::code::verify_fetch;
use gavel_commit::hash::keccak256;
use gavel_commit::memory::{verify_words, word_range};
use gavel_commit::proof::{Reader, read_multiproof};
use gavel_commit::record::{Machine, StepState};
use gavel_commit::stack::verify_opening;
use gavel_commit::substate::{self, Kind};
use gavel_commit::trie::key;
use gavel_commit::trie::path::PathProof;
use gavel_commit::trie::world::verify_stem;
use gavel_trace::Executor;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
use gavel_trace::executor::{Outcome, TxOutcome};
use gavel_trace::opcodes::{self, Support};
use gavel_trace::step::{ProofKind, StepProof};
use proptest::prelude::*;
use revm::bytecode::opcode::*;

/// A decoded §16.3 witness.
struct Opcode {
    pre: StepState,
    fetch: Vec<u8>,
    stack: Vec<u8>,
    op: Vec<u8>,
    halt: Vec<u8>,
}

fn w(b: &[u8], at: usize) -> B256 {
    B256::from_slice(&b[at..at + 32])
}

fn take_part(b: &[u8], at: &mut usize) -> Vec<u8> {
    let n = u32::from_be_bytes(b[*at..*at + 4].try_into().unwrap()) as usize;
    let v = b[*at + 4..*at + 4 + n].to_vec();
    *at += 4 + n;
    v
}

fn decode(b: &[u8]) -> Opcode {
    assert_eq!(b[0], 0x00);
    let pre = StepState {
        machine: Machine::from_word(&w(b, 1)).unwrap(),
        stack_head: w(b, 33),
        memory_root: w(b, 65),
        code_root: w(b, 97),
        micro: w(b, 129),
        context: w(b, 161),
    };
    let mut at = 193;
    let fetch = take_part(b, &mut at);
    let stack = take_part(b, &mut at);
    let op = take_part(b, &mut at);
    let halt = take_part(b, &mut at);
    assert_eq!(at, b.len(), "no trailing bytes");
    Opcode {
        pre,
        fetch,
        stack,
        op,
        halt,
    }
}

fn rec(tag: u8, pre: &[u8]) -> B256 {
    keccak256(&[&[tag][..], pre].concat())
}

/// Check every step of every transition of `ex`.
fn check_all(ex: &Executor) {
    let l = ex.layout();
    for (j, t) in ex.transitions().iter().enumerate() {
        let j = j as u64;
        let c = ex.transition_commitments(j).unwrap();
        assert_eq!(c.len() as u64, t.steps, "transition {j}");
        assert_eq!(*c.last().unwrap(), t.boundary.hash());
        for (k, h) in c.iter().enumerate() {
            assert_eq!(ex.commitment_at(l.trace_index(j, k as u64)).unwrap(), *h);
        }
        let Outcome::Tx(TxOutcome::Executed {
            access_list_items: a,
            opcode_steps: n,
            ..
        }) = t.outcome
        else {
            continue;
        };
        let r = ex.replay(j).unwrap();
        for i in 0..n {
            let k = 1 + a + i;
            let ti = l.trace_index(j, k);
            let p: StepProof = ex.step_proof(ti).unwrap();
            assert_eq!(p.pre, ex.commitment_at(ti - 1).unwrap());
            assert_eq!(p.post, ex.commitment_at(ti).unwrap());
            let s = r.opcodes.steps[i as usize];
            assert_eq!(p.kind, ProofKind::Opcode { opcode: s.opcode });
            let d = decode(p.witness.as_ref().unwrap());
            assert_eq!(d.pre.hash(), p.pre, "witness opens pre");
            // The running state is revm's interpreter before the opcode.
            let m = d.pre.machine;
            assert_eq!(
                (m.pc, m.gas, m.stack_len, m.memory_size),
                (s.pc, s.gas, s.stack_len, s.memory_size)
            );
            let nch = d.fetch.len().min(3 * 32) / 32;
            let nch = (1..=nch)
                .rev()
                .find(|&c| {
                    verify_fetch(
                        d.pre.code_root,
                        m.pc.into(),
                        &chunks(&d.fetch[..32 * c]),
                        &d.fetch[32 * c..],
                    )
                    .is_ok()
                })
                .expect("fetch verifies");
            let ins = verify_fetch(
                d.pre.code_root,
                m.pc.into(),
                &chunks(&d.fetch[..32 * nch]),
                &d.fetch[32 * nch..],
            )
            .unwrap();
            assert_eq!(ins.opcode, s.opcode);
            let kk = (opcodes::info(s.opcode).inputs as usize).min(m.stack_len as usize);
            // §7.2: `k = 0` needs no witness, so the part is empty (the verifier's rule).
            let items = if kk == 0 {
                assert!(d.stack.is_empty(), "no stack part for k = 0");
                Vec::new()
            } else {
                verify_opening(d.pre.stack_head, m.stack_len as usize, kk, &d.stack)
                    .unwrap()
                    .items
            };
            assert_eq!(items, r.opcodes.inputs(i as usize));
            let halts = i + 1 == n;
            if halts {
                assert_eq!(d.halt.len(), 224 + 200 + 104);
                let ctx = &d.halt[..224];
                assert_eq!(rec(0x11, ctx), d.pre.context);
                assert_eq!(rec(0x12, &d.halt[224..424]), w(ctx, 160));
                assert_eq!(rec(0x17, &d.halt[424..]), w(&d.halt, 224 + 168));
            } else {
                assert!(d.halt.is_empty());
            }
            check_op_part(&d, s.opcode, &items, halts);
        }
    }
    // Stutter and past-batch leaves.
    let last = ex.transitions().len() as u64 - 1;
    let t = &ex.transitions()[last as usize];
    let p = ex.step_proof(l.trace_index(last, t.steps)).unwrap();
    assert_eq!(p.kind, ProofKind::Stutter);
    let wit = p.witness.unwrap();
    assert_eq!(&wit[..2], &[1, 0]);
    assert_eq!(rec(0x14, &wit[2..]), p.pre);
    assert_eq!(p.pre, p.post);
    let p = ex.step_proof(l.trace_index(last + 1, 0)).unwrap();
    assert_eq!(
        (p.kind, p.pre),
        (ProofKind::PastBatch, ex.final_boundary().hash())
    );
    assert_eq!(ex.step_proof(0).unwrap().pre, ex.prestate().hash());
}

fn chunks(b: &[u8]) -> Vec<B256> {
    b.chunks(32).map(B256::from_slice).collect()
}

fn check_op_part(d: &Opcode, op: u8, items: &[U256], halts: bool) {
    let ctx_ok = |b: &[u8]| assert_eq!(rec(0x11, &b[..224]), d.pre.context);
    match op {
        JUMP | JUMPI => {
            let taken = op == JUMP || (items.len() == 2 && !items[1].is_zero());
            if !taken || items.is_empty() {
                assert!(d.op.is_empty());
            } else if !d.op.is_empty() {
                let c = (items[0] / U256::from(31)).to::<u64>();
                gavel_commit::code::verify_chunks(
                    d.pre.code_root,
                    &[(c, w(&d.op, 0))],
                    &d.op[32..],
                )
                .unwrap();
            }
        }
        SLOAD | SSTORE => {
            let inputs = usize::from(opcodes::info(op).inputs);
            let gas = d.pre.machine.gas;
            if !gavel_trace::step::gas::needs_storage_witness(
                op,
                gas,
                d.pre.machine.stack_len.into(),
            ) {
                assert!(d.op.is_empty());
                return;
            }
            assert_eq!(items.len(), inputs);
            check_storage_part(&d.op, items);
        }
        _ if halts => assert!(d.op.is_empty(), "{op:#x}"),
        MLOAD | MSTORE | MSTORE8 => {
            let off = items[0].to::<u64>();
            let idx: Vec<u64> = word_range(off, if op == MSTORE8 { 1 } else { 32 }).collect();
            let words: Vec<(u64, B256)> = idx
                .iter()
                .enumerate()
                .map(|(i, &x)| (x, w(&d.op, 32 * i)))
                .collect();
            verify_words(d.pre.memory_root, &words, &d.op[32 * idx.len()..]).unwrap();
        }
        ADDRESS | CALLER | CALLVALUE | CALLDATASIZE | CODESIZE => {
            assert_eq!(d.op.len(), 424);
            ctx_ok(&d.op);
            assert_eq!(rec(0x12, &d.op[224..]), w(&d.op, 160));
        }
        CALLDATALOAD => {
            ctx_ok(&d.op);
            let frame = &d.op[224..424];
            assert_eq!(rec(0x12, frame), w(&d.op, 160));
            let root = w(frame, 72);
            let len = u64::from(u32::from_be_bytes(frame[108..112].try_into().unwrap()));
            let rest = &d.op[424..];
            if items[0] >= U256::from(len) {
                assert!(rest.is_empty());
            } else {
                let i = items[0].to::<u64>();
                let idx: Vec<u64> = word_range(i, (i + 32).min(len) - i).collect();
                let words: Vec<(u64, B256)> = idx
                    .iter()
                    .enumerate()
                    .map(|(n, &x)| (x, w(rest, 32 * n)))
                    .collect();
                verify_words(root, &words, &rest[32 * idx.len()..]).unwrap();
            }
        }
        ORIGIN | GASPRICE => {
            assert_eq!(d.op.len(), 224 + 124);
            ctx_ok(&d.op);
            assert_eq!(rec(0x13, &d.op[224..]), w(&d.op, 192));
        }
        COINBASE | TIMESTAMP | NUMBER | DIFFICULTY | GASLIMIT | BASEFEE => {
            assert_eq!(d.op.len(), 224 + 124 + 192 + 140);
            ctx_ok(&d.op);
            let tx = &d.op[224..348];
            assert_eq!(rec(0x13, tx), w(&d.op, 192));
            let b = &d.op[348..540];
            assert_eq!(rec(0x14, b), w(tx, 92));
            assert_eq!(rec(0x15, &d.op[540..]), w(b, 64));
        }
        _ => assert!(d.op.is_empty(), "{op:#x}"),
    }
}

/// Splits `b` after one §4.3 path proof, or after a §4.5 stem opening of `subindex`.
fn split_proof(b: &[u8], stem_subindex: Option<u8>) -> (&[u8], &[u8]) {
    let mut r = Reader::new(b);
    let path = PathProof::decode(&mut r).unwrap();
    if let Some(s) = stem_subindex
        && path.is_present()
    {
        read_multiproof(&mut r, 8, &[u64::from(s)]).unwrap();
    }
    b.split_at(r.pos())
}

/// SLOAD/SSTORE's op part (spec §16.3) verifies against the records it opens.
fn check_storage_part(op: &[u8], items: &[U256]) {
    let ctx = &op[..224];
    let frame = &op[224..424];
    assert_eq!(rec(0x12, frame), w(ctx, 160));
    let address = Address::from_slice(&frame[..20]);
    let slot = items[0];
    let (warm, rest) = split_proof(&op[424..], None);
    let wkey = substate::key(Kind::WarmSlot, &address, slot);
    let one = B256::with_last_byte(1);
    let present = !substate::proves_absent(&wkey, warm).unwrap();
    substate::verify(
        w(ctx, 32),
        &wkey,
        if present { &one } else { &B256::ZERO },
        warm,
    )
    .unwrap();
    let k = key::storage_key(&address, slot);
    let current = w(rest, 0);
    let (opening, rest) = split_proof(&rest[32..], Some(k.subindex));
    verify_stem(w(ctx, 0), &k.stem, &[(k.subindex, current)], opening).unwrap();
    if items.len() == 2 && U256::from_be_bytes(current.0) != items[1] {
        let tx = &rest[..124];
        assert_eq!(rec(0x13, tx), w(ctx, 192));
        let b = &rest[124..316];
        assert_eq!(rec(0x14, b), w(tx, 92));
        let original = w(rest, 316);
        verify_stem(w(b, 0), &k.stem, &[(k.subindex, original)], &rest[348..]).unwrap();
    } else {
        assert!(rest.is_empty());
    }
}

fn run(s: &Scenario) -> Executor {
    run_small(s)
}

#[test]
fn every_step_of_the_fixtures_commits_and_proves() {
    for s in executable() {
        check_all(&run(&s));
    }
}

#[test]
fn commitments_do_not_depend_on_what_was_queried_before() {
    let s = mem_loop();
    let fresh: Vec<Vec<B256>> = {
        let n = run(&s).transitions().len() as u64;
        (0..n)
            .map(|j| run(&s).transition_commitments(j).unwrap())
            .collect()
    };
    let ex = run(&s);
    let n = ex.transitions().len() as u64;
    for j in (0..n).rev().chain(0..n) {
        assert_eq!(ex.transition_commitments(j).unwrap(), fresh[j as usize]);
        let _ = ex.step_proof(ex.layout().trace_index((j + 2) % n, 1));
    }
}

#[test]
fn step_inputs_open_the_pre_state() {
    let s = transfers();
    let ex = run(&s);
    let l = ex.layout();
    // Transaction 2 of block 0 has an access list: start, 3 warm-ups, STOP, end.
    let j = 3;
    assert_eq!(ex.transitions()[j as usize].steps, 6);
    for k in 0..6 {
        let ti = l.trace_index(j, k);
        let i = ex.step_inputs(ti).unwrap();
        if k == 0 {
            assert_eq!(i.world.root(), i.boundary.world_root);
        } else {
            let st = i.step.unwrap();
            assert_eq!(st.hash(), ex.commitment_at(ti - 1).unwrap());
            assert_eq!(i.context.unwrap().hash(), st.context);
            assert_eq!(i.context.unwrap().substate_root, i.substate.unwrap().root());
            assert_eq!(i.context.unwrap().world_root, i.world.root());
        }
    }
}

/// Straight-line pieces of supported opcodes with pushes to feed them, optionally inside a
/// counted loop.
fn program(ops: &[u8], pushes: &[u64], iterations: u8, end: u8) -> Bytes {
    let mut a = gavel_trace::asm::Asm::new();
    a.push(u64::from(iterations)).label("top");
    for (i, &op) in ops.iter().enumerate() {
        let need = opcodes::info(op).inputs;
        for n in 0..need {
            a.push(pushes[(i + n as usize) % pushes.len()]);
        }
        a.op(op);
        // Keep the loop counter on top: drop what the op left.
        let o = OpCode::new(op).unwrap();
        for _ in 0..o.outputs() {
            a.op(POP);
        }
    }
    a.push(1).swap(1).op(SUB).op(DUP1).jumpi("top").op(end);
    a.build().unwrap()
}

fn ops() -> Vec<u8> {
    (0..=255u8)
        .filter(|&op| {
            opcodes::info(op).support == Support::Supported
                && !matches!(
                    op,
                    JUMP | JUMPI | STOP | RETURN | REVERT | INVALID | JUMPDEST
                )
                && !(PUSH1..=PUSH32).contains(&op)
                && !(DUP1..=SWAP16).contains(&op)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]
    #[test]
    fn random_programs_commit_and_prove(
        body in proptest::collection::vec(proptest::sample::select(ops()), 0..12),
        pushes in proptest::collection::vec(prop_oneof![0u64..64, any::<u64>()], 1..6),
        iterations in 1u8..4,
        end in proptest::sample::select(vec![STOP, INVALID, 0x0c, RETURN, REVERT]),
        gas in prop_oneof![Just(200_000u64), 21_100u64..23_000],
    ) {
        let alice = dev_key(1);
        let genesis = genesis_with(&[(alice.address(), funded(10)), (LOOPER, contract(program(&body, &pushes, iterations, end)))]);
        let mut b = BatchBuilder::new(CHAIN);
        b.block(BlockContext::new(1, T0 + 12));
        b.tx(&alice, TxRequest::call(LOOPER, word(7)).gas(gas)).unwrap();
        let s = Scenario { name: "prop", genesis, batch: b.build().unwrap() };
        check_all(&run(&s));
    }
}

use revm::bytecode::opcode::OpCode;
