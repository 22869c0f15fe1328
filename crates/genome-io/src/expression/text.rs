//! Low-level text helpers shared by the table readers: numbered lines, field splitting with
//! optional double quotes, number parsing with typed errors, and transparent gzip input.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::{Error, Result, TableError};

/// Field separator of a delimited table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    /// Tab-separated.
    Tab,
    /// Comma-separated.
    Comma,
    /// Decided from the first non-empty line: tab if it contains a tab, else comma.
    #[default]
    Auto,
}

impl Delimiter {
    /// The byte to split on for `first_line` (resolving [`Delimiter::Auto`]).
    ///
    /// ```
    /// use genome_io::expression::Delimiter;
    /// assert_eq!(Delimiter::Auto.resolve("a,b\tc"), '\t');
    /// assert_eq!(Delimiter::Auto.resolve("a,b"), ',');
    /// assert_eq!(Delimiter::Tab.resolve("a,b"), '\t');
    /// ```
    pub fn resolve(self, first_line: &str) -> char {
        match self {
            Delimiter::Tab => '\t',
            Delimiter::Comma => ',',
            Delimiter::Auto if first_line.contains('\t') => '\t',
            Delimiter::Auto => ',',
        }
    }
}

/// Opens a file for buffered reading, decompressing it when it starts with the gzip magic bytes
/// (`1f 8b`), whatever its name. Multi-member gzip (and bgzip) streams are read to the end.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("t.tsv");
/// std::fs::write(&path, "gene\ta\ng1\t1\n").unwrap();
/// let mut s = String::new();
/// std::io::Read::read_to_string(&mut genome_io::expression::open_maybe_gz(&path).unwrap(), &mut s).unwrap();
/// assert!(s.starts_with("gene"));
/// ```
pub fn open_maybe_gz(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buf = BufReader::with_capacity(1 << 16, file);
    let head = buf.fill_buf().map_err(|e| Error::io(path, e))?;
    if head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(buf),
        )))
    } else {
        Ok(Box::new(buf))
    }
}

/// Iterates over the lines of a reader with 1-based line numbers, without the line terminator
/// (`\n` or `\r\n`). I/O and UTF-8 errors are reported with the path.
pub(crate) struct Lines<'a, R> {
    reader: R,
    path: &'a Path,
    line: u64,
    buf: String,
}

impl<'a, R: BufRead> Lines<'a, R> {
    pub(crate) fn new(reader: R, path: &'a Path) -> Self {
        Lines {
            reader,
            path,
            line: 0,
            buf: String::new(),
        }
    }

    /// The next line as `(line_number, text)`, or `None` at end of input.
    pub(crate) fn next_line(&mut self) -> Result<Option<(u64, &str)>> {
        self.buf.clear();
        let n = self
            .reader
            .read_line(&mut self.buf)
            .map_err(|e| Error::io(self.path, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        let t = self.buf.strip_suffix('\n').unwrap_or(&self.buf);
        let t = t.strip_suffix('\r').unwrap_or(t);
        Ok(Some((self.line, t)))
    }

    /// Like [`Lines::next_line`] but skips lines that are empty or white space only.
    pub(crate) fn next_nonblank(&mut self) -> Result<Option<(u64, &str)>> {
        loop {
            self.buf.clear();
            let n = self
                .reader
                .read_line(&mut self.buf)
                .map_err(|e| Error::io(self.path, e))?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            if !self.buf.trim().is_empty() {
                let t = self.buf.strip_suffix('\n').unwrap_or(&self.buf);
                let t = t.strip_suffix('\r').unwrap_or(t);
                return Ok(Some((self.line, t)));
            }
        }
    }
}

/// Splits `line` on `delim` into `out` (cleared first). A field that starts with `"` is quoted:
/// the delimiter is literal inside it and `""` stands for one `"`. Unquoted fields are kept as is.
pub(crate) fn split_fields(line: &str, delim: char, out: &mut Vec<String>) {
    out.clear();
    if !line.contains('"') {
        out.extend(line.split(delim).map(str::to_owned));
        return;
    }
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
        } else if c == delim {
            out.push(std::mem::take(&mut field));
            at_start = true;
            continue;
        } else if c == '"' && at_start {
            in_quotes = true;
        } else {
            field.push(c);
        }
        at_start = false;
    }
    out.push(field);
}

/// Parses one table value; errors name the file, line and 1-based column.
pub(crate) fn parse_value(
    text: &str,
    path: &Path,
    line: u64,
    column: usize,
    column_name: &str,
) -> Result<f64> {
    let t = text.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(TableError::NonFinite {
            path: path.to_path_buf(),
            line,
            column: column + 1,
            column_name: column_name.to_owned(),
            value: t.to_owned(),
        }
        .into()),
        Err(_) => Err(TableError::NonNumeric {
            path: path.to_path_buf(),
            line,
            column: column + 1,
            column_name: column_name.to_owned(),
            value: t.to_owned(),
        }
        .into()),
    }
}

/// A short, comma-separated preview of column names for error messages.
pub(crate) fn preview(names: &[String]) -> String {
    let mut s: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
    if names.len() > 8 {
        s.push("...");
    }
    s.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields() {
        let mut v = Vec::new();
        split_fields(r#""a,b",c,"d""e""#, ',', &mut v);
        assert_eq!(v, vec!["a,b", "c", "d\"e"]);
        split_fields("x\t\ty", '\t', &mut v);
        assert_eq!(v, vec!["x", "", "y"]);
    }
}
