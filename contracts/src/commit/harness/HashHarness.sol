// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibCommitHash } from "../LibCommitHash.sol";

/// @title HashHarness
/// @notice Test harness exposing LibCommitHash (tags, node hash, terminals, stack links, key
///         derivations) for the golden vectors in `fixtures/vectors/hash.json`. Not part of the
///         deployed system.
contract HashHarness {
    /// @notice Every domain tag, in the order NODE, STEM, SUBSTATE_LEAF, STACK, STEM_KEY,
    ///         SUBSTATE_KEY, LOG, STEP, CONTEXT, FRAME, TX, BOUNDARY, BLOCK, CHAIN_CONFIG,
    ///         SNAPSHOT, RECEIPT.
    /// @return tags_ The tag values.
    function tags() external pure returns (uint8[16] memory tags_) {
        tags_ = [
            LibCommitHash.NODE,
            LibCommitHash.STEM,
            LibCommitHash.SUBSTATE_LEAF,
            LibCommitHash.STACK,
            LibCommitHash.STEM_KEY,
            LibCommitHash.SUBSTATE_KEY,
            LibCommitHash.LOG,
            LibCommitHash.STEP,
            LibCommitHash.CONTEXT,
            LibCommitHash.FRAME,
            LibCommitHash.TX,
            LibCommitHash.BOUNDARY,
            LibCommitHash.BLOCK,
            LibCommitHash.CHAIN_CONFIG,
            LibCommitHash.SNAPSHOT,
            LibCommitHash.RECEIPT
        ];
    }

    /// @notice Plain keccak-256.
    /// @param _data The input.
    /// @return hash_ `keccak256(_data)`.
    function keccak(bytes calldata _data) external pure returns (bytes32 hash_) {
        hash_ = keccak256(_data);
    }

    /// @notice LibCommitHash.node.
    /// @param _left The left child.
    /// @param _right The right child.
    /// @return node_ The node hash (zero rule).
    function node(bytes32 _left, bytes32 _right) external pure returns (bytes32 node_) {
        node_ = LibCommitHash.node(_left, _right);
    }

    /// @notice LibCommitHash.terminal.
    /// @param _tag The terminal tag.
    /// @param _key The 31-byte key.
    /// @param _payload The payload.
    /// @return terminal_ The terminal hash.
    function terminal(uint8 _tag, bytes31 _key, bytes32 _payload) external pure returns (bytes32 terminal_) {
        terminal_ = LibCommitHash.terminal(_tag, _key, _payload);
    }
}
