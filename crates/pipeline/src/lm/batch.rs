//! Sequences → the checkpoint's tokenizer → batches → pooled embeddings or predictions (TSV).

use std::io::BufRead;
use std::path::Path;

use genome_io::fasta::{FastaOptions, open_fasta};
use models::lm::{Collect, LoadedLm, RowOutput};

use crate::error::io_err;
use crate::{Error, Result};

/// Where the sequences come from.
#[derive(Debug, Clone, Copy)]
pub enum SeqInput<'a> {
    /// One sequence per line, or `id<TAB>sequence` (ids default to `seq<line>`); blank lines
    /// are skipped.
    Lines(&'a Path),
    /// A FASTA file (plain, gzip or bgzip), record names as ids.
    Fasta(&'a Path),
}

/// How token embeddings become one vector per sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    /// The first token's (`[CLS]` / `<cls>`) last hidden state.
    Cls,
    /// The mean of the last hidden states of every token of the input, special tokens included
    /// (padding excluded).
    Mean,
}

impl std::str::FromStr for Pool {
    type Err = Error;

    /// ```
    /// assert_eq!("mean".parse::<pipeline::lm::Pool>().unwrap(), pipeline::lm::Pool::Mean);
    /// assert!("max".parse::<pipeline::lm::Pool>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "cls" => Ok(Self::Cls),
            "mean" => Ok(Self::Mean),
            _ => Err(Error::Usage(format!("pool must be cls or mean, got {s:?}"))),
        }
    }
}

/// Hands `(id, sequence)` batches of at most `batch` records to `f`, in input order.
pub(crate) fn for_each_batch(
    input: SeqInput<'_>,
    batch: usize,
    mut f: impl FnMut(&[(String, Vec<u8>)]) -> Result<()>,
) -> Result<usize> {
    let batch = batch.max(1);
    let mut buf: Vec<(String, Vec<u8>)> = Vec::with_capacity(batch);
    let mut n = 0;
    let mut push = |rec: (String, Vec<u8>), buf: &mut Vec<_>| -> Result<()> {
        buf.push(rec);
        n += 1;
        if buf.len() == batch {
            f(buf)?;
            buf.clear();
        }
        Ok(())
    };
    match input {
        SeqInput::Lines(p) => {
            let file =
                std::fs::File::open(p).map_err(io_err(format!("opening {}", p.display())))?;
            for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
                let line = line.map_err(io_err(format!("reading {}", p.display())))?;
                let line = line.trim_end();
                if line.is_empty() {
                    continue;
                }
                let (id, seq) = match line.split_once('\t') {
                    Some((id, seq)) => (id.to_string(), seq),
                    None => (format!("seq{}", i + 1), line),
                };
                push((id, seq.as_bytes().to_vec()), &mut buf)?;
            }
        }
        SeqInput::Fasta(p) => {
            let src = open_fasta(p, &FastaOptions::default())?;
            for name in src.names() {
                let len = src.seq_len(&name).unwrap_or(0);
                let mut seq = Vec::new();
                src.fetch_into(&name, 0, len, &mut seq)?;
                push((name, seq), &mut buf)?;
            }
        }
    }
    if !buf.is_empty() {
        f(&buf)?;
    }
    Ok(n)
}

/// Tokenizes one sequence into model-sized pieces (one piece unless it is too long).
fn pieces(lm: &LoadedLm, id: &str, seq: &[u8]) -> Result<Vec<Vec<u32>>> {
    let tok = lm.tokenizer.as_ref().ok_or_else(|| {
        Error::Usage(format!(
            "{}: no tokenizer file (vocab.txt or tokenizer.json) beside the weights; use `lm forward` with token ids",
            lm.dir.display()
        ))
    })?;
    let raw = tok
        .encode_raw(seq)
        .map_err(|e| Error::Usage(format!("sequence {id:?}: {e}")))?;
    let (pre, suf) = tok.wrap_ids();
    let per = match lm.config.max_len() {
        Some(max) => max.saturating_sub(pre.len() + suf.len()).max(1),
        None => raw.ids.len().max(1),
    };
    Ok(models::lm::chunk::split(&raw.ids, per, &pre, &suf))
}

/// Runs a batch of sequences piece by piece; `reduce` turns one piece's output (with the
/// piece length) into a vector, averaged over the pieces of each sequence.
fn run_batch(
    lm: &LoadedLm,
    recs: &[(String, Vec<u8>)],
    device: &models::Device,
    reduce: impl Fn(&RowOutput, usize) -> Result<Vec<f32>>,
) -> Result<Vec<Vec<f32>>> {
    let mut rows = Vec::new();
    let mut owner = Vec::new();
    for (k, (id, seq)) in recs.iter().enumerate() {
        for p in pieces(lm, id, seq)? {
            rows.push(p);
            owner.push(k);
        }
    }
    let out = lm.forward_host(&rows, None, Collect::default(), device)?;
    let mut sums: Vec<(Vec<f32>, usize)> = vec![(Vec::new(), 0); recs.len()];
    for ((r, row), &k) in out.iter().zip(&rows).zip(&owner) {
        let v = reduce(r, row.len())?;
        let (s, c) = &mut sums[k];
        if s.is_empty() {
            *s = vec![0.0; v.len()];
        }
        s.iter_mut().zip(&v).for_each(|(a, b)| *a += b);
        *c += 1;
    }
    Ok(sums
        .into_iter()
        .map(|(s, c)| s.into_iter().map(|x| x / c.max(1) as f32).collect())
        .collect())
}

