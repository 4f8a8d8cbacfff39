//! Property tests for the prefix trie, the world state and the substate: incremental roots
//! equal from-scratch roots, proofs verify, and every mutation of a proof, claimed value or key
//! is either rejected or proves something true of the real trie (an accepted update must give
//! exactly the real new root). Keys are drawn so that many share long prefixes, which makes the
//! deep chains and splits near bit 247 actually happen.

use std::collections::{BTreeMap, HashMap};

use alloy_primitives::B256;
use gavel_commit::hash::tag;
use gavel_commit::substate::{self, Substate};
use gavel_commit::trie::key::TreeKey;
use gavel_commit::trie::world::{self, WorldState, root_from_scratch};
use gavel_commit::trie::{Key, PrefixTrie, root_from_entries};
use proptest::prelude::*;

/// A pool of keys: random ones plus variants of one base key differing in a single bit, so
/// pairs share prefixes of every length.
fn key_pool() -> impl Strategy<Value = Vec<Key>> {
    (
        any::<[u8; 31]>(),
        prop::collection::vec(0usize..248, 1..12),
        prop::collection::vec(any::<[u8; 31]>(), 1..12),
    )
        .prop_map(|(base, flips, randoms)| {
            let mut keys = vec![base];
            for f in flips {
                let mut k = base;
                k[f / 8] ^= 0x80 >> (f % 8);
                keys.push(k);
            }
            keys.extend(randoms);
            keys.sort();
            keys.dedup();
            keys
        })
}

fn word() -> impl Strategy<Value = B256> {
    prop_oneof![
        1 => Just(B256::ZERO),
        4 => any::<[u8; 32]>().prop_map(B256::from),
    ]
}

