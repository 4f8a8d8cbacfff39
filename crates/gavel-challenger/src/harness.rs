//! Dishonest players for tests and demos: an adversary from `gavel_game`'s zoo acting on a
//! game that lives on a chain (read, replay, act, send). Not used by the bot itself.

use crate::agent::{replay, send_action};
use alloy_primitives::Address;
use gavel_chain::{L1, game};
use gavel_game::{Adversary, SharedTrace, Strategy, TraceProvider, make_adversary};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One adversary sending from `address`.
pub struct ChainAdversary {
    /// Its sending address.
    pub address: Address,
    adversary: Box<dyn Adversary>,
    rng: ChaCha8Rng,
}

impl ChainAdversary {
    /// An adversary of `strategy` at `address` lying with `lying` (see `make_adversary`).
    pub fn new(strategy: &Strategy, address: Address, seed: u64, lying: SharedTrace) -> Self {
        ChainAdversary {
            address,
            adversary: make_adversary(strategy, address, seed, lying),
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Its description.
    pub fn name(&self) -> String {
        self.adversary.name()
    }

    /// Reads `game_addr`, lets the adversary act, sends its actions; returns how many landed
    /// (the contract may refuse some: adversaries try illegal things on purpose).
    pub async fn act(
        &mut self,
        l1: &impl L1,
        game_addr: Address,
        honest: &dyn TraceProvider,
    ) -> usize {
        let (Ok(view), Ok(now)) = (game::read_game(l1, game_addr).await, l1.timestamp().await)
        else {
            return 0;
        };
        let Ok(state) = replay(&view, now) else {
            return 0;
        };
        let actions = self.adversary.act(&state, honest, &mut self.rng, now);
        let mut landed = 0;
        for action in &actions {
            if let Ok(Some(_)) = send_action(l1, game_addr, &state, self.address, action).await {
                landed += 1;
            }
        }
        landed
    }
}
