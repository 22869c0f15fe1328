//! Average ranks in linear time, for 10^7-element samples (Spearman ρ, Wilcoxon, DeLong).
//!
//! The method, per sample of `n` values:
//! 1. **One bucketing pass from the input.** Every value's order-preserving key
//!    ([`f64_key`]) loses the high bits all keys share; the bits below are packed with the
//!    element's index into one `u64` (`field << idx_bits | index`), so the big scatter moves
//!    8 bytes per element, not a 16-byte (key, index) pair. Buckets of at least 4,096
//!    elements (`n / 2,048` for large `n`) are runs of a 16-bit coarse digit, balanced by a
//!    counting pass (which also finds the bits keys differ in; see [`Packing::bucket`]).
//! 2. **Each bucket is finished in cache** (`bucket.rs`): one more radix level over the
//!    range of its fields into a scratch buffer, then insertion sorts of the (mostly one- or
//!    two-element) sub-buckets; then a walk finds the tie groups and hands each element's
//!    doubled average rank to the caller. The bucket's first rank is its start offset, so no
//!    sorted copy of the whole sample is ever written.
//! 3. **Exactness.** When the packed field holds every bit in which the keys differ, equal
//!    fields are equal values. Otherwise (fine-grained keys and a large `n`) the field is the
//!    key truncated, and every run of equal fields is re-sorted by the full key, read back from
//!    the input, before its tie groups are formed.
//! 4. **Write-back** (`staging.rs`). The caller gets each rank with its index; [`Staging`]
//!    gathers them by index block so that index order is restored in cache, one block at a
//!    time. Spearman keeps one sample's ranks in index order ([`IndexRanks`], 4 bytes each)
//!    and pairs them with the other sample's blocks as they are restored, so the second
//!    sample's ranks are never written out in full. With one thread the second sample is
//!    staged in the same buffer, behind the first one's ranks: 200 MB for 10^7 pairs.

mod bucket;
mod staging;

use crate::buffer::Zeroed;
use crate::sort::{differing_bits, f64_key};
use bucket::{Work, sort_bucket};
pub(crate) use staging::{BLOCK, CentredSums, IndexRanks, Staging};

/// Width of the coarse digit that the first level counts (64 Ki counters, in L2).
const COARSE_BITS: u32 = 16;
/// At most `2^MAX_BUCKETS_BITS` first-level buckets (the write streams stay few enough for
/// the TLB).
const MAX_BUCKETS_BITS: u32 = 11;
/// First-level buckets hold at least `2^BUCKET_BITS` elements (32 KiB of `u64`).
const BUCKET_BITS: u32 = 12;
/// Every `SAMPLE_STEP`-th key guesses the coarse digit before the counting pass.
const SAMPLE_STEP: usize = 64;

/// Reusable buffers of the ranking pass (a second sample of the same length allocates and
/// page-faults nothing new).
#[derive(Default)]
pub(crate) struct Ranker {
    packed: Zeroed<u64>,
    sorted: Vec<u64>,
    work: Work,
    fix: Vec<(u64, u32)>,
}

impl Ranker {
    /// Calls `f(index, twice_rank)` for every element of `x`, bucket by bucket in ascending
    /// order of value, where `twice_rank` is twice the element's 1-based average rank (an
    /// integer: ranks `i + 1 ..= j` average `(i + 1 + j) / 2`). Values are ordered by
    /// [`f64_key`] (`-0.0 == 0.0`; NaN by its bits).
    pub(crate) fn for_each(&mut self, x: &[f64], mut f: impl FnMut(usize, u64)) {
        let n = x.len();
        if self.packed.len() < n {
            self.packed = Zeroed::new(n);
        }
        let Some((p, starts)) = Packing::bucket(x, &mut self.packed) else {
            // Every value is equal (or there are none): one tie group.
            (0..n).for_each(|i| f(i, n as u64 + 1));
            return;
        };
        let Ranker {
            packed,
            sorted,
            work,
            fix,
        } = self;
        // One tie group at sorted positions `pos..pos + len` shares `2·pos + len + 1`.
        let twice = |pos: usize, len: usize| (2 * pos + len + 1) as u64;
        for w in starts.windows(2) {
            let (base, bucket) = (w[0], &packed[w[0]..w[1]]);
            sort_bucket(bucket, p.idx_bits, sorted, work);
            for_each_run(
                sorted,
                |a, b| a >> p.idx_bits == b >> p.idx_bits,
                |i, j| {
                    let run = &sorted[i..j];
                    if p.exact || run.len() == 1 {
                        let t = twice(base + i, run.len());
                        run.iter().for_each(|&v| f(p.index(v), t));
                        return;
                    }
                    // Truncated field: order the run by the full key, then form its tie groups.
                    fix.clear();
                    fix.extend(run.iter().map(|&v| {
                        let idx = p.index(v);
                        (f64_key(x[idx]), idx as u32)
                    }));
                    fix.sort_unstable();
                    for_each_run(
                        fix,
                        |a, b| a.0 == b.0,
                        |a, c| {
                            let t = twice(base + i + a, c - a);
                            fix[a..c].iter().for_each(|q| f(q.1 as usize, t));
                        },
                    );
                },
            );
        }
    }
}

