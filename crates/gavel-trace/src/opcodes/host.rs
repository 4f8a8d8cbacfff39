//! State access: all refused for now. SLOAD and SSTORE wait for the storage step (spec §16.3
//! does not list them in the verifier's set yet): the executor must never produce a trace the
//! verifier cannot prove.

use revm::bytecode::opcode::*;

use super::Support;

const STORAGE: Support =
    Support::Refused("needs the storage step (world-trie proof and EIP-2929/2200 gas)");

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
    (SLOAD, STORAGE),
    (SSTORE, STORAGE),
    (TLOAD, TRANSIENT),
    (TSTORE, TRANSIENT),
    (LOG0, LOGS),
    (LOG1, LOGS),
    (LOG2, LOGS),
    (LOG3, LOGS),
    (LOG4, LOGS),
    (SELFDESTRUCT, DESTRUCT),
];
