//! The `gavel challenger` binary against a real node: anvil on loopback, the toy system
//! deployed, proposals made with `gavel propose`, adversaries from the zoo sending real
//! transactions, time moved with `evm_increaseTime` + `evm_mine`; the bot runs as a child
//! process polling every 150 ms and must react to the clock on its own.
//!
//! anvil comes from `ANVIL_BIN` (`eval "$(scripts/install-tools.sh)"`) or PATH. Without it
//! each test prints a notice and passes, except under `CI=true`, where it fails. Every
//! process a test starts (anvil, bots) is killed when its guard drops, also on failure.

use alloy::node_bindings::{Anvil, AnvilInstance};
use alloy_primitives::{Address, B256, U256};
use gavel_chain::{L1, RpcL1, TimeControl, ToyDeployParams, deploy_toy_system, game};
use gavel_challenger::harness::ChainAdversary;
use gavel_game::{GameConfig, GameStatus, SharedTrace, Strategy, ToyTrace};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LEN: u64 = 40;
const ANCHOR: B256 = B256::repeat_byte(0x42);
const POLL_MS: &str = "150";

/// The binary under test; `GAVEL_BIN` overrides it (a shared target dir may hold another
/// branch's build by the time the test runs).
fn gavel_bin() -> String {
    std::env::var("GAVEL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_gavel").into())
}

fn anvil_path() -> Option<String> {
    if let Ok(path) = std::env::var("ANVIL_BIN") {
        return Some(path);
    }
    if Command::new("anvil").arg("--version").output().is_ok() {
        return Some("anvil".into());
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "anvil not found under CI: install it (scripts/install-tools.sh) and export ANVIL_BIN"
    );
    eprintln!("NOTICE: anvil not found (set ANVIL_BIN); skipping the challenger anvil test");
    None
}

fn config() -> GameConfig {
    GameConfig {
        max_depth: 6,
        split_depth: 3,
        max_clock_duration: 600,
        clock_extension: 60,
        withdrawal_delay: 60,
        ..GameConfig::toy_default()
    }
}

/// A running anvil with the toy system deployed and its deployment file written.
struct Net {
    anvil: AnvilInstance,
    /// Signs for anvil's first 10 dev accounts (deployer = 0).
    l1: RpcL1,
    keys: Vec<String>,
    dir: PathBuf,
    deployment: PathBuf,
}

