//! The executor on the scenarios: numbering, boundaries, commitments at trace indices,
//! checkpoints, replays, and the EVM results themselves.

mod common;

use alloy_primitives::{Address, U256};
use common::*;
use gavel_commit::record::{PHASE_BETWEEN_BLOCKS, PHASE_IN_BLOCK};
use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
use gavel_trace::executor::{Outcome, TxOutcome};
use gavel_trace::trace::{self, StepKind, tx_step_kind};
use gavel_trace::{
    ExecError, ExecOptions, Executor, Layout, SnapshotPolicy, TraceError, TransitionKind,
};

fn run_with(
    s: &Scenario,
    layout: Layout,
    snapshots: SnapshotPolicy,
) -> Result<Executor, ExecError> {
    Executor::run(
        s.genesis.prestate().unwrap(),
        s.batch.clone(),
        ExecOptions { layout, snapshots },
    )
}

fn run(s: &Scenario) -> Executor {
    run_with(s, small_layout(), SnapshotPolicy::EveryTransitions(2))
        .unwrap_or_else(|e| panic!("{}: {e}", s.name))
}

#[test]
fn transitions_and_steps_are_numbered_as_the_spec_says() {
    for s in executable() {
        let ex = run(&s);
        let kinds: Vec<TransitionKind> = ex.transitions().iter().map(|t| t.kind).collect();
        assert_eq!(kinds, trace::transitions(&s.batch), "{}", s.name);
        assert_eq!(kinds.len() as u64, s.batch.transition_count());
        for t in ex.transitions() {
            let expected = match &t.outcome {
                Outcome::BlockStart | Outcome::BlockEnd { .. } => 1,
                Outcome::Tx(TxOutcome::Skipped { .. }) => 1,
                Outcome::Tx(TxOutcome::Executed {
                    access_list_items,
                    opcode_steps,
                    ..
                }) => {
                    assert!(*opcode_steps >= 1, "every executed tx runs an opcode");
                    2 + access_list_items + opcode_steps
                }
            };
            assert_eq!(t.steps, expected, "{} {}", s.name, t.kind);
        }
    }
}

#[test]
fn transfers_count_a_stop_and_skip_invalid_transactions() {
    let ex = run(&transfers());
    let t = &ex.transitions();
    // A transfer to an account without code: start, STOP, end.
    assert_eq!(t[1].steps, 3);
    // The EIP-2930 transfer warms 1 address + 2 keys: start, 3 warm-ups, STOP, end.
    assert!(matches!(
        t[3].outcome,
        Outcome::Tx(TxOutcome::Executed {
            access_list_items: 3,
            opcode_steps: 1,
            ..
        })
    ));
    assert_eq!(t[3].steps, 6);
    assert_eq!(
        tx_step_kind(4, 3, 1),
        Some(StepKind::Opcode { index: 0 }),
        "step 4 of that transaction is its STOP"
    );
    // The nonce gap: skipped, one step, nothing but the index moves.
    match &t[7].outcome {
        Outcome::Tx(TxOutcome::Skipped { reason }) => assert!(reason.contains("nonce"), "{reason}"),
        o => panic!("expected a skip, got {o:?}"),
    }
    assert_eq!(t[7].steps, 1);
    let (before, after) = (t[6].boundary, t[7].boundary);
    assert_eq!(after.tx_index, before.tx_index + 1);
    assert_eq!(
        (after.world_root, after.receipts, after.block_gas_used),
        (before.world_root, before.receipts, before.block_gas_used)
    );
    // The fresh address received its value; alice got 0.5 ETH back from carol.
    let st = ex.final_state();
    assert_eq!(
        st.account(&Address::repeat_byte(0x77)).unwrap().balance,
        12345
    );
    let alice = st.account(&dev_key(1).address()).unwrap();
    assert_eq!(alice.nonce, 2);
}

