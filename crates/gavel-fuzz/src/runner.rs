//! Plays one scenario on a fresh in-process L1 with the real contracts, the honest solver and
//! the scenario's adversaries, mirroring every call in the Rust game, then checks the
//! properties: the honest side wins, loses no bond, bonds go where the rules say, ETH is
//! conserved and the mirror agrees with the contract.

use crate::exec::{Outcome, execute};
use crate::report::GameReport;
use crate::scenario::Scenario;
use crate::{FuzzConfig, FuzzError};
use alloy_primitives::{Address, B256, U256};
use gavel_chain::{InProcessL1, L1, TimeControl, ToyDeployParams, deploy_toy_system, game};
use gavel_game::{
    Action, Adversary, GameState, GameStatus, HonestSolver, SharedTrace, StepVerifier, ToyTrace,
    ToyVerifier, TraceProvider, honest_root, make_adversary, resolve_all, toy::toy_input,
};
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One seat at the table.
enum Seat {
    Honest(HonestSolver),
    Adversary(Box<dyn Adversary>),
}

struct Player {
    address: Address,
    seat: Seat,
}

/// Counters and findings of one game while it is played.
#[derive(Default)]
struct Tally {
    moves: u64,
    steps: u64,
    rejected: u64,
    rejected_by_error: BTreeMap<String, u64>,
    gas: u64,
    violations: Vec<String>,
    /// Credit withdrawn by `claimCredit` while the game was still being played.
    withdrawn: BTreeMap<Address, U256>,
}

impl Tally {
    fn record(&mut self, action: &Action, outcome: Outcome) {
        match outcome {
            Outcome::Accepted { gas } => {
                self.gas += gas;
                match action {
                    Action::Move { .. } => self.moves += 1,
                    Action::Step { .. } => self.steps += 1,
                    _ => {}
                }
            }
            Outcome::Rejected { error } => {
                self.rejected += 1;
                *self.rejected_by_error.entry(error).or_default() += 1;
            }
            Outcome::Mismatch(what) => self.violations.push(format!("mirror mismatch: {what}")),
        }
    }
}

/// Plays `scenario` and returns its report. Infrastructure failures (the L1 itself failing)
/// are errors; broken game properties are violations in the report.
pub async fn play(scenario: &Scenario, config: &FuzzConfig) -> Result<GameReport, FuzzError> {
    let mut rng = ChaCha8Rng::seed_from_u64(scenario.game_seed);
    let game_cfg = config.game.clone();
    let actors = 2 + scenario.adversaries.len();
    let l1 = InProcessL1::with_accounts(actors);
    let accounts = l1.accounts();
    let (deployer, honest_addr) = (accounts[0], accounts[1]);
    let anchor_root = B256::from(rng.random::<[u8; 32]>());
    let deployment = deploy_toy_system(
        &l1,
        deployer,
        &ToyDeployParams::from_config(&game_cfg, anchor_root, 0),
    )
    .await?;

    let honest = ToyTrace::new(anchor_root, scenario.trace_length, game_cfg.max_depth)?;
    let salt = B256::from(rng.random::<[u8; 32]>());
    let lying: SharedTrace = Arc::new(ToyTrace::divergent(
        anchor_root,
        scenario.trace_length,
        game_cfg.max_depth,
        scenario.divergence,
        salt,
    )?);
    let (root_claim, creator) = if scenario.honest_root {
        (honest_root(&honest, game_cfg.max_depth)?, honest_addr)
    } else {
        (
            honest_root(lying.as_ref(), game_cfg.max_depth)?,
            accounts[2],
        )
    };
    let input = toy_input(scenario.trace_length);
    let game_addr = game::create_game(&l1, creator, &deployment, root_claim, 1, input).await?;
    let view = game::read_game(&l1, game_addr).await?;
    let mut violations = Vec::new();
    if view.absolute_prestate != honest.absolute_prestate() {
        violations.push("contract absolute prestate differs from the Rust toy trace".to_owned());
    }
    let table = Table {
        l1: &l1,
        deployer,
        honest_addr,
        game_addr,
        creator,
        root_claim,
        honest: &honest,
        lying,
        verifier: &ToyVerifier,
    };
    play_created(scenario, config, table, rng, violations).await
}

