//! Every case and every metric of shared/oracles/metrics/classification.json (scikit-learn
//! 1.9.1) to 1e-9. Conventions: null = NaN -> we must return an error; a metric that scikit-learn
//! computes with an "No positive class found" warning (average precision without positives) is a
//! documented deviation: we return `Error::SingleClass`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::{Checker, f64s, i64s, oracle};
use evalkit::{Average, ConfusionMatrix, ZeroDivision, precision_recall_f1};
use serde_json::Value;

fn zd(s: &str) -> ZeroDivision {
    if s.ends_with("zd1") {
        ZeroDivision::One
    } else {
        ZeroDivision::Zero
    }
}

fn prf_pick(p: &evalkit::Prf, key: &str) -> f64 {
    if key.starts_with("precision") {
        p.precision
    } else if key.starts_with("recall") {
        p.recall
    } else {
        p.f1
    }
}

fn rows_f64(v: &Value) -> Vec<f64> {
    v.as_array().expect("rows").iter().flat_map(f64s).collect()
}

fn binary(ck: &mut Checker, case: &Value) {
    let name = case["name"].as_str().expect("name");
    let (t, p, s) = (
        i64s(&case["y_true"]),
        i64s(&case["y_pred"]),
        f64s(&case["y_score"]),
    );
    let warned = |m: &str| case["warnings"][m].to_string();
    for (key, want) in case["results"].as_object().expect("results") {
        let k = key.as_str();
        match k {
            "accuracy" => ck.res(name, k, evalkit::accuracy(&t, &p), want),
            "balanced_accuracy" => ck.res(
                name,
                k,
                ConfusionMatrix::new(&t, &p, None).map(|c| c.balanced_accuracy()),
                want,
            ),
            "mcc" => ck.res(name, k, evalkit::mcc(&t, &p), want),
            "roc_auc" => ck.res(name, k, evalkit::roc_auc(&t, &s), want),
            "average_precision" => {
                if warned(k).contains("No positive class") {
                    ck.err(name, k, evalkit::average_precision(&t, &s));
                } else {
                    ck.res(name, k, evalkit::average_precision(&t, &s), want)
                }
            }
            "log_loss" => ck.res(name, k, evalkit::log_loss(&t, &s), want),
            "brier" => ck.res(name, k, evalkit::brier(&t, &s), want),
            "confusion_matrix_labels01" => {
                let cm = ConfusionMatrix::new(&t, &p, Some(&[0, 1])).expect("cm");
                let got: Vec<f64> = cm.to_rows().concat().iter().map(|&x| x as f64).collect();
                ck.vec(name, k, &got, &rows_f64(want));
            }
            "roc_curve_no_drop" => match evalkit::roc_curve(&t, &s, false) {
                Ok(c) => {
                    ck.vec(name, "roc fpr", &c.fpr, &f64s(&want["fpr"]));
                    ck.vec(name, "roc tpr", &c.tpr, &f64s(&want["tpr"]));
                    ck.vec(
                        name,
                        "roc thresholds",
                        &c.thresholds,
                        &f64s(&want["thresholds"]),
                    );
                }
                Err(e) => ck.failures.push(format!("{name} / {k}: {e}")),
            },
            "precision_recall_curve" => match evalkit::precision_recall_curve(&t, &s) {
                Ok(c) => {
                    ck.vec(
                        name,
                        "pr precision",
                        &c.precision,
                        &f64s(&want["precision"]),
                    );
                    ck.vec(name, "pr recall", &c.recall, &f64s(&want["recall"]));
                    ck.vec(
                        name,
                        "pr thresholds",
                        &c.thresholds,
                        &f64s(&want["thresholds"]),
                    );
                    best_f1_vs_curve(ck, name, &t, &s, want);
                }
                Err(e) => ck.failures.push(format!("{name} / {k}: {e}")),
            },
            _ if k.contains("_binary_") => {
                let r = precision_recall_f1(&t, &p, None, Average::Binary, zd(k));
                ck.res(name, k, r.map(|r| prf_pick(&r, k)), want)
            }
            _ if k.contains("_macro_present_labels_") => {
                let r = precision_recall_f1(&t, &p, None, Average::Macro, zd(k));
                ck.res(name, k, r.map(|r| prf_pick(&r, k)), want)
            }
            _ if k.contains("_macro_") => {
                let r = precision_recall_f1(&t, &p, Some(&[0, 1]), Average::Macro, zd(k));
                ck.res(name, k, r.map(|r| prf_pick(&r, k)), want)
            }
            _ => ck
                .failures
                .push(format!("{name} / {k}: metric not covered by the harness")),
        }
    }
}

