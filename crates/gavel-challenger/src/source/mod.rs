//! The seam between the bot and whatever knows the honest L2 execution: an [`HonestSource`]
//! turns a game (its type, root claim, VM input, starting anchor) into the honest
//! [`TraceProvider`](gavel_game::TraceProvider) for it, or says the game is not one it can judge.
//!
//! The bot never computes a trace itself. For the toy VM ([`ToySource`]) the honest trace
//! follows from configuration; for EVM games the source is the inbox-replay sync (the batch
//! named by the game's input is read from the L1 inbox, executed from the anchor state, and
//! its trace served by `gavel-trace`). Such a source implements this trait and is handed to
//! [`crate::Challenger::new`] next to (or instead of) the toy one; nothing else in the bot
//! changes.

pub mod evm;

use alloy_primitives::{Address, B256, U256};
use gavel_chain::GameView;
use gavel_game::{SharedTrace, ToyTrace, TraceError};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed `Send` future, so [`HonestSource`] stays object-safe (the bot holds a list of
/// `Arc<dyn HonestSource>`, one per game type).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a source is told about a game: everything fixed at its creation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GameSpec {
    /// The game contract.
    pub address: Address,
    /// Its game type (selects the VM).
    pub game_type: u32,
    /// The proposer's root claim (the source does not need it to build the trace; it is here
    /// for logs and for sources that index by proposal).
    pub root_claim: B256,
    /// The L2 sequence number (batch number) the game is about.
    pub l2_sequence_number: U256,
    /// The VM input of the game's `extraData` (toy: `bytes32(traceLength)`; EVM: the batch
    /// commitment).
    pub input: B256,
    /// The anchor root the game starts from.
    pub starting_root: B256,
    /// The game's absolute prestate (`VERIFIER.absolutePrestate(startingRoot, input)`): the
    /// trace the source returns must start there.
    pub absolute_prestate: B256,
    /// Depth of the leaves.
    pub max_depth: u32,
    /// Depth of the transition boundaries.
    pub split_depth: u32,
}

impl GameSpec {
    /// The spec of a game read from the chain (`None` when its depths do not fit `u32`,
    /// which the replay rejects anyway).
    pub fn of(view: &GameView) -> Option<GameSpec> {
        Some(GameSpec {
            address: view.address,
            game_type: view.game_type,
            root_claim: view.root_claim,
            l2_sequence_number: view.l2_sequence_number,
            input: view.input,
            starting_root: view.starting_root,
            absolute_prestate: view.absolute_prestate,
            max_depth: u32::try_from(view.max_depth).ok()?,
            split_depth: u32::try_from(view.split_depth).ok()?,
        })
    }
}

/// A source's answer for one game.
#[derive(Clone)]
pub enum Verdict {
    /// The honest trace of the game.
    Ours(SharedTrace),
    /// The source cannot judge this game and never will (wrong VM, an input that names no
    /// batch, a trace longer than the tree); the bot stops asking and records why.
    NotOurs(String),
    /// Not yet: the data the trace needs is not available (the inbox sync is behind); the bot
    /// asks again at its next poll.
    NotYet(String),
}

impl std::fmt::Debug for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Ours(_) => f.write_str("Ours(..)"),
            Verdict::NotOurs(r) => write!(f, "NotOurs({r:?})"),
            Verdict::NotYet(r) => write!(f, "NotYet({r:?})"),
        }
    }
}

/// Why a source failed (as opposed to answering [`Verdict::NotOurs`]): retried later.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The trace could not be built.
    #[error("trace: {0}")]
    Trace(#[from] TraceError),
    /// The source's backend (executor, inbox sync, cache) failed.
    #[error("backend: {0}")]
    Backend(String),
}

/// Knows the honest execution for some game types.
///
/// Implementations must be cheap to ask repeatedly for the same game (the bot asks once per
/// game and keeps the trace in memory, but asks again after a restart), and the returned
/// trace's methods are called from a blocking thread, so they may compute (a slow trace
/// should precompute in `honest_trace`, which is async, and cache under its own directory).
pub trait HonestSource: Send + Sync {
    /// A short name for logs and metrics (`"toy"`, `"evm"`).
    fn name(&self) -> &str;

    /// Whether games of `game_type` are this source's to judge.
    fn handles(&self, game_type: u32) -> bool;

