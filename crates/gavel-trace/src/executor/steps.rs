//! The step machine's side of the executor: the commitment of every leaf, the proof of a step
//! and its pre-state records (spec §16–§17), computed by replaying one transition (`step`).

use std::sync::{Arc, Mutex};

use alloy_primitives::B256;
use gavel_commit::record::BlockEnv;

use super::{ExecError, Executor, Outcome, TxOutcome};
use crate::TraceError;
use crate::step::replay::{ReplayOut, TxReplay, replay};
use crate::step::witness::{boundary_kind, boundary_witness};
use crate::step::{ProofKind, StepInputs, StepProof};
use crate::trace::{self, StepKind, StepRef, TransitionKind};

/// The commitments of the most recently replayed transition: a bisection asks ~24 positions
/// of one transition, so it is replayed once.
#[derive(Debug, Default)]
pub(crate) struct Cache(Mutex<Option<(u64, Arc<Vec<B256>>)>>);

impl Clone for Cache {
    /// A clone starts empty: the cache is an optimization, never state.
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl Cache {
    fn get(&self, j: u64) -> Option<Arc<Vec<B256>>> {
        let g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        g.as_ref().filter(|(k, _)| *k == j).map(|(_, v)| v.clone())
    }

    fn put(&self, j: u64, v: Arc<Vec<B256>>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((j, v));
    }
}

impl Executor {
    fn transition_ref(&self, j: u64) -> Result<&super::Transition, ExecError> {
        self.transitions
            .get(j as usize)
            .ok_or(ExecError::NoSuchTransition {
                transition: j,
                count: self.transitions.len() as u64,
            })
    }

    fn block_env_of(&self, kind: TransitionKind) -> BlockEnv {
        let b = match kind {
            TransitionKind::BlockStart { block }
            | TransitionKind::BlockEnd { block }
            | TransitionKind::Tx { block, .. } => block,
        };
        self.batch.blocks()[b as usize]
            .context
            .env_record(self.config.hash())
    }

    /// Replay executed transaction `j` with the shadow machine, capturing step `target`.
    fn replay_tx(
        &self,
        j: u64,
        target: Option<u64>,
        want_inputs: bool,
    ) -> Result<ReplayOut, ExecError> {
        let t = self.transition_ref(j)?;
        let (
            TransitionKind::Tx { block, tx },
            Outcome::Tx(TxOutcome::Executed { opcode_steps, .. }),
        ) = (t.kind, &t.outcome)
        else {
            return Err(ExecError::Machine {
                at: t.kind,
                transition: j,
                error: crate::step::tx_start::MachineError::Diverged(
                    "not an executed transaction".into(),
                ),
            });
        };
        let blk = &self.batch.blocks()[block as usize];
        let out = replay(TxReplay {
            state: self.state_before(j)?,
            config: &self.config,
            block: &blk.context,
            block_env: self.block_env_of(t.kind),
            pre: self.boundary_before(j),
            post: t.boundary,
            tx: &blk.txs[tx as usize],
            opcode_steps: *opcode_steps,
            target,
            want_inputs,
        })
        .map_err(|error| ExecError::Machine {
            at: t.kind,
            transition: j,
            error,
        })?;
        self.cache.put(j, Arc::new(out.commitments.clone()));
        Ok(out)
    }

    fn commitments_arc(&self, j: u64) -> Result<Arc<Vec<B256>>, ExecError> {
        let t = self.transition_ref(j)?;
        if let Some(v) = self.cache.get(j) {
            return Ok(v);
        }
        match t.outcome {
            Outcome::Tx(TxOutcome::Executed { .. }) => {
                Ok(Arc::new(self.replay_tx(j, None, false)?.commitments))
            }
            // Block steps and a skipped transaction have one step: the boundary.
            _ => Ok(Arc::new(vec![t.boundary.hash()])),
        }
    }

