// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibSparseProof } from "./LibSparseProof.sol";

/// @title LibMemoryProof
/// @notice A frame's memory (docs/spec.md §6): a fixed tree of depth 16 whose leaf `i` is the
///         32-byte word at bytes `32i .. 32i + 32` (raw, `0` = zero word), committed as
///         `(root, size)`. The Solidity twin of `gavel_commit::memory`.
/// @dev Unwritten memory is `0`, so expansion changes only `size`, never the root, and a new
///      frame's root is `0`. An access to `[offset, offset + len)` opens the words
///      `wordRange(offset, len)` with one multiproof (§3.2); a write uses the same proof for the
///      old and the new root. MLOAD/MSTORE open one word aligned, two unaligned. 2^16 words
///      (2 MiB) is beyond what the L2 gas cap (2^23) can pay for; the verifier's
///      memory-expansion gas check precedes any memory proof.
library LibMemoryProof {
    /// @notice Depth of the memory tree.
    uint256 internal constant MEM_DEPTH = 16;
    /// @notice Words the tree holds.
    uint256 internal constant MAX_WORDS = 1 << 16;
    /// @notice Bytes the tree holds (2 MiB).
    uint256 internal constant MAX_BYTES = MAX_WORDS * 32;

    /// @notice The words an access to `[_offset, _offset + _length)` touches.
    /// @param _offset The first byte.
    /// @param _length The number of bytes.
    /// @return first_ The first word (0 when `_length` is 0).
    /// @return end_ One past the last word (`first_` when `_length` is 0, i.e. no word).
    function wordRange(uint256 _offset, uint256 _length) internal pure returns (uint256 first_, uint256 end_) {
        if (_length == 0) return (0, 0);
        first_ = _offset >> 5;
        end_ = (_offset + _length + 31) >> 5;
    }

    /// @notice Memory size after an access (EVM expansion): a non-empty access grows the size
    ///         to cover it, rounded up to a word.
    /// @param _size The size before, in bytes (a multiple of 32).
    /// @param _offset The first byte accessed.
    /// @param _length The number of bytes accessed.
    /// @return size_ The size after.
    function expandedSize(uint256 _size, uint256 _offset, uint256 _length) internal pure returns (uint256 size_) {
        size_ = _size;
        if (_length == 0) return size_;
        uint256 end = ((_offset + _length + 31) >> 5) << 5;
        if (end > size_) size_ = end;
    }

    /// @notice Verifies words `(_indices[i], _words[i])` against a memory root.
    /// @param _root The memory root.
    /// @param _indices The word indices, strictly ascending, below 2^16.
    /// @param _words Their values.
    /// @param _proof The multiproof, exactly.
    function verifyWords(
        bytes32 _root,
        uint256[] memory _indices,
        bytes32[] memory _words,
        bytes calldata _proof
    )
        internal
        pure
    {
        LibSparseProof.verify(_root, MEM_DEPTH, _indices, _words, _proof);
    }

    /// @notice Verifies the old words against `_root` and returns the root after the write.
    /// @param _root The memory root.
    /// @param _indices The word indices, strictly ascending, below 2^16.
    /// @param _olds Their values before the write.
    /// @param _news Their values after the write.
    /// @param _proof The multiproof, exactly.
    /// @return newRoot_ The memory root after the write.
    function updateWords(
        bytes32 _root,
        uint256[] memory _indices,
        bytes32[] memory _olds,
        bytes32[] memory _news,
        bytes calldata _proof
    )
        internal
        pure
        returns (bytes32 newRoot_)
    {
        newRoot_ = LibSparseProof.update(_root, MEM_DEPTH, _indices, _olds, _news, _proof);
    }

    /// @notice Verifies one word (an aligned MLOAD).
    /// @param _root The memory root.
    /// @param _index The word index.
    /// @param _word Its value.
    /// @param _proof The proof, exactly.
    function verifyWord(bytes32 _root, uint256 _index, bytes32 _word, bytes calldata _proof) internal pure {
        LibSparseProof.verifyOne(_root, MEM_DEPTH, _index, _word, _proof);
    }

    /// @notice Verifies one word's old value and returns the root after writing `_new` (an
    ///         aligned MSTORE).
    /// @param _root The memory root.
    /// @param _index The word index.
    /// @param _old Its value before the write.
    /// @param _new Its value after the write.
    /// @param _proof The proof, exactly.
    /// @return newRoot_ The memory root after the write.
    function updateWord(
        bytes32 _root,
        uint256 _index,
        bytes32 _old,
        bytes32 _new,
        bytes calldata _proof
    )
        internal
        pure
        returns (bytes32 newRoot_)
    {
        newRoot_ = LibSparseProof.updateOne(_root, MEM_DEPTH, _index, _old, _new, _proof);
    }
}
