// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import { GameType } from "../lib/Types.sol";
import { IDisputeGameFactory } from "./IDisputeGameFactory.sol";

/// @title IAnchorStateRegistry
/// @notice The finalized (anchor) state per game type: the state new games start from.
interface IAnchorStateRegistry {
    /// @notice The anchor of `gameType` changed, by the owner (`game == address(0)`) or by a
    ///         game that resolved `DEFENDER_WINS`.
    event AnchorUpdated(
        GameType indexed gameType, bytes32 root, uint256 l2SequenceNumber, address indexed game
    );
    /// @notice The registry's ownership changed.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The current anchor of a game type (zero if never set).
    /// @param _gameType The game type.
    /// @return root_ The anchor state root.
    /// @return l2SequenceNumber_ The L2 sequence number (batch number) of the anchor.
    function anchors(GameType _gameType) external view returns (bytes32 root_, uint256 l2SequenceNumber_);

    /// @notice Seeds or overrides the anchor of a game type. Owner only.
    /// @param _gameType The game type.
    /// @param _root The anchor state root.
    /// @param _l2SequenceNumber The L2 sequence number of the anchor.
    function setAnchor(GameType _gameType, bytes32 _root, uint256 _l2SequenceNumber) external;

    /// @notice Called by a game when it resolves. Adopts the calling game's root claim as the
    ///         anchor of its type iff the caller is a game of the factory, it resolved
    ///         `DEFENDER_WINS`, and its sequence number is above the current anchor's.
    ///         Otherwise returns without effect; never reverts.
    function tryUpdateAnchorState() external;

    /// @notice Hands ownership to `_newOwner`. Owner only.
    /// @param _newOwner The new owner (non-zero).
    function transferOwnership(address _newOwner) external;

    /// @notice The owner (the deployer, unless transferred).
    function owner() external view returns (address);

    /// @notice The factory whose games may update anchors.
    function factory() external view returns (IDisputeGameFactory);
}