#[test]
fn boundaries_move_through_blocks_as_spec_14_3_says() {
    let s = mem_loop();
    let ex = run(&s);
    let cfg = s.genesis.config_hash();
    let pre = ex.prestate();
    assert_eq!(pre.phase, PHASE_BETWEEN_BLOCKS);
    assert_eq!(pre.batch, s.batch.commitment());
    assert_eq!(pre.world_root, s.genesis.state().unwrap().world_root());
    assert_eq!(
        pre.last_block_hash,
        s.genesis.prestate().unwrap().last_block.hash
    );
    for (j, t) in ex.transitions().iter().enumerate() {
        let b = &t.boundary;
        let before = ex.boundary_before(j as u64);
        assert_eq!(b.batch, before.batch);
        match t.kind {
            TransitionKind::BlockStart { block } => {
                let env = s.batch.blocks()[block as usize].context.env_record(cfg);
                assert_eq!(b.block_env, env.hash());
                assert_eq!(
                    (b.phase, b.block_index, b.tx_index),
                    (PHASE_IN_BLOCK, block, 0)
                );
            }
            TransitionKind::Tx { block, tx } => {
                assert_eq!(
                    (b.phase, b.block_index, b.tx_index),
                    (PHASE_IN_BLOCK, block, tx + 1)
                );
                let Outcome::Tx(TxOutcome::Executed { gas_used, .. }) = t.outcome else {
                    panic!("all mem_loop transactions execute")
                };
                assert_eq!(b.block_gas_used, before.block_gas_used + gas_used);
                assert_ne!(b.receipts, before.receipts);
            }
            TransitionKind::BlockEnd { block } => {
                let Outcome::BlockEnd { hash } = t.outcome else {
                    panic!()
                };
                assert_eq!(b.last_block_hash, hash);
                assert_eq!(
                    (b.phase, b.block_index, b.tx_index),
                    (PHASE_BETWEEN_BLOCKS, block + 1, 0)
                );
                assert_eq!(b.block_env, alloy_primitives::B256::ZERO);
            }
        }
    }
    assert_eq!(
        ex.final_boundary().world_root,
        ex.final_state().world_root()
    );
    assert_eq!(
        ex.final_state().world_root(),
        ex.final_state().root_from_scratch()
    );
}

#[test]
fn commitment_at_answers_every_leaf() {
    let ex = run(&mem_loop());
    let l = ex.layout();
    assert_eq!(
        ex.commitment_at(l.trace_len()),
        Err(ExecError::Trace(TraceError::OutOfRange {
            trace_index: l.trace_len(),
            len: l.trace_len()
        }))
    );
    for (j, t) in ex.transitions().iter().enumerate() {
        let j = j as u64;
        let h = t.boundary.hash();
        assert_eq!(ex.commitment_at(l.trace_index(j, t.steps - 1)), Ok(h));
        assert_eq!(
            ex.commitment_at(l.trace_index(j, l.steps_per_transition() - 1)),
            Ok(h),
            "stutter steps repeat the boundary"
        );
        if t.steps >= 2 {
            // Inside a transition: a step state, never the boundary.
            let ti = l.trace_index(j, t.steps - 2);
            assert_ne!(ex.commitment_at(ti).unwrap(), h);
        }
    }
    let past = l.trace_index(ex.transitions().len() as u64, 0);
    assert_eq!(ex.commitment_at(past), Ok(ex.final_boundary().hash()));
    assert_eq!(
        ex.commitment_at(l.trace_len() - 1),
        Ok(ex.final_boundary().hash())
    );
}

