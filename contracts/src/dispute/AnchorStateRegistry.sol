// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { GameType, GameStatus, Claim } from "./lib/Types.sol";
import { NotOwner, ZeroAddress } from "./lib/Errors.sol";
import { IAnchorStateRegistry } from "./interfaces/IAnchorStateRegistry.sol";
import { IDisputeGameFactory } from "./interfaces/IDisputeGameFactory.sol";
import { IFaultDisputeGame } from "./interfaces/IFaultDisputeGame.sol";

/// @title AnchorStateRegistry
/// @notice The anchor (last finalized) state of each game type: `(root, l2SequenceNumber)`.
///         New games start from it; a game of the factory that resolves `DEFENDER_WINS` with a
///         higher sequence number replaces it.
/// @dev Deployed after the factory, whose address it takes; see `DisputeGameFactory`.
contract AnchorStateRegistry is IAnchorStateRegistry {
    /// @notice An anchor state.
    /// @custom:field root The state root.
    /// @custom:field l2SequenceNumber The L2 sequence number (batch number) of the state.
    struct AnchorState {
        bytes32 root;
        uint256 l2SequenceNumber;
    }

    /// @notice The factory whose games may update anchors.
    IDisputeGameFactory internal immutable FACTORY;

    /// @inheritdoc IAnchorStateRegistry
    address public owner;

    /// @notice The anchor of each game type.
    mapping(GameType => AnchorState) internal _anchors;

    /// @param _factory The dispute game factory.
    constructor(IDisputeGameFactory _factory) {
        if (address(_factory) == address(0)) revert ZeroAddress();
        FACTORY = _factory;
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    /// @inheritdoc IAnchorStateRegistry
    function anchors(GameType _gameType) external view returns (bytes32 root_, uint256 l2SequenceNumber_) {
        AnchorState storage anchor = _anchors[_gameType];
        return (anchor.root, anchor.l2SequenceNumber);
    }

    /// @inheritdoc IAnchorStateRegistry
    function setAnchor(GameType _gameType, bytes32 _root, uint256 _l2SequenceNumber) external {
        if (msg.sender != owner) revert NotOwner();
        _anchors[_gameType] = AnchorState({ root: _root, l2SequenceNumber: _l2SequenceNumber });
        emit AnchorUpdated(_gameType, _root, _l2SequenceNumber, address(0));
    }

    /// @inheritdoc IAnchorStateRegistry
    /// @dev The game type is the factory's record, not the caller's word. Only view calls to the
    ///      factory and to the (factory-created, hence trusted) game are made.
    function tryUpdateAnchorState() external {
        if (!FACTORY.isGame(msg.sender)) return;
        GameType gameType = FACTORY.gameTypeOf(msg.sender);
        IFaultDisputeGame game = IFaultDisputeGame(msg.sender);
        if (game.status() != GameStatus.DEFENDER_WINS) return;
        uint256 sequenceNumber = game.l2SequenceNumber();
        AnchorState storage anchor = _anchors[gameType];
        if (sequenceNumber <= anchor.l2SequenceNumber) return;
        bytes32 root = Claim.unwrap(game.rootClaim());
        anchor.root = root;
        anchor.l2SequenceNumber = sequenceNumber;
        emit AnchorUpdated(gameType, root, sequenceNumber, msg.sender);
    }

    /// @inheritdoc IAnchorStateRegistry
    function transferOwnership(address _newOwner) external {
        if (msg.sender != owner) revert NotOwner();
        if (_newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, _newOwner);
        owner = _newOwner;
    }

    /// @inheritdoc IAnchorStateRegistry
    function factory() external view returns (IDisputeGameFactory) {
        return FACTORY;
    }
}
