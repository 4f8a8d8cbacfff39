//! Property: for random straight-line and looping programs within the supported set, run as
//! real signed transactions through gavel's executor, **every** step's witness from the
//! library prover is accepted by the deployed `EvmStepVerifier` with exactly the executor's
//! post-state, and a forged witness (one random byte flipped) never yields another post-state.
//!
//! 256 cases by default; `PROPTEST_CASES=N` for more. A failure prints the program, the
//! calldata and the gas limits (proptest's shrunk input) and the seed to replay it.

use alloy::primitives::{Address, Bytes, U256};
use gavel_chain::{
    EvmVerifierParams, InProcessL1, StepOutcome, deploy_evm_verifier, dev_address, run_step,
};
use gavel_trace::asm::Asm;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
use gavel_trace::chain::GenesisAccount;
use gavel_trace::{ExecOptions, Executor, Genesis, Layout};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use revm::bytecode::opcode::{self as op, OpCode};

const T0: u64 = 1_700_000_000;
const ETH: u128 = 1_000_000_000_000_000_000;
const CALLEE: Address = Address::new([0x77; 20]);

/// Opcodes a body may use: every class of spec §16.3 that runs without halting on small
/// operands (halts are the program's `end`, or out of gas from a tight gas limit).
fn body_ops() -> Vec<u8> {
    let mut v = vec![
        op::ADD,
        op::MUL,
        op::SUB,
        op::DIV,
        op::SDIV,
        op::MOD,
        op::SMOD,
        op::ADDMOD,
        op::MULMOD,
        op::EXP,
        op::SIGNEXTEND,
        op::LT,
        op::GT,
        op::SLT,
        op::SGT,
        op::EQ,
        op::ISZERO,
        op::AND,
        op::OR,
        op::XOR,
        op::NOT,
        op::BYTE,
        op::SHL,
        op::SHR,
        op::SAR,
        op::CLZ,
        op::POP,
        op::MLOAD,
        op::MSTORE,
        op::MSTORE8,
        op::CALLDATALOAD,
        op::CALLDATASIZE,
        op::CODESIZE,
        op::ADDRESS,
        op::CALLER,
        op::CALLVALUE,
        op::ORIGIN,
        op::GASPRICE,
        op::COINBASE,
        op::TIMESTAMP,
        op::NUMBER,
        op::DIFFICULTY,
        op::GASLIMIT,
        op::CHAINID,
        op::BASEFEE,
        op::BLOBHASH,
        op::BLOBBASEFEE,
        op::PC,
        op::MSIZE,
        op::GAS,
        op::JUMPDEST,
        op::PUSH0,
    ];
    v.extend([op::DUP1, op::DUP3, op::SWAP1, op::SWAP2]);
    v
}

/// A loop of `iterations` around `body` (each op fed from `pushes`, its outputs dropped so the
/// counter stays on top), then `end`.
fn program(body: &[u8], pushes: &[u64], iterations: u8, end: u8) -> Bytes {
    let mut a = Asm::new();
    a.push(u64::from(iterations)).label("top");
    for (i, &o) in body.iter().enumerate() {
        let info = OpCode::new(o).expect("a defined opcode");
        let (inputs, outputs) = match o {
            // DUPn / SWAPn read n / n + 1 items; give them their own operands.
            op::DUP1..=op::DUP16 => (usize::from(o - op::DUP1 + 1), usize::from(o - op::DUP1 + 2)),
            op::SWAP1..=op::SWAP16 => {
                let n = usize::from(o - op::SWAP1 + 2);
                (n, n)
            }
            _ => (usize::from(info.inputs()), usize::from(info.outputs())),
        };
        for n in 0..inputs {
            // Memory offsets stay small so expansion is cheap; other operands are anything.
            let v = pushes[(i + n) % pushes.len()];
            let v = if matches!(o, op::MLOAD | op::MSTORE | op::MSTORE8) && n == 0 {
                v % 256
            } else {
                v
            };
            a.push(v);
        }
        a.op(o);
        for _ in 0..outputs {
            a.op(op::POP);
        }
    }
    a.push(1).swap(1).op(op::SUB).op(op::DUP1).jumpi("top");
    match end {
        op::RETURN | op::REVERT => {
            a.push(32).push(pushes[0] % 64).op(end);
        }
        _ => {
            a.op(end);
        }
    }
    a.build().expect("the program assembles")
}

