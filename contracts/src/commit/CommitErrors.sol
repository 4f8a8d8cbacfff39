// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

// Every custom error of the commitment libraries (docs/spec.md §10). The names are the Rust
// `ProofError::name()` strings of `crates/gavel-commit` and the `error` field of the negative
// golden vectors in `fixtures/vectors/`. The errors carry no arguments: the prover computes
// everything off-chain and only needs to know which check failed.

////////////////////////////////////////////////////////////////
//                  Proof errors (spec §10)                   //
////////////////////////////////////////////////////////////////

/// @notice The proof ends before a field that must be there.
error Truncated();

/// @notice Bytes remain after the proof was fully consumed.
error TrailingBytes();

/// @notice A sibling flagged non-default in the bitmap is the default `0` (non-canonical).
error ZeroSibling();

/// @notice A bitmap bit beyond the last sibling request is set (non-canonical).
error BitmapPadding();

/// @notice A proof would need more than 256 sibling requests (one bitmap word).
error TooManySiblingRequests();

/// @notice A multiproof opens no leaf.
error NoLeaves();

/// @notice A leaf index is `>= 2^depth`.
error LeafIndexOutOfRange();

/// @notice Leaf indices are not strictly ascending.
error LeavesNotAscending();

/// @notice A trie path is deeper than 248 (or a fixed-depth tree deeper than 63).
error DepthOutOfRange();

/// @notice The terminal kind byte of a trie path is not 0, 1 or 2.
error UnknownTerminal();

/// @notice An empty terminal below the root has an empty sibling (not the highest empty node).
error EmptyTerminalWithoutSibling();

/// @notice A foreign-key terminal names the proven key itself.
error OtherKeyIsTarget();

/// @notice A foreign-key terminal does not lie on the proven key's path.
error OtherKeyPrefixMismatch();

/// @notice An absence proof comes with a non-zero claimed value.
error ValueForAbsentKey();

/// @notice The recomputed root differs from the committed one.
error RootMismatch();

/// @notice An opcode fetch or jump check gives the wrong number of code chunks.
error ChunkCountMismatch();

/// @notice A stack opening is deeper than the stack.
error StackUnderflow();

////////////////////////////////////////////////////////////////
//       Decoder errors (Rust `CommitError`, spec §4.1, §9.1)  //
////////////////////////////////////////////////////////////////

/// @notice A packed record word or leaf value carries non-zero reserved bytes.
error ReservedBytes();

/// @notice A BASIC_DATA leaf has a version byte other than 0.
error UnsupportedVersion();

/// @notice A log has more than four topics.
error TooManyTopics();

/// @notice Parallel arrays given to a library function differ in length (a caller bug, not a
///         proof error: no witness can cause it).
error LengthMismatch();
