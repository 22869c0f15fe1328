//! Token-level attributions of HF checkpoints, spread to nucleotides.

use models::attribution::attention::{
    cls_attention, rollout, spread_shares, spread_to_nucleotides,
};
use models::lm::{Collect, LoadedLm};

use super::Method;
use crate::{Error, Result};

/// Token ids and nucleotide spans of each sequence (truncated to the model's positions as
/// fine-tuning does).
pub(crate) fn encode(lm: &LoadedLm, seqs: &[Vec<u8>]) -> Result<Vec<(Vec<u32>, Spans)>> {
    let tok = lm.tokenizer.as_ref().ok_or_else(|| {
        Error::Usage(format!(
            "{}: no vocab.txt or tokenizer.json to tokenize sequences with",
            lm.dir.display()
        ))
    })?;
    seqs.iter()
        .map(|s| {
            let mut e = tok.encode(s)?;
            crate::lm::finetune::truncate(&mut e, lm.config.max_len());
            let spans = e
                .spans
                .iter()
                .map(|sp| sp.map(|x| (x.start, x.end)))
                .collect();
            Ok((e.ids, spans))
        })
        .collect()
}

/// Nucleotide span of each token (`None`: special or padding).
pub(crate) type Spans = Vec<Option<(usize, usize)>>;

/// Per-token scores of `rows` for a token method (`attention`, `rollout`, `grad-input`,
/// `saliency`), each row's own length.
pub(crate) fn token_scores(
    lm: &LoadedLm,
    rows: &[Vec<u32>],
    method: Method,
    target: usize,
    device: &models::Device,
) -> Result<Vec<Vec<f64>>> {
    match method {
        Method::Attention | Method::Rollout => {
            let collect = Collect {
                attentions: true,
                hidden_states: false,
            };
            let out = lm.forward_host(rows, None, collect, device)?;
            out.iter()
                .zip(rows)
                .map(|(r, row)| {
                    let t = if method == Method::Attention {
                        let last = r.attentions.last().ok_or_else(|| {
                            Error::Usage("the model returned no attentions".into())
                        })?;
                        cls_attention(last, r.heads, r.len)?
                    } else {
                        rollout(&r.attentions, r.heads, r.len)?[..r.len].to_vec()
                    };
                    Ok(t[..row.len()].to_vec())
                })
                .collect()
        }
        Method::GradInput | Method::Saliency => {
            let dev = device.clone().autodiff();
            let g = lm.embedding_gradients(rows, target, &dev)?;
            Ok(g.into_iter()
                .map(|a| {
                    let v = if method == Method::GradInput {
                        a.grad_x_input
                    } else {
                        a.grad_norm
                    };
                    v.into_iter().map(f64::from).collect()
                })
                .collect())
        }
        other => Err(Error::Usage(format!(
            "--method {other} is not a token-level method"
        ))),
    }
}

/// Per-nucleotide scores of `seqs`: attention and rollout as the k-mer mean, L2-normalised
/// (DNABERT's recipe); gradient methods with each token's score shared among its nucleotides
/// (totals kept).
pub(crate) fn nucleotide_scores(
    lm: &LoadedLm,
    seqs: &[Vec<u8>],
    method: Method,
    target: usize,
    device: &models::Device,
) -> Result<Vec<Vec<f64>>> {
    let enc = encode(lm, seqs)?;
    let rows: Vec<Vec<u32>> = enc.iter().map(|e| e.0.clone()).collect();
    let scores = token_scores(lm, &rows, method, target, device)?;
    scores
        .iter()
        .zip(&enc)
        .zip(seqs)
        .map(|((t, (_, spans)), s)| {
            Ok(match method {
                Method::Attention | Method::Rollout => spread_to_nucleotides(t, spans, s.len())?,
                _ => spread_shares(t, spans, s.len())?,
            })
        })
        .collect()
}
