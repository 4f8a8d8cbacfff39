//! Opcode steps (docs/spec.md §16.3) through `EvmStepVerifier` → `OpcodeStepVerifier`, with
//! revm 43 (Osaka) as the oracle.
//!
//! A compact reference prover runs short programs as the single frame of a transaction in revm
//! with an inspector that captures the interpreter before every opcode (pc, gas, stack,
//! memory), builds the records of §9 with `gavel-commit`, the witness of every step per §16.3,
//! and checks `step(state_k, witness_k) == state_{k+1}`; the last step must give the halted
//! state of §16.2 built from revm's own final status and gas.
//!
//! `cargo test -p gavel-chain --test step_opcodes -- --nocapture gas_table` prints the
//! verifier's gas per opcode class. `PROPTEST_CASES=n` widens the random-program property.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use alloy::primitives::{Address, B256, Bytes, U256, address, b256, keccak256};
use alloy::sol;
use alloy::sol_types::{SolCall, SolValue};
use gavel_chain::{ChainError, InProcessL1, TxRequest, dev_address};
use gavel_commit::code::{CHUNK_SIZE, CodeTree, MAX_CHUNKS};
use gavel_commit::memory::{DataView, Memory};
use gavel_commit::record::{
    BlockEnv, Boundary, ChainConfig, Context, Frame, Machine, PHASE_IN_BLOCK, Snapshot, StepState,
    TxEnv,
};
use gavel_commit::stack;
use proptest::prelude::*;
use revm::bytecode::opcode::OpCode;
use revm::context::{BlockEnv as RevmBlock, TxEnv as RevmTx};
use revm::context_interface::ContextTr;
use revm::context_interface::block::BlobExcessGasAndPrice;
use revm::database::{CacheDB, EmptyDB};
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_types::{Jumps, MemoryTr};
use revm::interpreter::{CallInputs, CallOutcome, InstructionResult, Interpreter};
use revm::primitives::TxKind;
use revm::primitives::hardfork::SpecId;
use revm::state::{AccountInfo, Bytecode};
use revm::{Context as RevmContext, InspectEvm, Inspector, MainBuilder, MainContext};

sol!(
    #[derive(Debug, PartialEq, Eq)]
    EvmStepVerifier,
    "../../contracts/artifacts/EvmStepVerifier.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    OpcodeStepVerifier,
    "../../contracts/artifacts/OpcodeStepVerifier.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    StorageStepVerifier,
    "../../contracts/artifacts/StorageStepVerifier.json"
);
sol!(
    #[derive(Debug, PartialEq, Eq)]
    StepGasProbe,
    "../../contracts/artifacts/StepGasProbe.json"
);

////////////////////////////////////////////////////////////////
//                     Chain constants                        //
////////////////////////////////////////////////////////////////

const CHAIN_ID: u64 = 901;
const B: u32 = 24;
const CONTRACT: Address = address!("00000000000000000000000000000000c0dec0de");
const ORIGIN: Address = address!("000000000000000000000000000000000a11ce00");
const COINBASE: Address = address!("c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0");
const BASE_FEE: u64 = 7;
const GAS_PRICE: u128 = 9;
const NUMBER: u64 = 42;
const TIMESTAMP: u64 = 1_700_000_123;
const BLOCK_GAS_LIMIT: u64 = 30_000_000;
const PREVRANDAO: B256 = b256!("6c31fc15422ebad28aaf9089c306702f67540b53c7eea8b7d2941044b027100f");
/// Opcodes at Osaka that revm 43 already knows but activates only at Amsterdam.
const AMSTERDAM_ONLY: [u8; 4] = [0x4b, 0xe6, 0xe7, 0xe8];
/// Defined at Osaka, not provable yet.
const UNSUPPORTED: &[u8] = &[
    0x20, 0x31, 0x37, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x47, 0x5c, 0x5d, 0x5e, 0xa0, 0xa1,
    0xa2, 0xa3, 0xa4, 0xf0, 0xf1, 0xf2, 0xf4, 0xf5, 0xfa, 0xff,
];
/// SLOAD and SSTORE: proven, but their witnesses need a world and a substate, which this test's
/// stand-alone witness builder does not keep; `step_storage.rs` proves them through the
/// executor.
const STORAGE: &[u8] = &[0x54, 0x55];

fn defined_at_osaka(op: u8) -> bool {
    OpCode::new(op).is_some() && !AMSTERDAM_ONLY.contains(&op)
}

/// Every opcode the verifier must prove: all defined ones but the unsupported, plus every
/// undefined byte (an exceptional halt).
fn supported(op: u8) -> bool {
    !UNSUPPORTED.contains(&op) && !STORAGE.contains(&op)
}

////////////////////////////////////////////////////////////////
//                    revm as the oracle                      //
////////////////////////////////////////////////////////////////

/// A program run as the transaction's frame.
#[derive(Debug, Clone)]
struct Program {
    code: Vec<u8>,
    calldata: Vec<u8>,
    value: U256,
    gas_limit: u64,
}

impl Program {
    fn new(code: Vec<u8>) -> Self {
        Self {
            code,
            calldata: Vec::new(),
            value: U256::ZERO,
            gas_limit: 200_000,
        }
    }
    fn calldata(mut self, data: &[u8]) -> Self {
        self.calldata = data.to_vec();
        self
    }
    fn value(mut self, v: u64) -> Self {
        self.value = U256::from(v);
        self
    }
    fn gas(mut self, g: u64) -> Self {
        self.gas_limit = g;
        self
    }
}

/// The interpreter before one opcode.
#[derive(Debug, Clone)]
struct Snap {
    pc: u64,
    op: u8,
    gas: u64,
    /// Bottom first.
    stack: Vec<U256>,
    memory: Vec<u8>,
}

#[derive(Default)]
struct Recorder {
    snaps: Vec<Snap>,
    end: Option<(InstructionResult, u64)>,
}

impl<CTX: ContextTr> Inspector<CTX, EthInterpreter> for Recorder {
    fn step(&mut self, interp: &mut Interpreter<EthInterpreter>, _ctx: &mut CTX) {
        assert_eq!(interp.input.depth, 0, "test programs run one frame");
        let size = interp.memory.size();
        self.snaps.push(Snap {
            pc: interp.bytecode.pc() as u64,
            op: interp.bytecode.opcode(),
            gas: interp.gas.remaining(),
            stack: interp.stack.data().clone(),
            memory: interp.memory.slice_len(0, size).to_vec(),
        });
    }

