//! Linear-time MSD radix sort on `u64` keys (used for 10^7-element score sorts) and the
//! order-preserving map from `f64` to `u64`.

use std::ops::Range;

/// Maps a finite `f64` to a `u64` whose unsigned order is the numeric order; `-0.0` and `0.0`
/// map to the same key (they compare equal, as numpy's ties do).
#[inline]
pub(crate) fn f64_key(x: f64) -> u64 {
    let bits = (x + 0.0).to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits ^ (1 << 63)
    }
}

/// Inverse of [`f64_key`].
#[inline]
pub(crate) fn key_f64(k: u64) -> f64 {
    if k >> 63 == 1 {
        f64::from_bits(k ^ (1 << 63))
    } else {
        f64::from_bits(!k)
    }
}

/// Buckets at most this long are finished by a comparison sort.
const SMALL: usize = 64;
/// Widest radix digit (2,048 buckets: the counts stay in L1 and the write streams do not
/// thrash the TLB).
const MAX_BITS: u32 = 11;

/// Sorts `v` ascending by `key` (not stable) in `O(n)`. See [`sorted_from`] for the method;
/// this in-place form uses one scratch buffer as long as `v`.
pub(crate) fn radix_sort_by_key<T: Copy + Default, F: Fn(&T) -> u64>(v: &mut [T], key: F) {
    if v.len() <= SMALL {
        v.sort_unstable_by_key(&key);
        return;
    }
    let mut buf = vec![T::default(); v.len()];
    msd(v, &mut buf, &key, false);
}

/// `make(i, &src[i])` for every `i`, sorted ascending by `key` (not stable), in `O(n)`.
///
/// MSD radix sort whose digit, at each level, is the bits just below those that every key of the
/// (sub)slice shares, so skewed keys (scores in `[0, 1)` share their sign and most exponent bits)
/// spend no level on constant bits. The digit is up to [`MAX_BITS`] wide and narrows with the
/// bucket (about `log2(n / 4)` bits); buckets of at most [`SMALL`] elements are sorted by
/// comparison. The first level scatters straight from `src` (the elements are never written
/// unsorted), and deeper levels alternate between the output and a scratch buffer as long as the
/// largest first-level bucket, so no level copies its data back.
pub(crate) fn sorted_from<S, T, M, F>(src: &[S], make: M, key: F) -> Vec<T>
where
    T: Copy + Default,
    M: Fn(usize, &S) -> T,
    F: Fn(&T) -> u64,
{
    let mut out = vec![T::default(); src.len()];
    let items = src.iter().enumerate().map(|(i, s)| make(i, s));
    let Some((digit, ends)) = distribute(items.clone(), &mut out, &key) else {
        // Every key is equal (or there are none): any order is sorted.
        for (o, t) in out.iter_mut().zip(items) {
            *o = t;
        }
        return out;
    };
    if digit.shift == 0 {
        return out;
    }
    let widest = ranges(&ends).map(|r| r.len()).max().unwrap_or(0);
    let mut scratch = vec![T::default(); widest];
    for r in ranges(&ends) {
        if r.len() > 1 {
            let len = r.len();
            msd(&mut out[r], &mut scratch[..len], &key, false);
        }
    }
    out
}

/// The radix digit of one level: `bits` bits starting at `shift`.
#[derive(Clone, Copy)]
struct Digit {
    shift: u32,
    mask: u64,
}

impl Digit {
    /// The digit for `n` keys: the bits just below the prefix they all share; `None` when every
    /// key is equal.
    fn for_keys(n: usize, keys: impl Iterator<Item = u64>) -> Option<Digit> {
        let (all, any) = keys.fold((u64::MAX, 0u64), |(a, o), k| (a & k, o | k));
        let differ = all ^ any;
        if n < 2 || differ == 0 {
            return None;
        }
        let top = 64 - differ.leading_zeros();
        let bits = (usize::BITS - (n / 4).leading_zeros()).clamp(4, MAX_BITS);
        let shift = top.saturating_sub(bits);
        Some(Digit {
            shift,
            mask: (1u64 << (top - shift)) - 1,
        })
    }

