//! `seq2expr train xpresso|mirex`: argument parsing for [`pipeline::train_xpresso`] and
//! [`pipeline::mirex::train_mirex`].

use std::path::PathBuf;

use models::{Clipping, LrSchedule, OptimizerKind, Resume, TrainConfig};
use pipeline::mirex::{MirnaInputs, mirna_selection, target_weight, train_mirex};
use pipeline::{InputSpec, LabelSpec, PrepOptions, TrainSettings, prepare, train_xpresso};

use crate::args::Transcripts;
use crate::error::{CliError, CliResult};
use crate::output::print_stdout;

/// Arguments of `seq2expr train`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    model: TrainModel,
}

#[derive(clap::Subcommand, Debug)]
enum TrainModel {
    /// The Xpresso CNN (promoter one-hot + gene-structure features → log10 expression).
    Xpresso(XpressoArgs),
    /// miREx: Xpresso plus miRNA target × expression features selected on training residuals.
    Mirex(MirexArgs),
}

/// Arguments of `seq2expr train mirex`.
#[derive(clap::Args, Debug, Clone)]
pub struct MirexArgs {
    #[command(flatten)]
    xpresso: XpressoArgs,
    /// TargetScan table: context++ scores (`Predicted_Targets_Context_Scores.*`) or
    /// `Summary_Counts.*` (plain or gzip; layout detected from the header).
    #[arg(long)]
    targetscan: PathBuf,
    /// miRNA expression table: miRNA id in the first column, value in `--mirna-column`.
    #[arg(long)]
    mirna_expression: PathBuf,
    /// Column of the miRNA expression table holding the value.
    #[arg(long, default_value = "expression")]
    mirna_column: String,
    /// Selection: `topk` (most negative Spearman ρ of residual y − ŷ), `abscorr` (highest ρ of
    /// |y − ŷ|) or `all` (every miRNA).
    #[arg(long, default_value = "topk")]
    selection: String,
    /// Number of miRNAs kept by `topk` / `abscorr`.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Pair weight: `score` (summed weighted context++ score) or `targeted` (1 if targeted).
    #[arg(long, default_value = "score")]
    weight: String,
    /// Keep TargetScan rows of this NCBI taxonomy id (9606 = human).
    #[arg(long, default_value_t = 9606)]
    species: u32,
}

/// Arguments of `seq2expr train xpresso`.
#[derive(clap::Args, Debug, Clone)]
pub struct XpressoArgs {
    /// Genome FASTA (plain with/without .fai, bgzip with .fai + .gzi, or gzip).
    #[arg(long)]
    pub fasta: PathBuf,
    /// GTF or GFF3 annotation (plain or gzip).
    #[arg(long)]
    pub gtf: PathBuf,
    /// Expression table: genes × samples/tissues (TSV/CSV with header, or GCT).
    #[arg(long)]
    pub expression: PathBuf,
    /// Output directory (model, config, predictions, metrics, plots).
    #[arg(long)]
    pub out: PathBuf,
    /// Bases upstream of the TSS.
    #[arg(long, default_value_t = 7000)]
    pub upstream: u64,
    /// Bases downstream of the TSS, the TSS excluded (Xpresso's 10,500 bp window: −7000..+3499
    /// with the TSS at index 7000).
    #[arg(long, default_value_t = 3499)]
    pub downstream: u64,
    /// Which transcript gives each gene's TSS.
    #[arg(long, value_enum, default_value = "longest-cds")]
    pub transcripts: Transcripts,
    /// Labels: these expression columns, one model output each (comma-separated), instead of
    /// the median over all columns.
    #[arg(long, value_delimiter = ',', conflicts_with = "all_columns")]
    pub expression_columns: Option<Vec<String>>,
    /// Labels: every expression column, one model output each.
    #[arg(long)]
    pub all_columns: bool,
    /// Architecture preset: `human` (published tuned, 112,485 parameters), `manual` (the
    /// authors' manual model) or `demo` (small, for quick CPU runs). The input length, the
    /// number of side features and of outputs follow the data.
    #[arg(long, default_value = "human")]
    pub preset: String,
    /// Do not use the 8 gene-structure features.
    #[arg(long)]
    pub no_features: bool,
    /// Optimizer: sgd (Xpresso's: momentum 0.9), adam or adamw.
    #[arg(long, default_value = "sgd")]
    pub optimizer: String,
    /// Learning rate (default: 5e-4 for sgd, 1e-3 for adam/adamw).
    #[arg(long)]
    pub lr: Option<f64>,
    /// Learning-rate schedule: `constant`, `warmup` (linear warm-up over `--warmup-steps`, then
    /// linear decay to 0) or `onecycle` (PyTorch's OneCycleLR defaults).
    #[arg(long, default_value = "constant")]
    pub schedule: String,
    /// Warm-up steps of `--schedule warmup`.
    #[arg(long, default_value_t = 100)]
    pub warmup_steps: usize,
    /// Clip the global gradient L2 norm to this value.
    #[arg(long)]
    pub clip_norm: Option<f32>,
    /// Mini-batch size.
    #[arg(long, default_value_t = 128)]
    pub batch_size: usize,
    /// Maximum epochs per run.
    #[arg(long, default_value_t = 100)]
    pub epochs: usize,
    /// Early-stopping patience (epochs without a better validation loss).
    #[arg(long, default_value_t = 7)]
    pub patience: usize,
    /// Independent runs; the best by validation loss is kept (never chosen on test data).
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
    /// Seed of the split, initialisation and shuffling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Bootstrap resamples for the test-set confidence intervals.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    pub device: Option<String>,
    /// Match chromosome names across FASTA and GTF (`chr9` ↔ `9`, `chrM` ↔ `MT`).
    #[arg(long)]
    pub chrom_alias: bool,
    /// Replace a model already in `--out` that was trained on other data or settings (without
    /// it, re-running resumes only the same data and settings, and refuses otherwise).
    #[arg(long)]
    pub force: bool,
}

