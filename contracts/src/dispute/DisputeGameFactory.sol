// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { GameType, Claim } from "./lib/Types.sol";
import { GameId, LibGameId } from "./lib/LibGameId.sol";
import { LibClone } from "./lib/LibClone.sol";
import {
    NotOwner,
    ZeroAddress,
    NoImplementation,
    GameTypeMismatch,
    GameAlreadyExists,
    CloneFailed,
    GameIndexOutOfBounds,
    GameNotFound
} from "./lib/Errors.sol";
import { IDisputeGameFactory } from "./interfaces/IDisputeGameFactory.sol";
import { IFaultDisputeGame } from "./interfaces/IFaultDisputeGame.sol";

/// @title DisputeGameFactory
/// @notice Creates dispute games as EIP-1167 clones (CREATE) of one implementation per game
///         type, initializes them in the same transaction and records them. One game per
///         `(gameType, rootClaim, extraData)`.
/// @dev Deployment order: this factory (no arguments) → `AnchorStateRegistry(factory)` → the
///      step verifier → `FaultDisputeGame(..., verifier, registry, factory)` →
///      `setImplementation(gameType, game)` → `registry.setAnchor(gameType, root, seq)`.
contract DisputeGameFactory is IDisputeGameFactory {
    /// @inheritdoc IDisputeGameFactory
    address public owner;

    /// @inheritdoc IDisputeGameFactory
    mapping(GameType => address) public gameImpls;

    /// @notice The record of each game by uuid.
    mapping(bytes32 => GameId) internal _gamesByUUID;
    /// @notice The record of each game by address.
    mapping(address => GameId) internal _gamesByAddress;
    /// @notice Every game in creation order.
    GameId[] internal _gameList;

    /// @notice Reverts unless the caller is the owner.
    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    /// @notice The deployer becomes the owner.
    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    /// @inheritdoc IDisputeGameFactory
    /// @dev Reverts with `NoImplementation` for an unknown type and `GameAlreadyExists` for a
    ///      duplicate; the game's `initialize` checks the bond and the extra data.
    function create(GameType _gameType, Claim _rootClaim, bytes calldata _extraData)
        external
        payable
        returns (address game_)
    {
        address impl = gameImpls[_gameType];
        if (impl == address(0)) revert NoImplementation(_gameType);
        bytes32 uuid = getGameUUID(_gameType, _rootClaim, _extraData);
        if (!_gamesByUUID[uuid].isEmpty()) revert GameAlreadyExists(uuid);

        game_ = LibClone.clone(impl, 0);
        if (game_ == address(0)) revert CloneFailed();

        GameId id = LibGameId.pack(_gameType, uint64(block.timestamp), game_);
        _gamesByUUID[uuid] = id;
        _gamesByAddress[game_] = id;
        uint256 index = _gameList.length;
        _gameList.push(id);

        IFaultDisputeGame(game_).initialize{ value: msg.value }(msg.sender, _rootClaim, _extraData);
        emit DisputeGameCreated(game_, _gameType, _rootClaim, index);
    }

    /// @inheritdoc IDisputeGameFactory
    function setImplementation(GameType _gameType, address _impl) external onlyOwner {
        if (_impl != address(0)) {
            GameType actual = IFaultDisputeGame(_impl).gameType();
            if (GameType.unwrap(actual) != GameType.unwrap(_gameType)) revert GameTypeMismatch(_gameType, actual);
        }
        gameImpls[_gameType] = _impl;
        emit ImplementationSet(_gameType, _impl);
    }

    /// @inheritdoc IDisputeGameFactory
    function transferOwnership(address _newOwner) external onlyOwner {
        if (_newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, _newOwner);
        owner = _newOwner;
    }

    /// @inheritdoc IDisputeGameFactory
    function gameCount() external view returns (uint256) {
        return _gameList.length;
    }

    /// @inheritdoc IDisputeGameFactory
    function gameAtIndex(uint256 _index) external view returns (GameType gameType_, uint64 timestamp_, address game_) {
        if (_index >= _gameList.length) revert GameIndexOutOfBounds(_index);
        (gameType_, timestamp_, game_) = _gameList[_index].unpack();
    }

    /// @inheritdoc IDisputeGameFactory
    function games(GameType _gameType, Claim _rootClaim, bytes calldata _extraData)
        external
        view
        returns (address game_, uint64 timestamp_)
    {
        (, timestamp_, game_) = _gamesByUUID[getGameUUID(_gameType, _rootClaim, _extraData)].unpack();
    }

    /// @inheritdoc IDisputeGameFactory
    function isGame(address _game) external view returns (bool) {
        return !_gamesByAddress[_game].isEmpty();
    }

    /// @inheritdoc IDisputeGameFactory
    function gameTypeOf(address _game) external view returns (GameType gameType_) {
        GameId id = _gamesByAddress[_game];
        if (id.isEmpty()) revert GameNotFound(_game);
        (gameType_,,) = id.unpack();
    }

    /// @inheritdoc IDisputeGameFactory
    function getGameUUID(GameType _gameType, Claim _rootClaim, bytes calldata _extraData)
        public
        pure
        returns (bytes32 uuid_)
    {
        uuid_ = keccak256(abi.encode(_gameType, _rootClaim, _extraData));
    }
}
