//! Reading a whole game back: configuration and per-game views, the claims rebuilt from the
//! `Move` events, and each claim's live state (`claimMeta`, `counteredBy`, `subgameResult`).

use crate::bindings::FaultDisputeGame;
use crate::calls::view;
use crate::game::{claim_digest, decode_event};
use crate::{ChainError, L1, LogFilter};
use alloy::primitives::{Address, B256, U256};
use alloy::sol_types::SolEvent;
use serde::{Deserialize, Serialize};

/// The `parentIndex` the root's `Move` event carries.
const NO_PARENT: u32 = u32::MAX;

/// The game's status as `gavel_game` names it (same discriminants as `Types.sol`).
pub use gavel_game::GameStatus;
/// One claim as the chain knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimView {
    /// Index in the game (0 = root).
    pub index: usize,
    /// The claim it counters; `None` for the root.
    pub parent_index: Option<usize>,
    /// Who made it.
    pub claimant: Address,
    /// The claimed state.
    pub claim: B256,
    /// Generalized index in the game tree.
    pub position: u128,
    /// Time its side had used when it was made (after extension), seconds.
    pub clock_duration: u64,
    /// When it was made.
    pub clock_timestamp: u64,
    /// How many claims counter it.
    pub child_count: u32,
    /// Who stepped against it (max-depth claims only).
    pub countered_by: Option<Address>,
    /// `None` while its subgame is unresolved, else whether it was countered.
    pub resolved: Option<bool>,
    /// Block of its `Move` event.
    pub block_number: u64,
}

impl ClaimView {
    /// The digest the game stores for it (the `disputed` argument of a move against it).
    pub fn digest(&self) -> B256 {
        claim_digest(self.claim, self.claimant)
    }

    /// Its depth in the game tree.
    pub fn depth(&self) -> u32 {
        127 - self.position.leading_zeros()
    }
}

/// A whole game.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameView {
    /// The game's address.
    pub address: Address,
    /// Its game type.
    pub game_type: u32,
    /// Its status.
    pub status: GameStatus,
    /// Who created it.
    pub creator: Address,
    /// The root claim.
    pub root_claim: B256,
    /// The state before the first step.
    pub absolute_prestate: B256,
    /// The anchor root it started from.
    pub starting_root: B256,
    /// The L2 sequence number it is about.
    pub l2_sequence_number: U256,
    /// The VM input of its extra data.
    pub input: B256,
    /// Creation timestamp.
    pub created_at: u64,
    /// Resolution timestamp (0 while in progress).
    pub resolved_at: u64,
    /// Depth of the leaves.
    pub max_depth: u64,
    /// Split depth.
    pub split_depth: u64,
    /// Each side's clock, seconds.
    pub max_clock_duration: u64,
    /// Clock extension, seconds.
    pub clock_extension: u64,
    /// Withdrawal delay, seconds.
    pub withdrawal_delay: u64,
    /// Root bond, wei.
    pub base_bond: U256,
    /// Bond increment per depth, wei.
    pub bond_increment: U256,
    /// Every claim, by index.
    pub claims: Vec<ClaimView>,
}

impl GameView {
    /// The bond a claim at `depth` pays in this game.
    pub fn bond_at_depth(&self, depth: u64) -> U256 {
        self.base_bond + U256::from(depth) * self.bond_increment
    }

    /// The indices of the claims countering claim `index`, in increasing order.
    pub fn children_of(&self, index: usize) -> Vec<usize> {
        self.claims
            .iter()
            .filter(|c| c.parent_index == Some(index))
            .map(|c| c.index)
            .collect()
    }
}

/// [`read_game_from`] scanning logs from block 0 (fine in process and on short chains; give
/// the creation block on long ones).
pub async fn read_game(l1: &impl L1, game: Address) -> Result<GameView, ChainError> {
    read_game_from(l1, game, 0).await
}

