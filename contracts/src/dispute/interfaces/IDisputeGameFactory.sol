// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import { GameType, Claim } from "../lib/Types.sol";

/// @title IDisputeGameFactory
/// @notice Creates dispute games as EIP-1167 clones of one implementation per game type and
///         records them.
interface IDisputeGameFactory {
    /// @notice A game was created.
    /// @param game The game's address.
    /// @param gameType The game type.
    /// @param rootClaim The root claim.
    /// @param index The game's index in `gameAtIndex`.
    event DisputeGameCreated(address indexed game, GameType indexed gameType, Claim indexed rootClaim, uint256 index);
    /// @notice The implementation of a game type was set.
    event ImplementationSet(GameType indexed gameType, address indexed impl);
    /// @notice The factory's ownership changed.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice Creates a game: clones the implementation of `_gameType` and initializes it with
    ///         `msg.sender` as creator, forwarding `msg.value` as the root bond.
    /// @param _gameType The game type.
    /// @param _rootClaim The proposed state commitment.
    /// @param _extraData `abi.encode(uint256 l2SequenceNumber, bytes32 input)`.
    /// @return game_ The new game's address.
    function create(GameType _gameType, Claim _rootClaim, bytes calldata _extraData)
        external
        payable
        returns (address game_);

    /// @notice Sets the implementation cloned for `_gameType`. Owner only.
    /// @param _gameType The game type.
    /// @param _impl The implementation (must report `_gameType`), or zero to disable the type.
    function setImplementation(GameType _gameType, address _impl) external;

    /// @notice Hands ownership to `_newOwner`. Owner only.
    /// @param _newOwner The new owner (non-zero).
    function transferOwnership(address _newOwner) external;

    /// @notice The owner (the deployer, unless transferred).
    function owner() external view returns (address);

    /// @notice The implementation of a game type (zero if none).
    function gameImpls(GameType _gameType) external view returns (address);

    /// @notice The number of games created.
    function gameCount() external view returns (uint256);

    /// @notice The game at `_index` (creation order).
    /// @return gameType_ The game type.
    /// @return timestamp_ The creation timestamp.
    /// @return game_ The game's address.
    function gameAtIndex(uint256 _index) external view returns (GameType gameType_, uint64 timestamp_, address game_);

    /// @notice The game with this type, root claim and extra data (zero if none).
    /// @return game_ The game's address.
    /// @return timestamp_ The creation timestamp.
    function games(GameType _gameType, Claim _rootClaim, bytes calldata _extraData)
        external
        view
        returns (address game_, uint64 timestamp_);

    /// @notice Whether `_game` was created by this factory.
    function isGame(address _game) external view returns (bool);

    /// @notice The game type of a game created by this factory; reverts `GameNotFound` otherwise.
    function gameTypeOf(address _game) external view returns (GameType);

    /// @notice The unique id of a game: `keccak256(abi.encode(gameType, rootClaim, extraData))`.
    function getGameUUID(GameType _gameType, Claim _rootClaim, bytes calldata _extraData)
        external
        pure
        returns (bytes32 uuid_);
}
