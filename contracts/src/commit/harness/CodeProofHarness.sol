// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibCodeProof } from "../LibCodeProof.sol";

/// @title CodeProofHarness
/// @notice Test harness exposing LibCodeProof for the golden vectors in
///         `fixtures/vectors/code.json`. Proof checks return the gas the library call used
///         (measured with `gasleft()` around it). Not part of the deployed system.
contract CodeProofHarness {
    /// @notice LibCodeProof.chunkify.
    /// @param _code The code.
    /// @return chunks_ Its chunks.
    function chunkify(bytes calldata _code) external pure returns (bytes32[] memory chunks_) {
        chunks_ = LibCodeProof.chunkify(_code);
    }

    /// @notice LibCodeProof.codeRoot.
    /// @param _code The code.
    /// @return root_ Its code root.
    function codeRoot(bytes calldata _code) external pure returns (bytes32 root_) {
        root_ = LibCodeProof.codeRoot(_code);
    }

    /// @notice LibCodeProof.fetch.
    /// @param _root The code root.
    /// @param _pc The program counter.
    /// @param _chunks The chunks the instruction touches.
    /// @param _proof Their multiproof.
    /// @return opcode_ The opcode.
    /// @return immediate_ The PUSH data.
    /// @return gas_ Gas used by the library call.
    function fetch(
        bytes32 _root,
        uint256 _pc,
        bytes32[] calldata _chunks,
        bytes calldata _proof
    )
        external
        view
        returns (uint256 opcode_, uint256 immediate_, uint256 gas_)
    {
        bytes32[] memory chunks = _chunks;
        gas_ = gasleft();
        (opcode_, immediate_) = LibCodeProof.fetch(_root, _pc, chunks, _proof);
        gas_ -= gasleft();
    }

    /// @notice LibCodeProof.isJumpdest.
    /// @param _root The code root.
    /// @param _dest The jump destination.
    /// @param _hasChunk Whether a chunk is given.
    /// @param _chunk Chunk `_dest / 31`.
    /// @param _proof Its proof.
    /// @return valid_ Whether `_dest` is a valid jump destination.
    /// @return gas_ Gas used by the library call.
    function isJumpdest(
        bytes32 _root,
        uint256 _dest,
        bool _hasChunk,
        bytes32 _chunk,
        bytes calldata _proof
    )
        external
        view
        returns (bool valid_, uint256 gas_)
    {
        gas_ = gasleft();
        valid_ = LibCodeProof.isJumpdest(_root, _dest, _hasChunk, _chunk, _proof);
        gas_ -= gasleft();
    }
}
