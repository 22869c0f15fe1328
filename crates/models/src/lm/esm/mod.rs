//! HF ESM as used by the Nucleotide Transformer: v1 (learned absolute positions with ids
//! derived from `input_ids` and `padding_idx`, token-dropout rescaling, GELU MLP) and v2
//! (rotary positions and a bias-free SwiGLU feed-forward, InstaDeep's `add_bias_fnn: false`).
//! Pre-LayerNorm layers and a final `emb_layer_norm_after`. Key names follow `EsmModel`.

use super::bert::check_dims;
use super::blocks::{
    Activation, Collect, EncoderOutput, FINFO_MIN, GatedMlp, SelfAttention, SelfAttentionConfig,
    padding_bias,
};
use super::weights::{Exporter, Loader};
use crate::{Error, Result};
use burn::module::{Module, Param};
use burn::nn::{Embedding, LayerNorm, Linear};
use burn::tensor::activation::{gelu, tanh};
use burn::tensor::{Device, Int, Tensor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn d_1026() -> usize {
    1026
}
fn d_eps() -> f64 {
    1e-12
}
fn d_pos() -> String {
    "absolute".into()
}
fn d_true() -> bool {
    true
}
fn d_init() -> f32 {
    0.02
}
fn d_one() -> u32 {
    1
}
fn d_two() -> u32 {
    2
}

/// HF `EsmConfig` (plus InstaDeep's NT v2 `add_bias_fnn`); `config.json` field names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EsmConfig {
    /// Rows of the word-embedding matrix.
    pub vocab_size: usize,
    /// Model width `H`.
    pub hidden_size: usize,
    /// Number of layers.
    pub num_hidden_layers: usize,
    /// Attention heads.
    pub num_attention_heads: usize,
    /// Feed-forward width (SwiGLU: the width of each half).
    pub intermediate_size: usize,
    /// Rows of the absolute position table.
    #[serde(default = "d_1026")]
    pub max_position_embeddings: usize,
    /// `absolute` (NT v1) or `rotary` (ESM-2, NT v2).
    #[serde(default = "d_pos")]
    pub position_embedding_type: String,
    /// LayerNorm epsilon.
    #[serde(default = "d_eps")]
    pub layer_norm_eps: f64,
    /// `<pad>` id (also the position `padding_idx`).
    #[serde(default = "d_one")]
    pub pad_token_id: u32,
    /// `<mask>` id.
    #[serde(default = "d_two")]
    pub mask_token_id: u32,
    /// Zero `<mask>` embeddings and rescale by `0.88 / (1 - mask ratio)`.
    #[serde(default)]
    pub token_dropout: bool,
    /// LayerNorm on the embeddings (`esm.embeddings.layer_norm`).
    #[serde(default)]
    pub emb_layer_norm_before: Option<bool>,
    /// MLM decoder tied to the word embeddings.
    #[serde(default = "d_true")]
    pub tie_word_embeddings: bool,
    /// NT v2: present = SwiGLU feed-forward; the value is whether its linears have biases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_bias_fnn: Option<bool>,
    /// Std of the random initialisation.
    #[serde(default = "d_init")]
    pub initializer_range: f32,
    /// Classification outputs (HF derives it from `id2label`; default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_labels: Option<usize>,
    /// Label names by index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id2label: Option<BTreeMap<String, String>>,
    /// `regression` or a classification kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_type: Option<String>,
    /// HF class names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architectures: Option<Vec<String>>,
    /// `esm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_type: Option<String>,
}

impl EsmConfig {
    /// Classification outputs: `id2label` length, else `num_labels`, else 2.
    pub fn labels(&self) -> usize {
        self.id2label
            .as_ref()
            .map(BTreeMap::len)
            .or(self.num_labels)
            .unwrap_or(2)
    }

    /// Whether positions are rotary.
    pub fn rotary(&self) -> bool {
        self.position_embedding_type == "rotary"
    }

