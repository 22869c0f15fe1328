//! The line loop shared by the line-oriented readers (BED, GMT).

use std::io::BufRead;
use std::path::Path;

use crate::{Error, Result};

/// Reads the next line of `inner` into `buf` (cleared first), counts it in `line` and returns
/// it without its `\n` / `\r\n`; `None` at the end of input.
///
/// Errors: [`Error::Io`] naming `path`.
pub(crate) fn next_line<'b>(
    inner: &mut impl BufRead,
    buf: &'b mut Vec<u8>,
    line: &mut u64,
    path: &Path,
) -> Result<Option<&'b [u8]>> {
    buf.clear();
    let n = inner
        .read_until(b'\n', buf)
        .map_err(|e| Error::io(path, e))?;
    if n == 0 {
        return Ok(None);
    }
    *line += 1;
    let mut text: &[u8] = buf;
    while let [rest @ .., b'\n' | b'\r'] = text {
        text = rest;
    }
    Ok(Some(text))
}
