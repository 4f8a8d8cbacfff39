//! The bot on the in-process L1 (real contracts in revm, time under test control): the
//! whole pipeline without a node, fast enough to run on every `cargo test`.

use alloy_primitives::{Address, B256};
use gavel_chain::{
    Deployment, InProcessL1, L1, TimeControl, ToyDeployParams, deploy_toy_system, dev_address, game,
};
use gavel_challenger::harness::ChainAdversary;
use gavel_challenger::{Challenger, ChallengerConfig, HonestSource, Mode, Phase, ToySource};
use gavel_game::toy::toy_input;
use gavel_game::{GameConfig, GameStatus, SharedTrace, Strategy, ToyTrace, honest_root};
use std::sync::Arc;

const LEN: u64 = 40;
const ANCHOR: B256 = B256::repeat_byte(0x42);

fn game_config() -> GameConfig {
    GameConfig {
        max_depth: 6,
        split_depth: 3,
        max_clock_duration: 600,
        clock_extension: 60,
        withdrawal_delay: 60,
        ..GameConfig::toy_default()
    }
}

async fn setup() -> (Arc<InProcessL1>, Deployment) {
    let l1 = Arc::new(InProcessL1::with_accounts(8));
    let d = deploy_toy_system(
        l1.as_ref(),
        dev_address(0),
        &ToyDeployParams::from_config(&game_config(), ANCHOR, 0),
    )
    .await
    .unwrap();
    (l1, d)
}

fn bot_config(mode: Mode, data_dir: Option<std::path::PathBuf>) -> ChallengerConfig {
    ChallengerConfig {
        mode,
        data_dir,
        resolve_page_size: 2,
        ..ChallengerConfig::default()
    }
}

async fn bot(
    l1: &Arc<InProcessL1>,
    d: &Deployment,
    who: Address,
    config: ChallengerConfig,
) -> Challenger<InProcessL1> {
    let sources: Vec<Arc<dyn HonestSource>> = vec![Arc::new(ToySource::new(Some(LEN)))];
    Challenger::new(l1.clone(), who, d.clone(), sources, config)
        .await
        .unwrap()
}

fn honest() -> ToyTrace {
    ToyTrace::new(ANCHOR, LEN, game_config().max_depth).unwrap()
}

fn lying(at: u64, salt: u8) -> SharedTrace {
    Arc::new(
        ToyTrace::divergent(
            ANCHOR,
            LEN,
            game_config().max_depth,
            at,
            B256::repeat_byte(salt),
        )
        .unwrap(),
    )
}

/// Rounds of bots then adversaries with 5 s between them, then the clocks run out, then the
/// withdrawal delay passes, the bots polling all along.
async fn play(
    l1: &InProcessL1,
    game_addr: Address,
    bots: &[Challenger<InProcessL1>],
    adversaries: &mut [ChainAdversary],
) {
    let truth = honest();
    for _ in 0..4 * game_config().max_depth {
        for b in bots {
            let r = b.poll().await.unwrap();
            assert!(r.errors.is_empty(), "bot errors: {:?}", r.errors);
        }
        for a in adversaries.iter_mut() {
            a.act(l1, game_addr, &truth).await;
        }
        l1.advance_time(5).await.unwrap();
    }
    l1.advance_time(game_config().max_clock_duration + 1)
        .await
        .unwrap();
    for _ in 0..3 {
        for b in bots {
            b.poll().await.unwrap();
        }
    }
    l1.advance_time(game_config().withdrawal_delay + 1)
        .await
        .unwrap();
    for _ in 0..2 {
        for b in bots {
            b.poll().await.unwrap();
        }
    }
}

#[tokio::test]
async fn bot_beats_a_dishonest_proposer_and_claims_its_credit() {
    let (l1, d) = setup().await;
    let (liar, me) = (dev_address(1), dev_address(2));
    let lie = lying(23, 7);
    let root = honest_root(lie.as_ref(), game_config().max_depth).unwrap();
    let g = game::create_game(l1.as_ref(), liar, &d, root, 1, toy_input(LEN))
        .await
        .unwrap();
    let b = bot(&l1, &d, me, bot_config(Mode::Full, None)).await;
    let before = l1.balance(me).await.unwrap();
    let mut adv = [ChainAdversary::new(&Strategy::ConsistentLiar, liar, 1, lie)];
    play(&l1, g, std::slice::from_ref(&b), &mut adv).await;
    let view = game::read_game(l1.as_ref(), g).await.unwrap();
    assert_eq!(view.status, GameStatus::ChallengerWins);
    let rec = b.state().games[&g].clone();
    assert_eq!(rec.steps, 1, "one step ends the dispute");
    assert!(rec.credit_claimed > rec.bonds_posted, "{rec:?}");
    assert!(matches!(rec.phase, Phase::Finished { .. }), "{rec:?}");
    assert!(l1.balance(me).await.unwrap() > before, "the bot earned");
}

#[tokio::test]
async fn bot_defends_an_honest_proposal_against_several_attackers() {
    let (l1, d) = setup().await;
    let (proposer, me) = (dev_address(1), dev_address(2));
    let root = honest_root(&honest(), game_config().max_depth).unwrap();
    let g = game::create_game(l1.as_ref(), proposer, &d, root, 1, toy_input(LEN))
        .await
        .unwrap();
    // Defend mode is enough: the root is honest.
    let b = bot(&l1, &d, me, bot_config(Mode::Defend, None)).await;
    let mut adv = [
        ChainAdversary::new(&Strategy::AlwaysAttack, dev_address(3), 3, lying(5, 1)),
        ChainAdversary::new(&Strategy::Freeloader, dev_address(4), 4, lying(9, 2)),
        ChainAdversary::new(&Strategy::Random, dev_address(5), 5, lying(30, 3)),
    ];
    play(&l1, g, std::slice::from_ref(&b), &mut adv).await;
    let view = game::read_game(l1.as_ref(), g).await.unwrap();
    assert_eq!(view.status, GameStatus::DefenderWins);
    let rec = b.state().games[&g].clone();
    assert!(
        rec.moves > 0 && rec.credit_claimed >= rec.bonds_posted,
        "{rec:?}"
    );
}