impl XpressoArgs {
    /// The input options.
    pub fn prep_options(&self) -> PrepOptions {
        let labels = match (&self.expression_columns, self.all_columns) {
            (Some(cols), _) => LabelSpec::Columns(cols.clone()),
            (None, true) => LabelSpec::AllColumns,
            (None, false) => LabelSpec::Median,
        };
        PrepOptions {
            upstream: self.upstream,
            downstream: self.downstream,
            policy: self.transcripts.policy(),
            features: !self.no_features,
            chrom_alias: self.chrom_alias,
            labels,
            ..Default::default()
        }
    }

    /// The training settings, validated.
    pub fn settings(&self) -> CliResult<TrainSettings> {
        let mut cfg = TrainConfig::xpresso();
        cfg.optimizer = self.optimizer.parse::<OptimizerKind>()?;
        cfg.lr = self.lr.unwrap_or(cfg.optimizer.default_lr());
        cfg.schedule = LrSchedule::parse(&self.schedule, self.warmup_steps)?;
        cfg.clip = self.clip_norm.map(Clipping::Norm);
        if self.clip_norm.is_some_and(|c| !(c.is_finite() && c > 0.0)) {
            return Err(CliError::Usage("--clip-norm must be > 0".into()));
        }
        cfg.batch_size = self.batch_size;
        cfg.max_epochs = self.epochs;
        cfg.patience = self.patience;
        cfg.n_runs = self.runs;
        cfg.seed = self.seed;
        let s = TrainSettings {
            preset: self.preset.clone(),
            train: cfg,
            bootstrap: self.bootstrap,
            device: self.device.clone(),
            resume: if self.force {
                Resume::Fresh
            } else {
                Resume::IfSame
            },
        };
        s.validate()?;
        self.prep_options().window_len()?;
        Ok(s)
    }
}

fn json<T: serde::Serialize>(v: &T) -> CliResult<String> {
    serde_json::to_string_pretty(v).map_err(|e| CliError::Usage(format!("JSON: {e}")))
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    match args.model {
        TrainModel::Xpresso(a) => {
            let settings = a.settings()?;
            let opts = a.prep_options();
            let prepared = prepare(&a.fasta, &a.gtf, Some(&a.expression), &opts)?;
            let spec = InputSpec::xpresso(&opts, &prepared.label_names);
            let trained = train_xpresso(&prepared, &spec, &settings, &a.out)?;
            print_stdout(&(json(&trained.summary)? + "\n"))
        }
        TrainModel::Mirex(m) => {
            let a = &m.xpresso;
            let settings = a.settings()?;
            let selection = mirna_selection(&m.selection, m.k)?;
            let inputs = MirnaInputs {
                targetscan: m.targetscan.clone(),
                mirna_expression: m.mirna_expression.clone(),
                mirna_column: m.mirna_column.clone(),
                weight: target_weight(&m.weight)?,
                species: m.species,
            };
            let opts = a.prep_options();
            let prepared = prepare(&a.fasta, &a.gtf, Some(&a.expression), &opts)?;
            let spec = InputSpec::xpresso(&opts, &prepared.label_names);
            let report = train_mirex(&prepared, &spec, &inputs, selection, &settings, &a.out)?;
            print_stdout(&(json(&report)? + "\n"))
        }
    }
}
