//! Property tests for the fixed-depth trees: the generic sparse tree, memory, code, and the
//! stack chain. Soundness is checked with an oracle, never with "it errored": a mutated proof,
//! value or index may be accepted only if the statement it then proves is true of the real
//! structure (and an accepted update must give exactly the real new root).

use std::collections::BTreeMap;

use alloy_primitives::{B256, U256};
use gavel_commit::code::{self, CodeTree, chunkify, is_jumpdest, push_len, verify_fetch};
use gavel_commit::memory::{self, MEM_DEPTH, Memory};
use gavel_commit::proof;
use gavel_commit::sparse::SparseTree;
use gavel_commit::stack::{Stack, verify_opening};
use proptest::prelude::*;

fn word() -> impl Strategy<Value = B256> {
    prop_oneof![
        1 => Just(B256::ZERO),
        4 => any::<[u8; 32]>().prop_map(B256::from),
        1 => any::<u8>().prop_map(B256::with_last_byte),
    ]
}

proptest! {
    #[test]
    fn sparse_incremental_equals_from_scratch(
        depth in 1u8..=12,
        ops in prop::collection::vec((any::<u64>(), word()), 0..80),
    ) {
        let mut t = SparseTree::new(depth);
        let mut model = BTreeMap::new();
        for (i, v) in ops {
            let i = i % (1 << depth);
            t.set(i, v).unwrap();
            model.insert(i, v);
        }
        let scratch = SparseTree::from_leaves(depth, model.clone()).unwrap();
        prop_assert_eq!(t.root(), scratch.root());
        prop_assert_eq!(t.len(), model.values().filter(|v| !v.is_zero()).count());
    }

    #[test]
    fn sparse_multiproof_is_sound_under_any_single_mutation(
        depth in 1u8..=10,
        fill in prop::collection::vec((any::<u64>(), word()), 1..40),
        picks in prop::collection::btree_set(any::<u64>(), 1..4),
        new_vals in prop::collection::vec(word(), 4),
        pos in any::<prop::sample::Index>(),
        mask in 1u8..=255,
        which in 0usize..4,
    ) {
        let mut t = SparseTree::new(depth);
        for (i, v) in fill {
            t.set(i % (1 << depth), v).unwrap();
        }
        let idx: Vec<u64> = picks.into_iter().map(|i| i % (1 << depth))
            .collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        let leaves: Vec<(u64, B256)> = idx.iter().map(|&i| (i, t.get(i))).collect();
        let p = t.prove(&idx).unwrap();
        let root = t.root();
        proof::verify(root, depth, &leaves, &p).unwrap();
        let writes: Vec<(u64, B256, B256)> =
            leaves.iter().zip(&new_vals).map(|(&(i, v), &n)| (i, v, n)).collect();
        let mut after = t.clone();
        for &(i, _, n) in &writes {
            after.set(i, n).unwrap();
        }
        prop_assert_eq!(proof::update(root, depth, &writes, &p).unwrap(), after.root());

        // Byte mutation of the proof.
        if !p.is_empty() {
            let mut bad = p.clone();
            bad[pos.index(p.len())] ^= mask;
            prop_assert!(proof::verify(root, depth, &leaves, &bad).is_err());
            prop_assert!(proof::update(root, depth, &writes, &bad).is_err());
        }
        // Truncation and extension.
        prop_assert!(proof::verify(root, depth, &leaves, &[p.as_slice(), &[0]].concat()).is_err());
        if !p.is_empty() {
            prop_assert!(proof::verify(root, depth, &leaves, &p[..p.len() - 1]).is_err());
        }
        // Claimed value or index mutation: accepted only if still true.
        let mut claim = leaves.clone();
        let k = which % claim.len();
        match which {
            0 | 1 => claim[k].1.0[pos.index(32)] ^= mask,
            _ => claim[k].0 = (claim[k].0 ^ (u64::from(mask) % (1 << depth))) % (1 << depth),
        }
        claim.sort_by_key(|c| c.0);
        if proof::verify(root, depth, &claim, &p).is_ok() {
            prop_assert!(claim.iter().all(|&(i, v)| t.get(i) == v), "forged {:?}", claim);
        }
    }

    #[test]
    fn memory_matches_a_byte_model(
        ops in prop::collection::vec((0u64..4096, prop::collection::vec(any::<u8>(), 0..70)), 1..30),
        read in (0u64..4200, 1u64..64),
    ) {
        let mut m = Memory::new();
        let mut model = vec![0u8; 0];
        for (off, data) in &ops {
            m.write(*off, data).unwrap();
            if !data.is_empty() {
                let end = ((off + data.len() as u64).div_ceil(32) * 32) as usize;
                if model.len() < end { model.resize(end, 0); }
                model[*off as usize..*off as usize + data.len()].copy_from_slice(data);
            }
        }
        prop_assert_eq!(m.size(), model.len() as u64);
        let words = model.chunks(32).enumerate()
            .map(|(i, c)| (i as u64, B256::from_slice(c)));
        prop_assert_eq!(m.root(), SparseTree::from_leaves(MEM_DEPTH, words).unwrap().root());
        let (off, len) = read;
        let opening = m.prove_range(off, len).unwrap();
        memory::verify_words(m.root(), &opening.words, &opening.proof).unwrap();
        let got = m.read(off, len).unwrap();
        model.resize(model.len().max(((off + len).div_ceil(32) * 32) as usize), 0);
        prop_assert_eq!(&got[..], &model[off as usize..(off + len) as usize]);
    }

    #[test]
    fn code_chunks_agree_with_evm_jumpdest_analysis(code in prop::collection::vec(
        prop_oneof![3 => any::<u8>(), 1 => Just(0x5bu8), 1 => 0x60u8..=0x7f], 0..300)) {
        // Reference: the EVM's linear scan.
        let mut valid = vec![false; code.len()];
        let mut pc = 0;
        let mut boundaries = vec![];
        while pc < code.len() {
            boundaries.push(pc);
            valid[pc] = code[pc] == 0x5b;
            pc += 1 + push_len(code[pc]);
        }
        let chunks = chunkify(&code);
        prop_assert_eq!(chunks.len(), code.len().div_ceil(31));
        for (p, &v) in valid.iter().enumerate() {
            prop_assert_eq!(is_jumpdest(&chunks[p / 31], p % 31), v, "pc {}", p);
        }
        let t = CodeTree::new(&code).unwrap();
        for &pc in &boundaries {
            let w = t.prove_fetch(pc as u64).unwrap();
            let ins = verify_fetch(t.root(), pc as u64, &w.chunks, &w.proof).unwrap();
            prop_assert_eq!(ins.opcode, code[pc]);
            let n = push_len(code[pc]);
            let mut imm = code[(pc + 1).min(code.len())..(pc + 1 + n).min(code.len())].to_vec();
            imm.resize(n, 0);
            prop_assert_eq!(ins.immediate, imm);
        }
    }

    #[test]
    fn code_fetch_is_sound_under_any_single_mutation(
        code in prop::collection::vec(any::<u8>(), 1..400),
        at in any::<prop::sample::Index>(),
        pos in any::<prop::sample::Index>(),
        mask in 1u8..=255,
        target_chunks in any::<bool>(),
    ) {
        let t = CodeTree::new(&code).unwrap();
        let pc = at.index(code.len()) as u64;
        let w = t.prove_fetch(pc).unwrap();
        let honest = verify_fetch(t.root(), pc, &w.chunks, &w.proof).unwrap();
        let (mut chunks, mut p) = (w.chunks.clone(), w.proof.clone());
        if target_chunks || p.is_empty() {
            let c = pos.index(chunks.len() * 32);
            chunks[c / 32].0[c % 32] ^= mask;
        } else {
            let i = pos.index(p.len());
            p[i] ^= mask;
        }
        if let Ok(ins) = verify_fetch(t.root(), pc, &chunks, &p) {
            prop_assert_eq!(ins, honest);
        }
        let first = pc / 31;
        let claimed: Vec<(u64, B256)> = (first..).zip(chunks.iter().copied()).collect();
        if code::verify_chunks(t.root(), &claimed, &p).is_ok() {
            prop_assert!(claimed.iter().all(|&(i, c)| t.chunk(i) == c));
        }
    }

    #[test]
    fn stack_openings_are_sound(
        items in prop::collection::vec(any::<[u8; 32]>(), 0..40),
        k in 0usize..20,
        pos in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let mut s = Stack::new();
        for x in &items {
            s.push(U256::from_be_bytes(*x)).unwrap();
        }
        let k = k.min(s.len());
        let o = s.open(k).unwrap();
        let bytes = o.to_bytes();
        prop_assert_eq!(verify_opening(s.head(), s.len(), k, &bytes).unwrap(), o);
        let mut bad = bytes.clone();
        let i = pos.index(bad.len());
        bad[i] ^= mask;
        prop_assert!(verify_opening(s.head(), s.len(), k, &bad).is_err());
        prop_assert!(verify_opening(s.head(), s.len(), k + 1, &bytes).is_err());
    }
}
