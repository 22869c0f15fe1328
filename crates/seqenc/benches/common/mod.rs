//! Shared bench input: seeded random ACGT sequences.

use rand::{Rng, SeedableRng};

/// `n` random ACGT sequences of `len` bases (seed fixed).
pub fn random_seqs(n: usize, len: usize, seed: u64) -> Vec<String> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            (0..len)
                .map(|_| b"ACGT"[rng.random_range(0..4)] as char)
                .collect()
        })
        .collect()
}
