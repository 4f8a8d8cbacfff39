//! Whole games on the in-process L1: deployment, reading a game back, and a dispute played to
//! max depth, stepped, resolved and paid out with ETH balances checked.

mod common;

use alloy::primitives::{B256, U256, keccak256};
use common::toy::{Fixture, assert_revert, depth, small_params, trace_index};
use gavel_chain::game::{self, GameStatus};
use gavel_chain::{AnchorStateRegistry, L1, TimeControl, ToyDeployParams, view};

#[tokio::test]
async fn deployment_records_the_system() {
    let params = small_params();
    let f = Fixture::new(params.clone(), 10, 5, true).await;
    let d = &f.deployment;
    assert_eq!(d.chain_id, f.l1.chain_id().await.unwrap());
    let toy = d.primary().unwrap();
    assert_eq!(toy.game_type, params.game_type);
    assert_eq!(toy.params, params.game_params());
    assert_eq!(toy.verifier_kind, "toy");
    for addr in [
        d.factory,
        d.anchor_registry,
        toy.implementation,
        toy.verifier,
    ] {
        assert!(!f.l1.code_now(addr).is_empty(), "no code at {addr}");
    }
    let anchor = view(
        &f.l1,
        d.anchor_registry,
        AnchorStateRegistry::anchorsCall {
            _gameType: params.game_type,
        },
    )
    .await
    .unwrap();
    assert_eq!(anchor.root_, params.anchor_root);
    assert_eq!(anchor.l2SequenceNumber_, U256::from(params.anchor_seq));
}

#[tokio::test]
async fn a_created_game_reads_back() {
    let params = small_params();
    let f = Fixture::new(params.clone(), 10, 5, false).await;
    let v = f.view().await;
    assert_eq!(v.status, GameStatus::InProgress);
    assert_eq!(v.creator, f.alice);
    assert_eq!(v.game_type, params.game_type);
    assert_eq!(v.root_claim, f.liar.state(1 << params.max_depth));
    assert_eq!(
        v.absolute_prestate,
        f.honest.state(0),
        "prestate is toyState(0, len, anchor)"
    );
    assert_eq!(v.starting_root, params.anchor_root);
    assert_eq!(v.l2_sequence_number, U256::from(params.anchor_seq + 1));
    assert_eq!(v.input, B256::from(U256::from(10u64)));
    assert_eq!(v.created_at, f.l1.now());
    assert_eq!(v.resolved_at, 0);
    assert_eq!(
        (v.max_depth, v.split_depth),
        (params.max_depth, params.split_depth)
    );
    assert_eq!(
        (v.max_clock_duration, v.clock_extension, v.withdrawal_delay),
        (3600, 300, 600)
    );
    assert_eq!(
        (v.base_bond, v.bond_increment),
        (params.base_bond, params.bond_increment)
    );
    assert_eq!(v.claims.len(), 1);
    let root = &v.claims[0];
    assert_eq!(
        (root.index, root.parent_index, root.position, root.claimant),
        (0, None, 1, f.alice)
    );
    assert_eq!(
        (root.child_count, root.countered_by, root.resolved),
        (0, None, None)
    );
    assert_eq!(f.l1.balance(f.game).await.unwrap(), params.base_bond);

    // A move shows up with its clock and in its parent's child count.
    f.l1.advance_time(100).await.unwrap();
    f.respond(f.bob, 0).await.unwrap();
    let v = f.view().await;
    let c = &v.claims[1];
    assert_eq!(
        (c.parent_index, c.position, c.claimant),
        (Some(0), 2, f.bob)
    );
    assert_eq!(c.claim, f.honest.at(2, 4));
    assert_eq!(c.clock_duration, 100, "bob used 100 s of his clock");
    assert_eq!(c.clock_timestamp, f.l1.now());
    assert_eq!(v.claims[0].child_count, 1);
    assert_eq!(
        game::challenger_duration(&f.l1, f.game, 1).await.unwrap(),
        0
    );
    assert_eq!(
        game::required_bond(&f.l1, f.game, 4).await.unwrap(),
        f.bond(4)
    );
}

