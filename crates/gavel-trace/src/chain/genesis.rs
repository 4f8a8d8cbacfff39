//! The genesis file: chain configuration and initial allocation (spec §14.1).
//!
//! ```json
//! {
//!   "config": { "chainId": 901, "fork": "Osaka", "txGasCap": 8388608 },
//!   "timestamp": 1700000000,
//!   "alloc": {
//!     "0x00000000000000000000000000000000000000aa": {
//!       "balance": "0xde0b6b3a7640000", "nonce": 1,
//!       "code": "0x6001600101", "storage": { "0x0": "0x2a" }
//!     }
//!   }
//! }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use gavel_commit::record::{ChainConfig, L2_TX_GAS_CAP};
use revm::precompile::{PrecompileSpecId, Precompiles};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::state::{ChainState, Change, StateError};
use super::{LastBlock, Prestate, block_hash};
use crate::json::{self, Entries, Quantity, ValueError};

/// Largest runtime code a genesis account may hold (EIP-170; spec §5.2).
pub const MAX_CODE_SIZE: usize = 0x6000;

/// The fork every gavel chain of spec v0.1 runs.
pub const FORK: &str = "Osaka";

/// One account of the initial allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenesisAccount {
    /// Balance in wei (below 2^128, deviation D2).
    pub balance: u128,
    /// Nonce.
    pub nonce: u64,
    /// Runtime code.
    pub code: Bytes,
    /// Storage.
    pub storage: BTreeMap<U256, U256>,
}

/// A chain's configuration and initial state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Genesis {
    /// The chain configuration (spec §9.8), hashed into every block.
    pub config: ChainConfig,
    /// Timestamp of the genesis block; the first batch block must be later.
    pub timestamp: u64,
    /// The initial accounts.
    pub alloc: BTreeMap<Address, GenesisAccount>,
}

/// What is wrong with a genesis file, and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct GenesisError {
    /// The file, if read from one.
    pub file: Option<PathBuf>,
    /// The field (`config.chainId`, `alloc.0x….storage.0x1`), or empty for the whole file.
    pub at: String,
    /// What is wrong.
    pub kind: GenesisErrorKind,
}

impl fmt::Display for GenesisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.file {
            write!(f, "{}: ", p.display())?;
        }
        if !self.at.is_empty() {
            write!(f, "{}: ", self.at)?;
        }
        write!(f, "{}", self.kind)
    }
}

