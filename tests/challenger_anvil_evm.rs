//! The `gavel challenger` binary on EVM games against a real node: anvil on loopback, the EVM
//! system deployed with `gavel deploy` (a small layout: split depth 4, max depth 16, so a
//! game is 16 moves deep), the `mem_loop` fixture batch posted and proposed with
//! `gavel propose`, the bot syncing the L2 from the inbox (`--genesis`), adversaries from the
//! zoo lying with dishonest `EvmTrace`s (consistent, top- and bottom-layer liars; no
//! `AlwaysAttack`, `Freeloader` or `Random`: at depth 16 their claim spam makes games of
//! thousands of claims, which the toy tests cover at depth 6 and the fuzzer in process), time moved with `evm_increaseTime` + `evm_mine`.
//!
//! anvil comes from `ANVIL_BIN` (`eval "$(scripts/install-tools.sh)"`) or PATH. Without it
//! each test prints a notice and passes, except under `CI=true`, where it fails. Every
//! process a test starts (anvil, bots) is killed when its guard drops, also on failure.

use alloy::node_bindings::{Anvil, AnvilInstance};
use alloy_primitives::{Address, B256, U256};
use gavel_chain::{EvmTrace, L1, RpcL1, TimeControl, game};
use gavel_challenger::harness::ChainAdversary;
use gavel_game::{GameStatus, SharedTrace, Strategy};
use gavel_trace::{Batch, ExecOptions, Executor, Genesis, Layout};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const POLL_MS: &str = "150";
const SPLIT: u32 = 4;
const MAX: u32 = 16;
const MAX_CLOCK: u64 = 600;
const WITHDRAWAL_DELAY: u64 = 60;

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
    eprintln!("NOTICE: anvil not found (set ANVIL_BIN); skipping the EVM anvil test");
    None
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/batches/mem_loop")
}

/// The honest trace of the fixture batch in the test layout.
fn honest_trace() -> EvmTrace {
    let genesis = Genesis::from_file(fixture().join("genesis.json")).unwrap();
    let batch = Batch::from_file(fixture().join("batch.json"), genesis.config.chain_id).unwrap();
    let exec = Executor::run(
        genesis.prestate().unwrap(),
        batch,
        ExecOptions {
            layout: Layout::new(SPLIT, MAX).unwrap(),
            ..ExecOptions::default()
        },
    )
    .unwrap();
    EvmTrace::new(exec)
}

