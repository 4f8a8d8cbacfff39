//! End to end on a real node: the toy system deployed on anvil through the JSON-RPC backend,
//! a dishonest proposer (playing its lying trace consistently) against the honest solver,
//! every action a real signed transaction; the honest challenger must win and be paid.
//!
//! anvil comes from `ANVIL_BIN` (set by scripts/test.sh, which installs it from npm) or PATH.
//! Without it the test prints a notice and passes, except under `CI=true`, where it fails.

use alloy::node_bindings::Anvil;
use alloy_primitives::{B256, U256};
use gavel_chain::{L1, RpcL1, TimeControl, ToyDeployParams, deploy_toy_system, game};
use gavel_challenger::agent::{replay, send_action};
use gavel_game::{
    Action, GameConfig, GameStatus, HonestSolver, SharedTrace, Strategy, ToyTrace, honest_root,
    make_adversary, toy::toy_input,
};
use rand::SeedableRng;
use std::sync::Arc;

fn anvil_path() -> Option<String> {
    if let Ok(path) = std::env::var("ANVIL_BIN") {
        return Some(path);
    }
    let found = std::process::Command::new("anvil")
        .arg("--version")
        .output()
        .is_ok();
    if found {
        return Some("anvil".into());
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "anvil not found under CI: scripts/test.sh must install it and export ANVIL_BIN"
    );
    eprintln!("NOTICE: anvil not found (set ANVIL_BIN); skipping the anvil end-to-end test");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn honest_challenger_beats_a_dishonest_proposer_on_anvil() {
    let Some(bin) = anvil_path() else { return };
    let anvil = Anvil::at(bin).arg("--host").arg("127.0.0.1").spawn();
    let keys: Vec<String> = anvil.keys()[..3]
        .iter()
        .map(|k| alloy::hex::encode(k.to_bytes()))
        .collect();
    let l1 = RpcL1::connect(&anvil.endpoint(), &keys)
        .await
        .expect("connect to anvil");
    let [deployer, honest, liar] = [l1.accounts()[0], l1.accounts()[1], l1.accounts()[2]];

    let config = GameConfig {
        max_depth: 6,
        split_depth: 3,
        max_clock_duration: 600,
        clock_extension: 60,
        withdrawal_delay: 60,
        ..GameConfig::toy_default()
    };
    let anchor = B256::repeat_byte(0x42);
    let deployment = deploy_toy_system(
        &l1,
        deployer,
        &ToyDeployParams::from_config(&config, anchor, 0),
    )
    .await
    .expect("deploy the toy system");

    let trace_length = 40;
    let honest_trace = ToyTrace::new(anchor, trace_length, config.max_depth).unwrap();
    let lying: SharedTrace = Arc::new(
        ToyTrace::divergent(
            anchor,
            trace_length,
            config.max_depth,
            23,
            B256::repeat_byte(7),
        )
        .unwrap(),
    );
    let bad_root = honest_root(lying.as_ref(), config.max_depth).unwrap();
    assert_ne!(
        bad_root,
        honest_root(&honest_trace, config.max_depth).unwrap()
    );
    let game_addr = game::create_game(&l1, liar, &deployment, bad_root, 1, toy_input(trace_length))
        .await
        .expect("the dishonest proposal is created");

    let solver = HonestSolver::new(honest);
    let mut proposer = make_adversary(&Strategy::ConsistentLiar, liar, 1, lying.clone());
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let (mut honest_moves, mut honest_steps) = (0, 0);

    // Bisection: both sides act each round until neither has anything to play.
    for _round in 0..4 * config.max_depth {
        let view = game::read_game(&l1, game_addr).await.unwrap();
        let now = l1.timestamp().await.unwrap();
        let state = replay(&view, now).expect("the chain game replays in Rust");
        let honest_actions: Vec<Action> = solver
            .next_actions(&state, &honest_trace, now)
            .unwrap()
            .into_iter()
            .filter(|a| matches!(a, Action::Move { .. } | Action::Step { .. }))
            .collect();
        for action in &honest_actions {
            send_action(&l1, game_addr, &state, honest, action)
                .await
                .expect("honest action lands");
            match action {
                Action::Move { .. } => honest_moves += 1,
                _ => honest_steps += 1,
            }
        }
        let view = game::read_game(&l1, game_addr).await.unwrap();
        let state = replay(&view, now).unwrap();
        let liar_actions = proposer.act(&state, &honest_trace, &mut rng, now);
        for action in &liar_actions {
            // The liar may try things the contract refuses; only the honest side must land.
            let _ = send_action(&l1, game_addr, &state, liar, action).await;
        }
        if honest_actions.is_empty() && liar_actions.is_empty() {
            break;
        }
        l1.advance_time(5).await.unwrap();
    }
    assert!(honest_moves > 0, "the honest side moved");
    assert_eq!(
        honest_steps, 1,
        "the dispute ended in exactly one honest step"
    );

    // Clocks out, resolve bottom-up, then withdraw after the delay.
    l1.advance_time(config.max_clock_duration + 1)
        .await
        .unwrap();
    for _ in 0..64 {
        let view = game::read_game(&l1, game_addr).await.unwrap();
        if view.status != GameStatus::InProgress {
            break;
        }
        let now = l1.timestamp().await.unwrap();
        let state = replay(&view, now).unwrap();
        for action in solver.next_actions(&state, &honest_trace, now).unwrap() {
            if matches!(action, Action::ResolveClaim { .. } | Action::Resolve) {
                send_action(&l1, game_addr, &state, honest, &action)
                    .await
                    .expect("resolution lands");
            }
        }
    }
    let view = game::read_game(&l1, game_addr).await.unwrap();
    assert_eq!(
        view.status,
        GameStatus::ChallengerWins,
        "the honest challenger wins"
    );

    let credit = game::credit_of(&l1, game_addr, honest).await.unwrap();
    let state = replay(&view, l1.timestamp().await.unwrap()).unwrap();
    let paid: U256 = state
        .claims()
        .iter()
        .filter(|c| c.claimant == honest)
        .map(|c| config.required_bond(c.position))
        .sum();
    assert!(
        credit > paid,
        "the honest side earns the liar's bonds: credit {credit}, paid {paid}"
    );

    l1.advance_time(config.withdrawal_delay + 1).await.unwrap();
    let before = l1.balance(honest).await.unwrap();
    let receipt = send_action(
        &l1,
        game_addr,
        &state,
        deployer,
        &Action::ClaimCredit { recipient: honest },
    )
    .await
    .unwrap()
    .expect("credit to claim");
    assert!(receipt.success);
    assert_eq!(
        l1.balance(honest).await.unwrap(),
        before + credit,
        "credit paid to the recipient"
    );
    assert!(
        game::credit_of(&l1, game_addr, honest)
            .await
            .unwrap()
            .is_zero()
    );
}
