//! The summary of a built lncRNA task and the writer of its files.

use std::collections::BTreeMap;
use std::path::Path;

use super::{LncrnaConfig, LncrnaDataset, LncrnaExample};
use crate::dataset::{Example, write_csv_file};
use crate::error::DatasetError;
use crate::negatives::RejectionReport;
use crate::splits::Split;
use crate::{Error, Result};
use genome_io::atomic::write_atomic;
use genome_io::seq::gc_fraction;

/// Bookkeeping collected while building (internal).
#[derive(Debug, Clone, Default)]
pub(super) struct Notes {
    pub candidates: usize,
    pub skipped_out_of_bounds: usize,
    pub skipped_ambiguous: usize,
    pub background: Option<RejectionReport>,
    pub expression: Option<ExpressionNote>,
}

/// How the expression table was used (task 3).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExpressionNote {
    /// The table's path.
    pub table: String,
    /// Genes (rows) of the table.
    pub table_genes: usize,
    /// Annotation genes matched to a table row.
    pub matched_genes: usize,
    /// Table genes labelled high / middle / low by the percentile rule (before the join).
    pub high: usize,
    /// Table genes in neither class.
    pub middle: usize,
    /// Table genes labelled low.
    pub low: usize,
}

/// Positive and negative counts of each split.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SplitCounts {
    /// `[label 0, label 1]` in train.
    pub train: [usize; 2],
    /// `[label 0, label 1]` in dev (validation).
    pub dev: [usize; 2],
    /// `[label 0, label 1]` in test.
    pub test: [usize; 2],
}

impl SplitCounts {
    /// Number of label-1 examples over all splits.
    pub fn total_positive(&self) -> usize {
        self.train[1] + self.dev[1] + self.test[1]
    }
    /// Number of label-0 examples over all splits.
    pub fn total_negative(&self) -> usize {
        self.train[0] + self.dev[0] + self.test[0]
    }
}

/// Distribution of the GC fraction of a set of sequences.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct GcStats {
    /// Sequences.
    pub n: usize,
    /// Mean GC fraction.
    pub mean: f64,
    /// Standard deviation (population).
    pub sd: f64,
    /// Minimum, 25th percentile, median, 75th percentile, maximum (nearest rank).
    pub quantiles: [f64; 5],
    /// Counts in 10 bins `[0, 0.1), …, [0.9, 1.0]`.
    pub histogram: [usize; 10],
}

impl GcStats {
    /// GC statistics of `seqs` (sequences without A/C/G/T are ignored).
    ///
    /// ```
    /// let s = datasets::dataset::lncrna::GcStats::of(["GGCC", "AATT"].iter().map(|s| s.as_bytes()));
    /// assert_eq!((s.n, s.mean, s.histogram[0], s.histogram[9]), (2, 0.5, 1, 1));
    /// ```
    pub fn of<'a>(seqs: impl Iterator<Item = &'a [u8]>) -> Self {
        let mut v: Vec<f64> = seqs.filter_map(gc_fraction).collect();
        if v.is_empty() {
            return Self::default();
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let mean = v.iter().sum::<f64>() / n as f64;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        let q = |p: f64| v[((p * (n - 1) as f64).round() as usize).min(n - 1)];
        let mut histogram = [0usize; 10];
        for x in &v {
            histogram[((x * 10.0) as usize).min(9)] += 1;
        }
        Self {
            n,
            mean,
            sd,
            quantiles: [v[0], q(0.25), q(0.5), q(0.75), v[n - 1]],
            histogram,
        }
    }
}