    /// The commitment after each step `k` of transition `j` (spec §16–§17): the boundary for a
    /// one-step transition; for an executed transaction the transaction start's post (warming
    /// or running), each warm-up's, each opcode's (the next running state, the halted state
    /// after the last), and the transaction end's (the boundary, checked against the first
    /// run's). One replay of the transaction; the last transition's result is cached.
    pub fn transition_commitments(&self, j: u64) -> Result<Vec<B256>, ExecError> {
        Ok(self.commitments_arc(j)?.as_ref().clone())
    }

    /// What leaf `trace_index` commits to (protocol.md §1: the state after `trace_index + 1`
    /// steps): a boundary at and after a transition's last step and past the batch, a step
    /// state (spec §9.2, §16.2) inside a transition.
    pub fn commitment_at(&self, trace_index: u64) -> Result<B256, ExecError> {
        let len = self.layout.trace_len();
        if trace_index >= len {
            return Err(TraceError::OutOfRange { trace_index, len }.into());
        }
        let (j, k) = self.layout.locate(trace_index);
        let Some(t) = self.transitions.get(j as usize) else {
            return Ok(self.final_boundary().hash());
        };
        if k + 1 >= t.steps {
            return Ok(t.boundary.hash());
        }
        let v = self.commitments_arc(j)?;
        v.get(k as usize).copied().ok_or(ExecError::Machine {
            at: t.kind,
            transition: j,
            error: crate::step::tx_start::MachineError::Diverged(format!(
                "{} commitments for step {k}",
                v.len()
            )),
        })
    }

    fn step_ref(&self, trace_index: u64) -> Option<StepRef> {
        let (j, k) = self.layout.locate(trace_index);
        self.transitions.get(j as usize).map(|t| StepRef {
            kind: t.kind,
            transition: j,
            step: k,
            trace_index,
        })
    }

    /// What step `k` of transition `j` is (`None`: a stutter).
    fn proof_kind(&self, j: u64, k: u64) -> Option<StepKind> {
        let t = self.transitions.get(j as usize)?;
        if k >= t.steps {
            return None;
        }
        Some(match (t.kind, &t.outcome) {
            (TransitionKind::BlockStart { .. }, _) => StepKind::BlockStart,
            (TransitionKind::BlockEnd { .. }, _) => StepKind::BlockEnd,
            (
                _,
                Outcome::Tx(TxOutcome::Executed {
                    access_list_items,
                    opcode_steps,
                    ..
                }),
            ) => trace::tx_step_kind(k, *access_list_items, *opcode_steps)?,
            _ => StepKind::TxStart,
        })
    }

