//! Honest always wins, on the real contracts in the in-process L1: proptest draws the trace
//! length, the root's honesty, the divergence of the liars, 1–5 adversaries (zoo strategies or
//! arbitrary scripted move sequences) and the game seed (which fixes the turn interleaving and
//! time advances). Every game checks: the honest side wins, loses no bond, each credit matches
//! the rules, ETH is conserved, and the mirror agrees with the contract call by call.
//!
//! 256 cases by default; `PROPTEST_CASES=N` for more. A failure prints the scenario, whose
//! `game_seed` replays it with `gavel fuzz --game-seed`.

use gavel_fuzz::{FuzzConfig, Scenario, play_scenario};
use gavel_game::{ScriptedMove, Strategy as Zoo, ValueChoice};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn value_choice() -> impl Strategy<Value = ValueChoice> {
    prop_oneof![
        Just(ValueChoice::Honest),
        any::<u64>().prop_map(ValueChoice::Lie),
        any::<u32>().prop_map(ValueChoice::CopyOf),
    ]
}

fn scripted() -> impl Strategy<Value = Zoo> {
    prop::collection::vec(
        (any::<u32>(), any::<bool>(), value_choice()).prop_map(
            |(claim_selector, is_attack, value)| ScriptedMove {
                claim_selector,
                is_attack,
                value,
            },
        ),
        1..40,
    )
    .prop_map(Zoo::Scripted)
}

fn adversary() -> impl Strategy<Value = Zoo> {
    prop_oneof![
        3 => prop::sample::select(Zoo::ALL.to_vec()),
        1 => scripted(),
    ]
}

fn scenario(max_depth: u32) -> impl Strategy<Value = Scenario> {
    let leaves = 1u64 << max_depth;
    (
        any::<u64>(),
        prop_oneof![Just(1u64), Just(leaves), 1..=leaves],
        any::<bool>(),
        prop::collection::vec(adversary(), 1..=5),
        any::<u64>(),
    )
        .prop_map(
            move |(game_seed, trace_length, honest_root, adversaries, d)| {
                let divergence = d % (trace_length.min(leaves - 1) + 1);
                Scenario {
                    game_seed,
                    trace_length,
                    honest_root,
                    divergence,
                    adversaries,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn honest_side_always_wins_on_the_real_contracts(s in scenario(FuzzConfig::toy(0, 1).game.max_depth)) {
        let config = FuzzConfig::toy(0, 1);
        let report = play_scenario(&s, &config).expect("the in-process L1 must not fail");
        prop_assert!(
            report.is_clean() && report.honest_won && report.honest_bond_loss == "0",
            "game seed {} failed: {:?}\nscenario: {}",
            s.game_seed,
            report.violations,
            serde_json::to_string(&s).unwrap()
        );
    }
}

/// The runner must notice a lost game: a scenario is played with the honest side absent from
/// the clock (zero rounds), so a dishonest root stands, and the report must say so.
#[test]
fn a_game_the_honest_side_does_not_play_is_reported_lost() {
    let mut config = FuzzConfig::toy(0, 1);
    config.max_rounds = 0;
    config.adversary_rounds = 0;
    let s = Scenario {
        game_seed: 5,
        trace_length: 17,
        honest_root: false,
        divergence: 3,
        adversaries: vec![Zoo::Staller],
    };
    let report = play_scenario(&s, &config).unwrap();
    assert!(!report.honest_won);
    assert!(!report.is_clean());
}
