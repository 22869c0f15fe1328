//! Stratified, seeded train / validation / test splits, optionally grouped.
//!
//! ## Why grouping
//! A gene with several transcripts has several annotated TSSs, and alternative TSSs of one gene
//! are often a few bases to a few hundred bases apart: their promoter windows share most of their
//! sequence. If one lands in training and another in test, the test set contains near-copies of
//! training examples and the measured accuracy is inflated. With `groups` (e.g. the gene id of
//! every example), all examples of a group go to the same split.
//!
//! ## Algorithm
//! Without groups, the indices of each class are shuffled (`ChaCha8Rng`, seeded) and cut into
//! `round(n_c · train)` train, `round(n_c · valid)` validation and the rest test examples. With
//! groups, every group is given the label of its majority (ties: the smallest label), groups of a
//! class are shuffled and each is assigned to the split furthest below its target example count
//! (`n_c · fraction`), which keeps both class proportions and sizes close to the targets.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::Result;
use crate::error::SplitError;

/// Which part of a split an example belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Split {
    /// Training set.
    Train,
    /// Validation ("dev") set.
    Valid,
    /// Test set.
    Test,
}

/// Fractions and seed of a split. The fractions must be `>= 0` and sum to 1 (± 1e-9).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SplitConfig {
    /// Fraction of examples for training.
    pub train: f64,
    /// Fraction for validation (may be 0).
    pub valid: f64,
    /// Fraction for test.
    pub test: f64,
    /// Seed of the shuffles.
    pub seed: u64,
}

impl Default for SplitConfig {
    /// 80 / 10 / 10, seed 0.
    fn default() -> Self {
        Self {
            train: 0.8,
            valid: 0.1,
            test: 0.1,
            seed: 0,
        }
    }
}

impl SplitConfig {
    fn validate(&self) -> Result<[f64; 3]> {
        let f = [self.train, self.valid, self.test];
        if f.iter().any(|x| !(x.is_finite() && *x >= 0.0))
            || (f.iter().sum::<f64>() - 1.0).abs() > 1e-9
        {
            return Err(SplitError::InvalidArgument(format!(
                "split fractions must be >= 0 and sum to 1, got train {} valid {} test {}",
                self.train, self.valid, self.test
            ))
            .into());
        }
        Ok(f)
    }
}

const SPLITS: [Split; 3] = [Split::Train, Split::Valid, Split::Test];

/// Assigns every example to a split, stratified by `labels`, seeded; with `groups`, all examples
/// sharing a group value go to the same split.
///
/// Errors when the fractions are invalid or `groups` has a different length than `labels`.
///
/// ```
/// use datasets::splits::{stratified_split, Split, SplitConfig};
/// let labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
/// let cfg = SplitConfig { train: 0.8, valid: 0.0, test: 0.2, seed: 1 };
/// let s = stratified_split(&labels, None::<&[u8]>, &cfg).unwrap();
/// let test_pos = (0..10).filter(|&i| s[i] == Split::Test && labels[i] == 1).count();
/// assert_eq!(test_pos, 1);
/// assert_eq!(s.iter().filter(|&&x| x == Split::Test).count(), 2);
/// ```
pub fn stratified_split<L, G>(
    labels: &[L],
    groups: Option<&[G]>,
    cfg: &SplitConfig,
) -> Result<Vec<Split>>
where
    L: Ord + Clone,
    G: Hash + Eq,
{
    let frac = cfg.validate()?;
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut out = vec![Split::Train; labels.len()];
    match groups {
        None => {
            let mut by_class: BTreeMap<&L, Vec<usize>> = BTreeMap::new();
            for (i, l) in labels.iter().enumerate() {
                by_class.entry(l).or_default().push(i);
            }
            for idx in by_class.values_mut() {
                idx.shuffle(&mut rng);
                let n = idx.len() as f64;
                let n_train = ((n * frac[0]).round() as usize).min(idx.len());
                let n_valid = ((n * frac[1]).round() as usize).min(idx.len() - n_train);
                for (k, &i) in idx.iter().enumerate() {
                    out[i] = if k < n_train {
                        Split::Train
                    } else if k < n_train + n_valid {
                        Split::Valid
                    } else {
                        Split::Test
                    };
                }
            }
        }
        Some(groups) => {
            if groups.len() != labels.len() {
                return Err(SplitError::InvalidArgument(format!(
                    "{} group values for {} labels",
                    groups.len(),
                    labels.len()
                ))
                .into());
            }
            // Members of each group, groups in order of first appearance.
            let mut gid: HashMap<&G, usize> = HashMap::new();
            let mut members: Vec<Vec<usize>> = Vec::new();
            for (i, g) in groups.iter().enumerate() {
                let k = *gid.entry(g).or_insert_with(|| {
                    members.push(Vec::new());
                    members.len() - 1
                });
                members[k].push(i);
            }
            let mut by_class: BTreeMap<&L, Vec<usize>> = BTreeMap::new();
            for (k, m) in members.iter().enumerate() {
                let mut counts: BTreeMap<&L, usize> = BTreeMap::new();
                for &i in m {
                    *counts.entry(&labels[i]).or_default() += 1;
                }
                // Majority label; BTreeMap order + strict '>' keeps the smallest on ties.
                let mut best: Option<(&L, usize)> = None;
                for (l, c) in counts {
                    if best.is_none_or(|(_, bc)| c > bc) {
                        best = Some((l, c));
                    }
                }
                if let Some((l, _)) = best {
                    by_class.entry(l).or_default().push(k);
                }
            }
            for gs in by_class.values_mut() {
                gs.shuffle(&mut rng);
                let n: usize = gs.iter().map(|&k| members[k].len()).sum();
                let target: Vec<f64> = frac.iter().map(|f| f * n as f64).collect();
                let mut have = [0usize; 3];
                for &k in gs.iter() {
                    // Split with the largest deficit (ties: train, valid, test order);
                    // Splits with fraction 0 never receive a group.
                    let mut best = usize::MAX;
                    for s in (0..3).filter(|&s| frac[s] > 0.0) {
                        if best == usize::MAX
                            || target[s] - have[s] as f64 > target[best] - have[best] as f64
                        {
                            best = s;
                        }
                    }
                    have[best] += members[k].len();
                    for &i in &members[k] {
                        out[i] = SPLITS[best];
                    }
                }
            }
        }
    }
    Ok(out)
}