    fn call_end(&mut self, _ctx: &mut CTX, _inputs: &CallInputs, outcome: &mut CallOutcome) {
        self.end = Some((outcome.result.result, outcome.result.gas.remaining()));
    }
}

struct Trace {
    snaps: Vec<Snap>,
    result: InstructionResult,
    gas_left: u64,
}

fn revm_block() -> RevmBlock {
    RevmBlock {
        number: U256::from(NUMBER),
        beneficiary: COINBASE,
        timestamp: U256::from(TIMESTAMP),
        gas_limit: BLOCK_GAS_LIMIT,
        basefee: BASE_FEE,
        difficulty: U256::ZERO,
        prevrandao: Some(PREVRANDAO),
        blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new(
            0,
            revm::primitives::eip4844::BLOB_BASE_FEE_UPDATE_FRACTION_PRAGUE,
        )),
        ..RevmBlock::default()
    }
}

fn execute(p: &Program) -> Trace {
    let mut db = CacheDB::<EmptyDB>::default();
    db.insert_account_info(
        CONTRACT,
        AccountInfo::from_bytecode(Bytecode::new_raw(Bytes::from(p.code.clone()))),
    );
    db.insert_account_info(
        ORIGIN,
        AccountInfo {
            balance: U256::from(10u128.pow(24)),
            ..AccountInfo::default()
        },
    );
    let mut evm = RevmContext::mainnet()
        .with_db(db)
        .with_block(revm_block())
        .modify_cfg_chained(|c| {
            c.chain_id = CHAIN_ID;
            c.set_spec_and_mainnet_gas_params(SpecId::OSAKA);
            c.tx_gas_limit_cap = Some(1 << 23);
        })
        .build_mainnet_with_inspector(Recorder::default());
    let tx = RevmTx::builder()
        .caller(ORIGIN)
        .kind(TxKind::Call(CONTRACT))
        .data(Bytes::from(p.calldata.clone()))
        .value(p.value)
        .nonce(0)
        .chain_id(Some(CHAIN_ID))
        .gas_limit(p.gas_limit)
        .gas_price(GAS_PRICE)
        .build()
        .expect("tx env");
    let out = evm.inspect_tx(tx).expect("the transaction is valid");
    let rec = std::mem::take(&mut evm.inspector);
    let (result, frame_gas) = rec.end.expect("the frame ended");
    // revm's frame keeps its gas on a non-OOG halt; the transaction then consumes all of it,
    // which is what the halted state's `gas left = 0` stands for (spec §16.2).
    let gas_left = if result.is_ok() || result.is_revert() {
        frame_gas
    } else {
        assert_eq!(
            out.result.tx_gas_used(),
            p.gas_limit,
            "a halt consumes all gas"
        );
        0
    };
    assert!(!rec.snaps.is_empty(), "the frame ran code");
    Trace {
        snaps: rec.snaps,
        result,
        gas_left,
    }
}

////////////////////////////////////////////////////////////////
//                    Reference prover                        //
////////////////////////////////////////////////////////////////

/// The records of one transaction (spec §17.2 shapes; world and substate roots are arbitrary
/// words, the opcode steps never open them).
struct World {
    code: CodeTree,
    calldata: Memory,
    ctx: Context,
    frame: Frame,
    snapshot: Snapshot,
    tx: TxEnv,
    boundary: Boundary,
    block: BlockEnv,
}

fn snapshot_preimage(s: &Snapshot) -> Vec<u8> {
    [
        s.world_root.as_slice(),
        s.substate_root.as_slice(),
        s.logs.as_slice(),
        &s.refund.to_be_bytes(),
    ]
    .concat()
}

fn tx_preimage(t: &TxEnv) -> Vec<u8> {
    [
        t.origin.as_slice(),
        &t.gas_price.to_be_bytes::<32>(),
        &t.gas_limit.to_be_bytes(),
        t.tx_hash.as_slice(),
        t.boundary.as_slice(),
    ]
    .concat()
}

fn block_preimage(b: &BlockEnv) -> Vec<u8> {
    [
        &b.number.to_be_bytes()[..],
        &b.timestamp.to_be_bytes(),
        &b.gas_limit.to_be_bytes(),
        b.coinbase.as_slice(),
        &b.base_fee.to_be_bytes::<32>(),
        b.prev_randao.as_slice(),
        b.chain_config.as_slice(),
    ]
    .concat()
}

fn tagged(tag: u8, pre: &[u8]) -> B256 {
    keccak256([&[tag][..], pre].concat())
}

impl World {
    fn new(p: &Program) -> Self {
        let code = CodeTree::new(&p.code).unwrap();
        let mut calldata = Memory::new();
        calldata.write(0, &p.calldata).unwrap();
        let block = BlockEnv {
            number: NUMBER,
            timestamp: TIMESTAMP,
            gas_limit: BLOCK_GAS_LIMIT,
            coinbase: COINBASE,
            base_fee: U256::from(BASE_FEE),
            prev_randao: PREVRANDAO,
            chain_config: ChainConfig::osaka(CHAIN_ID).hash(),
        };
        let boundary = Boundary {
            world_root: B256::repeat_byte(0x11),
            batch: B256::repeat_byte(0x22),
            block_env: block.hash(),
            block_index: 0,
            tx_index: 3,
            phase: PHASE_IN_BLOCK,
            block_gas_used: 123_456,
            receipts: B256::repeat_byte(0x33),
            last_block_hash: B256::repeat_byte(0x44),
        };
        let tx = TxEnv {
            origin: ORIGIN,
            gas_price: U256::from(GAS_PRICE),
            gas_limit: p.gas_limit,
            tx_hash: B256::repeat_byte(0x55),
            boundary: boundary.hash(),
        };
        let snapshot = Snapshot {
            world_root: B256::repeat_byte(0x66),
            substate_root: B256::repeat_byte(0x77),
            logs: B256::ZERO,
            refund: 0,
        };
        let frame = Frame {
            address: CONTRACT,
            caller: ORIGIN,
            value: p.value,
            calldata: DataView {
                root: calldata.root(),
                offset: 0,
                length: p.calldata.len() as u32,
            },
            code_size: p.code.len() as u32,
            ret_offset: 0,
            ret_length: 0,
            depth: 0,
            flags: 0,
            parent: B256::ZERO,
            snapshot: snapshot.hash(),
        };
        // The running context differs from the snapshot so that a revert visibly restores it.
        let ctx = Context {
            world_root: B256::repeat_byte(0x88),
            substate_root: B256::repeat_byte(0x99),
            logs: B256::ZERO,
            return_data: DataView::default(),
            refund: 0,
            frame: frame.hash(),
            tx: tx.hash(),
        };
        assert_eq!(tagged(0x17, &snapshot_preimage(&snapshot)), snapshot.hash());
        assert_eq!(tagged(0x13, &tx_preimage(&tx)), tx.hash());
        assert_eq!(tagged(0x15, &block_preimage(&block)), block.hash());
        Self {
            code,
            calldata,
            ctx,
            frame,
            snapshot,
            tx,
            boundary,
            block,
        }
    }

