//! `seq2expr variants`: effects of VCF variants on the TSS windows they overlap.

use std::path::PathBuf;

use genome_io::variants::FixedLength;
use pipeline::attribute::Explainer;
use pipeline::variants::{VariantOutputs, VariantSettings, score_variants};

use crate::args::{Ends, Transcripts};
use crate::error::{CliError, CliResult};
use crate::output::{print_json, spinner};

/// Fixed-length rule of the alternative window.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Fixed {
    /// Trim or pad with N at the 3' end of the oriented window.
    AtEnd,
    /// Trim or pad on the variant's side of the TSS, keeping the TSS index.
    KeepTss,
}

/// Arguments of `seq2expr variants`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A model directory of `seq2expr train`, or an HF sequence-classification checkpoint.
    /// Optional with --emit-sequences alone.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Genome FASTA (plain + .fai, bgzip + .fai/.gzi, or gzip).
    #[arg(long)]
    fasta: PathBuf,
    /// Annotation (GTF or GFF3).
    #[arg(long)]
    gtf: PathBuf,
    /// Variants (VCF, plain, gzip or bgzip).
    #[arg(long)]
    vcf: PathBuf,
    /// Bases upstream of the TSS (default: the model's).
    #[arg(long)]
    upstream: Option<u64>,
    /// Bases downstream of the TSS (default: the model's).
    #[arg(long)]
    downstream: Option<u64>,
    /// Transcript selection per gene (default: the model's, else all).
    #[arg(long, value_enum)]
    transcripts: Option<Transcripts>,
    /// Chromosome-end policy of the windows.
    #[arg(long, value_enum, default_value = "pad")]
    ends: Ends,
    /// Keep the reference length (at-end when given bare); one-hot models always get at-end
    /// unless keep-tss is asked.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "at-end")]
    fixed_length: Option<Fixed>,
    /// Average each score with its reverse complement's.
    #[arg(long)]
    rc_average: bool,
    /// The model output scored (0-based).
    #[arg(long, default_value_t = 0)]
    target: usize,
    /// Sequences per forward pass.
    #[arg(long, default_value_t = 64)]
    batch_size: usize,
    /// Count malformed VCF lines instead of stopping at the first.
    #[arg(long)]
    skip_malformed: bool,
    /// Match chromosome names exactly (no chr9 <-> 9).
    #[arg(long)]
    no_chrom_alias: bool,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N.
    #[arg(long)]
    device: Option<String>,
    /// Effects TSV (also writes NAME.genes.tsv and NAME.skipped.tsv beside it).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write ref and alt windows as FASTA (`>CHROM:POS:REF:ALT|TRANSCRIPT|ref` / `|alt`).
    #[arg(long)]
    emit_sequences: Option<PathBuf>,
}

/// Runs `seq2expr variants`: prints the summary JSON.
pub fn run(a: Args) -> CliResult {
    if let Some(d) = a.device.as_deref() {
        models::check_device_name(d)?;
    }
    if a.out.is_some() && a.model.is_none() {
        return Err(CliError::Usage("--out needs --model".into()));
    }
    if a.out.is_none() && a.emit_sequences.is_none() {
        return Err(CliError::Usage(
            "give --out, --emit-sequences or both".into(),
        ));
    }
    let device = models::select_device(a.device.as_deref())?;
    let ex = match (&a.model, &a.out) {
        (Some(m), Some(_)) => Some(Explainer::open(m, &device)?),
        _ => None,
    };
    let mut s = VariantSettings {
        ends: a.ends.policy(),
        fixed_length: match a.fixed_length {
            None => FixedLength::Off,
            Some(Fixed::AtEnd) => FixedLength::AtEnd,
            Some(Fixed::KeepTss) => FixedLength::KeepTss,
        },
        rc_average: a.rc_average,
        target: a.target,
        batch_size: a.batch_size,
        chrom_alias: !a.no_chrom_alias,
        skip_malformed: a.skip_malformed,
        ..Default::default()
    };
    if let Some(t) = a.transcripts {
        s.policy = t.policy();
    }
    match &ex {
        Some(Explainer::OneHot(d)) => {
            let (u, dn) = (d.spec.upstream, d.spec.downstream);
            if a.upstream.is_some_and(|x| x != u) || a.downstream.is_some_and(|x| x != dn) {
                return Err(CliError::Usage(format!(
                    "the model takes windows of --upstream {u} --downstream {dn}; leave them out or give those"
                )));
            }
            (s.upstream, s.downstream) = (u, dn);
            if a.transcripts.is_none() {
                s.policy = d.spec.transcripts.parse().map_err(CliError::Usage)?;
            }
            if s.fixed_length == FixedLength::Off {
                s.fixed_length = FixedLength::AtEnd;
            }
            if d.saved.model.n_outputs <= a.target {
                return Err(CliError::Usage(format!(
                    "--target {}: the model has {} output(s)",
                    a.target, d.saved.model.n_outputs
                )));
            }
        }
        _ => {
            let (Some(u), Some(dn)) = (a.upstream, a.downstream) else {
                return Err(CliError::Usage(
                    "give --upstream and --downstream (a one-hot model directory supplies its own)"
                        .into(),
                ));
            };
            (s.upstream, s.downstream) = (u, dn);
        }
    }
    let scorer = ex.as_ref().map(|e| e.scorer(&device, a.batch_size));
    let bar = spinner("VCF alleles");
    let summary = score_variants(
        scorer.as_deref(),
        &a.fasta,
        &a.gtf,
        &a.vcf,
        &s,
        &VariantOutputs {
            effects: a.out.clone(),
            sequences: a.emit_sequences.clone(),
        },
        |n| {
            if let Some(b) = &bar {
                b.set_position(n);
            }
        },
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    print_json(&summary)
}
