//! HF BERT (and DNABERT, which is HF BERT with a k-mer vocabulary): learned absolute
//! positions, token types, post-LayerNorm layers, pooler, MLM and classification heads.
//! Module tree and key names follow `transformers.BertModel`.
//!
//! Positions default to `0..L-1`; the `forward_at` methods take explicit `position_ids`, as
//! GeneRAIN's `BERT_Pred_Expr` layout needs: expression bins as `input_ids`, **gene ids as
//! positions** (`max_position_embeddings` = the gene vocabulary), embeddings
//! `LN(word[bin] + pos[gene] + type[0])`.

use super::blocks::{
    Activation, Collect, EncoderOutput, FINFO_MIN, SelfAttention, SelfAttentionConfig, padding_bias,
};
use super::weights::{Exporter, Loader};
use crate::{Error, Result};
use burn::module::{Module, Param};
use burn::nn::{Dropout, DropoutConfig, Embedding, LayerNorm, Linear};
use burn::tensor::activation::tanh;
use burn::tensor::{Device, Int, Tensor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn d_vocab() -> usize {
    30522
}
fn d_hidden() -> usize {
    768
}
fn d_layers() -> usize {
    12
}
fn d_heads() -> usize {
    12
}
fn d_inter() -> usize {
    3072
}
fn d_act() -> String {
    "gelu".into()
}
fn d_maxpos() -> usize {
    512
}
fn d_types() -> usize {
    2
}
fn d_eps() -> f64 {
    1e-12
}
fn d_pos() -> String {
    "absolute".into()
}
fn d_init() -> f32 {
    0.02
}
fn d_dropout() -> f64 {
    0.1
}

/// HF `BertConfig` (`config.json` field names; unknown fields ignored, HF defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BertConfig {
    /// Rows of the word-embedding matrix.
    #[serde(default = "d_vocab")]
    pub vocab_size: usize,
    /// Model width `H`.
    #[serde(default = "d_hidden")]
    pub hidden_size: usize,
    /// Number of layers.
    #[serde(default = "d_layers")]
    pub num_hidden_layers: usize,
    /// Attention heads (must divide `hidden_size`).
    #[serde(default = "d_heads")]
    pub num_attention_heads: usize,
    /// Feed-forward width.
    #[serde(default = "d_inter")]
    pub intermediate_size: usize,
    /// Activation (`gelu` = exact erf GELU, `gelu_new` = tanh, `relu`, `silu`).
    #[serde(default = "d_act")]
    pub hidden_act: String,
    /// Rows of the position table (the longest input).
    #[serde(default = "d_maxpos")]
    pub max_position_embeddings: usize,
    /// Rows of the token-type table.
    #[serde(default = "d_types")]
    pub type_vocab_size: usize,
    /// LayerNorm epsilon.
    #[serde(default = "d_eps")]
    pub layer_norm_eps: f64,
    /// Padding token id.
    #[serde(default)]
    pub pad_token_id: u32,
    /// Only `absolute` is implemented.
    #[serde(default = "d_pos")]
    pub position_embedding_type: String,
    /// Std of the random initialisation.
    #[serde(default = "d_init")]
    pub initializer_range: f32,
    /// Dropout on the embeddings and on each layer's attention and feed-forward outputs while
    /// training (HF default 0.1; attention probabilities are not dropped here).
    #[serde(default = "d_dropout")]
    pub hidden_dropout_prob: f64,
    /// Dropout before the classifier (HF: `hidden_dropout_prob` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classifier_dropout: Option<f64>,
    /// Number of classification outputs (HF derives it from `id2label`; default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_labels: Option<usize>,
    /// Label names by index (its length is `num_labels` when present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id2label: Option<BTreeMap<String, String>>,
    /// `regression`, `single_label_classification`, `multi_label_classification`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_type: Option<String>,
    /// HF class names, e.g. `["BertForMaskedLM"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architectures: Option<Vec<String>>,
    /// `bert`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_type: Option<String>,
}

impl BertConfig {
    /// A tiny configuration for tests (`vocab` tokens, hidden 8, 1 layer, 2 heads).
    pub fn tiny(vocab: usize) -> Self {
        serde_json::from_value(serde_json::json!({
            "vocab_size": vocab, "hidden_size": 8, "num_hidden_layers": 1,
            "num_attention_heads": 2, "intermediate_size": 16, "max_position_embeddings": 32
        }))
        .expect("static config")
    }

