//! [`SynthExprConfig`]: every knob of the synthetic expression world and its validation.

use crate::Result;
use crate::error::SynthError;

/// Largest `n_samples × n_genes` accepted (the count matrix is held in memory as `u32`).
pub const MAX_CELLS: usize = 1 << 28;

/// The planted low-expressed-gene sample keeps at most this many genes non-zero (the
/// "more than 2,000 expressed genes" sample filter of GeneRAIN).
pub const SPARSE_LIMIT: usize = 2000;

/// Configuration of the synthetic expression world; see the [module docs](super) for the
/// generative model. [`Default`] is small enough for tests (300 samples × 2,500 genes,
/// 8 modules of 40 genes).
///
/// ```
/// use datasets::synth_expr::SynthExprConfig;
/// let cfg = SynthExprConfig { seed: 7, n_samples: 40, ..Default::default() };
/// assert!(cfg.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SynthExprConfig {
    /// Seed of every random draw: the same config gives byte-identical files.
    pub seed: u64,
    /// Number of samples (columns `S1..`).
    pub n_samples: usize,
    /// Number of genes (rows).
    pub n_genes: usize,
    /// Number of co-expression modules (`M1..`).
    pub n_modules: usize,
    /// Genes per module (the other genes belong to no module).
    pub genes_per_module: usize,
    /// Scale of the module effect on the natural-log rate: gene loadings are
    /// `module_effect × U(0.6, 1.4)`.
    pub module_effect: f64,
    /// Standard deviation of the per-gene baseline natural-log abundance.
    pub baseline_sd: f64,
    /// Standard deviation of the per-gene-and-sample natural-log noise.
    pub noise_sd: f64,
    /// Median library size (total counts) of a sample.
    pub library_median: f64,
    /// Standard deviation of `log10(library size)` across samples.
    pub library_log10_sd: f64,
    /// Smallest library size of an ordinary sample (draws below are raised to it), so that
    /// every ordinary sample passes a 1,000,000-count filter.
    pub min_library: f64,
    /// Dropout probability of a gene whose expected count is 0; it decays as
    /// `dropout_max · exp(−λ / dropout_scale)`.
    pub dropout_max: f64,
    /// Expected count at which the dropout probability has fallen by a factor e.
    pub dropout_scale: f64,
    /// Genes with a near-zero mean (expected count `library · 1e-9`), in no module.
    pub n_low_mean_genes: usize,
    /// Genes that get another gene's symbol (both in no module; the GMT stays unambiguous).
    pub n_duplicate_symbols: usize,
    /// Samples with a library of `low_count_library` counts (fail a 1,000,000-count filter).
    pub n_low_count_samples: usize,
    /// Library size of the low-count samples.
    pub low_count_library: f64,
    /// Samples with only `sparse_expressed` non-zero genes (fail a "> 2,000 expressed genes"
    /// filter); planted only when `n_genes > SPARSE_LIMIT`.
    pub n_sparse_samples: usize,
    /// Non-zero genes of a sparse sample (at most [`SPARSE_LIMIT`]).
    pub sparse_expressed: usize,
}

impl Default for SynthExprConfig {
    fn default() -> Self {
        SynthExprConfig {
            seed: 42,
            n_samples: 300,
            n_genes: 2500,
            n_modules: 8,
            genes_per_module: 40,
            module_effect: 1.0,
            baseline_sd: 1.5,
            noise_sd: 0.3,
            library_median: 4e6,
            library_log10_sd: 0.15,
            min_library: 1.5e6,
            dropout_max: 0.3,
            dropout_scale: 10.0,
            n_low_mean_genes: 10,
            n_duplicate_symbols: 4,
            n_low_count_samples: 1,
            low_count_library: 3e5,
            n_sparse_samples: 1,
            sparse_expressed: 1500,
        }
    }
}

