//! One pre-LayerNorm GPT-2 block: `Conv1D` projections (`[in, out]` weights), fused
//! `c_attn` = `Q | K | V`, causal attention returning its probabilities, `gelu_new` MLP.

use super::Gpt2Config;
use crate::lm::blocks::{Activation, FINFO_MIN, attend, split_heads};
use crate::lm::weights::{Exporter, Loader};
use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, LayerNorm, Linear};
use burn::tensor::{Int, Tensor};

/// A HF `Conv1D` under `prefix`: `weight` `[d_in, d_out]` (already burn's layout, no
/// transpose), `bias` `[d_out]`.
fn conv1d(l: &mut Loader<'_>, prefix: &str, d_in: usize, d_out: usize) -> Linear {
    let (wn, bn) = (format!("{prefix}.weight"), format!("{prefix}.bias"));
    let w = l.tensor(&wn, [d_in, d_out]);
    let b = l.tensor(&bn, [d_out]);
    Linear {
        weight: l.param(&wn, w),
        bias: Some(l.param(&bn, b)),
    }
}

/// Writes a `Conv1D` (`[in, out]` weight as stored, bias).
fn export_conv1d(ex: &mut Exporter, prefix: &str, c: &Linear) {
    ex.tensor(&format!("{prefix}.weight"), c.weight.val());
    if let Some(b) = &c.bias {
        ex.tensor(&format!("{prefix}.bias"), b.val());
    }
}

/// The additive attention bias of GPT-2: `finfo(f32).min` where the key is after the query
/// (causal) or is padding, 0 elsewhere.
///
/// # Shapes
/// * `mask`: `[B, L]` (1 = token) → `[B, 1, L, L]`
pub(super) fn causal_padding_bias(mask: Tensor<2, Int>) -> Tensor<4> {
    let [b, l] = mask.dims();
    let dev = mask.device();
    let q = Tensor::<1, Int>::arange(0..l as i64, &dev).reshape([l, 1]);
    let k = Tensor::<1, Int>::arange(0..l as i64, &dev).reshape([1, l]);
    let causal = k.lower_equal(q).float().reshape([1, 1, l, l]);
    let keys = mask.float().reshape([b, 1, 1, l]);
    (causal * keys).neg().add_scalar(1.0).mul_scalar(FINFO_MIN)
}

/// `attn`: fused `c_attn` (`H → 3H`, `Q | K | V`) and `c_proj`.
#[derive(Module, Debug)]
pub struct Gpt2Attention {
    /// `c_attn`: `H → 3H`.
    pub c_attn: Linear,
    /// `c_proj`: `H → H`.
    pub c_proj: Linear,
    /// Number of heads.
    pub heads: usize,
    /// Score multiplier (`1/sqrt(d)` when `scale_attn_weights`, `/(i+1)` by layer index).
    #[module(skip)]
    pub scale: Option<f32>,
    /// `resid_pdrop` (training only; `attn_pdrop` on the probabilities is not applied, as
    /// in the BERT/ESM encoders here).
    pub resid_dropout: Dropout,
}

impl Gpt2Attention {
    /// Context (after `c_proj`) and probabilities.
    ///
    /// # Shapes
    /// * `x`: `[B, L, H]`, `bias`: `[B, 1, L, L]` → (`[B, L, H]`, probs `[B, heads, L, L]`)
    pub fn forward(&self, x: Tensor<3>, bias: Tensor<4>) -> (Tensor<3>, Tensor<4>) {
        let h = x.dims()[2];
        let qkv = self.c_attn.forward(x);
        let q = split_heads(qkv.clone().narrow(2, 0, h), self.heads);
        let k = split_heads(qkv.clone().narrow(2, h, h), self.heads);
        let v = split_heads(qkv.narrow(2, 2 * h, h), self.heads);
        let (ctx, p) = attend(q, k, v, self.scale, Some(bias));
        (self.resid_dropout.forward(self.c_proj.forward(ctx)), p)
    }
}

