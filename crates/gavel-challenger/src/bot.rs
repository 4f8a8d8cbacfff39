//! The bot: monitor (find games) → per-game worker (read, replay, ask the source) → solver
//! (pure) → policy (mode) → responder (send, bounded).
//!
//! One poll loop drives everything. Each poll scans the factory's `DisputeGameCreated`
//! events, then processes every active game as its own task on a `JoinSet`, at most
//! `max_concurrent_games` at a time, and waits for them before saving the ledger. Why a
//! loop and not one long-lived task per game: a game's work is a few reads and at most a
//! handful of transactions per poll, all of it recomputed from the chain (the solver is pure
//! and cheap), so a per-game task would only hold stale state; polling from one place gives
//! one natural point to bound RPC load (concurrency), persist a consistent ledger, and
//! react to time (every poll re-reads the head timestamp, so clocks running out are seen
//! without timers). Transactions are bounded separately by a semaphore of
//! `max_pending_txs` permits shared by all games.

use crate::agent::{self, replay};
use crate::policy::{self, Plan};
use crate::source::{GameSpec, HonestSource, Verdict};
use crate::store::{BotState, GameRecord, Phase, Store};
use crate::telemetry::{self as m, gwei};
use crate::{ChallengerConfig, ChallengerError, Mode};
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;
use gavel_chain::{
    ChainError, ChildRef, ClaimRef, Deployment, DisputeGameFactory, FaultDisputeGame, GameView, L1,
    LogFilter, game, view,
};
use gavel_game::{Action, GameState, GameStatus, HonestSolver, SharedTrace, solver::agrees};
use metrics::{counter, gauge};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Semaphore;
use tracing::{debug, info, warn};

/// What one poll did (for tests and logs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollReport {
    /// The chain head seen.
    pub head: u64,
    /// Its timestamp.
    pub now: u64,
    /// Games discovered in this poll.
    pub new_games: usize,
    /// Active games processed.
    pub games_processed: usize,
    /// Transactions sent.
    pub sent: usize,
    /// Actions withheld by the mode.
    pub withheld: usize,
    /// Per-game errors (the poll itself went on).
    pub errors: Vec<String>,
}

/// The challenger bot over an L1 backend.
pub struct Challenger<L: L1 + 'static> {
    inner: Arc<Inner<L>>,
}

impl<L: L1 + 'static> Clone for Challenger<L> {
    fn clone(&self) -> Self {
        Challenger {
            inner: self.inner.clone(),
        }
    }
}

struct Inner<L> {
    l1: Arc<L>,
    operator: Address,
    deployment: Deployment,
    sources: Vec<Arc<dyn HonestSource>>,
    config: ChallengerConfig,
    store: Store,
    state: Mutex<BotState>,
    /// Honest traces by game: asked once per game and process (the source caches on disk
    /// if building one is expensive).
    traces: Mutex<HashMap<Address, SharedTrace>>,
    tx_slots: Semaphore,
}

