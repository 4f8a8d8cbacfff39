// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IStepVerifier } from "../interfaces/IStepVerifier.sol";
import { InvalidWitness } from "../lib/Errors.sol";

/// @title ToyStepVerifier
/// @notice The toy VM of docs/protocol.md §10, for game tests. A state is
///         `(uint256 step, uint256 remaining, bytes32 acc)`, committed as
///         `keccak256(abi.encode(step, remaining, acc))`. A step leaves a state with
///         `remaining == 0` unchanged (stutter) and otherwise moves to
///         `(step + 1, remaining - 1, keccak256(abi.encode(acc, step)))`.
contract ToyStepVerifier is IStepVerifier {
    /// @inheritdoc IStepVerifier
    /// @dev `toyState(0, uint256(_input), _startingRoot)`: `_input` is the trace length.
    function absolutePrestate(bytes32 _startingRoot, bytes32 _input) external pure returns (bytes32 prestate_) {
        prestate_ = toyState(0, uint256(_input), _startingRoot);
    }

    /// @inheritdoc IStepVerifier
    /// @dev The witness is `abi.encode(step, remaining, acc)` of the pre-state: reverts with
    ///      `InvalidWitness` unless it is exactly 96 bytes and `keccak256(witness) == _preState`.
    ///      `_traceIndex` is not used by the toy VM.
    function step(bytes32 _preState, uint256, bytes calldata _witness) external pure returns (bytes32 postState_) {
        if (_witness.length != 96 || keccak256(_witness) != _preState) revert InvalidWitness();
        (uint256 stepNumber, uint256 remaining, bytes32 acc) = abi.decode(_witness, (uint256, uint256, bytes32));
        if (remaining == 0) return _preState;
        postState_ = toyState(stepNumber + 1, remaining - 1, keccak256(abi.encode(acc, stepNumber)));
    }

    /// @notice The commitment of a toy state.
    /// @param _step The number of steps taken.
    /// @param _remaining The number of steps left before the trace stutters.
    /// @param _acc The accumulator.
    /// @return state_ `keccak256(abi.encode(_step, _remaining, _acc))`.
    function toyState(uint256 _step, uint256 _remaining, bytes32 _acc) public pure returns (bytes32 state_) {
        state_ = keccak256(abi.encode(_step, _remaining, _acc));
    }
}
