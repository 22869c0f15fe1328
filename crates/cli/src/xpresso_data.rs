//! From FASTA + GTF + expression table to Xpresso inputs: one TSS per gene, oriented windows,
//! one-hot, gene-structure features and `log10(x + 0.1)` labels, split by a seed.
//!
//! Shared by `seq2expr train xpresso`, `seq2expr predict` and `seq2expr demo`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use datasets::features::{HalfLifeFeatures, LengthConvention, transcript_features};
use datasets::splits::{Split, SplitConfig, stratified_split};
use genome_io::annotation::{Annotation, BiotypeFilter, read_annotation};
use genome_io::expression::{ExpressionTable, Summary, TableOptions, open_table, strip_version};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};
use genome_io::windows::{EndPolicy, Window, WindowSpec, for_each_sequence, plan_windows};
use models::XpressoData;
use seqenc::onehot::{Layout, NPolicy, OneHot};

use crate::error::{CliError, CliResult};

/// Number of gene-structure features (Xpresso's eight).
pub const N_FEATURES: usize = HalfLifeFeatures::COLUMNS.len();

/// How to build the data set.
#[derive(Debug, Clone)]
pub struct PrepOptions {
    /// Bases upstream of the TSS (Xpresso: 7000).
    pub upstream: u64,
    /// Bases downstream of the TSS (Xpresso: 3500).
    pub downstream: u64,
    /// Which transcript gives each gene's TSS (Xpresso: longest CDS).
    pub policy: TssPolicy,
    /// Gene biotypes to keep (empty = all).
    pub biotypes: BiotypeFilter,
    /// Per-gene summary of the expression row.
    pub summary: Summary,
    /// Whether to compute the 8 gene-structure features.
    pub features: bool,
    /// Chromosome aliasing between FASTA and GTF.
    pub chrom_alias: bool,
}

impl Default for PrepOptions {
    fn default() -> Self {
        PrepOptions {
            upstream: 7000,
            downstream: 3500,
            policy: TssPolicy::LongestCds,
            biotypes: BiotypeFilter::default(),
            summary: Summary::Median,
            features: true,
            chrom_alias: false,
        }
    }
}

/// Genes with their windows, one-hot sequences, raw features and labels.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// One window per gene, in annotation order.
    pub windows: Vec<Window>,
    /// One-hot `[n, 4, seq_len]` (A, C, G, T; `N` = zeros).
    pub onehot: Vec<f32>,
    /// Raw (untransformed) features `[n, n_features]`.
    pub features: Vec<f64>,
    /// Number of features per gene.
    pub n_features: usize,
    /// `log10(expression + 0.1)` labels (`NaN` when the gene has no expression row).
    pub labels: Vec<f64>,
    /// Window length.
    pub seq_len: usize,
    /// Feature columns that get `log10(x + 0.1)` before z-scoring.
    pub log_columns: Vec<usize>,
}

impl Prepared {
    /// Number of genes.
    pub fn len(&self) -> usize {
        self.windows.len()
    }

    /// Gene ids without Ensembl version suffixes, one per example.
    pub fn gene_ids(&self) -> Vec<String> {
        self.windows
            .iter()
            .map(|w| strip_version(&w.gene_id).into_owned())
            .collect()
    }

    /// Appends `extra` (`[n, width]`, row-major) after the existing feature columns (not
    /// log-transformed; z-scored like the others).
    pub fn append_features(&mut self, extra: &[f64], width: usize) {
        let n = self.len();
        let old = self.n_features;
        let mut features = Vec::with_capacity(n * (old + width));
        for i in 0..n {
            features.extend_from_slice(&self.features[i * old..(i + 1) * old]);
            features.extend_from_slice(&extra[i * width..(i + 1) * width]);
        }
        self.features = features;
        self.n_features = old + width;
    }
}

/// How a model's inputs were built; saved as `inputs.json` next to the weights so that
/// `seq2expr predict` rebuilds exactly the same inputs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct InputSpec {
    /// `xpresso` or `mirex`.
    pub model: String,
    /// Bases upstream of the TSS.
    pub upstream: u64,
    /// Bases downstream of the TSS.
    pub downstream: u64,
    /// Transcript policy (`longest-cds`, `canonical`, `all`, `gene`).
    pub transcripts: String,
    /// Whether the 8 gene-structure features are used.
    pub gene_features: bool,
    /// Label: `log10(median expression across columns + 0.1)`.
    pub label: String,
    /// miREx: the selected miRNAs (normalised names), in feature order.
    #[serde(default)]
    pub mirnas: Vec<String>,
    /// miREx: `score` (summed weighted context++ × expression) or `targeted` (1 × expression).
    #[serde(default)]
    pub mirna_weight: Option<String>,
}

