//! Ethereum state tests (EEST `state_test` fixtures) as gavel inputs.
//!
//! A state-test file maps test names to units (`pre`, `env`, `transaction`, `post`). Every
//! entry of `post.Osaka` becomes a [`Case`]: the pre-state as a gavel [`Genesis`], a one-block
//! batch holding the entry's signed transaction (its `txbytes`, or the transaction signed with
//! `secretKey`), and what Ethereum says comes out (post-state root, logs hash, or an expected
//! exception). What gavel cannot represent becomes [`Unsupported`] with a stable reason.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alloy_consensus::Transaction;
use alloy_consensus::TxEnvelope;
use alloy_eips::eip2718::Decodable2718;
use alloy_primitives::{B256, Bytes, U256};
use alloy_signer_local::PrivateKeySigner;
use gavel_commit::record::{ChainConfig, L2_TX_GAS_CAP};
use gavel_trace::batch::{TxRequest, TxType};
use gavel_trace::chain::{GenesisAccount, LastBlock, block_hash};
use gavel_trace::{Batch, BatchTx, Block, BlockContext, Genesis, Prestate};
use revm_statetest_types::{SpecName, Test, TestSuite, TestUnit};

use crate::Error;
use crate::unsupported::{self, Unsupported};

/// The only fork gavel runs.
pub const FORK: &str = "Osaka";

/// Check a `--fork` argument.
pub fn check_fork(fork: &str) -> Result<(), Error> {
    if fork == FORK {
        Ok(())
    } else {
        Err(Error::Fork(fork.to_owned()))
    }
}

/// What gavel runs for a case.
#[derive(Debug, Clone)]
pub struct CaseInput {
    /// The pre-state as a genesis.
    pub genesis: Genesis,
    /// The prestate the batch continues (the genesis state, the block before `env`'s).
    pub prestate: Prestate,
    /// One block with the entry's transaction.
    pub batch: Batch,
}

/// One `post.Osaka` entry of one test.
#[derive(Debug, Clone)]
pub struct Case {
    /// The file it came from.
    pub file: PathBuf,
    /// The test's name.
    pub test: String,
    /// Index of the entry in `post.Osaka`.
    pub index: usize,
    /// Expected MPT post-state root.
    pub expected_root: B256,
    /// Expected logs hash.
    pub expected_logs: B256,
    /// The exception the entry expects, if the transaction is invalid.
    pub expect_exception: Option<String>,
    /// The case, or why gavel cannot represent it.
    pub input: Result<CaseInput, Unsupported>,
}

impl Case {
    /// `file test[index]`, for messages.
    pub fn name(&self) -> String {
        format!("{} {}[{}]", self.file.display(), self.test, self.index)
    }
}

/// The state-test files under `paths`: a file is taken as is, a directory is walked
/// recursively for `*.json` files, sorted by path.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| io(p, e))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
    Ok(())
}

fn io(file: &Path, e: std::io::Error) -> Error {
    Error::Io {
        file: file.to_owned(),
        message: e.to_string(),
    }
}

/// Read a state-test file and make its Osaka cases (tests in name order, entries in file order).
pub fn load_file(file: &Path) -> Result<Vec<Case>, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| io(file, e))?;
    parse(file, &text)
}

