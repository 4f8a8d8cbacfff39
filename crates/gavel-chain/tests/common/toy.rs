//! A toy-VM game fixture on the in-process L1: honest and lying traces, a tiny solver that
//! picks attack/defend and step arguments by the rules of docs/protocol.md, and helpers that
//! send the resulting transactions.

use alloy::primitives::{Address, B256, Bytes, U256, keccak256};
use alloy::sol_types::SolValue;
use gavel_chain::game::{self, ChildRef, ClaimRef, GameView};
use gavel_chain::{
    ChainError, Deployment, InProcessL1, TimeControl, ToyDeployParams, TxReceipt, deploy_toy_system,
};

/// `keccak256(abi.encode(step, remaining, acc))`.
pub fn toy_state(step: u64, remaining: u64, acc: B256) -> B256 {
    keccak256((U256::from(step), U256::from(remaining), acc).abi_encode())
}

pub fn depth(pos: u128) -> u32 {
    127 - pos.leading_zeros()
}

/// Leaf index of the right-most leaf under `pos`.
pub fn trace_index(pos: u128, max_depth: u32) -> usize {
    let d = depth(pos);
    let right = ((pos + 1) << (max_depth - d)) - 1;
    (right - (1u128 << max_depth)) as usize
}

pub fn trace_ancestor(pos: u128) -> u128 {
    pos >> pos.trailing_ones()
}

pub fn move_position(pos: u128, is_attack: bool) -> u128 {
    (pos | if is_attack { 0 } else { 1 }) << 1
}

/// A sequence of toy state commitments `s_0 ..= s_N`, `N = 2^max_depth`.
#[derive(Clone)]
pub struct Trace {
    /// The honest records `(step, remaining, acc)` (a liar's commitments differ from them).
    records: Vec<(u64, u64, B256)>,
    commits: Vec<B256>,
}

impl Trace {
    pub fn honest(anchor: B256, len: u64, max_depth: u32) -> Self {
        let n = 1usize << max_depth;
        let mut records = Vec::with_capacity(n + 1);
        let (mut step, mut remaining, mut acc) = (0u64, len, anchor);
        records.push((step, remaining, acc));
        for _ in 0..n {
            if remaining > 0 {
                acc = keccak256((acc, U256::from(step)).abi_encode());
                step += 1;
                remaining -= 1;
            }
            records.push((step, remaining, acc));
        }
        let commits = records
            .iter()
            .map(|&(s, r, a)| toy_state(s, r, a))
            .collect();
        Self { records, commits }
    }

    /// The same trace with every state from `from` on replaced by a lie.
    pub fn lying(honest: &Trace, from: usize) -> Self {
        let mut t = honest.clone();
        for (i, c) in t.commits.iter_mut().enumerate().skip(from) {
            *c = keccak256(format!("lie {i}"));
        }
        t
    }

    pub fn state(&self, i: usize) -> B256 {
        self.commits[i]
    }

    /// The witness opening honest state `i`.
    pub fn witness(&self, i: usize) -> Bytes {
        let (s, r, a) = self.records[i];
        (U256::from(s), U256::from(r), a).abi_encode().into()
    }

    /// The value a claim at `pos` should have on this trace.
    pub fn at(&self, pos: u128, max_depth: u32) -> B256 {
        self.state(trace_index(pos, max_depth) + 1)
    }
}

/// The arguments of a step against a max-depth claim.
pub struct StepArgs {
    pub claim_index: usize,
    pub is_attack: bool,
    pub parent: ClaimRef,
    pub state_index: usize,
    pub state: ClaimRef,
    pub witness: Bytes,
}

pub struct Fixture {
    pub l1: InProcessL1,
    pub deployment: Deployment,
    pub params: ToyDeployParams,
    pub honest: Trace,
    pub liar: Trace,
    /// The dishonest party (creator of a dishonest root).
    pub alice: Address,
    /// The honest party.
    pub bob: Address,
    /// A bystander.
    pub carol: Address,
    pub game: Address,
    pub trace_len: u64,
}

/// Small toy parameters: depth 4, split 2, so chains to max depth are short.
pub fn small_params() -> ToyDeployParams {
    ToyDeployParams {
        max_depth: 4,
        split_depth: 2,
        anchor_root: keccak256("anchor"),
        anchor_seq: 10,
        ..ToyDeployParams::default()
    }
}

impl Fixture {
    /// Deploys the toy system with `params` and creates one game of trace length `trace_len`
    /// whose root claim is honest (made by bob) or a lie (made by alice). The liar's trace
    /// diverges from state `lie_from` on.
    pub async fn new(
        params: ToyDeployParams,
        trace_len: u64,
        lie_from: usize,
        honest_root: bool,
    ) -> Self {
        let l1 = InProcessL1::with_accounts(4);
        let accounts = gavel_chain::L1::accounts(&l1);
        let deployment = deploy_toy_system(&l1, accounts[0], &params).await.unwrap();
        let max_depth = params.max_depth as u32;
        let honest = Trace::honest(params.anchor_root, trace_len, max_depth);
        let liar = Trace::lying(&honest, lie_from);
        let (alice, bob, carol) = (accounts[1], accounts[2], accounts[3]);
        let n = 1usize << max_depth;
        let (root, creator) = if honest_root {
            (honest.state(n), bob)
        } else {
            (liar.state(n), alice)
        };
        let input = B256::from(U256::from(trace_len));
        let game = game::create_game(
            &l1,
            creator,
            &deployment,
            root,
            params.anchor_seq + 1,
            input,
        )
        .await
        .unwrap();
        Self {
            l1,
            deployment,
            params,
            honest,
            liar,
            alice,
            bob,
            carol,
            game,
            trace_len,
        }
    }

