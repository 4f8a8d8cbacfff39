//! Random dispute scenarios: what a game looks like before it is played.

use gavel_game::Strategy;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Everything that decides one fuzzed game, derived from `(run seed, game index)` alone so a
/// failing game can be replayed on its own with `--game-seed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// Seed of this game (all randomness of the game derives from it).
    pub game_seed: u64,
    /// Number of real steps in the toy trace; the rest of the tree stutters.
    pub trace_length: u64,
    /// Whether the root claim is the honest final state.
    pub honest_root: bool,
    /// Trace index from which the dishonest traces (root and liars) diverge.
    pub divergence: u64,
    /// The adversaries playing, in actor order.
    pub adversaries: Vec<Strategy>,
}

/// Derives a game's seed from the run seed and the game's index (splitmix64 of both), so
/// every game of a run is independent of the others.
pub fn game_seed(run_seed: u64, index: u64) -> u64 {
    let mut z = run_seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Scenario {
    /// Draws a scenario from `game_seed` for a tree of `max_depth` with 1..=`max_adversaries`
    /// adversaries, each with a strategy drawn from `strategies`.
    pub fn generate(
        game_seed: u64,
        max_depth: u32,
        max_adversaries: usize,
        strategies: &[Strategy],
    ) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(game_seed);
        let leaves = 1u64 << max_depth;
        let trace_length = rng.random_range(1..=leaves);
        let honest_root = rng.random_bool(0.5);
        // A divergence inside the real trace makes the dispute end in a real step; one past
        // its end makes the liar claim extra steps that the honest trace stutters through.
        let divergence = rng.random_range(0..=trace_length.min(leaves - 1));
        let count = rng.random_range(1..=max_adversaries.max(1));
        let adversaries = (0..count)
            .map(|_| strategies[rng.random_range(0..strategies.len())].clone())
            .collect();
        Self {
            game_seed,
            trace_length,
            honest_root,
            divergence,
            adversaries,
        }
    }
}
