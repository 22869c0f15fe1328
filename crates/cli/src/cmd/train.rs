//! `seq2expr train xpresso`: FASTA + GTF + expression table → trained Xpresso CNN, test-set R²
//! (both forms) with bootstrap CIs, predictions TSV and plots.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use datasets::splits::{Split, SplitConfig};
use evalkit::plots::{learning_curve_svg, read_metrics_log, scatter_svg, write_svg};
use evalkit::stats::{BootstrapCi, BootstrapConfig, bootstrap_ci};
use genome_io::atomic::write_atomic;
use models::{
    Clipping, LrSchedule, OptimizerKind, TrainConfig, TrainReport, XpressoConfig, select_device,
    train_xpresso,
};
use serde::Serialize;

use datasets::mirex::{MirexFeatures, TargetWeight, mirex_features, read_mirna_expression};
use genome_io::expression::DuplicatePolicy;
use genome_io::targetscan::{TargetScanOptions, open_targetscan};
use models::mirex::{MirnaSelection, residuals, select_mirnas_with};

use crate::cmd::windows::Transcripts;
use crate::error::{CliError, CliResult, io_err};
use crate::xpresso_data::{
    FeatureScaler, InputSpec, PrepOptions, Prepared, prepare, split, subset,
};

/// Input description saved next to a trained model.
pub const INPUTS_FILE: &str = "inputs.json";
/// Feature scaler (training-split statistics) saved next to a trained model.
pub const SCALER_FILE: &str = "feature_scaler.json";

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
    /// Bases downstream of the TSS.
    #[arg(long, default_value_t = 3500)]
    pub downstream: u64,
    /// Which transcript gives each gene's TSS.
    #[arg(long, value_enum, default_value = "longest-cds")]
    pub transcripts: Transcripts,
    /// Architecture preset: `human` (published tuned, 112,485 parameters), `manual` (the
    /// authors' manual model) or `demo` (small, for quick CPU runs). The input length and the
    /// number of side features follow the data.
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
    /// Learning-rate schedule: `constant`, `warmup` (linear warm-up over `--warmup-steps`, then linear
    /// decay to 0) or `onecycle` (PyTorch's OneCycleLR defaults).
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
    /// Device: cpu, wgpu or cuda (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    pub device: Option<String>,
    /// Match chromosome names across FASTA and GTF (`chr9` ↔ `9`, `chrM` ↔ `MT`).
    #[arg(long)]
    pub chrom_alias: bool,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    match args.model {
        TrainModel::Xpresso(a) => {
            let trained = train_xpresso_cmd(&a, None)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&trained.summary).map_err(json_err)?
            );
            Ok(())
        }
        TrainModel::Mirex(a) => {
            let report = train_mirex_cmd(&a)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(json_err)?
            );
            Ok(())
        }
    }
}

/// Test-set figures written to `metrics.json` and printed.
#[derive(Debug, Clone, Serialize)]
pub struct EvalSummary {
    /// Genes in train / validation / test.
    pub n_train: usize,
    /// Validation genes.
    pub n_valid: usize,
    /// Test genes.
    pub n_test: usize,
    /// 1 − RSS/TSS on the test set, with its bootstrap CI.
    pub r2: Ci,
    /// Squared Pearson correlation on the test set (Xpresso's "R²"), with its bootstrap CI;
    /// `null` when undefined (constant predictions, e.g. a collapsed model).
    pub pearson_r2: Option<Ci>,
    /// Test MSE.
    pub mse: f64,
    /// Test Spearman ρ (`null` when undefined).
    pub spearman: Option<f64>,
    /// Best validation MSE of the chosen run.
    pub best_valid_mse: f64,
    /// Index of the run kept (by validation loss).
    pub best_run: usize,
}

/// An estimate with a percentile bootstrap interval.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Ci {
    /// Point estimate.
    pub estimate: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

impl From<BootstrapCi> for Ci {
    fn from(c: BootstrapCi) -> Self {
        Ci {
            estimate: c.estimate,
            lower: c.lower,
            upper: c.upper,
        }
    }
}

fn json_err(e: serde_json::Error) -> CliError {
    CliError::Usage(format!("JSON: {e}"))
}

