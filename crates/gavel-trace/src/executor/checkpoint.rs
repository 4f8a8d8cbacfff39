//! Checkpoints: the state before any transition, without re-executing the batch.
//!
//! Two records are kept: the **diff journal** (the [`Change`]s each transition made, a few
//! dozen bytes per written leaf) and **snapshots** (a full clone of the [`ChainState`], accounts
//! and world trie) before every `interval`-th transition. The state before transition `j` is the
//! last snapshot at or before `j` with the journal entries from there to `j` applied on top;
//! applying a change rehashes only its trie path, so this costs O(changes × depth) keccak, no
//! EVM execution. A clone costs O(state size) memory and time, which is why snapshots are
//! sparse (`docs/spec.md` §15.5 has the measurements behind the default interval).

use crate::chain::{ChainState, Change, StateError};

/// See the module docs.
#[derive(Debug, Clone)]
pub(crate) struct Checkpoints {
    interval: u64,
    /// `(j, state before transition j)`, ascending `j`; always holds `j = 0`.
    snapshots: Vec<(u64, ChainState)>,
    /// `journal[j]`: the changes of transition `j`.
    journal: Vec<Vec<Change>>,
}

impl Checkpoints {
    pub fn new(interval: u64) -> Self {
        Self {
            interval: interval.max(1),
            snapshots: Vec::new(),
            journal: Vec::new(),
        }
    }

    /// Called with the state before transition `j` (transitions in order).
    pub fn before(&mut self, j: u64, state: &ChainState) {
        debug_assert_eq!(j, self.journal.len() as u64);
        if j.is_multiple_of(self.interval) {
            self.snapshots.push((j, state.clone()));
        }
    }

    /// Record transition `j`'s changes.
    pub fn record(&mut self, changes: Vec<Change>) {
        self.journal.push(changes);
    }

    /// The changes transition `j` made.
    pub fn changes(&self, j: u64) -> &[Change] {
        &self.journal[j as usize]
    }

    /// The state before transition `j` (`j` up to the number of recorded transitions).
    pub fn state_before(&self, j: u64) -> Result<ChainState, StateError> {
        let at = self.snapshots.partition_point(|(s, _)| *s <= j) - 1;
        let (s, snap) = &self.snapshots[at];
        let mut state = snap.clone();
        for changes in &self.journal[*s as usize..j as usize] {
            state.apply_all(changes)?;
        }
        Ok(state)
    }

    /// `(snapshots, journal entries)`, for reports.
    pub fn sizes(&self) -> (usize, usize) {
        (
            self.snapshots.len(),
            self.journal.iter().map(Vec::len).sum(),
        )
    }
}
