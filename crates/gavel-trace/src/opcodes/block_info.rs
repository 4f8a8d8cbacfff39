//! Block environment: read from the BlockEnv record (spec §9.6) behind the context.
//!
//! BLOBBASEFEE is always 1 wei: the L2 has no blob transactions, so its excess blob gas stays
//! 0 (spec §14.2). BLOCKHASH needs the block history and lives in `host.rs`.

use revm::bytecode::opcode::*;

use super::{SUPPORTED, Support};

pub(super) const OPCODES: &[(u8, Support)] = &[
    (COINBASE, SUPPORTED),
    (TIMESTAMP, SUPPORTED),
    (NUMBER, SUPPORTED),
    (DIFFICULTY, SUPPORTED), // PREVRANDAO since the merge
    (GASLIMIT, SUPPORTED),
    (CHAINID, SUPPORTED),
    (BASEFEE, SUPPORTED),
    (BLOBBASEFEE, SUPPORTED),
];
