//! The registry against inline data and against the scikit-learn oracles of
//! ../shared/oracles/metrics.
#![allow(clippy::unwrap_used)]

use approx::assert_relative_eq;
use serde_json::Value;

use super::*;

fn no_ci() -> BootstrapConfig {
    BootstrapConfig {
        n_resamples: 0,
        ..Default::default()
    }
}

fn oracle(file: &str, case: &str) -> Value {
    let dir = std::env::var_os("SEQ2EXPR_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").into());
    let p = dir.join("oracles/metrics").join(file);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == case)
        .unwrap_or_else(|| panic!("{file}: no case {case}"))
        .clone()
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

fn reals(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn value(r: &Report, name: &str) -> f64 {
    r.get(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .value
        .unwrap_or_else(|| panic!("{name} undefined"))
}

#[test]
fn names_are_unique_per_task() {
    for task in [
        Task::Binary,
        Task::Multiclass,
        Task::Regression,
        Task::Clustering,
    ] {
        let mut names = metric_names(task);
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "{task:?}");
    }
}

#[test]
fn absent_inputs_and_undefined_metrics_are_recorded() {
    let r = report_classification(
        Task::Binary,
        &[1, 1, 1],
        None,
        Some(&[0.1, 0.2, 0.3]),
        &no_ci(),
    )
    .unwrap();
    assert_eq!(r.get("mcc").unwrap().error.as_deref(), Some(MISSING_INPUT));
    assert!(
        r.get("roc_auc")
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("one class")
    );
    let j = r.to_json();
    assert_eq!(j["errors"].as_object().unwrap().len(), 6);
    assert_eq!(j["n"], 3);
}

#[test]
fn bad_inputs_are_errors() {
    let cfg = no_ci();
    assert!(matches!(
        report_regression(&[1.0, 2.0], &[1.0], &cfg),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        report_clustering(&[], &[], &cfg),
        Err(Error::Empty(_))
    ));
    let wrong = Inputs::Regression {
        y_true: &[1.0],
        y_pred: &[1.0],
    };
    assert!(matches!(
        report(Task::Clustering, wrong, &cfg),
        Err(Error::InvalidArgument(_))
    ));
    let bad_level = BootstrapConfig {
        n_resamples: 10,
        level: 1.5,
        seed: 0,
    };
    assert!(report_regression(&[1.0, 2.0], &[1.0, 3.0], &bad_level).is_err());
    let dup = [
        ("a", &[1.0, 2.0][..], &[1.0, 2.0][..]),
        ("a", &[1.0][..], &[1.0][..]),
    ];
    assert!(matches!(
        report_regression_columns(&dup, &cfg),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn bootstrap_is_seeded_and_brackets_the_value() {
    let cfg = BootstrapConfig {
        n_resamples: 200,
        level: 0.9,
        seed: 5,
    };
    let t = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    let p = [1.2, 1.9, 3.5, 3.8, 5.1, 6.4, 6.6, 8.3];
    let a = report_regression(&t, &p, &cfg).unwrap();
    assert_eq!(a, report_regression(&t, &p, &cfg).unwrap());
    for m in &a.metrics {
        let ci = m.ci.unwrap();
        assert!(ci.lower <= ci.upper, "{}", m.name);
    }
    let j = a.to_json();
    assert_eq!(j["ci"]["_settings"]["level"], 0.9);
    assert_eq!(j["ci"]["_settings"]["n_resamples"], 200);
    assert_eq!(serde_json::to_value(&a).unwrap(), j);
}

#[test]
#[ignore = "reads ../shared"]
fn binary_matches_sklearn() {
    let c = oracle("classification.json", "binary_random_n50");
    let (t, p, s) = (ints(&c["y_true"]), ints(&c["y_pred"]), reals(&c["y_score"]));
    let r = report_classification(Task::Binary, &t, Some(&p), Some(&s), &no_ci()).unwrap();
    let o = &c["results"];
    for (name, key) in [
        ("accuracy", "accuracy"),
        ("precision", "precision_binary_zd0"),
        ("recall", "recall_binary_zd0"),
        ("f1", "f1_binary_zd0"),
        ("mcc", "mcc"),
        ("roc_auc", "roc_auc"),
        ("average_precision", "average_precision"),
    ] {
        assert_relative_eq!(
            value(&r, name),
            o[key].as_f64().unwrap(),
            max_relative = 1e-12
        );
    }
}

#[test]
#[ignore = "reads ../shared"]
fn multiclass_matches_sklearn() {
    let d: Value = {
        let dir = std::env::var_os("SEQ2EXPR_SHARED")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").into());
        let p = dir.join("oracles/metrics/classification.json");
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let cases: Vec<&Value> = d["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "multiclass")
        .collect();
    assert!(!cases.is_empty());
    for c in cases {
        let (t, p) = (ints(&c["y_true"]), ints(&c["y_pred"]));
        let r = report_classification(Task::Multiclass, &t, Some(&p), None, &no_ci()).unwrap();
        let o = &c["results"];
        assert_relative_eq!(value(&r, "accuracy"), o["accuracy"].as_f64().unwrap());
        assert_relative_eq!(
            value(&r, "mcc"),
            o["mcc"].as_f64().unwrap(),
            max_relative = 1e-12
        );
        for suffix in ["micro", "weighted"] {
            for m in ["precision", "recall", "f1"] {
                let Some(want) = o[format!("{m}_{suffix}_zd0")].as_f64() else {
                    continue;
                };
                let got = value(&r, &format!("{m}_{suffix}"));
                assert_relative_eq!(got, want, max_relative = 1e-12);
            }
        }
    }
}

#[test]
#[ignore = "reads ../shared"]
fn regression_matches_sklearn() {
    let c = oracle("regression.json", "random_gaussian_n100");
    let r = report_regression(&reals(&c["y_true"]), &reals(&c["y_pred"]), &no_ci()).unwrap();
    let o = &c["results"];
    let pearson = o["pearson"]["r"].as_f64().unwrap();
    for (name, want) in [
        ("r2", o["r2"].as_f64().unwrap()),
        ("pearson_r2", pearson * pearson),
        ("mse", o["mse"].as_f64().unwrap()),
        ("mae", o["mae"].as_f64().unwrap()),
        ("pearson", pearson),
        ("spearman", o["spearman"]["rho"].as_f64().unwrap()),
    ] {
        assert_relative_eq!(value(&r, name), want, max_relative = 1e-12);
    }
    let cols = [("a", &reals(&c["y_true"])[..], &reals(&c["y_pred"])[..])];
    let per_column = report_regression_columns(&cols, &no_ci()).unwrap();
    assert_eq!(per_column[0].report, r);
}

#[test]
#[ignore = "reads ../shared"]
fn clustering_matches_sklearn() {
    let c = oracle("clustering.json", "random_n200_ka5_kb3");
    let r =
        report_clustering(&ints(&c["labels_true"]), &ints(&c["labels_pred"]), &no_ci()).unwrap();
    let o = &c["results"];
    let hcv = &o["homogeneity_completeness_v_measure"];
    for (name, want) in [
        ("rand_index", &o["rand"]),
        ("adjusted_rand_index", &o["adjusted_rand"]),
        ("mutual_info", &o["mutual_info_nats"]),
        ("normalized_mutual_info", &o["nmi_arithmetic"]),
        ("adjusted_mutual_info", &o["ami_arithmetic"]),
        ("fowlkes_mallows", &o["fowlkes_mallows"]),
        ("homogeneity", &hcv["homogeneity"]),
        ("completeness", &hcv["completeness"]),
        ("v_measure", &hcv["v_measure"]),
        (
            "variation_of_information",
            &o["variation_of_information_nats"],
        ),
    ] {
        assert_relative_eq!(value(&r, name), want.as_f64().unwrap(), max_relative = 1e-9);
    }
}
