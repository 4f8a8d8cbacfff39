//! Comparisons, bitwise logic, shifts and CLZ (EIP-7939, Osaka): pure functions of the stack.

use revm::bytecode::opcode::*;

use super::{SUPPORTED, Support};

pub(super) const OPCODES: &[(u8, Support)] = &[
    (LT, SUPPORTED),
    (GT, SUPPORTED),
    (SLT, SUPPORTED),
    (SGT, SUPPORTED),
    (EQ, SUPPORTED),
    (ISZERO, SUPPORTED),
    (AND, SUPPORTED),
    (OR, SUPPORTED),
    (XOR, SUPPORTED),
    (NOT, SUPPORTED),
    (BYTE, SUPPORTED),
    (SHL, SUPPORTED),
    (SHR, SUPPORTED),
    (SAR, SUPPORTED),
    (CLZ, SUPPORTED),
];
