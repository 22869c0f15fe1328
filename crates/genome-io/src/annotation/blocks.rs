//! Whole lines of a stream in blocks of about a given size, so that a line-oriented format can be
//! parsed on several threads while the blocks are applied in file order.

use std::io::{self, BufRead, Read};

/// The least read once a block is full but its last line is not.
const MIN_READ: usize = 64 << 10;

/// Reads whole lines in blocks of at least `size` bytes, each ending at the first line end once
/// it is full (the last block may be shorter, and lacks the newline when the stream does).
pub(crate) struct LineBlocks<R> {
    inner: R,
    size: usize,
    /// The bytes read past the last newline of the previous block.
    carry: Vec<u8>,
}

impl<R: BufRead> LineBlocks<R> {
    pub fn new(inner: R, size: usize) -> Self {
        LineBlocks {
            inner,
            size: size.max(1),
            carry: Vec::new(),
        }
    }

    /// Reads the next block into `buf` (cleared first); returns `false` at the end of the stream.
    /// The bytes are read straight into `buf` (a `BufReader` passes reads this large through).
    pub fn read_block(&mut self, buf: &mut Vec<u8>) -> io::Result<bool> {
        buf.clear();
        buf.append(&mut self.carry);
        // The block ends at the first newline at or after byte `size - 1`; bytes before
        // `from` have been searched for it.
        let mut from = self.size - 1;
        loop {
            if buf.len() > from {
                if let Some(i) = memchr::memchr(b'\n', &buf[from..]) {
                    let cut = from + i + 1;
                    self.carry.extend_from_slice(&buf[cut..]);
                    buf.truncate(cut);
                    return Ok(true);
                }
                from = buf.len();
            }
            let want = self.size.saturating_sub(buf.len()).max(MIN_READ);
            if (&mut self.inner).take(want as u64).read_to_end(buf)? == 0 {
                return Ok(!buf.is_empty());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks of `text` read through a `BufReader` of capacity `cap`.
    fn blocks(text: &[u8], size: usize, cap: usize) -> Vec<Vec<u8>> {
        let mut r = LineBlocks::new(io::BufReader::with_capacity(cap, text), size);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while r.read_block(&mut buf).expect("in-memory read") {
            out.push(buf.clone());
        }
        out
    }

    #[test]
    fn blocks_are_whole_lines_that_rebuild_the_stream() {
        let text = b"a\nbb\n\nccccccccccccc\nd\ne";
        for size in 1..30 {
            for cap in [1, 2, 3, 7, 64] {
                let got = blocks(text, size, cap);
                assert_eq!(got.concat(), text, "size {size} cap {cap}");
                let (last, rest) = got.split_last().expect("a non-empty stream");
                for b in rest {
                    // The block stops at the first line end once it is full.
                    assert!(b.len() >= size && b.ends_with(b"\n"), "{b:?} size {size}");
                    let past = memchr::memchr_iter(b'\n', &b[size - 1..]).count();
                    assert_eq!(past, 1, "{b:?} size {size}");
                }
                assert!(!last.is_empty());
            }
        }
    }

    #[test]
    fn empty_stream_has_no_block() {
        assert!(blocks(b"", 4, 8).is_empty());
        assert_eq!(blocks(b"\n", 4, 8), vec![b"\n".to_vec()]);
    }
}
