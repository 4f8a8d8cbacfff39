// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import { GameType } from "./Types.sol";

// Every custom error of the dispute contracts, in one place (docs/protocol.md).

////////////////////////////////////////////////////////////////
//                  FaultDisputeGame: set-up                  //
////////////////////////////////////////////////////////////////

/// @notice `splitDepth` is not in `(0, maxGameDepth)`.
error InvalidSplitDepth();

/// @notice `maxGameDepth` is larger than 62 (positions must fit in 64 bits).
error MaxDepthTooLarge();

/// @notice `maxClockDuration` is smaller than twice `clockExtension`.
error InvalidClockExtension();

/// @notice A required address (verifier, anchor registry, factory, owner) is zero.
error ZeroAddress();

/// @notice `initialize` was called on an initialized game (or on the implementation).
error AlreadyInitialized();

/// @notice The caller is not the dispute game factory.
error NotFactory();

/// @notice The game's extra data is not `abi.encode(uint256 l2SequenceNumber, bytes32 input)`.
/// @param length The length that was given (64 is required).
error BadExtraData(uint256 length);

/// @notice The proposal's L2 sequence number is not after the anchor's.
/// @param anchorSequenceNumber The sequence number of the current anchor.
/// @param l2SequenceNumber The sequence number the game was created with.
error SequenceNumberNotAfterAnchor(uint256 anchorSequenceNumber, uint256 l2SequenceNumber);

////////////////////////////////////////////////////////////////
//                    FaultDisputeGame: play                  //
////////////////////////////////////////////////////////////////

/// @notice The game is resolved (or not initialized).
error GameNotInProgress();

/// @notice `msg.value` is not the bond required for the new claim.
error IncorrectBondAmount();

/// @notice The disputed digest does not match claim `parentIndex` (or it does not exist).
error InvalidDisputedClaimIndex();

/// @notice The root claim commits to the whole trace and cannot be defended.
error CannotDefendRootClaim();

/// @notice The move would create a claim deeper than `MAX_GAME_DEPTH`.
error GameDepthExceeded();

/// @notice A step was made against a claim that is not at `MAX_GAME_DEPTH`.
error InvalidParent();

/// @notice The countering side's clock has run out for this claim.
error ClockTimeExceeded();

/// @notice The game already holds `type(uint32).max` claims.
error TooManyClaims();

/// @notice A claim index given to a view is out of range.
/// @param index The index that was given.
error InvalidClaimIndex(uint256 index);

/// @notice A `ClaimRef` does not open the stored digest of its claim (or the claim does not exist).
error InvalidClaimRef();

/// @notice The chain claim given as the other end of a step does not open its digest, is not
///         at the required trace ancestor position, or is not an ancestor of the stepped claim.
error InvalidPrestate();

/// @notice The step agrees with the claim it was meant to counter.
error ValidStep();

/// @notice The claim was already countered by a step.
error DuplicateStep();

////////////////////////////////////////////////////////////////
//                 FaultDisputeGame: resolution               //
////////////////////////////////////////////////////////////////

/// @notice The countering side's clock for this claim has not run out yet.
error ClockNotExpired();

/// @notice A `ChildRef` given to `resolveClaim` is not a child of the claim, does not open its
///         digest, does not follow the previous child of the page in index order, or was
///         counted by an earlier page; or the page is empty and does not finish the claim.
error InvalidChildRef();

/// @notice A child's subgame (or, for `resolve`, the root's) is not resolved yet.
error OutOfOrderResolution();

/// @notice The claim's subgame is already resolved.
error ClaimAlreadyResolved();

/// @notice Credit cannot be claimed before the game is resolved.
error GameNotResolved();

/// @notice Credit cannot be claimed before `WITHDRAWAL_DELAY` seconds after resolution.
error WithdrawalDelayNotPassed();

/// @notice The recipient has no credit.
error NoCreditToClaim();

/// @notice The transfer of a credit failed.
error BondTransferFailed();

////////////////////////////////////////////////////////////////
//            DisputeGameFactory / AnchorStateRegistry        //
////////////////////////////////////////////////////////////////

/// @notice The caller is not the owner.
error NotOwner();

/// @notice No implementation is registered for the game type.
/// @param gameType The game type.
error NoImplementation(GameType gameType);

/// @notice The implementation reports a different game type than the one it is registered for.
/// @param expected The game type it was registered for.
/// @param actual The game type the implementation reports.
error GameTypeMismatch(GameType expected, GameType actual);

/// @notice A game with the same type, root claim and extra data exists.
/// @param uuid `keccak256(abi.encode(gameType, rootClaim, extraData))`.
error GameAlreadyExists(bytes32 uuid);

/// @notice The EIP-1167 clone could not be created.
error CloneFailed();

/// @notice A game index is out of range.
/// @param index The index that was given.
error GameIndexOutOfBounds(uint256 index);

/// @notice The address is not a game created by the factory.
/// @param game The address.
error GameNotFound(address game);

////////////////////////////////////////////////////////////////
//                      ToyStepVerifier                       //
////////////////////////////////////////////////////////////////

/// @notice The witness is not 96 bytes or does not open the pre-state.
error InvalidWitness();
