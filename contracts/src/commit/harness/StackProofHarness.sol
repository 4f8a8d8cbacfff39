// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibStackProof } from "../LibStackProof.sol";

/// @title StackProofHarness
/// @notice Test harness exposing LibStackProof for the golden vectors in
///         `fixtures/vectors/stack.json`. Openings return the gas the library call used
///         (measured with `gasleft()` around it). Not part of the deployed system.
contract StackProofHarness {
    /// @notice LibStackProof.push.
    /// @param _head The head before.
    /// @param _item The pushed item.
    /// @return head_ The head after.
    function push(bytes32 _head, uint256 _item) external pure returns (bytes32 head_) {
        head_ = LibStackProof.push(_head, _item);
    }

    /// @notice LibStackProof.open.
    /// @param _head The stack head.
    /// @param _length The stack length.
    /// @param _k Number of items to open.
    /// @param _opening The opening.
    /// @return items_ The items, top first.
    /// @return below_ The head under them.
    /// @return gas_ Gas used by the library call.
    function open(
        bytes32 _head,
        uint256 _length,
        uint256 _k,
        bytes calldata _opening
    )
        external
        view
        returns (uint256[] memory items_, bytes32 below_, uint256 gas_)
    {
        gas_ = gasleft();
        (items_, below_) = LibStackProof.open(_head, _length, _k, _opening);
        gas_ -= gasleft();
    }
}
