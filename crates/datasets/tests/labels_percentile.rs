//! Percentile labels, the annotation join and class balancing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use datasets::Error;
use datasets::error::LabelsError;
use datasets::labels::{
    ExpressionClass, JoinKey, PercentileRule, balance_by_downsampling, join_to_annotation,
    label_by_percentile, percentile,
};
use genome_io::expression::ExpressionTable;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Reference values printed in numpy's `percentile` documentation (numpy 1.26/2.x).
#[test]
fn percentile_matches_numpy_doc_examples() {
    // a = np.array([[10, 7, 4], [3, 2, 1]]); np.percentile(a, 50) -> 3.5
    assert_eq!(
        percentile(&[10.0, 7.0, 4.0, 3.0, 2.0, 1.0], 50.0),
        Some(3.5)
    );
    // rows: np.percentile(a, 50, axis=1) -> [7., 2.]
    assert_eq!(percentile(&[10.0, 7.0, 4.0], 50.0), Some(7.0));
    assert_eq!(percentile(&[3.0, 2.0, 1.0], 50.0), Some(2.0));
    // columns: np.percentile(a, 50, axis=0) -> [6.5, 4.5, 2.5]
    assert_eq!(percentile(&[10.0, 3.0], 50.0), Some(6.5));
    assert_eq!(percentile(&[7.0, 2.0], 50.0), Some(4.5));
    assert_eq!(percentile(&[4.0, 1.0], 50.0), Some(2.5));
}

/// Against an independent formulation: order statistics at integer virtual indices, and the
/// Hyndman–Fan type-7 formula `x[j] + g (x[j+1] - x[j])` elsewhere.
#[test]
fn percentile_type7_property() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for n in 1..40usize {
        let v: Vec<f64> = (0..n).map(|_| rng.random_range(-100.0..100.0)).collect();
        let mut s = v.clone();
        s.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(percentile(&v, 0.0), Some(s[0]));
        assert_eq!(percentile(&v, 100.0), Some(s[n - 1]));
        for q in [1.0, 10.0, 25.0, 33.3, 50.0, 75.0, 90.0, 99.0] {
            let h = (n - 1) as f64 * q / 100.0;
            let j = h.floor() as usize;
            let g = h - j as f64;
            let want = if j + 1 < n {
                s[j] + g * (s[j + 1] - s[j])
            } else {
                s[j]
            };
            let got = percentile(&v, q).unwrap();
            assert!(
                (got - want).abs() <= 1e-12 * (1.0 + want.abs()),
                "n={n} q={q}: {got} vs {want}"
            );
        }
    }
    assert_eq!(percentile(&[1.0, f64::NAN], 50.0), None);
    assert_eq!(percentile(&[1.0], 101.0), None);
}

fn random_table(genes: usize, cols: usize, seed: u64) -> ExpressionTable {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let values = (0..genes * cols)
        .map(|_| rng.random_range(0.0..50.0_f64).round())
        .collect();
    ExpressionTable::from_rows(
        (0..genes)
            .map(|i| format!("ENSG{i:011}.{}", i % 3 + 1))
            .collect(),
        (0..cols).map(|j| format!("tissue{j}")).collect(),
        values,
    )
    .unwrap()
}

#[test]
fn all_tissue_rule_brute_force() {
    let t = random_table(400, 3, 11);
    let rule = PercentileRule {
        high: 60.0,
        low: 40.0,
    };
    let l = label_by_percentile(&t, &rule).unwrap();
    for j in 0..t.n_columns() {
        assert_eq!(Some(l.high_thresholds[j]), percentile(&t.column(j), 60.0));
        assert_eq!(Some(l.low_thresholds[j]), percentile(&t.column(j), 40.0));
    }
    for i in 0..t.n_genes() {
        let r = t.row(i);
        let high = (0..3).all(|j| r[j] > l.high_thresholds[j]);
        let low = (0..3).all(|j| r[j] < l.low_thresholds[j]);
        let want = if high {
            ExpressionClass::High
        } else if low {
            ExpressionClass::Low
        } else {
            ExpressionClass::Middle
        };
        assert_eq!(l.classes[i], want, "gene {i}");
    }
    let (lo, mid, hi) = l.counts();
    assert!(lo > 0 && hi > 0 && lo + mid + hi == 400);
}

