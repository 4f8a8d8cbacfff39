//! The executor: runs a batch in revm 43 (Osaka) from a prestate, numbers every transition and
//! step (spec §15), keeps the boundary after each transition, and checkpoints so that any
//! transition can be re-run alone.
//!
//! ```text
//! Executor::run(prestate, batch, options)
//!   for each transition j (block start, each tx, block end):
//!     checkpoint (snapshot per SnapshotPolicy)          ← state before j
//!     tx: revm + FrameInspector (count steps, refuse unsupported opcodes)
//!         → revm's state diff → Changes → ChainState (world trie updated leaf by leaf)
//!     boundary after j (spec §14.3)
//! commitment_at(t) = what leaf t commits to: a boundary, or a step state (step module),
//!                    from one replay of the transition (cached for the last transition)
//! replay(j)        = state before j from the checkpoint, transition j re-run with per-step
//!                    records, checked against the first run
//! ```

pub(crate) mod boundary;
mod checkpoint;
mod error;
pub(crate) mod inspector;
mod steps;
pub(crate) mod tx;

use alloy_primitives::B256;
use gavel_commit::record::{Boundary, ChainConfig};

pub use checkpoint::{AUTO_MIN_CHANGES, SnapshotPolicy};
pub use error::{ExecError, Refusal, TraceError};
pub use inspector::{Recording, StepRecord};
pub use tx::{TxOutcome, TxStatus};

use crate::batch::Batch;
use crate::chain::{ChainState, Change, Prestate};
use crate::trace::{self, Layout, StepRef, TransitionKind};
use checkpoint::Checkpoints;
use tx::TxFailure;

/// Executor settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecOptions {
    /// The game-tree layout the trace is numbered for.
    pub layout: Layout,
    /// When to take full state snapshots (the diff journal covers the rest).
    pub snapshots: SnapshotPolicy,
}

impl Default for ExecOptions {
    fn default() -> Self {
        Self {
            layout: Layout::EVM,
            snapshots: SnapshotPolicy::Auto,
        }
    }
}

/// What a transition did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A block started.
    BlockStart,
    /// A transaction ran or was skipped.
    Tx(TxOutcome),
    /// A block ended with this hash.
    BlockEnd {
        /// The block's hash (spec §14.3).
        hash: B256,
    },
}

/// One transition of the executed batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// What it is.
    pub kind: TransitionKind,
    /// Its steps (spec §15.2).
    pub steps: u64,
    /// The boundary after it.
    pub boundary: Boundary,
    /// What it did.
    pub outcome: Outcome,
}

/// A transition re-run from its checkpoint with per-step records.
#[derive(Debug, Clone)]
pub struct TransitionTrace {
    /// Its index.
    pub transition: u64,
    /// What it is.
    pub kind: TransitionKind,
    /// The boundary before it.
    pub pre: Boundary,
    /// The boundary after it.
    pub post: Boundary,
    /// Its steps (spec §15.2).
    pub steps: u64,
    /// The opcode steps (empty for block transitions and skipped transactions).
    pub opcodes: Recording,
    /// The state before it (for witnesses).
    pub pre_state: ChainState,
}

/// An executed batch (see the module docs).
#[derive(Debug, Clone)]
pub struct Executor {
    config: ChainConfig,
    batch: Batch,
    layout: Layout,
    prestate: Boundary,
    transitions: Vec<Transition>,
    checkpoints: Checkpoints,
    state: ChainState,
    cache: steps::Cache,
}

