// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Truncated } from "../commit/CommitErrors.sol";

/// @title LibStepWitness
/// @notice Shared encodings of step witnesses (docs/spec.md §16): record sizes, the halted
///         micro-states, tagged hashing of records straight from calldata, and the
///         `u32 len ‖ bytes` parts of an opcode-step witness.
/// @dev Records inside a witness are their preimage without the tag, fields at the widths of §9.
///      They are hashed from calldata (one `calldatacopy` next to the tag), never decoded into
///      memory structs: a step reads a handful of fields at fixed offsets.
library LibStepWitness {
    /// @notice Opened StepState (six words).
    uint256 internal constant STEP_LEN = 192;
    /// @notice Opened Context.
    uint256 internal constant CONTEXT_LEN = 224;
    /// @notice Opened Frame.
    uint256 internal constant FRAME_LEN = 200;
    /// @notice Opened Snapshot.
    uint256 internal constant SNAPSHOT_LEN = 104;
    /// @notice Opened TxEnv.
    uint256 internal constant TX_LEN = 124;
    /// @notice Opened Boundary.
    uint256 internal constant BOUNDARY_LEN = 192;
    /// @notice Opened BlockEnv.
    uint256 internal constant BLOCK_LEN = 140;

    /// @notice Tag of the halted micro-state (spec §16.2).
    uint8 internal constant HALTED_TAG = 0x1c;
    /// @notice `HALTED(1)`: the frame succeeded (STOP, RETURN).
    bytes32 internal constant HALTED_SUCCESS = keccak256(hex"1c01");
    /// @notice `HALTED(2)`: the frame reverted (REVERT).
    bytes32 internal constant HALTED_REVERT = keccak256(hex"1c02");
    /// @notice `HALTED(3)`: exceptional halt.
    bytes32 internal constant HALTED_EXCEPTION = keccak256(hex"1c03");

    /// @notice Offset of `micro` in a step-state witness (`0x00 ‖ machine ‖ stackHead ‖
    ///         memoryRoot ‖ codeRoot ‖ micro ‖ context`).
    uint256 internal constant MICRO_OFFSET = 1 + 4 * 32;

    /// @notice `keccak256(_tag ‖ _data)`: the hash of a record opened from calldata.
    /// @param _tag The record's domain tag.
    /// @param _data The preimage without the tag.
    /// @return hash_ The record hash.
    function hashRecord(uint8 _tag, bytes calldata _data) internal pure returns (bytes32 hash_) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, _tag)
            calldatacopy(add(m, 1), _data.offset, _data.length)
            hash_ := keccak256(m, add(_data.length, 1))
        }
    }

    /// @notice The word at `_offset` of `_data` (the caller has checked that it is inside).
    /// @param _data The calldata slice.
    /// @param _offset The byte offset.
    /// @return word_ The 32 bytes there.
    function word(bytes calldata _data, uint256 _offset) internal pure returns (uint256 word_) {
        assembly ("memory-safe") {
            word_ := calldataload(add(_data.offset, _offset))
        }
    }

    /// @notice Reads one `u32 len ‖ bytes` part at `_pos` (spec §16.3).
    /// @param _w The witness.
    /// @param _pos Offset of the length prefix.
    /// @return part_ The part's bytes.
    /// @return next_ Offset after the part.
    function readPart(bytes calldata _w, uint256 _pos) internal pure returns (bytes calldata part_, uint256 next_) {
        if (_pos + 4 > _w.length) revert Truncated();
        uint256 len = word(_w, _pos) >> 224;
        uint256 start = _pos + 4;
        next_ = start + len;
        if (next_ > _w.length) revert Truncated();
        part_ = _w[start:next_];
    }

    /// @notice The step-state hash from its six words.
    /// @param _machine The packed machine word.
    /// @param _stackHead The stack head.
    /// @param _memoryRoot The memory root.
    /// @param _codeRoot The code root.
    /// @param _micro The micro-op state.
    /// @param _context The context hash.
    /// @return hash_ `keccak256(0x10 ‖ the six words)`.
    function stepHash(
        uint256 _machine,
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
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x10)
            mstore(add(m, 0x01), _machine)
            mstore(add(m, 0x21), _stackHead)
            mstore(add(m, 0x41), _memoryRoot)
            mstore(add(m, 0x61), _codeRoot)
            mstore(add(m, 0x81), _micro)
            mstore(add(m, 0xa1), _context)
            hash_ := keccak256(m, 0xc1)
        }
    }
}
