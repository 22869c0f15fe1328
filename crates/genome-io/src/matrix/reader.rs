//! The row-at-a-time reader.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::{MatrixError, MatrixFormat, MatrixOptions, Orientation};
use crate::expression::{open_maybe_gz, split_fields};

type Result<T> = std::result::Result<T, MatrixError>;

/// One data row: a gene (genes × samples) or a sample (samples × genes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatrixRow {
    /// The row's id (gene id or sample id).
    pub id: String,
    /// The gene symbol, when the file has a symbol column (or is GCT).
    pub symbol: Option<String>,
    /// One count per column, in [`MatrixReader::columns`] order.
    pub values: Vec<f64>,
    /// 1-based line number in the file.
    pub line: u64,
}

/// A streaming reader of a count matrix (see the [module](super) docs).
pub struct MatrixReader {
    path: PathBuf,
    input: Box<dyn BufRead + Send>,
    line: u64,
    buf: String,
    fields: Vec<String>,
    delim: char,
    orientation: Orientation,
    has_symbol: bool,
    columns: Vec<String>,
    seen: HashMap<String, u64>,
    rows: usize,
    gct_rows: Option<usize>,
    done: bool,
}

impl std::fmt::Debug for MatrixReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatrixReader")
            .field("path", &self.path)
            .field("line", &self.line)
            .field("orientation", &self.orientation)
            .field("columns", &self.columns.len())
            .finish()
    }
}

impl MatrixReader {
    /// Opens `path` (plain or gzip, detected from the content) and reads its header.
    ///
    /// ```
    /// use genome_io::matrix::{MatrixFormat, MatrixOptions, MatrixReader, Orientation};
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = dir.path().join("m.gct");
    /// std::fs::write(&p, "#1.2\n1\t2\nName\tDescription\tS1\tS2\nENSG1\tTP53\t4\t0\n").unwrap();
    /// let opts = MatrixOptions { format: MatrixFormat::Auto, orientation: Orientation::GenesBySamples, symbol_column: false };
    /// let rows: Vec<_> = MatrixReader::open(&p, &opts).unwrap().collect::<Result<_, _>>().unwrap();
    /// assert_eq!(rows[0].symbol.as_deref(), Some("TP53"));
    /// assert_eq!(rows[0].values, vec![4.0, 0.0]);
    /// ```
    pub fn open(path: &Path, opts: &MatrixOptions) -> Result<Self> {
        let input = open_maybe_gz(path).map_err(|e| MatrixError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        Self::build(input, path, opts)
    }

    /// Reads a matrix from any reader; `origin` names it in errors and decides
    /// [`MatrixFormat::Auto`].
    ///
    /// ```
    /// use genome_io::matrix::{MatrixError, MatrixOptions, MatrixReader, Orientation};
    /// let opts = MatrixOptions::tsv(Orientation::SamplesByGenes);
    /// let bad = "sample\tg1\tg2\nA\t1\t-2\n";
    /// let mut r = MatrixReader::from_reader(bad.as_bytes(), "x.tsv".as_ref(), &opts).unwrap();
    /// let e = r.next().unwrap().unwrap_err();
    /// assert!(matches!(e, MatrixError::BadCount { line: 2, column: 3, .. }), "{e}");
    /// ```
    pub fn from_reader(
        reader: impl BufRead + Send + 'static,
        origin: &Path,
        opts: &MatrixOptions,
    ) -> Result<Self> {
        Self::build(Box::new(reader), origin, opts)
    }

    fn build(input: Box<dyn BufRead + Send>, path: &Path, opts: &MatrixOptions) -> Result<Self> {
        let format = opts.format.resolve(path);
        let gct = format == MatrixFormat::Gct;
        let mut r = MatrixReader {
            path: path.to_path_buf(),
            input,
            line: 0,
            buf: String::new(),
            fields: Vec::new(),
            delim: if format == MatrixFormat::Csv {
                ','
            } else {
                '\t'
            },
            orientation: opts.orientation,
            has_symbol: gct
                || (opts.symbol_column && opts.orientation == Orientation::GenesBySamples),
            columns: Vec::new(),
            seen: HashMap::new(),
            rows: 0,
            gct_rows: None,
            done: false,
        };
        if gct && opts.orientation != Orientation::GenesBySamples {
            return Err(r.header_err(
                0,
                "a GCT file is genes x samples; samples x genes was asked".into(),
            ));
        }
        if gct {
            r.read_gct_preamble()?;
        }
        if !r.next_line()? {
            return Err(r.empty("no header line"));
        }
        split_fields(&r.buf, r.delim, &mut r.fields);
        let skip = if r.has_symbol { 2 } else { 1 };
        if r.fields.len() <= skip {
            return Err(r.empty("the header names no value columns"));
        }
        let what = match r.orientation {
            Orientation::GenesBySamples => "sample",
            Orientation::SamplesByGenes => "gene",
        };
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, c) in r.fields.iter().enumerate().skip(skip) {
            let c = c.trim();
            if c.is_empty() {
                return Err(
                    r.header_err(r.line, format!("column {} has an empty {what} id", i + 1))
                );
            }
            if let Some(j) = first.insert(c, i) {
                return Err(MatrixError::DuplicateId {
                    path: r.path.clone(),
                    line: r.line,
                    what,
                    id: c.to_string(),
                    first: format!("column {}", j + 1),
                });
            }
        }
        r.columns = r.fields[skip..]
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
        Ok(r)
    }

