//! Every error path of the mirror, the check order of docs/protocol.md §11, clocks, steps
//! and resolution on hand-built games.

use alloy_primitives::{Address, B256, U256};
use gavel_game::{
    GameConfig, GameError, GameState, GameStatus, Position, ToyTrace, ToyVerifier, TraceProvider,
    VerifierError, resolve_all,
};

const T0: u64 = 1_000_000;
const ALICE: Address = Address::repeat_byte(0xa1); // proposer
const BOB: Address = Address::repeat_byte(0xb0); // challenger

fn config() -> GameConfig {
    GameConfig::toy_default()
}

fn trace() -> ToyTrace {
    ToyTrace::new(B256::repeat_byte(3), 700, 10).unwrap()
}

fn bond(p: Position) -> U256 {
    config().required_bond(p)
}

/// A game with root value `root` made by Alice at T0.
fn game_with_root(root: B256) -> GameState {
    GameState::new(config(), trace().absolute_prestate(), ALICE, root, T0).unwrap()
}

/// Plays `moves` (is_attack per level) from the root, alternating Bob and Alice, each at
/// `now`, every value taken from `values`. Returns the index of the last claim.
fn descend(
    game: &mut GameState,
    values: &dyn TraceProvider,
    from: usize,
    moves: &[bool],
    now: u64,
) -> usize {
    let mut at = from;
    for &is_attack in moves {
        let parent = game.claims()[at].clone();
        let who = if parent.claimant == BOB { ALICE } else { BOB };
        let pos = parent.position.move_(is_attack);
        let value = values.claim_at(pos, 10).unwrap();
        at = game
            .apply_move(at, value, is_attack, who, bond(pos), now)
            .unwrap();
    }
    at
}

fn honest_root() -> B256 {
    trace().claim_at(Position::ROOT, 10).unwrap()
}

#[test]
fn move_errors_in_contract_order() {
    let mut g = game_with_root(B256::repeat_byte(9));
    let b1 = bond(Position(2));
    // Out-of-range parent.
    assert_eq!(
        g.apply_move(1, B256::ZERO, true, BOB, b1, T0),
        Err(GameError::InvalidDisputedClaimIndex)
    );
    // Root defend beats the wrong bond.
    assert_eq!(
        g.apply_move(0, B256::ZERO, false, BOB, U256::ZERO, T0),
        Err(GameError::CannotDefendRootClaim)
    );
    // Wrong bond beats the expired clock.
    let late = T0 + 3_600;
    assert_eq!(
        g.apply_move(0, B256::ZERO, true, BOB, b1 + U256::from(1), late),
        Err(GameError::IncorrectBondAmount)
    );
    assert_eq!(
        g.apply_move(0, B256::ZERO, true, BOB, b1 - U256::from(1), T0),
        Err(GameError::IncorrectBondAmount)
    );
    assert_eq!(
        g.apply_move(0, B256::ZERO, true, BOB, b1, late),
        Err(GameError::ClockTimeExceeded)
    );
    // One second earlier it is still in time.
    let i = g
        .apply_move(0, B256::ZERO, true, BOB, b1, late - 1)
        .unwrap();
    assert_eq!(i, 1);
    assert_eq!(g.claims()[0].child_count, 1);
    assert_eq!(g.children(0), &[1]);
    assert_eq!(g.balance(), bond(Position::ROOT) + b1);
    // Down to a leaf, then one more.
    let leaf = descend(&mut g, &trace(), 1, &[true; 9], late - 1);
    assert_eq!(g.claims()[leaf].position.depth(), 10);
    let deeper = g.claims()[leaf].position.move_(true);
    assert_eq!(
        g.apply_move(leaf, B256::ZERO, true, BOB, bond(deeper), late),
        Err(GameError::GameDepthExceeded)
    );
}

#[test]
fn moves_after_resolution_are_refused_first() {
    let mut g = game_with_root(honest_root());
    let end = T0 + 3_600;
    g.resolve_claim(0, end).unwrap();
    assert_eq!(g.resolve(end), Ok(GameStatus::DefenderWins));
    assert_eq!(
        g.apply_move(7, B256::ZERO, false, BOB, U256::ZERO, end),
        Err(GameError::GameNotInProgress)
    );
    assert_eq!(g.resolve(end), Err(GameError::GameNotInProgress));
    assert_eq!(g.resolve_claim(0, end), Err(GameError::GameNotInProgress));
    assert_eq!(
        g.step(0, true, None, &[], &ToyVerifier, BOB, end),
        Err(GameError::GameNotInProgress)
    );
}

