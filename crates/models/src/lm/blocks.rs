//! Building blocks shared by the encoders: activations, masks, multi-head attention that
//! returns its probabilities, ALiBi, rotary embeddings and the feed-forward variants.
//!
//! Attention is written from `Linear` pieces and an explicit `softmax(q kᵀ / √d + bias)` so that
//! the probabilities are available (see `docs/decisions/0011-attention-blocks.md`).

pub use super::lora::LoraLinear;
use crate::{Error, Result};
use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::{gelu, gelu_approximate, relu, silu, softmax};
use burn::tensor::{Device, Int, Tensor, TensorData};

/// `torch.finfo(torch.float32).min`: HF BERT/ESM add it to the scores of padded keys.
pub const FINFO_MIN: f32 = f32::MIN;
/// The additive padding mask of MosaicBERT / DNABERT-2.
pub const MOSAIC_MASK: f32 = -10_000.0;

/// Activation functions named by HF `hidden_act`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// Exact (erf) GELU: HF `gelu`.
    Gelu,
    /// Tanh-approximated GELU: HF `gelu_new`, `gelu_pytorch_tanh`, `gelu_fast`.
    GeluTanh,
    /// ReLU.
    Relu,
    /// SiLU / swish.
    Silu,
}

impl Activation {
    /// Parses an HF `hidden_act` string.
    ///
    /// # Errors
    /// [`Error::Config`] naming the unknown activation.
    pub fn from_hf(name: &str) -> Result<Self> {
        Ok(match name {
            "gelu" | "gelu_python" => Self::Gelu,
            "gelu_new" | "gelu_pytorch_tanh" | "gelu_fast" => Self::GeluTanh,
            "relu" => Self::Relu,
            "silu" | "swish" => Self::Silu,
            other => return Err(Error::Config(format!("unsupported hidden_act `{other}`"))),
        })
    }

    /// Applies the activation element-wise.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        match self {
            Self::Gelu => gelu(x),
            Self::GeluTanh => gelu_approximate(x),
            Self::Relu => relu(x),
            Self::Silu => silu(x),
        }
    }
}

/// The additive key-padding bias `(1 - mask) * value`, broadcastable over heads and queries.
///
/// # Shapes
/// * `mask`: `[B, L]`, 1 = token, 0 = padding
/// * returns `[B, 1, 1, L]`
pub fn padding_bias(mask: Tensor<2, Int>, value: f32) -> Tensor<4> {
    let [b, l] = mask.dims();
    mask.float()
        .neg()
        .add_scalar(1.0)
        .mul_scalar(value)
        .reshape([b, 1, 1, l])
}

/// ALiBi slopes for `n` heads exactly as MosaicBERT / DNABERT-2 `_get_alibi_head_slopes`:
/// for a power of two `start = 2^(-8/n)` and slopes `start^1..start^n`; otherwise the slopes
/// of the largest power of two `c < n` followed by every other slope of `2c`, `n - c` of them.
/// Computed in f64 and rounded to f32, as upstream.
pub fn alibi_slopes(n: usize) -> Vec<f32> {
    fn pow2(n: usize) -> Vec<f64> {
        let start = 2f64.powf(-(2f64.powf(-((n as f64).log2() - 3.0))));
        (1..=n).map(|i| start.powi(i as i32)).collect()
    }
    if n == 0 {
        return Vec::new();
    }
    let slopes = if n.is_power_of_two() {
        pow2(n)
    } else {
        let c = 1usize << (usize::BITS - 1 - n.leading_zeros());
        let mut s = pow2(c);
        s.extend(pow2(2 * c).into_iter().step_by(2).take(n - c));
        s
    };
    slopes.into_iter().map(|s| s as f32).collect()
}

