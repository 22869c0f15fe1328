//! Overlapping k-mer counts over `A, C, G, T` for any range of k, as a sparse matrix.
//!
//! Columns: for each `k` in `k_min..=k_max` a block of `4^k` columns, the k-mers in
//! lexicographic `A < C < G < T` order (`AA, AC, AG, AT, CA, …`); blocks in increasing k.
//! Counting is case-insensitive; a window containing any other byte (N, IUPAC) is skipped.

use crate::error::{Error, Result};
use crate::sparse::{CsrMatrix, count_columns};
use rayon::prelude::*;

/// Largest supported k (4^k columns must fit a `u32`).
pub const MAX_K: usize = 15;

/// Overlapping k-mer counter.
///
/// ```
/// use seqenc::kmer::KmerCounter;
/// let c = KmerCounter::new(1, 2).unwrap();
/// let m = c.transform(&["ACA"]);
/// // 1-mers: A=2, C=1 ; 2-mers (offset 4): AC = 4 + 1, CA = 4 + 4
/// assert_eq!(m.indices, vec![0, 1, 5, 8]);
/// assert_eq!(m.data, vec![2.0, 1.0, 1.0, 1.0]);
/// assert_eq!(c.feature_names()[5], "AC");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmerCounter {
    k_min: usize,
    k_max: usize,
    offsets: Vec<usize>,
    codes: [u8; 256],
}

impl KmerCounter {
    /// Counts every k with `k_min <= k <= k_max` (`1 <= k_min <= k_max <= MAX_K`).
    pub fn new(k_min: usize, k_max: usize) -> Result<Self> {
        if k_min == 0 || k_min > k_max || k_max > MAX_K {
            return Err(Error::InvalidArgument(format!(
                "k range {k_min}..={k_max} must satisfy 1 <= k_min <= k_max <= {MAX_K}"
            )));
        }
        let mut offsets = vec![0usize];
        for k in k_min..=k_max {
            let last = offsets[offsets.len() - 1];
            offsets.push(last + (1usize << (2 * k)));
        }
        let mut codes = [4u8; 256];
        for (i, b) in b"ACGT".iter().enumerate() {
            codes[*b as usize] = i as u8;
            codes[b.to_ascii_lowercase() as usize] = i as u8;
        }
        Ok(KmerCounter {
            k_min,
            k_max,
            offsets,
            codes,
        })
    }

    /// Total number of columns.
    pub fn n_features(&self) -> usize {
        self.offsets[self.offsets.len() - 1]
    }

    /// Column names (k-mer strings), in column order.
    pub fn feature_names(&self) -> Vec<String> {
        (self.k_min..=self.k_max)
            .flat_map(|k| {
                (0..1usize << (2 * k)).map(move |c| {
                    (0..k)
                        .map(|i| b"ACGT"[(c >> (2 * (k - 1 - i))) & 3] as char)
                        .collect()
                })
            })
            .collect()
    }

    /// Sorted `(column, count)` pairs for one sequence.
    pub fn count(&self, seq: &[u8]) -> Vec<(u32, f64)> {
        let mut cols: Vec<u32> = Vec::with_capacity(seq.len() * (self.k_max - self.k_min + 1));
        for (bi, k) in (self.k_min..=self.k_max).enumerate() {
            let mask = (1usize << (2 * k)) - 1;
            let (mut code, mut run) = (0usize, 0usize);
            for &b in seq {
                let c = self.codes[b as usize];
                code = ((code << 2) | (c & 3) as usize) & mask;
                run = if c < 4 { run + 1 } else { 0 };
                if run >= k {
                    cols.push((self.offsets[bi] + code) as u32);
                }
            }
        }
        count_columns(cols)
    }

    /// Counts a batch of sequences (parallel) into a CSR matrix.
    pub fn transform<S: AsRef<[u8]> + Sync>(&self, seqs: &[S]) -> CsrMatrix {
        let rows: Vec<Vec<(u32, f64)>> = seqs.par_iter().map(|s| self.count(s.as_ref())).collect();
        CsrMatrix::from_rows(rows, self.n_features())
    }
}
