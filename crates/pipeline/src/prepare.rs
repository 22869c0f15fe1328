//! From FASTA + GTF + expression table to model inputs: one TSS per gene, oriented windows
//! (kept as bases, one byte each, and one-hot encoded batch by batch), gene-structure features
//! and `log10(x + 0.1)` labels — one column (the median) or several (one per tissue).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use datasets::features::{HalfLifeFeatures, LengthConvention, transcript_features};
use genome_io::annotation::{Annotation, BiotypeFilter, read_annotation};
use genome_io::expression::{ExpressionTable, Summary, TableOptions, open_table, strip_version};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};
use genome_io::windows::{EndPolicy, Window, WindowSpec, for_each_sequence, plan_windows};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Number of gene-structure features (Xpresso's eight).
pub const N_FEATURES: usize = HalfLifeFeatures::COLUMNS.len();

/// The log-transformed columns of Xpresso's eight features.
pub const XPRESSO_LOG_COLUMNS: [usize; 5] = [0, 1, 2, 3, 7];

/// The longest window accepted (bases): 2^31, far beyond any promoter model, so that a
/// mistyped `--upstream` is an error instead of an allocation of terabytes.
pub const MAX_WINDOW: u64 = 1 << 31;

/// Which expression values become labels.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "columns")]
pub enum LabelSpec {
    /// One label: `log10(median over the table's columns + 0.1)` (Xpresso's).
    #[default]
    Median,
    /// One label per named column, `log10(x + 0.1)` each (a multi-output model).
    Columns(Vec<String>),
    /// One label per column of the table, in the table's order.
    AllColumns,
}

impl LabelSpec {
    /// The label names for `table` (`median`, or the column names), checking that every
    /// named column exists.
    pub fn names(&self, table: &ExpressionTable) -> Result<Vec<String>> {
        match self {
            LabelSpec::Median => Ok(vec!["median".into()]),
            LabelSpec::AllColumns => Ok(table.column_names().to_vec()),
            LabelSpec::Columns(cols) => {
                if cols.is_empty() {
                    return Err(Error::Usage("--expression-columns names no column".into()));
                }
                for c in cols {
                    if table.column_index(c).is_none() {
                        return Err(Error::Usage(format!(
                            "the expression table has no column {c:?} (it has: {})",
                            table.column_names().join(", ")
                        )));
                    }
                }
                Ok(cols.clone())
            }
        }
    }

    /// Human-readable description saved in `inputs.json`.
    pub fn describe(&self) -> String {
        match self {
            LabelSpec::Median => "log10(median + 0.1)".into(),
            _ => "log10(x + 0.1) per column".into(),
        }
    }
}

/// How to build the data set.
#[derive(Debug, Clone)]
pub struct PrepOptions {
    /// Bases upstream of the TSS (Xpresso: 7000).
    pub upstream: u64,
    /// Bases downstream of the TSS, the TSS excluded (Xpresso: 3499, so that the window has
    /// 10,500 bases with the TSS at index 7000).
    pub downstream: u64,
    /// Which transcript gives each gene's TSS (Xpresso: longest CDS).
    pub policy: TssPolicy,
    /// Gene biotypes to keep (empty = all).
    pub biotypes: BiotypeFilter,
    /// Which expression values become labels.
    pub labels: LabelSpec,
    /// Whether to compute the 8 gene-structure features.
    pub features: bool,
    /// Chromosome aliasing between FASTA and GTF.
    pub chrom_alias: bool,
}

impl Default for PrepOptions {
    fn default() -> Self {
        PrepOptions {
            upstream: 7000,
            downstream: 3499,
            policy: TssPolicy::LongestCds,
            biotypes: BiotypeFilter::default(),
            labels: LabelSpec::Median,
            features: true,
            chrom_alias: false,
        }
    }
}

impl PrepOptions {
    /// The window length `upstream + 1 + downstream`, checked against [`MAX_WINDOW`].
    ///
    /// ```
    /// let o = pipeline::PrepOptions::default();
    /// assert_eq!(o.window_len().unwrap(), 10_500);
    /// let huge = pipeline::PrepOptions { upstream: 1_000_000_000_000, ..o };
    /// assert!(huge.window_len().is_err());
    /// ```
    pub fn window_len(&self) -> Result<usize> {
        let len = self
            .upstream
            .checked_add(self.downstream)
            .and_then(|v| v.checked_add(1))
            .filter(|&v| v <= MAX_WINDOW)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "a window of {} + 1 + {} bases is longer than the limit of {MAX_WINDOW}",
                    self.upstream, self.downstream
                ))
            })?;
        usize::try_from(len).map_err(|_| Error::Usage(format!("window of {len} bases")))
    }
}

