//! revm 43's static gas and the two questions a witness's shape depends on. Each question is
//! one small function so that the verifier's check order (spec §16.3: static gas, stack
//! underflow, stack overflow, then the instruction's own checks) is visible in one place.

use revm::bytecode::opcode::{JUMP, JUMPI, OpCode};
use revm::interpreter::GasTable;
use revm::interpreter::instructions::gas_table_spec;
use revm::primitives::hardfork::SpecId;

use gavel_commit::stack::MAX_STACK;

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

/// Whether opcode step `index` of a frame that executed `total` opcodes halts: the frame's
/// single frame ends at its last opcode (STOP, RETURN, REVERT or an exceptional halt) and at
/// no other, because every other opcode hands over to the next one.
pub fn halts(index: u64, total: u64) -> bool {
    index + 1 == total
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
    }
}