    fn ctx_frame(&self) -> Vec<u8> {
        [self.ctx.preimage(), self.frame.preimage()].concat()
    }
    fn ctx_tx(&self) -> Vec<u8> {
        [self.ctx.preimage(), tx_preimage(&self.tx)].concat()
    }
    fn ctx_block(&self) -> Vec<u8> {
        [
            self.ctx_tx(),
            self.boundary.preimage(),
            block_preimage(&self.block),
        ]
        .concat()
    }
    fn halt_part(&self) -> Vec<u8> {
        [self.ctx_frame(), snapshot_preimage(&self.snapshot)].concat()
    }

    fn running(&self, s: &Snap) -> (StepState, Memory) {
        let mut mem = Memory::new();
        mem.write(0, &s.memory).unwrap();
        let state = StepState {
            machine: Machine {
                pc: s.pc as u32,
                gas: s.gas,
                stack_len: s.stack.len() as u16,
                memory_size: s.memory.len() as u32,
                cursor: 0,
            },
            stack_head: stack::push_all(B256::ZERO, &s.stack),
            memory_root: mem.root(),
            code_root: self.code.root(),
            micro: B256::ZERO,
            context: self.ctx.hash(),
        };
        (state, mem)
    }

    fn jump_witness(&self, dest: U256) -> Vec<u8> {
        let limit = U256::from(MAX_CHUNKS * CHUNK_SIZE as u64);
        if dest >= limit {
            return Vec::new();
        }
        let c = dest.to::<u64>() / CHUNK_SIZE as u64;
        [
            self.code.chunk(c).to_vec(),
            self.code.prove_chunks(&[c]).unwrap(),
        ]
        .concat()
    }
}

fn inputs(op: u8) -> usize {
    if AMSTERDAM_ONLY.contains(&op) {
        return 0;
    }
    OpCode::new(op).map_or(0, |o| o.inputs() as usize)
}

fn grows(op: u8) -> bool {
    !AMSTERDAM_ONLY.contains(&op) && OpCode::new(op).is_some_and(|o| o.outputs() > o.inputs())
}

fn static_gas(op: u8) -> u64 {
    static TABLE: OnceLock<[u16; 256]> = OnceLock::new();
    TABLE.get_or_init(|| revm::interpreter::instructions::gas_table_spec(SpecId::OSAKA))
        [op as usize] as u64
}

/// Top `i` of a bottom-first stack.
fn top(stack: &[U256], i: usize) -> U256 {
    stack[stack.len() - 1 - i]
}

fn u64_of(x: U256) -> u64 {
    x.to::<u64>()
}

/// One proven step.
#[derive(Debug, Clone)]
struct Step {
    pre: B256,
    witness: Vec<u8>,
    post: B256,
    op: u8,
    /// The step ends the frame.
    halts: bool,
}