impl Net {
    async fn start(name: &str) -> Option<Net> {
        let bin = anvil_path()?;
        let anvil = Anvil::at(bin).arg("--host").arg("127.0.0.1").spawn();
        let keys: Vec<String> = anvil.keys()[..10]
            .iter()
            .map(|k| format!("0x{}", alloy::hex::encode(k.to_bytes())))
            .collect();
        let l1 = RpcL1::connect(&anvil.endpoint(), &keys).await.unwrap();
        let d = deploy_toy_system(
            &l1,
            l1.accounts()[0],
            &ToyDeployParams::from_config(&config(), ANCHOR, 0),
        )
        .await
        .unwrap();
        let dir = std::env::temp_dir().join(format!("gavel-anvil-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let deployment = dir.join("deployment.json");
        d.save(&deployment).unwrap();
        Some(Net {
            anvil,
            l1,
            keys,
            dir,
            deployment,
        })
    }

    fn addr(&self, i: usize) -> Address {
        self.l1.accounts()[i]
    }

    /// `gavel propose` from account `who`; returns the game.
    fn propose(&self, who: usize, lie_at: Option<u64>, seq: u64) -> Address {
        let mut cmd = Command::new(gavel_bin());
        cmd.args([
            "propose",
            "--rpc-url",
            &self.anvil.endpoint(),
            "--deployment",
        ])
        .arg(&self.deployment)
        .args([
            "--trace-length",
            &LEN.to_string(),
            "--seq",
            &seq.to_string(),
        ])
        .env("GAVEL_PROPOSER_KEY", &self.keys[who]);
        if let Some(k) = lie_at {
            cmd.args(["--lie-at", &k.to_string()]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["game"].as_str().unwrap().parse().unwrap()
    }

    /// Starts a bot process sending from account `who`.
    fn bot(&self, who: usize, mode: &str, data: &str, metrics: Option<u16>) -> Bot {
        let data_dir = self.dir.join(data);
        let log = std::fs::File::create(self.dir.join(format!("{data}.log"))).unwrap();
        let mut cmd = Command::new(gavel_bin());
        cmd.args([
            "-v",
            "challenger",
            "--rpc-url",
            &self.anvil.endpoint(),
            "--deployment",
        ])
        .arg(&self.deployment)
        .args(["--mode", mode, "--poll-interval-ms", POLL_MS, "--data-dir"])
        .arg(&data_dir)
        .args(["--toy-trace-length", &LEN.to_string()])
        .env("GAVEL_CHALLENGER_KEY", &self.keys[who])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log);
        if let Some(port) = metrics {
            cmd.args(["--metrics-addr", &format!("127.0.0.1:{port}")]);
        }
        Bot {
            child: cmd.spawn().unwrap(),
            data_dir,
        }
    }

    fn honest(&self) -> ToyTrace {
        ToyTrace::new(ANCHOR, LEN, config().max_depth).unwrap()
    }

    fn lying(&self, at: u64, salt: u8) -> SharedTrace {
        Arc::new(
            ToyTrace::divergent(ANCHOR, LEN, config().max_depth, at, B256::repeat_byte(salt))
                .unwrap(),
        )
    }

    /// Waits until the games' claims stop changing for a few bot polls (the bots have
    /// answered), at most 20 s.
    async fn settle(&self, games: &[Address]) {
        let mut last = None;
        let mut stable = 0;
        let start = Instant::now();
        while stable < 4 && start.elapsed() < Duration::from_secs(20) {
            let mut snapshot = Vec::new();
            for g in games {
                // A read racing a bot's transaction fails; count it as a change.
                match game::read_game(&self.l1, *g).await {
                    Ok(v) => snapshot.push((
                        v.status,
                        v.claims.len(),
                        v.claims.iter().filter(|c| c.countered_by.is_some()).count(),
                    )),
                    Err(_) => snapshot.clear(),
                }
            }
            if last.as_ref() == Some(&snapshot) {
                stable += 1;
            } else {
                stable = 0;
                last = Some(snapshot);
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Rounds of adversaries and 5 s of chain time, the bots answering in between.
    async fn bisect(
        &self,
        games: &[Address],
        adversaries: &mut [(Address, ChainAdversary)],
        rounds: u32,
    ) {
        let truth = self.honest();
        for _ in 0..rounds {
            self.settle(games).await;
            for (g, a) in adversaries.iter_mut() {
                a.act(&self.l1, *g, &truth).await;
            }
            self.l1.advance_time(5).await.unwrap();
        }
        self.settle(games).await;
    }

    /// Runs the clocks out and waits for the bots to resolve every game.
    async fn finish(&self, games: &[Address]) {
        self.l1
            .advance_time(config().max_clock_duration + 1)
            .await
            .unwrap();
        let start = Instant::now();
        for g in games {
            while game::read_game(&self.l1, *g).await.unwrap().status == GameStatus::InProgress {
                assert!(
                    start.elapsed() < Duration::from_secs(60),
                    "game {g} not resolved by the bots"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        self.l1
            .advance_time(config().withdrawal_delay + 1)
            .await
            .unwrap();
    }

    /// Waits until `who` has no credit left in `g` (the bot withdrew it).
    async fn credit_withdrawn(&self, g: Address, who: Address) {
        let start = Instant::now();
        while !game::credit_of(&self.l1, g, who).await.unwrap().is_zero() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "credit of {who} in {g} not claimed"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        // Keep the bots' logs of a failed test for reading; clean up after a passing one.
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A bot process, killed on drop.
struct Bot {
    child: Child,
    data_dir: PathBuf,
}

impl Bot {
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn ledger(&self) -> serde_json::Value {
        read_json(&self.data_dir.join("state.json"))
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.kill();
    }
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn scrape(port: u16) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// The value of metric `name`, summed over its label sets (a counter with a `kind` label is
/// exposed as one line per kind, in no fixed order).
fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.split(['{', ' ']).next() == Some(name))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

fn game_ledger(bot: &Bot, g: Address) -> serde_json::Value {
    let ledger = bot.ledger();
    ledger["games"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&g.to_string()))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("{g} not in the ledger: {ledger}"))
}

async fn ledger_finished(bot: &Bot, g: Address) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let rec = game_ledger(bot, g);
        if rec["phase"] == "finished" {
            return rec;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "ledger not finished: {rec}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn wei(v: &serde_json::Value) -> U256 {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_beats_a_dishonest_proposer_and_claims_its_credit() {
    let Some(net) = Net::start("a").await else {
        return;
    };
    let (liar, me) = (1, 2);
    let port = free_port();
    let bot = net.bot(me, "full", "bot", Some(port));
    let g = net.propose(liar, Some(23), 1);
    let before = net.l1.balance(net.addr(me)).await.unwrap();
    let mut adv = [(
        g,
        ChainAdversary::new(
            &Strategy::ConsistentLiar,
            net.addr(liar),
            1,
            net.lying(23, 7),
        ),
    )];
    net.bisect(&[g], &mut adv, 2 * config().max_depth + 2).await;
    net.finish(&[g]).await;
    assert_eq!(
        game::read_game(&net.l1, g).await.unwrap().status,
        GameStatus::ChallengerWins
    );
    net.credit_withdrawn(g, net.addr(me)).await;
    let rec = ledger_finished(&bot, g).await;
    assert_eq!(rec["steps"], 1, "{rec}");
    assert!(
        wei(&rec["credit_claimed"]) > wei(&rec["bonds_posted"]),
        "{rec}"
    );
    assert!(
        net.l1.balance(net.addr(me)).await.unwrap() > before,
        "the bot earned more than gas"
    );
    let m = scrape(port);
    assert_eq!(metric(&m, "gavel_challenger_steps_total"), 1.0, "{m}");
    assert_eq!(
        metric(&m, "gavel_challenger_credits_claimed_total"),
        1.0,
        "{m}"
    );
    assert!(metric(&m, "gavel_challenger_moves_total") >= 2.0, "{m}");
    assert_eq!(metric(&m, "gavel_challenger_games_seen_total"), 1.0, "{m}");
    assert!(
        m.contains("gavel_challenger_games{status=\"challenger_wins\"} 1"),
        "{m}"
    );
    assert!(
        metric(&m, "gavel_challenger_bonds_won_gwei_total") > 0.0,
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_bot_defends_an_honest_proposal_against_dishonest_challengers() {
    let Some(net) = Net::start("b").await else {
        return;
    };
    let me = 2;
    let bot = net.bot(me, "defend", "bot", None);
    let g = net.propose(1, None, 1);
    let mut adv = [
        (
            g,
            ChainAdversary::new(&Strategy::AlwaysAttack, net.addr(3), 3, net.lying(5, 1)),
        ),
        (
            g,
            ChainAdversary::new(&Strategy::Freeloader, net.addr(4), 4, net.lying(9, 2)),
        ),
        (
            g,
            ChainAdversary::new(&Strategy::TopLayerLiar, net.addr(5), 5, net.lying(30, 3)),
        ),
    ];
    net.bisect(&[g], &mut adv, 2 * config().max_depth + 2).await;
    net.finish(&[g]).await;
    assert_eq!(
        game::read_game(&net.l1, g).await.unwrap().status,
        GameStatus::DefenderWins
    );
    net.credit_withdrawn(g, net.addr(me)).await;
    let rec = ledger_finished(&bot, g).await;
    assert!(rec["moves"].as_u64().unwrap() > 0, "{rec}");
    assert!(
        wei(&rec["credit_claimed"]) > wei(&rec["bonds_posted"]),
        "honest bot won bonds: {rec}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_a_bot_killed_mid_game_and_restarted_still_wins() {
    let Some(net) = Net::start("c").await else {
        return;
    };
    let (liar, me) = (1, 2);
    let mut bot = net.bot(me, "full", "bot", None);
    let g = net.propose(liar, Some(17), 1);
    let mut adv = [(
        g,
        ChainAdversary::new(
            &Strategy::ConsistentLiar,
            net.addr(liar),
            1,
            net.lying(17, 5),
        ),
    )];
    net.bisect(&[g], &mut adv, 1).await;
    let moves_before = game_ledger(&bot, g)["moves"].as_u64().unwrap();
    assert!(moves_before >= 1, "the bot played before the kill");
    bot.kill();
    // The liar plays on while the bot is down (chain time passes, within the clock).
    let truth = net.honest();
    for _ in 0..1 {
        adv[0].1.act(&net.l1, g, &truth).await;
        net.l1.advance_time(30).await.unwrap();
    }
    let bot = net.bot(me, "full", "bot", None);
    net.bisect(&[g], &mut adv, 2 * config().max_depth).await;
    net.finish(&[g]).await;
    assert_eq!(
        game::read_game(&net.l1, g).await.unwrap().status,
        GameStatus::ChallengerWins
    );
    net.credit_withdrawn(g, net.addr(me)).await;
    let rec = ledger_finished(&bot, g).await;
    assert!(
        rec["moves"].as_u64().unwrap() > moves_before,
        "ledger kept across the restart: {rec}"
    );
    assert_eq!(rec["steps"], 1, "{rec}");
    assert!(
        wei(&rec["credit_claimed"]) > wei(&rec["bonds_posted"]),
        "{rec}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn d_two_bots_and_several_adversaries_on_two_games() {
    let Some(net) = Net::start("d").await else {
        return;
    };
    let (bot1, bot2) = (8, 9);
    let b1 = net.bot(bot1, "full", "bot1", None);
    let b2 = net.bot(bot2, "full", "bot2", None);
    let bad = net.propose(1, Some(29), 1);
    let good = net.propose(2, None, 2);
    let mut adv = [
        (
            bad,
            ChainAdversary::new(&Strategy::ConsistentLiar, net.addr(1), 1, net.lying(29, 7)),
        ),
        (
            bad,
            ChainAdversary::new(&Strategy::AlwaysDefend, net.addr(3), 3, net.lying(12, 8)),
        ),
        (
            good,
            ChainAdversary::new(&Strategy::AlwaysAttack, net.addr(4), 4, net.lying(6, 9)),
        ),
        (
            good,
            ChainAdversary::new(&Strategy::Random, net.addr(5), 5, net.lying(33, 10)),
        ),
        (
            good,
            ChainAdversary::new(
                &Strategy::BottomLayerLiar,
                net.addr(6),
                6,
                net.lying(21, 11),
            ),
        ),
    ];
    net.bisect(&[bad, good], &mut adv, 2 * config().max_depth + 2)
        .await;
    net.finish(&[bad, good]).await;
    assert_eq!(
        game::read_game(&net.l1, bad).await.unwrap().status,
        GameStatus::ChallengerWins
    );
    assert_eq!(
        game::read_game(&net.l1, good).await.unwrap().status,
        GameStatus::DefenderWins
    );
    for (bot, who) in [(&b1, bot1), (&b2, bot2)] {
        for g in [bad, good] {
            net.credit_withdrawn(g, net.addr(who)).await;
            let rec = ledger_finished(bot, g).await;
            assert!(
                wei(&rec["credit_claimed"]) >= wei(&rec["bonds_posted"]),
                "an honest bot lost bonds in {g}: {rec}"
            );
        }
    }
}
