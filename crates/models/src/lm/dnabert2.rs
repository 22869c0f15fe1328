//! DNABERT-2 = MosaicBERT (upstream remote code `bert_layers.py`): no position embeddings,
//! ALiBi, fused `Wqkv`, GELU-gated feed-forward, post-LayerNorm, `-10000` key mask and
//! padded outputs zeroed (upstream runs on unpadded tokens and re-pads with zeros).
//!
//! This implementation runs on the padded batch and reproduces the unpadded computation:
//! `Wqkv` outputs are zeroed at padded positions (upstream `pad_input` re-pads them with
//! zeros before attention, so padded query rows see `softmax(bias)`), and each layer's output
//! is multiplied by the mask.

use super::bert::{MlmHead, build_mlm_head, check_dims, pool};
use super::blocks::{
    Activation, Collect, EncoderOutput, GatedMlp, MOSAIC_MASK, alibi_bias, attend, padding_bias,
    split_heads,
};
use super::lora::LoraLinear;
use super::weights::{Exporter, Loader};
use crate::Result;
use burn::module::Module;
use burn::nn::{Embedding, LayerNorm, Linear};
use burn::tensor::{Device, Int, Tensor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn d_act() -> String {
    "gelu".into()
}
fn d_eps() -> f64 {
    1e-12
}
fn d_types() -> usize {
    2
}
fn d_alibi() -> usize {
    512
}
fn d_init() -> f32 {
    0.02
}
fn d_pad() -> u32 {
    3
}

/// DNABERT-2's `configuration_bert.BertConfig` (`config.json` field names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DnaBert2Config {
    /// Rows of the word-embedding matrix.
    pub vocab_size: usize,
    /// Model width `H`.
    pub hidden_size: usize,
    /// Number of layers.
    pub num_hidden_layers: usize,
    /// Attention heads.
    pub num_attention_heads: usize,
    /// Width of each GLU half (`gated_layers` is `H → 2I`).
    pub intermediate_size: usize,
    /// Activation of the gate (exact GELU upstream).
    #[serde(default = "d_act")]
    pub hidden_act: String,
    /// LayerNorm epsilon (the MLM-head LayerNorm is fixed at 1e-12 upstream).
    #[serde(default = "d_eps")]
    pub layer_norm_eps: f64,
    /// Rows of the token-type table.
    #[serde(default = "d_types")]
    pub type_vocab_size: usize,
    /// Initial ALiBi table size (upstream grows it on demand; values do not depend on it).
    #[serde(default = "d_alibi")]
    pub alibi_starting_size: usize,
    /// Padding id used when this crate pads a batch (`[PAD]` = 3 in the DNABERT-2 tokenizer;
    /// absent from upstream configs).
    #[serde(default = "d_pad")]
    pub pad_token_id: u32,
    /// Std of the random initialisation.
    #[serde(default = "d_init")]
    pub initializer_range: f32,
    /// Classification outputs (default 2).
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
    /// The remote-code map (`AutoModel: bert_layers.BertModel`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_map: Option<BTreeMap<String, String>>,
}

impl DnaBert2Config {
    /// Classification outputs: `id2label` length, else `num_labels`, else 2.
    pub fn labels(&self) -> usize {
        self.id2label
            .as_ref()
            .map(BTreeMap::len)
            .or(self.num_labels)
            .unwrap_or(2)
    }

    /// Checks the sizes.
    ///
    /// # Errors
    /// [`crate::Error::Config`].
    pub fn validate(&self) -> Result<()> {
        check_dims(self.hidden_size, self.num_attention_heads, self.vocab_size)?;
        Activation::from_hf(&self.hidden_act).map(|_| ())
    }

    /// Randomly initialised encoder on `device`.
    ///
    /// # Errors
    /// See [`DnaBert2Config::validate`].
    pub fn init(&self, device: &Device) -> Result<DnaBert2Model> {
        self.validate()?;
        Ok(DnaBert2Model::build(
            self,
            &mut Loader::random(device, self.initializer_range, 0),
            true,
        ))
    }
}

/// One MosaicBERT layer (`BertUnpadAttention` + `BertGatedLinearUnitMLP`).
#[derive(Module, Debug)]
pub struct DnaBert2Layer {
    /// `attention.self.Wqkv`: `H → 3H` (rows Q, K, V, each head-major).
    pub wqkv: LoraLinear,
    /// `attention.output.dense`.
    pub attention_output: Linear,
    /// `attention.output.LayerNorm`.
    pub attention_norm: LayerNorm,
    /// `mlp.gated_layers` (no bias) and `mlp.wo`.
    pub mlp: GatedMlp,
    /// `mlp.layernorm`.
    pub mlp_norm: LayerNorm,
    /// Number of heads.
    pub heads: usize,
}

