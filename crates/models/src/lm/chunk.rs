//! Long inputs: DNABERT-style chunking.
//!
//! A tokenized sequence longer than the model's limit is split into pieces of at most
//! `max_len - 2` content tokens (510 for a 512-position model), each wrapped in the model's
//! `[CLS]` … `[SEP]` (or `<cls>` alone for NT, whatever the tokenizer wraps with). Each piece
//! is run separately and the sequence-level logits are the **unweighted mean of the piece
//! logits** (DNABERT's own long-sequence prediction averages the piece predictions; a short
//! last piece counts as much as a full one).

use super::auto::LoadedLm;
use super::blocks::Collect;
use crate::{Error, Result};
use burn::tensor::{Device, Tensor};

/// Splits `content` (token ids without special tokens) into pieces of at most `per_piece`
/// tokens, each wrapped as `prefix ++ piece ++ suffix`.
pub fn split(content: &[u32], per_piece: usize, prefix: &[u32], suffix: &[u32]) -> Vec<Vec<u32>> {
    let per_piece = per_piece.max(1);
    if content.is_empty() {
        return vec![[prefix, suffix].concat()];
    }
    content
        .chunks(per_piece)
        .map(|c| [prefix, c, suffix].concat())
        .collect()
}

/// Classification logits of one long sequence: tokenized without special tokens by the
/// checkpoint's tokenizer, split so that every wrapped piece fits `max_len` (510 content
/// tokens per piece for a 512-position BERT), run as one batch, and the piece logits averaged.
/// Models without a position limit run as one piece of at most `fallback_len` tokens.
///
/// # Shapes
/// * returns `[num_labels]`
///
/// # Errors
/// [`Error::Config`] without a tokenizer or a classification head; tokenizer and forward
/// errors.
pub fn classify_long(
    lm: &LoadedLm,
    seq: &[u8],
    fallback_len: usize,
    device: &Device,
) -> Result<Tensor<1>> {
    let tok = lm
        .tokenizer
        .as_ref()
        .ok_or_else(|| Error::Config(format!("{}: no tokenizer", lm.dir.display())))?;
    let raw = tok.encode_raw(seq).map_err(|e| Error::Data {
        what: "lm input".into(),
        msg: e.to_string(),
    })?;
    let (pre, suf) = tok.wrap_ids();
    let max = lm.config.max_len().unwrap_or(fallback_len);
    let per = max.saturating_sub(pre.len() + suf.len());
    let pieces = split(&raw.ids, per, &pre, &suf);
    let out = lm.forward(&pieces, Collect::default(), device)?;
    let logits = out
        .logits
        .ok_or_else(|| Error::Config("the checkpoint has no classification head".into()))?;
    let [_, c] = logits.dims();
    Ok(logits.mean_dim(0).reshape([c]))
}
