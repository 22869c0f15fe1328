//! `prepare`: a raw count matrix → a GeneRAIN prepared directory (see the [module](super) docs).

use std::path::{Path, PathBuf};

use genome_io::matrix::{MatrixOptions, MatrixReader, Orientation};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use seqenc::binning::{BinReference, LIBRARY_SIZE, RefConfig};

use super::PrepareError;
use super::prepare_scan::{self, Vocabulary};
use super::prepare_spill;
use super::prepared::{self, GeneEntry, HEADER_BYTES, PreparedDir, record_bytes};
use crate::error::io_err;
use crate::{Error, Result};

/// Which input column names a gene in the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeneKey {
    /// The gene id (first column, or the samples × genes header).
    Id,
    /// The symbol (second column / GCT `Description`); rows with an empty symbol use their id.
    /// Several rows with one symbol are resolved by keeping the row with the highest mean.
    Symbol,
}

/// Everything [`prepare`] needs; [`PrepareSettings::new`] gives GeneRAIN's values.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepareSettings {
    /// The count matrix (TSV, CSV or GCT; plain or gzip).
    pub input: PathBuf,
    /// Format, orientation and symbol column of the input.
    pub matrix: MatrixOptions,
    /// The output directory (created; files in it are replaced atomically one by one).
    pub out_dir: PathBuf,
    /// A previous prepare's directory whose vocabulary and bin reference are reused instead of
    /// built (for binning new samples like the training set).
    pub reference: Option<PathBuf>,
    /// Key genes by id or by symbol.
    pub gene_key: GeneKey,
    /// Samples need total counts ≥ this (GeneRAIN: 1,000,000).
    pub min_total_counts: f64,
    /// Samples need more than this many genes with a count > 0 (GeneRAIN: 2,000).
    pub min_expressed_genes: usize,
    /// Library size after normalisation (GeneRAIN: 10,000,000), before `log10(x + 1)`.
    pub library_size: f64,
    /// Genes whose mean normalised value is ≤ this are dropped (GeneRAIN: 0.1).
    pub min_gene_mean: f64,
    /// Binning-By-Gene bins (GeneRAIN: 2000).
    pub gene_bins: u16,
    /// Fraction of each gene's non-zero values kept in the reference (GeneRAIN: 0.005).
    pub ref_fraction: f64,
    /// At least this many reference values per gene (seqenc's [`RefConfig::min_keep`]).
    pub ref_min_keep: usize,
    /// Genes per sample record (GeneRAIN: 2048; capped at the vocabulary size).
    pub top_n: usize,
    /// Bins of the per-sample re-binning (GeneRAIN: 100).
    pub token_bins: u16,
    /// Memory for the in-memory blocks of the passes, in MiB (default 512).
    pub memory_mb: usize,
    /// Show indicatif progress bars on stderr.
    pub progress: bool,
}

impl PrepareSettings {
    /// GeneRAIN's settings for `input` (read as TSV/CSV/GCT by its name) into `out_dir`.
    ///
    /// ```
    /// use genome_io::matrix::Orientation;
    /// let s = pipeline::generain::PrepareSettings::new("c.tsv", Orientation::GenesBySamples, "out");
    /// assert_eq!((s.min_total_counts, s.min_expressed_genes, s.top_n), (1e6, 2000, 2048));
    /// ```
    pub fn new(
        input: impl Into<PathBuf>,
        orientation: Orientation,
        out_dir: impl Into<PathBuf>,
    ) -> Self {
        let r = RefConfig::default();
        PrepareSettings {
            input: input.into(),
            matrix: MatrixOptions {
                format: genome_io::matrix::MatrixFormat::Auto,
                orientation,
                symbol_column: false,
            },
            out_dir: out_dir.into(),
            reference: None,
            gene_key: GeneKey::Id,
            min_total_counts: 1e6,
            min_expressed_genes: 2000,
            library_size: LIBRARY_SIZE,
            min_gene_mean: 0.1,
            gene_bins: r.n_bins,
            ref_fraction: r.fraction,
            ref_min_keep: r.min_keep,
            top_n: 2048,
            token_bins: 100,
            memory_mb: 512,
            progress: false,
        }
    }

    fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(PrepareError::Settings(m).into());
        if !(self.min_total_counts.is_finite() && self.min_total_counts >= 0.0) {
            return bad(format!(
                "min_total_counts must be finite and >= 0, got {}",
                self.min_total_counts
            ));
        }
        if !(self.library_size.is_finite() && self.library_size > 0.0) {
            return bad(format!(
                "library_size must be finite and > 0, got {}",
                self.library_size
            ));
        }
        if !self.min_gene_mean.is_finite() {
            return bad(format!(
                "min_gene_mean must be finite, got {}",
                self.min_gene_mean
            ));
        }
        if self.gene_bins < 2 || self.token_bins < 2 {
            return bad(format!(
                "gene_bins and token_bins must be >= 2, got {} and {}",
                self.gene_bins, self.token_bins
            ));
        }
        if !(self.ref_fraction > 0.0 && self.ref_fraction <= 1.0) {
            return bad(format!(
                "ref_fraction must be in (0, 1], got {}",
                self.ref_fraction
            ));
        }
        if self.top_n == 0 || self.top_n > 1 << 20 {
            return bad(format!("top_n must be in 1..=1048576, got {}", self.top_n));
        }
        if !(1..=1 << 20).contains(&self.memory_mb) {
            return bad(format!(
                "memory_mb must be in 1..=1048576, got {}",
                self.memory_mb
            ));
        }
        if let Some(r) = &self.reference
            && same_dir(r, &self.out_dir)
        {
            return bad(format!(
                "the output directory {} is the reference directory",
                r.display()
            ));
        }
        Ok(())
    }

    /// The settings that decide the output, as JSON (no paths but the input's name, no
    /// memory or progress).
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "input": self.input.display().to_string(),
            "format": format!("{:?}", self.matrix.format.resolve(&self.input)),
            "orientation": format!("{:?}", self.matrix.orientation),
            "symbol_column": self.matrix.symbol_column,
            "reference": self.reference.as_ref().map(|r| r.display().to_string()),
            "gene_key": format!("{:?}", self.gene_key),
            "min_total_counts": self.min_total_counts,
            "min_expressed_genes": self.min_expressed_genes,
            "library_size": self.library_size,
            "min_gene_mean": self.min_gene_mean,
            "gene_bins": self.gene_bins,
            "ref_fraction": self.ref_fraction,
            "ref_min_keep": self.ref_min_keep,
            "top_n": self.top_n,
            "token_bins": self.token_bins,
        })
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// What [`prepare`] did: counts of each filter and where the output went.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PrepareSummary {
    /// Samples in the input.
    pub samples_in: usize,
    /// Samples dropped because their total counts were below `min_total_counts`.
    pub samples_dropped_total_counts: usize,
    /// Samples (of those left) dropped for having ≤ `min_expressed_genes` expressed genes.
    pub samples_dropped_expressed_genes: usize,
    /// Samples kept: the records of `tokens.bin`.
    pub samples_kept: usize,
    /// Genes (rows or columns) in the input.
    pub genes_in: usize,
    /// Genes dropped as a duplicate key (symbol) with a lower mean than another row.
    pub genes_dropped_duplicate: usize,
    /// Genes dropped by the mean filter (0 with a reference).
    pub genes_dropped_low_mean: usize,
    /// Genes of the input not in the reference vocabulary (0 without a reference).
    pub genes_not_in_reference: usize,
    /// Genes in the vocabulary.
    pub genes_kept: usize,
    /// Genes per record.
    pub top_n: usize,
    /// FNV-1a 64 of the input bytes and the settings, hex.
    pub fingerprint: String,
    /// Whether the vocabulary and reference came from `--reference`.
    pub reused_reference: bool,
}

