//! Typed wrappers for every game action, game creation and reading a game back.
//!
//! Indices are `usize` and claims `B256` on the Rust side; the wrappers convert to the ABI.

mod view;

pub use view::{ClaimView, GameStatus, GameView, read_game, read_game_from};

use crate::bindings::{DisputeGameFactory, FaultDisputeGame};
use crate::calls::{send_call, view};
use crate::{ChainError, Deployment, L1, LogEntry, TxReceipt};
use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::sol_types::{SolEvent, SolValue};

/// A claim's value and claimant, opened against its stored digest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClaimRef {
    /// The claimed state commitment.
    pub claim: B256,
    /// Who made the claim.
    pub claimant: Address,
}

impl ClaimRef {
    /// The digest the game stores: `keccak256(abi.encode(claim, claimant))`.
    pub fn digest(&self) -> B256 {
        claim_digest(self.claim, self.claimant)
    }
}

impl From<ClaimRef> for FaultDisputeGame::ClaimRef {
    fn from(r: ClaimRef) -> Self {
        Self {
            claim: r.claim,
            claimant: r.claimant,
        }
    }
}

/// A child claim handed to `resolveClaim`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ChildRef {
    /// The child's claim index.
    pub index: usize,
    /// Its value.
    pub claim: B256,
    /// Its claimant.
    pub claimant: Address,
}

impl From<ChildRef> for FaultDisputeGame::ChildRef {
    fn from(c: ChildRef) -> Self {
        Self {
            index: U256::from(c.index),
            claim: c.claim,
            claimant: c.claimant,
        }
    }
}

/// `keccak256(abi.encode(claim, claimant))`, the per-claim digest the game stores and that a
/// move names as `disputed` (the mirror's definition, so the two cannot drift).
pub use gavel_game::state::claim_digest;

/// The game's `extraData`: `abi.encode(uint256 l2SequenceNumber, bytes32 input)`.
pub fn extra_data(seq: u64, input: B256) -> Bytes {
    (U256::from(seq), input).abi_encode().into()
}

/// Creates a game of the deployment's primary game type, paying its root bond; returns the
/// game's address.
pub async fn create_game(
    l1: &impl L1,
    sender: Address,
    deployment: &Deployment,
    root_claim: B256,
    seq: u64,
    input: B256,
) -> Result<Address, ChainError> {
    let game_type = deployment.primary()?.game_type;
    create_game_of_type(l1, sender, deployment, game_type, root_claim, seq, input).await
}

/// Creates a game of `game_type` with an explicit `extraData` of `(seq, input)`.
pub async fn create_game_of_type(
    l1: &impl L1,
    sender: Address,
    deployment: &Deployment,
    game_type: u32,
    root_claim: B256,
    seq: u64,
    input: B256,
) -> Result<Address, ChainError> {
    let bond = deployment
        .game_type(game_type)
        .map(|g| g.params.base_bond)
        .ok_or_else(|| ChainError::InvalidParameter {
            name: "game_type",
            message: format!("{game_type} is not in the deployment"),
        })?;
    let receipt = create_game_raw(
        l1,
        sender,
        deployment.factory,
        game_type,
        root_claim,
        extra_data(seq, input),
        bond,
    )
    .await?;
    created_game(&receipt, deployment.factory)
}

/// `factory.create(gameType, rootClaim, extraData)` with `bond` attached, unchecked: for
/// tests of the factory's own checks.
pub async fn create_game_raw(
    l1: &impl L1,
    sender: Address,
    factory: Address,
    game_type: u32,
    root_claim: B256,
    extra_data: Bytes,
    bond: U256,
) -> Result<TxReceipt, ChainError> {
    let call = DisputeGameFactory::createCall {
        _gameType: game_type,
        _rootClaim: root_claim,
        _extraData: extra_data,
    };
    send_call(l1, sender, factory, call, bond).await
}

/// The game address from the `DisputeGameCreated` event in a `create` receipt.
pub fn created_game(receipt: &TxReceipt, factory: Address) -> Result<Address, ChainError> {
    receipt
        .logs
        .iter()
        .filter(|l| l.address == factory)
        .find_map(|l| decode_event::<DisputeGameFactory::DisputeGameCreated>(l).ok())
        .map(|e| e.game)
        .ok_or_else(|| ChainError::Unexpected {
            what: "create_game",
            message: format!("no DisputeGameCreated event in {}", receipt.tx_hash),
        })
}

/// Decodes `log` as event `E`.
pub fn decode_event<E: SolEvent>(log: &LogEntry) -> Result<E, ChainError> {
    E::decode_raw_log(log.topics.iter().copied(), &log.data).map_err(|e| ChainError::Decode {
        what: format!(
            "{} log of {} in block {}",
            E::SIGNATURE,
            log.address,
            log.block_number
        ),
        message: e.to_string(),
    })
}

