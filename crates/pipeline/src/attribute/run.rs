//! Reading the inputs, running a method over them, writing `OUT/`.

use std::io::BufRead;
use std::path::Path;

use rand::SeedableRng;
use serde_json::{Value, json};

use super::{AttributeSettings, Baseline, Explainer, Method, npy, sequence_ism, tokens};
use crate::error::io_err;
use crate::lm::{ForwardLine, SeqInput, for_each_batch};
use crate::{Error, Result};

/// What to attribute.
#[derive(Debug, Clone, Copy)]
pub enum AttributeInput<'a> {
    /// DNA sequences (FASTA, or one per line / `id<TAB>sequence`).
    Sequences(SeqInput<'a>),
    /// Token ids, the JSON lines of `lm forward` (HF checkpoints only; padding dropped).
    TokenIds(&'a Path),
}

/// One record's result.
struct Row {
    id: String,
    /// The letters (or token ids) the positions name.
    labels: Vec<String>,
    values: Vec<f32>,
    hypothetical: Option<Vec<f32>>,
    output: Option<f32>,
    gap: Option<f32>,
}

fn read_token_ids(path: &Path) -> Result<Vec<(String, Vec<u32>)>> {
    let f = std::fs::File::open(path).map_err(io_err(format!("opening {}", path.display())))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.map_err(io_err(format!("reading {}", path.display())))?;
        if line.trim().is_empty() {
            continue;
        }
        let l = ForwardLine::parse(&line, &path.display().to_string(), i as u64 + 1)?;
        let ids = match &l.attention_mask {
            Some(m) => l
                .input_ids
                .iter()
                .zip(m)
                .filter(|(_, m)| **m == 1)
                .map(|(i, _)| *i)
                .collect(),
            None => l.input_ids.clone(),
        };
        out.push((format!("line{}", i + 1), ids));
    }
    Ok(out)
}

fn check_method(ex: &Explainer, m: Method, tokens_in: bool) -> Result<()> {
    let ok = match ex {
        Explainer::OneHot(_) => !tokens_in && !matches!(m, Method::Attention | Method::Rollout),
        Explainer::Lm(_) => m != Method::IntegratedGradients && !(tokens_in && m == Method::Ism),
    };
    if ok {
        return Ok(());
    }
    let what = match ex {
        Explainer::OneHot(_) if tokens_in => "--input-ids is for HF checkpoints".to_string(),
        Explainer::OneHot(_) => format!("--method {m} needs an attention model (an HF checkpoint)"),
        Explainer::Lm(_) if m == Method::Ism => {
            "--method ism mutates nucleotides: give sequences, not --input-ids".to_string()
        }
        Explainer::Lm(_) => format!(
            "--method {m} is for one-hot models; for HF checkpoints use grad-input, saliency, attention, rollout or ism"
        ),
    };
    Err(Error::Usage(what))
}

fn one_hot_rows(
    d: &crate::ModelDir,
    recs: &[(String, Vec<u8>)],
    s: &AttributeSettings,
    scorer: &super::OneHotScorer<'_>,
) -> Result<Vec<Row>> {
    let len = d.saved.model.input_len;
    let side = &scorer.side;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(s.seed);
    recs.iter()
        .map(|(id, seq)| {
            let x = scorer.encode(seq)?;
            let labels = seq.iter().map(|&b| (b as char).to_string()).collect();
            let (values, hypothetical, output, gap) = match s.method {
                Method::Ism => {
                    let r = models::attribution::xpresso_ism(
                        &d.model,
                        &x,
                        len,
                        side,
                        s.target,
                        s.window.clone(),
                        s.batch_size,
                    )?;
                    (r.delta, None, Some(r.reference), None)
                }
                Method::Saliency | Method::GradInput => {
                    let (g, gx) =
                        models::attribution::gradients(&d.model, &x, len, side, s.target)?;
                    let h = models::attribution::hypothetical(&g);
                    let v = if s.method == Method::Saliency { g } else { gx };
                    (v, Some(h), None, None)
                }
                _ => {
                    let base = match s.baseline {
                        Baseline::Zero => vec![0f32; x.len()],
                        Baseline::Shuffle => scorer
                            .encode(&datasets::negatives::dinucleotide_shuffle(seq, &mut rng))?,
                    };
                    let ig = models::attribution::integrated_gradients(
                        &d.model,
                        &x,
                        &base,
                        len,
                        side,
                        s.target,
                        s.steps,
                        s.batch_size,
                    )?;
                    (
                        ig.attributions,
                        None,
                        Some(ig.output),
                        Some(ig.completeness_gap),
                    )
                }
            };
            Ok(Row {
                id: id.clone(),
                labels,
                values,
                hypothetical,
                output,
                gap,
            })
        })
        .collect()
}