/// Genes with their windows, bases, raw features and labels.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// One window per gene, in annotation order.
    pub windows: Vec<Window>,
    /// Bases `[n, seq_len]`, oriented 5'→3' on the gene's strand (`N` where padded).
    pub bases: Vec<u8>,
    /// Raw (untransformed) features `[n, n_features]`.
    pub features: Vec<f64>,
    /// Number of features per gene.
    pub n_features: usize,
    /// Labels `[n, label_names.len()]` (`NaN` when the gene has no expression row).
    pub labels: Vec<f64>,
    /// Label names (`median`, or the expression columns).
    pub label_names: Vec<String>,
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

    /// Whether there is no gene.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    /// Label columns per gene.
    pub fn n_outputs(&self) -> usize {
        self.label_names.len().max(1)
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
    pub fn append_features(&mut self, extra: &[f64], width: usize) -> Result<()> {
        let n = self.len();
        if extra.len() != n * width {
            return Err(Error::Usage(format!(
                "{} extra feature values for {n} genes x {width}",
                extra.len()
            )));
        }
        let old = self.n_features;
        let mut features = Vec::with_capacity(n * (old + width));
        for i in 0..n {
            features.extend_from_slice(&self.features[i * old..(i + 1) * old]);
            features.extend_from_slice(&extra[i * width..(i + 1) * width]);
        }
        self.features = features;
        self.n_features = old + width;
        Ok(())
    }

    /// The genes `idx` (in that order) as a new set.
    pub fn rows(&self, idx: &[usize]) -> Prepared {
        let (l, f, k) = (self.seq_len, self.n_features, self.n_outputs());
        let gather = |v: &[f64], w: usize| -> Vec<f64> {
            idx.iter()
                .flat_map(|&i| v[i * w..(i + 1) * w].iter().copied())
                .collect()
        };
        Prepared {
            windows: idx.iter().map(|&i| self.windows[i].clone()).collect(),
            bases: idx
                .iter()
                .flat_map(|&i| self.bases[i * l..(i + 1) * l].iter().copied())
                .collect(),
            features: gather(&self.features, f),
            labels: gather(&self.labels, k),
            label_names: self.label_names.clone(),
            n_features: f,
            seq_len: l,
            log_columns: self.log_columns.clone(),
        }
    }

    /// Drops the gene-structure features (a sequence-only model).
    pub fn without_features(mut self) -> Self {
        self.features.clear();
        self.n_features = 0;
        self.log_columns.clear();
        self
    }
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
) -> Result<Prepared> {
    opts.window_len()?;
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
    if let Some(t) = &table {
        check_nonnegative(t, expression)?;
    }
    prepare_checked(source.as_ref(), &ann, table.as_ref(), opts)
}

/// Expression is TPM, FPKM or counts: a negative value is an input error (often a table of
/// log values), not a missing label. `path` names the file in the error.
fn check_nonnegative(t: &ExpressionTable, path: Option<&Path>) -> Result<()> {
    let k = t.n_columns().max(1);
    if let Some((at, v)) = t.values().iter().enumerate().find(|(_, v)| **v < 0.0) {
        let file = path.map_or(String::new(), |p| format!("{}: ", p.display()));
        return Err(Error::Usage(format!(
            "{file}negative expression value {v} (gene {}, column {:?}): expression must be TPM, FPKM or counts (>= 0), not log values",
            t.gene_ids()[at / k],
            t.column_names().get(at % k).map_or("?", String::as_str)
        )));
    }
    Ok(())
}

