//! Every case of shared/oracles/metrics/regression.json (scikit-learn 1.9.1 / scipy 1.17.1) to
//! 1e-9. null (NaN) must be a typed error; `r2` follows scikit-learn's default
//! (`force_finite=True`), `r2_force_finite_false` (-inf / NaN for constant y_true) is matched by
//! `r2_strict` returning `Error::Constant`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::{Checker, f64s, oracle, scalar};

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn regression_oracle_every_case() {
    let data = oracle("regression.json");
    let cases = data["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 16, "README announces 16 cases");
    let mut ck = Checker::default();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let (t, p) = (f64s(&case["y_true"]), f64s(&case["y_pred"]));
        for (key, want) in case["results"].as_object().expect("results") {
            let k = key.as_str();
            match k {
                "r2" => ck.res(name, k, evalkit::r2(&t, &p), want),
                "r2_force_finite_false" => match scalar(want) {
                    Some(w) if w.is_finite() => ck.res(name, k, evalkit::r2_strict(&t, &p), want),
                    _ => ck.err(name, k, evalkit::r2_strict(&t, &p)),
                },
                "mse" => ck.res(name, k, evalkit::mse(&t, &p), want),
                "rmse" => ck.res(name, k, evalkit::mse(&t, &p).map(f64::sqrt), want),
                "mae" => ck.res(name, k, evalkit::mae(&t, &p), want),
                "pearson" => match evalkit::pearson_test(&t, &p) {
                    Ok(c) => {
                        ck.res(name, "pearson r", Ok(c.statistic), &want["r"]);
                        ck.res(
                            name,
                            "pearson r2",
                            evalkit::pearson_r2(&t, &p),
                            &want["r"].as_f64().map(|r| r * r).into(),
                        );
                        match (c.pvalue, scalar(&want["pvalue"])) {
                            (Some(g), Some(w)) => ck.pval_corr(name, "pearson pvalue", g, w),
                            (None, None) => {}
                            (g, w) => ck
                                .failures
                                .push(format!("{name} / pearson pvalue: {g:?} vs {w:?}")),
                        }
                    }
                    Err(e) => {
                        if scalar(&want["r"]).is_some() {
                            ck.failures.push(format!("{name} / pearson: error {e}"));
                        }
                        ck.err(name, "pearson_r2", evalkit::pearson_r2(&t, &p));
                    }
                },
                "spearman" => match evalkit::spearman_test(&t, &p) {
                    Ok(c) => {
                        ck.res(name, "spearman rho", Ok(c.statistic), &want["rho"]);
                        match (c.pvalue, scalar(&want["pvalue"])) {
                            (Some(g), Some(w)) => ck.pval_corr(name, "spearman pvalue", g, w),
                            (None, None) => {}
                            (g, w) => ck
                                .failures
                                .push(format!("{name} / spearman pvalue: {g:?} vs {w:?}")),
                        }
                    }
                    Err(e) => {
                        if scalar(&want["rho"]).is_some() {
                            ck.failures.push(format!("{name} / spearman: error {e}"));
                        }
                    }
                },
                "rankdata_average_y_true" => {
                    ck.vec(name, k, &evalkit::rank_average(&t), &f64s(want))
                }
                "rankdata_average_y_pred" => {
                    ck.vec(name, k, &evalkit::rank_average(&p), &f64s(want))
                }
                // Not part of issue 4 (no evalkit function): explained variance, max / median
                // absolute error, Kendall's tau-b.
                "explained_variance" | "max_error" | "median_absolute_error" | "kendall_tau_b" => {}
                _ => ck
                    .failures
                    .push(format!("{name} / {k}: metric not covered by the harness")),
            }
        }
    }
    ck.finish("regression.json", 150);
}
