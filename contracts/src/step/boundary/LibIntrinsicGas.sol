// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { MalformedTx } from "./BoundaryErrors.sol";
import { LibTxDecode } from "./LibTxDecode.sol";

/// @title LibIntrinsicGas
/// @notice revm 43's intrinsic gas at Osaka (`GasParams::initial_tx_gas`) and the EIP-7623
///         floor, and the access list's warm-up chain (docs/spec.md §16.2).
library LibIntrinsicGas {
    /// @notice Base cost of a transaction.
    uint256 internal constant TX_BASE = 21_000;
    /// @notice Extra base cost of a creation (EIP-2).
    uint256 internal constant TX_CREATE = 32_000;
    /// @notice Gas per calldata token (EIP-2028: zero byte 1 token, non-zero 4).
    uint256 internal constant TOKEN_COST = 4;
    /// @notice EIP-7623 floor gas per token.
    uint256 internal constant FLOOR_PER_TOKEN = 10;
    /// @notice EIP-2930 cost per access-list address.
    uint256 internal constant ACCESS_ADDRESS = 2_400;
    /// @notice EIP-2930 cost per access-list storage key.
    uint256 internal constant ACCESS_KEY = 1_900;
    /// @notice EIP-3860 gas per initcode word.
    uint256 internal constant INITCODE_WORD = 2;
    /// @notice Tag of an access-list chain link.
    uint8 internal constant ACCESS_ITEM = 0x1d;

    /// @notice Intrinsic gas (without the floor).
    function intrinsic(
        uint256 _tokens,
        bool _create,
        uint256 _dataLen,
        uint256 _addresses,
        uint256 _keys
    )
        internal
        pure
        returns (uint256 gas_)
    {
        gas_ = TX_BASE + TOKEN_COST * _tokens + ACCESS_ADDRESS * _addresses + ACCESS_KEY * _keys;
        if (_create) gas_ += TX_CREATE + INITCODE_WORD * ((_dataLen + 31) / 32);
    }

    /// @notice The EIP-7623 floor: `21000 + 10 · tokens`.
    function floor(uint256 _tokens) internal pure returns (uint256) {
        return TX_BASE + FLOOR_PER_TOKEN * _tokens;
    }

    /// @notice Walks the access list (payload at `_pos`, `_len` bytes, of `_raw`): counts
    ///         addresses and keys and folds the warm-up chain `accessHead` (spec §16.2).
    function accessList(
        bytes calldata _raw,
        uint256 _pos,
        uint256 _len
    )
        internal
        pure
        returns (bytes32 head_, uint256 addresses_, uint256 keys_)
    {
        uint256 end = _pos + _len;
        // First pass: counts, so the items can be folded from the back.
        for (uint256 p = _pos; p < end;) {
            (uint256 keyPos, uint256 keyLen, uint256 next,) = _entry(_raw, p, end);
            addresses_++;
            keys_ += keyLen / 33;
            keyPos;
            p = next;
        }
        uint256 n = addresses_ + keys_;
        bytes memory items = new bytes(n * 53);
        uint256 i;
        for (uint256 p = _pos; p < end;) {
            (uint256 keyPos, uint256 keyLen, uint256 next, address account) = _entry(_raw, p, end);
            _putItem(items, i++, 0x01, account, 0);
            for (uint256 k = keyPos; k < keyPos + keyLen; k += 33) {
                if (uint8(_raw[k]) != 0xa0) revert MalformedTx();
                _putItem(items, i++, 0x02, account, uint256(bytes32(_raw[k + 1:k + 33])));
            }
            p = next;
        }
        for (uint256 j = n; j > 0; j--) {
            bytes32 h = head_;
            assembly ("memory-safe") {
                let m := mload(0x40)
                mstore8(m, 0x1d)
                mstore(add(m, 1), h)
                mcopy(add(m, 33), add(add(items, 32), mul(sub(j, 1), 53)), 53)
                h := keccak256(m, 86)
            }
            head_ = h;
        }
    }

    /// @dev One access-list entry `[address, [key, ...]]` at `_p`: returns the keys' payload
    ///      (33 bytes per key: 0xa0 ‖ key), the position after the entry and the address.
    function _entry(
        bytes calldata _raw,
        uint256 _p,
        uint256 _end
    )
        private
        pure
        returns (uint256 keyPos_, uint256 keyLen_, uint256 next_, address account_)
    {
        (uint256 pos, uint256 len, bool list, uint256 next) = LibTxDecode.item(_raw, _p, _end);
        if (!list) revert MalformedTx();
        next_ = next;
        uint256 stop = pos + len;
        uint256 apos;
        uint256 alen;
        (apos, alen, list, next) = LibTxDecode.item(_raw, pos, stop);
        if (list || alen != 20) revert MalformedTx();
        account_ = address(bytes20(_raw[apos:apos + 20]));
        (keyPos_, keyLen_, list, next) = LibTxDecode.item(_raw, next, stop);
        if (!list || next != stop || keyLen_ % 33 != 0) revert MalformedTx();
    }

    function _putItem(bytes memory _items, uint256 _i, uint8 _kind, address _account, uint256 _key) private pure {
        assembly ("memory-safe") {
            let m := add(add(_items, 32), mul(_i, 53))
            mstore8(m, _kind)
            mstore(add(m, 1), shl(96, _account))
            mstore(add(m, 21), _key)
        }
    }
}
