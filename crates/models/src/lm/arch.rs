//! Which encoder family and head a HF `config.json` describes.

use super::bert::BertConfig;
use super::dnabert2::DnaBert2Config;
use super::esm::EsmConfig;
use super::gpt2::Gpt2Config;
use crate::{Error, Result};
use serde_json::Value;
use std::path::Path;

/// The encoder family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// HF BERT / DNABERT (`model_type: bert`).
    Bert,
    /// DNABERT-2 / MosaicBERT (`auto_map` → `bert_layers.*`).
    DnaBert2,
    /// HF ESM / Nucleotide Transformer (`model_type: esm`; absolute = v1, rotary = v2).
    Esm,
    /// HF GPT-2 (`model_type: gpt2`), the causal GeneRAIN expression transformer.
    Gpt2,
}

/// The head on top of the encoder (from `architectures[0]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    /// Bare encoder (`BertModel`, `EsmModel`, or no `architectures`).
    Base,
    /// `*ForMaskedLM`.
    MaskedLm,
    /// `*ForSequenceClassification` (regression when `num_labels` is 1).
    SequenceClassification,
    /// Next-token head (`GPT2LMHeadModel`, `*ForCausalLM`).
    CausalLm,
}

/// Family and head of a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Architecture {
    /// Encoder family.
    pub family: Family,
    /// Head.
    pub head: Head,
}

fn unknown(path: &Path, field: &str, value: Option<&Value>) -> Error {
    Error::UnknownArchitecture {
        path: path.to_path_buf(),
        field: field.into(),
        value: value.map_or_else(|| "missing".into(), Value::to_string),
    }
}

impl Architecture {
    /// Decides from a parsed `config.json` (`path` names it in errors): DNABERT-2's `auto_map`
    /// (remote code `bert_layers`) first, then `model_type` (`bert`, `esm`, `gpt2`), the head
    /// from `architectures[0]` (GPT-2 only as `GPT2LMHeadModel`), and
    /// `position_embedding_type` for the families that need it.
    ///
    /// ```
    /// use models::lm::{Architecture, Family, Head};
    /// let cfg = serde_json::json!({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]});
    /// let a = Architecture::detect(&cfg, "config.json".as_ref()).unwrap();
    /// assert_eq!((a.family, a.head), (Family::Gpt2, Head::CausalLm));
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownArchitecture`] naming the deciding field.
    pub fn detect(cfg: &Value, path: &Path) -> Result<Self> {
        let remote = cfg["auto_map"].as_object().is_some_and(|m| {
            m.values()
                .any(|v| v.as_str().is_some_and(|s| s.starts_with("bert_layers.")))
        });
        let family = if remote {
            Family::DnaBert2
        } else {
            match cfg["model_type"].as_str() {
                Some("bert") => Family::Bert,
                Some("esm") => Family::Esm,
                Some("gpt2") => Family::Gpt2,
                _ => return Err(unknown(path, "model_type", cfg.get("model_type"))),
            }
        };
        let head = match cfg.get("architectures") {
            None | Some(Value::Null) => Head::Base,
            Some(Value::Array(a)) => match a.first().and_then(Value::as_str) {
                Some(s) if s.ends_with("ForMaskedLM") => Head::MaskedLm,
                Some(s) if s.ends_with("ForSequenceClassification") => Head::SequenceClassification,
                Some(s) if s.ends_with("LMHeadModel") || s.ends_with("ForCausalLM") => {
                    Head::CausalLm
                }
                Some(s) if s.ends_with("Model") => Head::Base,
                _ => return Err(unknown(path, "architectures", cfg.get("architectures"))),
            },
            Some(other) => return Err(unknown(path, "architectures", Some(other))),
        };
        if (family == Family::Gpt2) != (head == Head::CausalLm) {
            // GPT-2 is loaded with its LM head only; the encoders have no causal head
            return Err(unknown(path, "architectures", cfg.get("architectures")));
        }
        let pos = cfg.get("position_embedding_type");
        let pos_ok = match (family, pos.and_then(Value::as_str)) {
            (Family::DnaBert2 | Family::Gpt2, _) | (_, None) => true, // ALiBi / GPT-2's wpe
            (Family::Bert, Some(p)) => p == "absolute",
            (Family::Esm, Some(p)) => p == "absolute" || p == "rotary",
        };
        if !pos_ok {
            return Err(unknown(path, "position_embedding_type", pos));
        }
        Ok(Self { family, head })
    }
}

/// The parsed configuration of a family.
#[derive(Debug, Clone, PartialEq)]
pub enum LmConfig {
    /// BERT / DNABERT.
    Bert(BertConfig),
    /// DNABERT-2.
    DnaBert2(DnaBert2Config),
    /// ESM / NT.
    Esm(EsmConfig),
    /// GPT-2.
    Gpt2(Gpt2Config),
}

impl LmConfig {
    /// Rows of the word-embedding matrix.
    pub fn vocab_size(&self) -> usize {
        match self {
            Self::Bert(c) => c.vocab_size,
            Self::DnaBert2(c) => c.vocab_size,
            Self::Esm(c) => c.vocab_size,
            Self::Gpt2(c) => c.vocab_size,
        }
    }

    /// Padding id used to pad batches.
    pub fn pad_id(&self) -> u32 {
        match self {
            Self::Bert(c) => c.pad_token_id,
            Self::DnaBert2(c) => c.pad_token_id,
            Self::Esm(c) => c.pad_token_id,
            Self::Gpt2(c) => c.pad_id(),
        }
    }

    /// Longest accepted input in tokens (special tokens included); `None` when positions do
    /// not limit it (ALiBi, rotary).
    pub fn max_len(&self) -> Option<usize> {
        match self {
            Self::Bert(c) => Some(c.max_position_embeddings),
            Self::DnaBert2(_) => None,
            Self::Esm(c) => c.max_len(),
            Self::Gpt2(c) => Some(c.n_positions),
        }
    }

    /// Hidden size (width of every token's hidden state).
    pub fn hidden_size(&self) -> usize {
        match self {
            Self::Bert(c) => c.hidden_size,
            Self::DnaBert2(c) => c.hidden_size,
            Self::Esm(c) => c.hidden_size,
            Self::Gpt2(c) => c.n_embd,
        }
    }

    /// Outputs of a sequence-classification head (`id2label` length, else `num_labels`,
    /// else 2; 1 is a regression; GPT-2 has none: 2, HF's default).
    pub fn labels(&self) -> usize {
        match self {
            Self::Bert(c) => c.labels(),
            Self::DnaBert2(c) => c.labels(),
            Self::Esm(c) => c.labels(),
            Self::Gpt2(_) => 2,
        }
    }

    /// Rows of the learned position table that explicit `position_ids` index (BERT's
    /// `max_position_embeddings`, GPT-2's `n_positions`); `None` for the families whose
    /// positions are not a table lookup here (DNABERT-2 ALiBi, ESM), which take no
    /// explicit positions.
    pub fn position_table(&self) -> Option<usize> {
        match self {
            Self::Bert(c) => Some(c.max_position_embeddings),
            Self::Gpt2(c) => Some(c.n_positions),
            Self::DnaBert2(_) | Self::Esm(_) => None,
        }
    }

    pub(super) fn validate(&self) -> Result<()> {
        match self {
            Self::Bert(c) => c.validate(),
            Self::DnaBert2(c) => c.validate(),
            Self::Esm(c) => c.validate(),
            Self::Gpt2(c) => c.validate(),
        }
    }
}
