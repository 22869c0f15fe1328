//! The in-memory gene × column matrix and the builder the readers share.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use super::DuplicatePolicy;
use crate::{Error, Result, TableError};

/// How to summarise a gene's row into one label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Summary {
    /// The median across columns; for an even count, the mean of the two middle values (default).
    #[default]
    Median,
    /// The arithmetic mean across columns.
    Mean,
}

/// A dense gene × column matrix of finite values, row-major, with unique gene ids.
///
/// Rows keep the order of the input (the first occurrence, when duplicates were aggregated).
#[derive(Debug, Clone, PartialEq)]
pub struct ExpressionTable {
    gene_ids: Vec<String>,
    gene_names: Option<Vec<String>>,
    columns: Vec<String>,
    values: Vec<f64>,
    index: HashMap<String, usize>,
    dropped_rows: usize,
}

impl ExpressionTable {
    /// Builds a table from gene ids, column names and row-major values
    /// (`values.len() == gene_ids.len() * columns.len()`). Duplicate ids, a shape mismatch or a
    /// non-finite value give [`Error::InvalidArgument`].
    ///
    /// ```
    /// use genome_io::expression::ExpressionTable;
    /// let t = ExpressionTable::from_rows(
    ///     vec!["g1".into(), "g2".into()],
    ///     vec!["liver".into(), "brain".into()],
    ///     vec![1.0, 2.0, 3.0, 4.0],
    /// ).unwrap();
    /// assert_eq!(t.row_of("g2"), Some(&[3.0, 4.0][..]));
    /// ```
    pub fn from_rows(
        gene_ids: Vec<String>,
        columns: Vec<String>,
        values: Vec<f64>,
    ) -> Result<Self> {
        if values.len() != gene_ids.len() * columns.len() {
            return Err(Error::InvalidArgument(format!(
                "expression table: {} values for {} genes x {} columns",
                values.len(),
                gene_ids.len(),
                columns.len()
            )));
        }
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidArgument(format!(
                "expression table: non-finite value {} at gene {:?}",
                values[i],
                gene_ids[i / columns.len().max(1)]
            )));
        }
        let mut index = HashMap::with_capacity(gene_ids.len());
        for (i, id) in gene_ids.iter().enumerate() {
            if index.insert(id.clone(), i).is_some() {
                return Err(Error::InvalidArgument(format!(
                    "expression table: duplicate gene id {id:?}"
                )));
            }
        }
        Ok(ExpressionTable {
            gene_ids,
            gene_names: None,
            columns,
            values,
            index,
            dropped_rows: 0,
        })
    }

    /// Number of genes (rows).
    ///
    /// ```
    /// # use genome_io::expression::ExpressionTable;
    /// let t = ExpressionTable::from_rows(vec!["g".into()], vec!["a".into()], vec![1.0]).unwrap();
    /// assert_eq!((t.n_genes(), t.n_columns()), (1, 1));
    /// ```
    pub fn n_genes(&self) -> usize {
        self.gene_ids.len()
    }

    /// Number of value columns (samples or tissues).
    pub fn n_columns(&self) -> usize {
        self.columns.len()
    }

    /// Gene ids in row order (version-stripped if the reader was asked to).
    pub fn gene_ids(&self) -> &[String] {
        &self.gene_ids
    }

    /// Gene names (name column, or GCT `Description`), when the reader had one.
    pub fn gene_names(&self) -> Option<&[String]> {
        self.gene_names.as_deref()
    }

    /// Column (sample / tissue) names.
    pub fn column_names(&self) -> &[String] {
        &self.columns
    }

    /// All values, row-major (`gene * n_columns + column`).
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Row index of a gene id (exact match on the stored id).
    ///
    /// ```
    /// # use genome_io::expression::ExpressionTable;
    /// let t = ExpressionTable::from_rows(vec!["g".into()], vec!["a".into()], vec![1.0]).unwrap();
    /// assert_eq!(t.gene_index("g"), Some(0));
    /// assert_eq!(t.gene_index("h"), None);
    /// ```
    pub fn gene_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The values of row `i` (panics if `i >= n_genes()`, like slice indexing).
    pub fn row(&self, i: usize) -> &[f64] {
        let n = self.columns.len();
        &self.values[i * n..(i + 1) * n]
    }

    /// The values of a gene, by id.
    pub fn row_of(&self, id: &str) -> Option<&[f64]> {
        self.gene_index(id).map(|i| self.row(i))
    }

    /// Index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The values of column `j` across all genes, in row order.
    ///
    /// ```
    /// # use genome_io::expression::ExpressionTable;
    /// let t = ExpressionTable::from_rows(
    ///     vec!["g1".into(), "g2".into()], vec!["a".into(), "b".into()], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert_eq!(t.column(1), vec![2.0, 4.0]);
    /// ```
    pub fn column(&self, j: usize) -> Vec<f64> {
        let n = self.columns.len();
        (0..self.gene_ids.len())
            .map(|i| self.values[i * n + j])
            .collect()
    }

    /// One label per gene: the median or mean of its row (NaN for a table without columns,
    /// which the readers never produce).
    ///
    /// ```
    /// use genome_io::expression::{ExpressionTable, Summary};
    /// let t = ExpressionTable::from_rows(
    ///     vec!["g1".into(), "g2".into()],
    ///     vec!["a".into(), "b".into(), "c".into(), "d".into()],
    ///     vec![4.0, 1.0, 3.0, 2.0, 0.0, 0.0, 0.0, 8.0],
    /// ).unwrap();
    /// assert_eq!(t.summarize(Summary::Median), vec![2.5, 0.0]);
    /// assert_eq!(t.summarize(Summary::Mean), vec![2.5, 2.0]);
    /// ```
    pub fn summarize(&self, how: Summary) -> Vec<f64> {
        let mut scratch = Vec::with_capacity(self.columns.len());
        (0..self.gene_ids.len())
            .map(|i| {
                let row = self.row(i);
                match how {
                    Summary::Mean => row.iter().sum::<f64>() / row.len() as f64,
                    Summary::Median => {
                        scratch.clear();
                        scratch.extend_from_slice(row);
                        median_in_place(&mut scratch)
                    }
                }
            })
            .collect()
    }

    /// Rows the reader dropped because of missing values ([`super::MissingValues::DropRow`]).
    pub fn dropped_rows(&self) -> usize {
        self.dropped_rows
    }

    pub(crate) fn set_gene_names(&mut self, names: Option<Vec<String>>) {
        self.gene_names = names;
    }
}