/// Reads `game`, taking its `Move` events from `from_block` on (the game's creation block, as
/// the factory's `DisputeGameCreated` event gives it, or earlier).
pub async fn read_game_from(
    l1: &impl L1,
    game: Address,
    from_block: u64,
) -> Result<GameView, ChainError> {
    let status = view(l1, game, FaultDisputeGame::statusCall {}).await?;
    let count = view(l1, game, FaultDisputeGame::claimCountCall {}).await?;
    let mut out = GameView {
        address: game,
        game_type: view(l1, game, FaultDisputeGame::gameTypeCall {}).await?,
        status: GameStatus::from_u8(status).ok_or_else(|| ChainError::Decode {
            what: format!("status of game {game}"),
            message: format!("unknown status {status}"),
        })?,
        creator: view(l1, game, FaultDisputeGame::gameCreatorCall {}).await?,
        root_claim: view(l1, game, FaultDisputeGame::rootClaimCall {}).await?,
        absolute_prestate: view(l1, game, FaultDisputeGame::absolutePrestateCall {}).await?,
        starting_root: view(l1, game, FaultDisputeGame::startingRootCall {}).await?,
        l2_sequence_number: view(l1, game, FaultDisputeGame::l2SequenceNumberCall {}).await?,
        input: view(l1, game, FaultDisputeGame::inputCall {}).await?,
        created_at: view(l1, game, FaultDisputeGame::createdAtCall {}).await?,
        resolved_at: view(l1, game, FaultDisputeGame::resolvedAtCall {}).await?,
        max_depth: to_u64(
            view(l1, game, FaultDisputeGame::maxGameDepthCall {}).await?,
            "maxGameDepth",
        )?,
        split_depth: to_u64(
            view(l1, game, FaultDisputeGame::splitDepthCall {}).await?,
            "splitDepth",
        )?,
        max_clock_duration: view(l1, game, FaultDisputeGame::maxClockDurationCall {}).await?,
        clock_extension: view(l1, game, FaultDisputeGame::clockExtensionCall {}).await?,
        withdrawal_delay: view(l1, game, FaultDisputeGame::withdrawalDelayCall {}).await?,
        base_bond: view(l1, game, FaultDisputeGame::baseBondCall {}).await?,
        bond_increment: view(l1, game, FaultDisputeGame::bondIncrementCall {}).await?,
        claims: Vec::new(),
    };
    let count = usize::try_from(count)
        .map_err(|_| bad(game, format!("claimCount {count} does not fit usize")))?;

    let logs = l1
        .logs(LogFilter {
            addresses: vec![game],
            topic0: Some(FaultDisputeGame::Move::SIGNATURE_HASH),
            from_block,
            to_block: None,
        })
        .await?;
    let mut claims: Vec<Option<ClaimView>> = vec![None; count];
    for log in &logs {
        let mv = decode_event::<FaultDisputeGame::Move>(log)?;
        let index = usize::try_from(mv.claimIndex)
            .ok()
            .filter(|i| *i < count)
            .ok_or_else(|| {
                bad(
                    game,
                    format!(
                        "Move event for claim {} but claimCount is {count}",
                        mv.claimIndex
                    ),
                )
            })?;
        let parent_index = if mv.parentIndex == U256::from(NO_PARENT) {
            None
        } else {
            Some(
                usize::try_from(mv.parentIndex)
                    .ok()
                    .filter(|p| *p < index)
                    .ok_or_else(|| {
                        bad(game, format!("claim {index} has parent {}", mv.parentIndex))
                    })?,
            )
        };
        if claims[index].is_some() {
            return Err(bad(game, format!("two Move events for claim {index}")));
        }
        claims[index] = Some(ClaimView {
            index,
            parent_index,
            claimant: mv.claimant,
            claim: mv.claim,
            position: mv.position,
            clock_duration: mv.clockDuration,
            clock_timestamp: mv.clockTimestamp,
            child_count: 0,
            countered_by: None,
            resolved: None,
            block_number: log.block_number,
        });
    }
    for (index, slot) in claims.into_iter().enumerate() {
        let mut claim = slot.ok_or_else(|| {
            bad(
                game,
                format!(
                    "no Move event for claim {index} from block {from_block} (claimCount {count})"
                ),
            )
        })?;
        let i = U256::from(index);
        let meta = view(l1, game, FaultDisputeGame::claimMetaCall { _index: i }).await?;
        if meta.position != claim.position {
            return Err(bad(
                game,
                format!(
                    "claim {index}: event position {} but stored {}",
                    claim.position, meta.position
                ),
            ));
        }
        claim.child_count = meta.childCount;
        let stepper = view(l1, game, FaultDisputeGame::counteredByCall(i)).await?;
        claim.countered_by = (stepper != Address::ZERO).then_some(stepper);
        let result = view(l1, game, FaultDisputeGame::subgameResultCall { _index: i }).await?;
        claim.resolved = result.resolved_.then_some(result.countered_);
        out.claims.push(claim);
    }
    Ok(out)
}

fn bad(game: Address, message: String) -> ChainError {
    ChainError::Unexpected {
        what: "read_game",
        message: format!("game {game}: {message}"),
    }
}

fn to_u64(v: U256, what: &str) -> Result<u64, ChainError> {
    u64::try_from(v).map_err(|_| ChainError::Decode {
        what: what.into(),
        message: format!("{v} does not fit u64"),
    })
}
