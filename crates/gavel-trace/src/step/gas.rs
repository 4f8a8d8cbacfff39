//! revm 43's gas figures the step machine needs: the static gas and the two questions an
//! opcode witness's shape depends on (each one small function, so that the verifier's check
//! order of spec §16.3 — static gas, stack underflow, stack overflow, then the instruction's
//! own checks — is visible in one place), and a transaction's intrinsic gas, EIP-7623 floor
//! and effective gas price (§17.2, §17.4). These are the only copies: the transaction-start
//! and -end steps and their witness builders (`crate::boundary_witness`) all use them.

use alloy_consensus::Transaction;
use revm::bytecode::opcode::{JUMP, JUMPI, OpCode, SLOAD, SSTORE};
use revm::interpreter::GasTable;
use revm::interpreter::instructions::gas_table_spec;
use revm::primitives::hardfork::SpecId;

use gavel_commit::stack::MAX_STACK;

use crate::batch::BatchTx;

/// Osaka's static gas per opcode, exactly revm's table (charged before anything else).
static STATIC_GAS: GasTable = gas_table_spec(SpecId::OSAKA);

/// Static gas of `opcode` at Osaka.
pub fn static_gas(opcode: u8) -> u64 {
    u64::from(STATIC_GAS[opcode as usize])
}

/// Whether the checks that precede the instruction's own work pass: static gas, then stack
/// underflow (`inputs`), then stack overflow (`len − inputs + outputs ≤ 1024`). Undefined
/// bytes never pass (they halt before touching anything).
pub fn static_and_stack_ok(opcode: u8, gas: u64, stack_len: usize) -> bool {
    let Some(op) = OpCode::new(opcode) else {
        return false;
    };
    let (inputs, outputs) = (usize::from(op.inputs()), usize::from(op.outputs()));
    gas >= static_gas(opcode) && stack_len >= inputs && stack_len - inputs + outputs <= MAX_STACK
}

/// Whether a jump step carries the §5.3 jump witness: JUMP, or JUMPI with a non-zero
/// condition, once static gas and stack checks pass. The destination check comes after, so
/// the witness is given also when the destination is invalid: the verifier needs it to prove
/// the halt.
pub fn needs_jump_witness(opcode: u8, gas: u64, stack_len: usize, condition_nonzero: bool) -> bool {
    match opcode {
        JUMP => static_and_stack_ok(opcode, gas, stack_len),
        JUMPI => static_and_stack_ok(opcode, gas, stack_len) && condition_nonzero,
        _ => false,
    }
}

/// EIP-2200's sentry: an SSTORE with at most the call stipend left is out of gas, before any
/// gas is charged.
pub const SSTORE_SENTRY: u64 = 2_300;

/// Whether an SLOAD or SSTORE step carries its storage openings (spec §16.3): once the checks
/// that need no witness pass — SLOAD's static gas (100) and one stack item; SSTORE's two stack
/// items and the sentry (`gas > 2300`). Also when it then halts on its dynamic gas: the verifier
/// needs the openings to prove the slot cold or the write's cost too high.
pub fn needs_storage_witness(opcode: u8, gas: u64, stack_len: usize) -> bool {
    match opcode {
        SLOAD => static_and_stack_ok(opcode, gas, stack_len),
        SSTORE => static_and_stack_ok(opcode, gas, stack_len) && gas > SSTORE_SENTRY,
        _ => false,
    }
}

/// Whether opcode step `index` of a frame that executed `total` opcodes halts: the frame's
/// single frame ends at its last opcode (STOP, RETURN, REVERT or an exceptional halt) and at
/// no other, because every other opcode hands over to the next one.
pub fn halts(index: u64, total: u64) -> bool {
    index + 1 == total
}

/// The gas figures of a transaction that depend on its bytes alone, as revm 43 computes them at
/// Osaka.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodedTx {
    /// EIP-2028 tokens of the calldata (zero byte 1, non-zero byte 4).
    pub tokens: u64,
    /// Intrinsic gas without the floor (base, calldata, access list, creation).
    pub intrinsic: u64,
    /// EIP-7623 floor `21000 + 10 · tokens`.
    pub floor: u64,
}

/// EIP-2028 tokens of `calldata`: zero bytes count 1, non-zero bytes 4.
pub fn tokens(calldata: &[u8]) -> u64 {
    let zeros = calldata.iter().filter(|b| **b == 0).count() as u64;
    zeros + 4 * (calldata.len() as u64 - zeros)
}

/// EIP-7623's floor: `21000 + 10 · tokens`.
pub fn floor_gas(calldata: &[u8]) -> u64 {
    21_000 + 10 * tokens(calldata)
}

/// Intrinsic gas (spec §17.2): `21000 + 4 · tokens + 2400 · addresses + 1900 · keys`, plus
/// `32000 + 2 · words` for a creation.
pub fn intrinsic_gas(tx: &BatchTx) -> u64 {
    let e = tx.envelope();
    let input = e.input();
    let (addresses, keys) = e.access_list().map_or((0, 0), |l| {
        (
            l.len() as u64,
            l.iter().map(|i| i.storage_keys.len() as u64).sum(),
        )
    });
    let mut gas = 21_000 + 4 * tokens(input) + 2_400 * addresses + 1_900 * keys;
    if tx.to().is_none() {
        gas += 32_000 + 2 * (input.len() as u64).div_ceil(32);
    }
    gas
}

/// Tokens, intrinsic gas and floor of `tx`.
pub fn decode_tx(tx: &BatchTx) -> DecodedTx {
    let input = tx.envelope().input();
    DecodedTx {
        tokens: tokens(input),
        intrinsic: intrinsic_gas(tx),
        floor: floor_gas(input),
    }
}

/// The effective gas price (revm's `TxEnv::effective_gas_price`): the gas price, or
/// `min(maxFee, baseFee + tip)` for EIP-1559.
pub fn effective_gas_price(tx: &BatchTx, base_fee: u64) -> u128 {
    tx.envelope().effective_gas_price(Some(base_fee))
}

#[cfg(test)]
mod tests {
    use super::*;
    use revm::bytecode::opcode::*;

    #[test]
    fn table_and_checks() {
        assert_eq!(static_gas(ADD), 3);
        assert_eq!(static_gas(JUMP), 8);
        assert_eq!(static_gas(JUMPI), 10);
        assert_eq!(static_gas(JUMPDEST), 1);
        assert!(!static_and_stack_ok(ADD, 2, 2));
        assert!(!static_and_stack_ok(ADD, 3, 1));
        assert!(static_and_stack_ok(ADD, 3, 2));
        assert!(!static_and_stack_ok(PUSH1, 3, 1024));
        assert!(!static_and_stack_ok(0x0c, 100, 0));
        assert!(needs_jump_witness(JUMPI, 10, 2, true));
        assert!(!needs_jump_witness(JUMPI, 10, 2, false));
        assert!(!needs_jump_witness(JUMP, 7, 2, true));
        assert!(halts(4, 5) && !halts(3, 5));
        assert_eq!(static_gas(SLOAD), 100);
        assert_eq!(static_gas(SSTORE), 0);
        assert!(needs_storage_witness(SLOAD, 100, 1) && !needs_storage_witness(SLOAD, 99, 1));
        assert!(!needs_storage_witness(SLOAD, 5000, 0));
        assert!(needs_storage_witness(SSTORE, 2301, 2));
        assert!(!needs_storage_witness(SSTORE, 2300, 2) && !needs_storage_witness(SSTORE, 9999, 1));
    }
}
