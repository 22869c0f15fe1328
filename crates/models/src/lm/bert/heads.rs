//! Pooling, the MLM head and the task heads of BERT: `BertForMaskedLM`,
//! `BertForSequenceClassification`.

#[allow(clippy::wildcard_imports)]
use super::*;

/// `tanh(dense(h[:, 0]))`.
///
/// # Shapes
/// * `h`: `[B, L, H]` → `[B, H]`
pub fn pool(dense: &Linear, h: &Tensor<3>) -> Tensor<2> {
    let [b, _, hd] = h.dims();
    tanh(dense.forward(h.clone().narrow(1, 0, 1).reshape([b, hd])))
}

/// The BERT MLM head: `LN(act(dense(h))) · Wᵀ + bias` with `W` passed in (tied embeddings).
#[derive(Module, Debug)]
pub struct MlmHead {
    /// `transform.dense`.
    pub dense: Linear,
    /// `transform.LayerNorm`.
    pub norm: LayerNorm,
    /// Output bias `[V]`.
    pub bias: Param<Tensor<1>>,
    /// Untied decoder `[H, V]` (burn layout), when the checkpoint stores one.
    pub decoder: Option<Param<Tensor<2>>>,
    /// Transform activation.
    #[module(skip)]
    pub act: Activation,
}

impl MlmHead {
    /// Logits over the vocabulary; `tied` is the word-embedding matrix `[V, H]` used when the
    /// head has no decoder of its own.
    ///
    /// # Shapes
    /// * `h`: `[B, L, H]`, `tied`: `[V, H]` → `[B, L, V]`
    pub fn forward(&self, h: Tensor<3>, tied: Tensor<2>) -> Tensor<3> {
        let [b, l, hd] = h.dims();
        let t = self.norm.forward(self.act.forward(self.dense.forward(h)));
        let w = match &self.decoder {
            Some(d) => d.val(),
            None => tied.transpose(),
        };
        let v = w.dims()[1];
        (t.reshape([b * l, hd]).matmul(w) + self.bias.val().reshape([1, v])).reshape([b, l, v])
    }
}

/// HF `BertForMaskedLM` (decoder tied to the word embeddings, bias `cls.predictions.bias`).
#[derive(Module, Debug)]
pub struct BertForMaskedLM {
    /// The encoder (no pooler).
    pub bert: BertModel,
    /// `cls.predictions`.
    pub head: MlmHead,
}

/// HF `BertForSequenceClassification`: `classifier(pooled)`.
#[derive(Module, Debug)]
pub struct BertForSequenceClassification {
    /// The encoder with pooler.
    pub bert: BertModel,
    /// `classifier`: `H → num_labels`.
    pub classifier: Linear,
    /// Dropout on the pooled output (training only).
    pub dropout: Dropout,
}

pub(crate) fn build_mlm_head(
    c_h: usize,
    vocab: usize,
    eps: f64,
    act: Activation,
    l: &mut Loader<'_>,
    bias: &str,
) -> MlmHead {
    let b = l.tensor(bias, [vocab]);
    MlmHead {
        dense: l.linear("cls.predictions.transform.dense", c_h, c_h, true),
        norm: l.layer_norm("cls.predictions.transform.LayerNorm", c_h, eps),
        bias: l.param(bias, b),
        decoder: None,
        act,
    }
}

impl BertForMaskedLM {
    /// Builds from `loader` (HF keys `bert.*`, `cls.predictions.*`).
    pub fn build(c: &BertConfig, l: &mut Loader<'_>) -> Self {
        let act = Activation::from_hf(&c.hidden_act).unwrap_or(Activation::Gelu);
        Self {
            bert: BertModel::build(c, l, "bert.", false),
            head: build_mlm_head(
                c.hidden_size,
                c.vocab_size,
                c.layer_norm_eps,
                act,
                l,
                "cls.predictions.bias",
            ),
        }
    }

    /// Writes HF keys (the tied decoder is not written, as `save_pretrained` does).
    pub fn export(&self, ex: &mut Exporter) {
        self.bert.export(ex, "bert.");
        ex.linear("cls.predictions.transform.dense", &self.head.dense);
        ex.layer_norm("cls.predictions.transform.LayerNorm", &self.head.norm);
        ex.tensor("cls.predictions.bias", self.head.bias.val());
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
        self.forward_at(ids, mask, None, collect)
    }

    /// [`Self::forward`] with explicit `positions` (`None` = `0..L-1`), e.g. GeneRAIN's
    /// `BERT_Pred_Expr`: expression bins as `ids`, gene ids as `positions`.
    ///
    /// # Shapes
    /// * `ids`, `mask`, `positions`: `[B, L]` → (`EncoderOutput`, logits `[B, L, V]`)
    pub fn forward_at(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        positions: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<3>) {
        let out = self.bert.forward_at(ids, mask, None, positions, collect);
        let logits = self.head.forward(
            out.last_hidden_state.clone(),
            self.bert.word_embeddings.weight.val(),
        );
        (out, logits)
    }
}

impl BertForSequenceClassification {
    /// Builds from `loader` (HF keys `bert.*`, `classifier.*`).
    pub fn build(c: &BertConfig, l: &mut Loader<'_>) -> Self {
        Self {
            bert: BertModel::build(c, l, "bert.", true),
            classifier: l.linear("classifier", c.hidden_size, c.labels(), true),
            dropout: DropoutConfig::new(c.classifier_dropout.unwrap_or(c.hidden_dropout_prob))
                .init(),
        }
    }

    /// Writes HF keys.
    pub fn export(&self, ex: &mut Exporter) {
        self.bert.export(ex, "bert.");
        ex.linear("classifier", &self.classifier);
    }

    /// Encoder output and classification (or regression) logits.
    ///
    /// # Shapes
    /// * inputs `[B, L]` → (`EncoderOutput`, logits `[B, num_labels]`)
    pub fn forward(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<2>) {
        self.forward_at(ids, mask, None, collect)
    }

    /// [`Self::forward`] with explicit `positions` (`None` = `0..L-1`).
    ///
    /// # Shapes
    /// * `ids`, `mask`, `positions`: `[B, L]` → (`EncoderOutput`, logits `[B, num_labels]`)
    pub fn forward_at(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        positions: Option<Tensor<2, Int>>,
        collect: Collect,
    ) -> (EncoderOutput, Tensor<2>) {
        let words = self.bert.word_embeddings.forward(ids);
        let out = self
            .bert
            .forward_embedded_at(words, mask, None, positions, collect);
        self.classify(out)
    }

    fn classify(&self, out: EncoderOutput) -> (EncoderOutput, Tensor<2>) {
        let pooled = out
            .pooled_output
            .clone()
            .expect("classifier encoder has a pooler");
        let logits = self.classifier.forward(self.dropout.forward(pooled));
        (out, logits)
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
        self.classify(self.bert.forward_embedded(words, mask, None, collect))
    }
}