fn part(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The witness of the opcode step from `snap`; `last`: revm ended the frame at it.
fn witness(w: &World, snap: &Snap, state: &StepState, mem: &Memory, last: bool) -> Vec<u8> {
    let op = snap.op;
    let fetch = w.code.prove_fetch(snap.pc).unwrap();
    let fetch = [fetch.chunks.concat(), fetch.proof].concat();
    let len = snap.stack.len();
    let k = inputs(op).min(len);
    let stack_part = if k == 0 {
        Vec::new()
    } else {
        let mut b = Vec::new();
        for i in 0..k {
            b.extend_from_slice(&top(&snap.stack, i).to_be_bytes::<32>());
        }
        b.extend_from_slice(stack::push_all(B256::ZERO, &snap.stack[..len - k]).as_slice());
        b
    };
    let checks_pass =
        snap.gas >= static_gas(op) && len >= inputs(op) && !(grows(op) && len >= stack::MAX_STACK);
    let jump_taken =
        (op == 0x56 && len >= 1) || (op == 0x57 && len >= 2 && top(&snap.stack, 1) != U256::ZERO);
    let op_part = if last {
        if checks_pass && jump_taken {
            w.jump_witness(top(&snap.stack, 0))
        } else {
            Vec::new()
        }
    } else {
        match op {
            0x51..=0x53 => {
                let size = if op == 0x53 { 1 } else { 32 };
                let o = mem.prove_range(u64_of(top(&snap.stack, 0)), size).unwrap();
                let words: Vec<u8> = o.words.iter().flat_map(|(_, v)| v.to_vec()).collect();
                [words, o.proof].concat()
            }
            0x35 => {
                let i = top(&snap.stack, 0);
                let n = w.frame.calldata.length as u64;
                let mut b = w.ctx_frame();
                if i < U256::from(n) {
                    let i = u64_of(i);
                    let o = w.calldata.prove_range(i, (n - i).min(32)).unwrap();
                    for (_, v) in &o.words {
                        b.extend_from_slice(v.as_slice());
                    }
                    b.extend_from_slice(&o.proof);
                }
                b
            }
            0x30 | 0x33 | 0x34 | 0x36 | 0x38 => w.ctx_frame(),
            0x32 | 0x3a => w.ctx_tx(),
            0x41..=0x45 | 0x48 => w.ctx_block(),
            0x56 | 0x57 if jump_taken => w.jump_witness(top(&snap.stack, 0)),
            _ => Vec::new(),
        }
    };
    let halt_part = if last { w.halt_part() } else { Vec::new() };
    let mut out = vec![0u8];
    out.extend_from_slice(&state.preimage());
    part(&mut out, &fetch);
    part(&mut out, &stack_part);
    part(&mut out, &op_part);
    part(&mut out, &halt_part);
    out
}

fn halted_micro(status: u8) -> B256 {
    keccak256([0x1c, status])
}

/// The halted state (spec §16.2) after the frame's last opcode `snap`.
fn halted(w: &World, t: &Trace, snap: &Snap, mem: &Memory) -> B256 {
    let status = if t.result.is_ok() {
        1
    } else if t.result.is_revert() {
        2
    } else {
        3
    };
    let view = if status != 3 && matches!(snap.op, 0xf3 | 0xfd) && top(&snap.stack, 1) != U256::ZERO
    {
        DataView {
            root: mem.root(),
            offset: u64_of(top(&snap.stack, 0)) as u32,
            length: u64_of(top(&snap.stack, 1)) as u32,
        }
    } else {
        DataView::default()
    };
    let mut ctx = w.ctx;
    if status != 1 {
        ctx.world_root = w.snapshot.world_root;
        ctx.substate_root = w.snapshot.substate_root;
        ctx.logs = w.snapshot.logs;
        ctx.refund = w.snapshot.refund;
    }
    ctx.return_data = view;
    StepState {
        machine: Machine {
            pc: 0,
            gas: t.gas_left,
            stack_len: 0,
            memory_size: 0,
            cursor: 0,
        },
        stack_head: B256::ZERO,
        memory_root: B256::ZERO,
        code_root: B256::ZERO,
        micro: halted_micro(status),
        context: ctx.hash(),
    }
    .hash()
}

/// Runs `p` in revm and proves every step.
fn prove(p: &Program) -> Vec<Step> {
    let w = World::new(p);
    let t = execute(p);
    let states: Vec<(StepState, Memory)> = t.snaps.iter().map(|s| w.running(s)).collect();
    let n = t.snaps.len();
    (0..n)
        .map(|i| {
            let snap = &t.snaps[i];
            let (state, mem) = &states[i];
            let last = i + 1 == n;
            let post = if last {
                halted(&w, &t, snap, mem)
            } else {
                states[i + 1].0.hash()
            };
            Step {
                pre: state.hash(),
                witness: witness(&w, snap, state, mem, last),
                post,
                op: snap.op,
                halts: last,
            }
        })
        .collect()
}

////////////////////////////////////////////////////////////////
//                     The deployed verifier                  //
////////////////////////////////////////////////////////////////

const ERRORS: &[&str] = &[
    "Truncated()",
    "TrailingBytes()",
    "ZeroSibling()",
    "BitmapPadding()",
    "TooManySiblingRequests()",
    "NoLeaves()",
    "LeafIndexOutOfRange()",
    "LeavesNotAscending()",
    "DepthOutOfRange()",
    "RootMismatch()",
    "ChunkCountMismatch()",
    "StackUnderflow()",
    "ReservedBytes()",
    "RecordMismatch()",
    "UnexpectedPart()",
    "UnsupportedOpcode(uint8)",
    "UnsupportedStep(bytes32)",
    "UnknownWitnessKind(uint8)",
    "UnknownBoundaryKind(uint8)",
    "StutterAtTransitionStart()",
    "BadSubVerifier(address)",
];

/// The error's name, with a `uint8` argument appended (`UnsupportedOpcode(0x20)`).
fn error_name(data: &[u8]) -> String {
    static NAMES: OnceLock<HashMap<[u8; 4], &'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        ERRORS
            .iter()
            .map(|s| {
                let h = keccak256(s.as_bytes());
                ([h[0], h[1], h[2], h[3]], *s)
            })
            .collect()
    });
    if data.len() < 4 {
        return gavel_chain::decode_revert(data);
    }
    let Some(sig) = names.get(&[data[0], data[1], data[2], data[3]]) else {
        return gavel_chain::decode_revert(data);
    };
    let name = &sig[..sig.find('(').unwrap()];
    match *sig {
        "UnsupportedOpcode(uint8)" | "UnknownWitnessKind(uint8)" | "UnknownBoundaryKind(uint8)" => {
            format!("{name}(0x{:02x})", data[35])
        }
        "UnsupportedStep(bytes32)" => {
            let text: Vec<u8> = data[4..36]
                .iter()
                .copied()
                .take_while(|&b| b != 0)
                .collect();
            format!("{name}({})", String::from_utf8_lossy(&text))
        }
        _ => name.to_owned(),
    }
}

struct Env {
    l1: InProcessL1,
    from: Address,
    verifier: Address,
    opcode: Address,
    probe: Address,
}

impl Env {
    fn new() -> Self {
        let l1 = InProcessL1::with_accounts(1);
        let from = dev_address(0);
        let deploy = |code: Vec<u8>| {
            l1.send_now(TxRequest::create(from, Bytes::from(code)))
                .expect("deploy")
                .contract_address
                .expect("a creation has an address")
        };
        let storage = deploy(StorageStepVerifier::BYTECODE.to_vec());
        let opcode = deploy(
            [
                OpcodeStepVerifier::BYTECODE.to_vec(),
                (U256::from(CHAIN_ID), storage).abi_encode_params(),
            ]
            .concat(),
        );
        let args = (
            U256::from(B),
            opcode,
            Address::ZERO,
            Address::ZERO,
            Address::ZERO,
            Address::ZERO,
        )
            .abi_encode_params();
        let verifier = deploy([EvmStepVerifier::BYTECODE.to_vec(), args].concat());
        let probe = deploy(StepGasProbe::BYTECODE.to_vec());
        Self {
            l1,
            from,
            verifier,
            opcode,
            probe,
        }
    }

    fn call<C: SolCall>(&self, to: Address, c: C) -> Result<C::Return, String> {
        match self.l1.call_now(self.from, to, c.abi_encode().into()) {
            Ok(out) => Ok(C::abi_decode_returns(&out).expect("decode return")),
            Err(ChainError::Reverted { data }) => Err(error_name(&data)),
            Err(e) => panic!("call {} failed: {e}", C::SIGNATURE),
        }
    }

    fn step(&self, pre: B256, trace_index: u64, witness: &[u8]) -> Result<B256, String> {
        self.call(
            self.verifier,
            EvmStepVerifier::stepCall {
                _preState: pre,
                _traceIndex: U256::from(trace_index),
                _witness: witness.to_vec().into(),
            },
        )
    }