/// What [`build_lncrna`](super::build_lncrna) produced, for `summary.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LncrnaSummary {
    /// The options used.
    pub config: LncrnaConfig,
    /// Genes selected before window extraction.
    pub candidate_genes: usize,
    /// Windows skipped because they ran off a chromosome (or the chromosome is not in the FASTA).
    pub skipped_out_of_bounds: usize,
    /// Windows skipped because they held a non-ACGT base.
    pub skipped_ambiguous: usize,
    /// Examples per split and label.
    pub counts: SplitCounts,
    /// Canonical biotype counts of label-1 and label-0 examples (`background` for genomic windows).
    pub biotypes: BTreeMap<String, BTreeMap<String, usize>>,
    /// GC distribution of label-1 examples.
    pub gc_positive: GcStats,
    /// GC distribution of label-0 examples.
    pub gc_negative: GcStats,
    /// Task 2: background rejection report.
    pub background: Option<RejectionReport>,
    /// Task 3: how the expression table matched.
    pub expression: Option<ExpressionNote>,
}

impl LncrnaSummary {
    pub(super) fn new(
        cfg: &LncrnaConfig,
        ex: &[LncrnaExample],
        splits: &[Split],
        notes: Notes,
    ) -> Self {
        let mut counts = SplitCounts::default();
        let mut biotypes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (e, s) in ex.iter().zip(splits) {
            let l = usize::from(e.example.label == 1);
            match s {
                Split::Train => counts.train[l] += 1,
                Split::Valid => counts.dev[l] += 1,
                Split::Test => counts.test[l] += 1,
            }
            let key = format!("label_{}", e.example.label);
            let bt = e.biotype.clone().unwrap_or_else(|| e.source.clone());
            *biotypes.entry(key).or_default().entry(bt).or_default() += 1;
        }
        let gc = |l: u32| {
            GcStats::of(
                ex.iter()
                    .filter(|e| e.example.label == l)
                    .map(|e| e.example.sequence.as_bytes()),
            )
        };
        Self {
            config: cfg.clone(),
            candidate_genes: notes.candidates,
            skipped_out_of_bounds: notes.skipped_out_of_bounds,
            skipped_ambiguous: notes.skipped_ambiguous,
            counts,
            biotypes,
            gc_positive: gc(1),
            gc_negative: gc(0),
            background: notes.background,
            expression: notes.expression,
        }
    }
}

/// Writes `train.csv`, `dev.csv`, `test.csv` (GUE layout), `examples.tsv` (provenance of every
/// example: split, label, gene, biotype, 0-based half-open coordinates, strand, source) and
/// `summary.json` into `dir` (created if needed), each atomically.
///
/// ```no_run
/// # fn f(ds: &datasets::dataset::lncrna::LncrnaDataset) -> datasets::Result<()> {
/// datasets::dataset::lncrna::write_lncrna_dataset(std::path::Path::new("out"), ds)?;
/// # Ok(()) }
/// ```
pub fn write_lncrna_dataset(dir: &Path, ds: &LncrnaDataset) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for (name, which) in [
        ("train.csv", Split::Train),
        ("dev.csv", Split::Valid),
        ("test.csv", Split::Test),
    ] {
        let ex: Vec<Example> = ds
            .examples
            .iter()
            .zip(&ds.splits)
            .filter(|(_, s)| **s == which)
            .map(|(e, _)| e.example.clone())
            .collect();
        write_csv_file(dir.join(name), &ex)?;
    }
    write_atomic(&dir.join("examples.tsv"), |w| {
        writeln!(
            w,
            "split\tlabel\tgene_id\tbiotype\tchrom\tstart\tend\tstrand\tsource"
        )?;
        for (e, s) in ds.examples.iter().zip(&ds.splits) {
            let split = match s {
                Split::Train => "train",
                Split::Valid => "dev",
                Split::Test => "test",
            };
            writeln!(
                w,
                "{split}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                e.example.label,
                e.gene_id,
                e.biotype.as_deref().unwrap_or("."),
                e.chrom,
                e.start,
                e.end,
                e.strand,
                e.source
            )?;
        }
        Ok(())
    })?;
    let json = serde_json::to_string_pretty(&ds.summary)
        .map_err(|e| Error::from(DatasetError::InvalidArgument(format!("summary JSON: {e}"))))?;
    write_atomic(&dir.join("summary.json"), |w| writeln!(w, "{json}")).map_err(Error::from)
}