/// Calls `f(start, end)` for every maximal run `v[start..end]` of elements that `same` finds
/// equal to the run's first, in order.
fn for_each_run<T>(v: &[T], same: impl Fn(&T, &T) -> bool, mut f: impl FnMut(usize, usize)) {
    let mut i = 0;
    while i < v.len() {
        let mut j = i + 1;
        while j < v.len() && same(&v[i], &v[j]) {
            j += 1;
        }
        f(i, j);
        i = j;
    }
}

/// 1-based average ranks (scipy `rankdata(method="average")`).
pub(crate) fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut r = vec![0.0; x.len()];
    Ranker::default().for_each(x, |i, t| r[i] = t as f64 / 2.0);
    r
}

/// How a key and its index share one `u64`, and how keys are bucketed.
struct Packing {
    /// Bits of the index (the low bits of a packed element).
    idx_bits: u32,
    /// The packed field is `(key >> field_shift) & field_mask`: the bits in which keys
    /// differ, from the highest down, as many as fit beside the index.
    field_shift: u32,
    field_mask: u64,
    /// Whether the field holds every bit in which keys differ.
    exact: bool,
    /// The coarse digit is `(key >> coarse_shift) & coarse_mask`: the highest (up to
    /// [`COARSE_BITS`]) differing bits.
    coarse_shift: u32,
    coarse_mask: u64,
}

impl Packing {
    /// For `n` keys whose differing bits are `differ`; `None` when there are none.
    fn new(n: usize, differ: u64) -> Option<Packing> {
        if differ == 0 {
            return None;
        }
        let top = 64 - differ.leading_zeros();
        let span = top - differ.trailing_zeros();
        let idx_bits = (u64::BITS - (n as u64 - 1).leading_zeros()).max(1);
        let field_bits = span.min(64 - idx_bits);
        let coarse_bits = span.min(COARSE_BITS);
        Some(Packing {
            idx_bits,
            field_shift: top - field_bits,
            field_mask: (1u64 << field_bits) - 1,
            exact: span <= field_bits,
            coarse_shift: top - coarse_bits,
            coarse_mask: (1u64 << coarse_bits) - 1,
        })
    }

    #[inline]
    fn coarse(&self, k: u64) -> usize {
        ((k >> self.coarse_shift) & self.coarse_mask) as usize
    }

    #[inline]
    fn pack(&self, k: u64, i: usize) -> u64 {
        (((k >> self.field_shift) & self.field_mask) << self.idx_bits) | i as u64
    }

    #[inline]
    fn index(&self, v: u64) -> usize {
        (v & ((1u64 << self.idx_bits) - 1)) as usize
    }

