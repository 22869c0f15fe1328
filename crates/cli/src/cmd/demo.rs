//! `seq2expr demo`: the whole slice on the embedded synthetic world.
//!
//! 1. generate the seeded synthetic genome, GTF and expression table (planted promoter elements);
//! 2. extract the lncRNA study's 300 bp promoter windows (−249..+50) of every transcript and write
//!    them as FASTA, BED and TSV;
//! 3. build one TSS window per gene (−1000..+500 by default), one-hot encode it, add the
//!    gene-structure features and train an Xpresso CNN (best of N runs by validation);
//! 4. evaluate on held-out genes (R² = 1 − RSS/TSS and squared Pearson, bootstrap CIs) against
//!    the same architecture on the sequence alone and on shuffled labels (the control); write
//!    predictions, `summary.json` and SVG plots.

use std::path::PathBuf;
use std::time::Instant;

use datasets::synth::{SynthConfig, generate_to_dir};
use genome_io::annotation::read_annotation;
use genome_io::expression::{TableOptions, open_table};
use genome_io::fasta::{FastaOptions, open_fasta};
use genome_io::output::{OutputFormat, write_windows_to_path};
use genome_io::tss::{TssOptions, collect_tss};
use genome_io::windows::{EndPolicy, WindowSpec, plan_windows};
use rand::SeedableRng;
use rand::seq::SliceRandom;

use evalkit::plots::{MetricBar, ci_bar_svg, write_svg};
use genome_io::atomic::write_atomic;

use crate::cmd::train::{EvalSummary, XpressoArgs, fmt_opt, input_spec, train_prepared};
use crate::cmd::windows::Transcripts;
use crate::error::{CliError, CliResult, io_err};
use crate::xpresso_data::{PrepOptions, prepare_from};

