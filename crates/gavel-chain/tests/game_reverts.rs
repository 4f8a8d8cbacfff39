//! Every revert path of the game, factory and registry, each asserting the exact custom error.
//! Small games (depth 4, split 2) on the in-process L1.

mod common;

use alloy::primitives::{Address, B256, Bytes, U256, keccak256};
use common::toy::{Fixture, assert_revert, move_position, small_params};
use gavel_chain::game::{self, ChildRef, ClaimRef, extra_data};
use gavel_chain::{
    AnchorStateRegistry, DisputeGameFactory, FaultDisputeGame, TimeControl, deploy, send_call,
};

/// A game with a lying root by alice.
async fn lying_root() -> Fixture {
    Fixture::new(small_params(), 10, 5, false).await
}

#[tokio::test]
async fn wrong_bond() {
    let f = lying_root().await;
    let root = f.view().await.claims[0].clone();
    let right = f.bond(2);
    for bond in [right - U256::from(1), right + U256::from(1), U256::ZERO] {
        let r = game::game_move(
            &f.l1,
            f.bob,
            f.game,
            root.digest(),
            0,
            B256::ZERO,
            true,
            bond,
        )
        .await;
        assert_revert(r, "IncorrectBondAmount");
    }
}

#[tokio::test]
async fn wrong_disputed_digest() {
    let f = lying_root().await;
    let root = f.view().await.claims[0].clone();
    let bond = f.bond(2);
    // The digest of a different claim value, and of the right value by someone else.
    let other_value = game::claim_digest(keccak256("other"), root.claimant);
    let other_claimant = game::claim_digest(root.claim, f.carol);
    for disputed in [other_value, other_claimant, root.claim] {
        let r = game::game_move(&f.l1, f.bob, f.game, disputed, 0, B256::ZERO, true, bond).await;
        assert_revert(r, "InvalidDisputedClaimIndex");
    }
    // A parent index that does not exist yet.
    let r = game::game_move(&f.l1, f.bob, f.game, B256::ZERO, 7, B256::ZERO, true, bond).await;
    assert_revert(r, "InvalidDisputedClaimIndex");
}

#[tokio::test]
async fn defend_the_root() {
    let f = lying_root().await;
    assert_revert(
        f.mv(f.bob, 0, B256::ZERO, false).await,
        "CannotDefendRootClaim",
    );
}

#[tokio::test]
async fn move_beyond_max_depth() {
    let f = lying_root().await;
    let leaf = f.play_to_max_depth(f.bob).await;
    let v = f.view().await;
    let c = &v.claims[leaf];
    // The bond of a depth-5 claim: the depth check comes first anyway.
    let bond = f.bond(move_position(c.position, true));
    let r = game::game_move(
        &f.l1,
        f.bob,
        f.game,
        c.digest(),
        leaf,
        B256::ZERO,
        true,
        bond,
    )
    .await;
    assert_revert(r, "GameDepthExceeded");
}

#[tokio::test]
async fn step_above_max_depth() {
    let f = lying_root().await;
    f.respond(f.bob, 0).await.unwrap();
    let v = f.view().await;
    let c = &v.claims[1];
    let parent = ClaimRef {
        claim: c.claim,
        claimant: c.claimant,
    };
    let r = game::game_step(
        &f.l1,
        f.alice,
        f.game,
        1,
        true,
        parent,
        0,
        ClaimRef::default(),
        f.honest.witness(0),
    )
    .await;
    assert_revert(r, "InvalidParent");
}

#[tokio::test]
async fn step_with_a_wrong_witness() {
    let f = lying_root().await;
    let leaf = f.play_to_max_depth(f.bob).await;
    let mut args = f.step_args(f.bob, leaf).await;
    let good = args.witness.clone();
    // A witness of another state, a truncated one, and one with a flipped byte.
    let mut flipped = good.to_vec();
    flipped[40] ^= 1;
    for witness in [
        f.honest.witness(9),
        Bytes::from(good[..95].to_vec()),
        Bytes::from(flipped),
    ] {
        args.witness = witness;
        assert_revert(f.step(f.bob, &args).await, "InvalidWitness");
    }
}

#[tokio::test]
async fn a_step_that_does_not_counter_is_a_valid_step() {
    // Honest root: the leaf of the chain is bob's (true) claim.
    let f = Fixture::new(small_params(), 12, 3, true).await;
    let leaf = f.play_to_max_depth(f.alice).await;
    let args = f.step_args(f.alice, leaf).await;
    assert_revert(f.step(f.alice, &args).await, "ValidStep");
    // Bob "attacking" his own true claim with the honest pre-state is just as valid.
    let mut own = f.step_args(f.bob, leaf).await;
    own.is_attack = !own.is_attack;
    let fixed = f.step_args(f.alice, leaf).await;
    own.state_index = fixed.state_index;
    own.state = fixed.state;
    own.witness = fixed.witness;
    assert_revert(f.step(f.bob, &own).await, "ValidStep");
}

