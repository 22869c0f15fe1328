//! Ranks handed out in value order, put back in index order one block of indices at a time.

use super::Ranker;

/// Indices per block of the rank write-back (a block's ranks, 128 KiB, stay in L2).
const BLOCK_BITS: u32 = 14;
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
