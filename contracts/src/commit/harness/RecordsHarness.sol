// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibRecords } from "../LibRecords.sol";

/// @title RecordsHarness
/// @notice Test harness exposing LibRecords for the golden vectors in
///         `fixtures/vectors/records.json`. Not part of the deployed system.
contract RecordsHarness {
    /// @notice LibRecords.machineWord.
    /// @param _m The machine fields.
    /// @return word_ The packed word.
    function machineWord(LibRecords.Machine calldata _m) external pure returns (bytes32 word_) {
        word_ = LibRecords.machineWord(_m);
    }

    /// @notice LibRecords.decodeMachine.
    /// @param _word The packed word.
    /// @return m_ The machine fields.
    function decodeMachine(bytes32 _word) external pure returns (LibRecords.Machine memory m_) {
        m_ = LibRecords.decodeMachine(_word);
    }

    /// @notice LibRecords.stepHash.
    /// @param _s The step state.
    /// @return hash_ The hash.
    /// @return gas_ Gas used by the library call.
    function stepHash(LibRecords.StepState calldata _s) external view returns (bytes32 hash_, uint256 gas_) {
        LibRecords.StepState memory s = _s;
        gas_ = gasleft();
        hash_ = LibRecords.stepHash(s);
        gas_ -= gasleft();
    }

    /// @notice LibRecords.contextPacked and contextHash.
    /// @param _c The context.
    /// @return packed_ The packed word.
    /// @return hash_ The hash.
    function context(LibRecords.Context calldata _c) external pure returns (bytes32 packed_, bytes32 hash_) {
        packed_ = LibRecords.contextPacked(_c);
        hash_ = LibRecords.contextHash(_c);
    }

    /// @notice LibRecords.decodeContextPacked.
    /// @param _word The packed word.
    /// @return returnDataOffset_ The return-data offset.
    /// @return returnDataLength_ The return-data length.
    /// @return refund_ The refund counter.
    function decodeContextPacked(bytes32 _word)
        external
        pure
        returns (uint32 returnDataOffset_, uint32 returnDataLength_, int64 refund_)
    {
        (returnDataOffset_, returnDataLength_, refund_) = LibRecords.decodeContextPacked(_word);
    }

    /// @notice LibRecords.snapshotHash.
    /// @param _s The snapshot.
    /// @return hash_ The hash.
    function snapshotHash(LibRecords.Snapshot calldata _s) external pure returns (bytes32 hash_) {
        hash_ = LibRecords.snapshotHash(_s);
    }

    /// @notice LibRecords.framePacked and frameHash.
    /// @param _f The frame.
    /// @return packed_ The packed word.
    /// @return hash_ The hash.
    function frame(LibRecords.Frame calldata _f) external pure returns (bytes32 packed_, bytes32 hash_) {
        packed_ = LibRecords.framePacked(_f);
        LibRecords.checkFramePacked(packed_);
        hash_ = LibRecords.frameHash(_f);
    }

    /// @notice LibRecords.checkFramePacked.
    /// @param _word The packed word.
    function checkFramePacked(bytes32 _word) external pure {
        LibRecords.checkFramePacked(_word);
    }

    /// @notice LibRecords.txEnvHash.
    /// @param _t The transaction constants.
    /// @return hash_ The hash.
    function txEnvHash(LibRecords.TxEnv calldata _t) external pure returns (bytes32 hash_) {
        hash_ = LibRecords.txEnvHash(_t);
    }

    /// @notice LibRecords.blockEnvHash.
    /// @param _b The block constants.
    /// @return hash_ The hash.
    function blockEnvHash(LibRecords.BlockEnv calldata _b) external pure returns (bytes32 hash_) {
        hash_ = LibRecords.blockEnvHash(_b);
    }

    /// @notice LibRecords.boundaryPacked and boundaryHash.
    /// @param _b The boundary.
    /// @return packed_ The packed word.
    /// @return hash_ The hash.
    function boundary(LibRecords.Boundary calldata _b) external pure returns (bytes32 packed_, bytes32 hash_) {
        packed_ = LibRecords.boundaryPacked(_b);
        hash_ = LibRecords.boundaryHash(_b);
    }

    /// @notice LibRecords.checkBoundaryPacked.
    /// @param _word The packed word.
    function checkBoundaryPacked(bytes32 _word) external pure {
        LibRecords.checkBoundaryPacked(_word);
    }

    /// @notice LibRecords.logLink.
    /// @param _prev The accumulator before.
    /// @param _emitter The emitting account.
    /// @param _topics The topics.
    /// @param _data The log data view.
    /// @return acc_ The accumulator after.
    function logLink(
        bytes32 _prev,
        address _emitter,
        bytes32[] calldata _topics,
        LibRecords.DataView calldata _data
    )
        external
        pure
        returns (bytes32 acc_)
    {
        acc_ = LibRecords.logLink(_prev, _emitter, _topics, _data);
    }

    /// @notice LibRecords.receiptLink.
    /// @param _prev The accumulator before.
    /// @param _success The status.
    /// @param _cumulativeGasUsed Cumulative gas used.
    /// @param _logs The transaction's log accumulator.
    /// @return acc_ The accumulator after.
    function receiptLink(
        bytes32 _prev,
        bool _success,
        uint64 _cumulativeGasUsed,
        bytes32 _logs
    )
        external
        pure
        returns (bytes32 acc_)
    {
        acc_ = LibRecords.receiptLink(_prev, _success, _cumulativeGasUsed, _logs);
    }

    /// @notice LibRecords.chainConfigHash.
    /// @param _c The configuration.
    /// @return hash_ The hash.
    function chainConfigHash(LibRecords.ChainConfig calldata _c) external pure returns (bytes32 hash_) {
        hash_ = LibRecords.chainConfigHash(_c);
    }
}
