//! Random helpers: seeded streams, normal draws, and the background sequence models.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Random stream `stream` of `seed` (ChaCha8). Streams are independent, so every chromosome can be
/// generated on its own (and in any order) with the same result.
pub(crate) fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Stream of the gene plan of chromosome `c` (0-based). Streams: `1 + 2c` plan, `2 + 2c`
/// sequence of chromosome `c`; `u64::MAX` tissue offsets, `u64::MAX - 1` repeat consensus.
pub(crate) fn plan_stream(c: usize) -> u64 {
    1 + 2 * c as u64
}

/// Stream of the sequence of chromosome `c` (0-based).
pub(crate) fn seq_stream(c: usize) -> u64 {
    2 + 2 * c as u64
}

/// Standard normal draw (Box-Muller).
pub(crate) fn normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Uniform integer in the inclusive range `(lo, hi)` (`lo <= hi`).
pub(crate) fn range_u64(rng: &mut impl Rng, (lo, hi): (u64, u64)) -> u64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// Log-uniform integer in `lo..=hi` (`1 <= lo <= hi`): short lengths are as common per decade.
pub(crate) fn log_uniform(rng: &mut impl Rng, lo: u64, hi: u64) -> u64 {
    if hi <= lo {
        return lo;
    }
    let (a, b) = ((lo as f64).ln(), (hi as f64 + 1.0).ln());
    let v = (a + (b - a) * rng.random::<f64>()).exp() as u64;
    v.clamp(lo, hi)
}

/// A first-order Markov model of DNA: `thresholds[prev][i]` is the cumulative probability
/// (scaled to `u32`) of base `ACGT[i]` after `prev`.
pub(crate) struct Markov {
    thresholds: [[u32; 3]; 4],
}

pub(crate) const ACGT: [u8; 4] = *b"ACGT";

impl Markov {
    /// A model with base frequencies given by `gc` (G+C fraction) and CpG observed/expected ratio
    /// about `cpg_ratio` (probability of G after C multiplied by `cpg_ratio`, the rest spread
    /// over A, C, T in proportion).
    pub(crate) fn new(gc: f64, cpg_ratio: f64) -> Self {
        let base = [(1.0 - gc) / 2.0, gc / 2.0, gc / 2.0, (1.0 - gc) / 2.0];
        let mut thresholds = [[0u32; 3]; 4];
        for (prev, row) in thresholds.iter_mut().enumerate() {
            let mut p = base;
            if prev == 1 {
                let removed = p[2] * (1.0 - cpg_ratio);
                p[2] -= removed;
                let others = p[0] + p[1] + p[3];
                for i in [0, 1, 3] {
                    p[i] += removed * base[i] / others;
                }
            }
            let mut acc = 0.0;
            for i in 0..3 {
                acc += p[i];
                row[i] = (acc * u32::MAX as f64) as u32;
            }
        }
        Markov { thresholds }
    }

    /// Index (0..4 into ACGT) of the base following base index `prev`, from 32 random bits.
    #[inline]
    fn next(&self, prev: usize, r: u32) -> usize {
        let t = &self.thresholds[prev];
        (r >= t[0]) as usize + (r >= t[1]) as usize + (r >= t[2]) as usize
    }

    /// Fills `out` with uppercase bases, the chain starting after base index `prev`.
    pub(crate) fn fill(&self, rng: &mut impl RngCore, mut prev: usize, out: &mut [u8]) {
        let mut chunks = out.chunks_exact_mut(2);
        for pair in &mut chunks {
            let r = rng.next_u64();
            prev = self.next(prev, r as u32);
            pair[0] = ACGT[prev];
            prev = self.next(prev, (r >> 32) as u32);
            pair[1] = ACGT[prev];
        }
        for b in chunks.into_remainder() {
            prev = self.next(prev, rng.next_u32());
            *b = ACGT[prev];
        }
    }

    /// A fresh uppercase sequence of length `n`.
    pub(crate) fn sample(&self, rng: &mut impl RngCore, n: usize) -> Vec<u8> {
        let mut v = vec![0u8; n];
        let first = (rng.next_u32() % 4) as usize;
        self.fill(rng, first, &mut v);
        v
    }
}

/// Index of an uppercase or lowercase A/C/G/T in ACGT, 0 (A) for anything else.
pub(crate) fn base_index(b: u8) -> usize {
    match b | 0x20 {
        b'c' => 1,
        b'g' => 2,
        b't' => 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markov_composition_and_cpg_depletion() {
        let m = Markov::new(0.41, 0.2);
        let s = m.sample(&mut stream(3, 0), 200_000);
        let gc = genome_io::seq::gc_fraction(&s).unwrap();
        assert!((0.36..0.43).contains(&gc), "gc {gc}");
        let cg = s.windows(2).filter(|w| w == b"CG").count() as f64;
        let c = s.iter().filter(|&&b| b == b'C').count() as f64;
        let g = s.iter().filter(|&&b| b == b'G').count() as f64;
        let oe = cg * s.len() as f64 / (c * g);
        assert!(oe < 0.35, "CpG o/e {oe}");
    }

    #[test]
    fn normal_has_unit_variance() {
        let mut r = stream(5, 1);
        let xs: Vec<f64> = (0..20_000).map(|_| normal(&mut r)).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
    }
}