    pub fn max_depth(&self) -> u32 {
        self.params.max_depth as u32
    }

    pub async fn view(&self) -> GameView {
        game::read_game(&self.l1, self.game).await.unwrap()
    }

    pub fn bond(&self, pos: u128) -> U256 {
        self.params.base_bond + U256::from(depth(pos)) * self.params.bond_increment
    }

    pub fn trace_of(&self, who: Address) -> &Trace {
        if who == self.alice {
            &self.liar
        } else {
            &self.honest
        }
    }

    /// A move with the right bond and disputed digest.
    pub async fn mv(
        &self,
        from: Address,
        parent: usize,
        value: B256,
        is_attack: bool,
    ) -> Result<TxReceipt, ChainError> {
        let v = self.view().await;
        let p = &v.claims[parent];
        let bond = self.bond(move_position(p.position, is_attack));
        game::game_move(
            &self.l1,
            from,
            self.game,
            p.digest(),
            parent,
            value,
            is_attack,
            bond,
        )
        .await
    }

    /// The counter `from` makes to claim `parent` following its own trace: defend when it
    /// agrees with the claim, attack otherwise, with its trace's value at the new position.
    pub async fn respond(&self, from: Address, parent: usize) -> Result<TxReceipt, ChainError> {
        let v = self.view().await;
        let p = &v.claims[parent];
        let trace = self.trace_of(from);
        let agrees = parent != 0 && trace.at(p.position, self.max_depth()) == p.claim;
        let pos = move_position(p.position, !agrees);
        self.mv(from, parent, trace.at(pos, self.max_depth()), !agrees)
            .await
    }

    /// Plays alice and bob against each other along one chain from claim `from_index`, the
    /// side that disagrees with the latest claim answering it, until a claim at max depth.
    /// Returns the index of that claim.
    pub async fn play_to_max_depth(&self, first: Address) -> usize {
        let mut mover = first;
        let mut index = self.view().await.claims.len() - 1;
        loop {
            let r = self.respond(mover, index).await.unwrap();
            assert!(r.success);
            index += 1;
            let v = self.view().await;
            if v.claims[index].depth() == self.max_depth() {
                return index;
            }
            mover = if mover == self.alice {
                self.bob
            } else {
                self.alice
            };
        }
    }

    /// The step `from` would make against max-depth claim `index` following its trace.
    pub async fn step_args(&self, from: Address, index: usize) -> StepArgs {
        let v = self.view().await;
        let c = &v.claims[index];
        let md = self.max_depth();
        let trace = self.trace_of(from);
        let t = trace_index(c.position, md);
        let is_attack = trace.at(c.position, md) != c.claim;
        let parent = ClaimRef {
            claim: c.claim,
            claimant: c.claimant,
        };
        // The chain claim giving the other end of the step.
        let wanted = if is_attack {
            (t > 0).then(|| trace_ancestor(c.position - 1))
        } else {
            Some(trace_ancestor(c.position + 1))
        };
        let (state_index, state) = match wanted {
            None => (0, ClaimRef::default()),
            Some(pos) => {
                let mut i = c.parent_index;
                loop {
                    let a = &v.claims[i.expect("chain claim exists on the path")];
                    if a.position == pos {
                        break (
                            a.index,
                            ClaimRef {
                                claim: a.claim,
                                claimant: a.claimant,
                            },
                        );
                    }
                    i = a.parent_index;
                }
            }
        };
        // Pre-state is s_t for an attack, s_{t+1} for a defend: the honest record opens it.
        let witness = if is_attack {
            self.honest.witness(t)
        } else {
            self.honest.witness(t + 1)
        };
        StepArgs {
            claim_index: index,
            is_attack,
            parent,
            state_index,
            state,
            witness,
        }
    }

    pub async fn step(&self, from: Address, a: &StepArgs) -> Result<TxReceipt, ChainError> {
        game::game_step(
            &self.l1,
            from,
            self.game,
            a.claim_index,
            a.is_attack,
            a.parent,
            a.state_index,
            a.state,
            a.witness.clone(),
        )
        .await
    }

    pub async fn resolve_claim(
        &self,
        from: Address,
        index: usize,
    ) -> Result<TxReceipt, ChainError> {
        let v = self.view().await;
        let c = &v.claims[index];
        let children = v
            .children_of(index)
            .into_iter()
            .map(|i| ChildRef {
                index: i,
                claim: v.claims[i].claim,
                claimant: v.claims[i].claimant,
            })
            .collect();
        game::game_resolve_claim(
            &self.l1,
            from,
            self.game,
            index,
            ClaimRef {
                claim: c.claim,
                claimant: c.claimant,
            },
            children,
        )
        .await
    }

    /// Resolves every claim from the last to the root (children always have larger indices).
    pub async fn resolve_all_claims(&self, from: Address) -> Vec<TxReceipt> {
        let n = self.view().await.claims.len();
        let mut out = Vec::new();
        for i in (0..n).rev() {
            out.push(self.resolve_claim(from, i).await.unwrap());
        }
        out
    }

    pub async fn expire_clocks(&self) {
        self.l1
            .advance_time(self.params.max_clock_duration + 1)
            .await
            .unwrap();
    }
}

/// Asserts that `r` is a revert with the custom error `name`.
#[track_caller]
pub fn assert_revert<T: std::fmt::Debug>(r: Result<T, ChainError>, name: &str) {
    match r {
        Err(e) => assert_eq!(e.revert_name().as_deref(), Some(name), "wrong error: {e}"),
        Ok(v) => panic!("expected revert {name}, got success {v:?}"),
    }
}
