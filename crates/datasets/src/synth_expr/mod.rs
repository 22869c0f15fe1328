//! A seeded synthetic bulk-expression world with planted co-expression modules: a samples ×
//! genes raw-count matrix whose answer is known (which genes co-vary, which samples and genes a
//! GeneRAIN-style preparation must drop).
//!
//! # Generative model
//!
//! For gene `g` and sample `s` (every draw from ChaCha8 streams of [`SynthExprConfig::seed`]):
//!
//! ```text
//! roles      a random permutation of the genes: the first n_modules × genes_per_module form
//!            modules M1, M2, ... (consecutive blocks), the next n_low_mean_genes are near-zero,
//!            the next 2 × n_duplicate_symbols are paired (the second of a pair takes the
//!            first's symbol); all but the module genes are in no module
//! b[g]     ~ N(0, baseline_sd²)                                  baseline log abundance
//! w[g]     = module_effect · U(0.6, 1.4) for module genes, else 0  loading
//! A[m,s]   ~ N(0, 1)                                             module activity of a sample
//! L[s]     = clamp(library_median · 10^(library_log10_sd · z[s]), min_library,
//!                  library_median · 10^(4 · library_log10_sd))    library size, z ~ N(0, 1)
//! η[g,s]   = b[g] + w[g] · A[module(g), s] + noise_sd · ε[g,s]    ε ~ N(0, 1)
//! λ[g,s]   = L[s] · exp(η[g,s]) / Σ_{g' not near-zero} exp(η[g',s]);  near-zero genes:
//!            λ = L[s] · 1e-9 (LOW_MEAN_RATE)
//! x[g,s]   ~ Poisson(λ[g,s]), then 0 with probability dropout_max · exp(−λ[g,s] / dropout_scale)
//! ```
//!
//! Planted failures: `n_low_count_samples` samples get `L = low_count_library` (default 3e5,
//! below a 1,000,000-count filter, which every other sample passes since `min_library` is
//! 1.5e6); when `n_genes > 2000`, `n_sparse_samples` samples keep only `sparse_expressed`
//! (default 1,500) random genes with `λ > 0` (at most 2,000 expressed genes). Near-zero genes
//! have an expected count of `L · 1e-9` (about 0.004), so a mean filter drops them. Two genes
//! of a duplicated pair share a symbol (`gene_id`s stay unique). [`ExprWorld`] holds all of it;
//! [`ExprWorld::write`] writes `counts.tsv`, `modules.tsv`, `modules.gmt` and `truth.json`.
//!
//! The same config gives byte-identical files (one random stream per sample, so the result
//! does not depend on the number of threads).
//!
//! ```
//! use datasets::synth_expr::{generate, SynthExprConfig};
//! let cfg = SynthExprConfig { n_samples: 20, n_genes: 300, n_modules: 3, genes_per_module: 10,
//!     ..Default::default() };
//! let world = generate(&cfg).unwrap();
//! assert_eq!(world.module_genes(0).len(), 10);
//! let dir = tempfile::tempdir().unwrap();
//! let paths = world.write(dir.path()).unwrap();
//! let counts = std::fs::read_to_string(&paths.counts).unwrap();
//! assert!(counts.starts_with("gene_id\tsymbol\tS1\tS2\t"));
//! ```

mod config;
mod generate;
#[cfg(test)]
mod tests;
mod write;

use std::path::PathBuf;

pub use config::{MAX_CELLS, SPARSE_LIMIT, SynthExprConfig};
pub use generate::{LOW_MEAN_RATE, POISSON_EXACT_BELOW};
pub use write::{ExprPaths, Truth};

use crate::Result;

/// Builds the world of `config` in memory (after [`SynthExprConfig::validate`]).
///
/// ```
/// use datasets::synth_expr::{generate, SynthExprConfig};
/// let cfg = SynthExprConfig { n_samples: 10, n_genes: 100, n_modules: 2, genes_per_module: 5,
///     ..Default::default() };
/// let w = generate(&cfg).unwrap();
/// assert_eq!(w.counts.len(), 1000);
/// assert!(generate(&SynthExprConfig { n_samples: 0, ..cfg }).is_err());
/// ```
pub fn generate(config: &SynthExprConfig) -> Result<ExprWorld> {
    generate::generate(config)
}

