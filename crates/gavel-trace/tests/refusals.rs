//! Everything outside the supported set is refused with an error naming the opcode (or the
//! transaction kind) and the step; undefined opcodes are exceptional halts that revm agrees on.

mod common;

use alloy_eips::eip2930::{AccessList, AccessListItem};
use alloy_primitives::{Address, B256, Bytes, U256};
use common::*;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
use gavel_trace::executor::{Outcome, TxOutcome, TxStatus};
use gavel_trace::opcodes::{self, Support};
use gavel_trace::{ExecError, ExecOptions, Executor, Refusal, StepRef, TransitionKind};
use revm::bytecode::opcode::*;

const TARGET: Address = Address::repeat_byte(0x42);

/// Runs one call to `code` at `TARGET` (block 0, tx 0: transition 1).
fn call_code(code: &[u8], req: impl FnOnce(TxRequest) -> TxRequest) -> Result<Executor, ExecError> {
    let alice = dev_key(1);
    let g = genesis_with(&[
        (alice.address(), funded(1)),
        (TARGET, contract(Bytes::copy_from_slice(code))),
    ]);
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, T0 + 1));
    b.tx(
        &alice,
        req(TxRequest::call(TARGET, Bytes::new()).gas(100_000)),
    )
    .unwrap();
    Executor::run(
        g.prestate().unwrap(),
        b.build().unwrap(),
        ExecOptions {
            layout: small_layout(),
            ..ExecOptions::default()
        },
    )
}

/// Four supported opcodes, then `op`.
fn prefixed(op: u8) -> Vec<u8> {
    vec![PUSH1, 1, PUSH1, 2, ADD, POP, op]
}

#[test]
fn every_byte_is_supported_refused_or_an_undefined_halt() {
    let l = small_layout();
    for op in 0..=255u8 {
        let info = opcodes::info(op);
        let result = call_code(&prefixed(op), |r| r);
        match info.support {
            Support::Refused(reason) => {
                let e = result
                    .err()
                    .unwrap_or_else(|| panic!("{} must be refused", info.name));
                assert_eq!(
                    e,
                    ExecError::Refused {
                        at: StepRef {
                            kind: TransitionKind::Tx { block: 0, tx: 0 },
                            transition: 1,
                            step: 5,
                            trace_index: l.trace_index(1, 5),
                        },
                        refusal: Refusal::Opcode {
                            opcode: op,
                            name: info.name,
                            reason,
                        },
                    }
                );
                assert!(
                    e.to_string()
                        .contains(&format!("{} ({op:#04x}) is refused", info.name))
                );
            }
            Support::Undefined => {
                let ex = result.unwrap_or_else(|e| panic!("{op:#04x}: {e}"));
                match &ex.transitions()[1].outcome {
                    Outcome::Tx(TxOutcome::Executed {
                        status: TxStatus::Halt(reason),
                        opcode_steps: 5,
                        ..
                    }) => assert!(
                        reason.contains("OpcodeNotFound") || reason.contains("NotActivated"),
                        "{op:#04x}: {reason}"
                    ),
                    o => panic!("{op:#04x} should halt at step 5: {o:?}"),
                }
            }
            Support::Supported => {
                let ex = result.unwrap_or_else(|e| panic!("{} refused: {e}", info.name));
                assert!(
                    matches!(
                        ex.transitions()[1].outcome,
                        Outcome::Tx(TxOutcome::Executed { .. })
                    ),
                    "{}",
                    info.name
                );
            }
        }
    }
}

