//! GeneRAIN's expression transformers (Genome Biology 2025) behind the training seam.
//!
//! Three models over the top genes of a bulk RNA-seq sample (inputs: [`seqenc::binning`]'s
//! `InputConfig::build`):
//!
//! | [`GeneRainKind`] | HF layout | tokens | positions | loss |
//! |---|---|---|---|---|
//! | `PredExpr` | `BertForMaskedLM` | expression bins (vocab `n_bins + 1`, 0 = mask) | gene tokens (table `n_genes + 1`) | masked bins |
//! | `PredGenes` | `BertForMaskedLM` | gene tokens in expression order (vocab `n_genes + 2`) | `0..max_len` | masked genes |
//! | `Gpt` | `GPT2LMHeadModel` | gene tokens in expression order (vocab `n_genes + 1`) | `0..max_len` | next gene |
//!
//! The model is one of the HF encoders of [`crate::lm`] (so import, export and `lm forward` are
//! shared); [`GeneRainConfig::hf_config`] writes the `config.json` an HF checkpoint of it has.
//! The published configuration ([`GeneRainConfig::published`]): hidden 200, 6 layers, 4 heads,
//! FFN 800, dropout 0.05, LayerNorm eps 1e-10. The loss is HF's: the mean over every labelled
//! token of the batch (labels −100 ignored; GPT's labels shifted by one).

use crate::lm::blocks::Collect;
use crate::lm::gpt2::loss::causal_lm_row_losses;
use crate::lm::mlm::masked_lm_loss;
use crate::lm::weights::Loader;
use crate::lm::{Architecture, LmConfig, LmModel};
use crate::seam::{ModelConfig, Objective, TrainableModel};
use crate::{Error, Result};
use burn::module::Module;
use burn::tensor::{Device, Int, Tensor, TensorData};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One of GeneRAIN's three models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneRainKind {
    /// BERT_Pred_Expr: masked expression bins, genes as positions.
    PredExpr,
    /// BERT_Pred_Genes: masked gene identities in expression order.
    PredGenes,
    /// GPT: next gene in expression order.
    Gpt,
}

impl GeneRainKind {
    /// Parses `pred_expr` / `pred-expr`, `pred_genes` / `pred-genes`, `gpt`.
    ///
    /// ```
    /// use models::generain::GeneRainKind;
    /// assert_eq!(GeneRainKind::parse("pred-expr").unwrap(), GeneRainKind::PredExpr);
    /// assert!(GeneRainKind::parse("bert").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Self> {
        match name.replace('-', "_").as_str() {
            "pred_expr" => Ok(Self::PredExpr),
            "pred_genes" => Ok(Self::PredGenes),
            "gpt" => Ok(Self::Gpt),
            _ => Err(Error::Config(format!(
                "unknown GeneRAIN model '{name}' (pred-expr, pred-genes, gpt)"
            ))),
        }
    }

    /// The name [`GeneRainKind::parse`] reads.
    pub fn name(self) -> &'static str {
        match self {
            Self::PredExpr => "pred-expr",
            Self::PredGenes => "pred-genes",
            Self::Gpt => "gpt",
        }
    }
}

/// Architecture and sizes of a GeneRAIN model (field names as in HF BERT's `config.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneRainConfig {
    /// Which model.
    pub model: GeneRainKind,
    /// Genes of the vocabulary (rows of the prepared expression matrix).
    pub n_genes: usize,
    /// Genes per sample (GeneRAIN: 2,048).
    pub max_len: usize,
    /// Expression bins (GeneRAIN: 100).
    pub n_bins: u16,
    /// Width of every token.
    pub hidden_size: usize,
    /// Transformer layers.
    pub num_hidden_layers: usize,
    /// Attention heads.
    pub num_attention_heads: usize,
    /// Feed-forward width.
    pub intermediate_size: usize,
    /// Dropout (hidden states; GPT-2: embeddings and residual branches).
    pub hidden_dropout_prob: f64,
    /// LayerNorm epsilon.
    pub layer_norm_eps: f64,
    /// Std of the random initialisation.
    pub initializer_range: f32,
}

/// Largest gene vocabulary accepted (bounds the embedding tables before allocating).
pub const MAX_GENES: usize = 1 << 20;

impl GeneRainConfig {
    /// The published configuration: hidden 200, 6 layers, 4 heads, FFN 800, dropout 0.05,
    /// LayerNorm eps 1e-10, 2,048 genes per sample, 100 bins.
    ///
    /// ```
    /// use models::generain::{GeneRainConfig, GeneRainKind};
    /// let c = GeneRainConfig::published(GeneRainKind::Gpt, 20_000);
    /// assert_eq!((c.hidden_size, c.num_hidden_layers, c.vocab_size()), (200, 6, 20_001));
    /// ```
    pub fn published(model: GeneRainKind, n_genes: usize) -> Self {
        Self {
            model,
            n_genes,
            max_len: 2048,
            n_bins: 100,
            hidden_size: 200,
            num_hidden_layers: 6,
            num_attention_heads: 4,
            intermediate_size: 800,
            hidden_dropout_prob: 0.05,
            layer_norm_eps: 1e-10,
            initializer_range: 0.02,
        }
    }

