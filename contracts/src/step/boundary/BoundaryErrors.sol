// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

// Errors of the block and transaction boundary steps (docs/spec.md §17). Proof errors
// (`Truncated`, `TrailingBytes`, `RootMismatch`, ...) come from contracts/src/commit/CommitErrors.sol.

/// @notice A record opened from the witness does not hash to the word that names it.
error RecordMismatch();

/// @notice `witness[0]` or the boundary step kind is not one this verifier handles.
error WrongStepKind();

/// @notice The step kind is not allowed at this trace offset (kinds 1..4 need offset 0).
error WrongOffset();

/// @notice The pre-state's phase or indices do not allow this step (spec §16.1's table).
error WrongPhase();

/// @notice The transaction bytes are not a canonical EIP-2718 encoding of a supported type
///         (legacy with EIP-155, EIP-2930, EIP-1559).
error MalformedTx();

/// @notice The signature has `s > secp256k1n / 2`, a bad `v` / y-parity, or recovers no key.
error BadSignature();

/// @notice The transaction's chain id is not the pinned one.
error WrongChainId();

/// @notice The transaction creates a contract or calls a precompile (refused, spec §15.4).
error UnsupportedTx();

/// @notice A balance would reach 2^128 (deviation D2).
error BalanceOverflow();

/// @notice The anchor boundary is not between blocks or was never registered.
error BadAnchor();

/// @notice The step state is not the one this step class expects (micro, frame, cursor).
error UnsupportedStep();

/// @notice An access-list item is not `0x01 ‖ address ‖ 0` or `0x02 ‖ address ‖ key`, or its
///         presence flag is not 0 or 1.
error MalformedAccessItem();
