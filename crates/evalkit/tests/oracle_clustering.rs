//! Every case and metric of shared/oracles/metrics/clustering.json (scikit-learn 1.9.1, scipy
//! 1.17.1) to 1e-9.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::{Checker, f64s, i64s, oracle};
use evalkit::{AverageMethod, Contingency};

fn method(s: &str) -> AverageMethod {
    match s {
        "min" => AverageMethod::Min,
        "geometric" => AverageMethod::Geometric,
        "max" => AverageMethod::Max,
        _ => AverageMethod::Arithmetic,
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn clustering_oracle_every_case() {
    let data = oracle("clustering.json");
    let cases = data["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 17, "README announces 17 cases");
    let mut ck = Checker::default();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let (t, p) = (i64s(&case["labels_true"]), i64s(&case["labels_pred"]));
        let c = Contingency::new(&t, &p).expect("contingency");
        let all = evalkit::clustering_scores(&t, &p).expect("scores");
        for (key, want) in case["results"].as_object().expect("results") {
            let k = key.as_str();
            let w = || {
                want.as_f64()
                    .unwrap_or_else(|| panic!("{name}/{k} not a number"))
            };
            match k {
                "adjusted_rand" => {
                    ck.num(
                        name,
                        k,
                        evalkit::adjusted_rand_index(&t, &p).expect("ari"),
                        w(),
                    );
                    ck.num(
                        name,
                        "scores.adjusted_rand_index",
                        all.adjusted_rand_index,
                        w(),
                    );
                }
                "rand" => {
                    ck.num(name, k, evalkit::rand_index(&t, &p).expect("ri"), w());
                    ck.num(name, "scores.rand_index", all.rand_index, w());
                }
                "pair_confusion_matrix" => {
                    let got: Vec<f64> = c
                        .pair_confusion()
                        .concat()
                        .iter()
                        .map(|&x| x as f64)
                        .collect();
                    let want: Vec<f64> = want
                        .as_array()
                        .expect("rows")
                        .iter()
                        .flat_map(f64s)
                        .collect();
                    ck.vec(name, k, &got, &want);
                }
                "contingency_matrix" => {
                    let got: Vec<f64> = c.to_dense().concat().iter().map(|&x| x as f64).collect();
                    let want: Vec<f64> = want
                        .as_array()
                        .expect("rows")
                        .iter()
                        .flat_map(f64s)
                        .collect();
                    ck.vec(name, k, &got, &want);
                }
                "mutual_info_nats" => {
                    ck.num(name, k, evalkit::mutual_info(&t, &p).expect("mi"), w());
                    ck.num(name, "scores.mutual_info", all.mutual_info, w());
                }
                "fowlkes_mallows" => {
                    ck.num(name, k, evalkit::fowlkes_mallows(&t, &p).expect("fm"), w());
                    ck.num(name, "scores.fowlkes_mallows", all.fowlkes_mallows, w());
                }
                "homogeneity_completeness_v_measure" => {
                    let (h, cc, v) = c.homogeneity_completeness_v(1.0);
                    let get = |f: &str| want[f].as_f64().expect("hcv");
                    ck.num(name, "homogeneity", h, get("homogeneity"));
                    ck.num(name, "completeness", cc, get("completeness"));
                    ck.num(name, "v_measure", v, get("v_measure"));
                    ck.num(
                        name,
                        "fn homogeneity",
                        evalkit::homogeneity(&t, &p).expect("h"),
                        get("homogeneity"),
                    );
                    ck.num(
                        name,
                        "fn completeness",
                        evalkit::completeness(&t, &p).expect("c"),
                        get("completeness"),
                    );
                    ck.num(
                        name,
                        "fn v_measure",
                        evalkit::v_measure(&t, &p).expect("v"),
                        get("v_measure"),
                    );
                    ck.num(name, "scores.v_measure", all.v_measure, get("v_measure"));
                }
                "v_measure_beta_0.5" => ck.num(name, k, c.homogeneity_completeness_v(0.5).2, w()),
                "entropy_true_nats" => ck.num(name, k, c.entropy_true(), w()),
                "entropy_pred_nats" => ck.num(name, k, c.entropy_pred(), w()),
                "entropy_true_nats_via_mi_self" => {
                    ck.num(name, k, evalkit::mutual_info(&t, &t).expect("mi self"), w())
                }
                "variation_of_information_nats" => {
                    ck.num(
                        name,
                        k,
                        evalkit::variation_of_information(&t, &p).expect("vi"),
                        w(),
                    );
                    ck.num(name, "scores.vi", all.variation_of_information, w());
                }
                _ if k.starts_with("ami_") => {
                    let m = method(&k[4..]);
                    ck.num(
                        name,
                        k,
                        evalkit::adjusted_mutual_info(&t, &p, m).expect("ami"),
                        w(),
                    );
                    if m == AverageMethod::Arithmetic {
                        ck.num(name, "scores.ami", all.adjusted_mutual_info, w());
                    }
                }
                _ if k.starts_with("nmi_") => {
                    let m = method(&k[4..]);
                    ck.num(
                        name,
                        k,
                        evalkit::normalized_mutual_info(&t, &p, m).expect("nmi"),
                        w(),
                    );
                    if m == AverageMethod::Arithmetic {
                        ck.num(name, "scores.nmi", all.normalized_mutual_info, w());
                    }
                }
                _ => ck
                    .failures
                    .push(format!("{name} / {k}: metric not covered by the harness")),
            }
        }
    }
    ck.finish("clustering.json", 400);
}
