//! Ranks handed out in value order, put back in index order one block of indices at a time.

use super::Ranker;

/// Indices per block of the rank write-back: a block's ranks (1 MiB) are put in index order
/// within L2, and 10^7 elements write into 77 staging streams. (2^14-index blocks, 610
/// streams for 10^7, took 4–10 % more user time per Spearman call: `docs/benchmarks.md`.)
const BLOCK_BITS: u32 = 17;
/// Indices per block of [`Staging`].
pub(crate) const BLOCK: usize = 1 << BLOCK_BITS;
const LOW: u64 = BLOCK as u64 - 1;

/// Ranks handed out in value order, gathered by index block.
///
/// Writing each rank straight to its index misses the cache on almost every write once `n`
/// outgrows it. Instead each rank is appended to its index block's region of a staging array
/// (a block of `2^BLOCK_BITS` indices owns exactly that many slots, so no counting pass is
/// needed, and the writes stream into one open region per block); a block is later put in
/// index order within itself, in cache ([`Staging::block`]).
pub(crate) struct Staging<'a> {
    blocks: usize,
    /// Entry: twice the rank above the index's low [`BLOCK_BITS`] bits.
    words: &'a [u64],
}

impl<'a> Staging<'a> {
    /// The doubled ranks of `x`, staged in the first `x.len()` words of `words` (at least
    /// that long).
    pub(crate) fn of(x: &[f64], ranker: &mut Ranker, words: &'a mut [u64]) -> Staging<'a> {
        let words = &mut words[..x.len()];
        let blocks = stage(x, ranker, words);
        Staging { blocks, words }
    }

    /// The number of index blocks.
    pub(crate) fn blocks(&self) -> usize {
        self.blocks
    }

    /// Block `b`'s doubled ranks in index order (indices `b·2^BLOCK_BITS ..`), written to the
    /// front of `out`; returns how many.
    pub(crate) fn block(&self, b: usize, out: &mut [u64]) -> usize {
        block_of(self.words, b, out)
    }
}

/// Stages the doubled ranks of `x` in `words` (exactly `x.len()` long); returns the number of
/// index blocks.
fn stage(x: &[f64], ranker: &mut Ranker, words: &mut [u64]) -> usize {
    let mut cursor: Vec<usize> = (0..x.len().div_ceil(BLOCK)).map(|b| b * BLOCK).collect();
    ranker.for_each(x, |i, t| {
        let c = &mut cursor[i >> BLOCK_BITS];
        words[*c] = (t << BLOCK_BITS) | (i as u64 & LOW);
        *c += 1;
    });
    cursor.len()
}

/// Block `b` of staged `words`, in index order, into the front of `out`; returns its length.
fn block_of(words: &[u64], b: usize, out: &mut [u64]) -> usize {
    let from = b * BLOCK;
    let len = (words.len() - from).min(BLOCK);
    for &e in &words[from..from + len] {
        out[(e & LOW) as usize] = e >> BLOCK_BITS;
    }
    len
}

/// Twice the average ranks of a sample in index order: 4 bytes each (two per word) when they
/// fit, that is below 2^31 elements.
pub(crate) struct IndexRanks<'a> {
    words: &'a [u64],
    compact: bool,
}

impl<'a> IndexRanks<'a> {
    /// Words of [`IndexRanks::of`]'s result for `n` ranks.
    pub(crate) fn words_for(n: usize) -> usize {
        if n < 1 << 31 { n.div_ceil(2) } else { n }
    }

