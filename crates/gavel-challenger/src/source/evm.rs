//! The EVM honest source: the inbox-replay sync (docs/protocol.md §13, docs/challenger.md).
//!
//! The L2 state is rebuilt from the L1 alone: starting from the operator's base (the genesis
//! file, or an [`EvmSnapshot`] of the state after batch `s`), every batch the inbox recorded
//! is found through its `BatchPosted` event, read from the posting transaction's calldata
//! (checked against the event's data hash), decoded, checked against the inbox's commitment,
//! and executed with `gavel-trace`'s [`Executor`] from the state after the batch before.
//!
//! For a game over batch `n` the honest trace is [`EvmTrace`] over the executor of batch `n`
//! run from the state after `n − 1`; while the sync has not reached `n` (the batch is not
//! posted, or not yet seen) the answer is [`Verdict::NotYet`].
//!
//! What is kept:
//!
//! * in memory: the L2 state after every synced batch, the decoded batches, and the executor
//!   (trace) of every batch a game asked about;
//! * on disk (with a cache dir, `<data_dir>/evm/batches/<n>.bin`): the posted bytes of every
//!   batch, so a restarted bot re-executes locally instead of fetching every posting
//!   transaction again (the bytes are re-checked against the event's data hash on load).
//!
//! A batch that cannot be decoded or executed (an unsupported opcode, a malformed transaction
//! the inbox let through) stops the sync there: games about it or later batches are answered
//! [`Verdict::NotOurs`] with the reason.

