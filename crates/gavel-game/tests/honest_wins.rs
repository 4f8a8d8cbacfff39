//! The honest side wins every game and never loses a bond, against any mix of adversaries,
//! with ETH conserved. `PROPTEST_CASES=N` runs more cases; failures are persisted by
//! proptest under `proptest-regressions/` and print the simulation seed.

use gavel_game::sim::{SimParams, Simulation, honest_address};
use gavel_game::solver::Action;
use gavel_game::{GameConfig, ScriptedMove, Strategy as Adv, ValueChoice};
use proptest::prelude::*;

fn value_choice() -> impl Strategy<Value = ValueChoice> {
    prop_oneof![
        Just(ValueChoice::Honest),
        any::<u64>().prop_map(ValueChoice::Lie),
        any::<u32>().prop_map(ValueChoice::CopyOf),
    ]
}

fn scripted_move() -> impl Strategy<Value = ScriptedMove> {
    (any::<u32>(), any::<bool>(), value_choice()).prop_map(|(claim_selector, is_attack, value)| {
        ScriptedMove {
            claim_selector,
            is_attack,
            value,
        }
    })
}

fn strategy() -> impl Strategy<Value = Adv> {
    prop_oneof![
        Just(Adv::Random),
        Just(Adv::AlwaysAttack),
        Just(Adv::AlwaysDefend),
        Just(Adv::TopLayerLiar),
        Just(Adv::BottomLayerLiar),
        (0u32..=10).prop_map(Adv::HonestUntilDepth),
        Just(Adv::Freeloader),
        Just(Adv::Spammer),
        Just(Adv::Staller),
        Just(Adv::PoisonedPrestate),
        Just(Adv::ConsistentLiar),
        proptest::collection::vec(scripted_move(), 1..40).prop_map(Adv::Scripted),
    ]
}

/// A trace length, biased towards the edges (one step, a full tree, one short of it).
fn trace_length() -> impl Strategy<Value = u64> {
    prop_oneof![3 => 1u64..=1024, 1 => prop::sample::select(vec![1u64, 2, 1023, 1024])]
}

/// (seed, trace length, honest root, divergence, adversaries) for the toy defaults.
/// The divergence is biased towards the edges: the first step, the last real step, the first
/// stutter step and the very last leaf (a lie about the final state only, disputed along the
/// right edge of the tree).
fn scenario() -> impl Strategy<Value = SimParams> {
    let edge = prop_oneof![Just(0u8), Just(1), Just(2), Just(3)];
    (
        any::<u64>(),
        trace_length(),
        any::<bool>(),
        any::<u64>(),
        prop::option::weighted(0.3, edge),
        proptest::collection::vec(strategy(), 1..=5),
    )
        .prop_map(|(seed, len, honest_root, div, edge, adversaries)| {
            let last = len.min(1023);
            let divergence = match edge {
                None => div % (last + 1),
                Some(0) => 0,
                Some(1) => len - 1,
                Some(2) => last,
                Some(_) => 1023,
            };
            SimParams::toy(seed, len, honest_root, divergence, adversaries)
        })
}

fn check(params: &SimParams) -> Result<(), TestCaseError> {
    let mut sim = Simulation::new(params).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let report = sim
        .run()
        .map_err(|e| TestCaseError::fail(format!("seed {}: {e}", params.seed)))?;
    let violations = report.violations();
    prop_assert!(
        violations.is_empty(),
        "seed {}: {violations:?}\n{report:#?}",
        params.seed
    );
    // The solver never counters an honest claim or itself.
    let game = sim.state();
    let honest_root = report.expected == gavel_game::GameStatus::DefenderWins;
    for entry in sim.log() {
        if let (Action::Move { parent_index, .. }, Ok(_)) = (&entry.action, &entry.result)
            && entry.actor == honest_address()
        {
            let parent = &game.claims()[*parent_index];
            prop_assert!(
                parent.claimant != honest_address(),
                "seed {}: honest countered itself",
                params.seed
            );
            prop_assert!(
                !(*parent_index == 0 && honest_root),
                "seed {}: honest attacked its root",
                params.seed
            );
        }
    }
    Ok(())
}

/// Any valid tree shape and clock set-up, with shorter play.
fn shaped_scenario() -> impl Strategy<Value = SimParams> {
    (2u32..=8, any::<u32>(), 2u64..=900, 0u64..=3, scenario()).prop_map(
        |(max_depth, split, max_clock, ext_div, base)| {
            let leaves = 1u64 << max_depth;
            let config = GameConfig {
                max_depth,
                split_depth: 1 + split % (max_depth - 1),
                max_clock_duration: max_clock,
                clock_extension: (max_clock / 2) >> ext_div,
                ..GameConfig::toy_default()
            };
            let trace_length = 1 + base.trace_length % leaves;
            let divergence = base.divergence % (trace_length.min(leaves - 1) + 1);
            SimParams {
                config,
                trace_length,
                divergence,
                play_rounds: 25,
                ..base
            }
        },
    )
}

proptest! {
    #[test]
    fn honest_always_wins(params in scenario()) {
        check(&params)?;
    }

    #[test]
    fn honest_always_wins_any_shape(params in shaped_scenario()) {
        params.config.validate().unwrap();
        check(&params)?;
    }
}

/// Each strategy alone, both root kinds, divergence in and past the trace: deterministic
/// coverage that every adversary is exercised even when proptest draws few cases.
#[test]
fn every_strategy_alone() {
    for strategy in Adv::ALL {
        for honest_root in [true, false] {
            for (len, divergence) in [(1024, 517), (300, 300), (5, 0)] {
                let params =
                    SimParams::toy(42, len, honest_root, divergence, vec![strategy.clone()]);
                check(&params).unwrap_or_else(|e| {
                    panic!("{strategy} honest_root={honest_root} len={len}: {e}")
                });
            }
        }
    }
}

/// Against a consistent liar the dispute goes all the way down and ends at a step: with a
/// dishonest root the honest side (odd depths) steps against the liar's leaf; with an honest
/// root the liar must step against the honest leaf, and the game refuses (`ValidStep`).
#[test]
fn consistent_liar_games_end_in_steps() {
    for (seed, honest_root) in [(1, true), (2, false), (3, false), (4, true)] {
        let params = SimParams::toy(seed, 1000, honest_root, 400, vec![Adv::ConsistentLiar]);
        let mut sim = Simulation::new(&params).unwrap();
        let report = sim.run().unwrap();
        assert!(report.violations().is_empty(), "{report:#?}");
        let deepest = sim
            .state()
            .claims()
            .iter()
            .map(|c| c.position.depth())
            .max();
        assert_eq!(deepest, Some(10));
        if honest_root {
            assert_eq!(report.steps, 0, "{report:#?}");
            assert!(
                report.rejected.get("ValidStep").is_some_and(|&n| n >= 1),
                "{report:#?}"
            );
        } else {
            assert_eq!(report.steps, 1, "{report:#?}");
        }
    }
}
