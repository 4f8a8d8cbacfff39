//! Frame environment, GAS, KECCAK256 and the copies. Reads of the frame record (ADDRESS,
//! CALLER, CALLVALUE, CALLDATALOAD/SIZE, CODESIZE) and GAS are supported; KECCAK256 and the
//! copies have unbounded size and wait for micro-steps; return data needs a callee.

use revm::bytecode::opcode::*;

use super::{SUPPORTED, Support};

const COPY: Support =
    Support::Refused("copies data of any size; copy micro-steps are not supported yet");
const RETURN_DATA: Support =
    Support::Refused("return data comes from a callee; nested frames are not supported yet");

pub(super) const OPCODES: &[(u8, Support)] = &[
    (
        KECCAK256,
        Support::Refused("hashes memory of any size; keccak micro-steps are not supported yet"),
    ),
    (ADDRESS, SUPPORTED),
    (CALLER, SUPPORTED),
    (CALLVALUE, SUPPORTED),
    (CALLDATALOAD, SUPPORTED),
    (CALLDATASIZE, SUPPORTED),
    (CALLDATACOPY, COPY),
    (CODESIZE, SUPPORTED),
    (CODECOPY, COPY),
    (RETURNDATASIZE, RETURN_DATA),
    (RETURNDATACOPY, RETURN_DATA),
    (GAS, SUPPORTED),
];
