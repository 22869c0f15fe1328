//! `seq2expr baseline lr` end to end.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn seq2expr() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seq2expr"))
}

fn write_csv(path: &std::path::Path, rows: &[(String, u32)]) {
    let mut s = String::from("sequence,label\n");
    for (q, l) in rows {
        s.push_str(&format!("{q},{l}\n"));
    }
    std::fs::write(path, s).unwrap();
}

#[test]
fn separable_data_is_classified_and_predictions_written() {
    let dir = tempfile::tempdir().unwrap();
    // Class 1 sequences carry TATAAA, class 0 GGGCGG, in a varying AC background.
    let make = |i: usize, l: u32| {
        let bg: String = (0..40)
            .map(|j| if (i * 7 + j * 3) % 5 < 2 { 'A' } else { 'C' })
            .collect();
        let motif = if l == 1 { "TATAAA" } else { "GGGCGG" };
        (format!("{}{}{}", &bg[..20], motif, &bg[20..]), l)
    };
    let train: Vec<(String, u32)> = (0..60).map(|i| make(i, (i % 2) as u32)).collect();
    let test: Vec<(String, u32)> = (60..90).map(|i| make(i, (i % 2) as u32)).collect();
    write_csv(&dir.path().join("train.csv"), &train);
    write_csv(&dir.path().join("test.csv"), &test);
    for features in ["tfidf:3-6", "kmer:3-4"] {
        let pred = dir.path().join(format!("pred_{}.tsv", &features[..4]));
        let o = seq2expr()
            .args([
                "baseline",
                "lr",
                "--features",
                features,
                "--C",
                "1.0",
                "--bootstrap",
                "50",
                "--train",
            ])
            .arg(dir.path().join("train.csv"))
            .arg("--test")
            .arg(dir.path().join("test.csv"))
            .arg("--predictions")
            .arg(&pred)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            m["metrics"]["accuracy"]["estimate"].as_f64().unwrap(),
            1.0,
            "{features}"
        );
        assert_eq!(m["metrics"]["mcc"]["estimate"].as_f64().unwrap(), 1.0);
        let lines: Vec<String> = std::fs::read_to_string(&pred)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(lines[0], "label\tprediction\tscore");
        assert_eq!(lines.len(), 31);
    }
}

#[test]
fn bad_feature_spec_and_bad_file_fail() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(
        &dir.path().join("t.csv"),
        &[("ACGT".into(), 0), ("TTTT".into(), 1)],
    );
    let o = seq2expr()
        .args(["baseline", "lr", "--features", "words:3-6", "--train"])
        .arg(dir.path().join("t.csv"))
        .arg("--test")
        .arg(dir.path().join("t.csv"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    std::fs::write(dir.path().join("bad.csv"), "sequence,label\nACGT,x\n").unwrap();
    let o = seq2expr()
        .args(["baseline", "lr", "--train"])
        .arg(dir.path().join("bad.csv"))
        .arg("--test")
        .arg(dir.path().join("t.csv"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("bad.csv:2"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
