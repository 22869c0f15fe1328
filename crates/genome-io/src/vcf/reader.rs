//! The streaming [`VcfReader`].

use std::io::{BufRead, Read};
use std::path::PathBuf;

use super::parse::{Fixed, parse_fixed};
use super::{MAX_FIXED_BYTES, SkipCounts, VcfOptions, VcfRecord};
use crate::{Error, Result, VcfError};

/// A streaming VCF reader over any [`BufRead`] (see the [module docs](super)): one
/// [`VcfRecord`] per sequence ALT allele, memory bounded by [`MAX_FIXED_BYTES`] whatever the
/// file size.
///
/// ```
/// use genome_io::vcf::{VcfOptions, VcfReader, VcfRecord};
/// let text = "c\t7\t.\tG\tA,T\t.\t.\t.\nc\tX\t.\tG\tA\t.\t.\t.\nc\t9\t.\tC\t*\t.\t.\t.\n";
/// let opts = VcfOptions { skip_malformed: true };
/// let mut r = VcfReader::new(text.as_bytes(), "<memory>").with_options(opts);
/// let mut v = VcfRecord::default();
/// assert!(r.read_record(&mut v)?);
/// assert_eq!((v.pos, v.alt.as_str(), v.alt_index, v.line), (7, "A", 0, 1));
/// assert!(r.read_record(&mut v)? && v.alt == "T");
/// assert!(!r.read_record(&mut v)?);
/// assert_eq!((r.skips().malformed, r.skips().spanning_deletion), (1, 1));
/// assert_eq!(r.first_malformed().map(|e| e.line()), Some(2));
/// # Ok::<(), genome_io::Error>(())
/// ```
pub struct VcfReader<R> {
    inner: R,
    path: PathBuf,
    opts: VcfOptions,
    line: u64,
    buf: Vec<u8>,
    fixed: Fixed,
    next_alt: usize,
    skips: SkipCounts,
    data_lines: u64,
    records: u64,
    first_malformed: Option<VcfError>,
}

impl<R: BufRead> VcfReader<R> {
    /// Wraps `inner` with the default options (malformed lines are errors); `path` names the
    /// input in errors.
    ///
    /// ```
    /// let r = genome_io::vcf::VcfReader::new(&b""[..], "<memory>");
    /// assert_eq!(r.data_lines(), 0);
    /// ```
    pub fn new(inner: R, path: impl Into<PathBuf>) -> Self {
        VcfReader {
            inner,
            path: path.into(),
            opts: VcfOptions::default(),
            line: 0,
            buf: Vec::new(),
            fixed: Fixed::default(),
            next_alt: 0,
            skips: SkipCounts::default(),
            data_lines: 0,
            records: 0,
            first_malformed: None,
        }
    }

    /// Sets the options.
    ///
    /// ```
    /// use genome_io::vcf::{VcfOptions, VcfReader};
    /// let mut r = VcfReader::new(&b"c\t0\t.\tA\tC\t.\t.\t.\n"[..], "<memory>")
    ///     .with_options(VcfOptions { skip_malformed: true });
    /// assert_eq!(r.next().transpose()?, None);
    /// assert_eq!(r.skips().malformed, 1);
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn with_options(mut self, opts: VcfOptions) -> Self {
        self.opts = opts;
        self
    }

    /// What was skipped so far (final once the reader is exhausted).
    pub fn skips(&self) -> &SkipCounts {
        &self.skips
    }

    /// Data lines read so far (malformed ones included, headers not).
    pub fn data_lines(&self) -> u64 {
        self.data_lines
    }

    /// Records (ALT alleles) yielded so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The first malformed line skipped under [`VcfOptions::skip_malformed`], for a warning.
    pub fn first_malformed(&self) -> Option<&VcfError> {
        self.first_malformed.as_ref()
    }

    /// Reads the next record into `rec`, reusing its strings; `false` at the end of input.
    /// A malformed line is an [`Error::Vcf`] (unless skipped, see [`VcfOptions`]); the line is
    /// consumed, so reading may go on after the error.
    pub fn read_record(&mut self, rec: &mut VcfRecord) -> Result<bool> {
        loop {
            if let Some((index, range)) = self.fixed.alts.get(self.next_alt) {
                let text = |r: &std::ops::Range<usize>| {
                    // Validated as UTF-8 (CHROM, ID) or ASCII (REF, ALT) by the parser.
                    std::str::from_utf8(&self.buf[r.clone()]).unwrap_or_default()
                };
                rec.chrom.clear();
                rec.chrom.push_str(text(&self.fixed.chrom));
                rec.id.clear();
                rec.id.push_str(text(&self.fixed.id));
                rec.reference.clear();
                rec.reference.push_str(text(&self.fixed.reference));
                rec.alt.clear();
                rec.alt.push_str(text(range));
                rec.pos = self.fixed.pos;
                rec.alt_index = *index;
                rec.line = self.line;
                self.next_alt += 1;
                self.records += 1;
                return Ok(true);
            }
            if !self.next_data_line()? {
                return Ok(false);
            }
        }
    }