fn execute(code: Bytes, calls: &[(Vec<u8>, u64, u64)]) -> Executor {
    let alice = dev_key(1);
    let mut genesis = Genesis::new(901);
    genesis.timestamp = T0;
    genesis.alloc.insert(
        alice.address(),
        GenesisAccount {
            balance: 100 * ETH,
            ..Default::default()
        },
    );
    genesis.alloc.insert(
        CALLEE,
        GenesisAccount {
            nonce: 1,
            code,
            ..Default::default()
        },
    );
    let mut b = BatchBuilder::new(901);
    b.block(BlockContext::new(1, T0 + 12));
    for (data, gas, value) in calls {
        b.tx(
            &alice,
            TxRequest::call(CALLEE, data.clone())
                .gas(*gas)
                .value(U256::from(*value)),
        )
        .expect("sign");
    }
    Executor::run(
        genesis.prestate().expect("prestate"),
        b.build().expect("batch"),
        ExecOptions {
            layout: Layout::EVM,
            ..ExecOptions::default()
        },
    )
    .expect("the supported set executes")
}

#[test]
fn every_step_of_random_programs_verifies_on_chain() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let l1 = InProcessL1::with_accounts(1);
    let config = gavel_commit::record::ChainConfig::osaka(901);
    let verifier = rt
        .block_on(deploy_evm_verifier(
            &l1,
            dev_address(0),
            EvmVerifierParams {
                chain_config: config.hash(),
                chain_id: 901,
                bottom_depth: Layout::EVM.bottom_depth(),
            },
        ))
        .expect("deploy")
        .verifier;

    let ends = vec![op::STOP, op::RETURN, op::REVERT, op::INVALID, 0x0c];
    let strategy = (
        proptest::collection::vec(proptest::sample::select(body_ops()), 0..10),
        proptest::collection::vec(prop_oneof![0u64..300, any::<u64>()], 1..6),
        1u8..5,
        proptest::sample::select(ends),
        proptest::collection::vec(
            (
                proptest::collection::vec(any::<u8>(), 0..70),
                prop_oneof![21_000u64..60_000, Just(1_000_000u64)],
                prop_oneof![Just(0u64), 1u64..1000],
            ),
            1..3,
        ),
        any::<u64>(),
    );
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let seed = runner.rng().clone();
    let result = runner.run(&strategy, |(body, pushes, iterations, end, calls, flip)| {
        let exec = execute(program(&body, &pushes, iterations, end), &calls);
        for (j, t) in exec.transitions().iter().enumerate() {
            let ks: Vec<u64> = (0..t.steps).collect();
            let proofs = exec
                .step_proofs(j as u64, &ks)
                .map_err(|e| TestCaseError::fail(format!("prove transition {j}: {e}")))?;
            for p in proofs {
                let w = p.witness.as_ref().ok_or_else(|| {
                    TestCaseError::fail(format!("no witness at {}", p.trace_index))
                })?;
                let got = rt
                    .block_on(run_step(&l1, verifier, p.pre, p.trace_index, w))
                    .map_err(|e| TestCaseError::fail(format!("step call: {e}")))?;
                prop_assert_eq!(
                    &got,
                    &StepOutcome::Post(p.post),
                    "{:?} at trace index {}",
                    p.kind,
                    p.trace_index
                );
                let mut forged = w.to_vec();
                let at = (flip as usize ^ p.trace_index as usize) % forged.len();
                forged[at] ^= 1 << (flip % 8);
                if let StepOutcome::Post(post) = rt
                    .block_on(run_step(&l1, verifier, p.pre, p.trace_index, &forged))
                    .map_err(|e| TestCaseError::fail(format!("step call: {e}")))?
                {
                    prop_assert_eq!(
                        post,
                        p.post,
                        "forged byte {} accepted with another post",
                        at
                    );
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}\nproptest rng: {seed:?}");
    }
}
