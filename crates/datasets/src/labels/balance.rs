//! Class balancing by seeded down-sampling.

use std::collections::BTreeMap;
use std::fmt::Debug;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::Result;
use crate::error::LabelsError;

/// Down-samples every class to the size of the smallest one and returns the kept positions of
/// `labels`, in increasing order. Classes are visited in their `Ord` order and each draws
/// `min_count` positions without replacement from one [`ChaCha8Rng`] seeded with `seed`, so the
/// result depends only on the labels and the seed.
///
/// Errors ([`LabelsError::Class`](crate::error::LabelsError::Class)): no labels, or fewer than two classes.
///
/// ```
/// use datasets::labels::balance_by_downsampling;
/// let labels = [1, 0, 1, 1, 0, 1];
/// let keep = balance_by_downsampling(&labels, 42).unwrap();
/// assert_eq!(keep.len(), 4);
/// assert_eq!(keep.iter().filter(|&&i| labels[i] == 0).count(), 2);
/// assert_eq!(keep, balance_by_downsampling(&labels, 42).unwrap());
/// ```
pub fn balance_by_downsampling<L: Copy + Ord + Debug>(
    labels: &[L],
    seed: u64,
) -> Result<Vec<usize>> {
    let mut by_class: BTreeMap<L, Vec<usize>> = BTreeMap::new();
    for (i, &l) in labels.iter().enumerate() {
        by_class.entry(l).or_default().push(i);
    }
    let counts = || {
        by_class
            .iter()
            .map(|(k, v)| format!("{k:?}={}", v.len()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if by_class.len() < 2 {
        return Err(LabelsError::Class {
            msg: "balancing needs at least two classes with members".into(),
            counts: counts(),
        }
        .into());
    }
    let min = by_class.values().map(Vec::len).min().unwrap_or(0);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut keep: Vec<usize> = Vec::with_capacity(min * by_class.len());
    for members in by_class.values() {
        if members.len() == min {
            keep.extend_from_slice(members);
        } else {
            keep.extend(
                rand::seq::index::sample(&mut rng, members.len(), min)
                    .into_iter()
                    .map(|j| members[j]),
            );
        }
    }
    keep.sort_unstable();
    Ok(keep)
}