    /// The proof of the step whose post-state is leaf `trace_index`: pre and post commitments,
    /// what the step is, and its witness where this crate builds it (opcode steps, spec §16.3;
    /// stutters, §16.1). The transaction and block steps' witnesses come from their own
    /// builders ([`Executor::step_inputs`] gives what they need).
    pub fn step_proof(&self, trace_index: u64) -> Result<StepProof, ExecError> {
        let len = self.layout.trace_len();
        if trace_index >= len {
            return Err(TraceError::OutOfRange { trace_index, len }.into());
        }
        let (j, k) = self.layout.locate(trace_index);
        let before = |t: u64| -> Result<B256, ExecError> {
            match t {
                0 => Ok(self.prestate.hash()),
                t => self.commitment_at(t - 1),
            }
        };
        let Some(t) = self.transitions.get(j as usize) else {
            let b = *self.final_boundary();
            let (kind, witness) = if k == 0 {
                // Past the batch: the verifier opens the batch's block count too, whose
                // encoding is not specified yet.
                (ProofKind::PastBatch, None)
            } else {
                (
                    ProofKind::Stutter,
                    Some(boundary_witness(boundary_kind::STUTTER, &b)),
                )
            };
            return Ok(StepProof {
                trace_index,
                pre: before(trace_index)?,
                post: b.hash(),
                kind,
                witness,
            });
        };
        let Some(step) = self.proof_kind(j, k) else {
            return Ok(StepProof {
                trace_index,
                pre: before(trace_index)?,
                post: t.boundary.hash(),
                kind: ProofKind::Stutter,
                witness: Some(boundary_witness(boundary_kind::STUTTER, &t.boundary)),
            });
        };
        let kind = match step {
            StepKind::BlockStart => ProofKind::BlockStart,
            StepKind::BlockEnd => ProofKind::BlockEnd,
            StepKind::TxStart => ProofKind::TxStart,
            StepKind::AccessListItem { index } => ProofKind::AccessListItem { index },
            StepKind::TxEnd => ProofKind::TxEnd,
            StepKind::Opcode { .. } => {
                // One replay gives every commitment of the transition and the witness.
                let out = self.replay_tx(j, Some(k), false)?;
                let (witness, opcode) = out.witness.ok_or(ExecError::Machine {
                    at: t.kind,
                    transition: j,
                    error: crate::step::tx_start::MachineError::Diverged(format!(
                        "no witness for step {k}"
                    )),
                })?;
                let pre = match k {
                    0 => self.boundary_before(j).hash(),
                    k => out.commitments[k as usize - 1],
                };
                return Ok(StepProof {
                    trace_index,
                    pre,
                    post: out.commitments[k as usize],
                    kind: ProofKind::Opcode { opcode },
                    witness: Some(witness),
                });
            }
        };
        Ok(StepProof {
            trace_index,
            pre: before(trace_index)?,
            post: self.commitment_at(trace_index)?,
            kind,
            witness: None,
        })
    }

    /// The pre-state records of the step whose post-state is leaf `trace_index`, for the
    /// transaction-start, warm-up, transaction-end and block-step witness builders.
    pub fn step_inputs(&self, trace_index: u64) -> Result<StepInputs, ExecError> {
        let proof = self.step_proof(trace_index)?;
        let (j, k) = self.layout.locate(trace_index);
        let count = self.transitions.len() as u64;
        let at = self.step_ref(trace_index).unwrap_or(StepRef {
            kind: self
                .transitions
                .last()
                .map_or(TransitionKind::BlockStart { block: 0 }, |t| t.kind),
            transition: j,
            step: k,
            trace_index,
        });
        let mut inputs = StepInputs {
            at,
            kind: proof.kind,
            boundary: self.boundary_before(j.min(count)),
            block_env: None,
            step: None,
            context: None,
            frame: None,
            tx_env: None,
            snapshot: None,
            substate: None,
            world: Default::default(),
        };
        let inside_tx = j < count
            && matches!(
                self.transitions[j as usize].outcome,
                Outcome::Tx(TxOutcome::Executed { .. })
            )
            && matches!(
                proof.kind,
                ProofKind::TxStart
                    | ProofKind::AccessListItem { .. }
                    | ProofKind::Opcode { .. }
                    | ProofKind::TxEnd
            );
        if j < count {
            inputs.block_env = Some(self.block_env_of(self.transitions[j as usize].kind));
        }
        if !inside_tx {
            // A boundary pre-state: the world before the transition (after it for a stutter).
            let after = matches!(proof.kind, ProofKind::Stutter | ProofKind::PastBatch);
            let jj = if after { (j + 1).min(count) } else { j };
            if after {
                inputs.boundary = self.boundary_before(jj);
            }
            inputs.world = self.state_before(jj)?.take_world();
            return Ok(inputs);
        }
        let out = self.replay_tx(j, Some(k), true)?;
        let c = out.captured;
        if let Some(s) = out.start.filter(|_| c.with_records) {
            inputs.frame = Some(s.frame);
            inputs.tx_env = Some(s.tx_env);
            inputs.snapshot = Some(s.snapshot);
        }
        inputs.step = c.step;
        inputs.context = c.context;
        inputs.substate = c.substate;
        inputs.world = c.world.unwrap_or_default();
        Ok(inputs)
    }
}
