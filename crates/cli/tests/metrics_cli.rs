//! `seq2expr metrics` end to end: TSVs written from cases of ../shared/oracles/metrics, output
//! JSON compared with scikit-learn's values to 1e-9; undefined metrics are null with a reason;
//! a malformed TSV is reported with its line number.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn oracle_case(file: &str, name: &str) -> Value {
    let p = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
        .join("oracles/metrics")
        .join(file);
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(&p).expect("oracle")).expect("json");
    v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == name)
        .expect("case")
        .clone()
}

fn write_tsv(dir: &tempfile::TempDir, cols: &[(&str, &Value)]) -> PathBuf {
    let n = cols[0].1.as_array().expect("col").len();
    let mut s = cols.iter().map(|c| c.0).collect::<Vec<_>>().join("\t") + "\n";
    for i in 0..n {
        let row: Vec<String> = cols.iter().map(|c| c.1[i].to_string()).collect();
        s += &(row.join("\t") + "\n");
    }
    let p = dir.path().join("in.tsv");
    std::fs::write(&p, s).expect("write");
    p
}

fn metrics(task: &str, input: &std::path::Path, extra: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .args(["metrics", "--task", task, "--input"])
        .arg(input)
        .args(extra)
        .output()
        .expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn close(got: &Value, want: f64, what: &str) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {got}"));
    assert!(
        (g - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: got {g}, sklearn {want}"
    );
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn binary_matches_sklearn() {
    let c = oracle_case("classification.json", "binary_random_n50");
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_tsv(
        &dir,
        &[
            ("y_true", &c["y_true"]),
            ("y_pred", &c["y_pred"]),
            ("y_score", &c["y_score"]),
        ],
    );
    let (ok, out, err) = metrics("binary", &p, &[]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let r = &c["results"];
    for (key, oracle_key) in [
        ("accuracy", "accuracy"),
        ("precision", "precision_binary_zd0"),
        ("recall", "recall_binary_zd0"),
        ("f1", "f1_binary_zd0"),
        ("mcc", "mcc"),
        ("roc_auc", "roc_auc"),
        ("average_precision", "average_precision"),
    ] {
        close(&v[key], r[oracle_key].as_f64().expect("oracle"), key);
    }
    assert_eq!(v["errors"], serde_json::json!({}));
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn single_class_auc_is_null_with_reason_and_bootstrap_adds_ci() {
    let c = oracle_case("classification.json", "binary_all_true_positive");
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_tsv(
        &dir,
        &[
            ("y_true", &c["y_true"]),
            ("y_pred", &c["y_pred"]),
            ("y_score", &c["y_score"]),
        ],
    );
    let (ok, out, err) = metrics("binary", &p, &["--bootstrap", "50", "--seed", "3"]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert!(c["results"]["roc_auc"].is_null());
    assert!(v["roc_auc"].is_null());
    assert!(
        v["errors"]["roc_auc"]
            .as_str()
            .expect("reason")
            .contains("one class")
    );
    close(
        &v["recall"],
        c["results"]["recall_binary_zd0"].as_f64().expect("r"),
        "recall",
    );
    let ci = &v["ci"]["accuracy"];
    assert!(ci["lower"].as_f64().expect("lo") <= v["accuracy"].as_f64().expect("acc"));
    assert!(ci["upper"].as_f64().expect("hi") >= v["accuracy"].as_f64().expect("acc"));
    let (_, again, _) = metrics("binary", &p, &["--bootstrap", "50", "--seed", "3"]);
    assert_eq!(out, again, "seeded bootstrap is deterministic");
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn regression_and_clustering_match_oracles() {
    let c = oracle_case("regression.json", "random_gaussian_n100");
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_tsv(&dir, &[("y_true", &c["y_true"]), ("y_pred", &c["y_pred"])]);
    let (ok, out, err) = metrics("regression", &p, &[]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let r = &c["results"];
    close(&v["r2"], r["r2"].as_f64().expect("r2"), "r2");
    close(&v["mse"], r["mse"].as_f64().expect("mse"), "mse");
    close(&v["mae"], r["mae"].as_f64().expect("mae"), "mae");
    close(
        &v["pearson"],
        r["pearson"]["r"].as_f64().expect("r"),
        "pearson",
    );
    close(
        &v["pearson_r2"],
        r["pearson"]["r"].as_f64().expect("r").powi(2),
        "pearson_r2",
    );
    close(
        &v["spearman"],
        r["spearman"]["rho"].as_f64().expect("rho"),
        "spearman",
    );

    let c = oracle_case("clustering.json", "random_n200_ka5_kb3");
    let p = write_tsv(
        &dir,
        &[
            ("labels_true", &c["labels_true"]),
            ("labels_pred", &c["labels_pred"]),
        ],
    );
    let (ok, out, err) = metrics("clustering", &p, &[]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let r = &c["results"];
    for (key, want) in [
        ("rand_index", &r["rand"]),
        ("adjusted_rand_index", &r["adjusted_rand"]),
        ("mutual_info", &r["mutual_info_nats"]),
        ("normalized_mutual_info", &r["nmi_arithmetic"]),
        ("adjusted_mutual_info", &r["ami_arithmetic"]),
        ("fowlkes_mallows", &r["fowlkes_mallows"]),
        (
            "homogeneity",
            &r["homogeneity_completeness_v_measure"]["homogeneity"],
        ),
        (
            "completeness",
            &r["homogeneity_completeness_v_measure"]["completeness"],
        ),
        (
            "v_measure",
            &r["homogeneity_completeness_v_measure"]["v_measure"],
        ),
        (
            "variation_of_information",
            &r["variation_of_information_nats"],
        ),
    ] {
        close(&v[key], want.as_f64().expect("oracle"), key);
    }
}

#[test]
fn constant_prediction_gives_null_pearson_with_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("c.tsv");
    std::fs::write(&p, "y_true\ty_pred\n1\t2\n2\t2\n3\t2\n").expect("write");
    let (ok, out, err) = metrics("regression", &p, &[]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert!(v["pearson"].is_null() && v["spearman"].is_null() && v["pearson_r2"].is_null());
    assert!(
        v["errors"]["pearson"]
            .as_str()
            .expect("reason")
            .contains("constant")
    );
    assert!(v["mse"].is_number());
}

#[test]
fn malformed_tsv_reports_line_number() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("bad.tsv");
    std::fs::write(&p, "y_true\ty_pred\n1\t2.5\n2\tabc\n").expect("write");
    let (ok, _, err) = metrics("regression", &p, &[]);
    assert!(!ok);
    assert!(err.contains("bad.tsv:3") && err.contains("abc"), "{err}");
    std::fs::write(&p, "y_true\ty_pred\n1\t2\n3\n").expect("write");
    let (ok, _, err) = metrics("regression", &p, &[]);
    assert!(!ok);
    assert!(err.contains("bad.tsv:3") && err.contains("fields"), "{err}");
    std::fs::write(&p, "a\tb\n1\t2\n").expect("write");
    let (ok, _, err) = metrics("clustering", &p, &[]);
    assert!(!ok && err.contains("labels_true"), "{err}");
}

/// A bootstrap count whose statistics would not fit the stated budget is refused with a
/// typed error instead of growing until the process is killed.
#[test]
fn huge_bootstrap_counts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("m.tsv");
    std::fs::write(&input, "y_true\ty_pred\n1\t2\n3\t3\n2\t2.5\n").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .args(["metrics", "--task", "regression", "--input"])
        .arg(&input)
        .args(["--bootstrap", "1000000000"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("at most 10000000"), "{err}");
}

/// A header naming a column twice is refused (it was silently resolved), and R² of one sample
/// is reported as undefined instead of a number.
#[test]
fn duplicate_columns_and_one_sample_r2() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("m.tsv");
    std::fs::write(&input, "y_true\ty_true\ty_pred\n1\t2\t3\n2\t3\t4\n").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .args(["metrics", "--task", "regression", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("m.tsv:1") && err.contains("`y_true` twice"),
        "{err}"
    );
    std::fs::write(&input, "y_true\ty_pred\n1\t2\n").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .args(["metrics", "--task", "regression", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["r2"].is_null(), "{v}");
    assert!(
        v["errors"]["r2"]
            .as_str()
            .unwrap()
            .contains("too few samples")
    );
}
