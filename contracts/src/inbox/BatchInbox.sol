// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IBatchInbox } from "./IBatchInbox.sol";

/// @notice The caller is not the sequencer.
error NotSequencer(address caller);
/// @notice The sequencer address is zero.
error ZeroSequencer();
/// @notice The posting encoding's version byte is not 1.
error UnsupportedVersion(uint8 version);
/// @notice The batch is for another L2 chain.
error WrongChainId(uint64 expected, uint64 got);
/// @notice The data ends inside a field that starts at `offset`.
error BatchTruncated(uint256 offset);
/// @notice Bytes are left after the last transaction, from `offset` on.
error BatchTrailingBytes(uint256 offset);
/// @notice The block count is 0 or above 2^16.
error BadBlockCount(uint256 count);
/// @notice Block `block` has more than 2^16 transactions.
error TooManyTxs(uint256 blockIndex, uint256 count);
/// @notice Transaction `tx` of block `block` is empty.
error EmptyTx(uint256 blockIndex, uint256 txIndex);
/// @notice A block number does not follow the previous block's (across batches too).
error BadBlockNumber(uint64 expected, uint64 got);
/// @notice A block timestamp is not above the previous block's (across batches too).
error BadTimestamp(uint64 parent, uint64 got);
/// @notice No batch with this number was posted.
error UnknownBatch(uint256 number);

