//! DNA language models on HF checkpoint directories: what `seq2expr lm forward`, `lm embed` and
//! `lm predict` do.
//!
//! * [`lm_forward`]: one JSON object of token ids per input line
//!   (`{"input_ids": [...], "attention_mask": [...], "position_ids": [...]}`) → one JSON object
//!   of outputs per line, with the keys transformers uses (`last_hidden_state` `[L][H]`,
//!   `pooler_output`-style `pooled_output`, `logits` (`[K]` for a classifier, `[L][V]` for a
//!   masked-LM or GPT-2 causal-LM head), `attentions` `[layers][heads][L][L]`, `hidden_states`
//!   `[layers+1][L][H]`). `position_ids` are honoured by models with a learned position table
//!   (BERT / DNABERT, GPT-2: GeneRAIN passes gene ids as BERT positions); other models accept
//!   only the default `0..L`.
//! * [`lm_embed`], [`lm_predict`]: sequences (one per line, optionally `id<TAB>sequence`, or a
//!   FASTA) tokenized by the checkpoint's own tokenizer, in batches, into a TSV of pooled
//!   embeddings or of predictions. Sequences longer than the model's positions are split
//!   DNABERT-style ([`models::lm::chunk`]) and their pieces averaged: the embedding is the mean of
//!   the piece embeddings, the logits the mean of the piece logits.

use std::io::BufRead;

use models::lm::{Collect, LoadedLm, RowOutput};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::{Error, Result};

/// One input line of [`lm_forward`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardLine {
    /// Token ids, special tokens included.
    pub input_ids: Vec<u32>,
    /// 1 = token, 0 = padding (default: all 1).
    #[serde(default)]
    pub attention_mask: Option<Vec<u32>>,
    /// Segment ids; only all-zero (the single-segment default) is accepted.
    #[serde(default)]
    pub token_type_ids: Option<Vec<u32>>,
    /// Position ids (default `0..L`); each must be below the model's position table
    /// (checked when the line runs). Models without a table accept only `0..L`.
    #[serde(default)]
    pub position_ids: Option<Vec<u32>>,
}

fn bad_line(path: &str, line: u64, msg: impl Into<String>) -> Error {
    Error::Input {
        path: path.into(),
        line,
        msg: msg.into(),
    }
}

impl ForwardLine {
    /// Parses and checks one line (`path`, 1-based `line` name it in errors).
    ///
    /// ```
    /// use pipeline::lm::ForwardLine;
    /// let l = ForwardLine::parse(r#"{"input_ids": [2, 5, 3], "attention_mask": [1, 1, 0]}"#, "in.jsonl", 1).unwrap();
    /// assert_eq!(l.input_ids, [2, 5, 3]);
    /// assert!(ForwardLine::parse(r#"{"input_ids": [2], "token_type_ids": [1]}"#, "in.jsonl", 2).is_err());
    /// assert!(ForwardLine::parse(r#"{"input_ids": [2, 4], "position_ids": [7]}"#, "in.jsonl", 3).is_err());
    /// ```
    pub fn parse(text: &str, path: &str, line: u64) -> Result<Self> {
        let l: ForwardLine =
            serde_json::from_str(text).map_err(|e| bad_line(path, line, e.to_string()))?;
        let n = l.input_ids.len();
        if n == 0 {
            return Err(bad_line(path, line, "input_ids is empty"));
        }
        for (name, v) in [
            ("attention_mask", &l.attention_mask),
            ("token_type_ids", &l.token_type_ids),
            ("position_ids", &l.position_ids),
        ] {
            if let Some(v) = v
                && v.len() != n
            {
                return Err(bad_line(
                    path,
                    line,
                    format!("{name} has {} values for {n} input_ids", v.len()),
                ));
            }
        }
        if l.token_type_ids
            .as_ref()
            .is_some_and(|t| t.iter().any(|&x| x != 0))
        {
            return Err(bad_line(
                path,
                line,
                "token_type_ids other than 0 are not supported (single-segment DNA inputs)",
            ));
        }
        Ok(l)
    }
}

