//! `seq2expr demo`: the main job on the embedded synthetic world.
//!
//! At this stage it generates the seeded synthetic genome, GTF and expression table (planted
//! promoter elements, see `docs/synthetic-world.md`), extracts the lncRNA study's 300 bp promoter
//! windows (−249..+50, TSS counted once) and Xpresso's −7000..+3500 windows of every transcript,
//! writes them as FASTA (bedtools `-s -name` headers), BED6 and TSV, and prints a summary.
//! Training and evaluation join the demo when the burn models are enabled.

use std::path::PathBuf;
use std::time::Instant;

use genome_io::annotation::read_annotation;
use genome_io::fasta::{FastaOptions, open_fasta};
use genome_io::output::{OutputFormat, write_windows_to_path};
use genome_io::synth::{SynthConfig, generate_to_dir};
use genome_io::tss::{TssOptions, collect_tss};
use genome_io::windows::{EndPolicy, WindowSpec, plan_windows};

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output directory (synthetic world and windows).
    #[arg(long, default_value = "seq2expr-demo")]
    pub out: PathBuf,
    /// Seed of the synthetic world.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    let t0 = Instant::now();
    let world_dir = args.out.join("world");
    std::fs::create_dir_all(&world_dir).map_err(|source| CliError::Io {
        context: format!("creating {}", world_dir.display()),
        source,
    })?;
    let cfg = SynthConfig {
        seed: args.seed,
        ..SynthConfig::demo()
    };
    let paths = generate_to_dir(&cfg, &world_dir)?;
    let source = open_fasta(&paths.fasta, &FastaOptions::default())?;
    let ann = read_annotation(&paths.gtf)?;
    let names = source.names();
    let genome_len: u64 = names.iter().filter_map(|n| source.seq_len(n)).sum();
    let n_tx: usize = ann.genes.iter().map(|g| g.transcripts.len()).sum();
    println!(
        "synthetic world (seed {}) in {}",
        args.seed,
        world_dir.display()
    );
    println!(
        "  {} chromosomes, {genome_len} bp, {} genes, {n_tx} transcripts",
        names.len(),
        ann.genes.len()
    );
    let tss = collect_tss(&ann, &TssOptions::default());
    for (label, up, down, ends) in [
        ("promoters300", 249, 50, EndPolicy::Skip),
        ("xpresso10500", 7000, 3500, EndPolicy::Pad),
    ] {
        let spec = WindowSpec::new(up, down, ends);
        let plan = plan_windows(source.as_ref(), &tss, &spec)?;
        for (fmt, ext) in [
            (OutputFormat::Fasta, "fa"),
            (OutputFormat::Bed, "bed"),
            (OutputFormat::Tsv, "tsv"),
        ] {
            let p = args.out.join(format!("{label}.{ext}"));
            write_windows_to_path(source.as_ref(), &plan.windows, fmt, &p, |_| {})?;
        }
        println!(
            "  {label}: -{up}..+{down} ({} bp), {} windows from {} TSSs, ends policy {ends:?}: {:?}",
            spec.len(),
            plan.windows.len(),
            tss.len(),
            plan.report
        );
    }
    println!(
        "  outputs: {}/{{promoters300,xpresso10500}}.{{fa,bed,tsv}}",
        args.out.display()
    );
    println!("done in {:.1} s", t0.elapsed().as_secs_f64());
    Ok(())
}