    fn buckets(self) -> usize {
        self.mask as usize + 1
    }

    #[inline]
    fn of(self, k: u64) -> usize {
        ((k >> self.shift) & self.mask) as usize
    }
}

/// One MSD level: distributes the `dst.len()` elements of `items` (iterated three times: the
/// digit, the counts, the scatter) into `dst`, bucketed by the digit below the prefix that all
/// their keys share. Returns the digit and each bucket's end offset, or `None` (and leaves `dst`
/// untouched) when every key is equal.
fn distribute<T, I, F>(items: I, dst: &mut [T], key: &F) -> Option<(Digit, Vec<usize>)>
where
    I: Iterator<Item = T> + Clone,
    F: Fn(&T) -> u64,
{
    let digit = Digit::for_keys(dst.len(), items.clone().map(|t| key(&t)))?;
    let mut offs = vec![0usize; digit.buckets()];
    for t in items.clone() {
        offs[digit.of(key(&t))] += 1;
    }
    // Counts to start offsets; after the scatter they are the end offsets.
    let mut acc = 0;
    for o in offs.iter_mut() {
        let c = *o;
        *o = acc;
        acc += c;
    }
    for t in items {
        let d = digit.of(key(&t));
        dst[offs[d]] = t;
        offs[d] += 1;
    }
    Some((digit, offs))
}

/// The bucket ranges delimited by end offsets.
fn ranges(ends: &[usize]) -> impl Iterator<Item = Range<usize>> + '_ {
    ends.iter().scan(0, |start, &end| {
        let r = *start..end;
        *start = end;
        Some(r)
    })
}

/// Sorts the elements of `a` (scratch `b`, same length); the result lands in `b` when `into_b`,
/// else in `a`.
fn msd<T: Copy, F: Fn(&T) -> u64>(a: &mut [T], b: &mut [T], key: &F, into_b: bool) {
    if a.len() <= SMALL {
        a.sort_unstable_by_key(key);
        if into_b {
            b.copy_from_slice(a);
        }
        return;
    }
    let Some((digit, ends)) = distribute(a.iter().copied(), b, key) else {
        if into_b {
            b.copy_from_slice(a);
        }
        return;
    };
    // The elements are in `b` now, bucketed; each bucket is sorted back into `a` or kept in `b`.
    for r in ranges(&ends) {
        let one_key = digit.shift == 0 || r.len() <= 1;
        let (bb, ab) = (&mut b[r.clone()], &mut a[r]);
        if one_key {
            // One key per bucket: already sorted.
            if !into_b {
                ab.copy_from_slice(bb);
            }
        } else {
            msd(bb, ab, key, !into_b);
        }
    }
}

/// The `(key, index)` pairs of `x` (keys by [`f64_key`]) in ascending key order.
pub(crate) fn sorted_pairs(x: &[f64]) -> Vec<(u64, u32)> {
    sorted_from(x, |i, &v| (f64_key(v), i as u32), |p| p.0)
}

/// Visits the tie groups of ascending `(key, index)` pairs with twice their 1-based average rank
/// (an integer: ranks `i + 1 ..= j` average `(i + 1 + j) / 2`).
fn tie_groups(sorted: &[(u64, u32)], mut f: impl FnMut(&[(u64, u32)], u64)) {
    let n = sorted.len();
    let mut i = 0;
    while i < n {
        let k = sorted[i].0;
        let mut j = i + 1;
        while j < n && sorted[j].0 == k {
            j += 1;
        }
        f(&sorted[i..j], (i + 1 + j) as u64);
        i = j;
    }
}

/// Indices per block of [`twice_ranks`]' two-step scatter (a block's output, 32 KiB, stays in
/// L1 while it is filled).
const BLOCK_BITS: u32 = 12;

