//! Generalized-index arithmetic for the game tree (docs/protocol.md §2).
//!
//! A position is `2^depth + indexAtDepth`. Every function is total: position 0 does not exist
//! in a game, but the functions still return a value for it instead of panicking, because
//! positions may come from untrusted input (events, scripted adversaries).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A node of the game tree as a generalized index, like Solidity's `Position` (`uint128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Position(pub u128);

impl Position {
    /// The root position, `1`.
    pub const ROOT: Position = Position(1);

    /// The raw generalized index.
    pub const fn raw(self) -> u128 {
        self.0
    }

    /// `2^depth + index`, or `None` when `index >= 2^depth` or the depth does not fit.
    pub fn from_depth_index(depth: u32, index: u128) -> Option<Position> {
        let base = 1u128.checked_shl(depth)?;
        // `checked_shl` accepts 127, where `base` is the top bit: any index then still fits.
        (index < base).then_some(Position(base | index))
    }

    /// The index of the highest set bit (0 for the root, and for the invalid position 0).
    pub const fn depth(self) -> u32 {
        match self.0.checked_ilog2() {
            Some(d) => d,
            None => 0,
        }
    }

    /// `p − 2^depth(p)`.
    pub const fn index_at_depth(self) -> u128 {
        match self.0.checked_ilog2() {
            Some(d) => self.0 ^ (1u128 << d),
            None => 0,
        }
    }

    /// The left child `2p`.
    pub const fn left_child(self) -> Position {
        Position(self.0 << 1)
    }

    /// The right child `2p + 1`.
    pub const fn right_child(self) -> Position {
        Position((self.0 << 1) | 1)
    }

    /// The parent `p / 2`.
    pub const fn parent(self) -> Position {
        Position(self.0 >> 1)
    }

    /// The position of a counter to a claim at `self`: `(p | !isAttack) << 1`. An attack goes
    /// to the left child, a defend to the left child of the right neighbour.
    pub const fn move_(self, is_attack: bool) -> Position {
        Position((self.0 | (!is_attack) as u128) << 1)
    }

    /// The right-most leaf (at `max_depth`) under `self`: `((p + 1) << (max − depth)) − 1`.
    /// A position deeper than `max_depth` is returned unchanged.
    pub const fn right_index(self, max_depth: u32) -> Position {
        let remaining = max_depth.saturating_sub(self.depth());
        Position((self.0.wrapping_add(1) << remaining).wrapping_sub(1))
    }

    /// The trace index the claim at `self` commits to: `indexAtDepth(rightIndex(p, max))`.
    /// The claim commits to the state after `trace_index + 1` steps.
    pub const fn trace_index(self, max_depth: u32) -> u64 {
        // `max_depth <= 62` (validated config) so the leaf index fits in 64 bits.
        self.right_index(max_depth).index_at_depth() as u64
    }

    /// The highest ancestor-or-self committing to the same trace index that is a left child or
    /// the root: `p >> trailingOnes(p)`, or the root when `p` is all ones (that shift gives 0).
    pub const fn trace_ancestor(self) -> Position {
        let shifted = self.0 >> self.0.trailing_ones();
        if shifted == 0 {
            Position::ROOT
        } else {
            Position(shifted)
        }
    }