fn idx(i: usize) -> U256 {
    U256::from(i)
}

/// `move(disputed, parentIndex, claim, isAttack)` paying `bond`.
#[allow(clippy::too_many_arguments)]
pub async fn game_move(
    l1: &impl L1,
    from: Address,
    game: Address,
    disputed: B256,
    parent_index: usize,
    claim: B256,
    is_attack: bool,
    bond: U256,
) -> Result<TxReceipt, ChainError> {
    let call = FaultDisputeGame::moveCall {
        _disputed: disputed,
        _parentIndex: idx(parent_index),
        _claim: claim,
        _isAttack: is_attack,
    };
    send_call(l1, from, game, call, bond).await
}

/// `step(claimIndex, isAttack, parent, stateIndex, state, witness)`.
#[allow(clippy::too_many_arguments)]
pub async fn game_step(
    l1: &impl L1,
    from: Address,
    game: Address,
    claim_index: usize,
    is_attack: bool,
    parent: ClaimRef,
    state_index: usize,
    state: ClaimRef,
    witness: Bytes,
) -> Result<TxReceipt, ChainError> {
    let call = FaultDisputeGame::stepCall {
        _claimIndex: idx(claim_index),
        _isAttack: is_attack,
        _parent: parent.into(),
        _stateIndex: idx(state_index),
        _state: state.into(),
        _witness: witness,
    };
    send_call(l1, from, game, call, U256::ZERO).await
}

/// `resolveClaim(claimIndex, subject, children)` with one page of children in increasing
/// index order.
pub async fn game_resolve_claim(
    l1: &impl L1,
    from: Address,
    game: Address,
    claim_index: usize,
    subject: ClaimRef,
    children: Vec<ChildRef>,
) -> Result<TxReceipt, ChainError> {
    let call = FaultDisputeGame::resolveClaimCall {
        _claimIndex: idx(claim_index),
        _subject: subject.into(),
        _children: children.into_iter().map(Into::into).collect(),
    };
    send_call(l1, from, game, call, U256::ZERO).await
}

/// `resolve()`.
pub async fn game_resolve(
    l1: &impl L1,
    from: Address,
    game: Address,
) -> Result<TxReceipt, ChainError> {
    send_call(l1, from, game, FaultDisputeGame::resolveCall {}, U256::ZERO).await
}

/// `claimCredit(recipient)` (anyone may send it; the credit goes to `recipient`).
pub async fn game_claim_credit(
    l1: &impl L1,
    from: Address,
    game: Address,
    recipient: Address,
) -> Result<TxReceipt, ChainError> {
    send_call(
        l1,
        from,
        game,
        FaultDisputeGame::claimCreditCall {
            _recipient: recipient,
        },
        U256::ZERO,
    )
    .await
}

/// `initialize(creator, rootClaim, extraData)` sent directly (only the factory may; for tests
/// of that guard).
pub async fn game_initialize(
    l1: &impl L1,
    from: Address,
    game: Address,
    creator: Address,
    root_claim: B256,
    extra_data: Bytes,
    value: U256,
) -> Result<TxReceipt, ChainError> {
    let call = FaultDisputeGame::initializeCall {
        _creator: creator,
        _rootClaim: root_claim,
        _extraData: extra_data,
    };
    send_call(l1, from, game, call, value).await
}

/// The credit `recipient` can claim from `game`.
pub async fn credit_of(
    l1: &impl L1,
    game: Address,
    recipient: Address,
) -> Result<U256, ChainError> {
    view(l1, game, FaultDisputeGame::creditCall(recipient)).await
}

/// The bond a claim at generalized index `position` must pay.
pub async fn required_bond(
    l1: &impl L1,
    game: Address,
    position: u128,
) -> Result<U256, ChainError> {
    view(
        l1,
        game,
        FaultDisputeGame::getRequiredBondCall {
            _position: position,
        },
    )
    .await
}

/// The time used by whoever would counter claim `index`, in seconds (capped at the clock).
pub async fn challenger_duration(
    l1: &impl L1,
    game: Address,
    index: usize,
) -> Result<u64, ChainError> {
    view(
        l1,
        game,
        FaultDisputeGame::getChallengerDurationCall {
            _claimIndex: idx(index),
        },
    )
    .await
}

/// The number of claims in `game`.
pub async fn claim_count(l1: &impl L1, game: Address) -> Result<usize, ChainError> {
    let n = view(l1, game, FaultDisputeGame::claimCountCall {}).await?;
    usize::try_from(n).map_err(|_| ChainError::Decode {
        what: format!("claimCount of {game}"),
        message: format!("{n} does not fit usize"),
    })
}