/// The model architecture for a preset name and input geometry.
pub fn model_config(preset: &str, seq_len: usize, n_features: usize) -> CliResult<XpressoConfig> {
    let mut cfg = match preset {
        "human" => XpressoConfig::xpresso_human(),
        "manual" => XpressoConfig::xpresso_manual(),
        "demo" => XpressoConfig::demo(),
        other => {
            return Err(CliError::Usage(format!(
                "unknown preset {other:?} (human|manual|demo)"
            )));
        }
    };
    cfg.input_len = seq_len;
    cfg.n_features = n_features;
    cfg.validate()?;
    Ok(cfg)
}

/// The training configuration from the options.
pub fn train_config(a: &XpressoArgs) -> CliResult<TrainConfig> {
    let mut cfg = TrainConfig::xpresso();
    match a.optimizer.as_str() {
        "sgd" => {}
        "adam" => cfg.optimizer = OptimizerKind::adam(),
        "adamw" => cfg.optimizer = OptimizerKind::adamw(),
        other => return Err(CliError::Usage(format!("unknown optimizer {other:?}"))),
    }
    cfg.lr = a.lr.unwrap_or(match cfg.optimizer {
        OptimizerKind::Sgd { .. } => 5e-4,
        _ => 1e-3,
    });
    cfg.schedule = match a.schedule.as_str() {
        "constant" => LrSchedule::Constant,
        "warmup" => LrSchedule::LinearWarmupDecay {
            warmup_steps: a.warmup_steps,
            final_fraction: 0.0,
        },
        "onecycle" => LrSchedule::OneCycle {
            pct_start: 0.3,
            div_factor: 25.0,
            final_div_factor: 1e4,
        },
        other => {
            return Err(CliError::Usage(format!(
                "unknown --schedule {other:?} (constant|warmup|onecycle)"
            )));
        }
    };
    cfg.clip = a.clip_norm.map(Clipping::Norm);
    cfg.batch_size = a.batch_size;
    cfg.max_epochs = a.epochs;
    cfg.patience = a.patience;
    cfg.n_runs = a.runs;
    cfg.seed = a.seed;
    Ok(cfg)
}

/// Row indices of the train, validation and test genes.
#[derive(Debug, Clone)]
pub struct SplitRows {
    /// Training rows.
    pub train: Vec<usize>,
    /// Validation rows.
    pub valid: Vec<usize>,
    /// Test rows.
    pub test: Vec<usize>,
}

/// What [`train_prepared`] returns.
#[derive(Debug, Clone)]
pub struct Trained {
    /// Test-set figures.
    pub summary: EvalSummary,
    /// The split used.
    pub rows: SplitRows,
    /// The feature transform fitted on the training rows.
    pub scaler: FeatureScaler,
    /// The kept model (best run by validation), on the training device.
    pub model: models::Xpresso,
}

/// The input options of `a`.
pub fn prep_options(a: &XpressoArgs) -> PrepOptions {
    PrepOptions {
        upstream: a.upstream,
        downstream: a.downstream,
        policy: a.transcripts.policy(),
        features: !a.no_features,
        chrom_alias: a.chrom_alias,
        ..Default::default()
    }
}

/// The `inputs.json` of an Xpresso model trained with `a`.
pub fn input_spec(a: &XpressoArgs) -> InputSpec {
    InputSpec {
        model: "xpresso".into(),
        upstream: a.upstream,
        downstream: a.downstream,
        transcripts: a.transcripts.name().into(),
        gene_features: !a.no_features,
        label: "log10(median + 0.1)".into(),
        mirnas: Vec::new(),
        mirna_weight: None,
    }
}

/// Reads the inputs, trains, evaluates on the held-out test genes and writes everything to
/// `a.out`. `labels_override` replaces the labels (the demo's shuffled-label control).
pub fn train_xpresso_cmd(a: &XpressoArgs, labels_override: Option<Vec<f64>>) -> CliResult<Trained> {
    let mut prepared = prepare(&a.fasta, &a.gtf, Some(&a.expression), &prep_options(a))?;
    if let Some(l) = labels_override {
        prepared.labels = l;
    }
    train_prepared(&prepared, a, &input_spec(a))
}

