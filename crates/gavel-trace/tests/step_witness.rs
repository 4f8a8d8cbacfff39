//! Every step has a witness (spec §16–§17): block steps, transaction starts (executed and
//! skipped), access-list warm-ups, opcodes, transaction ends, stutters and past the batch;
//! each witness opens the pre-state it is given for, and `step_proofs` (one replay) answers
//! exactly what `step_proof` answers one step at a time. The witnesses' verification on-chain
//! is `gavel-chain`'s `tests/step_every.rs`.

mod common;

use std::collections::BTreeMap;

use common::*;
use gavel_commit::hash::{keccak256, tag};
use gavel_trace::executor::{Outcome, TxOutcome};
use gavel_trace::step::ProofKind;
use gavel_trace::step::witness::boundary_kind;
use gavel_trace::{ExecError, Executor, TraceError};

fn run(s: &Scenario) -> Executor {
    run_small(s)
}

/// The witness opens `pre`: `0x00 ‖ StepState` or `0x01 ‖ kind ‖ Boundary`, and the boundary
/// kind is the step's.
fn opens_pre(kind: ProofKind, pre: alloy_primitives::B256, w: &[u8]) {
    let boundary_kind = match kind {
        ProofKind::Stutter => Some(boundary_kind::STUTTER),
        ProofKind::BlockStart => Some(boundary_kind::BLOCK_START),
        ProofKind::TxStart => Some(boundary_kind::TX_START),
        ProofKind::BlockEnd => Some(boundary_kind::BLOCK_END),
        ProofKind::PastBatch => Some(boundary_kind::PAST_BATCH),
        ProofKind::AccessListItem { .. } | ProofKind::Opcode { .. } | ProofKind::TxEnd => None,
    };
    match boundary_kind {
        Some(k) => {
            assert_eq!(&w[..2], &[1, k], "{kind:?}");
            let b = keccak256(&[&[tag::BOUNDARY][..], &w[2..194]].concat());
            assert_eq!(b, pre, "{kind:?} opens its pre-state");
        }
        None => {
            assert_eq!(w[0], 0, "{kind:?}");
            let s = keccak256(&[&[tag::STEP][..], &w[1..193]].concat());
            assert_eq!(s, pre, "{kind:?} opens its pre-state");
        }
    }
}

#[test]
fn every_step_of_the_fixtures_has_a_witness() {
    for s in executable() {
        let ex = run(&s);
        let l = ex.layout();
        let n = ex.transitions().len() as u64;
        let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
        for j in 0..=n {
            // Every step, then two stutters (past the batch: offset 0 and two stutters).
            let steps = ex.transitions().get(j as usize).map_or(1, |t| t.steps);
            let ks: Vec<u64> = (0..steps + 2).collect();
            let proofs = ex.step_proofs(j, &ks).unwrap();
            assert_eq!(proofs.len(), ks.len());
            for (p, &k) in proofs.iter().zip(&ks) {
                let ti = l.trace_index(j, k);
                assert_eq!(p.trace_index, ti);
                assert_eq!(*p, ex.step_proof(ti).unwrap(), "{} {j}.{k}", s.name);
                let pre = match ti {
                    0 => ex.prestate().hash(),
                    t => ex.commitment_at(t - 1).unwrap(),
                };
                assert_eq!(p.pre, pre, "{} {j}.{k}", s.name);
                assert_eq!(p.post, ex.commitment_at(ti).unwrap(), "{} {j}.{k}", s.name);
                let w = p.witness.as_ref().expect("every step has a witness");
                opens_pre(p.kind, p.pre, w);
                let name = match p.kind {
                    ProofKind::BlockStart => "block start",
                    ProofKind::TxStart if steps == 1 => "tx start (skipped)",
                    ProofKind::TxStart => "tx start",
                    ProofKind::AccessListItem { .. } => "warm-up",
                    ProofKind::Opcode { .. } => "opcode",
                    ProofKind::TxEnd => "tx end",
                    ProofKind::BlockEnd => "block end",
                    ProofKind::Stutter => "stutter",
                    ProofKind::PastBatch => "past batch",
                };
                *seen.entry(name).or_default() += 1;
            }
        }
        // transfers has them all but opcodes beyond STOP; mem_loop every executed kind.
        for k in [
            "block start",
            "tx start",
            "opcode",
            "tx end",
            "block end",
            "past batch",
        ] {
            assert!(seen.contains_key(k), "{}: no {k} step in {seen:?}", s.name);
        }
        if s.name == "transfers" {
            assert_eq!(seen["warm-up"], 3);
            assert_eq!(seen["tx start (skipped)"], 1);
        }
    }
}

#[test]
fn step_proofs_take_any_order_and_repeats() {
    let s = mem_loop();
    let ex = run(&s);
    let (j, t) = ex
        .transitions()
        .iter()
        .enumerate()
        .find(|(_, t)| matches!(t.outcome, Outcome::Tx(TxOutcome::Executed { .. })))
        .unwrap();
    let j = j as u64;
    let last = t.steps - 1;
    let ks = [last, 3, 0, 3, t.steps + 5, 1];
    let got = ex.step_proofs(j, &ks).unwrap();
    for (p, &k) in got.iter().zip(&ks) {
        assert_eq!(*p, ex.step_proof(ex.layout().trace_index(j, k)).unwrap());
    }
    assert!(ex.step_proofs(j, &[]).unwrap().is_empty());
    let per = ex.layout().steps_per_transition();
    assert!(matches!(
        ex.step_proofs(j, &[0, per]),
        Err(ExecError::Trace(TraceError::OutOfRange { .. }))
    ));
    assert!(matches!(
        ex.step_proof(ex.layout().trace_len()),
        Err(ExecError::Trace(TraceError::OutOfRange { .. }))
    ));
}
