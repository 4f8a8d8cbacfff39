//! The data directory: what the bot knows beyond the chain, so a restart loses no work.
//!
//! Everything here can be rebuilt from the chain (games from the factory's events, their
//! state from the game contracts), so the file is a cache and a ledger, not a source of
//! truth: it saves re-scanning the factory from the start block, remembers which games are
//! finished or not ours (no more reads for them), and keeps the per-game ledger (bonds posted,
//! credit claimed) that the chain only shows as scattered events.
//!
//! One JSON file, `state.json`, rewritten atomically (temporary file + rename) after every
//! poll, so a crash leaves the previous or the new version, never half a file.

use crate::ChallengerError;
use alloy_primitives::{Address, U256};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Version of `state.json`.
pub const STATE_FORMAT: u32 = 1;

/// Where a tracked game stands for the bot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// In progress, or resolved with work left (credit to claim).
    Active,
    /// Resolved and nothing left for us to claim: never read again.
    Finished {
        /// The final status (`ChallengerWins`, `DefenderWins`).
        status: String,
    },
    /// Not a game we can judge (no source for its type, the source said not ours).
    Ignored {
        /// Why.
        reason: String,
    },
}

/// The ledger of one game.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameRecord {
    /// The factory's index of the game.
    pub index: u64,
    /// Its game type.
    pub game_type: u32,
    /// The block of its `DisputeGameCreated` event (its `Move` events start there).
    pub created_block: u64,
    /// Where it stands.
    #[serde(flatten)]
    pub phase: Phase,
    /// The game's status when last read (`in_progress`, `challenger_wins`, `defender_wins`).
    #[serde(default)]
    pub status: String,
    /// Whether the honest trace agrees with the root claim (known once the source answered).
    pub root_honest: Option<bool>,
    /// Moves this bot sent.
    pub moves: u64,
    /// Steps this bot sent.
    pub steps: u64,
    /// `resolveClaim` pages and `resolve` calls this bot sent.
    pub resolutions: u64,
    /// Bonds this bot paid into the game, wei.
    pub bonds_posted: U256,
    /// Credit this bot withdrew from the game, wei.
    pub credit_claimed: U256,
}

impl GameRecord {
    /// A newly seen game.
    pub fn new(index: u64, game_type: u32, created_block: u64) -> Self {
        GameRecord {
            index,
            game_type,
            created_block,
            phase: Phase::Active,
            status: "in_progress".into(),
            root_honest: None,
            moves: 0,
            steps: 0,
            resolutions: 0,
            bonds_posted: U256::ZERO,
            credit_claimed: U256::ZERO,
        }
    }
}

/// Everything the data directory holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotState {
    /// [`STATE_FORMAT`].
    pub format: u32,
    /// The chain it was recorded on.
    pub chain_id: u64,
    /// The factory whose games it tracks.
    pub factory: Address,
    /// The bot's sending address (the ledger is this address's).
    pub operator: Address,
    /// The last block whose factory events were processed.
    pub scanned_to: Option<u64>,
    /// Every game seen, by address.
    pub games: BTreeMap<Address, GameRecord>,
}

impl BotState {
    /// An empty state.
    pub fn new(chain_id: u64, factory: Address, operator: Address) -> Self {
        BotState {
            format: STATE_FORMAT,
            chain_id,
            factory,
            operator,
            scanned_to: None,
            games: BTreeMap::new(),
        }
    }
}

/// The data directory (or none: state kept in memory only).
#[derive(Clone, Debug)]
pub struct Store {
    dir: Option<PathBuf>,
}

impl Store {
    /// A store in `dir` (created if missing), or an in-memory one.
    pub fn open(dir: Option<&Path>) -> Result<Self, ChallengerError> {
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir).map_err(|e| ChallengerError::Store {
                path: dir.to_owned(),
                message: format!("cannot create: {e}"),
            })?;
        }
        Ok(Store {
            dir: dir.map(Path::to_owned),
        })
    }

    fn state_path(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join("state.json"))
    }

    /// The saved state, or a new one when there is none. A state recorded for another chain,
    /// factory or operator is refused: mixing ledgers would misreport bonds and could skip
    /// games marked finished elsewhere.
    pub fn load(
        &self,
        chain_id: u64,
        factory: Address,
        operator: Address,
    ) -> Result<BotState, ChallengerError> {
        let fresh = BotState::new(chain_id, factory, operator);
        let Some(path) = self.state_path() else {
            return Ok(fresh);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(fresh),
            Err(e) => {
                return Err(ChallengerError::Store {
                    path,
                    message: format!("cannot read: {e}"),
                });
            }
        };
        let err = |message: String| ChallengerError::Store {
            path: path.clone(),
            message,
        };
        let state: BotState =
            serde_json::from_str(&text).map_err(|e| err(format!("not a bot state: {e}")))?;
        if state.format != STATE_FORMAT {
            return Err(err(format!(
                "format {} is not the supported {STATE_FORMAT}",
                state.format
            )));
        }
        if (state.chain_id, state.factory, state.operator) != (chain_id, factory, operator) {
            return Err(err(format!(
                "recorded for chain {} factory {} operator {}, not chain {chain_id} factory \
                 {factory} operator {operator}: use another data dir",
                state.chain_id, state.factory, state.operator
            )));
        }
        Ok(state)
    }

    /// Saves `state` atomically.
    pub fn save(&self, state: &BotState) -> Result<(), ChallengerError> {
        let Some(path) = self.state_path() else {
            return Ok(());
        };
        let err = |message: String| ChallengerError::Store {
            path: path.clone(),
            message,
        };
        let json = serde_json::to_string_pretty(state).map_err(|e| err(e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json + "\n").map_err(|e| err(format!("cannot write: {e}")))?;
        std::fs::rename(&tmp, &path).map_err(|e| err(format!("cannot replace: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_mismatch() {
        let dir = std::env::temp_dir().join(format!("gavel-store-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(Some(&dir)).unwrap();
        let (factory, op) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let mut state = store.load(31337, factory, op).unwrap();
        assert!(state.games.is_empty());
        state.scanned_to = Some(9);
        let mut rec = GameRecord::new(0, 255, 5);
        rec.phase = Phase::Ignored { reason: "x".into() };
        rec.bonds_posted = U256::from(7);
        state.games.insert(Address::repeat_byte(3), rec);
        store.save(&state).unwrap();
        assert_eq!(store.load(31337, factory, op).unwrap(), state);
        assert!(store.load(1, factory, op).is_err());
        std::fs::write(dir.join("state.json"), "{").unwrap();
        assert!(store.load(31337, factory, op).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