    /// Longest input the position table admits (`max_position_embeddings - 2` for absolute
    /// positions, which start at `pad_token_id + 1`); `None` for rotary.
    pub fn max_len(&self) -> Option<usize> {
        (!self.rotary()).then(|| {
            self.max_position_embeddings
                .saturating_sub(self.pad_token_id as usize + 1)
        })
    }

    /// Checks the sizes and position type.
    ///
    /// # Errors
    /// [`Error::Config`].
    pub fn validate(&self) -> Result<()> {
        check_dims(self.hidden_size, self.num_attention_heads, self.vocab_size)?;
        if !matches!(self.position_embedding_type.as_str(), "absolute" | "rotary") {
            return Err(Error::Config(format!(
                "ESM position_embedding_type `{}` is not implemented",
                self.position_embedding_type
            )));
        }
        if self.rotary() && !(self.hidden_size / self.num_attention_heads).is_multiple_of(2) {
            return Err(Error::Config(
                "rotary positions need an even head dimension".into(),
            ));
        }
        Ok(())
    }

    /// Randomly initialised encoder on `device`.
    ///
    /// # Errors
    /// See [`EsmConfig::validate`].
    pub fn init(&self, device: &Device) -> Result<EsmModel> {
        self.validate()?;
        Ok(EsmModel::build(
            self,
            &mut Loader::random(device, self.initializer_range, 0),
            "esm.",
        ))
    }
}

/// HF `EsmModel` (without the unused contact head).
#[derive(Module, Debug)]
pub struct EsmModel {
    /// `embeddings.word_embeddings`.
    pub word_embeddings: Embedding,
    /// `embeddings.position_embeddings` (absolute only).
    pub position_embeddings: Option<Embedding>,
    /// `embeddings.layer_norm` (`emb_layer_norm_before`).
    pub embeddings_norm: Option<LayerNorm>,
    /// `encoder.layer.N`.
    pub layers: Vec<EsmLayer>,
    /// `encoder.emb_layer_norm_after`.
    pub final_norm: LayerNorm,
    /// `pad_token_id`.
    pub pad_id: u32,
    /// `mask_token_id`.
    pub mask_id: u32,
    /// `token_dropout`.
    pub token_dropout: bool,
    /// Token dropout and embeddings padding-aware (what `EsmEmbeddings` does when it *is*
    /// given the attention mask). Off by default: transformers 4.57.6's `EsmModel` does not
    /// pass the mask, so the ratio's denominator is the padded length `L`.
    pub mask_aware_embeddings: bool,
}

impl EsmModel {
    /// Builds from `loader`; `p` is the key prefix of the encoder (`bert.`, `esm.` or empty).
    pub fn build(c: &EsmConfig, l: &mut Loader<'_>, p: &str) -> Self {
        let h = c.hidden_size;
        Self {
            word_embeddings: l.embedding(
                &format!("{p}embeddings.word_embeddings"),
                c.vocab_size,
                h,
            ),
            position_embeddings: (!c.rotary()).then(|| {
                l.embedding(
                    &format!("{p}embeddings.position_embeddings"),
                    c.max_position_embeddings,
                    h,
                )
            }),
            embeddings_norm: c
                .emb_layer_norm_before
                .unwrap_or(false)
                .then(|| l.layer_norm(&format!("{p}embeddings.layer_norm"), h, c.layer_norm_eps)),
            layers: (0..c.num_hidden_layers)
                .map(|i| EsmLayer::build(c, l, &format!("{p}encoder.layer.{i}")))
                .collect(),
            final_norm: l.layer_norm(
                &format!("{p}encoder.emb_layer_norm_after"),
                h,
                c.layer_norm_eps,
            ),
            pad_id: c.pad_token_id,
            mask_id: c.mask_token_id,
            token_dropout: c.token_dropout,
            mask_aware_embeddings: false,
        }
    }