/// The seeded 80/10/10 split of `p` (stratified by label quartile).
pub fn split_rows(p: &Prepared, seed: u64) -> CliResult<SplitRows> {
    if let Some(i) = p.labels.iter().position(|y| !y.is_finite()) {
        return Err(CliError::Usage(format!(
            "gene {} has no finite expression label",
            p.windows[i].gene_id
        )));
    }
    if p.len() < 10 {
        return Err(CliError::Usage(format!(
            "too few genes ({}) for a train/validation/test split",
            p.len()
        )));
    }
    let split_cfg = SplitConfig {
        train: 0.8,
        valid: 0.1,
        test: 0.1,
        seed,
    };
    let splits = split(&p.labels, &split_cfg)?;
    let rows = |s: Split| (0..p.len()).filter(|&i| splits[i] == s).collect::<Vec<_>>();
    let r = SplitRows {
        train: rows(Split::Train),
        valid: rows(Split::Valid),
        test: rows(Split::Test),
    };
    if r.train.is_empty() || r.valid.is_empty() || r.test.is_empty() {
        return Err(CliError::Usage(format!(
            "too few genes ({}) for a train/validation/test split",
            p.len()
        )));
    }
    Ok(r)
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> CliResult {
    let json = serde_json::to_vec_pretty(value).map_err(json_err)?;
    Ok(write_atomic(path, |w| w.write_all(&json))?)
}

/// Trains and evaluates on an already prepared data set; writes `inputs.json`,
/// `feature_scaler.json`, the model, `predictions.tsv`, `metrics.json` and the SVG plots.
pub fn train_prepared(p: &Prepared, a: &XpressoArgs, spec: &InputSpec) -> CliResult<Trained> {
    std::fs::create_dir_all(&a.out).map_err(io_err(format!("creating {}", a.out.display())))?;
    let rows = split_rows(p, a.seed)?;
    let scaler = FeatureScaler::fit(&p.features, p.n_features, &rows.train, &p.log_columns);
    write_json(&a.out.join(INPUTS_FILE), spec)?;
    write_json(&a.out.join(SCALER_FILE), &scaler)?;
    let train = subset(p, &rows.train, &scaler, true)?;
    let valid = subset(p, &rows.valid, &scaler, true)?;
    let test = subset(p, &rows.test, &scaler, true)?;
    let device = select_device(a.device.as_deref())?;
    let model_cfg = model_config(&a.preset, p.seq_len, p.n_features)?;
    let train_cfg = train_config(a)?;
    let report: TrainReport =
        train_xpresso(&train, &valid, &model_cfg, &train_cfg, &a.out, &device)?;
    let (_, model) = models::load_trained(&a.out, &device)?;
    let y_pred: Vec<f64> = models::predict(&model, &test, 256)?
        .into_iter()
        .map(f64::from)
        .collect();
    let y_true: Vec<f64> = rows.test.iter().map(|&i| p.labels[i]).collect();
    write_predictions(
        &a.out.join("predictions.tsv"),
        p,
        &rows.test,
        Some(&y_true),
        &y_pred,
    )?;
    let best = &report.runs[report.best_run];
    let summary = EvalSummary {
        n_train: rows.train.len(),
        n_valid: rows.valid.len(),
        n_test: rows.test.len(),
        best_valid_mse: best.best_valid_loss,
        best_run: report.best_run,
        ..regression_summary(&y_true, &y_pred, a.bootstrap, a.seed)?
    };
    write_json(&a.out.join("metrics.json"), &summary)?;
    let title = format!(
        "test set: R² = {:.3}, Pearson R² = {}",
        summary.r2.estimate,
        fmt_opt(summary.pearson_r2.map(|c| c.estimate))
    );
    write_svg(
        &a.out.join("pred_vs_true.svg"),
        &scatter_svg(&y_true, &y_pred, &title)?,
    )?;
    let log_path = report.run_dirs[report.best_run].join("metrics.csv");
    let log_file = std::fs::File::open(&log_path)
        .map_err(io_err(format!("reading {}", log_path.display())))?;
    let log = read_metrics_log(log_file, &log_path.display().to_string())?;
    write_svg(
        &a.out.join("learning_curve.svg"),
        &learning_curve_svg(&log, "training (best run)")?,
    )?;
    Ok(Trained {
        summary,
        rows,
        scaler,
        model,
    })
}

/// `0.123` or `n/a`.
pub fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{x:.3}"))
}