    /// Ranks `x` with `ranker`'s buffers, staged in `words` (at least `x.len()` long), then
    /// puts every block in index order within the front of `words` (packed two ranks per
    /// word below 2^31 elements). Returns the ranks and the rest of `words` (from
    /// [`IndexRanks::words_for`] on), free for another use.
    pub(crate) fn of(
        x: &[f64],
        ranker: &mut Ranker,
        words: &'a mut [u64],
    ) -> (IndexRanks<'a>, &'a mut [u64]) {
        let n = x.len();
        let compact = n < 1 << 31;
        let blocks = stage(x, ranker, &mut words[..n]);
        let mut block = vec![0u64; BLOCK];
        for b in 0..blocks {
            let len = block_of(&words[..n], b, &mut block);
            // Block b's ranks end at or before its own staging region starts (b ≥ 1), or
            // replace it after it was read (b = 0). Ranks are below 2n < 2^32 when compact.
            if compact {
                let to = b * BLOCK / 2;
                for (k, pair) in block[..len].chunks(2).enumerate() {
                    let hi = pair.get(1).map_or(0, |&r| r << 32);
                    words[to + k] = pair[0] | hi;
                }
            } else {
                words[b * BLOCK..b * BLOCK + len].copy_from_slice(&block[..len]);
            }
        }
        let (front, rest) = words.split_at_mut(Self::words_for(n));
        (
            IndexRanks {
                words: front,
                compact,
            },
            rest,
        )
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

/// Exact sums `Σ cx·cy`, `Σ cx²`, `Σ cy²` of doubled centred ranks `c = 2·rank − (n + 1)`
/// (integers with `|c| ≤ n − 1`). Products are added in `i64` over parts of
/// [`CentredSums::part_len`] pairs, which cannot overflow, and the parts in `i128`.
pub(crate) struct CentredSums {
    pub(crate) xy: i128,
    pub(crate) xx: i128,
    pub(crate) yy: i128,
    /// `n + 1`, twice the mean rank.
    m: i64,
    /// Pairs per `i64` part; 0 for products in `i128`.
    part: usize,
}

impl CentredSums {
    /// Empty sums for two samples of `n`.
    pub(crate) fn new(n: usize) -> CentredSums {
        CentredSums {
            xy: 0,
            xx: 0,
            yy: 0,
            m: n as i64 + 1,
            part: Self::part_len(n),
        }
    }

    /// Pairs per `i64` part for samples of `n`: at most [`BLOCK`], with
    /// `part · (n − 1)² ≤ 2^62`; 0 when one product may not fit (`n − 1 > 2^31`), and every
    /// product is then added in `i128`.
    pub(crate) fn part_len(n: usize) -> usize {
        let square = (n as u128).saturating_sub(1).pow(2).max(1);
        ((1u128 << 62) / square).min(BLOCK as u128) as usize
    }

    /// Adds the pairs `(twice_x(k), twice_y[k])` for every `k` of `twice_y`, both twice an
    /// average rank.
    pub(crate) fn add(&mut self, twice_x: impl Fn(usize) -> u64, twice_y: &[u64]) {
        if self.part == 0 {
            let [xy, xx, yy] = self.sums::<i128>(&twice_x, twice_y, 0);
            self.push(xy, xx, yy);
            return;
        }
        for (p, ys) in twice_y.chunks(self.part).enumerate() {
            let [xy, xx, yy] = self.sums::<i64>(&twice_x, ys, p * self.part);
            self.push(xy.into(), xx.into(), yy.into());
        }
    }

    /// The three sums over `twice_y` paired with `twice_x(from ..)`, in `T`.
    fn sums<T>(&self, twice_x: &impl Fn(usize) -> u64, twice_y: &[u64], from: usize) -> [T; 3]
    where
        T: Copy + Default + From<i64> + std::ops::Mul<Output = T> + std::ops::AddAssign,
    {
        let (mut xy, mut xx, mut yy) = (T::default(), T::default(), T::default());
        for (q, &t) in twice_y.iter().enumerate() {
            let cx = T::from(twice_x(from + q) as i64 - self.m);
            let cy = T::from(t as i64 - self.m);
            xy += cx * cy;
            xx += cx * cx;
            yy += cy * cy;
        }
        [xy, xx, yy]
    }

    fn push(&mut self, xy: i128, xx: i128, yy: i128) {
        self.xy += xy;
        self.xx += xx;
        self.yy += yy;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::naive_ranks;
    use super::*;

    /// Two blocks and part of a third, a tie group spanning a block boundary in index order,
    /// and every block's ranks restored.
    #[test]
    fn staged_ranks_come_back_in_index_order() {
        let n = 2 * BLOCK + 12_345;
        let x: Vec<f64> = (0..n as u64)
            .map(|i| match i % 5 {
                0 => 7.5,
                _ => (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as f64 * 0.25,
            })
            .collect();
        let want: Vec<u64> = naive_ranks(&x).iter().map(|&r| (2.0 * r) as u64).collect();
        let mut words = vec![0u64; IndexRanks::words_for(n) + n];
        let mut ranker = Ranker::default();
        let (ranks, rest) = IndexRanks::of(&x, &mut ranker, &mut words);
        assert_eq!((0..n).map(|i| ranks.get(i)).collect::<Vec<_>>(), want);
        let staged = Staging::of(&x, &mut ranker, rest);
        assert_eq!(staged.blocks(), 3);
        let mut block = vec![0u64; BLOCK];
        let mut got = Vec::new();
        for b in 0..staged.blocks() {
            let len = staged.block(b, &mut block);
            got.extend_from_slice(&block[..len]);
        }
        assert_eq!(got, want);
    }

    #[test]
    fn part_sums_cannot_overflow() {
        for n in [
            1usize,
            2,
            1_000,
            10_000_000,
            1 << 31,
            (1 << 31) + 1,
            (1 << 31) + 2,
            1 << 40,
        ] {
            let part = CentredSums::part_len(n);
            let square = (n as u128).saturating_sub(1).pow(2);
            assert!(part <= BLOCK, "n = {n}");
            if part == 0 {
                assert!(square > 1 << 62, "n = {n}");
            } else {
                assert!(part as u128 * square <= 1 << 62, "n = {n}");
            }
        }
        // Doubled centred ranks as large as a sample of 2^31 + 1 allows, summed in parts of
        // one pair (the smallest) and product by product in i128: the same sums.
        let n = (1u64 << 31) + 1;
        assert_eq!(CentredSums::part_len(n as usize), 1);
        let xs = [2, 2 * n, 2 * n, 2, n + 1, 3];
        let ys = [2 * n, 2, 2 * n, 2, 7, n];
        let mut sums = [
            CentredSums::new(n as usize),
            CentredSums {
                part: 0,
                ..CentredSums::new(n as usize)
            },
        ];
        for s in &mut sums {
            s.add(|k| xs[k], &ys);
        }
        let want_xy: i128 = xs
            .iter()
            .zip(&ys)
            .map(|(&a, &b)| (a as i128 - n as i128 - 1) * (b as i128 - n as i128 - 1))
            .sum();
        for s in &sums {
            assert_eq!(s.xy, want_xy);
        }
        assert_eq!((sums[0].xx, sums[0].yy), (sums[1].xx, sums[1].yy));
    }
}
