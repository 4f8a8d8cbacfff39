//! L1 gas of every game action, measured on the toy game at the defaults (max depth 10,
//! split depth 4) under Osaka rules (EIP-7623 calldata floor included).
//!
//! ```sh
//! cargo run --release -p gavel-chain --example game_gas
//! # also replay on a real node and print its figures next to the in-process ones:
//! ANVIL_BIN=/path/to/anvil cargo run --release -p gavel-chain --example game_gas
//! ```
//!
//! Prints a markdown table, then the in-process throughput (transactions per second).

#[allow(dead_code)]
#[path = "../tests/common/toy.rs"]
mod toy;

use alloy::primitives::{Address, B256, U256, keccak256};
use gavel_chain::game::{self, ChildRef, ClaimRef, GameView};
use gavel_chain::{
    ChainError, InProcessConfig, InProcessL1, L1, RpcL1, TimeControl, ToyDeployParams,
    deploy_toy_system,
};
use std::time::Instant;
use toy::{Trace, move_position, trace_ancestor, trace_index};

/// One measured line.
struct Row {
    what: String,
    gas: u64,
}

struct Players {
    deployer: Address,
    alice: Address,
    bob: Address,
}

const TRACE_LEN: u64 = 700;
const LIE_FROM: usize = 333;

fn params() -> ToyDeployParams {
    ToyDeployParams {
        anchor_root: keccak256("anchor"),
        anchor_seq: 1,
        ..ToyDeployParams::default()
    }
}

/// The value `trace` gives position `pos`, and whether its owner attacks claim `c`.
fn counter(view: &GameView, index: usize, trace: &Trace, md: u32) -> (bool, B256) {
    let c = &view.claims[index];
    let agrees = index != 0 && trace.at(c.position, md) == c.claim;
    let pos = move_position(c.position, !agrees);
    (!agrees, trace.at(pos, md))
}