#[test]
fn refusals_name_block_tx_transition_and_trace_index() {
    let (alice, bob) = (dev_key(1), dev_key(2));
    let hasher = [PUSH0, PUSH0, KECCAK256, STOP];
    let g = genesis_with(&[
        (alice.address(), funded(1)),
        (TARGET, contract(Bytes::copy_from_slice(&hasher))),
    ]);
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, T0 + 1));
    b.tx(&alice, TxRequest::transfer(bob.address(), U256::from(1)))
        .unwrap();
    b.block(BlockContext::new(2, T0 + 2));
    b.tx(&alice, TxRequest::transfer(bob.address(), U256::from(1)))
        .unwrap();
    // Access list of 1 address + 1 key: the KECCAK256 is step 1 + 2 + 2.
    let list = AccessList(vec![AccessListItem {
        address: TARGET,
        storage_keys: vec![B256::ZERO],
    }]);
    b.tx(
        &alice,
        TxRequest::call(TARGET, Bytes::new()).access_list(list),
    )
    .unwrap();
    let e = Executor::run(
        g.prestate().unwrap(),
        b.build().unwrap(),
        ExecOptions::default(),
    )
    .unwrap_err();
    let at = StepRef {
        kind: TransitionKind::Tx { block: 1, tx: 1 },
        transition: 5,
        step: 5,
        trace_index: (5 << 24) + 5,
    };
    assert!(
        matches!(e, ExecError::Refused { at: a, refusal: Refusal::Opcode { opcode: KECCAK256, .. } } if a == at)
    );
    assert_eq!(
        e.to_string(),
        "block 1 tx 1 (transition 5, step 5, trace index 83886085): KECCAK256 (0x20) is refused: \
         hashes memory of any size; keccak micro-steps are not supported yet"
    );
}

#[test]
fn frames_calls_and_logs_are_refused_before_they_run() {
    // (code, refused opcode, its step: 1 + its instruction index)
    for (code, name, step) in [
        (
            vec![PUSH0, PUSH0, PUSH0, PUSH0, PUSH0, PUSH1, 0x42, GAS, CALL],
            "CALL",
            8,
        ),
        (vec![PUSH0, PUSH0, LOG0], "LOG0", 3),
        (vec![PUSH0, PUSH0, PUSH0, CREATE], "CREATE", 4),
        (vec![PUSH0, SELFDESTRUCT], "SELFDESTRUCT", 2),
        (vec![PUSH0, TLOAD], "TLOAD", 2),
        (vec![PUSH1, 1, BLOCKHASH], "BLOCKHASH", 2),
    ] {
        match call_code(&code, |r| r).unwrap_err() {
            ExecError::Refused {
                at,
                refusal: Refusal::Opcode { name: n, .. },
            } => {
                assert_eq!(n, name);
                assert_eq!(at.step, step, "{name}");
            }
            e => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn contract_creation_and_precompile_calls_are_refused_as_kinds() {
    let alice = dev_key(1);
    let g = genesis_with(&[(alice.address(), funded(1))]);
    let run = |req: TxRequest| {
        let mut b = BatchBuilder::new(CHAIN);
        b.block(BlockContext::new(1, T0 + 1));
        b.tx(&alice, req).unwrap();
        Executor::run(
            g.prestate().unwrap(),
            b.build().unwrap(),
            ExecOptions::default(),
        )
    };
    let mut create = TxRequest::call(Address::ZERO, vec![PUSH0, PUSH0, RETURN]);
    create.to = None;
    let e = run(create).unwrap_err();
    assert!(matches!(
        e,
        ExecError::Refused {
            at: StepRef {
                step: 0,
                transition: 1,
                ..
            },
            refusal: Refusal::ContractCreation
        }
    ));
    assert!(
        e.to_string()
            .contains("contract-creation transaction is refused")
    );

    let sha256 = Address::with_last_byte(2);
    let e = run(TxRequest::call(sha256, vec![1, 2, 3])).unwrap_err();
    assert_eq!(
        e,
        ExecError::Refused {
            at: StepRef {
                kind: TransitionKind::Tx { block: 0, tx: 0 },
                transition: 1,
                step: 0,
                trace_index: 1 << 24,
            },
            refusal: Refusal::PrecompileCall { address: sha256 }
        }
    );

    // An invalid transaction never executes, so it is skipped rather than refused.
    let ex = run(TxRequest::call(sha256, vec![1]).nonce(3)).unwrap();
    assert!(matches!(
        ex.transitions()[1].outcome,
        Outcome::Tx(TxOutcome::Skipped { .. })
    ));
}
