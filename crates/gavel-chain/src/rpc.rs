//! An L1 reached over JSON-RPC (HTTP) through an alloy provider, with local signers.
//!
//! Every transaction is simulated first (estimateGas, or eth_call when the caller fixed the gas
//! limit) so a revert comes back as [`ChainError::Reverted`] with its data instead of as a
//! mined failed transaction. It is then signed locally and broadcast as raw bytes: resending
//! the same bytes is idempotent, so broadcast can be retried safely after a timeout.

use crate::rpc_error::{classify, is_already_known, is_nonce_used, is_range_too_large};
use crate::{
    ChainError, L1, LogEntry, LogFilter, RetryPolicy, TimeControl, TxReceipt, TxRequest, retry,
};
use alloy::eips::BlockNumberOrTag;
use alloy::eips::eip2718::Encodable2718;
use alloy::network::{EthereumWallet, NetworkTransactionBuilder, TransactionBuilder};
use alloy::primitives::{Address, B256, Bytes, TxKind, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, Log, TransactionReceipt, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::http::reqwest;
use std::collections::HashMap;
use std::future::IntoFuture;
use std::time::Duration;

/// Tuning of an [`RpcL1`].
#[derive(Clone, Debug)]
pub struct RpcOptions {
    /// Time limit of one request.
    pub request_timeout: Duration,
    /// Time limit for a sent transaction to be mined.
    pub receipt_timeout: Duration,
    /// Interval between receipt polls.
    pub poll_interval: Duration,
    /// Blocks per eth_getLogs request (halved on "range too large" answers).
    pub log_page_blocks: u64,
    /// Retry policy for transient failures of idempotent requests.
    pub retry: RetryPolicy,
    /// Extra gas on top of the estimate, in percent (the estimate is exact for the simulated
    /// state; a margin absorbs state that changes before inclusion).
    pub gas_margin_percent: u64,
}

impl Default for RpcOptions {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(10),
            receipt_timeout: Duration::from_secs(120),
            poll_interval: Duration::from_millis(100),
            log_page_blocks: 5_000,
            retry: RetryPolicy::default(),
            gas_margin_percent: 20,
        }
    }
}

/// How many times a send re-signs with a fresh nonce after losing a nonce race.
const NONCE_RACE_ATTEMPTS: u32 = 3;

/// The EIP-7825 per-transaction gas cap; the estimate plus margin is clipped to it.
const TX_GAS_CAP: u64 = 1 << 24;

/// A JSON-RPC L1 with local signing keys.
pub struct RpcL1 {
    url: String,
    provider: DynProvider,
    wallet: EthereumWallet,
    accounts: Vec<Address>,
    chain_id: u64,
    options: RpcOptions,
    /// One lock per sender so this process never races itself for a nonce.
    send_locks: HashMap<Address, tokio::sync::Mutex<()>>,
}

impl RpcL1 {
    /// Connects to `url` with hex private keys `keys` (with or without `0x`) and default options.
    pub async fn connect(url: &str, keys: &[impl AsRef<str>]) -> Result<Self, ChainError> {
        Self::connect_with(url, keys, RpcOptions::default()).await
    }

