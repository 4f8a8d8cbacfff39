//! The L1 side of gavel.
//!
//! * [`L1`] / [`TimeControl`]: one interface, two backends — [`InProcessL1`] (revm, time under
//!   test control, thousands of transactions per second) and [`RpcL1`] (a real node over
//!   JSON-RPC with local signing keys).
//! * [`bindings`](FaultDisputeGame): `sol!` types generated from `contracts/artifacts`.
//! * [`deploy_toy_system`] and [`Deployment`]: deploy the dispute system, save where it is.
//! * [`deploy_evm_system`], [`evm`], [`inbox`]: the EVM game type over posted batches — one-call
//!   deployment, batch posting, game creation, the EVM trace provider.
//! * [`game`]: typed wrappers for every game action, game creation and [`game::read_game`].
//! * [`decode_revert`]: names a revert (gavel custom errors, `Error(string)`, `Panic`).

mod bindings;
mod calls;
mod deploy;
mod error;
pub mod evm;
pub mod game;
pub mod inbox;
mod inprocess;
mod json_fields;
mod l1;
mod retry;
mod revert;
mod rpc;
mod rpc_error;
mod step_verifier;
mod types;

pub use bindings::{
    AccessListStepVerifier, AnchorStateRegistry, BatchInbox, BlockStepVerifier, DisputeGameFactory,
    EvmFaultDisputeGame, EvmStepVerifier, FaultDisputeGame, OpcodeStepVerifier, ToyStepVerifier,
    TxEndStepVerifier, TxStartStepVerifier,
};
pub use calls::{deploy, send_call, view};
pub use deploy::{
    DEPLOYMENT_FORMAT, Deployment, GameParams, GameTypeDeployment, OLDEST_DEPLOYMENT_FORMAT,
    TOY_GAME_TYPE, ToyDeployParams, add_game_type, deploy_core, deploy_toy_system,
};
pub use error::ChainError;
pub use evm::{
    DishonestEvmTrace, EVM_GAME_TYPE, EvmDeployParams, EvmTrace, GenesisAnchor,
    InProcessStepVerifier, L2Deployment, create_evm_game, deploy_evm_system, register_anchor,
};
pub use game::{ChildRef, ClaimRef, ClaimView, GameStatus, GameView, claim_digest};
pub use inbox::{PostedBatch, decode_batch, encode_batch, post_batch};
pub use inprocess::{InProcessConfig, InProcessL1, dev_address};
pub use l1::{L1, TimeControl};
pub use retry::{RetryPolicy, retry};
pub use revert::{decode_revert, describe_revert};
pub use rpc::{RpcL1, RpcOptions};
pub use step_verifier::{
    EvmVerifierAddresses, EvmVerifierParams, StepOutcome, deploy_evm_verifier,
    describe_step_revert, run_step,
};
pub use types::{LogEntry, LogFilter, TxReceipt, TxRequest};