    fn read_gct_preamble(&mut self) -> Result<()> {
        if !self.next_line()? || self.buf.trim() != "#1.2" {
            return Err(self.header_err(self.line.max(1), "a GCT file must start with #1.2".into()));
        }
        if !self.next_line()? {
            return Err(self.header_err(2, "missing the dimension line (rows, columns)".into()));
        }
        let dims: Vec<usize> = self
            .buf
            .split('\t')
            .map(|t| t.trim().parse::<usize>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| {
                self.header_err(self.line, format!("bad dimension line {:?}", self.buf))
            })?;
        if dims.len() < 2 {
            return Err(self.header_err(self.line, format!("bad dimension line {:?}", self.buf)));
        }
        self.gct_rows = Some(dims[0]);
        Ok(())
    }

    /// Reads the next non-blank line into `self.buf` (without its terminator).
    fn next_line(&mut self) -> Result<bool> {
        loop {
            self.buf.clear();
            let n = self
                .input
                .read_line(&mut self.buf)
                .map_err(|source| MatrixError::Io {
                    path: self.path.clone(),
                    source,
                })?;
            if n == 0 {
                return Ok(false);
            }
            self.line += 1;
            while self.buf.ends_with('\n') || self.buf.ends_with('\r') {
                self.buf.pop();
            }
            if !self.buf.trim().is_empty() {
                return Ok(true);
            }
        }
    }

    fn header_err(&self, line: u64, msg: String) -> MatrixError {
        MatrixError::Header {
            path: self.path.clone(),
            line,
            msg,
        }
    }

    fn empty(&self, msg: &str) -> MatrixError {
        MatrixError::Empty {
            path: self.path.clone(),
            msg: msg.to_string(),
        }
    }

    /// The column ids from the header: sample ids (genes × samples) or gene ids.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The orientation the file is read in.
    pub fn orientation(&self) -> Orientation {
        self.orientation
    }