/// Plays one full dispute (lying root by alice, honest bob bisects to max depth, steps,
/// resolves everything, claims the credit) and returns the gas of each transaction.
async fn full_dispute<C: L1 + TimeControl>(
    l1: &C,
    p: &Players,
    seq: u64,
) -> Result<Vec<Row>, ChainError> {
    let params = params();
    let md = params.max_depth as u32;
    let deployment = deploy_toy_system(l1, p.deployer, &params).await?;
    let honest = Trace::honest(params.anchor_root, TRACE_LEN, md);
    let liar = Trace::lying(&honest, LIE_FROM);
    let mut rows = Vec::new();

    let root = liar.state(1 << md);
    let input = B256::from(U256::from(TRACE_LEN));
    let created = game::create_game_raw(
        l1,
        p.alice,
        deployment.factory,
        params.game_type,
        root,
        game::extra_data(seq, input),
        params.base_bond,
    )
    .await?;
    rows.push(Row {
        what: "create (factory.create + initialize)".into(),
        gas: created.gas_used,
    });
    let g = game::created_game(&created, deployment.factory)?;

    // Bisection: bob answers alice and alice answers bob, each following its own trace.
    let mut index = 0;
    let mut mover = p.bob;
    loop {
        let v = game::read_game(l1, g).await?;
        let trace = if mover == p.bob { &honest } else { &liar };
        let (is_attack, value) = counter(&v, index, trace, md);
        let pos = move_position(v.claims[index].position, is_attack);
        let depth = 127 - pos.leading_zeros();
        let bond = v.bond_at_depth(u64::from(depth));
        let r = game::game_move(
            l1,
            mover,
            g,
            v.claims[index].digest(),
            index,
            value,
            is_attack,
            bond,
        )
        .await?;
        let kind = if is_attack { "attack" } else { "defend" };
        let label = match depth {
            d if d == params.split_depth as u32 => format!("move at depth {d} (split, {kind})"),
            d if d == params.split_depth as u32 + 1 => {
                format!("move at depth {d} (split + 1, {kind})")
            }
            d if d == md => format!("move at depth {d} (max, {kind})"),
            d => format!("move at depth {d} ({kind})"),
        };
        rows.push(Row {
            what: label,
            gas: r.gas_used,
        });
        index += 1;
        if depth == md {
            break;
        }
        mover = if mover == p.bob { p.alice } else { p.bob };
    }

    // The step against alice's leaf.
    let v = game::read_game(l1, g).await?;
    let leaf = &v.claims[index];
    let t = trace_index(leaf.position, md);
    let is_attack = honest.at(leaf.position, md) != leaf.claim;
    let wanted = if is_attack {
        (t > 0).then(|| trace_ancestor(leaf.position - 1))
    } else {
        Some(trace_ancestor(leaf.position + 1))
    };
    let (state_index, state) = match wanted {
        None => (0, ClaimRef::default()),
        Some(pos) => {
            let a = v
                .claims
                .iter()
                .find(|c| c.position == pos)
                .expect("chain claim");
            (
                a.index,
                ClaimRef {
                    claim: a.claim,
                    claimant: a.claimant,
                },
            )
        }
    };
    let witness = honest.witness(if is_attack { t } else { t + 1 });
    let parent = ClaimRef {
        claim: leaf.claim,
        claimant: leaf.claimant,
    };
    let r = game::game_step(
        l1,
        p.bob,
        g,
        index,
        is_attack,
        parent,
        state_index,
        state,
        witness,
    )
    .await?;
    rows.push(Row {
        what: format!(
            "step (toy verifier, {})",
            if is_attack { "attack" } else { "defend" }
        ),
        gas: r.gas_used,
    });

    // Resolution bottom-up.
    l1.advance_time(params.max_clock_duration + 1).await?;
    for i in (0..v.claims.len()).rev() {
        let c = &v.claims[i];
        let children: Vec<ChildRef> = v
            .children_of(i)
            .into_iter()
            .map(|k| ChildRef {
                index: k,
                claim: v.claims[k].claim,
                claimant: v.claims[k].claimant,
            })
            .collect();
        let label = match (i == index, children.len()) {
            (true, _) => "resolveClaim (leaf, stepped, no children)".to_string(),
            (false, 1) if i == 0 => "resolveClaim (root, 1 child)".to_string(),
            (false, n) => format!("resolveClaim (depth {}, {n} child)", c.depth()),
        };
        let subject = ClaimRef {
            claim: c.claim,
            claimant: c.claimant,
        };
        let r = game::game_resolve_claim(l1, p.alice, g, i, subject, children).await?;
        rows.push(Row {
            what: label,
            gas: r.gas_used,
        });
    }
    let r = game::game_resolve(l1, p.alice, g).await?;
    rows.push(Row {
        what: "resolve".into(),
        gas: r.gas_used,
    });
    l1.advance_time(params.withdrawal_delay).await?;
    let r = game::game_claim_credit(l1, p.bob, g, p.bob).await?;
    rows.push(Row {
        what: "claimCredit".into(),
        gas: r.gas_used,
    });
    Ok(rows)
}

/// `resolveClaim` of a root with `n` counters, all in one page.
async fn wide_resolution<C: L1 + TimeControl>(
    l1: &C,
    p: &Players,
    n: usize,
) -> Result<Row, ChainError> {
    let params = params();
    let deployment = deploy_toy_system(l1, p.deployer, &params).await?;
    let root = keccak256("wide root");
    let g = game::create_game(l1, p.alice, &deployment, root, 5, B256::ZERO).await?;
    let digest = game::claim_digest(root, p.alice);
    let bond = params.base_bond + params.bond_increment;
    for k in 0..n {
        game::game_move(
            l1,
            p.bob,
            g,
            digest,
            0,
            keccak256(format!("child {k}")),
            true,
            bond,
        )
        .await?;
    }
    l1.advance_time(params.max_clock_duration + 1).await?;
    let v = game::read_game(l1, g).await?;
    for k in 1..=n {
        let c = &v.claims[k];
        game::game_resolve_claim(
            l1,
            p.alice,
            g,
            k,
            ClaimRef {
                claim: c.claim,
                claimant: c.claimant,
            },
            vec![],
        )
        .await?;
    }
    let children = (1..=n)
        .map(|k| ChildRef {
            index: k,
            claim: v.claims[k].claim,
            claimant: v.claims[k].claimant,
        })
        .collect();
    let r = game::game_resolve_claim(
        l1,
        p.alice,
        g,
        0,
        ClaimRef {
            claim: root,
            claimant: p.alice,
        },
        children,
    )
    .await?;
    Ok(Row {
        what: format!("resolveClaim (root, {n} children in one page)"),
        gas: r.gas_used,
    })
}

