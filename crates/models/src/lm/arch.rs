//! Which encoder family and head a HF `config.json` describes.

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
    /// (remote code `bert_layers`) first, then `model_type` (`bert`, `esm`), the head from
    /// `architectures[0]`, and `position_embedding_type` for the families that need it.
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
                _ => return Err(unknown(path, "model_type", cfg.get("model_type"))),
            }
        };
        let head = match cfg.get("architectures") {
            None | Some(Value::Null) => Head::Base,
            Some(Value::Array(a)) => match a.first().and_then(Value::as_str) {
                Some(s) if s.ends_with("ForMaskedLM") => Head::MaskedLm,
                Some(s) if s.ends_with("ForSequenceClassification") => Head::SequenceClassification,
                Some(s) if s.ends_with("Model") => Head::Base,
                _ => return Err(unknown(path, "architectures", cfg.get("architectures"))),
            },
            Some(other) => return Err(unknown(path, "architectures", Some(other))),
        };
        let pos = cfg.get("position_embedding_type");
        let pos_ok = match (family, pos.and_then(Value::as_str)) {
            (Family::DnaBert2, _) | (_, None) => true, // DNABERT-2 uses ALiBi whatever it says
            (Family::Bert, Some(p)) => p == "absolute",
            (Family::Esm, Some(p)) => p == "absolute" || p == "rotary",
        };
        if !pos_ok {
            return Err(unknown(path, "position_embedding_type", pos));
        }
        Ok(Self { family, head })
    }
}
