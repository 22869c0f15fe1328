//! Input plumbing: compression sniffing (magic bytes) and a `BufRead` wrapper that counts lines.

use std::io::{self, BufRead, Read};
use std::path::Path;

use crate::Result;

/// Opens `path` for buffered reading, transparently decompressing gzip and bgzip (both start with
/// the gzip magic bytes `1f 8b`; bgzip is a series of gzip members, read with a multi-member
/// decoder). The same function as [`crate::expression::open_maybe_gz`], under the name the
/// annotation module has always exported.
pub fn open_maybe_gzip(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    crate::expression::open_maybe_gz(path)
}

/// A `BufRead` that counts the newlines consumed, so that a line-oriented parser on top of it
/// (noodles skips blank lines in GFF3) can report the 1-based number of the line it just read.
pub(crate) struct LineCounter<R> {
    inner: R,
    newlines: u64,
    last_was_newline: bool,
}

impl<R: BufRead> LineCounter<R> {
    pub fn new(inner: R) -> Self {
        LineCounter {
            inner,
            newlines: 0,
            last_was_newline: true,
        }
    }

    /// Newlines consumed so far.
    pub fn newlines(&self) -> u64 {
        self.newlines
    }

    /// 1-based number of the line whose end was consumed last.
    pub fn current_line(&self) -> u64 {
        if self.last_was_newline {
            self.newlines
        } else {
            self.newlines + 1
        }
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt > 0
            && let Ok(buf) = self.inner.fill_buf()
        {
            let taken = &buf[..amt.min(buf.len())];
            self.newlines += memchr::memchr_iter(b'\n', taken).count() as u64;
            if let Some(&last) = taken.last() {
                self.last_was_newline = last == b'\n';
            }
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_through_read_until() {
        let mut r = LineCounter::new(&b"a\n\nb\nc"[..]);
        let mut buf = Vec::new();
        let mut seen = Vec::new();
        loop {
            buf.clear();
            if r.read_until(b'\n', &mut buf).expect("read") == 0 {
                break;
            }
            seen.push(r.current_line());
        }
        assert_eq!(seen, vec![1, 2, 3, 4]);
    }
}