fn lm_rows(
    lm: &models::lm::LoadedLm,
    ex: &Explainer,
    recs: &[(String, Vec<u8>)],
    s: &AttributeSettings,
    device: &models::Device,
) -> Result<Vec<Row>> {
    let labels = |seq: &[u8]| seq.iter().map(|&b| (b as char).to_string()).collect();
    if s.method == Method::Ism {
        let scorer = ex.scorer(device, s.batch_size);
        return recs
            .iter()
            .map(|(id, seq)| {
                let (f, delta) = sequence_ism(
                    scorer.as_ref(),
                    seq,
                    s.target,
                    s.window.clone(),
                    s.batch_size,
                )?;
                Ok(Row {
                    id: id.clone(),
                    labels: labels(seq),
                    values: delta,
                    hypothetical: None,
                    output: Some(f),
                    gap: None,
                })
            })
            .collect();
    }
    let seqs: Vec<Vec<u8>> = recs.iter().map(|r| r.1.clone()).collect();
    let scores = tokens::nucleotide_scores(lm, &seqs, s.method, s.target, device)?;
    Ok(recs
        .iter()
        .zip(scores)
        .map(|((id, seq), v)| Row {
            id: id.clone(),
            labels: labels(seq),
            values: v.into_iter().map(|x| x as f32).collect(),
            hypothetical: None,
            output: None,
            gap: None,
        })
        .collect())
}

