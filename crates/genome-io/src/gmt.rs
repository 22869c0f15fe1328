//! Gene-set files in GMT format (MSigDB, Enrichr): one set per line,
//! `name<TAB>description<TAB>gene<TAB>gene…`, plain or gzip-compressed.
//!
//! ## Policy
//! * A trailing `\r` and trailing tabs are ignored; empty lines are skipped.
//! * A line with fewer than 3 tab-separated fields, an empty (or all-space) set name, or no
//!   non-empty gene field is an [`Error::Parse`] naming the file and the 1-based line.
//! * A set name seen before is an [`Error::Parse`] naming both lines: GMT consumers key by name,
//!   so silently merging or shadowing sets would change results.
//! * Empty gene fields (`a\t\tb`) are skipped, surrounding spaces are trimmed, and a gene listed
//!   twice in one set is kept once (the first occurrence), so [`GeneSet::genes`] holds distinct
//!   genes in file order. Gene names are kept as written (no case folding).
//! * The description (field 2) may be empty (Enrichr libraries leave it empty).

use std::collections::HashMap;
use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// One gene set (one GMT line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneSet {
    /// Field 1: the set's name (unique within a file).
    pub name: String,
    /// Field 2: the description or URL (may be empty).
    pub description: String,
    /// Fields 3…: distinct gene names in file order.
    pub genes: Vec<String>,
}

/// A streaming GMT reader over any [`BufRead`]; also an [`Iterator`] of sets.
///
/// ```
/// use genome_io::gmt::{GeneSet, GmtReader};
/// let text = "SET_A\tdesc\tTP53\tMDM2\tTP53\n\nSET_B\t\tEGFR\t\n";
/// let mut r = GmtReader::new(text.as_bytes(), "<mem>");
/// let mut set = GeneSet::default();
/// assert!(r.read_set(&mut set).unwrap());
/// assert_eq!((set.name.as_str(), set.genes.len()), ("SET_A", 2));
/// let rest: Vec<GeneSet> = r.collect::<Result<_, _>>().unwrap();
/// assert_eq!(rest[0].genes, ["EGFR"]);
/// // A duplicate name is an error naming the file and both lines.
/// let bad = "S\t\tA\nS\t\tB\n";
/// let err = GmtReader::new(bad.as_bytes(), "x.gmt").collect::<Result<Vec<_>, _>>().unwrap_err();
/// assert_eq!(err.to_string(), "x.gmt:2: duplicate gene-set name \"S\" (first on line 1)");
/// ```
pub struct GmtReader<R> {
    inner: R,
    path: PathBuf,
    line: u64,
    buf: Vec<u8>,
    seen: HashMap<String, u64>,
}

impl<R: BufRead> GmtReader<R> {
    /// Wraps `inner`; `path` names the input in errors.
    pub fn new(inner: R, path: impl Into<PathBuf>) -> Self {
        GmtReader {
            inner,
            path: path.into(),
            line: 0,
            buf: Vec::new(),
            seen: HashMap::new(),
        }
    }

    /// Reads the next set into `set`, reusing its buffers; `false` at the end of input.
    ///
    /// Errors: [`Error::Io`], [`Error::Parse`] (see the module's policy).
    pub fn read_set(&mut self, set: &mut GeneSet) -> Result<bool> {
        loop {
            let Some(text) =
                crate::line::next_line(&mut self.inner, &mut self.buf, &mut self.line, &self.path)?
            else {
                return Ok(false);
            };
            if text.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let parse = |msg: String| Error::Parse {
                path: self.path.clone(),
                line: self.line,
                msg,
            };
            let text = std::str::from_utf8(text)
                .map_err(|_| parse("the line is not valid UTF-8".into()))?;
            parse_line(text, set).map_err(parse)?;
            if let Some(first) = self.seen.get(&set.name) {
                return Err(parse(format!(
                    "duplicate gene-set name {:?} (first on line {first})",
                    set.name
                )));
            }
            self.seen.insert(set.name.clone(), self.line);
            return Ok(true);
        }
    }
}