    /// Verifies every step of `p` and returns them.
    fn check(&self, p: &Program) -> Vec<Step> {
        let steps = prove(p);
        for (i, s) in steps.iter().enumerate() {
            let got = self.step(s.pre, (5 << B) + i as u64 + 1, &s.witness);
            assert_eq!(
                got,
                Ok(s.post),
                "step {i} ({}) at code {}",
                OpCode::name_by_op(s.op),
                alloy::hex::encode(&p.code)
            );
        }
        steps
    }

    /// Gas of one step through `verifier` (the dispatcher or the opcode verifier directly).
    fn gas(&self, verifier: Address, s: &Step) -> u64 {
        let r = self
            .call(
                self.probe,
                StepGasProbe::measureCall {
                    _verifier: verifier,
                    _pre: s.pre,
                    _traceIndex: U256::from(1u64 << B | 1),
                    _witness: s.witness.clone().into(),
                },
            )
            .expect("measure");
        assert_eq!(r.post_, s.post);
        r.gasUsed_.to::<u64>()
    }
}

fn env() -> &'static Env {
    // One deployment per test thread: the in-process L1 is cheap, and threads never share it.
    thread_local! {
        static E: &'static Env = Box::leak(Box::new(Env::new()));
    }
    E.with(|e| *e)
}

////////////////////////////////////////////////////////////////
//                        Assembler                           //
////////////////////////////////////////////////////////////////

#[derive(Default, Clone)]
struct Asm(Vec<u8>);

impl Asm {
    fn op(&mut self, ops: &[u8]) -> &mut Self {
        self.0.extend_from_slice(ops);
        self
    }
    /// PUSHn with the fewest bytes (PUSH1 for 0).
    fn push(&mut self, v: U256) -> &mut Self {
        let n = (v.bit_len().div_ceil(8)).max(1);
        self.pushn(n, v)
    }
    fn p(&mut self, v: u64) -> &mut Self {
        self.push(U256::from(v))
    }
    fn pushn(&mut self, n: usize, v: U256) -> &mut Self {
        self.0.push(0x5f + n as u8);
        self.0.extend_from_slice(&v.to_be_bytes::<32>()[32 - n..]);
        self
    }
    fn pc(&self) -> usize {
        self.0.len()
    }
    fn code(&self) -> Vec<u8> {
        self.0.clone()
    }
}

fn neg(x: u64) -> U256 {
    U256::ZERO.wrapping_sub(U256::from(x))
}

/// `a op b` (`a` on top) for every pure opcode, with a POP after each result.
fn alu_program() -> Program {
    let big = U256::MAX >> 1;
    let cases: Vec<(u8, Vec<U256>)> = vec![
        (0x01, vec![U256::MAX, U256::from(2)]),
        (0x02, vec![big, U256::from(3)]),
        (0x03, vec![U256::from(1), U256::from(2)]),
        (0x04, vec![U256::from(100), U256::from(7)]),
        (0x04, vec![U256::from(100), U256::ZERO]),
        (0x05, vec![neg(100), U256::from(7)]),
        (0x05, vec![U256::from(1) << 255, neg(1)]),
        (0x06, vec![U256::from(100), U256::from(7)]),
        (0x07, vec![neg(100), U256::from(7)]),
        (0x08, vec![U256::MAX, U256::from(5), U256::from(7)]),
        (0x09, vec![U256::MAX, U256::MAX, U256::from(12345)]),
        (0x0a, vec![U256::from(3), U256::ZERO]),
        (0x0a, vec![U256::from(3), U256::from(200)]),
        (0x0a, vec![U256::from(7), U256::MAX]),
        (0x0b, vec![U256::ZERO, U256::from(0x80)]),
        (0x0b, vec![U256::from(40), U256::from(0x80)]),
        (0x10, vec![U256::from(1), U256::from(2)]),
        (0x11, vec![U256::from(1), U256::from(2)]),
        (0x12, vec![neg(1), U256::from(2)]),
        (0x13, vec![neg(1), U256::from(2)]),
        (0x14, vec![U256::from(9), U256::from(9)]),
        (0x15, vec![U256::ZERO]),
        (0x16, vec![U256::from(0xf0f0), U256::from(0xff00)]),
        (0x17, vec![U256::from(0xf0f0), U256::from(0xff00)]),
        (0x18, vec![U256::from(0xf0f0), U256::from(0xff00)]),
        (0x19, vec![U256::from(0xf0f0)]),
        (0x1a, vec![U256::from(31), U256::from(0xabcd)]),
        (0x1a, vec![U256::from(32), U256::from(0xabcd)]),
        (0x1b, vec![U256::from(4), U256::from(0xabcd)]),
        (0x1c, vec![U256::from(4), U256::from(0xabcd)]),
        (0x1d, vec![U256::from(4), neg(0xabcd)]),
        (0x1d, vec![U256::from(300), neg(1)]),
        (0x1e, vec![U256::ZERO]),
        (0x1e, vec![U256::from(1)]),
        (0x1e, vec![U256::from(1) << 200]),
    ];
    let mut a = Asm::default();
    for (op, args) in cases {
        for x in args.iter().rev() {
            a.push(*x);
        }
        a.op(&[op, 0x50]);
    }
    a.op(&[0x00]);
    Program::new(a.code())
}

/// PUSH0..PUSH32, DUP1..16, SWAP1..16, POP.
fn stack_program() -> Program {
    let mut a = Asm::default();
    a.op(&[0x5f]);
    for n in 1..=32usize {
        let v = (U256::from(0x0102030405u64) << 200) | U256::from(n);
        a.pushn(n, v & (U256::MAX >> (256 - 8 * n)));
    }
    for n in 0..16u8 {
        a.op(&[0x80 + n]);
    }
    for n in 0..16u8 {
        a.op(&[0x90 + n]);
    }
    for _ in 0..10 {
        a.op(&[0x50]);
    }
    Program::new(a.code())
}

/// PC, GAS, MSIZE, JUMPDEST, JUMP, JUMPI taken and not taken; ends by running off the code.
fn control_program() -> Program {
    let mut a = Asm::default();
    a.op(&[0x58, 0x5a, 0x59, 0x5b, 0x50, 0x50, 0x50]);
    // JUMP over an INVALID to a JUMPDEST.
    let target = a.pc() + 4;
    a.p(target as u64).op(&[0x56, 0xfe, 0x5b]);
    // JUMPI not taken (cond 0), then taken.
    a.p(0).p(0xfe).op(&[0x57]);
    let target = a.pc() + 2 + 2 + 1 + 1;
    a.p(1).p(target as u64).op(&[0x57, 0xfe, 0x5b]);
    a.p(7);
    Program::new(a.code())
}