#[test]
fn clocks_extend_late_moves() {
    let c = config();
    let mut g = game_with_root(B256::repeat_byte(9));
    // Bob attacks the root after 3500 s: more than max − ext, so his clock is cut to 3300.
    let a = g
        .apply_move(0, B256::ZERO, true, BOB, bond(Position(2)), T0 + 3_500)
        .unwrap();
    assert_eq!(g.claims()[a].clock_duration, 3_300);
    // Alice answers at once: her clock is the root's (0) plus nothing elapsed.
    assert_eq!(g.challenger_duration(a, T0 + 3_500), Ok(0));
    let b = g
        .apply_move(a, B256::ZERO, true, ALICE, bond(Position(4)), T0 + 3_500)
        .unwrap();
    assert_eq!(g.claims()[b].clock_duration, 0);
    // Bob has exactly 300 s to answer (his 3300 + elapsed reaches 3600).
    assert_eq!(g.challenger_duration(b, T0 + 3_799), Ok(3_599));
    assert!(!g.is_expired(b, T0 + 3_799));
    assert!(g.is_expired(b, T0 + 3_800));
    // His answer lands at depth 3 = split − 1: the extension is doubled (3600 − 600).
    let d3 = g
        .apply_move(b, B256::ZERO, true, BOB, bond(Position(8)), T0 + 3_799)
        .unwrap();
    assert_eq!(g.claims()[d3].position.depth(), c.split_depth - 1);
    assert_eq!(g.claims()[d3].clock_duration, 3_000);
    assert_eq!(
        g.challenger_duration(99, T0),
        Err(GameError::InvalidClaimRef)
    );
}

#[test]
fn step_errors_in_contract_order() {
    let honest = trace();
    let liar =
        ToyTrace::divergent(B256::repeat_byte(3), 700, 10, 300, B256::repeat_byte(1)).unwrap();
    let mut g = game_with_root(liar.claim_at(Position::ROOT, 10).unwrap());
    // Bob (honest) attacks; Alice (liar) plays her trace; all claims from Alice's trace except
    // Bob's first, which does not matter for the errors below.
    let one = descend(&mut g, &liar, 0, &[true], T0);
    let leaf = descend(&mut g, &liar, one, &[true; 9], T0);
    let inner = one;
    let v = ToyVerifier;
    assert_eq!(
        g.step(99, true, None, &[], &v, BOB, T0),
        Err(GameError::InvalidClaimRef)
    );
    assert_eq!(
        g.step(inner, true, None, &[], &v, BOB, T0),
        Err(GameError::InvalidParent)
    );
    assert_eq!(g.step_target(inner, true), Err(GameError::InvalidParent));
    // Leaf 0 (all attacks): attack uses the absolute prestate, stateIndex is ignored.
    let t = g.step_target(leaf, true).unwrap();
    assert_eq!(
        (t.pre_state_index, t.post_index, t.trace_index),
        (None, leaf, 0)
    );
    assert_eq!(t.state_index(), None);
    let proof = honest.step_witness(0).unwrap();
    // The claim at leaf 0 is true (diverges at 300): the honest witness cannot counter it.
    assert_eq!(
        g.step(leaf, true, Some(5), &proof.witness, &v, BOB, T0),
        Err(GameError::ValidStep)
    );
    assert_eq!(
        g.step(leaf, true, None, &[0u8; 96], &v, BOB, T0),
        Err(GameError::Verifier(VerifierError::InvalidWitness))
    );
    assert_eq!(
        g.apply_step(leaf, true, proof.post_state, BOB, T0),
        Err(GameError::ValidStep)
    );
    // A lie would be countered; then a second step is a duplicate, before the clock check.
    g.apply_step(leaf, true, B256::repeat_byte(0xee), BOB, T0)
        .unwrap();
    assert_eq!(g.claims()[leaf].countered_by, Some(BOB));
    assert_eq!(
        g.step(leaf, false, None, &[], &v, BOB, T0 + 99_999),
        Err(GameError::DuplicateStep)
    );
    // Defend of leaf 0 needs the chain claim of trace index 1 (the depth-9 claim).
    let t = g.step_target(leaf, false).unwrap();
    assert_eq!(g.claims()[t.post_index].position, Position(1 << 9));
    assert_eq!(
        (t.pre_state_index, t.trace_index, t.parent_post_agree),
        (Some(leaf), 1, false)
    );
    // The clock runs out for an unstepped leaf.
    let mut g2 = game_with_root(B256::repeat_byte(9));
    let leaf2 = descend(
        &mut g2,
        &liar,
        0,
        &[true, false, true, true, true, true, true, true, true, false],
        T0,
    );
    assert_eq!(g2.claims()[leaf2].position.depth(), 10);
    let expiry = T0 + 3_600;
    assert_eq!(
        g2.step(leaf2, true, None, &[], &v, BOB, expiry),
        Err(GameError::ClockTimeExceeded)
    );
    // In time, a wrong state index is InvalidPrestate, checked before the verifier runs.
    let target = g2.step_target(leaf2, true).unwrap();
    let wrong = target.state_index().map(|i| i + 1);
    assert_eq!(
        g2.step(leaf2, true, wrong, &[], &v, BOB, T0),
        Err(GameError::InvalidPrestate)
    );
    assert_eq!(
        g2.step(leaf2, true, target.state_index(), &[], &v, BOB, T0),
        Err(VerifierError::InvalidWitness.into())
    );
}

