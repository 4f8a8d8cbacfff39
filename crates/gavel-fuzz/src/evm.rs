//! `gavel fuzz --vm evm`: games over random **real** EVM batches.
//!
//! Each game draws, from its seed alone, a genesis with funded senders and a few generated
//! contracts (straight-line programs of supported opcodes and counted memory loops), and a
//! batch of one or two blocks of one to three signed transactions (transfers, calls into the
//! contracts, some with EIP-2930 access lists, some invalid and therefore skipped). The batch
//! is executed with the EVM layout (`SPLIT_DEPTH` 20, `MAX_DEPTH` 44); a fresh in-process L1
//! gets the whole EVM system (`deploy_evm_system`), the sequencer posts the batch to the inbox
//! and the proposer creates the game over it. The honest side plays with [`EvmTrace`], the
//! adversaries with a [`gavel_chain::DishonestEvmTrace`] lying from a random step on, and every
//! step goes through the deployed `EvmStepVerifier` (the mirror asks the same contract).
//!
//! In the report's [`Scenario`], `trace_length` is the batch's transition count and
//! `divergence` the trace index of the first lie.

use crate::report::GameReport;
use crate::runner::{Table, play_created};
use crate::scenario::Scenario;
use crate::{FuzzConfig, FuzzError};
use alloy_primitives::{Address, B256, Bytes, U256};
use gavel_chain::evm::l2_of;
use gavel_chain::{
    EvmDeployParams, EvmTrace, InProcessL1, InProcessStepVerifier, L1, create_evm_game,
    deploy_evm_system, game, post_batch,
};
use gavel_game::{GameConfig, SharedTrace, Strategy, TraceProvider, honest_root};
use gavel_trace::asm::Asm;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, TxType, dev_key};
use gavel_trace::chain::{Genesis, GenesisAccount};
use gavel_trace::{Batch, ExecOptions, Executor, Layout};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The L2 chain id of fuzzed batches.
pub const FUZZ_CHAIN_ID: u64 = 901;
const T0: u64 = 1_700_000_000;
const ETH: u128 = 1_000_000_000_000_000_000;
/// Senders `dev_key(1..=SENDERS)`, funded at genesis.
const SENDERS: u64 = 3;
/// An unfunded sender: its transactions are invalid and skipped (spec §14.2).
const BROKE: u64 = 9;

/// The game configuration of `--vm evm`: the EVM layout with the toy clocks and bonds (so the
/// in-process games advance time the same way).
pub fn evm_game_config() -> GameConfig {
    GameConfig {
        max_depth: 44,
        split_depth: 20,
        ..GameConfig::toy_default()
    }
}

// (op, stack inputs, stack outputs) of the straight-line generator: supported, pure opcodes.
const PURE: &[(u8, u8, u8)] = &[
    (0x01, 2, 1), // ADD
    (0x02, 2, 1), // MUL
    (0x03, 2, 1), // SUB
    (0x04, 2, 1), // DIV
    (0x05, 2, 1), // SDIV
    (0x06, 2, 1), // MOD
    (0x07, 2, 1), // SMOD
    (0x08, 3, 1), // ADDMOD
    (0x09, 3, 1), // MULMOD
    (0x0a, 2, 1), // EXP
    (0x0b, 2, 1), // SIGNEXTEND
    (0x10, 2, 1), // LT
    (0x11, 2, 1), // GT
    (0x12, 2, 1), // SLT
    (0x13, 2, 1), // SGT
    (0x14, 2, 1), // EQ
    (0x15, 1, 1), // ISZERO
    (0x16, 2, 1), // AND
    (0x17, 2, 1), // OR
    (0x18, 2, 1), // XOR
    (0x19, 1, 1), // NOT
    (0x1a, 2, 1), // BYTE
    (0x1b, 2, 1), // SHL
    (0x1c, 2, 1), // SHR
    (0x1d, 2, 1), // SAR
    (0x30, 0, 1), // ADDRESS
    (0x32, 0, 1), // ORIGIN
    (0x33, 0, 1), // CALLER
    (0x34, 0, 1), // CALLVALUE
    (0x35, 1, 1), // CALLDATALOAD
    (0x36, 0, 1), // CALLDATASIZE
    (0x38, 0, 1), // CODESIZE
    (0x3a, 0, 1), // GASPRICE
    (0x41, 0, 1), // COINBASE
    (0x42, 0, 1), // TIMESTAMP
    (0x43, 0, 1), // NUMBER
    (0x44, 0, 1), // PREVRANDAO
    (0x45, 0, 1), // GASLIMIT
    (0x46, 0, 1), // CHAINID
    (0x48, 0, 1), // BASEFEE
    (0x50, 1, 0), // POP
    (0x58, 0, 1), // PC
    (0x59, 0, 1), // MSIZE
    (0x5a, 0, 1), // GAS
    (0x5b, 0, 0), // JUMPDEST
    (0x80, 1, 2), // DUP1
    (0x81, 2, 3), // DUP2
    (0x82, 3, 4), // DUP3
    (0x90, 2, 2), // SWAP1
    (0x91, 3, 3), // SWAP2
];
const MLOAD: u8 = 0x51;
const MSTORE: u8 = 0x52;
const MSTORE8: u8 = 0x53;
const STOP: u8 = 0x00;
const RETURN: u8 = 0xf3;
const REVERT: u8 = 0xfd;
const INVALID: u8 = 0xfe;
const SUB: u8 = 0x03;

