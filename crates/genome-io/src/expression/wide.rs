//! Wide tables: delimited (TSV/CSV) and GCT 1.2.

use std::io::BufRead;
use std::path::Path;

use super::table::TableBuilder;
use super::{
    ColumnSelection, ExpressionTable, Lines, MissingValues, TableOptions, open_maybe_gz,
    parse_value, preview, split_fields, strip_version,
};
use crate::{Error, Result, TableError};

/// Reads a wide gene × column table (TSV or CSV, see [`TableOptions`]) from any reader.
/// `path` is used in error messages only.
///
/// Blank lines are skipped, `\r\n` line ends accepted, fields may be double-quoted; empty and
/// `NA` values follow [`TableOptions::missing`](super::MissingValues). Errors:
/// [`TableError::Empty`] (empty file, header only, no value column), [`TableError::RaggedRow`],
/// [`TableError::NonNumeric`], [`TableError::NonFinite`], [`TableError::DuplicateId`],
/// [`TableError::MissingColumn`].
///
/// ```
/// use genome_io::expression::{read_table, TableOptions};
/// let data = "gene_id,symbol,liver,brain\nENSG1.3,A,1.5,2\nENSG2.1,B,0,4\n";
/// let opts = TableOptions { name_column: Some(1), strip_version: true, ..Default::default() };
/// let t = read_table(data.as_bytes(), "inline.csv".as_ref(), &opts).unwrap();
/// assert_eq!(t.gene_ids(), ["ENSG1", "ENSG2"]);
/// assert_eq!(t.column_names(), ["liver", "brain"]);
/// assert_eq!(t.row_of("ENSG2"), Some(&[0.0, 4.0][..]));
/// assert_eq!(t.gene_names().unwrap()[0], "A");
/// ```
pub fn read_table<R: BufRead>(
    reader: R,
    path: &Path,
    opts: &TableOptions,
) -> Result<ExpressionTable> {
    let mut lines = Lines::new(reader, path);
    let (first_no, first) = match lines.next_nonblank()? {
        Some((n, l)) => (n, l.to_owned()),
        None => {
            return Err(TableError::Empty {
                path: path.into(),
                msg: "empty file".into(),
            }
            .into());
        }
    };
    let delim = opts.delimiter.resolve(&first);
    let mut fields = Vec::new();
    split_fields(&first, delim, &mut fields);
    let (header, first_row) = if opts.has_header {
        // a header whose every value column is a number, one of them not an integer, is the
        // first gene's row: the table has no header (integers may be sample names)
        let values: Vec<&str> = fields.iter().skip(1).map(|f| f.trim()).collect();
        if !values.is_empty()
            && values.iter().all(|v| v.parse::<f64>().is_ok())
            && values.iter().any(|v| v.parse::<i64>().is_err())
        {
            return Err(TableError::NoHeader {
                path: path.into(),
                line: first_no,
                msg: format!("{:?} and {} numbers", trunc(fields[0].trim()), values.len()),
            }
            .into());
        }
        (fields.iter().map(|f| f.trim().to_owned()).collect(), None)
    } else {
        (
            (1..=fields.len()).map(|i| format!("column_{i}")).collect(),
            Some((first_no, fields)),
        )
    };
    read_body(&mut lines, path, delim, header, first_row, opts, None)
}