/// Twice the 1-based average rank of every element, in index order, from ascending
/// `(key, index)` pairs (one pair per index `0..n`).
///
/// Writing the ranks straight to `out[index]` misses the cache on almost every write once `n`
/// outgrows it. Instead each rank is first appended to its index block's region of a staging
/// array (a block of `2^BLOCK_BITS` indices owns exactly that many slots, so no counting pass
/// is needed; the writes stream into one open region per block), then every block is scattered
/// within itself while it sits in cache.
pub(crate) fn twice_ranks(sorted: &[(u64, u32)]) -> Vec<u64> {
    let n = sorted.len();
    let block = 1usize << BLOCK_BITS;
    let low = (block - 1) as u64;
    let mut cursor: Vec<usize> = (0..n.div_ceil(block)).map(|b| b * block).collect();
    // Entry: twice the rank (< 2^33) above the index's low bits.
    let mut staged = vec![0u64; n];
    tie_groups(sorted, |g, twice| {
        for p in g {
            let i = p.1 as usize;
            let c = &mut cursor[i >> BLOCK_BITS];
            staged[*c] = (twice << BLOCK_BITS) | (i as u64 & low);
            *c += 1;
        }
    });
    let mut out = vec![0u64; n];
    for (from, to) in staged.chunks(block).zip(out.chunks_mut(block)) {
        for &e in from {
            to[(e & low) as usize] = e >> BLOCK_BITS;
        }
    }
    out
}

/// 1-based average ranks (scipy `rankdata(method="average")`). At most 2^32 − 1 values.
pub(crate) fn average_ranks(x: &[f64]) -> Vec<f64> {
    twice_ranks(&sorted_pairs(x))
        .into_iter()
        .map(|t| t as f64 / 2.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_roundtrip_and_order() {
        let xs = [-1e300, -2.5, -0.0, 0.0, 1e-300, 3.0, 1e300];
        for w in xs.windows(2) {
            assert!(f64_key(w[0]) <= f64_key(w[1]));
        }
        for &x in &xs {
            assert_eq!(key_f64(f64_key(x)), x + 0.0);
        }
    }

    #[test]
    fn radix_matches_std_sort() {
        let mut v: Vec<u64> = (0..10_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let mut w = v.clone();
        radix_sort_by_key(&mut v, |&x| x);
        w.sort_unstable();
        assert_eq!(v, w);
    }

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

    proptest::proptest! {
        /// Any mix of spread, skewed and repeated keys sorts as `sort_unstable` does; pairs
        /// keep their payload.
        #[test]
        fn radix_matches_std_sort_on_any_keys(
            raw in proptest::collection::vec((0u64..4, proptest::prelude::any::<u64>()), 0..3000),
            bits in 0u32..64,
        ) {
            // Mode 0: full-width, 1: low `bits` only, 2: few distinct, 3: shared high prefix.
            let keys: Vec<u64> = raw
                .iter()
                .map(|&(m, x)| match m {
                    0 => x,
                    1 => x & ((1u64 << bits) - 1),
                    2 => x % 7,
                    _ => 0x3FF0_0000_0000_0000 | (x >> (64 - bits.max(1))),
                })
                .collect();
            let mut pairs: Vec<(u64, u32)> =
                keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
            radix_sort_by_key(&mut pairs, |p| p.0);
            let mut want = keys.clone();
            want.sort_unstable();
            let got: Vec<u64> = pairs.iter().map(|p| p.0).collect();
            proptest::prop_assert_eq!(got, want.clone());
            let mut seen: Vec<u32> = pairs.iter().map(|p| p.1).collect();
            seen.sort_unstable();
            proptest::prop_assert!(seen.iter().enumerate().all(|(i, &j)| i as u32 == j));
            proptest::prop_assert!(pairs.iter().all(|&(k, i)| keys[i as usize] == k));
            // The scatter-from-source form gives the same keys, each index once.
            let from = sorted_from(&keys, |i, &k| (k, i as u32), |p| p.0);
            let got: Vec<u64> = from.iter().map(|p| p.0).collect();
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert!(from.iter().all(|&(k, i)| keys[i as usize] == k));
            let mut seen: Vec<u32> = from.iter().map(|p| p.1).collect();
            seen.sort_unstable();
            proptest::prop_assert!(seen.iter().enumerate().all(|(i, &j)| i as u32 == j));
        }
    }
}