    /// Classification outputs: `id2label` length, else `num_labels`, else 2.
    pub fn labels(&self) -> usize {
        self.id2label
            .as_ref()
            .map(BTreeMap::len)
            .or(self.num_labels)
            .unwrap_or(2)
    }

    /// Whether the classification head is a regression (`num_labels == 1` or
    /// `problem_type == "regression"`): its logits are the predictions.
    pub fn is_regression(&self) -> bool {
        self.labels() == 1 || self.problem_type.as_deref() == Some("regression")
    }

    /// Checks the sizes.
    ///
    /// # Errors
    /// [`Error::Config`] for zero sizes, heads not dividing the width, an unknown activation
    /// or position type.
    pub fn validate(&self) -> Result<()> {
        check_dims(self.hidden_size, self.num_attention_heads, self.vocab_size)?;
        Activation::from_hf(&self.hidden_act)?;
        if self.position_embedding_type != "absolute" {
            return Err(Error::Config(format!(
                "BERT position_embedding_type `{}` is not implemented (only `absolute`)",
                self.position_embedding_type
            )));
        }
        Ok(())
    }

    /// Randomly initialised encoder (`N(0, initializer_range²)`) on `device`.
    ///
    /// # Errors
    /// See [`BertConfig::validate`].
    pub fn init(&self, device: &Device) -> Result<BertModel> {
        self.validate()?;
        Ok(BertModel::build(
            self,
            &mut Loader::random(device, self.initializer_range, 0),
            "bert.",
            true,
        ))
    }
}

pub(crate) fn check_dims(hidden: usize, heads: usize, vocab: usize) -> Result<()> {
    if hidden == 0 || heads == 0 || vocab == 0 {
        return Err(Error::Config(
            "hidden_size, num_attention_heads and vocab_size must be > 0".into(),
        ));
    }
    if !hidden.is_multiple_of(heads) {
        return Err(Error::Config(format!(
            "hidden_size {hidden} is not divisible by num_attention_heads {heads}"
        )));
    }
    Ok(())
}

/// HF `BertModel`: embeddings, post-LN layers and (optional) pooler.
#[derive(Module, Debug)]
pub struct BertModel {
    /// `embeddings.word_embeddings`.
    pub word_embeddings: Embedding,
    /// `embeddings.position_embeddings`.
    pub position_embeddings: Embedding,
    /// `embeddings.token_type_embeddings`.
    pub token_type_embeddings: Embedding,
    /// `embeddings.LayerNorm`.
    pub embeddings_norm: LayerNorm,
    /// `encoder.layer.N`.
    pub layers: Vec<BertLayer>,
    /// `pooler.dense` (absent in HF `BertForMaskedLM`).
    pub pooler: Option<Linear>,
    /// Dropout on the embeddings output (training only).
    pub dropout: Dropout,
}

impl BertModel {
    /// Builds from `loader`; `p` is the key prefix of the encoder (`bert.`, `esm.` or empty).
    pub fn build(c: &BertConfig, l: &mut Loader<'_>, p: &str, pooler: bool) -> Self {
        let h = c.hidden_size;
        Self {
            word_embeddings: l.embedding(
                &format!("{p}embeddings.word_embeddings"),
                c.vocab_size,
                h,
            ),
            position_embeddings: l.embedding(
                &format!("{p}embeddings.position_embeddings"),
                c.max_position_embeddings,
                h,
            ),
            token_type_embeddings: l.embedding(
                &format!("{p}embeddings.token_type_embeddings"),
                c.type_vocab_size,
                h,
            ),
            embeddings_norm: l.layer_norm(&format!("{p}embeddings.LayerNorm"), h, c.layer_norm_eps),
            layers: (0..c.num_hidden_layers)
                .map(|i| BertLayer::build(c, l, &format!("{p}encoder.layer.{i}")))
                .collect(),
            pooler: pooler.then(|| l.linear(&format!("{p}pooler.dense"), h, h, true)),
            dropout: DropoutConfig::new(c.hidden_dropout_prob).init(),
        }
    }

