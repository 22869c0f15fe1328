//! Sequence shuffles that keep mono- or dinucleotide composition.
//!
//! ## Case and alphabet
//! Both shuffles treat every byte as an opaque symbol: `a` and `A` are different letters, and
//! `N` or IUPAC codes are shuffled like any other symbol. The dinucleotide shuffle therefore
//! preserves the count of every *byte pair* exactly (soft-masked lowercase stays lowercase and
//! keeps its neighbours' statistics). Uppercase the input first (see
//! [`genome_io::seq::uppercase_in_place`]) for a case-insensitive shuffle.
//!
//! ## Method
//! The dinucleotide shuffle is the Altschul–Erickson (1985) algorithm in its Eulerian-path form
//! (Kandel et al. 1996, as in uShuffle / MEME's `fasta-shuffle-letters -kmer 2`): the sequence is
//! a walk through the multigraph whose vertices are symbols and whose edges are the `n - 1`
//! consecutive pairs. A random arborescence of "last exits" towards the final symbol is drawn with
//! Wilson's loop-erased random walk (uniform over edge instances), every other out-edge list is
//! shuffled, and the Eulerian walk from the first symbol reads out a new sequence with exactly
//! the same pair counts, the same first symbol and the same last symbol.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Which shuffle to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ShuffleKind {
    /// Fisher–Yates over all positions: keeps the count of every symbol.
    Mononucleotide,
    /// Altschul–Erickson: keeps the count of every adjacent pair, the first and the last symbol.
    Dinucleotide,
}

/// Mononucleotide shuffle: a uniform random permutation of `seq` (composition preserved).
///
/// ```
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
/// let s = datasets::negatives::mononucleotide_shuffle(b"AACGTT", &mut rng);
/// let mut sorted = s.clone();
/// sorted.sort();
/// assert_eq!(sorted, b"AACGTT".to_vec());
/// ```
pub fn mononucleotide_shuffle<R: Rng + ?Sized>(seq: &[u8], rng: &mut R) -> Vec<u8> {
    let mut out = seq.to_vec();
    out.shuffle(rng);
    out
}

/// Dinucleotide-preserving shuffle (Altschul–Erickson, Eulerian-path form).
///
/// The result has the same length, the same first and last byte, and exactly the same count of
/// every ordered adjacent byte pair as `seq`. Sequences shorter than 3 are returned unchanged
/// (they admit no other arrangement).
///
/// ```
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let s = b"ACGTTGCAACGGTACCATGA";
/// let t = datasets::negatives::dinucleotide_shuffle(s, &mut rng);
/// assert_eq!(t.len(), s.len());
/// assert_eq!((t[0], t[t.len() - 1]), (s[0], s[s.len() - 1]));
/// ```
pub fn dinucleotide_shuffle<R: Rng + ?Sized>(seq: &[u8], rng: &mut R) -> Vec<u8> {
    let n = seq.len();
    if n < 3 {
        return seq.to_vec();
    }
    // Out-edge lists: edges[v] = successors of every occurrence of symbol v (except the last).
    let mut edges: Vec<Vec<u8>> = vec![Vec::new(); 256];
    for w in seq.windows(2) {
        edges[w[0] as usize].push(w[1]);
    }
    let last = seq[n - 1];
    let vertices: Vec<u8> = (0..=255u8)
        .filter(|&v| !edges[v as usize].is_empty())
        .collect();

    // Wilson's algorithm: random arborescence towards `last`; next[v] = index of v's last exit.
    let mut in_tree = [false; 256];
    in_tree[last as usize] = true;
    let mut next_edge: [usize; 256] = [usize::MAX; 256];
    for &start in &vertices {
        let mut u = start;
        while !in_tree[u as usize] {
            let out = &edges[u as usize];
            let k = rng.random_range(0..out.len());
            next_edge[u as usize] = k;
            u = out[k];
        }
        // Retrace the (loop-erased) path from `start` and add it to the tree.
        let mut u = start;
        while !in_tree[u as usize] {
            in_tree[u as usize] = true;
            u = edges[u as usize][next_edge[u as usize]];
        }
    }

    // Put every vertex's last exit at the end of its list and shuffle the others.
    for &v in &vertices {
        if v == last {
            edges[v as usize].shuffle(rng);
            continue;
        }
        let list = &mut edges[v as usize];
        let k = next_edge[v as usize];
        let end = list.len() - 1;
        list.swap(k, end);
        list[..end].shuffle(rng);
    }

    // Eulerian walk from the first symbol.
    let mut pos = [0usize; 256];
    let mut out = Vec::with_capacity(n);
    let mut u = seq[0];
    out.push(u);
    for _ in 1..n {
        let p = &mut pos[u as usize];
        let v = edges[u as usize][*p];
        *p += 1;
        out.push(v);
        u = v;
    }
    out
}

/// Shuffles every sequence of `seqs` in parallel; sequence `i` uses its own `ChaCha8Rng` seeded
/// from `seed` and stream `i`, so the result does not depend on the number of threads.
///
/// ```
/// use datasets::negatives::{shuffle_all, ShuffleKind};
/// let seqs = vec![b"ACGTACGGTCA".to_vec(), b"TTGACCA".to_vec()];
/// let a = shuffle_all(&seqs, ShuffleKind::Dinucleotide, 42);
/// assert_eq!(a, shuffle_all(&seqs, ShuffleKind::Dinucleotide, 42));
/// ```
pub fn shuffle_all(seqs: &[Vec<u8>], kind: ShuffleKind, seed: u64) -> Vec<Vec<u8>> {
    seqs.par_iter()
        .enumerate()
        .map(|(i, s)| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(i as u64);
            match kind {
                ShuffleKind::Mononucleotide => mononucleotide_shuffle(s, &mut rng),
                ShuffleKind::Dinucleotide => dinucleotide_shuffle(s, &mut rng),
            }
        })
        .collect()
}
