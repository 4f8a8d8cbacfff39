//! Scripted adversaries: an arbitrary (e.g. proptest-drawn) move sequence mapped onto
//! whatever game they meet.

use super::{Adversary, ScriptedMove, ValueChoice, bonded_move, movable, value_for};
use crate::solver::Action;
use crate::state::GameState;
use crate::trace::{SharedTrace, TraceProvider};
use alloy_primitives::keccak256;
use alloy_sol_types::SolValue;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Length of a script drawn from the seed.
const DRAWN_SCRIPT_LEN: usize = 48;

/// Plays one scripted move per turn, in order, then stops.
pub struct Scripted {
    script: Vec<ScriptedMove>,
    next: usize,
    lying: SharedTrace,
}

impl Scripted {
    /// A scripted player; an empty `script` is replaced by one drawn from `seed`.
    pub fn new(script: Vec<ScriptedMove>, seed: u64, lying: SharedTrace) -> Self {
        let script = if script.is_empty() {
            draw_script(seed)
        } else {
            script
        };
        Scripted {
            script,
            next: 0,
            lying,
        }
    }
}

/// A random script of 48 moves drawn from `seed`.
pub fn draw_script(seed: u64) -> Vec<ScriptedMove> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..DRAWN_SCRIPT_LEN)
        .map(|_| ScriptedMove {
            claim_selector: rng.random(),
            is_attack: rng.random_bool(0.5),
            value: match rng.random_range(0..3) {
                0 => ValueChoice::Honest,
                1 => ValueChoice::Lie(rng.random()),
                _ => ValueChoice::CopyOf(rng.random()),
            },
        })
        .collect()
}

impl Adversary for Scripted {
    fn name(&self) -> String {
        format!("scripted({} moves)", self.script.len())
    }

    fn act(
        &mut self,
        game: &GameState,
        honest: &dyn TraceProvider,
        _: &mut dyn RngCore,
        now: u64,
    ) -> Vec<Action> {
        let Some(mv) = self.script.get(self.next).copied() else {
            return Vec::new();
        };
        self.next += 1;
        let legal: Vec<usize> = (0..game.claims().len())
            .filter(|&i| movable(game, i, now) && (mv.is_attack || i != 0))
            .collect();
        if legal.is_empty() {
            return Vec::new();
        }
        let parent = legal[mv.claim_selector as usize % legal.len()];
        let truth = value_for(game, honest, parent, mv.is_attack);
        let value = match mv.value {
            ValueChoice::Honest => truth,
            ValueChoice::Lie(x) if x % 2 == 0 => {
                value_for(game, &*self.lying, parent, mv.is_attack)
            }
            ValueChoice::Lie(x) => keccak256((truth, x).abi_encode()),
            ValueChoice::CopyOf(c) => game.claims()[c as usize % game.claims().len()].claim,
        };
        bonded_move(game, parent, mv.is_attack, value)
            .into_iter()
            .collect()
    }
}
