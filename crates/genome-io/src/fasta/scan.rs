//! One pass over a FASTA stream: validates it, records each record's `.fai` layout and optionally
//! keeps the sequences.
//!
//! Hand-written rather than noodles' `fasta::io::Reader` / `Indexer` because we need, in a single
//! pass, (a) errors with 1-based line numbers for every bad-input case (no header, empty record,
//! duplicate name, ragged lines, invalid bytes), which noodles reports without positions, and
//! (b) both the sequence and its samtools-compatible `.fai` layout from the same read.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use crate::{Error, FastaError, Result};

/// One scanned record: its `.fai` fields and (when kept) its bases.
#[derive(Debug, Clone)]
pub(crate) struct Scanned {
    /// Name: the header up to the first white space.
    pub name: String,
    /// 1-based line number of the header.
    pub line: u64,
    /// Byte offset of the first base in the (uncompressed) stream.
    pub offset: u64,
    /// Number of bases.
    pub len: u64,
    /// Bases per full line.
    pub line_bases: u64,
    /// Bytes per full line, terminator included.
    pub line_width: u64,
    /// The bases when `keep_seq`, else empty.
    pub seq: Vec<u8>,
}

/// State of the record being read.
struct Current {
    rec: Scanned,
    /// Line number of a short (hence last) line already seen.
    short_line: Option<u64>,
    /// Line number of a blank line already seen.
    blank_line: Option<u64>,
}

/// True for bytes allowed in a sequence line: printable ASCII except `>`.
#[inline]
fn is_seq_byte(b: u8) -> bool {
    b.is_ascii_graphic() && b != b'>'
}

/// Maps a read error: an unexpected end of a compressed stream is a truncated file.
pub(crate) fn read_error(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        Error::Fasta(FastaError::Truncated {
            path: path.to_path_buf(),
            msg: e.to_string(),
        })
    } else {
        Error::io(path, e)
    }
}

/// Scans a FASTA stream. `strict` demands an indexable layout (all lines of a record but the last
/// with the same number of bases and the same terminator, no blank line inside a record);
/// without it, ragged lines and blank lines are accepted (in-memory loading).
pub(crate) fn scan<R: BufRead>(
    mut reader: R,
    path: &Path,
    keep_seq: bool,
    strict: bool,
) -> Result<Vec<Scanned>> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut cur: Option<Current> = None;
    let mut buf = Vec::with_capacity(512);
    let (mut pos, mut lineno) = (0u64, 0u64);
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| read_error(path, e))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        pos += n as u64;
        let has_nl = buf.last() == Some(&b'\n');
        let mut content = &buf[..];
        if let Some(c) = content.strip_suffix(b"\n") {
            content = c.strip_suffix(b"\r").unwrap_or(c);
        }
        if content.first() == Some(&b'>') {
            if let Some(c) = cur.take() {
                out.push(finish(c, path)?);
            }
            let name = header_name(&content[1..], path, lineno)?;
            if let Some(&first_line) = seen.get(&name) {
                return Err(FastaError::DuplicateName {
                    path: path.to_path_buf(),
                    line: lineno,
                    name,
                    first_line,
                }
                .into());
            }
            seen.insert(name.clone(), lineno);
            let rec = Scanned {
                name,
                line: lineno,
                offset: pos,
                len: 0,
                line_bases: 0,
                line_width: 0,
                seq: Vec::new(),
            };
            cur = Some(Current {
                rec,
                short_line: None,
                blank_line: None,
            });
            continue;
        }
        let Some(c) = cur.as_mut() else {
            if content.iter().all(u8::is_ascii_whitespace) {
                continue; // blank lines before the first header are tolerated
            }
            return Err(FastaError::NoHeader {
                path: path.to_path_buf(),
                line: lineno,
            }
            .into());
        };
        if content.is_empty() {
            c.blank_line.get_or_insert(lineno);
            continue;
        }
        let ragged = |msg: String| {
            Error::Fasta(FastaError::RaggedLines {
                path: path.to_path_buf(),
                line: lineno,
                name: c.rec.name.clone(),
                msg,
            })
        };
        if let Some(i) = content.iter().position(|&b| !is_seq_byte(b)) {
            return Err(FastaError::InvalidByte {
                path: path.to_path_buf(),
                line: lineno,
                name: c.rec.name.clone(),
                byte: content[i],
            }
            .into());
        }
        let bases = content.len() as u64;
        if c.rec.line_bases == 0 {
            c.rec.line_bases = bases;
            // A single line without terminator at EOF: assume '\n' like samtools does.
            c.rec.line_width = if has_nl { n as u64 } else { bases + 1 };
        } else if strict {
            if let Some(b) = c.blank_line {
                return Err(ragged(format!("blank line {b} inside the sequence")));
            }
            if let Some(s) = c.short_line {
                return Err(ragged(format!("follows the shorter line {s}")));
            }
            if bases > c.rec.line_bases {
                let lb = c.rec.line_bases;
                return Err(ragged(format!(
                    "{bases} bases, but the first line has {lb}"
                )));
            }
            if bases == c.rec.line_bases && has_nl && n as u64 != c.rec.line_width {
                return Err(ragged(
                    "line terminator differs from the first line's".into(),
                ));
            }
        }
        if bases < c.rec.line_bases {
            c.short_line.get_or_insert(lineno);
        }
        c.blank_line = None;
        c.rec.len += bases;
        if keep_seq {
            c.rec.seq.extend_from_slice(content);
        }
    }
    match cur {
        Some(c) => out.push(finish(c, path)?),
        None => {
            return Err(FastaError::NoHeader {
                path: path.to_path_buf(),
                line: lineno.max(1),
            }
            .into());
        }
    }
    Ok(out)
}

