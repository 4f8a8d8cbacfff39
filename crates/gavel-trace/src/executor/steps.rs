//! The step machine's side of the executor: the commitment of every leaf, the proof of a step
//! and its pre-state records (spec §16–§17), computed by replaying one transition (`step`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use alloy_primitives::{B256, Bytes};
use gavel_commit::record::BlockEnv;

use super::{ExecError, Executor, Outcome, TxOutcome};
use crate::TraceError;
use crate::boundary_witness::{self as bw, StepWitness, TxStart, WitnessError};
use crate::chain::ChainState;
use crate::step::replay::{ReplayOut, TxReplay, replay};
use crate::step::tx_start::MachineError;
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

    fn machine_error(&self, j: u64, what: String) -> ExecError {
        ExecError::Machine {
            at: self
                .transitions
                .get(j as usize)
                .map_or(TransitionKind::BlockStart { block: 0 }, |t| t.kind),
            transition: j,
            error: MachineError::Diverged(what),
        }
    }

    /// Replay executed transaction `j` from `state` (the state before it) with the shadow
    /// machine, building the witnesses of `targets` and capturing the pre-state records of
    /// step `inputs_of`.
    fn replay_tx(
        &self,
        j: u64,
        state: ChainState,
        targets: &BTreeSet<u64>,
        inputs_of: Option<u64>,
    ) -> Result<ReplayOut, ExecError> {
        let t = self.transition_ref(j)?;
        let (
            TransitionKind::Tx { block, tx },
            Outcome::Tx(TxOutcome::Executed { opcode_steps, .. }),
        ) = (t.kind, &t.outcome)
        else {
            return Err(self.machine_error(j, "not an executed transaction".into()));
        };
        let blk = &self.batch.blocks()[block as usize];
        let out = replay(TxReplay {
            state,
            config: &self.config,
            block: &blk.context,
            block_env: self.block_env_of(t.kind),
            pre: self.boundary_before(j),
            post: t.boundary,
            tx: &blk.txs[tx as usize],
            opcode_steps: *opcode_steps,
            batch: &self.batch,
            targets,
            inputs_of,
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
                let state = self.state_before(j)?;
                Ok(Arc::new(
                    self.replay_tx(j, state, &BTreeSet::new(), None)?
                        .commitments,
                ))
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
        v.get(k as usize)
            .copied()
            .ok_or_else(|| self.machine_error(j, format!("{} commitments for step {k}", v.len())))
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
    /// what the step is, and its witness (spec §16.1, §16.3, §17.6). One replay of the
    /// transition at most; see [`Executor::step_proofs`] for many steps of one transition.
    pub fn step_proof(&self, trace_index: u64) -> Result<StepProof, ExecError> {
        let len = self.layout.trace_len();
        if trace_index >= len {
            return Err(TraceError::OutOfRange { trace_index, len }.into());
        }
        let (j, k) = self.layout.locate(trace_index);
        let mut v = self.step_proofs(j, &[k])?;
        v.pop()
            .ok_or_else(|| self.machine_error(j, format!("no proof for step {k}")))
    }

    /// The proofs of steps `steps` (offsets inside the transition, in any order, repeats
    /// allowed) of transition `j` (`j` ≥ the transition count: past the batch), in the order
    /// asked. An executed transaction is replayed once for all of them. Every builder's
    /// expected post is held against the shadow machine's commitment: if they differ, the
    /// verifier would answer something else than the trace commits to
    /// ([`ExecError::WitnessPost`], a bug, never a property of the batch).
    pub fn step_proofs(&self, j: u64, steps: &[u64]) -> Result<Vec<StepProof>, ExecError> {
        let per = self.layout.steps_per_transition();
        if let Some(&k) = steps
            .iter()
            .find(|&&k| k >= per || j >= self.layout.max_transitions())
        {
            return Err(TraceError::OutOfRange {
                trace_index: j.saturating_mul(per).saturating_add(k),
                len: self.layout.trace_len(),
            }
            .into());
        }
        let cc = self.config.hash();
        let Some(t) = self.transitions.get(j as usize) else {
            // Past the batch: the final boundary repeats; offset 0 proves it is the final one.
            let b = *self.final_boundary();
            let past = match steps.contains(&0) {
                true => Some(self.checked(j, 0, b.hash(), bw::past_batch(&b, &self.batch))?),
                false => None,
            };
            return Ok(steps
                .iter()
                .map(|&k| StepProof {
                    trace_index: self.layout.trace_index(j, k),
                    pre: b.hash(),
                    post: b.hash(),
                    kind: match k {
                        0 => ProofKind::PastBatch,
                        _ => ProofKind::Stutter,
                    },
                    witness: match k {
                        0 => past.clone(),
                        _ => Some(boundary_witness(boundary_kind::STUTTER, &b)),
                    },
                })
                .collect());
        };
        let pre = self.boundary_before(j);
        let targets: BTreeSet<u64> = steps.iter().copied().filter(|&k| k < t.steps).collect();
        let mut witnesses: BTreeMap<u64, (Bytes, ProofKind)> = BTreeMap::new();
        let commitments = match &t.outcome {
            Outcome::Tx(TxOutcome::Executed { .. }) if !targets.is_empty() => {
                let state = self.state_before(j)?;
                // The transaction start needs the pre-state alone: built before the replay
                // consumes it.
                let start = match targets.contains(&0) {
                    true => Some(bw::tx_start(&pre, &self.batch, state.world(), cc)),
                    false => None,
                };
                let out = self.replay_tx(j, state, &targets, None)?;
                let c = out.commitments;
                let at = |k: u64| {
                    c.get(k as usize).copied().ok_or_else(|| {
                        self.machine_error(j, format!("{} commitments for step {k}", c.len()))
                    })
                };
                if let Some(start) = start {
                    let step = match start {
                        Ok(TxStart::Executed { step, .. }) => Ok(step),
                        Ok(TxStart::Skipped(_)) => Err(WitnessError::Inconsistent(
                            "revm executed the transaction, the builder skips it",
                        )),
                        Err(e) => Err(e),
                    };
                    witnesses.insert(0, (self.checked(j, 0, at(0)?, step)?, ProofKind::TxStart));
                }
                for (k, built) in out.built {
                    let kind = match self.proof_kind(j, k) {
                        Some(StepKind::AccessListItem { index }) => {
                            ProofKind::AccessListItem { index }
                        }
                        _ => ProofKind::TxEnd,
                    };
                    witnesses.insert(k, (self.checked(j, k, at(k)?, built)?, kind));
                }
                for (k, (w, opcode)) in out.opcode_witnesses {
                    witnesses.insert(k, (w, ProofKind::Opcode { opcode }));
                }
                Arc::new(c)
            }
            _ => {
                if targets.contains(&0) && t.steps == 1 {
                    // The one-step transitions: block start, block end, a skipped
                    // transaction's start.
                    let (built, kind) = match t.kind {
                        TransitionKind::BlockStart { .. } => (
                            bw::block_start(&pre, &self.batch, cc),
                            ProofKind::BlockStart,
                        ),
                        TransitionKind::BlockEnd { .. } => {
                            (bw::block_end(&pre, &self.batch), ProofKind::BlockEnd)
                        }
                        TransitionKind::Tx { .. } => {
                            let state = self.state_before(j)?;
                            let built = match bw::tx_start(&pre, &self.batch, state.world(), cc) {
                                Ok(TxStart::Skipped(w)) => Ok(w),
                                Ok(TxStart::Executed { .. }) => Err(WitnessError::Inconsistent(
                                    "revm skipped the transaction, the builder executes it",
                                )),
                                Err(e) => Err(e),
                            };
                            (built, ProofKind::TxStart)
                        }
                    };
                    let w = self.checked(j, 0, t.boundary.hash(), built)?;
                    witnesses.insert(0, (w, kind));
                }
                self.commitments_arc(j)?
            }
        };
        let commitment = |k: u64| -> Result<B256, ExecError> {
            if k + 1 >= t.steps {
                return Ok(t.boundary.hash());
            }
            commitments.get(k as usize).copied().ok_or_else(|| {
                self.machine_error(j, format!("{} commitments for step {k}", commitments.len()))
            })
        };
        let mut out = Vec::with_capacity(steps.len());
        for &k in steps {
            let before = match k {
                0 => pre.hash(),
                k => commitment(k - 1)?,
            };
            let (witness, kind, post) = if k >= t.steps {
                let w = boundary_witness(boundary_kind::STUTTER, &t.boundary);
                (w, ProofKind::Stutter, t.boundary.hash())
            } else {
                let (w, kind) = witnesses
                    .get(&k)
                    .cloned()
                    .ok_or_else(|| self.machine_error(j, format!("no witness for step {k}")))?;
                (w, kind, commitment(k)?)
            };
            out.push(StepProof {
                trace_index: self.layout.trace_index(j, k),
                pre: before,
                post,
                kind,
                witness: Some(witness),
            });
        }
        Ok(out)
    }

    /// A builder's witness, once its expected post is the machine's commitment `machine`.
    fn checked(
        &self,
        j: u64,
        k: u64,
        machine: B256,
        built: Result<StepWitness, WitnessError>,
    ) -> Result<Bytes, ExecError> {
        let at = self
            .transitions
            .get(j as usize)
            .or(self.transitions.last())
            .map_or(TransitionKind::BlockStart { block: 0 }, |t| t.kind);
        let w = built.map_err(|error| ExecError::Witness {
            at,
            transition: j,
            step: k,
            error,
        })?;
        if w.post != machine {
            return Err(ExecError::WitnessPost {
                at,
                transition: j,
                step: k,
                builder: w.post,
                machine,
            });
        }
        Ok(w.witness.into())
    }

    /// The pre-state records of the step whose post-state is leaf `trace_index`, for the
    /// transaction-start, warm-up, transaction-end and block-step witness builders.
    pub fn step_inputs(&self, trace_index: u64) -> Result<StepInputs, ExecError> {
        let len = self.layout.trace_len();
        if trace_index >= len {
            return Err(TraceError::OutOfRange { trace_index, len }.into());
        }
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
        // What the step is, without building its witness (an opcode's byte comes from the
        // replay below).
        let mut kind = match self.proof_kind(j, k) {
            None if j >= count && k == 0 => ProofKind::PastBatch,
            None => ProofKind::Stutter,
            Some(StepKind::BlockStart) => ProofKind::BlockStart,
            Some(StepKind::BlockEnd) => ProofKind::BlockEnd,
            Some(StepKind::TxStart) => ProofKind::TxStart,
            Some(StepKind::AccessListItem { index }) => ProofKind::AccessListItem { index },
            Some(StepKind::Opcode { .. }) => ProofKind::Opcode { opcode: 0 },
            Some(StepKind::TxEnd) => ProofKind::TxEnd,
        };
        let mut inputs = StepInputs {
            at,
            kind,
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
                kind,
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
            let after = matches!(kind, ProofKind::Stutter | ProofKind::PastBatch);
            let jj = if after { (j + 1).min(count) } else { j };
            if after {
                inputs.boundary = self.boundary_before(jj);
            }
            inputs.world = self.state_before(jj)?.take_world();
            return Ok(inputs);
        }
        let state = self.state_before(j)?;
        let targets = match kind {
            ProofKind::Opcode { .. } => BTreeSet::from([k]),
            _ => BTreeSet::new(),
        };
        let out = self.replay_tx(j, state, &targets, Some(k))?;
        if let Some((_, opcode)) = out.opcode_witnesses.get(&k) {
            kind = ProofKind::Opcode { opcode: *opcode };
            inputs.kind = kind;
        }
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
