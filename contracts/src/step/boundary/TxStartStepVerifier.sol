// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { TrailingBytes } from "../../commit/CommitErrors.sol";
import { LibCommitHash } from "../../commit/LibCommitHash.sol";
import { LibRecords } from "../../commit/LibRecords.sol";
import { LibSparseProof } from "../../commit/LibSparseProof.sol";
import { LibWorldProof } from "../../commit/LibWorldProof.sol";
import { BalanceOverflow, RecordMismatch, UnsupportedTx, WrongPhase, WrongStepKind } from "./BoundaryErrors.sol";
import { LibIntrinsicGas } from "./LibIntrinsicGas.sol";
import { LibStepIO } from "./LibStepIO.sol";
import { LibTxDecode } from "./LibTxDecode.sol";

/// @title TxStartStepVerifier
/// @notice The transaction-start step (kind 2, docs/spec.md §17.2, witness §17.6): opens the
///         transaction against the batch, decodes it, recovers the sender, applies revm 43's
///         validity rules and either skips it (`txIndex + 1`) or buys the gas, takes the frame
///         snapshot, moves the value and enters the frame.
contract TxStartStepVerifier {
    /// @notice `keccak256("")`: CODE_HASH of an account without code.
    bytes32 internal constant EMPTY_CODE_HASH = 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470;

    /// @notice Hash of the chain configuration (spec §9.8).
    bytes32 public immutable CHAIN_CONFIG;
    /// @notice The chain id in that configuration.
    uint64 public immutable CHAIN_ID;
    /// @notice `B` (24 for the EVM layout).
    uint256 public immutable BOTTOM_DEPTH;

    /// @dev Working state of one step (keeps the stack shallow).
    struct Work {
        LibRecords.Boundary b;
        LibStepIO.BlockOpening o;
        LibTxDecode.Tx t;
        address from;
        bytes32 txHash;
        uint256 p;
        bytes32 senderBasic;
        bytes32 senderCode;
        uint256 senderProofPos;
        uint256 senderProofEnd;
        uint256 tokens;
        uint256 intrinsic;
        bytes32 accessHead;
        uint256 gasPrice;
        bytes32 world;
        bytes32 snapshotWorld;
        uint32 codeSize;
        bytes32 codeRoot;
    }

    /// @param _chainConfig The chain-configuration hash.
    /// @param _chainId Its chain id.
    /// @param _bottomDepth `B` (24).
    constructor(bytes32 _chainConfig, uint64 _chainId, uint256 _bottomDepth) {
        CHAIN_CONFIG = _chainConfig;
        CHAIN_ID = _chainId;
        BOTTOM_DEPTH = _bottomDepth;
    }

    /// @notice Executes the transaction-start step.
    /// @param _pre The boundary before the transaction.
    /// @param _traceIndex The leaf of the post-state (must start a transition).
    /// @param _witness `0x01 ‖ 0x02 ‖ Boundary ‖ block opening ‖ u32 ‖ tx proof ‖ u32 ‖ tx ‖
    ///        sender opening ‖ [callee opening]` (spec §17.6).
    /// @return post_ The boundary with `txIndex + 1` (skipped) or the frame's first StepState.
    function step(bytes32 _pre, uint256 _traceIndex, bytes calldata _witness) external view returns (bytes32 post_) {
        if (_witness.length < 2 + LibStepIO.BOUNDARY_LEN || _witness[0] != 0x01 || _witness[1] != 0x02) {
            revert WrongStepKind();
        }
        LibStepIO.requireFirst(_traceIndex, BOTTOM_DEPTH);
        Work memory w;
        w.b = LibStepIO.boundaryAt(_witness, 2, _pre);
        if (w.b.phase != LibRecords.PHASE_IN_BLOCK) revert WrongPhase();
        (w.o, w.p) = LibStepIO.blockAt(_witness, 2 + LibStepIO.BOUNDARY_LEN, w.b, CHAIN_CONFIG);
        if (w.o.envHash != w.b.blockEnv) revert RecordMismatch();
        if (w.b.txIndex >= w.o.txCount) revert WrongPhase();
        bytes calldata raw = _openTx(_witness, w);
        w.t = LibTxDecode.decode(raw, CHAIN_ID);
        w.from = LibTxDecode.sender(raw, w.t);
        w.tokens = LibTxDecode.tokens(raw, w.t.dataPos, w.t.dataLen);
        uint256 addresses;
        uint256 keys;
        (w.accessHead, addresses, keys) = LibIntrinsicGas.accessList(raw, w.t.alPos, w.t.alLen);
        w.intrinsic = LibIntrinsicGas.intrinsic(w.tokens, w.t.create, w.t.dataLen, addresses, keys);
        // Sender opening: BASIC_DATA ‖ CODE_HASH ‖ u32 ‖ stem proof (subindices 0, 1).
        w.senderBasic = LibStepIO.wordAt(_witness, w.p);
        w.senderCode = LibStepIO.wordAt(_witness, w.p + 32);
        (, w.senderProofEnd) = LibStepIO.partAt(_witness, w.p + 64);
        w.senderProofPos = w.p + 68;
        if (!_valid(w)) {
            LibWorldProof.verifyStem(
                w.b.worldRoot, LibWorldProof.accountStem(w.from), _idx(2), _vals2(w.senderBasic, w.senderCode), _witness[w.senderProofPos:w.senderProofEnd]
            );
            if (w.senderProofEnd != _witness.length) revert TrailingBytes();
            w.b.txIndex += 1;
            return LibRecords.boundaryHash(w.b);
        }
        if (w.t.create || _isPrecompile(w.t.to)) revert UnsupportedTx();
        _buyGas(_witness, w);
        _transfer(_witness, w);
        post_ = _enter(raw, w, _pre);
    }

    /// @dev Reads `u32 ‖ tx proof ‖ u32 ‖ tx` and checks the transaction's leaf.
    function _openTx(bytes calldata _witness, Work memory _w) private pure returns (bytes calldata raw_) {
        bytes calldata proof;
        (proof, _w.p) = LibStepIO.partAt(_witness, _w.p);
        (raw_, _w.p) = LibStepIO.partAt(_witness, _w.p);
        _w.txHash = keccak256(raw_);
        LibSparseProof.verifyOne(_w.o.txRoot, LibStepIO.BATCH_TREE_DEPTH, _w.b.txIndex, _w.txHash, proof);
    }

    /// @dev revm 43's validity rules (spec §14.2); any failure skips the transaction.
    function _valid(Work memory _w) private pure returns (bool) {
        LibTxDecode.Tx memory t = _w.t;
        (uint24 codeSize, uint64 nonce, uint128 balance) = LibWorldProof.decodeBasicData(_w.senderBasic);
        if (t.nonce != nonce || t.nonce == type(uint64).max) return false;
        if (codeSize != 0) return false; // EIP-3607
        if (t.gasLimit > LibRecords.L2_TX_GAS_CAP) return false;
        if (uint256(t.gasLimit) + _w.b.blockGasUsed > _w.o.env.gasLimit) return false;
        if (t.gasLimit < _w.intrinsic || t.gasLimit < LibIntrinsicGas.floor(_w.tokens)) return false;
        if (t.create && t.dataLen > 49_152) return false; // EIP-3860
        if (t.tip > t.maxFee || t.maxFee < _w.o.env.baseFee) return false;
        uint256 fee = uint256(t.gasLimit) * t.maxFee;
        if (t.value > balance || fee > balance - t.value) return false;
        _w.gasPrice = t.ty == 2 ? _min(t.maxFee, _w.o.env.baseFee + t.tip) : t.maxFee;
        return true;
    }

    /// @dev Sender: nonce + 1, balance − gasLimit · gasPrice, CODE_HASH set if it was absent
    ///      (the snapshot's world); then − value.
    function _buyGas(bytes calldata _witness, Work memory _w) private pure {
        (, uint64 nonce, uint128 balance) = LibWorldProof.decodeBasicData(_w.senderBasic);
        uint256 cost = uint256(_w.t.gasLimit) * _w.gasPrice;
        _w.world = LibWorldProof.updateStem(
            _w.b.worldRoot,
            LibWorldProof.accountStem(_w.from),
            _idx(2),
            _vals2(_w.senderBasic, _w.senderCode),
            _vals2(
                LibWorldProof.encodeBasicData(0, nonce + 1, uint128(balance - cost)),
                _w.senderCode == 0 ? EMPTY_CODE_HASH : _w.senderCode
            ),
            _witness[_w.senderProofPos:_w.senderProofEnd]
        );
        _w.snapshotWorld = _w.world;
        _w.p = _w.senderProofEnd;
        if (_w.t.value != 0 && _w.t.to != _w.from) {
            // The value leaves the sender after the snapshot. Only the sender's stem changed,
            // so its opening's siblings still hold: the same proof rewrites it again. (The
            // stem exists: the balance covers a non-zero value.)
            bytes32 bought = LibWorldProof.encodeBasicData(0, nonce + 1, uint128(balance - cost));
            bytes32 code = _w.senderCode == 0 ? EMPTY_CODE_HASH : _w.senderCode;
            _w.world = LibWorldProof.updateStem(
                _w.world,
                LibWorldProof.accountStem(_w.from),
                _idx(2),
                _vals2(bought, code),
                _vals2(LibWorldProof.encodeBasicData(0, nonce + 1, uint128(balance - cost - _w.t.value)), code),
                _witness[_w.senderProofPos:_w.senderProofEnd]
            );
        }
    }

    /// @dev Callee opening `BASIC_DATA ‖ CODE_HASH ‖ CODE_ROOT ‖ u32 ‖ stem proof` unless the
    ///      callee is the sender; the value moves if non-zero.
    function _transfer(bytes calldata _witness, Work memory _w) private pure {
        if (_w.t.to == _w.from) {
            // The sender has no code (EIP-3607), so neither has the callee; no value moves.
            if (_w.p != _witness.length) revert TrailingBytes();
            return;
        }
        bytes32 basic = LibStepIO.wordAt(_witness, _w.p);
        bytes32 codeHash = LibStepIO.wordAt(_witness, _w.p + 32);
        _w.codeRoot = LibStepIO.wordAt(_witness, _w.p + 64);
        (bytes calldata proof, uint256 end) = LibStepIO.partAt(_witness, _w.p + 96);
        if (end != _witness.length) revert TrailingBytes();
        (uint24 codeSize, uint64 nonce, uint128 balance) = LibWorldProof.decodeBasicData(basic);
        _w.codeSize = codeSize;
        bytes32[] memory olds = new bytes32[](3);
        olds[0] = basic;
        olds[1] = codeHash;
        olds[2] = _w.codeRoot;
        bytes31 stem = LibWorldProof.accountStem(_w.t.to);
        if (_w.t.value == 0) {
            LibWorldProof.verifyStem(_w.world, stem, _idx(3), olds, proof);
            return;
        }
        uint256 nb = uint256(balance) + _w.t.value;
        if (nb >= 1 << 128) revert BalanceOverflow();
        bytes32[] memory news = new bytes32[](3);
        news[0] = LibWorldProof.encodeBasicData(codeSize, nonce, uint128(nb));
        news[1] = codeHash == 0 ? EMPTY_CODE_HASH : codeHash;
        news[2] = _w.codeRoot;
        _w.world = LibWorldProof.updateStem(_w.world, stem, _idx(3), olds, news, proof);
    }

    /// @dev Builds TxEnv, Snapshot, Frame, Context and the first StepState.
    function _enter(bytes calldata _raw, Work memory _w, bytes32 _pre) private pure returns (bytes32) {
        bytes32 substate = warmRoot(_w.from, _w.t.to, _w.o.env.coinbase);
        bytes32 txEnv = LibRecords.txEnvHash(LibRecords.TxEnv(_w.from, _w.gasPrice, _w.t.gasLimit, _w.txHash, _pre));
        bytes32 snapshot = LibRecords.snapshotHash(LibRecords.Snapshot(_w.snapshotWorld, substate, 0, 0));
        LibRecords.Frame memory f;
        f.account = _w.t.to;
        f.caller = _w.from;
        f.value = _w.t.value;
        f.callData = LibRecords.DataView(calldataRoot(_raw, _w.t.dataPos, _w.t.dataLen), 0, uint32(_w.t.dataLen));
        f.codeSize = _w.codeSize;
        f.snapshot = snapshot;
        LibRecords.Context memory c;
        c.worldRoot = _w.world;
        c.substateRoot = substate;
        c.frame = LibRecords.frameHash(f);
        c.tx = txEnv;
        LibRecords.StepState memory s;
        s.machine.gas = uint64(_w.t.gasLimit - _w.intrinsic);
        s.codeRoot = _w.codeRoot;
        s.micro = _w.accessHead;
        s.context = LibRecords.contextHash(c);
        return LibRecords.stepHash(s);
    }

    /// @notice Root of the substate trie holding WarmAccount = 1 for the sender, the callee
    ///         and the coinbase (duplicates once): the substate after the transaction start.
    function warmRoot(address _a, address _b, address _c) public pure returns (bytes32) {
        uint256[] memory k = new uint256[](3);
        k[0] = uint256(bytes32(LibCommitHash.substateKey(1, _a, 0)));
        k[1] = uint256(bytes32(LibCommitHash.substateKey(1, _b, 0)));
        k[2] = uint256(bytes32(LibCommitHash.substateKey(1, _c, 0)));
        // Sort three and drop duplicates.
        if (k[0] > k[1]) (k[0], k[1]) = (k[1], k[0]);
        if (k[1] > k[2]) (k[1], k[2]) = (k[2], k[1]);
        if (k[0] > k[1]) (k[0], k[1]) = (k[1], k[0]);
        uint256 n = 1;
        for (uint256 i = 1; i < 3; i++) {
            if (k[i] != k[n - 1]) k[n++] = k[i];
        }
        return _subtrie(k, 0, n, 0);
    }

    /// @dev Root of the prefix trie (spec §4.2) over sorted distinct keys `_k[_lo.._hi]`
    ///      below `_depth`, all with payload 1.
    function _subtrie(uint256[] memory _k, uint256 _lo, uint256 _hi, uint256 _depth) private pure returns (bytes32 h_) {
        if (_hi - _lo == 1) return LibCommitHash.terminal(LibCommitHash.SUBSTATE_LEAF, bytes31(bytes32(_k[_lo])), bytes32(uint256(1)));
        uint256 x = _k[_lo] ^ _k[_hi - 1];
        uint256 b;
        assembly ("memory-safe") {
            b := clz(x)
        }
        uint256 m = _lo + 1;
        while ((_k[m] >> (255 - b)) & 1 == 0) m++;
        h_ = LibCommitHash.node(_subtrie(_k, _lo, m, b + 1), _subtrie(_k, m, _hi, b + 1));
        for (uint256 d = b; d > _depth; d--) {
            h_ = (_k[_lo] >> (256 - d)) & 1 == 0 ? LibCommitHash.node(h_, 0) : LibCommitHash.node(0, h_);
        }
    }

    /// @notice The memory-format tree (depth 16, spec §6.3) of `_raw[_pos .. _pos + _len]`.
    function calldataRoot(bytes calldata _raw, uint256 _pos, uint256 _len) public pure returns (bytes32) {
        uint256 n = (_len + 31) / 32;
        if (n == 0) return 0;
        bytes32[] memory level = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            uint256 take = _len - 32 * i < 32 ? _len - 32 * i : 32;
            bytes32 word;
            uint256 src = _pos + 32 * i;
            assembly ("memory-safe") {
                word := calldataload(add(_raw.offset, src))
            }
            // Zero-pad the last word: calldata past the data belongs to the rest of the witness.
            if (take < 32) word &= bytes32(~(type(uint256).max >> (8 * take)));
            level[i] = word;
        }
        for (uint256 d = 0; d < 16; d++) {
            uint256 m = (n + 1) / 2;
            for (uint256 i = 0; i < m; i++) {
                level[i] = LibCommitHash.node(level[2 * i], 2 * i + 1 < n ? level[2 * i + 1] : bytes32(0));
            }
            n = m;
        }
        return level[0];
    }

    function _isPrecompile(address _a) private pure returns (bool) {
        uint160 a = uint160(_a);
        return (a >= 0x01 && a <= 0x11) || a == 0x100;
    }

    function _min(uint256 _a, uint256 _b) private pure returns (uint256) {
        return _a < _b ? _a : _b;
    }

    function _idx(uint256 _n) private pure returns (uint256[] memory i_) {
        i_ = new uint256[](_n);
        for (uint256 j = 0; j < _n; j++) {
            i_[j] = j;
        }
    }

    function _vals2(bytes32 _a, bytes32 _b) private pure returns (bytes32[] memory v_) {
        v_ = new bytes32[](2);
        v_[0] = _a;
        v_[1] = _b;
    }
}