#[tokio::test]
async fn duplicate_step() {
    let f = lying_root().await;
    let leaf = f.play_to_max_depth(f.bob).await;
    let args = f.step_args(f.bob, leaf).await;
    f.step(f.bob, &args).await.unwrap();
    assert_revert(f.step(f.carol, &args).await, "DuplicateStep");
}

#[tokio::test]
async fn wrong_claim_refs_in_a_step() {
    let f = lying_root().await;
    let leaf = f.play_to_max_depth(f.bob).await;
    let good = f.step_args(f.bob, leaf).await;
    // The stepped claim opened with a wrong claimant.
    let mut bad = f.step_args(f.bob, leaf).await;
    bad.parent.claimant = f.carol;
    assert_revert(f.step(f.bob, &bad).await, "InvalidClaimRef");
    // A chain claim that is not the required trace ancestor (the root is never one here).
    if good.is_attack && good.state_index == 0 {
        return; // attack at trace index 0 ignores the state: nothing to get wrong
    }
    let v = f.view().await;
    let wrong = v
        .claims
        .iter()
        .find(|c| c.index != good.state_index && c.index != leaf)
        .unwrap();
    let mut bad = f.step_args(f.bob, leaf).await;
    bad.state_index = wrong.index;
    bad.state = ClaimRef {
        claim: wrong.claim,
        claimant: wrong.claimant,
    };
    assert_revert(f.step(f.bob, &bad).await, "InvalidPrestate");
}

#[tokio::test]
async fn moves_and_steps_after_the_clock_ran_out() {
    let f = lying_root().await;
    let leaf = f.play_to_max_depth(f.bob).await;
    let args = f.step_args(f.bob, leaf).await;
    f.expire_clocks().await;
    assert_revert(f.respond(f.carol, 0).await, "ClockTimeExceeded");
    assert_revert(f.step(f.bob, &args).await, "ClockTimeExceeded");
}

#[tokio::test]
async fn resolve_a_claim_too_early() {
    let f = lying_root().await;
    f.respond(f.bob, 0).await.unwrap();
    f.l1.advance_time(f.params.max_clock_duration - 1)
        .await
        .unwrap();
    assert_revert(f.resolve_claim(f.carol, 1).await, "ClockNotExpired");
    assert_revert(f.resolve_claim(f.carol, 0).await, "ClockNotExpired");
}

#[tokio::test]
async fn resolve_out_of_order() {
    let f = lying_root().await;
    f.respond(f.bob, 0).await.unwrap();
    f.respond(f.alice, 1).await.unwrap();
    f.expire_clocks().await;
    // Claim 1's child (2) is unresolved.
    assert_revert(f.resolve_claim(f.carol, 1).await, "OutOfOrderResolution");
    // The root before its child.
    assert_revert(f.resolve_claim(f.carol, 0).await, "OutOfOrderResolution");
}

#[tokio::test]
async fn bad_children_pages() {
    let f = lying_root().await;
    f.respond(f.bob, 0).await.unwrap(); // 1
    f.respond(f.carol, 0).await.unwrap(); // 2, another counter of the root
    f.respond(f.alice, 1).await.unwrap(); // 3, a grandchild
    f.expire_clocks().await;
    for i in [3, 2, 1] {
        f.resolve_claim(f.carol, i).await.unwrap();
    }
    let v = f.view().await;
    let root = ClaimRef {
        claim: v.claims[0].claim,
        claimant: v.claims[0].claimant,
    };
    let child = |i: usize| ChildRef {
        index: i,
        claim: v.claims[i].claim,
        claimant: v.claims[i].claimant,
    };
    let pages: [(&str, Vec<ChildRef>); 5] = [
        ("empty page while children are left", vec![]),
        ("decreasing indices", vec![child(2), child(1)]),
        ("a repeated child", vec![child(1), child(1)]),
        ("a grandchild", vec![child(1), child(3)]),
        (
            "a wrong claimant",
            vec![ChildRef {
                claimant: f.alice,
                ..child(1)
            }],
        ),
    ];
    for (what, page) in pages {
        let r = game::game_resolve_claim(&f.l1, f.carol, f.game, 0, root, page).await;
        match r {
            Err(e) => assert_eq!(
                e.revert_name().as_deref(),
                Some("InvalidChildRef"),
                "{what}: {e}"
            ),
            Ok(_) => panic!("{what}: accepted"),
        }
    }
    // A wrong subject.
    let wrong = ClaimRef {
        claimant: f.carol,
        ..root
    };
    assert_revert(
        game::game_resolve_claim(&f.l1, f.carol, f.game, 0, wrong, vec![child(1), child(2)]).await,
        "InvalidClaimRef",
    );
    // Two pages of one child each.
    game::game_resolve_claim(&f.l1, f.carol, f.game, 0, root, vec![child(1)])
        .await
        .unwrap();
    assert_revert(
        game::game_resolve_claim(&f.l1, f.carol, f.game, 0, root, vec![child(1)]).await,
        "InvalidChildRef",
    );
    game::game_resolve_claim(&f.l1, f.carol, f.game, 0, root, vec![child(2)])
        .await
        .unwrap();
    assert_eq!(f.view().await.claims[0].resolved, Some(true));
}