    /// Whether rows carry a symbol (a symbol column or GCT's `Description`).
    pub fn has_symbol(&self) -> bool {
        self.has_symbol
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> usize {
        self.rows
    }

    /// The file (or origin) being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the next data row into `row` (its buffers are reused); `Ok(false)` at the end.
    /// A matrix that ends without any data row is [`MatrixError::Empty`].
    ///
    /// ```
    /// use genome_io::matrix::{MatrixError, MatrixOptions, MatrixReader, MatrixRow, Orientation};
    /// let opts = MatrixOptions::tsv(Orientation::GenesBySamples);
    /// let mut r = MatrixReader::from_reader("id\tA\tB\ng1\t1\n".as_bytes(), "r.tsv".as_ref(), &opts).unwrap();
    /// let e = r.read_row(&mut MatrixRow::default()).unwrap_err();
    /// assert!(matches!(e, MatrixError::Ragged { line: 2, expected: 3, found: 2, .. }), "{e}");
    /// ```
    pub fn read_row(&mut self, row: &mut MatrixRow) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        if !self.next_line()? {
            self.done = true;
            if self.rows == 0 {
                return Err(self.empty("no data rows"));
            }
            if let Some(n) = self.gct_rows.filter(|&n| n != self.rows) {
                return Err(self.header_err(
                    2,
                    format!(
                        "the GCT dimension line says {n} rows, the file has {}",
                        self.rows
                    ),
                ));
            }
            return Ok(false);
        }
        split_fields(&self.buf, self.delim, &mut self.fields);
        let skip = if self.has_symbol { 2 } else { 1 };
        let expected = self.columns.len() + skip;
        let id = self.fields[0].trim();
        if self.fields.len() != expected {
            return Err(MatrixError::Ragged {
                path: self.path.clone(),
                line: self.line,
                row_id: id.to_string(),
                expected,
                found: self.fields.len(),
            });
        }
        match self.seen.entry(id.to_string()) {
            Entry::Occupied(e) => {
                return Err(MatrixError::DuplicateId {
                    path: self.path.clone(),
                    line: self.line,
                    what: match self.orientation {
                        Orientation::GenesBySamples => "gene",
                        Orientation::SamplesByGenes => "sample",
                    },
                    id: id.to_string(),
                    first: format!("line {}", e.get()),
                });
            }
            Entry::Vacant(v) => {
                v.insert(self.line);
            }
        }
        row.id.clear();
        row.id.push_str(id);
        row.symbol = if self.has_symbol {
            let mut s = row.symbol.take().unwrap_or_default();
            s.clear();
            s.push_str(self.fields[1].trim());
            Some(s)
        } else {
            None
        };
        row.line = self.line;
        row.values.clear();
        for (c, text) in self.fields[skip..].iter().enumerate() {
            let t = text.trim();
            let why = match t.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => {
                    row.values.push(v);
                    continue;
                }
                Ok(v) if v.is_finite() => "is negative (counts must be >= 0)",
                Ok(_) => "is not finite (NaN or infinite)",
                Err(_) => "is not a number",
            };
            return Err(MatrixError::BadCount {
                path: self.path.clone(),
                line: self.line,
                row_id: id.to_string(),
                column: c + skip + 1,
                column_name: self.columns[c].clone(),
                value: t.into(),
                why,
            });
        }
        self.rows += 1;
        Ok(true)
    }
}

impl Iterator for MatrixReader {
    type Item = Result<MatrixRow>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut row = MatrixRow::default();
        match self.read_row(&mut row) {
            Ok(true) => Some(Ok(row)),
            Ok(false) => None,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, opts: MatrixOptions, name: &str) -> Result<(Vec<String>, Vec<MatrixRow>)> {
        let r = MatrixReader::from_reader(
            std::io::Cursor::new(text.to_string()),
            name.as_ref(),
            &opts,
        )?;
        let cols = r.columns().to_vec();
        let rows = r.collect::<Result<Vec<_>>>()?;
        Ok((cols, rows))
    }

