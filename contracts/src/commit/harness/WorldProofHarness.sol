// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { LibCommitHash } from "../LibCommitHash.sol";
import { LibWorldProof } from "../LibWorldProof.sol";

/// @title WorldProofHarness
/// @notice Test harness exposing LibWorldProof for the golden vectors in
///         `fixtures/vectors/world.json` (and, with tag `0x03`, the substate roots). Proof
///         checks return the gas the library call used (measured with `gasleft()` around it).
///         Not part of the deployed system.
contract WorldProofHarness {
    /// @notice LibWorldProof.stem.
    /// @param _account The account.
    /// @param _treeIndex The tree index.
    /// @return stem_ The stem.
    function stem(address _account, uint256 _treeIndex) external pure returns (bytes31 stem_) {
        stem_ = LibWorldProof.stem(_account, _treeIndex);
    }

    /// @notice LibWorldProof.accountStem.
    /// @param _account The account.
    /// @return stem_ The stem of BASIC_DATA, CODE_HASH, CODE_ROOT and header storage.
    function accountStem(address _account) external pure returns (bytes31 stem_) {
        stem_ = LibWorldProof.accountStem(_account);
    }

    /// @notice LibWorldProof.storagePosition and storageKey.
    /// @param _account The account.
    /// @param _slot The storage slot.
    /// @return stem_ The stem holding the slot.
    /// @return subindex_ The slot's leaf in the stem.
    /// @return treeIndex_ The slot's tree index.
    function storageKey(
        address _account,
        uint256 _slot
    )
        external
        pure
        returns (bytes31 stem_, uint256 subindex_, uint256 treeIndex_)
    {
        (treeIndex_,) = LibWorldProof.storagePosition(_slot);
        (stem_, subindex_) = LibWorldProof.storageKey(_account, _slot);
    }

    /// @notice LibWorldProof.encodeBasicData.
    /// @param _codeSize The code size.
    /// @param _nonce The nonce.
    /// @param _balance The balance.
    /// @return leaf_ The BASIC_DATA leaf.
    function encodeBasicData(uint24 _codeSize, uint64 _nonce, uint128 _balance) external pure returns (bytes32 leaf_) {
        leaf_ = LibWorldProof.encodeBasicData(_codeSize, _nonce, _balance);
    }

    /// @notice LibWorldProof.decodeBasicData.
    /// @param _leaf The BASIC_DATA leaf.
    /// @return codeSize_ The code size.
    /// @return nonce_ The nonce.
    /// @return balance_ The balance.
    function decodeBasicData(bytes32 _leaf) external pure returns (uint24 codeSize_, uint64 nonce_, uint128 balance_) {
        (codeSize_, nonce_, balance_) = LibWorldProof.decodeBasicData(_leaf);
    }

    /// @notice LibWorldProof.verifyStem.
    /// @param _root The world root.
    /// @param _stem The stem.
    /// @param _subindices The opened subindices.
    /// @param _values Their values.
    /// @param _proof The stem opening.
    /// @return present_ Whether the stem exists.
    /// @return gas_ Gas used by the library call.
    function verifyStem(
        bytes32 _root,
        bytes31 _stem,
        uint256[] calldata _subindices,
        bytes32[] calldata _values,
        bytes calldata _proof
    )
        external
        view
        returns (bool present_, uint256 gas_)
    {
        uint256[] memory subindices = _subindices;
        bytes32[] memory values = _values;
        gas_ = gasleft();
        present_ = LibWorldProof.verifyStem(_root, _stem, subindices, values, _proof);
        gas_ -= gasleft();
    }

    /// @notice LibWorldProof.updateStem.
    /// @param _root The world root.
    /// @param _stem The stem.
    /// @param _subindices The written subindices.
    /// @param _olds Their values before.
    /// @param _news Their values after.
    /// @param _proof The stem opening.
    /// @return newRoot_ The world root after the write.
    /// @return gas_ Gas used by the library call.
    function updateStem(
        bytes32 _root,
        bytes31 _stem,
        uint256[] calldata _subindices,
        bytes32[] calldata _olds,
        bytes32[] calldata _news,
        bytes calldata _proof
    )
        external
        view
        returns (bytes32 newRoot_, uint256 gas_)
    {
        uint256[] memory subindices = _subindices;
        bytes32[] memory olds = _olds;
        bytes32[] memory news = _news;
        gas_ = gasleft();
        newRoot_ = LibWorldProof.updateStem(_root, _stem, subindices, olds, news, _proof);
        gas_ -= gasleft();
    }

    /// @notice Reference root of a prefix trie built from scratch (spec §4.2): each key's
    ///         terminal at the shortest prefix no other key shares. Test-only (O(n · depth)).
    /// @param _tag The terminal tag (0x02 world, 0x03 substate).
    /// @param _keys The keys, strictly ascending.
    /// @param _payloads Their payloads.
    /// @return root_ The root (`0` for no keys).
    function trieRoot(
        uint8 _tag,
        bytes31[] calldata _keys,
        bytes32[] calldata _payloads
    )
        external
        pure
        returns (bytes32 root_)
    {
        require(_keys.length == _payloads.length, "length");
        for (uint256 i = 1; i < _keys.length; ++i) {
            require(_keys[i - 1] < _keys[i], "keys not ascending");
        }
        root_ = _build(_tag, _keys, _payloads, 0, _keys.length, 0);
    }

    function _build(
        uint8 _tag,
        bytes31[] calldata _keys,
        bytes32[] calldata _payloads,
        uint256 _lo,
        uint256 _hi,
        uint256 _depth
    )
        private
        pure
        returns (bytes32 root_)
    {
        if (_hi == _lo) return 0;
        if (_hi - _lo == 1) return LibCommitHash.terminal(_tag, _keys[_lo], _payloads[_lo]);
        uint256 mid = _lo;
        while (mid < _hi && LibCommitHash.bit(_keys[mid], _depth) == 0) ++mid;
        root_ = LibCommitHash.node(
            _build(_tag, _keys, _payloads, _lo, mid, _depth + 1), _build(_tag, _keys, _payloads, mid, _hi, _depth + 1)
        );
    }
}