impl<R: BufRead> Iterator for GmtReader<R> {
    type Item = Result<GeneSet>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut s = GeneSet::default();
        self.read_set(&mut s)
            .map(|more| more.then_some(s))
            .transpose()
    }
}

fn parse_line(text: &str, set: &mut GeneSet) -> std::result::Result<(), String> {
    let mut fields = text.split('\t');
    let name = fields.next().unwrap_or("").trim();
    let Some(description) = fields.next() else {
        return Err(
            "a GMT line needs at least 3 tab-separated fields (name, description, \
                    genes); found 1"
                .into(),
        );
    };
    let mut genes = fields.peekable();
    if genes.peek().is_none() {
        return Err(
            "a GMT line needs at least 3 tab-separated fields (name, description, \
                    genes); found 2"
                .into(),
        );
    }
    if name.is_empty() {
        return Err("empty gene-set name (field 1)".into());
    }
    set.name.clear();
    set.name.push_str(name);
    set.description.clear();
    set.description.push_str(description.trim());
    set.genes.clear();
    let mut seen = HashSet::new();
    for g in genes.map(str::trim).filter(|g| !g.is_empty()) {
        if seen.insert(g) {
            set.genes.push(g.to_string());
        }
    }
    if set.genes.is_empty() {
        return Err(format!("gene set {name:?} lists no genes"));
    }
    Ok(())
}

/// Opens a GMT file (plain or gzip, detected from the content) as a streaming reader.
///
/// Errors: [`Error::Io`] naming the path.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("s.gmt");
/// std::fs::write(&p, "A\turl\tg1\tg2\n").unwrap();
/// let sets: Vec<_> = genome_io::gmt::open_gmt(&p).unwrap().collect::<Result<_, _>>().unwrap();
/// assert_eq!(sets[0].genes, ["g1", "g2"]);
/// ```
pub fn open_gmt(path: &Path) -> Result<GmtReader<Box<dyn BufRead + Send>>> {
    Ok(GmtReader::new(
        crate::expression::open_maybe_gz(path)?,
        path,
    ))
}

/// Reads every set of a GMT file (plain or gzip) in file order.
///
/// Errors: as [`open_gmt`] and [`GmtReader::read_set`].
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("s.gmt");
/// std::fs::write(&p, "A\t\tg1\nB\t\tg2\tg3\n").unwrap();
/// let sets = genome_io::gmt::read_gmt(&p).unwrap();
/// assert_eq!(sets.iter().map(|s| s.genes.len()).collect::<Vec<_>>(), [1, 2]);
/// ```
pub fn read_gmt(path: &Path) -> Result<Vec<GeneSet>> {
    open_gmt(path)?.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<GeneSet>> {
        GmtReader::new(text.as_bytes(), "t.gmt").collect()
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = read("A\t\tx\nB\tonly-two\n").unwrap_err().to_string();
        assert!(e.starts_with("t.gmt:2: a GMT line needs at least 3"), "{e}");
        let e = read("A\n").unwrap_err().to_string();
        assert!(e.contains("t.gmt:1:") && e.contains("found 1"), "{e}");
        let e = read("\n \tdesc\tg\n").unwrap_err().to_string();
        assert_eq!(e, "t.gmt:2: empty gene-set name (field 1)");
        let e = read("A\tdesc\t\t\n").unwrap_err().to_string();
        assert_eq!(e, "t.gmt:1: gene set \"A\" lists no genes");
    }

    #[test]
    fn crlf_trailing_tabs_and_duplicates_within_a_set() {
        let s = read("A\td\tg1\tg2\t\tg1\t\r\nB\t\tg3\r\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].genes, ["g1", "g2"]);
        assert_eq!(s[0].description, "d");
        assert_eq!(s[1].genes, ["g3"]);
    }

    #[test]
    fn gzip_is_detected() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.gmt.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"A\t\tg1\tg2\n").unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        assert_eq!(read_gmt(&p).unwrap()[0].genes, ["g1", "g2"]);
    }
}
