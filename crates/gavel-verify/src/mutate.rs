//! Witness mutation: the forgeries a step checker feeds its verifier, which must reject every
//! one of them. Deterministic from the random generator (seed it for reproducible runs).

use rand::Rng;

/// A mutated copy of `witness`, always different from it: one of a byte flip, a truncation, an
/// extension by random bytes, or a swap of two differing 32-byte words.
pub fn mutate<R: Rng + ?Sized>(witness: &[u8], rng: &mut R) -> Vec<u8> {
    let mut w = witness.to_vec();
    let words = w.len() / 32;
    let op = if w.is_empty() {
        2
    } else {
        rng.random_range(0..4u8)
    };
    match op {
        0 => flip(&mut w, rng),
        1 => w.truncate(rng.random_range(0..w.len())),
        2 => extend(&mut w, rng),
        _ => {
            let (a, b) = if words >= 2 {
                (rng.random_range(0..words), rng.random_range(0..words))
            } else {
                (0, 0)
            };
            if a != b && w[a * 32..a * 32 + 32] != w[b * 32..b * 32 + 32] {
                for i in 0..32 {
                    w.swap(a * 32 + i, b * 32 + i);
                }
            } else {
                flip(&mut w, rng);
            }
        }
    }
    if w == witness {
        // Unreachable by construction; kept so the guarantee never rests on the arms above.
        extend(&mut w, rng);
    }
    w
}

fn flip<R: Rng + ?Sized>(w: &mut [u8], rng: &mut R) {
    let i = rng.random_range(0..w.len());
    w[i] ^= rng.random_range(1..=255u8);
}

fn extend<R: Rng + ?Sized>(w: &mut Vec<u8>, rng: &mut R) {
    let n = rng.random_range(1..=32usize);
    w.extend((0..n).map(|_| rng.random::<u8>()));
}