fn pooled(r: &RowOutput, len: usize, pool: Pool) -> Vec<f32> {
    let h = r.hidden;
    match pool {
        Pool::Cls => r.last_hidden_state[..h].to_vec(),
        Pool::Mean => {
            let mut m = vec![0f32; h];
            for t in r.last_hidden_state.chunks(h).take(len) {
                m.iter_mut().zip(t).for_each(|(a, b)| *a += b);
            }
            m.iter_mut().for_each(|a| *a /= len.max(1) as f32);
            m
        }
    }
}

fn write_tsv(
    out: &Path,
    header: &[String],
    input: SeqInput<'_>,
    batch: usize,
    mut progress: impl FnMut(usize),
    mut rows_of: impl FnMut(&[(String, Vec<u8>)]) -> Result<Vec<Vec<f32>>>,
) -> Result<usize> {
    outfile::write_atomic_with(
        out,
        |w| {
            let io = |e| Error::Io {
                context: format!("writing {}", out.display()),
                source: e,
            };
            writeln!(w, "{}", header.join("\t")).map_err(io)?;
            let mut done = 0;
            for_each_batch(input, batch, |recs| {
                for ((id, _), v) in recs.iter().zip(rows_of(recs)?) {
                    write!(w, "{id}").map_err(io)?;
                    v.iter().try_for_each(|x| write!(w, "\t{x}")).map_err(io)?;
                    writeln!(w).map_err(io)?;
                }
                done += recs.len();
                progress(done);
                Ok(())
            })
        },
        |p, e| Error::Io {
            context: format!("writing {}", p.display()),
            source: e,
        },
    )
}

/// Writes one pooled embedding per sequence to `out` (TSV: `id`, `dim_0` … `dim_{H-1}`).
/// Returns the number of sequences; `progress` gets the running count after each batch.
///
/// # Errors
/// No tokenizer in the checkpoint directory, tokenizer, model and I/O errors.
pub fn lm_embed(
    lm: &LoadedLm,
    input: SeqInput<'_>,
    pool: Pool,
    batch: usize,
    out: &Path,
    device: &models::Device,
    progress: impl FnMut(usize),
) -> Result<usize> {
    let header: Vec<String> = std::iter::once("id".to_string())
        .chain((0..lm.config.hidden_size()).map(|j| format!("dim_{j}")))
        .collect();
    write_tsv(out, &header, input, batch, progress, |recs| {
        run_batch(lm, recs, device, |r, len| Ok(pooled(r, len, pool)))
    })
}

/// Writes the head's outputs per sequence to `out` (TSV: `id`, then `prediction` for a
/// regression head (`num_labels` 1), else `logit_0` … `logit_{K-1}`), long sequences averaged
/// over their pieces.
///
/// # Errors
/// A checkpoint without a sequence-classification head, no tokenizer, tokenizer, model and
/// I/O errors.
pub fn lm_predict(
    lm: &LoadedLm,
    input: SeqInput<'_>,
    batch: usize,
    out: &Path,
    device: &models::Device,
    progress: impl FnMut(usize),
) -> Result<usize> {
    if lm.architecture.head != models::lm::Head::SequenceClassification {
        return Err(Error::Usage(format!(
            "{}: the checkpoint has no sequence-classification head (config.json's architectures names no *ForSequenceClassification)",
            lm.dir.display()
        )));
    }
    let k = lm.config.labels();
    let header: Vec<String> = std::iter::once("id".to_string())
        .chain(match k {
            1 => vec!["prediction".to_string()],
            _ => (0..k).map(|j| format!("logit_{j}")).collect(),
        })
        .collect();
    write_tsv(out, &header, input, batch, progress, |recs| {
        run_batch(lm, recs, device, |r, _| {
            r.logits
                .clone()
                .ok_or_else(|| Error::Usage("the model returned no logits".into()))
        })
    })
}

/// The head's outputs of each `(id, sequence)`, long sequences averaged over their pieces
/// (what [`lm_predict`] writes).
///
/// # Errors
/// No tokenizer, a checkpoint without a sequence-classification head, model errors.
pub(crate) fn lm_logits(
    lm: &LoadedLm,
    recs: &[(String, Vec<u8>)],
    device: &models::Device,
) -> Result<Vec<Vec<f32>>> {
    run_batch(lm, recs, device, |r, _| {
        r.logits.clone().ok_or_else(|| {
            Error::Usage(format!(
                "{}: the checkpoint has no sequence-classification or regression head",
                lm.dir.display()
            ))
        })
    })
}
