// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Truncated } from "../../commit/CommitErrors.sol";
import { LibSubstateProof } from "../../commit/LibSubstateProof.sol";
import { LibStepWitness } from "../LibStepWitness.sol";
import { MalformedAccessItem, RecordMismatch, WrongStepKind } from "./BoundaryErrors.sol";
import { LibStepIO } from "./LibStepIO.sol";

/// @title AccessListStepVerifier
/// @notice The access-list warm-up step (docs/spec.md §17.3, witness §17.6): pops the head
///         item of the access-list chain held in `micro` and inserts its WarmAccount or
///         WarmSlot entry into the substate. Gas does not move: the transaction start charged
///         the whole list as intrinsic gas, which is why one item per step keeps every
///         witness small however long the list is.
contract AccessListStepVerifier {
    /// @notice Offsets in the witness (after the `0x00` kind byte).
    uint256 internal constant CONTEXT_AT = 1 + LibStepWitness.STEP_LEN;
    uint256 internal constant REST_AT = CONTEXT_AT + LibStepWitness.CONTEXT_LEN;
    uint256 internal constant ITEM_AT = REST_AT + 32;
    uint256 internal constant ITEM_LEN = 53;
    uint256 internal constant PRESENT_AT = ITEM_AT + ITEM_LEN;
    uint256 internal constant PROOF_AT = PRESENT_AT + 1;

    /// @notice Substate kinds (spec §8.1).
    uint8 internal constant WARM_ACCOUNT = 1;
    uint8 internal constant WARM_SLOT = 2;

    /// @notice Executes one warm-up.
    /// @param _pre The warming StepState (`micro` = the head of the remaining list).
    /// @param _witness `0x00 ‖ StepState(192) ‖ Context(224) ‖ rest(32) ‖ item(53) ‖
    ///        present(1) ‖ substate path proof` (spec §17.6).
    /// @return post_ The StepState with the entry inserted and `micro = rest`.
    function step(bytes32 _pre, uint256, bytes calldata _witness) external pure returns (bytes32 post_) {
        if (_witness.length < PROOF_AT) revert Truncated();
        if (_witness[0] != 0x00) revert WrongStepKind();
        if (LibStepWitness.hashRecord(0x10, _witness[1:CONTEXT_AT]) != _pre) revert RecordMismatch();
        bytes32 micro = LibStepIO.wordAt(_witness, LibStepWitness.MICRO_OFFSET);
        bytes32 rest = LibStepIO.wordAt(_witness, REST_AT);
        // The chain link binds the item and what follows it; tag 0x1d keeps it apart from the
        // HALTED markers (tag 0x1c), so a halted state can never be read as a warming one.
        if (LibStepIO.tagged(0x1d, _witness, REST_AT, 32 + ITEM_LEN) != micro) revert RecordMismatch();
        if (LibStepIO.tagged(0x11, _witness, CONTEXT_AT, LibStepWitness.CONTEXT_LEN) != LibStepIO.wordAt(_witness, 161)) {
            revert RecordMismatch();
        }
        bytes31 key = _key(_witness);
        uint8 present = uint8(_witness[PRESENT_AT]);
        if (present > 1) revert MalformedAccessItem();
        // Idempotent: an entry already warm is "updated" from 1 to 1, which proves its
        // presence and leaves the root as it is.
        bytes32 root = LibSubstateProof.update(
            LibStepIO.wordAt(_witness, CONTEXT_AT + 32), key, bytes32(uint256(present)), bytes32(uint256(1)), _witness[PROOF_AT:]
        );
        post_ = LibStepWitness.stepHash(
            uint256(LibStepIO.wordAt(_witness, 1)),
            LibStepIO.wordAt(_witness, 33),
            LibStepIO.wordAt(_witness, 65),
            LibStepIO.wordAt(_witness, 97),
            rest,
            _contextWith(_witness, root)
        );
    }

    /// @dev The substate key of the item: `kind(1) ‖ address(20) ‖ slot(32)`, kind 1 with a
    ///      zero slot (an address) or kind 2 (an address and a storage key).
    function _key(bytes calldata _w) private pure returns (bytes31 key_) {
        uint8 kind = uint8(_w[ITEM_AT]);
        address account = address(bytes20(_w[ITEM_AT + 1:ITEM_AT + 21]));
        uint256 slot = uint256(LibStepIO.wordAt(_w, ITEM_AT + 21));
        if (kind == WARM_ACCOUNT) {
            if (slot != 0) revert MalformedAccessItem();
        } else if (kind != WARM_SLOT) {
            revert MalformedAccessItem();
        }
        key_ = LibSubstateProof.key(kind, account, slot);
    }

    /// @dev The Context hash with `substateRoot` (its second word) replaced.
    function _contextWith(bytes calldata _w, bytes32 _substateRoot) private pure returns (bytes32 hash_) {
        uint256 len = LibStepWitness.CONTEXT_LEN;
        uint256 contextAt = CONTEXT_AT;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x11)
            calldatacopy(add(m, 1), add(_w.offset, contextAt), len)
            mstore(add(m, 33), _substateRoot)
            hash_ := keccak256(m, add(len, 1))
        }
    }
}
