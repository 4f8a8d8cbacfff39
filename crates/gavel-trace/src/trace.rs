//! How a batch is numbered (spec §15): transitions, the steps inside them, and their place in
//! the dispute game's trace (protocol.md §1).
//!
//! Transitions, in order, for each block `b`: `BlockStart{b}`, `Tx{b, 0}`, …, `Tx{b, n−1}`,
//! `BlockEnd{b}`. Transition `j` owns the leaves `j·2^B … (j+1)·2^B − 1` of the trace, with
//! `B = max_depth − split_depth`; its step `k` (from 0) is leaf `j·2^B + k`, which commits to the
//! state *after* that step. The last real step of a transition outputs the boundary after it,
//! and stutter steps repeat it up to the end of the transition's leaves; transitions past the
//! end of the batch stutter on the final boundary.
//!
//! Steps per transition:
//!
//! | transition | steps |
//! |---|---|
//! | block start, block end | 1 |
//! | transaction skipped as invalid (spec §14.2) | 1 (its transaction-start step) |
//! | transaction executed | 1 (start) + access-list items + opcode steps + 1 (end) |
//!
//! Opcode steps are the opcodes the transaction's frame executes, halting one included; a call
//! to an account without code executes one STOP (revm runs no interpreter for it, the
//! executor counts it so that every executed transaction has the same shape).

use std::fmt;

use thiserror::Error;

use crate::batch::Batch;

/// What a transition does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransitionKind {
    /// Opens block `block` (index in the batch).
    BlockStart {
        /// Block index.
        block: u32,
    },
    /// Transaction `tx` of block `block`.
    Tx {
        /// Block index.
        block: u32,
        /// Transaction index in the block.
        tx: u32,
    },
    /// Closes block `block`.
    BlockEnd {
        /// Block index.
        block: u32,
    },
}

impl fmt::Display for TransitionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BlockStart { block } => write!(f, "block {block} start"),
            Self::Tx { block, tx } => write!(f, "block {block} tx {tx}"),
            Self::BlockEnd { block } => write!(f, "block {block} end"),
        }
    }
}

/// The transitions of `batch`, in trace order.
pub fn transitions(batch: &Batch) -> Vec<TransitionKind> {
    let mut v = Vec::with_capacity(batch.transition_count() as usize);
    for (b, block) in batch.blocks().iter().enumerate() {
        let b = b as u32;
        v.push(TransitionKind::BlockStart { block: b });
        v.extend((0..block.txs.len() as u32).map(|tx| TransitionKind::Tx { block: b, tx }));
        v.push(TransitionKind::BlockEnd { block: b });
    }
    v
}

/// What one step of a transition does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Opens a block.
    BlockStart,
    /// Closes a block.
    BlockEnd,
    /// Validates a transaction, charges its gas, bumps the nonce, transfers the value, enters
    /// the frame; or, for an invalid transaction, skips it.
    TxStart,
    /// Warms access-list item `index` (addresses and storage keys in list order).
    AccessListItem {
        /// Index among the items.
        index: u64,
    },
    /// Executes opcode number `index` of the frame.
    Opcode {
        /// Index among the opcode steps.
        index: u64,
    },
    /// Refunds, pays fees, appends the receipt and outputs the boundary.
    TxEnd,
}

/// Number of steps of an executed transaction (see the module docs).
pub fn tx_steps(access_list_items: u64, opcode_steps: u64) -> u64 {
    1 + access_list_items + opcode_steps + 1
}

/// The kind of step `k` of an executed transaction.
pub fn tx_step_kind(k: u64, access_list_items: u64, opcode_steps: u64) -> Option<StepKind> {
    let a = access_list_items;
    Some(match k {
        0 => StepKind::TxStart,
        k if k <= a => StepKind::AccessListItem { index: k - 1 },
        k if k <= a + opcode_steps => StepKind::Opcode { index: k - 1 - a },
        k if k == a + opcode_steps + 1 => StepKind::TxEnd,
        _ => return None,
    })
}

