//! The lncRNA promoter study's data sets, from a genome FASTA + GTF (+ an expression table for
//! task 3), written as `train.csv`, `dev.csv`, `test.csv` and `summary.json`.
//!
//! The tasks, windows and splits are [`datasets::dataset::lncrna`]'s: a window of length `l`
//! is `l − 50` bases upstream of the TSS, the TSS and 49 bases downstream (the same window as
//! `seq2expr windows --upstream l-50 --downstream 49`).

use std::path::Path;

use datasets::dataset::lncrna::{LncrnaConfig, LncrnaSummary, build_lncrna, write_lncrna_dataset};
use genome_io::fasta::{FastaOptions, open_fasta};

use crate::error::{Error, Result};

/// Builds one lncRNA task and writes it to `out`; returns its summary (class counts per split,
/// GC content of both classes, skipped windows).
///
/// Errors: task 3 without an expression table, unreadable or malformed inputs (naming file and
/// line), a task with too few examples to split.
pub fn lncrna_dataset(
    fasta: &Path,
    gtf: &Path,
    expression: Option<&Path>,
    cfg: &LncrnaConfig,
    out: &Path,
) -> Result<LncrnaSummary> {
    if cfg.task == 3 && expression.is_none() {
        return Err(Error::Usage(
            "task 3 needs --expression TABLE (gene x tissue)".into(),
        ));
    }
    let genome = open_fasta(fasta, &FastaOptions::default())?;
    let ann = genome_io::annotation::read_annotation(gtf)?;
    let table = match expression {
        Some(p) => Some(genome_io::expression::open_table(p, &Default::default())?),
        None => None,
    };
    let expr = table.as_ref().zip(expression);
    let ds = build_lncrna(&*genome, &ann, expr, cfg)?;
    write_lncrna_dataset(out, &ds)?;
    Ok(ds.summary)
}
