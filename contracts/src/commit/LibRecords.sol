// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { ReservedBytes, TooManyTopics } from "./CommitErrors.sol";
import { LibCommitHash } from "./LibCommitHash.sol";

/// @title LibRecords
/// @notice The state records trace positions commit to (docs/spec.md §9): the step state and its
///         context, frame, snapshot, transaction and block constants, the boundary state, the
///         log and receipt accumulators and the chain configuration. The Solidity twin of
///         `gavel_commit::record`.
/// @dev Every record is `keccak256(tag ‖ fixed-width fields)`, i.e. one `abi.encodePacked` and
///      one `keccak256`. Small integers of a record share one packed word, big-endian at fixed
///      offsets, the remaining bytes reserved zero; the decoders reject non-zero reserved bytes
///      (`ReservedBytes`) so a state has one encoding. The records are provisional until the EVM
///      step machine lands (spec §9), but their encodings are fixed by spec v0.1.
library LibRecords {
    /// @notice Spec version hashed into the chain configuration: major.
    uint8 internal constant SPEC_MAJOR = 0;
    /// @notice Spec version hashed into the chain configuration: minor.
    uint8 internal constant SPEC_MINOR = 1;
    /// @notice The L2 per-transaction gas cap (deviation D3).
    uint64 internal constant L2_TX_GAS_CAP = 1 << 23;
    /// @notice Deviation bits of spec v0.1 (D0..D3).
    uint64 internal constant DEVIATIONS_V0_1 = 0xf;
    /// @notice Frame flag: STATICCALL context.
    uint8 internal constant FRAME_STATIC = 1;
    /// @notice Frame flag: the frame runs initcode.
    uint8 internal constant FRAME_CREATE = 2;
    /// @notice Boundary phase: before the block start of `blockIndex`.
    uint8 internal constant PHASE_BETWEEN_BLOCKS = 0;
    /// @notice Boundary phase: inside block `blockIndex`.
    uint8 internal constant PHASE_IN_BLOCK = 1;

    /// @notice A byte range of some memory tree (spec §6.3).
    struct DataView {
        bytes32 root;
        uint32 offset;
        uint32 length;
    }

    /// @notice The machine word of a step state: `pc(4) ‖ gas(8) ‖ stackLength(2) ‖
    ///         memorySize(4) ‖ cursor(4) ‖ 0(10)`.
    struct Machine {
        uint32 pc;
        uint64 gas;
        uint16 stackLength;
        uint32 memorySize;
        uint32 cursor;
    }

    /// @notice The hot record of a position inside a transaction (spec §9.2).
    struct StepState {
        Machine machine;
        bytes32 stackHead;
        bytes32 memoryRoot;
        bytes32 codeRoot;
        bytes32 micro;
        bytes32 context;
    }

    /// @notice The less frequently opened half of a step state (spec §9.3).
    struct Context {
        bytes32 worldRoot;
        bytes32 substateRoot;
        bytes32 logs;
        DataView returnData;
        int64 refund;
        bytes32 frame;
        bytes32 tx;
    }

    /// @notice What a reverting frame restores (spec §9.4).
    struct Snapshot {
        bytes32 worldRoot;
        bytes32 substateRoot;
        bytes32 logs;
        int64 refund;
    }

    /// @notice Per-frame constants (spec §9.4).
    struct Frame {
        address account;
        address caller;
        uint256 value;
        DataView callData;
        uint32 codeSize;
        uint32 retOffset;
        uint32 retLength;
        uint16 depth;
        uint8 flags;
        bytes32 parent;
        bytes32 snapshot;
    }

    /// @notice Per-transaction constants (spec §9.5).
    struct TxEnv {
        address origin;
        uint256 gasPrice;
        uint64 gasLimit;
        bytes32 txHash;
        bytes32 boundary;
    }

    /// @notice Per-block constants (spec §9.6).
    struct BlockEnv {
        uint64 number;
        uint64 timestamp;
        uint64 gasLimit;
        address coinbase;
        uint256 baseFee;
        bytes32 prevRandao;
        bytes32 chainConfig;
    }

    /// @notice The record between transitions (spec §9.6).
    struct Boundary {
        bytes32 worldRoot;
        bytes32 batch;
        bytes32 blockEnv;
        uint32 blockIndex;
        uint32 txIndex;
        uint8 phase;
        uint64 blockGasUsed;
        bytes32 receipts;
        bytes32 lastBlockHash;
    }

    /// @notice The chain configuration pinned by every block (spec §9.8).
    struct ChainConfig {
        uint64 chainId;
        string fork;
        uint64 txGasCap;
        uint64 deviations;
    }

    ////////////////////////////////////////////////////////////////
    //                     Step state (§9.2, §9.3)                //
    ////////////////////////////////////////////////////////////////

    /// @notice Packs the machine word.
    /// @param _m The machine fields.
    /// @return word_ `pc ‖ gas ‖ stackLength ‖ memorySize ‖ cursor ‖ 0(10)`.
    function machineWord(Machine memory _m) internal pure returns (bytes32 word_) {
        word_ = bytes32(
            (uint256(_m.pc) << 224) | (uint256(_m.gas) << 160) | (uint256(_m.stackLength) << 144)
                | (uint256(_m.memorySize) << 112) | (uint256(_m.cursor) << 80)
        );
    }

    /// @notice Unpacks the machine word; rejects non-zero reserved bytes 22..31.
    /// @param _word The machine word.
    /// @return m_ The machine fields.
    function decodeMachine(bytes32 _word) internal pure returns (Machine memory m_) {
        uint256 w = uint256(_word);
        if (uint80(w) != 0) revert ReservedBytes();
        m_ = Machine({
            pc: uint32(w >> 224),
            gas: uint64(w >> 160),
            stackLength: uint16(w >> 144),
            memorySize: uint32(w >> 112),
            cursor: uint32(w >> 80)
        });
    }

    /// @notice The step-state hash from its six words (192 bytes of witness).
    /// @param _machine The machine word.
    /// @param _stackHead The stack head.
    /// @param _memoryRoot The memory root.
    /// @param _codeRoot The code root.
    /// @param _micro The micro-op state (`0` when none).
    /// @param _context The context hash.
    /// @return hash_ `keccak256(0x10 ‖ the six words)`.
    function stepHash(
        bytes32 _machine,
        bytes32 _stackHead,
        bytes32 _memoryRoot,
        bytes32 _codeRoot,
        bytes32 _micro,
        bytes32 _context
    )
        internal
        pure
        returns (bytes32 hash_)
    {
        hash_ = keccak256(
            abi.encodePacked(LibCommitHash.STEP, _machine, _stackHead, _memoryRoot, _codeRoot, _micro, _context)
        );
    }

    /// @notice The step-state hash of a decoded step state.
    /// @param _s The step state.
    /// @return hash_ The hash.
    function stepHash(StepState memory _s) internal pure returns (bytes32 hash_) {
        hash_ = stepHash(machineWord(_s.machine), _s.stackHead, _s.memoryRoot, _s.codeRoot, _s.micro, _s.context);
    }

    /// @notice Packs the context word: `returnDataOffset(4) ‖ returnDataLength(4) ‖
    ///         refund(int64) ‖ 0(16)`.
    /// @param _c The context.
    /// @return word_ The packed word.
    function contextPacked(Context memory _c) internal pure returns (bytes32 word_) {
        word_ = bytes32(
            (uint256(_c.returnData.offset) << 224) | (uint256(_c.returnData.length) << 192)
                | (uint256(uint64(_c.refund)) << 128)
        );
    }

    /// @notice Unpacks the context word; rejects non-zero reserved bytes 16..31.
    /// @param _word The packed word.
    /// @return returnDataOffset_ The return-data offset.
    /// @return returnDataLength_ The return-data length.
    /// @return refund_ The refund counter.
    function decodeContextPacked(bytes32 _word)
        internal
        pure
        returns (uint32 returnDataOffset_, uint32 returnDataLength_, int64 refund_)
    {
        uint256 w = uint256(_word);
        if (uint128(w) != 0) revert ReservedBytes();
        returnDataOffset_ = uint32(w >> 224);
        returnDataLength_ = uint32(w >> 192);
        refund_ = int64(uint64(w >> 128));
    }

    /// @notice The context hash: `keccak256(0x11 ‖ worldRoot ‖ substateRoot ‖ logs ‖
    ///         returnDataRoot ‖ packed ‖ frame ‖ tx)`.
    /// @param _c The context.
    /// @return hash_ The hash.
    function contextHash(Context memory _c) internal pure returns (bytes32 hash_) {
        hash_ = keccak256(
            abi.encodePacked(
                LibCommitHash.CONTEXT,
                _c.worldRoot,
                _c.substateRoot,
                _c.logs,
                _c.returnData.root,
                contextPacked(_c),
                _c.frame,
                _c.tx
            )
        );
    }

    ////////////////////////////////////////////////////////////////
    //                   Frame and snapshot (§9.4)                //
    ////////////////////////////////////////////////////////////////

    /// @notice The snapshot hash: `keccak256(0x17 ‖ worldRoot ‖ substateRoot ‖ logs ‖
    ///         refund(int64))`.
    /// @param _s The snapshot.
    /// @return hash_ The hash.
    function snapshotHash(Snapshot memory _s) internal pure returns (bytes32 hash_) {
        hash_ = keccak256(abi.encodePacked(LibCommitHash.SNAPSHOT, _s.worldRoot, _s.substateRoot, _s.logs, _s.refund));
    }

    /// @notice Packs the frame word: `calldataOffset(4) ‖ calldataLength(4) ‖ codeSize(4) ‖
    ///         retOffset(4) ‖ retLength(4) ‖ depth(2) ‖ flags(1) ‖ 0(9)`.
    /// @param _f The frame.
    /// @return word_ The packed word.
    function framePacked(Frame memory _f) internal pure returns (bytes32 word_) {
        word_ = bytes32(
            (uint256(_f.callData.offset) << 224) | (uint256(_f.callData.length) << 192)
                | (uint256(_f.codeSize) << 160) | (uint256(_f.retOffset) << 128) | (uint256(_f.retLength) << 96)
                | (uint256(_f.depth) << 80) | (uint256(_f.flags) << 72)
        );
    }

    /// @notice Checks the reserved bytes 23..31 of a packed frame word.
    /// @param _word The packed word.
    function checkFramePacked(bytes32 _word) internal pure {
        if (uint72(uint256(_word)) != 0) revert ReservedBytes();
    }

    /// @notice The frame hash: `keccak256(0x12 ‖ address(20) ‖ caller(20) ‖ value ‖
    ///         calldataRoot ‖ packed ‖ parent ‖ snapshot)`.
    /// @param _f The frame.
    /// @return hash_ The hash.
    function frameHash(Frame memory _f) internal pure returns (bytes32 hash_) {
        hash_ = keccak256(
            abi.encodePacked(
                LibCommitHash.FRAME,
                _f.account,
                _f.caller,
                _f.value,
                _f.callData.root,
                framePacked(_f),
                _f.parent,
                _f.snapshot
            )
        );
    }

    ////////////////////////////////////////////////////////////////
    //             Transaction, block, boundary (§9.5, §9.6)      //
    ////////////////////////////////////////////////////////////////

    /// @notice The transaction-constants hash: `keccak256(0x13 ‖ origin(20) ‖ gasPrice ‖
    ///         gasLimit(8) ‖ txHash ‖ boundary)`.
    /// @param _t The transaction constants.
    /// @return hash_ The hash.
    function txEnvHash(TxEnv memory _t) internal pure returns (bytes32 hash_) {
        hash_ = keccak256(abi.encodePacked(LibCommitHash.TX, _t.origin, _t.gasPrice, _t.gasLimit, _t.txHash, _t.boundary));
    }

    /// @notice The block-constants hash: `keccak256(0x15 ‖ number(8) ‖ timestamp(8) ‖
    ///         gasLimit(8) ‖ coinbase(20) ‖ baseFee ‖ prevRandao ‖ chainConfig)`.
    /// @param _b The block constants.
    /// @return hash_ The hash.
    function blockEnvHash(BlockEnv memory _b) internal pure returns (bytes32 hash_) {
        hash_ = keccak256(
            abi.encodePacked(
                LibCommitHash.BLOCK,
                _b.number,
                _b.timestamp,
                _b.gasLimit,
                _b.coinbase,
                _b.baseFee,
                _b.prevRandao,
                _b.chainConfig
            )
        );
    }

    /// @notice Packs the boundary word: `blockIndex(4) ‖ txIndex(4) ‖ phase(1) ‖
    ///         blockGasUsed(8) ‖ 0(15)`.
    /// @param _b The boundary.
    /// @return word_ The packed word.
    function boundaryPacked(Boundary memory _b) internal pure returns (bytes32 word_) {
        word_ = bytes32(
            (uint256(_b.blockIndex) << 224) | (uint256(_b.txIndex) << 192) | (uint256(_b.phase) << 184)
                | (uint256(_b.blockGasUsed) << 120)
        );
    }

    /// @notice Checks the reserved bytes 17..31 of a packed boundary word.
    /// @param _word The packed word.
    function checkBoundaryPacked(bytes32 _word) internal pure {
        if (uint120(uint256(_word)) != 0) revert ReservedBytes();
    }

    /// @notice The boundary hash: `keccak256(0x14 ‖ worldRoot ‖ batch ‖ blockEnv ‖ packed ‖
    ///         receipts ‖ lastBlockHash)`.
    /// @param _b The boundary.
    /// @return hash_ The hash.
    function boundaryHash(Boundary memory _b) internal pure returns (bytes32 hash_) {
        hash_ = keccak256(
            abi.encodePacked(
                LibCommitHash.BOUNDARY,
                _b.worldRoot,
                _b.batch,
                _b.blockEnv,
                boundaryPacked(_b),
                _b.receipts,
                _b.lastBlockHash
            )
        );
    }

    ////////////////////////////////////////////////////////////////
    //                 Accumulators and config (§9.7, §9.8)       //
    ////////////////////////////////////////////////////////////////

    /// @notice Appends one log to a log accumulator: `keccak256(0x07 ‖ prev ‖ address(20) ‖
    ///         topicCount(1) ‖ topics ‖ dataRoot ‖ dataOffset(4) ‖ dataLength(4))`.
    /// @param _prev The accumulator before (`0` at transaction start).
    /// @param _emitter The emitting account.
    /// @param _topics At most four topics.
    /// @param _data The log data as a view into the emitting frame's memory.
    /// @return acc_ The accumulator after.
    function logLink(
        bytes32 _prev,
        address _emitter,
        bytes32[] memory _topics,
        DataView memory _data
    )
        internal
        pure
        returns (bytes32 acc_)
    {
        uint256 n = _topics.length;
        if (n > 4) revert TooManyTopics();
        acc_ = keccak256(
            abi.encodePacked(
                LibCommitHash.LOG,
                _prev,
                _emitter,
                uint8(n),
                _topics,
                _data.root,
                _data.offset,
                _data.length
            )
        );
    }

    /// @notice Appends one receipt to a block's receipt accumulator: `keccak256(0x18 ‖ prev ‖
    ///         status(1) ‖ cumulativeGasUsed(8) ‖ logs)`.
    /// @param _prev The accumulator before (`0` at block start).
    /// @param _success The transaction's status.
    /// @param _cumulativeGasUsed Gas used in the block up to and including the transaction.
    /// @param _logs The transaction's log accumulator.
    /// @return acc_ The accumulator after.
    function receiptLink(
        bytes32 _prev,
        bool _success,
        uint64 _cumulativeGasUsed,
        bytes32 _logs
    )
        internal
        pure
        returns (bytes32 acc_)
    {
        acc_ = keccak256(
            abi.encodePacked(LibCommitHash.RECEIPT, _prev, _success ? uint8(1) : uint8(0), _cumulativeGasUsed, _logs)
        );
    }

    /// @notice The chain-configuration hash: `keccak256(0x16 ‖ specMajor(1) ‖ specMinor(1) ‖
    ///         chainId(8) ‖ keccak256(fork) ‖ txGasCap(8) ‖ deviations(8))`.
    /// @param _c The configuration.
    /// @return hash_ The hash.
    function chainConfigHash(ChainConfig memory _c) internal pure returns (bytes32 hash_) {
        hash_ = keccak256(
            abi.encodePacked(
                LibCommitHash.CHAIN_CONFIG,
                SPEC_MAJOR,
                SPEC_MINOR,
                _c.chainId,
                keccak256(bytes(_c.fork)),
                _c.txGasCap,
                _c.deviations
            )
        );
    }
}
