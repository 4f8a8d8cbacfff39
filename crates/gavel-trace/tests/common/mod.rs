//! Scenarios shared by the tests: the fixture batches and small helpers.
#![allow(dead_code)]

use alloy_primitives::{Address, Bytes, U256};
use gavel_trace::asm::Asm;
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, TxType, dev_key};
use gavel_trace::chain::{Genesis, GenesisAccount};
use gavel_trace::{Batch, ExecOptions, Executor, Layout};
use revm::bytecode::opcode::*;

pub const CHAIN: u64 = 901;
pub const T0: u64 = 1_700_000_000;
pub const ETH: u128 = 1_000_000_000_000_000_000;

pub fn small_layout() -> Layout {
    Layout::new(8, 20).unwrap()
}

/// Execute `s` with the small layout.
pub fn run_small(s: &Scenario) -> Executor {
    Executor::run(
        s.genesis.prestate().unwrap(),
        s.batch.clone(),
        ExecOptions {
            layout: small_layout(),
            ..ExecOptions::default()
        },
    )
    .unwrap()
}

pub fn genesis_with(accounts: &[(Address, GenesisAccount)]) -> Genesis {
    let mut g = Genesis::new(CHAIN);
    g.timestamp = T0;
    for (a, acc) in accounts {
        g.alloc.insert(*a, acc.clone());
    }
    g
}

pub fn funded(eth: u128) -> GenesisAccount {
    GenesisAccount {
        balance: eth * ETH,
        ..Default::default()
    }
}

pub fn contract(code: Bytes) -> GenesisAccount {
    GenesisAccount {
        nonce: 1,
        code,
        ..Default::default()
    }
}

pub fn word(n: u64) -> Vec<u8> {
    U256::from(n).to_be_bytes::<32>().to_vec()
}

/// Loops `n = calldata[0..32]` times: `acc = (3·acc + i) ^ (acc >> 7)`, `sstore(i % 4, acc)`;
/// then `sstore(100, acc)` and returns `acc`.
pub fn looper() -> Bytes {
    let mut a = Asm::new();
    a.op(PUSH0)
        .op(CALLDATALOAD) // n
        .push(0) // i
        .push(1) // acc
        .label("loop")
        .dup(3)
        .dup(3)
        .op(LT)
        .op(ISZERO)
        .jumpi("end") // i >= n
        .dup(1)
        .push(7)
        .op(SHR) // acc >> 7
        .swap(1)
        .push(3)
        .op(MUL) // 3·acc
        .dup(3)
        .op(ADD)
        .op(XOR) // acc'
        .dup(1)
        .push(4)
        .dup(4)
        .op(MOD)
        .op(SSTORE) // sstore(i % 4, acc')
        .swap(1)
        .push(1)
        .op(ADD)
        .swap(1) // i += 1
        .jump("loop")
        .label("end")
        .dup(1)
        .push(100)
        .op(SSTORE)
        .push(0)
        .op(MSTORE)
        .push(32)
        .push(0)
        .op(RETURN);
    a.build().unwrap()
}

/// [`looper`] with memory instead of storage: `mstore(32 · (i % 4), acc')` in the loop,
/// returns `acc`.
pub fn mem_looper() -> Bytes {
    let mut a = Asm::new();
    a.op(PUSH0)
        .op(CALLDATALOAD) // n
        .push(0) // i
        .push(1) // acc
        .label("loop")
        .dup(3)
        .dup(3)
        .op(LT)
        .op(ISZERO)
        .jumpi("end") // i >= n
        .dup(1)
        .push(7)
        .op(SHR) // acc >> 7
        .swap(1)
        .push(3)
        .op(MUL) // 3·acc
        .dup(3)
        .op(ADD)
        .op(XOR) // acc'
        .dup(1)
        .push(4)
        .dup(4)
        .op(MOD)
        .push(5)
        .op(SHL) // 32 · (i % 4)
        .op(MSTORE)
        .swap(1)
        .push(1)
        .op(ADD)
        .swap(1) // i += 1
        .jump("loop")
        .label("end")
        .push(0)
        .op(MSTORE)
        .push(32)
        .push(0)
        .op(RETURN);
    a.build().unwrap()
}

pub const TRANSFER: [u8; 4] = [0xa9, 0x05, 0x9c, 0xbb];
pub const BALANCE_OF: [u8; 4] = [0x70, 0xa0, 0x82, 0x31];