/// The best-F1 threshold must be the argmax of F1 computed from scikit-learn's own PR curve.
fn best_f1_vs_curve(ck: &mut Checker, name: &str, t: &[i64], s: &[f64], pr: &Value) {
    let (p, r, th) = (
        f64s(&pr["precision"]),
        f64s(&pr["recall"]),
        f64s(&pr["thresholds"]),
    );
    let mut best = (f64::NEG_INFINITY, f64::NAN);
    // highest threshold first; ties keep the highest threshold
    for i in (0..th.len()).rev() {
        let f = if p[i] + r[i] > 0.0 {
            2.0 * p[i] * r[i] / (p[i] + r[i])
        } else {
            0.0
        };
        if f > best.0 + 1e-12 {
            best = (f, th[i]);
        }
    }
    match evalkit::best_f1_threshold(t, s) {
        Ok(b) => {
            ck.num(name, "best_f1 f1", b.f1, best.0);
            ck.num(name, "best_f1 threshold", b.threshold, best.1);
        }
        Err(e) => ck.failures.push(format!("{name} / best_f1: {e}")),
    }
}

fn multiclass(ck: &mut Checker, case: &Value) {
    let name = case["name"].as_str().expect("name");
    let (t, p) = (i64s(&case["y_true"]), i64s(&case["y_pred"]));
    let k = case["n_classes"].as_u64().expect("k") as usize;
    let labels: Vec<i64> = (0..k as i64).collect();
    let cm = ConfusionMatrix::new(&t, &p, Some(&labels)).expect("cm");
    let proba: Option<Vec<f64>> = case.get("proba").map(rows_f64);
    for (key, want) in case["results"].as_object().expect("results") {
        let m = key.as_str();
        match m {
            "accuracy" => ck.res(name, m, Ok(cm.accuracy()), want),
            "balanced_accuracy" => ck.res(name, m, Ok(cm.balanced_accuracy()), want),
            "mcc" => ck.res(name, m, evalkit::mcc(&t, &p), want),
            "confusion_matrix" => {
                let got: Vec<f64> = cm.to_rows().concat().iter().map(|&x| x as f64).collect();
                ck.vec(name, m, &got, &rows_f64(want));
            }
            "roc_auc_ovr_macro" => {
                let pr = proba.as_ref().expect("proba");
                ck.res(name, m, evalkit::roc_auc_ovr_macro(&t, pr, k), want)
            }
            "roc_auc_ovo_macro" => {
                let pr = proba.as_ref().expect("proba");
                ck.res(name, m, evalkit::roc_auc_ovo_macro(&t, pr, k), want)
            }
            _ if m.contains("_per_class_") => {
                let per = cm.per_class(ZeroDivision::Zero).expect("per class");
                let got: Vec<f64> = per.iter().map(|x| prf_pick(x, m)).collect();
                ck.vec(name, m, &got, &f64s(want));
            }
            _ => {
                let avg = if m.contains("_macro_") {
                    Average::Macro
                } else if m.contains("_micro_") {
                    Average::Micro
                } else if m.contains("_weighted_") {
                    Average::Weighted
                } else {
                    ck.failures
                        .push(format!("{name} / {m}: metric not covered by the harness"));
                    continue;
                };
                let r = precision_recall_f1(&t, &p, Some(&labels), avg, ZeroDivision::Zero);
                ck.res(name, m, r.map(|r| prf_pick(&r, m)), want)
            }
        }
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn classification_oracle_every_case() {
    let data = oracle("classification.json");
    let cases = data["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 24, "README announces 24 cases");
    let mut ck = Checker::default();
    for case in cases {
        match case["kind"].as_str() {
            Some("binary") => binary(&mut ck, case),
            Some("multiclass") => multiclass(&mut ck, case),
            other => ck.failures.push(format!("unknown kind {other:?}")),
        }
    }
    ck.finish("classification.json", 500);
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn roc_drop_intermediate_matches_sklearn() {
    let fx = common::fixture("stats.json");
    let data = oracle("classification.json");
    let mut ck = Checker::default();
    for want in fx["roc_drop_intermediate"].as_array().expect("roc") {
        let name = want["name"].as_str().expect("name");
        let case = data["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| c["name"] == name)
            .expect("case");
        let c =
            evalkit::roc_curve(&i64s(&case["y_true"]), &f64s(&case["y_score"]), true).expect("roc");
        ck.vec(name, "fpr", &c.fpr, &f64s(&want["fpr"]));
        ck.vec(name, "tpr", &c.tpr, &f64s(&want["tpr"]));
        ck.vec(
            name,
            "thresholds",
            &c.thresholds,
            &f64s(&want["thresholds"]),
        );
    }
    ck.finish("roc drop_intermediate", 30);
}