/// Xpresso's label transform.
pub fn log_label(x: f64) -> f64 {
    (x + 0.1).log10()
}

/// Reads the inputs and builds one example per gene that has an expression row (all genes when
/// `expression` is `None`, with NaN labels).
pub fn prepare(
    fasta: &Path,
    gtf: &Path,
    expression: Option<&Path>,
    opts: &PrepOptions,
) -> CliResult<Prepared> {
    let fopts = FastaOptions {
        chrom_alias: opts.chrom_alias,
        ..Default::default()
    };
    let source = open_fasta(fasta, &fopts)?;
    let ann = read_annotation(gtf)?;
    let table = match expression {
        Some(p) => Some(open_table(
            p,
            &TableOptions {
                strip_version: true,
                ..Default::default()
            },
        )?),
        None => None,
    };
    prepare_from(source.as_ref(), &ann, table.as_ref(), opts)
}

/// [`prepare`] on already-opened inputs.
pub fn prepare_from(
    source: &dyn SequenceSource,
    ann: &Annotation,
    table: Option<&ExpressionTable>,
    opts: &PrepOptions,
) -> CliResult<Prepared> {
    let tss_opts = TssOptions {
        policy: opts.policy,
        dedup: true,
        biotypes: opts.biotypes.clone(),
    };
    let mut tss = collect_tss(ann, &tss_opts);
    // One TSS per gene: the policy may still give several for `All`; keep the first.
    let mut seen = HashSet::new();
    tss.retain(|t| seen.insert(t.gene_id.clone()));
    let labels_by_gene: Option<HashMap<String, f64>> = table.map(|t| {
        let summary = t.summarize(opts.summary);
        t.gene_ids()
            .iter()
            .zip(summary)
            .map(|(g, v)| (strip_version(g).into_owned(), log_label(v)))
            .collect()
    });
    if let Some(map) = &labels_by_gene {
        tss.retain(|t| map.contains_key(strip_version(&t.gene_id).as_ref()));
        if tss.is_empty() {
            return Err(CliError::Usage(format!(
                "none of the annotation's genes has a row in the expression table ({} rows); \
                 check that both use the same gene ids",
                map.len()
            )));
        }
    }
    let spec = WindowSpec::new(opts.upstream, opts.downstream, EndPolicy::Pad);
    let plan = plan_windows(source, &tss, &spec)?;
    let windows = plan.windows;
    let seq_len = spec.len() as usize;
    let n = windows.len();
    let encoder = OneHot::new(NPolicy::Zeros);
    let mut onehot = vec![0f32; n * 4 * seq_len];
    let mut i = 0;
    for_each_sequence(
        source,
        &windows,
        |_, s| {
            encoder
                .encode_into(
                    s,
                    Layout::ChannelsFirst,
                    &mut onehot[i * 4 * seq_len..(i + 1) * 4 * seq_len],
                )
                .map_err(|e| genome_io::Error::InvalidArgument(e.to_string()))?;
            i += 1;
            Ok(())
        },
        |_| {},
    )?;
    let n_features = if opts.features { N_FEATURES } else { 0 };
    let mut features = Vec::with_capacity(n * n_features);
    if opts.features {
        for w in &windows {
            match w.transcript_id.as_deref().and_then(|id| ann.transcript(id)) {
                Some((_, tx)) => features.extend(
                    transcript_features(source, tx, LengthConvention::Biological)?.to_array(),
                ),
                None => features.extend([f64::NAN; N_FEATURES]),
            }
        }
    }
    let labels = windows
        .iter()
        .map(|w| {
            labels_by_gene
                .as_ref()
                .and_then(|m| m.get(strip_version(&w.gene_id).as_ref()).copied())
                .unwrap_or(f64::NAN)
        })
        .collect();
    let log_columns = if opts.features {
        XPRESSO_LOG_COLUMNS.to_vec()
    } else {
        Vec::new()
    };
    Ok(Prepared {
        windows,
        onehot,
        features,
        n_features,
        labels,
        seq_len,
        log_columns,
    })
}

