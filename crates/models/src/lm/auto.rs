//! One entry point for HF checkpoint directories: pick the architecture from `config.json`,
//! load `model.safetensors` or `pytorch_model.bin` (one typed error listing every missing,
//! unexpected or mis-shaped tensor), load the tokenizer beside it, run batches of token ids
//! (optionally with explicit `position_ids`, e.g. GeneRAIN's gene ids as BERT positions), and
//! export back to HF layout.

pub use super::arch::{Architecture, Family, Head, LmConfig};
use super::bert::{BertForMaskedLM, BertForSequenceClassification, BertModel};
use super::blocks::{Collect, EncoderOutput};
use super::dnabert2::{DnaBert2ForMaskedLM, DnaBert2ForSequenceClassification, DnaBert2Model};
use super::esm::{EsmForMaskedLM, EsmForSequenceClassification, EsmModel};
use super::gpt2::Gpt2LmHead;
use super::weights::{Exporter, Loader, TensorFile};
use crate::{Error, Result};
use burn::module::Module;
use burn::tensor::{Device, Int, Tensor};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A loaded encoder with its head.
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum LmModel {
    /// `BertModel`.
    Bert(BertModel),
    /// `BertForMaskedLM`.
    BertMaskedLm(BertForMaskedLM),
    /// `BertForSequenceClassification`.
    BertClassifier(BertForSequenceClassification),
    /// DNABERT-2 `BertModel`.
    DnaBert2(DnaBert2Model),
    /// DNABERT-2 `BertForMaskedLM`.
    DnaBert2MaskedLm(DnaBert2ForMaskedLM),
    /// DNABERT-2 `BertForSequenceClassification`.
    DnaBert2Classifier(DnaBert2ForSequenceClassification),
    /// `EsmModel`.
    Esm(EsmModel),
    /// `EsmForMaskedLM`.
    EsmMaskedLm(EsmForMaskedLM),
    /// `EsmForSequenceClassification`.
    EsmClassifier(EsmForSequenceClassification),
    /// `GPT2LMHeadModel`.
    Gpt2LmHead(Gpt2LmHead),
}

/// What [`LoadedLm::forward`] returns.
#[derive(Debug, Clone)]
pub struct LmOutput {
    /// Encoder outputs (last hidden state, pooled output, optional per-layer tensors).
    pub encoder: EncoderOutput,
    /// MLM logits `[B, L, V]` (masked-LM heads).
    pub mlm_logits: Option<Tensor<3>>,
    /// Classification / regression logits `[B, num_labels]`.
    pub logits: Option<Tensor<2>>,
    /// Next-token logits `[B, L, V]` of a causal-LM head (`lm_logits[:, t]` scores token `t + 1`).
    pub lm_logits: Option<Tensor<3>>,
}

/// A checkpoint directory loaded: architecture, configuration, weights and tokenizer.
pub struct LoadedLm {
    /// The directory.
    pub dir: PathBuf,
    /// What was detected.
    pub architecture: Architecture,
    /// The family configuration.
    pub config: LmConfig,
    /// `config.json` as read (written back unchanged by [`LoadedLm::save_dir`]).
    pub config_json: Value,
    /// The model.
    pub model: LmModel,
    /// The tokenizer found beside the weights, if any.
    pub tokenizer: Option<Box<dyn seqenc::tokenizer::Tokenizer>>,
    /// The LoRA adapters attached to the model, if any (see [`super::peft`]).
    pub lora: Option<super::lora::LoraSpec>,
}

impl std::fmt::Debug for LoadedLm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedLm")
            .field("dir", &self.dir)
            .field("architecture", &self.architecture)
            .field(
                "tokenizer",
                &self.tokenizer.as_ref().map(|t| t.vocab_size()),
            )
            .finish_non_exhaustive()
    }
}

fn parse<T: serde::de::DeserializeOwned>(v: &Value, path: &Path) -> Result<T> {
    serde_json::from_value(v.clone()).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
}