/// Aligned and unaligned MSTORE/MLOAD, MSTORE8, MSIZE, RETURN with expansion.
fn memory_program() -> Program {
    let mut a = Asm::default();
    let v = U256::from_be_bytes(keccak256(b"word").0);
    a.push(v).p(0).op(&[0x52]);
    a.push(v).p(45).op(&[0x52]);
    a.p(0xab).p(33).op(&[0x53]);
    a.p(0xcd).p(100).op(&[0x53]);
    a.p(0).op(&[0x51, 0x50]);
    a.p(7).op(&[0x51, 0x50]);
    a.p(200).op(&[0x51, 0x50]);
    a.op(&[0x59, 0x50]);
    a.p(64).p(300).op(&[0xf3]);
    Program::new(a.code())
}

fn calldata() -> Vec<u8> {
    (0..70u8)
        .map(|i| i.wrapping_mul(37).wrapping_add(1))
        .collect()
}

/// Every environment opcode, CALLDATALOAD inside, straddling and past the end.
fn env_program() -> Program {
    let mut a = Asm::default();
    for op in [
        0x30u8, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x48, 0x4a,
    ] {
        a.op(&[op, 0x50]);
    }
    a.p(0).op(&[0x49, 0x50]);
    a.p(3).op(&[0x49, 0x50]);
    for i in [0u64, 1, 32, 38, 60, 69, 70, 1000] {
        a.p(i).op(&[0x35, 0x50]);
    }
    a.push(U256::MAX).op(&[0x35, 0x50]);
    a.op(&[0x00]);
    Program::new(a.code()).calldata(&calldata()).value(12_345)
}

/// PUSH32 on a chunk's last byte (spans three chunks), a PUSH crossing a chunk boundary, and
/// PUSH data cut off by the end of code.
fn push_span_program() -> Program {
    let mut a = Asm::default();
    while a.pc() < 20 {
        a.op(&[0x5b]);
    }
    a.pushn(16, U256::from(0x1122334455667788u64) << 64);
    while a.pc() < 30 {
        a.op(&[0x5b]);
    }
    a.pushn(32, U256::MAX - U256::from(12345));
    a.op(&[0x50, 0x50]);
    while a.pc() < 92 {
        a.op(&[0x5b]);
    }
    // PUSH4 with only one data byte before the end of code.
    a.op(&[0x63, 0x01]);
    Program::new(a.code())
}

fn revert_program() -> Program {
    let mut a = Asm::default();
    a.push(U256::MAX).p(0).op(&[0x52]);
    a.p(100).p(10).op(&[0xfd]);
    Program::new(a.code())
}

////////////////////////////////////////////////////////////////
//                            Tests                           //
////////////////////////////////////////////////////////////////

fn covered_programs() -> Vec<Program> {
    let mut out = vec![
        alu_program(),
        stack_program(),
        control_program(),
        memory_program(),
        env_program(),
        push_span_program(),
        revert_program(),
    ];
    // RETURN with an empty output at a huge offset, and STOP.
    let mut a = Asm::default();
    a.p(0).push(U256::MAX).op(&[0xf3]);
    out.push(Program::new(a.code()));
    out.push(Program::new(vec![0xfe]));
    out
}

#[test]
fn every_opcode_matches_revm() {
    let env = env();
    let mut seen = BTreeSet::new();
    for p in covered_programs() {
        for s in env.check(&p) {
            seen.insert(s.op);
        }
    }
    for p in halt_programs() {
        for s in env.check(&p) {
            seen.insert(s.op);
        }
    }
    let missing: Vec<String> = (0..=255u8)
        .filter(|&op| supported(op) && !seen.contains(&op))
        .map(|op| format!("0x{op:02x}"))
        .collect();
    assert!(missing.is_empty(), "opcodes never proven: {missing:?}");
}

/// Programs ending in every kind of exceptional halt, and every undefined byte.
fn halt_programs() -> Vec<Program> {
    let mut out = Vec::new();
    // Every undefined byte at Osaka.
    for op in 0..=255u8 {
        if !defined_at_osaka(op) {
            out.push(Program::new(vec![0x5f, op]));
        }
    }
    // Out of gas on static gas: a JUMPDEST loop.
    out.push(Program::new(vec![0x5b, 0x5f, 0x56]).gas(21_000 + 100));
    // Out of gas on EXP's dynamic gas and on memory expansion (MLOAD, MSTORE, MSTORE8,
    // RETURN, REVERT), and offsets beyond 2^64.
    let mut a = Asm::default();
    a.push(U256::MAX).p(2).op(&[0x0a]);
    out.push(Program::new(a.code()).gas(21_000 + 1_000));
    for op in [0x51u8, 0x52, 0x53] {
        let mut a = Asm::default();
        a.p(1).p(1 << 20).op(&[op]);
        out.push(Program::new(a.code()));
        let mut a = Asm::default();
        a.p(1).push(U256::from(1) << 64).op(&[op]);
        out.push(Program::new(a.code()));
    }
    for op in [0xf3u8, 0xfd] {
        let mut a = Asm::default();
        a.p(1 << 20).p(0).op(&[op]);
        out.push(Program::new(a.code()));
        let mut a = Asm::default();
        a.push(U256::from(1) << 64).p(0).op(&[op]);
        out.push(Program::new(a.code()));
        let mut a = Asm::default();
        a.p(32).push(U256::from(1) << 64).op(&[op]);
        out.push(Program::new(a.code()));
    }
    // Stack underflow: ADD on one item, SWAP16 on 16, DUP16 on 15, JUMP on none.
    out.push(Program::new(vec![0x5f, 0x01]));
    out.push(Program::new([vec![0x5f; 16], vec![0x9f]].concat()));
    out.push(Program::new([vec![0x5f; 15], vec![0x8f]].concat()));
    out.push(Program::new(vec![0x56]));
    // Stack overflow: the 1025th push, and DUP1 at 1024.
    out.push(Program::new(vec![0x5f; 1025]).gas(1_000_000));
    out.push(Program::new([vec![0x5f; 1024], vec![0x80]].concat()).gas(1_000_000));
    // Invalid jumps: not a JUMPDEST, into PUSH data, JUMPI taken, past the code tree.
    out.push(Program::new(vec![0x60, 0x03, 0x56, 0x00]));
    out.push(Program::new(vec![0x60, 0x04, 0x56, 0x61, 0x5b, 0x5b]));
    out.push(Program::new(vec![0x60, 0x01, 0x60, 0x05, 0x57, 0x00]));
    let mut a = Asm::default();
    a.push(U256::from(1) << 200).op(&[0x56]);
    out.push(Program::new(a.code()));
    let mut a = Asm::default();
    a.p(63_488).op(&[0x56]);
    out.push(Program::new(a.code()));
    out
}

