//! Gradient × input of tokenised models, on the word embeddings.
//!
//! `E = word_embeddings(input_ids)` — the lookup only, before position or token-type
//! embeddings, ESM's token-dropout scaling and the embedding LayerNorm (HF's
//! `inputs_embeds`) — is made a leaf; the classifier's logit `target` of every row is summed
//! and back-propagated; per token `t`:
//!
//! * `grad_x_input[t] = Σ_d ∂logit/∂E[t, d] · E[t, d]`,
//! * `grad_norm[t] = ‖∂logit/∂E[t]‖₂` (the saliency of a token).
//!
//! Padded positions get exactly 0. Dropout is off (the model is frozen for the pass). Spread
//! the token scores to nucleotides with [`super::attention::spread_to_nucleotides`].

use burn::module::Module;
use burn::tensor::Tensor;

use crate::lm::blocks::batch_tensors;
use crate::lm::{Collect, LmModel, LoadedLm};
use crate::{Device, Error, Result};

/// Per-token embedding attributions of one row (its own length, no padding).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenAttribution {
    /// `Σ_d ∂logit/∂E[t, d] · E[t, d]` per token.
    pub grad_x_input: Vec<f32>,
    /// `‖∂logit/∂E[t]‖₂` per token.
    pub grad_norm: Vec<f32>,
    /// The logit itself.
    pub output: f32,
}

fn read(t: Tensor<2>, what: &str) -> Result<Vec<f32>> {
    t.into_data()
        .try_to_vec::<f32>()
        .map_err(|e| Error::Config(format!("cannot read {what}: {e:?}")))
}

/// Embedding gradient × input of logit `target` for every row of token ids (right-padded
/// here with the configuration's pad id). `device` must be an autodiff device.
///
/// # Errors
/// [`Error::Config`] for a model without a classification or regression head, a `target`
/// past its outputs or a device without autodiff; the errors of
/// [`crate::lm::LoadedLm::forward`] for bad ids.
///
/// ```
/// use burn::tensor::Device;
/// use models::lm::bert::{BertConfig, BertForSequenceClassification};
/// use models::lm::{LmConfig, LmModel, weights::Loader};
/// # fn main() -> models::Result<()> {
/// let dev = Device::flex().autodiff();
/// let mut c = BertConfig::tiny(69);
/// c.num_labels = Some(2);
/// let m = BertForSequenceClassification::build(&c, &mut Loader::random(&dev, 0.02, 7));
/// let model = LmModel::BertClassifier(m);
/// let rows = vec![vec![2, 10, 11, 12, 3], vec![2, 20, 3]];
/// let a = models::attribution::tokens::embedding_gradients(
///     &model, &LmConfig::Bert(c), &rows, 1, &dev)?;
/// assert_eq!(a[1].grad_x_input.len(), 3);
/// # Ok(()) }
/// ```
pub fn embedding_gradients(
    model: &LmModel,
    config: &crate::lm::LmConfig,
    rows: &[Vec<u32>],
    target: usize,
    device: &Device,
) -> Result<Vec<TokenAttribution>> {
    if !device.is_autodiff() {
        return Err(Error::Config(
            "embedding gradients need an autodiff device (device.clone().autodiff())".into(),
        ));
    }
    let (ids, mask) = batch_tensors(
        rows,
        config.pad_id(),
        config.vocab_size(),
        config.max_len(),
        device,
    )?;
    let [b, l] = ids.dims();
    let model = model.clone().freeze();
    let words = model.word_embeddings().forward(ids.clone());
    let leaf = Tensor::<3>::from_data(words.into_data(), device).require_grad();
    let logits = model
        .classify_embedded(leaf.clone(), ids, mask.clone())
        .ok_or_else(|| {
            Error::Config(
                "gradient × input needs a sequence-classification or regression checkpoint \
                 (this one has no such head)"
                    .into(),
            )
        })?;
    let k = logits.dims()[1];
    if target >= k {
        return Err(Error::Config(format!(
            "target output {target} does not exist (the model has {k} outputs)"
        )));
    }
    let picked = logits.slice([0..b, target..target + 1]);
    let outputs = read(picked.clone(), "outputs")?;
    let grads = picked.sum().backward();
    let g = leaf
        .grad(&grads)
        .ok_or_else(|| Error::Config("no gradient reached the embeddings".into()))?;
    let g = Tensor::<3>::from_data(g.into_data(), device);
    let e = Tensor::<3>::from_data(leaf.into_data(), device);
    let keep = mask.float();
    let gx = read(
        (g.clone() * e).sum_dim(2).reshape([b, l]) * keep.clone(),
        "gradients",
    )?;
    let gn = read(
        g.powi_scalar(2).sum_dim(2).sqrt().reshape([b, l]) * keep,
        "gradients",
    )?;
    Ok(rows
        .iter()
        .enumerate()
        .map(|(r, row)| TokenAttribution {
            grad_x_input: gx[r * l..r * l + row.len()].to_vec(),
            grad_norm: gn[r * l..r * l + row.len()].to_vec(),
            output: outputs[r],
        })
        .collect())
}

impl LoadedLm {
    /// [`embedding_gradients`] of this checkpoint.
    ///
    /// # Errors
    /// As [`embedding_gradients`].
    pub fn embedding_gradients(
        &self,
        rows: &[Vec<u32>],
        target: usize,
        device: &Device,
    ) -> Result<Vec<TokenAttribution>> {
        embedding_gradients(&self.model, &self.config, rows, target, device)
    }
}

impl LmModel {
    /// The word-embedding table.
    pub fn word_embeddings(&self) -> &burn::nn::Embedding {
        match self {
            Self::Bert(m) => &m.word_embeddings,
            Self::BertMaskedLm(m) => &m.bert.word_embeddings,
            Self::BertClassifier(m) => &m.bert.word_embeddings,
            Self::DnaBert2(m) => &m.word_embeddings,
            Self::DnaBert2MaskedLm(m) => &m.bert.word_embeddings,
            Self::DnaBert2Classifier(m) => &m.bert.word_embeddings,
            Self::Esm(m) => &m.word_embeddings,
            Self::EsmMaskedLm(m) => &m.esm.word_embeddings,
            Self::EsmClassifier(m) => &m.esm.word_embeddings,
            Self::Gpt2LmHead(m) => &m.transformer.wte,
        }
    }

    /// Classification / regression logits from the word-embedding lookup `words`; `None`
    /// for a model without such a head.
    ///
    /// # Shapes
    /// * `words`: `[B, L, H]`; `ids`, `mask`: `[B, L]` → `[B, num_labels]`
    pub fn classify_embedded(
        &self,
        words: Tensor<3>,
        ids: Tensor<2, burn::tensor::Int>,
        mask: Tensor<2, burn::tensor::Int>,
    ) -> Option<Tensor<2>> {
        let c = Collect::default();
        match self {
            Self::BertClassifier(m) => Some(m.forward_embedded(words, ids, mask, c).1),
            Self::DnaBert2Classifier(m) => Some(m.forward_embedded(words, ids, mask, c).1),
            Self::EsmClassifier(m) => Some(m.forward_embedded(words, ids, mask, c).1),
            _ => None,
        }
    }
}
