// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { ReservedBytes, TrailingBytes, Truncated, ChunkCountMismatch } from "../commit/CommitErrors.sol";
import { LibCodeProof } from "../commit/LibCodeProof.sol";
import { LibCommitHash } from "../commit/LibCommitHash.sol";
import { LibMemoryProof } from "../commit/LibMemoryProof.sol";
import { LibStackProof } from "../commit/LibStackProof.sol";
import { LibStepWitness } from "./LibStepWitness.sol";
import { RecordMismatch, UnexpectedPart, UnsupportedOpcode, UnsupportedStep } from "./StepErrors.sol";
import { StorageStepVerifier } from "./StorageStepVerifier.sol";

/// @title OpcodeStepVerifier
/// @notice Re-executes one opcode of the transaction's frame (docs/spec.md §16.3) from a
///         running step state (§16.2) and returns the next running state or the halted state.
/// @dev Witness: `0x00 ‖ StepState preimage (192) ‖ u32 len ‖ fetch ‖ u32 len ‖ stack ‖ u32 len
///      ‖ op ‖ u32 len ‖ halt`. The order of checks is revm 43's: static gas, stack underflow,
///      stack overflow, then the opcode's dynamic gas and own checks; the first failure is an
///      exceptional halt (status 3, gas 0). Every failure gives the same post-state, so the order
///      only decides which witness parts are present: the stack part always, the jump witness
///      once static gas and stack checks pass, every other op part only when the step does not
///      halt. Defined opcodes outside the supported set revert `UnsupportedOpcode`, whatever
///      their operands: they are never proven as an exceptional halt.
///
///      The verifier executes the EVM's own opcodes for arithmetic and bitwise operations, so
///      their semantics cannot drift from the EVM it runs on.
contract OpcodeStepVerifier {
    using LibStepWitness for bytes;

    /// @notice The chain id CHAINID pushes (pinned: every honest BlockEnv carries the chain
    ///         configuration with this id, spec §16.1).
    uint256 public immutable CHAIN_ID;

    /// @notice The storage part of SLOAD and SSTORE (world and substate openings, EIP-2929 /
    ///         EIP-2200 / EIP-3529 gas), in its own contract for EIP-170's size limit.
    StorageStepVerifier public immutable STORAGE;

    /// @dev Per-opcode info byte, 32 opcodes per word, opcode 0 in the most significant byte:
    ///      bit 7 supported, bit 6 pushes without popping (stack overflow possible), bits 4..5
    ///      stack inputs (DUP/SWAP computed), bits 0..3 static gas (revm's gas table). `0x00` =
    ///      undefined at Osaka (exceptional halt), `0x01` = defined but unsupported.
    uint256 private constant INFO_0 = 0x80a3a5a3a5a5a5a5b8b8aaa500000000a3a3a3a3a393a3a3a393a3a3a3a39500;
    uint256 private constant INFO_1 = 0x01000000000000000000000000000000c201c2c2c293c201c201c20101010101;
    uint256 private constant INFO_2 = 0x01c2c2c2c2c2c201c293c200000000009293a3a390a098aac2c2c281010101c2;
    uint256 private constant INFO_3 = 0xc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3;
    uint256 private constant INFO_4 = 0xc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c383838383838383838383838383838383;
    uint256 private constant INFO_5 = 0x0101010101000000000000000000000000000000000000000000000000000000;
    uint256 private constant INFO_7 = 0x00000000000000000000000000000000010101a0010100000000010000a08001;

    /// @dev The halt part: Context ‖ Frame ‖ Snapshot.
    uint256 private constant HALT_LEN = 224 + 200 + 104;
    /// @dev Context ‖ Frame.
    uint256 private constant CF_LEN = 224 + 200;
    /// @dev Context ‖ TxEnv.
    uint256 private constant CT_LEN = 224 + 124;
    /// @dev Context ‖ TxEnv ‖ Boundary ‖ BlockEnv.
    uint256 private constant CTBB_LEN = 224 + 124 + 192 + 140;

    /// @dev The running state being executed; written back as the post-state.
    struct State {
        uint256 pc;
        uint256 gas;
        uint256 len;
        uint256 memSize;
        bytes32 head;
        bytes32 memRoot;
        bytes32 codeRoot;
        bytes32 context;
    }

    /// @dev SLOAD's static gas (EIP-2929 warm read): too large for the info byte's 4 bits.
    uint256 private constant SLOAD_STATIC_GAS = 100;
    /// @dev EIP-2200's sentry: SSTORE with at most the call stipend left is out of gas.
    uint256 private constant SSTORE_SENTRY = 2300;

    /// @param _chainId The L2 chain id (ChainConfig.chainId, spec §9.8).
    /// @param _storage The storage-step verifier.
    constructor(uint64 _chainId, StorageStepVerifier _storage) {
        CHAIN_ID = _chainId;
        STORAGE = _storage;
    }

    /// @notice Executes the opcode at the pre-state's pc.
    /// @dev Called by EvmStepVerifier for StepState pre-states with `micro = 0`; `traceIndex`
    ///      plays no role inside a transaction.
    /// @param _pre The StepState hash before the opcode.
    /// @param _w The witness (spec §16.3), `_w[0] = 0x00`.
    /// @return post_ The StepState hash after the opcode.
    function step(bytes32 _pre, uint256, bytes calldata _w) external view returns (bytes32 post_) {
        if (_w.length < 1 + LibStepWitness.STEP_LEN) revert Truncated();
        if (uint8(_w[0]) != 0) revert UnsupportedStep("not a step state");
        if (LibStepWitness.hashRecord(LibCommitHash.STEP, _w[1:193]) != _pre) revert RecordMismatch();
        State memory s;
        {
            uint256 machine = _w.word(1);
            if (uint80(machine) != 0) revert ReservedBytes();
            // A cursor or micro state belongs to another step kind (warm-up, transaction end).
            if (uint32(machine >> 80) != 0 || _w.word(LibStepWitness.MICRO_OFFSET) != 0) {
                revert UnsupportedStep("not a running state");
            }
            s.pc = uint32(machine >> 224);
            s.gas = uint64(machine >> 160);
            s.len = uint16(machine >> 144);
            s.memSize = uint32(machine >> 112);
            s.head = bytes32(_w.word(33));
            s.memRoot = bytes32(_w.word(65));
            s.codeRoot = bytes32(_w.word(97));
            s.context = bytes32(_w.word(161));
        }
        (bytes calldata fetchPart, uint256 p) = _w.readPart(193);
        bytes calldata stackPart;
        bytes calldata opPart;
        bytes calldata haltPart;
        (stackPart, p) = _w.readPart(p);
        (opPart, p) = _w.readPart(p);
        (haltPart, p) = _w.readPart(p);
        if (p != _w.length) revert TrailingBytes();

        (uint256 op, uint256 imm) = _fetch(s.codeRoot, s.pc, fetchPart);
        uint256 info = _info(op);
        if (info != 0 && info & 0x80 == 0) revert UnsupportedOpcode(uint8(op));
        uint256 inputs = (info >> 4) & 3;
        if (op >= 0x80 && op < 0xa0) inputs = op < 0x90 ? op - 0x7f : op - 0x8e;

        // The opening is checked even when the step halts: its shape never depends on the order.
        uint256 k = inputs < s.len ? inputs : s.len;
        uint256[] memory items;
        bytes32 below = s.head;
        if (k != 0) {
            (items, below) = LibStackProof.open(s.head, s.len, k, stackPart);
        } else if (stackPart.length != 0) {
            revert UnexpectedPart();
        }

        uint256 cost = op == 0x54 ? SLOAD_STATIC_GAS : info & 0xf;
        if (
            info == 0 || op == 0xfe || s.gas < cost || s.len < inputs
                || (info & 0x40 != 0 && s.len >= LibStackProof.MAX_STACK)
        ) {
            return _exceptional(s, opPart, haltPart);
        }
        s.gas -= cost;
        post_ = _execute(s, op, imm, inputs, items, below, opPart, haltPart);
    }

    ////////////////////////////////////////////////////////////////
    //                         Execution                          //
    ////////////////////////////////////////////////////////////////

    /// @dev Executes a supported opcode whose static gas and stack checks passed.
    function _execute(
        State memory s,
        uint256 op,
        uint256 imm,
        uint256 inputs,
        uint256[] memory items,
        bytes32 below,
        bytes calldata opPart,
        bytes calldata haltPart
    )
        private
        view
        returns (bytes32)
    {
        if (op == 0x00) {
            _noPart(opPart);
            return _halt(s, 1, s.gas, 0, 0, 0, haltPart);
        }
        if (op == 0xf3 || op == 0xfd) return _return(s, op, items, opPart, haltPart);

        uint256 nextPc = s.pc + 1;
        bool pushes = true;
        uint256 result;
        if (op < 0x20) {
            _noPart(opPart);
            uint256 b = inputs > 1 ? items[1] : 0;
            if (op == 0x0a && b != 0) {
                // EIP-160: 50 per byte of the exponent.
                uint256 expCost;
                assembly ("memory-safe") {
                    expCost := mul(50, add(shr(3, sub(255, clz(b))), 1))
                }
                if (s.gas < expCost) return _exceptional(s, opPart, haltPart);
                s.gas -= expCost;
            }
            result = _alu(op, items[0], b, inputs > 2 ? items[2] : 0);
        } else if (op >= 0x5f && op <= 0x7f) {
            result = imm;
            nextPc += op - 0x5f;
            _noPart(opPart);
        } else if (op >= 0x80 && op < 0x90) {
            // DUPn re-pushes a copy onto the unchanged stack: no refold.
            _noPart(opPart);
            below = s.head;
            result = items[inputs - 1];
            inputs = 0;
        } else if (op >= 0x90 && op < 0xa0) {
            _noPart(opPart);
            uint256 top = items[0];
            items[0] = items[inputs - 1];
            items[inputs - 1] = top;
            for (uint256 i = inputs; i > 0; --i) {
                below = LibStackProof.push(below, items[i - 1]);
            }
            inputs = 0;
            pushes = false;
        } else if (op >= 0x30 && op < 0x50) {
            if (op == 0x35) {
                result = _calldataload(s.context, items[0], opPart);
            } else if (op == 0x46) {
                _noPart(opPart);
                result = CHAIN_ID;
            } else if (op == 0x49) {
                // No blob transactions (spec §14.2): every versioned hash reads as 0.
                _noPart(opPart);
            } else if (op == 0x4a) {
                // No blob use: the blob base fee stays at its minimum.
                _noPart(opPart);
                result = 1;
            } else {
                result = _environment(op, s.context, opPart);
            }
        } else if (op == 0x54 || op == 0x55) {
            // The sentry comes after the stack check and before any gas (revm's order): it
            // needs no witness.
            if (op == 0x55 && s.gas <= SSTORE_SENTRY) return _exceptional(s, opPart, haltPart);
            (bool ok, uint256 gasLeft, bytes32 context, uint256 loaded) =
                STORAGE.execute(s.context, s.gas, op, items[0], op == 0x55 ? items[1] : 0, opPart);
            // A failed dynamic-gas check halts from the running context (the snapshot restores).
            if (!ok) return _halt(s, 3, 0, 0, 0, 0, haltPart);
            (s.gas, s.context, result) = (gasLeft, context, loaded);
            pushes = op == 0x54;
        } else if (op == 0x51 || op == 0x52 || op == 0x53) {
            uint256 offset = items[0];
            uint256 size = op == 0x53 ? 1 : 32;
            if (offset >> 64 != 0 || !_expand(s, offset, size)) return _exceptional(s, opPart, haltPart);
            if (op == 0x51) {
                result = _mload(s.memRoot, offset, opPart);
            } else {
                s.memRoot = _mstore(s.memRoot, offset, items[1], op == 0x53, opPart);
                pushes = false;
            }
        } else if (op == 0x56 || op == 0x57) {
            pushes = false;
            if (op == 0x57 && items[1] == 0) {
                _noPart(opPart);
            } else {
                bool has = opPart.length >= 32;
                bytes32 chunk = has ? bytes32(opPart[0:32]) : bytes32(0);
                if (!LibCodeProof.isJumpdest(s.codeRoot, items[0], has, chunk, has ? opPart[32:] : opPart)) {
                    return _halt(s, 3, 0, 0, 0, 0, haltPart);
                }
                nextPc = items[0];
            }
        } else {
            _noPart(opPart);
            if (op == 0x50) pushes = false;
            else if (op == 0x58) result = s.pc;
            else if (op == 0x59) result = s.memSize;
            else if (op == 0x5a) result = s.gas;
            else pushes = false; // JUMPDEST
        }
        if (haltPart.length != 0) revert UnexpectedPart();

        s.len -= inputs;
        if (pushes) {
            below = LibStackProof.push(below, result);
            ++s.len;
        }
        return LibStepWitness.stepHash(
            (nextPc << 224) | (s.gas << 160) | (s.len << 144) | (s.memSize << 112),
            below,
            s.memRoot,
            s.codeRoot,
            0,
            s.context
        );
    }

    /// @dev Arithmetic, comparison and bitwise opcodes on the EVM itself. Yul's first argument is
    ///      the top of the stack, as in the opcode.
    function _alu(uint256 op, uint256 a, uint256 b, uint256 c) private pure returns (uint256 r) {
        assembly ("memory-safe") {
            switch op
            case 0x01 { r := add(a, b) }
            case 0x02 { r := mul(a, b) }
            case 0x03 { r := sub(a, b) }
            case 0x04 { r := div(a, b) }
            case 0x05 { r := sdiv(a, b) }
            case 0x06 { r := mod(a, b) }
            case 0x07 { r := smod(a, b) }
            case 0x08 { r := addmod(a, b, c) }
            case 0x09 { r := mulmod(a, b, c) }
            case 0x0a { r := exp(a, b) }
            case 0x0b { r := signextend(a, b) }
            case 0x10 { r := lt(a, b) }
            case 0x11 { r := gt(a, b) }
            case 0x12 { r := slt(a, b) }
            case 0x13 { r := sgt(a, b) }
            case 0x14 { r := eq(a, b) }
            case 0x15 { r := iszero(a) }
            case 0x16 { r := and(a, b) }
            case 0x17 { r := or(a, b) }
            case 0x18 { r := xor(a, b) }
            case 0x19 { r := not(a) }
            case 0x1a { r := byte(a, b) }
            case 0x1b { r := shl(a, b) }
            case 0x1c { r := shr(a, b) }
            case 0x1d { r := sar(a, b) }
            default { r := clz(a) }
        }
    }

    /// @dev RETURN (`op = 0xf3`) and REVERT: only the expansion gas is checked, the output stays
    ///      a view into the frame's memory.
    function _return(
        State memory s,
        uint256 op,
        uint256[] memory items,
        bytes calldata opPart,
        bytes calldata haltPart
    )
        private
        pure
        returns (bytes32)
    {
        uint256 offset = items[0];
        uint256 size = items[1];
        if (size >> 64 != 0) return _exceptional(s, opPart, haltPart);
        _noPart(opPart);
        // An empty output is the empty view whatever the offset (revm ignores the offset then).
        bytes32 root;
        if (size != 0) {
            if (offset >> 64 != 0 || !_expand(s, offset, size)) return _exceptional(s, opPart, haltPart);
            root = s.memRoot;
        } else {
            offset = 0;
        }
        return _halt(s, op == 0xf3 ? 1 : 2, s.gas, root, offset, size, haltPart);
    }

    /// @dev Charges memory expansion to cover `[_offset, _offset + _size)` (`_size > 0`, both
    ///      below 2^64): `3w + ⌊w²/512⌋` on the new size minus the same on the old. False when the
    ///      gas does not cover it.
    function _expand(State memory s, uint256 _offset, uint256 _size) private pure returns (bool) {
        uint256 words = (_offset + _size + 31) >> 5;
        uint256 oldWords = s.memSize >> 5;
        if (words <= oldWords) return true;
        uint256 cost = (3 * words + (words * words) / 512) - (3 * oldWords + (oldWords * oldWords) / 512);
        if (cost > s.gas) return false;
        // Unreachable under the 2^23 gas cap (2^16 words cost more); refused rather than
        // truncated into the uint32 memory size.
        if (words > LibMemoryProof.MAX_WORDS) revert UnsupportedStep("memory beyond tree");
        s.gas -= cost;
        s.memSize = words << 5;
        return true;
    }

    ////////////////////////////////////////////////////////////////
    //                          Memory                            //
    ////////////////////////////////////////////////////////////////

    /// @dev Splits an op part into the `_n` opened words and their proof.
    function _words(bytes calldata _part, uint256 _n) private pure returns (bytes32 w0_, bytes32 w1_, bytes calldata proof_) {
        if (_part.length < _n << 5) revert Truncated();
        w0_ = bytes32(_part.word(0));
        if (_n == 2) w1_ = bytes32(_part.word(32));
        proof_ = _part[_n << 5:];
    }

    /// @dev MLOAD: one word aligned, two unaligned.
    function _mload(bytes32 _root, uint256 _offset, bytes calldata _part) private pure returns (uint256 value_) {
        uint256 first = _offset >> 5;
        uint256 o = (_offset & 31) << 3;
        uint256 n = o == 0 ? 1 : 2;
        (bytes32 w0, bytes32 w1, bytes calldata proof) = _words(_part, n);
        if (n == 1) {
            LibMemoryProof.verifyWord(_root, first, w0, proof);
            return uint256(w0);
        }
        LibMemoryProof.verifyWords(_root, _pair(first), _pair(w0, w1), proof);
        value_ = (uint256(w0) << o) | (uint256(w1) >> (256 - o));
    }

    /// @dev MSTORE (32 bytes) and MSTORE8 (the low byte): verifies the old words, returns the
    ///      new root from the same proof.
    function _mstore(
        bytes32 _root,
        uint256 _offset,
        uint256 _value,
        bool _byte,
        bytes calldata _part
    )
        private
        pure
        returns (bytes32)
    {
        uint256 first = _offset >> 5;
        uint256 o = (_offset & 31) << 3;
        uint256 n = (_byte || o == 0) ? 1 : 2;
        (bytes32 w0, bytes32 w1, bytes calldata proof) = _words(_part, n);
        if (_byte) {
            uint256 shift = 248 - o;
            bytes32 b0 = bytes32((uint256(w0) & ~(uint256(0xff) << shift)) | ((_value & 0xff) << shift));
            return LibMemoryProof.updateWord(_root, first, w0, b0, proof);
        }
        if (n == 1) return LibMemoryProof.updateWord(_root, first, w0, bytes32(_value), proof);
        uint256 low = type(uint256).max >> o;
        bytes32 n0 = bytes32((uint256(w0) & ~low) | (_value >> o));
        bytes32 n1 = bytes32((uint256(w1) & low) | (_value << (256 - o)));
        return LibMemoryProof.updateWords(_root, _pair(first), _pair(w0, w1), _pair(n0, n1), proof);
    }

    /// @dev `[_first, _first + 1]`.
    function _pair(uint256 _first) private pure returns (uint256[] memory a_) {
        a_ = new uint256[](2);
        a_[0] = _first;
        a_[1] = _first + 1;
    }

    /// @dev `[_a, _b]`.
    function _pair(bytes32 _a, bytes32 _b) private pure returns (bytes32[] memory a_) {
        a_ = new bytes32[](2);
        a_[0] = _a;
        a_[1] = _b;
    }

    ////////////////////////////////////////////////////////////////
    //                        Environment                         //
    ////////////////////////////////////////////////////////////////

    /// @dev Opens Context at the start of `_part` against the step's context hash.
    function _openContext(bytes32 _context, bytes calldata _part) private pure {
        if (_part.length < LibStepWitness.CONTEXT_LEN) revert Truncated();
        if (LibStepWitness.hashRecord(LibCommitHash.CONTEXT, _part[0:224]) != _context) revert RecordMismatch();
    }

    /// @dev Opens `Context ‖ Frame` at the start of `_part`.
    function _openFrame(bytes32 _context, bytes calldata _part) private pure {
        _openContext(_context, _part);
        if (_part.length < CF_LEN) revert Truncated();
        if (LibStepWitness.hashRecord(LibCommitHash.FRAME, _part[224:CF_LEN]) != bytes32(_part.word(160))) {
            revert RecordMismatch();
        }
    }

    /// @dev Opens `Context ‖ TxEnv` at the start of `_part`.
    function _openTx(bytes32 _context, bytes calldata _part) private pure {
        _openContext(_context, _part);
        if (_part.length < CT_LEN) revert Truncated();
        if (LibStepWitness.hashRecord(LibCommitHash.TX, _part[224:CT_LEN]) != bytes32(_part.word(192))) {
            revert RecordMismatch();
        }
    }

    /// @dev ADDRESS, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE, ORIGIN, GASPRICE and the block
    ///      opcodes: each opens exactly the chain of records down to its field.
    function _environment(uint256 op, bytes32 _context, bytes calldata _part) private pure returns (uint256 value_) {
        uint256 len;
        if (op == 0x32 || op == 0x3a) {
            _openTx(_context, _part);
            len = CT_LEN;
            // TxEnv: origin(20) at 224, gasPrice at 244.
            value_ = op == 0x32 ? _part.word(224) >> 96 : _part.word(244);
        } else if (op >= 0x40) {
            _openTx(_context, _part);
            len = CTBB_LEN;
            if (_part.length < CTBB_LEN) revert Truncated();
            // Boundary at 348 is TxEnv.boundary (at 224 + 92); BlockEnv at 540 is
            // Boundary.blockEnv (at 348 + 64).
            if (LibStepWitness.hashRecord(LibCommitHash.BOUNDARY, _part[348:540]) != bytes32(_part.word(316))) {
                revert RecordMismatch();
            }
            if (LibStepWitness.hashRecord(LibCommitHash.BLOCK, _part[540:680]) != bytes32(_part.word(412))) {
                revert RecordMismatch();
            }
            // BlockEnv: number(8) 0, timestamp(8) 8, gasLimit(8) 16, coinbase(20) 24, baseFee 44,
            // prevRandao 76.
            if (op == 0x41) value_ = _part.word(564) >> 96;
            else if (op == 0x42) value_ = _part.word(548) >> 192;
            else if (op == 0x43) value_ = _part.word(540) >> 192;
            else if (op == 0x44) value_ = _part.word(616);
            else if (op == 0x45) value_ = _part.word(556) >> 192;
            else value_ = _part.word(584); // BASEFEE
        } else {
            _openFrame(_context, _part);
            len = CF_LEN;
            // Frame at 224: address(20) 0, caller(20) 20, value 40, calldataRoot 72, packed 104
            // (calldataOffset(4), calldataLength(4), codeSize(4), ...).
            if (op == 0x30) value_ = _part.word(224) >> 96;
            else if (op == 0x33) value_ = _part.word(244) >> 96;
            else if (op == 0x34) value_ = _part.word(264);
            else if (op == 0x36) value_ = uint32(_part.word(328) >> 192);
            else value_ = uint32(_part.word(328) >> 160); // CODESIZE
        }
        if (_part.length != len) revert TrailingBytes();
    }

    /// @dev CALLDATALOAD `_i`: the calldata view's words covering `[off + i, off + min(i + 32,
    ///      len))` with their multiproof; nothing when `_i >= len`. Bytes past the view read 0
    ///      (the view may sit inside a larger memory).
    function _calldataload(bytes32 _context, uint256 _i, bytes calldata _part) private pure returns (uint256 value_) {
        _openFrame(_context, _part);
        uint256 packed = _part.word(328);
        uint256 off = packed >> 224;
        uint256 len = uint32(packed >> 192);
        if (_i >= len) {
            if (_part.length != CF_LEN) revert TrailingBytes();
            return 0;
        }
        uint256 count = len - _i;
        if (count > 32) count = 32;
        uint256 start = off + _i;
        uint256 first = start >> 5;
        uint256 n = ((start + count - 1) >> 5) - first + 1;
        (bytes32 w0, bytes32 w1, bytes calldata proof) = _words(_part[CF_LEN:], n);
        bytes32 root = bytes32(_part.word(296));
        uint256 o = (start & 31) << 3;
        if (n == 1) {
            LibMemoryProof.verifyWord(root, first, w0, proof);
            value_ = uint256(w0) << o;
        } else {
            LibMemoryProof.verifyWords(root, _pair(first), _pair(w0, w1), proof);
            value_ = (uint256(w0) << o) | (uint256(w1) >> (256 - o));
        }
        value_ &= ~(type(uint256).max >> (count << 3));
    }

    ////////////////////////////////////////////////////////////////
    //                      Fetch and halts                       //
    ////////////////////////////////////////////////////////////////

    /// @dev The fetch part is the chunks ‖ their multiproof; the chunk count follows from the
    ///      first chunk's opcode byte (spec §5.2).
    function _fetch(bytes32 _root, uint256 _pc, bytes calldata _part) private pure returns (uint256, uint256) {
        uint256 first = _pc / LibCodeProof.CHUNK_SIZE;
        if (first >= LibCodeProof.MAX_CHUNKS) {
            return LibCodeProof.fetch(_root, _pc, new bytes32[](0), _part);
        }
        if (_part.length < 32) revert ChunkCountMismatch();
        uint256 opcode = uint8(_part[1 + _pc % LibCodeProof.CHUNK_SIZE]);
        uint256 last = (_pc + LibCodeProof.pushLen(opcode)) / LibCodeProof.CHUNK_SIZE;
        if (last >= LibCodeProof.MAX_CHUNKS) last = LibCodeProof.MAX_CHUNKS - 1;
        uint256 count = last - first + 1;
        if (_part.length < count << 5) revert ChunkCountMismatch();
        bytes32[] memory chunks = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            chunks[i] = bytes32(_part.word(i << 5));
        }
        return LibCodeProof.fetch(_root, _pc, chunks, _part[count << 5:]);
    }

    /// @dev The info byte of an opcode.
    function _info(uint256 op) private pure returns (uint256 info_) {
        uint256 w;
        uint256 g = op >> 5;
        if (g == 0) w = INFO_0;
        else if (g == 1) w = INFO_1;
        else if (g == 2) w = INFO_2;
        else if (g == 3) w = INFO_3;
        else if (g == 4) w = INFO_4;
        else if (g == 5) w = INFO_5;
        else if (g == 7) w = INFO_7;
        info_ = (w >> ((31 - (op & 31)) << 3)) & 0xff;
    }

    /// @dev Reverts unless an op part this step does not need is empty.
    function _noPart(bytes calldata _part) private pure {
        if (_part.length != 0) revert UnexpectedPart();
    }

    /// @dev Exceptional halt: no op part, status 3, gas 0, return data empty.
    function _exceptional(
        State memory s,
        bytes calldata opPart,
        bytes calldata haltPart
    )
        private
        pure
        returns (bytes32)
    {
        _noPart(opPart);
        return _halt(s, 3, 0, 0, 0, 0, haltPart);
    }

    /// @dev The halted state (spec §16.2) from the halt part `Context ‖ Frame ‖ Snapshot`:
    ///      status 1 keeps the context's world, substate, logs and refund; 2 and 3 restore them
    ///      from the frame's snapshot. Only the transaction's frame may halt here.
    function _halt(
        State memory s,
        uint256 _status,
        uint256 _gasLeft,
        bytes32 _rdRoot,
        uint256 _rdOffset,
        uint256 _rdLength,
        bytes calldata _part
    )
        private
        pure
        returns (bytes32)
    {
        if (_part.length < HALT_LEN) revert Truncated();
        if (_part.length > HALT_LEN) revert TrailingBytes();
        _openFrame(s.context, _part);
        if (_part.word(360) != 0 || uint16(_part.word(328) >> 80) != 0) revert UnsupportedStep("nested frame");
        if (LibStepWitness.hashRecord(LibCommitHash.SNAPSHOT, _part[CF_LEN:HALT_LEN]) != bytes32(_part.word(392))) {
            revert RecordMismatch();
        }
        uint256 from = CF_LEN;
        uint256 refund = _part.word(CF_LEN + 96) >> 192;
        if (_status == 1) {
            from = 0;
            uint256 packed = _part.word(128);
            if (uint128(packed) != 0) revert ReservedBytes();
            refund = uint64(packed >> 128);
        }
        bytes32 context;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x11)
            calldatacopy(add(m, 0x01), add(_part.offset, from), 0x60)
            mstore(add(m, 0x61), _rdRoot)
            mstore(add(m, 0x81), or(or(shl(224, _rdOffset), shl(192, _rdLength)), shl(128, refund)))
            calldatacopy(add(m, 0xa1), add(_part.offset, 160), 0x40)
            context := keccak256(m, 0xe1)
        }
        bytes32 micro = _status == 1
            ? LibStepWitness.HALTED_SUCCESS
            : (_status == 2 ? LibStepWitness.HALTED_REVERT : LibStepWitness.HALTED_EXCEPTION);
        return LibStepWitness.stepHash(_gasLeft << 160, 0, 0, 0, micro, context);
    }
}
