//! The synthetic demo (what `seq2expr demo` and `examples/demo` run): the whole slice on the
//! embedded synthetic world.
//!
//! 1. generate the seeded synthetic genome, GTF and expression table (planted promoter
//!    elements);
//! 2. extract the lncRNA study's 300 bp promoter windows (−250..+49, TSS at index 250: the
//!    window of `datasets::dataset::lncrna`) of every transcript and write them as FASTA, BED
//!    and TSV;
//! 3. build one TSS window per gene (−1000..+500 by default), add the gene-structure features
//!    and train an Xpresso CNN (best of N runs by validation);
//! 4. evaluate on held-out genes (R² = 1 − RSS/TSS and squared Pearson, bootstrap CIs)
//!    against the same architecture on the sequence alone and on shuffled labels (the
//!    control); write predictions, `summary.json` and SVG plots.

use std::path::{Path, PathBuf};
use std::time::Instant;

use datasets::synth::{SynthConfig, generate_to_dir};
use evalkit::plots::{MetricBar, ci_bar_svg, write_svg};
use genome_io::annotation::read_annotation;
use genome_io::expression::{TableOptions, open_table};
use genome_io::fasta::{FastaOptions, open_fasta};
use genome_io::output::{OutputFormat, write_windows_to_path};
use genome_io::tss::{TssOptions, collect_tss};
use genome_io::windows::plan_windows;
use models::{LrSchedule, OptimizerKind, TrainConfig};
use rand::SeedableRng;
use rand::seq::SliceRandom;

use crate::error::{Error, Result, io_err};
use crate::eval::EvalSummary;
use crate::model_dir::{InputSpec, write_json};
use crate::prepare::{PrepOptions, prepare_from};
use crate::xpresso::{TrainSettings, train_xpresso};

/// Settings of the demo.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOptions {
    /// Output directory (synthetic world, windows, models, predictions, plots).
    pub out: PathBuf,
    /// Seed of the world, the split, initialisation and shuffling.
    pub seed: u64,
    /// Bases upstream of the TSS for the Xpresso windows.
    pub upstream: u64,
    /// Bases downstream of the TSS for the Xpresso windows.
    pub downstream: u64,
    /// Maximum epochs per run.
    pub epochs: usize,
    /// Independent runs (best by validation).
    pub runs: usize,
    /// Train the shuffled-label control too.
    pub control: bool,
    /// Device name (`None`: `BURN_DEVICE`, else the CPU).
    pub device: Option<String>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            out: "seq2expr-demo".into(),
            seed: 7,
            upstream: 1000,
            downstream: 500,
            epochs: 10,
            runs: 1,
            control: true,
            device: None,
        }
    }
}

impl DemoOptions {
    /// The training settings of the demo's models (the `demo` architecture, Adam lr 1e-3,
    /// batch 64, patience 3).
    pub fn settings(&self) -> TrainSettings {
        let train = TrainConfig {
            optimizer: OptimizerKind::adam(),
            lr: 1e-3,
            schedule: LrSchedule::Constant,
            batch_size: 64,
            max_epochs: self.epochs,
            patience: 3,
            n_runs: self.runs,
            seed: self.seed,
            ..TrainConfig::xpresso()
        };
        TrainSettings {
            preset: "demo".into(),
            train,
            bootstrap: 1000,
            device: self.device.clone(),
            resume: models::Resume::IfSame,
        }
    }
}

/// One line of the demo's result table.
#[derive(Debug, Clone)]
pub struct DemoResult {
    /// Which model.
    pub name: &'static str,
    /// Its test-set figures.
    pub summary: EvalSummary,
}

