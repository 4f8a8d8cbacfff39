//! The step's chain claims always exist (docs/protocol.md §6): whatever sequence of moves
//! built a leaf, the walk up its parents finds the claim at the required trace ancestor.

use alloy_primitives::{Address, B256};
use gavel_game::{GameConfig, GameState};
use proptest::prelude::*;

fn config(max_depth: u32) -> GameConfig {
    GameConfig {
        max_depth,
        split_depth: 1,
        ..GameConfig::toy_default()
    }
}

proptest! {
    #[test]
    fn every_leaf_has_its_step_claims(max_depth in 2u32..=7, moves in prop::collection::vec((any::<u32>(), any::<bool>()), 1..200)) {
        let mut g = GameState::new(config(max_depth), B256::ZERO, Address::ZERO, B256::ZERO, 0).unwrap();
        for (selector, is_attack) in moves {
            let live: Vec<usize> = (0..g.claims().len())
                .filter(|&i| g.claims()[i].position.depth() < max_depth && (is_attack || i != 0))
                .collect();
            if live.is_empty() {
                continue;
            }
            let parent = live[selector as usize % live.len()];
            let pos = g.claims()[parent].position.move_(is_attack);
            let bond = g.config().required_bond(pos);
            g.apply_move(parent, B256::ZERO, is_attack, Address::ZERO, bond, 0).unwrap();
        }
        for (i, claim) in g.claims().iter().enumerate() {
            if claim.position.depth() != max_depth {
                prop_assert_eq!(g.step_target(i, true), Err(gavel_game::GameError::InvalidParent));
                continue;
            }
            let t = claim.position.trace_index(max_depth);
            // Non-root claims are left children, so leaves have even trace indices and the
            // defend-step's successor always exists.
            prop_assert_eq!(t % 2, 0);
            let attack = g.step_target(i, true).unwrap();
            prop_assert_eq!(attack.trace_index, t);
            match attack.pre_state_index {
                None => prop_assert_eq!(t, 0),
                Some(p) => {
                    prop_assert_eq!(g.claims()[p].position.trace_index(max_depth), t - 1);
                    prop_assert!(is_ancestor(&g, p, i));
                }
            }
            let defend = g.step_target(i, false).unwrap();
            prop_assert_eq!(defend.trace_index, t + 1);
            prop_assert_eq!(g.claims()[defend.post_index].position.trace_index(max_depth), t + 1);
            prop_assert!(is_ancestor(&g, defend.post_index, i));
            let depth = g.claims()[defend.post_index].position.depth();
            prop_assert_eq!(defend.parent_post_agree, (max_depth - depth).is_multiple_of(2));
        }
    }
}

fn is_ancestor(g: &GameState, a: usize, mut i: usize) -> bool {
    while let Some(p) = g.claims()[i].parent_index {
        if p == a {
            return true;
        }
        i = p;
    }
    false
}