    /// Writes the encoder's tensors under HF keys.
    pub fn export(&self, ex: &mut Exporter, p: &str) {
        ex.embedding(
            &format!("{p}embeddings.word_embeddings"),
            &self.word_embeddings,
        );
        ex.embedding(
            &format!("{p}embeddings.position_embeddings"),
            &self.position_embeddings,
        );
        ex.embedding(
            &format!("{p}embeddings.token_type_embeddings"),
            &self.token_type_embeddings,
        );
        ex.layer_norm(&format!("{p}embeddings.LayerNorm"), &self.embeddings_norm);
        for (i, layer) in self.layers.iter().enumerate() {
            layer.export(ex, &format!("{p}encoder.layer.{i}"));
        }
        if let Some(d) = &self.pooler {
            ex.linear(&format!("{p}pooler.dense"), d);
        }
    }

    /// Encodes a batch. Positions are `0..L-1`; padded keys get `finfo(f32).min` added to
    /// their scores, as HF does.
    ///
    /// # Shapes
    /// * `ids`, `mask` (1 = token), `token_types`: `[B, L]`, `L <= max_position_embeddings`
    /// * returns [`EncoderOutput`] with `[B, L, H]` states, pooled `[B, H]`
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        token_types: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> EncoderOutput {
        self.forward_at(ids, mask, token_types, None, collect)
    }

    /// [`Self::forward`] with explicit `positions` (`None` = `0..L-1`), e.g. gene ids.
    ///
    /// # Shapes
    /// * `ids`, `mask`, `token_types`, `positions` (each `< max_position_embeddings`): `[B, L]`
    pub fn forward_at(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        token_types: Option<Tensor<2, Int>>,
        positions: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> EncoderOutput {
        let words = self.word_embeddings.forward(ids);
        self.forward_embedded_at(words, mask, token_types, positions, collect)
    }

    /// [`Self::forward`] from the word-embedding lookup `words` (HF's `inputs_embeds`): the
    /// position and token-type embeddings and the LayerNorm are added here.
    ///
    /// # Shapes
    /// * `words`: `[B, L, H]`; `mask`, `token_types`: `[B, L]`
    pub fn forward_embedded(
        &self,
        words: Tensor<3>,
        mask: Tensor<2, Int>,
        token_types: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> EncoderOutput {
        self.forward_embedded_at(words, mask, token_types, None, collect)
    }

    /// [`Self::forward_embedded`] with explicit `positions` (`None` = `0..L-1`).
    ///
    /// # Shapes
    /// * `words`: `[B, L, H]`; `mask`, `token_types`, `positions`: `[B, L]`
    pub fn forward_embedded_at(
        &self,
        words: Tensor<3>,
        mask: Tensor<2, Int>,
        token_types: Option<Tensor<2, Int>>,
        positions: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> EncoderOutput {
        let [b, l] = mask.dims();
        let dev = mask.device();
        let pos = positions.unwrap_or_else(|| {
            Tensor::<1, Int>::arange(0..l as i64, &dev)
                .reshape([1, l])
                .repeat_dim(0, b)
        });
        let tt = token_types.unwrap_or_else(|| Tensor::zeros([b, l], &dev));
        let e =
            words + self.token_type_embeddings.forward(tt) + self.position_embeddings.forward(pos);
        let mut x = self.dropout.forward(self.embeddings_norm.forward(e));
        let bias = padding_bias(mask, FINFO_MIN);
        let mut out = EncoderOutput {
            last_hidden_state: x.clone(),
            pooled_output: None,
            hidden_states: Vec::new(),
            attentions: Vec::new(),
        };
        if collect.hidden_states {
            out.hidden_states.push(x.clone());
        }
        for layer in &self.layers {
            let (y, p) = layer.forward(x, bias.clone());
            x = y;
            if collect.attentions {
                out.attentions.push(p);
            }
            if collect.hidden_states {
                out.hidden_states.push(x.clone());
            }
        }
        out.pooled_output = self.pooler.as_ref().map(|d| pool(d, &x));
        out.last_hidden_state = x;
        out
    }
}

mod heads;
mod layer;
pub use heads::*;
pub use layer::BertLayer;