/// Seeded train / validation / test assignment (stratified by label quartile).
pub fn split(labels: &[f64], cfg: &SplitConfig) -> CliResult<Vec<Split>> {
    let mut sorted: Vec<f64> = labels.to_vec();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| sorted[((sorted.len() - 1) as f64 * p) as usize];
    let cuts = [q(0.25), q(0.5), q(0.75)];
    let strata: Vec<u8> = labels
        .iter()
        .map(|&y| cuts.iter().filter(|&&c| y > c).count() as u8)
        .collect();
    Ok(stratified_split(&strata, None::<&[u8]>, cfg)?)
}

/// Feature transform fitted on the training rows only: `log10(x + 0.1)` on the columns in
/// `log_columns` (Xpresso's: the four lengths and the exon density), then z-scoring with the
/// training mean and (population) standard deviation. Undefined values (GC of a missing UTR,
/// encoded NaN by genome-io) become 0 after scaling, i.e. the training mean.
///
/// Xpresso computed these statistics on all genes; fitting them on the training split only keeps
/// test genes from leaking into the inputs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FeatureScaler {
    /// Columns that get `log10(x + 0.1)` before z-scoring.
    pub log_columns: Vec<usize>,
    /// Per-feature training mean (after the log transform).
    pub mean: Vec<f64>,
    /// Per-feature training standard deviation (1 where it is 0).
    pub sd: Vec<f64>,
}

/// The log-transformed columns of Xpresso's eight features.
pub const XPRESSO_LOG_COLUMNS: [usize; 5] = [0, 1, 2, 3, 7];

impl FeatureScaler {
    /// Fits on the rows of `features` (`[n, width]`) selected by `rows`.
    pub fn fit(features: &[f64], width: usize, rows: &[usize], log_columns: &[usize]) -> Self {
        let mut scaler = FeatureScaler {
            log_columns: log_columns.to_vec(),
            mean: vec![0.0; width],
            sd: vec![1.0; width],
        };
        for j in 0..width {
            let vals: Vec<f64> = rows
                .iter()
                .map(|&i| scaler.transformed(j, features[i * width + j]))
                .filter(|x| x.is_finite())
                .collect();
            if vals.is_empty() {
                continue;
            }
            let m = vals.iter().sum::<f64>() / vals.len() as f64;
            let v = vals.iter().map(|x| (x - m).powi(2)).sum::<f64>() / vals.len() as f64;
            scaler.mean[j] = m;
            if v > 0.0 {
                scaler.sd[j] = v.sqrt();
            }
        }
        scaler
    }

    fn transformed(&self, column: usize, x: f64) -> f64 {
        if self.log_columns.contains(&column) {
            log_label(x)
        } else {
            x
        }
    }

    /// Transforms one row.
    pub fn apply(&self, row: &[f64]) -> Vec<f32> {
        row.iter()
            .enumerate()
            .zip(self.mean.iter().zip(&self.sd))
            .map(|((j, &x), (&m, &s))| {
                let t = self.transformed(j, x);
                if t.is_finite() {
                    ((t - m) / s) as f32
                } else {
                    0.0
                }
            })
            .collect()
    }
}

/// Builds the [`XpressoData`] of the selected rows.
pub fn subset(
    p: &Prepared,
    rows: &[usize],
    scaler: &FeatureScaler,
    with_labels: bool,
) -> CliResult<XpressoData> {
    let l = 4 * p.seq_len;
    let mut onehot = Vec::with_capacity(rows.len() * l);
    let mut features = Vec::with_capacity(rows.len() * p.n_features);
    let mut labels = Vec::with_capacity(rows.len());
    for &i in rows {
        onehot.extend_from_slice(&p.onehot[i * l..(i + 1) * l]);
        if p.n_features > 0 {
            features.extend(scaler.apply(&p.features[i * p.n_features..(i + 1) * p.n_features]));
        }
        if with_labels {
            labels.push(p.labels[i] as f32);
        }
    }
    Ok(XpressoData::new(
        onehot,
        features,
        labels,
        p.seq_len,
        p.n_features,
    )?)
}
