//! Streaming count matrices: TSV, CSV or GCT 1.2, plain or gzip, genes × samples or
//! samples × genes, read one row at a time.
//!
//! A [`MatrixReader`] parses the header (the column ids: sample ids for
//! [`Orientation::GenesBySamples`], gene ids for [`Orientation::SamplesByGenes`]) and then yields
//! one [`MatrixRow`] per data line — one gene, or one sample — either into a caller's buffer with
//! [`MatrixReader::read_row`] (no allocation per row once the buffer has grown) or as an
//! iterator. The whole matrix is never held in memory; read it several times by opening it again.
//!
//! Layouts:
//!
//! | format | header | data rows |
//! |---|---|---|
//! | TSV / CSV, genes × samples | `gene_id[,symbol],S1,S2…` | `id[,symbol],count…` |
//! | TSV / CSV, samples × genes | `sample,G1,G2…` | `sample_id,count…` |
//! | GCT 1.2 (genes × samples only) | `#1.2`, `rows<TAB>cols`, `Name<TAB>Description<TAB>S1…` | `id<TAB>symbol<TAB>count…` |
//!
//! Every count must be a finite, non-negative number; ragged rows, non-numeric / NaN / negative
//! counts, duplicate ids (in the header or on two rows) and a matrix without columns or rows are
//! [`MatrixError`]s naming the file, line and column.
//!
//! ```
//! use genome_io::matrix::{MatrixOptions, MatrixReader, MatrixRow, Orientation};
//! let tsv = "gene_id\tA\tB\ng1\t5\t0\ng2\t1\t3\n";
//! let opts = MatrixOptions::tsv(Orientation::GenesBySamples);
//! let mut r = MatrixReader::from_reader(tsv.as_bytes(), "inline.tsv".as_ref(), &opts).unwrap();
//! assert_eq!(r.columns(), ["A", "B"]);
//! let mut row = MatrixRow::default();
//! assert!(r.read_row(&mut row).unwrap());
//! assert_eq!((row.id.as_str(), row.values.as_slice()), ("g1", &[5.0, 0.0][..]));
//! assert!(r.read_row(&mut row).unwrap());
//! assert!(!r.read_row(&mut row).unwrap()); // end of the matrix
//! ```

mod error;
mod reader;

pub use error::MatrixError;
pub use reader::{MatrixReader, MatrixRow};

use std::path::Path;

/// What a row of the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Orientation {
    /// One gene per row (first column gene id, optionally a symbol column); the header holds
    /// the sample ids.
    GenesBySamples,
    /// One sample per row (first column sample id); the header holds the gene ids.
    SamplesByGenes,
}

/// The text format of a matrix file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MatrixFormat {
    /// Tab-separated.
    Tsv,
    /// Comma-separated (double quotes allowed around fields).
    Csv,
    /// GCT 1.2: `#1.2`, a dimension line, then `Name`, `Description` and one column per sample.
    Gct,
    /// From the file name (a trailing `.gz` is ignored): `.gct` → GCT, `.csv` → CSV, else TSV.
    #[default]
    Auto,
}

impl MatrixFormat {
    /// Resolves [`MatrixFormat::Auto`] from `path`'s name.
    ///
    /// ```
    /// use genome_io::matrix::MatrixFormat;
    /// assert_eq!(MatrixFormat::Auto.resolve("x/counts.gct.gz".as_ref()), MatrixFormat::Gct);
    /// assert_eq!(MatrixFormat::Auto.resolve("a.CSV".as_ref()), MatrixFormat::Csv);
    /// assert_eq!(MatrixFormat::Auto.resolve("a.txt".as_ref()), MatrixFormat::Tsv);
    /// assert_eq!(MatrixFormat::Csv.resolve("a.tsv".as_ref()), MatrixFormat::Csv);
    /// ```
    pub fn resolve(self, path: &Path) -> MatrixFormat {
        if self != MatrixFormat::Auto {
            return self;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        if name.ends_with(".gct") {
            MatrixFormat::Gct
        } else if name.ends_with(".csv") {
            MatrixFormat::Csv
        } else {
            MatrixFormat::Tsv
        }
    }
}

/// How to read a matrix file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MatrixOptions {
    /// The text format.
    pub format: MatrixFormat,
    /// Genes × samples or samples × genes.
    pub orientation: Orientation,
    /// Genes × samples TSV/CSV only: the second column holds gene symbols (GCT always has its
    /// `Description` column, read as the symbol).
    pub symbol_column: bool,
}

impl MatrixOptions {
    /// TSV in `orientation`, no symbol column.
    ///
    /// ```
    /// use genome_io::matrix::{MatrixFormat, MatrixOptions, Orientation};
    /// let o = MatrixOptions::tsv(Orientation::SamplesByGenes);
    /// assert_eq!((o.format, o.symbol_column), (MatrixFormat::Tsv, false));
    /// ```
    pub fn tsv(orientation: Orientation) -> Self {
        MatrixOptions {
            format: MatrixFormat::Tsv,
            orientation,
            symbol_column: false,
        }
    }
}