/// R² (both forms, bootstrap CIs), MSE and Spearman of predictions; the split sizes and run
/// fields are left at zero.
pub fn regression_summary(
    y_true: &[f64],
    y_pred: &[f64],
    resamples: usize,
    seed: u64,
) -> CliResult<EvalSummary> {
    let boot = BootstrapConfig {
        n_resamples: resamples.max(1),
        level: 0.95,
        seed,
    };
    let pick = |idx: &[usize], v: &[f64]| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let r2 = bootstrap_ci(y_true.len(), &boot, |idx| {
        evalkit::r2(&pick(idx, y_true), &pick(idx, y_pred))
    })?;
    // Undefined when the predictions are constant: reported as null, not an error.
    let pr2 = bootstrap_ci(y_true.len(), &boot, |idx| {
        evalkit::pearson_r2(&pick(idx, y_true), &pick(idx, y_pred))
    })
    .ok();
    Ok(EvalSummary {
        n_train: 0,
        n_valid: 0,
        n_test: y_true.len(),
        r2: r2.into(),
        pearson_r2: pr2.map(Ci::from),
        mse: evalkit::mse(y_true, y_pred)?,
        spearman: evalkit::spearman(y_true, y_pred).ok(),
        best_valid_mse: f64::NAN,
        best_run: 0,
    })
}

/// Writes `gene_id gene_name transcript_id chrom strand tss0 [y_true] y_pred` for `rows`.
pub fn write_predictions(
    path: &Path,
    p: &Prepared,
    rows: &[usize],
    y_true: Option<&[f64]>,
    y_pred: &[f64],
) -> CliResult {
    let mut s = String::from("gene_id\tgene_name\ttranscript_id\tchrom\tstrand\ttss0");
    s.push_str(if y_true.is_some() {
        "\ty_true\ty_pred\n"
    } else {
        "\ty_pred\n"
    });
    for (k, (&i, h)) in rows.iter().zip(y_pred).enumerate() {
        let w = &p.windows[i];
        let _ = write!(
            s,
            "{}\t{}\t{}\t{}\t{}\t{}",
            w.gene_id,
            w.gene_name.as_deref().unwrap_or(""),
            w.transcript_id.as_deref().unwrap_or(""),
            w.chrom,
            w.strand.as_char(),
            w.tss0
        );
        if let Some(t) = y_true {
            let _ = write!(s, "\t{}", t[k]);
        }
        let _ = writeln!(s, "\t{h}");
    }
    Ok(write_atomic(path, |w| w.write_all(s.as_bytes()))?)
}

/// What `seq2expr train mirex` prints and writes to `mirex.json`.
#[derive(Debug, Clone, Serialize)]
pub struct MirexReport {
    /// The baseline Xpresso model (no miRNAs), same split and seeds.
    pub baseline: EvalSummary,
    /// miREx with the selected miRNAs.
    pub mirex: EvalSummary,
    /// Selected miRNAs with the Spearman ρ used to rank them (null for `all`).
    pub selected: Vec<(String, Option<f64>)>,
    /// Genes without any TargetScan row (their miRNA features are 0).
    pub genes_without_targets: usize,
}

fn mirna_selection(a: &MirexArgs) -> CliResult<MirnaSelection> {
    match a.selection.as_str() {
        "topk" => Ok(MirnaSelection::TopK(a.k)),
        "abscorr" => Ok(MirnaSelection::AbsCorr(a.k)),
        "all" => Ok(MirnaSelection::AllMirna),
        other => Err(CliError::Usage(format!(
            "unknown --selection {other:?} (topk|abscorr|all)"
        ))),
    }
}

/// The miRNA pair weight named by `name` (`score` or `targeted`).
pub fn target_weight(name: &str) -> CliResult<TargetWeight> {
    match name {
        "score" => Ok(TargetWeight::Score),
        "targeted" => Ok(TargetWeight::Targeted),
        other => Err(CliError::Usage(format!(
            "unknown miRNA weight {other:?} (score|targeted)"
        ))),
    }
}