/// A random straight-line program: `pieces` pure opcodes, pushes and small memory accesses
/// (pushes are inserted where an opcode would underflow, so most programs run to their end),
/// ended by STOP, RETURN, REVERT, INVALID, or by running off the code.
fn straight_line(rng: &mut ChaCha8Rng, pieces: usize) -> Result<Bytes, FuzzError> {
    let mut a = Asm::new();
    let mut depth: usize = 0;
    let push_random = |a: &mut Asm, rng: &mut ChaCha8Rng| {
        let len = rng.random_range(1..=32usize);
        let bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        a.push_bytes(&bytes);
    };
    for _ in 0..pieces {
        match rng.random_range(0..10) {
            0..=5 => {
                let (op, inputs, outputs) = PURE[rng.random_range(0..PURE.len())];
                while depth < usize::from(inputs) {
                    push_random(&mut a, rng);
                    depth += 1;
                }
                a.op(op);
                depth = depth + usize::from(outputs) - usize::from(inputs);
            }
            6..=8 => {
                push_random(&mut a, rng);
                depth += 1;
            }
            _ => {
                let op = [MLOAD, MSTORE, MSTORE8][rng.random_range(0..3)];
                if op != MLOAD && depth == 0 {
                    push_random(&mut a, rng);
                    depth += 1;
                }
                a.push(rng.random_range(0..1024u64)).op(op);
                depth = if op == MLOAD { depth + 1 } else { depth - 1 };
            }
        }
        if depth > 1000 {
            a.op(0x50);
            depth -= 1;
        }
    }
    match rng.random_range(0..5) {
        0 => {}
        1 => {
            a.op(STOP);
        }
        2 => {
            a.op(INVALID);
        }
        k => {
            a.push(rng.random_range(0..64u64))
                .push(rng.random_range(0..64u64))
                .op(if k == 3 { RETURN } else { REVERT });
        }
    }
    a.build()
        .map_err(|e| FuzzError::Config(format!("assembler: {e}")))
}

/// `n = calldata[0..32]; do { mstore(n, n); n -= 1 } while n; return(0, 32)`: ten steps per
/// iteration (the caller keeps `n` between 1 and 30).
fn memory_loop() -> Result<Bytes, FuzzError> {
    let mut a = Asm::new();
    a.push(0)
        .op(0x35) // CALLDATALOAD
        .label("top")
        .dup(1)
        .dup(1)
        .op(MSTORE)
        .push(1)
        .swap(1)
        .op(SUB)
        .dup(1)
        .jumpi("top")
        .push(32)
        .push(0)
        .op(RETURN);
    a.build()
        .map_err(|e| FuzzError::Config(format!("assembler: {e}")))
}

/// Where the generated contracts live.
fn contract_address(i: u8) -> Address {
    Address::with_last_byte(0x40 + i)
}

/// A random genesis and batch (see the module docs), from `rng`.
pub fn random_batch(rng: &mut ChaCha8Rng) -> Result<(Genesis, Batch), FuzzError> {
    let mut genesis = Genesis::new(FUZZ_CHAIN_ID);
    genesis.timestamp = T0;
    for i in 1..=SENDERS {
        genesis.alloc.insert(
            dev_key(i).address(),
            GenesisAccount {
                balance: 100 * ETH,
                ..Default::default()
            },
        );
    }
    let straight = rng.random_range(1..=2u8);
    for i in 0..straight {
        let pieces = rng.random_range(5..=60);
        genesis.alloc.insert(
            contract_address(i),
            GenesisAccount {
                nonce: 1,
                code: straight_line(rng, pieces)?,
                ..Default::default()
            },
        );
    }
    let looper = contract_address(0x20);
    genesis.alloc.insert(
        looper,
        GenesisAccount {
            nonce: 1,
            code: memory_loop()?,
            ..Default::default()
        },
    );

    let mut b = BatchBuilder::new(FUZZ_CHAIN_ID);
    let blocks = rng.random_range(1..=2u64);
    let bad = |e: gavel_trace::BatchError| FuzzError::Config(format!("batch: {e}"));
    for n in 1..=blocks {
        b.block(BlockContext::new(n, T0 + 12 * n));
        for _ in 0..rng.random_range(1..=3) {
            let key = dev_key(rng.random_range(1..=SENDERS));
            let req = match rng.random_range(0..10) {
                0..=2 => {
                    let to = match rng.random_bool(0.5) {
                        true => dev_key(rng.random_range(1..=SENDERS)).address(),
                        false => Address::from(rng.random::<[u8; 20]>()),
                    };
                    TxRequest::transfer(to, U256::from(rng.random_range(0..1_000_000u64)))
                }
                3..=5 => {
                    let len = rng.random_range(0..=64usize);
                    let data: Vec<u8> = (0..len).map(|_| rng.random()).collect();
                    let to = contract_address(rng.random_range(0..straight));
                    let mut req = TxRequest::call(to, data).gas(300_000);
                    if rng.random_bool(0.3) {
                        req = req
                            .ty(TxType::Eip2930)
                            .access_list(alloy_eips::eip2930::AccessList(vec![
                                alloy_eips::eip2930::AccessListItem {
                                    address: to,
                                    storage_keys: vec![B256::with_last_byte(rng.random())],
                                },
                            ]));
                    }
                    req
                }
                6..=8 => {
                    let n = rng.random_range(1..=30u64);
                    TxRequest::call(looper, U256::from(n).to_be_bytes::<32>().to_vec()).gas(200_000)
                }
                _ => {
                    // Unfunded: skipped by the executor and by the transaction-start step.
                    b.tx(
                        &dev_key(BROKE),
                        TxRequest::transfer(looper, U256::from(1u64)),
                    )
                    .map_err(bad)?;
                    continue;
                }
            };
            b.tx(&key, req).map_err(bad)?;
        }
    }
    Ok((genesis, b.build().map_err(bad)?))
}