fn write_npy(path: &Path, rows: &[Row], width: usize, pick: impl Fn(&Row) -> &[f32]) -> Result<()> {
    let l = rows.iter().map(|r| r.labels.len()).max().unwrap_or(0);
    let mut shape = vec![rows.len(), l];
    if width == 4 {
        shape.push(4);
    }
    outfile::write_atomic(path, |w| {
        w.write_all(&npy::npy_header(&shape))?;
        for r in rows {
            let v = pick(r);
            npy::write_f32(w, v)?;
            npy::write_f32(w, &vec![f32::NAN; l * width - v.len()])?;
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", path.display())))
}

fn write_outputs(out: &Path, rows: &[Row], width: usize) -> Result<()> {
    let tsv = out.join("attributions.tsv");
    outfile::write_atomic(&tsv, |w| {
        writeln!(w, "id\tposition\tbase\tscore")?;
        for r in rows {
            for (i, lab) in r.labels.iter().enumerate() {
                if width == 4 {
                    for (c, b) in ['A', 'C', 'G', 'T'].iter().enumerate() {
                        writeln!(w, "{}\t{i}\t{b}\t{}", r.id, r.values[4 * i + c] + 0.0)?;
                    }
                } else {
                    writeln!(w, "{}\t{i}\t{lab}\t{}", r.id, r.values[i] + 0.0)?;
                }
            }
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", tsv.display())))?;
    write_npy(&out.join("attributions.npy"), rows, width, |r| &r.values)?;
    if rows.iter().all(|r| r.hypothetical.is_some()) && !rows.is_empty() {
        write_npy(&out.join("hypothetical.npy"), rows, width, |r| {
            r.hypothetical.as_deref().unwrap_or(&[])
        })?;
    }
    let seqs = out.join("sequences.tsv");
    outfile::write_atomic(&seqs, |w| {
        writeln!(w, "id\tlength\toutput\tsequence")?;
        for r in rows {
            let o = r.output.map_or_else(|| "NA".to_string(), |v| v.to_string());
            let s: String = if r.labels.iter().all(|l| l.len() == 1) {
                r.labels.concat()
            } else {
                r.labels.join(",")
            };
            writeln!(w, "{}\t{}\t{o}\t{s}", r.id, r.labels.len())?;
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", seqs.display())))
}

/// Attributes every record of `input` with `s.method` and writes `out/` (see the
/// [module](super) docs); `progress` gets the running count. Returns the summary that
/// `summary.json` holds.
///
/// # Errors
/// Bad settings, a method the model kind does not support, unreadable input, model errors,
/// I/O errors. Settings and method are checked before anything is written.
pub fn attribute(
    ex: &Explainer,
    input: AttributeInput<'_>,
    s: &AttributeSettings,
    out: &Path,
    device: &models::Device,
    mut progress: impl FnMut(usize),
) -> Result<Value> {
    s.validate()?;
    let tokens_in = matches!(input, AttributeInput::TokenIds(_));
    check_method(ex, s.method, tokens_in)?;
    let outputs = match ex {
        Explainer::OneHot(d) => Some(d.saved.model.n_outputs),
        Explainer::Lm(lm) => (lm.architecture.head == models::lm::Head::SequenceClassification)
            .then(|| lm.config.labels()),
    };
    if let Some(k) = outputs
        && s.target >= k
    {
        return Err(Error::Usage(format!(
            "--target {} does not exist: the model has {k} output(s) (0-based)",
            s.target
        )));
    }
    let width = match (ex, s.method) {
        (_, Method::Ism) | (Explainer::OneHot(_), _) => 4,
        _ => 1,
    };
    if let (Explainer::Lm(lm), AttributeInput::Sequences(_)) = (ex, &input)
        && lm.tokenizer.is_none()
    {
        return Err(Error::Usage(format!(
            "{}: no vocab.txt or tokenizer.json to tokenize sequences with (give --input-ids)",
            lm.dir.display()
        )));
    }
    let mut rows = Vec::new();
    match input {
        AttributeInput::TokenIds(p) => {
            let Explainer::Lm(lm) = ex else {
                return Err(Error::Usage("--input-ids is for HF checkpoints".into()));
            };
            let recs = read_token_ids(p)?;
            std::fs::create_dir_all(out).map_err(io_err(format!("creating {}", out.display())))?;
            for chunk in recs.chunks(s.batch_size) {
                let ids: Vec<Vec<u32>> = chunk.iter().map(|r| r.1.clone()).collect();
                let sc = tokens::token_scores(lm, &ids, s.method, s.target, device)?;
                for ((id, t), v) in chunk.iter().zip(sc) {
                    rows.push(Row {
                        id: id.clone(),
                        labels: t.iter().map(u32::to_string).collect(),
                        values: v.into_iter().map(|x| x as f32).collect(),
                        hypothetical: None,
                        output: None,
                        gap: None,
                    });
                }
                progress(rows.len());
            }
        }
        AttributeInput::Sequences(src) => {
            let mut created = false;
            let scorer = ex.one_hot_scorer(s.batch_size);
            for_each_batch(src, s.batch_size.min(64), |recs| {
                if !created {
                    std::fs::create_dir_all(out)
                        .map_err(io_err(format!("creating {}", out.display())))?;
                    created = true;
                }
                let got = match (ex, &scorer) {
                    (Explainer::OneHot(d), Some(sc)) => one_hot_rows(d, recs, s, sc)?,
                    (Explainer::Lm(lm), _) => lm_rows(lm, ex, recs, s, device)?,
                    _ => Vec::new(),
                };
                rows.extend(got);
                progress(rows.len());
                Ok(())
            })?;
        }
    }
    if rows.is_empty() {
        return Err(Error::Usage("no sequence to attribute in the input".into()));
    }
    write_outputs(out, &rows, width)?;
    let method = s.method.to_string();
    for (n, r) in rows.iter().take(s.plots).enumerate() {
        if tokens_in {
            break;
        }
        let range = s
            .plot_range
            .clone()
            .or_else(|| s.window.clone())
            .unwrap_or(0..r.labels.len().min(1000));
        let seq: Vec<u8> = r.labels.iter().map(|l| l.as_bytes()[0]).collect();
        super::plot::plot_row(out, (n, &r.id), &method, width, &r.values, &seq, range)?;
    }
    let max_gap = rows
        .iter()
        .filter_map(|r| r.gap)
        .map(f32::abs)
        .reduce(f32::max);
    let summary = json!({
        "method": s.method.to_string(),
        "target": s.target,
        "layout": if width == 4 { "matrix" } else { "track" },
        "columns": if width == 4 { json!(["A", "C", "G", "T"]) } else { Value::Null },
        "n_sequences": rows.len(),
        "max_length": rows.iter().map(|r| r.labels.len()).max(),
        "window": s.window.as_ref().map(|w| json!([w.start, w.end])),
        "steps": (s.method == Method::IntegratedGradients).then_some(s.steps),
        "baseline": (s.method == Method::IntegratedGradients).then(|| format!("{:?}", s.baseline).to_lowercase()),
        "riemann_rule": (s.method == Method::IntegratedGradients).then_some("midpoint"),
        "max_abs_completeness_gap": max_gap,
        "hypothetical": rows.iter().all(|r| r.hypothetical.is_some()),
        "tokens": tokens_in,
    });
    crate::model_dir::write_json(&out.join("summary.json"), &summary)?;
    Ok(summary)
}
