//! Attention-based importance of an encoder checkpoint (the lncRNA study's Fig. 2): what
//! `seq2expr lm importance` does.
//!
//! DNABERT's recipe, per sequence: the last layer's attention from `[CLS]` to each token,
//! summed over heads; spread to nucleotides as the mean over the tokens covering each
//! nucleotide (the k overlapping k-mers of DNABERT; for non-overlapping NT 6-mers or BPE
//! tokens, each token's score on every nucleotide it spans); L2-normalised
//! ([`models::attribution::attention`]). Sequences longer than the model's positions are
//! truncated to the first `max_position_embeddings − 2` tokens; the nucleotides past them get
//! no score.
//!
//! `OUT/importance.tsv`: `id, position, base, score` per nucleotide (position 0-based from the
//! sequence start, or relative to the TSS with `tss_index`: the TSS base is 0, upstream
//! negative). `OUT/profile.tsv` and `OUT/profile.svg`: the mean score per position over the
//! selected sequences (a CSV's examples with the chosen label, else all), `n` sequences
//! contributing at each position.

use std::path::Path;

use datasets::dataset::read_dataset_file;
use evalkit::plots::{profile_svg, write_svg};
use models::lm::LoadedLm;
use serde_json::{Value, json};

use super::batch::{SeqInput, for_each_batch};
use crate::error::io_err;
use crate::{Error, Result};

/// Settings of [`lm_importance`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportanceSettings {
    /// Sequences per forward batch.
    pub batch_size: usize,
    /// 0-based index of the TSS in every sequence (positions reported relative to it).
    pub tss_index: Option<usize>,
    /// With a labelled CSV: the label whose examples make the profile (default 1).
    pub label: u32,
}

impl Default for ImportanceSettings {
    fn default() -> Self {
        Self {
            batch_size: 16,
            tss_index: None,
            label: 1,
        }
    }
}

/// Nucleotide scores of `seqs` (one vector per sequence, its length = the sequence's).
///
/// # Errors
/// No tokenizer in the checkpoint, tokenizer and model errors.
pub fn attention_importance(
    lm: &LoadedLm,
    seqs: &[Vec<u8>],
    device: &models::Device,
) -> Result<Vec<Vec<f64>>> {
    // the same recipe as `attribute --method attention` (target unused)
    crate::attribute::nucleotide_scores(lm, seqs, crate::attribute::Method::Attention, 0, device)
}

fn is_table(p: &Path) -> bool {
    let n = p.to_string_lossy().to_ascii_lowercase();
    [".csv", ".csv.gz", ".tsv", ".tsv.gz"]
        .iter()
        .any(|e| n.ends_with(e))
}

/// Computes the importance of every sequence of `input` (a labelled CSV/TSV dataset file, or a
/// FASTA / one-sequence-per-line file) and writes `OUT/importance.tsv`, `OUT/profile.tsv` and
/// `OUT/profile.svg`. Returns a summary.
///
/// # Errors
/// Unreadable input, no sequence selected for the profile, model and I/O errors.
pub fn lm_importance(
    lm: &LoadedLm,
    input: &Path,
    s: &ImportanceSettings,
    out: &Path,
    device: &models::Device,
    mut progress: impl FnMut(usize),
) -> Result<Value> {
    std::fs::create_dir_all(out).map_err(io_err(format!("creating {}", out.display())))?;
    let mut records: Vec<(String, Vec<u8>, bool)> = Vec::new();
    if is_table(input) {
        for (i, e) in read_dataset_file(input)?.into_iter().enumerate() {
            records.push((
                format!("row{}", i + 1),
                e.sequence.into_bytes(),
                e.label == s.label,
            ));
        }
    } else {
        let src = if input.to_string_lossy().ends_with(".txt") {
            SeqInput::Lines(input)
        } else {
            SeqInput::Fasta(input)
        };
        for_each_batch(src, 1024, |b| {
            records.extend(b.iter().map(|(id, seq)| (id.clone(), seq.clone(), true)));
            Ok(())
        })?;
    }
    if !records.iter().any(|r| r.2) {
        return Err(Error::Usage(format!(
            "{}: no sequence selected for the profile (label {})",
            input.display(),
            s.label
        )));
    }
    let origin = s.tss_index.map_or(0, |t| t as i64);
    let (mut sum, mut count): (Vec<f64>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut lo = i64::MAX;
    let path = out.join("importance.tsv");
    let mut done = 0;
    outfile::write_atomic_with(
        &path,
        |w| {
            let io = |e| Error::Io {
                context: format!("writing {}", path.display()),
                source: e,
            };
            writeln!(w, "id\tposition\tbase\tscore").map_err(io)?;
            for chunk in records.chunks(s.batch_size.max(1)) {
                let seqs: Vec<Vec<u8>> = chunk.iter().map(|r| r.1.clone()).collect();
                let scores = attention_importance(lm, &seqs, device)?;
                for ((id, seq, sel), sc) in chunk.iter().zip(&scores) {
                    for (j, (&b, &v)) in seq.iter().zip(sc).enumerate() {
                        let pos = j as i64 - origin;
                        writeln!(w, "{id}\t{pos}\t{}\t{v}", b as char).map_err(io)?;
                        if *sel {
                            if sum.len() <= j {
                                sum.resize(j + 1, 0.0);
                                count.resize(j + 1, 0);
                            }
                            sum[j] += v;
                            count[j] += 1;
                            lo = lo.min(pos);
                        }
                    }
                }
                done += chunk.len();
                progress(done);
            }
            Ok(())
        },
        |p, e| Error::Io {
            context: format!("writing {}", p.display()),
            source: e,
        },
    )?;
    let mean: Vec<f64> = sum
        .iter()
        .zip(&count)
        .map(|(s, &c)| s / c.max(1) as f64)
        .collect();
    let positions: Vec<f64> = (0..mean.len())
        .map(|j| (j as i64 - origin) as f64)
        .collect();
    let prof = out.join("profile.tsv");
    outfile::write_atomic(&prof, |w| {
        writeln!(w, "position\tmean_score\tn")?;
        for ((p, m), c) in positions.iter().zip(&mean).zip(&count) {
            writeln!(w, "{p}\t{m}\t{c}")?;
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", prof.display())))?;
    let xdesc = if s.tss_index.is_some() {
        "position (nt, TSS = 0)"
    } else {
        "position (nt from the sequence start)"
    };
    let n_sel = records.iter().filter(|r| r.2).count();
    let name = format!("mean over {n_sel} sequences");
    let svg = profile_svg(
        "attention importance (last layer, [CLS] → token, k-mer mean)",
        xdesc,
        &positions,
        &[(name.as_str(), &mean)],
        s.tss_index.map(|_| 0.0),
    )?;
    write_svg(&out.join("profile.svg"), &svg)?;
    let peak = mean
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(j, _)| j as i64 - origin);
    Ok(json!({
        "model": lm.dir.display().to_string(),
        "input": input.display().to_string(),
        "n_sequences": records.len(),
        "n_profile": n_sel,
        "first_position": if lo == i64::MAX { Value::Null } else { lo.into() },
        "peak_position": peak,
        "importance": path.display().to_string(),
        "profile": prof.display().to_string(),
    }))
}