impl Executor {
    /// Execute `batch` from `pre`. Fails on the first refusal, naming the opcode (or the
    /// transaction kind) and the step.
    pub fn run(pre: Prestate, batch: Batch, options: ExecOptions) -> Result<Self, ExecError> {
        let Prestate {
            config,
            state,
            last_block,
        } = pre;
        if batch.chain_id() != config.chain_id {
            return Err(ExecError::ChainMismatch {
                batch: batch.chain_id(),
                chain: config.chain_id,
            });
        }
        let first = &batch.blocks()[0].context;
        if first.number != last_block.number.wrapping_add(1) {
            return Err(ExecError::FirstBlockNumber {
                expected: last_block.number.wrapping_add(1),
                got: first.number,
            });
        }
        if first.timestamp <= last_block.timestamp {
            return Err(ExecError::FirstBlockTimestamp {
                parent: last_block.timestamp,
                got: first.timestamp,
            });
        }
        let layout = options.layout;
        let count = batch.transition_count();
        if count > layout.max_transitions() {
            return Err(ExecError::TooManyTransitions {
                count,
                max: layout.max_transitions(),
            });
        }
        let prestate = boundary::initial(state.world_root(), batch.commitment(), last_block.hash);
        let mut state = state;
        let mut ex = Self {
            config,
            batch,
            layout,
            prestate,
            transitions: Vec::with_capacity(count as usize),
            checkpoints: Checkpoints::new(options.snapshots),
            state: ChainState::new(),
            cache: steps::Cache::default(),
        };
        for (j, kind) in trace::transitions(&ex.batch).into_iter().enumerate() {
            let j = j as u64;
            ex.checkpoints.before(j, &state);
            let pre = ex.boundary_before(j);
            let (t, changes, _) = ex.step_transition(j, kind, &pre, &mut state, None)?;
            ex.checkpoints.record(changes);
            ex.transitions.push(t);
        }
        ex.state = state;
        Ok(ex)
    }

    /// Run transition `j` on `state` (the state before it, advanced to the state after it)
    /// from boundary `pre`. Returns the transition, its changes and, when `record` is
    /// `Some(expected opcode steps)`, the per-step records.
    fn step_transition(
        &self,
        j: u64,
        kind: TransitionKind,
        pre: &Boundary,
        state: &mut ChainState,
        record: Option<usize>,
    ) -> Result<(Transition, Vec<Change>, Recording), ExecError> {
        let cfg_hash = self.config.hash();
        let (boundary, outcome, changes, recording) = match kind {
            TransitionKind::BlockStart { block } => {
                let env = self.batch.blocks()[block as usize]
                    .context
                    .env_record(cfg_hash)
                    .hash();
                (
                    boundary::block_start(pre, env),
                    Outcome::BlockStart,
                    Vec::new(),
                    Recording::default(),
                )
            }
            TransitionKind::BlockEnd { .. } => {
                let (b, hash) = boundary::block_end(pre);
                (
                    b,
                    Outcome::BlockEnd { hash },
                    Vec::new(),
                    Recording::default(),
                )
            }
            TransitionKind::Tx { block, tx } => {
                let blk = &self.batch.blocks()[block as usize];
                let t = &blk.txs[tx as usize];
                let run = tx::run(
                    &*state,
                    &self.config,
                    &blk.context,
                    pre.block_gas_used,
                    t,
                    record,
                )
                .map_err(|f| self.failure(j, kind, t.access_list_items(), f))?;
                // Incremental: only the leaves the transaction wrote are rehashed.
                state
                    .apply_all(&run.changes)
                    .map_err(|error| ExecError::State { at: kind, error })?;
                let b = match &run.outcome {
                    TxOutcome::Executed {
                        status, gas_used, ..
                    } => boundary::tx_executed(
                        pre,
                        state.world_root(),
                        *gas_used,
                        *status == TxStatus::Success,
                        // Logs are refused for now (LOG* opcodes), so the accumulator is 0.
                        B256::ZERO,
                    ),
                    TxOutcome::Skipped { .. } => boundary::tx_skipped(pre),
                };
                (b, Outcome::Tx(run.outcome), run.changes, run.recording)
            }
        };
        let steps = match &outcome {
            Outcome::Tx(o) => o.steps(),
            _ => 1,
        };
        if steps > self.layout.steps_per_transition() {
            return Err(ExecError::TransitionTooLong {
                kind,
                transition: j,
                steps,
                max: self.layout.steps_per_transition(),
            });
        }
        Ok((
            Transition {
                kind,
                steps,
                boundary,
                outcome,
            },
            changes,
            recording,
        ))
    }

