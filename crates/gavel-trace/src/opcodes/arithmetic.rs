//! ADD … SIGNEXTEND: pure functions of the stack.

use revm::bytecode::opcode::*;

use super::{SUPPORTED, Support};

pub(super) const OPCODES: &[(u8, Support)] = &[
    (ADD, SUPPORTED),
    (MUL, SUPPORTED),
    (SUB, SUPPORTED),
    (DIV, SUPPORTED),
    (SDIV, SUPPORTED),
    (MOD, SUPPORTED),
    (SMOD, SUPPORTED),
    (ADDMOD, SUPPORTED),
    (MULMOD, SUPPORTED),
    (EXP, SUPPORTED),
    (SIGNEXTEND, SUPPORTED),
];