use super::{BoxFuture, GameSpec, HonestSource, SourceError, Verdict};
use alloy_primitives::{Address, B256, keccak256};
use gavel_chain::evm::{GenesisAnchor, idle_boundary, l2_of};
use gavel_chain::inbox::{
    BatchPostedEvent, batch_commitment, batch_count, fetch_posted_bytes, posted_batches,
};
use gavel_chain::{Deployment, EvmTrace, L1, decode_batch};
use gavel_trace::chain::{GenesisAccount, LastBlock};
use gavel_trace::{Batch, ExecOptions, Executor, Genesis, Layout, Prestate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing::{debug, info, warn};

/// The snapshot file format version.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// The state after batch `sequence_number`: a genesis-format allocation plus the block the
/// next batch continues. Its anchor ([`EvmSnapshot::anchor`]) is the idle boundary of that
/// state, which is what the anchor registry holds once a game over the batch resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvmSnapshot {
    /// The L2 sequence number (batch number) of the state.
    pub sequence_number: u64,
    /// The last block of that batch.
    pub last_block: LastBlock,
    /// The state, as a genesis (its `timestamp` is the last block's).
    pub state: Genesis,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotFile {
    format: u32,
    sequence_number: u64,
    last_block_number: u64,
    last_block_timestamp: u64,
    last_block_hash: B256,
    /// The world root the state must hash to (checked on load).
    world_root: B256,
    state: serde_json::Value,
}

fn backend(m: impl Into<String>) -> SourceError {
    SourceError::Backend(m.into())
}

impl EvmSnapshot {
    /// The snapshot of `pre`, the state after batch `sequence_number`. Fails if the state
    /// cannot be written as a genesis allocation that hashes to the same world root (deleted
    /// accounts and zeroed slots keep their trie stems, which an allocation cannot express).
    pub fn of(sequence_number: u64, pre: &Prestate) -> Result<Self, SourceError> {
        let mut genesis = Genesis::new(pre.config.chain_id);
        genesis.config = pre.config.clone();
        genesis.timestamp = pre.last_block.timestamp;
        for (address, account) in pre.state.accounts() {
            let code = pre
                .state
                .code(&account.code_hash)
                .map(|c| c.bytes.clone())
                .unwrap_or_default();
            genesis.alloc.insert(
                *address,
                GenesisAccount {
                    balance: account.balance,
                    nonce: account.nonce,
                    code,
                    storage: account
                        .storage
                        .iter()
                        .filter(|(_, v)| !v.is_zero())
                        .map(|(k, v)| (*k, *v))
                        .collect(),
                },
            );
        }
        let root = genesis
            .state()
            .map_err(|e| backend(format!("snapshot state: {e}")))?
            .world_root();
        if root != pre.state.world_root() {
            return Err(backend(format!(
                "the state after batch {sequence_number} is not expressible as an allocation \
                 (world root {root} instead of {})",
                pre.state.world_root()
            )));
        }
        Ok(Self {
            sequence_number,
            last_block: pre.last_block,
            state: genesis,
        })
    }

    /// Reads a snapshot file and checks that its allocation hashes to its world root.
    pub fn load(path: &Path) -> Result<Self, SourceError> {
        let at = |m: String| backend(format!("snapshot {}: {m}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| at(e.to_string()))?;
        let file: SnapshotFile = serde_json::from_str(&text).map_err(|e| at(e.to_string()))?;
        if file.format != SNAPSHOT_FORMAT {
            return Err(at(format!(
                "format {} is not {SNAPSHOT_FORMAT}",
                file.format
            )));
        }
        let state = Genesis::from_json(&file.state.to_string()).map_err(|e| at(e.to_string()))?;
        let snapshot = Self {
            sequence_number: file.sequence_number,
            last_block: LastBlock {
                number: file.last_block_number,
                timestamp: file.last_block_timestamp,
                hash: file.last_block_hash,
            },
            state,
        };
        let root = snapshot.prestate()?.state.world_root();
        if root != file.world_root {
            return Err(at(format!(
                "the allocation hashes to {root}, the file says {}",
                file.world_root
            )));
        }
        Ok(snapshot)
    }

    /// Writes the snapshot (JSON).
    pub fn save(&self, path: &Path) -> Result<(), SourceError> {
        let pre = self.prestate()?;
        let state: serde_json::Value = serde_json::from_str(&self.state.to_json())
            .map_err(|e| backend(format!("snapshot JSON: {e}")))?;
        let file = SnapshotFile {
            format: SNAPSHOT_FORMAT,
            sequence_number: self.sequence_number,
            last_block_number: self.last_block.number,
            last_block_timestamp: self.last_block.timestamp,
            last_block_hash: self.last_block.hash,
            world_root: pre.state.world_root(),
            state,
        };
        let text = serde_json::to_string_pretty(&file)
            .map_err(|e| backend(format!("snapshot JSON: {e}")))?;
        std::fs::write(path, text)
            .map_err(|e| backend(format!("writing snapshot {}: {e}", path.display())))
    }

    /// The state the next batch executes from.
    pub fn prestate(&self) -> Result<Prestate, SourceError> {
        let state = self
            .state
            .state()
            .map_err(|e| backend(format!("snapshot state: {e}")))?;
        Ok(Prestate {
            config: self.state.config.clone(),
            state,
            last_block: self.last_block,
        })
    }
}

/// Where the sync starts.
#[derive(Clone, Debug)]
pub enum EvmBase {
    /// The L2 genesis (sequence number 0, or the deployment's genesis sequence number).
    Genesis(Genesis),
    /// A snapshot of the state after some batch.
    Snapshot(EvmSnapshot),
}

impl EvmBase {
    /// The base from the operator's files: the snapshot if given, else the genesis.
    pub fn from_files(
        genesis: Option<&Path>,
        snapshot: Option<&Path>,
    ) -> Result<Self, SourceError> {
        match (snapshot, genesis) {
            (Some(s), _) => Ok(EvmBase::Snapshot(EvmSnapshot::load(s)?)),
            (None, Some(g)) => {
                Ok(EvmBase::Genesis(Genesis::from_file(g).map_err(|e| {
                    backend(format!("genesis {}: {e}", g.display()))
                })?))
            }
            (None, None) => Err(backend(
                "the EVM source needs the L2 genesis file (evm.genesis) or a snapshot (evm.snapshot)",
            )),
        }
    }
}

/// Settings of [`EvmSource`] besides the base.
#[derive(Clone, Debug, Default)]
pub struct EvmSourceOptions {
    /// The first L1 block to look for `BatchPosted` events in.
    pub start_block: u64,
    /// Where to keep the posted batch bytes across restarts (none: memory only).
    pub cache_dir: Option<PathBuf>,
}

struct SyncState {
    base_seq: u64,
    /// The state after each synced batch (and after the base).
    states: BTreeMap<u64, Arc<Prestate>>,
    batches: BTreeMap<u64, Batch>,
    events: BTreeMap<u64, BatchPostedEvent>,
    scanned_to: Option<u64>,
    /// Traces asked for by games, by (batch, split depth, max depth).
    traces: HashMap<(u64, u32, u32), EvmTrace>,
    /// The first batch that does not decode or execute, and why.
    stuck: Option<(u64, String)>,
}

impl SyncState {
    fn synced(&self) -> u64 {
        self.states
            .keys()
            .next_back()
            .copied()
            .unwrap_or(self.base_seq)
    }
}

/// The EVM game type's honest source (see the module docs).
pub struct EvmSource<L: L1> {
    l1: Arc<L>,
    game_type: u32,
    inbox: Address,
    layout: Layout,
    options: EvmSourceOptions,
    sync: tokio::sync::Mutex<SyncState>,
}

impl<L: L1 + 'static> EvmSource<L> {
    /// A source for the EVM game type of `deployment`, syncing from `base`. Checks that a
    /// genesis base is the deployment's genesis anchor.
    pub fn new(
        l1: Arc<L>,
        deployment: &Deployment,
        base: EvmBase,
        options: EvmSourceOptions,
    ) -> Result<Self, SourceError> {
        let l2 = l2_of(deployment).map_err(|e| backend(e.to_string()))?;
        let params = &deployment
            .game_type(l2.game_type)
            .ok_or_else(|| backend(format!("game type {} is not deployed", l2.game_type)))?
            .params;
        let layout = Layout::new(
            u32::try_from(params.split_depth).unwrap_or(u32::MAX),
            u32::try_from(params.max_depth).unwrap_or(u32::MAX),
        )
        .map_err(|e| backend(e.to_string()))?;
        let (base_seq, pre) = match base {
            EvmBase::Genesis(g) => {
                let pre = g.prestate().map_err(|e| backend(format!("genesis: {e}")))?;
                let anchor = GenesisAnchor::from_prestate(&pre);
                if anchor.boundary != l2.genesis.boundary
                    || anchor.block_number != l2.genesis.block_number
                    || anchor.timestamp != l2.genesis.timestamp
                    || pre.config.chain_id != l2.chain_id
                {
                    return Err(backend(format!(
                        "the genesis file is not this deployment's L2 genesis (anchor {} vs the \
                         deployment's {})",
                        anchor.boundary.hash(),
                        l2.genesis.boundary.hash()
                    )));
                }
                (l2.genesis.sequence_number, pre)
            }
            EvmBase::Snapshot(s) => {
                let pre = s.prestate()?;
                if pre.config.chain_id != l2.chain_id {
                    return Err(backend(format!(
                        "the snapshot is of chain {}, the deployment's L2 is {}",
                        pre.config.chain_id, l2.chain_id
                    )));
                }
                if s.sequence_number == l2.genesis.sequence_number
                    && idle_boundary(pre.state.world_root(), pre.last_block.hash)
                        != l2.genesis.boundary
                {
                    return Err(backend(
                        "the snapshot at the genesis sequence number is not the deployment's genesis",
                    ));
                }
                (s.sequence_number, pre)
            }
        };
        if pre.config.hash() != l2.chain_config {
            return Err(backend(format!(
                "the L2 chain config hashes to {}, the deployment pins {}",
                pre.config.hash(),
                l2.chain_config
            )));
        }
        Ok(Self {
            l1,
            game_type: l2.game_type,
            inbox: l2.inbox,
            layout,
            options,
            sync: tokio::sync::Mutex::new(SyncState {
                base_seq,
                states: BTreeMap::from([(base_seq, Arc::new(pre))]),
                batches: BTreeMap::new(),
                events: BTreeMap::new(),
                scanned_to: None,
                traces: HashMap::new(),
                stuck: None,
            }),
        })
    }

    /// The highest batch whose post-state is known.
    pub async fn synced(&self) -> u64 {
        self.sync.lock().await.synced()
    }

    /// The state after batch `n`, if synced.
    pub async fn state_after(&self, n: u64) -> Option<Arc<Prestate>> {
        self.sync.lock().await.states.get(&n).cloned()
    }

    /// Syncs as far as the inbox goes now; returns the highest synced batch.
    pub async fn sync_all(&self) -> Result<u64, SourceError> {
        let mut s = self.sync.lock().await;
        self.rewind_if_reorged(&mut s).await?;
        self.scan(&mut s).await?;
        let last = s.events.keys().next_back().copied().unwrap_or(0);
        self.sync_to(&mut s, last).await?;
        Ok(s.synced())
    }

    /// Reads new `BatchPosted` events.
    async fn scan(&self, s: &mut SyncState) -> Result<(), SourceError> {
        let l1 = self.l1.as_ref();
        let head = l1.block_number().await.map_err(chain)?;
        let from = s.scanned_to.map_or(self.options.start_block, |b| b + 1);
        if from > head {
            return Ok(());
        }
        for ev in posted_batches(l1, self.inbox, from, Some(head))
            .await
            .map_err(chain)?
        {
            s.events.insert(ev.number, ev);
        }
        s.scanned_to = Some(head);
        Ok(())
    }

    /// Detects an L1 re-org that replaced or removed posted batches: the inbox no longer
    /// records, for the highest batch we have seen, the commitment of the event we read it
    /// from. Then walks down to the last batch that still matches, forgets everything after it
    /// (events, batches, states, traces, a stuck marker) and rescans the inbox from the first
    /// forgotten batch's posting block, so the next sync replays what the chain now holds.
    /// Costs two view calls when nothing changed. (Cached batch bytes are keyed by their hash
    /// and checked on use, so stale files are never read back.)
    async fn rewind_if_reorged(&self, s: &mut SyncState) -> Result<(), SourceError> {
        let Some(top) = s.events.keys().next_back().copied() else {
            return Ok(());
        };
        let l1 = self.l1.as_ref();
        let count = batch_count(l1, self.inbox).await.map_err(chain)?;
        let mut k = top;
        while k > s.base_seq {
            let recorded = match s.events.get(&k) {
                Some(ev) if k <= count => {
                    batch_commitment(l1, self.inbox, k).await.map_err(chain)? == ev.commitment
                }
                _ => false,
            };
            if recorded {
                break;
            }
            k -= 1;
        }
        if k == top {
            return Ok(());
        }
        let first = k + 1;
        let from_block = s
            .events
            .range(first..)
            .map(|(_, ev)| ev.block_number)
            .min()
            .unwrap_or(self.options.start_block);
        warn!(
            first_replaced = first,
            highest_seen = top,
            inbox_count = count,
            rescan_from_block = from_block,
            "L1 re-org replaced posted batches: rewinding the sync"
        );
        s.events.retain(|n, _| *n < first);
        s.batches.retain(|n, _| *n < first);
        s.states.retain(|n, _| *n < first);
        s.traces.retain(|(n, _, _), _| *n < first);
        if s.stuck.as_ref().is_some_and(|(n, _)| *n >= first) {
            s.stuck = None;
        }
        s.scanned_to = from_block.checked_sub(1);
        Ok(())
    }

    fn cache_path(&self, n: u64) -> Option<PathBuf> {
        self.options
            .cache_dir
            .as_ref()
            .map(|d| d.join("batches").join(format!("{n}.bin")))
    }

    /// The posted bytes of batch `ev.number`: from the cache dir if there and intact, else
    /// from the posting transaction (then cached).
    async fn bytes_of(&self, ev: &BatchPostedEvent) -> Result<Vec<u8>, SourceError> {
        let path = self.cache_path(ev.number);
        if let Some(p) = &path
            && let Ok(bytes) = std::fs::read(p)
            && keccak256(&bytes) == ev.data_hash
        {
            return Ok(bytes);
        }
        let bytes = fetch_posted_bytes(self.l1.as_ref(), ev)
            .await
            .map_err(chain)?;
        if let Some(p) = &path {
            let written = p
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(p, &bytes));
            if let Err(e) = written {
                warn!(path = %p.display(), error = %e, "cannot cache a posted batch");
            }
        }
        Ok(bytes)
    }

    /// Executes batches up to `target` (as far as the inbox has them).
    async fn sync_to(&self, s: &mut SyncState, target: u64) -> Result<(), SourceError> {
        while s.synced() < target && s.stuck.is_none() {
            let n = s.synced() + 1;
            let Some(ev) = s.events.get(&n).cloned() else {
                return Ok(());
            };
            let batch = match s.batches.get(&n) {
                Some(b) => b.clone(),
                None => {
                    let bytes = self.bytes_of(&ev).await?;
                    let batch = match decode_batch(&bytes) {
                        Ok(b) => b,
                        Err(e) => {
                            s.stuck = Some((n, format!("batch {n} does not decode: {e}")));
                            continue;
                        }
                    };
                    let on_chain = batch_commitment(self.l1.as_ref(), self.inbox, n)
                        .await
                        .map_err(chain)?;
                    if batch.commitment() != ev.commitment || on_chain != ev.commitment {
                        s.stuck = Some((
                            n,
                            format!(
                                "batch {n} commits to {}, the inbox recorded {on_chain}",
                                batch.commitment()
                            ),
                        ));
                        continue;
                    }
                    s.batches.insert(n, batch.clone());
                    batch
                }
            };
            let pre = s.states[&(n - 1)].clone();
            let layout = self.layout;
            let exec = run_blocking(pre, batch, layout).await?;
            match exec {
                Ok(exec) => {
                    let after = post_state(&exec);
                    info!(batch = n, transitions = exec.transitions().len(), world_root = %after.state.world_root(), "synced batch");
                    s.states.insert(n, Arc::new(after));
                    let key = (n, layout.split_depth(), layout.max_depth());
                    s.traces.insert(key, EvmTrace::new(exec));
                    // Keep the traces of the last few batches only (games are about the
                    // batch after the anchor; older traces are rebuilt on demand).
                    s.traces.retain(|(b, _, _), _| *b + 8 > n);
                }
                Err(e) => {
                    s.stuck = Some((n, format!("batch {n} does not execute: {e}")));
                }
            }
        }
        Ok(())
    }

    async fn verdict(&self, game: &GameSpec) -> Result<Verdict, SourceError> {
        let Ok(n) = u64::try_from(game.l2_sequence_number) else {
            return Ok(Verdict::NotOurs(format!(
                "sequence number {} is not a batch number",
                game.l2_sequence_number
            )));
        };
        let Ok(layout) = Layout::new(game.split_depth, game.max_depth) else {
            return Ok(Verdict::NotOurs(format!(
                "depths {}/{} are not an EVM layout",
                game.split_depth, game.max_depth
            )));
        };
        let key = (n, layout.split_depth(), layout.max_depth());
        let mut s = self.sync.lock().await;
        self.rewind_if_reorged(&mut s).await?;
        if n <= s.base_seq {
            return Ok(Verdict::NotOurs(format!(
                "batch {n} is at or before the sync base (batch {})",
                s.base_seq
            )));
        }
        if let Some(t) = s.traces.get(&key) {
            return Ok(Verdict::Ours(Arc::new(t.clone())));
        }
        if s.synced() < n {
            self.scan(&mut s).await?;
            self.sync_to(&mut s, n).await?;
        }
        if let Some((k, why)) = &s.stuck
            && n >= *k
        {
            return Ok(Verdict::NotOurs(format!(
                "the sync is stuck at batch {k}: {why}"
            )));
        }
        let Some(ev) = s.events.get(&n) else {
            return Ok(Verdict::NotYet(format!(
                "batch {n} not seen in the inbox yet (synced to {})",
                s.synced()
            )));
        };
        if ev.commitment != game.input {
            return Ok(Verdict::NotOurs(format!(
                "the game's input {} is not the inbox's commitment {} of batch {n}",
                game.input, ev.commitment
            )));
        }
        if let Some(t) = s.traces.get(&key) {
            return Ok(Verdict::Ours(Arc::new(t.clone())));
        }
        let (Some(pre), Some(batch)) =
            (s.states.get(&(n - 1)).cloned(), s.batches.get(&n).cloned())
        else {
            return Ok(Verdict::NotYet(format!(
                "batch {n} not synced yet (synced to {})",
                s.synced()
            )));
        };
        debug!(batch = n, "re-executing for a game");
        match run_blocking(pre, batch, layout).await? {
            Ok(exec) => {
                let t = EvmTrace::new(exec);
                s.traces.insert(key, t.clone());
                Ok(Verdict::Ours(Arc::new(t)))
            }
            Err(e) => Ok(Verdict::NotOurs(format!(
                "batch {n} does not execute with the game's layout: {e}"
            ))),
        }
    }
}

fn chain(e: gavel_chain::ChainError) -> SourceError {
    backend(format!("L1: {e}"))
}

/// Runs the executor off the async workers.
async fn run_blocking(
    pre: Arc<Prestate>,
    batch: Batch,
    layout: Layout,
) -> Result<Result<Executor, gavel_trace::ExecError>, SourceError> {
    tokio::task::spawn_blocking(move || {
        Executor::run(
            (*pre).clone(),
            batch,
            ExecOptions {
                layout,
                ..ExecOptions::default()
            },
        )
    })
    .await
    .map_err(|e| backend(format!("executor task failed: {e}")))
}

/// The state after the batch `exec` ran: what the next batch executes from.
pub fn post_state(exec: &Executor) -> Prestate {
    // A batch has at least one block (`Batch::new` refuses none).
    let (number, timestamp) = exec
        .batch()
        .blocks()
        .last()
        .map_or((0, 0), |b| (b.context.number, b.context.timestamp));
    Prestate {
        config: exec.config().clone(),
        state: exec.final_state().clone(),
        last_block: LastBlock {
            number,
            timestamp,
            hash: exec.final_boundary().last_block_hash,
        },
    }
}

impl<L: L1 + 'static> HonestSource for EvmSource<L> {
    fn name(&self) -> &str {
        "evm"
    }

    fn handles(&self, game_type: u32) -> bool {
        game_type == self.game_type
    }

    fn honest_trace<'a>(
        &'a self,
        game: &'a GameSpec,
    ) -> BoxFuture<'a, Result<Verdict, SourceError>> {
        Box::pin(self.verdict(game))
    }
}
