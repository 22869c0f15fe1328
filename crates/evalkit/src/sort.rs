//! Linear-time MSD radix sort on `u64` keys (used for 10^7-element score sorts) and the
//! order-preserving map from `f64` to `u64`.

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
const SMALL: usize = 32;
/// Widest radix digit (4,096 buckets: the counts stay in L1, the write streams in L2).
const MAX_BITS: u32 = 12;

/// Sorts `v` ascending by `key` (not stable) in `O(n)`: MSD radix sort whose digit, at each
/// level, is the bits just below those that every key of the (sub)slice shares, so skewed keys
/// (scores in `[0, 1)` share their sign and most exponent bits) spend no level on constant bits.
/// The digit is up to [`MAX_BITS`] wide and narrows with the bucket (about `log2(n / 4)` bits);
/// buckets of at most [`SMALL`] elements are sorted by comparison.
pub(crate) fn radix_sort_by_key<T: Copy + Default, F: Fn(&T) -> u64>(v: &mut [T], key: F) {
    if v.len() <= SMALL {
        v.sort_unstable_by_key(&key);
        return;
    }
    let mut buf = vec![T::default(); v.len()];
    msd(v, &mut buf, &key);
}

/// One MSD level on `v` (scratch `buf`, same length), then the buckets recursively.
fn msd<T: Copy, F: Fn(&T) -> u64>(v: &mut [T], buf: &mut [T], key: &F) {
    let n = v.len();
    if n <= SMALL {
        v.sort_unstable_by_key(key);
        return;
    }
    let (mut lo, mut hi) = (u64::MAX, 0u64);
    for x in v.iter() {
        let k = key(x);
        lo = lo.min(k);
        hi = hi.max(k);
    }
    if lo == hi {
        return;
    }
    // Bits at and above `top` are the same in every key.
    let top = 64 - (lo ^ hi).leading_zeros();
    let bits = (usize::BITS - (n / 4).leading_zeros()).clamp(4, MAX_BITS);
    let shift = top.saturating_sub(bits);
    let mask = (1u64 << bits) - 1;
    let digit = |x: &T| ((key(x) >> shift) & mask) as usize;
    // counts, then start offsets, then (after the scatter) end offsets of each bucket.
    let mut offs = vec![0usize; 1 << bits];
    for x in v.iter() {
        offs[digit(x)] += 1;
    }
    let mut acc = 0;
    for o in offs.iter_mut() {
        let c = *o;
        *o = acc;
        acc += c;
    }
    for x in v.iter() {
        let d = digit(x);
        buf[offs[d]] = *x;
        offs[d] += 1;
    }
    v.copy_from_slice(buf);
    if shift == 0 {
        // Every bit is consumed: each bucket holds one key.
        return;
    }
    let mut start = 0;
    for end in offs {
        if end - start > 1 {
            msd(&mut v[start..end], &mut buf[start..end], key);
        }
        start = end;
    }
}

/// 1-based average ranks (scipy `rankdata(method="average")`). At most 2^32 − 1 values.
pub(crate) fn average_ranks(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut idx: Vec<(u64, u32)> = x
        .iter()
        .enumerate()
        .map(|(i, &v)| (f64_key(v), i as u32))
        .collect();
    radix_sort_by_key(&mut idx, |p| p.0);
    let mut ranks = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && idx[j].0 == idx[i].0 {
            j += 1;
        }
        // ranks i+1 ..= j, average (i + 1 + j) / 2
        let r = (i + 1 + j) as f64 / 2.0;
        for p in &idx[i..j] {
            ranks[p.1 as usize] = r;
        }
        i = j;
    }
    ranks
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
            proptest::prop_assert_eq!(got, want);
            let mut seen: Vec<u32> = pairs.iter().map(|p| p.1).collect();
            seen.sort_unstable();
            proptest::prop_assert!(seen.iter().enumerate().all(|(i, &j)| i as u32 == j));
            proptest::prop_assert!(pairs.iter().all(|&(k, i)| keys[i as usize] == k));
        }
    }
}
