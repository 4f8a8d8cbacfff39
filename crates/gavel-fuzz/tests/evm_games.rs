//! EVM games end to end on the in-process L1 (docs/fuzzing.md, `--vm evm`): a real batch posted
//! to the inbox, the whole EVM system deployed, the honest solver over `EvmTrace` against the
//! zoo, every step through the deployed `EvmStepVerifier`.
//!
//! `GAVEL_EVM_GAMES=N` plays N random games in the property test (default 4, for CI in debug).

use gavel_fuzz::evm::generate;
use gavel_fuzz::{FuzzConfig, Scenario, play_scenario};
use gavel_game::Strategy;

/// A scenario of `seed`'s batch with the root, liar placement and adversaries given.
fn scenario_with(
    seed: u64,
    honest_root: bool,
    adversaries: Vec<Strategy>,
    lie: impl Fn(&gavel_trace::Executor) -> u64,
) -> Scenario {
    let config = FuzzConfig::evm(0, 1);
    let (_, exec, mut s) = generate(seed, 1, &config.strategies).expect("a batch");
    s.honest_root = honest_root;
    s.adversaries = adversaries;
    s.divergence = lie(&exec);
    s
}

/// Inside the steps of the first executed transaction with more than three steps (its third
/// step), so the dispute goes down to an opcode or warm-up step.
fn inside_a_transaction(exec: &gavel_trace::Executor) -> u64 {
    let (j, _) = exec
        .transitions()
        .iter()
        .enumerate()
        .find(|(_, t)| t.steps > 3)
        .expect("the batch has an executed transaction");
    exec.layout().trace_index(j as u64, 2)
}

fn seed_with_a_transaction() -> u64 {
    let config = FuzzConfig::evm(0, 1);
    (0..100)
        .find(|&seed| {
            generate(seed, 1, &config.strategies)
                .is_ok_and(|(_, exec, _)| exec.transitions().iter().any(|t| t.steps > 3))
        })
        .expect("a seed with an executed transaction")
}

#[test]
fn dishonest_proposer_loses_to_the_honest_challenger_at_an_on_chain_step() {
    let seed = seed_with_a_transaction();
    let config = FuzzConfig::evm(0, 1);
    for (what, lie) in [
        (
            "bottom layer",
            &inside_a_transaction as &dyn Fn(&gavel_trace::Executor) -> u64,
        ),
        // At the first step of the block end: the bottom layer of that transition is one
        // step, from the top-layer claim before it (the hand-off of protocol.md §13.4).
        ("block end", &|exec: &gavel_trace::Executor| {
            let last = exec.transitions().len() as u64 - 1;
            exec.layout().trace_index(last, 0)
        }),
        ("first step", &|_: &gavel_trace::Executor| 0),
    ] {
        let s = scenario_with(seed, false, vec![Strategy::ConsistentLiar], lie);
        let report = play_scenario(&s, &config).expect("the in-process L1 must not fail");
        assert!(
            report.is_clean() && report.honest_won && report.honest_bond_loss == "0",
            "{what}: {:?}",
            report.violations
        );
        assert_eq!(report.steps, 1, "{what}: the dispute ends in one step");
        assert!(report.moves >= 44, "{what}: {} moves", report.moves);
        println!(
            "{what}: dishonest root vs honest challenger: {} moves, {} step, {} rejected, {} L1 gas \
             for moves + step + resolution + credits ({} per accepted action)",
            report.moves,
            report.steps,
            report.rejected,
            report.gas,
            report.gas / (report.moves + report.steps).max(1)
        );
    }
}

#[test]
fn honest_proposer_survives_a_consistent_liar() {
    let seed = seed_with_a_transaction();
    let config = FuzzConfig::evm(0, 1);
    let s = scenario_with(
        seed,
        true,
        vec![Strategy::ConsistentLiar],
        inside_a_transaction,
    );
    let report = play_scenario(&s, &config).unwrap();
    assert!(
        report.is_clean() && report.honest_won && report.honest_bond_loss == "0",
        "{:?}",
        report.violations
    );
    // The root is honest, so the max-depth claims (even depth 44) are the honest side's: the
    // liar's step against them is rejected by the verifier and no step is accepted.
    assert!(report.moves >= 44, "{} moves", report.moves);
    assert_eq!(report.steps, 0);
}

#[test]
fn honest_side_always_wins_random_evm_games() {
    let games = std::env::var("GAVEL_EVM_GAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let seed = std::env::var("GAVEL_EVM_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let config = FuzzConfig::evm(seed, games);
    let report = gavel_fuzz::run(&config, |_, _| {}).expect("the run must not abort");
    assert_eq!(report.vm, "evm");
    assert_eq!(report.games, games);
    assert!(
        report.passed(),
        "{}",
        serde_json::to_string_pretty(&report.failures).unwrap()
    );
    assert_eq!(report.honest_wins, games);
}
