//! Jumps, PC and the halting opcodes. In a single frame STOP, RETURN, REVERT and INVALID end
//! the transaction's frame (depth 1); the transaction-end step follows.

use revm::bytecode::opcode::*;

use super::{SUPPORTED, Support};

pub(super) const OPCODES: &[(u8, Support)] = &[
    (STOP, SUPPORTED),
    (JUMP, SUPPORTED),
    (JUMPI, SUPPORTED),
    (PC, SUPPORTED),
    (JUMPDEST, SUPPORTED),
    (RETURN, SUPPORTED),
    (REVERT, SUPPORTED),
    (INVALID, SUPPORTED),
];
