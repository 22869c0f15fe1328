//! HF GPT-2 (`GPT2LMHeadModel`), the causal expression transformer of GeneRAIN: token ids
//! (gene ids) plus learned absolute positions, pre-LayerNorm blocks, a final `ln_f` and an LM
//! head tied to the token embeddings.
//!
//! The module tree follows the HF keys: `transformer.wte`, `transformer.wpe`,
//! `transformer.h.N.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj}`,
//! `transformer.ln_f`. Layout traps handled here:
//! * HF `Conv1D` stores `[in, out]` and computes `x W + b`, i.e. burn's own [`burn::nn::Linear`] layout:
//!   loaded and exported **without** the transpose `nn.Linear` needs.
//! * `c_attn` outputs `Q | K | V` side by side (`3 · n_embd` columns).
//! * `lm_head.weight` is tied to `transformer.wte.weight` and not in the file (written only
//!   when `tie_word_embeddings` is false).
//! * The last hidden-states entry is **after** `ln_f`.
//! * [`loss`]: HF's label shift (`logits[:, t]` predicts `labels[:, t+1]`), `-100` ignored,
//!   token-weighted mean over the batch.

use super::blocks::{Activation, Collect, EncoderOutput};
use super::weights::{Exporter, Loader};
use crate::{Error, Result};
use burn::module::{Module, Param};
use burn::nn::{Dropout, DropoutConfig, Embedding, LayerNorm};
use burn::tensor::{Device, Int, Tensor};
use serde::{Deserialize, Serialize};

mod block;
pub mod loss;
pub use block::{Gpt2Attention, Gpt2Block, Gpt2Mlp};

fn d_vocab() -> usize {
    50257
}
fn d_positions() -> usize {
    1024
}
fn d_embd() -> usize {
    768
}
fn d_layers() -> usize {
    12
}
fn d_heads() -> usize {
    12
}
fn d_act() -> String {
    "gelu_new".into()
}
fn d_eps() -> f64 {
    1e-5
}
fn d_true() -> bool {
    true
}
fn d_dropout() -> f64 {
    0.1
}
fn d_init() -> f32 {
    0.02
}

/// HF `GPT2Config` (`config.json` field names; unknown fields ignored, HF defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gpt2Config {
    /// Rows of `wte` (and of the LM head's output).
    #[serde(default = "d_vocab")]
    pub vocab_size: usize,
    /// Rows of `wpe`: the position table (the longest input).
    #[serde(default = "d_positions")]
    pub n_positions: usize,
    /// Model width `H`.
    #[serde(default = "d_embd")]
    pub n_embd: usize,
    /// Number of blocks.
    #[serde(default = "d_layers")]
    pub n_layer: usize,
    /// Attention heads (must divide `n_embd`).
    #[serde(default = "d_heads")]
    pub n_head: usize,
    /// Feed-forward width; `null` = `4 · n_embd`.
    #[serde(default)]
    pub n_inner: Option<usize>,
    /// `gelu_new` (tanh GELU, the HF default), `gelu` (exact), `relu`, `silu`.
    #[serde(default = "d_act")]
    pub activation_function: String,
    /// LayerNorm epsilon.
    #[serde(default = "d_eps")]
    pub layer_norm_epsilon: f64,
    /// Divide the scores by `sqrt(head_dim)`.
    #[serde(default = "d_true")]
    pub scale_attn_weights: bool,
    /// Also divide the scores of block `i` by `i + 1`.
    #[serde(default)]
    pub scale_attn_by_inverse_layer_idx: bool,
    /// Upcast the attention to f32 (numerics only; everything here is f32 already).
    #[serde(default)]
    pub reorder_and_upcast_attn: bool,
    /// Dropout on the embeddings (training only).
    #[serde(default = "d_dropout")]
    pub embd_pdrop: f64,
    /// Dropout on each residual branch (training only).
    #[serde(default = "d_dropout")]
    pub resid_pdrop: f64,
    /// Dropout on the attention probabilities (read, not applied: see [`Gpt2Attention`]).
    #[serde(default = "d_dropout")]
    pub attn_pdrop: f64,
    /// Std of the random initialisation.
    #[serde(default = "d_init")]
    pub initializer_range: f32,
    /// Whether `lm_head` shares `wte` (HF default true; false reads `lm_head.weight`).
    #[serde(default = "d_true")]
    pub tie_word_embeddings: bool,
    /// Padding id (GPT-2 itself has none: `null`).
    #[serde(default)]
    pub pad_token_id: Option<u32>,
    /// Beginning-of-sequence id.
    #[serde(default)]
    pub bos_token_id: Option<u32>,
    /// End-of-sequence id.
    #[serde(default)]
    pub eos_token_id: Option<u32>,
    /// HF class names, e.g. `["GPT2LMHeadModel"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architectures: Option<Vec<String>>,
    /// `gpt2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_type: Option<String>,
}

