// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Position, ClaimMeta } from "./Types.sol";

/// @notice The per-claim metadata packed into one storage word (docs/protocol.md §3):
///
///         | bits        | field            | type    |
///         |-------------|------------------|---------|
///         | [0, 32)     | `parentIndex`    | uint32  |
///         | [32, 96)    | `position`       | uint64  |
///         | [96, 160)   | `clockTimestamp` | uint64  |
///         | [160, 224)  | `clockDuration`  | uint64  |
///         | [224, 256)  | `childCount`     | uint32  |
///
///         The root's `parentIndex` is `type(uint32).max`.
type PackedClaimMeta is uint256;

using LibClaimMeta for PackedClaimMeta global;

/// @title LibClaimMeta
/// @notice Packs and unpacks `PackedClaimMeta` words.
library LibClaimMeta {
    /// @notice The `parentIndex` of the root claim.
    uint32 internal constant NO_PARENT = type(uint32).max;

    uint256 private constant MASK32 = 0xffffffff;
    uint256 private constant MASK64 = 0xffffffffffffffff;
    uint256 private constant POSITION_SHIFT = 32;
    uint256 private constant TIMESTAMP_SHIFT = 96;
    uint256 private constant DURATION_SHIFT = 160;
    uint256 private constant CHILD_COUNT_SHIFT = 224;

    /// @notice Packs the metadata of a claim.
    /// @param _parentIndex The index of the countered claim (`NO_PARENT` for the root).
    /// @param _position The claim's position (below 2^64).
    /// @param _clockTimestamp When the claim was made.
    /// @param _clockDuration The time its side had used when it was made.
    /// @param _childCount The number of claims countering it.
    /// @return meta_ The packed word.
    function pack(
        uint32 _parentIndex,
        Position _position,
        uint64 _clockTimestamp,
        uint64 _clockDuration,
        uint32 _childCount
    )
        internal
        pure
        returns (PackedClaimMeta meta_)
    {
        meta_ = PackedClaimMeta.wrap(
            uint256(_parentIndex) | (uint256(uint64(Position.unwrap(_position))) << POSITION_SHIFT)
                | (uint256(_clockTimestamp) << TIMESTAMP_SHIFT) | (uint256(_clockDuration) << DURATION_SHIFT)
                | (uint256(_childCount) << CHILD_COUNT_SHIFT)
        );
    }

    /// @notice The index of the countered claim.
    /// @param _meta The packed word.
    /// @return parentIndex_ The parent index (`NO_PARENT` for the root).
    function parentIndex(PackedClaimMeta _meta) internal pure returns (uint32 parentIndex_) {
        parentIndex_ = uint32(PackedClaimMeta.unwrap(_meta) & MASK32);
    }

    /// @notice The claim's position.
    /// @param _meta The packed word.
    /// @return position_ The position.
    function position(PackedClaimMeta _meta) internal pure returns (Position position_) {
        position_ = Position.wrap(uint128((PackedClaimMeta.unwrap(_meta) >> POSITION_SHIFT) & MASK64));
    }

    /// @notice When the claim was made.
    /// @param _meta The packed word.
    /// @return clockTimestamp_ The block timestamp of the move.
    function clockTimestamp(PackedClaimMeta _meta) internal pure returns (uint64 clockTimestamp_) {
        clockTimestamp_ = uint64((PackedClaimMeta.unwrap(_meta) >> TIMESTAMP_SHIFT) & MASK64);
    }

    /// @notice The time the claim's side had used when it was made.
    /// @param _meta The packed word.
    /// @return clockDuration_ The duration in seconds.
    function clockDuration(PackedClaimMeta _meta) internal pure returns (uint64 clockDuration_) {
        clockDuration_ = uint64((PackedClaimMeta.unwrap(_meta) >> DURATION_SHIFT) & MASK64);
    }

    /// @notice The number of claims countering this one.
    /// @param _meta The packed word.
    /// @return childCount_ The child count.
    function childCount(PackedClaimMeta _meta) internal pure returns (uint32 childCount_) {
        childCount_ = uint32(PackedClaimMeta.unwrap(_meta) >> CHILD_COUNT_SHIFT);
    }

    /// @notice The word with `childCount` increased by one.
    /// @dev Reverts (checked arithmetic) if the count would overflow 32 bits.
    /// @param _meta The packed word.
    /// @return meta_ The updated word.
    function incrementChildCount(PackedClaimMeta _meta) internal pure returns (PackedClaimMeta meta_) {
        meta_ = PackedClaimMeta.wrap(PackedClaimMeta.unwrap(_meta) + (uint256(1) << CHILD_COUNT_SHIFT));
    }

    /// @notice Unpacks the word into the `ClaimMeta` struct returned by the game's views.
    /// @param _meta The packed word.
    /// @return unpacked_ The unpacked metadata.
    function unpack(PackedClaimMeta _meta) internal pure returns (ClaimMeta memory unpacked_) {
        unpacked_ = ClaimMeta({
            parentIndex: parentIndex(_meta),
            position: Position.unwrap(position(_meta)),
            clockDuration: clockDuration(_meta),
            clockTimestamp: clockTimestamp(_meta),
            childCount: childCount(_meta)
        });
    }
}
