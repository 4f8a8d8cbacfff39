//! State access. SLOAD and SSTORE are supported (the storage step, spec §16.3: world-trie and
//! warm-slot proofs, EIP-2929/2200/3529 gas); the rest is refused: the executor must never
//! produce a trace the verifier cannot prove.

use revm::bytecode::opcode::*;

use super::{SUPPORTED, Support};

const OTHER_ACCOUNT: Support =
    Support::Refused("reads another account; account access is not supported yet");
const HISTORY: Support =
    Support::Refused("needs the block history, which the chain model does not keep yet");
const TRANSIENT: Support = Support::Refused("transient storage (substate) is not supported yet");
const LOGS: Support = Support::Refused("logs (log accumulator) are not supported yet");
const DESTRUCT: Support = Support::Refused("selfdestruct is not supported yet");

pub(super) const OPCODES: &[(u8, Support)] = &[
    (BALANCE, OTHER_ACCOUNT),
    (EXTCODESIZE, OTHER_ACCOUNT),
    (EXTCODECOPY, OTHER_ACCOUNT),
    (EXTCODEHASH, OTHER_ACCOUNT),
    (SELFBALANCE, OTHER_ACCOUNT),
    (BLOCKHASH, HISTORY),
    (SLOAD, SUPPORTED),
    (SSTORE, SUPPORTED),
    (TLOAD, TRANSIENT),
    (TSTORE, TRANSIENT),
    (LOG0, LOGS),
    (LOG1, LOGS),
    (LOG2, LOGS),
    (LOG3, LOGS),
    (LOG4, LOGS),
    (SELFDESTRUCT, DESTRUCT),
];
