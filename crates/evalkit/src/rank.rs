//! Average ranks in linear time, for 10^7-element samples (Spearman ρ, Wilcoxon, DeLong).
//!
//! The method, per sample of `n` values:
//! 1. **One bucketing pass from the input.** Every value's order-preserving key
//!    ([`f64_key`]) loses the high bits all keys share; the bits below are packed with the
//!    element's index into one `u64` (`field << idx_bits | index`), so the big scatter moves
//!    8 bytes per element, not a 16-byte (key, index) pair. Buckets of at least 4,096
//!    elements (`n / 2,048` for large `n`) are runs of a 16-bit coarse digit, balanced by a
//!    counting pass.
//! 2. **Each bucket is finished in cache**: one more radix level into a scratch buffer, then
//!    insertion sorts of the (mostly one- or two-element) sub-buckets, then a walk that finds
//!    the tie groups and hands each element's doubled average rank to the caller. The bucket's
//!    first rank is its start offset, so no sorted copy of the whole sample is ever written.
//! 3. **Exactness.** When the packed field holds every bit in which the keys differ, equal
//!    fields are equal values. Otherwise (fine-grained keys and a large `n`) the field is the
//!    key truncated, and every run of equal fields is re-sorted by the full key, read back from
//!    the input, before its tie groups are formed.
//! 4. **Write-back.** The caller gets each rank with its index; [`Staging`] gathers them by
//!    index block so that index order is restored in cache, one block at a time. Spearman
//!    keeps one sample's ranks in index order ([`IndexRanks`], 4 bytes each) and pairs them
//!    with the other sample's blocks as they are restored, so the second sample's ranks are
//!    never written out in full.

use crate::sort::{differing_bits, f64_key, radix_sort_by_key_with};

/// Width of the coarse digit that the first level counts (64 Ki counters, in L2).
const COARSE_BITS: u32 = 16;
/// At most `2^MAX_BUCKETS_BITS` first-level buckets (the write streams stay few enough for
/// the TLB).
const MAX_BUCKETS_BITS: u32 = 11;
/// First-level buckets hold at least `2^BUCKET_BITS` elements (32 KiB of `u64`).
const BUCKET_BITS: u32 = 12;
/// Widest second-level digit.
const SUB_BITS: u32 = 16;
/// Sub-buckets up to this long are insertion-sorted; longer ones are radix-sorted.
const INSERTION: usize = 24;
/// Indices per block of the rank write-back (a block's ranks, 16 KiB, stay in L1).
const BLOCK_BITS: u32 = 14;

/// Reusable buffers of the ranking pass (a second sample of the same length allocates and
/// page-faults nothing new).
#[derive(Default)]
pub(crate) struct Ranker {
    packed: Vec<u64>,
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
        let differ = differing_bits(x.iter().map(|&v| f64_key(v)));
        if differ == 0 {
            // Every value is equal (or there are none): one tie group.
            (0..n).for_each(|i| f(i, n as u64 + 1));
            return;
        }
        let p = Packing::new(n, differ);
        self.packed.resize(n, 0);
        let starts = p.scatter(x, &mut self.packed);
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

/// Ranks handed out in value order, gathered by index block.
///
/// Writing each rank straight to its index misses the cache on almost every write once `n`
/// outgrows it. Instead each rank is appended to its index block's region of a staging array
/// (a block of `2^BLOCK_BITS` indices owns exactly that many slots, so no counting pass is
/// needed, and the writes stream into one open region per block); a block is later put in
/// index order within itself, in cache ([`Staging::block`]).
pub(crate) struct Staging {
    cursor: Vec<usize>,
    /// Entry: twice the rank above the index's low [`BLOCK_BITS`] bits.
    words: Vec<u64>,
}

/// Indices per block of [`Staging`].
pub(crate) const BLOCK: usize = 1 << BLOCK_BITS;
const LOW: u64 = BLOCK as u64 - 1;

impl Staging {
    /// The doubled ranks of `x`, staged.
    pub(crate) fn of(x: &[f64], ranker: &mut Ranker) -> Staging {
        let n = x.len();
        let mut cursor: Vec<usize> = (0..n.div_ceil(BLOCK)).map(|b| b * BLOCK).collect();
        let mut words = vec![0u64; n];
        ranker.for_each(x, |i, t| {
            let c = &mut cursor[i >> BLOCK_BITS];
            words[*c] = (t << BLOCK_BITS) | (i as u64 & LOW);
            *c += 1;
        });
        Staging { cursor, words }
    }

    /// The number of index blocks.
    pub(crate) fn blocks(&self) -> usize {
        self.cursor.len()
    }

    /// Block `b`'s doubled ranks in index order (indices `b·2^BLOCK_BITS ..`), written to the
    /// front of `out`; returns how many.
    pub(crate) fn block(&self, b: usize, out: &mut [u64]) -> usize {
        let from = b * BLOCK;
        let len = (self.words.len() - from).min(BLOCK);
        for &e in &self.words[from..from + len] {
            out[(e & LOW) as usize] = e >> BLOCK_BITS;
        }
        len
    }
}

/// Twice the average ranks of a sample in index order: 4 bytes each (two per word) when they
/// fit, that is below 2^31 elements.
pub(crate) struct IndexRanks {
    words: Vec<u64>,
    compact: bool,
}

impl IndexRanks {
    /// Ranks `x` with `ranker`'s buffers: staged, then every block put in index order and,
    /// below 2^31 elements, packed two ranks per word into the front of the staging array.
    pub(crate) fn of(x: &[f64], ranker: &mut Ranker) -> IndexRanks {
        let n = x.len();
        let mut staging = Staging::of(x, ranker);
        let mut block = vec![0u64; BLOCK];
        if n >= 1 << 31 {
            let mut words = Vec::with_capacity(n);
            for b in 0..staging.blocks() {
                let len = staging.block(b, &mut block);
                words.extend_from_slice(&block[..len]);
            }
            return IndexRanks {
                words,
                compact: false,
            };
        }
        for b in 0..staging.blocks() {
            let len = staging.block(b, &mut block);
            // Block b's packed words end at or before its own staging region starts (b ≥ 1),
            // or replace it after it was read (b = 0). Ranks are below 2n < 2^32.
            let to = b * BLOCK / 2;
            for (k, pair) in block[..len].chunks(2).enumerate() {
                let hi = pair.get(1).map_or(0, |&r| r << 32);
                staging.words[to + k] = pair[0] | hi;
            }
        }
        let mut words = staging.words;
        words.truncate(n.div_ceil(2));
        IndexRanks {
            words,
            compact: true,
        }
    }

