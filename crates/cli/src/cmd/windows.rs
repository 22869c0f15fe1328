//! `seq2expr windows`: strand-aware TSS windows from a FASTA + GTF/GFF3 as FASTA, BED6 or TSV.
//!
//! With `--transcripts all --ends skip --format fasta` the output is byte-identical to
//! `bedtools getfasta -s -name` run on the BED of the same (kept) windows. Coordinates: the BED and
//! the FASTA headers are 0-based half-open; the TSV `tss` column is 1-based.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use genome_io::annotation::{BiotypeFilter, Detail, read_annotation_with};
use genome_io::atomic::write_atomic_with;
use genome_io::bed::{extract_bed, open_bed};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::output::{OutputFormat, write_windows, write_windows_to_path};
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};
use genome_io::windows::{WindowSpec, plan_windows};

use crate::args::{Ends, Transcripts};
use crate::error::{CliError, CliResult};
use crate::output;

/// Output format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// `bedtools getfasta -s -name` FASTA.
    Fasta,
    /// BED6 (0-based half-open).
    Bed,
    /// Metadata table.
    Tsv,
}

/// Arguments of `seq2expr windows`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Genome FASTA: plain (+ .fai), bgzip (+ .fai/.gzi) or plain gzip (decompressed into memory).
    #[arg(long)]
    pub fasta: PathBuf,
    /// Annotation: GTF or GFF3, plain, gzip or bgzip.
    #[arg(long, required_unless_present = "bed")]
    pub gtf: Option<PathBuf>,
    /// Ready-made regions instead of an annotation: BED (plain, gzip or bgzip, 0-based
    /// half-open, strand in field 6), extracted exactly as `bedtools getfasta -s -name` does,
    /// streamed (FASTA output only).
    #[arg(long, conflicts_with_all = [
        "gtf", "upstream", "downstream", "transcripts", "ends", "biotype", "dedup",
        "skip_missing_chroms",
    ])]
    pub bed: Option<PathBuf>,
    /// Bases upstream (5') of the TSS.
    #[arg(long, required_unless_present = "bed")]
    pub upstream: Option<u64>,
    /// Bases downstream (3') of the TSS; the TSS base itself is counted once on top.
    #[arg(long, required_unless_present = "bed")]
    pub downstream: Option<u64>,
    /// Transcript selection per gene.
    #[arg(long, value_enum, default_value = "all")]
    pub transcripts: Transcripts,
    /// Chromosome-end policy.
    #[arg(long, value_enum, default_value = "skip")]
    pub ends: Ends,
    /// Keep only these gene biotypes (GENCODE or Ensembl names; lincRNA == lncRNA). Repeat or
    /// separate with commas.
    #[arg(long, value_delimiter = ',')]
    pub biotype: Vec<String>,
    /// Map chromosome names between naming schemes (chr9 <-> 9, chrM <-> MT).
    #[arg(long)]
    pub chrom_alias: bool,
    /// Report identical TSSs of one gene once.
    #[arg(long)]
    pub dedup: bool,
    /// Drop (and count) TSSs on chromosomes absent from the FASTA instead of failing.
    #[arg(long)]
    pub skip_missing_chroms: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "fasta")]
    pub format: Format,
    /// Output file (written atomically); stdout when absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    let opts = FastaOptions {
        uppercase: false,
        chrom_alias: args.chrom_alias,
    };
    let source = open_fasta(&args.fasta, &opts)?;
    let (Some(gtf), Some(upstream), Some(downstream)) = (&args.gtf, args.upstream, args.downstream)
    else {
        return match &args.bed {
            Some(bed) => run_bed(&*source, bed, &args),
            None => Err(CliError::Usage(
                "give --gtf with --upstream and --downstream, or --bed".into(),
            )),
        };
    };
    let policy = args.transcripts.policy();
    // Per-transcript TSSs and gene starts need spans only: skip storing exons/CDS/UTRs.
    let detail = match policy {
        TssPolicy::All | TssPolicy::GeneStart => Detail::Spans,
        TssPolicy::Canonical | TssPolicy::LongestCds => Detail::Full,
    };
    let ann = read_annotation_with(gtf, detail)?;
    let tss_opts = TssOptions {
        policy,
        dedup: args.dedup,
        biotypes: BiotypeFilter::new(&args.biotype),
    };
    let tss = collect_tss(&ann, &tss_opts);
    if tss.is_empty() {
        // nothing to write: say why instead of writing an empty file
        let msg = if ann.genes.is_empty() {
            format!(
                "{}: no genes in the annotation (empty or not GTF/GFF3?)",
                gtf.display()
            )
        } else if !args.biotype.is_empty() {
            let mut have: Vec<&str> = ann
                .genes
                .iter()
                .filter_map(|g| g.biotype.as_deref())
                .collect();
            have.sort_unstable();
            have.dedup();
            format!(
                "--biotype {} matches none of the {} genes of {} (biotypes there: {})",
                args.biotype.join(","),
                ann.genes.len(),
                gtf.display(),
                have.join(", ")
            )
        } else {
            format!("{}: no transcript gives a TSS", gtf.display())
        };
        return Err(CliError::Usage(msg));
    }
    drop(ann);
    let ends = args.ends.policy();
    let mut spec = WindowSpec::new(upstream, downstream, ends);
    spec.skip_missing_chroms = args.skip_missing_chroms;
    let plan = plan_windows(&*source, &tss, &spec)?;
    let format = match args.format {
        Format::Fasta => OutputFormat::Fasta,
        Format::Bed => OutputFormat::Bed,
        Format::Tsv => OutputFormat::Tsv,
    };
    let bar = progress_bar(plan.windows.len() as u64);
    let tick = |n: usize| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    };
    match &args.out {
        Some(path) => write_windows_to_path(&*source, &plan.windows, format, path, tick)?,
        None => {
            let written = output::with_stdout(|w| {
                write_windows(&*source, &plan.windows, format, w, tick).map_err(stdout_error)
            })?;
            if written.is_none() {
                // The reader closed stdout early: stop quietly (see `output`).
                return Ok(());
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let r = plan.report;
    eprintln!(
        "windows: {} TSSs, {} written; ends={:?}: {} skipped, {} clipped, {} padded; {} on chromosomes absent from the FASTA",
        r.total, r.kept, args.ends, r.skipped, r.clipped, r.padded, r.missing_chrom
    );
    Ok(())
}

/// `--bed`: streams the regions of a BED file to bedtools-style FASTA.
fn run_bed(source: &dyn SequenceSource, bed: &Path, args: &Args) -> CliResult {
    if !matches!(args.format, Format::Fasta) {
        return Err(CliError::Usage(
            "--bed writes FASTA only (--format fasta)".into(),
        ));
    }
    let reader = open_bed(bed)?;
    let report = match &args.out {
        Some(path) => write_atomic_with(path, |w| extract_bed(source, reader, w))?,
        None => {
            let written =
                output::with_stdout(|w| extract_bed(source, reader, w).map_err(stdout_error))?;
            match written {
                Some(report) => report,
                // The reader closed stdout early: stop quietly (see `output`).
                None => return Ok(()),
            }
        }
    };
    eprintln!(
        "windows: {} BED regions, {} written; skipped as bedtools does: {} of length 0, {} past the chromosome end, {} on chromosomes absent from the FASTA",
        report.regions, report.written, report.empty, report.beyond_end, report.missing_chrom
    );
    Ok(())
}

/// A progress bar on stderr, only when stderr is a terminal and the run is long enough to matter.
fn progress_bar(len: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || len < 10_000 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} windows ({eta})")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// A write error on the `<output>` stream (stdout here) as [`CliError::Stdout`]; any other error
/// (reading the FASTA or BED) as it is.
fn stdout_error(e: genome_io::Error) -> CliError {
    match e {
        genome_io::Error::Io { path, source } if path == Path::new("<output>") => {
            CliError::Stdout(source)
        }
        e => e.into(),
    }
}
