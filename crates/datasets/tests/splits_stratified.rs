//! Stratified, grouped, seeded splits.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use datasets::splits::{Split, SplitConfig, stratified_split};
use proptest::prelude::*;

fn count(s: &[Split], labels: &[u32], split: Split, label: u32) -> usize {
    s.iter()
        .zip(labels)
        .filter(|(a, b)| **a == split && **b == label)
        .count()
}

proptest! {
    #[test]
    fn class_proportions_follow_the_fractions(n0 in 0usize..300, n1 in 0usize..300, seed in any::<u64>()) {
        let labels: Vec<u32> = (0..n0 + n1).map(|i| u32::from(i % 2 == 1 && i / 2 < n1 || i >= 2 * n0)).collect();
        let cfg = SplitConfig { train: 0.7, valid: 0.1, test: 0.2, seed };
        let s = stratified_split(&labels, None::<&[u8]>, &cfg).unwrap();
        for l in [0, 1] {
            let n = labels.iter().filter(|&&x| x == l).count() as f64;
            // Per class, each split gets round(n * fraction) (test takes the remainder): within 1.
            prop_assert!((count(&s, &labels, Split::Train, l) as f64 - n * 0.7).abs() <= 1.0);
            prop_assert!((count(&s, &labels, Split::Valid, l) as f64 - n * 0.1).abs() <= 1.0);
            prop_assert!((count(&s, &labels, Split::Test, l) as f64 - n * 0.2).abs() <= 1.5);
        }
        prop_assert_eq!(&s, &stratified_split(&labels, None::<&[u8]>, &cfg).unwrap());
    }

    #[test]
    fn groups_never_straddle_splits(n in 1usize..400, seed in any::<u64>()) {
        // Genes with 1-4 transcripts each; label by gene.
        let groups: Vec<usize> = (0..n).map(|i| (i * 7919 % 97) / ((i % 4) + 1)).collect();
        let labels: Vec<u32> = groups.iter().map(|g| (*g % 3 == 0) as u32).collect();
        let cfg = SplitConfig { train: 0.8, valid: 0.1, test: 0.1, seed };
        let s = stratified_split(&labels, Some(&groups), &cfg).unwrap();
        let mut seen: HashMap<usize, Split> = HashMap::new();
        for (g, sp) in groups.iter().zip(&s) {
            prop_assert_eq!(*seen.entry(*g).or_insert(*sp), *sp);
        }
    }
}

#[test]
fn grouped_sizes_are_close_to_targets() {
    let groups: Vec<u32> = (0..1000).map(|i| i / 2).collect();
    let labels: Vec<u32> = (0..1000).map(|i| u32::from(i % 4 < 2)).collect();
    let cfg = SplitConfig {
        train: 0.8,
        valid: 0.0,
        test: 0.2,
        seed: 3,
    };
    let s = stratified_split(&labels, Some(&groups), &cfg).unwrap();
    assert_eq!(
        s.iter().filter(|&&x| x == Split::Valid).count(),
        0,
        "fraction 0 gets nothing"
    );
    let test = s.iter().filter(|&&x| x == Split::Test).count();
    assert!((198..=202).contains(&test), "{test}");
    let other = stratified_split(&labels, Some(&groups), &SplitConfig { seed: 4, ..cfg }).unwrap();
    assert_ne!(s, other);
}

#[test]
fn invalid_configs_are_errors() {
    let bad = SplitConfig {
        train: 0.8,
        valid: 0.3,
        test: 0.1,
        seed: 0,
    };
    assert!(stratified_split(&[0u32, 1], None::<&[u8]>, &bad).is_err());
    let neg = SplitConfig {
        train: 1.2,
        valid: -0.2,
        test: 0.0,
        seed: 0,
    };
    assert!(stratified_split(&[0u32, 1], None::<&[u8]>, &neg).is_err());
    assert!(stratified_split(&[0u32, 1], Some(&[1u8][..]), &SplitConfig::default()).is_err());
}