impl Gpt2Config {
    /// A tiny configuration for tests (`vocab` tokens, 8 positions, width 8, 1 block, 2 heads).
    pub fn tiny(vocab: usize) -> Self {
        serde_json::from_value(serde_json::json!({
            "vocab_size": vocab, "n_positions": 8, "n_embd": 8, "n_layer": 1, "n_head": 2
        }))
        .expect("static config")
    }

    /// Feed-forward width (`n_inner`, else `4 · n_embd`).
    pub fn inner(&self) -> usize {
        self.n_inner.unwrap_or(4 * self.n_embd)
    }

    /// The id rows are padded with: `pad_token_id`, else `eos_token_id`, else 0 (padded
    /// positions are masked, so the value only has to be in the vocabulary).
    pub fn pad_id(&self) -> u32 {
        self.pad_token_id.or(self.eos_token_id).unwrap_or(0)
    }

    /// Checks the sizes and the activation.
    ///
    /// ```
    /// let mut c = models::lm::gpt2::Gpt2Config::tiny(10);
    /// assert!(c.validate().is_ok());
    /// c.activation_function = "mish".into();
    /// assert!(c.validate().is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] for zero sizes, heads not dividing the width, an unknown activation.
    pub fn validate(&self) -> Result<()> {
        let sizes = [self.vocab_size, self.n_positions, self.n_embd, self.n_head];
        if sizes.contains(&0) || self.n_inner == Some(0) {
            return Err(Error::Config(
                "GPT-2 vocab_size, n_positions, n_embd, n_head and n_inner must be > 0".into(),
            ));
        }
        if !self.n_embd.is_multiple_of(self.n_head) {
            return Err(Error::Config(format!(
                "GPT-2 n_embd {} is not divisible by n_head {}",
                self.n_embd, self.n_head
            )));
        }
        self.activation()?;
        Ok(())
    }

    fn activation(&self) -> Result<Activation> {
        Activation::from_hf(&self.activation_function).map_err(|_| {
            Error::Config(format!(
                "unsupported GPT-2 activation_function `{}` (gelu_new, gelu_pytorch_tanh, gelu, relu, silu)",
                self.activation_function
            ))
        })
    }

    /// Randomly initialised model (`N(0, initializer_range²)` weights, zero biases, unit
    /// LayerNorms) on `device`.
    ///
    /// ```
    /// use models::lm::gpt2::Gpt2Config;
    /// let dev = models::select_device(None).unwrap();
    /// let m = Gpt2Config::tiny(10).init(&dev).unwrap();
    /// assert_eq!(m.transformer.h.len(), 1);
    /// ```
    ///
    /// # Errors
    /// See [`Gpt2Config::validate`].
    pub fn init(&self, device: &Device) -> Result<Gpt2LmHead> {
        self.validate()?;
        let mut l = Loader::random(device, self.initializer_range, 0);
        Ok(Gpt2LmHead::build(self, &mut l, "transformer."))
    }
}

/// HF `GPT2Model`: token and position tables, pre-LN blocks and the final LayerNorm.
#[derive(Module, Debug)]
pub struct Gpt2Model {
    /// `wte`: `[V, H]`.
    pub wte: Embedding,
    /// `wpe`: `[n_positions, H]`.
    pub wpe: Embedding,
    /// `h.N`.
    pub h: Vec<Gpt2Block>,
    /// `ln_f`.
    pub ln_f: LayerNorm,
    /// `embd_pdrop` (training only).
    pub drop: Dropout,
}

impl Gpt2Model {
    /// Builds from `loader`; `p` is the key prefix (`transformer.` or empty).
    pub fn build(c: &Gpt2Config, l: &mut Loader<'_>, p: &str) -> Self {
        let act = c.activation().unwrap_or(Activation::GeluTanh);
        Self {
            wte: l.embedding(&format!("{p}wte"), c.vocab_size, c.n_embd),
            wpe: l.embedding(&format!("{p}wpe"), c.n_positions, c.n_embd),
            h: (0..c.n_layer)
                .map(|i| Gpt2Block::build(c, i, act, l, &format!("{p}h.{i}")))
                .collect(),
            ln_f: l.layer_norm(&format!("{p}ln_f"), c.n_embd, c.layer_norm_epsilon),
            drop: DropoutConfig::new(c.embd_pdrop).init(),
        }
    }

    /// Writes the tensors under HF keys with prefix `p`.
    pub fn export(&self, ex: &mut Exporter, p: &str) {
        ex.embedding(&format!("{p}wte"), &self.wte);
        ex.embedding(&format!("{p}wpe"), &self.wpe);
        for (i, b) in self.h.iter().enumerate() {
            b.export(ex, &format!("{p}h.{i}"));
        }
        ex.layer_norm(&format!("{p}ln_f"), &self.ln_f);
    }

