//! Property tests of the mono- and dinucleotide shuffles.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use datasets::negatives::{ShuffleKind, dinucleotide_shuffle, mononucleotide_shuffle, shuffle_all};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn pair_counts(s: &[u8]) -> HashMap<(u8, u8), usize> {
    let mut m = HashMap::new();
    for w in s.windows(2) {
        *m.entry((w[0], w[1])).or_default() += 1;
    }
    m
}

fn sorted(s: &[u8]) -> Vec<u8> {
    let mut v = s.to_vec();
    v.sort_unstable();
    v
}

fn dna(alphabet: &'static [u8], max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(proptest::sample::select(alphabet.to_vec()), 0..max)
}

proptest! {
    #[test]
    fn dinucleotide_counts_first_and_last_preserved(s in dna(b"ACGT", 400), seed in any::<u64>()) {
        let t = dinucleotide_shuffle(&s, &mut ChaCha8Rng::seed_from_u64(seed));
        prop_assert_eq!(t.len(), s.len());
        prop_assert_eq!(pair_counts(&t), pair_counts(&s));
        prop_assert_eq!(sorted(&t), sorted(&s));
        prop_assert_eq!(t.first(), s.first());
        prop_assert_eq!(t.last(), s.last());
    }

    #[test]
    fn dinucleotide_handles_case_and_ambiguity_codes(s in dna(b"ACGTacgtNRY", 300), seed in any::<u64>()) {
        let t = dinucleotide_shuffle(&s, &mut ChaCha8Rng::seed_from_u64(seed));
        prop_assert_eq!(pair_counts(&t), pair_counts(&s));
        prop_assert_eq!(t.first(), s.first());
        prop_assert_eq!(t.last(), s.last());
    }

    #[test]
    fn mononucleotide_preserves_composition(s in dna(b"ACGTNacgt", 400), seed in any::<u64>()) {
        let t = mononucleotide_shuffle(&s, &mut ChaCha8Rng::seed_from_u64(seed));
        prop_assert_eq!(sorted(&t), sorted(&s));
    }
}

#[test]
fn dinucleotide_shuffle_actually_shuffles_and_is_seeded() {
    // A 300 bp sequence has astronomically many Eulerian arrangements: different seeds must differ.
    let s: Vec<u8> = (0..300u32)
        .map(|i| b"ACGT"[((i * 7 + i / 3) % 4) as usize])
        .collect();
    let a = dinucleotide_shuffle(&s, &mut ChaCha8Rng::seed_from_u64(1));
    let b = dinucleotide_shuffle(&s, &mut ChaCha8Rng::seed_from_u64(1));
    let c = dinucleotide_shuffle(&s, &mut ChaCha8Rng::seed_from_u64(2));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_ne!(a, s);
}

#[test]
fn dinucleotide_shuffle_is_uniform_over_arrangements() {
    // "AABAB": pairs AA, AB, BA, AB; first A, last B. The Eulerian walks A..B using exactly these
    // edges are AABAB and ABAAB (enumerated by hand), so each must appear about half the time.
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut n_first = 0;
    for _ in 0..4000 {
        let t = dinucleotide_shuffle(b"AABAB", &mut rng);
        assert!(
            t == b"AABAB" || t == b"ABAAB",
            "{}",
            String::from_utf8_lossy(&t)
        );
        n_first += usize::from(t == b"AABAB");
    }
    assert!((1800..2200).contains(&n_first), "{n_first}");
}

#[test]
fn shuffle_all_is_reproducible_and_independent_of_threads() {
    let seqs: Vec<Vec<u8>> = (0..50).map(|i| b"ACGTTGCAAGCT".repeat(i % 7 + 1)).collect();
    let a = shuffle_all(&seqs, ShuffleKind::Dinucleotide, 5);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let b = pool.install(|| shuffle_all(&seqs, ShuffleKind::Dinucleotide, 5));
    assert_eq!(a, b);
    for (s, t) in seqs.iter().zip(&a) {
        assert_eq!(pair_counts(s), pair_counts(t));
    }
    let m = shuffle_all(&seqs, ShuffleKind::Mononucleotide, 5);
    for (s, t) in seqs.iter().zip(&m) {
        assert_eq!(sorted(s), sorted(t));
    }
}