/// The record name: header text up to the first white space; must be non-empty UTF-8.
fn header_name(text: &[u8], path: &Path, line: u64) -> Result<String> {
    let end = text
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() {
        return Err(FastaError::EmptyName {
            path: path.to_path_buf(),
            line,
        }
        .into());
    }
    String::from_utf8(name.to_vec()).map_err(|_| Error::Parse {
        path: path.to_path_buf(),
        line,
        msg: "FASTA record name is not valid UTF-8".into(),
    })
}

fn finish(c: Current, path: &Path) -> Result<Scanned> {
    if c.rec.len == 0 {
        return Err(FastaError::EmptyRecord {
            path: path.to_path_buf(),
            line: c.rec.line,
            name: c.rec.name,
        }
        .into());
    }
    Ok(c.rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(data: &[u8], strict: bool) -> Result<Vec<Scanned>> {
        scan(data, Path::new("t.fa"), true, strict)
    }

    #[test]
    fn layout_matches_samtools_rules() -> Result<()> {
        // offsets counted by hand: ">a desc\n" = 8 bytes; 8 + 5 + 3 + ">b\r\n" (4) = 20
        let r = s(b">a desc\nACGT\nAC\n>b\r\nAAA\r\nCC\r\n", true)?;
        assert_eq!(
            (r[0].offset, r[0].len, r[0].line_bases, r[0].line_width),
            (8, 6, 4, 5)
        );
        assert_eq!(r[0].seq, b"ACGTAC");
        assert_eq!(
            (r[1].offset, r[1].len, r[1].line_bases, r[1].line_width),
            (20, 5, 3, 5)
        );
        Ok(())
    }

    #[test]
    fn strictness_only_affects_layout() -> Result<()> {
        let ragged = b">a\nACG\nACGT\n\nAC\n";
        assert!(matches!(
            s(ragged, true),
            Err(Error::Fasta(FastaError::RaggedLines { line: 3, .. }))
        ));
        assert_eq!(s(ragged, false)?[0].seq, b"ACGACGTAC");
        let blank_inside = b">a\nACGT\n\nACGT\n";
        assert!(matches!(
            s(blank_inside, true),
            Err(Error::Fasta(FastaError::RaggedLines { line: 4, .. }))
        ));
        let trailing_blank = b">a\nACGT\nAC\n\n>b\nA\n";
        assert_eq!(s(trailing_blank, true)?.len(), 2);
        Ok(())
    }
}
