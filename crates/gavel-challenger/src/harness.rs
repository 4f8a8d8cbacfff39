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

// ---------------------------------------------------------------------------------------------
// A small real L2 chain for demos and tests
// ---------------------------------------------------------------------------------------------

/// The L2 chain id of [`demo_chain`].
pub const DEMO_CHAIN_ID: u64 = 901;
/// Where [`demo_chain`]'s looping contract lives.
pub const DEMO_LOOPER: Address = Address::new([0x60; 20]);
const DEMO_T0: u64 = 1_700_000_000;

/// `n = calldata[0..32]; do { mstore(n, n); n -= 1 } while n; return(0, 32)`: ten opcode
/// steps per iteration.
fn memory_loop() -> Result<alloy_primitives::Bytes, String> {
    let mut a = gavel_trace::asm::Asm::new();
    a.push(0)
        .op(0x35) // CALLDATALOAD
        .label("top")
        .dup(1)
        .dup(1)
        .op(0x52) // MSTORE
        .push(1)
        .swap(1)
        .op(0x03) // SUB
        .dup(1)
        .jumpi("top")
        .push(32)
        .push(0)
        .op(0xf3); // RETURN
    a.build().map_err(|e| format!("assembler: {e}"))
}

/// A genesis with two funded senders (`dev_key(1)`, `dev_key(2)`) and a looping contract at
/// [`DEMO_LOOPER`], and batch number `batch` (from 1) continuing it: real signed transactions
/// (a transfer, calls into the loop, a transfer in a second block). Batch `k` has blocks
/// `2k − 1` and `2k`, so `demo_chain(1)`, `demo_chain(2)`, … post one after the other.
pub fn demo_chain(batch: u64) -> Result<(gavel_trace::Genesis, gavel_trace::Batch), String> {
    use alloy_primitives::U256;
    use gavel_trace::batch::{BatchBuilder, BlockContext, TxRequest, dev_key};
    use gavel_trace::chain::{Genesis, GenesisAccount};
    const ETH: u128 = 1_000_000_000_000_000_000;
    let mut genesis = Genesis::new(DEMO_CHAIN_ID);
    genesis.timestamp = DEMO_T0;
    for i in 1..=2 {
        genesis.alloc.insert(
            dev_key(i).address(),
            GenesisAccount {
                balance: 100 * ETH,
                ..Default::default()
            },
        );
    }
    genesis.alloc.insert(
        DEMO_LOOPER,
        GenesisAccount {
            nonce: 1,
            code: memory_loop()?,
            ..Default::default()
        },
    );
    let (alice, bob) = (dev_key(1), dev_key(2));
    let bad = |e: gavel_trace::BatchError| format!("batch: {e}");
    let mut b = BatchBuilder::new(DEMO_CHAIN_ID);
    let first = 2 * batch.max(1) - 1;
    let n = |k: u64| U256::from(k).to_be_bytes::<32>().to_vec();
    b.block(BlockContext::new(first, DEMO_T0 + 12 * first));
    b.tx(
        &alice,
        TxRequest::transfer(bob.address(), U256::from(1_000_000u64)),
    )
    .map_err(bad)?;
    b.tx(&bob, TxRequest::call(DEMO_LOOPER, n(3)).gas(200_000))
        .map_err(bad)?;
    b.tx(&alice, TxRequest::call(DEMO_LOOPER, n(6)).gas(200_000))
        .map_err(bad)?;
    b.block(BlockContext::new(first + 1, DEMO_T0 + 12 * (first + 1)));
    b.tx(&bob, TxRequest::transfer(alice.address(), U256::from(7u64)))
        .map_err(bad)?;
    Ok((genesis, b.build().map_err(bad)?))
}

/// One transaction sent through a [`Metered`] L1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentTx {
    /// The sender.
    pub from: Address,
    /// The callee (`None` for a creation).
    pub to: Option<Address>,
    /// The first four bytes of the calldata.
    pub selector: [u8; 4],
    /// Gas used.
    pub gas_used: u64,
}

/// An L1 that records the gas of every transaction sent through it (demo accounting).
pub struct Metered<L> {
    inner: L,
    sent: std::sync::Mutex<Vec<SentTx>>,
}

impl<L> Metered<L> {
    /// Wraps `inner`.
    pub fn new(inner: L) -> Self {
        Metered {
            inner,
            sent: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The wrapped L1.
    pub fn inner(&self) -> &L {
        &self.inner
    }

    /// Every transaction mined so far, in order.
    pub fn sent(&self) -> Vec<SentTx> {
        self.sent.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl<L: L1> L1 for Metered<L> {
    async fn chain_id(&self) -> Result<u64, gavel_chain::ChainError> {
        self.inner.chain_id().await
    }
    async fn block_number(&self) -> Result<u64, gavel_chain::ChainError> {
        self.inner.block_number().await
    }
    async fn timestamp(&self) -> Result<u64, gavel_chain::ChainError> {
        self.inner.timestamp().await
    }
    async fn balance(
        &self,
        addr: Address,
    ) -> Result<alloy_primitives::U256, gavel_chain::ChainError> {
        self.inner.balance(addr).await
    }
    async fn call(
        &self,
        from: Address,
        to: Address,
        data: alloy_primitives::Bytes,
    ) -> Result<alloy_primitives::Bytes, gavel_chain::ChainError> {
        self.inner.call(from, to, data).await
    }
    async fn send(
        &self,
        tx: gavel_chain::TxRequest,
    ) -> Result<gavel_chain::TxReceipt, gavel_chain::ChainError> {
        let (from, to) = (tx.from, tx.to);
        let mut selector = [0u8; 4];
        for (s, b) in selector.iter_mut().zip(tx.data.iter()) {
            *s = *b;
        }
        let receipt = self.inner.send(tx).await?;
        self.sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(SentTx {
                from,
                to,
                selector,
                gas_used: receipt.gas_used,
            });
        Ok(receipt)
    }
    async fn logs(
        &self,
        filter: gavel_chain::LogFilter,
    ) -> Result<Vec<gavel_chain::LogEntry>, gavel_chain::ChainError> {
        self.inner.logs(filter).await
    }
    async fn transaction_input(
        &self,
        tx_hash: alloy_primitives::B256,
    ) -> Result<Option<alloy_primitives::Bytes>, gavel_chain::ChainError> {
        self.inner.transaction_input(tx_hash).await
    }
    fn accounts(&self) -> Vec<Address> {
        self.inner.accounts()
    }
}

impl<L: gavel_chain::TimeControl> gavel_chain::TimeControl for Metered<L> {
    async fn advance_time(&self, secs: u64) -> Result<(), gavel_chain::ChainError> {
        self.inner.advance_time(secs).await
    }
}
