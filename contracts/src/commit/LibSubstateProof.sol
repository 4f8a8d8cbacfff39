// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { RootMismatch, TrailingBytes, ValueForAbsentKey } from "./CommitErrors.sol";
import { LibCommitHash } from "./LibCommitHash.sol";
import { LibWorldProof } from "./LibWorldProof.sol";

/// @title LibSubstateProof
/// @notice The per-transaction substate (docs/spec.md §8): EIP-2929 warm sets, EIP-1153
///         transient storage and EIP-6780 created/destructed accounts in one prefix trie with
///         terminal tag `0x03` and payload = value, reset to `0` at every transaction start.
///         The Solidity twin of `gavel_commit::substate`.
/// @dev Keys are `keccak256(0x06 ‖ kind ‖ address ‖ slot)[0..31]`. An absent key reads as `0`
///      ("cold" = absent); writing `0` to an absent key changes nothing; present keys are never
///      removed. Proofs are LibWorldProof path proofs with nothing after them. Check order:
///      decode and path rules (§4.3), `TrailingBytes`, `ValueForAbsentKey`, `RootMismatch`.
library LibSubstateProof {
    /// @notice EIP-2929 warm account (address, slot 0); value 1.
    uint8 internal constant WARM_ACCOUNT = 1;
    /// @notice EIP-2929 warm storage slot; value 1.
    uint8 internal constant WARM_SLOT = 2;
    /// @notice EIP-1153 transient storage; value = the word.
    uint8 internal constant TRANSIENT = 3;
    /// @notice Account created in this transaction (EIP-6780); value 1.
    uint8 internal constant CREATED = 4;
    /// @notice Account scheduled for deletion; value 1.
    uint8 internal constant DESTRUCTED = 5;
    /// @notice Entry `slot` of the deletion list (address 0); value = the address.
    uint8 internal constant DESTRUCT_LIST = 6;
    /// @notice Length of the deletion list (address 0, slot 0); value = the count.
    uint8 internal constant DESTRUCT_COUNT = 7;

    /// @notice The trie key of a substate entry.
    /// @param _kind The entry kind (1..7).
    /// @param _account The account (0 for the deletion list and count).
    /// @param _slot The slot, list index or 0.
    /// @return key_ The 31-byte key.
    function key(uint8 _kind, address _account, uint256 _slot) internal pure returns (bytes31 key_) {
        key_ = LibCommitHash.substateKey(_kind, _account, _slot);
    }

    /// @notice Verifies that `_key` holds `_value` (`0` covers absent keys) under `_root`;
    ///         `_proof` must be exactly the path proof.
    /// @param _root The substate root.
    /// @param _key The key.
    /// @param _value The claimed value.
    /// @param _proof The path proof.
    /// @return present_ Whether the key is present (false = absent, e.g. a cold access).
    function verify(bytes32 _root, bytes31 _key, bytes32 _value, bytes calldata _proof) internal pure returns (bool present_) {
        (present_,) = _verify(_root, _key, _value, _proof, 0, true);
    }

    /// @notice `verify` for a proof at `_pos` of a longer witness.
    /// @param _root The substate root.
    /// @param _key The key.
    /// @param _value The claimed value.
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the proof in `_data`.
    /// @return present_ Whether the key is present.
    /// @return next_ Offset after the proof.
    function verifyAt(
        bytes32 _root,
        bytes31 _key,
        bytes32 _value,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (bool present_, uint256 next_)
    {
        (present_, next_) = _verify(_root, _key, _value, _data, _pos, false);
    }

    /// @notice Verifies that `_key` holds `_old` and returns the root after setting it to
    ///         `_new`; `_proof` must be exactly the path proof.
    /// @param _root The substate root.
    /// @param _key The key.
    /// @param _old The value before.
    /// @param _new The value after.
    /// @param _proof The path proof.
    /// @return newRoot_ The substate root after the write.
    function update(
        bytes32 _root,
        bytes31 _key,
        bytes32 _old,
        bytes32 _new,
        bytes calldata _proof
    )
        internal
        pure
        returns (bytes32 newRoot_)
    {
        (newRoot_,) = _update(_root, _key, _old, _new, _proof, 0, true);
    }

    /// @notice `update` for a proof at `_pos` of a longer witness.
    /// @param _root The substate root.
    /// @param _key The key.
    /// @param _old The value before.
    /// @param _new The value after.
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the proof in `_data`.
    /// @return newRoot_ The substate root after the write.
    /// @return next_ Offset after the proof.
    function updateAt(
        bytes32 _root,
        bytes31 _key,
        bytes32 _old,
        bytes32 _new,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (bytes32 newRoot_, uint256 next_)
    {
        (newRoot_, next_) = _update(_root, _key, _old, _new, _data, _pos, false);
    }

    function _open(
        bytes31 _key,
        bytes32 _value,
        bytes calldata _data,
        uint256 _pos,
        bool _exact
    )
        private
        pure
        returns (LibWorldProof.PathProof memory path_)
    {
        path_ = LibWorldProof.decodePath(_data, _pos);
        LibWorldProof.checkPath(path_, _key);
        if (_exact && path_.end != _data.length) revert TrailingBytes();
        if (path_.kind != LibWorldProof.KIND_OWN && _value != 0) revert ValueForAbsentKey();
    }

    function _verify(
        bytes32 _root,
        bytes31 _key,
        bytes32 _value,
        bytes calldata _data,
        uint256 _pos,
        bool _exact
    )
        private
        pure
        returns (bool present_, uint256 next_)
    {
        LibWorldProof.PathProof memory path = _open(_key, _value, _data, _pos, _exact);
        bytes32 h = LibWorldProof.terminalNode(path, LibCommitHash.SUBSTATE_LEAF, _key, _value);
        if (LibWorldProof.foldPath(path, _key, h) != _root) revert RootMismatch();
        present_ = path.kind == LibWorldProof.KIND_OWN;
        next_ = path.end;
    }

    function _update(
        bytes32 _root,
        bytes31 _key,
        bytes32 _old,
        bytes32 _new,
        bytes calldata _data,
        uint256 _pos,
        bool _exact
    )
        private
        pure
        returns (bytes32 newRoot_, uint256 next_)
    {
        LibWorldProof.PathProof memory path = _open(_key, _old, _data, _pos, _exact);
        bytes32 oldRoot;
        (oldRoot, newRoot_) = LibWorldProof.foldPath2(
            path,
            _key,
            LibWorldProof.terminalNode(path, LibCommitHash.SUBSTATE_LEAF, _key, _old),
            LibWorldProof.setTerminal(path, LibCommitHash.SUBSTATE_LEAF, _key, _new)
        );
        if (oldRoot != _root) revert RootMismatch();
        next_ = path.end;
    }
}
