//! proptest invariances: permutation of samples, relabelling of clusters, ARI(x, x) = 1,
//! streaming = batch, and sort-based AUC = the quadratic Mann–Whitney definition.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use evalkit::{AverageMethod, ConfusionAccumulator, ConfusionMatrix, RegressionAccumulator};
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn permute<T: Clone>(v: &[T], perm: &[usize]) -> Vec<T> {
    perm.iter().map(|&i| v[i].clone()).collect()
}

/// A length-n vector and a permutation of 0..n.
fn with_perm<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T> + Clone,
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = (Vec<T>, Vec<T>, Vec<usize>)> {
    n.prop_flat_map(move |n| {
        (
            proptest::collection::vec(s.clone(), n),
            proptest::collection::vec(s.clone(), n),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn ranking_metrics_invariant_to_permutation(
        (y, s, perm) in with_perm((0i64..2, 0u8..20).prop_map(|(a, b)| (a, b as f64 / 10.0)), 2..60)
    ) {
        let yt: Vec<i64> = y.iter().map(|p| p.0).collect();
        let sc: Vec<f64> = s.iter().map(|p| p.1).collect();
        let (yp, sp) = (permute(&yt, &perm), permute(&sc, &perm));
        match (evalkit::roc_auc(&yt, &sc), evalkit::roc_auc(&yp, &sp)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a, b);
                // quadratic Mann-Whitney definition with ties = 1/2
                let (mut num, mut den) = (0.0, 0.0);
                for i in 0..yt.len() { for j in 0..yt.len() {
                    if yt[i] == 1 && yt[j] == 0 {
                        den += 1.0;
                        num += if sc[i] > sc[j] { 1.0 } else if sc[i] == sc[j] { 0.5 } else { 0.0 };
                    }
                }}
                prop_assert!(close(a, num / den));
            }
            (Err(_), Err(_)) => {}
            (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
        }
        if let (Ok(a), Ok(b)) = (evalkit::average_precision(&yt, &sc), evalkit::average_precision(&yp, &sp)) {
            prop_assert!(close(a, b));
        }
    }

    #[test]
    fn classification_invariant_to_permutation((t, p, perm) in with_perm(0i64..4, 1..50)) {
        let (tp, pp) = (permute(&t, &perm), permute(&p, &perm));
        prop_assert_eq!(ConfusionMatrix::new(&t, &p, None).unwrap(), ConfusionMatrix::new(&tp, &pp, None).unwrap());
        prop_assert!(close(evalkit::mcc(&t, &p).unwrap(), evalkit::mcc(&tp, &pp).unwrap()));
    }

    #[test]
    fn regression_invariant_to_permutation((t, p, perm) in with_perm(-100.0f64..100.0, 3..60)) {
        let (tp, pp) = (permute(&t, &perm), permute(&p, &perm));
        prop_assert!(close(evalkit::mse(&t, &p).unwrap(), evalkit::mse(&tp, &pp).unwrap()));
        prop_assert!(close(evalkit::r2(&t, &p).unwrap(), evalkit::r2(&tp, &pp).unwrap()));
        prop_assert!(close(evalkit::spearman(&t, &p).unwrap(), evalkit::spearman(&tp, &pp).unwrap()));
        prop_assert!(close(evalkit::pearson(&t, &p).unwrap(), evalkit::pearson(&tp, &pp).unwrap()));
    }

    #[test]
    fn clustering_invariant_to_permutation_and_relabelling(
        (t, p, perm) in with_perm(-3i64..5, 1..80),
        shift in 1i64..1000,
    ) {
        let a = evalkit::clustering_scores(&t, &p).unwrap();
        let b = evalkit::clustering_scores(&permute(&t, &perm), &permute(&p, &perm)).unwrap();
        // relabel: an injective map of ids (negate and shift)
        let relabel = |v: &[i64]| v.iter().map(|x| -x * 7 + shift).collect::<Vec<_>>();
        let c = evalkit::clustering_scores(&relabel(&t), &relabel(&p)).unwrap();
        for (x, y) in [(a, b), (a, c)] {
            prop_assert!(close(x.adjusted_rand_index, y.adjusted_rand_index));
            prop_assert!(close(x.adjusted_mutual_info, y.adjusted_mutual_info));
            prop_assert!(close(x.normalized_mutual_info, y.normalized_mutual_info));
            prop_assert!(close(x.variation_of_information, y.variation_of_information));
            prop_assert!(close(x.fowlkes_mallows, y.fowlkes_mallows));
            prop_assert!(close(x.v_measure, y.v_measure));
            prop_assert!(close(x.rand_index, y.rand_index));
        }
        // swapping the roles swaps homogeneity and completeness
        let s = evalkit::clustering_scores(&p, &t).unwrap();
        prop_assert!(close(s.homogeneity, a.completeness));
    }

    #[test]
    fn partition_with_itself_is_perfect(t in proptest::collection::vec(0i64..6, 1..80)) {
        prop_assert_eq!(evalkit::adjusted_rand_index(&t, &t).unwrap(), 1.0);
        prop_assert!(close(evalkit::adjusted_mutual_info(&t, &t, AverageMethod::Arithmetic).unwrap(), 1.0));
        prop_assert!(evalkit::variation_of_information(&t, &t).unwrap().abs() < 1e-12);
    }

    #[test]
    fn streaming_confusion_equals_batch(
        t in proptest::collection::vec(0i64..3, 1..100),
        cuts in proptest::collection::vec(0usize..100, 0..5),
    ) {
        let p: Vec<i64> = t.iter().enumerate().map(|(i, v)| (v + i as i64 % 2) % 3).collect();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % t.len()).collect();
        cuts.sort_unstable();
        let mut acc = ConfusionAccumulator::new(&[0, 1, 2]).unwrap();
        let mut other = ConfusionAccumulator::new(&[0, 1, 2]).unwrap();
        let mut start = 0;
        for (k, &c) in cuts.iter().chain([&t.len()]).enumerate() {
            let target = if k % 2 == 0 { &mut acc } else { &mut other };
            target.update(&t[start..c.max(start)], &p[start..c.max(start)]).unwrap();
            start = c.max(start);
        }
        acc.merge(&other).unwrap();
        prop_assert_eq!(acc.matrix(), &ConfusionMatrix::new(&t, &p, Some(&[0, 1, 2])).unwrap());
    }

    #[test]
    fn streaming_regression_equals_batch(
        t in proptest::collection::vec(-1e3f64..1e3, 3..120),
        offset in -1e6f64..1e6,
        split in 0usize..120,
    ) {
        let t: Vec<f64> = t.iter().map(|v| v + offset).collect();
        let p: Vec<f64> = t.iter().enumerate().map(|(i, v)| v * 0.9 + (i as f64).sin() * 10.0).collect();
        let k = split % t.len();
        let (mut a, mut b) = (RegressionAccumulator::new(), RegressionAccumulator::new());
        a.update(&t[..k], &p[..k]).unwrap();
        b.update(&t[k..], &p[k..]).unwrap();
        a.merge(&b);
        prop_assert_eq!(a.count(), t.len() as u64);
        prop_assert!(close(a.mse().unwrap(), evalkit::mse(&t, &p).unwrap()));
        prop_assert!(close(a.mae().unwrap(), evalkit::mae(&t, &p).unwrap()));
        prop_assert!(close(a.r2().unwrap(), evalkit::r2(&t, &p).unwrap()), "{} vs {}", a.r2().unwrap(), evalkit::r2(&t, &p).unwrap());
        if let Ok(r) = evalkit::pearson(&t, &p) {
            prop_assert!((a.pearson().unwrap() - r).abs() < 1e-9);
        }
    }
}
