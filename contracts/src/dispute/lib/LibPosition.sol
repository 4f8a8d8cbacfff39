// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Position } from "./Types.sol";

/// @title LibPosition
/// @notice Generalized-index arithmetic for the game tree (docs/protocol.md §2).
/// @dev A position is `2^depth + indexAtDepth`. Every function expects a non-zero position
///      (position 0 does not exist); `MAX_GAME_DEPTH <= 62` keeps every position below 2^63, so
///      `move` never overflows the 128-bit type.
///      Attached to `Position` with `using LibPosition for Position global` in Types.sol.
///      Uses the Osaka `CLZ` opcode (EIP-7939).
library LibPosition {
    /// @notice The root position.
    Position internal constant ROOT = Position.wrap(1);

    /// @notice Builds the position of node `_indexAtDepth` at depth `_depth`.
    /// @param _depth The depth of the node (0 for the root).
    /// @param _indexAtDepth The index of the node at that depth, `< 2^_depth`.
    /// @return position_ `2^_depth + _indexAtDepth`.
    function wrap(uint256 _depth, uint256 _indexAtDepth) internal pure returns (Position position_) {
        position_ = Position.wrap(uint128((uint256(1) << _depth) | _indexAtDepth));
    }

    /// @notice The raw generalized index.
    /// @param _position The position.
    /// @return raw_ The underlying `uint128`.
    function raw(Position _position) internal pure returns (uint128 raw_) {
        raw_ = Position.unwrap(_position);
    }

    /// @notice The depth of a position: the index of its highest set bit.
    /// @param _position The position (non-zero).
    /// @return depth_ The depth (0 for the root).
    function depth(Position _position) internal pure returns (uint256 depth_) {
        assembly ("memory-safe") {
            depth_ := sub(255, clz(and(_position, 0xffffffffffffffffffffffffffffffff)))
        }
    }

    /// @notice The index of a position among the nodes of its depth.
    /// @param _position The position (non-zero).
    /// @return index_ `_position - 2^depth(_position)`.
    function indexAtDepth(Position _position) internal pure returns (uint256 index_) {
        assembly ("memory-safe") {
            let p := and(_position, 0xffffffffffffffffffffffffffffffff)
            index_ := xor(p, shl(sub(255, clz(p)), 1))
        }
    }

    /// @notice The left child `2p`.
    /// @param _position The position.
    /// @return child_ The left child.
    function leftChild(Position _position) internal pure returns (Position child_) {
        child_ = Position.wrap(Position.unwrap(_position) << 1);
    }

    /// @notice The right child `2p + 1`.
    /// @param _position The position.
    /// @return child_ The right child.
    function rightChild(Position _position) internal pure returns (Position child_) {
        child_ = Position.wrap((Position.unwrap(_position) << 1) | 1);
    }

    /// @notice The parent `p / 2`.
    /// @param _position The position (not the root).
    /// @return parent_ The parent.
    function parent(Position _position) internal pure returns (Position parent_) {
        parent_ = Position.wrap(Position.unwrap(_position) >> 1);
    }

    /// @notice The position of a counter to the claim at `_position`:
    ///         `(p | (isAttack ? 0 : 1)) << 1`. An attack goes to the left child `2p`, a defend
    ///         to `2(p + 1)`, the left child of the right neighbour.
    /// @param _position The position of the countered claim.
    /// @param _isAttack Whether the counter disagrees with the claim (attack) or with its successor.
    /// @return move_ The position of the new claim.
    function move(Position _position, bool _isAttack) internal pure returns (Position move_) {
        assembly ("memory-safe") {
            move_ := shl(1, or(and(_position, 0xffffffffffffffffffffffffffffffff), iszero(_isAttack)))
        }
    }

    /// @notice The right-most leaf (at `_maxDepth`) under `_position`:
    ///         `((p + 1) << (maxDepth - depth(p))) - 1`.
    /// @param _position The position, at depth `<= _maxDepth`.
    /// @param _maxDepth The depth of the leaves.
    /// @return rightIndex_ The right-most leaf position.
    function rightIndex(Position _position, uint256 _maxDepth) internal pure returns (Position rightIndex_) {
        uint256 remaining = _maxDepth - depth(_position);
        rightIndex_ = Position.wrap(uint128(((uint256(Position.unwrap(_position)) + 1) << remaining) - 1));
    }

    /// @notice The trace index a position commits to: `indexAtDepth(rightIndex(p, maxDepth))`.
    ///         The claim at `p` commits to the state after `traceIndex + 1` steps.
    /// @param _position The position, at depth `<= _maxDepth`.
    /// @param _maxDepth The depth of the leaves.
    /// @return traceIndex_ The leaf index.
    function traceIndex(Position _position, uint256 _maxDepth) internal pure returns (uint256 traceIndex_) {
        uint256 remaining = _maxDepth - depth(_position);
        traceIndex_ = (((uint256(Position.unwrap(_position)) + 1) << remaining) - 1) ^ (uint256(1) << _maxDepth);
    }

    /// @notice The highest ancestor-or-self of `_position` that commits to the same trace index
    ///         and is a left child or the root: `p >> trailingOnes(p)`, or the root when `p` is
    ///         all ones (the right-most node of its depth, which commits to the root's trace index).
    /// @param _position The position (non-zero).
    /// @return ancestor_ The trace ancestor.
    function traceAncestor(Position _position) internal pure returns (Position ancestor_) {
        assembly ("memory-safe") {
            // The lowest unset bit of `p`; its index is the number of trailing ones.
            let p := and(_position, 0xffffffffffffffffffffffffffffffff)
            let lsb := and(not(p), add(p, 1))
            ancestor_ := shr(sub(255, clz(lsb)), p)
            // An all-ones position shifts to 0: its trace ancestor is the root.
            ancestor_ := or(ancestor_, iszero(ancestor_))
        }
    }
}