/// Median of finite values (sorts `v`); NaN when empty.
pub(crate) fn median_in_place(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Accumulates rows, enforcing unique ids or aggregating duplicates.
pub(crate) struct TableBuilder {
    path: PathBuf,
    policy: DuplicatePolicy,
    columns: Vec<String>,
    ids: Vec<String>,
    names: Vec<String>,
    has_names: bool,
    values: Vec<f64>,
    counts: Vec<u32>,
    first_line: HashMap<String, (usize, u64)>,
    pub(crate) rows_read: usize,
    pub(crate) dropped_rows: usize,
}

impl TableBuilder {
    pub(crate) fn new(
        path: &Path,
        columns: Vec<String>,
        has_names: bool,
        policy: DuplicatePolicy,
    ) -> Self {
        TableBuilder {
            path: path.to_path_buf(),
            policy,
            columns,
            ids: Vec::new(),
            names: Vec::new(),
            has_names,
            values: Vec::new(),
            counts: Vec::new(),
            first_line: HashMap::new(),
            rows_read: 0,
            dropped_rows: 0,
        }
    }

    /// Adds one row of `columns.len()` values read on `line`.
    pub(crate) fn push(
        &mut self,
        line: u64,
        id: String,
        name: Option<&str>,
        row: &[f64],
    ) -> Result<()> {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows_read += 1;
        let n = self.columns.len();
        match self.first_line.entry(id) {
            Entry::Vacant(e) => {
                let r = self.ids.len();
                self.ids.push(e.key().clone());
                e.insert((r, line));
                if self.has_names {
                    self.names.push(name.unwrap_or_default().to_owned());
                }
                self.values.extend_from_slice(row);
                self.counts.push(1);
            }
            Entry::Occupied(e) => {
                let (r, first) = *e.get();
                if self.policy == DuplicatePolicy::Error {
                    return Err(TableError::DuplicateId {
                        path: self.path.clone(),
                        line,
                        first_line: first,
                        id: e.key().clone(),
                    }
                    .into());
                }
                for (acc, v) in self.values[r * n..(r + 1) * n].iter_mut().zip(row) {
                    *acc += v;
                }
                self.counts[r] += 1;
            }
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<ExpressionTable> {
        if self.ids.is_empty() {
            let msg = if self.dropped_rows > 0 {
                format!(
                    "all {} data rows dropped for missing values",
                    self.dropped_rows
                )
            } else {
                "no data rows".into()
            };
            return Err(TableError::Empty {
                path: self.path,
                msg,
            }
            .into());
        }
        let n = self.columns.len();
        if self.policy == DuplicatePolicy::Mean {
            for (r, &c) in self.counts.iter().enumerate() {
                if c > 1 {
                    self.values[r * n..(r + 1) * n]
                        .iter_mut()
                        .for_each(|v| *v /= f64::from(c));
                }
            }
        }
        if let Some((r, _)) = self.values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::InvalidArgument(format!(
                "{}: aggregating duplicate rows of gene {:?} overflowed to a non-finite value",
                self.path.display(),
                self.ids[r / n]
            )));
        }
        let index = self
            .first_line
            .into_iter()
            .map(|(k, (r, _))| (k, r))
            .collect();
        Ok(ExpressionTable {
            gene_ids: self.ids,
            gene_names: self.has_names.then_some(self.names),
            columns: self.columns,
            values: self.values,
            index,
            dropped_rows: self.dropped_rows,
        })
    }
}