/// What a game task reports back.
struct Worked {
    address: Address,
    record: GameRecord,
    sent: usize,
    withheld: usize,
    error: Option<ChallengerError>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the data half-updated (every critical
    // section is a plain read or insert), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<L: L1 + 'static> Challenger<L> {
    /// A bot sending from `operator` (one of `l1.accounts()`, except in watch mode) for the
    /// dispute system of `deployment`, judging games with `sources`.
    ///
    /// Checks before anything is sent: the chain id is the deployment's, the factory
    /// answers, the operator can sign, and the data dir's ledger (if any) is this
    /// deployment's and operator's.
    pub async fn new(
        l1: Arc<L>,
        operator: Address,
        deployment: Deployment,
        sources: Vec<Arc<dyn HonestSource>>,
        config: ChallengerConfig,
    ) -> Result<Self, ChallengerError> {
        let chain_id = l1.chain_id().await?;
        if chain_id != deployment.chain_id {
            return Err(ChallengerError::Deployment(format!(
                "the deployment is for chain {}, the RPC endpoint serves chain {chain_id}",
                deployment.chain_id
            )));
        }
        view(
            l1.as_ref(),
            deployment.factory,
            DisputeGameFactory::gameCountCall {},
        )
        .await
        .map_err(|e| {
            ChallengerError::Deployment(format!(
                "no dispute game factory answers at {}: {e}",
                deployment.factory
            ))
        })?;
        if config.mode != Mode::Watch && !l1.accounts().contains(&operator) {
            return Err(ChallengerError::Key(format!(
                "no signing key for operator {operator} (mode {} sends transactions)",
                config.mode
            )));
        }
        if config.mode != Mode::Watch && l1.balance(operator).await?.is_zero() {
            // Not fatal (the account may be funded later), but every move would fail.
            warn!(%operator, "the operator has no ETH: moves and steps will fail until it is funded");
        }
        let store = Store::open(config.data_dir.as_deref())?;
        let state = store.load(chain_id, deployment.factory, operator)?;
        info!(
            %operator,
            factory = %deployment.factory,
            mode = %config.mode,
            games = state.games.len(),
            scanned_to = ?state.scanned_to,
            "challenger ready"
        );
        let slots = config.max_pending_txs.max(1);
        Ok(Challenger {
            inner: Arc::new(Inner {
                l1,
                operator,
                deployment,
                sources,
                tx_slots: Semaphore::new(slots),
                config,
                store,
                state: Mutex::new(state),
                traces: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The sending address.
    pub fn operator(&self) -> Address {
        self.inner.operator
    }

    /// A copy of the bot's bookkeeping.
    pub fn state(&self) -> BotState {
        lock(&self.inner.state).clone()
    }

    /// Polls until `shutdown` completes. Errors of a poll are logged and counted, and the
    /// next poll is delayed (doubling up to 32 polls' worth) so a dead endpoint is not
    /// hammered; the bot itself never stops on them.
    pub async fn run(&self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let base = self.inner.config.poll_interval();
        let mut delay = base;
        loop {
            match self.poll().await {
                Ok(report) => {
                    delay = base;
                    for e in &report.errors {
                        debug!(error = %e, "game error (retried next poll)");
                    }
                }
                Err(e) => {
                    counter!(m::ERRORS, "kind" => e.kind()).increment(1);
                    warn!(error = %e, retry_in_ms = delay.as_millis() as u64, "poll failed");
                    delay = (delay * 2).min(base * 32);
                }
            }
            tokio::select! {
                _ = &mut shutdown => {
                    info!("shutting down");
                    return;
                }
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// One poll: discover new games, process every active game, save the ledger.
    pub async fn poll(&self) -> Result<PollReport, ChallengerError> {
        let inner = &self.inner;
        let head = inner.l1.block_number().await?;
        let now = inner.l1.timestamp().await?;
        gauge!(m::HEAD).set(head as f64);
        if let Ok(balance) = inner.l1.balance(inner.operator).await {
            gauge!(m::BALANCE).set(gwei(balance) as f64);
        }
        let mut report = PollReport {
            head,
            now,
            new_games: self.discover(head).await?,
            ..PollReport::default()
        };
        gauge!(m::HEAD_LAG).set(0.0);

        let active: Vec<(Address, GameRecord)> = lock(&inner.state)
            .games
            .iter()
            .filter(|(_, r)| r.phase == Phase::Active)
            .map(|(a, r)| (*a, r.clone()))
            .collect();
        report.games_processed = active.len();
        let permits = Arc::new(Semaphore::new(inner.config.max_concurrent_games.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for (address, record) in active {
            let inner = inner.clone();
            let permits = permits.clone();
            tasks.spawn(async move {
                // The semaphore is never closed, so acquiring cannot fail; if it did, the game
                // would just run unbounded this once.
                let _permit = permits.acquire_owned().await.ok();
                inner.work(address, record, now).await
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let worked = match joined {
                Ok(w) => w,
                Err(e) => {
                    // A game task panicked (a bug): count it and keep the bot alive.
                    counter!(m::ERRORS, "kind" => "panic").increment(1);
                    report.errors.push(format!("game task failed: {e}"));
                    continue;
                }
            };
            report.sent += worked.sent;
            report.withheld += worked.withheld;
            if let Some(e) = worked.error {
                counter!(m::ERRORS, "kind" => e.kind()).increment(1);
                if e.kind() == "race" {
                    info!(game = %worked.address, error = %e, "another player acted first; re-planning");
                } else {
                    warn!(game = %worked.address, error = %e, "game not advanced this poll");
                    report.errors.push(e.to_string());
                }
            }
            lock(&inner.state)
                .games
                .insert(worked.address, worked.record);
        }
        let state = lock(&inner.state).clone();
        inner.store.save(&state)?;
        set_game_gauges(&state);
        Ok(report)
    }

    /// Scans the factory's events up to `head` (re-scanning `reorg_depth` blocks behind the
    /// last scan so a game re-included after a re-org is found again); returns how many
    /// games were new.
    async fn discover(&self, head: u64) -> Result<usize, ChallengerError> {
        let inner = &self.inner;
        let start = inner.config.start_block;
        let scanned_to = lock(&inner.state).scanned_to;
        let from = match scanned_to {
            Some(s) => s
                .saturating_add(1)
                .saturating_sub(inner.config.reorg_depth)
                .max(start),
            None => start,
        };
        if from > head {
            return Ok(0);
        }
        gauge!(m::HEAD_LAG).set((head - from) as f64);
        let logs = inner
            .l1
            .logs(LogFilter {
                addresses: vec![inner.deployment.factory],
                topic0: Some(DisputeGameFactory::DisputeGameCreated::SIGNATURE_HASH),
                from_block: from,
                to_block: Some(head),
            })
            .await?;
        let mut new = 0;
        let mut state = lock(&inner.state);
        for log in &logs {
            let event = match game::decode_event::<DisputeGameFactory::DisputeGameCreated>(log) {
                Ok(e) => e,
                Err(e) => {
                    // Not fatal: one undecodable log must not hide the others.
                    counter!(m::ERRORS, "kind" => "decode").increment(1);
                    warn!(error = %e, "undecodable DisputeGameCreated log");
                    continue;
                }
            };
            if state.games.contains_key(&event.game) {
                continue;
            }
            let index = u64::try_from(event.index).unwrap_or(u64::MAX);
            let mut record = GameRecord::new(index, event.gameType, log.block_number);
            if let Some(reason) = self.unplayable(event.gameType) {
                record.phase = Phase::Ignored { reason };
            }
            info!(game = %event.game, index, game_type = event.gameType, block = log.block_number, phase = ?record.phase, "new game");
            counter!(m::GAMES_SEEN).increment(1);
            state.games.insert(event.game, record);
            new += 1;
        }
        state.scanned_to = Some(head);
        Ok(new)
    }

    fn unplayable(&self, game_type: u32) -> Option<String> {
        let c = &self.inner.config;
        if !c.game_types.is_empty() && !c.game_types.contains(&game_type) {
            return Some(format!("game type {game_type} is not in game_types"));
        }
        if !self.inner.sources.iter().any(|s| s.handles(game_type)) {
            return Some(format!("no honest source for game type {game_type}"));
        }
        None
    }
}

impl<L: L1 + 'static> Inner<L> {
    async fn work(self: Arc<Self>, address: Address, mut record: GameRecord, now: u64) -> Worked {
        let mut worked = Worked {
            address,
            record: record.clone(),
            sent: 0,
            withheld: 0,
            error: None,
        };
        let result = self.advance(address, &mut record, now, &mut worked).await;
        worked.record = record;
        worked.error = result.err();
        worked
    }

    /// Reads the game, replays it, asks the solver, sends what the mode allows.
    async fn advance(
        &self,
        address: Address,
        record: &mut GameRecord,
        now: u64,
        worked: &mut Worked,
    ) -> Result<(), ChallengerError> {
        let view = self.read(address, record.created_block).await?;
        record.status = status_label(view.status).into();
        let Some(trace) = self.trace_for(&view, record).await? else {
            return Ok(());
        };
        let state = replay(&view, now)?;
        let root_honest =
            agrees(&state, trace.as_ref(), 0).map_err(|error| ChallengerError::Solver {
                game: address,
                error,
            })?;
        if record.root_honest != Some(root_honest) {
            info!(game = %address, root_honest, "judged the root claim");
            record.root_honest = Some(root_honest);
        }
        let solver = HonestSolver::new(self.operator);
        let (game_copy, trace_copy) = (state.clone(), trace.clone());
        // The trace may compute (EVM traces do): keep it off the async workers.
        let actions = tokio::task::spawn_blocking(move || {
            solver.next_actions(&game_copy, trace_copy.as_ref(), now)
        })
        .await
        .map_err(|e| ChallengerError::Source {
            game: address,
            error: crate::source::SourceError::Backend(format!("solver task failed: {e}")),
        })?
        .map_err(|error| ChallengerError::Solver {
            game: address,
            error,
        })?;
        let has_stake = state.claims().iter().any(|c| c.claimant == self.operator)
            || !state.credit(self.operator).is_zero();
        let Plan { send, withheld } =
            policy::select(self.config.mode, root_honest, has_stake, actions);
        for action in &withheld {
            counter!(m::SKIPPED, "kind" => policy::kind(action)).increment(1);
            info!(game = %address, mode = %self.config.mode, action = policy::kind(action), detail = ?action, "would send (withheld by mode)");
        }
        worked.withheld = withheld.len();
        for action in &send {
            match self.execute(address, &state, action, record).await {
                Ok(sent) => worked.sent += sent,
                Err(e) => {
                    // The chain moved under us (someone resolved first, a clock ran out) or
                    // the node failed: the rest of this plan was made for a state that may
                    // no longer hold, so stop and re-plan at the next poll.
                    if let ChallengerError::Chain(ref c) = e
                        && let Some(name) = c.revert_name()
                        && !crate::error::is_race(&name)
                    {
                        warn!(game = %address, action = policy::kind(action), revert = %name, "action reverted");
                    }
                    return Err(e);
                }
            }
        }
        if view.status != GameStatus::InProgress
            && worked.sent == 0
            && now >= view.resolved_at.saturating_add(view.withdrawal_delay)
            && game::credit_of(self.l1.as_ref(), address, self.operator)
                .await?
                .is_zero()
        {
            info!(game = %address, status = %record.status, credit_claimed = %record.credit_claimed, "game finished");
            record.phase = Phase::Finished {
                status: record.status.clone(),
            };
            lock(&self.traces).remove(&address);
        }
        Ok(())
    }

    /// Reads the game; a read that raced a transaction (the claim count and the `Move`
    /// events disagree: the views and the logs came from different blocks) is repeated a
    /// few times before it counts as an error.
    async fn read(&self, address: Address, from_block: u64) -> Result<GameView, ChainError> {
        let mut attempt = 0;
        loop {
            match game::read_game_from(self.l1.as_ref(), address, from_block).await {
                Err(ChainError::Unexpected {
                    what: "read_game", ..
                }) if attempt < 3 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                }
                other => return other,
            }
        }
    }

    /// The honest trace of the game from the first source that handles its type, or `None`
    /// (with the record updated) when there is none now or ever.
    async fn trace_for(
        &self,
        view: &GameView,
        record: &mut GameRecord,
    ) -> Result<Option<SharedTrace>, ChallengerError> {
        if let Some(t) = lock(&self.traces).get(&view.address) {
            return Ok(Some(t.clone()));
        }
        let Some(spec) = GameSpec::of(view) else {
            record.phase = Phase::Ignored {
                reason: "depths do not fit 32 bits".into(),
            };
            return Ok(None);
        };
        let Some(source) = self.sources.iter().find(|s| s.handles(view.game_type)) else {
            record.phase = Phase::Ignored {
                reason: format!("no honest source for game type {}", view.game_type),
            };
            return Ok(None);
        };
        let verdict =
            source
                .honest_trace(&spec)
                .await
                .map_err(|error| ChallengerError::Source {
                    game: view.address,
                    error,
                })?;
        match verdict {
            Verdict::Ours(trace) => {
                if trace.absolute_prestate() != view.absolute_prestate {
                    let reason = format!(
                        "source {} starts at {}, the game at {}",
                        source.name(),
                        trace.absolute_prestate(),
                        view.absolute_prestate
                    );
                    warn!(game = %view.address, %reason, "not playing the game");
                    record.phase = Phase::Ignored { reason };
                    return Ok(None);
                }
                lock(&self.traces).insert(view.address, trace.clone());
                Ok(Some(trace))
            }
            Verdict::NotOurs(reason) => {
                warn!(game = %view.address, source = source.name(), %reason, "not our game");
                record.phase = Phase::Ignored { reason };
                Ok(None)
            }
            Verdict::NotYet(reason) => {
                debug!(game = %view.address, %reason, "honest trace not available yet");
                Ok(None)
            }
        }
    }

    /// Sends one action (a resolution may take several pages); returns transactions sent.
    async fn execute(
        &self,
        address: Address,
        state: &GameState,
        action: &Action,
        record: &mut GameRecord,
    ) -> Result<usize, ChallengerError> {
        let l1 = self.l1.as_ref();
        match action {
            Action::ResolveClaim { claim_index } => {
                let pages = self.resolve_pages(address, state, *claim_index).await?;
                let n = pages.len();
                for children in pages {
                    let subject = claim_ref(state, *claim_index);
                    self.send_tx(|| {
                        game::game_resolve_claim(
                            l1,
                            self.operator,
                            address,
                            *claim_index,
                            subject,
                            children.clone(),
                        )
                    })
                    .await?;
                    record.resolutions += 1;
                    counter!(m::RESOLUTIONS, "kind" => "claim").increment(1);
                }
                debug!(game = %address, claim = claim_index, pages = n, "resolved claim");
                Ok(n)
            }
            Action::ClaimCredit { recipient } => {
                let credit = game::credit_of(l1, address, *recipient).await?;
                if credit.is_zero() {
                    return Ok(0);
                }
                self.send_tx(|| game::game_claim_credit(l1, self.operator, address, *recipient))
                    .await?;
                record.credit_claimed += credit;
                let won = credit.saturating_sub(record.bonds_posted);
                counter!(m::CREDITS_CLAIMED).increment(1);
                counter!(m::CREDIT_WEI).increment(gwei(credit));
                counter!(m::BONDS_WON).increment(gwei(won));
                info!(game = %address, %credit, bonds_posted = %record.bonds_posted, "credit claimed");
                Ok(1)
            }
            other => {
                self.send_tx(|| {
                    agent::send_action_unchecked(l1, address, state, self.operator, other)
                })
                .await?;
                match other {
                    Action::Move {
                        bond,
                        is_attack,
                        parent_index,
                        ..
                    } => {
                        record.moves += 1;
                        record.bonds_posted += *bond;
                        counter!(m::MOVES, "kind" => if *is_attack { "attack" } else { "defend" })
                            .increment(1);
                        counter!(m::BONDS_POSTED).increment(gwei(*bond));
                        info!(game = %address, parent = parent_index, attack = is_attack, %bond, "move");
                    }
                    Action::Step {
                        claim_index,
                        is_attack,
                        ..
                    } => {
                        record.steps += 1;
                        counter!(m::STEPS).increment(1);
                        info!(game = %address, claim = claim_index, attack = is_attack, "step");
                    }
                    _ => {
                        record.resolutions += 1;
                        counter!(m::RESOLUTIONS, "kind" => "game").increment(1);
                        info!(game = %address, "resolved game");
                    }
                }
                Ok(1)
            }
        }
    }

    /// The `resolveClaim` pages for claim `i`: its children not yet counted by an earlier
    /// (partial) page, in increasing index order, `resolve_page_size` per page. An earlier
    /// page may be ours from before a restart or anybody else's, so the contract's
    /// checkpoint decides, not memory.
    async fn resolve_pages(
        &self,
        address: Address,
        state: &GameState,
        i: usize,
    ) -> Result<Vec<Vec<ChildRef>>, ChallengerError> {
        let l1 = self.l1.as_ref();
        let children = state.children(i);
        let checkpoint = if children.is_empty() {
            0
        } else {
            view(
                l1,
                address,
                FaultDisputeGame::resolutionCheckpointCall {
                    _index: U256::from(i),
                },
            )
            .await?
            .seen_
        };
        let mut left = Vec::with_capacity(children.len());
        for &c in children {
            let counted = checkpoint > 0
                && view(
                    l1,
                    address,
                    FaultDisputeGame::countedByParentCall {
                        _index: U256::from(c),
                    },
                )
                .await?;
            if !counted {
                let r = claim_ref(state, c);
                left.push(ChildRef {
                    index: c,
                    claim: r.claim,
                    claimant: r.claimant,
                });
            }
        }
        if left.is_empty() {
            // No children, or all counted: one empty page finishes the claim.
            return Ok(vec![Vec::new()]);
        }
        Ok(left
            .chunks(self.config.resolve_page_size.max(1))
            .map(<[ChildRef]>::to_vec)
            .collect())
    }

    /// Sends one transaction under a pending-transaction slot.
    async fn send_tx<'a, F, Fut>(&'a self, f: F) -> Result<gavel_chain::TxReceipt, ChallengerError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<gavel_chain::TxReceipt, ChainError>> + 'a,
    {
        let _slot = self.tx_slots.acquire().await.ok();
        let max = self.config.max_pending_txs.max(1);
        gauge!(m::PENDING_TXS).set((max - self.tx_slots.available_permits()) as f64);
        let result = f().await;
        gauge!(m::PENDING_TXS).set((max - self.tx_slots.available_permits() - 1) as f64);
        Ok(result?)
    }
}

fn claim_ref(state: &GameState, index: usize) -> ClaimRef {
    state
        .claim(index)
        .map(|c| ClaimRef {
            claim: c.claim,
            claimant: c.claimant,
        })
        .unwrap_or_default()
}

/// The metric label of a game status.
pub fn status_label(status: GameStatus) -> &'static str {
    match status {
        GameStatus::InProgress => "in_progress",
        GameStatus::ChallengerWins => "challenger_wins",
        GameStatus::DefenderWins => "defender_wins",
    }
}

fn set_game_gauges(state: &BotState) {
    let mut counts: HashMap<&str, u64> = [
        ("in_progress", 0),
        ("challenger_wins", 0),
        ("defender_wins", 0),
        ("ignored", 0),
    ]
    .into();
    for r in state.games.values() {
        let label = match &r.phase {
            Phase::Ignored { .. } => "ignored",
            _ => r.status.as_str(),
        };
        if let Some(c) = counts.get_mut(label) {
            *c += 1;
        }
    }
    for (status, n) in counts {
        gauge!(m::GAMES, "status" => status).set(n as f64);
    }
}
