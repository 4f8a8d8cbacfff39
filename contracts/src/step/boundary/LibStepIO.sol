// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { ReservedBytes, Truncated } from "../../commit/CommitErrors.sol";
import { LibRecords } from "../../commit/LibRecords.sol";
import { LibSparseProof } from "../../commit/LibSparseProof.sol";
import { RecordMismatch, WrongOffset, WrongPhase } from "./BoundaryErrors.sol";

/// @title LibStepIO
/// @notice Witness reading shared by the boundary steps (docs/spec.md §17.6): fixed-width
///         big-endian fields, `uint32`-length-prefixed parts, record preimages opened against
///         their hash, and the block opening (a block leaf of the batch, §13.3).
library LibStepIO {
    /// @notice Tag of a batch block leaf (spec §13.3).
    uint8 internal constant BATCH_BLOCK = 0x19;
    /// @notice Tag of the batch commitment (spec §13.3).
    uint8 internal constant BATCH = 0x1a;
    /// @notice Tag of a block hash (spec §14.3).
    uint8 internal constant BLOCK_HASH = 0x1b;
    /// @notice Tag of the halted micro state (spec §16.2).
    uint8 internal constant HALTED = 0x1c;
    /// @notice Tag of an access-list chain link (spec §16.2).
    uint8 internal constant ACCESS_ITEM = 0x1d;
    /// @notice Depth of a batch's block tree and of a block's transaction tree.
    uint256 internal constant BATCH_TREE_DEPTH = 16;
    /// @notice Size of a Boundary preimage without its tag.
    uint256 internal constant BOUNDARY_LEN = 192;
    /// @notice Size of the block opening's fixed fields: the block leaf preimage (144) and the
    ///         batch preimage (36).
    uint256 internal constant BLOCK_FIELDS_LEN = 180;

    /// @notice What a block opening proves.
    /// @custom:field env BlockEnv of the block (with the pinned chain configuration).
    /// @custom:field envHash Its hash.
    /// @custom:field txCount Transactions in the block.
    /// @custom:field txRoot Root of its transaction tree.
    /// @custom:field blockCount Blocks in the batch.
    struct BlockOpening {
        LibRecords.BlockEnv env;
        bytes32 envHash;
        uint32 txCount;
        bytes32 txRoot;
        uint32 blockCount;
    }

    /// @notice Reads `_n ≤ 32` bytes at `_p` as a big-endian unsigned integer.
    function uintAt(bytes calldata _w, uint256 _p, uint256 _n) internal pure returns (uint256 v_) {
        if (_p + _n > _w.length) revert Truncated();
        assembly ("memory-safe") {
            v_ := shr(sub(256, shl(3, _n)), calldataload(add(_w.offset, _p)))
        }
    }

    /// @notice Reads the 32-byte word at `_p`.
    function wordAt(bytes calldata _w, uint256 _p) internal pure returns (bytes32 v_) {
        if (_p + 32 > _w.length) revert Truncated();
        assembly ("memory-safe") {
            v_ := calldataload(add(_w.offset, _p))
        }
    }

    /// @notice Reads a `uint32` length and the part it prefixes.
    /// @return part_ The part.
    /// @return next_ Offset after it.
    function partAt(bytes calldata _w, uint256 _p) internal pure returns (bytes calldata part_, uint256 next_) {
        uint256 len = uintAt(_w, _p, 4);
        next_ = _p + 4 + len;
        if (next_ > _w.length) revert Truncated();
        part_ = _w[_p + 4:next_];
    }

    /// @notice `keccak256(_tag ‖ _w[_p .. _p + _len])`.
    function tagged(uint8 _tag, bytes calldata _w, uint256 _p, uint256 _len) internal pure returns (bytes32 h_) {
        if (_p + _len > _w.length) revert Truncated();
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, _tag)
            calldatacopy(add(m, 1), add(_w.offset, _p), _len)
            h_ := keccak256(m, add(_len, 1))
        }
    }

    /// @notice Offset of the post-state leaf inside its transition: `_traceIndex mod 2^_bottom`.
    function offsetOf(uint256 _traceIndex, uint256 _bottom) internal pure returns (uint256) {
        return _traceIndex & ((uint256(1) << _bottom) - 1);
    }

    /// @notice Requires a transition's first step (offset 0).
    function requireFirst(uint256 _traceIndex, uint256 _bottom) internal pure {
        if (offsetOf(_traceIndex, _bottom) != 0) revert WrongOffset();
    }

    /// @notice Decodes the Boundary preimage at `_p` (192 bytes) and checks it hashes to
    ///         `_hash`; phase must be 0 or 1 and the packed word's reserved bytes zero.
    function boundaryAt(bytes calldata _w, uint256 _p, bytes32 _hash) internal pure returns (LibRecords.Boundary memory b_) {
        if (tagged(0x14, _w, _p, BOUNDARY_LEN) != _hash) revert RecordMismatch();
        bytes32 packed = wordAt(_w, _p + 96);
        LibRecords.checkBoundaryPacked(packed);
        uint256 pk = uint256(packed);
        b_.worldRoot = wordAt(_w, _p);
        b_.batch = wordAt(_w, _p + 32);
        b_.blockEnv = wordAt(_w, _p + 64);
        b_.blockIndex = uint32(pk >> 224);
        b_.txIndex = uint32(pk >> 192);
        b_.phase = uint8(pk >> 184);
        b_.blockGasUsed = uint64(pk >> 120);
        b_.receipts = wordAt(_w, _p + 128);
        b_.lastBlockHash = wordAt(_w, _p + 160);
        if (b_.phase > LibRecords.PHASE_IN_BLOCK) revert ReservedBytes();
    }

    /// @notice Decodes the BlockEnv preimage at `_p` (140 bytes) and checks it hashes to `_hash`.
    function blockEnvAt(bytes calldata _w, uint256 _p, bytes32 _hash) internal pure returns (LibRecords.BlockEnv memory e_) {
        if (tagged(0x15, _w, _p, 140) != _hash) revert RecordMismatch();
        e_.number = uint64(uintAt(_w, _p, 8));
        e_.timestamp = uint64(uintAt(_w, _p + 8, 8));
        e_.gasLimit = uint64(uintAt(_w, _p + 16, 8));
        e_.coinbase = address(uint160(uintAt(_w, _p + 24, 20)));
        e_.baseFee = uint256(wordAt(_w, _p + 44));
        e_.prevRandao = wordAt(_w, _p + 76);
        e_.chainConfig = wordAt(_w, _p + 108);
    }

    /// @notice Opens block `_b.blockIndex` of the batch `_b.batch` (spec §17.6):
    ///         `number(8) ‖ timestamp(8) ‖ gasLimit(8) ‖ coinbase(20) ‖ baseFee(32) ‖
    ///         prevRandao(32) ‖ txCount(4) ‖ txRoot(32) ‖ blockCount(4) ‖ blocksRoot(32) ‖
    ///         u32 len ‖ multiproof(depth 16, blockIndex)`. The first 144 bytes are the block
    ///         leaf's preimage, the next 36 the batch's.
    /// @return o_ What it proves.
    /// @return next_ Offset after the opening.
    function blockAt(
        bytes calldata _w,
        uint256 _p,
        LibRecords.Boundary memory _b,
        bytes32 _chainConfig
    )
        internal
        pure
        returns (BlockOpening memory o_, uint256 next_)
    {
        if (tagged(BATCH, _w, _p + 144, 36) != _b.batch) revert RecordMismatch();
        o_.blockCount = uint32(uintAt(_w, _p + 144, 4));
        if (_b.blockIndex >= o_.blockCount) revert WrongPhase();
        bytes32 leaf = tagged(BATCH_BLOCK, _w, _p, 144);
        bytes calldata proof;
        (proof, next_) = partAt(_w, _p + BLOCK_FIELDS_LEN);
        LibSparseProof.verifyOne(wordAt(_w, _p + 148), BATCH_TREE_DEPTH, _b.blockIndex, leaf, proof);
        o_.env.number = uint64(uintAt(_w, _p, 8));
        o_.env.timestamp = uint64(uintAt(_w, _p + 8, 8));
        o_.env.gasLimit = uint64(uintAt(_w, _p + 16, 8));
        o_.env.coinbase = address(uint160(uintAt(_w, _p + 24, 20)));
        o_.env.baseFee = uint256(wordAt(_w, _p + 44));
        o_.env.prevRandao = wordAt(_w, _p + 76);
        o_.env.chainConfig = _chainConfig;
        o_.envHash = LibRecords.blockEnvHash(o_.env);
        o_.txCount = uint32(uintAt(_w, _p + 108, 4));
        o_.txRoot = wordAt(_w, _p + 112);
    }

    /// @notice `keccak256(0x1b ‖ lastBlockHash ‖ blockEnv ‖ worldRoot ‖ receipts ‖
    ///         blockGasUsed(8))` of the boundary before a block end (spec §14.3).
    function blockHash(LibRecords.Boundary memory _b) internal pure returns (bytes32) {
        return keccak256(
            abi.encodePacked(BLOCK_HASH, _b.lastBlockHash, _b.blockEnv, _b.worldRoot, _b.receipts, _b.blockGasUsed)
        );
    }
}
