//! Sorting one first-level bucket of packed `field << idx_bits | index` elements in cache.
//!
//! A bucket holds a few thousand elements (more where many scores share a coarse digit). Its
//! digit spans the bucket's fields from the smallest to the largest, not merely the bits they
//! do not share: a bucket whose fields straddle a power of two (say `0x7ff…` to `0x800…`)
//! differs in every bit, and a digit taken from its top bits would put nearly all of it into
//! two sub-buckets.

use crate::sort::radix_sort_by_key_with;

/// Widest digit of one radix pass over a part.
const SUB_BITS: u32 = 16;
/// Sub-buckets up to this long are insertion-sorted; longer ones are radix-sorted.
const INSERTION: usize = 24;
/// Buckets longer than `2^SPLIT_BITS` elements (64 KiB) are first split by their top bits
/// into parts of at most about that size, so that each part is sorted within L1 and L2.
const SPLIT_BITS: u32 = 13;

/// Reused buffers of [`sort_bucket`].
#[derive(Default)]
pub(super) struct Work {
    counts: Vec<u32>,
    ends: Vec<u32>,
    parts: Vec<u64>,
    scratch: Vec<u64>,
}

/// The digit `(v - base) >> shift` of a slice's elements: the top bits of their field's offset
/// from the smallest field, so it is monotone in the element and spans all its values.
struct RangeDigit {
    base: u64,
    shift: u32,
    bits: u32,
}

impl RangeDigit {
    /// A digit of at most `bits` bits over the fields (`e >> idx_bits`) of `v`; `None` when
    /// they are all equal.
    fn of(v: &[u64], idx_bits: u32, bits: u32) -> Option<RangeDigit> {
        let (lo, hi) = v
            .iter()
            .fold((u64::MAX, 0), |(lo, hi), &e| (lo.min(e), hi.max(e)));
        let (lo, hi) = (lo >> idx_bits, hi >> idx_bits);
        if lo >= hi {
            return None;
        }
        let span = u64::BITS - (hi - lo).leading_zeros();
        let bits = bits.min(span);
        Some(RangeDigit {
            base: lo << idx_bits,
            shift: idx_bits + span - bits,
            bits,
        })
    }

    #[inline]
    fn of_elem(&self, e: u64) -> usize {
        ((e - self.base) >> self.shift) as usize
    }

    /// Counts `src` by digit, then scatters it into `dst` in digit order. Afterwards
    /// `counts[d]` is the end of sub-bucket `d` in `dst`; returns the longest sub-bucket.
    fn distribute(&self, src: &[u64], dst: &mut [u64], counts: &mut Vec<u32>) -> u32 {
        counts.clear();
        counts.resize(1 << self.bits, 0);
        for &e in src {
            counts[self.of_elem(e)] += 1;
        }
        let (mut acc, mut widest) = (0u32, 0u32);
        for c in counts.iter_mut() {
            let here = *c;
            *c = acc;
            acc += here;
            widest = widest.max(here);
        }
        for &e in src {
            let d = self.of_elem(e);
            dst[counts[d] as usize] = e;
            counts[d] += 1;
        }
        widest
    }
}

/// Sorts one bucket's packed elements ascending into `out` (fields first, so indices break
/// ties). A bucket longer than `2^SPLIT_BITS` is split into parts by a first, coarser digit.
pub(super) fn sort_bucket(bucket: &[u64], idx_bits: u32, out: &mut Vec<u64>, work: &mut Work) {
    let m = bucket.len();
    out.clear();
    out.resize(m, 0);
    if m <= 1 << SPLIT_BITS {
        sort_part(bucket, out, idx_bits, work);
        return;
    }
    let bits = usize::BITS - (m - 1).leading_zeros() - SPLIT_BITS + 1;
    let Some(digit) = RangeDigit::of(bucket, idx_bits, bits.min(SUB_BITS)) else {
        // One field: any order is sorted (ties are ranked together).
        out.copy_from_slice(bucket);
        return;
    };
    let mut parts = std::mem::take(&mut work.parts);
    let mut ends = std::mem::take(&mut work.ends);
    parts.clear();
    parts.resize(m, 0);
    digit.distribute(bucket, &mut parts, &mut ends);
    let mut start = 0;
    for &end in &ends {
        let end = end as usize;
        sort_part(&parts[start..end], &mut out[start..end], idx_bits, work);
        start = end;
    }
    (work.parts, work.ends) = (parts, ends);
}

/// Sorts `src` into `dst` (same length): one radix pass of about one element per sub-bucket,
/// then one insertion sort of the whole part when every sub-bucket is short, else insertion
/// sorts of the short sub-buckets and a radix sort of each long one.
fn sort_part(src: &[u64], dst: &mut [u64], idx_bits: u32, work: &mut Work) {
    let m = src.len();
    if m <= INSERTION {
        dst.copy_from_slice(src);
        insertion_sort(dst);
        return;
    }
    let bits = (usize::BITS - (m - 1).leading_zeros()).min(SUB_BITS);
    let Some(digit) = RangeDigit::of(src, idx_bits, bits) else {
        dst.copy_from_slice(src);
        return;
    };
    if digit.distribute(src, dst, &mut work.counts) as usize <= INSERTION {
        // Sub-buckets are in order and short: one insertion sort costs O(m · INSERTION) at
        // worst and walks no counters.
        insertion_sort(dst);
        return;
    }
    let mut start = 0;
    for &end in &work.counts {
        let end = end as usize;
        let sub = &mut dst[start..end];
        if sub.len() > INSERTION {
            work.scratch.resize(sub.len(), 0);
            radix_sort_by_key_with(sub, &mut work.scratch[..sub.len()], |&v| v);
        } else if sub.len() > 1 {
            insertion_sort(sub);
        }
        start = end;
    }
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

    /// Packed elements whose fields sit around `centre` (spread `spread`, with exact repeats),
    /// each with its own index below `2^idx_bits`.
    fn elements(centre: u64, spread: u64, raw: &[u64], idx_bits: u32) -> Vec<u64> {
        raw.iter()
            .enumerate()
            .map(|(i, &r)| {
                let field = match r % 3 {
                    0 => centre,
                    _ => (centre - spread / 2).wrapping_add((r >> 2) % spread.max(1)),
                };
                (field << idx_bits) | i as u64
            })
            .collect()
    }

    #[test]
    fn buckets_of_every_size_and_span_are_sorted() {
        let mut work = Work::default();
        let mut out = Vec::new();
        // Fields straddling a power of two (every bit differs), narrow and wide spans, and
        // buckets below and above the split size.
        for (centre, spread) in [(1u64 << 30, 1000), (1 << 30, 1 << 29), (5000, 3), (77, 1)] {
            for m in [1usize, 24, 25, 5_000, 8_192, 8_193, 40_000] {
                let raw: Vec<u64> = (0..m as u64)
                    .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(23))
                    .collect();
                let bucket = elements(centre, spread, &raw, 17);
                sort_bucket(&bucket, 17, &mut out, &mut work);
                let mut want = bucket.clone();
                want.sort_unstable();
                assert_eq!(out, want, "centre {centre} spread {spread} m {m}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn sorted_like_std(
            raw in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..20_000),
            centre in 1u64 << 20..1 << 40,
            spread_bits in 0u32..20,
        ) {
            let bucket = elements(centre, 1 << spread_bits, &raw, 15);
            let mut out = Vec::new();
            sort_bucket(&bucket, 15, &mut out, &mut Work::default());
            let mut want = bucket;
            want.sort_unstable();
            proptest::prop_assert_eq!(out, want);
        }
    }
}