/// An ERC-20-like token: `transfer(address,uint256)` and `balanceOf(address)`, balances at
/// slot `uint160(holder)` (no KECCAK256, no events: both are refused for now).
pub fn token() -> Bytes {
    let mut a = Asm::new();
    a.push(0)
        .op(CALLDATALOAD)
        .push(0xe0)
        .op(SHR)
        .dup(1)
        .push_bytes(&TRANSFER)
        .op(EQ)
        .jumpi("transfer")
        .dup(1)
        .push_bytes(&BALANCE_OF)
        .op(EQ)
        .jumpi("balanceOf")
        .push(0)
        .push(0)
        .op(REVERT)
        .label("transfer")
        .push(0x24)
        .op(CALLDATALOAD) // amount
        .op(CALLER)
        .op(SLOAD) // from balance
        .dup(2)
        .dup(2)
        .op(LT)
        .jumpi("fail") // bal < amount
        .dup(2)
        .swap(1)
        .op(SUB)
        .op(CALLER)
        .op(SSTORE)
        .push(4)
        .op(CALLDATALOAD)
        .push_bytes(&[0xff; 20])
        .op(AND) // to
        .dup(1)
        .op(SLOAD)
        .dup(3)
        .op(ADD)
        .swap(1)
        .op(SSTORE)
        .push(1)
        .push(0)
        .op(MSTORE)
        .push(32)
        .push(0)
        .op(RETURN)
        .label("fail")
        .push(0)
        .push(0)
        .op(REVERT)
        .label("balanceOf")
        .push(4)
        .op(CALLDATALOAD)
        .op(SLOAD)
        .push(0)
        .op(MSTORE)
        .push(32)
        .push(0)
        .op(RETURN);
    a.build().unwrap()
}

pub fn calldata(selector: [u8; 4], args: &[U256]) -> Bytes {
    let mut v = selector.to_vec();
    for a in args {
        v.extend_from_slice(&a.to_be_bytes::<32>());
    }
    v.into()
}

pub fn addr_word(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

pub const LOOPER: Address = Address::repeat_byte(0x10);
pub const TOKEN: Address = Address::repeat_byte(0x20);

/// A named scenario: genesis and batch.
pub struct Scenario {
    pub name: &'static str,
    pub genesis: Genesis,
    pub batch: Batch,
}

/// Plain ETH transfers over two blocks, all three transaction types, an access list, a
/// transfer to a fresh address and one invalid transaction (nonce gap) that is skipped.
pub fn transfers() -> Scenario {
    let (alice, bob, carol) = (dev_key(1), dev_key(2), dev_key(3));
    let genesis = genesis_with(&[
        (alice.address(), funded(100)),
        (bob.address(), funded(50)),
        (carol.address(), funded(1)),
    ]);
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, T0 + 12));
    b.tx(&alice, TxRequest::transfer(bob.address(), U256::from(ETH)))
        .unwrap();
    b.tx(
        &bob,
        TxRequest::transfer(carol.address(), U256::from(2 * ETH)).ty(TxType::Legacy),
    )
    .unwrap();
    let list = alloy_eips::eip2930::AccessList(vec![alloy_eips::eip2930::AccessListItem {
        address: bob.address(),
        storage_keys: vec![
            alloy_primitives::B256::ZERO,
            alloy_primitives::B256::repeat_byte(1),
        ],
    }]);
    b.tx(
        &alice,
        TxRequest::transfer(carol.address(), U256::from(3))
            .ty(TxType::Eip2930)
            .access_list(list)
            .gas(30_000),
    )
    .unwrap();
    b.block(BlockContext::new(2, T0 + 24));
    b.tx(
        &carol,
        TxRequest::transfer(alice.address(), U256::from(ETH / 2)),
    )
    .unwrap();
    b.tx(
        &carol,
        TxRequest::transfer(alice.address(), U256::from(1)).nonce(7),
    )
    .unwrap();
    b.tx(
        &bob,
        TxRequest::transfer(Address::repeat_byte(0x77), U256::from(12345)),
    )
    .unwrap();
    Scenario {
        name: "transfers",
        genesis,
        batch: b.build().unwrap(),
    }
}