/// A running anvil with the EVM system deployed by `gavel deploy`.
struct Net {
    anvil: AnvilInstance,
    l1: RpcL1,
    keys: Vec<String>,
    dir: PathBuf,
    deployment: PathBuf,
    honest: EvmTrace,
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
        let dir =
            std::env::temp_dir().join(format!("gavel-anvil-evm-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let deployment = dir.join("deployment.json");
        let out = Command::new(gavel_bin())
            .args(["deploy", "--rpc-url", &anvil.endpoint(), "--genesis"])
            .arg(fixture().join("genesis.json"))
            .arg("--out")
            .arg(&deployment)
            .args([
                "--max-depth",
                &MAX.to_string(),
                "--split-depth",
                &SPLIT.to_string(),
            ])
            .args([
                "--max-clock-duration",
                &MAX_CLOCK.to_string(),
                "--clock-extension",
                "60",
            ])
            .args(["--withdrawal-delay", &WITHDRAWAL_DELAY.to_string()])
            .env("GAVEL_DEPLOYER_KEY", &keys[0])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(Net {
            anvil,
            l1,
            keys,
            dir,
            deployment,
            honest: honest_trace(),
        })
    }

    fn addr(&self, i: usize) -> Address {
        self.l1.accounts()[i]
    }

    /// `gavel propose` over the fixture batch from account `who` (the first call posts the
    /// batch as the sequencer, account 0), lying from `(transition, step)` if given.
    fn propose(&self, who: usize, lie: Option<(u64, u64)>) -> Address {
        let mut cmd = Command::new(gavel_bin());
        cmd.args([
            "propose",
            "--rpc-url",
            &self.anvil.endpoint(),
            "--deployment",
        ])
        .arg(&self.deployment)
        .arg("--batch")
        .arg(fixture().join("batch.json"))
        .arg("--genesis")
        .arg(fixture().join("genesis.json"))
        .env("GAVEL_PROPOSER_KEY", &self.keys[who])
        .env("GAVEL_SEQUENCER_KEY", &self.keys[0]);
        if let Some((j, k)) = lie {
            cmd.args([
                "--lie-at-transition",
                &j.to_string(),
                "--lie-step",
                &k.to_string(),
            ]);
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

    /// Starts a bot process sending from account `who`, syncing the L2 from the genesis.
    fn bot(&self, who: usize, mode: &str, data: &str) -> Bot {
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
        .arg("--genesis")
        .arg(fixture().join("genesis.json"))
        .env("GAVEL_CHALLENGER_KEY", &self.keys[who])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log);
        Bot {
            child: cmd.spawn().unwrap(),
            data_dir,
        }
    }

    /// The lie `gavel propose --lie-at-transition j --lie-step k` proposes (salt 7).
    fn lying(&self, j: u64, k: u64, salt: u8) -> SharedTrace {
        Arc::new(self.honest.dishonest(j, k, B256::repeat_byte(salt)))
    }

    async fn settle(&self, games: &[Address]) {
        let mut last = None;
        let mut stable = 0;
        let start = Instant::now();
        while stable < 4 && start.elapsed() < Duration::from_secs(20) {
            let mut snapshot = Vec::new();
            for g in games {
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

    async fn bisect(
        &self,
        games: &[Address],
        adversaries: &mut [(Address, ChainAdversary)],
        rounds: u32,
    ) {
        for _ in 0..rounds {
            self.settle(games).await;
            for (g, a) in adversaries.iter_mut() {
                a.act(&self.l1, *g, &self.honest).await;
            }
            self.l1.advance_time(5).await.unwrap();
        }
        self.settle(games).await;
    }

    async fn finish(&self, games: &[Address]) {
        self.l1.advance_time(MAX_CLOCK + 1).await.unwrap();
        let start = Instant::now();
        for g in games {
            while game::read_game(&self.l1, *g).await.unwrap().status == GameStatus::InProgress {
                assert!(
                    start.elapsed() < Duration::from_secs(120),
                    "game {g} not resolved by the bots"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        self.l1.advance_time(WITHDRAWAL_DELAY + 1).await.unwrap();
    }

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

const ROUNDS: u32 = 2 * MAX + 2;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_beats_a_dishonest_evm_proposer() {
    let Some(net) = Net::start("a").await else {
        return;
    };
    let (liar, me) = (1, 2);
    let bot = net.bot(me, "full", "bot");
    let g = net.propose(liar, Some((2, 5)));
    let before = net.l1.balance(net.addr(me)).await.unwrap();
    let mut adv = [(
        g,
        ChainAdversary::new(
            &Strategy::ConsistentLiar,
            net.addr(liar),
            1,
            net.lying(2, 5, 7),
        ),
    )];
    net.bisect(&[g], &mut adv, ROUNDS).await;
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
    assert!(net.l1.balance(net.addr(me)).await.unwrap() > before);
    // The posted batch was cached in the data dir.
    assert!(bot.data_dir.join("evm/batches/1.bin").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_bot_defends_an_honest_evm_proposal_against_dishonest_challengers() {
    let Some(net) = Net::start("b").await else {
        return;
    };
    let me = 2;
    let bot = net.bot(me, "defend", "bot");
    let g = net.propose(1, None);
    let mut adv = [
        (
            g,
            ChainAdversary::new(
                &Strategy::ConsistentLiar,
                net.addr(3),
                3,
                net.lying(1, 2, 1),
            ),
        ),
        (
            g,
            ChainAdversary::new(
                &Strategy::ConsistentLiar,
                net.addr(4),
                4,
                net.lying(6, 0, 2),
            ),
        ),
        (
            g,
            ChainAdversary::new(&Strategy::TopLayerLiar, net.addr(5), 5, net.lying(7, 9, 3)),
        ),
    ];
    net.bisect(&[g], &mut adv, ROUNDS).await;
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
async fn c_a_bot_killed_mid_evm_game_and_restarted_still_wins() {
    let Some(net) = Net::start("c").await else {
        return;
    };
    let (liar, me) = (1, 2);
    let mut bot = net.bot(me, "full", "bot");
    let g = net.propose(liar, Some((7, 3)));
    let mut adv = [(
        g,
        ChainAdversary::new(
            &Strategy::ConsistentLiar,
            net.addr(liar),
            1,
            net.lying(7, 3, 7),
        ),
    )];
    net.bisect(&[g], &mut adv, 2).await;
    let moves_before = game_ledger(&bot, g)["moves"].as_u64().unwrap();
    assert!(moves_before >= 1, "the bot played before the kill");
    bot.kill();
    adv[0].1.act(&net.l1, g, &net.honest).await;
    net.l1.advance_time(30).await.unwrap();
    let bot = net.bot(me, "full", "bot");
    net.bisect(&[g], &mut adv, ROUNDS).await;
    net.finish(&[g]).await;
    assert_eq!(
        game::read_game(&net.l1, g).await.unwrap().status,
        GameStatus::ChallengerWins
    );
    net.credit_withdrawn(g, net.addr(me)).await;
    let rec = ledger_finished(&bot, g).await;
    assert!(rec["moves"].as_u64().unwrap() > moves_before, "{rec}");
    assert_eq!(rec["steps"], 1, "{rec}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn d_two_bots_and_several_adversaries_on_two_evm_games() {
    let Some(net) = Net::start("d").await else {
        return;
    };
    let (bot1, bot2) = (8, 9);
    let b1 = net.bot(bot1, "full", "bot1");
    let b2 = net.bot(bot2, "full", "bot2");
    let bad = net.propose(1, Some((3, 4)));
    let good = net.propose(2, None);
    let mut adv = [
        (
            bad,
            ChainAdversary::new(
                &Strategy::ConsistentLiar,
                net.addr(1),
                1,
                net.lying(3, 4, 7),
            ),
        ),
        (
            bad,
            ChainAdversary::new(&Strategy::AlwaysDefend, net.addr(3), 3, net.lying(2, 1, 8)),
        ),
        (
            good,
            ChainAdversary::new(
                &Strategy::ConsistentLiar,
                net.addr(4),
                4,
                net.lying(0, 0, 9),
            ),
        ),
        (
            good,
            ChainAdversary::new(&Strategy::TopLayerLiar, net.addr(5), 5, net.lying(8, 2, 10)),
        ),
        (
            good,
            ChainAdversary::new(
                &Strategy::BottomLayerLiar,
                net.addr(6),
                6,
                net.lying(6, 7, 11),
            ),
        ),
    ];
    net.bisect(&[bad, good], &mut adv, ROUNDS).await;
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