/// The full dispute at the toy defaults (depth 10, split 4): a lying root, the honest side
/// bisects to max depth, steps, everything resolves and the honest side collects every bond.
#[tokio::test]
async fn honest_challenger_wins_a_full_dispute() {
    let params = ToyDeployParams {
        anchor_root: keccak256("anchor"),
        anchor_seq: 3,
        ..ToyDeployParams::default()
    };
    let f = Fixture::new(params.clone(), 700, 333, false).await;
    let alice_start = f.l1.balance_now(f.alice) + params.base_bond; // she paid the root bond
    let bob_start = f.l1.balance_now(f.bob);

    let leaf = f.play_to_max_depth(f.bob).await;
    let v = f.view().await;
    assert_eq!(v.claims.len(), 11, "root plus one claim per depth");
    assert_eq!(v.claims[leaf].depth(), 10);
    assert_eq!(v.claims[leaf].claimant, f.alice, "depth 10 is alice's side");
    // The bisection homes in on the liar's first false state: step 333 -> 334... is disputed.
    let t = trace_index(v.claims[leaf].position, 10);
    assert!(t == 332 || t == 333, "disputed step at leaf {t}");

    // Alice cannot step against bob's claims; bob steps against her leaf.
    let args = f.step_args(f.bob, leaf).await;
    let stepped = f.step(f.bob, &args).await.unwrap();
    assert_eq!(stepped.logs.len(), 1, "one Step event");
    assert_eq!(f.view().await.claims[leaf].countered_by, Some(f.bob));

    // Nothing resolves before the clocks run out.
    assert_revert(f.resolve_claim(f.carol, leaf).await, "ClockNotExpired");
    f.expire_clocks().await;
    f.resolve_all_claims(f.carol).await;
    let v = f.view().await;
    for c in &v.claims {
        let alices = c.claimant == f.alice;
        assert_eq!(
            c.resolved,
            Some(alices),
            "claim {} (depth {})",
            c.index,
            depth(c.position)
        );
    }
    game::game_resolve(&f.l1, f.carol, f.game).await.unwrap();
    let v = f.view().await;
    assert_eq!(v.status, GameStatus::ChallengerWins);
    assert_eq!(v.resolved_at, f.l1.now());

    // Every bond goes to bob.
    let total: U256 = v.claims.iter().map(|c| f.bond(c.position)).sum();
    let alice_paid: U256 = v
        .claims
        .iter()
        .filter(|c| c.claimant == f.alice)
        .map(|c| f.bond(c.position))
        .sum();
    assert_eq!(f.l1.balance(f.game).await.unwrap(), total);
    assert_eq!(game::credit_of(&f.l1, f.game, f.bob).await.unwrap(), total);
    assert_eq!(
        game::credit_of(&f.l1, f.game, f.alice).await.unwrap(),
        U256::ZERO
    );

    assert_revert(
        game::game_claim_credit(&f.l1, f.bob, f.game, f.bob).await,
        "WithdrawalDelayNotPassed",
    );
    f.l1.advance_time(params.withdrawal_delay).await.unwrap();
    // Anyone may trigger the payout; carol pays for bob's (zero-price) transaction.
    game::game_claim_credit(&f.l1, f.carol, f.game, f.bob)
        .await
        .unwrap();
    assert_revert(
        game::game_claim_credit(&f.l1, f.alice, f.game, f.alice).await,
        "NoCreditToClaim",
    );
    assert_eq!(f.l1.balance(f.game).await.unwrap(), U256::ZERO);
    assert_eq!(
        f.l1.balance_now(f.bob),
        bob_start + alice_paid,
        "bob gains exactly alice's bonds"
    );
    assert_eq!(
        f.l1.balance_now(f.alice),
        alice_start - alice_paid,
        "alice loses exactly her bonds"
    );
}

/// An honest root survives a lying challenger, and the registry adopts it as the new anchor.
#[tokio::test]
async fn honest_root_survives_and_becomes_the_anchor() {
    let params = small_params();
    let f = Fixture::new(params.clone(), 12, 3, true).await;
    let leaf = f.play_to_max_depth(f.alice).await;
    // Depth 4 belongs to bob's side here: alice cannot counter it by a step.
    let args = f.step_args(f.alice, leaf).await;
    assert_revert(f.step(f.alice, &args).await, "ValidStep");
    f.expire_clocks().await;
    f.resolve_all_claims(f.carol).await;
    game::game_resolve(&f.l1, f.carol, f.game).await.unwrap();
    let v = f.view().await;
    assert_eq!(v.status, GameStatus::DefenderWins);
    let anchor = view(
        &f.l1,
        f.deployment.anchor_registry,
        AnchorStateRegistry::anchorsCall {
            _gameType: params.game_type,
        },
    )
    .await
    .unwrap();
    assert_eq!(anchor.root_, v.root_claim);
    assert_eq!(anchor.l2SequenceNumber_, U256::from(params.anchor_seq + 1));
}
