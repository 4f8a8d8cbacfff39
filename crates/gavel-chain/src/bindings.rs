//! Contract bindings generated from the committed artifacts (`contracts/artifacts/*.json`:
//! ABI, creation and runtime bytecode). Rebuilt whenever an artifact changes.
//!
//! Each module has the call types (`moveCall`, ...), events (`Move`, ...), errors and the
//! `…Errors` / `…Events` enums, plus `BYTECODE` for the deployable contracts.

#![allow(missing_docs, clippy::too_many_arguments)]

use alloy::sol;

sol!(
    #[derive(Debug, PartialEq, Eq)]
    FaultDisputeGame,
    "../../contracts/artifacts/FaultDisputeGame.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    DisputeGameFactory,
    "../../contracts/artifacts/DisputeGameFactory.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    AnchorStateRegistry,
    "../../contracts/artifacts/AnchorStateRegistry.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    ToyStepVerifier,
    "../../contracts/artifacts/ToyStepVerifier.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    EvmStepVerifier,
    "../../contracts/artifacts/EvmStepVerifier.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    OpcodeStepVerifier,
    "../../contracts/artifacts/OpcodeStepVerifier.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    StorageStepVerifier,
    "../../contracts/artifacts/StorageStepVerifier.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    BlockStepVerifier,
    "../../contracts/artifacts/BlockStepVerifier.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    TxStartStepVerifier,
    "../../contracts/artifacts/TxStartStepVerifier.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    TxEndStepVerifier,
    "../../contracts/artifacts/TxEndStepVerifier.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    AccessListStepVerifier,
    "../../contracts/artifacts/AccessListStepVerifier.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    BatchInbox,
    "../../contracts/artifacts/BatchInbox.json"
);

sol!(
    #[derive(Debug, PartialEq, Eq)]
    EvmFaultDisputeGame,
    "../../contracts/artifacts/EvmFaultDisputeGame.json"
);