#[tokio::test]
async fn watch_and_defend_leave_a_dishonest_proposal_alone() {
    let (l1, d) = setup().await;
    let lie = lying(3, 9);
    let root = honest_root(lie.as_ref(), game_config().max_depth).unwrap();
    let g = game::create_game(l1.as_ref(), dev_address(1), &d, root, 1, toy_input(LEN))
        .await
        .unwrap();
    for (mode, who) in [
        (Mode::Watch, Address::repeat_byte(9)),
        (Mode::Defend, dev_address(2)),
    ] {
        let b = bot(&l1, &d, who, bot_config(mode, None)).await;
        let r = b.poll().await.unwrap();
        assert_eq!((r.new_games, r.sent, r.withheld), (1, 0, 1), "{mode}");
        assert_eq!(b.state().games[&g].root_honest, Some(false));
    }
    assert_eq!(game::claim_count(l1.as_ref(), g).await.unwrap(), 1);
}

#[tokio::test]
async fn restart_resumes_from_the_data_dir_and_the_chain() {
    let (l1, d) = setup().await;
    let dir = std::env::temp_dir().join(format!("gavel-bot-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (liar, me) = (dev_address(1), dev_address(2));
    let lie = lying(11, 4);
    let root = honest_root(lie.as_ref(), game_config().max_depth).unwrap();
    let g = game::create_game(l1.as_ref(), liar, &d, root, 1, toy_input(LEN))
        .await
        .unwrap();
    let mut adv = [ChainAdversary::new(&Strategy::ConsistentLiar, liar, 1, lie)];
    let truth = honest();
    {
        let first = bot(&l1, &d, me, bot_config(Mode::Full, Some(dir.clone()))).await;
        for _ in 0..3 {
            first.poll().await.unwrap();
            adv[0].act(l1.as_ref(), g, &truth).await;
            l1.advance_time(5).await.unwrap();
        }
        assert!(first.state().games[&g].moves >= 2);
    }
    // A new process: the ledger comes back, the game goes on.
    let second = bot(&l1, &d, me, bot_config(Mode::Full, Some(dir.clone()))).await;
    let rec = second.state().games[&g].clone();
    assert!(rec.moves >= 2, "ledger restored: {rec:?}");
    play(&l1, g, std::slice::from_ref(&second), &mut adv).await;
    assert_eq!(
        game::read_game(l1.as_ref(), g).await.unwrap().status,
        GameStatus::ChallengerWins
    );
    assert!(matches!(
        second.state().games[&g].phase,
        Phase::Finished { .. }
    ));
    // Another operator cannot reuse this ledger.
    let sources: Vec<Arc<dyn HonestSource>> = vec![Arc::new(ToySource::new(None))];
    let other = Challenger::new(
        l1.clone(),
        dev_address(3),
        d.clone(),
        sources,
        bot_config(Mode::Full, Some(dir.clone())),
    )
    .await;
    assert!(other.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_wrong_chain_or_factory_is_refused_at_start() {
    let (l1, mut d) = setup().await;
    let sources: Vec<Arc<dyn HonestSource>> = vec![Arc::new(ToySource::new(None))];
    let mut wrong_chain = d.clone();
    wrong_chain.chain_id += 1;
    let e = Challenger::new(
        l1.clone(),
        dev_address(2),
        wrong_chain,
        sources.clone(),
        bot_config(Mode::Full, None),
    )
    .await
    .err()
    .unwrap();
    assert!(e.to_string().contains("chain"), "{e}");
    d.factory = Address::repeat_byte(0xee);
    let e = Challenger::new(
        l1.clone(),
        dev_address(2),
        d,
        sources,
        bot_config(Mode::Full, None),
    )
    .await
    .err()
    .unwrap();
    assert!(e.to_string().contains("factory"), "{e}");
}

#[tokio::test]
async fn resolution_is_paginated_when_a_claim_has_many_children() {
    let (l1, d) = setup().await;
    let (proposer, me, attacker) = (dev_address(1), dev_address(2), dev_address(3));
    let config = game_config();
    let root = honest_root(&honest(), config.max_depth).unwrap();
    let g = game::create_game(l1.as_ref(), proposer, &d, root, 1, toy_input(LEN))
        .await
        .unwrap();
    let root_digest = game::read_game(l1.as_ref(), g).await.unwrap().claims[0].digest();
    let bond = config.required_bond(gavel_game::Position(2));
    for k in 0..5u8 {
        game::game_move(
            l1.as_ref(),
            attacker,
            g,
            root_digest,
            0,
            B256::repeat_byte(k),
            true,
            bond,
        )
        .await
        .unwrap();
    }
    let b = bot(&l1, &d, me, bot_config(Mode::Full, None)).await;
    play(&l1, g, std::slice::from_ref(&b), &mut []).await;
    let view = game::read_game(l1.as_ref(), g).await.unwrap();
    assert_eq!(view.status, GameStatus::DefenderWins);
    let rec = b.state().games[&g].clone();
    // Root: 5 children in pages of 2 = 3 pages; 5 attacks: 1 page each (one honest child);
    // 5 honest counters: 1 (empty) page each; plus resolve().
    assert_eq!(rec.resolutions, 3 + 5 + 5 + 1, "{rec:?}");
    assert!(matches!(rec.phase, Phase::Finished { .. }));
}
