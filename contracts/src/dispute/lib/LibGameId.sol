// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { GameType } from "./Types.sol";

/// @notice A factory record packed into one word: bits [0, 160) game address,
///         [160, 224) creation timestamp, [224, 256) game type. Zero means "no game".
type GameId is uint256;

using LibGameId for GameId global;

/// @title LibGameId
/// @notice Packs and unpacks `GameId` records.
library LibGameId {
    /// @notice Packs a factory record.
    /// @param _gameType The game type.
    /// @param _timestamp The creation timestamp.
    /// @param _game The game's address.
    /// @return gameId_ The packed record.
    function pack(GameType _gameType, uint64 _timestamp, address _game) internal pure returns (GameId gameId_) {
        gameId_ = GameId.wrap(
            (uint256(GameType.unwrap(_gameType)) << 224) | (uint256(_timestamp) << 160) | uint256(uint160(_game))
        );
    }

    /// @notice Unpacks a factory record.
    /// @param _gameId The packed record.
    /// @return gameType_ The game type.
    /// @return timestamp_ The creation timestamp.
    /// @return game_ The game's address.
    function unpack(GameId _gameId) internal pure returns (GameType gameType_, uint64 timestamp_, address game_) {
        uint256 raw = GameId.unwrap(_gameId);
        gameType_ = GameType.wrap(uint32(raw >> 224));
        timestamp_ = uint64(raw >> 160);
        game_ = address(uint160(raw));
    }

    /// @notice Whether the record is empty.
    /// @param _gameId The packed record.
    /// @return isEmpty_ True iff no game is recorded.
    function isEmpty(GameId _gameId) internal pure returns (bool isEmpty_) {
        isEmpty_ = GameId.unwrap(_gameId) == 0;
    }
}