async fn measure<C: L1 + TimeControl>(l1: &C) -> Result<(Vec<Row>, u64), ChainError> {
    let a = l1.accounts();
    let p = Players {
        deployer: a[0],
        alice: a[1],
        bob: a[2],
    };
    let mut rows = full_dispute(l1, &p, 2).await?;
    let total = rows.iter().map(|r| r.gas).sum();
    rows.push(wide_resolution(l1, &p, 8).await?);
    Ok((rows, total))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Optional cross-check on a real node: the same transactions must cost the same gas. The
    // in-process chain then uses anvil's dev addresses, because calldata (which embeds
    // claimant addresses and digests) costs 4 gas per zero byte and 16 per non-zero byte.
    let (in_process, anvil) = match std::env::var_os("ANVIL_BIN") {
        Some(bin) => {
            let node = alloy::node_bindings::Anvil::at(bin)
                .host("127.0.0.1")
                .args(["--hardfork", "osaka"])
                .try_spawn()?;
            let keys: Vec<String> = node
                .keys()
                .iter()
                .take(3)
                .map(|k| alloy::hex::encode_prefixed(k.to_bytes()))
                .collect();
            let l1 = RpcL1::connect(&node.endpoint(), &keys).await?;
            let config = InProcessConfig {
                accounts: l1.accounts(),
                ..InProcessConfig::default()
            };
            (InProcessL1::with_config(config), Some(measure(&l1).await?))
        }
        None => (InProcessL1::new(), None),
    };
    let (rows, total) = measure(&in_process).await?;
    if let Some((a, _)) = &anvil {
        let differ: Vec<&str> = rows
            .iter()
            .zip(a)
            .filter(|(x, y)| x.gas != y.gas)
            .map(|(x, _)| x.what.as_str())
            .collect();
        if differ.is_empty() {
            println!("In-process gas equals anvil's for every transaction.\n");
        } else {
            println!("WARNING: in-process and anvil gas differ for: {differ:?}\n");
        }
    }

    println!("Toy game, max depth 10, split depth 4, Osaka (EIP-7623 floor applies).\n");
    match &anvil {
        Some(_) => {
            println!("| action | gas (in-process revm) | gas (anvil 1.7.1) |\n|---|---:|---:|")
        }
        None => println!("| action | gas |\n|---|---:|"),
    }
    for (i, r) in rows.iter().enumerate() {
        match &anvil {
            Some((a, _)) => println!("| {} | {} | {} |", r.what, r.gas, a[i].gas),
            None => println!("| {} | {} |", r.what, r.gas),
        }
    }
    match &anvil {
        Some((_, t)) => println!(
            "| **whole dispute to max depth with full resolution (sum)** | **{total}** | **{t}** |"
        ),
        None => {
            println!("| **whole dispute to max depth with full resolution (sum)** | **{total}** |")
        }
    }

    // Throughput of the in-process L1 on game transactions: full disputes back to back.
    let l1 = InProcessL1::new();
    let a = l1.accounts();
    let p = Players {
        deployer: a[0],
        alice: a[1],
        bob: a[2],
    };
    let games = 20;
    let started = Instant::now();
    let mut txs = 0usize;
    for seq in 0..games {
        txs += full_dispute(&l1, &p, seq + 2).await?.len() + 6; // + the deployment's 6 transactions
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "\nIn-process throughput: {games} full disputes, {txs} transactions in {secs:.2} s = {:.0} tx/s \
         (including read_game after every move)",
        txs as f64 / secs
    );

    // Raw send rate: moves against one root, no reads in between.
    let deployment = deploy_toy_system(&l1, p.deployer, &params()).await?;
    let root = keccak256("busy root");
    let g = game::create_game(&l1, p.alice, &deployment, root, 999, B256::ZERO).await?;
    let digest = game::claim_digest(root, p.alice);
    let bond = params().base_bond + params().bond_increment;
    let moves = 5000;
    let started = Instant::now();
    for k in 0..moves {
        game::game_move(
            &l1,
            p.bob,
            g,
            digest,
            0,
            keccak256(format!("m{k}")),
            true,
            bond,
        )
        .await?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "In-process send rate: {moves} moves in {secs:.2} s = {:.0} tx/s",
        moves as f64 / secs
    );
    Ok(())
}