fn matrix(v: &[f32], cols: usize) -> Value {
    Value::Array(v.chunks(cols.max(1)).map(|r| json!(r)).collect())
}

/// The JSON object of one row (see the module docs).
fn row_json(r: &RowOutput, mlm_vocab: usize) -> Value {
    let mut o = Map::new();
    o.insert(
        "last_hidden_state".into(),
        matrix(&r.last_hidden_state, r.hidden),
    );
    if let Some(p) = &r.pooled_output {
        o.insert("pooled_output".into(), json!(p));
    }
    if let Some(l) = &r.logits {
        o.insert("logits".into(), json!(l));
    } else if let Some(l) = r.mlm_logits.as_ref().or(r.lm_logits.as_ref()) {
        o.insert("logits".into(), matrix(l, mlm_vocab));
    }
    if !r.attentions.is_empty() {
        let per_head = r.len * r.len;
        let layers = r.attentions.iter().map(|a| {
            Value::Array(
                a.chunks(per_head.max(1))
                    .map(|h| matrix(h, r.len))
                    .collect(),
            )
        });
        o.insert("attentions".into(), Value::Array(layers.collect()));
    }
    if !r.hidden_states.is_empty() {
        let hs = r.hidden_states.iter().map(|h| matrix(h, r.hidden));
        o.insert("hidden_states".into(), Value::Array(hs.collect()));
    }
    Value::Object(o)
}

/// The explicit positions of a line: `None` when absent or the default `0..L` (which every
/// model accepts); otherwise checked against the model's position table.
fn positions(
    lm: &LoadedLm,
    p: Option<Vec<u32>>,
    path: &str,
    line: u64,
) -> Result<Option<Vec<u32>>> {
    let Some(p) = p.filter(|p| p.iter().enumerate().any(|(i, &x)| x as usize != i)) else {
        return Ok(None);
    };
    let Some(table) = lm.config.position_table() else {
        return Err(bad_line(
            path,
            line,
            "position_ids other than 0..L are not supported: this model derives its own positions",
        ));
    };
    if let Some((i, &x)) = p.iter().enumerate().find(|(_, x)| **x as usize >= table) {
        return Err(bad_line(
            path,
            line,
            format!("position_ids[{i}] = {x} is outside the model's position table ({table} rows)"),
        ));
    }
    Ok(Some(p))
}

/// Runs `lm` on every non-blank line of `reader` (named `path` in errors), one input at a
/// time (so padding is exactly the caller's), and hands each output line (JSON, no newline) to
/// `sink`. Returns the number of lines run.
///
/// # Errors
/// [`Error::Input`] naming the line for malformed JSON, inconsistent lengths, position ids
/// outside the model's position table (or given to a model without one); the model's errors
/// (ids outside the vocabulary, inputs longer than the positions); `sink`'s errors.
pub fn lm_forward(
    lm: &LoadedLm,
    reader: impl BufRead,
    path: &str,
    collect: Collect,
    device: &models::Device,
    mut sink: impl FnMut(String) -> Result<()>,
) -> Result<usize> {
    let mut n = 0;
    for (i, text) in reader.lines().enumerate() {
        let line = i as u64 + 1;
        let text = text.map_err(|e| bad_line(path, line, e.to_string()))?;
        if text.trim().is_empty() {
            continue;
        }
        let l = ForwardLine::parse(&text, path, line)?;
        let masks = l.attention_mask.map(|m| vec![m]);
        let positions = positions(lm, l.position_ids, path, line)?.map(|p| vec![p]);
        let out = lm
            .forward_host_at(
                &[l.input_ids],
                masks.as_deref(),
                positions.as_deref(),
                collect,
                device,
            )
            .map_err(|e| bad_line(path, line, e.to_string()))?;
        let vocab = lm.config.vocab_size();
        for r in &out {
            sink(row_json(r, vocab).to_string())?;
        }
        n += 1;
    }
    Ok(n)
}

mod batch;
pub mod finetune;
pub mod importance;
pub mod pretrain;
pub mod study;
pub use batch::{Pool, SeqInput, lm_embed, lm_predict};
pub(crate) use batch::{for_each_batch, lm_logits};