/// The ALiBi bias `-slope_h * |i - j|`.
///
/// # Shapes
/// * returns `[1, heads, L, L]`
pub fn alibi_bias(heads: usize, len: usize, device: &Device) -> Tensor<4> {
    let slopes = alibi_slopes(heads);
    let mut v = Vec::with_capacity(heads * len * len);
    for s in &slopes {
        for i in 0..len {
            for j in 0..len {
                v.push(s * -((i as f32) - (j as f32)).abs());
            }
        }
    }
    Tensor::from_data(TensorData::new(v, [1, heads, len, len]), device)
}

/// Rotary position embedding as HF ESM (`RotaryEmbedding`): `inv_freq = 1/10000^(2i/d)`,
/// positions `0..L-1`, `emb = cat(freqs, freqs)` and `x·cos + rotate_half(x)·sin` where
/// `rotate_half(x) = cat(-x[d/2..], x[..d/2])` (halves, not interleaved pairs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotary {
    /// Head dimension `d` (even).
    pub head_dim: usize,
}

impl Rotary {
    /// `inv_freq` in f32 (`d/2` values), as the persisted buffer.
    pub fn inv_freq(&self) -> Vec<f32> {
        let d = self.head_dim;
        (0..d)
            .step_by(2)
            .map(|i| 1.0 / 10000f32.powf(i as f32 / d as f32))
            .collect()
    }

    /// `(cos, sin)` tables.
    ///
    /// # Shapes
    /// * returns two `[1, 1, L, d]`
    pub fn tables(&self, len: usize, device: &Device) -> (Tensor<4>, Tensor<4>) {
        let inv = self.inv_freq();
        let d = self.head_dim;
        let (mut c, mut s) = (Vec::with_capacity(len * d), Vec::with_capacity(len * d));
        for t in 0..len {
            for k in 0..d {
                let f = t as f32 * inv[k % (d / 2)];
                c.push(f.cos());
                s.push(f.sin());
            }
        }
        (
            Tensor::from_data(TensorData::new(c, [1, 1, len, d]), device),
            Tensor::from_data(TensorData::new(s, [1, 1, len, d]), device),
        )
    }

    /// Rotates `x`.
    ///
    /// # Shapes
    /// * `x`: `[B, heads, L, d]`; `cos`, `sin`: `[1, 1, L, d]`; returns `[B, heads, L, d]`
    pub fn apply(x: Tensor<4>, cos: &Tensor<4>, sin: &Tensor<4>) -> Tensor<4> {
        let d = x.dims()[3];
        let x1 = x.clone().narrow(3, 0, d / 2);
        let x2 = x.clone().narrow(3, d / 2, d / 2);
        let rot = Tensor::cat(vec![x2.neg(), x1], 3);
        x * cos.clone() + rot * sin.clone()
    }
}

/// Splits `[B, L, heads*d]` into `[B, heads, L, d]`.
pub fn split_heads(x: Tensor<3>, heads: usize) -> Tensor<4> {
    let [b, l, h] = x.dims();
    x.reshape([b, l, heads, h / heads]).swap_dims(1, 2)
}

/// Merges `[B, heads, L, d]` back into `[B, L, heads*d]`.
pub fn merge_heads(x: Tensor<4>) -> Tensor<3> {
    let [b, n, l, d] = x.dims();
    x.swap_dims(1, 2).reshape([b, l, n * d])
}

/// Scaled dot-product attention with explicit probabilities:
/// `p = softmax(q kᵀ · scale + bias)`, `ctx = p v`.
///
/// # Shapes
/// * `q`, `k`, `v`: `[B, heads, L, d]`; `bias`: broadcastable to `[B, heads, L, L]`
/// * returns `(ctx [B, L, heads*d], p [B, heads, L, L])`
pub fn attend(
    q: Tensor<4>,
    k: Tensor<4>,
    v: Tensor<4>,
    scale: Option<f32>,
    bias: Option<Tensor<4>>,
) -> (Tensor<3>, Tensor<4>) {
    let mut s = q.matmul(k.swap_dims(2, 3));
    if let Some(sc) = scale {
        s = s.div_scalar(1.0 / sc);
    }
    if let Some(b) = bias {
        s = s + b;
    }
    let p = softmax(s, 3);
    (merge_heads(p.clone().matmul(v)), p)
}

