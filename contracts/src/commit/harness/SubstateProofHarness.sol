// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibSubstateProof } from "../LibSubstateProof.sol";

/// @title SubstateProofHarness
/// @notice Test harness exposing LibSubstateProof for the golden vectors in
///         `fixtures/vectors/substate.json`. Proof checks return the gas the library call used
///         (measured with `gasleft()` around it). Not part of the deployed system.
contract SubstateProofHarness {
    /// @notice LibSubstateProof.key.
    /// @param _kind The entry kind.
    /// @param _account The account.
    /// @param _slot The slot.
    /// @return key_ The trie key.
    function key(uint8 _kind, address _account, uint256 _slot) external pure returns (bytes31 key_) {
        key_ = LibSubstateProof.key(_kind, _account, _slot);
    }

    /// @notice LibSubstateProof.verify.
    /// @param _root The substate root.
    /// @param _key The key.
    /// @param _value The claimed value.
    /// @param _proof The path proof.
    /// @return present_ Whether the key is present.
    /// @return gas_ Gas used by the library call.
    function verify(
        bytes32 _root,
        bytes31 _key,
        bytes32 _value,
        bytes calldata _proof
    )
        external
        view
        returns (bool present_, uint256 gas_)
    {
        gas_ = gasleft();
        present_ = LibSubstateProof.verify(_root, _key, _value, _proof);
        gas_ -= gasleft();
    }

    /// @notice LibSubstateProof.update.
    /// @param _root The substate root.
    /// @param _key The key.
    /// @param _old The value before.
    /// @param _new The value after.
    /// @param _proof The path proof.
    /// @return newRoot_ The substate root after the write.
    /// @return gas_ Gas used by the library call.
    function update(
        bytes32 _root,
        bytes31 _key,
        bytes32 _old,
        bytes32 _new,
        bytes calldata _proof
    )
        external
        view
        returns (bytes32 newRoot_, uint256 gas_)
    {
        gas_ = gasleft();
        newRoot_ = LibSubstateProof.update(_root, _key, _old, _new, _proof);
        gas_ -= gasleft();
    }
}
