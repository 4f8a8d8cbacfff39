// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

// Errors of the step verifiers (docs/spec.md §16). The proof errors the commitment libraries
// raise (`Truncated`, `TrailingBytes`, `RootMismatch`, `StackUnderflow`, ...) are declared once in
// `../commit/CommitErrors.sol` and reused by name: a step witness is one more proof.

/// @notice A record opened from the witness does not hash to the word that names it (the
///         pre-state, or a field of an already opened record).
error RecordMismatch();

/// @notice A witness part that this step does not need is not empty.
error UnexpectedPart();

/// @notice The opcode is defined at Osaka but not provable yet (hashing, copies, storage, logs,
///         calls, other accounts). It is never proven as something else, e.g. as an undefined
///         byte.
/// @param opcode The opcode byte.
error UnsupportedOpcode(uint8 opcode);

/// @notice The step is well formed but outside what the verifiers prove yet (a nested frame, a
///         non-running state handed to the opcode verifier, the absolute prestate, ...).
/// @param reason Short ASCII reason, left-aligned.
error UnsupportedStep(bytes32 reason);

/// @notice `witness[0]` is neither `0x00` (step state) nor `0x01` (boundary).
/// @param kind The byte.
error UnknownWitnessKind(uint8 kind);

/// @notice A boundary witness names a step kind other than 0..4 (spec §16.1).
/// @param kind The kind byte.
error UnknownBoundaryKind(uint8 kind);

/// @notice A stutter step (boundary kind 0) at the first leaf of a transition, where a boundary
///         must move on instead of repeating (spec §15.3).
error StutterAtTransitionStart();

/// @notice A sub-verifier returned something other than one word (no code at its address).
/// @param verifier The sub-verifier.
error BadSubVerifier(address verifier);
