//! The task heads of ESM: `EsmForMaskedLM`, `EsmForSequenceClassification`.

#[allow(clippy::wildcard_imports)]
use super::*;

/// HF `EsmForMaskedLM`: `decoder(LN(gelu(dense(h)))) + bias`.
#[derive(Module, Debug)]
pub struct EsmForMaskedLM {
    /// The encoder.
    pub esm: EsmModel,
    /// `lm_head.dense`.
    pub dense: Linear,
    /// `lm_head.layer_norm`.
    pub layer_norm: LayerNorm,
    /// `lm_head.decoder.weight` in burn layout `[H, V]`; `None` = tied to the word embeddings.
    pub decoder: Option<Param<Tensor<2>>>,
    /// `lm_head.bias` `[V]`.
    pub bias: Param<Tensor<1>>,
}

impl EsmForMaskedLM {
    /// Builds from `loader` (HF keys `esm.*`, `lm_head.*`).
    pub fn build(c: &EsmConfig, l: &mut Loader<'_>) -> Self {
        let (h, v) = (c.hidden_size, c.vocab_size);
        let esm = EsmModel::build(c, l, "esm.");
        let dense = l.linear("lm_head.dense", h, h, true);
        let layer_norm = l.layer_norm("lm_head.layer_norm", h, c.layer_norm_eps);
        let untied = !c.tie_word_embeddings || l.has("lm_head.decoder.weight");
        let decoder = untied.then(|| {
            let w = l.tensor::<2>("lm_head.decoder.weight", [v, h]).transpose();
            l.param("lm_head.decoder.weight", w)
        });
        let b = l.tensor("lm_head.bias", [v]);
        let bias = l.param("lm_head.bias", b);
        Self {
            esm,
            dense,
            layer_norm,
            decoder,
            bias,
        }
    }

    /// Writes HF keys (a tied decoder is not written).
    pub fn export(&self, ex: &mut Exporter) {
        self.esm.export(ex, "esm.");
        ex.linear("lm_head.dense", &self.dense);
        ex.layer_norm("lm_head.layer_norm", &self.layer_norm);
        if let Some(d) = &self.decoder {
            ex.tensor("lm_head.decoder.weight", d.val().transpose());
        }
        ex.tensor("lm_head.bias", self.bias.val());
    }

    /// Encoder output and MLM logits.
    ///
    /// # Shapes
    /// * inputs `[B, L]` → (`EncoderOutput`, logits `[B, L, V]`)
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<3>) {
        let out = self.esm.forward(ids, mask, collect);
        let [b, l, h] = out.last_hidden_state.dims();
        let t = self
            .layer_norm
            .forward(gelu(self.dense.forward(out.last_hidden_state.clone())));
        let w = match &self.decoder {
            Some(d) => d.val(),
            None => self.esm.word_embeddings.weight.val().transpose(),
        };
        let v = w.dims()[1];
        let logits =
            (t.reshape([b * l, h]).matmul(w) + self.bias.val().reshape([1, v])).reshape([b, l, v]);
        (out, logits)
    }
}

/// HF `EsmForSequenceClassification`: `out_proj(tanh(dense(h[:, 0])))` (no pooler).
#[derive(Module, Debug)]
pub struct EsmForSequenceClassification {
    /// The encoder.
    pub esm: EsmModel,
    /// `classifier.dense`.
    pub dense: Linear,
    /// `classifier.out_proj`.
    pub out_proj: Linear,
}

impl EsmForSequenceClassification {
    /// Builds from `loader` (HF keys `esm.*`, `classifier.*`).
    pub fn build(c: &EsmConfig, l: &mut Loader<'_>) -> Self {
        let h = c.hidden_size;
        Self {
            esm: EsmModel::build(c, l, "esm."),
            dense: l.linear("classifier.dense", h, h, true),
            out_proj: l.linear("classifier.out_proj", h, c.labels(), true),
        }
    }

    /// Writes HF keys.
    pub fn export(&self, ex: &mut Exporter) {
        self.esm.export(ex, "esm.");
        ex.linear("classifier.dense", &self.dense);
        ex.linear("classifier.out_proj", &self.out_proj);
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
        let words = self.esm.word_embeddings.forward(ids.clone());
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
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<2>) {
        let out = self.esm.forward_embedded(words, ids, mask, collect);
        let [b, _, h] = out.last_hidden_state.dims();
        let cls = out
            .last_hidden_state
            .clone()
            .narrow(1, 0, 1)
            .reshape([b, h]);
        let logits = self.out_proj.forward(tanh(self.dense.forward(cls)));
        (out, logits)
    }
}
