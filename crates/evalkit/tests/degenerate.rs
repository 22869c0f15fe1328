//! Degenerate input returns the documented typed error (see the table in `evalkit::error`), and
//! scikit-learn's defined values are matched where it defines one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use evalkit::{Average, Error, ZeroDivision};

#[test]
fn empty_and_mismatched_inputs() {
    assert!(matches!(evalkit::accuracy(&[], &[]), Err(Error::Empty(_))));
    assert!(matches!(evalkit::mse(&[], &[]), Err(Error::Empty(_))));
    assert!(matches!(evalkit::roc_auc(&[], &[]), Err(Error::Empty(_))));
    assert!(matches!(
        evalkit::adjusted_rand_index(&[], &[]),
        Err(Error::Empty(_))
    ));
    assert!(matches!(
        evalkit::mse(&[1.0], &[1.0, 2.0]),
        Err(Error::LengthMismatch {
            left: 1,
            right: 2,
            ..
        })
    ));
    assert!(matches!(
        evalkit::mcc(&[1], &[1, 0]),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        evalkit::mutual_info(&[1, 2], &[1]),
        Err(Error::LengthMismatch { .. })
    ));
}

#[test]
fn constant_vectors_for_correlations() {
    assert!(matches!(
        evalkit::pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]),
        Err(Error::Constant("y_true"))
    ));
    assert!(matches!(
        evalkit::spearman(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]),
        Err(Error::Constant("y_pred"))
    ));
    assert!(matches!(
        evalkit::pearson_r2(&[2.0, 2.0], &[1.0, 2.0]),
        Err(Error::Constant(_))
    ));
    assert!(matches!(
        evalkit::r2_strict(&[2.0, 2.0], &[1.0, 2.0]),
        Err(Error::Constant(_))
    ));
    assert!(matches!(
        evalkit::pearson(&[1.0], &[2.0]),
        Err(Error::TooFewSamples { .. })
    ));
}

#[test]
fn single_class_for_ranking_metrics() {
    assert!(matches!(
        evalkit::roc_auc(&[1, 1, 1], &[0.1, 0.2, 0.3]),
        Err(Error::SingleClass(_))
    ));
    assert!(matches!(
        evalkit::roc_auc(&[0, 0], &[0.1, 0.2]),
        Err(Error::SingleClass(_))
    ));
    assert!(matches!(
        evalkit::roc_curve(&[0, 0], &[0.1, 0.2], true),
        Err(Error::SingleClass(_))
    ));
    assert!(matches!(
        evalkit::average_precision(&[0, 0], &[0.1, 0.2]),
        Err(Error::SingleClass(_))
    ));
    // only positives: AP is defined (1.0), as scikit-learn
    assert_eq!(
        evalkit::average_precision(&[1, 1], &[0.1, 0.2]).unwrap(),
        1.0
    );
}

#[test]
fn invalid_values_and_labels() {
    assert!(matches!(
        evalkit::roc_auc(&[0, 1], &[0.1, f64::NAN]),
        Err(Error::NonFinite { index: 1, .. })
    ));
    assert!(matches!(
        evalkit::mse(&[f64::INFINITY], &[1.0]),
        Err(Error::NonFinite { index: 0, .. })
    ));
    assert!(matches!(
        evalkit::roc_auc(&[0, 2], &[0.1, 0.2]),
        Err(Error::InvalidLabel {
            label: 2,
            index: 1,
            ..
        })
    ));
    let r =
        evalkit::precision_recall_f1(&[0, 3], &[0, 1], None, Average::Binary, ZeroDivision::Zero);
    assert!(matches!(r, Err(Error::InvalidLabel { label: 3, .. })));
    let cm = evalkit::ConfusionMatrix::new(&[0, 5], &[0, 1], Some(&[0, 1]));
    assert!(matches!(
        cm,
        Err(Error::InvalidLabel {
            label: 5,
            index: 1,
            ..
        })
    ));
}

#[test]
fn sklearn_defined_values_are_matched() {
    // MCC of a constant prediction is 0 (scikit-learn)
    assert_eq!(evalkit::mcc(&[0, 1, 0, 1], &[1, 1, 1, 1]).unwrap(), 0.0);
    // zero_division: no predicted positive
    let z =
        evalkit::precision_recall_f1(&[0, 0], &[0, 0], None, Average::Binary, ZeroDivision::Zero)
            .unwrap();
    assert_eq!((z.precision, z.recall, z.f1), (0.0, 0.0, 0.0));
    let o =
        evalkit::precision_recall_f1(&[0, 0], &[0, 0], None, Average::Binary, ZeroDivision::One)
            .unwrap();
    assert_eq!((o.precision, o.recall, o.f1), (1.0, 1.0, 1.0));
    let e =
        evalkit::precision_recall_f1(&[0, 0], &[0, 0], None, Average::Binary, ZeroDivision::Error);
    assert!(matches!(e, Err(Error::ZeroDivision(_))));
    // R² of constant y_true: scikit-learn's force_finite values
    assert_eq!(evalkit::r2(&[3.0, 3.0], &[3.0, 3.0]).unwrap(), 1.0);
    assert_eq!(evalkit::r2(&[3.0, 3.0], &[2.0, 3.0]).unwrap(), 0.0);
}