    /// Packs the elements of `x` into `out` by bucket; returns the packing and the bucket
    /// boundaries (`starts[b]..starts[b + 1]`), or `None` when every value is equal (or there
    /// are none).
    ///
    /// The buckets are runs of consecutive coarse digits ([`merge_digits`]), so skewed keys
    /// (scores crowded into one or two binary exponents) still give even buckets. A small
    /// sample is one bucket. The coarse digit depends on the bits in which keys differ; it is
    /// guessed from every [`SAMPLE_STEP`]-th key and counted in the same pass that finds the
    /// exact bits, and counted again only when the guess was wrong.
    fn bucket(x: &[f64], out: &mut [u64]) -> Option<(Packing, Vec<usize>)> {
        let n = x.len();
        let keys = || x.iter().map(|&v| f64_key(v));
        if n <= 1 << BUCKET_BITS {
            let p = Packing::new(n, differing_bits(keys()))?;
            for (i, (o, k)) in out.iter_mut().zip(keys()).enumerate() {
                *o = p.pack(k, i);
            }
            return Some((p, vec![0, n]));
        }
        let mut counts = vec![0u32; 1 << COARSE_BITS];
        let guess = Packing::new(n, differing_bits(keys().step_by(SAMPLE_STEP)));
        let differ = match &guess {
            Some(g) => differing_bits(keys().inspect(|&k| counts[g.coarse(k)] += 1)),
            None => differing_bits(keys()),
        };
        let p = Packing::new(n, differ)?;
        if guess.is_none_or(|g| (g.coarse_shift, g.coarse_mask) != (p.coarse_shift, p.coarse_mask))
        {
            counts.fill(0);
            keys().for_each(|k| counts[p.coarse(k)] += 1);
        }
        let (map, starts) = merge_digits(&counts[..=p.coarse_mask as usize], n);
        let mut next = starts.clone();
        for (i, k) in keys().enumerate() {
            let b = map[p.coarse(k)] as usize;
            out[next[b]] = p.pack(k, i);
            next[b] += 1;
        }
        Some((p, starts))
    }
}

