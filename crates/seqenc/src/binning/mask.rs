//! BERT-style masking (15 %, then 80/10/10) for the GeneRAIN inputs of [`super::inputs`].
//!
//! GeneRAIN's rule (`src/data/BertMasking.py` in github.com/suzheng/GeneRAIN): every position is
//! selected with probability `fraction` (an independent Bernoulli draw, so the count varies from
//! sample to sample); a selected position becomes the mask token with probability `mask_prob`,
//! a uniformly drawn random token with probability `random_prob`, and stays unchanged
//! otherwise. Here only *eligible* positions (expressed genes) can be selected.

use crate::error::{Error, Result};
use rand::Rng;
use std::ops::RangeInclusive;

/// What the masking did to one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaskAction {
    /// Not selected (no loss here).
    None,
    /// Selected and replaced by the mask token.
    Mask,
    /// Selected and replaced by a uniformly drawn random token (which may equal the true one).
    Random,
    /// Selected and left unchanged.
    Unchanged,
}

impl MaskAction {
    /// True for the three selected actions (the positions that carry a loss).
    ///
    /// ```
    /// use seqenc::binning::MaskAction;
    /// assert!(MaskAction::Unchanged.is_selected() && !MaskAction::None.is_selected());
    /// ```
    pub fn is_selected(self) -> bool {
        self != MaskAction::None
    }
}

/// Masking probabilities; [`Default`] is GeneRAIN's and BERT's 15 % with 80/10/10.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MaskConfig {
    /// Probability that an eligible position is selected (GeneRAIN's first mask fraction: 0.15).
    pub fraction: f64,
    /// Probability that a selected position becomes the mask token (0.8).
    pub mask_prob: f64,
    /// Probability that a selected position becomes a random token (0.1); the rest,
    /// `1 − mask_prob − random_prob`, stay unchanged.
    pub random_prob: f64,
}

impl Default for MaskConfig {
    fn default() -> Self {
        MaskConfig {
            fraction: 0.15,
            mask_prob: 0.8,
            random_prob: 0.1,
        }
    }
}

impl MaskConfig {
    /// Checks that the three numbers are probabilities and `mask_prob + random_prob <= 1`.
    ///
    /// ```
    /// use seqenc::binning::MaskConfig;
    /// assert!(MaskConfig::default().validate().is_ok());
    /// assert!(MaskConfig { fraction: 1.5, ..Default::default() }.validate().is_err());
    /// assert!(MaskConfig { mask_prob: 0.95, ..Default::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        for (name, p) in [
            ("fraction", self.fraction),
            ("mask_prob", self.mask_prob),
            ("random_prob", self.random_prob),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(Error::InvalidArgument(format!(
                    "masking {name} must be a probability in [0, 1], got {p}"
                )));
            }
        }
        if self.mask_prob + self.random_prob > 1.0 + 1e-12 {
            return Err(Error::InvalidArgument(format!(
                "masking mask_prob + random_prob must be <= 1, got {} + {}",
                self.mask_prob, self.random_prob
            )));
        }
        Ok(())
    }
}

/// The masked tokens of one sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    /// The tokens after masking.
    pub tokens: Vec<u32>,
    /// What happened at each position.
    pub actions: Vec<MaskAction>,
}

/// Applies BERT masking to `tokens`: only positions with `eligible[i]` can be selected.
///
/// Random numbers are drawn in position order: one `f64` per eligible position (selected when
/// `< fraction`), then for a selected one a second `f64` (`< mask_prob` → mask,
/// `< mask_prob + random_prob` → random) and, for a random one, a token drawn uniformly from
/// `random_tokens`. The same RNG state therefore always gives the same result.
///
/// ```
/// use rand::SeedableRng;
/// use seqenc::binning::{MaskAction, MaskConfig, bert_mask};
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let all = MaskConfig { fraction: 1.0, mask_prob: 1.0, random_prob: 0.0 };
/// let m = bert_mask(&[5, 6, 7], &[true, false, true], &all, 0, 1..=100, &mut rng).unwrap();
/// assert_eq!(m.tokens, vec![0, 6, 0]);
/// assert_eq!(m.actions, vec![MaskAction::Mask, MaskAction::None, MaskAction::Mask]);
/// ```
pub fn bert_mask(
    tokens: &[u32],
    eligible: &[bool],
    config: &MaskConfig,
    mask_id: u32,
    random_tokens: RangeInclusive<u32>,
    rng: &mut impl Rng,
) -> Result<Masked> {
    config.validate()?;
    if tokens.len() != eligible.len() {
        return Err(Error::InvalidArgument(format!(
            "masking: {} tokens but {} eligibility flags",
            tokens.len(),
            eligible.len()
        )));
    }
    if random_tokens.is_empty() {
        return Err(Error::InvalidArgument(format!(
            "masking: empty random-token range {random_tokens:?}"
        )));
    }
    let mut out = tokens.to_vec();
    let mut actions = vec![MaskAction::None; tokens.len()];
    for i in 0..tokens.len() {
        if !eligible[i] || rng.random::<f64>() >= config.fraction {
            continue;
        }
        let u: f64 = rng.random();
        actions[i] = if u < config.mask_prob {
            out[i] = mask_id;
            MaskAction::Mask
        } else if u < config.mask_prob + config.random_prob {
            out[i] = rng.random_range(random_tokens.clone());
            MaskAction::Random
        } else {
            MaskAction::Unchanged
        };
    }
    Ok(Masked {
        tokens: out,
        actions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn ineligible_positions_are_never_touched_and_the_rng_is_replayable() {
        let tokens: Vec<u32> = (1..=50).collect();
        let eligible: Vec<bool> = (0..50).map(|i| i % 3 != 0).collect();
        let cfg = MaskConfig {
            fraction: 0.9,
            ..Default::default()
        };
        let run = |seed| {
            bert_mask(
                &tokens,
                &eligible,
                &cfg,
                0,
                1..=100,
                &mut ChaCha8Rng::seed_from_u64(seed),
            )
            .unwrap()
        };
        let (a, b) = (run(3), run(3));
        assert_eq!(a, b);
        assert_ne!(a, run(4));
        for i in (0..50).filter(|i| i % 3 == 0) {
            assert_eq!((a.tokens[i], a.actions[i]), (tokens[i], MaskAction::None));
        }
        for (i, act) in a.actions.iter().enumerate() {
            match act {
                MaskAction::Mask => assert_eq!(a.tokens[i], 0),
                MaskAction::Unchanged | MaskAction::None => assert_eq!(a.tokens[i], tokens[i]),
                MaskAction::Random => assert!((1..=100).contains(&a.tokens[i])),
            }
        }
    }

    #[test]
    fn bad_inputs_are_refused() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let cfg = MaskConfig::default();
        assert!(bert_mask(&[1, 2], &[true], &cfg, 0, 1..=3, &mut rng).is_err());
        #[allow(clippy::reversed_empty_ranges)]
        let empty = 3..=1;
        assert!(bert_mask(&[1], &[true], &cfg, 0, empty, &mut rng).is_err());
        let nan = MaskConfig {
            fraction: f64::NAN,
            ..cfg
        };
        assert!(bert_mask(&[1], &[true], &nan, 0, 1..=3, &mut rng).is_err());
    }
}
