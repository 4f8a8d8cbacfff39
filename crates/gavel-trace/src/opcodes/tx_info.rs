//! Transaction environment: read from the TxEnv record (spec §9.5). BLOBHASH is always 0 on
//! the L2 (no blob transactions), which the verifier can answer without any witness.

use revm::bytecode::opcode::*;

use super::{SUPPORTED, Support};

pub(super) const OPCODES: &[(u8, Support)] = &[
    (ORIGIN, SUPPORTED),
    (GASPRICE, SUPPORTED),
    (BLOBHASH, SUPPORTED),
];