/// The geometry of the game tree the trace is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    split_depth: u32,
    max_depth: u32,
}

/// An impossible layout.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("layout needs 0 < split depth ({split_depth}) < max depth ({max_depth}) <= 62")]
pub struct LayoutError {
    /// The split depth given.
    pub split_depth: u32,
    /// The max depth given.
    pub max_depth: u32,
}

impl Layout {
    /// The EVM layout of spec §15.3: 2^20 transitions of 2^24 steps, 44 moves to a step.
    pub const EVM: Layout = Layout {
        split_depth: 20,
        max_depth: 44,
    };

    /// A layout (`0 < split_depth < max_depth ≤ 62`, as protocol.md §2 requires).
    pub fn new(split_depth: u32, max_depth: u32) -> Result<Self, LayoutError> {
        if split_depth == 0 || split_depth >= max_depth || max_depth > 62 {
            return Err(LayoutError {
                split_depth,
                max_depth,
            });
        }
        Ok(Self {
            split_depth,
            max_depth,
        })
    }

    /// Depth of the top layer.
    pub fn split_depth(&self) -> u32 {
        self.split_depth
    }

    /// Depth of the tree.
    pub fn max_depth(&self) -> u32 {
        self.max_depth
    }

    /// `B`: depth of the bottom layer.
    pub fn bottom_depth(&self) -> u32 {
        self.max_depth - self.split_depth
    }

    /// Leaves per transition, `2^B`: the most steps a transition may have.
    pub fn steps_per_transition(&self) -> u64 {
        1 << self.bottom_depth()
    }

    /// The most transitions a batch may have, `2^split_depth`.
    pub fn max_transitions(&self) -> u64 {
        1 << self.split_depth
    }

    /// Leaves of the whole trace, `2^max_depth`.
    pub fn trace_len(&self) -> u64 {
        1 << self.max_depth
    }

    /// The leaf of step `step` of transition `transition`.
    pub fn trace_index(&self, transition: u64, step: u64) -> u64 {
        (transition << self.bottom_depth()) | step
    }

    /// `(transition, step)` of a leaf.
    pub fn locate(&self, trace_index: u64) -> (u64, u64) {
        (
            trace_index >> self.bottom_depth(),
            trace_index & (self.steps_per_transition() - 1),
        )
    }
}

/// Where a step is: in the batch and in the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRef {
    /// The transition.
    pub kind: TransitionKind,
    /// Its index.
    pub transition: u64,
    /// The step inside it.
    pub step: u64,
    /// The step's leaf.
    pub trace_index: u64,
}

impl fmt::Display for StepRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (transition {}, step {}, trace index {})",
            self.kind, self.transition, self.step, self.trace_index
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_places_steps_inside_their_transition() {
        let l = Layout::new(3, 7).unwrap();
        assert_eq!(l.steps_per_transition(), 16);
        assert_eq!(l.max_transitions(), 8);
        assert_eq!(l.trace_index(2, 5), 37);
        assert_eq!(l.locate(37), (2, 5));
        assert_eq!(l.locate(l.trace_len() - 1), (7, 15));
        assert!(Layout::new(0, 4).is_err());
        assert!(Layout::new(4, 4).is_err());
        assert!(Layout::new(4, 63).is_err());
        assert_eq!(Layout::EVM.bottom_depth(), 24);
    }

    #[test]
    fn tx_steps_are_start_warmups_opcodes_end() {
        let (a, n) = (2, 3);
        let kinds: Vec<_> = (0..tx_steps(a, n))
            .map(|k| tx_step_kind(k, a, n).unwrap())
            .collect();
        assert_eq!(
            kinds,
            vec![
                StepKind::TxStart,
                StepKind::AccessListItem { index: 0 },
                StepKind::AccessListItem { index: 1 },
                StepKind::Opcode { index: 0 },
                StepKind::Opcode { index: 1 },
                StepKind::Opcode { index: 2 },
                StepKind::TxEnd,
            ]
        );
        assert_eq!(tx_step_kind(7, a, n), None);
    }
}