#[test]
fn attack_and_defend_steps_counter_lies() {
    // The liar diverges at trace index 2, so the leaf of trace index 2 is its first lie.
    let honest = trace();
    let liar = ToyTrace::divergent(B256::repeat_byte(3), 700, 10, 2, B256::repeat_byte(1)).unwrap();
    let v = ToyVerifier;
    // Leaf 2 = position 1024 + 2, reached by attack, then defend at depth 9, all other attacks.
    let mut moves = [true; 10];
    moves[9] = false;
    let mut g = game_with_root(liar.claim_at(Position::ROOT, 10).unwrap());
    let leaf = descend(&mut g, &liar, 0, &moves, T0);
    assert_eq!(g.claims()[leaf].position, Position(1024 + 2));
    // Attack: pre = chain claim at trace index 1 (true, since the liar diverges at 2).
    let t = g.step_target(leaf, true).unwrap();
    assert_eq!(t.trace_index, 2);
    let pre = g.claims()[t.pre_state_index.unwrap()].claim;
    assert_eq!(pre, honest.state_at(1).unwrap());
    let proof = honest.step_witness(2).unwrap();
    g.step(leaf, true, t.state_index(), &proof.witness, &v, BOB, T0)
        .unwrap();

    // Defend: a true leaf 2 (Alice) under the true depth-9 claim; its successor in the chain,
    // trace index 3, is the depth-8 claim, a lie on Alice's side: the defend-step counters.
    let mut g = game_with_root(liar.claim_at(Position::ROOT, 10).unwrap());
    let above = descend(&mut g, &liar, 0, &moves[..9], T0);
    let pos = g.claims()[above].position.move_(false);
    let leaf = g
        .apply_move(
            above,
            honest.claim_at(pos, 10).unwrap(),
            false,
            ALICE,
            bond(pos),
            T0,
        )
        .unwrap();
    let t = g.step_target(leaf, false).unwrap();
    assert_eq!(
        (t.trace_index, t.post_index, t.parent_post_agree),
        (3, above - 1, true)
    );
    assert_eq!(g.claims()[t.post_index].position, Position(256));
    let proof = honest.step_witness(3).unwrap();
    assert_ne!(g.claims()[t.post_index].claim, proof.post_state);
    g.step(leaf, false, t.state_index(), &proof.witness, &v, BOB, T0)
        .unwrap();
}

#[test]
fn defend_step_at_the_last_leaf_uses_the_root() {
    // The liar only lies about the final state; the honest side attacks the root and then
    // everyone defends down the right edge to leaf N − 2, whose successor is the root.
    let honest = trace();
    let liar =
        ToyTrace::divergent(B256::repeat_byte(3), 700, 10, 1023, B256::repeat_byte(1)).unwrap();
    let mut g = game_with_root(liar.claim_at(Position::ROOT, 10).unwrap());
    let mut moves = [false; 10];
    moves[0] = true;
    let leaf = descend(&mut g, &honest, 0, &moves, T0);
    assert_eq!(g.claims()[leaf].position, Position(2046));
    assert_eq!(g.claims()[leaf].claimant, ALICE);
    let t = g.step_target(leaf, false).unwrap();
    assert_eq!(
        (t.post_index, t.trace_index, t.parent_post_agree),
        (0, 1023, true)
    );
    let proof = honest.step_witness(1023).unwrap();
    g.step(leaf, false, Some(0), &proof.witness, &ToyVerifier, BOB, T0)
        .unwrap();
    // Resolution: the leaf fell, so every Alice claim above it... the root is countered.
    let r = resolve_all(&g);
    assert_eq!(r.status, GameStatus::ChallengerWins);
    assert_eq!(r.per_claim[leaf].recipient, BOB);
}