#[tokio::test]
async fn resolve_a_claim_twice() {
    let f = lying_root().await;
    f.respond(f.bob, 0).await.unwrap();
    f.expire_clocks().await;
    f.resolve_claim(f.carol, 1).await.unwrap();
    assert_revert(f.resolve_claim(f.carol, 1).await, "ClaimAlreadyResolved");
}

#[tokio::test]
async fn resolve_the_game_before_the_root() {
    let f = lying_root().await;
    f.respond(f.bob, 0).await.unwrap();
    f.expire_clocks().await;
    assert_revert(
        game::game_resolve(&f.l1, f.carol, f.game).await,
        "OutOfOrderResolution",
    );
    f.resolve_claim(f.carol, 1).await.unwrap();
    assert_revert(
        game::game_resolve(&f.l1, f.carol, f.game).await,
        "OutOfOrderResolution",
    );
    f.resolve_claim(f.carol, 0).await.unwrap();
    game::game_resolve(&f.l1, f.carol, f.game).await.unwrap();
    // And nothing can be played any more.
    assert_revert(
        game::game_resolve(&f.l1, f.carol, f.game).await,
        "GameNotInProgress",
    );
    assert_revert(f.respond(f.carol, 0).await, "GameNotInProgress");
}

#[tokio::test]
async fn claim_credit_before_resolution_and_before_the_delay() {
    let f = lying_root().await;
    f.respond(f.bob, 0).await.unwrap();
    assert_revert(
        game::game_claim_credit(&f.l1, f.bob, f.game, f.bob).await,
        "GameNotResolved",
    );
    f.expire_clocks().await;
    f.resolve_all_claims(f.carol).await;
    assert_revert(
        game::game_claim_credit(&f.l1, f.bob, f.game, f.bob).await,
        "GameNotResolved",
    );
    game::game_resolve(&f.l1, f.carol, f.game).await.unwrap();
    assert_revert(
        game::game_claim_credit(&f.l1, f.bob, f.game, f.bob).await,
        "WithdrawalDelayNotPassed",
    );
    f.l1.advance_time(f.params.withdrawal_delay - 1)
        .await
        .unwrap();
    assert_revert(
        game::game_claim_credit(&f.l1, f.bob, f.game, f.bob).await,
        "WithdrawalDelayNotPassed",
    );
    f.l1.advance_time(1).await.unwrap();
    game::game_claim_credit(&f.l1, f.bob, f.game, f.bob)
        .await
        .unwrap();
}

#[tokio::test]
async fn claim_credit_twice() {
    let f = lying_root().await;
    f.respond(f.bob, 0).await.unwrap();
    f.expire_clocks().await;
    f.resolve_all_claims(f.carol).await;
    game::game_resolve(&f.l1, f.carol, f.game).await.unwrap();
    f.l1.advance_time(f.params.withdrawal_delay).await.unwrap();
    game::game_claim_credit(&f.l1, f.bob, f.game, f.bob)
        .await
        .unwrap();
    assert_revert(
        game::game_claim_credit(&f.l1, f.bob, f.game, f.bob).await,
        "NoCreditToClaim",
    );
}

#[tokio::test]
async fn initialize_twice() {
    let f = lying_root().await;
    let xd = extra_data(f.params.anchor_seq + 2, B256::ZERO);
    // A game is initialized by the factory; nobody else may call it again.
    let r = game::game_initialize(
        &f.l1,
        f.alice,
        f.game,
        f.alice,
        B256::ZERO,
        xd.clone(),
        f.params.base_bond,
    )
    .await;
    assert_revert(r, "NotFactory");
    // An implementation whose factory is an EOA: that EOA still cannot initialize it, because
    // the constructor locks implementations.
    let impl_addr = deploy_game_impl(&f, f.carol).await;
    let r = game::game_initialize(
        &f.l1,
        f.carol,
        impl_addr,
        f.carol,
        B256::ZERO,
        xd,
        f.params.base_bond,
    )
    .await;
    assert_revert(r, "AlreadyInitialized");
}