    /// Reads and parses the next data line; `false` at the end of input.
    fn next_data_line(&mut self) -> Result<bool> {
        loop {
            self.fixed.alts.clear();
            self.next_alt = 0;
            self.buf.clear();
            let n = (&mut self.inner)
                .take(MAX_FIXED_BYTES as u64)
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| Error::io(&self.path, e))?;
            if n == 0 {
                return Ok(false);
            }
            self.line += 1;
            let ended = self.buf.last() == Some(&b'\n');
            let truncated = !ended && n == MAX_FIXED_BYTES;
            if truncated {
                // Only the fixed columns are needed: drop the rest of the line unread.
                self.inner
                    .skip_until(b'\n')
                    .map_err(|e| Error::io(&self.path, e))?;
            }
            while let [.., b'\n' | b'\r'] = self.buf[..] {
                self.buf.pop();
            }
            if self.buf.is_empty() || self.buf[0] == b'#' {
                continue;
            }
            self.data_lines += 1;
            match parse_fixed(&mut self.buf, truncated, &mut self.fixed, &mut self.skips) {
                Ok(()) => return Ok(true),
                Err(kind) => {
                    let e = VcfError::Record {
                        path: self.path.clone(),
                        line: self.line,
                        kind,
                    };
                    self.fixed.alts.clear();
                    if !self.opts.skip_malformed {
                        return Err(e.into());
                    }
                    self.skips.malformed += 1;
                    self.first_malformed.get_or_insert(e);
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for VcfReader<R> {
    type Item = Result<VcfRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut r = VcfRecord::default();
        self.read_record(&mut r)
            .map(|more| more.then_some(r))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VcfErrorKind;

    fn read_all(text: &[u8]) -> (Vec<Result<VcfRecord>>, SkipCounts) {
        let mut r = VcfReader::new(text, "t.vcf");
        let mut out = Vec::new();
        // Keep reading after errors: each error consumes its line.
        for _ in 0..100 {
            match r.next() {
                None => break,
                Some(x) => out.push(x),
            }
        }
        (out, *r.skips())
    }

    #[test]
    fn errors_name_file_and_line_and_reading_goes_on() {
        let text = b"##x\n#CHROM\n\nc\t1\t.\tA\tG\t.\t.\t.\r\nc\t2\t.\tA\n\nc\t3\t.\tA\tT\t.\t.\t.";
        let (out, _) = read_all(text);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].as_ref().expect("ok").line, 4);
        let e = out[1].as_ref().expect_err("malformed");
        assert_eq!(
            e.to_string(),
            "t.vcf:5: expected at least 8 tab-separated columns, found 4"
        );
        match e {
            Error::Vcf(v) => assert_eq!(v.kind(), &VcfErrorKind::TooFewColumns { found: 4 }),
            other => panic!("{other:?}"),
        }
        let last = out[2].as_ref().expect("ok");
        assert_eq!((last.line, last.label().as_str()), (7, "c:3:A:T"));
    }

    #[test]
    fn long_sample_columns_are_skipped_unbuffered() {
        let mut text = b"c\t1\t.\tA\tG\t.\t.\t.\tGT".to_vec();
        text.extend(std::iter::repeat_n(b'\t', MAX_FIXED_BYTES + 10));
        text.extend_from_slice(b"\nc\t2\t.\tC\tT\t.\t.\t.\n");
        let (out, _) = read_all(&text);
        let labels: Vec<String> = out.into_iter().map(|r| r.expect("ok").label()).collect();
        assert_eq!(labels, ["c:1:A:G", "c:2:C:T"]);
        // Fixed columns over the bound are an error, not an allocation.
        let mut long = b"c\t1\t.\t".to_vec();
        long.extend(std::iter::repeat_n(b'A', MAX_FIXED_BYTES));
        long.extend_from_slice(b"\tG\t.\t.\t.\n");
        let (out, _) = read_all(&long);
        let e = out[0].as_ref().expect_err("too long").to_string();
        assert!(e.contains("t.vcf:1:") && e.contains("exceed"), "{e}");
    }
}
