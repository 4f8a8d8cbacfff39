//! Memory access through the memory tree (spec §6). MCOPY is a copy of unbounded size and
//! waits for micro-steps.

use revm::bytecode::opcode::*;

use super::{SUPPORTED, Support};

pub(super) const OPCODES: &[(u8, Support)] = &[
    (MLOAD, SUPPORTED),
    (MSTORE, SUPPORTED),
    (MSTORE8, SUPPORTED),
    (MSIZE, SUPPORTED),
    (
        MCOPY,
        Support::Refused("copies memory of any size; copy micro-steps are not supported yet"),
    ),
];