    /// Twice the average rank of element `i`.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> u64 {
        if self.compact {
            (self.words[i >> 1] >> ((i & 1) << 5)) & 0xFFFF_FFFF
        } else {
            self.words[i]
        }
    }
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
    /// For `n` keys whose differing bits are `differ` (non-zero).
    fn new(n: usize, differ: u64) -> Packing {
        let top = 64 - differ.leading_zeros();
        let span = top - differ.trailing_zeros();
        let idx_bits = (u64::BITS - (n as u64 - 1).leading_zeros()).max(1);
        let field_bits = span.min(64 - idx_bits);
        let coarse_bits = span.min(COARSE_BITS);
        Packing {
            idx_bits,
            field_shift: top - field_bits,
            field_mask: (1u64 << field_bits) - 1,
            exact: span <= field_bits,
            coarse_shift: top - coarse_bits,
            coarse_mask: (1u64 << coarse_bits) - 1,
        }
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

    /// Scatters the packed elements of `x` into `out` by bucket; returns the bucket boundaries
    /// (`starts[b]..starts[b + 1]`).
    ///
    /// The buckets are runs of consecutive coarse digits ([`merge_digits`]), so skewed keys
    /// (scores crowded into one or two binary exponents) still give even buckets. A small
    /// sample is one bucket.
    fn scatter(&self, x: &[f64], out: &mut [u64]) -> Vec<usize> {
        let n = x.len();
        if n <= 1 << BUCKET_BITS {
            for (i, (o, &v)) in out.iter_mut().zip(x).enumerate() {
                *o = self.pack(f64_key(v), i);
            }
            return vec![0, n];
        }
        let mut counts = vec![0u32; self.coarse_mask as usize + 1];
        for &v in x {
            counts[self.coarse(f64_key(v))] += 1;
        }
        let (map, starts) = merge_digits(&counts, n);
        let mut next = starts.clone();
        for (i, &v) in x.iter().enumerate() {
            let k = f64_key(v);
            let b = map[self.coarse(k)] as usize;
            out[next[b]] = self.pack(k, i);
            next[b] += 1;
        }
        starts
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

/// Sorts one bucket's packed elements ascending into `out`: one radix level on the field bits
/// the bucket does not share (about one element per sub-bucket), then one insertion sort of
/// the whole bucket when every sub-bucket is short, else insertion sorts of the short
/// sub-buckets and a radix sort of each long one.
fn sort_bucket(bucket: &[u64], idx_bits: u32, out: &mut Vec<u64>, work: &mut Work) {
    out.clear();
    let m = bucket.len();
    if m <= INSERTION {
        out.extend_from_slice(bucket);
        insertion_sort(out);
        return;
    }
    let differ = differing_bits(bucket.iter().map(|&v| v >> idx_bits));
    if differ == 0 {
        // One key: any order is sorted (ties are ranked together).
        out.extend_from_slice(bucket);
        return;
    }
    out.resize(m, 0);
    let top = 64 - differ.leading_zeros();
    let bits = (usize::BITS - (m - 1).leading_zeros())
        .clamp(1, SUB_BITS)
        .min(top);
    let shift = idx_bits + top - bits;
    let mask = (1u64 << bits) - 1;
    if work.counts.len() <= mask as usize {
        work.counts.resize(mask as usize + 1, 0);
    }
    let counts = &mut work.counts[..=mask as usize];
    counts.fill(0);
    for &v in bucket {
        counts[((v >> shift) & mask) as usize] += 1;
    }
    let (mut acc, mut widest) = (0u32, 0u32);
    for c in counts.iter_mut() {
        let here = *c;
        *c = acc;
        acc += here;
        widest = widest.max(here);
    }
    for &v in bucket {
        let d = ((v >> shift) & mask) as usize;
        out[counts[d] as usize] = v;
        counts[d] += 1;
    }
    if widest as usize <= INSERTION {
        // Sub-buckets are in order and short: one insertion sort of the whole bucket costs
        // O(m · INSERTION) at worst and walks no counters.
        insertion_sort(out);
        return;
    }
    // `counts` now holds each sub-bucket's end.
    let mut start = 0usize;
    for &end in counts.iter() {
        let end = end as usize;
        let sub = &mut out[start..end];
        if sub.len() > INSERTION {
            work.scratch.resize(sub.len(), 0);
            radix_sort_by_key_with(sub, &mut work.scratch, |&v| v);
        } else if sub.len() > 1 {
            insertion_sort(sub);
        }
        start = end;
    }
}

/// Reused buffers of [`sort_bucket`].
#[derive(Default)]
struct Work {
    counts: Vec<u32>,
    scratch: Vec<u64>,
}

fn insertion_sort(v: &mut [u64]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Average ranks by the textbook method (comparison sort, tie groups averaged).
    fn naive_ranks(x: &[f64]) -> Vec<f64> {
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
