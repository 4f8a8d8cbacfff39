// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { ChunkCountMismatch, TrailingBytes } from "./CommitErrors.sol";
import { LibSparseProof } from "./LibSparseProof.sol";

/// @title LibCodeProof
/// @notice The code chunk tree (docs/spec.md §5): opcode fetch with its PUSH immediate and
///         jump-destination checks from a code root, plus the EIP-7864 chunking itself. The
///         Solidity twin of `gavel_commit::code`.
/// @dev Code is cut into 32-byte chunks `prefix(1) ‖ code[31i .. 31i + 31]` (zero-padded), where
///      `prefix` is the number (at most 31) of leading bytes that are PUSH data of an earlier
///      instruction. The chunks are the raw leaves of a depth-11 tree (2048 chunks). A chunk of
///      zeros is the empty leaf and also exactly what the EVM reads past the end of code (STOP,
///      no JUMPDEST), so no code size is needed to fetch or to validate a jump.
///
///      Fetching the instruction at `pc` takes the chunks `pc / 31 .. (pc + n) / 31` (capped at
///      2047; `n` the PUSH size of the opcode, byte `1 + pc % 31` of the first chunk) and one
///      multiproof for them: one chunk, two when PUSH data crosses a boundary, three for a
///      PUSH32 on a chunk's last byte. Past the tree (`pc / 31 >= 2048`) the instruction is
///      STOP with no chunks and an empty proof.
///
///      Check order (spec §5.2): past the tree, chunks must be empty (`ChunkCountMismatch`) and
///      the proof empty (`TrailingBytes`); otherwise at least one chunk, exactly the needed
///      number (`ChunkCountMismatch`, decided from the first chunk's opcode byte), then the
///      multiproof (§3.2).
library LibCodeProof {
    /// @notice Code bytes per chunk.
    uint256 internal constant CHUNK_SIZE = 31;
    /// @notice Depth of the code tree.
    uint256 internal constant CODE_DEPTH = 11;
    /// @notice Number of chunks the tree holds.
    uint256 internal constant MAX_CHUNKS = 2048;
    /// @notice The JUMPDEST opcode.
    uint256 internal constant JUMPDEST = 0x5b;

    /// @notice Immediate size of an opcode.
    /// @param _opcode The opcode.
    /// @return size_ 1..32 for PUSH1..PUSH32 (`0x60..0x7f`), else 0.
    function pushLen(uint256 _opcode) internal pure returns (uint256 size_) {
        if (_opcode >= 0x60 && _opcode <= 0x7f) size_ = _opcode - 0x5f;
    }

    /// @notice Fetches the instruction at `_pc` from the code under `_root` (spec §5.2).
    /// @param _root The code root.
    /// @param _pc The program counter.
    /// @param _chunks The chunks `_pc / 31 ..` the instruction touches (none past the tree).
    /// @param _proof Their multiproof (empty past the tree).
    /// @return opcode_ The opcode (0 = STOP past the end of code).
    /// @return immediate_ The PUSH data as a big-endian integer (0 for other opcodes; bytes past
    ///         the end of the tree read as 0).
    function fetch(
        bytes32 _root,
        uint256 _pc,
        bytes32[] memory _chunks,
        bytes calldata _proof
    )
        internal
        pure
        returns (uint256 opcode_, uint256 immediate_)
    {
        uint256 first = _pc / CHUNK_SIZE;
        if (first >= MAX_CHUNKS) {
            if (_chunks.length != 0) revert ChunkCountMismatch();
            if (_proof.length != 0) revert TrailingBytes();
            return (0, 0);
        }
        if (_chunks.length == 0) revert ChunkCountMismatch();
        uint256 offset = _pc % CHUNK_SIZE;
        opcode_ = uint8(_chunks[0][1 + offset]);
        uint256 n = pushLen(opcode_);
        uint256 last = (_pc + n) / CHUNK_SIZE;
        if (last >= MAX_CHUNKS) last = MAX_CHUNKS - 1;
        uint256 count = last - first + 1;
        if (_chunks.length != count) revert ChunkCountMismatch();
        if (count == 1) {
            LibSparseProof.verifyOne(_root, CODE_DEPTH, first, _chunks[0], _proof);
        } else {
            uint256[] memory indices = new uint256[](count);
            for (uint256 i = 0; i < count; ++i) {
                indices[i] = first + i;
            }
            LibSparseProof.verify(_root, CODE_DEPTH, indices, _chunks, _proof);
        }
        if (n != 0) immediate_ = _immediate(_chunks, offset, n);
    }

    /// @notice Whether `_dest` is a valid jump destination of the code under `_root`
    ///         (spec §5.3): chunk `_dest / 31` is opened with a one-leaf proof and scanned.
    /// @param _root The code root.
    /// @param _dest The jump destination.
    /// @param _hasChunk Whether a chunk is given (none past the tree: never valid).
    /// @param _chunk Chunk `_dest / 31`.
    /// @param _proof Its proof (empty past the tree).
    /// @return valid_ Whether `_dest` is a JUMPDEST instruction (not PUSH data).
    function isJumpdest(
        bytes32 _root,
        uint256 _dest,
        bool _hasChunk,
        bytes32 _chunk,
        bytes calldata _proof
    )
        internal
        pure
        returns (bool valid_)
    {
        uint256 c = _dest / CHUNK_SIZE;
        if (c >= MAX_CHUNKS) {
            if (_hasChunk) revert ChunkCountMismatch();
            if (_proof.length != 0) revert TrailingBytes();
            return false;
        }
        if (!_hasChunk) revert ChunkCountMismatch();
        LibSparseProof.verifyOne(_root, CODE_DEPTH, c, _chunk, _proof);
        valid_ = jumpdestInChunk(_chunk, _dest % CHUNK_SIZE);
    }

    /// @notice Whether byte `_offset` (0..30) of a chunk is a JUMPDEST instruction: scans the
    ///         chunk's instructions from its prefix (at most 31 bytes).
    /// @param _chunk The chunk.
    /// @param _offset The code byte within the chunk.
    /// @return valid_ Whether it is a JUMPDEST and not PUSH data.
    function jumpdestInChunk(bytes32 _chunk, uint256 _offset) internal pure returns (bool valid_) {
        if (_offset >= CHUNK_SIZE || uint8(_chunk[1 + _offset]) != JUMPDEST) return false;
        uint256 p = uint8(_chunk[0]);
        while (p < _offset) {
            p += 1 + pushLen(uint8(_chunk[1 + p]));
        }
        valid_ = p == _offset;
    }

    /// @notice EIP-7864 chunking of `_code` (spec §5.1).
    /// @param _code The code.
    /// @return chunks_ `ceil(len / 31)` chunks.
    function chunkify(bytes memory _code) internal pure returns (bytes32[] memory chunks_) {
        uint256 len = _code.length;
        uint256 n = (len + CHUNK_SIZE - 1) / CHUNK_SIZE;
        chunks_ = new bytes32[](n);
        uint256 pc = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint256 start = i * CHUNK_SIZE;
            while (pc < start) {
                pc += 1 + pushLen(uint8(_code[pc]));
            }
            uint256 prefix = pc - start;
            if (prefix > CHUNK_SIZE) prefix = CHUNK_SIZE;
            uint256 avail = len - start;
            if (avail > CHUNK_SIZE) avail = CHUNK_SIZE;
            bytes32 body;
            assembly ("memory-safe") {
                // The chunk's code bytes at bytes 1..31, zero past the end of the code.
                let word := mload(add(add(_code, 0x20), start))
                word := and(word, not(shr(shl(3, avail), not(0))))
                body := shr(8, word)
            }
            chunks_[i] = bytes32(prefix << 248) | body;
        }
    }

    /// @notice The code root of `_code` built from scratch (all its chunks). O(chunks · 11)
    ///         hashes: for tests and for committing code outside a step.
    /// @param _code The code.
    /// @return root_ The code root (`0` for empty code).
    function codeRoot(bytes memory _code) internal pure returns (bytes32 root_) {
        bytes32[] memory chunks = chunkify(_code);
        uint256 n = chunks.length;
        if (n == 0) return 0;
        uint256[] memory indices = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            indices[i] = i;
        }
        root_ = LibSparseProof.sparseRoot(CODE_DEPTH, indices, chunks);
    }

    /// @dev The `_n` bytes after code byte `_offset` of the first chunk, reading on into the
    ///      following chunks (0 past the last one), as a big-endian integer.
    function _immediate(
        bytes32[] memory _chunks,
        uint256 _offset,
        uint256 _n
    )
        private
        pure
        returns (uint256 immediate_)
    {
        assembly ("memory-safe") {
            // Lay the chunks' code bytes out contiguously past the free memory pointer.
            let m := mload(0x40)
            let count := mload(_chunks)
            for { let i := 0 } lt(i, count) { i := add(i, 1) } {
                mstore(add(m, mul(i, 31)), shl(8, mload(add(_chunks, shl(5, add(i, 1))))))
            }
            mstore(add(m, mul(count, 31)), 0)
            immediate_ := shr(sub(256, shl(3, _n)), mload(add(m, add(_offset, 1))))
        }
    }
}