#[tokio::test]
async fn create_the_same_game_twice() {
    let f = lying_root().await;
    let v = f.view().await;
    let r = game::create_game(
        &f.l1,
        f.bob,
        &f.deployment,
        v.root_claim,
        f.params.anchor_seq + 1,
        v.input,
    )
    .await;
    assert_revert(r, "GameAlreadyExists");
    // The same root for another sequence number is another game.
    game::create_game(
        &f.l1,
        f.bob,
        &f.deployment,
        v.root_claim,
        f.params.anchor_seq + 2,
        v.input,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn unknown_game_type() {
    let f = lying_root().await;
    let xd = extra_data(f.params.anchor_seq + 1, B256::ZERO);
    let r = game::create_game_raw(
        &f.l1,
        f.bob,
        f.deployment.factory,
        4242,
        B256::ZERO,
        xd,
        f.params.base_bond,
    )
    .await;
    assert_revert(r, "NoImplementation");
}

#[tokio::test]
async fn bad_extra_data_length() {
    let f = lying_root().await;
    let good = extra_data(f.params.anchor_seq + 1, B256::ZERO);
    for len in [0usize, 32, 63, 65, 96] {
        let mut xd = good.to_vec();
        xd.resize(len, 0);
        let r = game::create_game_raw(
            &f.l1,
            f.bob,
            f.deployment.factory,
            f.params.game_type,
            keccak256(format!("root {len}")),
            xd.into(),
            f.params.base_bond,
        )
        .await;
        assert_revert(r, "BadExtraData");
    }
}

#[tokio::test]
async fn creation_checks_bond_and_sequence_number() {
    let f = lying_root().await;
    let r = game::create_game_raw(
        &f.l1,
        f.bob,
        f.deployment.factory,
        f.params.game_type,
        keccak256("root"),
        extra_data(f.params.anchor_seq + 1, B256::ZERO),
        f.params.base_bond - U256::from(1),
    )
    .await;
    assert_revert(r, "IncorrectBondAmount");
    let r = game::create_game(
        &f.l1,
        f.bob,
        &f.deployment,
        keccak256("root"),
        f.params.anchor_seq,
        B256::ZERO,
    )
    .await;
    assert_revert(r, "SequenceNumberNotAfterAnchor");
}

#[tokio::test]
async fn only_owners_configure_factory_and_registry() {
    let f = lying_root().await;
    let toy = f.deployment.primary().unwrap().clone();
    let call = DisputeGameFactory::setImplementationCall {
        _gameType: 7,
        _impl: toy.implementation,
    };
    assert_revert(
        send_call(&f.l1, f.bob, f.deployment.factory, call.clone(), U256::ZERO).await,
        "NotOwner",
    );
    // The owner cannot register an implementation under another type.
    assert_revert(
        send_call(
            &f.l1,
            f.deployment.deployer,
            f.deployment.factory,
            call,
            U256::ZERO,
        )
        .await,
        "GameTypeMismatch",
    );
    let call = AnchorStateRegistry::setAnchorCall {
        _gameType: 7,
        _root: B256::ZERO,
        _l2SequenceNumber: U256::ZERO,
    };
    assert_revert(
        send_call(&f.l1, f.bob, f.deployment.anchor_registry, call, U256::ZERO).await,
        "NotOwner",
    );
}

/// A `FaultDisputeGame` implementation with `factory` as its factory (for guard tests).
async fn deploy_game_impl(f: &Fixture, factory: Address) -> Address {
    use alloy::sol_types::SolConstructor;
    let toy = f.deployment.primary().unwrap();
    let p = &toy.params;
    let mut code = FaultDisputeGame::BYTECODE.to_vec();
    code.extend(
        FaultDisputeGame::constructorCall {
            _gameType: toy.game_type,
            _maxGameDepth: U256::from(p.max_depth),
            _splitDepth: U256::from(p.split_depth),
            _maxClockDuration: p.max_clock_duration,
            _clockExtension: p.clock_extension,
            _withdrawalDelay: p.withdrawal_delay,
            _baseBond: p.base_bond,
            _bondIncrement: p.bond_increment,
            _verifier: toy.verifier,
            _anchorRegistry: f.deployment.anchor_registry,
            _factory: factory,
        }
        .abi_encode(),
    );
    deploy(&f.l1, f.carol, "test implementation", code)
        .await
        .unwrap()
}
