//! The prefix binary trie over 31-byte keys (spec §4.2) and the world state built on it.
//!
//! A key's terminal sits at the shortest prefix that no other key shares (EIP-7864's stem
//! placement); internal nodes are [`node_hash`]ed, terminals are `keccak(tag ‖ key ‖ payload)`.
//! The structure only grows: a key, once present, stays even when its payload becomes zero
//! ("no collapsing", DESIGN §3), so deletion never needs a proof of the neighbour that would move
//! up. The world trie uses it with payload = the stem's 256-leaf subtree root
//! ([`world`]), the substate trie with payload = the value ([`crate::substate`]).
//!
//! Nodes live in an arena; a write walks one path and rehashes it: O(depth) hashes.

pub mod key;
pub mod path;
pub mod world;

use alloy_primitives::B256;

use crate::hash::node_hash;
use path::{PathProof, Terminal, leaf_hash};

/// A trie key: 31 bytes (248 bits), read most significant bit first.
pub type Key = [u8; 31];

/// Number of bits in a key, the deepest a terminal can sit.
pub const KEY_BITS: usize = 248;

/// Bit `i` of `key`, most significant bit of byte 0 first.
pub fn bit(key: &Key, i: usize) -> bool {
    key[i / 8] >> (7 - i % 8) & 1 == 1
}

type Link = Option<u32>;

#[derive(Debug, Clone)]
enum Node {
    Internal { child: [Link; 2], hash: B256 },
    Leaf { key: Key, payload: B256, hash: B256 },
}

/// An incremental prefix trie (see the module docs).
#[derive(Debug, Clone)]
pub struct PrefixTrie {
    tag: u8,
    nodes: Vec<Node>,
    root: Link,
    keys: usize,
}

impl PrefixTrie {
    /// An empty trie whose terminals are hashed with `tag`.
    pub fn new(tag: u8) -> Self {
        Self {
            tag,
            nodes: Vec::new(),
            root: None,
            keys: 0,
        }
    }

    /// The terminal tag.
    pub fn tag(&self) -> u8 {
        self.tag
    }

    /// Number of keys present (including ones whose payload is now zero).
    pub fn len(&self) -> usize {
        self.keys
    }

    /// Whether no key was ever inserted.
    pub fn is_empty(&self) -> bool {
        self.keys == 0
    }

    fn hash_of(&self, link: Link) -> B256 {
        match link {
            None => B256::ZERO,
            Some(id) => match &self.nodes[id as usize] {
                Node::Internal { hash, .. } | Node::Leaf { hash, .. } => *hash,
            },
        }
    }

    /// The root (`0` when empty).
    pub fn root(&self) -> B256 {
        self.hash_of(self.root)
    }

    /// The payload of `key`, `None` if absent.
    pub fn get(&self, key: &Key) -> Option<B256> {
        let mut link = self.root;
        let mut depth = 0;
        while let Some(id) = link {
            match &self.nodes[id as usize] {
                Node::Internal { child, .. } => {
                    link = child[usize::from(bit(key, depth))];
                    depth += 1;
                }
                Node::Leaf {
                    key: k, payload, ..
                } => return (k == key).then_some(*payload),
            }
        }
        None
    }

    /// Depth of `key`'s terminal (or of where the path ends if absent).
    pub fn depth_of(&self, key: &Key) -> usize {
        self.prove(key).depth()
    }

    fn push(&mut self, n: Node) -> u32 {
        self.nodes.push(n);
        u32::try_from(self.nodes.len() - 1).expect("fewer than 2^32 trie nodes")
    }

    fn leaf(&mut self, key: Key, payload: B256) -> u32 {
        let hash = leaf_hash(self.tag, &key, &payload);
        self.push(Node::Leaf { key, payload, hash })
    }

    fn internal(&mut self, child: [Link; 2]) -> u32 {
        let hash = node_hash(&self.hash_of(child[0]), &self.hash_of(child[1]));
        self.push(Node::Internal { child, hash })
    }