#[test]
fn checkpoints_rebuild_every_pre_state_for_any_snapshot_policy() {
    for s in executable() {
        for policy in [
            SnapshotPolicy::EveryTransitions(1),
            SnapshotPolicy::EveryTransitions(3),
            SnapshotPolicy::EveryChanges(4),
            SnapshotPolicy::PrestateOnly,
            SnapshotPolicy::Auto,
        ] {
            let ex = run_with(&s, small_layout(), policy).unwrap();
            let n = ex.transitions().len() as u64;
            for j in 0..=n {
                let st = ex.state_before(j).unwrap();
                assert_eq!(
                    st.world_root(),
                    ex.boundary_before(j).world_root,
                    "{} j={j}",
                    s.name
                );
                assert_eq!(st.world_root(), st.root_from_scratch());
            }
            assert_eq!(
                ex.state_before(n + 1).unwrap_err(),
                ExecError::NoSuchTransition {
                    transition: n + 1,
                    count: n
                }
            );
            let (snaps, entries) = ex.checkpoint_sizes();
            let expected = match policy {
                SnapshotPolicy::EveryTransitions(k) => n.div_ceil(k) as usize,
                // Auto waits for 20,000 entries at least: these batches are far smaller.
                SnapshotPolicy::PrestateOnly | SnapshotPolicy::Auto => 1,
                SnapshotPolicy::EveryChanges(k) => {
                    // One snapshot per full `k` journal entries, at a transition boundary.
                    let mut count = 1;
                    let mut since = 0;
                    for j in 0..n - 1 {
                        since += ex.changes(j).unwrap().len() as u64;
                        if since >= k {
                            count += 1;
                            since = 0;
                        }
                    }
                    count
                }
            };
            assert_eq!(snaps, expected, "{} {policy:?}", s.name);
            let total: usize = (0..n).map(|j| ex.changes(j).unwrap().len()).sum();
            assert_eq!(entries, total);
        }
    }
}

#[test]
fn replays_reproduce_every_transition_with_step_records() {
    for s in executable() {
        let ex = run(&s);
        for (j, t) in ex.transitions().iter().enumerate() {
            let r = ex.replay(j as u64).unwrap();
            assert_eq!((r.post, r.steps, r.kind), (t.boundary, t.steps, t.kind));
            assert_eq!(r.pre, ex.boundary_before(j as u64));
            assert_eq!(r.pre_state.world_root(), r.pre.world_root);
            if let Outcome::Tx(TxOutcome::Executed { opcode_steps, .. }) = t.outcome {
                let rec = &r.opcodes;
                assert_eq!(rec.steps.len() as u64, opcode_steps);
                let first = rec.steps[0];
                assert_eq!(
                    (first.pc, first.stack_len, first.memory_size, first.depth),
                    (0, 0, 0, 1)
                );
                for (i, st) in rec.steps.iter().enumerate() {
                    let info = gavel_trace::opcodes::info(st.opcode);
                    let want = (info.inputs as usize).min(st.stack_len as usize);
                    assert_eq!(rec.inputs(i).len(), want, "{} step {i}", s.name);
                    if i > 0 {
                        assert!(st.gas <= rec.steps[i - 1].gas, "gas only goes down");
                    }
                }
            } else {
                assert!(r.opcodes.steps.is_empty());
            }
        }
        assert!(matches!(
            ex.replay(ex.transitions().len() as u64),
            Err(ExecError::NoSuchTransition { .. })
        ));
    }
}

#[test]
fn a_transfer_records_one_synthetic_stop_with_the_frame_gas() {
    let ex = run(&transfers());
    let r = ex.replay(1).unwrap();
    let stop = r.opcodes.steps[0];
    assert!(stop.synthetic);
    assert_eq!(
        (stop.opcode, stop.pc, stop.gas),
        (0x00, 0, 0),
        "21000 limit, 21000 intrinsic"
    );
}

