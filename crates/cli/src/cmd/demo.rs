//! `seq2expr demo`: the whole slice on the embedded synthetic world ([`pipeline::demo`]).

use std::path::PathBuf;
use std::time::Instant;

use pipeline::demo::{DemoOptions, run_demo};
use pipeline::eval::fmt_opt;

use crate::error::CliResult;
use crate::output::print_stdout;

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
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    pub device: Option<String>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    let t0 = Instant::now();
    let opts = DemoOptions {
        out: args.out.clone(),
        seed: args.seed,
        upstream: args.upstream,
        downstream: args.downstream,
        epochs: args.epochs,
        runs: args.runs,
        control: !args.no_control,
        device: args.device,
    };
    let results = run_demo(&opts, |line| eprintln!("{line}"))?;
    let mut text =
        String::from("model                        test R² [95% CI]          squared Pearson\n");
    for r in &results {
        let s = &r.summary;
        text.push_str(&format!(
            "{:<28} {:>6.3} [{:.3}, {:.3}]   {:>6}\n",
            r.name,
            s.r2.estimate,
            s.r2.lower,
            s.r2.upper,
            fmt_opt(s.pearson_r2.map(|c| c.estimate))
        ));
    }
    text.push_str(&format!(
        "outputs: {0}/summary.json, {0}/r2_vs_control.svg, {0}/xpresso/{{predictions.tsv,pred_vs_true.svg,learning_curve.svg}} ({1:.0} s)",
        args.out.display(),
        t0.elapsed().as_secs_f64()
    ));
    text.push('\n');
    print_stdout(&text)
}