#[test]
fn rule_errors() {
    let t = random_table(50, 2, 1);
    let bad = label_by_percentile(
        &t,
        &PercentileRule {
            high: 20.0,
            low: 80.0,
        },
    );
    assert!(matches!(
        bad,
        Err(Error::Labels(LabelsError::InvalidArgument(_)))
    ));
    // a constant table has nobody strictly above the 75th percentile
    let flat = ExpressionTable::from_rows(
        vec!["a".into(), "b".into()],
        vec!["t".into()],
        vec![1.0, 1.0],
    )
    .unwrap();
    match label_by_percentile(&flat, &PercentileRule::default()) {
        Err(Error::Labels(LabelsError::Class { counts, .. })) => {
            assert!(counts.contains("middle=2"), "{counts}")
        }
        r => panic!("{r:?}"),
    }
}

#[test]
fn join_by_id_and_name_with_counts() {
    let t = random_table(10, 2, 3);
    // annotation: 4 records of table genes (one twice, as two transcripts, other versions), 2 unknown
    let annot = [
        ("ENSG00000000002.9".to_string(), "G2".to_string()),
        ("ENSG00000000005".to_string(), "G5".to_string()),
        ("ENSG99999999999.1".to_string(), "NOPE".to_string()),
        ("ENSG00000000002.9".to_string(), "G2".to_string()),
        ("ENSG00000000009.1".to_string(), "G9".to_string()),
        ("ENSG99999999998.1".to_string(), "G0".to_string()),
    ];
    let j = join_to_annotation(
        t.gene_ids(),
        annot.iter().map(|(a, b)| (a, b)),
        JoinKey::GeneId,
    )
    .unwrap();
    assert_eq!(j.report.annotation_records, 6);
    assert_eq!(j.report.matched_records, 4);
    assert_eq!(j.report.matched_table_genes, 3);
    let pairs: Vec<(usize, usize)> = j
        .matches
        .iter()
        .map(|m| (m.annotation_index, m.table_index))
        .collect();
    assert_eq!(pairs, vec![(0, 2), (1, 5), (3, 2), (4, 9)]);
    // by name: table keys are names; "G0" twice in the table is ambiguous and never matched
    let names: Vec<String> = ["G0", "G1", "G0", "G5"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let j =
        join_to_annotation(&names, annot.iter().map(|(a, b)| (a, b)), JoinKey::GeneName).unwrap();
    assert_eq!(j.report.ambiguous_table_keys, 1);
    assert_eq!(j.matches.len(), 1);
    assert_eq!(
        (j.matches[0].annotation_index, j.matches[0].table_index),
        (1, 3)
    );
}

#[test]
fn join_zero_matches_is_typed_with_counts() {
    let t = random_table(10, 2, 3);
    let e = join_to_annotation(
        t.gene_ids(),
        [("ENSMUSG1", "x"), ("ENSMUSG2", "y")],
        JoinKey::GeneId,
    )
    .unwrap_err();
    match &e {
        Error::Labels(LabelsError::JoinNoMatch {
            table_genes,
            annotation_genes,
            ..
        }) => assert_eq!((*table_genes, *annotation_genes), (10, 2)),
        e => panic!("{e:?}"),
    }
    assert!(e.to_string().contains("0 matched"));
}

#[test]
fn balancing_is_seeded_and_balanced() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let labels: Vec<u8> = (0..1000)
        .map(|_| if rng.random_bool(0.2) { 1 } else { 0 })
        .collect();
    let ones = labels.iter().filter(|&&l| l == 1).count();
    let a = balance_by_downsampling(&labels, 1).unwrap();
    assert_eq!(a.len(), 2 * ones);
    assert_eq!(a.iter().filter(|&&i| labels[i] == 1).count(), ones);
    assert!(a.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
    assert_eq!(a, balance_by_downsampling(&labels, 1).unwrap());
    assert_ne!(a, balance_by_downsampling(&labels, 2).unwrap());
    assert!(matches!(
        balance_by_downsampling(&[1u8, 1, 1], 0),
        Err(Error::Labels(LabelsError::Class { .. }))
    ));
    assert!(matches!(
        balance_by_downsampling::<u8>(&[], 0),
        Err(Error::Labels(LabelsError::Class { .. }))
    ));
}