impl DnaBert2Layer {
    fn build(c: &DnaBert2Config, l: &mut Loader<'_>, p: &str) -> Self {
        let (h, i, e) = (c.hidden_size, c.intermediate_size, c.layer_norm_eps);
        Self {
            wqkv: l.proj(&format!("{p}.attention.self.Wqkv"), h, 3 * h, true),
            attention_output: l.linear(&format!("{p}.attention.output.dense"), h, h, true),
            attention_norm: l.layer_norm(&format!("{p}.attention.output.LayerNorm"), h, e),
            mlp: GatedMlp {
                gated_layers: l.linear(&format!("{p}.mlp.gated_layers"), h, 2 * i, false),
                wo: l.linear(&format!("{p}.mlp.wo"), i, h, true),
                act: Activation::from_hf(&c.hidden_act).unwrap_or(Activation::Gelu),
            },
            mlp_norm: l.layer_norm(&format!("{p}.mlp.layernorm"), h, e),
            heads: c.num_attention_heads,
        }
    }

    fn export(&self, ex: &mut Exporter, p: &str) {
        ex.proj(&format!("{p}.attention.self.Wqkv"), &self.wqkv);
        ex.linear(
            &format!("{p}.attention.output.dense"),
            &self.attention_output,
        );
        ex.layer_norm(
            &format!("{p}.attention.output.LayerNorm"),
            &self.attention_norm,
        );
        ex.linear(&format!("{p}.mlp.gated_layers"), &self.mlp.gated_layers);
        ex.linear(&format!("{p}.mlp.wo"), &self.mlp.wo);
        ex.layer_norm(&format!("{p}.mlp.layernorm"), &self.mlp_norm);
    }

    /// One layer on the padded batch; padded rows of the output are zero.
    ///
    /// # Shapes
    /// * `x`: `[B, L, H]`; `keep`: `[B, L, 1]` (1 = token); `bias`: `[B, heads, L, L]`
    /// * returns (`[B, L, H]`, probs `[B, heads, L, L]`)
    pub fn forward(
        &self,
        x: Tensor<3>,
        keep: &Tensor<3>,
        bias: Tensor<4>,
    ) -> (Tensor<3>, Tensor<4>) {
        let h = x.dims()[2];
        let qkv = self.wqkv.forward(x.clone()) * keep.clone();
        let q = split_heads(qkv.clone().narrow(2, 0, h), self.heads);
        let k = split_heads(qkv.clone().narrow(2, h, h), self.heads);
        let v = split_heads(qkv.narrow(2, 2 * h, h), self.heads);
        let d = h / self.heads;
        let (ctx, probs) = attend(q, k, v, Some(1.0 / (d as f32).sqrt()), Some(bias));
        let a = self
            .attention_norm
            .forward(self.attention_output.forward(ctx) + x);
        let y = self.mlp_norm.forward(self.mlp.forward(a.clone()) + a);
        (y * keep.clone(), probs)
    }
}

/// Upstream `BertModel` of DNABERT-2.
#[derive(Module, Debug)]
pub struct DnaBert2Model {
    /// `embeddings.word_embeddings`.
    pub word_embeddings: Embedding,
    /// `embeddings.token_type_embeddings`.
    pub token_type_embeddings: Embedding,
    /// `embeddings.LayerNorm`.
    pub embeddings_norm: LayerNorm,
    /// `encoder.layer.N`.
    pub layers: Vec<DnaBert2Layer>,
    /// `pooler.dense` (absent in the MLM model).
    pub pooler: Option<Linear>,
    /// Number of heads (ALiBi slopes).
    pub heads: usize,
}

impl DnaBert2Model {
    /// Builds from `loader` (keys under `bert.`); `pooler` adds `bert.pooler.dense`.
    pub fn build(c: &DnaBert2Config, l: &mut Loader<'_>, pooler: bool) -> Self {
        let h = c.hidden_size;
        Self {
            word_embeddings: l.embedding("bert.embeddings.word_embeddings", c.vocab_size, h),
            token_type_embeddings: l.embedding(
                "bert.embeddings.token_type_embeddings",
                c.type_vocab_size,
                h,
            ),
            embeddings_norm: l.layer_norm("bert.embeddings.LayerNorm", h, c.layer_norm_eps),
            layers: (0..c.num_hidden_layers)
                .map(|i| DnaBert2Layer::build(c, l, &format!("bert.encoder.layer.{i}")))
                .collect(),
            pooler: pooler.then(|| l.linear("bert.pooler.dense", h, h, true)),
            heads: c.num_attention_heads,
        }
    }

    /// Writes the encoder's tensors under HF keys.
    pub fn export(&self, ex: &mut Exporter) {
        ex.embedding("bert.embeddings.word_embeddings", &self.word_embeddings);
        ex.embedding(
            "bert.embeddings.token_type_embeddings",
            &self.token_type_embeddings,
        );
        ex.layer_norm("bert.embeddings.LayerNorm", &self.embeddings_norm);
        for (i, layer) in self.layers.iter().enumerate() {
            layer.export(ex, &format!("bert.encoder.layer.{i}"));
        }
        if let Some(d) = &self.pooler {
            ex.linear("bert.pooler.dense", d);
        }
    }

