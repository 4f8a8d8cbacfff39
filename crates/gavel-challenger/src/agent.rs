//! Playing a game that lives only on the chain: rebuild the Rust game from the contract's
//! events and views, let a player decide, send its actions. This is what a bot does against
//! a real node (the fuzz runner instead keeps its mirror in step call by call).

use alloy_primitives::{Address, B256};
use gavel_chain::{ChainError, ChildRef, ClaimRef, GameView, L1, TxReceipt, game};
use gavel_game::{Action, GameConfig, GameError, GameState, GameStatus, Position};

/// Why a chain game could not be rebuilt in Rust.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The game's parameters are not a valid configuration.
    #[error("game {game}: invalid configuration: {message}")]
    Config { game: Address, message: String },
    /// A claim read from the chain breaks the rules the contract enforces: the chain data is
    /// inconsistent (or the node lied).
    #[error("game {game}: claim {index} does not replay: {error}")]
    Claim {
        game: Address,
        index: usize,
        error: GameError,
    },
}

/// The mirror's configuration of a game read from the chain.
pub fn config_of(view: &GameView) -> Result<GameConfig, ReplayError> {
    let bad = |message: String| ReplayError::Config {
        game: view.address,
        message,
    };
    let config = GameConfig {
        max_depth: u32::try_from(view.max_depth).map_err(|_| bad("max depth".into()))?,
        split_depth: u32::try_from(view.split_depth).map_err(|_| bad("split depth".into()))?,
        max_clock_duration: view.max_clock_duration,
        clock_extension: view.clock_extension,
        withdrawal_delay: view.withdrawal_delay,
        base_bond: view.base_bond,
        bond_increment: view.bond_increment,
    };
    config.validate().map_err(|e| bad(e.to_string()))?;
    Ok(config)
}

/// Rebuilds the game: moves replayed at their own timestamps (so clocks come out exactly as
/// the contract computed them), steps and resolutions recorded, as of time `now`.
pub fn replay(view: &GameView, now: u64) -> Result<GameState, ReplayError> {
    let config = config_of(view)?;
    let fail = |index: usize, error: GameError| ReplayError::Claim {
        game: view.address,
        index,
        error,
    };
    let root_time = view
        .claims
        .first()
        .map_or(view.created_at, |c| c.clock_timestamp);
    let mut state = GameState::new(
        config.clone(),
        view.absolute_prestate,
        view.creator,
        view.root_claim,
        root_time,
    )
    .map_err(|e| ReplayError::Config {
        game: view.address,
        message: e.to_string(),
    })?;
    for claim in view.claims.iter().skip(1) {
        let parent = claim
            .parent_index
            .ok_or(fail(claim.index, GameError::InvalidClaimRef))?;
        let parent_pos = view
            .claims
            .get(parent)
            .map(|p| Position(p.position))
            .ok_or(fail(claim.index, GameError::InvalidClaimRef))?;
        let position = Position(claim.position);
        let is_attack = parent_pos.move_(true) == position;
        let bond = config.required_bond(position);
        state
            .apply_move(
                parent,
                claim.claim,
                is_attack,
                claim.claimant,
                bond,
                claim.clock_timestamp,
            )
            .map_err(|e| fail(claim.index, e))?;
    }
    for claim in &view.claims {
        if let Some(stepper) = claim.countered_by {
            state
                .record_step(claim.index, stepper)
                .map_err(|e| fail(claim.index, e))?;
        }
    }
    for claim in view.claims.iter().rev() {
        if claim.resolved.is_some() {
            state
                .resolve_claim(claim.index, now)
                .map_err(|e| fail(claim.index, e))?;
        }
    }
    if view.status != GameStatus::InProgress {
        state.resolve(view.resolved_at).map_err(|e| fail(0, e))?;
    }
    Ok(state)
}

fn claim_ref(state: &GameState, index: usize) -> ClaimRef {
    state
        .claim(index)
        .map(|c| ClaimRef {
            claim: c.claim,
            claimant: c.claimant,
        })
        .unwrap_or_default()
}

/// Sends `action` for `actor` to the game at `game_addr`, with the claim data the call needs
/// taken from `state`. A `ClaimCredit` for a recipient with no credit left is skipped
/// (`Ok(None)`): the mirror cannot see withdrawals.
pub async fn send_action(
    l1: &impl L1,
    game_addr: Address,
    state: &GameState,
    actor: Address,
    action: &Action,
) -> Result<Option<TxReceipt>, ChainError> {
    if let Action::ClaimCredit { recipient } = action
        && game::credit_of(l1, game_addr, *recipient).await?.is_zero()
    {
        return Ok(None);
    }
    send_action_unchecked(l1, game_addr, state, actor, action)
        .await
        .map(Some)
}

/// Sends `action` as it is, whatever the chain's state: the transaction the contract gets
/// for it (the fuzz runner wants the contract's own verdict on every action).
pub async fn send_action_unchecked(
    l1: &impl L1,
    game_addr: Address,
    state: &GameState,
    actor: Address,
    action: &Action,
) -> Result<TxReceipt, ChainError> {
    match action {
        Action::Move {
            parent_index,
            claim,
            is_attack,
            bond,
        } => {
            let disputed = state
                .claim(*parent_index)
                .map_or(B256::ZERO, |c| c.digest());
            game::game_move(
                l1,
                actor,
                game_addr,
                disputed,
                *parent_index,
                *claim,
                *is_attack,
                *bond,
            )
            .await
        }
        Action::Step {
            claim_index,
            is_attack,
            state_index,
            witness,
            ..
        } => {
            game::game_step(
                l1,
                actor,
                game_addr,
                *claim_index,
                *is_attack,
                claim_ref(state, *claim_index),
                state_index.unwrap_or(0),
                state_index.map(|i| claim_ref(state, i)).unwrap_or_default(),
                witness.clone(),
            )
            .await
        }
        Action::ResolveClaim { claim_index } => {
            let children = state
                .children(*claim_index)
                .iter()
                .map(|&i| {
                    let r = claim_ref(state, i);
                    ChildRef {
                        index: i,
                        claim: r.claim,
                        claimant: r.claimant,
                    }
                })
                .collect();
            game::game_resolve_claim(
                l1,
                actor,
                game_addr,
                *claim_index,
                claim_ref(state, *claim_index),
                children,
            )
            .await
        }
        Action::Resolve => game::game_resolve(l1, actor, game_addr).await,
        Action::ClaimCredit { recipient } => {
            game::game_claim_credit(l1, actor, game_addr, *recipient).await
        }
    }
}
