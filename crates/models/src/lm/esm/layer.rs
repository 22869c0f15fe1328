//! One pre-LayerNorm ESM layer (attention + GELU MLP or SwiGLU).

#[allow(clippy::wildcard_imports)]
use super::*;

/// One pre-LN ESM layer.
#[derive(Module, Debug)]
pub struct EsmLayer {
    /// `attention.LayerNorm` (before attention).
    pub attention_norm: LayerNorm,
    /// `attention.self`.
    pub attention: SelfAttention,
    /// `attention.output.dense`.
    pub attention_output: Linear,
    /// `LayerNorm` (before the feed-forward).
    pub ffn_norm: LayerNorm,
    /// `intermediate.dense` (`H → I`, or `H → 2I` for SwiGLU) and `output.dense`.
    pub ffn: GatedMlp,
    /// SwiGLU (NT v2) instead of the GELU MLP.
    pub swiglu: bool,
}

impl EsmLayer {
    pub(super) fn build(c: &EsmConfig, l: &mut Loader<'_>, p: &str) -> Self {
        let (h, i, e) = (c.hidden_size, c.intermediate_size, c.layer_norm_eps);
        let att = SelfAttentionConfig {
            hidden: h,
            heads: c.num_attention_heads,
            scale_query: true,
            rotary: c.rotary(),
        };
        let swiglu = c.add_bias_fnn.is_some();
        let bias = c.add_bias_fnn.unwrap_or(true);
        let width = if swiglu { 2 * i } else { i };
        let ffn = GatedMlp {
            gated_layers: l.linear(&format!("{p}.intermediate.dense"), h, width, bias),
            wo: l.linear(&format!("{p}.output.dense"), i, h, bias),
            act: if swiglu {
                Activation::Silu
            } else {
                Activation::Gelu
            },
        };
        Self {
            attention_norm: l.layer_norm(&format!("{p}.attention.LayerNorm"), h, e),
            attention: att.build(l, &format!("{p}.attention.self")),
            attention_output: l.linear(&format!("{p}.attention.output.dense"), h, h, true),
            ffn_norm: l.layer_norm(&format!("{p}.LayerNorm"), h, e),
            ffn,
            swiglu,
        }
    }

    pub(super) fn export(&self, ex: &mut Exporter, p: &str) {
        ex.layer_norm(&format!("{p}.attention.LayerNorm"), &self.attention_norm);
        self.attention.export(ex, &format!("{p}.attention.self"));
        if let Some(r) = &self.attention.rotary {
            let inv = r.inv_freq();
            let n = inv.len();
            ex.tensor(
                &format!("{p}.attention.self.rotary_embeddings.inv_freq"),
                Tensor::<1>::from_data(
                    burn::tensor::TensorData::new(inv, [n]),
                    &self.attention_output.weight.device(),
                ),
            );
        }
        ex.linear(
            &format!("{p}.attention.output.dense"),
            &self.attention_output,
        );
        ex.layer_norm(&format!("{p}.LayerNorm"), &self.ffn_norm);
        ex.linear(&format!("{p}.intermediate.dense"), &self.ffn.gated_layers);
        ex.linear(&format!("{p}.output.dense"), &self.ffn.wo);
    }

    /// `x = x + Wo·Attn(LN_a(x)); x = x + FFN(LN_f(x))`.
    ///
    /// # Shapes
    /// * `x`: `[B, L, H]`, `bias`: `[B, 1, 1, L]` → (`[B, L, H]`, probs `[B, heads, L, L]`)
    pub fn forward(&self, x: Tensor<3>, bias: Tensor<4>) -> (Tensor<3>, Tensor<4>) {
        let (ctx, probs) = self
            .attention
            .forward(self.attention_norm.forward(x.clone()), Some(bias));
        let a = self.attention_output.forward(ctx) + x;
        let n = self.ffn_norm.forward(a.clone());
        let f = if self.swiglu {
            self.ffn.forward(n)
        } else {
            self.ffn.wo.forward(gelu(self.ffn.gated_layers.forward(n)))
        };
        (f + a, probs)
    }
}