#[test]
fn exceptional_halts_match_revm() {
    let env = env();
    for p in halt_programs() {
        let steps = env.check(&p);
        let last = steps.last().unwrap();
        assert!(last.halts);
    }
}

#[test]
fn unsupported_opcodes_revert() {
    let env = env();
    for &op in UNSUPPORTED {
        let p = Program::new(vec![0x5f, 0x5f, 0x5f, op]);
        let w = World::new(&p);
        let snap = Snap {
            pc: 3,
            op,
            gas: 100_000,
            stack: vec![U256::ZERO; 3],
            memory: Vec::new(),
        };
        let (state, mem) = w.running(&snap);
        for last in [false, true] {
            let wit = witness(&w, &snap, &state, &mem, last);
            assert_eq!(
                env.step(state.hash(), 1, &wit),
                Err(format!("UnsupportedOpcode(0x{op:02x})")),
                "{}",
                OpCode::name_by_op(op)
            );
        }
    }
}

#[test]
fn dispatcher_routes_and_stutters() {
    let env = env();
    let boundary = World::new(&Program::new(vec![0x00])).boundary;
    let pre = boundary.hash();
    let stutter = [vec![0x01, 0x00], boundary.preimage()].concat();
    assert_eq!(env.step(pre, (7 << B) + 3, &stutter), Ok(pre));
    assert_eq!(
        env.step(pre, 7 << B, &stutter),
        Err("StutterAtTransitionStart".into())
    );
    assert_eq!(
        env.step(B256::repeat_byte(1), 3, &stutter),
        Err("RecordMismatch".into())
    );
    assert_eq!(
        env.step(pre, 3, &[stutter.clone(), vec![0]].concat()),
        Err("TrailingBytes".into())
    );
    assert_eq!(env.step(pre, 3, &[]), Err("Truncated".into()));
    assert_eq!(
        env.step(pre, 3, &[0x02]),
        Err("UnknownWitnessKind(0x02)".into())
    );
    let mut k5 = stutter.clone();
    k5[1] = 5;
    assert_eq!(
        env.step(pre, 3, &k5),
        Err("UnknownBoundaryKind(0x05)".into())
    );
    // The colleague's sub-verifiers are not deployed here: the route is still visible.
    let mut k2 = stutter.clone();
    k2[1] = 2;
    assert_eq!(env.step(pre, 0, &k2), Err("BadSubVerifier".into()));
    let step = &prove(&Program::new(vec![0x00]))[0];
    let mut halted = step.witness.clone();
    halted[129..161].copy_from_slice(halted_micro(1).as_slice());
    assert_eq!(env.step(step.pre, 1, &halted), Err("BadSubVerifier".into()));
    assert_eq!(
        env.call(
            env.verifier,
            EvmStepVerifier::absolutePrestateCall {
                _0: B256::ZERO,
                _1: B256::ZERO
            }
        ),
        // Forwarded to the block-step verifier (spec §17.7), not deployed here.
        Err("BadSubVerifier".into())
    );
    // The opcode verifier refuses non-running states by itself.
    assert_eq!(
        env.call(
            env.opcode,
            OpcodeStepVerifier::stepCall {
                _pre: step.pre,
                _1: U256::ZERO,
                _w: halted.into()
            }
        ),
        Err("RecordMismatch".into())
    );
}

#[test]
fn witness_parts_are_exact() {
    let env = env();
    let steps = prove(&memory_program());
    let s = &steps[2]; // MSTORE aligned
    // An extra byte at the end.
    let mut w = s.witness.clone();
    w.push(0);
    assert_eq!(env.step(s.pre, 1, &w), Err("TrailingBytes".into()));
    // Truncated in the last part's length.
    let w = &s.witness[..s.witness.len() - 2];
    assert_eq!(env.step(s.pre, 1, w), Err("Truncated".into()));
    // A halt part on a running step.
    let mut w = s.witness[..s.witness.len() - 4].to_vec();
    part(&mut w, &[1, 2, 3]);
    assert_eq!(env.step(s.pre, 1, &w), Err("UnexpectedPart".into()));
}

/// Flipping any bit of a witness never yields another accepted post-state.
#[test]
fn mutated_witnesses_never_prove_another_post() {
    let env = env();
    let mut picks: Vec<Step> = Vec::new();
    let mem = prove(&memory_program());
    picks.extend([
        mem[2].clone(),
        mem[5].clone(),
        mem[8].clone(),
        mem[mem.len() - 1].clone(),
    ]);
    let envs = prove(&env_program());
    picks.extend(
        envs.iter()
            .filter(|s| matches!(s.op, 0x35 | 0x30 | 0x32 | 0x42))
            .take(6)
            .cloned(),
    );
    let span = prove(&push_span_program());
    picks.extend(span.iter().filter(|s| s.op == 0x7f).cloned());
    let ctl = prove(&control_program());
    picks.extend(ctl.iter().filter(|s| matches!(s.op, 0x56 | 0x57)).cloned());
    picks.extend(prove(&Program::new(vec![
        0x60, 0x04, 0x56, 0x61, 0x5b, 0x5b,
    ])));
    picks.push(prove(&alu_program())[4].clone());
    let mut tried = 0usize;
    for s in &picks {
        for i in 0..s.witness.len() {
            for mask in [0x01u8, 0x80] {
                let mut w = s.witness.clone();
                w[i] ^= mask;
                tried += 1;
                match env.step(s.pre, 1, &w) {
                    Err(_) => {}
                    Ok(post) => assert_eq!(
                        post,
                        s.post,
                        "byte {i} ^ {mask:#x} of a {} witness proves another post",
                        OpCode::name_by_op(s.op)
                    ),
                }
            }
        }
    }
    println!("{tried} mutations over {} witnesses", picks.len());
}

