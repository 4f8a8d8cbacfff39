//! The step states the machine adds to spec §9 (§16.2): the warming state's access-list chain
//! and the halted state.

use alloy_eips::eip2930::AccessList;
use alloy_primitives::{Address, B256};
use gavel_commit::hash::tagged;
use gavel_commit::memory::DataView;
use gavel_commit::record::{Context, Machine, Snapshot, StepState};

/// Tag of `HALTED(status)` (spec §16.2).
pub const HALTED: u8 = 0x1c;
/// Tag of an access-list chain link (spec §16.2).
pub const ACCESS_ITEM: u8 = 0x1d;

/// How the transaction's frame ended (spec §16.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum HaltStatus {
    /// STOP or RETURN.
    Success = 1,
    /// REVERT.
    Revert = 2,
    /// Any exceptional halt (gas, stack, jump, undefined byte, INVALID).
    Exceptional = 3,
}

impl HaltStatus {
    /// The status whose `HALTED(status)` is `micro`, if any (how the verifier tells a halted
    /// state from a warming one, spec §16.1).
    pub fn from_micro(micro: &B256) -> Option<Self> {
        [Self::Success, Self::Revert, Self::Exceptional]
            .into_iter()
            .find(|s| halted_micro(*s) == *micro)
    }
}

/// `HALTED(status) = keccak256(0x1c ‖ status)`.
pub fn halted_micro(status: HaltStatus) -> B256 {
    tagged(HALTED, &[&[status as u8]])
}

/// One access-list item: an address, or one of its storage keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessItem {
    /// `0x01 ‖ address ‖ 0(32)`.
    Account(Address),
    /// `0x02 ‖ address ‖ key`.
    Slot(Address, B256),
}

impl AccessItem {
    /// The 53-byte encoding.
    pub fn encode(&self) -> [u8; 53] {
        let mut b = [0u8; 53];
        let (kind, a, k) = match self {
            Self::Account(a) => (1, a, B256::ZERO),
            Self::Slot(a, k) => (2, a, *k),
        };
        b[0] = kind;
        b[1..21].copy_from_slice(a.as_slice());
        b[21..].copy_from_slice(k.as_slice());
        b
    }
}

/// The items of an access list in list order: an address, then its keys.
pub fn access_items(list: Option<&AccessList>) -> Vec<AccessItem> {
    let mut v = Vec::new();
    for item in list.map(|l| l.0.as_slice()).unwrap_or_default() {
        v.push(AccessItem::Account(item.address));
        v.extend(
            item.storage_keys
                .iter()
                .map(|k| AccessItem::Slot(item.address, *k)),
        );
    }
    v
}

/// `heads[i] = accessHead(items i..n)`; `heads[n] = 0` (so `heads` has `n + 1` entries).
pub fn access_heads(items: &[AccessItem]) -> Vec<B256> {
    let mut heads = vec![B256::ZERO; items.len() + 1];
    for i in (0..items.len()).rev() {
        heads[i] = tagged(ACCESS_ITEM, &[heads[i + 1].as_slice(), &items[i].encode()]);
    }
    heads
}

/// The halted state after the frame's last opcode (spec §16.2). `running` is the running
/// context; `output` the RETURN/REVERT view (ignored for an exceptional halt).
pub fn halted(
    status: HaltStatus,
    gas_left: u64,
    running: &Context,
    snapshot: &Snapshot,
    output: DataView,
) -> (StepState, Context) {
    let context = match status {
        HaltStatus::Success => Context {
            return_data: output,
            ..*running
        },
        HaltStatus::Revert | HaltStatus::Exceptional => Context {
            world_root: snapshot.world_root,
            substate_root: snapshot.substate_root,
            logs: snapshot.logs,
            refund: snapshot.refund,
            return_data: if status == HaltStatus::Revert {
                output
            } else {
                DataView::default()
            },
            ..*running
        },
    };
    let gas = if status == HaltStatus::Exceptional {
        0
    } else {
        gas_left
    };
    let step = StepState {
        machine: Machine {
            gas,
            ..Machine::default()
        },
        micro: halted_micro(status),
        context: context.hash(),
        ..StepState::default()
    };
    (step, context)
}

/// A RETURN/REVERT output view: a zero-length output is the empty view `(0, 0, 0)` whatever
/// its offset (the offset of an empty range is not even bounded by the memory).
pub fn output_view(memory_root: B256, offset: u64, len: u64) -> DataView {
    if len == 0 {
        return DataView::default();
    }
    DataView {
        root: memory_root,
        offset: offset as u32,
        length: len as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_eips::eip2930::AccessListItem;
    use gavel_commit::hash::keccak256;

    #[test]
    fn access_chain_is_spec_16_2() {
        let a = Address::repeat_byte(7);
        let list = AccessList(vec![AccessListItem {
            address: a,
            storage_keys: vec![B256::repeat_byte(1)],
        }]);
        let items = access_items(Some(&list));
        assert_eq!(items.len(), 2);
        let heads = access_heads(&items);
        let mut pre = vec![0x1d];
        pre.extend_from_slice(&[0; 32]);
        pre.push(2);
        pre.extend_from_slice(a.as_slice());
        pre.extend_from_slice(&[1; 32]);
        assert_eq!(heads[1], keccak256(&pre));
        assert_eq!(heads[2], B256::ZERO);
        assert_eq!(halted_micro(HaltStatus::Revert), keccak256(&[0x1c, 2]));
        assert_eq!(
            HaltStatus::from_micro(&halted_micro(HaltStatus::Exceptional)),
            Some(HaltStatus::Exceptional)
        );
        assert_eq!(HaltStatus::from_micro(&heads[0]), None);
    }
}
