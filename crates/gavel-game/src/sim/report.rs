//! What a simulation records and how a finished game is judged.

use super::apply::Applied;
use crate::solver::Action;
use crate::state::GameStatus;
use alloy_primitives::{Address, U256};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One action of the simulation and what became of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LogEntry {
    /// When it was sent.
    pub time: u64,
    /// Who sent it.
    pub actor: Address,
    /// What was sent.
    pub action: Action,
    /// What it did, or the Solidity name of the error that rejected it.
    pub result: Result<Applied, String>,
}

/// The outcome of a simulated game and the properties it is judged by.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SimReport {
    /// The simulation seed.
    pub seed: u64,
    /// The status the honest side must reach (from the root claim's honesty).
    pub expected: GameStatus,
    /// The status reached.
    pub status: GameStatus,
    /// Bonds the honest side paid.
    pub honest_paid: U256,
    /// Credit paid out to the honest side.
    pub honest_received: U256,
    /// Bonds paid by everyone.
    pub total_paid: U256,
    /// Credit paid out to everyone.
    pub total_paid_out: U256,
    /// Wei left in the game after every payout.
    pub final_balance: U256,
    /// Claims in the game.
    pub claims: usize,
    /// Accepted moves.
    pub moves: u64,
    /// Accepted steps.
    pub steps: u64,
    /// Rejected adversary actions by error name.
    pub rejected: BTreeMap<String, u64>,
    /// Rejected honest actions and solver failures, in words (must be empty).
    pub honest_failures: Vec<String>,
    /// Whether the subgame results equal what `resolve_all` computes from the final claims.
    pub resolution_matches: bool,
    /// The adversaries' names.
    pub adversaries: Vec<String>,
}

impl SimReport {
    /// Every property the game broke, in words (empty when the game is clean).
    pub fn violations(&self) -> Vec<String> {
        let mut v = self.honest_failures.clone();
        if self.status != self.expected {
            v.push(format!(
                "honest side lost: status {:?}, expected {:?}",
                self.status, self.expected
            ));
        }
        if self.honest_received < self.honest_paid {
            v.push(format!(
                "honest bond lost: paid {} wei, received {} wei",
                self.honest_paid, self.honest_received
            ));
        }
        if self.total_paid != self.total_paid_out || !self.final_balance.is_zero() {
            v.push(format!(
                "ETH not conserved: paid in {}, paid out {}, left {}",
                self.total_paid, self.total_paid_out, self.final_balance
            ));
        }
        if !self.resolution_matches {
            v.push("incremental resolution differs from resolve_all".to_owned());
        }
        v
    }
}
