// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibMemoryProof } from "../LibMemoryProof.sol";

/// @title MemoryProofHarness
/// @notice Test harness exposing LibMemoryProof for the golden vectors in
///         `fixtures/vectors/memory.json`. Proof checks return the gas the library call used
///         (measured with `gasleft()` around it). Not part of the deployed system.
contract MemoryProofHarness {
    /// @notice LibMemoryProof.wordRange.
    /// @param _offset The first byte.
    /// @param _length The number of bytes.
    /// @return first_ The first word.
    /// @return end_ One past the last word.
    function wordRange(uint256 _offset, uint256 _length) external pure returns (uint256 first_, uint256 end_) {
        (first_, end_) = LibMemoryProof.wordRange(_offset, _length);
    }

    /// @notice LibMemoryProof.expandedSize.
    /// @param _size The size before.
    /// @param _offset The first byte accessed.
    /// @param _length The number of bytes accessed.
    /// @return size_ The size after.
    function expandedSize(uint256 _size, uint256 _offset, uint256 _length) external pure returns (uint256 size_) {
        size_ = LibMemoryProof.expandedSize(_size, _offset, _length);
    }

    /// @notice LibMemoryProof.verifyWords (verifyWord for one word).
    /// @param _root The memory root.
    /// @param _indices The word indices.
    /// @param _words Their values.
    /// @param _proof The multiproof.
    /// @return gas_ Gas used by the library call.
    function verifyWords(
        bytes32 _root,
        uint256[] calldata _indices,
        bytes32[] calldata _words,
        bytes calldata _proof
    )
        external
        view
        returns (uint256 gas_)
    {
        uint256[] memory indices = _indices;
        bytes32[] memory words = _words;
        if (indices.length == 1) {
            gas_ = gasleft();
            LibMemoryProof.verifyWord(_root, indices[0], words[0], _proof);
            gas_ -= gasleft();
        } else {
            gas_ = gasleft();
            LibMemoryProof.verifyWords(_root, indices, words, _proof);
            gas_ -= gasleft();
        }
    }

    /// @notice LibMemoryProof.updateWords (updateWord for one word).
    /// @param _root The memory root.
    /// @param _indices The word indices.
    /// @param _olds Their values before.
    /// @param _news Their values after.
    /// @param _proof The multiproof.
    /// @return newRoot_ The memory root after the write.
    /// @return gas_ Gas used by the library call.
    function updateWords(
        bytes32 _root,
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
        if (indices.length == 1) {
            gas_ = gasleft();
            newRoot_ = LibMemoryProof.updateWord(_root, indices[0], olds[0], news[0], _proof);
            gas_ -= gasleft();
        } else {
            gas_ = gasleft();
            newRoot_ = LibMemoryProof.updateWords(_root, indices, olds, news, _proof);
            gas_ -= gasleft();
        }
    }
}
