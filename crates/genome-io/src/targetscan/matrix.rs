//! The sparse gene × miRNA score matrix.

use std::collections::HashMap;

use crate::expression::strip_version;

/// One non-zero cell of a [`TargetMatrix`] row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetEntry {
    /// Column (miRNA) index.
    pub mirna: usize,
    /// Sum of the weighted context++ scores of the (gene, miRNA) rows.
    pub score: f64,
    /// Number of rows (sites, or Summary_Counts rows) summed.
    pub sites: u32,
}

/// Sparse gene × miRNA matrix of summed weighted context++ scores. Rows are genes in order of
/// first appearance, columns miRNAs in order of first appearance; each row's entries are sorted
/// by miRNA index. A pair absent from the matrix is "not targeted" (score 0).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetMatrix {
    genes: Vec<String>,
    mirnas: Vec<String>,
    gene_index: HashMap<String, usize>,
    mirna_index: HashMap<String, usize>,
    rows: Vec<Vec<TargetEntry>>,
}

impl TargetMatrix {
    /// Builds a matrix from `(gene, miRNA, score)` triplets, summing repeated pairs (no name
    /// normalisation is applied here).
    ///
    /// ```
    /// use genome_io::targetscan::TargetMatrix;
    /// let m = TargetMatrix::from_triplets([("G1", "mir-1", -0.2), ("G1", "mir-1", -0.1), ("G2", "mir-7", -0.3)]);
    /// assert_eq!((m.n_genes(), m.n_mirnas(), m.nnz()), (2, 2, 2));
    /// assert!((m.score("G1", "mir-1").unwrap() + 0.3).abs() < 1e-12);
    /// assert_eq!(m.score("G2", "mir-1"), None);
    /// ```
    pub fn from_triplets<I, G, M>(triplets: I) -> Self
    where
        I: IntoIterator<Item = (G, M, f64)>,
        G: AsRef<str>,
        M: AsRef<str>,
    {
        let mut b = MatrixBuilder::default();
        for (g, m, s) in triplets {
            b.add(g.as_ref(), m.as_ref(), s);
        }
        b.finish()
    }

    /// Number of genes (rows).
    pub fn n_genes(&self) -> usize {
        self.genes.len()
    }

    /// Number of miRNAs (columns).
    pub fn n_mirnas(&self) -> usize {
        self.mirnas.len()
    }

    /// Number of stored (gene, miRNA) pairs.
    pub fn nnz(&self) -> usize {
        self.rows.iter().map(Vec::len).sum()
    }

    /// Gene ids in row order.
    pub fn genes(&self) -> &[String] {
        &self.genes
    }

    /// miRNA names in column order.
    pub fn mirnas(&self) -> &[String] {
        &self.mirnas
    }

    /// Row of a gene: exact id first, then its version-stripped form.
    pub fn gene_index(&self, gene: &str) -> Option<usize> {
        self.gene_index
            .get(gene)
            .or_else(|| self.gene_index.get(strip_version(gene).as_ref()))
            .copied()
    }

    /// Column of a miRNA (exact, already-normalised name).
    pub fn mirna_index(&self, mirna: &str) -> Option<usize> {
        self.mirna_index.get(mirna).copied()
    }

    /// The entries of row `i`, sorted by miRNA index.
    pub fn row(&self, i: usize) -> &[TargetEntry] {
        &self.rows[i]
    }

    /// The stored entry of a pair, if the gene is targeted by the miRNA.
    pub fn entry(&self, gene: &str, mirna: &str) -> Option<TargetEntry> {
        let (g, m) = (self.gene_index(gene)?, self.mirna_index(mirna)?);
        let row = &self.rows[g];
        row.binary_search_by_key(&m, |e| e.mirna)
            .ok()
            .map(|k| row[k])
    }

    /// The summed score of a pair (`None` if not targeted).
    pub fn score(&self, gene: &str, mirna: &str) -> Option<f64> {
        self.entry(gene, mirna).map(|e| e.score)
    }
}

/// Accumulates triplets; used by the readers.
#[derive(Default)]
pub(crate) struct MatrixBuilder {
    genes: Vec<String>,
    mirnas: Vec<String>,
    gene_index: HashMap<String, usize>,
    mirna_index: HashMap<String, usize>,
    cells: HashMap<(usize, usize), (f64, u32)>,
}

impl MatrixBuilder {
    pub(crate) fn add(&mut self, gene: &str, mirna: &str, score: f64) {
        let g = match self.gene_index.get(gene) {
            Some(&g) => g,
            None => {
                self.genes.push(gene.to_owned());
                self.gene_index
                    .insert(gene.to_owned(), self.genes.len() - 1);
                self.genes.len() - 1
            }
        };
        let m = match self.mirna_index.get(mirna) {
            Some(&m) => m,
            None => {
                self.mirnas.push(mirna.to_owned());
                self.mirna_index
                    .insert(mirna.to_owned(), self.mirnas.len() - 1);
                self.mirnas.len() - 1
            }
        };
        let c = self.cells.entry((g, m)).or_insert((0.0, 0));
        c.0 += score;
        c.1 += 1;
    }

    pub(crate) fn finish(self) -> TargetMatrix {
        let mut rows: Vec<Vec<TargetEntry>> = vec![Vec::new(); self.genes.len()];
        for ((g, m), (score, sites)) in self.cells {
            rows[g].push(TargetEntry {
                mirna: m,
                score,
                sites,
            });
        }
        rows.iter_mut()
            .for_each(|r| r.sort_unstable_by_key(|e| e.mirna));
        TargetMatrix {
            genes: self.genes,
            mirnas: self.mirnas,
            gene_index: self.gene_index,
            mirna_index: self.mirna_index,
            rows,
        }
    }
}
