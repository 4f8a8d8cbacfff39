//! `records.json`: every record's fields, preimage and hash.

use alloy_primitives::{Address, B256, U256};
use gavel_commit::memory::DataView;
use gavel_commit::record::{
    BlockEnv, Boundary, ChainConfig, Context, FRAME_STATIC, Frame, Machine, PHASE_IN_BLOCK,
    Snapshot, StepState, TxEnv, log_link, receipt_link,
};
use serde_json::{Value, json};

use crate::util::{hx, rnd};

pub fn vectors() -> Value {
    let config = ChainConfig::osaka(0x6761_7665);
    let block = BlockEnv {
        number: 1234,
        timestamp: 1_800_000_000,
        gas_limit: 30_000_000,
        coinbase: Address::repeat_byte(0xc0),
        base_fee: U256::from(7),
        prev_randao: rnd("randao", 0),
        chain_config: config.hash(),
    };
    let boundary = Boundary {
        world_root: rnd("world", 0),
        batch: rnd("batch", 0),
        block_env: block.hash(),
        block_index: 2,
        tx_index: 5,
        phase: PHASE_IN_BLOCK,
        block_gas_used: 123_456,
        receipts: rnd("receipts", 0),
        last_block_hash: rnd("parent", 0),
    };
    let tx = TxEnv {
        origin: Address::repeat_byte(0x0a),
        gas_price: U256::from(1_000_000_007u64),
        gas_limit: 1 << 23,
        tx_hash: rnd("tx", 0),
        boundary: boundary.hash(),
    };
    let snapshot = Snapshot {
        world_root: rnd("world", 0),
        substate_root: rnd("substate", 0),
        logs: B256::ZERO,
        refund: 4800,
    };
    let frame = Frame {
        address: Address::repeat_byte(0x0c),
        caller: Address::repeat_byte(0x0a),
        value: U256::from(10).pow(U256::from(18)),
        calldata: DataView {
            root: rnd("calldata", 0),
            offset: 0,
            length: 68,
        },
        code_size: 24576,
        ret_offset: 64,
        ret_length: 32,
        depth: 1,
        flags: FRAME_STATIC,
        parent: rnd("parent-step", 0),
        snapshot: snapshot.hash(),
    };
    let context = Context {
        world_root: rnd("world", 1),
        substate_root: rnd("substate", 1),
        logs: rnd("logs", 0),
        return_data: DataView {
            root: rnd("ret", 0),
            offset: 32,
            length: 96,
        },
        refund: -2800,
        frame: frame.hash(),
        tx: tx.hash(),
    };
    let machine = Machine {
        pc: 1337,
        gas: 8_000_000,
        stack_len: 17,
        memory_size: 4096,
        cursor: 0,
    };
    let step = StepState {
        machine,
        stack_head: rnd("stack", 0),
        memory_root: rnd("memory", 0),
        code_root: rnd("code", 0),
        micro: B256::ZERO,
        context: context.hash(),
    };
    let log = log_link(
        &B256::ZERO,
        &Address::repeat_byte(0x0c),
        &[rnd("topic", 0), rnd("topic", 1)],
        &DataView {
            root: rnd("memory", 0),
            offset: 128,
            length: 64,
        },
    )
    .unwrap();
    json!({
        "chain_config": {
            "fields": config, "fork_hash": hx(gavel_commit::hash::keccak256(config.fork.as_bytes())),
            "hash": hx(config.hash()),
        },
        "block_env": { "fields": block, "hash": hx(block.hash()) },
        "boundary": { "fields": boundary, "packed": hx(boundary.packed()), "preimage": hx(boundary.preimage()), "hash": hx(boundary.hash()) },
        "tx_env": { "fields": tx, "hash": hx(tx.hash()) },
        "snapshot": { "fields": snapshot, "hash": hx(snapshot.hash()) },
        "frame": { "fields": frame, "packed": hx(frame.packed()), "preimage": hx(frame.preimage()), "hash": hx(frame.hash()) },
        "context": { "fields": context, "packed": hx(context.packed()), "preimage": hx(context.preimage()), "hash": hx(context.hash()) },
        "machine": { "fields": machine, "word": hx(machine.word()) },
        "step": { "fields": step, "preimage": hx(step.preimage()), "hash": hx(step.hash()) },
        "empty_step": { "hash": hx(StepState::default().hash()) },
        "log_link": {
            "prev": hx(B256::ZERO), "address": Address::repeat_byte(0x0c).to_string(),
            "topics": [hx(rnd("topic", 0)), hx(rnd("topic", 1))],
            "data": { "root": hx(rnd("memory", 0)), "offset": 128, "length": 64 },
            "hash": hx(log),
        },
        "receipt_link": {
            "prev": hx(B256::ZERO), "success": true, "cumulative_gas": 21000, "logs": hx(log),
            "hash": hx(receipt_link(&B256::ZERO, true, 21000, &log)),
        },
    })
}
