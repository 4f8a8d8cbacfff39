// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { TrailingBytes } from "../../commit/CommitErrors.sol";
import { LibRecords } from "../../commit/LibRecords.sol";
import { BadAnchor, WrongPhase, WrongStepKind } from "./BoundaryErrors.sol";
import { LibStepIO } from "./LibStepIO.sol";

/// @title BlockStepVerifier
/// @notice The block start (kind 1), block end (kind 3) and past-the-batch (kind 4) steps of
///         docs/spec.md §17.1, §17.5, §17.6, and the batch's absolute prestate (§17.7).
/// @dev Witness: `0x01 ‖ kind ‖ Boundary(192) ‖ rest`; `rest` is the block opening
///      (LibStepIO.blockAt) for kinds 1 and 3 and `blockCount(4) ‖ blocksRoot(32)` for kind 4.
contract BlockStepVerifier {
    /// @notice Hash of the chain configuration every BlockEnv carries (spec §9.8).
    bytes32 public immutable CHAIN_CONFIG;
    /// @notice `B`: a transition spans `2^B` leaves (24 for the EVM layout, spec §15.3).
    uint256 public immutable BOTTOM_DEPTH;

    /// @notice What the absolute prestate takes from an anchor boundary.
    struct Anchor {
        bytes32 worldRoot;
        bytes32 lastBlockHash;
    }

    /// @notice Registered anchor boundaries by hash (a preimage cache; anyone may fill it).
    mapping(bytes32 => Anchor) public anchors;

    /// @notice Emitted when an anchor boundary's preimage is registered.
    event AnchorRegistered(bytes32 indexed anchor, bytes32 worldRoot, bytes32 lastBlockHash);

    /// @param _chainConfig The chain-configuration hash.
    /// @param _bottomDepth `B` (24).
    constructor(bytes32 _chainConfig, uint256 _bottomDepth) {
        CHAIN_CONFIG = _chainConfig;
        BOTTOM_DEPTH = _bottomDepth;
    }

    /// @notice Executes one block step.
    /// @param _pre The boundary before the step.
    /// @param _traceIndex The leaf of the post-state (must start a transition).
    /// @param _witness `0x01 ‖ kind ‖ Boundary preimage ‖ kind's part` (spec §17.6).
    /// @return post_ The boundary after the step.
    function step(bytes32 _pre, uint256 _traceIndex, bytes calldata _witness) external view returns (bytes32 post_) {
        if (_witness.length < 2 + LibStepIO.BOUNDARY_LEN || _witness[0] != 0x01) revert WrongStepKind();
        uint8 kind = uint8(_witness[1]);
        LibStepIO.requireFirst(_traceIndex, BOTTOM_DEPTH);
        LibRecords.Boundary memory b = LibStepIO.boundaryAt(_witness, 2, _pre);
        uint256 p = 2 + LibStepIO.BOUNDARY_LEN;
        if (kind == 4) {
            // Past the batch: the leaves after the last block end repeat the final boundary.
            if (LibStepIO.tagged(LibStepIO.BATCH, _witness, p, 36) != b.batch) revert WrongPhase();
            if (p + 36 != _witness.length) revert TrailingBytes();
            if (b.phase != LibRecords.PHASE_BETWEEN_BLOCKS || b.blockIndex != LibStepIO.uintAt(_witness, p, 4)) {
                revert WrongPhase();
            }
            return _pre;
        }
        if (kind != 1 && kind != 3) revert WrongStepKind();
        if (b.phase != (kind == 1 ? LibRecords.PHASE_BETWEEN_BLOCKS : LibRecords.PHASE_IN_BLOCK)) revert WrongPhase();
        (LibStepIO.BlockOpening memory o, uint256 next) = LibStepIO.blockAt(_witness, p, b, CHAIN_CONFIG);
        if (next != _witness.length) revert TrailingBytes();
        if (kind == 1) {
            b.blockEnv = o.envHash;
            b.phase = LibRecords.PHASE_IN_BLOCK;
        } else {
            if (b.txIndex != o.txCount) revert WrongPhase();
            b.lastBlockHash = LibStepIO.blockHash(b);
            b.blockEnv = 0;
            b.blockIndex += 1;
            b.phase = LibRecords.PHASE_BETWEEN_BLOCKS;
        }
        b.txIndex = 0;
        b.blockGasUsed = 0;
        b.receipts = 0;
        post_ = LibRecords.boundaryHash(b);
    }

    /// @notice Caches an anchor boundary's preimage so `absolutePrestate` can open it. The
    ///         anchor must lie between blocks with nothing in progress (`blockEnv`, `txIndex`,
    ///         `blockGasUsed`, `receipts` zero, phase 0), as every batch's final boundary does.
    /// @param _boundary The Boundary preimage (192 bytes, without the tag).
    /// @return anchor_ Its hash.
    function registerAnchor(bytes calldata _boundary) external returns (bytes32 anchor_) {
        if (_boundary.length != LibStepIO.BOUNDARY_LEN) revert BadAnchor();
        anchor_ = LibStepIO.tagged(0x14, _boundary, 0, LibStepIO.BOUNDARY_LEN);
        LibRecords.Boundary memory a = LibStepIO.boundaryAt(_boundary, 0, anchor_);
        _requireIdle(a);
        anchors[anchor_] = Anchor(a.worldRoot, a.lastBlockHash);
        emit AnchorRegistered(anchor_, a.worldRoot, a.lastBlockHash);
    }

    /// @notice The absolute prestate of a game over batch `_input` starting from the anchor
    ///         boundary `_startingRoot` (spec §17.7); the anchor must be registered.
    /// @param _startingRoot The anchor boundary's hash.
    /// @param _input The batch commitment (spec §13.3).
    /// @return prestate_ The boundary before the batch's first block.
    function absolutePrestate(bytes32 _startingRoot, bytes32 _input) external view returns (bytes32 prestate_) {
        Anchor memory a = anchors[_startingRoot];
        // A registered anchor has a non-zero boundary hash as key; an unset entry is all zero,
        // and an empty world with no block hash is not an anchor a chain can have.
        if (a.worldRoot == 0 && a.lastBlockHash == 0) revert BadAnchor();
        prestate_ = _prestate(a.worldRoot, a.lastBlockHash, _input);
    }

    /// @notice `absolutePrestate` from the anchor's preimage, without the registry.
    /// @param _anchor The anchor Boundary preimage (192 bytes).
    /// @param _input The batch commitment.
    /// @return prestate_ The boundary before the batch's first block.
    function prestateFrom(bytes calldata _anchor, bytes32 _input) external pure returns (bytes32 prestate_) {
        if (_anchor.length != LibStepIO.BOUNDARY_LEN) revert BadAnchor();
        bytes32 h = LibStepIO.tagged(0x14, _anchor, 0, LibStepIO.BOUNDARY_LEN);
        LibRecords.Boundary memory a = LibStepIO.boundaryAt(_anchor, 0, h);
        _requireIdle(a);
        prestate_ = _prestate(a.worldRoot, a.lastBlockHash, _input);
    }

    function _requireIdle(LibRecords.Boundary memory _a) private pure {
        if (
            _a.phase != LibRecords.PHASE_BETWEEN_BLOCKS || _a.blockEnv != 0 || _a.txIndex != 0 || _a.blockGasUsed != 0
                || _a.receipts != 0
        ) revert BadAnchor();
    }

    function _prestate(bytes32 _worldRoot, bytes32 _lastBlockHash, bytes32 _batch) private pure returns (bytes32) {
        LibRecords.Boundary memory b;
        b.worldRoot = _worldRoot;
        b.batch = _batch;
        b.lastBlockHash = _lastBlockHash;
        return LibRecords.boundaryHash(b);
    }
}
