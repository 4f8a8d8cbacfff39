// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IBatchInbox
/// @notice Where the sequencer posts L2 batches (docs/protocol.md §13). Batch `n` (from 1) takes
///         the L2 from the state after batch `n − 1` (after genesis for `n = 1`) to the state
///         after batch `n`, whose L2 sequence number is `n`.
interface IBatchInbox {
    /// @notice Batch `number` was posted. Its bytes are the calldata of `postBatch` in the
    ///         same transaction; `commitment` is its spec §13.3 commitment, computed on-chain.
    /// @param number The batch number (1, 2, …).
    /// @param commitment The batch commitment (spec §13.3).
    /// @param firstBlock The L2 number of the batch's first block.
    /// @param lastBlock The L2 number of its last block.
    /// @param dataHash `keccak256` of the posted bytes.
    event BatchPosted(
        uint256 indexed number, bytes32 indexed commitment, uint64 firstBlock, uint64 lastBlock, bytes32 dataHash
    );

    /// @notice Posts a batch (sequencer only). Checks its structure, computes its commitment
    ///         and records it as the next batch number.
    /// @param _data The batch in the posting encoding (docs/protocol.md §13.2).
    /// @return number_ The batch number assigned.
    /// @return commitment_ The batch commitment (spec §13.3).
    function postBatch(bytes calldata _data) external returns (uint256 number_, bytes32 commitment_);

    /// @notice The commitment of batch `_number`; reverts `UnknownBatch` if it was not posted.
    /// @param _number The batch number (from 1).
    /// @return commitment_ The batch commitment.
    function batchCommitment(uint256 _number) external view returns (bytes32 commitment_);

    /// @notice The number of batches posted (the last batch number).
    /// @return count_ The count.
    function batchCount() external view returns (uint256 count_);

    /// @notice The commitment the posting encoding `_data` would get, without posting it.
    /// @param _data The batch in the posting encoding.
    /// @return commitment_ Its commitment (spec §13.3).
    /// @return firstBlock_ Its first block number.
    /// @return lastBlock_ Its last block number.
    /// @return lastTimestamp_ Its last block's timestamp.
    function commitmentOf(bytes calldata _data)
        external
        pure
        returns (bytes32 commitment_, uint64 firstBlock_, uint64 lastBlock_, uint64 lastTimestamp_);
}
