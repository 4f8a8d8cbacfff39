// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {
    BitmapPadding,
    DepthOutOfRange,
    LeafIndexOutOfRange,
    LeavesNotAscending,
    LengthMismatch,
    NoLeaves,
    RootMismatch,
    TooManySiblingRequests,
    TrailingBytes,
    Truncated,
    ZeroSibling
} from "./CommitErrors.sol";

/// @title LibSparseProof
/// @notice Compressed sibling lists and fixed-depth (multi)proofs (docs/spec.md §3). The
///         Solidity twin of `gavel_commit::proof`.
/// @dev A proof lists the siblings the verifier requests, in request order, as
///      `bitmap(ceil(R/8) bytes, big-endian; bit r = request r is non-default) ‖ siblings(32
///      each, one per set bit)`, where `R` follows from the depth and the leaf indices, never
///      from the proof. Canonical form: no bitmap bit at or beyond `R` (`BitmapPadding`), no
///      flagged sibling equal to `0` (`ZeroSibling`), `R <= 256` (`TooManySiblingRequests`).
///
///      A fixed-depth tree has raw 32-byte leaves (`0` = empty) and internal nodes
///      `node(l, r)` with the zero rule (LibCommitHash.node). The verifier walks up level by
///      level; two opened nodes that are siblings merge without a request, every other node
///      requests its sibling. An update folds the old and the new leaf values in the same pass
///      over the same siblings (one calldata read per sibling, two hashes per level).
///
///      Check order (spec §3.2): indices (`NoLeaves`, `LeafIndexOutOfRange`,
///      `LeavesNotAscending`, in index order), the bitmap (`TooManySiblingRequests`,
///      `Truncated`, `BitmapPadding`), the siblings in request order (`Truncated`,
///      `ZeroSibling`), then `TrailingBytes`, then `RootMismatch`. Siblings are read lazily
///      while folding; since hashing cannot fail, the first failing sibling check is the one the
///      Rust reader reports.
///
///      Proofs are read from calldata: `_data` is a calldata slice and `_pos` an offset in it,
///      so a step verifier can read several proofs from one witness in sequence (the `...At`
///      functions return the offset after the proof) or check a proof that must fill a slice
///      exactly (`verify`, `update`).
library LibSparseProof {
    /// @notice Largest number of sibling requests one bitmap may describe (one word of bits).
    uint256 internal constant MAX_REQUESTS = 256;

    /// @notice Largest depth of a fixed-depth tree (the Rust side indexes leaves with `u64`).
    uint256 internal constant MAX_DEPTH = 63;

    /// @dev Error codes of the sibling check loop.
    uint256 private constant ERR_TRUNCATED = 1;
    uint256 private constant ERR_ZERO_SIBLING = 2;

    ////////////////////////////////////////////////////////////////
    //                    Sibling lists (§3.1)                    //
    ////////////////////////////////////////////////////////////////

    /// @notice Reads the bitmap of a sibling list with `_requests` requests.
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the bitmap in `_data`.
    /// @param _requests Number of sibling requests `R` the verifier will make.
    /// @return bitmap_ The bitmap as an integer (bit r = request r has a sibling).
    /// @return next_ Offset of the first sibling.
    function readBitmap(
        bytes calldata _data,
        uint256 _pos,
        uint256 _requests
    )
        internal
        pure
        returns (uint256 bitmap_, uint256 next_)
    {
        if (_requests > MAX_REQUESTS) revert TooManySiblingRequests();
        uint256 n = (_requests + 7) >> 3;
        if (_pos + n > _data.length) revert Truncated();
        if (n != 0) {
            assembly ("memory-safe") {
                bitmap_ := shr(sub(256, shl(3, n)), calldataload(add(_data.offset, _pos)))
            }
        }
        if (_requests < MAX_REQUESTS && bitmap_ >> _requests != 0) revert BitmapPadding();
        next_ = _pos + n;
    }

    /// @notice Checks the siblings a bitmap flags without hashing: each must be present
    ///         (`Truncated`) and non-zero (`ZeroSibling`), in request order. Used where the
    ///         siblings must be validated before the value they fold is known (trie paths).
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the first sibling.
    /// @param _bitmap The bitmap read by `readBitmap`.
    /// @return first_ The sibling of request 0 (`0` if it is default).
    /// @return next_ Offset after the last sibling.
    function checkSiblings(
        bytes calldata _data,
        uint256 _pos,
        uint256 _bitmap
    )
        internal
        pure
        returns (bytes32 first_, uint256 next_)
    {
        uint256 count = popcount(_bitmap);
        uint256 err;
        assembly ("memory-safe") {
            let ptr := add(_data.offset, _pos)
            let end := add(ptr, shl(5, count))
            switch gt(end, add(_data.offset, _data.length))
            case 0 {
                // All flagged siblings are present: only zeros can fail, and the first failure
                // is then a zero sibling whichever it is.
                let zero := 0
                for { } lt(ptr, end) { ptr := add(ptr, 0x20) } { zero := or(zero, iszero(calldataload(ptr))) }
                if zero { err := ERR_ZERO_SIBLING }
            }
            default {
                // Some sibling is missing: find the first failing check in request order.
                let lim := add(_data.offset, _data.length)
                for { } 1 { ptr := add(ptr, 0x20) } {
                    if gt(add(ptr, 0x20), lim) {
                        err := ERR_TRUNCATED
                        break
                    }
                    if iszero(calldataload(ptr)) {
                        err := ERR_ZERO_SIBLING
                        break
                    }
                }
            }
            if and(_bitmap, 1) { first_ := calldataload(add(_data.offset, _pos)) }
            next_ := sub(ptr, _data.offset)
        }
        if (err == ERR_TRUNCATED) revert Truncated();
        if (err == ERR_ZERO_SIBLING) revert ZeroSibling();
    }

    /// @notice Number of set bits of a word (SWAR).
    /// @param _x The word.
    /// @return count_ The number of set bits.
    function popcount(uint256 _x) internal pure returns (uint256 count_) {
        assembly ("memory-safe") {
            let x := sub(_x, and(shr(1, _x), 0x5555555555555555555555555555555555555555555555555555555555555555))
            x := add(
                and(x, 0x3333333333333333333333333333333333333333333333333333333333333333),
                and(shr(2, x), 0x3333333333333333333333333333333333333333333333333333333333333333)
            )
            x := and(add(x, shr(4, x)), 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f)
            x := and(add(x, shr(8, x)), 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff)
            count_ := shr(240, mul(x, 0x0001000100010001000100010001000100010001000100010001000100010001))
        }
    }

    ////////////////////////////////////////////////////////////////
    //                Fixed-depth multiproofs (§3.2)              //
    ////////////////////////////////////////////////////////////////

    /// @notice Checks multiproof leaf indices: non-empty, strictly ascending, `< 2^_depth`.
    /// @param _depth The tree depth (at most 63).
    /// @param _indices The leaf indices.
    function checkIndices(uint256 _depth, uint256[] memory _indices) internal pure {
        if (_depth > MAX_DEPTH) revert DepthOutOfRange();
        uint256 n = _indices.length;
        for (uint256 i = 0; i < n; ++i) {
            uint256 x = _indices[i];
            if (x >> _depth != 0) revert LeafIndexOutOfRange();
            if (i != 0 && _indices[i - 1] >= x) revert LeavesNotAscending();
        }
        if (n == 0) revert NoLeaves();
    }

    /// @notice Number of sibling requests `R` of a multiproof (spec §3.2), after checking the
    ///         indices. One leaf needs `_depth`; in depth 4, `(6, 7)` needs 3 and `(7, 8)` 6.
    /// @param _depth The tree depth.
    /// @param _indices The leaf indices, strictly ascending.
    /// @return requests_ The number of sibling requests.
    function requests(uint256 _depth, uint256[] memory _indices) internal pure returns (uint256 requests_) {
        checkIndices(_depth, _indices);
        // With `c_L` distinct nodes at level L, level L makes `2 c_(L+1) - c_L` requests, so
        // `R = D + 2 - 2k + sum_i bitlen(x_i ^ x_(i+1))` over adjacent opened indices.
        assembly ("memory-safe") {
            let n := mload(_indices)
            let p := add(_indices, 0x20)
            let sum := 0
            for { let i := 1 } lt(i, n) { i := add(i, 1) } {
                let q := add(p, shl(5, i))
                sum := add(sum, sub(256, clz(xor(mload(sub(q, 0x20)), mload(q)))))
            }
            requests_ := sub(add(add(_depth, 2), sum), shl(1, n))
        }
    }

    /// @notice Root of a fixed-depth tree from opened leaves and the multiproof at `_pos`.
    /// @param _depth The tree depth.
    /// @param _indices The opened leaf indices, strictly ascending.
    /// @param _leaves Their values.
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the proof in `_data`.
    /// @return root_ The root the proof commits to.
    /// @return next_ Offset after the proof.
    function rootAt(
        uint256 _depth,
        uint256[] memory _indices,
        bytes32[] memory _leaves,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (bytes32 root_, uint256 next_)
    {
        if (_indices.length != _leaves.length) revert LengthMismatch();
        (uint256 bitmap, uint256 ptr) = _openList(_depth, _indices, _data, _pos);
        (root_,, ptr) = _foldAll(_depth, _indices, _leaves, new bytes32[](0), bitmap, ptr);
        next_ = _offset(_data, ptr);
    }

    /// @notice Old and new root of a fixed-depth tree from one multiproof (one pass).
    /// @param _depth The tree depth.
    /// @param _indices The opened leaf indices, strictly ascending.
    /// @param _olds Their values before the write.
    /// @param _news Their values after the write.
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the proof in `_data`.
    /// @return oldRoot_ The root with the old values.
    /// @return newRoot_ The root with the new values and the same siblings.
    /// @return next_ Offset after the proof.
    function rootsAt(
        uint256 _depth,
        uint256[] memory _indices,
        bytes32[] memory _olds,
        bytes32[] memory _news,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (bytes32 oldRoot_, bytes32 newRoot_, uint256 next_)
    {
        uint256 n = _indices.length;
        if (_olds.length != n || _news.length != n) revert LengthMismatch();
        (uint256 bitmap, uint256 ptr) = _openList(_depth, _indices, _data, _pos);
        (oldRoot_, newRoot_, ptr) = _foldAll(_depth, _indices, _olds, _news, bitmap, ptr);
        next_ = _offset(_data, ptr);
    }

    /// @notice Verifies opened leaves against `_root`; `_proof` must be exactly the multiproof.
    /// @param _root The committed root.
    /// @param _depth The tree depth.
    /// @param _indices The opened leaf indices, strictly ascending.
    /// @param _leaves Their values.
    /// @param _proof The multiproof.
    function verify(
        bytes32 _root,
        uint256 _depth,
        uint256[] memory _indices,
        bytes32[] memory _leaves,
        bytes calldata _proof
    )
        internal
        pure
    {
        (bytes32 root, uint256 next) = rootAt(_depth, _indices, _leaves, _proof, 0);
        if (next != _proof.length) revert TrailingBytes();
        if (root != _root) revert RootMismatch();
    }

    /// @notice Verifies the old leaf values against `_root` and returns the root after the
    ///         write; `_proof` must be exactly the multiproof.
    /// @param _root The committed root.
    /// @param _depth The tree depth.
    /// @param _indices The written leaf indices, strictly ascending.
    /// @param _olds Their values before the write.
    /// @param _news Their values after the write.
    /// @param _proof The multiproof.
    /// @return newRoot_ The root after the write.
    function update(
        bytes32 _root,
        uint256 _depth,
        uint256[] memory _indices,
        bytes32[] memory _olds,
        bytes32[] memory _news,
        bytes calldata _proof
    )
        internal
        pure
        returns (bytes32 newRoot_)
    {
        bytes32 oldRoot;
        uint256 next;
        (oldRoot, newRoot_, next) = rootsAt(_depth, _indices, _olds, _news, _proof, 0);
        if (next != _proof.length) revert TrailingBytes();
        if (oldRoot != _root) revert RootMismatch();
    }

    /// @notice Root of a one-leaf proof at `_pos` (no arrays: the cheapest opening).
    /// @param _depth The tree depth.
    /// @param _index The leaf index.
    /// @param _leaf The leaf value.
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the proof in `_data`.
    /// @return root_ The root the proof commits to.
    /// @return next_ Offset after the proof.
    function rootOneAt(
        uint256 _depth,
        uint256 _index,
        bytes32 _leaf,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (bytes32 root_, uint256 next_)
    {
        (uint256 bitmap, uint256 ptr) = _openOne(_depth, _index, _data, _pos);
        (root_, ptr) = fold(_depth, _index, _leaf, bitmap, ptr);
        next_ = _offset(_data, ptr);
    }

    /// @notice Old and new root of a one-leaf proof at `_pos` (one pass).
    /// @param _depth The tree depth.
    /// @param _index The leaf index.
    /// @param _old The leaf value before the write.
    /// @param _new The leaf value after the write.
    /// @param _data The calldata holding the proof.
    /// @param _pos Offset of the proof in `_data`.
    /// @return oldRoot_ The root with `_old`.
    /// @return newRoot_ The root with `_new`.
    /// @return next_ Offset after the proof.
    function rootsOneAt(
        uint256 _depth,
        uint256 _index,
        bytes32 _old,
        bytes32 _new,
        bytes calldata _data,
        uint256 _pos
    )
        internal
        pure
        returns (bytes32 oldRoot_, bytes32 newRoot_, uint256 next_)
    {
        (uint256 bitmap, uint256 ptr) = _openOne(_depth, _index, _data, _pos);
        (oldRoot_, newRoot_, ptr) = fold2(_depth, _index, _old, _new, bitmap, ptr);
        next_ = _offset(_data, ptr);
    }

    /// @notice Verifies one leaf against `_root`; `_proof` must be exactly its proof.
    /// @param _root The committed root.
    /// @param _depth The tree depth.
    /// @param _index The leaf index.
    /// @param _leaf The leaf value.
    /// @param _proof The proof.
    function verifyOne(bytes32 _root, uint256 _depth, uint256 _index, bytes32 _leaf, bytes calldata _proof) internal pure {
        (bytes32 root, uint256 next) = rootOneAt(_depth, _index, _leaf, _proof, 0);
        if (next != _proof.length) revert TrailingBytes();
        if (root != _root) revert RootMismatch();
    }

    /// @notice Verifies one leaf's old value against `_root` and returns the root after writing
    ///         `_new`; `_proof` must be exactly its proof.
    /// @param _root The committed root.
    /// @param _depth The tree depth.
    /// @param _index The leaf index.
    /// @param _old The leaf value before the write.
    /// @param _new The leaf value after the write.
    /// @param _proof The proof.
    /// @return newRoot_ The root after the write.
    function updateOne(
        bytes32 _root,
        uint256 _depth,
        uint256 _index,
        bytes32 _old,
        bytes32 _new,
        bytes calldata _proof
    )
        internal
        pure
        returns (bytes32 newRoot_)
    {
        bytes32 oldRoot;
        uint256 next;
        (oldRoot, newRoot_, next) = rootsOneAt(_depth, _index, _old, _new, _proof, 0);
        if (next != _proof.length) revert TrailingBytes();
        if (oldRoot != _root) revert RootMismatch();
    }

    /// @notice Root of a fixed-depth tree holding only `_leaves` (every other leaf `0`): a
    ///         multiproof whose siblings are all default. Used to insert a new world stem.
    /// @param _depth The tree depth.
    /// @param _indices The leaf indices, strictly ascending.
    /// @param _leaves Their values.
    /// @return root_ The root.
    function sparseRoot(
        uint256 _depth,
        uint256[] memory _indices,
        bytes32[] memory _leaves
    )
        internal
        pure
        returns (bytes32 root_)
    {
        if (_indices.length != _leaves.length) revert LengthMismatch();
        checkIndices(_depth, _indices);
        (root_,,) = _foldAll(_depth, _indices, _leaves, new bytes32[](0), 0, 0);
    }

    ////////////////////////////////////////////////////////////////
    //                          Internals                         //
    ////////////////////////////////////////////////////////////////

    /// @dev Index checks, request count and bitmap of a multiproof at `_pos`; returns the
    ///      bitmap and the absolute calldata position of the first sibling.
    function _openList(
        uint256 _depth,
        uint256[] memory _indices,
        bytes calldata _data,
        uint256 _pos
    )
        private
        pure
        returns (uint256 bitmap_, uint256 ptr_)
    {
        uint256 reqs = requests(_depth, _indices);
        (bitmap_, _pos) = readBitmap(_data, _pos, reqs);
        ptr_ = _siblingsStart(_data, _pos, bitmap_);
    }

    /// @dev `_openList` for one leaf (`R = _depth`).
    function _openOne(
        uint256 _depth,
        uint256 _index,
        bytes calldata _data,
        uint256 _pos
    )
        private
        pure
        returns (uint256 bitmap_, uint256 ptr_)
    {
        if (_depth > MAX_DEPTH) revert DepthOutOfRange();
        if (_index >> _depth != 0) revert LeafIndexOutOfRange();
        (bitmap_, _pos) = readBitmap(_data, _pos, _depth);
        ptr_ = _siblingsStart(_data, _pos, bitmap_);
    }

    /// @dev Checks the flagged siblings at `_pos` (present, non-zero, in request order) and
    ///      returns their absolute calldata position: the folds then read them unchecked.
    function _siblingsStart(bytes calldata _data, uint256 _pos, uint256 _bitmap) private pure returns (uint256 ptr_) {
        checkSiblings(_data, _pos, _bitmap);
        assembly ("memory-safe") {
            ptr_ := add(_data.offset, _pos)
        }
    }

    /// @dev Absolute calldata position `_ptr` as an offset in `_data`.
    function _offset(bytes calldata _data, uint256 _ptr) private pure returns (uint256 offset_) {
        assembly ("memory-safe") {
            offset_ := sub(_ptr, _data.offset)
        }
    }

    /// @notice Folds one node up `_depth` levels of a binary tree: level L puts the node left
    ///         or right by bit L of `_index` and takes request L's sibling from calldata
    ///         position `_ptr` if bit L of `_bitmap` is set. Also the fold of a trie path
    ///         (LibWorldProof), with `_index` the path's key bits.
    /// @dev Branch-free: the node and the sibling are stored at the left/right slot chosen by
    ///      the index bit, and the zero rule is a multiplication. The flagged siblings must have
    ///      been checked (`checkSiblings`): they are read without bounds or zero checks.
    /// @param _depth Number of levels.
    /// @param _index The node's index at the bottom level (bit L = side at level L).
    /// @param _a The node value.
    /// @param _bitmap The sibling bitmap (bit L = request L is non-default).
    /// @param _ptr Absolute calldata position of the first flagged sibling.
    /// @return a_ The root.
    /// @return ptr_ Absolute calldata position after the last flagged sibling.
    function fold(
        uint256 _depth,
        uint256 _index,
        bytes32 _a,
        uint256 _bitmap,
        uint256 _ptr
    )
        internal
        pure
        returns (bytes32 a_, uint256 ptr_)
    {
        assembly ("memory-safe") {
            // Preimage `0x01 ‖ left ‖ right` at m: the left slot `p = m + 1` is 64-aligned, so
            // the slot of the node is `p | 32·bit` and the sibling's is that `^ 32`.
            let p := add(and(add(mload(0x40), 0x3f), not(0x3f)), 0x40)
            let m := sub(p, 1)
            mstore8(m, 0x01)
            a_ := _a
            ptr_ := _ptr
            let bm := _bitmap
            // The index with a sentinel bit above its `_depth` bits: one level per bit.
            for { let x := or(_index, shl(_depth, 1)) } gt(x, 1) { x := shr(1, x) } {
                let f := and(bm, 1)
                let s := mul(calldataload(ptr_), f)
                ptr_ := add(ptr_, shl(5, f))
                let here := or(p, and(shl(5, x), 0x20))
                mstore(here, a_)
                mstore(xor(here, 0x20), s)
                a_ := mul(keccak256(m, 0x41), iszero(iszero(or(a_, s))))
                bm := shr(1, bm)
            }
        }
    }

    /// @notice `fold` for two values of the same node (before and after a write) over the same
    ///         siblings, in one pass.
    /// @param _depth Number of levels.
    /// @param _index The node's index at the bottom level.
    /// @param _a The first value.
    /// @param _b The second value.
    /// @param _bitmap The sibling bitmap.
    /// @param _ptr Absolute calldata position of the first flagged sibling.
    /// @return a_ The root from `_a`.
    /// @return b_ The root from `_b`.
    /// @return ptr_ Absolute calldata position after the last flagged sibling.
    function fold2(
        uint256 _depth,
        uint256 _index,
        bytes32 _a,
        bytes32 _b,
        uint256 _bitmap,
        uint256 _ptr
    )
        internal
        pure
        returns (bytes32 a_, bytes32 b_, uint256 ptr_)
    {
        assembly ("memory-safe") {
            let p := add(and(add(mload(0x40), 0x3f), not(0x3f)), 0x40)
            let m := sub(p, 1)
            mstore8(m, 0x01)
            a_ := _a
            b_ := _b
            ptr_ := _ptr
            let bm := _bitmap
            for { let x := or(_index, shl(_depth, 1)) } gt(x, 1) { x := shr(1, x) } {
                let f := and(bm, 1)
                let s := mul(calldataload(ptr_), f)
                ptr_ := add(ptr_, shl(5, f))
                let here := or(p, and(shl(5, x), 0x20))
                mstore(here, a_)
                mstore(xor(here, 0x20), s)
                a_ := mul(keccak256(m, 0x41), iszero(iszero(or(a_, s))))
                mstore(here, b_)
                b_ := mul(keccak256(m, 0x41), iszero(iszero(or(b_, s))))
                bm := shr(1, bm)
            }
        }
    }

    /// @dev Folds leaves `_indices` with values `_a` (and `_b` if non-empty) to the root: the
    ///      multiproof loop up to the level where the first and the last leaf meet (all leaves
    ///      have merged into one node there), then the one-node fold for the levels above.
    function _foldAll(
        uint256 _depth,
        uint256[] memory _indices,
        bytes32[] memory _a,
        bytes32[] memory _b,
        uint256 _bitmap,
        uint256 _ptr
    )
        private
        pure
        returns (bytes32 a_, bytes32 b_, uint256 ptr_)
    {
        uint256 n = _indices.length;
        bool two = _b.length != 0;
        uint256 meet;
        if (n == 1) {
            a_ = _a[0];
            if (two) b_ = _b[0];
        } else {
            uint256 node;
            (node, _ptr, _bitmap) = _foldMany(_indices, _a, _b, _bitmap, _ptr);
            assembly ("memory-safe") {
                a_ := mload(add(node, 0x20))
                b_ := mload(add(node, 0x40))
            }
            meet = _meet(_indices[0], _indices[n - 1]);
        }
        if (two) {
            (a_, b_, ptr_) = fold2(_depth - meet, _indices[0] >> meet, a_, b_, _bitmap, _ptr);
        } else {
            (a_, ptr_) = fold(_depth - meet, _indices[0] >> meet, a_, _bitmap, _ptr);
        }
    }

    /// @dev The level at which leaves `_x < _y` meet: `bitlen(_x ^ _y)`.
    function _meet(uint256 _x, uint256 _y) private pure returns (uint256 level_) {
        assembly ("memory-safe") {
            level_ := sub(256, clz(xor(_x, _y)))
        }
    }

    /// @dev The multiproof loop of spec §3.2 over `_indices` (at least two, strictly ascending)
    ///      with values `_a` (and `_b` when it is non-empty), run until one node is left, i.e.
    ///      up to the level where the first and the last index meet. Returns the memory record
    ///      `(index, a, b)` of that node and the bitmap bits not yet consumed. Work copy past the
    ///      free memory pointer: one 96-byte record per node, compacted in place level by
    ///      level. A node's sibling is either the next record (merge) or request r's sibling
    ///      from calldata, copied into a scratch record so both cases read it the same way.
    function _foldMany(
        uint256[] memory _indices,
        bytes32[] memory _a,
        bytes32[] memory _b,
        uint256 _bitmap,
        uint256 _ptr
    )
        private
        pure
        returns (uint256 node_, uint256 ptr_, uint256 bitmap_)
    {
        assembly ("memory-safe") {
            // p - 1: preimage `0x01 ‖ left ‖ right` with p 64-aligned (slot p | 32·bit);
            // p + 0x40: scratch record (its first word holds the `two` flag);
            // p + 0xa0: the current node's second value; p + 0xc0: node records.
            let p := add(and(add(mload(0x40), 0x3f), not(0x3f)), 0x40)
            mstore8(sub(p, 1), 0x01)
            mstore(add(p, 0x40), mload(_b))
            node_ := add(p, 0xc0)
            let end := node_
            {
                let n := shl(5, mload(_indices))
                for { let i := 0x20 } iszero(gt(i, n)) { i := add(i, 0x20) } {
                    mstore(end, mload(add(_indices, i)))
                    mstore(add(end, 0x20), mload(add(_a, i)))
                    if mload(add(p, 0x40)) { mstore(add(end, 0x40), mload(add(_b, i))) }
                    end := add(end, 0x60)
                }
            }
            ptr_ := _ptr
            bitmap_ := _bitmap
            for { } gt(end, add(node_, 0x60)) { } {
                let out := node_
                for { let at := node_ } lt(at, end) { } {
                    let x := mload(at)
                    let here := or(p, and(shl(5, x), 0x20))
                    mstore(here, mload(add(at, 0x20)))
                    mstore(add(p, 0xa0), mload(add(at, 0x40)))
                    let sib := add(at, 0x60)
                    at := sib
                    switch and(and(iszero(and(x, 1)), lt(sib, end)), eq(mload(sib), add(x, 1)))
                    case 0 {
                        // No merge: request the sibling.
                        let f := and(bitmap_, 1)
                        let s := mul(calldataload(ptr_), f)
                        ptr_ := add(ptr_, shl(5, f))
                        bitmap_ := shr(1, bitmap_)
                        sib := add(p, 0x40)
                        mstore(add(sib, 0x20), s)
                        mstore(add(sib, 0x40), s)
                    }
                    default { at := add(sib, 0x60) }
                    mstore(out, shr(1, x))
                    mstore(xor(here, 0x20), mload(add(sib, 0x20)))
                    mstore(
                        add(out, 0x20),
                        mul(keccak256(sub(p, 1), 0x41), iszero(iszero(or(mload(p), mload(add(p, 0x20))))))
                    )
                    if mload(add(p, 0x40)) {
                        mstore(here, mload(add(p, 0xa0)))
                        mstore(xor(here, 0x20), mload(add(sib, 0x40)))
                        mstore(
                            add(out, 0x40),
                            mul(keccak256(sub(p, 1), 0x41), iszero(iszero(or(mload(p), mload(add(p, 0x20))))))
                        )
                    }
                    out := add(out, 0x60)
                }
                end := out
            }
        }
    }
}
