//! Random straight-line programs of supported opcodes (arithmetic, bitwise, stack, environment,
//! memory and storage groups, any terminator, stack underflows and overflows included): the
//! executor runs and numbers them without panicking, counts exactly the opcodes a stack-depth
//! model predicts, records them in program order, and every boundary's world root equals a
//! from-scratch rebuild of the state at that boundary.

mod common;

use alloy_primitives::{Address, Bytes, U256};
use common::*;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
use gavel_trace::executor::{Outcome, TxOutcome};
use gavel_trace::opcodes::{self, Support};
use gavel_trace::{ExecOptions, Executor, SnapshotPolicy};
use proptest::prelude::*;
use revm::bytecode::opcode::*;

/// One instruction or an indivisible group (a PUSH feeding a memory/storage opcode, so offsets
/// stay small and gas stays predictable).
#[derive(Debug, Clone)]
enum Piece {
    Op(u8),
    Push(Vec<u8>),
    Mem(u8, u16),
    Store(u8),
}

/// How the program ends.
#[derive(Debug, Clone)]
enum End {
    RunOff,
    Op(u8),
    Return(u8, u8, u8),
}

fn pure_ops() -> Vec<u8> {
    (0..=255u8)
        .filter(|&op| {
            let i = opcodes::info(op);
            i.support == Support::Supported
                && !matches!(
                    op,
                    JUMP | JUMPI
                        | STOP
                        | RETURN
                        | REVERT
                        | INVALID
                        | SLOAD
                        | SSTORE
                        | MLOAD
                        | MSTORE
                        | MSTORE8
                )
                && !(PUSH1..=PUSH32).contains(&op)
        })
        .collect()
}

fn piece() -> impl Strategy<Value = Piece> {
    let ops = pure_ops();
    prop_oneof![
        6 => proptest::sample::select(ops).prop_map(Piece::Op),
        3 => proptest::collection::vec(any::<u8>(), 1..=32).prop_map(Piece::Push),
        1 => (proptest::sample::select(vec![MLOAD, MSTORE, MSTORE8]), 0u16..2048)
            .prop_map(|(op, off)| Piece::Mem(op, off)),
        1 => (0u8..80).prop_map(Piece::Store),
    ]
}

fn end() -> impl Strategy<Value = End> {
    prop_oneof![
        Just(End::RunOff),
        proptest::sample::select(vec![STOP, INVALID, 0x0c, 0x21, 0xe6, 0xfb]).prop_map(End::Op),
        (any::<bool>(), 0u8..64, 0u8..64).prop_map(|(rev, off, len)| End::Return(
            if rev { REVERT } else { RETURN },
            off,
            len
        )),
    ]
}

/// Bytecode and the opcodes it executes, in order (until the first stack error). With `pad`,
/// pushes are inserted wherever an opcode would underflow, so that most programs run long;
/// without it, random programs mostly stop early on an underflow (also worth testing).
fn assemble(pieces: &[Piece], end: &End, pad: bool) -> (Bytes, Vec<(u32, u8)>) {
    let mut code: Vec<u8> = Vec::new();
    let mut instrs: Vec<(u32, u8)> = Vec::new();
    let emit_push = |code: &mut Vec<u8>, instrs: &mut Vec<(u32, u8)>, data: &[u8]| {
        instrs.push((code.len() as u32, PUSH1 + data.len() as u8 - 1));
        code.push(PUSH1 + data.len() as u8 - 1);
        code.extend_from_slice(data);
    };
    let mut model_depth: i32 = 0;
    for (n, p) in pieces.iter().enumerate() {
        if pad {
            let needs = match p {
                Piece::Op(op) => i32::from(opcodes::info(*op).inputs),
                Piece::Push(_) => 0,
                Piece::Mem(..) | Piece::Store(_) => 1,
            };
            while model_depth < needs {
                emit_push(
                    &mut code,
                    &mut instrs,
                    &(n as u64 * 0x9e37_79b9 + 7).to_be_bytes(),
                );
                model_depth += 1;
            }
        }
        model_depth += match p {
            Piece::Op(op) => {
                let o = revm::bytecode::opcode::OpCode::new(*op).expect("pure ops are defined");
                i32::from(o.outputs()) - i32::from(o.inputs())
            }
            Piece::Push(_) => 1,
            Piece::Mem(op, _) => {
                if *op == MLOAD {
                    1
                } else {
                    -1
                }
            }
            Piece::Store(_) => -1,
        };
        match p {
            Piece::Op(op) => {
                instrs.push((code.len() as u32, *op));
                code.push(*op);
            }
            Piece::Push(d) => emit_push(&mut code, &mut instrs, d),
            Piece::Mem(op, off) => {
                emit_push(&mut code, &mut instrs, &off.to_be_bytes());
                instrs.push((code.len() as u32, *op));
                code.push(*op);
            }
            Piece::Store(slot) => {
                // SSTORE is refused until the storage step: an MSTORE keeps the shape.
                emit_push(&mut code, &mut instrs, &[*slot]);
                instrs.push((code.len() as u32, MSTORE));
                code.push(MSTORE);
            }
        }
    }
    match end {
        // revm pads code with STOP: running off the end executes one.
        End::RunOff => instrs.push((code.len() as u32, STOP)),
        End::Op(op) => {
            instrs.push((code.len() as u32, *op));
            code.push(*op);
        }
        End::Return(op, off, len) => {
            emit_push(&mut code, &mut instrs, &[*len]);
            emit_push(&mut code, &mut instrs, &[*off]);
            instrs.push((code.len() as u32, *op));
            code.push(*op);
        }
    }
    // The stack-depth model: execution stops at the first underflow or overflow (that
    // opcode is still a step: it halts exceptionally), or at the first halting opcode.
    let mut depth: i32 = 0;
    let mut executed = Vec::new();
    for &(pc, op) in &instrs {
        executed.push((pc, op));
        let info = opcodes::info(op);
        let Some(o) = revm::bytecode::opcode::OpCode::new(op) else {
            break; // undefined: halts
        };
        if depth < i32::from(info.inputs) {
            break;
        }
        depth += i32::from(o.outputs()) - i32::from(o.inputs());
        if depth > 1024 || matches!(op, STOP | RETURN | REVERT | INVALID) {
            break;
        }
        if info.support == Support::Undefined {
            break;
        }
    }
    (code.into(), executed)
}