////////////////////////////////////////////////////////////////
//                 Random straight-line programs              //
////////////////////////////////////////////////////////////////

fn insn() -> impl Strategy<Value = Vec<u8>> {
    let word = any::<[u8; 32]>().prop_map(U256::from_be_bytes);
    let small = 0u64..300;
    let pure_ops = prop::sample::select(
        [
            0x01u8, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12,
            0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e,
        ]
        .to_vec(),
    );
    let env_ops = prop::sample::select(
        [
            0x30u8, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x48,
            0x4a, 0x58, 0x59, 0x5a, 0x5b, 0x5f,
        ]
        .to_vec(),
    );
    prop_oneof![
        3 => (1usize..=32, word.clone()).prop_map(|(n, v)| {
            let mut a = Asm::default();
            a.pushn(n, v & (U256::MAX >> (256 - 8 * n)));
            a.code()
        }),
        4 => (pure_ops, word.clone(), word.clone(), small.clone()).prop_map(|(op, x, y, z)| {
            let mut a = Asm::default();
            // Small first operands keep shifts, BYTE, SIGNEXTEND and EXP interesting.
            a.push(y).push(if z % 2 == 0 { U256::from(z % 40) } else { x }).op(&[op]);
            a.code()
        }),
        2 => (0u8..16).prop_map(|n| vec![0x80 + n]),
        2 => (0u8..16).prop_map(|n| vec![0x90 + n]),
        1 => Just(vec![0x50]),
        2 => env_ops.prop_map(|op| vec![op]),
        2 => (prop::sample::select(vec![0x51u8, 0x52, 0x53]), small.clone(), word.clone()).prop_map(|(op, off, v)| {
            let mut a = Asm::default();
            a.push(v).p(off).op(&[op]);
            a.code()
        }),
        1 => small.clone().prop_map(|i| {
            let mut a = Asm::default();
            a.p(i % 90).op(&[0x35]);
            a.code()
        }),
        1 => (0u64..100).prop_map(|x| {
            let mut a = Asm::default();
            a.p(x % 2).p(x).op(&[0x49]);
            a.code()
        }),
    ]
}

fn ending() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(vec![]),
        Just(vec![0x00]),
        Just(vec![0xfe]),
        (0u64..200, 0u64..100, prop::bool::ANY).prop_map(|(off, len, ret)| {
            let mut a = Asm::default();
            a.p(len).p(off).op(&[if ret { 0xf3 } else { 0xfd }]);
            a.code()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn random_programs_match_revm(
        prefix in prop::collection::vec(any::<[u8; 32]>(), 0..18),
        body in prop::collection::vec(insn(), 1..40),
        end in ending(),
        gas in prop_oneof![3 => Just(300_000u64), 1 => 23_800u64..26_000],
    ) {
        let mut a = Asm::default();
        for w in &prefix {
            a.push(U256::from_be_bytes(*w));
        }
        for b in &body {
            a.op(b);
        }
        a.op(&end);
        let p = Program::new(a.code()).calldata(&calldata()).value(77).gas(gas);
        env().check(&p);
    }
}

////////////////////////////////////////////////////////////////
//                          Gas table                         //
////////////////////////////////////////////////////////////////

fn class(s: &Step) -> &'static str {
    if s.halts {
        return match s.op {
            0x00 => "halt: STOP",
            0xf3 | 0xfd => "halt: RETURN/REVERT",
            0x56 | 0x57 => "halt: invalid jump",
            _ => "halt: exceptional",
        };
    }
    match s.op {
        0x0a => "EXP",
        0x01..=0x0b => "arithmetic",
        0x10..=0x1e => "compare/bitwise/CLZ",
        0x5f..=0x7f => "PUSH0-32",
        0x80..=0x8f => "DUP1-16",
        0x90..=0x9f => "SWAP1-16",
        0x50 | 0x58 | 0x59 | 0x5a | 0x5b => "POP/PC/MSIZE/GAS/JUMPDEST",
        0x56 | 0x57 => "JUMP/JUMPI",
        0x51 => "MLOAD",
        0x52 => "MSTORE",
        0x53 => "MSTORE8",
        0x35 => "CALLDATALOAD",
        0x30 | 0x33 | 0x34 | 0x36 | 0x38 => "frame env (Context+Frame)",
        0x32 | 0x3a => "ORIGIN/GASPRICE (Context+TxEnv)",
        0x41..=0x45 | 0x48 => "block env (4 records)",
        0x46 | 0x49 | 0x4a => "CHAINID/BLOBHASH/BLOBBASEFEE",
        _ => "other",
    }
}

fn floor(w: &[u8]) -> u64 {
    w.iter().map(|&b| if b == 0 { 10 } else { 40 }).sum()
}

#[test]
fn gas_table() {
    let env = env();
    let mut rows: BTreeMap<&'static str, Vec<(u64, usize, u64)>> = BTreeMap::new();
    let mut programs = covered_programs();
    programs.extend(halt_programs().into_iter().filter(|p| p.code.len() < 100));
    let mut hop = Vec::new();
    for p in &programs {
        for s in prove(p) {
            let g = env.gas(env.verifier, &s);
            hop.push(g - env.gas(env.opcode, &s));
            rows.entry(class(&s))
                .or_default()
                .push((g, s.witness.len(), floor(&s.witness)));
        }
    }
    let med = |mut v: Vec<u64>| {
        v.sort_unstable();
        (v[v.len() / 2], *v.last().unwrap())
    };
    let (h, hm) = med(hop);
    println!(
        "dispatcher hop (EvmStepVerifier -> OpcodeStepVerifier, cold call incl.): {h}/{hm} gas"
    );
    println!("exec gas = the step call as seen by its caller, incl. both cold account accesses");
    println!(
        "{:<34} {:>5} {:>15} {:>15} {:>17}",
        "class", "steps", "exec gas med/max", "witness B med/max", "floor gas med/max"
    );
    for (k, v) in rows {
        let (g, gm) = med(v.iter().map(|r| r.0).collect());
        let (b, bm) = med(v.iter().map(|r| r.1 as u64).collect());
        let (f, fm) = med(v.iter().map(|r| r.2).collect());
        println!(
            "{k:<34} {:>5} {:>7}/{:<7} {:>7}/{:<7} {:>8}/{:<8}",
            v.len(),
            g,
            gm,
            b,
            bm,
            f,
            fm
        );
    }
}
