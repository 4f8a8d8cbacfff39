//! An L1 inside the process: revm 43 at Osaka over an in-memory database.
//!
//! Each `send` is one transaction in its own new block (number + 1, timestamp = the test
//! clock). Gas accounting is revm's mainnet handler untouched: intrinsic gas, calldata, access
//! costs, refunds and the EIP-7623 calldata floor (active at Osaka) are all charged, so
//! `gas_used` equals what a real Osaka chain puts in the receipt. Only the fee market is
//! simplified: the base fee is configurable (default 0) and the gas price equals it, so with
//! the default balances change by transferred value only.
//!
//! A transaction that reverts or halts is not mined (nothing changes, no nonce is used), like
//! the JSON-RPC backend that simulates before it sends.

use crate::{ChainError, L1, LogEntry, LogFilter, TimeControl, TxReceipt, TxRequest};
use alloy::primitives::{Address, B256, Bytes, TxKind, U256, keccak256};
use revm::context::result::{EVMError, ExecutionResult, Output};
use revm::context::{BlockEnv, TxEnv};
use revm::context_interface::ContextTr;
use revm::database::{CacheDB, EmptyDB};
use revm::handler::{MainnetContext, MainnetEvm};
use revm::primitives::eip7825::TX_GAS_LIMIT_CAP;
use revm::primitives::hardfork::SpecId;
use revm::state::AccountInfo;
use revm::{Context, DatabaseCommit, DatabaseRef, ExecuteEvm, MainBuilder, MainContext};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

type Evm = MainnetEvm<MainnetContext<CacheDB<EmptyDB>>>;
type Db = CacheDB<EmptyDB>;

/// Settings of an [`InProcessL1`].
#[derive(Clone, Debug)]
pub struct InProcessConfig {
    /// Chain id (CHAINID opcode, transaction chain id).
    pub chain_id: u64,
    /// Timestamp of the genesis block.
    pub genesis_timestamp: u64,
    /// Base fee per gas; transactions pay exactly this price.
    pub base_fee: u64,
    /// Block gas limit.
    pub block_gas_limit: u64,
    /// Funded senders. Empty: `dev_accounts` deterministic addresses are generated.
    pub accounts: Vec<Address>,
    /// How many addresses to generate when `accounts` is empty.
    pub dev_accounts: usize,
    /// Initial balance of every sender.
    pub initial_balance: U256,
}

impl Default for InProcessConfig {
    fn default() -> Self {
        Self {
            chain_id: 1337,
            genesis_timestamp: 1_700_000_000,
            base_fee: 0,
            block_gas_limit: 60_000_000,
            accounts: Vec::new(),
            dev_accounts: 10,
            // 10^24 wei = one million ether: enough for any number of bonds in a test.
            initial_balance: U256::from(10u64).pow(U256::from(24u64)),
        }
    }
}

/// The `i`-th generated dev address (deterministic, no key: the in-process L1 does not verify
/// signatures).
pub fn dev_address(i: usize) -> Address {
    let seed = keccak256(format!("gavel in-process dev account {i}"));
    Address::from_word(seed)
}

/// An in-process L1 chain. Share it behind `Arc`; calls are serialized by a mutex.
pub struct InProcessL1 {
    inner: Mutex<Chain>,
    chain_id: u64,
}

struct Chain {
    /// The world state. The EVM itself is built per transaction around it: revm's EVM holds
    /// `Rc` buffers and is not `Send`, and building one costs far less than executing a
    /// transaction.
    db: Db,
    chain_id: u64,
    /// The latest mined block.
    block_number: u64,
    /// The timestamp of the latest mined block.
    block_timestamp: u64,
    /// The test clock: the timestamp the next block gets.
    clock: u64,
    /// The senders `send` accepts, in order (like a node's unlocked accounts).
    accounts: Vec<Address>,
    base_fee: u64,
    block_gas_limit: u64,
    /// Every log ever emitted, ordered by block (so a range is a binary search away).
    logs: Vec<LogEntry>,
    /// The input of every mined transaction, by hash.
    inputs: HashMap<B256, Bytes>,
}

impl InProcessL1 {
    /// A chain with the default settings and 10 funded dev accounts.
    pub fn new() -> Self {
        Self::with_config(InProcessConfig::default())
    }

    /// A chain with `n` funded dev accounts ([`dev_address`] `0..n`) and default settings.
    pub fn with_accounts(n: usize) -> Self {
        Self::with_config(InProcessConfig {
            dev_accounts: n,
            ..InProcessConfig::default()
        })
    }