const A: Address = Address::repeat_byte(0x51);
const B: Address = Address::repeat_byte(0x52);

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn straight_line_programs_are_numbered_and_committed_exactly(
        pa in proptest::collection::vec(piece(), 0..150),
        ea in end(),
        pb in proptest::collection::vec(piece(), 0..60),
        eb in end(),
        pad in proptest::bool::weighted(0.85),
        input in proptest::collection::vec(any::<u8>(), 0..70),
    ) {
        let (code_a, exec_a) = assemble(&pa, &ea, pad);
        let (code_b, exec_b) = assemble(&pb, &eb, pad);
        let (alice, bob) = (dev_key(1), dev_key(2));
        let g = genesis_with(&[
            (alice.address(), funded(10)),
            (A, contract(code_a)),
            (B, contract(code_b)),
        ]);
        let mut b = BatchBuilder::new(CHAIN);
        b.block(BlockContext::new(1, T0 + 1));
        b.tx(&alice, TxRequest::call(A, input.clone()).gas(5_000_000)).unwrap();
        b.tx(&alice, TxRequest::transfer(bob.address(), U256::from(9))).unwrap();
        b.block(BlockContext::new(2, T0 + 2));
        b.tx(&alice, TxRequest::call(B, Bytes::new()).gas(5_000_000).value(U256::from(3))).unwrap();
        b.tx(&alice, TxRequest::call(A, input).gas(5_000_000)).unwrap();
        let ex = Executor::run(
            g.prestate().unwrap(),
            b.build().unwrap(),
            ExecOptions { layout: small_layout(), snapshots: SnapshotPolicy::EveryChanges(7) },
        ).unwrap();

        // Transition 1: A, 2: transfer, 5: B, 6: A again (same code, new storage).
        for (j, expected) in [(1u64, &exec_a), (5, &exec_b), (6, &exec_a)] {
            let t = &ex.transitions()[j as usize];
            let Outcome::Tx(TxOutcome::Executed { opcode_steps, access_list_items, .. }) = t.outcome
            else { panic!("transition {j} should execute: {:?}", t.outcome) };
            prop_assert_eq!(opcode_steps, expected.len() as u64, "transition {}", j);
            prop_assert_eq!(t.steps, 2 + access_list_items + opcode_steps);
            let r = ex.replay(j).unwrap();
            let seen: Vec<(u32, u8)> = r.opcodes.steps.iter().map(|s| (s.pc, s.opcode)).collect();
            prop_assert_eq!(&seen, expected);
        }
        prop_assert_eq!(ex.transitions()[2].steps, 3);

        for j in 0..=ex.transitions().len() as u64 {
            let st = ex.state_before(j).unwrap();
            prop_assert_eq!(st.root_from_scratch(), ex.boundary_before(j).world_root, "j = {}", j);
        }
        prop_assert_eq!(ex.final_state().root_from_scratch(), ex.final_boundary().world_root);
    }
}
