// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibSparseProof } from "../LibSparseProof.sol";

/// @title SparseProofHarness
/// @notice Test harness exposing LibSparseProof for the golden vectors in
///         `fixtures/vectors/proof.json`. Verifications return the gas the library call used
///         (measured with `gasleft()` around it). Not part of the deployed system.
contract SparseProofHarness {
    /// @notice LibSparseProof.requests.
    /// @param _depth The tree depth.
    /// @param _indices The leaf indices.
    /// @return requests_ The number of sibling requests.
    function requests(uint256 _depth, uint256[] calldata _indices) external pure returns (uint256 requests_) {
        requests_ = LibSparseProof.requests(_depth, _indices);
    }

    /// @notice LibSparseProof.verify.
    /// @param _root The committed root.
    /// @param _depth The tree depth.
    /// @param _indices The opened leaf indices.
    /// @param _leaves Their values.
    /// @param _proof The multiproof.
    /// @return gas_ Gas used by the library call.
    function verify(
        bytes32 _root,
        uint256 _depth,
        uint256[] calldata _indices,
        bytes32[] calldata _leaves,
        bytes calldata _proof
    )
        external
        view
        returns (uint256 gas_)
    {
        uint256[] memory indices = _indices;
        bytes32[] memory leaves = _leaves;
        gas_ = gasleft();
        LibSparseProof.verify(_root, _depth, indices, leaves, _proof);
        gas_ -= gasleft();
    }

    /// @notice LibSparseProof.update.
    /// @param _root The committed root.
    /// @param _depth The tree depth.
    /// @param _indices The written leaf indices.
    /// @param _olds Their values before.
    /// @param _news Their values after.
    /// @param _proof The multiproof.
    /// @return newRoot_ The root after the write.
    /// @return gas_ Gas used by the library call.
    function update(
        bytes32 _root,
        uint256 _depth,
        uint256[] calldata _indices,
        bytes32[] calldata _olds,
        bytes32[] calldata _news,
        bytes calldata _proof
    )
        external
        view
        returns (bytes32 newRoot_, uint256 gas_)
    {
        uint256[] memory indices = _indices;
        bytes32[] memory olds = _olds;
        bytes32[] memory news = _news;
        gas_ = gasleft();
        newRoot_ = LibSparseProof.update(_root, _depth, indices, olds, news, _proof);
        gas_ -= gasleft();
    }

    /// @notice LibSparseProof.sparseRoot.
    /// @param _depth The tree depth.
    /// @param _indices The leaf indices.
    /// @param _leaves Their values.
    /// @return root_ The root of the tree holding only these leaves.
    function sparseRoot(
        uint256 _depth,
        uint256[] calldata _indices,
        bytes32[] calldata _leaves
    )
        external
        pure
        returns (bytes32 root_)
    {
        root_ = LibSparseProof.sparseRoot(_depth, _indices, _leaves);
    }
}
