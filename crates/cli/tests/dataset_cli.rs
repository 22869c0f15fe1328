//! `seq2expr dataset lncrna` end to end on the synthetic world.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn seq2expr() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seq2expr"))
}

#[test]
fn lncrna_task_4_writes_splits_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let out = dir.path().join("task4");
    let o = seq2expr()
        .args([
            "dataset", "lncrna", "--task", "4", "--length", "300", "--fasta",
        ])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "train.csv",
        "dev.csv",
        "test.csv",
        "examples.tsv",
        "summary.json",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let c = &s["counts"];
    let pos: u64 = ["train", "dev", "test"]
        .iter()
        .map(|k| c[k][1].as_u64().unwrap())
        .sum();
    let neg: u64 = ["train", "dev", "test"]
        .iter()
        .map(|k| c[k][0].as_u64().unwrap())
        .sum();
    assert_eq!(pos, neg, "task 4 is balanced");
    assert!(s["biotypes"]["label_0"]["lncRNA"].as_u64().unwrap() > 0);

    // Task 3 with the world's expression table.
    let out3 = dir.path().join("task3");
    let o = seq2expr()
        .args([
            "dataset", "lncrna", "--task", "3", "--length", "1000", "--fasta",
        ])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--expression")
        .arg(&p.expression)
        .arg("--out")
        .arg(&out3)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let train = std::fs::read_to_string(out3.join("train.csv")).unwrap();
    assert!(
        train
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .len()
            == 1000
    );
}

#[test]
fn bad_arguments_fail_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let o = seq2expr()
        .args([
            "dataset", "lncrna", "--task", "1", "--length", "40", "--fasta",
        ])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("shorter than the minimum 51"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = seq2expr()
        .args(["dataset", "lncrna", "--task", "3", "--fasta"])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--out")
        .arg(dir.path().join("y"))
        .output()
        .unwrap();
    assert!(!o.status.success(), "task 3 without --expression");
}