/// Parses a `config.json` value into the family configuration.
///
/// # Errors
/// [`Error::UnknownArchitecture`], [`Error::Config`].
pub fn parse_config(cfg: &Value, path: &Path) -> Result<(Architecture, LmConfig)> {
    let arch = Architecture::detect(cfg, path)?;
    let c = match arch.family {
        Family::Bert => LmConfig::Bert(parse(cfg, path)?),
        Family::DnaBert2 => LmConfig::DnaBert2(parse(cfg, path)?),
        Family::Esm => LmConfig::Esm(parse(cfg, path)?),
        Family::Gpt2 => LmConfig::Gpt2(parse(cfg, path)?),
    };
    c.validate().map_err(|e| match e {
        Error::Config(m) => Error::Config(format!("{}: {m}", path.display())),
        e => e,
    })?;
    Ok((arch, c))
}

/// Builds the model of `arch` from a weight file, reporting every mismatch at once.
///
/// # Errors
/// [`Error::WeightMismatch`].
pub fn build_model(
    arch: Architecture,
    cfg: &LmConfig,
    file: &TensorFile,
    device: &Device,
) -> Result<LmModel> {
    build_with(arch, cfg, Loader::new(file, device))
}

/// Builds the model of `arch` from a prepared [`Loader`] (a checkpoint, random init, LoRA,
/// fresh heads) and ends loading with [`Loader::finish`].
///
/// # Errors
/// [`Error::WeightMismatch`], [`Error::Config`] (a LoRA target naming no module).
pub fn build_with(arch: Architecture, cfg: &LmConfig, mut l: Loader<'_>) -> Result<LmModel> {
    l.ignore(|k| {
        k.ends_with("position_ids")
            || k.ends_with("rotary_embeddings.inv_freq")
            || k.starts_with("esm.contact_head.")
    });
    let model = match (cfg, arch.head) {
        (LmConfig::Bert(c), Head::Base) => {
            let p = if l.has("bert.embeddings.word_embeddings.weight") {
                "bert."
            } else {
                ""
            };
            let pooler = l.has(&format!("{p}pooler.dense.weight"));
            LmModel::Bert(BertModel::build(c, &mut l, p, pooler))
        }
        (LmConfig::Bert(c), Head::MaskedLm) => {
            // tied aliases some checkpoints store
            l.ignore(|k| {
                k == "cls.predictions.decoder.weight" || k == "cls.predictions.decoder.bias"
            });
            LmModel::BertMaskedLm(BertForMaskedLM::build(c, &mut l))
        }
        (LmConfig::Bert(c), Head::SequenceClassification) => {
            LmModel::BertClassifier(BertForSequenceClassification::build(c, &mut l))
        }
        (LmConfig::DnaBert2(c), Head::Base) => {
            let pooler = l.has("bert.pooler.dense.weight");
            LmModel::DnaBert2(DnaBert2Model::build(c, &mut l, pooler))
        }
        (LmConfig::DnaBert2(c), Head::MaskedLm) => {
            l.ignore(|k| k == "cls.predictions.decoder.weight");
            LmModel::DnaBert2MaskedLm(DnaBert2ForMaskedLM::build(c, &mut l))
        }
        (LmConfig::DnaBert2(c), Head::SequenceClassification) => {
            LmModel::DnaBert2Classifier(DnaBert2ForSequenceClassification::build(c, &mut l))
        }
        (LmConfig::Esm(c), Head::Base) => {
            let p = if l.has("esm.embeddings.word_embeddings.weight") {
                "esm."
            } else {
                ""
            };
            LmModel::Esm(EsmModel::build(c, &mut l, p))
        }
        (LmConfig::Esm(c), Head::MaskedLm) => {
            LmModel::EsmMaskedLm(EsmForMaskedLM::build(c, &mut l))
        }
        (LmConfig::Esm(c), Head::SequenceClassification) => {
            LmModel::EsmClassifier(EsmForSequenceClassification::build(c, &mut l))
        }
        (LmConfig::Gpt2(c), _) => {
            // causal-mask buffers of older checkpoints; the tied head's alias
            l.ignore(|k| {
                k.ends_with(".attn.bias")
                    || k.ends_with(".attn.masked_bias")
                    || (c.tie_word_embeddings && k == "lm_head.weight")
            });
            let p = if l.has("wte.weight") && !l.has("transformer.wte.weight") {
                ""
            } else {
                "transformer."
            };
            LmModel::Gpt2LmHead(Gpt2LmHead::build(c, &mut l, p))
        }
        (_, Head::CausalLm) => {
            return Err(Error::Config(
                "only GPT-2 has a causal-LM head (architectures names *LMHeadModel)".into(),
            ));
        }
    };
    l.finish()?;
    Ok(model)
}

