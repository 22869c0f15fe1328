//! One post-LayerNorm BERT layer (`encoder.layer.N`).

#[allow(clippy::wildcard_imports)]
use super::*;

/// One post-LN BERT layer.
#[derive(Module, Debug)]
pub struct BertLayer {
    /// `attention.self`.
    pub attention: SelfAttention,
    /// `attention.output.dense`.
    pub attention_output: Linear,
    /// `attention.output.LayerNorm`.
    pub attention_norm: LayerNorm,
    /// `intermediate.dense`.
    pub intermediate: Linear,
    /// `output.dense`.
    pub output: Linear,
    /// `output.LayerNorm`.
    pub output_norm: LayerNorm,
    /// Feed-forward activation.
    #[module(skip)]
    pub act: Activation,
    /// `hidden_dropout_prob` (training only).
    pub dropout: Dropout,
}

impl BertLayer {
    pub(super) fn build(c: &BertConfig, l: &mut Loader<'_>, p: &str) -> Self {
        let (h, i, e) = (c.hidden_size, c.intermediate_size, c.layer_norm_eps);
        let att = SelfAttentionConfig {
            hidden: h,
            heads: c.num_attention_heads,
            scale_query: false,
            rotary: false,
        };
        Self {
            attention: att.build(l, &format!("{p}.attention.self")),
            attention_output: l.linear(&format!("{p}.attention.output.dense"), h, h, true),
            attention_norm: l.layer_norm(&format!("{p}.attention.output.LayerNorm"), h, e),
            intermediate: l.linear(&format!("{p}.intermediate.dense"), h, i, true),
            output: l.linear(&format!("{p}.output.dense"), i, h, true),
            output_norm: l.layer_norm(&format!("{p}.output.LayerNorm"), h, e),
            act: Activation::from_hf(&c.hidden_act).unwrap_or(Activation::Gelu),
            dropout: DropoutConfig::new(c.hidden_dropout_prob).init(),
        }
    }

    pub(super) fn export(&self, ex: &mut Exporter, p: &str) {
        self.attention.export(ex, &format!("{p}.attention.self"));
        ex.linear(
            &format!("{p}.attention.output.dense"),
            &self.attention_output,
        );
        ex.layer_norm(
            &format!("{p}.attention.output.LayerNorm"),
            &self.attention_norm,
        );
        ex.linear(&format!("{p}.intermediate.dense"), &self.intermediate);
        ex.linear(&format!("{p}.output.dense"), &self.output);
        ex.layer_norm(&format!("{p}.output.LayerNorm"), &self.output_norm);
    }

    /// `x = LN(x + Wo·Attn(x)); x = LN(x + W2·act(W1 x))`.
    ///
    /// # Shapes
    /// * `x`: `[B, L, H]`, `bias`: `[B, 1, 1, L]` → (`[B, L, H]`, probs `[B, heads, L, L]`)
    pub fn forward(&self, x: Tensor<3>, bias: Tensor<4>) -> (Tensor<3>, Tensor<4>) {
        let (ctx, probs) = self.attention.forward(x.clone(), Some(bias));
        let d = &self.dropout;
        let a = self
            .attention_norm
            .forward(d.forward(self.attention_output.forward(ctx)) + x);
        let f = self
            .output
            .forward(self.act.forward(self.intermediate.forward(a.clone())));
        (self.output_norm.forward(d.forward(f) + a), probs)
    }
}
