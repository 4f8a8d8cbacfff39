//! The seam between agents and an L1: one trait, implemented in process (revm) and over
//! JSON-RPC, so the challenger and the fuzzer run the same code on both.

use crate::{ChainError, LogEntry, LogFilter, TxReceipt, TxRequest};
use alloy::primitives::{Address, B256, Bytes, U256};
use std::future::Future;

/// Read and write access to an L1 chain.
///
/// Futures are `Send` so agents can be spawned on a multi-threaded runtime. Implementations
/// are shared behind `Arc` and take `&self`.
pub trait L1: Send + Sync {
    /// The chain id.
    fn chain_id(&self) -> impl Future<Output = Result<u64, ChainError>> + Send;

    /// The latest block number.
    fn block_number(&self) -> impl Future<Output = Result<u64, ChainError>> + Send;

    /// The timestamp of the latest block, in seconds.
    fn timestamp(&self) -> impl Future<Output = Result<u64, ChainError>> + Send;

    /// The balance of `addr` at the latest block.
    fn balance(&self, addr: Address) -> impl Future<Output = Result<U256, ChainError>> + Send;

    /// Executes a call against the latest state without changing it. A revert is
    /// [`ChainError::Reverted`] with the revert data.
    fn call(
        &self,
        from: Address,
        to: Address,
        data: Bytes,
    ) -> impl Future<Output = Result<Bytes, ChainError>> + Send;

    /// Signs, sends and waits for one transaction. A transaction that would revert is not
    /// mined and gives [`ChainError::Reverted`] with the revert data.
    fn send(&self, tx: TxRequest) -> impl Future<Output = Result<TxReceipt, ChainError>> + Send;

    /// Logs matching `filter`, in chain order.
    fn logs(
        &self,
        filter: LogFilter,
    ) -> impl Future<Output = Result<Vec<LogEntry>, ChainError>> + Send;

    /// The input (calldata) of the mined transaction `tx_hash`, `None` if the chain does not
    /// know it (how a node reads the batch a `BatchPosted` event names).
    fn transaction_input(
        &self,
        tx_hash: B256,
    ) -> impl Future<Output = Result<Option<Bytes>, ChainError>> + Send;

    /// The senders this backend can sign for.
    fn accounts(&self) -> Vec<Address>;
}

/// Control over the chain's clock, for tests and local fuzzing.
pub trait TimeControl: Send + Sync {
    /// Moves the clock forward by `secs` seconds and mines a block at the new time, so the
    /// latest timestamp (and every later transaction) sees it.
    fn advance_time(&self, secs: u64) -> impl Future<Output = Result<(), ChainError>> + Send;
}