/// The kinds of [`GenesisError`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GenesisErrorKind {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(String),
    /// Not valid JSON, or not the expected structure (serde's message has line and column).
    #[error("malformed genesis JSON: {0}")]
    Json(String),
    /// A value does not parse.
    #[error(transparent)]
    Value(#[from] ValueError),
    /// The same address twice (addresses compare as bytes, not as text).
    #[error("duplicate account")]
    DuplicateAccount,
    /// The same storage slot twice.
    #[error("duplicate storage slot")]
    DuplicateSlot,
    /// A fork other than Osaka.
    #[error("fork {0:?} is not supported: spec v0.1 pins Osaka")]
    UnsupportedFork(String),
    /// A per-transaction gas cap other than 2^23.
    #[error("tx gas cap {0} is not supported: spec v0.1 pins 2^23 = 8388608 (deviation D3)")]
    UnsupportedGasCap(u64),
    /// Code above the EIP-170 limit.
    #[error("code of {len} bytes exceeds the EIP-170 limit of {MAX_CODE_SIZE} bytes")]
    CodeTooLarge {
        /// Code length.
        len: usize,
    },
    /// Code starting with 0xEF: EOF or an EIP-7702 delegation, neither of which the chain
    /// model supports (EIP-3541 forbids deploying it; a genesis must not smuggle it in).
    #[error("code starts with 0xEF (EOF / EIP-7702 delegation), which is not supported")]
    CodeStartsWithEf,
    /// Code at a precompile address would never run.
    #[error("code at precompile address")]
    CodeAtPrecompile,
    /// An empty account (EIP-161) with storage: the first touch would delete it.
    #[error("account is empty (no code, nonce 0, balance 0) but has storage")]
    EmptyAccountWithStorage,
    /// The balances sum to 2^128 or more (deviation D2: supply stays below 2^128).
    #[error("total supply exceeds 2^128 - 1 (deviation D2)")]
    TotalSupplyOverflow,
    /// The state refused the account (after validation this is a bug, reported not hidden).
    #[error("state refused the account: {0}")]
    State(#[from] StateError),
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawConfig {
    chain_id: Quantity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fork: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tx_gas_cap: Option<Quantity>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    balance: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nonce: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    storage: Option<Entries<Quantity>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawGenesis {
    config: RawConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timestamp: Option<Quantity>,
    alloc: Entries<RawAccount>,
}

fn err(at: impl Into<String>, kind: impl Into<GenesisErrorKind>) -> GenesisError {
    GenesisError {
        file: None,
        at: at.into(),
        kind: kind.into(),
    }
}

impl Genesis {
    /// An empty allocation for `chain_id` with the v0.1 configuration.
    pub fn new(chain_id: u64) -> Self {
        Self {
            config: ChainConfig::osaka(chain_id),
            timestamp: 0,
            alloc: BTreeMap::new(),
        }
    }

    /// Read a genesis file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, GenesisError> {
        let path = path.as_ref();
        let with_file = |mut e: GenesisError| {
            e.file = Some(path.to_owned());
            e
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| with_file(err("", GenesisErrorKind::Io(e.to_string()))))?;
        Self::from_json(&text).map_err(with_file)
    }

    /// Parse and validate genesis JSON.
    pub fn from_json(text: &str) -> Result<Self, GenesisError> {
        let raw: RawGenesis = serde_json::from_str(text)
            .map_err(|e| err("", GenesisErrorKind::Json(e.to_string())))?;
        let chain_id = raw
            .config
            .chain_id
            .to_u64()
            .map_err(|e| err("config.chainId", e))?;
        let mut config = ChainConfig::osaka(chain_id);
        if let Some(fork) = raw.config.fork {
            config.fork = fork;
        }
        if let Some(cap) = raw.config.tx_gas_cap {
            config.tx_gas_cap = cap.to_u64().map_err(|e| err("config.txGasCap", e))?;
        }
        let timestamp = match raw.timestamp {
            Some(t) => t.to_u64().map_err(|e| err("timestamp", e))?,
            None => 0,
        };
        let mut alloc = BTreeMap::new();
        for (key, acc) in raw.alloc.0 {
            let at = format!("alloc.{key}");
            let address = json::address(&key).map_err(|e| err(&at, e))?;
            let parsed = parse_account(&at, acc)?;
            if alloc.insert(address, parsed).is_some() {
                return Err(err(at, GenesisErrorKind::DuplicateAccount));
            }
        }
        let g = Self {
            config,
            timestamp,
            alloc,
        };
        g.validate()?;
        Ok(g)
    }

    /// Check what the chain model requires of a genesis, whether parsed or built in Rust.
    pub fn validate(&self) -> Result<(), GenesisError> {
        if self.config.fork != FORK {
            return Err(err(
                "config.fork",
                GenesisErrorKind::UnsupportedFork(self.config.fork.clone()),
            ));
        }
        if self.config.tx_gas_cap != L2_TX_GAS_CAP {
            return Err(err(
                "config.txGasCap",
                GenesisErrorKind::UnsupportedGasCap(self.config.tx_gas_cap),
            ));
        }
        let precompiles = Precompiles::new(PrecompileSpecId::OSAKA);
        let mut supply: u128 = 0;
        for (address, acc) in &self.alloc {
            let at = format!("alloc.{address:#x}");
            if acc.code.len() > MAX_CODE_SIZE {
                return Err(err(
                    at,
                    GenesisErrorKind::CodeTooLarge {
                        len: acc.code.len(),
                    },
                ));
            }
            if acc.code.first() == Some(&0xef) {
                return Err(err(at, GenesisErrorKind::CodeStartsWithEf));
            }
            if !acc.code.is_empty() && precompiles.contains(address) {
                return Err(err(at, GenesisErrorKind::CodeAtPrecompile));
            }
            let empty = acc.code.is_empty() && acc.nonce == 0 && acc.balance == 0;
            if empty && acc.storage.values().any(|v| !v.is_zero()) {
                return Err(err(at, GenesisErrorKind::EmptyAccountWithStorage));
            }
            supply = supply
                .checked_add(acc.balance)
                .ok_or_else(|| err(at, GenesisErrorKind::TotalSupplyOverflow))?;
        }
        Ok(())
    }

    /// The genesis as JSON (deterministic: accounts and slots sorted, quantities in hex).
    pub fn to_json(&self) -> String {
        let alloc = self
            .alloc
            .iter()
            .map(|(a, acc)| {
                let raw = RawAccount {
                    balance: Some(Quantity::hex(U256::from(acc.balance))),
                    nonce: (acc.nonce != 0).then(|| Quantity::num(acc.nonce)),
                    code: (!acc.code.is_empty()).then(|| json::to_hex(&acc.code)),
                    storage: (!acc.storage.is_empty()).then(|| {
                        Entries(
                            acc.storage
                                .iter()
                                .map(|(k, v)| (format!("{k:#x}"), Quantity::hex(*v)))
                                .collect(),
                        )
                    }),
                };
                (format!("{a:#x}"), raw)
            })
            .collect();
        json::pretty(&RawGenesis {
            config: RawConfig {
                chain_id: Quantity::num(self.config.chain_id),
                fork: Some(self.config.fork.clone()),
                tx_gas_cap: Some(Quantity::num(self.config.tx_gas_cap)),
            },
            timestamp: Some(Quantity::num(self.timestamp)),
            alloc: Entries(alloc),
        })
    }

    /// The chain-config hash every block pins (spec §9.8).
    pub fn config_hash(&self) -> B256 {
        self.config.hash()
    }

    /// The genesis world state. Empty accounts (no code, nonce 0, balance 0, no storage) are
    /// left out: post-EIP-161 they are indistinguishable from absent ones.
    pub fn state(&self) -> Result<ChainState, GenesisError> {
        self.validate()?;
        let mut s = ChainState::new();
        for (address, acc) in &self.alloc {
            let at = || format!("alloc.{address:#x}");
            let empty = acc.code.is_empty() && acc.nonce == 0 && acc.balance == 0;
            if empty {
                continue;
            }
            let code_hash = keccak256(&acc.code);
            let mut changes = vec![
                Change::Code {
                    hash: code_hash,
                    code: acc.code.clone(),
                },
                Change::Account {
                    address: *address,
                    nonce: acc.nonce,
                    balance: acc.balance,
                    code_hash,
                },
            ];
            changes.extend(acc.storage.iter().map(|(slot, value)| Change::Slot {
                address: *address,
                slot: *slot,
                value: *value,
            }));
            s.apply_all(&changes)
                .map_err(|e| err(at(), GenesisErrorKind::State(e)))?;
        }
        Ok(s)
    }

    /// The state a first batch starts from: the genesis state, and block 0 with the genesis
    /// hash (spec §14.3).
    pub fn prestate(&self) -> Result<Prestate, GenesisError> {
        let state = self.state()?;
        let hash = block_hash(
            &B256::ZERO,
            &B256::ZERO,
            &state.world_root(),
            &B256::ZERO,
            0,
        );
        Ok(Prestate {
            config: self.config.clone(),
            state,
            last_block: LastBlock {
                number: 0,
                timestamp: self.timestamp,
                hash,
            },
        })
    }
}

fn parse_account(at: &str, raw: RawAccount) -> Result<GenesisAccount, GenesisError> {
    let field = |f: &str| format!("{at}.{f}");
    let balance = match raw.balance {
        Some(b) => b.to_u128().map_err(|e| err(field("balance"), e))?,
        None => 0,
    };
    let nonce = match raw.nonce {
        Some(n) => n.to_u64().map_err(|e| err(field("nonce"), e))?,
        None => 0,
    };
    let code = match raw.code {
        Some(c) => Bytes::from(json::bytes(&c).map_err(|e| err(field("code"), e))?),
        None => Bytes::new(),
    };
    let mut storage = BTreeMap::new();
    for (k, v) in raw.storage.unwrap_or_default().0 {
        let at = field(&format!("storage.{k}"));
        let slot = Quantity(k).to_u256().map_err(|e| err(&at, e))?;
        let value = v.to_u256().map_err(|e| err(&at, e))?;
        if storage.insert(slot, value).is_some() {
            return Err(err(at, GenesisErrorKind::DuplicateSlot));
        }
    }
    Ok(GenesisAccount {
        balance,
        nonce,
        code,
        storage,
    })
}
