//! Which opcodes the step verifier supports (spec §15.4), one file per opcode class in
//! revm's layout (`revm-interpreter/src/instructions/`): a reader who knows the opcode knows
//! the file, and the shadow machine's step semantics will land next to each list.
//!
//! An opcode is *supported* (the executor traces it), *refused* (the executor stops with an
//! error naming it: the verifier cannot prove it yet, and it must never be proven as
//! something else), or *undefined* at Osaka (executing it is an exceptional halt, which the
//! verifier proves like INVALID).

mod arithmetic;
mod bitwise;
mod block_info;
mod contract;
mod control;
mod host;
mod memory;
mod stack;
mod system;
mod tx_info;

use revm::bytecode::opcode::OpCode;

/// Opcode classes (the files of this module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// ADD … SIGNEXTEND.
    Arithmetic,
    /// Comparisons, bitwise logic, shifts, CLZ.
    Bitwise,
    /// Block environment.
    BlockInfo,
    /// Calls and creates.
    Contract,
    /// Jumps, PC, halting.
    Control,
    /// State access, logs, selfdestruct.
    Host,
    /// Memory access.
    Memory,
    /// POP, PUSH, DUP, SWAP.
    Stack,
    /// KECCAK256, frame environment, copies, GAS.
    System,
    /// Transaction environment.
    TxInfo,
}

/// What the executor does with an opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Traced; the verifier proves it.
    Supported,
    /// Refused with the reason (which part of the step machine will bring it).
    Refused(&'static str),
    /// Not an opcode at Osaka: an exceptional halt.
    Undefined,
}

/// Shorthand for the class files.
const SUPPORTED: Support = Support::Supported;

/// Everything the executor knows about one opcode byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpInfo {
    /// The byte.
    pub opcode: u8,
    /// Its mnemonic (`"UNDEFINED"` for undefined bytes).
    pub name: &'static str,
    /// Its class (`None` when undefined).
    pub class: Option<Class>,
    /// Support.
    pub support: Support,
    /// Stack items it reads (what a step record keeps).
    pub inputs: u8,
}

const CLASSES: [(Class, &[(u8, Support)]); 10] = [
    (Class::Arithmetic, arithmetic::OPCODES),
    (Class::Bitwise, bitwise::OPCODES),
    (Class::BlockInfo, block_info::OPCODES),
    (Class::Contract, contract::OPCODES),
    (Class::Control, control::OPCODES),
    (Class::Host, host::OPCODES),
    (Class::Memory, memory::OPCODES),
    (Class::Stack, stack::OPCODES),
    (Class::System, system::OPCODES),
    (Class::TxInfo, tx_info::OPCODES),
];

const fn build() -> [OpInfo; 256] {
    let mut t = [OpInfo {
        opcode: 0,
        name: "UNDEFINED",
        class: None,
        support: Support::Undefined,
        inputs: 0,
    }; 256];
    let mut i = 0;
    while i < 256 {
        t[i].opcode = i as u8;
        i += 1;
    }
    let mut c = 0;
    while c < CLASSES.len() {
        let (class, ops) = CLASSES[c];
        let mut j = 0;
        while j < ops.len() {
            let (op, support) = ops[j];
            let info = match OpCode::new(op) {
                Some(o) => o,
                None => panic!("class files list only opcodes revm knows"),
            };
            if t[op as usize].class.is_some() {
                panic!("an opcode is listed in two class files");
            }
            t[op as usize] = OpInfo {
                opcode: op,
                // revm keeps the pre-merge name; Osaka's is PREVRANDAO (EIP-4399).
                name: if op == revm::bytecode::opcode::DIFFICULTY {
                    "PREVRANDAO"
                } else {
                    info.as_str()
                },
                class: Some(class),
                support,
                inputs: info.inputs(),
            };
            j += 1;
        }
        c += 1;
    }
    t
}

static TABLE: [OpInfo; 256] = build();

/// What the executor knows about `opcode`.
#[inline]
pub fn info(opcode: u8) -> &'static OpInfo {
    &TABLE[opcode as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revm_opcodes_missing_here_are_exactly_the_post_osaka_ones() {
        // revm 43 already knows Amsterdam's SLOTNUM (EIP-7843) and DUPN/SWAPN/EXCHANGE
        // (EIP-8024); at Osaka they are undefined. Anything else revm knows must be classified.
        let later = [0x4b, 0xe6, 0xe7, 0xe8];
        for op in 0..=255u8 {
            let known = OpCode::new(op).is_some();
            let here = info(op).class.is_some();
            assert_eq!(
                here,
                known && !later.contains(&op),
                "{op:#04x} {}",
                info(op).name
            );
        }
    }

    #[test]
    fn the_supported_set_is_the_single_frame_set_of_issue_3() {
        let supported: Vec<&str> = (0..=255u8)
            .map(info)
            .filter(|i| i.support == Support::Supported)
            .map(|i| i.name)
            .collect();
        for name in [
            "ADD",
            "SIGNEXTEND",
            "CLZ",
            "SAR",
            "PUSH0",
            "PUSH32",
            "DUP16",
            "SWAP16",
            "POP",
            "JUMP",
            "JUMPI",
            "JUMPDEST",
            "PC",
            "GAS",
            "MSIZE",
            "MLOAD",
            "MSTORE",
            "MSTORE8",
            "CALLDATALOAD",
            "CALLDATASIZE",
            "CODESIZE",
            "ORIGIN",
            "CALLER",
            "CALLVALUE",
            "ADDRESS",
            "GASPRICE",
            "BLOBHASH",
            "CHAINID",
            "COINBASE",
            "TIMESTAMP",
            "NUMBER",
            "PREVRANDAO",
            "GASLIMIT",
            "BASEFEE",
            "BLOBBASEFEE",
            "STOP",
            "RETURN",
            "REVERT",
            "INVALID",
            "SLOAD",
            "SSTORE",
        ] {
            assert!(supported.contains(&name), "{name} should be supported");
        }
        for name in [
            "KECCAK256",
            "CALL",
            "CREATE",
            "LOG0",
            "CALLDATACOPY",
            "MCOPY",
            "BALANCE",
            "BLOCKHASH",
            "TLOAD",
            "SELFDESTRUCT",
            "RETURNDATASIZE",
        ] {
            assert!(!supported.contains(&name), "{name} should be refused");
        }
        // arithmetic 11, bitwise 15, block 8, control 8, host 2 (SLOAD, SSTORE), memory 4,
        // stack 66 (POP, PUSH0–32, DUP1–16, SWAP1–16), system 7, tx 3.
        assert_eq!(supported.len(), 11 + 15 + 8 + 8 + 2 + 4 + 66 + 7 + 3);
    }

    #[test]
    fn inputs_cover_what_each_opcode_reads() {
        assert_eq!(info(0x01).inputs, 2); // ADD
        assert_eq!(info(0x8f).inputs, 16); // DUP16 reads item 16
        assert_eq!(info(0x9f).inputs, 17); // SWAP16 reads items 1 and 17
        assert_eq!(info(0x08).inputs, 3); // ADDMOD
        assert_eq!(info(0x0c).inputs, 0); // undefined
    }
}