/// Reads the TargetScan table and the miRNA expression and returns miREx's gene × miRNA matrix
/// for the genes of `p` (row-major, f64) with the miRNA names. `only` restricts (and orders)
/// the miRNAs.
pub fn mirna_matrix(
    p: &Prepared,
    targetscan: &Path,
    mirna_expression: &Path,
    column: &str,
    weight: TargetWeight,
    species: u32,
    only: Option<&[String]>,
) -> CliResult<MirexFeatures> {
    let ts_opts = TargetScanOptions {
        species: Some(species),
        ..Default::default()
    };
    let (matrix, _) = open_targetscan(targetscan, &ts_opts)?;
    let file = std::fs::File::open(mirna_expression)
        .map_err(io_err(format!("reading {}", mirna_expression.display())))?;
    let mut expr = read_mirna_expression(
        std::io::BufReader::new(file),
        mirna_expression,
        column,
        DuplicatePolicy::Sum,
    )?;
    if let Some(names) = only {
        expr = expr.select(names)?;
    }
    Ok(mirex_features(&matrix, &p.gene_ids(), &expr, weight))
}

/// `seq2expr train mirex`: baseline Xpresso in `out/baseline`, miRNA selection on the training
/// genes' residuals, then miREx in `out`.
pub fn train_mirex_cmd(a: &MirexArgs) -> CliResult<MirexReport> {
    let x = &a.xpresso;
    let selection = mirna_selection(a)?;
    let weight = target_weight(&a.weight)?;
    let prepared = prepare(&x.fasta, &x.gtf, Some(&x.expression), &prep_options(x))?;
    let feats = mirna_matrix(
        &prepared,
        &a.targetscan,
        &a.mirna_expression,
        &a.mirna_column,
        weight,
        a.species,
        None,
    )?;
    let n_mirna = feats.mirnas.len();
    let base_args = XpressoArgs {
        out: x.out.join("baseline"),
        ..x.clone()
    };
    let base = train_prepared(&prepared, &base_args, &input_spec(&base_args))?;
    // Residuals of the TRAINING genes only (no test data enters the selection).
    let train = subset(&prepared, &base.rows.train, &base.scaler, true)?;
    let fitted = models::predict(&base.model, &train, 256)?;
    let resid = residuals(&train.labels, &fitted);
    let train_mirna: Vec<f32> = base
        .rows
        .train
        .iter()
        .flat_map(|&i| {
            feats.values[i * n_mirna..(i + 1) * n_mirna]
                .iter()
                .map(|&v| v as f32)
        })
        .collect();
    let chosen = select_mirnas_with(&resid, &train_mirna, n_mirna, selection, |u, v| {
        evalkit::spearman(u, v).ok().filter(|r| r.is_finite())
    })?;
    if chosen.is_empty() {
        return Err(CliError::Usage(
            "no miRNA has a defined correlation with the training residuals (all constant?)".into(),
        ));
    }
    let mut with_mirna = prepared.clone();
    let extra: Vec<f64> = (0..prepared.len())
        .flat_map(|i| chosen.iter().map(move |c| (i, c.index)))
        .map(|(i, j)| feats.values[i * n_mirna + j])
        .collect();
    with_mirna.append_features(&extra, chosen.len());
    let names: Vec<String> = chosen
        .iter()
        .map(|c| feats.mirnas[c.index].clone())
        .collect();
    let spec = InputSpec {
        model: "mirex".into(),
        mirnas: names.clone(),
        mirna_weight: Some(a.weight.clone()),
        ..input_spec(x)
    };
    let mirex = train_prepared(&with_mirna, x, &spec)?;
    let report = MirexReport {
        baseline: base.summary,
        mirex: mirex.summary,
        selected: names
            .into_iter()
            .zip(chosen.iter().map(|c| c.rho.is_finite().then_some(c.rho)))
            .collect(),
        genes_without_targets: feats.genes_without_targets,
    };
    write_json(&x.out.join("mirex.json"), &report)?;
    Ok(report)
}
