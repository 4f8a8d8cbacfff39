// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import { LibPosition } from "./LibPosition.sol";

/// @notice A generalized index in the game tree: 2^depth + indexAtDepth.
type Position is uint128;

using LibPosition for Position global;

/// @notice A claimed state commitment.
type Claim is bytes32;
/// @notice A game type identifier; one implementation per type in the factory.
type GameType is uint32;

/// @notice The status of a dispute game.
enum GameStatus {
    IN_PROGRESS,
    CHALLENGER_WINS,
    DEFENDER_WINS
}

/// @notice A claim's value and claimant, opened against the stored digest.
struct ClaimRef {
    bytes32 claim;
    address claimant;
}

/// @notice A child claim given to `resolveClaim`.
struct ChildRef {
    uint256 index;
    bytes32 claim;
    address claimant;
}

/// @notice The unpacked per-claim metadata kept in storage.
struct ClaimMeta {
    uint32 parentIndex;
    uint128 position;
    uint64 clockDuration;
    uint64 clockTimestamp;
    uint32 childCount;
}