/// Log labels per version-stripped gene id, one value per output column.
type LabelsByGene = HashMap<String, Vec<f64>>;

fn labels_by_gene(t: &ExpressionTable, spec: &LabelSpec) -> Result<(Vec<String>, LabelsByGene)> {
    let names = spec.names(t)?;
    let columns: Vec<Vec<f64>> = match spec {
        LabelSpec::Median => vec![t.summarize(Summary::Median)],
        _ => names
            .iter()
            .filter_map(|c| t.column_index(c))
            .map(|j| t.column(j))
            .collect(),
    };
    let map = t
        .gene_ids()
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let row = columns.iter().map(|c| log_label(c[i])).collect();
            (strip_version(g).into_owned(), row)
        })
        .collect();
    Ok((names, map))
}

/// [`prepare`] on already-opened inputs.
pub fn prepare_from(
    source: &dyn SequenceSource,
    ann: &Annotation,
    table: Option<&ExpressionTable>,
    opts: &PrepOptions,
) -> Result<Prepared> {
    if let Some(t) = table {
        check_nonnegative(t, None)?;
    }
    prepare_checked(source, ann, table, opts)
}

/// [`prepare_from`] once the table's values are known to be non-negative.
fn prepare_checked(
    source: &dyn SequenceSource,
    ann: &Annotation,
    table: Option<&ExpressionTable>,
    opts: &PrepOptions,
) -> Result<Prepared> {
    let seq_len = opts.window_len()?;
    let tss_opts = TssOptions {
        policy: opts.policy,
        dedup: true,
        biotypes: opts.biotypes.clone(),
    };
    let mut tss = collect_tss(ann, &tss_opts);
    // One TSS per gene: the policy may still give several for `All`; keep the first.
    let mut seen = HashSet::new();
    tss.retain(|t| seen.insert(t.gene_id.clone()));
    let (label_names, by_gene) = match table {
        Some(t) => {
            let (names, map) = labels_by_gene(t, &opts.labels)?;
            (names, Some(map))
        }
        None => (vec!["median".into()], None),
    };
    if let Some(map) = &by_gene {
        tss.retain(|t| map.contains_key(strip_version(&t.gene_id).as_ref()));
        if tss.is_empty() {
            return Err(Error::Usage(format!(
                "none of the annotation's genes has a row in the expression table ({} rows); \
                 check that both use the same gene ids",
                map.len()
            )));
        }
    }
    let spec = WindowSpec::new(opts.upstream, opts.downstream, EndPolicy::Pad);
    let plan = plan_windows(source, &tss, &spec)?;
    let windows = plan.windows;
    let n = windows.len();
    let total = n
        .checked_mul(seq_len)
        .ok_or_else(|| Error::Usage(format!("{n} windows of {seq_len} bases overflow")))?;
    let mut bases = Vec::with_capacity(total);
    for_each_sequence(
        source,
        &windows,
        |_, s| {
            if s.len() != seq_len {
                return Err(genome_io::Error::InvalidArgument(format!(
                    "window of {} bases, expected {seq_len}",
                    s.len()
                )));
            }
            bases.extend_from_slice(s);
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
    let k = label_names.len();
    let mut labels = Vec::with_capacity(n * k);
    for w in &windows {
        match by_gene
            .as_ref()
            .and_then(|m| m.get(strip_version(&w.gene_id).as_ref()))
        {
            Some(row) => labels.extend_from_slice(row),
            None => labels.extend(std::iter::repeat_n(f64::NAN, k)),
        }
    }
    let log_columns = if opts.features {
        XPRESSO_LOG_COLUMNS.to_vec()
    } else {
        Vec::new()
    };
    Ok(Prepared {
        windows,
        bases,
        features,
        n_features,
        labels,
        label_names,
        seq_len,
        log_columns,
    })
}
