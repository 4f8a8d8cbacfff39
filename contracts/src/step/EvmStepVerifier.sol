// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IStepVerifier } from "../dispute/interfaces/IStepVerifier.sol";
import { TrailingBytes, Truncated } from "../commit/CommitErrors.sol";
import { LibCommitHash } from "../commit/LibCommitHash.sol";
import { LibStepWitness } from "./LibStepWitness.sol";
import {
    BadSubVerifier,
    RecordMismatch,
    StutterAtTransitionStart,
    UnknownBoundaryKind,
    UnknownWitnessKind
} from "./StepErrors.sol";

/// @title EvmStepVerifier
/// @notice The step verifier of the EVM layout (docs/spec.md §16.1): opens nothing itself but
///         the byte that says what the pre-state is, proves stutter steps, and forwards every
///         other step to the sub-verifier of its class.
/// @dev Routing: `witness[0] = 0x00` (a StepState): `micro = 0` → opcode step, `micro =
///      HALTED(s)` → transaction end, any other `micro` → access-list warm-up. `witness[0] =
///      0x01` (a Boundary) with `kind = witness[1]`: 0 stutter (here), 1 block start, 3 block
///      end, 4 past the batch (block-step verifier), 2 transaction start. `micro` is read at its
///      fixed offset without checking the StepState hash: the sub-verifier checks it, and a
///      wrong route can only reach a verifier that rejects the witness.
///
///      Sub-verifiers have `step`'s exact signature, so the call data is forwarded verbatim
///      (no re-encoding of the witness) and their revert data is bubbled up unchanged.
contract EvmStepVerifier is IStepVerifier {
    /// @notice `B = MAX_DEPTH − SPLIT_DEPTH`: a transition owns `2^B` leaves (24 for the EVM).
    uint256 public immutable BOTTOM_DEPTH;
    /// @notice Opcode steps (StepState with `micro = 0`).
    address public immutable OPCODE;
    /// @notice Block start, block end, past the batch (boundary kinds 1, 3, 4).
    address public immutable BLOCK_STEP;
    /// @notice Transaction start (boundary kind 2).
    address public immutable TX_START;
    /// @notice Access-list warm-ups (StepState with `micro` an access-list head).
    address public immutable ACCESS_LIST;
    /// @notice Transaction end (StepState with `micro = HALTED(s)`).
    address public immutable TX_END;

    /// @param _bottomDepth `B` (24 for the EVM layout).
    /// @param _opcode The opcode-step verifier.
    /// @param _blockStep The block-start / block-end / past-batch verifier.
    /// @param _txStart The transaction-start verifier.
    /// @param _accessList The access-list warm-up verifier.
    /// @param _txEnd The transaction-end verifier.
    constructor(
        uint256 _bottomDepth,
        address _opcode,
        address _blockStep,
        address _txStart,
        address _accessList,
        address _txEnd
    ) {
        BOTTOM_DEPTH = _bottomDepth;
        OPCODE = _opcode;
        BLOCK_STEP = _blockStep;
        TX_START = _txStart;
        ACCESS_LIST = _accessList;
        TX_END = _txEnd;
    }

    /// @inheritdoc IStepVerifier
    /// @dev Forwards to the block-step verifier (spec §17.7): the boundary before the batch
    ///      `_input` from the registered anchor boundary `_startingRoot`. Reverts `BadAnchor`
    ///      (bubbled unchanged) for an anchor whose preimage was never registered with
    ///      `BlockStepVerifier.registerAnchor`.
    function absolutePrestate(bytes32, bytes32) external view returns (bytes32) {
        return _forward(BLOCK_STEP);
    }

    /// @inheritdoc IStepVerifier
    function step(bytes32 _preState, uint256 _traceIndex, bytes calldata _witness) external view returns (bytes32) {
        if (_witness.length == 0) revert Truncated();
        uint8 kind = uint8(_witness[0]);
        address target;
        if (kind == 0x00) {
            if (_witness.length < 1 + LibStepWitness.STEP_LEN) revert Truncated();
            bytes32 micro = bytes32(_witness[LibStepWitness.MICRO_OFFSET:LibStepWitness.MICRO_OFFSET + 32]);
            if (micro == 0) {
                target = OPCODE;
            } else if (
                micro == LibStepWitness.HALTED_SUCCESS || micro == LibStepWitness.HALTED_REVERT
                    || micro == LibStepWitness.HALTED_EXCEPTION
            ) {
                target = TX_END;
            } else {
                target = ACCESS_LIST;
            }
        } else if (kind == 0x01) {
            if (_witness.length < 2 + LibStepWitness.BOUNDARY_LEN) revert Truncated();
            uint8 boundaryKind = uint8(_witness[1]);
            if (boundaryKind == 0) return _stutter(_preState, _traceIndex, _witness);
            if (boundaryKind == 2) target = TX_START;
            else if (boundaryKind == 1 || boundaryKind == 3 || boundaryKind == 4) target = BLOCK_STEP;
            else revert UnknownBoundaryKind(boundaryKind);
        } else {
            revert UnknownWitnessKind(kind);
        }
        return _forward(target);
    }

    /// @dev Kind 0: a boundary at a leaf past its transition's last step repeats itself.
    function _stutter(bytes32 _pre, uint256 _traceIndex, bytes calldata _w) private view returns (bytes32) {
        if (_w.length != 2 + LibStepWitness.BOUNDARY_LEN) revert TrailingBytes();
        if (LibStepWitness.hashRecord(LibCommitHash.BOUNDARY, _w[2:]) != _pre) revert RecordMismatch();
        if (_traceIndex & ((1 << BOTTOM_DEPTH) - 1) == 0) revert StutterAtTransitionStart();
        return _pre;
    }

    /// @dev Calls `_target` with this call's own call data and returns its word or its revert.
    function _forward(address _target) private view returns (bytes32 post_) {
        bool ok;
        uint256 size;
        assembly ("memory-safe") {
            let m := mload(0x40)
            calldatacopy(m, 0, calldatasize())
            ok := staticcall(gas(), _target, m, calldatasize(), 0, 0)
            size := returndatasize()
            if iszero(ok) {
                returndatacopy(m, 0, size)
                revert(m, size)
            }
            if eq(size, 0x20) {
                returndatacopy(0, 0, 0x20)
                post_ := mload(0)
            }
        }
        if (size != 0x20) revert BadSubVerifier(_target);
    }
}