    /// Runs the blocks: `x = wte[ids] + wpe[pos]`, causal + key-padding attention, `ln_f`.
    /// `positions` defaults to `0..L-1` on every row; padded queries still get outputs.
    ///
    /// # Shapes
    /// * `ids`, `mask` (1 = token), `positions` (each `< n_positions`): `[B, L]`
    /// * returns [`EncoderOutput`]: `last_hidden_state` `[B, L, H]` (after `ln_f`);
    ///   `hidden_states` = embeddings, blocks `1..n-1`, then `ln_f` of block `n`
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        positions: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> EncoderOutput {
        let [b, l] = ids.dims();
        let dev = ids.device();
        let pos = positions.unwrap_or_else(|| {
            Tensor::<1, Int>::arange(0..l as i64, &dev)
                .reshape([1, l])
                .repeat_dim(0, b)
        });
        let mut x = self
            .drop
            .forward(self.wte.forward(ids) + self.wpe.forward(pos));
        let bias = block::causal_padding_bias(mask);
        let mut out = EncoderOutput {
            last_hidden_state: x.clone(),
            pooled_output: None,
            hidden_states: Vec::new(),
            attentions: Vec::new(),
        };
        for blk in &self.h {
            if collect.hidden_states {
                out.hidden_states.push(x.clone());
            }
            let (y, p) = blk.forward(x, bias.clone());
            x = y;
            if collect.attentions {
                out.attentions.push(p);
            }
        }
        let x = self.ln_f.forward(x);
        if collect.hidden_states {
            out.hidden_states.push(x.clone());
        }
        out.last_hidden_state = x;
        out
    }
}

/// HF `GPT2LMHeadModel`: [`Gpt2Model`] under `transformer.` and an LM head tied to `wte`.
#[derive(Module, Debug)]
pub struct Gpt2LmHead {
    /// `transformer`.
    pub transformer: Gpt2Model,
    /// `lm_head.weight` `[V, H]` when untied (`tie_word_embeddings: false`); `None` = `wte`.
    pub lm_head: Option<Param<Tensor<2>>>,
}

impl Gpt2LmHead {
    /// Builds from `loader`; `p` is the prefix of the transformer keys (`transformer.`, or
    /// empty for checkpoints such as OpenAI's `gpt2` that store `wte.weight`, `h.0...`).
    pub fn build(c: &Gpt2Config, l: &mut Loader<'_>, p: &str) -> Self {
        let lm_head = (!c.tie_word_embeddings).then(|| {
            let w = l.tensor("lm_head.weight", [c.vocab_size, c.n_embd]);
            l.param("lm_head.weight", w)
        });
        Self {
            transformer: Gpt2Model::build(c, l, p),
            lm_head,
        }
    }

    /// Writes HF keys as `save_pretrained` does (`transformer.*`; `lm_head.weight` only when
    /// untied).
    pub fn export(&self, ex: &mut Exporter) {
        self.transformer.export(ex, "transformer.");
        if let Some(w) = &self.lm_head {
            ex.tensor("lm_head.weight", w.val());
        }
    }

    /// Hidden states and next-token logits (`logits[:, t]` scores the token at `t + 1`).
    ///
    /// ```
    /// use burn::tensor::{Int, Tensor, TensorData};
    /// use models::lm::{Collect, gpt2::Gpt2Config};
    /// let dev = models::select_device(None).unwrap();
    /// let m = Gpt2Config::tiny(10).init(&dev).unwrap();
    /// let ids = Tensor::<2, Int>::from_data(TensorData::new(vec![1i64, 2, 3], [1, 3]), &dev);
    /// let mask = Tensor::<2, Int>::ones([1, 3], &dev);
    /// let (out, logits) = m.forward(ids, mask, None, Collect::ALL);
    /// assert_eq!(logits.dims(), [1, 3, 10]);
    /// assert_eq!(out.hidden_states.len(), 2);
    /// ```
    ///
    /// # Shapes
    /// * `ids`, `mask`, `positions`: `[B, L]` → (`EncoderOutput`, logits `[B, L, V]`)
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        positions: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<3>) {
        let out = self.transformer.forward(ids, mask, positions, collect);
        let logits = self.logits(out.last_hidden_state.clone());
        (out, logits)
    }

    /// The LM head alone: `h · Wᵀ` with `W` = `lm_head.weight` or `wte`.
    ///
    /// # Shapes
    /// * `h`: `[B, L, H]` → `[B, L, V]`
    pub fn logits(&self, h: Tensor<3>) -> Tensor<3> {
        let [b, l, hd] = h.dims();
        let w = match &self.lm_head {
            Some(w) => w.val(),
            None => self.transformer.wte.weight.val(),
        };
        let v = w.dims()[0];
        h.reshape([b * l, hd])
            .matmul(w.transpose())
            .reshape([b, l, v])
    }
}