/// Calls to a contract doing arithmetic and storage writes in a loop; one call runs out of gas.
pub fn arith_loop() -> Scenario {
    let alice = dev_key(1);
    let genesis = genesis_with(&[(alice.address(), funded(10)), (LOOPER, contract(looper()))]);
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, T0 + 12));
    b.tx(&alice, TxRequest::call(LOOPER, word(10)).gas(300_000))
        .unwrap();
    b.tx(&alice, TxRequest::call(LOOPER, word(40)).gas(300_000))
        .unwrap();
    b.tx(&alice, TxRequest::call(LOOPER, word(1000)).gas(60_000))
        .unwrap();
    Scenario {
        name: "arith_loop",
        genesis,
        batch: b.build().unwrap(),
    }
}

/// An ERC-20-like token: transfers, a self-transfer, a failing transfer (revert), a read.
pub fn erc20() -> Scenario {
    let (alice, bob) = (dev_key(1), dev_key(2));
    let mut tok = contract(token());
    tok.storage
        .insert(addr_word(alice.address()), U256::from(1_000_000));
    let genesis = genesis_with(&[
        (alice.address(), funded(10)),
        (bob.address(), funded(10)),
        (TOKEN, tok),
    ]);
    let xfer = |to: Address, amount: u64| {
        TxRequest::call(
            TOKEN,
            calldata(TRANSFER, &[addr_word(to), U256::from(amount)]),
        )
        .gas(100_000)
    };
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, T0 + 12));
    b.tx(&alice, xfer(bob.address(), 250_000)).unwrap();
    b.tx(&bob, xfer(alice.address(), 1_000)).unwrap();
    b.block(BlockContext::new(2, T0 + 24));
    b.tx(&bob, xfer(bob.address(), 10)).unwrap();
    b.tx(&bob, xfer(alice.address(), 10_000_000)).unwrap();
    b.tx(
        &alice,
        TxRequest::call(TOKEN, calldata(BALANCE_OF, &[addr_word(bob.address())])).gas(50_000),
    )
    .unwrap();
    Scenario {
        name: "erc20",
        genesis,
        batch: b.build().unwrap(),
    }
}

/// Calls to [`mem_looper`] (memory writes in a loop, environment opcodes, a revert, an
/// out-of-gas halt, a value-carrying call, a bad jump) plus a transfer to a code-less account.
pub fn mem_loop() -> Scenario {
    let (alice, bob) = (dev_key(1), dev_key(2));
    let mut bad = Asm::new();
    bad.op(CALLER)
        .op(CALLVALUE)
        .op(ADDRESS)
        .op(ORIGIN)
        .op(GASPRICE)
        .op(COINBASE)
        .op(TIMESTAMP)
        .op(NUMBER)
        .op(CALLDATASIZE)
        .op(CODESIZE)
        .push(3)
        .op(CALLDATALOAD)
        .push(7)
        .push(64)
        .op(MSTORE8)
        .push(64)
        .op(MLOAD)
        .push(40)
        .push(8)
        .op(REVERT);
    let mut jump = Asm::new();
    jump.push(1).push(0x33).op(JUMPI);
    let genesis = genesis_with(&[
        (alice.address(), funded(10)),
        (bob.address(), funded(10)),
        (LOOPER, contract(mem_looper())),
        (Address::repeat_byte(0x30), contract(bad.build().unwrap())),
        (Address::repeat_byte(0x31), contract(jump.build().unwrap())),
    ]);
    let mut b = BatchBuilder::new(CHAIN);
    b.block(BlockContext::new(1, T0 + 12));
    b.tx(&alice, TxRequest::call(LOOPER, word(10)).gas(300_000))
        .unwrap();
    b.tx(
        &alice,
        TxRequest::call(LOOPER, word(40))
            .gas(300_000)
            .value(U256::from(5)),
    )
    .unwrap();
    b.tx(&alice, TxRequest::call(LOOPER, word(1000)).gas(30_000))
        .unwrap();
    b.block(BlockContext::new(2, T0 + 24));
    b.tx(
        &bob,
        TxRequest::call(Address::repeat_byte(0x30), word(77))
            .gas(100_000)
            .value(U256::from(9)),
    )
    .unwrap();
    b.tx(
        &bob,
        TxRequest::call(Address::repeat_byte(0x31), Bytes::new()).gas(50_000),
    )
    .unwrap();
    b.tx(&bob, TxRequest::transfer(alice.address(), U256::from(3)))
        .unwrap();
    Scenario {
        name: "mem_loop",
        genesis,
        batch: b.build().unwrap(),
    }
}

/// The scenarios the executor runs to the end (all of them since the storage step).
pub fn executable() -> Vec<Scenario> {
    all()
}

pub fn all() -> Vec<Scenario> {
    vec![transfers(), mem_loop(), arith_loop(), erc20()]
}