/// Draws the game of `game_seed`: its batch, executed with the EVM layout, and its scenario.
pub fn generate(
    game_seed: u64,
    max_adversaries: usize,
    strategies: &[Strategy],
) -> Result<(Genesis, Executor, Scenario), FuzzError> {
    let mut rng = ChaCha8Rng::seed_from_u64(game_seed);
    let (genesis, batch) = random_batch(&mut rng)?;
    let pre = genesis
        .prestate()
        .map_err(|e| FuzzError::Config(format!("genesis: {e}")))?;
    let exec = Executor::run(
        pre,
        batch,
        ExecOptions {
            layout: Layout::EVM,
            ..ExecOptions::default()
        },
    )
    .map_err(|e| FuzzError::Config(format!("generated batch does not execute: {e}")))?;
    let transitions = exec.transitions();
    let honest_root = rng.random_bool(0.5);
    // A lie inside a transition's real steps (most games end in a real step), at a stutter
    // leaf right after it, or past the batch.
    let j = rng.random_range(0..=transitions.len());
    let k = match transitions.get(j) {
        Some(t) => rng.random_range(0..=t.steps),
        None => 0,
    };
    let divergence = exec.layout().trace_index(j as u64, k);
    let count = rng.random_range(1..=max_adversaries.max(1));
    let adversaries = (0..count)
        .map(|_| strategies[rng.random_range(0..strategies.len())].clone())
        .collect();
    let scenario = Scenario {
        game_seed,
        trace_length: transitions.len() as u64,
        honest_root,
        divergence,
        adversaries,
    };
    Ok((genesis, exec, scenario))
}

/// Plays one EVM game: `scenario` over the batch `exec` ran (from `genesis`).
pub async fn play_evm(
    genesis: &Genesis,
    exec: Executor,
    scenario: &Scenario,
    config: &FuzzConfig,
) -> Result<GameReport, FuzzError> {
    let mut rng = ChaCha8Rng::seed_from_u64(scenario.game_seed ^ 0x65766d);
    let actors = 2 + scenario.adversaries.len();
    let l1 = InProcessL1::with_accounts(actors);
    let accounts = l1.accounts();
    let (deployer, honest_addr) = (accounts[0], accounts[1]);
    let pre = genesis
        .prestate()
        .map_err(|e| FuzzError::Config(format!("genesis: {e}")))?;
    let params = EvmDeployParams::new(&pre, deployer).with_config(&config.game);
    let deployment = deploy_evm_system(&l1, deployer, &params).await?;
    let l2 = l2_of(&deployment)?.clone();
    let posted = post_batch(&l1, deployer, l2.inbox, exec.batch()).await?;

    let honest = EvmTrace::new(exec);
    let salt = B256::from(rng.random::<[u8; 32]>());
    let lying: SharedTrace = Arc::new(honest.dishonest_from(scenario.divergence, salt));
    let (root_claim, creator) = if scenario.honest_root {
        (honest.final_claim(), honest_addr)
    } else {
        (
            honest_root(lying.as_ref(), config.game.max_depth)?,
            accounts[2],
        )
    };
    let game_addr = create_evm_game(
        &l1,
        creator,
        &deployment,
        posted.number,
        root_claim,
        &l2.genesis.boundary,
    )
    .await?;
    let view = game::read_game(&l1, game_addr).await?;
    let mut violations = Vec::new();
    if view.absolute_prestate != honest.absolute_prestate() {
        violations.push(
            "contract absolute prestate differs from the executor's §17.7 prestate".to_owned(),
        );
    }
    if view.input != honest.input() {
        violations.push("the game's input is not the batch commitment".to_owned());
    }
    let verifier = InProcessStepVerifier::new(&l1, l2.step_verifier.verifier);
    let table = Table {
        l1: &l1,
        deployer,
        honest_addr,
        game_addr,
        creator,
        root_claim,
        honest: &honest,
        lying,
        verifier: &verifier,
    };
    play_created(scenario, config, table, rng, violations).await
}