/// GELU-gated linear unit of DNABERT-2 (`mlp.gated_layers`, no bias): `g = W x`,
/// `u = act(g[..I]) * g[I..]`, `y = wo u` (the first `I` outputs are the activated gate).
#[derive(Module, Debug)]
pub struct GatedMlp {
    /// `gated_layers`: `H → 2I`, no bias.
    pub gated_layers: Linear,
    /// `wo`: `I → H`.
    pub wo: Linear,
    /// Gate activation (exact GELU for DNABERT-2, SiLU for SwiGLU).
    #[module(skip)]
    pub act: Activation,
}

impl GatedMlp {
    /// `wo(act(g[..I]) * g[I..])`.
    ///
    /// # Shapes
    /// * `x`: `[B, L, H]` → `[B, L, H]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let g = self.gated_layers.forward(x);
        let i = g.dims()[2] / 2;
        let gate = g.clone().narrow(2, 0, i);
        let lin = g.narrow(2, i, i);
        self.wo.forward(self.act.forward(gate) * lin)
    }
}

/// Builds `[B, L]` id, mask and token-type tensors from host rows, right-padding with
/// `pad_id`; checks ids against `vocab` and lengths against `max_len`.
///
/// # Errors
/// [`Error::TokenOutOfVocab`], [`Error::InputTooLong`], [`Error::Data`] for an empty batch.
pub fn batch_tensors(
    rows: &[Vec<u32>],
    pad_id: u32,
    vocab: usize,
    max_len: Option<usize>,
    device: &Device,
) -> Result<(Tensor<2, Int>, Tensor<2, Int>)> {
    if rows.is_empty() || rows.iter().any(|r| r.is_empty()) {
        return Err(Error::Data {
            what: "lm input".into(),
            msg: "empty batch or empty row".into(),
        });
    }
    let l = rows.iter().map(Vec::len).max().unwrap_or(0);
    let (mut ids, mut mask) = (
        Vec::with_capacity(rows.len() * l),
        Vec::with_capacity(rows.len() * l),
    );
    for (r, row) in rows.iter().enumerate() {
        if let Some(max) = max_len
            && row.len() > max
        {
            return Err(Error::InputTooLong {
                row: r,
                len: row.len(),
                max,
            });
        }
        for (p, &id) in row.iter().enumerate() {
            if id as usize >= vocab {
                return Err(Error::TokenOutOfVocab {
                    row: r,
                    pos: p,
                    id,
                    vocab,
                });
            }
        }
        ids.extend(row.iter().map(|&i| i as i64));
        ids.extend(std::iter::repeat_n(pad_id as i64, l - row.len()));
        mask.extend(std::iter::repeat_n(1i64, row.len()));
        mask.extend(std::iter::repeat_n(0i64, l - row.len()));
    }
    let shape = [rows.len(), l];
    Ok((
        Tensor::from_data(TensorData::new(ids, shape), device),
        Tensor::from_data(TensorData::new(mask, shape), device),
    ))
}

/// Multi-head self-attention from separate `query`, `key`, `value` projections (HF BERT and
/// ESM `attention.self`), optionally rotary, returning its probabilities.
#[derive(Module, Debug)]
pub struct SelfAttention {
    /// `query`: `H → H` (LoRA-adaptable).
    pub query: LoraLinear,
    /// `key`: `H → H` (LoRA-adaptable).
    pub key: LoraLinear,
    /// `value`: `H → H` (LoRA-adaptable).
    pub value: LoraLinear,
    /// Number of heads.
    pub heads: usize,
    /// Scale `q` by `d^-1/2` before the product (ESM) instead of dividing the scores (BERT).
    pub scale_query: bool,
    /// Rotary embedding on `q` and `k` (ESM-2 / NT v2).
    #[module(skip)]
    pub rotary: Option<Rotary>,
}

