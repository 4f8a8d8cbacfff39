//! The honest solver's rules (docs/protocol.md §8) on hand-built games.

use alloy_primitives::{Address, B256};
use gavel_game::sim::apply_action;
use gavel_game::solver::{Action, HonestSolver, SolverError};
use gavel_game::{
    GameConfig, GameState, Position, ToyTrace, ToyVerifier, TraceProvider, honest_root,
};

const T0: u64 = 5_000;
const HONEST: Address = Address::repeat_byte(0x11);
const LIAR: Address = Address::repeat_byte(0x66);

fn traces() -> (ToyTrace, ToyTrace) {
    let root = B256::repeat_byte(0x5a);
    let honest = ToyTrace::new(root, 900, 10).unwrap();
    let liar = ToyTrace::divergent(root, 900, 10, 333, B256::repeat_byte(1)).unwrap();
    (honest, liar)
}

fn game(root: B256, creator: Address) -> GameState {
    GameState::new(
        GameConfig::toy_default(),
        traces().0.absolute_prestate(),
        creator,
        root,
        T0,
    )
    .unwrap()
}

fn play(g: &mut GameState, who: Address, actions: &[Action], now: u64) {
    for a in actions {
        apply_action(g, &ToyVerifier, who, a, now).unwrap_or_else(|e| panic!("{a:?}: {e}"));
    }
}

#[test]
fn attacks_a_dishonest_root_once() {
    let (honest, liar) = traces();
    let mut g = game(honest_root(&liar, 10).unwrap(), LIAR);
    let solver = HonestSolver::new(HONEST);
    let actions = solver.next_actions(&g, &honest, T0).unwrap();
    let expected = honest.claim_at(Position(2), 10).unwrap();
    assert_eq!(actions.len(), 1);
    assert!(
        matches!(actions[0], Action::Move { parent_index: 0, is_attack: true, claim, .. } if claim == expected)
    );
    play(&mut g, HONEST, &actions, T0);
    // Its own claim is never countered, and the root is not countered twice.
    assert_eq!(solver.next_actions(&g, &honest, T0 + 1).unwrap(), vec![]);
}

#[test]
fn honest_root_is_left_alone_then_resolved_and_paid() {
    let (honest, _) = traces();
    let mut g = game(honest_root(&honest, 10).unwrap(), HONEST);
    let solver = HonestSolver::new(HONEST);
    assert_eq!(solver.next_actions(&g, &honest, T0).unwrap(), vec![]);
    let end = T0 + 3_600;
    let actions = solver.next_actions(&g, &honest, end).unwrap();
    assert_eq!(
        actions,
        vec![Action::ResolveClaim { claim_index: 0 }, Action::Resolve]
    );
    play(&mut g, HONEST, &actions, end);
    assert_eq!(solver.next_actions(&g, &honest, end + 599).unwrap(), vec![]);
    let payout = solver.next_actions(&g, &honest, end + 600).unwrap();
    assert_eq!(payout, vec![Action::ClaimCredit { recipient: HONEST }]);
    play(&mut g, HONEST, &payout, end + 600);
    assert_eq!(solver.next_actions(&g, &honest, end + 601).unwrap(), vec![]);
}

#[test]
fn counters_freeloaders_and_ignores_dishonest_subtrees() {
    let (honest, liar) = traces();
    let mut g = game(honest_root(&honest, 10).unwrap(), HONEST);
    let solver = HonestSolver::new(HONEST);
    let bond = |p: u128| g.config().required_bond(Position(p));
    // A freeloader attacks the honest root with the true value at position 2.
    let truth2 = honest.claim_at(Position(2), 10).unwrap();
    let (b2, b4, b6) = (bond(2), bond(4), bond(6));
    let f = g.apply_move(0, truth2, true, LIAR, b2, T0).unwrap();
    // Below it, a lie countering the freeloader: not a threat (its parent is not honest).
    let lie4 = liar.claim_at(Position(4), 10).unwrap();
    g.apply_move(f, lie4, true, LIAR, b4, T0).unwrap();
    let actions = solver.next_actions(&g, &honest, T0 + 1).unwrap();
    // The honest side agrees with the freeloader's value, so it defends (position 6).
    let truth6 = honest.claim_at(Position(6), 10).unwrap();
    assert_eq!(
        actions,
        vec![Action::Move {
            parent_index: f,
            claim: truth6,
            is_attack: false,
            bond: b6
        }]
    );
}