    /// A chain with the given settings.
    pub fn with_config(config: InProcessConfig) -> Self {
        let accounts = if config.accounts.is_empty() {
            (0..config.dev_accounts).map(dev_address).collect()
        } else {
            config.accounts.clone()
        };
        let mut db = CacheDB::<EmptyDB>::default();
        for addr in &accounts {
            db.insert_account_info(
                *addr,
                AccountInfo {
                    balance: config.initial_balance,
                    ..Default::default()
                },
            );
        }
        let chain_id = config.chain_id;
        let chain = Chain {
            db,
            chain_id,
            block_number: 0,
            block_timestamp: config.genesis_timestamp,
            clock: config.genesis_timestamp,
            accounts,
            base_fee: config.base_fee,
            block_gas_limit: config.block_gas_limit,
            logs: Vec::new(),
            inputs: HashMap::new(),
        };
        Self {
            inner: Mutex::new(chain),
            chain_id,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Chain> {
        // A panic while holding the lock cannot leave the chain half-updated in a way later
        // calls could observe (state is committed in one step), so a poisoned lock is usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The chain id.
    pub fn chain_id_now(&self) -> u64 {
        self.chain_id
    }

    /// The latest block number.
    pub fn block_number_now(&self) -> u64 {
        self.lock().block_number
    }

    /// The timestamp of the latest block.
    pub fn timestamp_now(&self) -> u64 {
        self.lock().block_timestamp
    }

    /// The test clock: the timestamp the next transaction's block gets.
    pub fn now(&self) -> u64 {
        self.lock().clock
    }

    /// Adds a sender funded with `balance` (or tops an existing one up to it).
    pub fn add_account(&self, addr: Address, balance: U256) {
        let mut chain = self.lock();
        if !chain.accounts.contains(&addr) {
            chain.accounts.push(addr);
        }
        let mut info = chain.account(addr).unwrap_or_default();
        info.balance = balance;
        chain.db.insert_account_info(addr, info);
    }

    /// The balance of `addr`.
    pub fn balance_now(&self, addr: Address) -> U256 {
        let chain = self.lock();
        chain.account(addr).map(|a| a.balance).unwrap_or_default()
    }

    /// The nonce of `addr`.
    pub fn nonce_now(&self, addr: Address) -> u64 {
        self.lock()
            .account(addr)
            .map(|a| a.nonce)
            .unwrap_or_default()
    }

    /// The deployed code of `addr`.
    pub fn code_now(&self, addr: Address) -> Bytes {
        let chain = self.lock();
        chain
            .account(addr)
            .and_then(|a| a.code)
            .map(|c| c.original_bytes())
            .unwrap_or_default()
    }

    /// Sets the balance of `addr` (like `anvil_setBalance`), e.g. to fund a new actor.
    pub fn set_balance(&self, addr: Address, balance: U256) {
        let mut chain = self.lock();
        let mut info = chain.account(addr).unwrap_or_default();
        info.balance = balance;
        chain.db.insert_account_info(addr, info);
    }

    /// Synchronous [`L1::call`].
    pub fn call_now(&self, from: Address, to: Address, data: Bytes) -> Result<Bytes, ChainError> {
        let mut chain = self.lock();
        let block = chain.block_env(chain.block_number, chain.block_timestamp);
        let tx = chain.tx_env(&TxRequest::call(from, to, data))?;
        let mut evm = chain.evm(block);
        let result = evm.transact(tx).map_err(|e| invalid(from, e))?.result;
        chain.db = std::mem::take(evm.ctx.db_mut());
        match result {
            ExecutionResult::Success { output, .. } => Ok(output.into_data()),
            ExecutionResult::Revert { output, .. } => Err(ChainError::Reverted { data: output }),
            ExecutionResult::Halt { reason, .. } => Err(ChainError::Halted {
                reason: format!("{reason:?}"),
            }),
        }
    }

    /// Synchronous [`L1::send`]: executes `tx` in a new block and commits it if it succeeds.
    pub fn send_now(&self, tx: TxRequest) -> Result<TxReceipt, ChainError> {
        let mut chain = self.lock();
        if !chain.accounts.contains(&tx.from) {
            return Err(ChainError::UnknownSender(tx.from));
        }
        let number = chain.block_number + 1;
        let timestamp = chain.clock;
        let block = chain.block_env(number, timestamp);
        let env = chain.tx_env(&tx)?;
        let nonce = env.nonce;
        let mut evm = chain.evm(block);
        let outcome = evm.transact(env);
        // The state diff is committed below only on success; the database goes back untouched.
        chain.db = std::mem::take(evm.ctx.db_mut());
        drop(evm);
        let outcome = outcome.map_err(|e| invalid(tx.from, e))?;
        let (gas_used, logs, output) = match outcome.result {
            ExecutionResult::Success {
                gas, logs, output, ..
            } => (gas.tx_gas_used(), logs, output),
            ExecutionResult::Revert { output, .. } => {
                return Err(ChainError::Reverted { data: output });
            }
            ExecutionResult::Halt { reason, .. } => {
                return Err(ChainError::Halted {
                    reason: format!("{reason:?}"),
                });
            }
        };
        let mut preimage = Vec::with_capacity(44);
        preimage.extend_from_slice(&self.chain_id.to_be_bytes());
        preimage.extend_from_slice(tx.from.as_slice());
        preimage.extend_from_slice(&nonce.to_be_bytes());
        let tx_hash = keccak256(&preimage);
        chain.db.commit(outcome.state);
        chain.block_number = number;
        chain.block_timestamp = timestamp;
        let logs: Vec<LogEntry> = logs
            .into_iter()
            .enumerate()
            .map(|(i, log)| LogEntry {
                address: log.address,
                topics: log.data.topics().to_vec(),
                data: log.data.data,
                block_number: number,
                tx_index: 0,
                log_index: i as u64,
                tx_hash,
            })
            .collect();
        chain.logs.extend(logs.iter().cloned());
        chain.inputs.insert(tx_hash, tx.data.clone());
        let contract_address = match output {
            Output::Create(_, addr) => addr,
            Output::Call(_) => None,
        };
        Ok(TxReceipt {
            tx_hash,
            block_number: number,
            success: true,
            gas_used,
            logs,
            contract_address,
        })
    }

    /// Synchronous [`L1::logs`].
    pub fn logs_now(&self, filter: &LogFilter) -> Vec<LogEntry> {
        let chain = self.lock();
        let to = filter.to_block.unwrap_or(u64::MAX);
        let start = chain
            .logs
            .partition_point(|l| l.block_number < filter.from_block);
        chain.logs[start..]
            .iter()
            .take_while(|l| l.block_number <= to)
            .filter(|l| filter.matches(l))
            .cloned()
            .collect()
    }

    /// Synchronous [`TimeControl::advance_time`]: moves the clock and mines an empty block.
    pub fn advance_time_now(&self, secs: u64) {
        let mut chain = self.lock();
        chain.clock = chain.clock.saturating_add(secs);
        chain.block_number += 1;
        chain.block_timestamp = chain.clock;
    }
}

impl Default for InProcessL1 {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain {
    fn account(&self, addr: Address) -> Option<AccountInfo> {
        // The in-memory database cannot fail (its error type is `Infallible`).
        self.db.basic_ref(addr).ok().flatten()
    }

    /// An Osaka EVM over the state, taken out of `self` until the caller puts it back.
    fn evm(&mut self, block: BlockEnv) -> Evm {
        let chain_id = self.chain_id;
        Context::mainnet()
            .with_db(std::mem::take(&mut self.db))
            .with_block(block)
            .modify_cfg_chained(|c| {
                c.chain_id = chain_id;
                c.set_spec_and_mainnet_gas_params(SpecId::OSAKA);
            })
            .build_mainnet()
    }

    fn block_env(&self, number: u64, timestamp: u64) -> BlockEnv {
        BlockEnv {
            number: U256::from(number),
            timestamp: U256::from(timestamp),
            gas_limit: self.block_gas_limit,
            basefee: self.base_fee,
            // A fixed but non-zero randomness so PREVRANDAO-reading code sees a value.
            prevrandao: Some(keccak256(number.to_be_bytes())),
            ..BlockEnv::default()
        }
    }

    fn tx_env(&self, tx: &TxRequest) -> Result<TxEnv, ChainError> {
        let nonce = self.account(tx.from).map(|a| a.nonce).unwrap_or_default();
        TxEnv::builder()
            .caller(tx.from)
            .kind(match tx.to {
                Some(to) => TxKind::Call(to),
                None => TxKind::Create,
            })
            .data(tx.data.clone())
            .value(tx.value)
            .nonce(nonce)
            .chain_id(Some(self.chain_id))
            .gas_limit(tx.gas_limit.unwrap_or(TX_GAS_LIMIT_CAP))
            .gas_price(u128::from(self.base_fee))
            .build()
            .map_err(|e| ChainError::InvalidTransaction {
                from: tx.from,
                reason: format!("{e:?}"),
            })
    }
}

fn invalid<D: std::fmt::Debug>(from: Address, e: EVMError<D>) -> ChainError {
    let reason = match e {
        EVMError::Transaction(t) => t.to_string(),
        EVMError::Header(h) => h.to_string(),
        other => format!("{other:?}"),
    };
    ChainError::InvalidTransaction { from, reason }
}

impl L1 for InProcessL1 {
    async fn chain_id(&self) -> Result<u64, ChainError> {
        Ok(self.chain_id)
    }

    async fn block_number(&self) -> Result<u64, ChainError> {
        Ok(self.block_number_now())
    }

    async fn timestamp(&self) -> Result<u64, ChainError> {
        Ok(self.timestamp_now())
    }

    async fn balance(&self, addr: Address) -> Result<U256, ChainError> {
        Ok(self.balance_now(addr))
    }

    async fn call(&self, from: Address, to: Address, data: Bytes) -> Result<Bytes, ChainError> {
        self.call_now(from, to, data)
    }

    async fn send(&self, tx: TxRequest) -> Result<TxReceipt, ChainError> {
        self.send_now(tx)
    }

    async fn logs(&self, filter: LogFilter) -> Result<Vec<LogEntry>, ChainError> {
        Ok(self.logs_now(&filter))
    }

    async fn transaction_input(&self, tx_hash: B256) -> Result<Option<Bytes>, ChainError> {
        Ok(self.lock().inputs.get(&tx_hash).cloned())
    }

    fn accounts(&self) -> Vec<Address> {
        self.lock().accounts.clone()
    }
}

impl TimeControl for InProcessL1 {
    async fn advance_time(&self, secs: u64) -> Result<(), ChainError> {
        self.advance_time_now(secs);
        Ok(())
    }
}
