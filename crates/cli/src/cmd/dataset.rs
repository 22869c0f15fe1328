//! `seq2expr dataset`: build labelled datasets for the reference studies.
//!
//! `seq2expr dataset lncrna --task 1|2|3|4 --fasta F --gtf G [--expression TABLE]
//! [--length 300|500|1000|2000] --out DIR` writes `train.csv`, `dev.csv`, `test.csv` (GUE layout
//! `sequence,label`), `examples.tsv` (provenance, 0-based half-open coordinates) and
//! `summary.json` (counts per split, biotype mix, GC distribution of positives vs negatives,
//! background rejection report); see `datasets::dataset::lncrna` for the tasks.

use std::path::PathBuf;

use datasets::dataset::lncrna::LncrnaConfig;
use datasets::negatives::ShuffleKind;
use datasets::splits::SplitConfig;
use pipeline::lncrna::lncrna_dataset;

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr dataset`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: DatasetCommand,
}

#[derive(clap::Subcommand, Debug)]
enum DatasetCommand {
    /// The four binary tasks of the lncRNA promoter study (1 real vs shuffled, 2 promoter vs
    /// genomic background, 3 high vs low expression, 4 protein-coding vs lncRNA).
    Lncrna(LncrnaArgs),
}

/// Shuffle used for task 1.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum ShuffleArg {
    /// Keep the count of every base.
    Mono,
    /// Keep the count of every dinucleotide (Altschul-Erickson).
    Di,
}

#[derive(clap::Args, Debug)]
struct LncrnaArgs {
    /// Task: 1, 2, 3 or 4.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    task: u8,
    /// Genome FASTA (plain, gzip, or bgzip with .fai/.gzi).
    #[arg(long)]
    fasta: PathBuf,
    /// Annotation (GTF or GFF3, optionally gzipped).
    #[arg(long)]
    gtf: PathBuf,
    /// Gene x tissue expression table (task 3).
    #[arg(long)]
    expression: Option<PathBuf>,
    /// Window length in bp: l-50 bases upstream of the TSS, the TSS and 49 downstream. The study
    /// used 300 (and 500, 1000, 2000 for task 3); at least 51.
    #[arg(long, default_value_t = 300)]
    length: u64,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Seed of shuffles, sampling, balancing and splits.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Train / dev / test fractions.
    #[arg(long, num_args = 3, value_names = ["TRAIN", "DEV", "TEST"], default_values_t = [0.8, 0.1, 0.1])]
    split: Vec<f64>,
    /// Task 1: shuffle kind.
    #[arg(long, value_enum, default_value_t = ShuffleArg::Di)]
    shuffle: ShuffleArg,
    /// Task 2: bases excluded on each side of every annotated TSS.
    #[arg(long, default_value_t = 1000)]
    flank: u64,
    /// Task 2: match the GC of negatives to the positives within this tolerance (fraction).
    #[arg(long)]
    gc_tolerance: Option<f64>,
    /// Task 3: "high" = above this percentile in every tissue.
    #[arg(long, default_value_t = 75.0)]
    high_percentile: f64,
    /// Task 3: "low" = below this percentile in every tissue.
    #[arg(long, default_value_t = 25.0)]
    low_percentile: f64,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    match args.command {
        DatasetCommand::Lncrna(a) => lncrna(a),
    }
}

fn lncrna(a: LncrnaArgs) -> CliResult {
    let [train, valid, test] = a.split[..] else {
        return Err(CliError::Usage("--split takes three fractions".into()));
    };
    let cfg = LncrnaConfig {
        task: a.task,
        length: a.length,
        seed: a.seed,
        split: SplitConfig {
            train,
            valid,
            test,
            seed: a.seed,
        },
        shuffle: match a.shuffle {
            ShuffleArg::Mono => ShuffleKind::Mononucleotide,
            ShuffleArg::Di => ShuffleKind::Dinucleotide,
        },
        flank: a.flank,
        gc_tolerance: a.gc_tolerance,
        high_percentile: a.high_percentile,
        low_percentile: a.low_percentile,
    };
    let summary = lncrna_dataset(&a.fasta, &a.gtf, a.expression.as_deref(), &cfg, &a.out)?;
    let c = &summary.counts;
    eprintln!(
        "task {}: train {}+/{}-, dev {}+/{}-, test {}+/{}-; GC mean positives {:.3}, negatives {:.3}; wrote {}",
        a.task,
        c.train[1],
        c.train[0],
        c.dev[1],
        c.dev[0],
        c.test[1],
        c.test[0],
        summary.gc_positive.mean,
        summary.gc_negative.mean,
        a.out.display()
    );
    Ok(())
}