    /// Rows of the token table (seqenc's convention: bins + mask, genes + pad (+ mask)).
    pub fn vocab_size(&self) -> usize {
        match self.model {
            GeneRainKind::PredExpr => usize::from(self.n_bins) + 1,
            GeneRainKind::PredGenes => self.n_genes + 2,
            GeneRainKind::Gpt => self.n_genes + 1,
        }
    }

    /// Rows of the position table (Pred_Expr: one per gene + the pad gene; else `max_len`).
    pub fn position_table(&self) -> usize {
        match self.model {
            GeneRainKind::PredExpr => self.n_genes + 1,
            _ => self.max_len,
        }
    }

    /// The HF `config.json` of this model (`BertForMaskedLM` or `GPT2LMHeadModel`).
    ///
    /// ```
    /// use models::generain::{GeneRainConfig, GeneRainKind};
    /// let c = GeneRainConfig::published(GeneRainKind::PredExpr, 300).hf_config();
    /// assert_eq!((c["vocab_size"].as_u64(), c["max_position_embeddings"].as_u64()), (Some(101), Some(301)));
    /// ```
    pub fn hf_config(&self) -> Value {
        match self.model {
            GeneRainKind::Gpt => json!({
                "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2",
                "vocab_size": self.vocab_size(), "n_positions": self.position_table(),
                "n_embd": self.hidden_size, "n_layer": self.num_hidden_layers,
                "n_head": self.num_attention_heads, "n_inner": self.intermediate_size,
                "activation_function": "gelu_new", "layer_norm_epsilon": self.layer_norm_eps,
                "embd_pdrop": self.hidden_dropout_prob, "resid_pdrop": self.hidden_dropout_prob,
                "attn_pdrop": self.hidden_dropout_prob, "initializer_range": self.initializer_range,
                "pad_token_id": 0, "tie_word_embeddings": true,
            }),
            _ => json!({
                "architectures": ["BertForMaskedLM"], "model_type": "bert",
                "vocab_size": self.vocab_size(), "max_position_embeddings": self.position_table(),
                "hidden_size": self.hidden_size, "num_hidden_layers": self.num_hidden_layers,
                "num_attention_heads": self.num_attention_heads,
                "intermediate_size": self.intermediate_size, "hidden_act": "gelu",
                "type_vocab_size": 2, "layer_norm_eps": self.layer_norm_eps, "pad_token_id": 0,
                "position_embedding_type": "absolute", "initializer_range": self.initializer_range,
                "hidden_dropout_prob": self.hidden_dropout_prob,
                "attention_probs_dropout_prob": self.hidden_dropout_prob,
            }),
        }
    }

    /// Architecture and parsed configuration of [`GeneRainConfig::hf_config`].
    ///
    /// # Errors
    /// [`Error::Config`] for sizes the encoder refuses.
    pub fn lm_config(&self) -> Result<(Architecture, LmConfig)> {
        crate::lm::auto::parse_config(&self.hf_config(), std::path::Path::new("config.json"))
    }
}

/// A GeneRAIN model: an HF-layout encoder with its language-model head.
#[derive(Module, Debug)]
pub struct GeneRain {
    /// The encoder and head (`BertMaskedLm` or `Gpt2LmHead`).
    pub lm: LmModel,
}

/// One batch of GeneRAIN inputs (seqenc's `ModelInput`s stacked).
#[derive(Debug, Clone)]
pub struct GeneRainBatch {
    /// `[B, L]` token ids.
    pub ids: Tensor<2, Int>,
    /// `[B, L]` position ids (gene tokens for Pred_Expr).
    pub positions: Tensor<2, Int>,
    /// `[B, L]` attention mask (1 = attended).
    pub mask: Tensor<2, Int>,
    /// `[B, L]` labels (−100 = no loss; GPT: unshifted).
    pub labels: Tensor<2, Int>,
}