    /// Whether `self` lies in the subtree rooted at `ancestor` (or is `ancestor`).
    pub const fn is_under(self, ancestor: Position) -> bool {
        let (d, a) = (self.depth(), ancestor.depth());
        d >= a && self.0 >> (d - a) == ancestor.0
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (depth {}, index {})",
            self.0,
            self.depth(),
            self.index_at_depth()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_tree_by_hand() {
        // max depth 2: leaves 4..=7 are trace indices 0..=3.
        assert_eq!(Position::ROOT.depth(), 0);
        assert_eq!(Position(5).depth(), 2);
        assert_eq!(Position(5).index_at_depth(), 1);
        assert_eq!(Position::ROOT.move_(true), Position(2));
        assert_eq!(Position(2).move_(false), Position(6));
        assert_eq!(Position(6).move_(true), Position(12));
        assert_eq!(Position::ROOT.trace_index(2), 3);
        assert_eq!(Position(2).trace_index(2), 1);
        assert_eq!(Position(6).trace_index(2), 2);
        assert_eq!(Position(3).right_index(2), Position(7));
        assert_eq!(Position(5).trace_ancestor(), Position(2));
        assert_eq!(Position(4).trace_ancestor(), Position(4));
        assert_eq!(Position(11).trace_ancestor(), Position(2));
        // The right-most leaf commits to the root's trace index.
        assert_eq!(Position(7).trace_ancestor(), Position::ROOT);
        assert_eq!(Position(3).trace_ancestor(), Position::ROOT);
        assert_eq!(Position::ROOT.trace_ancestor(), Position::ROOT);
    }

    #[test]
    fn invalid_inputs_do_not_panic() {
        assert_eq!(Position(0).depth(), 0);
        assert_eq!(Position(0).index_at_depth(), 0);
        assert_eq!(Position(0).trace_ancestor(), Position::ROOT);
        assert_eq!(Position(16).right_index(2), Position(16));
        assert_eq!(Position::from_depth_index(2, 4), None);
        assert_eq!(Position::from_depth_index(128, 0), None);
        assert_eq!(
            Position::from_depth_index(127, 5),
            Some(Position((1 << 127) | 5))
        );
        let _ = Position(u128::MAX).move_(false);
        let _ = Position(u128::MAX).right_index(200);
    }

    fn position(max_depth: u32) -> impl Strategy<Value = Position> {
        (0..=max_depth).prop_flat_map(|d| {
            (0..(1u128 << d)).prop_map(move |i| Position::from_depth_index(d, i).unwrap())
        })
    }

    proptest! {
        #[test]
        fn depth_index_round_trip(p in position(62)) {
            prop_assert_eq!(Position::from_depth_index(p.depth(), p.index_at_depth()), Some(p));
        }

        #[test]
        fn moves_are_left_children_one_level_down(p in position(61), attack: bool) {
            let m = p.move_(attack);
            prop_assert_eq!(m.depth(), p.depth() + 1);
            prop_assert_eq!(m.0 % 2, 0);
            if attack {
                prop_assert_eq!(m, p.left_child());
                prop_assert_eq!(m.parent(), p);
            } else {
                prop_assert_eq!(m, Position(p.0 | 1).left_child());
                if p.0 % 2 == 0 {
                    // A defend of a left child goes under its right sibling.
                    prop_assert_eq!(m.parent(), Position(p.0 + 1));
                }
            }
        }

        #[test]
        fn attack_commits_to_the_midpoint(p in position(58), extra in 1u32..=4) {
            // The attack's range is the left half of `p`'s range: it ends in the middle.
            let max = p.depth() + extra;
            let width = 1u64 << (max - p.depth());
            let first = (p.right_index(max).index_at_depth() as u64) + 1 - width;
            prop_assert_eq!(p.move_(true).trace_index(max), first + width / 2 - 1);
        }

        #[test]
        fn trace_ancestor_keeps_the_trace_index(p in position(62), extra in 0u32..=2) {
            let max = p.depth() + extra;
            let a = p.trace_ancestor();
            prop_assert_eq!(a.trace_index(max), p.trace_index(max));
            prop_assert!(p.is_under(a));
            prop_assert!(a == Position::ROOT || a.0 % 2 == 0);
            // Highest: the parent of a left child commits to a different trace index.
            if a != Position::ROOT {
                prop_assert_ne!(a.parent().trace_index(max), p.trace_index(max));
            }
        }

        #[test]
        fn right_index_is_a_leaf_under_p(p in position(60), extra in 0u32..=2) {
            let max = p.depth() + extra;
            let r = p.right_index(max);
            prop_assert_eq!(r.depth(), max);
            prop_assert!(r.is_under(p));
            // The next leaf is outside (every leaf is under the root).
            prop_assert!(p == Position::ROOT || !Position(r.0 + 1).is_under(p));
        }
    }
}