    /// Writes the encoder's tensors under HF keys.
    pub fn export(&self, ex: &mut Exporter, p: &str) {
        ex.embedding(
            &format!("{p}embeddings.word_embeddings"),
            &self.word_embeddings,
        );
        if let Some(e) = &self.position_embeddings {
            ex.embedding(&format!("{p}embeddings.position_embeddings"), e);
        }
        if let Some(n) = &self.embeddings_norm {
            ex.layer_norm(&format!("{p}embeddings.layer_norm"), n);
        }
        for (i, layer) in self.layers.iter().enumerate() {
            layer.export(ex, &format!("{p}encoder.layer.{i}"));
        }
        ex.layer_norm(
            &format!("{p}encoder.emb_layer_norm_after"),
            &self.final_norm,
        );
    }

    /// HF `create_position_ids_from_input_ids`: `cumsum(ids != pad) * (ids != pad) + pad`.
    ///
    /// # Shapes
    /// * `ids`: `[B, L]` → `[B, L]`
    pub fn position_ids(&self, ids: Tensor<2, Int>) -> Tensor<2, Int> {
        let m = ids.not_equal_elem(self.pad_id as i64).int();
        (m.clone().cumsum(1) * m).add_scalar(self.pad_id as i64)
    }

    /// The embeddings output (input of layer 0).
    ///
    /// # Shapes
    /// * `ids`, `mask`: `[B, L]` → `[B, L, H]`
    pub fn embed(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>) -> Tensor<3> {
        let words = self.word_embeddings.forward(ids.clone());
        self.embed_words(words, ids, mask)
    }

    /// [`Self::embed`] from the word-embedding lookup `words` (token-dropout scaling,
    /// positions and LayerNorm are applied here).
    ///
    /// # Shapes
    /// * `words`: `[B, L, H]`; `ids`, `mask`: `[B, L]` → `[B, L, H]`
    pub fn embed_words(
        &self,
        words: Tensor<3>,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
    ) -> Tensor<3> {
        let [b, l] = ids.dims();
        let mut e = words;
        let maskf = mask.float();
        if self.token_dropout {
            let is_mask = ids.clone().equal_elem(self.mask_id as i64);
            let h = e.dims()[2];
            e = e.mask_fill(is_mask.clone().reshape([b, l, 1]).expand([b, l, h]), 0.0);
            let n_mask = is_mask.float().sum_dim(1); // [B, 1]
            let len = if self.mask_aware_embeddings {
                maskf.clone().sum_dim(1)
            } else {
                Tensor::ones([b, 1], &e.device()).mul_scalar(l as f32)
            };
            let scale = (n_mask / len).neg().add_scalar(1.0).reshape([b, 1, 1]);
            e = e.mul_scalar(1.0 - 0.15 * 0.8) / scale;
        }
        if let Some(pe) = &self.position_embeddings {
            e = e + pe.forward(self.position_ids(ids));
        }
        if let Some(n) = &self.embeddings_norm {
            e = n.forward(e);
        }
        if self.mask_aware_embeddings {
            e = e * maskf.reshape([b, l, 1]);
        }
        e
    }

    /// Encodes a batch. `hidden_states` has `layers + 1` entries, the last one after
    /// `emb_layer_norm_after` (as HF returns it).
    ///
    /// # Shapes
    /// * `ids`, `mask` (1 = token): `[B, L]` → [`EncoderOutput`] with `[B, L, H]` states
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> EncoderOutput {
        let words = self.word_embeddings.forward(ids.clone());
        self.forward_embedded(words, ids, mask, collect)
    }

    /// [`Self::forward`] from the word-embedding lookup `words`.
    ///
    /// # Shapes
    /// * `words`: `[B, L, H]`; `ids`, `mask`: `[B, L]`
    pub fn forward_embedded(
        &self,
        words: Tensor<3>,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> EncoderOutput {
        let mut x = self.embed_words(words, ids, mask.clone());
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
        let h = self.final_norm.forward(x);
        if let Some(last) = out.hidden_states.last_mut() {
            *last = h.clone();
        }
        out.last_hidden_state = h;
        out
    }
}

mod heads;
mod layer;
pub use heads::*;
pub use layer::EsmLayer;
