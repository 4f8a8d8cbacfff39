// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title LibCommitHash
/// @notice Domain tags and the tagged keccak-256 encodings every gavel commitment is built from
///         (docs/spec.md §2, §4.1, §7.1, §8.1). The Solidity twin of `gavel_commit::hash`.
/// @dev Every commitment is `keccak256(tag ‖ payload)` with a one-byte tag; internal tree nodes
///      follow the zero rule `node(0, 0) = 0`, so `0` is the default sibling at every height.
///      31-byte trie keys are `bytes31` values: left-aligned in the word, bit `i` of the key
///      (most significant bit of byte 0 first) is bit `255 - i` of the word.
///      The hashes are written in assembly on the scratch space (0x00..0x3f) or on the free
///      memory beyond the free memory pointer, which they never move.
library LibCommitHash {
    /// @notice Internal node of every binary tree: `left(32) ‖ right(32)`.
    uint8 internal constant NODE = 0x01;
    /// @notice World-trie terminal (stem node): `stem(31) ‖ subtreeRoot(32)`.
    uint8 internal constant STEM = 0x02;
    /// @notice Substate-trie terminal: `key(31) ‖ value(32)`.
    uint8 internal constant SUBSTATE_LEAF = 0x03;
    /// @notice Stack hash-chain link: `below(32) ‖ item(32)`.
    uint8 internal constant STACK = 0x04;
    /// @notice Stem derivation: `address(20) ‖ treeIndex(32)`.
    uint8 internal constant STEM_KEY = 0x05;
    /// @notice Substate key derivation: `kind(1) ‖ address(20) ‖ slot(32)`.
    uint8 internal constant SUBSTATE_KEY = 0x06;
    /// @notice Log accumulator link.
    uint8 internal constant LOG = 0x07;
    /// @notice Step state (hot record).
    uint8 internal constant STEP = 0x10;
    /// @notice Step context.
    uint8 internal constant CONTEXT = 0x11;
    /// @notice Per-frame constants.
    uint8 internal constant FRAME = 0x12;
    /// @notice Per-transaction constants.
    uint8 internal constant TX = 0x13;
    /// @notice Boundary state between transitions.
    uint8 internal constant BOUNDARY = 0x14;
    /// @notice Per-block constants.
    uint8 internal constant BLOCK = 0x15;
    /// @notice Chain configuration.
    uint8 internal constant CHAIN_CONFIG = 0x16;
    /// @notice Revert snapshot of a call frame.
    uint8 internal constant SNAPSHOT = 0x17;
    /// @notice Receipt accumulator link.
    uint8 internal constant RECEIPT = 0x18;

    /// @notice Internal node hash with the zero rule (spec §2.2).
    /// @param _left The left child.
    /// @param _right The right child.
    /// @return node_ `0` if both children are `0`, else `keccak256(0x01 ‖ _left ‖ _right)`.
    function node(bytes32 _left, bytes32 _right) internal pure returns (bytes32 node_) {
        assembly ("memory-safe") {
            if or(_left, _right) {
                let m := mload(0x40)
                mstore8(m, 0x01)
                mstore(add(m, 0x01), _left)
                mstore(add(m, 0x21), _right)
                node_ := keccak256(m, 0x41)
            }
        }
    }

    /// @notice Terminal hash of a prefix trie (spec §4.2): `keccak256(_tag ‖ _key ‖ _payload)`.
    /// @param _tag The terminal tag (`STEM` for the world trie, `SUBSTATE_LEAF` for the substate).
    /// @param _key The 31-byte key.
    /// @param _payload The payload (a stem's subtree root, or a substate value).
    /// @return terminal_ The terminal hash (64-byte preimage, hashed in the scratch space).
    function terminal(uint8 _tag, bytes31 _key, bytes32 _payload) internal pure returns (bytes32 terminal_) {
        assembly ("memory-safe") {
            mstore(0x00, or(shl(248, _tag), shr(8, _key)))
            mstore(0x20, _payload)
            terminal_ := keccak256(0x00, 0x40)
        }
    }

    /// @notice One stack link (spec §7.1): the head after pushing `_item` onto `_below`.
    /// @param _below The head of the stack under the item (`0` for the empty stack).
    /// @param _item The pushed item.
    /// @return head_ `keccak256(0x04 ‖ _below ‖ _item)`.
    function stackLink(bytes32 _below, uint256 _item) internal pure returns (bytes32 head_) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x04)
            mstore(add(m, 0x01), _below)
            mstore(add(m, 0x21), _item)
            head_ := keccak256(m, 0x41)
        }
    }

    /// @notice The world-trie stem of an account's tree index (spec §4.1).
    /// @param _account The account.
    /// @param _treeIndex The EIP-7864 tree index.
    /// @return stem_ The first 31 bytes of `keccak256(0x05 ‖ _account ‖ _treeIndex)`.
    function stemKey(address _account, uint256 _treeIndex) internal pure returns (bytes31 stem_) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, or(shl(248, 0x05), shl(88, and(_account, 0xffffffffffffffffffffffffffffffffffffffff))))
            mstore(add(m, 0x15), _treeIndex)
            stem_ := and(keccak256(m, 0x35), not(0xff))
        }
    }

    /// @notice A substate key (spec §8.1).
    /// @param _kind The entry kind (1..7).
    /// @param _account The account (0 for the destruct list and count).
    /// @param _slot The slot (or list index; 0 where the kind has none).
    /// @return key_ The first 31 bytes of `keccak256(0x06 ‖ _kind ‖ _account ‖ _slot)`.
    function substateKey(uint8 _kind, address _account, uint256 _slot) internal pure returns (bytes31 key_) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(
                m,
                or(
                    or(shl(248, 0x06), shl(240, and(_kind, 0xff))),
                    shl(80, and(_account, 0xffffffffffffffffffffffffffffffffffffffff))
                )
            )
            mstore(add(m, 0x16), _slot)
            key_ := and(keccak256(m, 0x36), not(0xff))
        }
    }

    /// @notice Bit `_i` of a 31-byte key, most significant bit of byte 0 first.
    /// @param _key The key.
    /// @param _i The bit position, `< 248`.
    /// @return bit_ 0 (left) or 1 (right).
    function bit(bytes31 _key, uint256 _i) internal pure returns (uint256 bit_) {
        bit_ = (uint256(bytes32(_key)) >> (255 - _i)) & 1;
    }
}
