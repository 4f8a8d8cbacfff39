// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { ReservedBytes, TrailingBytes, Truncated } from "../commit/CommitErrors.sol";
import { LibCommitHash } from "../commit/LibCommitHash.sol";
import { LibSubstateProof } from "../commit/LibSubstateProof.sol";
import { LibWorldProof } from "../commit/LibWorldProof.sol";
import { LibStepWitness } from "./LibStepWitness.sol";
import { RecordMismatch, UnsupportedStep } from "./StepErrors.sol";

/// @title StorageStepVerifier
/// @notice The storage part of SLOAD and SSTORE steps (docs/spec.md §16.3): opens the slot in
///         the world trie and its WarmSlot entry in the substate, charges revm 43's EIP-2929 /
///         EIP-2200 / EIP-3529 gas, moves the refund counter and returns the new context.
/// @dev Called by OpcodeStepVerifier once an SLOAD or SSTORE has passed the checks that need no
///      witness (static gas, stack, for SSTORE the EIP-2200 sentry `gas ≤ 2300`); the opcode
///      verifier keeps the fetch, the stack and the halted state. A separate contract because
///      the world and substate proof code does not fit next to the other opcodes under
///      EIP-170's 24,576 bytes.
///
///      Op part (Context at 0, Frame at 224):
///      `Context(224) ‖ Frame(200) ‖ warm proof ‖ current(32) ‖ StemProof(slot)` for SLOAD and
///      SSTORE, and for an SSTORE whose new value differs from the current one additionally
///      `TxEnv(124) ‖ Boundary(192) ‖ original(32) ‖ StemProof(slot)` against
///      `Boundary.worldRoot` (`TxEnv.boundary` is the boundary before the transaction: its world
///      holds the original values). The warm proof is the §8.2 path proof of
///      `WarmSlot(Frame.address, slot)` against `Context.substateRoot`; its kind says whether the
///      slot is warm (1) or cold (0, 2). The current-value opening is against
///      `Context.worldRoot` and SSTORE writes the new value through it (spec §4.4, §4.5).
///
///      Every opening is verified whether or not the gas suffices: the witness's shape never
///      depends on the outcome, and an out-of-gas halt is proven from the same values.
contract StorageStepVerifier {
    using LibStepWitness for bytes;

    /// @dev `Context ‖ Frame`.
    uint256 private constant CF_LEN = 224 + 200;
    /// @dev Byte offset of TxEnv.boundary inside a TxEnv preimage (origin 20, gasPrice 32,
    ///      gasLimit 8, txHash 32).
    uint256 private constant TX_BOUNDARY = 92;

    /// @dev EIP-2929 (Berlin values in revm 43's Osaka table).
    uint256 private constant WARM_READ = 100;
    uint256 private constant COLD_SLOAD = 2100;
    /// @dev EIP-2200 with EIP-2929: `SSTORE_SET − WARM_READ`, `SSTORE_RESET − COLD_SLOAD −
    ///      WARM_READ`.
    uint256 private constant SET = 19_900;
    uint256 private constant RESET = 2800;
    /// @dev EIP-3529's clearing refund: `SSTORE_RESET − COLD_SLOAD + ACCESS_LIST_STORAGE_KEY`.
    int256 private constant CLEAR_REFUND = 4800;

    /// @dev The slot being accessed and the roots as the step moves them.
    struct Slot {
        address account;
        bytes31 stem;
        uint256 subindex;
        bytes32 world;
        bytes32 substate;
    }

    /// @notice The storage effect of an SLOAD (`_op = 0x54`) or SSTORE (`0x55`).
    /// @param _context The running state's context hash.
    /// @param _gas The gas left after the static gas (SLOAD: after its 100).
    /// @param _op The opcode.
    /// @param _slot The slot (top of the stack).
    /// @param _value SSTORE's new value (the second item); ignored by SLOAD.
    /// @param _part The op part (see the contract's notes).
    /// @return ok_ False when the gas does not cover the dynamic cost (exceptional halt).
    /// @return gasLeft_ The gas after the step.
    /// @return context_ The context after the step.
    /// @return result_ The value SLOAD pushes.
    function execute(
        bytes32 _context,
        uint256 _gas,
        uint256 _op,
        uint256 _slot,
        uint256 _value,
        bytes calldata _part
    )
        external
        pure
        returns (bool ok_, uint256 gasLeft_, bytes32 context_, uint256 result_)
    {
        if (_op != 0x54 && _op != 0x55) revert UnsupportedStep("not a storage opcode");
        _openFrame(_context, _part);
        Slot memory slot;
        slot.account = address(uint160(_part.word(224) >> 96));
        (slot.stem, slot.subindex) = LibWorldProof.storageKey(slot.account, _slot);
        slot.world = bytes32(_part.word(0));

        // EIP-2929: the slot becomes warm whatever happens next (a halt restores the snapshot).
        uint256 p = CF_LEN;
        if (p >= _part.length) revert Truncated();
        bool warm = uint8(_part[p]) == LibWorldProof.KIND_OWN;
        (slot.substate, p) = LibSubstateProof.updateAt(
            bytes32(_part.word(32)),
            LibSubstateProof.key(LibSubstateProof.WARM_SLOT, slot.account, _slot),
            warm ? bytes32(uint256(1)) : bytes32(0),
            bytes32(uint256(1)),
            _part,
            p
        );

        if (p + 32 > _part.length) revert Truncated();
        uint256 current = _part.word(p);
        p += 32;
        uint256 cost;
        int256 refund;
        if (_op == 0x54) {
            (, p) = LibWorldProof.verifyStemAt(
                slot.world, slot.stem, _one(slot.subindex), _one(bytes32(current)), _part, p
            );
            cost = warm ? 0 : COLD_SLOAD - WARM_READ;
            result_ = current;
        } else {
            (cost, refund, p) = _sstore(slot, current, _value, warm, _part, p);
        }
        if (p != _part.length) revert TrailingBytes();
        if (_gas < cost) return (false, 0, 0, 0);
        return (true, _gas - cost, _newContext(_part, slot.world, slot.substate, refund), result_);
    }

    /// @dev SSTORE's write through the current-value opening at `_p` (already read: `_current`)
    ///      and its gas and refund; opens the original value only when the value changes.
    function _sstore(
        Slot memory _slot,
        uint256 _current,
        uint256 _new,
        bool _warm,
        bytes calldata _part,
        uint256 _p
    )
        private
        pure
        returns (uint256 cost_, int256 refund_, uint256 next_)
    {
        (_slot.world, next_) = LibWorldProof.updateStemAt(
            _slot.world, _slot.stem, _one(_slot.subindex), _one(bytes32(_current)), _one(bytes32(_new)), _part, _p
        );
        cost_ = WARM_READ + (_warm ? 0 : COLD_SLOAD);
        if (_new != _current) {
            uint256 original;
            (original, next_) = _openOriginal(_part, next_, _slot.stem, _slot.subindex);
            uint256 c;
            (c, refund_) = _sstoreGas(original, _current, _new);
            cost_ += c;
        }
    }

    /// @dev revm 43's `sstore_dynamic_gas` (without the cold cost) and `sstore_refund` at Osaka,
    ///      for `_new ≠ _current`.
    function _sstoreGas(
        uint256 _original,
        uint256 _current,
        uint256 _new
    )
        private
        pure
        returns (uint256 cost_, int256 refund_)
    {
        if (_original == _current) {
            // The slot's first change in the transaction.
            cost_ = _original == 0 ? SET : RESET;
            if (_new == 0) return (cost_, CLEAR_REFUND);
            return (cost_, 0);
        }
        // A dirty slot: only the refund counter moves.
        if (_original != 0) {
            if (_current == 0) refund_ -= CLEAR_REFUND;
            else if (_new == 0) refund_ += CLEAR_REFUND;
        }
        if (_original == _new) refund_ += _original == 0 ? int256(SET) : int256(RESET);
    }

    /// @dev `TxEnv ‖ Boundary ‖ original(32) ‖ StemProof` at `_p`: the slot's value in the world
    ///      before the transaction.
    function _openOriginal(
        bytes calldata _part,
        uint256 _p,
        bytes31 _stem,
        uint256 _subindex
    )
        private
        pure
        returns (uint256 original_, uint256 next_)
    {
        uint256 b = _p + LibStepWitness.TX_LEN;
        uint256 v = b + LibStepWitness.BOUNDARY_LEN;
        if (v + 32 > _part.length) revert Truncated();
        if (LibStepWitness.hashRecord(LibCommitHash.TX, _part[_p:b]) != bytes32(_part.word(192))) {
            revert RecordMismatch();
        }
        if (LibStepWitness.hashRecord(LibCommitHash.BOUNDARY, _part[b:v]) != bytes32(_part.word(_p + TX_BOUNDARY))) {
            revert RecordMismatch();
        }
        original_ = _part.word(v);
        (, next_) = LibWorldProof.verifyStemAt(
            bytes32(_part.word(b)), _stem, _one(_subindex), _one(bytes32(original_)), _part, v + 32
        );
    }

    /// @dev The opened context with a new world root, substate root and `refund + _delta`.
    function _newContext(
        bytes calldata _part,
        bytes32 _world,
        bytes32 _substate,
        int256 _delta
    )
        private
        pure
        returns (bytes32 context_)
    {
        uint256 packed = _part.word(128);
        if (uint128(packed) != 0) revert ReservedBytes();
        int256 refund = int256(int64(uint64(packed >> 128))) + _delta;
        // Unreachable: each SSTORE moves the counter by at most 19,900 under a 2^23 gas cap.
        if (refund < type(int64).min || refund > type(int64).max) revert UnsupportedStep("refund range");
        packed = (packed & ~(uint256(type(uint64).max) << 128)) | (uint256(uint64(int64(refund))) << 128);
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x11)
            mstore(add(m, 0x01), _world)
            mstore(add(m, 0x21), _substate)
            calldatacopy(add(m, 0x41), add(_part.offset, 64), 0x40)
            mstore(add(m, 0x81), packed)
            calldatacopy(add(m, 0xa1), add(_part.offset, 160), 0x40)
            context_ := keccak256(m, 0xe1)
        }
    }

    /// @dev Opens `Context ‖ Frame` at the start of `_part` against `_context`.
    function _openFrame(bytes32 _context, bytes calldata _part) private pure {
        if (_part.length < CF_LEN) revert Truncated();
        if (LibStepWitness.hashRecord(LibCommitHash.CONTEXT, _part[0:224]) != _context) revert RecordMismatch();
        if (LibStepWitness.hashRecord(LibCommitHash.FRAME, _part[224:CF_LEN]) != bytes32(_part.word(160))) {
            revert RecordMismatch();
        }
    }

    /// @dev `[_x]`.
    function _one(uint256 _x) private pure returns (uint256[] memory a_) {
        a_ = new uint256[](1);
        a_[0] = _x;
    }

    /// @dev `[_x]`.
    function _one(bytes32 _x) private pure returns (bytes32[] memory a_) {
        a_ = new bytes32[](1);
        a_[0] = _x;
    }
}