/// Configuration of [`SelfAttention`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelfAttentionConfig {
    /// Model width `H`.
    pub hidden: usize,
    /// Number of heads (divides `H`).
    pub heads: usize,
    /// See [`SelfAttention::scale_query`].
    pub scale_query: bool,
    /// Rotary positions.
    pub rotary: bool,
}

impl SelfAttentionConfig {
    /// Randomly initialised attention on `device`.
    pub fn init(&self, device: &Device) -> SelfAttention {
        self.build(
            &mut super::weights::Loader::random(device, 0.02, 0),
            "attention",
        )
    }

    /// Builds the module from `loader` under `prefix` (`prefix.query.weight`, ...).
    pub fn build(&self, loader: &mut super::weights::Loader<'_>, prefix: &str) -> SelfAttention {
        let h = self.hidden;
        SelfAttention {
            query: loader.proj(&format!("{prefix}.query"), h, h, true),
            key: loader.proj(&format!("{prefix}.key"), h, h, true),
            value: loader.proj(&format!("{prefix}.value"), h, h, true),
            heads: self.heads,
            scale_query: self.scale_query,
            rotary: self.rotary.then_some(Rotary {
                head_dim: h / self.heads,
            }),
        }
    }
}

impl SelfAttention {
    /// Context and probabilities.
    ///
    /// # Shapes
    /// * `x`: `[B, L, H]`; `bias`: broadcastable to `[B, heads, L, L]`
    /// * returns `(ctx [B, L, H], probs [B, heads, L, L])`
    pub fn forward(&self, x: Tensor<3>, bias: Option<Tensor<4>>) -> (Tensor<3>, Tensor<4>) {
        let [_, l, h] = x.dims();
        let d = h / self.heads;
        let scale = (d as f32).powf(-0.5);
        let mut q = split_heads(self.query.forward(x.clone()), self.heads);
        let mut k = split_heads(self.key.forward(x.clone()), self.heads);
        let v = split_heads(self.value.forward(x), self.heads);
        if self.scale_query {
            q = q.mul_scalar(scale);
        }
        if let Some(r) = &self.rotary {
            let (cos, sin) = r.tables(l, &q.device());
            q = Rotary::apply(q, &cos, &sin);
            k = Rotary::apply(k, &cos, &sin);
        }
        let s = if self.scale_query { None } else { Some(scale) };
        attend(q, k, v, s, bias)
    }

    /// Writes the weights under `prefix` in HF layout.
    pub fn export(&self, ex: &mut super::weights::Exporter, prefix: &str) {
        ex.proj(&format!("{prefix}.query"), &self.query);
        ex.proj(&format!("{prefix}.key"), &self.key);
        ex.proj(&format!("{prefix}.value"), &self.value);
    }
}

/// The per-layer outputs an encoder forward collects on request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Collect {
    /// Keep every layer's attention probabilities.
    pub attentions: bool,
    /// Keep the embeddings output and every layer's output.
    pub hidden_states: bool,
}

impl Collect {
    /// Collect everything.
    pub const ALL: Self = Self {
        attentions: true,
        hidden_states: true,
    };
}

/// What an encoder forward returns.
#[derive(Debug, Clone)]
pub struct EncoderOutput {
    /// Final hidden states `[B, L, H]` (padded positions included, as upstream computes them).
    pub last_hidden_state: Tensor<3>,
    /// `tanh(dense(h[:, 0]))` `[B, H]` for models with a pooler.
    pub pooled_output: Option<Tensor<2>>,
    /// Embeddings output then each layer's output, `layers + 1` tensors `[B, L, H]` (empty
    /// unless [`Collect::hidden_states`]). The last entry is what the upstream model returns
    /// as its last hidden-states entry (for ESM: after `emb_layer_norm_after`).
    pub hidden_states: Vec<Tensor<3>>,
    /// Per layer `[B, heads, L, L]` softmax probabilities (empty unless [`Collect::attentions`]).
    pub attentions: Vec<Tensor<4>>,
}
