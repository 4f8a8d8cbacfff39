//! Witness byte formats (spec §16.1, §16.3) and the record encoders every witness builder
//! shares (the opcode witnesses here and `crate::boundary_witness`). Records inside a witness
//! are their preimages without the tag, at the widths of §9 (Context 224, Frame 200, Snapshot
//! 104, TxEnv 124, Boundary 192, BlockEnv 140). `gavel_commit::record` has `preimage()` for the
//! first two and the boundary; the three others are written here (and tested to hash to the
//! records).

use alloy_primitives::Bytes;
use gavel_commit::code::FetchWitness;
use gavel_commit::record::{BlockEnv, Boundary, Snapshot, StepState, TxEnv};
use gavel_commit::stack::StackOpening;

/// `witness[0]` when the pre-state is a step state.
pub const PRE_STEP: u8 = 0x00;
/// `witness[0]` when the pre-state is a boundary.
pub const PRE_BOUNDARY: u8 = 0x01;

/// Boundary-pre kinds (spec §16.1).
pub mod boundary_kind {
    /// `post = pre`, `offset ≠ 0`.
    pub const STUTTER: u8 = 0;
    /// Block start.
    pub const BLOCK_START: u8 = 1;
    /// Transaction start.
    pub const TX_START: u8 = 2;
    /// Block end.
    pub const BLOCK_END: u8 = 3;
    /// Past the batch.
    pub const PAST_BATCH: u8 = 4;
}

/// `worldRoot ‖ substateRoot ‖ logs ‖ refund(8)` (104 bytes).
pub fn snapshot_preimage(s: &Snapshot) -> Vec<u8> {
    [
        s.world_root.as_slice(),
        s.substate_root.as_slice(),
        s.logs.as_slice(),
        &s.refund.to_be_bytes(),
    ]
    .concat()
}

/// `origin(20) ‖ gasPrice(32) ‖ gasLimit(8) ‖ txHash ‖ boundary` (124 bytes).
pub fn tx_env_preimage(t: &TxEnv) -> Vec<u8> {
    [
        t.origin.as_slice(),
        &t.gas_price.to_be_bytes::<32>(),
        &t.gas_limit.to_be_bytes(),
        t.tx_hash.as_slice(),
        t.boundary.as_slice(),
    ]
    .concat()
}

/// `number(8) ‖ timestamp(8) ‖ gasLimit(8) ‖ coinbase(20) ‖ baseFee(32) ‖ prevRandao ‖
/// chainConfig` (140 bytes).
pub fn block_env_preimage(b: &BlockEnv) -> Vec<u8> {
    [
        &b.number.to_be_bytes()[..],
        &b.timestamp.to_be_bytes(),
        &b.gas_limit.to_be_bytes(),
        b.coinbase.as_slice(),
        &b.base_fee.to_be_bytes::<32>(),
        b.prev_randao.as_slice(),
        b.chain_config.as_slice(),
    ]
    .concat()
}

/// Appends `u32 len ‖ bytes` (every variable-length part of a witness, spec §16.3, §17.6).
pub fn part(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// `chunks (32 each) ‖ multiproof` (spec §5.2).
pub fn fetch_bytes(f: &FetchWitness) -> Vec<u8> {
    let mut v: Vec<u8> = f.chunks.iter().flat_map(|c| c.0).collect();
    v.extend_from_slice(&f.proof);
    v
}

/// The opcode-step witness (spec §16.3):
/// `0x00 ‖ StepState preimage ‖ u32 ‖ fetch ‖ u32 ‖ stack ‖ u32 ‖ op ‖ u32 ‖ halt`.
pub fn opcode_witness(
    pre: &StepState,
    fetch: &FetchWitness,
    stack: &StackOpening,
    op: &[u8],
    halt: &[u8],
) -> Bytes {
    let mut out = Vec::with_capacity(1 + 192 + 16 + 512 + op.len() + halt.len());
    out.push(PRE_STEP);
    out.extend_from_slice(&pre.preimage());
    part(&mut out, &fetch_bytes(fetch));
    // "k = 0 needs no witness" (§7.2): the verifier wants the stack part empty then, not the
    // bare `below` word `StackOpening::to_bytes` would give.
    if stack.items.is_empty() {
        part(&mut out, &[]);
    } else {
        part(&mut out, &stack.to_bytes());
    }
    part(&mut out, op);
    part(&mut out, halt);
    out.into()
}

/// `0x01 ‖ kind ‖ Boundary preimage`: how every boundary-pre witness starts (§16.1).
pub fn boundary_head(kind: u8, b: &Boundary) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + 192);
    out.push(PRE_BOUNDARY);
    out.push(kind);
    out.extend_from_slice(&b.preimage());
    out
}

/// The whole witness of a stutter: its boundary head.
pub fn boundary_witness(kind: u8, b: &Boundary) -> Bytes {
    boundary_head(kind, b).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, B256, U256};
    use gavel_commit::hash::keccak256;

    #[test]
    fn preimages_hash_to_their_records() {
        let s = Snapshot {
            world_root: B256::repeat_byte(1),
            substate_root: B256::repeat_byte(2),
            logs: B256::repeat_byte(3),
            refund: -4,
        };
        let p = snapshot_preimage(&s);
        assert_eq!(p.len(), 104);
        assert_eq!(keccak256(&[&[0x17u8][..], &p].concat()), s.hash());
        let t = TxEnv {
            origin: Address::repeat_byte(5),
            gas_price: U256::from(7),
            gas_limit: 9,
            tx_hash: B256::repeat_byte(6),
            boundary: B256::repeat_byte(8),
        };
        let p = tx_env_preimage(&t);
        assert_eq!(p.len(), 124);
        assert_eq!(keccak256(&[&[0x13u8][..], &p].concat()), t.hash());
        let b = BlockEnv {
            number: 1,
            timestamp: 2,
            gas_limit: 3,
            coinbase: Address::repeat_byte(4),
            base_fee: U256::from(5),
            prev_randao: B256::repeat_byte(6),
            chain_config: B256::repeat_byte(7),
        };
        let p = block_env_preimage(&b);
        assert_eq!(p.len(), 140);
        assert_eq!(keccak256(&[&[0x15u8][..], &p].concat()), b.hash());
    }
}