#[test]
fn steps_against_leaves_once_and_skips_expired_threats() {
    let (honest, liar) = traces();
    let mut g = game(honest_root(&liar, 10).unwrap(), LIAR);
    let solver = HonestSolver::new(HONEST);
    // Play solver against a liar that answers with its own trace, alternating, until a leaf.
    let liar_solver = HonestSolver::new(LIAR);
    let mut now = T0;
    loop {
        let ours = solver.next_actions(&g, &honest, now).unwrap();
        if ours.iter().any(|a| matches!(a, Action::Step { .. })) {
            play(&mut g, HONEST, &ours, now);
            break;
        }
        assert!(!ours.is_empty(), "honest side stopped before the step");
        play(&mut g, HONEST, &ours, now);
        now += 10;
        let theirs: Vec<_> = liar_solver
            .next_actions_lenient(&g, &liar, now)
            .into_iter()
            .filter(|a| matches!(a, Action::Move { .. }))
            .collect();
        play(&mut g, LIAR, &theirs, now);
    }
    let leaf = g
        .claims()
        .iter()
        .position(|c| c.countered_by == Some(HONEST))
        .unwrap();
    assert_eq!(g.claims()[leaf].position.depth(), 10);
    assert_eq!(g.claims()[leaf].claimant, LIAR);
    // Nothing left to do until the clocks run out.
    assert_eq!(solver.next_actions(&g, &honest, now + 1).unwrap(), vec![]);

    // A threat the honest side noticed too late is skipped, not answered with a doomed move.
    let mut g = game(honest_root(&liar, 10).unwrap(), LIAR);
    assert_eq!(
        solver.next_actions(&g, &honest, T0 + 3_600).unwrap(),
        vec![Action::ResolveClaim { claim_index: 0 }, Action::Resolve]
    );
    g.resolve_claim(0, T0 + 3_600).unwrap();
}

#[test]
fn refuses_a_game_over_another_trace() {
    let (honest, _) = traces();
    let other = ToyTrace::new(B256::repeat_byte(0x77), 900, 10).unwrap();
    let g = game(honest_root(&honest, 10).unwrap(), HONEST);
    let err = HonestSolver::new(HONEST)
        .next_actions(&g, &other, T0)
        .unwrap_err();
    assert!(matches!(err, SolverError::PrestateMismatch { .. }));
}

#[test]
fn refuses_a_poisoned_step() {
    // Rule 5 makes a poisoned pre-state impossible while every claim of the honest address is
    // true. Forge one that is not (a shared key, a wrong trace) and check the solver refuses
    // the step instead of sending it: the leaf at trace index 2 is attacked from the claim at
    // trace index 1, which here is the honest address's false claim at depth 9.
    let (honest, _) = traces();
    let mut g = game(honest_root(&honest, 10).unwrap(), LIAR);
    let mut at = 0;
    for depth in 1..=10u32 {
        let is_attack = depth < 10;
        let pos = g.claims()[at].position.move_(is_attack);
        let who = if depth % 2 == 1 { HONEST } else { LIAR };
        let value = if depth == 9 {
            B256::repeat_byte(0xbb)
        } else {
            honest.claim_at(pos, 10).unwrap()
        };
        let value = if depth == 10 {
            B256::repeat_byte(0xcc)
        } else {
            value
        };
        let bond = g.config().required_bond(pos);
        at = g.apply_move(at, value, is_attack, who, bond, T0).unwrap();
    }
    assert_eq!(g.claims()[at].position, Position(1024 + 2));
    let err = HonestSolver::new(HONEST)
        .next_actions(&g, &honest, T0)
        .unwrap_err();
    assert!(
        matches!(err, SolverError::PoisonedPrestate { claim_index, found, .. } if claim_index == at && found == B256::repeat_byte(0xbb)),
        "{err}"
    );
}