/// Reads a GCT 1.2 file: a `#1.2` line, a `rows<TAB>columns` line, a `Name<TAB>Description<TAB>…`
/// header and tab-separated rows (the `Description` becomes [`ExpressionTable::gene_names`]).
/// The declared dimensions are checked against the data ([`TableError::GctHeader`]).
/// `opts.columns`, `opts.strip_version` and `opts.duplicates` apply; the layout fields
/// (delimiter, header, id/name/skip columns) are fixed by the format.
///
/// ```
/// use genome_io::expression::{read_gct, TableOptions};
/// let gct = "#1.2\n2\t2\nName\tDescription\tLung\tLiver\nENSG1.5\tTP53\t10\t20\nENSG2.1\tEGFR\t1\t0\n";
/// let t = read_gct(gct.as_bytes(), "x.gct".as_ref(), &TableOptions::default()).unwrap();
/// assert_eq!((t.n_genes(), t.n_columns()), (2, 2));
/// assert_eq!(t.gene_names().unwrap(), ["TP53", "EGFR"]);
/// ```
pub fn read_gct<R: BufRead>(
    reader: R,
    path: &Path,
    opts: &TableOptions,
) -> Result<ExpressionTable> {
    let gct_err = |line: u64, msg: String| {
        Error::Table(TableError::GctHeader {
            path: path.into(),
            line,
            msg,
        })
    };
    let mut lines = Lines::new(reader, path);
    match lines.next_line()? {
        None => {
            return Err(TableError::Empty {
                path: path.into(),
                msg: "empty file".into(),
            }
            .into());
        }
        Some((n, l)) if l.trim() != "#1.2" => {
            return Err(gct_err(
                n,
                format!("expected the version line '#1.2', found {:?}", trunc(l)),
            ));
        }
        Some(_) => {}
    }
    let (rows, cols) = match lines.next_line()? {
        None => {
            return Err(gct_err(
                2,
                "missing the dimension line 'rows<TAB>columns'".into(),
            ));
        }
        Some((n, l)) => {
            let d: Vec<&str> = l.split_whitespace().collect();
            match d.as_slice() {
                [r, c] => match (r.parse::<usize>(), c.parse::<usize>()) {
                    (Ok(r), Ok(c)) => (r, c),
                    _ => {
                        return Err(gct_err(
                            n,
                            format!("dimension line {:?} is not two integers", trunc(l)),
                        ));
                    }
                },
                _ => {
                    return Err(gct_err(
                        n,
                        format!("dimension line {:?} is not two integers", trunc(l)),
                    ));
                }
            }
        }
    };
    let header: Vec<String> = match lines.next_line()? {
        None => {
            return Err(gct_err(
                3,
                "missing the 'Name<TAB>Description<TAB>...' header".into(),
            ));
        }
        Some((n, l)) => {
            let h: Vec<String> = l.split('\t').map(|f| f.trim().to_owned()).collect();
            let ok = h.len() >= 2
                && h[0].eq_ignore_ascii_case("name")
                && h[1].eq_ignore_ascii_case("description");
            if !ok {
                return Err(gct_err(
                    n,
                    format!(
                        "header must start with Name<TAB>Description, found {:?}",
                        trunc(l)
                    ),
                ));
            }
            if h.len() - 2 != cols {
                return Err(gct_err(
                    n,
                    format!(
                        "header has {} sample columns but line 2 declares {cols}",
                        h.len() - 2
                    ),
                ));
            }
            h
        }
    };
    let gct_opts = TableOptions {
        delimiter: super::Delimiter::Tab,
        has_header: true,
        id_column: 0,
        name_column: Some(1),
        skip_columns: Vec::new(),
        ..opts.clone()
    };
    let mut n_rows = 0usize;
    let t = read_body(
        &mut lines,
        path,
        '\t',
        header,
        None,
        &gct_opts,
        Some(&mut n_rows),
    )?;
    if n_rows != rows {
        return Err(gct_err(
            2,
            format!("line 2 declares {rows} rows but the file has {n_rows}"),
        ));
    }
    Ok(t)
}

/// Opens a table by path (plain or gzip, detected from the content): files named `*.gct` or
/// `*.gct.gz` are read with [`read_gct`], all others with [`read_table`].
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("e.tsv");
/// std::fs::write(&p, "gene\ts1\ts2\ng1\t1\t3\n").unwrap();
/// let t = genome_io::expression::open_table(&p, &Default::default()).unwrap();
/// assert_eq!(t.row_of("g1"), Some(&[1.0, 3.0][..]));
/// ```
pub fn open_table(path: &Path, opts: &TableOptions) -> Result<ExpressionTable> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let reader = open_maybe_gz(path)?;
    if name.ends_with(".gct") || name.ends_with(".gct.gz") {
        read_gct(reader, path, opts)
    } else {
        read_table(reader, path, opts)
    }
}

