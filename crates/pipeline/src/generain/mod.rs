//! GeneRAIN (Su et al., Genome Biology 2025): bulk RNA-seq samples as gene tokens.
//!
//! [`prepare`] turns a raw count matrix ([`genome_io::matrix`]: TSV/CSV/GCT, plain or gzip,
//! genes × samples or samples × genes) into a prepared directory that training streams by
//! record index ([`PreparedDir`]):
//!
//! 1. **Sample filters** (pass 1): total counts ≥ `min_total_counts` (1,000,000), then more than
//!    `min_expressed_genes` (2,000) genes with a count > 0.
//! 2. **Normalisation**: every kept sample scaled to `library_size` (10,000,000) then
//!    `log10(x + 1)`, stored as f32.
//! 3. **Genes** (pass 2): rows sharing a key (the symbol with [`GeneKey::Symbol`]) keep the
//!    row with the highest mean normalised value; genes with mean ≤ `min_gene_mean` (0.1) are
//!    dropped. The rest, in input order, is the vocabulary (`genes.tsv`).
//! 4. **Binning-By-Gene** (passes 3–4, [`seqenc::binning::bin_by_gene`], 2000 bins) per gene
//!    over all kept samples, and the stored per-gene reference
//!    ([`seqenc::binning::BinReference`]: evenly spaced order statistics, 0.5 % of each gene's
//!    non-zero values, at least `ref_min_keep`). With `reference = Some(dir)` the vocabulary and
//!    reference of an earlier prepare are reused and every value is binned against it
//!    ([`seqenc::binning::BinReference::bin_value`]), so new samples get the training set's bins.
//! 5. **Tokens** (pass 5): per sample the top 2,048 genes re-binned into 100 bins
//!    ([`seqenc::binning::top_genes`]), one fixed-size record each in `tokens.bin`.
//!
//! # Output files
//!
//! | file | content |
//! |---|---|
//! | `genes.tsv` | `index gene_id symbol mean`: the vocabulary; records index its rows |
//! | `samples.tsv` | `sample_id`: kept samples in record order |
//! | `bin_reference.safetensors` | `values` (F32) and `offsets` (I64, `n_genes + 1`), metadata `n_bins` |
//! | `tokens.bin` | header + fixed-size records (layout: [`PreparedDir`]) |
//! | `prepare.json` | settings, filter counts, record layout, fingerprint; written last |
//!
//! # Memory
//!
//! The input is streamed five times and never held whole; what stays in memory is one entry
//! per sample and per gene (ids, totals, means), one block of at most `memory_mb` MiB per pass,
//! and the reference (≈ `n_genes × max(0.005 n, 100)` values). The transposition between
//! gene-major binning and sample-major records goes through two temporary files in the output
//! directory, 6 bytes per kept sample × gene (values f32 + gene bins u16, gene-major), which disappear at the
//! end, on error and when the process dies.
//!
//! ```
//! use genome_io::matrix::Orientation;
//! use pipeline::generain::{PrepareSettings, PreparedDir, prepare};
//! let dir = tempfile::tempdir().unwrap();
//! let input = dir.path().join("counts.tsv");
//! std::fs::write(&input, "gene_id\tA\tB\ng1\t5\t0\ng2\t1\t3\ng3\t0\t2\n").unwrap();
//! let mut s = PrepareSettings::new(&input, Orientation::GenesBySamples, dir.path().join("out"));
//! (s.min_total_counts, s.min_expressed_genes) = (1.0, 1);
//! let summary = prepare(&s).unwrap();
//! assert_eq!((summary.samples_kept, summary.genes_kept), (2, 3));
//! let p = PreparedDir::open(&dir.path().join("out")).unwrap();
//! assert_eq!((p.len(), p.top_n()), (2, 3));
//! assert_eq!(p.get(0).unwrap().genes[0], 0); // g1 is sample A's highest gene
//! ```

pub mod evaluate;
mod prepare;
mod prepare_error;
mod prepare_scan;
mod prepare_spill;
mod prepared;
pub mod train;

pub use prepare::{GeneKey, PrepareSettings, PrepareSummary, prepare};
pub use prepare_error::PrepareError;
pub use prepared::{GeneEntry, HEADER_BYTES, MAGIC, PreparedDir, record_bytes};