/// @title BatchInbox
/// @notice The L1 inbox of one L2 chain (docs/protocol.md §13). The sequencer posts each batch's
///         bytes as calldata; the inbox checks the batch's structure, **computes** its spec §13.3
///         commitment from those bytes and records it under the next batch number. A node
///         rebuilds the L2 by replaying the `postBatch` calldata of every `BatchPosted` event
///         from genesis; the dispute game reads the commitment by batch number, so no game can
///         be about a batch that was not posted, and the commitment always matches the posted
///         data (there is no poster-supplied commitment to disagree with it).
/// @dev Posting encoding, big-endian, no padding:
///      `version(1) = 1 ‖ chainId(8) ‖ blockCount(4) ‖ blocks`, each block
///      `number(8) ‖ timestamp(8) ‖ gasLimit(8) ‖ coinbase(20) ‖ baseFee(8) ‖ prevRandao(32) ‖
///      txCount(4) ‖ txs`, each transaction `length(4) ‖ EIP-2718 bytes`. Checked here: version,
///      chain id, `1 ≤ blockCount ≤ 2^16`, `txCount ≤ 2^16`, non-empty transactions, block
///      numbers consecutive and timestamps increasing from the last posted block (the genesis
///      block for batch 1), exact length. Not checked (too costly on L1): that transactions
///      decode and are signed for the chain (spec §13.2).
///
///      Commitment (spec §13.3): `txRoot` = depth-16 tree (zero rule, §2.2) of
///      `keccak256(tx)`; `blockLeaf = keccak256(0x19 ‖ number ‖ timestamp ‖ gasLimit ‖ coinbase ‖
///      baseFee(32) ‖ prevRandao ‖ txCount ‖ txRoot)`; `batch = keccak256(0x1a ‖ blockCount ‖
///      blocksRoot)` with `blocksRoot` the depth-16 tree of the block leaves.
contract BatchInbox is IBatchInbox {
    /// @notice Depth of the transaction and block trees (spec §13.3).
    uint256 internal constant TREE_DEPTH = 16;
    /// @notice Bytes of a block header in the posting encoding.
    uint256 internal constant BLOCK_HEADER_LEN = 88;

    /// @notice The only address allowed to post.
    address public immutable SEQUENCER;
    /// @notice The L2 chain id every batch must carry.
    uint64 public immutable CHAIN_ID;

    /// @inheritdoc IBatchInbox
    uint256 public batchCount;
    /// @notice The L2 number of the last posted block (the genesis block's before batch 1).
    uint64 public lastBlockNumber;
    /// @notice Its timestamp.
    uint64 public lastTimestamp;
    /// @notice The commitment of each batch number.
    mapping(uint256 => bytes32) internal _commitments;

    /// @param _sequencer The sequencer.
    /// @param _chainId The L2 chain id.
    /// @param _genesisNumber The L2 genesis block number (0): batch 1 starts at the next one.
    /// @param _genesisTimestamp The genesis timestamp: batch 1's first block must be later.
    constructor(address _sequencer, uint64 _chainId, uint64 _genesisNumber, uint64 _genesisTimestamp) {
        if (_sequencer == address(0)) revert ZeroSequencer();
        SEQUENCER = _sequencer;
        CHAIN_ID = _chainId;
        lastBlockNumber = _genesisNumber;
        lastTimestamp = _genesisTimestamp;
    }

    /// @inheritdoc IBatchInbox
    function postBatch(bytes calldata _data) external returns (uint256 number_, bytes32 commitment_) {
        if (msg.sender != SEQUENCER) revert NotSequencer(msg.sender);
        uint64 first;
        uint64 last;
        uint64 lastTs;
        (commitment_, first, last, lastTs) = _commit(_data, CHAIN_ID);
        if (first != lastBlockNumber + 1) revert BadBlockNumber(lastBlockNumber + 1, first);
        if (_firstTimestamp(_data) <= lastTimestamp) revert BadTimestamp(lastTimestamp, _firstTimestamp(_data));
        lastBlockNumber = last;
        lastTimestamp = lastTs;
        number_ = ++batchCount;
        _commitments[number_] = commitment_;
        emit BatchPosted(number_, commitment_, first, last, keccak256(_data));
    }

    /// @inheritdoc IBatchInbox
    function batchCommitment(uint256 _number) external view returns (bytes32 commitment_) {
        commitment_ = _commitments[_number];
        if (commitment_ == 0) revert UnknownBatch(_number);
    }

    /// @inheritdoc IBatchInbox
    /// @dev Checks everything `postBatch` checks except the continuity with posted batches, and
    ///      does not check the chain id.
    function commitmentOf(bytes calldata _data)
        external
        pure
        returns (bytes32 commitment_, uint64 firstBlock_, uint64 lastBlock_, uint64 lastTimestamp_)
    {
        uint64 chainId = uint64(bytes8(_slice(_data, 1, 8)));
        return _commit(_data, chainId);
    }

    /// @dev Parses and commits to `_data` (see the contract's NatSpec).
    function _commit(bytes calldata _data, uint64 _chainId)
        private
        pure
        returns (bytes32 commitment_, uint64 first_, uint64 last_, uint64 lastTs_)
    {
        uint8 version = uint8(bytes1(_slice(_data, 0, 1)));
        if (version != 1) revert UnsupportedVersion(version);
        uint64 chainId = uint64(bytes8(_slice(_data, 1, 8)));
        if (chainId != _chainId) revert WrongChainId(_chainId, chainId);
        uint256 blockCount = uint32(bytes4(_slice(_data, 9, 4)));
        if (blockCount == 0 || blockCount > (1 << TREE_DEPTH)) revert BadBlockCount(blockCount);
        bytes32[] memory leaves = new bytes32[](blockCount);
        uint256 o = 13;
        for (uint256 b; b < blockCount; ++b) {
            bytes calldata h = _slice(_data, o, BLOCK_HEADER_LEN);
            uint64 number = uint64(bytes8(h[0:8]));
            uint64 timestamp = uint64(bytes8(h[8:16]));
            if (b == 0) {
                first_ = number;
            } else {
                if (number != last_ + 1) revert BadBlockNumber(last_ + 1, number);
                if (timestamp <= lastTs_) revert BadTimestamp(lastTs_, timestamp);
            }
            last_ = number;
            lastTs_ = timestamp;
            uint256 txCount = uint32(bytes4(h[84:88]));
            if (txCount > (1 << TREE_DEPTH)) revert TooManyTxs(b, txCount);
            o += BLOCK_HEADER_LEN;
            bytes32[] memory txHashes = new bytes32[](txCount);
            for (uint256 i; i < txCount; ++i) {
                uint256 len = uint32(bytes4(_slice(_data, o, 4)));
                if (len == 0) revert EmptyTx(b, i);
                bytes calldata txBytes = _slice(_data, o + 4, len);
                txHashes[i] = keccak256(txBytes);
                o += 4 + len;
            }
            leaves[b] = _blockLeaf(h, uint32(txCount), _root(txHashes));
        }
        if (o != _data.length) revert BatchTrailingBytes(o);
        commitment_ = keccak256(abi.encodePacked(bytes1(0x1a), uint32(blockCount), _root(leaves)));
    }

    /// @dev `keccak256(0x19 ‖ number ‖ timestamp ‖ gasLimit ‖ coinbase ‖ baseFee(32) ‖
    ///      prevRandao ‖ txCount ‖ txRoot)` from the 88-byte posted header.
    function _blockLeaf(bytes calldata _h, uint32 _txCount, bytes32 _txRoot) private pure returns (bytes32) {
        return keccak256(
            abi.encodePacked(
                bytes1(0x19),
                _h[0:24], // number, timestamp, gasLimit
                _h[24:44], // coinbase
                uint256(uint64(bytes8(_h[44:52]))), // baseFee, widened to 32 bytes
                _h[52:84], // prevRandao
                _txCount,
                _txRoot
            )
        );
    }

    /// @dev The first block's timestamp (the data was parsed by `_commit` already).
    function _firstTimestamp(bytes calldata _data) private pure returns (uint64) {
        return uint64(bytes8(_data[21:29]));
    }

    /// @dev Root of the depth-16 tree whose leaf `i` is `_leaves[i]` (raw leaves, zero rule):
    ///      the occupied prefix is reduced level by level in place, then hashed up with zero
    ///      siblings. `node(0, 0) = 0`, else `keccak256(0x01 ‖ l ‖ r)`.
    function _root(bytes32[] memory _leaves) private pure returns (bytes32 root_) {
        uint256 n = _leaves.length;
        if (n == 0) return 0;
        uint256 level;
        while (n > 1) {
            uint256 half = (n + 1) / 2;
            for (uint256 i; i < half; ++i) {
                bytes32 l = _leaves[2 * i];
                bytes32 r = 2 * i + 1 < n ? _leaves[2 * i + 1] : bytes32(0);
                _leaves[i] = _node(l, r);
            }
            n = half;
            ++level;
        }
        root_ = _leaves[0];
        for (; level < TREE_DEPTH; ++level) {
            root_ = _node(root_, 0);
        }
    }

    /// @dev Spec §2.2's internal node.
    function _node(bytes32 _l, bytes32 _r) private pure returns (bytes32 node_) {
        if (_l == 0 && _r == 0) return 0;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x01)
            mstore(add(m, 1), _l)
            mstore(add(m, 33), _r)
            node_ := keccak256(m, 65)
        }
    }

    /// @dev `_data[_o : _o + _len]`, or `BatchTruncated(_o)` past the end.
    function _slice(bytes calldata _data, uint256 _o, uint256 _len) private pure returns (bytes calldata) {
        if (_o + _len > _data.length) revert BatchTruncated(_o);
        return _data[_o:_o + _len];
    }
}
