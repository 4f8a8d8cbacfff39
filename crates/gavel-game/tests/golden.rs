//! Golden vectors shared with the Solidity side (`tests/vectors/toy.json`): toy VM states,
//! steps and witnesses, claim digests and positions. `GAVEL_BLESS=1` rewrites the file.

use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use gavel_game::state::claim_digest;
use gavel_game::toy::{toy_input, toy_prestate, toy_state};
use gavel_game::{GameConfig, Position, StepVerifier, ToyTrace, ToyVerifier, TraceProvider};
use serde::{Deserialize, Serialize};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/toy.json");

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vectors {
    description: String,
    traces: Vec<TraceVector>,
    claim_digests: Vec<DigestVector>,
    positions: Vec<PositionVector>,
    bonds: Vec<BondVector>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TraceVector {
    starting_root: B256,
    trace_length: u64,
    max_depth: u32,
    /// `bytes32(traceLength)`, the toy VM input of `extraData`.
    input: B256,
    absolute_prestate: B256,
    /// `s_0, s_1, …`: the prestate, then the state after each step.
    states: Vec<B256>,
    steps: Vec<StepVector>,
    /// The root claim an honest proposer makes (`s_{2^maxDepth}`).
    honest_root: B256,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StepVector {
    trace_index: u64,
    pre_state: B256,
    witness: Bytes,
    post_state: B256,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct DigestVector {
    claim: B256,
    claimant: Address,
    digest: B256,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PositionVector {
    position: u128,
    max_depth: u32,
    depth: u32,
    index_at_depth: u128,
    attack: u128,
    defend: u128,
    right_index: u128,
    trace_index: u64,
    trace_ancestor: u128,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct BondVector {
    position: u128,
    bond: U256,
}

fn trace_vector(starting_root: B256, trace_length: u64, max_depth: u32, shown: u64) -> TraceVector {
    let trace = ToyTrace::new(starting_root, trace_length, max_depth).unwrap();
    let mut states = vec![trace.absolute_prestate()];
    states.extend((0..shown).map(|t| trace.state_at(t).unwrap()));
    let steps = (0..shown)
        .map(|t| {
            let p = trace.step_witness(t).unwrap();
            assert_eq!(
                ToyVerifier.step(p.pre_state, t, &p.witness),
                Ok(p.post_state)
            );
            StepVector {
                trace_index: t,
                pre_state: p.pre_state,
                witness: p.witness,
                post_state: p.post_state,
            }
        })
        .collect();
    TraceVector {
        starting_root,
        trace_length,
        max_depth,
        input: toy_input(trace_length),
        absolute_prestate: toy_prestate(starting_root, trace_length),
        states,
        steps,
        honest_root: trace.claim_at(Position::ROOT, max_depth).unwrap(),
    }
}

fn position_vector(p: u128, max_depth: u32) -> PositionVector {
    let p = Position(p);
    PositionVector {
        position: p.0,
        max_depth,
        depth: p.depth(),
        index_at_depth: p.index_at_depth(),
        attack: p.move_(true).0,
        defend: p.move_(false).0,
        right_index: p.right_index(max_depth).0,
        trace_index: p.trace_index(max_depth),
        trace_ancestor: p.trace_ancestor().0,
    }
}

fn compute() -> Vectors {
    let root_a = keccak256(b"gavel toy vector A");
    let root_b = keccak256(b"gavel toy vector B");
    let config = GameConfig::toy_default();
    Vectors {
        description: "gavel toy VM v1 and game encodings (docs/protocol.md §2, §3, §5, §10). \
            states[k] is s_k; steps[t] runs s_t -> s_{t+1}; positions use the given maxDepth; \
            bonds use the toy default config (base 0.01 ether, increment 0.001 ether)."
            .to_owned(),
        traces: vec![
            // Two real steps, then stutters: s_3 == s_2.
            trace_vector(root_a, 2, 2, 4),
            trace_vector(root_b, 5, 3, 6),
            // The toy default tree with a trace shorter than the tree.
            trace_vector(root_a, 700, 10, 3),
        ],
        claim_digests: vec![
            DigestVector {
                claim: root_a,
                claimant: Address::repeat_byte(0x11),
                digest: claim_digest(root_a, Address::repeat_byte(0x11)),
            },
            DigestVector {
                claim: B256::ZERO,
                claimant: Address::ZERO,
                digest: claim_digest(B256::ZERO, Address::ZERO),
            },
        ],
        positions: [1u128, 2, 5, 6, 7, 1024, 1537, 2046, 2047]
            .into_iter()
            .map(|p| position_vector(p, 10))
            .chain([
                position_vector(3, 2),
                position_vector((1u128 << 62) | 12345, 62),
            ])
            .collect(),
        bonds: [1u128, 2, 1024, 2046]
            .into_iter()
            .map(|p| BondVector {
                position: p,
                bond: config.required_bond(Position(p)),
            })
            .collect(),
    }
}

#[test]
fn toy_vectors_match_the_committed_file() {
    let computed = compute();
    if std::env::var_os("GAVEL_BLESS").is_some() {
        let json = serde_json::to_string_pretty(&computed).unwrap() + "\n";
        std::fs::write(PATH, json).unwrap();
    }
    let text =
        std::fs::read_to_string(PATH).expect("vectors file (run with GAVEL_BLESS=1 to create)");
    let committed: Vectors = serde_json::from_str(&text).unwrap();
    assert_eq!(committed, computed);
}

#[test]
fn toy_state_by_hand() {
    // keccak256(abi.encode(uint256 1, uint256 2, bytes32 0x03…03)) written out byte by byte.
    let mut enc = [0u8; 96];
    enc[31] = 1;
    enc[63] = 2;
    enc[64..].fill(3);
    assert_eq!(
        toy_state(U256::from(1), U256::from(2), B256::repeat_byte(3)),
        keccak256(enc)
    );
    // The first toy step from root_a: acc' = keccak256(abi.encode(acc, uint256 0)).
    let root = keccak256(b"gavel toy vector A");
    let trace = ToyTrace::new(root, 2, 2).unwrap();
    let mut acc_enc = root.to_vec();
    acc_enc.extend_from_slice(&[0u8; 32]);
    let expected = toy_state(U256::from(1), U256::from(1), keccak256(acc_enc));
    assert_eq!(trace.state_at(0).unwrap(), expected);
}
