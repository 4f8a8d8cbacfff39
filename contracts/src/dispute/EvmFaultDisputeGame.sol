// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { FaultDisputeGame } from "./FaultDisputeGame.sol";
import { GameType } from "./lib/Types.sol";
import { ZeroAddress } from "./lib/Errors.sol";
import { IStepVerifier } from "./interfaces/IStepVerifier.sol";
import { IAnchorStateRegistry } from "./interfaces/IAnchorStateRegistry.sol";
import { IBatchInbox } from "../inbox/IBatchInbox.sol";

/// @notice An EVM game must be about the batch right after its anchor: `l2SequenceNumber` must
///         be `anchorSequenceNumber + 1`.
error NotNextBatch(uint256 anchorSequenceNumber, uint256 l2SequenceNumber);
/// @notice The game's input is not the inbox commitment of batch `l2SequenceNumber`.
error WrongBatchInput(uint256 l2SequenceNumber, bytes32 expected, bytes32 given);

/// @title EvmFaultDisputeGame
/// @notice The EVM game type (docs/protocol.md §13): the game of `FaultDisputeGame` over the
///         trace of one posted batch, stepped by `EvmStepVerifier`. `extraData =
///         abi.encode(uint256 l2SequenceNumber, bytes32 input)` as for every game; here
///         `l2SequenceNumber = n` means "the state after inbox batch `n`", the anchor must be at
///         `n − 1` (so the trace starts from the anchor boundary, the state after batch `n − 1`)
///         and `input` must be the inbox's commitment of batch `n`, so nobody can dispute a
///         batch that was not posted or invent its contents.
/// @dev The anchor boundary's preimage must be registered with the step verifier's
///      `BlockStepVerifier.registerAnchor` (permissionless, idempotent) before creation, else
///      `initialize` reverts `BadAnchor`; the deployment registers genesis, proposers register
///      the anchor they start from (see `gavel_chain::create_evm_game`).
contract EvmFaultDisputeGame is FaultDisputeGame {
    /// @notice The inbox whose batches games of this type dispute.
    IBatchInbox public immutable INBOX;

    /// @param _gameType The game type.
    /// @param _maxGameDepth The leaves' depth (44 for the EVM layout).
    /// @param _splitDepth The split depth (20 for the EVM layout).
    /// @param _maxClockDuration Each side's clock, seconds.
    /// @param _clockExtension The clock extension, seconds.
    /// @param _withdrawalDelay Seconds between resolution and credit withdrawal.
    /// @param _baseBond The root bond, wei.
    /// @param _bondIncrement The bond increment per depth, wei.
    /// @param _verifier The `EvmStepVerifier`.
    /// @param _anchorRegistry The anchor state registry.
    /// @param _factory The dispute game factory.
    /// @param _inbox The batch inbox.
    constructor(
        GameType _gameType,
        uint256 _maxGameDepth,
        uint256 _splitDepth,
        uint64 _maxClockDuration,
        uint64 _clockExtension,
        uint64 _withdrawalDelay,
        uint256 _baseBond,
        uint256 _bondIncrement,
        IStepVerifier _verifier,
        IAnchorStateRegistry _anchorRegistry,
        address _factory,
        IBatchInbox _inbox
    )
        FaultDisputeGame(
            _gameType,
            _maxGameDepth,
            _splitDepth,
            _maxClockDuration,
            _clockExtension,
            _withdrawalDelay,
            _baseBond,
            _bondIncrement,
            _verifier,
            _anchorRegistry,
            _factory
        )
    {
        if (address(_inbox) == address(0)) revert ZeroAddress();
        INBOX = _inbox;
    }

    /// @inheritdoc FaultDisputeGame
    /// @dev `NotNextBatch` unless `_sequenceNumber == _anchorSequenceNumber + 1`; the inbox's
    ///      `UnknownBatch` (bubbled) for a batch not posted; `WrongBatchInput` unless `_input` is
    ///      its commitment.
    function _checkInput(uint256 _sequenceNumber, bytes32 _input, uint256 _anchorSequenceNumber)
        internal
        view
        override
    {
        if (_sequenceNumber != _anchorSequenceNumber + 1) {
            revert NotNextBatch(_anchorSequenceNumber, _sequenceNumber);
        }
        bytes32 expected = INBOX.batchCommitment(_sequenceNumber);
        if (expected != _input) revert WrongBatchInput(_sequenceNumber, expected, _input);
    }
}
