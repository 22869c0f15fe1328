//! Masked-LM corruption (BERT's 80/10/10, DNABERT's k-mer span masking) and the per-example
//! masked-LM loss.
//!
//! Selection works on the content tokens of a row (never a special or padding token). With
//! `span = 1` every content token is selected with probability `p` (BERT). With `span = k > 1`
//! (overlapping DNABERT k-mers) the unit is the *nucleotide*: each of the `T + k − 1` nucleotides
//! a run of `T` k-mers spells is sampled with probability `p / k`, and a sampled nucleotide `n`
//! masks every k-mer that contains it — tokens `n − k + 1 ..= n` within the run — so the masked
//! answer cannot be read off an unmasked neighbour. The expected masked fraction is then
//! `1 − (1 − p/k)^k` (≈ 14 % for p = 0.15, k = 6). Each selected token becomes the mask token
//! with probability `mask_fraction`, a uniformly drawn non-special token with `random_fraction`,
//! and stays itself otherwise; its label is its original id (−100 elsewhere, PyTorch's ignore
//! index).

use crate::{Error, Result};
use burn::tensor::activation::log_softmax;
use burn::tensor::{Int, Tensor};
use rand::Rng;
use serde::{Deserialize, Serialize};

/// The label of a position that is not predicted.
pub const IGNORE: i64 = -100;

/// How tokens are corrupted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaskingConfig {
    /// Fraction of content tokens selected (0.15).
    pub probability: f64,
    /// Of the selected: replaced by the mask token (0.8).
    pub mask_fraction: f64,
    /// Of the selected: replaced by a random token (0.1); the rest keep their id.
    pub random_fraction: f64,
    /// `k` of an overlapping k-mer vocabulary (span masking); 1 for token-level masking.
    pub span: usize,
}

impl Default for MaskingConfig {
    fn default() -> Self {
        Self {
            probability: 0.15,
            mask_fraction: 0.8,
            random_fraction: 0.1,
            span: 1,
        }
    }
}

/// The token ids masking needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaskTokens {
    /// The mask token.
    pub mask_id: u32,
    /// Ids never selected and never drawn as random replacements (specials, padding).
    pub special: Vec<u32>,
    /// Vocabulary size (random replacements are drawn below it).
    pub vocab: usize,
}

impl MaskingConfig {
    /// Checks the fractions and the span.
    ///
    /// # Errors
    /// [`Error::Config`].
    pub fn validate(&self) -> Result<()> {
        let ok = |x: f64| (0.0..=1.0).contains(&x);
        let fractions = ok(self.probability)
            && self.probability > 0.0
            && ok(self.mask_fraction)
            && ok(self.random_fraction)
            && self.mask_fraction + self.random_fraction <= 1.0 + 1e-12;
        if !fractions {
            return Err(Error::Config(format!(
                "masking probability {} / mask {} / random {} are not fractions summing to ≤ 1",
                self.probability, self.mask_fraction, self.random_fraction
            )));
        }
        if self.span == 0 || self.span > 16 {
            return Err(Error::Config(format!("mask span {} (1..=16)", self.span)));
        }
        Ok(())
    }

    /// The tokens of `row` to predict (before the 80/10/10 replacement).
    ///
    /// ```
    /// use models::lm::mlm::{MaskingConfig, MaskTokens};
    /// use rand::SeedableRng;
    /// let cfg = MaskingConfig { probability: 1.0, span: 1, ..Default::default() };
    /// let tok = MaskTokens { mask_id: 4, special: vec![0, 1, 2, 3, 4], vocab: 69 };
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    /// let sel = cfg.select(&[2, 10, 11, 12, 3, 0], &tok, &mut rng);
    /// assert_eq!(sel, vec![false, true, true, true, false, false]);
    /// ```
    pub fn select(&self, row: &[u32], tok: &MaskTokens, rng: &mut impl Rng) -> Vec<bool> {
        let mut sel = vec![false; row.len()];
        let mut start = 0;
        while start < row.len() {
            if tok.special.contains(&row[start]) {
                start += 1;
                continue;
            }
            let mut end = start;
            while end < row.len() && !tok.special.contains(&row[end]) {
                end += 1;
            }
            self.select_run(&mut sel[start..end], rng);
            start = end;
        }
        sel
    }

    fn select_run(&self, sel: &mut [bool], rng: &mut impl Rng) {
        let t = sel.len();
        let k = self.span;
        if k == 1 {
            for s in sel.iter_mut() {
                *s = rng.random::<f64>() < self.probability;
            }
            return;
        }
        let p = self.probability / k as f64;
        for n in 0..t + k - 1 {
            if rng.random::<f64>() < p {
                for s in &mut sel[n.saturating_sub(k - 1)..=n.min(t - 1)] {
                    *s = true;
                }
            }
        }
    }

    /// Corrupts `row`: the input ids and the labels (original id where selected, [`IGNORE`]
    /// elsewhere).
    pub fn apply(&self, row: &[u32], tok: &MaskTokens, rng: &mut impl Rng) -> (Vec<u32>, Vec<i64>) {
        let sel = self.select(row, tok, rng);
        let mut ids = row.to_vec();
        let mut labels = vec![IGNORE; row.len()];
        for (i, _) in sel.iter().enumerate().filter(|(_, s)| **s) {
            labels[i] = i64::from(row[i]);
            let u: f64 = rng.random();
            if u < self.mask_fraction {
                ids[i] = tok.mask_id;
            } else if u < self.mask_fraction + self.random_fraction {
                ids[i] = random_token(tok, rng);
            }
        }
        (ids, labels)
    }
}

fn random_token(tok: &MaskTokens, rng: &mut impl Rng) -> u32 {
    // rejection sampling; the caller guarantees a non-special id exists (validated vocab)
    for _ in 0..1000 {
        let id = rng.random_range(0..tok.vocab.max(1)) as u32;
        if !tok.special.contains(&id) {
            return id;
        }
    }
    tok.mask_id
}

/// Mean cross-entropy over the predicted positions of each row.
///
/// # Shapes
/// * `logits`: `[B, L, V]`, `labels`: `[B, L]` ([`IGNORE`] = not predicted) → `[B, 1]` (a row
///   without a predicted position has loss 0)
pub fn masked_lm_loss(logits: Tensor<3>, labels: Tensor<2, Int>) -> Tensor<2> {
    let [b, l, _] = logits.dims();
    let lp = log_softmax(logits, 2);
    let keep = labels.clone().greater_equal_elem(0);
    let idx = labels.clamp_min(0).reshape([b, l, 1]);
    let nll = lp.gather(2, idx).reshape([b, l]).neg();
    let w = keep.float();
    let n = w.clone().sum_dim(1).clamp_min(1.0);
    (nll * w).sum_dim(1) / n
}
