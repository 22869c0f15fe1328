//! `seq2expr motifs`: seqlets, motifs and database matches from an `attribute` directory.

use std::path::PathBuf;

use pipeline::motifs::{MotifSettings, find_motifs};

use crate::error::{CliError, CliResult};
use crate::output::print_json;

/// Arguments of `seq2expr motifs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An output directory of `seq2expr attribute` (one-hot or nucleotide attributions).
    #[arg(long)]
    attributions: PathBuf,
    /// Motif database in MEME format (JASPAR, HOCOMOCO).
    #[arg(long)]
    meme: PathBuf,
    /// Seqlet p-value threshold (tangermeme's default 0.01).
    #[arg(long, default_value_t = 0.01)]
    threshold: f64,
    /// Shortest seqlet.
    #[arg(long, default_value_t = 4)]
    min_len: usize,
    /// Longest seqlet.
    #[arg(long, default_value_t = 25)]
    max_len: usize,
    /// Tomtom p-value under which a seqlet joins a cluster.
    #[arg(long, default_value_t = 1e-3)]
    cluster_p: f64,
    /// Smallest cluster reported.
    #[arg(long, default_value_t = 10)]
    min_cluster: usize,
    /// Database matches listed per cluster.
    #[arg(long, default_value_t = 3)]
    matches: usize,
    /// Tomtom p-value under which a seqlet counts for a database motif (matches.tsv).
    #[arg(long, default_value_t = 0.01)]
    match_p: f64,
    /// 0-based index of the TSS in every sequence (adds tss_offset to seqlets.tsv).
    #[arg(long)]
    tss_index: Option<usize>,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
}

/// Runs `seq2expr motifs`: prints the summary JSON.
pub fn run(a: Args) -> CliResult {
    let in_unit = |v: f64| v > 0.0 && v < 1.0;
    if !in_unit(a.threshold) || !(in_unit(a.cluster_p) || a.cluster_p == 1.0) || !in_unit(a.match_p)
    {
        return Err(CliError::Usage(
            "--threshold, --match-p and --cluster-p must be in (0, 1)".into(),
        ));
    }
    if a.min_len == 0 || a.min_len > a.max_len || a.max_len > 1000 {
        return Err(CliError::Usage(
            "need 1 <= --min-len <= --max-len <= 1000".into(),
        ));
    }
    let mut s = MotifSettings {
        matches: a.matches.max(1),
        min_cluster: a.min_cluster.max(1),
        tss_index: a.tss_index,
        match_p: a.match_p,
        ..Default::default()
    };
    s.seqlets.threshold = a.threshold;
    s.seqlets.min_seqlet_len = a.min_len;
    s.seqlets.max_seqlet_len = a.max_len;
    s.cluster.p_threshold = a.cluster_p;
    print_json(&find_motifs(&a.attributions, &a.meme, &s, &a.out)?)
}