    /// The honest trace of `game`, or why there is none.
    fn honest_trace<'a>(
        &'a self,
        game: &'a GameSpec,
    ) -> BoxFuture<'a, Result<Verdict, SourceError>>;
}

/// The toy VM's honest side (docs/protocol.md §10): the honest trace of a toy game is
/// `ToyTrace::new(startingRoot, traceLength, maxDepth)`.
///
/// The toy VM has no batches: the trace length plays the batch. With `trace_length` set, the
/// operator states the honest length, and a game whose input names another length is not
/// ours (a real VM's input is checked against the inbox instead). Unset, the game's input is
/// taken as the truth and only the final state is disputed.
#[derive(Clone, Debug)]
pub struct ToySource {
    /// The game type of the toy VM.
    pub game_type: u32,
    /// The honest trace length, if the operator fixes it.
    pub trace_length: Option<u64>,
}

impl ToySource {
    /// A toy source for [`gavel_chain::TOY_GAME_TYPE`].
    pub fn new(trace_length: Option<u64>) -> Self {
        ToySource {
            game_type: gavel_chain::TOY_GAME_TYPE,
            trace_length,
        }
    }

    /// The decision, synchronously (the toy trace is cheap to build).
    pub fn verdict(&self, game: &GameSpec) -> Result<Verdict, SourceError> {
        let Ok(length) = u64::try_from(U256::from_be_bytes(game.input.0)) else {
            return Ok(Verdict::NotOurs(format!(
                "toy input {} is not a 64-bit trace length",
                game.input
            )));
        };
        if let Some(honest) = self.trace_length
            && honest != length
        {
            return Ok(Verdict::NotOurs(format!(
                "game input says trace length {length}, the honest toy chain has {honest}"
            )));
        }
        match ToyTrace::new(game.starting_root, length, game.max_depth) {
            Ok(trace) => Ok(Verdict::Ours(Arc::new(trace))),
            // A length no tree of this depth can hold in memory is not judgeable.
            Err(TraceError::TooLong(n)) => Ok(Verdict::NotOurs(format!(
                "toy trace of {n} states is too long to compute"
            ))),
            Err(e) => Err(e.into()),
        }
    }
}

impl HonestSource for ToySource {
    fn name(&self) -> &str {
        "toy"
    }

    fn handles(&self, game_type: u32) -> bool {
        game_type == self.game_type
    }

    fn honest_trace<'a>(
        &'a self,
        game: &'a GameSpec,
    ) -> BoxFuture<'a, Result<Verdict, SourceError>> {
        Box::pin(async move { self.verdict(game) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gavel_game::toy::{toy_input, toy_prestate};
    use gavel_game::{TraceProvider, honest_root};

    fn spec(length: u64) -> GameSpec {
        let root = B256::repeat_byte(0x42);
        GameSpec {
            address: Address::ZERO,
            game_type: gavel_chain::TOY_GAME_TYPE,
            root_claim: B256::ZERO,
            l2_sequence_number: U256::from(1),
            input: toy_input(length),
            starting_root: root,
            absolute_prestate: toy_prestate(root, length),
            max_depth: 6,
            split_depth: 3,
        }
    }

    #[test]
    fn toy_source_builds_the_honest_trace() {
        let Ok(Verdict::Ours(trace)) = ToySource::new(None).verdict(&spec(40)) else {
            panic!("toy game is ours");
        };
        let expected = ToyTrace::new(B256::repeat_byte(0x42), 40, 6).unwrap();
        assert_eq!(trace.absolute_prestate(), spec(40).absolute_prestate);
        assert_eq!(honest_root(&*trace, 6), honest_root(&expected, 6));
    }

    #[test]
    fn toy_source_refuses_other_lengths_and_types() {
        let source = ToySource::new(Some(40));
        assert!(matches!(source.verdict(&spec(41)), Ok(Verdict::NotOurs(_))));
        assert!(matches!(source.verdict(&spec(40)), Ok(Verdict::Ours(_))));
        assert!(!source.handles(0));
        let mut huge = spec(1);
        huge.input = B256::repeat_byte(0xff);
        assert!(matches!(source.verdict(&huge), Ok(Verdict::NotOurs(_))));
    }
}
