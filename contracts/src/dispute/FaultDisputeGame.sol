// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Claim, Position, GameType, GameStatus, ClaimRef, ChildRef, ClaimMeta } from "./lib/Types.sol";
import { LibPosition } from "./lib/LibPosition.sol";
import { PackedClaimMeta, LibClaimMeta } from "./lib/LibClaimMeta.sol";
import "./lib/Errors.sol";
import { IFaultDisputeGame } from "./interfaces/IFaultDisputeGame.sol";
import { IStepVerifier } from "./interfaces/IStepVerifier.sol";
import { IAnchorStateRegistry } from "./interfaces/IAnchorStateRegistry.sol";

/// @title FaultDisputeGame
/// @notice The bisection dispute game of docs/protocol.md. One implementation is deployed per
///         game type with the game's configuration as immutables; every game is an EIP-1167
///         clone created by the `DisputeGameFactory`, whose per-game data lives in the clone's
///         storage and is set once by `initialize`.
/// @dev Storage per claim is two words: `claimDigest[i] = keccak256(abi.encode(claim, claimant))`
///      and the packed `PackedClaimMeta` word. Claim values and claimants are given back in
///      calldata (`ClaimRef`, `ChildRef`) and checked against the digest; the full claim list is
///      rebuilt off-chain from `Move` events. Bonds are held as ETH by the game.
contract FaultDisputeGame is IFaultDisputeGame {
    ////////////////////////////////////////////////////////////////
    //                         Immutables                         //
    ////////////////////////////////////////////////////////////////

    /// @notice The game type this implementation plays.
    GameType internal immutable GAME_TYPE;
    /// @notice The depth of the leaves (steps) of the game tree.
    uint256 internal immutable MAX_GAME_DEPTH;
    /// @notice The depth at which the top layer (transition boundaries) hands over to the
    ///         bottom layer (steps inside one transition).
    uint256 internal immutable SPLIT_DEPTH;
    /// @notice Each side's chess clock per path, in seconds.
    uint64 internal immutable MAX_CLOCK_DURATION;
    /// @notice The clock extension granted to a late claim, in seconds (doubled before the
    ///         first bottom-layer claim and before the step).
    uint64 internal immutable CLOCK_EXTENSION;
    /// @notice Seconds between resolution and the first credit withdrawal.
    uint64 internal immutable WITHDRAWAL_DELAY;
    /// @notice The bond of the root claim; the bond at depth `d` is `BASE_BOND + d * BOND_INCREMENT`.
    uint256 internal immutable BASE_BOND;
    /// @notice The bond increment per depth.
    uint256 internal immutable BOND_INCREMENT;
    /// @notice The on-chain step verifier.
    IStepVerifier internal immutable VERIFIER;
    /// @notice The registry holding the anchor state of each game type.
    IAnchorStateRegistry internal immutable ANCHOR_REGISTRY;
    /// @notice The factory allowed to initialize clones of this implementation.
    address internal immutable FACTORY;

    /// @notice Result bit: the subgame is resolved.
    uint256 internal constant RESOLVED = 1;
    /// @notice Result bit: the subgame's root claim was countered.
    uint256 internal constant COUNTERED = 2;
    /// @notice Result bit: the claim was counted by a page of its parent's `resolveClaim` that
    ///         did not finish the parent (set only by such pages).
    uint256 internal constant COUNTED = 4;

    ////////////////////////////////////////////////////////////////
    //                          Storage                           //
    ////////////////////////////////////////////////////////////////

    // The first five variables share one slot, so a move reads the status and bumps the claim
    // count with a single warm slot.

    /// @notice The number of claims (the next claim's index).
    uint32 internal _claimCount;
    /// @inheritdoc IFaultDisputeGame
    GameStatus public status;
    /// @notice Whether `initialize` ran (set in the implementation's constructor to lock it).
    bool internal _initialized;
    /// @inheritdoc IFaultDisputeGame
    uint64 public createdAt;
    /// @inheritdoc IFaultDisputeGame
    uint64 public resolvedAt;

    /// @inheritdoc IFaultDisputeGame
    address public gameCreator;
    /// @inheritdoc IFaultDisputeGame
    Claim public rootClaim;
    /// @inheritdoc IFaultDisputeGame
    uint256 public l2SequenceNumber;
    /// @inheritdoc IFaultDisputeGame
    bytes32 public input;
    /// @inheritdoc IFaultDisputeGame
    bytes32 public startingRoot;
    /// @inheritdoc IFaultDisputeGame
    bytes32 public absolutePrestate;

    /// @inheritdoc IFaultDisputeGame
    mapping(uint256 => bytes32) public claimDigest;
    /// @notice The packed metadata of each claim.
    mapping(uint256 => PackedClaimMeta) internal _claimMeta;
    /// @inheritdoc IFaultDisputeGame
    mapping(uint256 => address) public counteredBy;
    /// @notice Subgame results, four bits per claim (`RESOLVED`, `COUNTERED`, `COUNTED`, unused),
    ///         64 claims a word.
    mapping(uint256 => uint256) internal _subgameResults;
    /// @inheritdoc IFaultDisputeGame
    mapping(address => uint256) public credit;

    /// @notice The progress of a paginated `resolveClaim`.
    /// @custom:field seen The number of children counted by earlier pages.
    /// @custom:field leftmostIndex The index of the left-most standing child so far.
    /// @custom:field leftmostPosition Its position (0: no standing child so far).
    /// @custom:field leftmostClaimant Its claimant.
    struct ResolutionCheckpoint {
        uint32 seen;
        uint32 leftmostIndex;
        uint64 leftmostPosition;
        address leftmostClaimant;
    }

    /// @notice The checkpoint of each claim whose resolution is in progress.
    mapping(uint256 => ResolutionCheckpoint) internal _checkpoints;

    ////////////////////////////////////////////////////////////////
    //                        Construction                        //
    ////////////////////////////////////////////////////////////////

    /// @param _gameType The game type this implementation plays.
    /// @param _maxGameDepth The depth of the leaves, at most 62.
    /// @param _splitDepth The split depth, `0 < _splitDepth < _maxGameDepth`.
    /// @param _maxClockDuration Each side's clock in seconds, `>= 2 * _clockExtension`.
    /// @param _clockExtension The clock extension in seconds.
    /// @param _withdrawalDelay Seconds between resolution and credit withdrawal.
    /// @param _baseBond The root claim's bond in wei.
    /// @param _bondIncrement The bond increment per depth in wei.
    /// @param _verifier The step verifier.
    /// @param _anchorRegistry The anchor state registry.
    /// @param _factory The dispute game factory.
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
        address _factory
    ) {
        if (_splitDepth == 0 || _splitDepth >= _maxGameDepth) revert InvalidSplitDepth();
        if (_maxGameDepth > 62) revert MaxDepthTooLarge();
        if (uint256(_clockExtension) * 2 > _maxClockDuration) revert InvalidClockExtension();
        // The deepest bond must not overflow (checked arithmetic: Panic(0x11)).
        _baseBond + _maxGameDepth * _bondIncrement;
        if (address(_verifier) == address(0) || address(_anchorRegistry) == address(0) || _factory == address(0)) {
            revert ZeroAddress();
        }
        GAME_TYPE = _gameType;
        MAX_GAME_DEPTH = _maxGameDepth;
        SPLIT_DEPTH = _splitDepth;
        MAX_CLOCK_DURATION = _maxClockDuration;
        CLOCK_EXTENSION = _clockExtension;
        WITHDRAWAL_DELAY = _withdrawalDelay;
        BASE_BOND = _baseBond;
        BOND_INCREMENT = _bondIncrement;
        VERIFIER = _verifier;
        ANCHOR_REGISTRY = _anchorRegistry;
        FACTORY = _factory;
        // The implementation itself is never a game.
        _initialized = true;
    }

    /// @inheritdoc IFaultDisputeGame
    /// @dev Only the factory, once. `_extraData` must be `abi.encode(uint256 l2SequenceNumber,
    ///      bytes32 input)` (64 bytes) with `l2SequenceNumber` above the anchor's, and
    ///      `msg.value` must be the root bond. The game starts from the anchor root of its type.
    function initialize(address _creator, Claim _rootClaim, bytes calldata _extraData) external payable {
        if (msg.sender != FACTORY) revert NotFactory();
        if (_initialized) revert AlreadyInitialized();
        if (_extraData.length != 64) revert BadExtraData(_extraData.length);
        (uint256 sequenceNumber, bytes32 vmInput) = abi.decode(_extraData, (uint256, bytes32));
        (bytes32 anchorRoot, uint256 anchorSequenceNumber) = ANCHOR_REGISTRY.anchors(GAME_TYPE);
        if (sequenceNumber <= anchorSequenceNumber) {
            revert SequenceNumberNotAfterAnchor(anchorSequenceNumber, sequenceNumber);
        }
        _checkInput(sequenceNumber, vmInput, anchorSequenceNumber);
        if (msg.value != BASE_BOND) revert IncorrectBondAmount();

        _initialized = true;
        _claimCount = 1;
        createdAt = uint64(block.timestamp);
        gameCreator = _creator;
        rootClaim = _rootClaim;
        l2SequenceNumber = sequenceNumber;
        input = vmInput;
        startingRoot = anchorRoot;
        absolutePrestate = VERIFIER.absolutePrestate(anchorRoot, vmInput);

        claimDigest[0] = _digest(Claim.unwrap(_rootClaim), _creator);
        _claimMeta[0] = LibClaimMeta.pack(LibClaimMeta.NO_PARENT, LibPosition.ROOT, uint64(block.timestamp), 0, 0);
        emit Move(
            0, LibClaimMeta.NO_PARENT, _creator, Claim.unwrap(_rootClaim), LibPosition.ROOT.raw(), 0, uint64(block.timestamp)
        );
    }

    /// @notice Game-type-specific check of the VM input at creation, after the sequence-number
    ///         check and before the bond check (docs/protocol.md §11, §13). The base game
    ///         accepts any input (the toy VM's input is its trace length).
    /// @param _sequenceNumber The L2 sequence number the root claim is about.
    /// @param _input The VM input from the extra data.
    /// @param _anchorSequenceNumber The sequence number of the anchor the game starts from.
    function _checkInput(uint256 _sequenceNumber, bytes32 _input, uint256 _anchorSequenceNumber)
        internal
        view
        virtual
    { }

    ////////////////////////////////////////////////////////////////
    //                            Play                            //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IFaultDisputeGame
    /// @dev Writes two new words (digest, meta) and bumps the parent's child count; no loops.
    function move(bytes32 _disputed, uint256 _parentIndex, Claim _claim, bool _isAttack) external payable {
        if (status != GameStatus.IN_PROGRESS) revert GameNotInProgress();
        uint256 index = _claimCount;
        if (_parentIndex >= index || claimDigest[_parentIndex] != _disputed) revert InvalidDisputedClaimIndex();

        PackedClaimMeta parentMeta = _claimMeta[_parentIndex];
        Position nextPosition = parentMeta.position().move(_isAttack);
        uint256 nextDepth = nextPosition.depth();
        if (nextDepth > MAX_GAME_DEPTH) revert GameDepthExceeded();
        if (_parentIndex == 0 && !_isAttack) revert CannotDefendRootClaim();
        if (msg.value != _bond(nextDepth)) revert IncorrectBondAmount();

        uint64 nextDuration = _challengerDuration(parentMeta);
        if (nextDuration == MAX_CLOCK_DURATION) revert ClockTimeExceeded();
        if (index == LibClaimMeta.NO_PARENT) revert TooManyClaims();
        // Extension: the mover's side keeps at least `ext` seconds for its next action, twice the
        // standard extension before the first bottom-layer claim and before the step.
        uint64 extension =
            (nextDepth == MAX_GAME_DEPTH - 1 || nextDepth == SPLIT_DEPTH - 1) ? CLOCK_EXTENSION * 2 : CLOCK_EXTENSION;
        if (nextDuration > MAX_CLOCK_DURATION - extension) nextDuration = MAX_CLOCK_DURATION - extension;

        claimDigest[index] = _digest(Claim.unwrap(_claim), msg.sender);
        _claimMeta[index] =
            LibClaimMeta.pack(uint32(_parentIndex), nextPosition, uint64(block.timestamp), nextDuration, 0);
        _claimMeta[_parentIndex] = parentMeta.incrementChildCount();
        _claimCount = uint32(index + 1);

        emit Move(
            index, _parentIndex, msg.sender, Claim.unwrap(_claim), nextPosition.raw(), nextDuration, uint64(block.timestamp)
        );
    }

    /// @inheritdoc IFaultDisputeGame
    /// @dev Attack: pre = the chain claim at trace index `t - 1` (absolute prestate at `t == 0`),
    ///      post = the countered claim, verifier step `t`. Defend: pre = the countered claim,
    ///      post = the chain claim at trace index `t + 1`, verifier step `t + 1`. The step
    ///      counters iff `agree != (verifier post == post claim)`, where `agree` says the post
    ///      claim is on the countered claim's side.
    function step(
        uint256 _claimIndex,
        bool _isAttack,
        ClaimRef calldata _parent,
        uint256 _stateIndex,
        ClaimRef calldata _state,
        bytes calldata _witness
    )
        external
    {
        if (status != GameStatus.IN_PROGRESS) revert GameNotInProgress();
        if (_claimIndex >= _claimCount || claimDigest[_claimIndex] != _digest(_parent.claim, _parent.claimant)) {
            revert InvalidClaimRef();
        }
        PackedClaimMeta meta = _claimMeta[_claimIndex];
        Position position = meta.position();
        if (position.depth() != MAX_GAME_DEPTH) revert InvalidParent();
        if (counteredBy[_claimIndex] != address(0)) revert DuplicateStep();
        if (_challengerDuration(meta) == MAX_CLOCK_DURATION) revert ClockTimeExceeded();

        uint256 leafIndex = position.indexAtDepth();
        bytes32 preState;
        bytes32 postClaim;
        uint256 postDepth;
        uint256 stepIndex;
        if (_isAttack) {
            postClaim = _parent.claim;
            postDepth = MAX_GAME_DEPTH;
            stepIndex = leafIndex;
            if (leafIndex == 0) {
                preState = absolutePrestate;
            } else {
                Position prePosition = Position.wrap(position.raw() - 1).traceAncestor();
                (preState,) = _chainClaim(meta, prePosition, _stateIndex, _state);
            }
        } else {
            preState = _parent.claim;
            stepIndex = leafIndex + 1;
            Position postPosition = Position.wrap(position.raw() + 1).traceAncestor();
            (postClaim, postDepth) = _chainClaim(meta, postPosition, _stateIndex, _state);
        }

        bytes32 postState = VERIFIER.step(preState, stepIndex, _witness);
        bool agree = (MAX_GAME_DEPTH - postDepth) % 2 == 0;
        if (agree == (postState == postClaim)) revert ValidStep();

        counteredBy[_claimIndex] = msg.sender;
        emit Step(_claimIndex, msg.sender, postState);
    }

    ////////////////////////////////////////////////////////////////
    //                         Resolution                         //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IFaultDisputeGame
    /// @dev `_children` is a page of the claim's children in strictly increasing index order,
    ///      each resolved and not counted by an earlier page. A page that does not reach the
    ///      child count marks its children as counted (`COUNTED`) and updates the checkpoint; the
    ///      page that reaches it resolves the claim: countered iff stepped or a child stands; the
    ///      bond goes to the stepper, else the left-most standing child's claimant (smallest
    ///      position, smallest index on ties), else back to the claimant. Pages may come in any
    ///      order, so a page that skips a child cannot make the claim unresolvable.
    function resolveClaim(uint256 _claimIndex, ClaimRef calldata _subject, ChildRef[] calldata _children) external {
        if (status != GameStatus.IN_PROGRESS) revert GameNotInProgress();
        uint256 count = _claimCount;
        if (_claimIndex >= count || claimDigest[_claimIndex] != _digest(_subject.claim, _subject.claimant)) {
            revert InvalidClaimRef();
        }
        PackedClaimMeta meta = _claimMeta[_claimIndex];
        if (_challengerDuration(meta) < MAX_CLOCK_DURATION) revert ClockNotExpired();
        if (_result(_claimIndex) & RESOLVED != 0) revert ClaimAlreadyResolved();

        ResolutionCheckpoint storage checkpoint = _checkpoints[_claimIndex];
        uint256 seen = checkpoint.seen;
        uint256 leftmostIndex = checkpoint.leftmostIndex;
        uint256 leftmostPosition = checkpoint.leftmostPosition;
        address leftmostClaimant;
        if (leftmostPosition != 0) leftmostClaimant = checkpoint.leftmostClaimant;

        uint256 total = meta.childCount();
        uint256 pageLength = _children.length;
        // Only a page that leaves children for later marks its children; distinct unmarked
        // children number `total - seen`, so no page can count more than that.
        bool partialPage = seen + pageLength < total;
        if (pageLength == 0 && partialPage) revert InvalidChildRef();

        uint256 minIndex = 0;
        for (uint256 i = 0; i < pageLength; ++i) {
            ChildRef calldata child = _children[i];
            uint256 childIndex = child.index;
            if (childIndex < minIndex || childIndex >= count) revert InvalidChildRef();
            PackedClaimMeta childMeta = _claimMeta[childIndex];
            if (childMeta.parentIndex() != _claimIndex) revert InvalidChildRef();
            if (claimDigest[childIndex] != _digest(child.claim, child.claimant)) revert InvalidChildRef();
            uint256 word = childIndex >> 6;
            uint256 shift = (childIndex & 63) << 2;
            uint256 childResult = _subgameResults[word] >> shift;
            if (childResult & COUNTED != 0) revert InvalidChildRef();
            if (childResult & RESOLVED == 0) revert OutOfOrderResolution();
            if (partialPage) _subgameResults[word] |= COUNTED << shift;
            if (childResult & COUNTERED == 0) {
                uint256 childPosition = childMeta.position().raw();
                if (
                    leftmostPosition == 0 || childPosition < leftmostPosition
                        || (childPosition == leftmostPosition && childIndex < leftmostIndex)
                ) {
                    leftmostPosition = childPosition;
                    leftmostIndex = childIndex;
                    leftmostClaimant = child.claimant;
                }
            }
            minIndex = childIndex + 1;
        }

        if (partialPage) {
            checkpoint.seen = uint32(seen + pageLength);
            checkpoint.leftmostIndex = uint32(leftmostIndex);
            checkpoint.leftmostPosition = uint64(leftmostPosition);
            checkpoint.leftmostClaimant = leftmostClaimant;
            return;
        }
        // An earlier page left a checkpoint: clear it.
        if (seen != 0) delete _checkpoints[_claimIndex];

        address stepper = counteredBy[_claimIndex];
        bool countered = stepper != address(0) || leftmostPosition != 0;
        address recipient = stepper != address(0) ? stepper : (leftmostPosition != 0 ? leftmostClaimant : _subject.claimant);
        uint256 bond = _bond(meta.position().depth());

        _subgameResults[_claimIndex >> 6] |= (countered ? RESOLVED | COUNTERED : RESOLVED) << ((_claimIndex & 63) << 2);
        credit[recipient] += bond;
        emit ClaimResolved(_claimIndex, countered, recipient, bond);
    }

    /// @inheritdoc IFaultDisputeGame
    /// @dev `CHALLENGER_WINS` iff the root claim was countered. On `DEFENDER_WINS` the anchor
    ///      registry is asked to adopt the root claim (it never reverts for a game of the factory).
    function resolve() external returns (GameStatus status_) {
        if (status != GameStatus.IN_PROGRESS) revert GameNotInProgress();
        uint256 rootResult = _result(0);
        if (rootResult & RESOLVED == 0) revert OutOfOrderResolution();

        status_ = rootResult & COUNTERED != 0 ? GameStatus.CHALLENGER_WINS : GameStatus.DEFENDER_WINS;
        status = status_;
        resolvedAt = uint64(block.timestamp);
        emit Resolved(status_);

        if (status_ == GameStatus.DEFENDER_WINS) ANCHOR_REGISTRY.tryUpdateAnchorState();
    }

    /// @inheritdoc IFaultDisputeGame
    /// @dev Anyone may trigger the payout; the credit always goes to `_recipient`. The credit is
    ///      zeroed before the transfer.
    function claimCredit(address _recipient) external {
        if (status == GameStatus.IN_PROGRESS) revert GameNotResolved();
        if (block.timestamp < uint256(resolvedAt) + WITHDRAWAL_DELAY) revert WithdrawalDelayNotPassed();
        uint256 amount = credit[_recipient];
        if (amount == 0) revert NoCreditToClaim();
        credit[_recipient] = 0;
        (bool success,) = _recipient.call{ value: amount }("");
        if (!success) revert BondTransferFailed();
        emit CreditClaimed(_recipient, amount);
    }

    ////////////////////////////////////////////////////////////////
    //                           Views                            //
    ////////////////////////////////////////////////////////////////

    /// @inheritdoc IFaultDisputeGame
    function gameType() external view returns (GameType) {
        return GAME_TYPE;
    }

    /// @inheritdoc IFaultDisputeGame
    /// @dev `abi.encode(l2SequenceNumber, input)`.
    function extraData() external view returns (bytes memory) {
        return abi.encode(l2SequenceNumber, input);
    }

    /// @inheritdoc IFaultDisputeGame
    function claimCount() external view returns (uint256) {
        return _claimCount;
    }

    /// @inheritdoc IFaultDisputeGame
    function claimMeta(uint256 _index) external view returns (ClaimMeta memory) {
        if (_index >= _claimCount) revert InvalidClaimIndex(_index);
        return _claimMeta[_index].unpack();
    }

    /// @inheritdoc IFaultDisputeGame
    function subgameResult(uint256 _index) external view returns (bool resolved_, bool countered_) {
        uint256 result = _result(_index);
        resolved_ = result & RESOLVED != 0;
        countered_ = result & COUNTERED != 0;
    }

    /// @notice The progress of a paginated `resolveClaim` on claim `_index` (all zero if none).
    /// @param _index The claim index.
    /// @return seen_ The number of children counted so far.
    /// @return leftmostIndex_ The index of the left-most standing child so far.
    /// @return leftmostPosition_ Its position (0: no standing child so far).
    /// @return leftmostClaimant_ Its claimant.
    function resolutionCheckpoint(uint256 _index)
        external
        view
        returns (uint32 seen_, uint32 leftmostIndex_, uint64 leftmostPosition_, address leftmostClaimant_)
    {
        ResolutionCheckpoint storage checkpoint = _checkpoints[_index];
        return (checkpoint.seen, checkpoint.leftmostIndex, checkpoint.leftmostPosition, checkpoint.leftmostClaimant);
    }

    /// @notice Whether claim `_index` was counted by an unfinished page of its parent's
    ///         `resolveClaim` (so it must not be given again).
    /// @param _index The claim index.
    /// @return counted_ True iff counted by an earlier page.
    function countedByParent(uint256 _index) external view returns (bool counted_) {
        counted_ = _result(_index) & COUNTED != 0;
    }

    /// @inheritdoc IFaultDisputeGame
    /// @dev Reverts with `GameDepthExceeded` for a position deeper than `MAX_GAME_DEPTH`.
    function getRequiredBond(Position _position) external view returns (uint256) {
        uint256 depth = _position.depth();
        if (depth > MAX_GAME_DEPTH) revert GameDepthExceeded();
        return _bond(depth);
    }

    /// @inheritdoc IFaultDisputeGame
    function getChallengerDuration(uint256 _claimIndex) external view returns (uint64) {
        if (_claimIndex >= _claimCount) revert InvalidClaimIndex(_claimIndex);
        return _challengerDuration(_claimMeta[_claimIndex]);
    }

    /// @inheritdoc IFaultDisputeGame
    function maxGameDepth() external view returns (uint256) {
        return MAX_GAME_DEPTH;
    }

    /// @inheritdoc IFaultDisputeGame
    function splitDepth() external view returns (uint256) {
        return SPLIT_DEPTH;
    }

    /// @inheritdoc IFaultDisputeGame
    function maxClockDuration() external view returns (uint64) {
        return MAX_CLOCK_DURATION;
    }

    /// @inheritdoc IFaultDisputeGame
    function clockExtension() external view returns (uint64) {
        return CLOCK_EXTENSION;
    }

    /// @inheritdoc IFaultDisputeGame
    function withdrawalDelay() external view returns (uint64) {
        return WITHDRAWAL_DELAY;
    }

    /// @inheritdoc IFaultDisputeGame
    function baseBond() external view returns (uint256) {
        return BASE_BOND;
    }

    /// @inheritdoc IFaultDisputeGame
    function bondIncrement() external view returns (uint256) {
        return BOND_INCREMENT;
    }

    /// @inheritdoc IFaultDisputeGame
    function verifier() external view returns (address) {
        return address(VERIFIER);
    }

    /// @inheritdoc IFaultDisputeGame
    function anchorRegistry() external view returns (address) {
        return address(ANCHOR_REGISTRY);
    }

    /// @notice The factory allowed to initialize clones of this implementation.
    /// @return factory_ The factory's address.
    function factory() external view returns (address factory_) {
        factory_ = FACTORY;
    }

    ////////////////////////////////////////////////////////////////
    //                         Internals                          //
    ////////////////////////////////////////////////////////////////

    /// @notice `keccak256(abi.encode(_claim, _claimant))`.
    function _digest(bytes32 _claim, address _claimant) internal pure returns (bytes32 digest_) {
        assembly ("memory-safe") {
            mstore(0x00, _claim)
            mstore(0x20, and(_claimant, 0xffffffffffffffffffffffffffffffffffffffff))
            digest_ := keccak256(0x00, 0x40)
        }
    }

    /// @notice The bond of a claim at depth `_depth`.
    function _bond(uint256 _depth) internal view returns (uint256 bond_) {
        bond_ = BASE_BOND + _depth * BOND_INCREMENT;
    }

    /// @notice The time used by whoever would counter the claim with metadata `_meta`:
    ///         `min(MAX_CLOCK_DURATION, duration(parent) + (now - timestamp))`.
    function _challengerDuration(PackedClaimMeta _meta) internal view returns (uint64 duration_) {
        uint32 parentIndex = _meta.parentIndex();
        uint256 parentDuration = parentIndex == LibClaimMeta.NO_PARENT ? 0 : _claimMeta[parentIndex].clockDuration();
        uint256 elapsed = parentDuration + (block.timestamp - _meta.clockTimestamp());
        duration_ = elapsed > MAX_CLOCK_DURATION ? MAX_CLOCK_DURATION : uint64(elapsed);
    }

    /// @notice The result bits (`RESOLVED`, `COUNTERED`, `COUNTED`) of claim `_index`.
    function _result(uint256 _index) internal view returns (uint256 result_) {
        result_ = (_subgameResults[_index >> 6] >> ((_index & 63) << 2)) & 7;
    }

    /// @notice Opens the chain claim that gives the other end of a step against the max-depth
    ///         claim with metadata `_meta`: its digest must match, its position must be
    ///         `_expected`, and it must be an ancestor of the stepped claim.
    /// @return claim_ The chain claim's value.
    /// @return depth_ The chain claim's depth.
    function _chainClaim(
        PackedClaimMeta _meta,
        Position _expected,
        uint256 _stateIndex,
        ClaimRef calldata _state
    )
        internal
        view
        returns (bytes32 claim_, uint256 depth_)
    {
        if (claimDigest[_stateIndex] != _digest(_state.claim, _state.claimant)) revert InvalidPrestate();
        if (Position.unwrap(_claimMeta[_stateIndex].position()) != Position.unwrap(_expected)) revert InvalidPrestate();
        depth_ = _expected.depth();
        // Walk up `MAX_GAME_DEPTH - depth_` parent links from the stepped claim.
        uint256 ancestor = _meta.parentIndex();
        for (uint256 k = MAX_GAME_DEPTH - depth_; k > 1; --k) {
            ancestor = _claimMeta[ancestor].parentIndex();
        }
        if (ancestor != _stateIndex) revert InvalidPrestate();
        claim_ = _state.claim;
    }
}