    /// Set `key`'s payload, inserting the key if absent. Setting a zero payload on an absent
    /// key changes nothing (a key is created only by a non-zero payload). O(depth) hashes.
    pub fn set(&mut self, key: Key, payload: B256) {
        let mut path: Vec<u32> = Vec::new();
        let mut link = self.root;
        let mut depth = 0;
        let new_link = loop {
            let Some(id) = link else {
                if payload.is_zero() {
                    return;
                }
                self.keys += 1;
                break self.leaf(key, payload);
            };
            match &mut self.nodes[id as usize] {
                Node::Internal { child, .. } => {
                    path.push(id);
                    link = child[usize::from(bit(&key, depth))];
                    depth += 1;
                }
                Node::Leaf {
                    key: k,
                    payload: p,
                    hash,
                } if *k == key => {
                    if *p == payload {
                        return;
                    }
                    *p = payload;
                    *hash = leaf_hash(self.tag, &key, &payload);
                    break id;
                }
                Node::Leaf { key: other, .. } => {
                    if payload.is_zero() {
                        return;
                    }
                    let other = *other;
                    let split = (depth..KEY_BITS)
                        .find(|&d| bit(&other, d) != bit(&key, d))
                        .expect("distinct keys differ in some bit below their shared path");
                    self.keys += 1;
                    let mine = self.leaf(key, payload);
                    let mut child = [Some(id), Some(mine)];
                    if !bit(&key, split) {
                        child.swap(0, 1);
                    }
                    let mut top = self.internal(child);
                    for d in (depth..split).rev() {
                        let mut child = [Some(top), None];
                        if bit(&key, d) {
                            child.swap(0, 1);
                        }
                        top = self.internal(child);
                    }
                    break top;
                }
            }
        };
        // Re-link the new subtree (a fresh node or a split) and rehash the path upward.
        let mut below = new_link;
        for (d, &id) in path.iter().enumerate().rev() {
            let (l, r) = match &mut self.nodes[id as usize] {
                Node::Internal { child, .. } => {
                    child[usize::from(bit(&key, d))] = Some(below);
                    (child[0], child[1])
                }
                Node::Leaf { .. } => unreachable!("the path holds internal nodes only"),
            };
            let h = node_hash(&self.hash_of(l), &self.hash_of(r));
            if let Node::Internal { hash, .. } = &mut self.nodes[id as usize] {
                *hash = h;
            }
            below = id;
        }
        if path.is_empty() {
            self.root = Some(new_link);
        }
    }

    /// The path proof for `key` (membership if present, else absence).
    pub fn prove(&self, key: &Key) -> PathProof {
        let mut siblings = Vec::new();
        let mut link = self.root;
        let mut depth = 0;
        let terminal = loop {
            let Some(id) = link else {
                break Terminal::Empty;
            };
            match &self.nodes[id as usize] {
                Node::Internal { child, .. } => {
                    let b = usize::from(bit(key, depth));
                    siblings.push(self.hash_of(child[1 - b]));
                    link = child[b];
                    depth += 1;
                }
                Node::Leaf { key: k, .. } if k == key => break Terminal::Own,
                Node::Leaf {
                    key: k, payload, ..
                } => {
                    break Terminal::Other {
                        key: *k,
                        payload: *payload,
                    };
                }
            }
        };
        siblings.reverse();
        PathProof::new(terminal, siblings).expect("a trie path is at most 248 levels deep")
    }

    /// Every `(key, payload)`, in key order.
    pub fn entries(&self) -> Vec<(Key, B256)> {
        let mut out = Vec::with_capacity(self.keys);
        let mut stack: Vec<Link> = vec![self.root];
        while let Some(link) = stack.pop() {
            match link.map(|id| &self.nodes[id as usize]) {
                None => {}
                Some(Node::Internal { child, .. }) => {
                    stack.push(child[1]);
                    stack.push(child[0]);
                }
                Some(Node::Leaf { key, payload, .. }) => out.push((*key, *payload)),
            }
        }
        out
    }
}

/// The root of the trie holding exactly `entries`, built from scratch by recursive splitting
/// (the reference that [`PrefixTrie::set`] is tested against). Later duplicates win.
pub fn root_from_entries(tag: u8, entries: &[(Key, B256)]) -> B256 {
    // Reverse, then a stable sort and a dedup that keeps the first: the last write wins.
    let mut all = entries.to_vec();
    all.reverse();
    all.sort_by_key(|e| e.0);
    all.dedup_by(|a, b| a.0 == b.0);
    build(tag, &all, 0)
}