/// A progress bar on stderr, hidden when `on` is false.
pub(crate) fn bar(on: bool, len: Option<u64>, what: &str) -> ProgressBar {
    if !on {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
    let tpl = if len.is_some() {
        "{prefix} [{bar:30}] {pos}/{len} {msg} ({eta})"
    } else {
        "{prefix} {spinner} {pos} {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(tpl) {
        pb.set_style(style);
    }
    pb.set_prefix(what.to_string());
    pb
}

/// Prepares GeneRAIN model inputs from a raw count matrix, streaming it five times and never
/// holding it whole (see the [module](super) docs for the steps, the memory bound and the
/// files written). All settings, the input header and the reference are checked before
/// anything is written.
pub fn prepare(s: &PrepareSettings) -> Result<PrepareSummary> {
    s.validate()?;
    let header = MatrixReader::open(&s.input, &s.matrix).map_err(genome_io::Error::from)?;
    if s.gene_key == GeneKey::Symbol && !header.has_symbol() {
        return Err(PrepareError::Settings(format!(
            "{}: gene_key is Symbol but the matrix has no symbol column",
            s.input.display()
        ))
        .into());
    }
    drop(header);
    let reference = match &s.reference {
        Some(dir) => Some(load_reference(dir, s)?),
        None => None,
    };
    let scan = prepare_scan::scan_samples(s)?;
    let kept = prepare_scan::filter_samples(s, &scan)?;
    let means = prepare_scan::gene_means(s, &scan, &kept)?;
    let vocab = prepare_scan::vocabulary(
        s,
        &scan,
        &means,
        reference
            .as_ref()
            .map(|(d, g, _)| (d.as_path(), g.as_slice())),
    )?;
    std::fs::create_dir_all(&s.out_dir)
        .map_err(io_err(format!("creating {}", s.out_dir.display())))?;
    let spill = prepare_spill::Spill::new(&s.out_dir, kept.ids.len(), vocab.genes.len())?;
    prepare_spill::write_values(s, &spill, &kept, &vocab)?;
    let built = prepare_spill::bin_genes(s, &spill, reference.as_ref().map(|(_, _, r)| r))?;
    let bin_ref = match reference {
        Some((_, _, r)) => r,
        None => BinReference {
            genes: vocab.genes.iter().map(|g| g.id.clone()).collect(),
            kept: built,
            n_bins: s.gene_bins,
        },
    };
    let top_n = s.top_n.min(vocab.genes.len());
    let out = |f: &str| s.out_dir.join(f);
    let io = |p: &Path, e: std::io::Error| Error::Io {
        context: format!("writing {}", p.display()),
        source: e,
    };
    outfile::write_atomic_with(
        &out("tokens.bin"),
        |w| prepare_spill::write_records(s, &spill, top_n, w),
        io,
    )?;
    drop(spill);
    let samples_tsv: String = std::iter::once("sample_id".to_string())
        .chain(kept.ids.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    write_file(&out("samples.tsv"), samples_tsv.as_bytes())?;
    write_file(
        &out("genes.tsv"),
        prepared::genes_tsv(&vocab.genes).as_bytes(),
    )?;
    write_file(
        &out("bin_reference.safetensors"),
        &prepared::reference_bytes(&bin_ref)?,
    )?;
    let fingerprint = fingerprint(s)?;
    let summary = summary(
        &scan.sample_ids.len(),
        &kept,
        &scan,
        &vocab,
        top_n,
        fingerprint,
        s.reference.is_some(),
    );
    let json = serde_json::json!({
        "format": "seq2expr-generain-prepared-1",
        "settings": s.to_json(),
        "summary": summary,
        "layout": {
            "file": "tokens.bin",
            "header_bytes": HEADER_BYTES,
            "record_bytes": record_bytes(top_n),
            "top_n": top_n,
            "n_records": kept.ids.len(),
            "n_genes": vocab.genes.len(),
            "token_bins": s.token_bins,
            "fields": ["genes: u32 LE x top_n (rows of genes.tsv)", "bins: u16 LE x top_n (1 = unexpressed)"],
        },
    });
    let text = serde_json::to_string_pretty(&json)
        .map_err(|e| Error::Usage(format!("prepare.json: {e}")))?;
    write_file(&out("prepare.json"), text.as_bytes())?;
    Ok(summary)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    outfile::write_atomic(path, |w| w.write_all(bytes))
        .map_err(io_err(format!("writing {}", path.display())))
}

fn summary(
    samples_in: &usize,
    kept: &prepare_scan::KeptSamples,
    scan: &prepare_scan::Scan,
    vocab: &Vocabulary,
    top_n: usize,
    fingerprint: String,
    reused_reference: bool,
) -> PrepareSummary {
    PrepareSummary {
        samples_in: *samples_in,
        samples_dropped_total_counts: kept.dropped_total,
        samples_dropped_expressed_genes: kept.dropped_genes,
        samples_kept: kept.ids.len(),
        genes_in: scan.gene_ids.len(),
        genes_dropped_duplicate: vocab.dropped_duplicate,
        genes_dropped_low_mean: vocab.dropped_low_mean,
        genes_not_in_reference: vocab.not_in_reference,
        genes_kept: vocab.genes.len(),
        top_n,
        fingerprint,
        reused_reference,
    }
}

/// Opens a reference directory and checks it against the settings.
fn load_reference(
    dir: &Path,
    s: &PrepareSettings,
) -> Result<(PathBuf, Vec<GeneEntry>, BinReference)> {
    let p = PreparedDir::open(dir)?;
    let r = p.reference()?;
    let mismatch = |msg: String| -> Error {
        PrepareError::Reference {
            dir: dir.to_path_buf(),
            msg,
        }
        .into()
    };
    if r.n_bins != s.gene_bins {
        return Err(mismatch(format!(
            "built with {} gene bins, the settings ask for {}",
            r.n_bins, s.gene_bins
        )));
    }
    let key = p.info()["settings"]["gene_key"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if key != format!("{:?}", s.gene_key) {
        return Err(mismatch(format!(
            "its genes are keyed by {key:?}, the settings key by {:?}",
            s.gene_key
        )));
    }
    Ok((dir.to_path_buf(), p.genes().to_vec(), r))
}

/// FNV-1a 64 over the raw input bytes, then the settings JSON.
fn fingerprint(s: &PrepareSettings) -> Result<String> {
    use std::io::Read;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: &[u8]| {
        for &x in b {
            h = (h ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    let mut f =
        std::fs::File::open(&s.input).map_err(io_err(format!("reading {}", s.input.display())))?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(io_err(format!("reading {}", s.input.display())))?;
        if n == 0 {
            break;
        }
        eat(&buf[..n]);
    }
    if let Some(dir) = &s.reference {
        for f in ["genes.tsv", "bin_reference.safetensors"] {
            let p = dir.join(f);
            eat(&std::fs::read(&p).map_err(io_err(format!("reading {}", p.display())))?);
        }
    }
    let mut js = s.to_json();
    js["input"] = serde_json::Value::Null; // the content counts, not where it lies
    js["reference"] = serde_json::Value::Null;
    eat(js.to_string().as_bytes());
    Ok(format!("{h:016x}"))
}