/// A generated world: counts, names and the planted truth.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprWorld {
    /// The configuration it was built from.
    pub config: SynthExprConfig,
    /// Gene ids `SYNG00001..` (unique).
    pub gene_ids: Vec<String>,
    /// Gene symbols `SYM00001..` (duplicated pairs share one).
    pub symbols: Vec<String>,
    /// Sample ids `S1..`.
    pub sample_ids: Vec<String>,
    /// Module (0-based; written `M1..`) of each gene, `None` for genes in no module.
    pub module_of: Vec<Option<usize>>,
    /// Module loading `w[g]` of each gene (0 outside modules).
    pub loading: Vec<f64>,
    /// Module activities `A[m, s]`, module-major: `activity[m * n_samples + s]`.
    pub activity: Vec<f64>,
    /// Library size `L[s]` each sample was drawn with (the counts sum to about it).
    pub library_size: Vec<f64>,
    /// Raw counts, gene-major: `counts[g * n_samples + s]`.
    pub counts: Vec<u32>,
    /// Genes with a near-zero mean (sorted).
    pub low_mean_genes: Vec<usize>,
    /// `(gene, gene whose symbol was overwritten with the first's)` pairs (sorted).
    pub duplicated_symbols: Vec<(usize, usize)>,
    /// Samples with a library below 1,000,000 counts (sorted).
    pub low_count_samples: Vec<usize>,
    /// Samples with at most 2,000 expressed genes (sorted; empty when `n_genes <= 2000`).
    pub sparse_samples: Vec<usize>,
}

impl ExprWorld {
    /// Number of genes.
    pub fn n_genes(&self) -> usize {
        self.gene_ids.len()
    }

    /// Number of samples.
    pub fn n_samples(&self) -> usize {
        self.sample_ids.len()
    }

    /// Count of gene `g` in sample `s`.
    ///
    /// ```
    /// use datasets::synth_expr::{generate, SynthExprConfig};
    /// let w = generate(&SynthExprConfig { n_samples: 5, n_genes: 50, n_modules: 1,
    ///     genes_per_module: 5, ..Default::default() }).unwrap();
    /// assert_eq!(w.count(3, 2), w.counts[3 * 5 + 2]);
    /// ```
    pub fn count(&self, g: usize, s: usize) -> u32 {
        self.counts[g * self.n_samples() + s]
    }

    /// The genes of module `m` (0-based), ascending.
    ///
    /// ```
    /// use datasets::synth_expr::{generate, SynthExprConfig};
    /// let w = generate(&SynthExprConfig { n_samples: 5, n_genes: 50, n_modules: 2,
    ///     genes_per_module: 4, ..Default::default() }).unwrap();
    /// assert!(w.module_genes(1).iter().all(|&g| w.module_of[g] == Some(1)));
    /// ```
    pub fn module_genes(&self, m: usize) -> Vec<usize> {
        (0..self.n_genes())
            .filter(|&g| self.module_of[g] == Some(m))
            .collect()
    }

    /// Total counts of sample `s`.
    ///
    /// ```
    /// use datasets::synth_expr::{generate, SynthExprConfig};
    /// let w = generate(&SynthExprConfig { n_samples: 5, n_genes: 50, n_modules: 1,
    ///     genes_per_module: 5, n_low_count_samples: 0, ..Default::default() }).unwrap();
    /// assert!(w.library(0) > 1_000_000);
    /// ```
    pub fn library(&self, s: usize) -> u64 {
        (0..self.n_genes())
            .map(|g| u64::from(self.count(g, s)))
            .sum()
    }

    /// Number of genes with a non-zero count in sample `s`.
    ///
    /// ```
    /// use datasets::synth_expr::{generate, SynthExprConfig};
    /// let w = generate(&SynthExprConfig { n_samples: 5, n_genes: 50, n_modules: 1,
    ///     genes_per_module: 5, ..Default::default() }).unwrap();
    /// assert!(w.n_expressed(0) <= 50);
    /// ```
    pub fn n_expressed(&self, s: usize) -> usize {
        (0..self.n_genes())
            .filter(|&g| self.count(g, s) > 0)
            .count()
    }

    /// Writes `counts.tsv`, `modules.tsv`, `modules.gmt` and `truth.json` into `dir` (created
    /// if needed; each file atomically). See [`ExprPaths`] for the formats.
    pub fn write(&self, dir: impl Into<PathBuf>) -> Result<ExprPaths> {
        write::write(self, dir.into())
    }
}