/// Arguments of `seq2expr demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output directory (synthetic world, windows, models, predictions, plots).
    #[arg(long, default_value = "seq2expr-demo")]
    pub out: PathBuf,
    /// Seed of the world, the split, initialisation and shuffling.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Bases upstream of the TSS for the Xpresso windows.
    #[arg(long, default_value_t = 1000)]
    pub upstream: u64,
    /// Bases downstream of the TSS for the Xpresso windows.
    #[arg(long, default_value_t = 500)]
    pub downstream: u64,
    /// Maximum epochs per run.
    #[arg(long, default_value_t = 10)]
    pub epochs: usize,
    /// Independent runs (best by validation).
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// Skip the shuffled-label control run.
    #[arg(long)]
    pub no_control: bool,
    /// Device: cpu, wgpu or cuda (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    pub device: Option<String>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    let t0 = Instant::now();
    let world_dir = args.out.join("world");
    std::fs::create_dir_all(&world_dir)
        .map_err(io_err(format!("creating {}", world_dir.display())))?;
    let mut cfg = SynthConfig::demo();
    cfg.seed = args.seed;
    let paths = generate_to_dir(&cfg, &world_dir)?;
    let source = open_fasta(&paths.fasta, &FastaOptions::default())?;
    let ann = read_annotation(&paths.gtf)?;
    let n_tx: usize = ann.genes.iter().map(|g| g.transcripts.len()).sum();
    eprintln!(
        "[1/4] synthetic world (seed {}): {} chromosomes, {} bp, {} genes, {} transcripts -> {}",
        args.seed,
        source.names().len(),
        source
            .names()
            .iter()
            .filter_map(|n| source.seq_len(n))
            .sum::<u64>(),
        ann.genes.len(),
        n_tx,
        world_dir.display()
    );

    let tss = collect_tss(&ann, &TssOptions::default());
    let spec = WindowSpec::new(249, 50, EndPolicy::Skip);
    let plan = plan_windows(source.as_ref(), &tss, &spec)?;
    for (fmt, ext) in [
        (OutputFormat::Fasta, "fa"),
        (OutputFormat::Bed, "bed"),
        (OutputFormat::Tsv, "tsv"),
    ] {
        let p = args.out.join(format!("promoters300.{ext}"));
        write_windows_to_path(source.as_ref(), &plan.windows, fmt, &p, |_| {})?;
    }
    eprintln!(
        "[2/4] promoter windows -249..+50 of every transcript: {} written, {} skipped at chromosome ends",
        plan.windows.len(),
        plan.report.total - plan.report.kept
    );

    let table = open_table(&paths.expression, &TableOptions::default())?;
    let opts = PrepOptions {
        upstream: args.upstream,
        downstream: args.downstream,
        ..Default::default()
    };
    let prepared = prepare_from(source.as_ref(), &ann, Some(&table), &opts)?;
    eprintln!(
        "[3/4] Xpresso inputs: {} genes x {} bp one-hot + {} gene features; training on {} ...",
        prepared.len(),
        prepared.seq_len,
        prepared.n_features,
        args.device
            .as_deref()
            .unwrap_or("the default device (BURN_DEVICE, else cpu)")
    );
    let xargs = XpressoArgs {
        fasta: paths.fasta.clone(),
        gtf: paths.gtf.clone(),
        expression: paths.expression.clone(),
        out: args.out.join("xpresso"),
        upstream: args.upstream,
        downstream: args.downstream,
        transcripts: Transcripts::LongestCds,
        preset: "demo".into(),
        no_features: false,
        optimizer: "adam".into(),
        lr: Some(1e-3),
        schedule: "constant".into(),
        warmup_steps: 0,
        clip_norm: None,
        batch_size: 64,
        epochs: args.epochs,
        patience: 3,
        runs: args.runs,
        seed: args.seed,
        bootstrap: 1000,
        device: args.device.clone(),
        chrom_alias: false,
    };
    let mut results: Vec<(&str, EvalSummary)> = Vec::new();
    let full = train_prepared(&prepared, &xargs, &input_spec(&xargs))?;
    results.push(("sequence + gene features", full.summary));
    // Sequence only: what the promoter windows alone explain.
    let mut seq_only = prepared.clone();
    seq_only.features.clear();
    seq_only.n_features = 0;
    seq_only.log_columns.clear();
    let sargs = XpressoArgs {
        out: args.out.join("xpresso-sequence-only"),
        no_features: true,
        ..xargs.clone()
    };
    results.push((
        "sequence only",
        train_prepared(&seq_only, &sargs, &input_spec(&sargs))?.summary,
    ));
    if !args.no_control {
        let mut shuffled = prepared.clone();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(args.seed ^ 0x5eed);
        shuffled.labels.shuffle(&mut rng);
        let cargs = XpressoArgs {
            out: args.out.join("xpresso-shuffled-control"),
            ..xargs.clone()
        };
        results.push((
            "shuffled labels (control)",
            train_prepared(&shuffled, &cargs, &input_spec(&cargs))?.summary,
        ));
    }
    eprintln!("[4/4] evaluation on {} held-out genes", results[0].1.n_test);
    let bars: Vec<MetricBar> = results
        .iter()
        .map(|(name, s)| MetricBar {
            model: (*name).to_string(),
            value: s.r2.estimate,
            lower: s.r2.lower,
            upper: s.r2.upper,
        })
        .collect();
    write_svg(
        &args.out.join("r2_vs_control.svg"),
        &ci_bar_svg("test R² (1 − RSS/TSS)", &bars)?,
    )?;
    let mut report = serde_json::Map::new();
    for (name, s) in &results {
        report.insert(
            (*name).to_string(),
            serde_json::to_value(s).map_err(|e| CliError::Usage(e.to_string()))?,
        );
    }
    report.insert(
        "elapsed_s".into(),
        serde_json::json!(t0.elapsed().as_secs_f64()),
    );
    let json = serde_json::to_vec_pretty(&report).map_err(|e| CliError::Usage(e.to_string()))?;
    write_atomic(&args.out.join("summary.json"), |w| w.write_all(&json))?;
    println!("model                        test R² [95% CI]          squared Pearson");
    for (name, s) in &results {
        println!(
            "{name:<28} {:>6.3} [{:.3}, {:.3}]   {:>6}",
            s.r2.estimate,
            s.r2.lower,
            s.r2.upper,
            fmt_opt(s.pearson_r2.map(|c| c.estimate))
        );
    }
    println!(
        "outputs: {0}/summary.json, {0}/r2_vs_control.svg, {0}/xpresso/{{predictions.tsv,pred_vs_true.svg,learning_curve.svg}} ({1:.0} s)",
        args.out.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