#[test]
fn storage_programs_run_and_their_slots_reach_the_world() {
    // The token: alice 1,000,000 → bob 250,000, bob → alice 1,000, a self-transfer, a
    // reverting overdraft; balances at slot `uint160(holder)` (main storage).
    let s = erc20();
    let ex = run(&s);
    let st = ex.final_state();
    let (alice, bob) = (dev_key(1).address(), dev_key(2).address());
    assert_eq!(st.storage(&TOKEN, addr_word(alice)), U256::from(751_000));
    assert_eq!(st.storage(&TOKEN, addr_word(bob)), U256::from(249_000));
    assert_eq!(
        st.world().storage(&TOKEN, addr_word(bob)),
        U256::from(249_000)
    );
    assert_eq!(st.world_root(), st.root_from_scratch());
    // The looper writes header and main storage; its third call runs out of gas and keeps none
    // of its writes.
    let s = arith_loop();
    let ex = run(&s);
    assert_eq!(
        ex.final_state().world_root(),
        ex.final_state().root_from_scratch()
    );
}

#[test]
fn block_gas_is_enforced_by_skipping() {
    let (alice, bob) = (dev_key(1), dev_key(2));
    let g = genesis_with(&[(alice.address(), funded(1))]);
    let mut b = BatchBuilder::new(CHAIN);
    let mut ctx = BlockContext::new(1, T0 + 1);
    ctx.gas_limit = 50_000;
    b.block(ctx);
    for _ in 0..3 {
        b.tx(&alice, TxRequest::transfer(bob.address(), U256::from(1)))
            .unwrap();
    }
    let ex = Executor::run(
        g.prestate().unwrap(),
        b.build().unwrap(),
        ExecOptions::default(),
    )
    .unwrap();
    let t = ex.transitions();
    assert!(matches!(
        t[2].outcome,
        Outcome::Tx(TxOutcome::Executed { .. })
    ));
    match &t[3].outcome {
        Outcome::Tx(TxOutcome::Skipped { reason }) => {
            assert_eq!(
                reason,
                "gas limit 21000 exceeds the block's remaining gas 8000"
            )
        }
        o => panic!("{o:?}"),
    }
}

#[test]
fn batches_must_continue_the_prestate_and_fit_the_layout() {
    let s = transfers();
    let pre = || s.genesis.prestate().unwrap();
    let mut moved = s.batch.blocks().to_vec();
    for (i, b) in moved.iter_mut().enumerate() {
        b.context.number = 5 + i as u64;
    }
    let batch = gavel_trace::Batch::new(CHAIN, moved.clone()).unwrap();
    assert_eq!(
        Executor::run(pre(), batch, ExecOptions::default()).unwrap_err(),
        ExecError::FirstBlockNumber {
            expected: 1,
            got: 5
        }
    );
    for (i, b) in moved.iter_mut().enumerate() {
        b.context.number = 1 + i as u64;
        b.context.timestamp = T0 + i as u64;
    }
    let batch = gavel_trace::Batch::new(CHAIN, moved).unwrap();
    assert_eq!(
        Executor::run(pre(), batch, ExecOptions::default()).unwrap_err(),
        ExecError::FirstBlockTimestamp {
            parent: T0,
            got: T0
        }
    );
    let mut other = pre();
    other.config.chain_id = 5;
    assert_eq!(
        Executor::run(other, s.batch.clone(), ExecOptions::default()).unwrap_err(),
        ExecError::ChainMismatch {
            batch: CHAIN,
            chain: 5
        }
    );
    assert_eq!(
        run_with(
            &s,
            Layout::new(3, 20).unwrap(),
            SnapshotPolicy::PrestateOnly
        )
        .unwrap_err(),
        ExecError::TooManyTransitions { count: 10, max: 8 }
    );
    match run_with(
        &mem_loop(),
        Layout::new(4, 12).unwrap(),
        SnapshotPolicy::PrestateOnly,
    )
    .unwrap_err()
    {
        ExecError::TransitionTooLong {
            transition: 1,
            steps,
            max: 256,
            kind,
        } => {
            assert!(steps > 256);
            assert_eq!(kind, TransitionKind::Tx { block: 0, tx: 0 });
        }
        e => panic!("{e}"),
    }
}
