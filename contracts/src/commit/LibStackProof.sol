// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { RootMismatch, StackUnderflow, TrailingBytes, Truncated } from "./CommitErrors.sol";
import { LibCommitHash } from "./LibCommitHash.sol";

/// @title LibStackProof
/// @notice The stack hash chain (docs/spec.md §7): `head(empty) = 0`,
///         `head(s ++ [x]) = keccak256(0x04 ‖ head(s) ‖ x)`, kept with the length in the step
///         state. The Solidity twin of `gavel_commit::stack`.
/// @dev To consume the top `k` items a step's witness carries
///      `StackOpening(k) := item_1(32) ‖ … ‖ item_k(32) ‖ below(32)` (`item_1` = top): `32(k+1)`
///      bytes and `k` hashes. Check order: `k <= length` (`StackUnderflow`), exactly `32(k+1)`
///      bytes (`Truncated`, `TrailingBytes`), then the fold must give the head
///      (`RootMismatch`). Results are pushed onto `below`.
library LibStackProof {
    /// @notice The EVM stack limit.
    uint256 internal constant MAX_STACK = 1024;

    /// @notice The head after pushing `_item`.
    /// @param _head The head before (`0` for the empty stack).
    /// @param _item The pushed item.
    /// @return head_ `keccak256(0x04 ‖ _head ‖ _item)`.
    function push(bytes32 _head, uint256 _item) internal pure returns (bytes32 head_) {
        head_ = LibCommitHash.stackLink(_head, _item);
    }

    /// @notice Opens the top `_k` items of the stack `(_head, _length)`; `_opening` must be
    ///         exactly the opening.
    /// @param _head The stack head.
    /// @param _length The stack length.
    /// @param _k Number of items to open.
    /// @param _opening `item_1 ‖ … ‖ item_k ‖ below`, 32 bytes each.
    /// @return items_ The items, top first.
    /// @return below_ The head of the stack under them.
    function open(
        bytes32 _head,
        uint256 _length,
        uint256 _k,
        bytes calldata _opening
    )
        internal
        pure
        returns (uint256[] memory items_, bytes32 below_)
    {
        if (_k > _length) revert StackUnderflow();
        uint256 size = (_k + 1) << 5;
        if (_opening.length < size) revert Truncated();
        if (_opening.length > size) revert TrailingBytes();
        (items_, below_) = _fold(_head, _k, _opening, 0);
    }

    /// @notice `open` for an opening at `_pos` of a longer witness.
    /// @param _head The stack head.
    /// @param _length The stack length.
    /// @param _k Number of items to open.
    /// @param _data The calldata holding the opening.
    /// @param _pos Offset of the opening in `_data`.
    /// @return items_ The items, top first.
    /// @return below_ The head of the stack under them.
    /// @return next_ Offset after the opening.
    function openAt(
        bytes32 _head,
        uint256 _length,
        uint256 _k,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (uint256[] memory items_, bytes32 below_, uint256 next_)
    {
        if (_k > _length) revert StackUnderflow();
        next_ = _pos + ((_k + 1) << 5);
        if (next_ > _data.length) revert Truncated();
        (items_, below_) = _fold(_head, _k, _data, _pos);
    }

    /// @dev Reads the items and `below` at `_pos` (known to fit) and checks the head.
    function _fold(
        bytes32 _head,
        uint256 _k,
        bytes calldata _data,
        uint256 _pos
    )
        private
        pure
        returns (uint256[] memory items_, bytes32 below_)
    {
        items_ = new uint256[](_k);
        bytes32 h;
        assembly ("memory-safe") {
            let at := add(_data.offset, _pos)
            below_ := calldataload(add(at, shl(5, _k)))
            let m := mload(0x40)
            mstore8(m, 0x04)
            h := below_
            for { let i := _k } i { } {
                i := sub(i, 1)
                let item := calldataload(add(at, shl(5, i)))
                mstore(add(items_, shl(5, add(i, 1))), item)
                mstore(add(m, 0x01), h)
                mstore(add(m, 0x21), item)
                h := keccak256(m, 0x41)
            }
        }
        if (h != _head) revert RootMismatch();
    }
}