    /// Encodes a batch. Outputs at padded positions are exactly 0 (except `hidden_states[0]`,
    /// the embeddings output, as upstream).
    ///
    /// # Shapes
    /// * `ids`, `mask` (1 = token), `token_types`: `[B, L]`
    /// * returns [`EncoderOutput`] with `[B, L, H]` states and pooled `[B, H]`
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        token_types: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> EncoderOutput {
        let words = self.word_embeddings.forward(ids);
        self.forward_embedded(words, mask, token_types, collect)
    }

    /// [`Self::forward`] from the word-embedding lookup `words`.
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
        let [b, l] = mask.dims();
        let dev = mask.device();
        let tt = token_types.unwrap_or_else(|| Tensor::zeros([b, l], &dev));
        let mut x = self
            .embeddings_norm
            .forward(words + self.token_type_embeddings.forward(tt));
        let keep = mask.clone().float().reshape([b, l, 1]);
        let bias = padding_bias(mask, MOSAIC_MASK) + alibi_bias(self.heads, l, &dev);
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
            let (y, p) = layer.forward(x, &keep, bias.clone());
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

/// Upstream `BertForMaskedLM` of DNABERT-2 (decoder tied; bias `cls.predictions.decoder.bias`;
/// transform LayerNorm eps fixed at 1e-12).
#[derive(Module, Debug)]
pub struct DnaBert2ForMaskedLM {
    /// The encoder (no pooler).
    pub bert: DnaBert2Model,
    /// `cls.predictions`.
    pub head: MlmHead,
}

impl DnaBert2ForMaskedLM {
    /// Builds from `loader`.
    pub fn build(c: &DnaBert2Config, l: &mut Loader<'_>) -> Self {
        let act = Activation::from_hf(&c.hidden_act).unwrap_or(Activation::Gelu);
        Self {
            bert: DnaBert2Model::build(c, l, false),
            head: build_mlm_head(
                c.hidden_size,
                c.vocab_size,
                1e-12,
                act,
                l,
                "cls.predictions.decoder.bias",
            ),
        }
    }

    /// Writes HF keys (tied decoder weight omitted, as the upstream files).
    pub fn export(&self, ex: &mut Exporter) {
        self.bert.export(ex);
        ex.linear("cls.predictions.transform.dense", &self.head.dense);
        ex.layer_norm("cls.predictions.transform.LayerNorm", &self.head.norm);
        ex.tensor("cls.predictions.decoder.bias", self.head.bias.val());
    }

    /// Encoder output and MLM logits at every position (the upstream `labels=None` path).
    ///
    /// # Shapes
    /// * inputs `[B, L]` → (`EncoderOutput`, logits `[B, L, V]`)
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<3>) {
        let out = self.bert.forward(ids, mask, None, collect);
        let logits = self.head.forward(
            out.last_hidden_state.clone(),
            self.bert.word_embeddings.weight.val(),
        );
        (out, logits)
    }
}

/// Upstream `BertForSequenceClassification` of DNABERT-2: `classifier(pooled)`.
#[derive(Module, Debug)]
pub struct DnaBert2ForSequenceClassification {
    /// The encoder with pooler.
    pub bert: DnaBert2Model,
    /// `classifier`.
    pub classifier: Linear,
}

impl DnaBert2ForSequenceClassification {
    /// Builds from `loader`.
    pub fn build(c: &DnaBert2Config, l: &mut Loader<'_>) -> Self {
        Self {
            bert: DnaBert2Model::build(c, l, true),
            classifier: l.linear("classifier", c.hidden_size, c.labels(), true),
        }
    }

    /// Writes HF keys.
    pub fn export(&self, ex: &mut Exporter) {
        self.bert.export(ex);
        ex.linear("classifier", &self.classifier);
    }

    /// Encoder output and logits.
    ///
    /// # Shapes
    /// * inputs `[B, L]` → (`EncoderOutput`, logits `[B, num_labels]`)
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<2>) {
        let words = self.bert.word_embeddings.forward(ids.clone());
        self.forward_embedded(words, ids, mask, collect)
    }

    /// [`Self::forward`] from the word-embedding lookup `words` (HF's `inputs_embeds`), the
    /// input of embedding attributions.
    ///
    /// # Shapes
    /// * `words`: `[B, L, H]`; `ids`, `mask`: `[B, L]` → (`EncoderOutput`, `[B, num_labels]`)
    pub fn forward_embedded(
        &self,
        words: Tensor<3>,
        _ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<2>) {
        let out = self.bert.forward_embedded(words, mask, None, collect);
        let logits = self
            .classifier
            .forward(out.pooled_output.clone().expect("pooler"));
        (out, logits)
    }
}