/// Merges runs of consecutive coarse digits, whose `counts` sum to `n`, into buckets of at
/// least `target = max(2^BUCKET_BITS, n / 2^MAX_BUCKETS_BITS)` elements (the last may hold
/// fewer), so there are at most `2^MAX_BUCKETS_BITS` and none holds more than `target` plus
/// its last digit. Returns each digit's bucket and the bucket boundaries.
fn merge_digits(counts: &[u32], n: usize) -> (Vec<u16>, Vec<usize>) {
    let target = n.div_ceil(1 << MAX_BUCKETS_BITS).max(1 << BUCKET_BITS);
    let mut map = vec![0u16; counts.len()];
    let mut starts = vec![0usize];
    let (mut acc, mut in_bucket) = (0usize, 0usize);
    for (m, &c) in map.iter_mut().zip(counts) {
        *m = (starts.len() - 1) as u16;
        acc += c as usize;
        in_bucket += c as usize;
        if in_bucket >= target && acc < n {
            starts.push(acc);
            in_bucket = 0;
        }
    }
    starts.push(n);
    (map, starts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Average ranks by the textbook method (comparison sort, tie groups averaged).
    pub(super) fn naive_ranks(x: &[f64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..x.len()).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
        let mut r = vec![0.0; x.len()];
        let mut i = 0;
        while i < order.len() {
            let mut j = i + 1;
            while j < order.len() && x[order[j]] == x[order[i]] {
                j += 1;
            }
            for &o in &order[i..j] {
                r[o] = (i + 1 + j) as f64 / 2.0;
            }
            i = j;
        }
        r
    }

    #[test]
    fn average_ranks_match_the_textbook_method() {
        // 50,000 values (several radix levels), many ties, both signs.
        for modulus in [7u64, 1000, u64::MAX] {
            let x: Vec<f64> = (0..50_000u64)
                .map(|i| {
                    let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11;
                    (h % modulus) as f64 * if h & 1 == 0 { 1.0 } else { -0.25 }
                })
                .collect();
            assert_eq!(average_ranks(&x), naive_ranks(&x), "modulus {modulus}");
        }
    }

    #[test]
    fn spearman_is_pearson_of_textbook_ranks() {
        // Heavy ties on both sides, two radix levels; the textbook value is the two-pass
        // Pearson correlation of the averaged ranks (scipy's definition).
        let x: Vec<f64> = (0..20_000u64)
            .map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as f64 % 97.0)
            .collect();
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, &v)| v * 0.5 + ((i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03) >> 50) as f64)
            .collect();
        let (rx, ry) = (naive_ranks(&x), naive_ranks(&y));
        let mean = |r: &[f64]| r.iter().sum::<f64>() / r.len() as f64;
        let (mx, my) = (mean(&rx), mean(&ry));
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for (a, b) in rx.iter().zip(&ry) {
            sxy += (a - mx) * (b - my);
            sxx += (a - mx) * (a - mx);
            syy += (b - my) * (b - my);
        }
        let want = sxy / (sxx.sqrt() * syy.sqrt());
        let got = crate::spearman(&x, &y).expect("valid input");
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }

    /// Values in clusters a few ulps wide (their packed fields collide once the key is
    /// truncated), exact repeats, both signs and spread values.
    fn near_ties(raw: &[(u8, u64)], bases: &[f64]) -> Vec<f64> {
        raw.iter()
            .map(|&(mode, r)| match mode % 4 {
                0 => f64::from_bits(bases[r as usize % bases.len()].to_bits() + (r >> 32) % 5),
                1 => bases[r as usize % bases.len()],
                2 => -f64::from_bits(bases[r as usize % bases.len()].to_bits() + (r >> 40) % 3),
                _ => (r >> 11) as f64 / (1u64 << 53) as f64 * 1e6 - 5e5,
            })
            .collect()
    }

    #[test]
    fn merged_buckets_are_bounded_in_number_and_size() {
        // About 10^7 scores: a tail of nearly empty digits, 3,000 digits of about 0.6 target
        // each (two merge into one bucket) and ten heavy digits (a bucket each).
        let mut counts = vec![3u32; 2048];
        counts.extend(std::iter::repeat_n(3_000, 3_000));
        counts.extend(std::iter::repeat_n(65_000, 10));
        let n = counts.iter().map(|&c| c as usize).sum::<usize>();
        let target = n.div_ceil(1 << MAX_BUCKETS_BITS);
        let (map, starts) = merge_digits(&counts, n);
        assert!(starts.len() - 1 <= 1 << MAX_BUCKETS_BITS);
        assert_eq!((starts[0], starts[starts.len() - 1]), (0, n));
        for w in starts.windows(2) {
            assert!(
                w[1] > w[0] && w[1] - w[0] <= target + 65_000,
                "bucket {w:?}"
            );
        }
        // Digits map to buckets in order, and each bucket holds exactly its digits' counts.
        assert!(map.windows(2).all(|w| w[0] <= w[1]));
        let mut sizes = vec![0usize; starts.len() - 1];
        for (&b, &c) in map.iter().zip(&counts) {
            sizes[b as usize] += c as usize;
        }
        let want: Vec<usize> = starts.windows(2).map(|w| w[1] - w[0]).collect();
        assert_eq!(sizes, want);
    }

    #[test]
    fn coarse_digit_guessed_wrong_is_counted_again() {
        // The strided sample sees only values in [1, 2); the few negative values it skips
        // change the top differing bit, so the guessed digits must be recounted.
        let x: Vec<f64> = (0..20_000u64)
            .map(|i| {
                let v = 1.0 + (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 12) as f64 / 2f64.powi(52);
                if i % SAMPLE_STEP as u64 == 7 && i < 2_000 {
                    -v
                } else {
                    v
                }
            })
            .collect();
        let sample = differing_bits(x.iter().step_by(SAMPLE_STEP).map(|&v| f64_key(v)));
        let all = differing_bits(x.iter().map(|&v| f64_key(v)));
        let (guess, exact) = (Packing::new(x.len(), sample), Packing::new(x.len(), all));
        assert_ne!(guess.map(|p| p.coarse_shift), exact.map(|p| p.coarse_shift));
        assert_eq!(average_ranks(&x), naive_ranks(&x));
    }

    #[test]
    fn empty_and_single_samples() {
        assert!(average_ranks(&[]).is_empty());
        assert_eq!(average_ranks(&[2.5]), vec![1.0]);
        assert_eq!(average_ranks(&[-0.0, 0.0]), vec![1.5, 1.5]);
    }

    #[test]
    fn near_ties_in_large_samples_match_the_textbook_method() {
        // 300,000 values: a first-level bucketing pass and a truncated field.
        let raw: Vec<(u8, u64)> = (0..300_000u64)
            .map(|i| {
                let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                ((h >> 3) as u8, h.rotate_left(17))
            })
            .collect();
        let x = near_ties(&raw, &[0.1, 0.7, 3.25, 1e-300, 123_456.789]);
        assert_eq!(average_ranks(&x), naive_ranks(&x));
    }

    proptest::proptest! {
        #[test]
        fn ranks_match_the_textbook_method(
            raw in proptest::collection::vec((0u8..4, proptest::prelude::any::<u64>()), 0..5000),
            bases in proptest::collection::vec(-1e3f64..1e3, 1..6),
        ) {
            let x = near_ties(&raw, &bases);
            proptest::prop_assert_eq!(average_ranks(&x), naive_ranks(&x));
        }
    }
}
