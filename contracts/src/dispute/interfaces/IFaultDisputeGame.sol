// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import { Claim, Position, GameType, GameStatus, ClaimRef, ChildRef, ClaimMeta } from "../lib/Types.sol";

/// @title IFaultDisputeGame
/// @notice The bisection dispute game; see docs/protocol.md for the rules.
interface IFaultDisputeGame {
    /// @notice A claim was added (the root claim at initialization, then every move).
    event Move(
        uint256 indexed claimIndex,
        uint256 indexed parentIndex,
        address indexed claimant,
        bytes32 claim,
        uint128 position,
        uint64 clockDuration,
        uint64 clockTimestamp
    );
    /// @notice A max-depth claim was countered by a step.
    event Step(uint256 indexed claimIndex, address indexed stepper, bytes32 postState);
    /// @notice A subgame was resolved and its bond credited.
    event ClaimResolved(uint256 indexed claimIndex, bool countered, address recipient, uint256 bond);
    /// @notice The game was resolved.
    event Resolved(GameStatus indexed status);
    /// @notice Credit was paid out.
    event CreditClaimed(address indexed recipient, uint256 amount);

    /// @notice Called once by the factory right after cloning; pays the root bond.
    function initialize(address _creator, Claim _rootClaim, bytes calldata _extraData) external payable;

    /// @notice Counters claim `_parentIndex` with `_claim` at `move(parent.position, _isAttack)`.
    /// @param _disputed The parent's stored digest (re-org guard).
    function move(bytes32 _disputed, uint256 _parentIndex, Claim _claim, bool _isAttack) external payable;

    /// @notice Counters the max-depth claim `_claimIndex` by re-executing one step.
    /// @param _parent The value and claimant of claim `_claimIndex`.
    /// @param _stateIndex The index of the chain claim giving the other end of the step
    ///        (ignored for an attack at trace index 0).
    /// @param _state The value and claimant of claim `_stateIndex`.
    /// @param _witness The verifier witness opening the pre-state.
    function step(
        uint256 _claimIndex,
        bool _isAttack,
        ClaimRef calldata _parent,
        uint256 _stateIndex,
        ClaimRef calldata _state,
        bytes calldata _witness
    ) external;

    /// @notice Resolves (a page of) the subgame rooted at `_claimIndex`.
    function resolveClaim(uint256 _claimIndex, ClaimRef calldata _subject, ChildRef[] calldata _children) external;

    /// @notice Resolves the game once the root subgame is resolved.
    function resolve() external returns (GameStatus status_);

    /// @notice Pays `_recipient` its credit once the withdrawal delay has passed.
    function claimCredit(address _recipient) external;

    // ---- views ----
    function gameType() external view returns (GameType);
    function status() external view returns (GameStatus);
    function gameCreator() external view returns (address);
    function rootClaim() external view returns (Claim);
    function extraData() external view returns (bytes memory);
    function l2SequenceNumber() external view returns (uint256);
    function input() external view returns (bytes32);
    function startingRoot() external view returns (bytes32);
    function absolutePrestate() external view returns (bytes32);
    function createdAt() external view returns (uint64);
    function resolvedAt() external view returns (uint64);
    function claimCount() external view returns (uint256);
    function claimDigest(uint256 _index) external view returns (bytes32);
    function claimMeta(uint256 _index) external view returns (ClaimMeta memory);
    function counteredBy(uint256 _index) external view returns (address);
    /// @notice Whether claim `_index`'s subgame is resolved, and if so whether it was countered.
    function subgameResult(uint256 _index) external view returns (bool resolved_, bool countered_);
    function credit(address _recipient) external view returns (uint256);
    function getRequiredBond(Position _position) external view returns (uint256);
    function getChallengerDuration(uint256 _claimIndex) external view returns (uint64);
    function maxGameDepth() external view returns (uint256);
    function splitDepth() external view returns (uint256);
    function maxClockDuration() external view returns (uint64);
    function clockExtension() external view returns (uint64);
    function withdrawalDelay() external view returns (uint64);
    function baseBond() external view returns (uint256);
    function bondIncrement() external view returns (uint256);
    function verifier() external view returns (address);
    function anchorRegistry() external view returns (address);
}
