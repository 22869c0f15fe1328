//! The encoders on the model seam: [`LmTrainConfig`] (a [`ModelConfig`]) builds an
//! [`LmModel`] for a task — sequence classification, regression or masked-LM pretraining —
//! from an HF checkpoint (a new head freshly initialised when the checkpoint has another one)
//! or from a `config.json` alone (random init), optionally with LoRA; [`LmData`] batches token
//! rows (masking them for pretraining) for the one training loop ([`crate::train_run`]).

use super::auto::{LmConfig, LmModel, build_with, parse_config};
use super::lora::LoraSpec;
use super::mlm::{MaskTokens, MaskingConfig, masked_lm_loss};
use super::weights::{Loader, TensorFile};
use super::{Collect, Family, Head};
use crate::seam::{Examples, FitsConfig, ModelConfig, Objective, Targets, TrainableModel};
use crate::{Error, Result};
use burn::module::Module;
use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What the encoder is trained for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LmTask {
    /// Sequence classification into `classes` (≥ 2) classes, cross-entropy.
    Classification {
        /// Number of classes.
        classes: usize,
    },
    /// One real value per sequence, MSE.
    Regression,
    /// Masked-LM pretraining with this corruption.
    MaskedLm {
        /// Which tokens are corrupted.
        masking: MaskingConfig,
        /// Mask and special ids.
        tokens: MaskTokens,
    },
}

/// An encoder to train: its `config.json`, where its starting weights are, the task, LoRA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LmTrainConfig {
    /// `config.json` as it will be exported (`architectures` and `num_labels` set for the task).
    pub config_json: Value,
    /// Starting weights (`model.safetensors` / `pytorch_model.bin`); `None` = random init.
    pub weights: Option<PathBuf>,
    /// A PEFT adapter (`adapter_model.safetensors`) to start from.
    pub adapter: Option<PathBuf>,
    /// LoRA adapters (only they and the head train).
    pub lora: Option<LoraSpec>,
    /// The task.
    pub task: LmTask,
}

fn head_name(family: Family, head: Head) -> &'static str {
    match (family, head) {
        (Family::Esm, Head::MaskedLm) => "EsmForMaskedLM",
        (Family::Esm, Head::SequenceClassification) => "EsmForSequenceClassification",
        (Family::Esm, Head::Base) => "EsmModel",
        (Family::Gpt2, _) | (_, Head::CausalLm) => "GPT2LMHeadModel",
        (_, Head::MaskedLm) => "BertForMaskedLM",
        (_, Head::SequenceClassification) => "BertForSequenceClassification",
        (_, Head::Base) => "BertModel",
    }
}

impl LmTrainConfig {
    /// A configuration for `task` from a checkpoint's `config.json` (its `architectures` and
    /// label count rewritten for the task; `id2label`/`label2id` dropped).
    ///
    /// # Errors
    /// [`Error::UnknownArchitecture`], [`Error::Config`].
    pub fn new(
        mut config_json: Value,
        weights: Option<PathBuf>,
        task: LmTask,
        lora: Option<LoraSpec>,
    ) -> Result<Self> {
        let (arch, _) = parse_config(&config_json, Path::new("config.json"))?;
        let head = match &task {
            LmTask::MaskedLm { .. } => Head::MaskedLm,
            _ => Head::SequenceClassification,
        };
        if let Some(obj) = config_json.as_object_mut() {
            obj.insert(
                "architectures".into(),
                serde_json::json!([head_name(arch.family, head)]),
            );
            obj.remove("id2label");
            obj.remove("label2id");
            match &task {
                LmTask::Classification { classes } => {
                    obj.insert("num_labels".into(), (*classes).into());
                    obj.insert("problem_type".into(), "single_label_classification".into());
                }
                LmTask::Regression => {
                    obj.insert("num_labels".into(), 1.into());
                    obj.insert("problem_type".into(), "regression".into());
                }
                LmTask::MaskedLm { .. } => {
                    obj.remove("problem_type");
                }
            }
        }
        let c = Self {
            config_json,
            weights,
            adapter: None,
            lora,
            task,
        };
        c.validate()?;
        Ok(c)
    }

