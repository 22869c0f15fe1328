//! Linear-time MSD radix sort on `u64` keys (used for 10^7-element score sorts) and the
//! order-preserving map from `f64` to `u64`. Average ranks have their own pass in `rank`.

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

/// Sorts `v` ascending by `key` (not stable) in `O(n)`, with one scratch buffer as long as `v`.
///
/// MSD radix sort whose digit, at each level, is the bits just below those that every key of the
/// (sub)slice shares, so skewed keys (scores in `[0, 1)` share their sign and most exponent bits)
/// spend no level on constant bits. The digit is up to [`MAX_BITS`] wide and narrows with the
/// bucket (about `log2(n / 4)` bits); buckets of at most [`SMALL`] elements are sorted by
/// comparison. Levels alternate between `v` and the scratch buffer, so no level copies its data
/// back.
pub(crate) fn radix_sort_by_key<T: Copy + Default, F: Fn(&T) -> u64>(v: &mut [T], key: F) {
    if v.len() <= SMALL {
        v.sort_unstable_by_key(&key);
        return;
    }
    let mut buf = vec![T::default(); v.len()];
    radix_sort_by_key_with(v, &mut buf, key);
}

/// [`radix_sort_by_key`] with a caller's scratch buffer (`buf.len() == v.len()`).
pub(crate) fn radix_sort_by_key_with<T: Copy, F: Fn(&T) -> u64>(
    v: &mut [T],
    buf: &mut [T],
    key: F,
) {
    if v.len() <= SMALL {
        v.sort_unstable_by_key(&key);
        return;
    }
    msd(v, buf, &key, false);
}

/// The bits in which `keys` are not all equal (0 when they are, or when there are none).
#[inline]
pub(crate) fn differing_bits(keys: impl Iterator<Item = u64>) -> u64 {
    let (all, any) = keys.fold((u64::MAX, 0u64), |(a, o), k| (a & k, o | k));
    // Bits set in some key but not in every key (`all ^ any` would be all ones for no keys).
    any & !all
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
        let differ = differing_bits(keys);
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

/// One MSD level: distributes the elements of `src` into `dst` (same length), bucketed by the
/// digit below the prefix that all their keys share. Returns the digit and each bucket's end
/// offset, or `None` (and leaves `dst` untouched) when every key is equal.
fn distribute<T: Copy, F>(src: &[T], dst: &mut [T], key: &F) -> Option<(Digit, Vec<usize>)>
where
    F: Fn(&T) -> u64,
{
    let digit = Digit::for_keys(src.len(), src.iter().map(key))?;
    let mut offs = vec![0usize; digit.buckets()];
    for t in src {
        offs[digit.of(key(t))] += 1;
    }
    // Counts to start offsets; after the scatter they are the end offsets.
    let mut acc = 0;
    for o in offs.iter_mut() {
        let c = *o;
        *o = acc;
        acc += c;
    }
    for t in src {
        let d = digit.of(key(t));
        dst[offs[d]] = *t;
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
    let Some((digit, ends)) = distribute(a, b, key) else {
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
