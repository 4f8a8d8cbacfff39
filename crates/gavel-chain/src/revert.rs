//! Names for revert data: gavel's custom errors, `Error(string)`, `Panic(uint256)`.

use crate::bindings::{AnchorStateRegistry, DisputeGameFactory, FaultDisputeGame, ToyStepVerifier};
use alloy::sol_types::{Panic, Revert, SolError, SolInterface};
use std::fmt::Debug;

/// The name of the error in `data`: the bare custom error name for a gavel contract error
/// (`"ClockTimeExceeded"`, the same string as `gavel_game`'s `solidity_name()`),
/// a step verifier's, the inbox's or the EVM game's error name, `Error("reason")`, `Panic(0x11)`, `"empty revert data"`, or `"unknown error 0x…"` with the
/// selector for anything else.
pub fn decode_revert(data: &[u8]) -> String {
    if let Some(sel) = selector(data) {
        let known = FaultDisputeGame::FaultDisputeGameErrors::name_by_selector(sel)
            .or_else(|| DisputeGameFactory::DisputeGameFactoryErrors::name_by_selector(sel))
            .or_else(|| AnchorStateRegistry::AnchorStateRegistryErrors::name_by_selector(sel))
            .or_else(|| ToyStepVerifier::ToyStepVerifierErrors::name_by_selector(sel))
            .or_else(|| crate::evm::step_error_name(sel));
        if let Some(name) = known {
            return name.to_owned();
        }
    }
    describe_standard(data)
}

/// Like [`decode_revert`] but with the error's arguments, for messages and logs
/// (e.g. `BadExtraData(BadExtraData { length: 32 })`).
pub fn describe_revert(data: &[u8]) -> String {
    with_args::<FaultDisputeGame::FaultDisputeGameErrors>(data)
        .or_else(|| with_args::<DisputeGameFactory::DisputeGameFactoryErrors>(data))
        .or_else(|| with_args::<AnchorStateRegistry::AnchorStateRegistryErrors>(data))
        .or_else(|| with_args::<ToyStepVerifier::ToyStepVerifierErrors>(data))
        .or_else(|| with_args::<crate::bindings::BatchInbox::BatchInboxErrors>(data))
        .or_else(|| {
            with_args::<crate::bindings::EvmFaultDisputeGame::EvmFaultDisputeGameErrors>(data)
        })
        .or_else(|| {
            selector(data)
                .and_then(crate::evm::step_error_name)
                .map(|_| crate::describe_step_revert(data))
        })
        .unwrap_or_else(|| describe_standard(data))
}

fn selector(data: &[u8]) -> Option<[u8; 4]> {
    data.get(..4).and_then(|s| s.try_into().ok())
}

fn with_args<E: SolInterface + Debug>(data: &[u8]) -> Option<String> {
    E::abi_decode(data).ok().map(|e| format!("{e:?}"))
}

fn describe_standard(data: &[u8]) -> String {
    if data.is_empty() {
        return "empty revert data".into();
    }
    if let Ok(r) = Revert::abi_decode(data) {
        return format!("Error({:?})", r.reason);
    }
    if let Ok(p) = Panic::abi_decode(data) {
        return format!("Panic({:#x})", p.code);
    }
    match selector(data) {
        Some(sel) => format!(
            "unknown error 0x{} ({} bytes)",
            alloy::hex::encode(sel),
            data.len()
        ),
        None => format!("malformed revert data 0x{}", alloy::hex::encode(data)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_custom_errors_of_every_contract() {
        let game = FaultDisputeGame::ClockTimeExceeded {}.abi_encode();
        assert_eq!(decode_revert(&game), "ClockTimeExceeded");
        let factory = DisputeGameFactory::NoImplementation { gameType: 7 }.abi_encode();
        assert_eq!(decode_revert(&factory), "NoImplementation");
        assert!(
            describe_revert(&factory).contains("gameType: 7"),
            "{}",
            describe_revert(&factory)
        );
        let registry = AnchorStateRegistry::NotOwner {}.abi_encode();
        assert_eq!(decode_revert(&registry), "NotOwner");
        let verifier = ToyStepVerifier::InvalidWitness {}.abi_encode();
        assert_eq!(decode_revert(&verifier), "InvalidWitness");
    }

    #[test]
    fn names_standard_and_unknown_reverts() {
        let msg = Revert::from("nope").abi_encode();
        assert_eq!(decode_revert(&msg), "Error(\"nope\")");
        let panic = Panic {
            code: alloy::primitives::U256::from(0x11),
        }
        .abi_encode();
        assert_eq!(decode_revert(&panic), "Panic(0x11)");
        assert_eq!(decode_revert(&[]), "empty revert data");
        assert_eq!(
            decode_revert(&[0xde, 0xad, 0xbe, 0xef]),
            "unknown error 0xdeadbeef (4 bytes)"
        );
        assert_eq!(decode_revert(&[0xde]), "malformed revert data 0xde");
    }
}