/// A created game and who plays it.
pub(crate) struct Table<'a> {
    pub l1: &'a InProcessL1,
    pub deployer: Address,
    pub honest_addr: Address,
    pub game_addr: Address,
    pub creator: Address,
    pub root_claim: B256,
    pub honest: &'a dyn TraceProvider,
    pub lying: SharedTrace,
    /// What the mirror runs for steps (the toy twin, or the deployed EVM verifier itself).
    pub verifier: &'a dyn StepVerifier,
}

/// Plays a created game to the end and checks the properties (shared by every VM).
pub(crate) async fn play_created(
    scenario: &Scenario,
    config: &FuzzConfig,
    table: Table<'_>,
    mut rng: ChaCha8Rng,
    violations: Vec<String>,
) -> Result<GameReport, FuzzError> {
    let Table {
        l1,
        deployer,
        honest_addr,
        game_addr,
        creator,
        root_claim,
        honest,
        lying,
        verifier,
    } = table;
    let game_cfg = config.game.clone();
    let accounts = l1.accounts();
    let view = game::read_game(l1, game_addr).await?;
    let mut mirror = GameState::new(
        game_cfg.clone(),
        view.absolute_prestate,
        creator,
        root_claim,
        view.created_at,
    )
    .map_err(|e| FuzzError::Config(e.to_string()))?;

    let mut players = vec![Player {
        address: honest_addr,
        seat: Seat::Honest(HonestSolver::new(honest_addr)),
    }];
    for (i, strategy) in scenario.adversaries.iter().enumerate() {
        let address = accounts[2 + i];
        let adversary = make_adversary(
            strategy,
            address,
            scenario.game_seed ^ (i as u64 + 1),
            lying.clone(),
        );
        players.push(Player {
            address,
            seat: Seat::Adversary(adversary),
        });
    }

    let mut tally = Tally {
        violations,
        ..Tally::default()
    };
    // Play rounds in a random seat order, advancing time by less than a clock extension
    // between rounds so the honest solver, which answers every round, can never time out.
    let max_step = (game_cfg.clock_extension / 2).max(1);
    for round in 0..config.max_rounds {
        let mut order: Vec<usize> = (0..players.len()).collect();
        order.shuffle(&mut rng);
        let mut honest_busy = false;
        for &seat in &order {
            let now = l1.now();
            let actions = {
                let player = &mut players[seat];
                match &mut player.seat {
                    Seat::Honest(solver) => {
                        let actions = solver.next_actions(&mirror, honest, now)?;
                        let playing: Vec<Action> = actions
                            .into_iter()
                            .filter(|a| matches!(a, Action::Move { .. } | Action::Step { .. }))
                            .collect();
                        honest_busy |= !playing.is_empty();
                        playing
                    }
                    Seat::Adversary(adv) if round < config.adversary_rounds => {
                        adv.act(&mirror, honest, &mut rng, now)
                    }
                    Seat::Adversary(_) => Vec::new(),
                }
            };
            let address = players[seat].address;
            for action in actions {
                let now = l1.now();
                // A player may withdraw early (a long game outlives clocks and withdrawal
                // delay): remember what it took so the credit checks below add it back.
                let pending = match &action {
                    Action::ClaimCredit { recipient } => {
                        Some((*recipient, mirror.credit(*recipient)))
                    }
                    _ => None,
                };
                let outcome =
                    execute(l1, game_addr, &mut mirror, verifier, address, &action, now).await?;
                if let (Some((recipient, amount)), Outcome::Accepted { .. }) = (pending, &outcome) {
                    *tally.withdrawn.entry(recipient).or_default() += amount;
                }
                tally.record(&action, outcome);
            }
        }
        if !honest_busy && round >= config.adversary_rounds {
            break;
        }
        l1.advance_time(rng.random_range(1..=max_step)).await?;
    }

    // Let every clock run out, then the honest side resolves bottom-up; adversaries may
    // also poke at resolution, which must not change the outcome.
    l1.advance_time(game_cfg.max_clock_duration + 1).await?;
    let solver = HonestSolver::new(honest_addr);
    for _ in 0..(mirror.claims().len() + 4) {
        let now = l1.now();
        let actions = solver.next_actions(&mirror, honest, now)?;
        let resolving: Vec<Action> = actions
            .into_iter()
            .filter(|a| matches!(a, Action::ResolveClaim { .. } | Action::Resolve))
            .collect();
        if resolving.is_empty() {
            break;
        }
        for action in resolving {
            let outcome = execute(
                l1,
                game_addr,
                &mut mirror,
                verifier,
                honest_addr,
                &action,
                l1.now(),
            )
            .await?;
            tally.record(&action, outcome);
        }
    }

    let expected = if scenario.honest_root {
        GameStatus::DefenderWins
    } else {
        GameStatus::ChallengerWins
    };
    let view = game::read_game(l1, game_addr).await?;
    let rules = resolve_all(&mirror);
    let honest_won = view.status == expected;
    if !honest_won {
        tally.violations.push(format!(
            "honest side lost: game ended {:?}, expected {expected:?}",
            view.status
        ));
    }
    if mirror.status() != view.status {
        tally.violations.push(format!(
            "mirror status {:?} != contract {:?}",
            mirror.status(),
            view.status
        ));
    }
    // Per-claim results: the contract's countered flags against the rules.
    for (i, claim) in view.claims.iter().enumerate() {
        let by_rules = rules.per_claim.get(i).map(|o| o.countered);
        if claim.resolved != by_rules {
            tally.violations.push(format!(
                "claim {i}: contract countered={:?}, rules countered={by_rules:?}",
                claim.resolved
            ));
        }
    }

    // Bonds: what each party paid in, what the contract credits it, what the rules say.
    let mut paid: BTreeMap<Address, U256> = BTreeMap::new();
    for claim in mirror.claims() {
        *paid.entry(claim.claimant).or_default() += game_cfg.required_bond(claim.position);
    }
    let total_paid: U256 = paid.values().copied().sum();
    let total_withdrawn: U256 = tally.withdrawn.values().copied().sum();
    let mut total_credit = total_withdrawn;
    for player in players.iter().map(|p| p.address).chain([deployer]) {
        let withdrawn = tally.withdrawn.get(&player).copied().unwrap_or_default();
        let on_chain = game::credit_of(l1, game_addr, player).await? + withdrawn;
        total_credit += on_chain - withdrawn;
        let by_rules = rules.credits.get(&player).copied().unwrap_or_default();
        if on_chain != by_rules {
            tally.violations.push(format!(
                "credit of {player}: contract {on_chain}, rules {by_rules}"
            ));
        }
    }
    if total_credit != total_paid {
        tally.violations.push(format!(
            "ETH not conserved: bonds {total_paid}, credits {total_credit}"
        ));
    }
    let balance = l1.balance(game_addr).await? + total_withdrawn;
    if balance != total_paid {
        tally.violations.push(format!(
            "game holds {balance} wei but bonds total {total_paid}"
        ));
    }
    let honest_paid = paid.get(&honest_addr).copied().unwrap_or_default();
    let honest_credit = rules.credits.get(&honest_addr).copied().unwrap_or_default();
    let honest_bond_loss = honest_paid.saturating_sub(honest_credit);
    if !honest_bond_loss.is_zero() {
        tally
            .violations
            .push(format!("honest side lost {honest_bond_loss} wei of bonds"));
    }

    // Withdraw everything after the delay; the game must end empty.
    l1.advance_time(game_cfg.withdrawal_delay + 1).await?;
    for player in players.iter().map(|p| p.address) {
        let action = Action::ClaimCredit { recipient: player };
        let outcome = execute(
            l1,
            game_addr,
            &mut mirror,
            verifier,
            player,
            &action,
            l1.now(),
        )
        .await?;
        tally.record(&action, outcome);
    }
    let left = l1.balance(game_addr).await?;
    if !left.is_zero() {
        tally.violations.push(format!(
            "game still holds {left} wei after every credit was claimed"
        ));
    }

    Ok(GameReport {
        scenario: scenario.clone(),
        honest_won,
        honest_bond_loss: honest_bond_loss.to_string(),
        moves: tally.moves,
        steps: tally.steps,
        rejected: tally.rejected,
        rejected_by_error: tally.rejected_by_error,
        gas: tally.gas,
        violations: tally.violations,
    })
}