/// `mlp`: `c_fc` (`H → I`), activation, `c_proj` (`I → H`).
#[derive(Module, Debug)]
pub struct Gpt2Mlp {
    /// `c_fc`.
    pub c_fc: Linear,
    /// `c_proj`.
    pub c_proj: Linear,
    /// `activation_function`.
    #[module(skip)]
    pub act: Activation,
    /// `resid_pdrop` (training only).
    pub dropout: Dropout,
}

impl Gpt2Mlp {
    /// `c_proj(act(c_fc(x)))`.
    ///
    /// # Shapes
    /// * `x`: `[B, L, H]` → `[B, L, H]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let y = self.c_proj.forward(self.act.forward(self.c_fc.forward(x)));
        self.dropout.forward(y)
    }
}

/// `h.N`: `x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))`.
#[derive(Module, Debug)]
pub struct Gpt2Block {
    /// `ln_1`.
    pub ln_1: LayerNorm,
    /// `attn`.
    pub attn: Gpt2Attention,
    /// `ln_2`.
    pub ln_2: LayerNorm,
    /// `mlp`.
    pub mlp: Gpt2Mlp,
}

impl Gpt2Block {
    pub(super) fn build(
        c: &Gpt2Config,
        index: usize,
        act: Activation,
        l: &mut Loader<'_>,
        p: &str,
    ) -> Self {
        let (h, e) = (c.n_embd, c.layer_norm_epsilon);
        let d = (h / c.n_head.max(1)) as f32;
        let mut scale = c.scale_attn_weights.then(|| d.powf(-0.5));
        if c.scale_attn_by_inverse_layer_idx {
            scale = Some(scale.unwrap_or(1.0) / (index + 1) as f32);
        }
        Self {
            ln_1: l.layer_norm(&format!("{p}.ln_1"), h, e),
            attn: Gpt2Attention {
                c_attn: conv1d(l, &format!("{p}.attn.c_attn"), h, 3 * h),
                c_proj: conv1d(l, &format!("{p}.attn.c_proj"), h, h),
                heads: c.n_head,
                scale,
                resid_dropout: DropoutConfig::new(c.resid_pdrop).init(),
            },
            ln_2: l.layer_norm(&format!("{p}.ln_2"), h, e),
            mlp: Gpt2Mlp {
                c_fc: conv1d(l, &format!("{p}.mlp.c_fc"), h, c.inner()),
                c_proj: conv1d(l, &format!("{p}.mlp.c_proj"), c.inner(), h),
                act,
                dropout: DropoutConfig::new(c.resid_pdrop).init(),
            },
        }
    }

    pub(super) fn export(&self, ex: &mut Exporter, p: &str) {
        ex.layer_norm(&format!("{p}.ln_1"), &self.ln_1);
        export_conv1d(ex, &format!("{p}.attn.c_attn"), &self.attn.c_attn);
        export_conv1d(ex, &format!("{p}.attn.c_proj"), &self.attn.c_proj);
        ex.layer_norm(&format!("{p}.ln_2"), &self.ln_2);
        export_conv1d(ex, &format!("{p}.mlp.c_fc"), &self.mlp.c_fc);
        export_conv1d(ex, &format!("{p}.mlp.c_proj"), &self.mlp.c_proj);
    }

    /// One block.
    ///
    /// # Shapes
    /// * `x`: `[B, L, H]`, `bias`: `[B, 1, L, L]` → (`[B, L, H]`, probs `[B, heads, L, L]`)
    pub fn forward(&self, x: Tensor<3>, bias: Tensor<4>) -> (Tensor<3>, Tensor<4>) {
        let (a, p) = self.attn.forward(self.ln_1.forward(x.clone()), bias);
        let x = x + a;
        let x = x.clone() + self.mlp.forward(self.ln_2.forward(x));
        (x, p)
    }
}