    #[test]
    fn csv_with_symbols_and_quotes() {
        let opts = MatrixOptions {
            format: MatrixFormat::Auto,
            orientation: Orientation::GenesBySamples,
            symbol_column: true,
        };
        let (cols, rows) = read(
            "id,sym,\"S,1\",S2\r\ng1,\"A,B\",1,2e1\n\ng2,C,0,3\n",
            opts,
            "m.csv",
        )
        .unwrap();
        assert_eq!(cols, ["S,1", "S2"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].symbol.as_deref(), Some("A,B"));
        assert_eq!(rows[0].values, [1.0, 20.0]);
        assert_eq!((rows[1].id.as_str(), rows[1].line), ("g2", 4));
    }

    #[test]
    fn errors_name_line_and_column() {
        let o = MatrixOptions::tsv(Orientation::GenesBySamples);
        let e = read("id\tA\tB\ng1\t1\tNaN\n", o, "x.tsv").unwrap_err();
        assert!(
            matches!(&e, MatrixError::BadCount { line: 2, column: 3, column_name, .. } if column_name == "B"),
            "{e}"
        );
        assert!(e.to_string().contains("x.tsv:2"), "{e}");
        let e = read("id\tA\tB\ng1\t1\tfoo\n", o, "x.tsv").unwrap_err();
        assert!(e.to_string().contains("not a number"), "{e}");
        let e = read("id\tA\tA\ng1\t1\t2\n", o, "x.tsv").unwrap_err();
        assert!(
            matches!(&e, MatrixError::DuplicateId { what: "sample", .. }),
            "{e}"
        );
        let e = read("id\tA\ng1\t1\ng1\t2\n", o, "x.tsv").unwrap_err();
        assert!(
            matches!(
                &e,
                MatrixError::DuplicateId {
                    what: "gene",
                    line: 3,
                    ..
                }
            ),
            "{e}"
        );
        let s = MatrixOptions::tsv(Orientation::SamplesByGenes);
        let e = read("s\tg1\nA\t1\nA\t2\n", s, "x.tsv").unwrap_err();
        assert!(
            matches!(&e, MatrixError::DuplicateId { what: "sample", .. }),
            "{e}"
        );
        assert!(matches!(
            read("id\tA\n", o, "x.tsv"),
            Err(MatrixError::Empty { .. })
        ));
        assert!(matches!(
            read("id\n", o, "x.tsv"),
            Err(MatrixError::Empty { .. })
        ));
        assert!(matches!(
            read("", o, "x.tsv"),
            Err(MatrixError::Empty { .. })
        ));
    }

    #[test]
    fn gct_checks_preamble_and_row_count() {
        let o = MatrixOptions::tsv(Orientation::GenesBySamples);
        let g = MatrixOptions {
            format: MatrixFormat::Gct,
            ..o
        };
        let ok = "#1.2\n2\t1\nName\tDescription\tS\na\tA\t1\nb\tB\t2\n";
        assert_eq!(read(ok, g, "x").unwrap().1.len(), 2);
        let short = "#1.2\n3\t1\nName\tDescription\tS\na\tA\t1\n";
        assert!(matches!(
            read(short, g, "x"),
            Err(MatrixError::Header { .. })
        ));
        assert!(matches!(
            read("#1.3\n", g, "x"),
            Err(MatrixError::Header { .. })
        ));
        let t = MatrixOptions {
            orientation: Orientation::SamplesByGenes,
            ..g
        };
        assert!(matches!(read(ok, t, "x"), Err(MatrixError::Header { .. })));
    }

    #[test]
    fn gzip_input_is_read() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.tsv.gz");
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"sample\tg1\tg2\nA\t1\t2\nB\t0\t5\n").unwrap();
        std::fs::write(&p, z.finish().unwrap()).unwrap();
        let r = MatrixReader::open(&p, &MatrixOptions::tsv(Orientation::SamplesByGenes)).unwrap();
        assert_eq!(r.columns(), ["g1", "g2"]);
        let rows: Vec<_> = r.collect::<Result<_>>().unwrap();
        assert_eq!(rows[1].values, [0.0, 5.0]);
    }
}
