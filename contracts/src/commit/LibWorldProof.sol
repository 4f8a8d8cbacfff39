// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {
    DepthOutOfRange,
    EmptyTerminalWithoutSibling,
    OtherKeyIsTarget,
    OtherKeyPrefixMismatch,
    ReservedBytes,
    RootMismatch,
    TrailingBytes,
    Truncated,
    UnknownTerminal,
    UnsupportedVersion,
    ValueForAbsentKey
} from "./CommitErrors.sol";
import { LibCommitHash } from "./LibCommitHash.sol";
import { LibSparseProof } from "./LibSparseProof.sol";

/// @title LibWorldProof
/// @notice The world state (docs/spec.md §4): EIP-7864 tree keys derived with keccak, the
///         BASIC_DATA leaf, path proofs of the prefix trie (decode, canonical rules, fold,
///         set-and-split) and stem openings that verify or rewrite leaves of one stem. The
///         Solidity twin of `gavel_commit::trie::{key, path, world}`; the substate trie
///         (LibSubstateProof) uses the same path proofs with terminal tag `0x03`.
/// @dev A path proof opens one 31-byte key of a prefix trie whose terminals are
///      `keccak256(tag ‖ key ‖ payload)`:
///
///      `PathProof := kind(1) ‖ depth(1) ‖ [otherKey(31) ‖ otherPayload(32) if kind = 2]
///                    ‖ bitmap ‖ siblings                (§3.1, R = depth, bottom-up)`
///
///      kind 0: the path ends in an empty subtree at `depth` (absent); kind 1: the key's own
///      terminal (present); kind 2: another key's terminal (absent). Request j is the sibling
///      at depth `depth - j`, so the fold over the key's first `depth` bits is exactly a
///      fixed-depth fold (LibSparseProof.fold) with index `key >> (256 - depth)`.
///
///      A stem opening is `PathProof(tag 0x02) ‖ MultiProof(depth 8, subindices)` (the
///      multiproof only if kind = 1). Check order (spec §4.5): path decode (`Truncated`,
///      `DepthOutOfRange`, `UnknownTerminal`, sibling checks), path rules
///      (`EmptyTerminalWithoutSibling`, `OtherKeyIsTarget`, `OtherKeyPrefixMismatch`),
///      subindices and multiproof (or the subindices alone for an absent stem),
///      `TrailingBytes`, `ValueForAbsentKey`, `RootMismatch`.
///
///      A step touching several stems carries one opening per stem, each verified against the
///      root the previous one left (spec §4.6): call `updateStemAt` in sequence.
library LibWorldProof {
    /// @notice Bits of a trie key: the deepest a terminal can sit.
    uint256 internal constant KEY_BITS = 248;
    /// @notice Depth of a stem's 256-leaf subtree.
    uint256 internal constant STEM_DEPTH = 8;

    /// @notice Path kind: the path ends in an empty subtree (absent).
    uint256 internal constant KIND_EMPTY = 0;
    /// @notice Path kind: the path ends in the key's own terminal (present).
    uint256 internal constant KIND_OWN = 1;
    /// @notice Path kind: the path ends in another key's terminal (absent).
    uint256 internal constant KIND_OTHER = 2;

    /// @notice Subindex of the BASIC_DATA leaf.
    uint256 internal constant BASIC_DATA_LEAF = 0;
    /// @notice Subindex of the CODE_HASH leaf (`keccak256(code)`).
    uint256 internal constant CODE_HASH_LEAF = 1;
    /// @notice Subindex of the CODE_ROOT leaf (root of the code chunk tree; gavel).
    uint256 internal constant CODE_ROOT_LEAF = 2;
    /// @notice First subindex of the header storage slots (slots 0..63).
    uint256 internal constant HEADER_STORAGE_OFFSET = 64;
    /// @notice Number of header storage slots.
    uint256 internal constant HEADER_STORAGE_SLOTS = 64;
    /// @notice Tree-index offset of main storage: `MAIN_STORAGE_OFFSET / 256 = 256^30`.
    uint256 internal constant MAIN_STORAGE_TREE_OFFSET = 1 << 240;

    /// @notice A decoded path proof.
    /// @custom:field kind KIND_EMPTY, KIND_OWN or KIND_OTHER.
    /// @custom:field depth Depth of the terminal (number of siblings, at most 248).
    /// @custom:field otherKey The foreign key (kind 2 only).
    /// @custom:field otherPayload The foreign key's payload (kind 2 only).
    /// @custom:field bitmap The sibling bitmap (bit j = request j is non-default).
    /// @custom:field first Request 0's sibling (0 if default).
    /// @custom:field siblings Absolute calldata position of the first flagged sibling.
    /// @custom:field end Offset in the proof data right after the path proof.
    struct PathProof {
        uint256 kind;
        uint256 depth;
        bytes31 otherKey;
        bytes32 otherPayload;
        uint256 bitmap;
        bytes32 first;
        uint256 siblings;
        uint256 end;
    }

    ////////////////////////////////////////////////////////////////
    //                   Tree keys (§4.1)                         //
    ////////////////////////////////////////////////////////////////

    /// @notice The stem of an account's tree index.
    /// @param _account The account.
    /// @param _treeIndex The tree index.
    /// @return stem_ `keccak256(0x05 ‖ _account ‖ _treeIndex)[0..31]`.
    function stem(address _account, uint256 _treeIndex) internal pure returns (bytes31 stem_) {
        stem_ = LibCommitHash.stemKey(_account, _treeIndex);
    }

    /// @notice The account's own stem (tree index 0: BASIC_DATA, CODE_HASH, CODE_ROOT, header
    ///         storage).
    /// @param _account The account.
    /// @return stem_ The stem.
    function accountStem(address _account) internal pure returns (bytes31 stem_) {
        stem_ = LibCommitHash.stemKey(_account, 0);
    }

    /// @notice Position of a storage slot (EIP-7864 `get_tree_key_for_storage_slot`).
    /// @param _slot The storage slot.
    /// @return treeIndex_ 0 for slots below 64, else `2^240 + _slot / 256`.
    /// @return subindex_ `64 + _slot` for slots below 64, else `_slot % 256`.
    function storagePosition(uint256 _slot) internal pure returns (uint256 treeIndex_, uint256 subindex_) {
        if (_slot < HEADER_STORAGE_SLOTS) {
            subindex_ = HEADER_STORAGE_OFFSET + _slot;
        } else {
            treeIndex_ = (_slot >> 8) + MAIN_STORAGE_TREE_OFFSET;
            subindex_ = _slot & 0xff;
        }
    }

    /// @notice The tree key of a storage slot.
    /// @param _account The account.
    /// @param _slot The storage slot.
    /// @return stem_ The stem holding the slot.
    /// @return subindex_ The slot's leaf in the stem's subtree.
    function storageKey(address _account, uint256 _slot) internal pure returns (bytes31 stem_, uint256 subindex_) {
        uint256 treeIndex;
        (treeIndex, subindex_) = storagePosition(_slot);
        stem_ = LibCommitHash.stemKey(_account, treeIndex);
    }

    /// @notice Encodes a BASIC_DATA leaf: `version(1) = 0 ‖ reserved(4) ‖ codeSize(3) ‖ nonce(8)
    ///         ‖ balance(16)` (balances are 128-bit, deviation D2).
    /// @param _codeSize The code size in bytes.
    /// @param _nonce The nonce.
    /// @param _balance The balance.
    /// @return leaf_ The leaf value.
    function encodeBasicData(uint24 _codeSize, uint64 _nonce, uint128 _balance) internal pure returns (bytes32 leaf_) {
        leaf_ = bytes32((uint256(_codeSize) << 192) | (uint256(_nonce) << 128) | uint256(_balance));
    }

    /// @notice Decodes a BASIC_DATA leaf; rejects a non-zero version (`UnsupportedVersion`) and
    ///         non-zero reserved bytes (`ReservedBytes`).
    /// @param _leaf The leaf value (all zero for an absent account).
    /// @return codeSize_ The code size.
    /// @return nonce_ The nonce.
    /// @return balance_ The balance.
    function decodeBasicData(bytes32 _leaf)
        internal
        pure
        returns (uint24 codeSize_, uint64 nonce_, uint128 balance_)
    {
        uint256 v = uint256(_leaf);
        if (v >> 248 != 0) revert UnsupportedVersion();
        if ((v >> 216) & 0xffffffff != 0) revert ReservedBytes();
        codeSize_ = uint24(v >> 192);
        nonce_ = uint64(v >> 128);
        balance_ = uint128(v);
    }

    ////////////////////////////////////////////////////////////////
    //                    Path proofs (§4.3, §4.4)                //
    ////////////////////////////////////////////////////////////////

    /// @notice Decodes a path proof at `_pos` and checks its siblings (present, non-zero) in
    ///         request order, without hashing.
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the path proof in `_data`.
    /// @return path_ The decoded path.
    function decodePath(bytes calldata _data, uint256 _pos) internal pure returns (PathProof memory path_) {
        if (_pos + 2 > _data.length) revert Truncated();
        uint256 kind;
        uint256 depth;
        assembly ("memory-safe") {
            let word := calldataload(add(_data.offset, _pos))
            kind := byte(0, word)
            depth := byte(1, word)
        }
        _pos += 2;
        if (depth > KEY_BITS) revert DepthOutOfRange();
        if (kind == KIND_OTHER) {
            if (_pos + 63 > _data.length) revert Truncated();
            bytes31 otherKey;
            bytes32 otherPayload;
            assembly ("memory-safe") {
                let at := add(_data.offset, _pos)
                otherKey := and(calldataload(at), not(0xff))
                otherPayload := calldataload(add(at, 31))
            }
            path_.otherKey = otherKey;
            path_.otherPayload = otherPayload;
            _pos += 63;
        } else if (kind > KIND_OTHER) {
            revert UnknownTerminal();
        }
        path_.kind = kind;
        path_.depth = depth;
        uint256 bitmap;
        (bitmap, _pos) = LibSparseProof.readBitmap(_data, _pos, depth);
        path_.bitmap = bitmap;
        uint256 siblings;
        assembly ("memory-safe") {
            siblings := add(_data.offset, _pos)
        }
        path_.siblings = siblings;
        (path_.first, path_.end) = LibSparseProof.checkSiblings(_data, _pos, bitmap);
    }

    /// @notice The canonical rules of a path proof for `_key` (spec §4.3).
    /// @param _path The decoded path.
    /// @param _key The proven key.
    function checkPath(PathProof memory _path, bytes31 _key) internal pure {
        uint256 kind = _path.kind;
        if (kind == KIND_EMPTY) {
            if (_path.depth != 0 && _path.first == 0) revert EmptyTerminalWithoutSibling();
        } else if (kind == KIND_OTHER) {
            bytes31 diff = _path.otherKey ^ _key;
            if (diff == 0) revert OtherKeyIsTarget();
            if (uint256(bytes32(diff)) >> (256 - _path.depth) != 0) revert OtherKeyPrefixMismatch();
        }
    }

    /// @notice The node the path proof puts at its terminal depth.
    /// @param _path The decoded path.
    /// @param _tag The terminal tag.
    /// @param _key The proven key.
    /// @param _payload The key's payload (used only if the key is present).
    /// @return node_ `0` (kind 0), the key's terminal (kind 1), the foreign terminal (kind 2).
    function terminalNode(
        PathProof memory _path,
        uint8 _tag,
        bytes31 _key,
        bytes32 _payload
    )
        internal
        pure
        returns (bytes32 node_)
    {
        uint256 kind = _path.kind;
        if (kind == KIND_OWN) node_ = LibCommitHash.terminal(_tag, _key, _payload);
        else if (kind == KIND_OTHER) node_ = LibCommitHash.terminal(_tag, _path.otherKey, _path.otherPayload);
    }

    /// @notice The node at the terminal depth after setting `_key`'s payload to `_new`
    ///         (spec §4.4): update in place if present; if absent, a zero payload changes
    ///         nothing and a non-zero one inserts the key, splitting a foreign terminal down to
    ///         the first bit where the keys differ.
    /// @param _path The decoded and checked path.
    /// @param _tag The terminal tag.
    /// @param _key The written key.
    /// @param _new The new payload.
    /// @return node_ The new node at the terminal depth.
    function setTerminal(
        PathProof memory _path,
        uint8 _tag,
        bytes31 _key,
        bytes32 _new
    )
        internal
        pure
        returns (bytes32 node_)
    {
        uint256 kind = _path.kind;
        if (kind == KIND_OWN) return LibCommitHash.terminal(_tag, _key, _new);
        if (_new == 0) return terminalNode(_path, _tag, _key, 0);
        bytes32 mine = LibCommitHash.terminal(_tag, _key, _new);
        if (kind == KIND_EMPTY) return mine;
        bytes32 theirs = LibCommitHash.terminal(_tag, _path.otherKey, _path.otherPayload);
        uint256 key = uint256(bytes32(_key));
        uint256 depth = _path.depth;
        uint256 diff = uint256(bytes32(_key ^ _path.otherKey));
        uint256 split;
        assembly ("memory-safe") {
            // `checkPath` ensured the keys differ and share their first `depth` bits, so the
            // first differing bit is at or below the terminal depth.
            split := clz(diff)
        }
        node_ = (key >> (255 - split)) & 1 == 0 ? LibCommitHash.node(mine, theirs) : LibCommitHash.node(theirs, mine);
        for (uint256 d = split; d > depth;) {
            unchecked {
                --d;
            }
            node_ = (key >> (255 - d)) & 1 == 0 ? LibCommitHash.node(node_, 0) : LibCommitHash.node(0, node_);
        }
    }

    /// @notice Folds a node at the path's terminal depth up to the root.
    /// @param _path The decoded path.
    /// @param _key The proven key.
    /// @param _node The node at the terminal depth.
    /// @return root_ The root.
    function foldPath(PathProof memory _path, bytes31 _key, bytes32 _node) internal pure returns (bytes32 root_) {
        (root_,) = LibSparseProof.fold(_path.depth, _keyIndex(_key, _path.depth), _node, _path.bitmap, _path.siblings);
    }

    /// @notice Folds two nodes at the path's terminal depth up to the root in one pass.
    /// @param _path The decoded path.
    /// @param _key The proven key.
    /// @param _old The node before the write.
    /// @param _new The node after the write.
    /// @return oldRoot_ The root from `_old`.
    /// @return newRoot_ The root from `_new`.
    function foldPath2(
        PathProof memory _path,
        bytes31 _key,
        bytes32 _old,
        bytes32 _new
    )
        internal
        pure
        returns (bytes32 oldRoot_, bytes32 newRoot_)
    {
        (oldRoot_, newRoot_,) =
            LibSparseProof.fold2(_path.depth, _keyIndex(_key, _path.depth), _old, _new, _path.bitmap, _path.siblings);
    }

    ////////////////////////////////////////////////////////////////
    //                    Stem openings (§4.5)                    //
    ////////////////////////////////////////////////////////////////

    /// @notice Verifies that leaves `(_subindices[i], _values[i])` of `_stem` hold under
    ///         `_root` (an absent stem proves every value `0`); `_proof` must be exactly the
    ///         opening.
    /// @param _root The world root.
    /// @param _stem The stem.
    /// @param _subindices The opened subindices, strictly ascending, below 256.
    /// @param _values Their values.
    /// @param _proof The stem opening.
    /// @return present_ Whether the stem exists.
    function verifyStem(
        bytes32 _root,
        bytes31 _stem,
        uint256[] memory _subindices,
        bytes32[] memory _values,
        bytes calldata _proof
    )
        internal
        pure
        returns (bool present_)
    {
        (present_,) = _verifyStem(_root, _stem, _subindices, _values, _proof, 0, true);
    }

    /// @notice `verifyStem` for an opening at `_pos` of a longer witness.
    /// @param _root The world root.
    /// @param _stem The stem.
    /// @param _subindices The opened subindices, strictly ascending, below 256.
    /// @param _values Their values.
    /// @param _data The calldata holding the opening.
    /// @param _pos Offset of the opening in `_data`.
    /// @return present_ Whether the stem exists.
    /// @return next_ Offset after the opening.
    function verifyStemAt(
        bytes32 _root,
        bytes31 _stem,
        uint256[] memory _subindices,
        bytes32[] memory _values,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (bool present_, uint256 next_)
    {
        (present_, next_) = _verifyStem(_root, _stem, _subindices, _values, _data, _pos, false);
    }

    /// @notice Verifies leaves `(_subindices[i], _olds[i])` of `_stem` against `_root` and
    ///         returns the root after writing `_news` (inserting the stem if it was absent and a
    ///         new value is non-zero); `_proof` must be exactly the opening.
    /// @param _root The world root.
    /// @param _stem The stem.
    /// @param _subindices The written subindices, strictly ascending, below 256.
    /// @param _olds Their values before the write.
    /// @param _news Their values after the write.
    /// @param _proof The stem opening.
    /// @return newRoot_ The world root after the write.
    function updateStem(
        bytes32 _root,
        bytes31 _stem,
        uint256[] memory _subindices,
        bytes32[] memory _olds,
        bytes32[] memory _news,
        bytes calldata _proof
    )
        internal
        pure
        returns (bytes32 newRoot_)
    {
        (newRoot_,) = _updateStem(_root, _stem, _subindices, _olds, _news, _proof, 0, true);
    }

    /// @notice `updateStem` for an opening at `_pos` of a longer witness.
    /// @param _root The world root.
    /// @param _stem The stem.
    /// @param _subindices The written subindices, strictly ascending, below 256.
    /// @param _olds Their values before the write.
    /// @param _news Their values after the write.
    /// @param _data The calldata holding the opening.
    /// @param _pos Offset of the opening in `_data`.
    /// @return newRoot_ The world root after the write.
    /// @return next_ Offset after the opening.
    function updateStemAt(
        bytes32 _root,
        bytes31 _stem,
        uint256[] memory _subindices,
        bytes32[] memory _olds,
        bytes32[] memory _news,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (bytes32 newRoot_, uint256 next_)
    {
        (newRoot_, next_) = _updateStem(_root, _stem, _subindices, _olds, _news, _data, _pos, false);
    }

    ////////////////////////////////////////////////////////////////
    //                          Internals                         //
    ////////////////////////////////////////////////////////////////

    /// @dev The first `_depth` bits of `_key` as an integer whose bit j is key bit `_depth-1-j`.
    function _keyIndex(bytes31 _key, uint256 _depth) private pure returns (uint256 index_) {
        index_ = uint256(bytes32(_key)) >> (256 - _depth);
    }

    function _verifyStem(
        bytes32 _root,
        bytes31 _stem,
        uint256[] memory _subindices,
        bytes32[] memory _values,
        bytes calldata _data,
        uint256 _pos,
        bool _exact
    )
        private
        pure
        returns (bool present_, uint256 next_)
    {
        PathProof memory path = decodePath(_data, _pos);
        checkPath(path, _stem);
        present_ = path.kind == KIND_OWN;
        bytes32 subroot;
        if (present_) {
            (subroot, next_) = LibSparseProof.rootAt(STEM_DEPTH, _subindices, _values, _data, path.end);
        } else {
            LibSparseProof.checkIndices(STEM_DEPTH, _subindices);
            next_ = path.end;
        }
        if (_exact && next_ != _data.length) revert TrailingBytes();
        if (!present_) _requireZero(_values);
        if (foldPath(path, _stem, terminalNode(path, LibCommitHash.STEM, _stem, subroot)) != _root) {
            revert RootMismatch();
        }
    }

    function _updateStem(
        bytes32 _root,
        bytes31 _stem,
        uint256[] memory _subindices,
        bytes32[] memory _olds,
        bytes32[] memory _news,
        bytes calldata _data,
        uint256 _pos,
        bool _exact
    )
        private
        pure
        returns (bytes32 newRoot_, uint256 next_)
    {
        PathProof memory path = decodePath(_data, _pos);
        checkPath(path, _stem);
        bytes32 oldSub;
        bytes32 newSub;
        if (path.kind == KIND_OWN) {
            (oldSub, newSub, next_) = LibSparseProof.rootsAt(STEM_DEPTH, _subindices, _olds, _news, _data, path.end);
        } else {
            LibSparseProof.checkIndices(STEM_DEPTH, _subindices);
            next_ = path.end;
        }
        if (_exact && next_ != _data.length) revert TrailingBytes();
        if (path.kind != KIND_OWN) {
            _requireZero(_olds);
            newSub = LibSparseProof.sparseRoot(STEM_DEPTH, _subindices, _news);
        }
        bytes32 oldRoot;
        (oldRoot, newRoot_) = foldPath2(
            path,
            _stem,
            terminalNode(path, LibCommitHash.STEM, _stem, oldSub),
            setTerminal(path, LibCommitHash.STEM, _stem, newSub)
        );
        if (oldRoot != _root) revert RootMismatch();
    }

    /// @dev Reverts with `ValueForAbsentKey` unless every value is zero.
    function _requireZero(bytes32[] memory _values) private pure {
        for (uint256 i = 0; i < _values.length; ++i) {
            if (_values[i] != 0) revert ValueForAbsentKey();
        }
    }
}
