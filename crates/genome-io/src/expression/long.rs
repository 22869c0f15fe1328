//! Long ("tidy") tables: one `gene, column, value` triple per line, pivoted to a wide table.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::BufRead;
use std::path::Path;

use super::{
    Delimiter, ExpressionTable, Lines, open_maybe_gz, parse_value, preview, split_fields,
    strip_version,
};
use crate::{Error, Result, TableError};

/// Options for [`read_long`]. Columns are found by their header name. The defaults follow the
/// Human Protein Atlas consensus files (`rna_tissue_consensus.tsv`: `Gene`, `Gene name`,
/// `Tissue`, `nTPM`).
#[derive(Debug, Clone, PartialEq)]
pub struct LongOptions {
    /// Field separator (default [`Delimiter::Auto`]).
    pub delimiter: Delimiter,
    /// Header name of the gene id column (default `Gene`).
    pub gene_column: String,
    /// Header name of the column that becomes the wide table's columns (default `Tissue`).
    pub sample_column: String,
    /// Header name of the value column (default `nTPM`).
    pub value_column: String,
    /// Header name of an optional gene name column (default `Some("Gene name")`; ignored with a
    /// warning-free fallback to no names if the header lacks it).
    pub name_column: Option<String>,
    /// Strip Ensembl version suffixes from gene ids (default `false`).
    pub strip_version: bool,
    /// Value for gene × column cells absent from the file; `None` (default) makes them an
    /// [`TableError::MissingCell`].
    pub fill_missing: Option<f64>,
}

impl Default for LongOptions {
    fn default() -> Self {
        LongOptions {
            delimiter: Delimiter::Auto,
            gene_column: "Gene".into(),
            sample_column: "Tissue".into(),
            value_column: "nTPM".into(),
            name_column: Some("Gene name".into()),
            strip_version: false,
            fill_missing: None,
        }
    }
}

/// Reads a long table and pivots it: genes in order of first appearance, columns in order of
/// first appearance. A repeated (gene, column) pair is a [`TableError::DuplicateCell`] naming
/// both lines; value errors are as for [`super::read_table`].
///
/// ```
/// use genome_io::expression::{read_long, LongOptions};
/// let data = "Gene\tGene name\tTissue\tnTPM\nENSG1\tA\tliver\t1\nENSG1\tA\tbrain\t2\n\
///             ENSG2\tB\tbrain\t5\nENSG2\tB\tliver\t0\n";
/// let t = read_long(data.as_bytes(), "long.tsv".as_ref(), &LongOptions::default()).unwrap();
/// assert_eq!(t.column_names(), ["liver", "brain"]);
/// assert_eq!(t.row_of("ENSG2"), Some(&[0.0, 5.0][..]));
/// ```
pub fn read_long<R: BufRead>(
    reader: R,
    path: &Path,
    opts: &LongOptions,
) -> Result<ExpressionTable> {
    let mut lines = Lines::new(reader, path);
    let header_line = match lines.next_nonblank()? {
        Some((_, l)) => l.to_owned(),
        None => {
            return Err(TableError::Empty {
                path: path.into(),
                msg: "empty file".into(),
            }
            .into());
        }
    };
    let delim = opts.delimiter.resolve(&header_line);
    let mut header = Vec::new();
    split_fields(&header_line, delim, &mut header);
    header.iter_mut().for_each(|h| *h = h.trim().to_owned());
    let find = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            Error::Table(TableError::MissingColumn {
                path: path.into(),
                column: name.to_owned(),
                available: preview(&header),
            })
        })
    };
    let (gc, sc, vc) = (
        find(&opts.gene_column)?,
        find(&opts.sample_column)?,
        find(&opts.value_column)?,
    );
    let nc = opts
        .name_column
        .as_deref()
        .and_then(|n| header.iter().position(|h| h == n));

    let mut genes: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut gene_ix: HashMap<String, usize> = HashMap::new();
    let mut cols: Vec<String> = Vec::new();
    let mut col_ix: HashMap<String, usize> = HashMap::new();
    let mut cells: HashMap<(usize, usize), (f64, u64)> = HashMap::new();
    let mut fields = Vec::with_capacity(header.len());
    while let Some((line, text)) = lines.next_nonblank()? {
        split_fields(text, delim, &mut fields);
        if fields.len() != header.len() {
            return Err(TableError::RaggedRow {
                path: path.into(),
                line,
                expected: header.len(),
                found: fields.len(),
            }
            .into());
        }
        let raw = fields[gc].trim();
        if raw.is_empty() {
            return Err(Error::Parse {
                path: path.into(),
                line,
                msg: format!("empty gene id in column {}", gc + 1),
            });
        }
        let id = if opts.strip_version {
            strip_version(raw).into_owned()
        } else {
            raw.to_owned()
        };
        let g = *gene_ix.entry(id).or_insert_with_key(|k| {
            genes.push(k.clone());
            names.push(nc.map(|c| fields[c].trim().to_owned()).unwrap_or_default());
            genes.len() - 1
        });
        let c = *col_ix
            .entry(fields[sc].trim().to_owned())
            .or_insert_with_key(|k| {
                cols.push(k.clone());
                cols.len() - 1
            });
        let v = parse_value(&fields[vc], path, line, vc, &header[vc])?;
        match cells.entry((g, c)) {
            Entry::Vacant(e) => {
                e.insert((v, line));
            }
            Entry::Occupied(e) => {
                return Err(TableError::DuplicateCell {
                    path: path.into(),
                    line,
                    first_line: e.get().1,
                    gene: genes[g].clone(),
                    column: cols[c].clone(),
                }
                .into());
            }
        }
    }
    if genes.is_empty() {
        return Err(TableError::Empty {
            path: path.into(),
            msg: "header but no data rows".into(),
        }
        .into());
    }
    let n = cols.len();
    let mut values = vec![f64::NAN; genes.len() * n];
    for (&(g, c), &(v, _)) in &cells {
        values[g * n + c] = v;
    }
    let missing = values.iter().filter(|v| v.is_nan()).count();
    if missing > 0 {
        match opts.fill_missing {
            Some(f) => values
                .iter_mut()
                .filter(|v| v.is_nan())
                .for_each(|v| *v = f),
            None => {
                let first = values.iter().position(|v| v.is_nan()).unwrap_or(0);
                return Err(TableError::MissingCell {
                    path: path.into(),
                    missing,
                    gene: genes[first / n].clone(),
                    column: cols[first % n].clone(),
                }
                .into());
            }
        }
    }
    let mut t = ExpressionTable::from_rows(genes, cols, values)?;
    t.set_gene_names(nc.map(|_| names));
    Ok(t)
}

/// Opens a long table by path (plain or gzip) and reads it with [`read_long`].
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("long.csv");
/// std::fs::write(&p, "Gene,Tissue,nTPM\ng1,liver,3\n").unwrap();
/// let t = genome_io::expression::open_long(&p, &Default::default()).unwrap();
/// assert_eq!(t.row_of("g1"), Some(&[3.0][..]));
/// ```
pub fn open_long(path: &Path, opts: &LongOptions) -> Result<ExpressionTable> {
    read_long(open_maybe_gz(path)?, path, opts)
}
