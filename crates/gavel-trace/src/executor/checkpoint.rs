//! Checkpoints: the state before any transition, without re-executing the batch.
//!
//! Two records are kept: the **diff journal** (the [`Change`]s each transition made, a few
//! dozen bytes per written leaf) and **snapshots** (a full clone of the [`ChainState`], accounts
//! and world trie) taken as the [`SnapshotPolicy`] says. The state before transition `j` is the
//! last snapshot at or before `j` with the journal entries from there to `j` applied on top;
//! applying a change rehashes only its trie path, so this costs O(changes × depth) keccak, no
//! EVM execution. A clone costs O(state size) memory and time (measured: ~1.1 KB and ~0.5 µs
//! per world-trie stem; replaying one journal entry ~16 µs), so snapshots are spaced by the
//! journal volume between them, which bounds both the memory (one snapshot per that many
//! changes) and the worst rebuild time (`docs/spec.md` §15.5 has the figures).

use crate::chain::{ChainState, Change, StateError};

/// When the executor takes a full snapshot of the state (the prestate is always one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotPolicy {
    /// `EveryChanges(max(20_000, stems / 2))` with the world trie's current stem count: the
    /// snapshot memory stays near 2 KB per journal entry whatever the state size, and a rebuild
    /// replays at most `stems / 2` entries (~8 µs per stem, about what building the state costs).
    Auto,
    /// Only the prestate: every rebuild replays the journal from the start.
    PrestateOnly,
    /// Before every `n`-th transition.
    EveryTransitions(u64),
    /// Before the first transition after at least `n` journal entries since the last one.
    EveryChanges(u64),
}

/// The smallest spacing [`SnapshotPolicy::Auto`] uses, in journal entries (~0.3 s of replay).
pub const AUTO_MIN_CHANGES: u64 = 20_000;

/// See the module docs.
#[derive(Debug, Clone)]
pub(crate) struct Checkpoints {
    policy: SnapshotPolicy,
    since_snapshot: u64,
    /// `(j, state before transition j)`, ascending `j`; always holds `j = 0`.
    snapshots: Vec<(u64, ChainState)>,
    /// `journal[j]`: the changes of transition `j`.
    journal: Vec<Vec<Change>>,
}

impl Checkpoints {
    pub fn new(policy: SnapshotPolicy) -> Self {
        Self {
            policy,
            since_snapshot: 0,
            snapshots: Vec::new(),
            journal: Vec::new(),
        }
    }

    /// Called with the state before transition `j` (transitions in order).
    pub fn before(&mut self, j: u64, state: &ChainState) {
        debug_assert_eq!(j, self.journal.len() as u64);
        let take = j == 0
            || match self.policy {
                SnapshotPolicy::PrestateOnly => false,
                SnapshotPolicy::EveryTransitions(n) => j.is_multiple_of(n.max(1)),
                SnapshotPolicy::EveryChanges(n) => self.since_snapshot >= n,
                SnapshotPolicy::Auto => {
                    let n = (state.world().stem_count() as u64 / 2).max(AUTO_MIN_CHANGES);
                    self.since_snapshot >= n
                }
            };
        if take {
            self.snapshots.push((j, state.clone()));
            self.since_snapshot = 0;
        }
    }

    /// Record the next transition's changes.
    pub fn record(&mut self, changes: Vec<Change>) {
        self.since_snapshot += changes.len() as u64;
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::Address;

    #[test]
    fn auto_spaces_snapshots_by_journal_volume() {
        let state = ChainState::new();
        let mut c = Checkpoints::new(SnapshotPolicy::Auto);
        let entries = vec![
            Change::Deleted {
                address: Address::ZERO
            };
            7_000
        ];
        for j in 0..8 {
            c.before(j, &state);
            c.record(entries.clone());
        }
        let at: Vec<u64> = c.snapshots.iter().map(|(j, _)| *j).collect();
        // 7,000 entries per transition: 21,000 ≥ 20,000 after three transitions.
        assert_eq!(at, vec![0, 3, 6]);
        assert_eq!(c.sizes(), (3, 56_000));
    }
}
