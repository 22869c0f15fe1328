//! Linear-time LSD radix sort on `u64` keys (used for 10^7-element score sorts) and the
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

/// Sorts `v` ascending by `key` (stable), 8 bits per pass, skipping passes where all keys agree.
/// Below 4096 elements a comparison sort is used.
pub(crate) fn radix_sort_by_key<T: Copy + Default, F: Fn(&T) -> u64>(v: &mut Vec<T>, key: F) {
    let n = v.len();
    if n < 4096 {
        v.sort_by_key(|x| key(x));
        return;
    }
    let mut counts = vec![[0usize; 256]; 8];
    for x in v.iter() {
        let k = key(x);
        for (p, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * p)) & 0xff) as usize] += 1;
        }
    }
    let mut buf: Vec<T> = vec![T::default(); n];
    for (p, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut offs = [0usize; 256];
        let mut acc = 0;
        for (o, &m) in offs.iter_mut().zip(c.iter()) {
            *o = acc;
            acc += m;
        }
        for x in v.iter() {
            let b = ((key(x) >> (8 * p)) & 0xff) as usize;
            buf[offs[b]] = *x;
            offs[b] += 1;
        }
        std::mem::swap(v, &mut buf);
    }
}

/// Sorted (ascending) keys of `x`.
pub(crate) fn sorted_keys(x: impl Iterator<Item = f64>) -> Vec<u64> {
    let mut k: Vec<u64> = x.map(f64_key).collect();
    radix_sort_by_key(&mut k, |&v| v);
    k
}

/// 1-based average ranks (scipy `rankdata(method="average")`).
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
}