    /// Connects with explicit options. Fails with [`ChainError::BadUrl`],
    /// [`ChainError::BadKey`] or [`ChainError::Unreachable`] before anything is sent.
    pub async fn connect_with(
        url: &str,
        keys: &[impl AsRef<str>],
        options: RpcOptions,
    ) -> Result<Self, ChainError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| ChainError::BadUrl {
            url: url.into(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ChainError::BadUrl {
                url: url.into(),
                reason: format!("scheme {:?} is not http or https", parsed.scheme()),
            });
        }
        let mut signers = Vec::with_capacity(keys.len());
        for (index, key) in keys.iter().enumerate() {
            let key = key.as_ref().trim();
            let signer: PrivateKeySigner = key.parse().map_err(|e| ChainError::BadKey {
                index,
                reason: format!("{e}"),
            })?;
            signers.push(signer);
        }
        let accounts: Vec<Address> = signers.iter().map(|s| s.address()).collect();
        let mut wallet_signers = signers.into_iter();
        let wallet = match wallet_signers.next() {
            Some(first) => {
                let mut w = EthereumWallet::new(first);
                for s in wallet_signers {
                    w.register_signer(s);
                }
                w
            }
            // No keys: a read-only connection; `send` reports `UnknownSender`.
            None => EthereumWallet::default(),
        };
        let client = reqwest::Client::builder()
            .timeout(options.request_timeout)
            .build()
            .map_err(|e| ChainError::BadUrl {
                url: url.into(),
                reason: format!("HTTP client: {e}"),
            })?;
        let provider = ProviderBuilder::new()
            .disable_recommended_fillers()
            .connect_reqwest(client, parsed)
            .erased();
        let mut l1 = Self {
            url: url.into(),
            provider,
            wallet,
            send_locks: accounts
                .iter()
                .map(|a| (*a, tokio::sync::Mutex::new(())))
                .collect(),
            accounts,
            chain_id: 0,
            options,
        };
        l1.chain_id = l1
            .request("eth_chainId", || l1.provider.get_chain_id())
            .await
            .map_err(|e| ChainError::Unreachable {
                url: url.into(),
                reason: e.to_string(),
            })?;
        Ok(l1)
    }

    /// The endpoint URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The underlying provider, for requests the [`L1`] trait does not cover.
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// One request under the time limit, retried while transient.
    async fn request<T, F, Fut>(&self, op: &'static str, mut f: F) -> Result<T, ChainError>
    where
        F: FnMut() -> Fut,
        Fut: IntoFuture<Output = Result<T, alloy::transports::TransportError>>,
    {
        let limit = self.options.request_timeout;
        retry(&self.options.retry, || {
            let fut = f().into_future();
            async move {
                match tokio::time::timeout(limit, fut).await {
                    Ok(r) => r.map_err(|e| classify(op, e)),
                    Err(_) => Err(ChainError::Timeout {
                        op,
                        secs: limit.as_secs(),
                    }),
                }
            }
        })
        .await
    }

    fn request_of(tx: &TxRequest) -> TransactionRequest {
        let mut req = TransactionRequest::default()
            .with_from(tx.from)
            .with_input(tx.data.clone())
            .with_value(tx.value);
        req.to = Some(match tx.to {
            Some(to) => TxKind::Call(to),
            None => TxKind::Create,
        });
        if let Some(gas) = tx.gas_limit {
            req = req.with_gas_limit(gas);
        }
        req
    }

    /// Simulates `tx` and returns the gas limit to send it with.
    async fn simulate(&self, tx: &TxRequest) -> Result<u64, ChainError> {
        let req = Self::request_of(tx);
        if let Some(gas) = tx.gas_limit {
            self.request("eth_call", || self.provider.call(req.clone()))
                .await?;
            return Ok(gas);
        }
        let estimate = self
            .request("eth_estimateGas", || {
                self.provider.estimate_gas(req.clone())
            })
            .await?;
        let with_margin = estimate.saturating_add(estimate * self.options.gas_margin_percent / 100);
        Ok(with_margin.min(TX_GAS_CAP).max(estimate))
    }

    /// Signs `tx` with a fresh pending nonce; returns its hash and raw bytes.
    async fn sign(&self, tx: &TxRequest, gas_limit: u64) -> Result<(B256, Vec<u8>), ChainError> {
        let nonce = self
            .request("eth_getTransactionCount", || {
                self.provider.get_transaction_count(tx.from).pending()
            })
            .await?;
        let fees = self
            .request("eth_feeHistory", || self.provider.estimate_eip1559_fees())
            .await?;
        let req = Self::request_of(tx)
            .with_chain_id(self.chain_id)
            .with_nonce(nonce)
            .with_gas_limit(gas_limit)
            .with_max_fee_per_gas(fees.max_fee_per_gas)
            .with_max_priority_fee_per_gas(fees.max_priority_fee_per_gas);
        let envelope = req
            .build(&self.wallet)
            .await
            .map_err(|e| ChainError::Signing {
                from: tx.from,
                message: e.to_string(),
            })?;
        Ok((*envelope.tx_hash(), envelope.encoded_2718()))
    }

    async fn receipt(&self, hash: B256) -> Result<Option<TransactionReceipt>, ChainError> {
        self.request("eth_getTransactionReceipt", || {
            self.provider.get_transaction_receipt(hash)
        })
        .await
    }

    async fn wait_receipt(&self, hash: B256) -> Result<TransactionReceipt, ChainError> {
        let deadline = tokio::time::Instant::now() + self.options.receipt_timeout;
        loop {
            if let Some(r) = self.receipt(hash).await? {
                return Ok(r);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(ChainError::Timeout {
                    op: "waiting for a transaction receipt",
                    secs: self.options.receipt_timeout.as_secs(),
                });
            }
            tokio::time::sleep(self.options.poll_interval).await;
        }
    }

    async fn send_inner(&self, tx: &TxRequest) -> Result<TxReceipt, ChainError> {
        let lock = self
            .send_locks
            .get(&tx.from)
            .ok_or(ChainError::UnknownSender(tx.from))?;
        let _guard = lock.lock().await;
        let gas_limit = self.simulate(tx).await?;
        let mut race = 0;
        let receipt = loop {
            let (hash, raw) = self.sign(tx, gas_limit).await?;
            let sent = self
                .request("eth_sendRawTransaction", || {
                    self.provider.send_raw_transaction(&raw)
                })
                .await;
            match sent {
                Ok(_) => break self.wait_receipt(hash).await?,
                Err(e) if is_already_known(&e) => break self.wait_receipt(hash).await?,
                Err(e) if is_nonce_used(&e) => {
                    // Either an earlier attempt of ours was mined (the answer to it got lost),
                    // or another holder of the key used the nonce: re-sign in the second case.
                    if let Some(r) = self.receipt(hash).await? {
                        break r;
                    }
                    race += 1;
                    if race >= NONCE_RACE_ATTEMPTS {
                        return Err(e);
                    }
                }
                Err(e) => return Err(e),
            }
        };
        self.convert_receipt(tx, receipt).await
    }

    async fn convert_receipt(
        &self,
        tx: &TxRequest,
        r: TransactionReceipt,
    ) -> Result<TxReceipt, ChainError> {
        let block_number = r.block_number.ok_or_else(|| ChainError::BadAnswer {
            op: "eth_getTransactionReceipt",
            message: format!("receipt of {} has no block number", r.transaction_hash),
        })?;
        if !r.status() {
            // It passed simulation but failed when mined (the state changed in between).
            // Replay it on the parent block to recover the revert data, best effort.
            let req = Self::request_of(tx).with_gas_limit(r.gas_used.max(21_000));
            let replay = self
                .request("eth_call", || {
                    self.provider
                        .call(req.clone())
                        .block(block_number.saturating_sub(1).into())
                })
                .await;
            let data = match replay {
                Err(ChainError::Reverted { data }) => data,
                _ => Bytes::new(),
            };
            return Err(ChainError::Reverted { data });
        }
        let logs = r
            .inner
            .logs()
            .iter()
            .map(convert_log)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TxReceipt {
            tx_hash: r.transaction_hash,
            block_number,
            success: true,
            gas_used: r.gas_used,
            logs,
            contract_address: r.contract_address,
        })
    }

    async fn logs_inner(&self, filter: &LogFilter) -> Result<Vec<LogEntry>, ChainError> {
        let to = match filter.to_block {
            Some(b) => b,
            None => {
                self.request("eth_blockNumber", || self.provider.get_block_number())
                    .await?
            }
        };
        let mut out = Vec::new();
        let mut from = filter.from_block;
        let mut page = self.options.log_page_blocks.max(1);
        while from <= to {
            let end = from.saturating_add(page - 1).min(to);
            let mut f = Filter::new().from_block(from).to_block(end);
            if !filter.addresses.is_empty() {
                f = f.address(filter.addresses.clone());
            }
            if let Some(t) = filter.topic0 {
                f = f.event_signature(t);
            }
            match self
                .request("eth_getLogs", || self.provider.get_logs(&f))
                .await
            {
                Ok(logs) => {
                    for log in &logs {
                        out.push(convert_log(log)?);
                    }
                    from = end + 1;
                }
                Err(e) if page > 1 && is_range_too_large(&e) => page /= 2,
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

fn convert_log(log: &Log) -> Result<LogEntry, ChainError> {
    let missing = |field: &str| ChainError::BadAnswer {
        op: "eth_getLogs",
        message: format!("mined log without {field}"),
    };
    Ok(LogEntry {
        address: log.address(),
        topics: log.topics().to_vec(),
        data: log.data().data.clone(),
        block_number: log.block_number.ok_or_else(|| missing("blockNumber"))?,
        tx_index: log
            .transaction_index
            .ok_or_else(|| missing("transactionIndex"))?,
        log_index: log.log_index.ok_or_else(|| missing("logIndex"))?,
        tx_hash: log
            .transaction_hash
            .ok_or_else(|| missing("transactionHash"))?,
    })
}

impl L1 for RpcL1 {
    async fn chain_id(&self) -> Result<u64, ChainError> {
        Ok(self.chain_id)
    }

    async fn block_number(&self) -> Result<u64, ChainError> {
        self.request("eth_blockNumber", || self.provider.get_block_number())
            .await
    }

    async fn timestamp(&self) -> Result<u64, ChainError> {
        let block = self
            .request("eth_getBlockByNumber", || {
                self.provider.get_block_by_number(BlockNumberOrTag::Latest)
            })
            .await?
            .ok_or(ChainError::BadAnswer {
                op: "eth_getBlockByNumber",
                message: "no latest block".into(),
            })?;
        Ok(block.header.timestamp)
    }

    async fn balance(&self, addr: Address) -> Result<U256, ChainError> {
        self.request("eth_getBalance", || self.provider.get_balance(addr))
            .await
    }

    async fn call(&self, from: Address, to: Address, data: Bytes) -> Result<Bytes, ChainError> {
        let req = TransactionRequest::default()
            .with_from(from)
            .with_to(to)
            .with_input(data);
        self.request("eth_call", || self.provider.call(req.clone()))
            .await
    }

    async fn send(&self, tx: TxRequest) -> Result<TxReceipt, ChainError> {
        self.send_inner(&tx).await
    }

    async fn logs(&self, filter: LogFilter) -> Result<Vec<LogEntry>, ChainError> {
        self.logs_inner(&filter).await
    }

    async fn transaction_input(&self, tx_hash: B256) -> Result<Option<Bytes>, ChainError> {
        use alloy::consensus::Transaction as _;
        let tx = self
            .request("eth_getTransactionByHash", || {
                self.provider.get_transaction_by_hash(tx_hash)
            })
            .await?;
        Ok(tx.map(|t| t.input().clone()))
    }

    fn accounts(&self) -> Vec<Address> {
        self.accounts.clone()
    }
}

impl RpcL1 {
    /// `evm_snapshot` (anvil, hardhat): a development node's state id to revert to, which is
    /// how tests make the node re-org.
    pub async fn dev_snapshot(&self) -> Result<serde_json::Value, ChainError> {
        self.request("evm_snapshot", || {
            self.provider
                .raw_request::<_, serde_json::Value>("evm_snapshot".into(), ())
        })
        .await
    }

    /// `evm_revert` to a [`RpcL1::dev_snapshot`] id: the blocks after it disappear.
    pub async fn dev_revert(&self, id: serde_json::Value) -> Result<(), ChainError> {
        self.request("evm_revert", || {
            self.provider
                .raw_request::<_, serde_json::Value>("evm_revert".into(), (id.clone(),))
        })
        .await?;
        Ok(())
    }
}

impl TimeControl for RpcL1 {
    /// `evm_increaseTime` + `evm_mine` (anvil, hardhat).
    async fn advance_time(&self, secs: u64) -> Result<(), ChainError> {
        self.request("evm_increaseTime", || {
            self.provider
                .raw_request::<_, serde_json::Value>("evm_increaseTime".into(), (secs,))
        })
        .await?;
        self.request("evm_mine", || {
            self.provider
                .raw_request::<_, serde_json::Value>("evm_mine".into(), ())
        })
        .await?;
        Ok(())
    }
}