fn trunc(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Resolves the value columns of a header according to the options.
fn value_columns(path: &Path, header: &[String], opts: &TableOptions) -> Result<Vec<usize>> {
    let missing = |c: String| {
        Error::Table(TableError::MissingColumn {
            path: path.into(),
            column: c,
            available: preview(header),
        })
    };
    let n = header.len();
    for &c in std::iter::once(&opts.id_column)
        .chain(opts.name_column.iter())
        .chain(&opts.skip_columns)
    {
        if c >= n {
            return Err(missing(format!("index {c} (0-based)")));
        }
    }
    let reserved = |i: usize| {
        i == opts.id_column || opts.name_column == Some(i) || opts.skip_columns.contains(&i)
    };
    let cols: Vec<usize> = match &opts.columns {
        ColumnSelection::All => (0..n).filter(|&i| !reserved(i)).collect(),
        ColumnSelection::Prefix(p) => (0..n)
            .filter(|&i| !reserved(i) && header[i].starts_with(p.as_str()))
            .collect(),
        ColumnSelection::Names(names) => names
            .iter()
            .map(|nm| {
                header
                    .iter()
                    .position(|h| h == nm)
                    .ok_or_else(|| missing(nm.clone()))
            })
            .collect::<Result<_>>()?,
        ColumnSelection::Indices(ix) => {
            if let Some(&bad) = ix.iter().find(|&&i| i >= n) {
                return Err(missing(format!("index {bad} (0-based)")));
            }
            ix.clone()
        }
    };
    if cols.is_empty() {
        return Err(TableError::Empty {
            path: path.into(),
            msg: format!("no value columns selected (header: {})", preview(header)),
        }
        .into());
    }
    Ok(cols)
}

/// Reads the data rows after the header; shared by the delimited and GCT readers.
fn read_body<R: BufRead>(
    lines: &mut Lines<'_, R>,
    path: &Path,
    delim: char,
    header: Vec<String>,
    first_row: Option<(u64, Vec<String>)>,
    opts: &TableOptions,
    row_count: Option<&mut usize>,
) -> Result<ExpressionTable> {
    let cols = value_columns(path, &header, opts)?;
    let names: Vec<String> = cols.iter().map(|&c| header[c].clone()).collect();
    let mut b = TableBuilder::new(path, names, opts.name_column.is_some(), opts.duplicates);
    let n_fields = header.len();
    let mut row = vec![0.0; cols.len()];
    let mut handle = |line: u64, fields: &[String], b: &mut TableBuilder| -> Result<()> {
        if fields.len() != n_fields {
            return Err(TableError::RaggedRow {
                path: path.into(),
                line,
                expected: n_fields,
                found: fields.len(),
            }
            .into());
        }
        let raw_id = fields[opts.id_column].trim();
        if raw_id.is_empty() {
            return Err(Error::Parse {
                path: path.into(),
                line,
                msg: format!("empty gene id in column {}", opts.id_column + 1),
            });
        }
        let id = if opts.strip_version {
            strip_version(raw_id).into_owned()
        } else {
            raw_id.to_owned()
        };
        for (slot, &c) in row.iter_mut().zip(&cols) {
            let f = fields[c].trim();
            *slot = match opts.missing {
                MissingValues::DropRow if f.is_empty() || f == "NA" => {
                    b.dropped_rows += 1;
                    return Ok(());
                }
                MissingValues::Fill(v) if f.is_empty() || f == "NA" => v,
                _ => parse_value(f, path, line, c, &header[c])?,
            };
        }
        b.push(line, id, opts.name_column.map(|c| fields[c].trim()), &row)
    };
    if let Some((line, fields)) = first_row {
        handle(line, &fields, &mut b)?;
    }
    let mut fields = Vec::with_capacity(n_fields);
    while let Some((line, text)) = lines.next_nonblank()? {
        split_fields(text, delim, &mut fields);
        handle(line, &fields, &mut b)?;
    }
    if b.rows_read == 0 && b.dropped_rows == 0 {
        return Err(TableError::Empty {
            path: path.into(),
            msg: "header but no data rows".into(),
        }
        .into());
    }
    if let Some(rc) = row_count {
        *rc = b.rows_read + b.dropped_rows;
    }
    b.finish()
}

#[cfg(test)]
mod header_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A table without its header line is refused at line 1 (its first gene used to become the
    /// header); integer column names are still read as a header.
    #[test]
    fn a_missing_header_is_an_error() {
        let opts = TableOptions::default();
        let err = read_table("g1\t1.5\t2\ng2\t3\t4\n".as_bytes(), "t.tsv".as_ref(), &opts)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.tsv:1") && err.contains("looks like data"),
            "{err}"
        );
        let t = read_table("gene\t1\t2\ng1\t3\t4\n".as_bytes(), "t.tsv".as_ref(), &opts).unwrap();
        assert_eq!(t.column_names(), ["1", "2"]);
    }
}