proptest! {
    #[test]
    fn prefix_trie_incremental_equals_from_scratch(
        keys in key_pool(),
        ops in prop::collection::vec((any::<prop::sample::Index>(), word()), 1..60),
    ) {
        let mut t = PrefixTrie::new(tag::SUBSTATE_LEAF);
        let mut model: BTreeMap<Key, B256> = BTreeMap::new();
        for (i, v) in ops {
            let k = keys[i.index(keys.len())];
            t.set(k, v);
            if model.contains_key(&k) || !v.is_zero() {
                model.insert(k, v);
            }
        }
        let entries: Vec<(Key, B256)> = model.into_iter().collect();
        prop_assert_eq!(t.root(), root_from_entries(tag::SUBSTATE_LEAF, &entries));
        prop_assert_eq!(t.entries(), entries);
    }

    #[test]
    fn substate_proofs_are_sound_under_any_single_mutation(
        keys in key_pool(),
        fill in prop::collection::vec((any::<prop::sample::Index>(), word()), 0..30),
        target in any::<prop::sample::Index>(),
        new in word(),
        pos in any::<prop::sample::Index>(),
        mask in 1u8..=255,
        what in 0u8..3,
    ) {
        let mut s = Substate::new();
        for (i, v) in fill {
            s.set(keys[i.index(keys.len())], v);
        }
        let k = keys[target.index(keys.len())];
        let v = s.get(&k);
        let p = s.prove(&k);
        let root = s.root();
        substate::verify(root, &k, &v, &p).unwrap();
        let mut after = s.clone();
        after.set(k, new);
        prop_assert_eq!(substate::update(root, &k, &v, &new, &p).unwrap(), after.root());

        let (mut k2, mut v2, mut p2) = (k, v, p.clone());
        match what {
            0 => { let i = pos.index(p2.len()); p2[i] ^= mask; }
            1 => v2.0[pos.index(32)] ^= mask,
            _ => k2[pos.index(31)] ^= mask,
        }
        if substate::verify(root, &k2, &v2, &p2).is_ok() {
            prop_assert_eq!(s.get(&k2), v2, "forged membership");
        }
        if let Ok(r) = substate::update(root, &k2, &v2, &new, &p2) {
            let mut real = s.clone();
            real.set(k2, new);
            prop_assert_eq!(r, real.root(), "forged update");
        }
    }

    #[test]
    fn world_incremental_equals_from_scratch(
        stems in key_pool(),
        ops in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), word()), 1..80),
    ) {
        let mut w = WorldState::new();
        let mut model: HashMap<Key, BTreeMap<u8, B256>> = HashMap::new();
        for (i, sub, v) in ops {
            let stem = stems[i.index(stems.len())];
            w.set(&TreeKey { stem, subindex: sub }, v);
            if model.contains_key(&stem) || !v.is_zero() {
                model.entry(stem).or_default().insert(sub, v);
            }
        }
        let model: Vec<(Key, Vec<(u8, B256)>)> =
            model.into_iter().map(|(k, m)| (k, m.into_iter().collect())).collect();
        prop_assert_eq!(w.root(), root_from_scratch(&model));
        prop_assert_eq!(w.stem_count(), model.len());
    }

    #[test]
    fn world_openings_are_sound_under_any_single_mutation(
        stems in key_pool(),
        fill in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), word()), 0..40),
        target in any::<prop::sample::Index>(),
        subs in prop::collection::btree_set(any::<u8>(), 1..4),
        news in prop::collection::vec(word(), 4),
        pos in any::<prop::sample::Index>(),
        mask in 1u8..=255,
        what in 0u8..4,
    ) {
        let mut w = WorldState::new();
        for (i, sub, v) in fill {
            w.set(&TreeKey { stem: stems[i.index(stems.len())], subindex: sub }, v);
        }
        let stem = stems[target.index(stems.len())];
        let subs: Vec<u8> = subs.into_iter().collect();
        let get = |w: &WorldState, stem: Key, s: u8| w.get(&TreeKey { stem, subindex: s });
        let leaves: Vec<(u8, B256)> = subs.iter().map(|&s| (s, get(&w, stem, s))).collect();
        let p = w.prove(&stem, &subs).unwrap();
        let root = w.root();
        world::verify_stem(root, &stem, &leaves, &p).unwrap();
        let writes: Vec<(u8, B256, B256)> =
            leaves.iter().zip(&news).map(|(&(s, o), &n)| (s, o, n)).collect();
        let apply = |w: &WorldState, stem: Key, writes: &[(u8, B256, B256)]| {
            let mut a = w.clone();
            for &(s, _, n) in writes {
                a.set(&TreeKey { stem, subindex: s }, n);
            }
            a.root()
        };
        prop_assert_eq!(world::update_stem(root, &stem, &writes, &p).unwrap(), apply(&w, stem, &writes));

        let (mut stem2, mut leaves2, mut p2) = (stem, leaves.clone(), p.clone());
        let j = pos.index(leaves2.len());
        match what {
            0 => { let i = pos.index(p2.len()); p2[i] ^= mask; }
            1 => leaves2[j].1.0[pos.index(32)] ^= mask,
            2 => { leaves2[j].0 ^= mask; leaves2.sort_by_key(|l| l.0); }
            _ => stem2[pos.index(31)] ^= mask,
        }
        if world::verify_stem(root, &stem2, &leaves2, &p2).is_ok() {
            for &(s, v) in &leaves2 {
                prop_assert_eq!(get(&w, stem2, s), v, "forged opening");
            }
        }
        let writes2: Vec<(u8, B256, B256)> =
            leaves2.iter().zip(&news).map(|(&(s, o), &n)| (s, o, n)).collect();
        if let Ok(r) = world::update_stem(root, &stem2, &writes2, &p2) {
            prop_assert_eq!(r, apply(&w, stem2, &writes2), "forged update");
        }
    }

    #[test]
    fn world_sequential_openings_compose(
        stems in key_pool(),
        fill in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), word()), 0..30),
        touches in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), word()), 1..5),
    ) {
        let mut w = WorldState::new();
        for (i, sub, v) in fill {
            w.set(&TreeKey { stem: stems[i.index(stems.len())], subindex: sub }, v);
        }
        // Prover: open each touched stem against the current root, then apply its write.
        let start = w.root();
        let mut witness = Vec::new();
        for (i, sub, v) in &touches {
            let stem = stems[i.index(stems.len())];
            let k = TreeKey { stem, subindex: *sub };
            witness.push((stem, *sub, w.get(&k), *v, w.prove(&stem, &[*sub]).unwrap()));
            w.set(&k, *v);
        }
        // Verifier: replay the openings from the start root.
        let mut root = start;
        for (stem, sub, old, new, p) in &witness {
            root = world::update_stem(root, stem, &[(*sub, *old, *new)], p).unwrap();
        }
        prop_assert_eq!(root, w.root());
    }
}