    fn failure(&self, j: u64, kind: TransitionKind, items: u64, f: TxFailure) -> ExecError {
        match f {
            TxFailure::Refused(op, refusal) => {
                let step = op.map_or(0, |i| 1 + items + i);
                ExecError::Refused {
                    at: StepRef {
                        kind,
                        transition: j,
                        step,
                        trace_index: self.layout.trace_index(j, step),
                    },
                    refusal,
                }
            }
            TxFailure::Evm(message) => ExecError::Evm { at: kind, message },
            TxFailure::State(error) => ExecError::State { at: kind, error },
        }
    }
}

impl Executor {
    /// The chain configuration.
    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    /// The batch.
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    /// The layout the trace is numbered for.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Every transition, in trace order.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// The state after the batch.
    pub fn final_state(&self) -> &ChainState {
        &self.state
    }

    /// `s_0`: the boundary before the batch (protocol.md §1's absolute prestate).
    pub fn prestate(&self) -> &Boundary {
        &self.prestate
    }

    /// The boundary after the last transition.
    pub fn final_boundary(&self) -> &Boundary {
        self.transitions
            .last()
            .map_or(&self.prestate, |t| &t.boundary)
    }

    /// The boundary before transition `j` (the prestate for `j = 0`).
    pub fn boundary_before(&self, j: u64) -> Boundary {
        match j {
            0 => self.prestate,
            j => self.transitions[j as usize - 1].boundary,
        }
    }

    /// The state before transition `j` (`j` = number of transitions gives the final state),
    /// from the nearest snapshot and the diff journal; no EVM execution.
    pub fn state_before(&self, j: u64) -> Result<ChainState, ExecError> {
        let count = self.transitions.len() as u64;
        if j > count {
            return Err(ExecError::NoSuchTransition {
                transition: j,
                count,
            });
        }
        let kind = self
            .transitions
            .get(j as usize)
            .or(self.transitions.last())
            .map_or(TransitionKind::BlockStart { block: 0 }, |t| t.kind);
        self.checkpoints
            .state_before(j)
            .map_err(|error| ExecError::State { at: kind, error })
    }

    /// The changes transition `j` made (its diff-journal entry).
    pub fn changes(&self, j: u64) -> Option<&[Change]> {
        (j < self.transitions.len() as u64).then(|| self.checkpoints.changes(j))
    }

    /// `(snapshots, journal entries)` held for checkpoints.
    pub fn checkpoint_sizes(&self) -> (usize, usize) {
        self.checkpoints.sizes()
    }

    /// Re-run transition `j` alone from its checkpoint, recording every opcode step. The result
    /// must equal the first run (changes, steps, boundary); anything else is a bug and an error.
    pub fn replay(&self, j: u64) -> Result<TransitionTrace, ExecError> {
        let count = self.transitions.len() as u64;
        let first = self
            .transitions
            .get(j as usize)
            .ok_or(ExecError::NoSuchTransition {
                transition: j,
                count,
            })?;
        let pre_state = self.state_before(j)?;
        let mut state = pre_state.clone();
        let pre = self.boundary_before(j);
        let expected = match first.outcome {
            Outcome::Tx(TxOutcome::Executed { opcode_steps, .. }) => opcode_steps as usize,
            _ => 0,
        };
        let (t, changes, opcodes) =
            self.step_transition(j, first.kind, &pre, &mut state, Some(expected))?;
        let mismatch = |what| ExecError::ReplayMismatch {
            transition: j,
            what,
        };
        if changes != self.checkpoints.changes(j) {
            return Err(mismatch("state changes"));
        }
        if t != *first {
            return Err(mismatch("steps, outcome or boundary"));
        }
        if let Outcome::Tx(TxOutcome::Executed { opcode_steps, .. }) = t.outcome
            && opcodes.steps.len() as u64 != opcode_steps
        {
            return Err(mismatch("recorded opcode steps"));
        }
        Ok(TransitionTrace {
            transition: j,
            kind: t.kind,
            pre,
            post: t.boundary,
            steps: t.steps,
            opcodes,
            pre_state,
        })
    }
}