#[test]
fn resolution_errors_and_payouts() {
    let mut g = game_with_root(B256::repeat_byte(9));
    // Two counters at the same position: on the tie the earliest index takes the bond.
    let p2 = Position(2);
    let c1 = g
        .apply_move(0, B256::repeat_byte(1), true, BOB, bond(p2), T0 + 10)
        .unwrap();
    let c2 = g
        .apply_move(0, B256::repeat_byte(2), true, ALICE, bond(p2), T0 + 20)
        .unwrap();
    let end = T0 + 3_600;
    assert_eq!(g.resolve_claim(5, end), Err(GameError::InvalidClaimRef));
    assert_eq!(g.resolve_claim(0, end - 1), Err(GameError::ClockNotExpired));
    assert_eq!(
        g.resolve_claim(0, end),
        Err(GameError::OutOfOrderResolution)
    );
    assert_eq!(g.resolve(end), Err(GameError::OutOfOrderResolution));
    assert_eq!(g.claim_credit(ALICE, end), Err(GameError::GameNotResolved));
    // c1's challenger clock started at T0 + 10 (base: the root's duration, 0).
    assert_eq!(g.resolve_claim(c1, end), Err(GameError::ClockNotExpired));
    let later = T0 + 3_620;
    let o1 = g.resolve_claim(c1, later).unwrap();
    assert_eq!(
        (o1.countered, o1.recipient, o1.bond),
        (false, BOB, bond(p2))
    );
    assert_eq!(
        g.resolve_claim(c1, later),
        Err(GameError::ClaimAlreadyResolved)
    );
    g.resolve_claim(c2, later).unwrap();
    let root = g.resolve_claim(0, later).unwrap();
    // Tie on position: the earliest index (Bob's) takes the root's bond.
    assert_eq!((root.countered, root.recipient), (true, BOB));
    assert_eq!(g.resolve(later), Ok(GameStatus::ChallengerWins));
    assert_eq!(g.resolved_at(), Some(later));
    let delay = config().withdrawal_delay;
    assert_eq!(
        g.claim_credit(BOB, later + delay - 1),
        Err(GameError::WithdrawalDelayNotPassed)
    );
    let paid = g.claim_credit(BOB, later + delay).unwrap();
    assert_eq!(paid, bond(Position::ROOT) + bond(p2));
    assert_eq!(
        g.claim_credit(BOB, later + delay),
        Err(GameError::NoCreditToClaim)
    );
    assert_eq!(
        g.claim_credit(Address::ZERO, later + delay),
        Err(GameError::NoCreditToClaim)
    );
    assert_eq!(g.claim_credit(ALICE, later + delay).unwrap(), bond(p2));
    assert_eq!(g.balance(), U256::ZERO);
}

#[test]
fn leftmost_standing_child_takes_the_bond() {
    let mut g = game_with_root(B256::repeat_byte(9));
    let a = g
        .apply_move(0, B256::repeat_byte(1), true, BOB, bond(Position(2)), T0)
        .unwrap();
    // Two counters to `a`: a defend (position 6) made first, an attack (position 4) second.
    let d = g
        .apply_move(a, B256::repeat_byte(2), false, ALICE, bond(Position(6)), T0)
        .unwrap();
    let k = g
        .apply_move(
            a,
            B256::repeat_byte(3),
            true,
            Address::repeat_byte(0xcc),
            bond(Position(4)),
            T0,
        )
        .unwrap();
    let r = resolve_all(&g);
    assert!(r.per_claim[a].countered);
    assert_eq!(
        r.per_claim[a].recipient,
        Address::repeat_byte(0xcc),
        "smaller position wins over earlier index"
    );
    assert!(!r.per_claim[d].countered && !r.per_claim[k].countered);
    assert_eq!(r.status, GameStatus::DefenderWins);
    let total: U256 = r.credits.values().copied().sum();
    assert_eq!(total, g.balance());
}

#[test]
fn digest_matches_abi_encoding() {
    let claim = B256::repeat_byte(0x42);
    let who = Address::repeat_byte(0x07);
    let mut encoded = claim.to_vec();
    encoded.extend_from_slice(&[0u8; 12]);
    encoded.extend_from_slice(who.as_slice());
    assert_eq!(
        gavel_game::state::claim_digest(claim, who),
        alloy_primitives::keccak256(encoded)
    );
}

#[test]
fn record_step_replays_events() {
    let mut g = game_with_root(B256::repeat_byte(9));
    let leaf = descend(&mut g, &trace(), 0, &[true; 10], T0);
    assert_eq!(g.record_step(leaf - 1, BOB), Err(GameError::InvalidParent));
    assert_eq!(g.record_step(99, BOB), Err(GameError::InvalidClaimRef));
    g.record_step(leaf, BOB).unwrap();
    assert_eq!(g.claims()[leaf].countered_by, Some(BOB));
    assert_eq!(g.record_step(leaf, ALICE), Err(GameError::DuplicateStep));
}
