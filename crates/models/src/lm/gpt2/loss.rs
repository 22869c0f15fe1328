//! The causal-LM loss of HF `GPT2LMHeadModel`: labels shifted left by one
//! (`logits[:, t]` predicts `labels[:, t+1]`), targets equal to [`IGNORE`] (−100) skipped, and
//! the mean taken over every remaining target of the batch (token-weighted, not a mean of
//! per-row means).

pub use crate::lm::mlm::IGNORE;
use burn::tensor::activation::log_softmax;
use burn::tensor::{Int, Tensor};

/// Per-target negative log-likelihoods and their weights (1 = counted) after the shift.
///
/// # Shapes
/// * `logits`: `[B, L, V]`, `labels`: `[B, L]` → two `[B, L-1]` (`L >= 2`)
fn shifted_nll(logits: Tensor<3>, labels: Tensor<2, Int>) -> (Tensor<2>, Tensor<2>) {
    let [b, l, v] = logits.dims();
    let lp = log_softmax(logits.narrow(1, 0, l - 1), 2);
    let targets = labels.narrow(1, 1, l - 1);
    let w = targets.clone().greater_equal_elem(0).float();
    let idx = targets.clamp(0, v as i64 - 1).reshape([b, l - 1, 1]);
    (lp.gather(2, idx).reshape([b, l - 1]).neg() * w.clone(), w)
}

/// HF's causal-LM loss: mean cross-entropy over all non-ignored shifted targets of the batch
/// (0 when there is none, or when `L < 2`).
///
/// ```
/// use burn::tensor::{Int, Tensor, TensorData};
/// use models::lm::gpt2::loss::causal_lm_loss;
/// let dev = models::select_device(None).unwrap();
/// // V = 2, all-zero logits: every counted target costs ln 2
/// let logits = Tensor::<3>::zeros([1, 3, 2], &dev);
/// let labels = Tensor::<2, Int>::from_data(TensorData::new(vec![1i64, 0, -100], [1, 3]), &dev);
/// let loss: f32 = causal_lm_loss(logits, labels).into_scalar();
/// assert!((loss - std::f32::consts::LN_2).abs() < 1e-6);
/// ```
///
/// # Shapes
/// * `logits`: `[B, L, V]`, `labels`: `[B, L]` (token ids or [`IGNORE`]) → `[1]`
pub fn causal_lm_loss(logits: Tensor<3>, labels: Tensor<2, Int>) -> Tensor<1> {
    let l = logits.dims()[1];
    if l < 2 {
        return Tensor::zeros([1], &logits.device());
    }
    let (nll, w) = shifted_nll(logits, labels);
    nll.sum() / w.sum().clamp_min(1.0)
}

/// Per-row causal-LM loss: each row's mean over its own non-ignored shifted targets (0 for a
/// row without one).
///
/// ```
/// use burn::tensor::{Int, Tensor, TensorData};
/// use models::lm::gpt2::loss::causal_lm_row_losses;
/// let dev = models::select_device(None).unwrap();
/// let logits = Tensor::<3>::zeros([2, 2, 4], &dev);
/// let labels = Tensor::<2, Int>::from_data(TensorData::new(vec![0i64, 3, 0, -100], [2, 2]), &dev);
/// let v = causal_lm_row_losses(logits, labels).into_data().to_vec::<f32>().unwrap();
/// assert!((v[0] - 4f32.ln()).abs() < 1e-6 && v[1] == 0.0);
/// ```
///
/// # Shapes
/// * `logits`: `[B, L, V]`, `labels`: `[B, L]` → `[B]`
pub fn causal_lm_row_losses(logits: Tensor<3>, labels: Tensor<2, Int>) -> Tensor<1> {
    let [b, l, _] = logits.dims();
    if l < 2 {
        return Tensor::zeros([b], &logits.device());
    }
    let (nll, w) = shifted_nll(logits, labels);
    (nll.sum_dim(1) / w.sum_dim(1).clamp_min(1.0)).reshape([b])
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::TensorData;

    #[test]
    fn shift_ignore_and_token_weighting_by_hand() {
        let dev = crate::select_device(None).unwrap_or_default();
        let ln3 = 3f32.ln();
        // B = 2, L = 3, V = 2; logits[b][t] scores labels[b][t + 1]
        #[rustfmt::skip]
        let logits = vec![
            0.0, 0.0,   0.0, 0.0,   9.0, -9.0, // row 0: both targets cost ln 2
            5.0, -5.0,  0.0, ln3,   9.0, -9.0, // row 1: target 1 ignored, target 2 costs ln(4/3)
        ];
        let logits = Tensor::<3>::from_data(TensorData::new(logits, [2, 3, 2]), &dev);
        let labels = vec![1i64, 0, 1, 1, IGNORE, 1];
        let labels = Tensor::<2, Int>::from_data(TensorData::new(labels, [2, 3]), &dev);
        let (ln2, ln43) = (2f32.ln(), (4f32 / 3.0).ln());
        let loss: f32 = causal_lm_loss(logits.clone(), labels.clone()).into_scalar();
        // token-weighted: 3 targets in all (a mean of row means would be (ln2 + ln43) / 2)
        let want = (2.0 * ln2 + ln43) / 3.0;
        assert!((loss - want).abs() < 1e-6, "loss {loss}, want {want}");
        let rows = causal_lm_row_losses(logits, labels);
        let rows = rows.into_data().try_to_vec::<f32>().unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert!((rows[0] - ln2).abs() < 1e-6 && (rows[1] - ln43).abs() < 1e-6);
    }

    #[test]
    fn a_single_token_has_no_target() {
        let dev = crate::select_device(None).unwrap_or_default();
        let logits = Tensor::<3>::ones([1, 1, 3], &dev);
        let labels = Tensor::<2, Int>::zeros([1, 1], &dev);
        let loss: f32 = causal_lm_loss(logits, labels).into_scalar();
        assert_eq!(loss, 0.0);
    }
}
