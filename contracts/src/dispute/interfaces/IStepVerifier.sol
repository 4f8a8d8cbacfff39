// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IStepVerifier
/// @notice Re-executes one step of a VM trace on-chain.
interface IStepVerifier {
    /// @notice The absolute prestate of a game's trace.
    /// @param _startingRoot The anchor root the game starts from.
    /// @param _input The VM input from the game's extra data (batch root, toy trace length, ...).
    /// @return prestate_ The state commitment before the first step.
    function absolutePrestate(bytes32 _startingRoot, bytes32 _input) external view returns (bytes32 prestate_);

    /// @notice Executes one step.
    /// @dev Reverts when `_witness` does not open `_preState`.
    /// @param _preState The state commitment before the step.
    /// @param _traceIndex The leaf index of the step's post-state in the game tree.
    /// @param _witness Everything the step reads, opened against `_preState`.
    /// @return postState_ The state commitment after the step.
    function step(bytes32 _preState, uint256 _traceIndex, bytes calldata _witness)
        external
        view
        returns (bytes32 postState_);
}
