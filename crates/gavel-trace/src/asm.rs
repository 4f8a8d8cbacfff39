//! A tiny EVM assembler for tests and fixtures: minimal PUSHes, labels as JUMPDESTs, forward
//! jumps resolved at the end. Hand-written bytecode keeps the fixtures free of a compiler.
//!
//! ```
//! use gavel_trace::asm::Asm;
//! use revm::bytecode::opcode::*;
//!
//! let mut a = Asm::new();
//! a.push(3).label("top").push(1).swap(1).op(SUB).op(DUP1).jumpi("top").op(STOP);
//! assert_eq!(a.build().unwrap()[..3], [PUSH1, 3, JUMPDEST]);
//! ```

use alloy_primitives::map::HashMap;
use alloy_primitives::{Bytes, U256};
use revm::bytecode::opcode::{DUP1, JUMP, JUMPDEST, JUMPI, PUSH0, PUSH1, PUSH2, SWAP1};
use thiserror::Error;

/// Assembly errors.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AsmError {
    /// A jump to a label that was never placed.
    #[error("unknown label {0:?}")]
    UnknownLabel(String),
    /// A label placed twice.
    #[error("label {0:?} placed twice")]
    DuplicateLabel(String),
    /// A label beyond what PUSH2 addresses.
    #[error("label {0:?} at {1} is beyond 0xffff")]
    TooFar(String, usize),
}

/// The assembler (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Asm {
    code: Vec<u8>,
    labels: HashMap<String, usize>,
    fixups: Vec<(usize, String)>,
    duplicate: Option<String>,
}

impl Asm {
    /// Empty program.
    pub fn new() -> Self {
        Self::default()
    }

    /// One opcode byte.
    pub fn op(&mut self, op: u8) -> &mut Self {
        self.code.push(op);
        self
    }

    /// Several opcode bytes.
    pub fn ops(&mut self, ops: &[u8]) -> &mut Self {
        self.code.extend_from_slice(ops);
        self
    }

    /// The shortest PUSH of `v` (PUSH0 for zero).
    pub fn push(&mut self, v: u64) -> &mut Self {
        self.push_word(U256::from(v))
    }

    /// The shortest PUSH of a word (PUSH0 for zero).
    pub fn push_word(&mut self, v: U256) -> &mut Self {
        if v.is_zero() {
            return self.op(PUSH0);
        }
        let bytes = v.to_be_bytes::<32>();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        self.push_bytes(&bytes[skip..])
    }

    /// `PUSH{len}` of exactly these bytes (1..=32 of them).
    pub fn push_bytes(&mut self, data: &[u8]) -> &mut Self {
        assert!(
            (1..=32).contains(&data.len()),
            "PUSH1..PUSH32 carry 1 to 32 bytes"
        );
        self.code.push(PUSH1 + data.len() as u8 - 1);
        self.code.extend_from_slice(data);
        self
    }

    /// `DUPn` (1..=16).
    pub fn dup(&mut self, n: u8) -> &mut Self {
        assert!((1..=16).contains(&n));
        self.op(DUP1 + n - 1)
    }

    /// `SWAPn` (1..=16).
    pub fn swap(&mut self, n: u8) -> &mut Self {
        assert!((1..=16).contains(&n));
        self.op(SWAP1 + n - 1)
    }

    /// Place `name` here as a JUMPDEST.
    pub fn label(&mut self, name: &str) -> &mut Self {
        if self
            .labels
            .insert(name.to_owned(), self.code.len())
            .is_some()
        {
            self.duplicate.get_or_insert_with(|| name.to_owned());
        }
        self.op(JUMPDEST)
    }

    /// `PUSH2 <name>`.
    pub fn push_label(&mut self, name: &str) -> &mut Self {
        self.fixups.push((self.code.len() + 1, name.to_owned()));
        self.ops(&[PUSH2, 0, 0])
    }

    /// `PUSH2 <name> JUMP`.
    pub fn jump(&mut self, name: &str) -> &mut Self {
        self.push_label(name).op(JUMP)
    }

    /// `PUSH2 <name> JUMPI`.
    pub fn jumpi(&mut self, name: &str) -> &mut Self {
        self.push_label(name).op(JUMPI)
    }

    /// The code, labels resolved.
    pub fn build(&self) -> Result<Bytes, AsmError> {
        if let Some(d) = &self.duplicate {
            return Err(AsmError::DuplicateLabel(d.clone()));
        }
        let mut code = self.code.clone();
        for (at, name) in &self.fixups {
            let dest = *self
                .labels
                .get(name)
                .ok_or_else(|| AsmError::UnknownLabel(name.clone()))?;
            let d = u16::try_from(dest).map_err(|_| AsmError::TooFar(name.clone(), dest))?;
            code[*at..*at + 2].copy_from_slice(&d.to_be_bytes());
        }
        Ok(code.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_are_minimal_and_labels_resolve() {
        let mut a = Asm::new();
        a.push(0).push(0x1234).jump("end").label("end").op(0x00);
        assert_eq!(
            a.build().unwrap().as_ref(),
            &[PUSH0, 0x61, 0x12, 0x34, PUSH2, 0, 8, JUMP, JUMPDEST, 0][..]
        );
        let mut b = Asm::new();
        b.jump("nowhere");
        assert_eq!(b.build(), Err(AsmError::UnknownLabel("nowhere".into())));
        let mut c = Asm::new();
        c.label("x").label("x");
        assert_eq!(c.build(), Err(AsmError::DuplicateLabel("x".into())));
    }
}