/// Parse state-test JSON read from `file` (named in errors).
pub fn parse(file: &Path, text: &str) -> Result<Vec<Case>, Error> {
    let suite: TestSuite = serde_json::from_str(text).map_err(|e| Error::StateTestJson {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let mut cases = Vec::new();
    for (name, unit) in &suite.0 {
        let Some(entries) = unit.post.get(&SpecName::Osaka) else {
            continue;
        };
        for (index, entry) in entries.iter().enumerate() {
            cases.push(Case {
                file: file.to_owned(),
                test: name.clone(),
                index,
                expected_root: entry.hash,
                expected_logs: entry.logs,
                expect_exception: entry.expect_exception.clone(),
                input: case_input(unit, entry),
            });
        }
    }
    Ok(cases)
}

/// Build what gavel runs for one entry. The checks run in a fixed order so that a case with
/// several problems always gets the same reason: transaction bytes and type, decoding, the
/// per-transaction gas cap, the pre-state, the block environment.
fn case_input(unit: &TestUnit, entry: &Test) -> Result<CaseInput, Unsupported> {
    let raw = tx_bytes(unit, entry)?;
    let first = *raw
        .first()
        .ok_or_else(|| Unsupported::new("undecodable transaction", "empty txbytes"))?;
    if first < 0x7f && !matches!(first, 0x01 | 0x02) {
        return Err(Unsupported::new(unsupported::tx_type(first), ""));
    }
    let expecting = entry.expect_exception.is_some();
    let exception = |detail: String| {
        Unsupported::new(
            unsupported::EXPECTED_EXCEPTION,
            format!(
                "{} ({detail})",
                entry.expect_exception.as_deref().unwrap_or_default()
            ),
        )
    };
    let envelope = TxEnvelope::decode_2718_exact(&raw[..]).map_err(|e| {
        if expecting {
            exception(e.to_string())
        } else {
            Unsupported::new("undecodable transaction", e.to_string())
        }
    })?;
    let chain_id = envelope.chain_id().ok_or_else(|| {
        Unsupported::new("legacy transaction without EIP-155 chain id", String::new())
    })?;
    let tx = BatchTx::decode(&raw, chain_id).map_err(|e| {
        if expecting {
            exception(e.to_string())
        } else {
            unsupported::tx_error(&e)
        }
    })?;
    if !expecting && tx.gas_limit() > L2_TX_GAS_CAP {
        return Err(Unsupported::new(
            unsupported::GAS_CAP_D3,
            format!("gas limit {}", tx.gas_limit()),
        ));
    }
    let context = block_context(unit)?;
    let genesis = genesis(unit, chain_id, context.timestamp - 1)?;
    let state = genesis
        .state()
        .map_err(|e| unsupported::genesis_error(&e.kind, e.to_string()))?;
    let root = state.world_root();
    let prestate = Prestate {
        config: genesis.config.clone(),
        state,
        last_block: LastBlock {
            number: context.number - 1,
            timestamp: genesis.timestamp,
            hash: block_hash(&B256::ZERO, &B256::ZERO, &root, &B256::ZERO, 0),
        },
    };
    let batch = Batch::new(
        chain_id,
        vec![Block {
            context,
            txs: vec![tx],
        }],
    )
    .map_err(|e| Unsupported::new("batch rejected", e.to_string()))?;
    Ok(CaseInput {
        genesis,
        prestate,
        batch,
    })
}

/// The entry's signed transaction: `txbytes`, or the transaction signed with `secretKey`.
fn tx_bytes(unit: &TestUnit, entry: &Test) -> Result<Bytes, Unsupported> {
    if let Some(b) = &entry.txbytes {
        return Ok(b.clone());
    }
    let t = &unit.transaction;
    let no = |what: &str| Unsupported::new("transaction not signable", what.to_owned());
    let key = t
        .secret_key
        .ok_or_else(|| no("no txbytes and no secretKey"))?;
    let key = PrivateKeySigner::from_bytes(&key).map_err(|e| no(&e.to_string()))?;
    let idx = &entry.indexes;
    let ty = t
        .tx_type(idx.data)
        .ok_or_else(|| no("no transaction type"))?;
    let ty = match ty as u8 {
        0 => TxType::Legacy,
        1 => TxType::Eip2930,
        2 => TxType::Eip1559,
        other => return Err(Unsupported::new(unsupported::tx_type(other), "")),
    };
    let pick = |v: &[U256], i: usize, what: &str| {
        v.get(i)
            .copied()
            .ok_or_else(|| no(&format!("{what} index {i} out of range")))
    };
    let fee = |v: Option<U256>| v.map_or(Ok(0), |v| u128::try_from(v).map_err(|_| no("fee")));
    let req = TxRequest {
        ty,
        to: t.to,
        value: pick(&t.value, idx.value, "value")?,
        input: t
            .data
            .get(idx.data)
            .cloned()
            .ok_or_else(|| no("data index out of range"))?,
        gas_limit: u64::try_from(pick(&t.gas_limit, idx.gas, "gas")?)
            .map_err(|_| Unsupported::new(unsupported::GAS_CAP_D3, "gas limit above 2^64"))?,
        max_fee: fee(t.gas_price.or(t.max_fee_per_gas))?,
        priority_fee: fee(t.max_priority_fee_per_gas)?,
        access_list: t
            .access_lists
            .get(idx.data)
            .cloned()
            .flatten()
            .unwrap_or_default(),
        nonce: None,
    };
    let chain_id = t
        .chain_id
        .map_or(Ok(1), |c| u64::try_from(c).map_err(|_| no("chain id")))?;
    let nonce = u64::try_from(t.nonce).map_err(|_| no("nonce above 2^64"))?;
    Ok(req.sign(&key, chain_id, nonce))
}

fn block_context(unit: &TestUnit) -> Result<BlockContext, Unsupported> {
    let env = &unit.env;
    let u64_of = |v: U256, what: &str| {
        u64::try_from(v).map_err(|_| {
            Unsupported::new("block environment value above 2^64", format!("{what} {v}"))
        })
    };
    let number = u64_of(env.current_number, "number")?;
    let timestamp = u64_of(env.current_timestamp, "timestamp")?;
    if number == 0 || timestamp == 0 {
        return Err(Unsupported::new(
            "block number or timestamp 0",
            format!("number {number}, timestamp {timestamp}"),
        ));
    }
    if env.current_excess_blob_gas.is_some_and(|x| !x.is_zero()) {
        return Err(Unsupported::new(
            "excess blob gas != 0",
            "gavel's BLOBBASEFEE is always 1 wei",
        ));
    }
    Ok(BlockContext {
        number,
        timestamp,
        coinbase: env.current_coinbase,
        base_fee: u64_of(env.current_base_fee.unwrap_or_default(), "baseFee")?,
        prev_randao: env.current_random.unwrap_or_default(),
        gas_limit: u64_of(env.current_gas_limit, "gasLimit")?,
    })
}

fn genesis(unit: &TestUnit, chain_id: u64, timestamp: u64) -> Result<Genesis, Unsupported> {
    let mut alloc = BTreeMap::new();
    for (address, acc) in &unit.pre {
        let balance = u128::try_from(acc.balance).map_err(|_| {
            Unsupported::new(
                unsupported::BALANCE_D2,
                format!("{address}: balance {}", acc.balance),
            )
        })?;
        let account = GenesisAccount {
            balance,
            nonce: acc.nonce,
            code: acc.code.clone(),
            storage: acc.storage.iter().map(|(k, v)| (*k, *v)).collect(),
        };
        alloc.insert(*address, account);
    }
    let g = Genesis {
        config: ChainConfig::osaka(chain_id),
        timestamp,
        alloc,
    };
    g.validate()
        .map_err(|e| unsupported::genesis_error(&e.kind, e.to_string()))?;
    Ok(g)
}