impl GeneRainBatch {
    /// A batch from host rows: `ids`, `positions`, `mask` and `labels` row-major `[n, l]`.
    ///
    /// # Errors
    /// [`Error::Config`] if a vector does not hold `n × l` values.
    ///
    /// ```
    /// use models::generain::GeneRainBatch;
    /// let dev = models::select_device(None).unwrap();
    /// let v = vec![0i64; 6];
    /// let b = GeneRainBatch::from_host(v.clone(), v.clone(), v.clone(), v, [2, 3], &dev).unwrap();
    /// assert_eq!(b.ids.dims(), [2, 3]);
    /// assert!(GeneRainBatch::from_host(vec![], vec![], vec![], vec![], [1, 1], &dev).is_err());
    /// ```
    pub fn from_host(
        ids: Vec<i64>,
        positions: Vec<i64>,
        mask: Vec<i64>,
        labels: Vec<i64>,
        [n, l]: [usize; 2],
        device: &Device,
    ) -> Result<Self> {
        if [&ids, &positions, &mask, &labels]
            .iter()
            .any(|v| v.len() != n * l)
        {
            return Err(Error::Config(format!(
                "a GeneRAIN batch of {n} × {l} needs {} values per tensor",
                n * l
            )));
        }
        let t = |v: Vec<i64>| Tensor::<2, Int>::from_data(TensorData::new(v, [n, l]), device);
        Ok(Self {
            ids: t(ids),
            positions: t(positions),
            mask: t(mask),
            labels: t(labels),
        })
    }
}

impl GeneRain {
    /// The encoder's output and the head's logits `[B, L, V]` (GPT: `logits[:, t]` scores
    /// token `t + 1`).
    ///
    /// # Shapes
    /// * `ids`, `positions`, `mask`: `[B, L]` → `([B, L, H]` last hidden state, `[B, L, V])`
    ///
    /// # Errors
    /// [`Error::Config`] if the encoder has no language-model head.
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        positions: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> Result<(crate::lm::EncoderOutput, Tensor<3>)> {
        let out = self.lm.forward_at(ids, mask, Some(positions), collect)?;
        match out.mlm_logits.or(out.lm_logits) {
            Some(logits) => Ok((out.encoder, logits)),
            None => Err(Error::Config(
                "a GeneRAIN model needs a masked-LM or causal-LM head".into(),
            )),
        }
    }

    /// Per-row losses `[B, 1]` weighted so that their mean is the batch's token-weighted loss.
    fn loss_rows(&self, input: GeneRainBatch) -> Result<Tensor<2>> {
        let [b, _] = input.ids.dims();
        let labels = input.labels;
        let (_, logits) =
            self.forward(input.ids, input.positions, input.mask, Collect::default())?;
        let (rows, counts) = match self.lm {
            LmModel::Gpt2LmHead(_) => {
                let counts = labels
                    .clone()
                    .slice_dim(1, 1..)
                    .greater_equal_elem(0)
                    .float();
                (causal_lm_row_losses(logits, labels).reshape([b, 1]), counts)
            }
            _ => {
                let counts = labels.clone().greater_equal_elem(0).float();
                (masked_lm_loss(logits, labels), counts)
            }
        };
        // row mean × (row tokens × B / batch tokens): the mean over rows is then HF's loss
        let per_row = counts.sum_dim(1);
        let total = per_row.clone().sum().clamp_min(1.0).reshape([1, 1]);
        Ok(rows * per_row.mul_scalar(b as f64) / total)
    }
}

impl TrainableModel for GeneRain {
    type Input = GeneRainBatch;

    /// Per-row losses `[B, 1]` whose mean is HF's token-weighted loss (a NaN loss, which stops
    /// training with a typed error, if the encoder lacks a head: never the case for models
    /// built by [`GeneRainConfig`]).
    fn forward_input(&self, input: GeneRainBatch) -> Tensor<2> {
        let [b, _] = input.ids.dims();
        let device = input.ids.device();
        self.loss_rows(input)
            .unwrap_or_else(|_| Tensor::<2>::zeros([b, 1], &device).add_scalar(f32::NAN))
    }

    fn device(&self) -> Device {
        self.devices().into_iter().next().unwrap_or_default()
    }
}

impl ModelConfig for GeneRainConfig {
    type Model = GeneRain;

    fn kind(&self) -> &'static str {
        "generain"
    }

    fn validate(&self) -> Result<()> {
        if self.n_genes == 0 || self.n_genes > MAX_GENES {
            return Err(Error::Config(format!(
                "{} genes: need 1 to {MAX_GENES}",
                self.n_genes
            )));
        }
        if self.max_len < 2 || self.max_len > 1 << 16 || self.n_bins < 2 {
            return Err(Error::Config(format!(
                "max_len {} (2..=65536) or n_bins {} (>= 2) out of range",
                self.max_len, self.n_bins
            )));
        }
        if !(0.0..1.0).contains(&self.hidden_dropout_prob) {
            return Err(Error::Config(format!(
                "dropout {} is not in [0, 1)",
                self.hidden_dropout_prob
            )));
        }
        self.lm_config().map(|_| ())
    }

    fn init_model(&self, device: &Device) -> Result<GeneRain> {
        let seed = crate::lm::train::device_seed(device);
        let (arch, cfg) = self.lm_config()?;
        let loader = Loader::random(device, self.initializer_range, seed);
        Ok(GeneRain {
            lm: crate::lm::auto::build_with(arch, &cfg, loader)?,
        })
    }

    fn n_outputs(&self) -> usize {
        1
    }

    fn objective(&self) -> Objective {
        Objective::ModelLoss
    }
}