/// Reads and parses `dir/config.json`: the JSON as read, the architecture and the family
/// configuration.
///
/// # Errors
/// [`Error::Io`], [`Error::Config`], [`Error::UnknownArchitecture`].
pub fn read_config(dir: &Path) -> Result<(Value, Architecture, LmConfig)> {
    let cfg_path = dir.join("config.json");
    let text = std::fs::read_to_string(&cfg_path).map_err(|source| Error::Io {
        path: cfg_path.clone(),
        source,
    })?;
    let config_json: Value = serde_json::from_str(&text)
        .map_err(|e| Error::Config(format!("{}: not JSON: {e}", cfg_path.display())))?;
    let (architecture, config) = parse_config(&config_json, &cfg_path)?;
    Ok((config_json, architecture, config))
}

/// The weight file of a checkpoint directory: `model.safetensors`, else `pytorch_model.bin`;
/// `None` when it has neither (a `config.json`-only directory: random init for training).
pub fn weights_file(dir: &Path) -> Option<PathBuf> {
    ["model.safetensors", "pytorch_model.bin"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
}

/// Loads a checkpoint directory: `config.json`, `model.safetensors`, and the tokenizer
/// (`tokenizer.json` → BPE; `vocab.txt` → NT 6-mers when it holds `<cls>`, else DNABERT
/// k-mers with `k` read from the vocabulary) when one is there.
///
/// Without `model.safetensors`, the weights are read from `pytorch_model.bin`
/// ([`TensorFile::read_pytorch`]: the zip or legacy `torch.save` container, a state dict
/// at the root or under `state_dict`/`model`); when both are there `model.safetensors` wins.
///
/// # Errors
/// [`Error::Io`], [`Error::Config`], [`Error::UnknownArchitecture`], [`Error::Checkpoint`]
/// (truncated file, naming the tensor), [`Error::WeightMismatch`], [`Error::VocabMismatch`].
pub fn load_dir(dir: &Path, device: &Device) -> Result<LoadedLm> {
    let (config_json, architecture, config) = read_config(dir)?;
    let st = weights_file(dir).unwrap_or_else(|| dir.join("model.safetensors"));
    let file = TensorFile::read_any(&st)?;
    let model = build_model(architecture, &config, &file, device)?;
    let tokenizer = super::tokenizer::load_tokenizer(dir, config.vocab_size())?;
    Ok(LoadedLm {
        dir: dir.to_path_buf(),
        architecture,
        config,
        config_json,
        model,
        tokenizer,
        lora: None,
    })
}

impl LmModel {
    /// Runs the model on tensors.
    ///
    /// # Shapes
    /// * `ids`, `mask` (1 = token): `[B, L]` → [`LmOutput`]
    pub fn forward(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>, collect: Collect) -> LmOutput {
        self.run(ids, mask, None, collect)
    }

    /// Whether [`LmModel::forward_at`] takes explicit positions (learned absolute position
    /// tables: BERT / DNABERT and GPT-2).
    pub fn takes_positions(&self) -> bool {
        matches!(
            self,
            Self::Bert(_) | Self::BertMaskedLm(_) | Self::BertClassifier(_) | Self::Gpt2LmHead(_)
        )
    }

    /// [`LmModel::forward`] with explicit `positions` (`None` = `0..L-1` on every row), e.g.
    /// GeneRAIN's gene ids as BERT positions. The caller keeps them below the position table
    /// (see [`LmConfig::position_table`]; [`LoadedLm::forward_host_at`] checks host rows).
    ///
    /// # Shapes
    /// * `ids`, `mask` (1 = token), `positions`: `[B, L]` → [`LmOutput`]
    ///
    /// # Errors
    /// [`Error::Data`] for explicit positions on a family without a position table.
    pub fn forward_at(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        positions: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> Result<LmOutput> {
        if positions.is_some() && !self.takes_positions() {
            return Err(Error::Data {
                what: "lm input".into(),
                msg: "explicit position_ids are only supported by BERT-family and GPT-2 models \
                      (DNABERT-2 and ESM derive their own positions)"
                    .into(),
            });
        }
        Ok(self.run(ids, mask, positions, collect))
    }

    fn run(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        pos: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> LmOutput {
        let (encoder, mlm_logits, logits, lm_logits) = match self {
            Self::Bert(m) => (
                m.forward_at(ids, mask, None, pos, collect),
                None,
                None,
                None,
            ),
            Self::BertMaskedLm(m) => {
                let (e, l) = m.forward_at(ids, mask, pos, collect);
                (e, Some(l), None, None)
            }
            Self::BertClassifier(m) => {
                let (e, l) = m.forward_at(ids, mask, pos, collect);
                (e, None, Some(l), None)
            }
            Self::DnaBert2(m) => (m.forward(ids, mask, None, collect), None, None, None),
            Self::DnaBert2MaskedLm(m) => {
                let (e, l) = m.forward(ids, mask, collect);
                (e, Some(l), None, None)
            }
            Self::DnaBert2Classifier(m) => {
                let (e, l) = m.forward(ids, mask, collect);
                (e, None, Some(l), None)
            }
            Self::Esm(m) => (m.forward(ids, mask, collect), None, None, None),
            Self::EsmMaskedLm(m) => {
                let (e, l) = m.forward(ids, mask, collect);
                (e, Some(l), None, None)
            }
            Self::EsmClassifier(m) => {
                let (e, l) = m.forward(ids, mask, collect);
                (e, None, Some(l), None)
            }
            Self::Gpt2LmHead(m) => {
                let (e, l) = m.forward(ids, mask, pos, collect);
                (e, None, None, Some(l))
            }
        };
        LmOutput {
            encoder,
            mlm_logits,
            logits,
            lm_logits,
        }
    }

    /// The weights under HF key names (adapters merged; their factors in
    /// [`Exporter::adapters`]).
    pub fn export(&self) -> Exporter {
        let mut ex = Exporter::default();
        match self {
            Self::Bert(m) => m.export(&mut ex, "bert."),
            Self::BertMaskedLm(m) => m.export(&mut ex),
            Self::BertClassifier(m) => m.export(&mut ex),
            Self::DnaBert2(m) => m.export(&mut ex),
            Self::DnaBert2MaskedLm(m) => m.export(&mut ex),
            Self::DnaBert2Classifier(m) => m.export(&mut ex),
            Self::Esm(m) => m.export(&mut ex, "esm."),
            Self::EsmMaskedLm(m) => m.export(&mut ex),
            Self::EsmClassifier(m) => m.export(&mut ex),
            Self::Gpt2LmHead(m) => m.export(&mut ex),
        }
        ex
    }
}

impl LoadedLm {
    /// Writes `config.json` (as read) and `model.safetensors` with HF key names and
    /// `[out, in]` Linear weights into `out`.
    ///
    /// # Errors
    /// [`Error::Io`].
    pub fn save_dir(&self, out: &Path) -> Result<()> {
        std::fs::create_dir_all(out).map_err(|source| Error::Io {
            path: out.into(),
            source,
        })?;
        let cfg = out.join("config.json");
        let text = format!("{:#}", self.config_json);
        outfile::write_atomic(&cfg, |w| w.write_all(text.as_bytes()))
            .map_err(|source| Error::Io { path: cfg, source })?;
        self.model
            .export()
            .file
            .write(&out.join("model.safetensors"))
    }
}
