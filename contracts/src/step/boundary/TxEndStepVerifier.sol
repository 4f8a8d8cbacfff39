// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { TrailingBytes } from "../../commit/CommitErrors.sol";
import { LibRecords } from "../../commit/LibRecords.sol";
import { LibWorldProof } from "../../commit/LibWorldProof.sol";
import { BalanceOverflow, RecordMismatch, UnsupportedStep, WrongStepKind } from "./BoundaryErrors.sol";
import { LibIntrinsicGas } from "./LibIntrinsicGas.sol";
import { LibStepIO } from "./LibStepIO.sol";
import { LibTxDecode } from "./LibTxDecode.sol";

/// @title TxEndStepVerifier
/// @notice The transaction-end step (docs/spec.md §17.4, witness §17.6): from the halted
///         state, caps the refund, applies the EIP-7623 floor (recounted from the re-opened
///         transaction bytes), refunds the sender, pays the coinbase its priority fee, appends
///         the receipt and returns the boundary after the transaction.
contract TxEndStepVerifier {
    /// @notice `keccak256("")`.
    bytes32 internal constant EMPTY_CODE_HASH = 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470;
    /// @notice Offsets of the records in the witness (after `0x00`).
    uint256 internal constant CONTEXT_AT = 193;
    uint256 internal constant FRAME_AT = CONTEXT_AT + 224;
    uint256 internal constant TX_AT = FRAME_AT + 200;
    uint256 internal constant BOUNDARY_AT = TX_AT + 124;
    uint256 internal constant BLOCK_ENV_AT = BOUNDARY_AT + 192;
    uint256 internal constant TX_BYTES_AT = BLOCK_ENV_AT + 140;

    /// @notice The chain id (transactions are re-decoded under it).
    uint64 public immutable CHAIN_ID;

    /// @dev Working state.
    struct Work {
        uint256 status;
        uint256 gasLeft;
        bytes32 world;
        int64 refund;
        bytes32 logs;
        address origin;
        uint256 gasPrice;
        uint256 gasLimit;
        LibRecords.Boundary b;
        LibRecords.BlockEnv env;
        uint256 gasUsed;
        uint256 p;
    }

    /// @param _chainId The chain id.
    constructor(uint64 _chainId) {
        CHAIN_ID = _chainId;
    }

    /// @notice Executes the transaction-end step.
    /// @param _pre The halted StepState.
    /// @param _witness `0x00 ‖ StepState ‖ Context ‖ Frame ‖ TxEnv ‖ Boundary ‖ BlockEnv ‖
    ///        u32 ‖ tx ‖ sender opening ‖ [coinbase opening]` (spec §17.6).
    /// @return post_ The boundary after the transaction.
    function step(bytes32 _pre, uint256, bytes calldata _witness) external view returns (bytes32 post_) {
        if (_witness.length < TX_BYTES_AT || _witness[0] != 0x00) revert WrongStepKind();
        Work memory w = _open(_witness, _pre);
        _gas(_witness, w);
        _pay(_witness, w);
        uint64 cumulative = w.b.blockGasUsed + uint64(w.gasUsed);
        w.b.receipts = LibRecords.receiptLink(w.b.receipts, w.status == 1, cumulative, w.logs);
        w.b.worldRoot = w.world;
        w.b.txIndex += 1;
        w.b.blockGasUsed = cumulative;
        post_ = LibRecords.boundaryHash(w.b);
    }

    /// @dev Opens the record chain StepState → Context → Frame, TxEnv → Boundary → BlockEnv.
    function _open(bytes calldata _w, bytes32 _pre) private pure returns (Work memory w_) {
        if (LibStepIO.tagged(0x10, _w, 1, 192) != _pre) revert RecordMismatch();
        uint256 machine = uint256(LibStepIO.wordAt(_w, 1));
        // The halted shape (spec §16.2): pc, stack, memory, cursor 0; only gas is free.
        if (machine & ~(uint256(type(uint64).max) << 160) != 0) revert UnsupportedStep();
        if (LibStepIO.wordAt(_w, 33) != 0 || LibStepIO.wordAt(_w, 65) != 0 || LibStepIO.wordAt(_w, 97) != 0) {
            revert UnsupportedStep();
        }
        w_.gasLeft = uint64(machine >> 160);
        bytes32 micro = LibStepIO.wordAt(_w, 129);
        for (uint256 s = 1; s <= 3; s++) {
            if (micro == keccak256(abi.encodePacked(LibStepIO.HALTED, uint8(s)))) w_.status = s;
        }
        if (w_.status == 0) revert UnsupportedStep();
        if (LibStepIO.tagged(0x11, _w, CONTEXT_AT, 224) != LibStepIO.wordAt(_w, 161)) revert RecordMismatch();
        w_.world = LibStepIO.wordAt(_w, CONTEXT_AT);
        w_.logs = LibStepIO.wordAt(_w, CONTEXT_AT + 64);
        w_.refund = int64(uint64(LibStepIO.uintAt(_w, CONTEXT_AT + 136, 8)));
        if (LibStepIO.tagged(0x12, _w, FRAME_AT, 200) != LibStepIO.wordAt(_w, CONTEXT_AT + 160)) revert RecordMismatch();
        // Only the transaction's own frame ends the transaction.
        if (LibStepIO.wordAt(_w, FRAME_AT + 136) != 0) revert UnsupportedStep();
        if (LibStepIO.tagged(0x13, _w, TX_AT, 124) != LibStepIO.wordAt(_w, CONTEXT_AT + 192)) revert RecordMismatch();
        w_.origin = address(uint160(LibStepIO.uintAt(_w, TX_AT, 20)));
        w_.gasPrice = uint256(LibStepIO.wordAt(_w, TX_AT + 20));
        w_.gasLimit = LibStepIO.uintAt(_w, TX_AT + 52, 8);
        w_.b = LibStepIO.boundaryAt(_w, BOUNDARY_AT, LibStepIO.wordAt(_w, TX_AT + 92));
        w_.env = LibStepIO.blockEnvAt(_w, BLOCK_ENV_AT, w_.b.blockEnv);
    }

    /// @dev Gas used after the refund cap and the EIP-7623 floor.
    function _gas(bytes calldata _w, Work memory _k) private view {
        bytes calldata raw;
        (raw, _k.p) = LibStepIO.partAt(_w, TX_BYTES_AT);
        if (keccak256(raw) != LibStepIO.wordAt(_w, TX_AT + 60)) revert RecordMismatch();
        LibTxDecode.Tx memory t = LibTxDecode.decode(raw, CHAIN_ID);
        uint256 floor = LibIntrinsicGas.floor(LibTxDecode.tokens(raw, t.dataPos, t.dataLen));
        if (_k.gasLeft > _k.gasLimit) revert UnsupportedStep();
        uint256 used = _k.gasLimit - _k.gasLeft;
        // revm: refund = min(refunded as u64, used / 5), only a successful frame keeps one.
        uint256 refund = _k.status == 1 ? uint256(uint64(_k.refund)) : 0;
        if (refund > used / 5) refund = used / 5;
        used -= refund;
        _k.gasUsed = used < floor ? floor : used;
    }

    /// @dev Sender refund, then the coinbase's priority fee (sequential openings, §4.6).
    function _pay(bytes calldata _w, Work memory _k) private pure {
        uint256 back = (_k.gasLimit - _k.gasUsed) * _k.gasPrice;
        _k.p = _credit(_w, _k, _k.origin, back, _k.p);
        uint256 fee = _k.gasUsed * (_k.gasPrice - _k.env.baseFee);
        if (fee != 0) _k.p = _credit(_w, _k, _k.env.coinbase, fee, _k.p);
        if (_k.p != _w.length) revert TrailingBytes();
    }

    /// @dev `BASIC_DATA ‖ CODE_HASH ‖ u32 ‖ stem proof (0, 1)`: adds `_amount` to the balance,
    ///      creating the account (CODE_HASH of empty code) if absent.
    function _credit(
        bytes calldata _w,
        Work memory _k,
        address _a,
        uint256 _amount,
        uint256 _p
    )
        private
        pure
        returns (uint256 next_)
    {
        bytes32 basic = LibStepIO.wordAt(_w, _p);
        bytes32 code = LibStepIO.wordAt(_w, _p + 32);
        bytes calldata proof;
        (proof, next_) = LibStepIO.partAt(_w, _p + 64);
        (uint24 size, uint64 nonce, uint128 balance) = LibWorldProof.decodeBasicData(basic);
        uint256 nb = uint256(balance) + _amount;
        if (nb >= 1 << 128) revert BalanceOverflow();
        uint256[] memory idx = new uint256[](2);
        idx[1] = 1;
        bytes32[] memory olds = new bytes32[](2);
        olds[0] = basic;
        olds[1] = code;
        bytes32[] memory news = new bytes32[](2);
        news[0] = LibWorldProof.encodeBasicData(size, nonce, uint128(nb));
        news[1] = code == 0 ? EMPTY_CODE_HASH : code;
        _k.world = LibWorldProof.updateStem(_k.world, LibWorldProof.accountStem(_a), idx, olds, news, proof);
    }
}