    /// The parsed family configuration.
    ///
    /// # Errors
    /// As [`parse_config`].
    pub fn lm_config(&self) -> Result<LmConfig> {
        parse_config(&self.config_json, Path::new("config.json")).map(|(_, c)| c)
    }

    fn prefix(&self) -> Result<&'static str> {
        let (arch, _) = parse_config(&self.config_json, Path::new("config.json"))?;
        Ok(match arch.family {
            Family::Esm => "esm.",
            _ => "bert.",
        })
    }

    /// Reads the starting weights, renaming a bare encoder's keys under the family prefix
    /// (`bert.`, `esm.`) that a model with a head expects.
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Checkpoint`].
    pub fn read_weights(&self) -> Result<Option<TensorFile>> {
        let Some(p) = &self.weights else {
            return Ok(None);
        };
        let mut f = TensorFile::read_any(p)?;
        let pre = self.prefix()?;
        if !f.tensors.keys().any(|k| k.starts_with(pre))
            && f.tensors.contains_key("embeddings.word_embeddings.weight")
        {
            f.tensors = std::mem::take(&mut f.tensors)
                .into_iter()
                .map(|(k, v)| (format!("{pre}{k}"), v))
                .collect();
        }
        Ok(Some(f))
    }

    /// Builds the model with a given initialisation seed for the fresh tensors.
    ///
    /// # Errors
    /// [`Error::WeightMismatch`], [`Error::Config`].
    pub fn build(&self, device: &Device, seed: u64) -> Result<LmModel> {
        let (arch, cfg) = parse_config(&self.config_json, Path::new("config.json"))?;
        let file = self.read_weights()?;
        let adapter = self.adapter.as_deref().map(TensorFile::read).transpose()?;
        let std = self.config_json["initializer_range"]
            .as_f64()
            .unwrap_or(0.02) as f32;
        let mut l = match &file {
            Some(f) => {
                let mut l = Loader::new(f, device);
                let pre = self.prefix()?;
                let pooler = format!("{pre}pooler.");
                if arch.head == Head::MaskedLm {
                    l.ignore(|k| k.starts_with("classifier.") || k.starts_with(&pooler));
                    l.allow_fresh(&["cls.", "lm_head."], seed)
                } else {
                    l.ignore(|k| k.starts_with("cls.") || k.starts_with("lm_head."));
                    l.allow_fresh(&["classifier.", &pooler], seed)
                }
            }
            None => Loader::random(device, std, seed),
        };
        if let Some(spec) = &self.lora {
            l = l.with_lora(spec.clone(), adapter.as_ref());
        }
        build_with(arch, &cfg, l)
    }
}

impl ModelConfig for LmTrainConfig {
    type Model = LmModel;

    fn kind(&self) -> &'static str {
        "lm"
    }

    fn validate(&self) -> Result<()> {
        let cfg = self.lm_config()?;
        if let Some(l) = &self.lora {
            l.validate()?;
        }
        match &self.task {
            LmTask::Classification { classes } if *classes < 2 => Err(Error::Config(format!(
                "classification needs ≥ 2 classes, got {classes}"
            ))),
            LmTask::MaskedLm { masking, tokens } => {
                masking.validate()?;
                if tokens.mask_id as usize >= cfg.vocab_size() || tokens.vocab > cfg.vocab_size() {
                    return Err(Error::Config(format!(
                        "mask id {} / vocabulary {} exceed the embedding rows {}",
                        tokens.mask_id,
                        tokens.vocab,
                        cfg.vocab_size()
                    )));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn init_model(&self, device: &Device) -> Result<LmModel> {
        self.build(device, device_seed(device))
    }

    fn n_outputs(&self) -> usize {
        match &self.task {
            LmTask::Classification { classes } => *classes,
            _ => 1,
        }
    }

    fn objective(&self) -> Objective {
        match &self.task {
            LmTask::Classification { .. } => Objective::CrossEntropy,
            LmTask::Regression => Objective::Mse,
            LmTask::MaskedLm { .. } => Objective::ModelLoss,
        }
    }
}

/// A 64-bit seed drawn from the device's generator, which the training loop seeded for
/// this run: fresh weights follow the run's seed without a second seed setting.
pub(crate) fn device_seed(device: &Device) -> u64 {
    let draw: Tensor<1> = Tensor::random([2], Distribution::Uniform(0.0, 1.0), device);
    let v = draw
        .into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .unwrap_or_default();
    v.iter()
        .fold(0u64, |h, x| (h << 32) ^ u64::from((x * 4.0e9) as u32))
}

/// One batch: padded ids, the attention mask and, for pretraining, the MLM labels.
#[derive(Debug, Clone)]
pub struct LmBatch {
    /// `[B, L]` token ids.
    pub ids: Tensor<2, Int>,
    /// `[B, L]`, 1 = token.
    pub mask: Tensor<2, Int>,
    /// `[B, L]` labels (−100 = not predicted) for masked-LM training.
    pub labels: Option<Tensor<2, Int>>,
}

impl TrainableModel for LmModel {
    type Input = LmBatch;

    /// Logits `[B, classes]`, the regression value `[B, 1]`, or the per-row masked-LM loss
    /// `[B, 1]` when the batch carries labels.
    fn forward_input(&self, input: LmBatch) -> Tensor<2> {
        let out = self.forward(input.ids, input.mask, Collect::default());
        match (input.labels, out.mlm_logits, out.logits) {
            (Some(labels), Some(mlm), _) => masked_lm_loss(mlm, labels),
            (_, _, Some(logits)) => logits,
            (_, Some(mlm), None) => {
                // no labels on an MLM model: the mean logit (never used for training)
                let [b, l, v] = mlm.dims();
                mlm.reshape([b, l * v]).mean_dim(1)
            }
            (_, None, None) => out
                .encoder
                .last_hidden_state
                .mean_dim(1)
                .mean_dim(2)
                .squeeze_dim(2),
        }
    }

    fn device(&self) -> Device {
        self.devices().into_iter().next().unwrap_or_default()
    }
}

/// Token rows with their targets (or the masking that makes pretraining targets).
#[derive(Debug, Clone)]
pub struct LmData {
    /// Token ids per example (specials included, unpadded).
    pub rows: Vec<Vec<u32>>,
    /// Class per example (classification).
    pub classes: Option<Vec<u32>>,
    /// Value per example (regression).
    pub values: Option<Vec<f32>>,
    /// Padding id.
    pub pad_id: u32,
    /// Masking for pretraining, with the seed that makes it reproducible.
    pub masking: Option<(MaskingConfig, MaskTokens, u64)>,
}

impl LmData {
    fn batch(&self, idx: &[usize], device: &Device) -> LmBatch {
        let l = idx
            .iter()
            .map(|&i| self.rows[i].len())
            .max()
            .unwrap_or(1)
            .max(1);
        let n = idx.len();
        let (mut ids, mut mask, mut labels) = (
            Vec::with_capacity(n * l),
            Vec::with_capacity(n * l),
            Vec::new(),
        );
        // the masks of a batch depend on the seed and on which examples it holds, so a resumed
        // run corrupts every batch as the uninterrupted run did
        let mut rng = self.masking.as_ref().map(|(_, _, seed)| {
            let mut h = *seed ^ 0x9e37_79b9_7f4a_7c15;
            for &i in idx {
                h = (h ^ i as u64).wrapping_mul(0x0100_0000_01b3);
            }
            rand_chacha::ChaCha8Rng::seed_from_u64(h)
        });
        for &i in idx {
            let row = &self.rows[i];
            let (r, lab) = match (&self.masking, rng.as_mut()) {
                (Some((m, t, _)), Some(rng)) => m.apply(row, t, rng),
                _ => (row.clone(), Vec::new()),
            };
            ids.extend(r.iter().map(|&t| i64::from(t)));
            ids.extend(std::iter::repeat_n(i64::from(self.pad_id), l - r.len()));
            mask.extend(std::iter::repeat_n(1i64, r.len()));
            mask.extend(std::iter::repeat_n(0i64, l - r.len()));
            if self.masking.is_some() {
                labels.extend_from_slice(&lab);
                labels.extend(std::iter::repeat_n(super::mlm::IGNORE, l - lab.len()));
            }
        }
        let t = |v: Vec<i64>| Tensor::<2, Int>::from_data(TensorData::new(v, [n, l]), device);
        LmBatch {
            ids: t(ids),
            mask: t(mask),
            labels: self.masking.is_some().then(|| t(labels)),
        }
    }
}

impl Examples<LmBatch> for LmData {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn inputs(&self, idx: &[usize], device: &Device) -> LmBatch {
        self.batch(idx, device)
    }

    fn targets(&self) -> Targets<'_> {
        match (&self.classes, &self.values) {
            (Some(c), _) => Targets::Classes(c),
            (None, Some(v)) => Targets::Values {
                values: v,
                width: 1,
            },
            _ => Targets::None,
        }
    }

    fn validate(&self, what: &str, need_targets: bool) -> Result<()> {
        let bad = |msg: String| Error::Data {
            what: what.into(),
            msg,
        };
        if self.rows.is_empty() {
            return Err(bad("no examples".into()));
        }
        if let Some(r) = self.rows.iter().position(Vec::is_empty) {
            return Err(bad(format!("example {r} has no tokens")));
        }
        let n = self.rows.len();
        if need_targets && self.masking.is_none() {
            match (&self.classes, &self.values) {
                (Some(c), _) if c.len() == n => {}
                (None, Some(v)) if v.len() == n => {
                    if let Some(i) = v.iter().position(|x| !x.is_finite()) {
                        return Err(bad(format!("example {i}: target {} is not finite", v[i])));
                    }
                }
                _ => return Err(bad(format!("{n} examples need {n} targets"))),
            }
        }
        Ok(())
    }

    fn fingerprint(&self) -> u64 {
        let mut h = crate::seam::FNV_OFFSET;
        for r in &self.rows {
            let bytes: Vec<u8> = r.iter().flat_map(|t| t.to_le_bytes()).collect();
            crate::seam::fnv_words(&mut h, &bytes);
            crate::seam::fnv_words(&mut h, &[0xff]);
        }
        if let Some(c) = &self.classes {
            let bytes: Vec<u8> = c.iter().flat_map(|t| t.to_le_bytes()).collect();
            crate::seam::fnv_words(&mut h, &bytes);
        }
        if let Some(v) = &self.values {
            let bytes: Vec<u8> = v.iter().flat_map(|t| t.to_le_bytes()).collect();
            crate::seam::fnv_words(&mut h, &bytes);
        }
        if let Some((m, _, s)) = &self.masking {
            crate::seam::fnv_words(&mut h, &s.to_le_bytes());
            crate::seam::fnv_words(&mut h, &m.probability.to_le_bytes());
        }
        h
    }
}

impl FitsConfig<LmTrainConfig> for LmData {
    fn check_fits(&self, cfg: &LmTrainConfig) -> Result<()> {
        let c = cfg.lm_config()?;
        for (r, row) in self.rows.iter().enumerate() {
            if let Some(max) = c.max_len()
                && row.len() > max
            {
                return Err(Error::InputTooLong {
                    row: r,
                    len: row.len(),
                    max,
                });
            }
            if let Some(p) = row.iter().position(|&t| t as usize >= c.vocab_size()) {
                return Err(Error::TokenOutOfVocab {
                    row: r,
                    pos: p,
                    id: row[p],
                    vocab: c.vocab_size(),
                });
            }
        }
        if let (LmTask::Classification { classes }, Some(c)) = (&cfg.task, &self.classes)
            && let Some(i) = c.iter().position(|&y| y as usize >= *classes)
        {
            return Err(Error::Data {
                what: "labels".into(),
                msg: format!("example {i}: class {} but the head has {classes}", c[i]),
            });
        }
        Ok(())
    }
}