/// Runs the demo; `log` receives the progress lines (`[1/4] …`).
pub fn run_demo(opts: &DemoOptions, mut log: impl FnMut(&str)) -> Result<Vec<DemoResult>> {
    let t0 = Instant::now();
    let prep = PrepOptions {
        upstream: opts.upstream,
        downstream: opts.downstream,
        ..Default::default()
    };
    let len = prep.window_len()?;
    let settings = opts.settings();
    settings.validate()?;
    // the network must fit the window (pooling can shrink a short one to nothing): checked
    // before the world is written
    models::XpressoConfig::preset(&settings.preset, len, 8, 1)?.validate()?;
    let world_dir = opts.out.join("world");
    std::fs::create_dir_all(&world_dir)
        .map_err(io_err(format!("creating {}", world_dir.display())))?;
    let mut cfg = SynthConfig::demo();
    cfg.seed = opts.seed;
    let paths = generate_to_dir(&cfg, &world_dir)?;
    let source = open_fasta(&paths.fasta, &FastaOptions::default())?;
    let ann = read_annotation(&paths.gtf)?;
    let n_tx: usize = ann.genes.iter().map(|g| g.transcripts.len()).sum();
    let total: u64 = source
        .names()
        .iter()
        .filter_map(|n| source.seq_len(n))
        .sum();
    log(&format!(
        "[1/4] synthetic world (seed {}): {} chromosomes, {total} bp, {} genes, {n_tx} transcripts -> {}",
        opts.seed,
        source.names().len(),
        ann.genes.len(),
        world_dir.display()
    ));
    let tss = collect_tss(&ann, &TssOptions::default());
    let spec = datasets::dataset::lncrna::promoter_spec(300)?;
    let plan = plan_windows(source.as_ref(), &tss, &spec)?;
    for (fmt, ext) in [
        (OutputFormat::Fasta, "fa"),
        (OutputFormat::Bed, "bed"),
        (OutputFormat::Tsv, "tsv"),
    ] {
        let p = opts.out.join(format!("promoters300.{ext}"));
        write_windows_to_path(source.as_ref(), &plan.windows, fmt, &p, |_| {})?;
    }
    log(&format!(
        "[2/4] promoter windows -250..+49 of every transcript: {} written, {} skipped at chromosome ends",
        plan.windows.len(),
        plan.report.total - plan.report.kept
    ));
    let table = open_table(&paths.expression, &TableOptions::default())?;
    let prepared = prepare_from(source.as_ref(), &ann, Some(&table), &prep)?;
    log(&format!(
        "[3/4] Xpresso inputs: {} genes x {} bp one-hot + {} gene features; training on {} ...",
        prepared.len(),
        prepared.seq_len,
        prepared.n_features,
        opts.device
            .as_deref()
            .unwrap_or("the default device (BURN_DEVICE, else cpu)")
    ));
    let spec = InputSpec::xpresso(&prep, &prepared.label_names);
    let mut results = vec![DemoResult {
        name: "sequence + gene features",
        summary: train_xpresso(&prepared, &spec, &settings, &opts.out.join("xpresso"))?.summary,
    }];
    // Sequence only: what the promoter windows alone explain.
    let seq_prep = PrepOptions {
        features: false,
        ..prep.clone()
    };
    results.push(DemoResult {
        name: "sequence only",
        summary: train_xpresso(
            &prepared.clone().without_features(),
            &InputSpec::xpresso(&seq_prep, &prepared.label_names),
            &settings,
            &opts.out.join("xpresso-sequence-only"),
        )?
        .summary,
    });
    if opts.control {
        let mut shuffled = prepared.clone();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(opts.seed ^ 0x5eed);
        shuffled.labels.shuffle(&mut rng);
        results.push(DemoResult {
            name: "shuffled labels (control)",
            summary: train_xpresso(
                &shuffled,
                &spec,
                &settings,
                &opts.out.join("xpresso-shuffled-control"),
            )?
            .summary,
        });
    }
    log(&format!(
        "[4/4] evaluation on {} held-out genes",
        results[0].summary.n_test
    ));
    write_outputs(&opts.out, &results, t0)?;
    Ok(results)
}

fn write_outputs(out: &Path, results: &[DemoResult], t0: Instant) -> Result<()> {
    let bars: Vec<MetricBar> = results
        .iter()
        .map(|r| MetricBar {
            model: r.name.to_string(),
            value: r.summary.r2.estimate,
            lower: r.summary.r2.lower,
            upper: r.summary.r2.upper,
        })
        .collect();
    write_svg(
        &out.join("r2_vs_control.svg"),
        &ci_bar_svg("test R² (1 − RSS/TSS)", &bars)?,
    )?;
    let mut report = serde_json::Map::new();
    for r in results {
        report.insert(
            r.name.to_string(),
            serde_json::to_value(&r.summary).map_err(|e| Error::Usage(e.to_string()))?,
        );
    }
    report.insert(
        "elapsed_s".into(),
        serde_json::json!(t0.elapsed().as_secs_f64()),
    );
    write_json(&out.join("summary.json"), &report)
}