impl SynthExprConfig {
    /// Whether the sparse samples are planted (`n_genes > SPARSE_LIMIT`, so that ordinary
    /// samples can have more than 2,000 expressed genes).
    ///
    /// ```
    /// use datasets::synth_expr::SynthExprConfig;
    /// assert!(SynthExprConfig::default().plants_sparse_samples());
    /// assert!(!SynthExprConfig { n_genes: 500, genes_per_module: 20, ..Default::default() }.plants_sparse_samples());
    /// ```
    pub fn plants_sparse_samples(&self) -> bool {
        self.n_sparse_samples > 0 && self.n_genes > SPARSE_LIMIT
    }

    /// Checks sizes and parameters: at least one sample, gene and module; the matrix within
    /// [`MAX_CELLS`]; module, low-mean and duplicated genes fit in `n_genes`; planted samples
    /// leave at least one ordinary sample; positive finite scales; probabilities in `[0, 1]`.
    ///
    /// ```
    /// use datasets::synth_expr::SynthExprConfig;
    /// let bad = SynthExprConfig { n_modules: 100, ..Default::default() };
    /// assert!(bad.validate().unwrap_err().to_string().contains("do not fit"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        let err = |m: String| Err(SynthError::InvalidArgument(m).into());
        if self.n_samples == 0 || self.n_genes == 0 || self.n_modules == 0 {
            return err(format!(
                "synth_expr: n_samples ({}), n_genes ({}) and n_modules ({}) must be >= 1",
                self.n_samples, self.n_genes, self.n_modules
            ));
        }
        if self
            .n_samples
            .checked_mul(self.n_genes)
            .is_none_or(|c| c > MAX_CELLS)
        {
            return err(format!(
                "synth_expr: {} samples × {} genes exceeds {MAX_CELLS} counts",
                self.n_samples, self.n_genes
            ));
        }
        if self.genes_per_module < 2 {
            return err("synth_expr: genes_per_module must be >= 2".into());
        }
        let special = self
            .n_modules
            .checked_mul(self.genes_per_module)
            .and_then(|m| m.checked_add(self.n_low_mean_genes))
            .and_then(|m| m.checked_add(self.n_duplicate_symbols.checked_mul(2)?));
        if special.is_none_or(|m| m > self.n_genes) {
            return err(format!(
                "synth_expr: {} modules × {} genes + {} low-mean genes + 2 × {} duplicated symbols do not fit in {} genes",
                self.n_modules,
                self.genes_per_module,
                self.n_low_mean_genes,
                self.n_duplicate_symbols,
                self.n_genes
            ));
        }
        let planted = self
            .n_low_count_samples
            .saturating_add(self.n_sparse_samples);
        if planted >= self.n_samples {
            return err(format!(
                "synth_expr: {planted} planted failing samples leave no ordinary one among {}",
                self.n_samples
            ));
        }
        if self.sparse_expressed == 0 || self.sparse_expressed > SPARSE_LIMIT {
            return err(format!(
                "synth_expr: sparse_expressed must be in 1..={SPARSE_LIMIT}, got {}",
                self.sparse_expressed
            ));
        }
        for (name, v) in [
            ("module_effect", self.module_effect),
            ("library_median", self.library_median),
            ("min_library", self.min_library),
            ("low_count_library", self.low_count_library),
            ("dropout_scale", self.dropout_scale),
        ] {
            if !(v.is_finite() && v > 0.0 && v <= 1e9) {
                return err(format!("synth_expr: {name} must be in (0, 1e9], got {v}"));
            }
        }
        for (name, v) in [
            ("baseline_sd", self.baseline_sd),
            ("noise_sd", self.noise_sd),
            ("library_log10_sd", self.library_log10_sd),
        ] {
            if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                return err(format!("synth_expr: {name} must be in [0, 10], got {v}"));
            }
        }
        if !(0.0..=1.0).contains(&self.dropout_max) {
            return err(format!(
                "synth_expr: dropout_max must be in [0, 1], got {}",
                self.dropout_max
            ));
        }
        if self.library_median * 10f64.powf(4.0 * self.library_log10_sd) > 1e9 {
            return err("synth_expr: library sizes above 1e9 counts are not supported".into());
        }
        Ok(())
    }
}