fn build(tag: u8, entries: &[(Key, B256)], depth: usize) -> B256 {
    match entries {
        [] => B256::ZERO,
        [(k, p)] => leaf_hash(tag, k, p),
        _ => {
            let split = entries.partition_point(|(k, _)| !bit(k, depth));
            node_hash(
                &build(tag, &entries[..split], depth + 1),
                &build(tag, &entries[split..], depth + 1),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{hash_count, keccak256};

    const TAG: u8 = 0x03;

    fn key(i: u64) -> Key {
        let h = keccak256(&i.to_be_bytes());
        let mut k = [0u8; 31];
        k.copy_from_slice(&h[..31]);
        k
    }

    fn val(i: u64) -> B256 {
        B256::left_padding_from(&(i + 1).to_be_bytes())
    }

    #[test]
    fn single_key_is_the_root() {
        let mut t = PrefixTrie::new(TAG);
        assert_eq!(t.root(), B256::ZERO);
        t.set(key(1), val(1));
        assert_eq!(t.root(), leaf_hash(TAG, &key(1), &val(1)));
        assert_eq!(t.get(&key(1)), Some(val(1)));
        assert_eq!(t.get(&key(2)), None);
    }

    #[test]
    fn zero_payload_never_creates_a_key_and_never_removes_one() {
        let mut t = PrefixTrie::new(TAG);
        t.set(key(1), B256::ZERO);
        assert!(t.is_empty());
        t.set(key(1), val(1));
        t.set(key(2), B256::ZERO);
        assert_eq!(t.len(), 1);
        t.set(key(1), B256::ZERO);
        assert_eq!(t.len(), 1);
        assert_eq!(t.root(), leaf_hash(TAG, &key(1), &B256::ZERO));
    }

    #[test]
    fn keys_sharing_a_long_prefix_chain_down_to_their_split() {
        let mut a = [0u8; 31];
        let mut b = [0u8; 31];
        a[30] = 0b10;
        b[30] = 0b11;
        let mut t = PrefixTrie::new(TAG);
        t.set(a, val(1));
        t.set(b, val(2));
        assert_eq!(t.depth_of(&a), KEY_BITS);
        assert_eq!(
            t.root(),
            root_from_entries(TAG, &[(a, val(1)), (b, val(2))])
        );
        let p = t.prove(&a);
        assert_eq!(p.siblings()[0], leaf_hash(TAG, &b, &val(2)));
        assert!(p.siblings()[1..].iter().all(|s| s.is_zero()));
    }

    #[test]
    fn incremental_matches_from_scratch_and_writes_cost_path_hashes() {
        let mut t = PrefixTrie::new(TAG);
        let mut entries = Vec::new();
        for i in 0..3000 {
            t.set(key(i), val(i));
            entries.push((key(i), val(i)));
        }
        assert_eq!(t.root(), root_from_entries(TAG, &entries));
        assert_eq!(t.entries().len(), 3000);
        let (k17, k5000) = (key(17), key(5000));
        let depth = t.depth_of(&k17);
        let before = hash_count();
        t.set(k17, val(99));
        assert_eq!(
            hash_count() - before,
            depth as u64 + 1,
            "leaf + one per level"
        );
        let before = hash_count();
        t.set(k5000, val(1));
        let after = hash_count() - before;
        assert!(
            after <= t.depth_of(&k5000) as u64 + 2,
            "insert hashed {after}"
        );
    }

    #[test]
    fn proofs_give_the_root_and_insertions_give_the_new_root() {
        let mut t = PrefixTrie::new(TAG);
        for i in 0..50 {
            t.set(key(i), val(i));
        }
        for i in 0..100 {
            let p = t.prove(&key(i));
            let present = i < 50;
            assert_eq!(p.is_present(), present);
            assert_eq!(p.root(TAG, &key(i), &val(i)).unwrap(), t.root());
            let p2 = PathProof::decode(&mut crate::proof::Reader::new(&p.to_bytes())).unwrap();
            assert_eq!(p2, p);
            let predicted = p.root_after_set(TAG, &key(i), &val(i + 7)).unwrap();
            let mut t2 = t.clone();
            t2.set(key(i), val(i + 7));
            assert_eq!(predicted, t2.root());
        }
    }

    /// Without the canonical-empty rule, an absence proof could be pushed one level deeper
    /// (an extra zero sibling folds to the same root because `node(0, 0) = 0`) and an insertion
    /// through it would put the key at the wrong depth: a forged post-state.
    #[test]
    fn deeper_empty_terminal_is_rejected_although_it_folds_to_the_root() {
        let mut t = PrefixTrie::new(TAG);
        for i in 0..20 {
            t.set(key(i), val(i));
        }
        let k = (100..)
            .map(key)
            .find(|k| t.prove(k).terminal() == &Terminal::Empty)
            .unwrap();
        let honest = t.prove(&k);
        let mut deeper = vec![B256::ZERO];
        deeper.extend_from_slice(honest.siblings());
        let forged = PathProof::new(Terminal::Empty, deeper).unwrap();
        assert_eq!(
            forged.fold(&k, B256::ZERO),
            t.root(),
            "the fold alone cannot tell"
        );
        assert_eq!(
            forged.root(TAG, &k, &B256::ZERO),
            Err(crate::ProofError::EmptyTerminalWithoutSibling {
                depth: honest.depth() + 1
            })
        );
        let mut t2 = t.clone();
        t2.set(k, val(1));
        assert_eq!(honest.root_after_set(TAG, &k, &val(1)).unwrap(), t2.root());
    }

    #[test]
    fn foreign_terminal_off_the_path_is_rejected() {
        let mut t = PrefixTrie::new(TAG);
        t.set(key(1), val(1));
        t.set(key(2), val(2));
        let k = (3..)
            .map(key)
            .find(|k| matches!(t.prove(k).terminal(), Terminal::Other { .. }))
            .unwrap();
        let honest = t.prove(&k);
        let Terminal::Other {
            key: other,
            payload,
        } = honest.terminal().clone()
        else {
            unreachable!()
        };
        // Claim the other leaf sits at the root of the opposite subtree instead.
        let mut flipped = other;
        flipped[0] ^= 0x80;
        let forged = PathProof::new(
            Terminal::Other {
                key: flipped,
                payload,
            },
            honest.siblings().to_vec(),
        )
        .unwrap();
        assert!(matches!(
            forged.root(TAG, &k, &B256::ZERO),
            Err(crate::ProofError::OtherKeyPrefixMismatch { .. })
        ));
        let own = PathProof::new(
            Terminal::Other { key: k, payload },
            honest.siblings().to_vec(),
        )
        .unwrap();
        assert_eq!(
            own.root(TAG, &k, &B256::ZERO),
            Err(crate::ProofError::OtherKeyIsTarget)
        );
    }
}
