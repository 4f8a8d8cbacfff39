// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { BadSignature, MalformedTx, WrongChainId } from "./BoundaryErrors.sol";

/// @title LibTxDecode
/// @notice Decodes the EIP-2718 transactions a batch may hold (docs/spec.md §13.2): legacy
///         with an EIP-155 chain id, EIP-2930 (type 1) and EIP-1559 (type 2), with canonical
///         RLP only; computes the signing hash and recovers the sender (low `s` only).
/// @dev Positions are offsets into the raw transaction slice. Field widths follow
///      alloy-consensus (chain id, nonce, gas limit 64 bits; fees 128 bits), whose decoder
///      defines what a batch may contain: anything else reverts `MalformedTx`.
library LibTxDecode {
    /// @notice secp256k1n / 2 (EIP-2).
    uint256 internal constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @notice A decoded transaction.
    /// @custom:field ty 0 legacy, 1 EIP-2930, 2 EIP-1559.
    /// @custom:field maxFee Gas price (types 0, 1) or fee cap (type 2).
    /// @custom:field tip Priority fee (type 2); the gas price otherwise.
    /// @custom:field create Whether `to` is empty.
    /// @custom:field dataPos Calldata position; `dataLen` its length.
    /// @custom:field alPos Access-list payload position; `alLen` its length (0 for legacy).
    /// @custom:field fieldsPos First signed field; `sigPos` the first signature field.
    struct Tx {
        uint8 ty;
        uint64 chainId;
        uint64 nonce;
        uint256 maxFee;
        uint256 tip;
        uint64 gasLimit;
        address to;
        bool create;
        uint256 value;
        uint256 dataPos;
        uint256 dataLen;
        uint256 alPos;
        uint256 alLen;
        uint256 fieldsPos;
        uint256 sigPos;
        uint256 parity;
        uint256 r;
        uint256 s;
    }

    /// @notice Decodes `_raw` and checks its chain id against `_chainId`.
    function decode(bytes calldata _raw, uint64 _chainId) internal pure returns (Tx memory t_) {
        if (_raw.length == 0) revert MalformedTx();
        uint256 first = uint8(_raw[0]);
        uint256 p;
        uint256 end;
        bool list;
        if (first >= 0xc0) {
            (p, end, list) = _outer(_raw, 0);
        } else if (first == 1 || first == 2) {
            t_.ty = uint8(first);
            (p, end, list) = _outer(_raw, 1);
        } else {
            revert MalformedTx();
        }
        t_.fieldsPos = p;
        uint256 v;
        if (t_.ty != 0) (t_.chainId, p) = _uint64(_raw, p, end);
        (t_.nonce, p) = _uint64(_raw, p, end);
        if (t_.ty == 2) {
            (t_.tip, p) = _uint(_raw, p, end, 16);
            (t_.maxFee, p) = _uint(_raw, p, end, 16);
        } else {
            (t_.maxFee, p) = _uint(_raw, p, end, 16);
            t_.tip = t_.maxFee;
        }
        (t_.gasLimit, p) = _uint64(_raw, p, end);
        uint256 pos;
        uint256 len;
        (pos, len, list, p) = item(_raw, p, end);
        if (list) revert MalformedTx();
        if (len == 0) {
            t_.create = true;
        } else if (len == 20) {
            t_.to = address(uint160(_word(_raw, pos) >> 96));
        } else {
            revert MalformedTx();
        }
        (t_.value, p) = _uint(_raw, p, end, 32);
        (t_.dataPos, t_.dataLen, list, p) = item(_raw, p, end);
        if (list) revert MalformedTx();
        if (t_.ty != 0) {
            (t_.alPos, t_.alLen, list, p) = item(_raw, p, end);
            if (!list) revert MalformedTx();
        }
        t_.sigPos = p;
        (v, p) = _uint(_raw, p, end, t_.ty == 0 ? 8 : 1);
        (t_.r, p) = _uint(_raw, p, end, 32);
        (t_.s, p) = _uint(_raw, p, end, 32);
        if (p != end) revert MalformedTx();
        if (t_.ty == 0) {
            // EIP-155: v = chainId * 2 + 35 + parity; v = 27 / 28 (no chain id) is refused.
            if (v < 37) revert WrongChainId();
            t_.chainId = uint64((v - 35) / 2);
            t_.parity = (v - 35) % 2;
        } else {
            if (v > 1) revert BadSignature();
            t_.parity = v;
        }
        if (t_.chainId != _chainId) revert WrongChainId();
    }

    /// @notice Recovers the sender: the signing hash, low `s`, `ecrecover`.
    function sender(bytes calldata _raw, Tx memory _t) internal pure returns (address from_) {
        if (_t.s > HALF_N) revert BadSignature();
        bytes32 h = signingHash(_raw, _t);
        from_ = ecrecover(h, uint8(27 + _t.parity), bytes32(_t.r), bytes32(_t.s));
        if (from_ == address(0)) revert BadSignature();
    }

    /// @notice The hash the sender signed.
    function signingHash(bytes calldata _raw, Tx memory _t) internal pure returns (bytes32) {
        bytes calldata fields = _raw[_t.fieldsPos:_t.sigPos];
        if (_t.ty != 0) return keccak256(abi.encodePacked(_t.ty, listHeader(fields.length), fields));
        // EIP-155: the nine-field list with (chainId, 0, 0) in place of (v, r, s).
        bytes memory tail = abi.encodePacked(encodeUint(_t.chainId), uint16(0x8080));
        return keccak256(abi.encodePacked(listHeader(fields.length + tail.length), fields, tail));
    }

    /// @notice The RLP list header for a payload of `_len` bytes.
    function listHeader(uint256 _len) internal pure returns (bytes memory) {
        if (_len < 56) return abi.encodePacked(uint8(0xc0 + _len));
        uint256 n = _byteLen(_len);
        return abi.encodePacked(uint8(0xf7 + n), _be(_len, n));
    }

    /// @notice The RLP encoding of an unsigned integer.
    function encodeUint(uint256 _v) internal pure returns (bytes memory) {
        if (_v == 0) return hex"80";
        if (_v < 0x80) return abi.encodePacked(uint8(_v));
        uint256 n = _byteLen(_v);
        return abi.encodePacked(uint8(0x80 + n), _be(_v, n));
    }

    /// @notice Reads one canonical RLP item at `_p` that must end by `_end`.
    /// @return pos_ Payload position.
    /// @return len_ Payload length.
    /// @return list_ Whether it is a list.
    /// @return next_ Position after the item.
    function item(
        bytes calldata _b,
        uint256 _p,
        uint256 _end
    )
        internal
        pure
        returns (uint256 pos_, uint256 len_, bool list_, uint256 next_)
    {
        if (_p >= _end || _end > _b.length) revert MalformedTx();
        uint256 h = uint8(_b[_p]);
        if (h < 0x80) {
            return (_p, 1, false, _p + 1);
        }
        if (h <= 0xb7) {
            len_ = h - 0x80;
            pos_ = _p + 1;
            // A single byte below 0x80 is its own encoding.
            if (len_ == 1 && (pos_ >= _end || uint8(_b[pos_]) < 0x80)) revert MalformedTx();
        } else if (h <= 0xbf) {
            (pos_, len_) = _long(_b, _p, h - 0xb7, _end);
        } else if (h <= 0xf7) {
            list_ = true;
            len_ = h - 0xc0;
            pos_ = _p + 1;
        } else {
            list_ = true;
            (pos_, len_) = _long(_b, _p, h - 0xf7, _end);
        }
        next_ = pos_ + len_;
        if (next_ > _end) revert MalformedTx();
    }

    /// @notice Number of zero and non-zero bytes of `_b[_p .. _p + _len]` as EIP-2028 tokens
    ///         (zero 1, non-zero 4).
    function tokens(bytes calldata _b, uint256 _p, uint256 _len) internal pure returns (uint256 tokens_) {
        if (_p + _len > _b.length) revert MalformedTx();
        uint256 zeros;
        assembly ("memory-safe") {
            let start := add(_b.offset, _p)
            let finish := add(start, _len)
            for { let i := start } lt(i, finish) { i := add(i, 1) } {
                zeros := add(zeros, iszero(byte(0, calldataload(i))))
            }
        }
        tokens_ = zeros + 4 * (_len - zeros);
    }

    function _outer(bytes calldata _raw, uint256 _p) private pure returns (uint256 pos_, uint256 end_, bool list_) {
        uint256 len;
        uint256 next;
        (pos_, len, list_, next) = item(_raw, _p, _raw.length);
        if (!list_ || next != _raw.length) revert MalformedTx();
        end_ = next;
    }

    function _long(bytes calldata _b, uint256 _p, uint256 _n, uint256 _end) private pure returns (uint256 pos_, uint256 len_) {
        if (_n > 4 || _p + 1 + _n > _end || uint8(_b[_p + 1]) == 0) revert MalformedTx();
        len_ = _word(_b, _p + 1) >> (256 - 8 * _n);
        if (len_ < 56) revert MalformedTx();
        pos_ = _p + 1 + _n;
    }

    function _uint(bytes calldata _b, uint256 _p, uint256 _end, uint256 _maxBytes) private pure returns (uint256 v_, uint256 next_) {
        uint256 pos;
        uint256 len;
        bool list;
        (pos, len, list, next_) = item(_b, _p, _end);
        if (list || len > _maxBytes) revert MalformedTx();
        if (len == 0) return (0, next_);
        v_ = _word(_b, pos) >> (256 - 8 * len);
        // No leading zero bytes; a lone 0x00 is 0x80.
        if (uint8(_b[pos]) == 0) revert MalformedTx();
    }

    function _uint64(bytes calldata _b, uint256 _p, uint256 _end) private pure returns (uint64 v_, uint256 next_) {
        uint256 v;
        (v, next_) = _uint(_b, _p, _end, 8);
        v_ = uint64(v);
    }

    function _word(bytes calldata _b, uint256 _p) private pure returns (uint256 w_) {
        assembly ("memory-safe") {
            w_ := calldataload(add(_b.offset, _p))
        }
    }

    function _byteLen(uint256 _v) private pure returns (uint256 n_) {
        while (_v != 0) {
            n_++;
            _v >>= 8;
        }
    }

    function _be(uint256 _v, uint256 _n) private pure returns (bytes memory out_) {
        out_ = new bytes(_n);
        for (uint256 i = 0; i < _n; i++) {
            out_[_n - 1 - i] = bytes1(uint8(_v >> (8 * i)));
        }
    }
}
