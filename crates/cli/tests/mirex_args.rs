//! `seq2expr train mirex` rejects bad miREx arguments before anything is trained or written:
//! each case fails with its message and a non-zero exit, and `--out` does not exist afterwards.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

mod common;
use common::seq2expr;

/// Valid inputs on the tiny synthetic world: every gene is targeted by `hsa-miR-1-3p`, half of
/// them by `hsa-miR-7-5p`, and both miRNAs have an expression value. Returns the argument list
/// (without `--out`) of a `train mirex` run that would train.
fn inputs(dir: &Path) -> Vec<String> {
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir).unwrap();
    let expr = std::fs::read_to_string(&p.expression).unwrap();
    let mut ts = String::from(
        "Gene ID\tGene Symbol\tTranscript ID\tGene Tax ID\tmiRNA\tSite Type\tUTR_start\tUTR end\t\
         context++ score\tcontext++ score percentile\tweighted context++ score\t\
         weighted context++ score percentile\n",
    );
    for (i, line) in expr.lines().skip(1).enumerate() {
        let id = line.split('\t').next().unwrap();
        ts.push_str(&format!(
            "{id}\tG\tT1\t9606\thsa-miR-1-3p\t2\t10\t17\t-0.5\t90\t-0.5\t90\n"
        ));
        if i % 2 == 0 {
            ts.push_str(&format!(
                "{id}\tG\tT1\t9606\thsa-miR-7-5p\t2\t30\t37\t-0.2\t60\t-0.2\t60\n"
            ));
        }
    }
    let ts_path = dir.join("targets.txt");
    std::fs::write(&ts_path, ts).unwrap();
    let mirna_path = dir.join("mirna.tsv");
    std::fs::write(
        &mirna_path,
        "miRNA\texpression\nhsa-miR-1-3p\t500\nhsa-miR-7-5p\t80\n",
    )
    .unwrap();
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    [
        "train",
        "mirex",
        "--no-features",
        "--upstream",
        "200",
        "--downstream",
        "99",
        "--epochs",
        "1",
        "--runs",
        "1",
        "--bootstrap",
        "10",
    ]
    .iter()
    .map(|a| a.to_string())
    .chain([
        "--fasta".into(),
        s(&p.fasta),
        "--gtf".into(),
        s(&p.gtf),
        "--expression".into(),
        s(&p.expression),
        "--targetscan".into(),
        s(&ts_path),
        "--mirna-expression".into(),
        s(&mirna_path),
    ])
    .collect()
}

/// Runs `train mirex` with `base` plus `extra` and `--out <dir>/<name>`; asserts a non-zero exit,
/// `message` in stderr and no output directory.
fn rejected(dir: &Path, base: &[String], extra: &[&str], name: &str, message: &str) {
    let out = dir.join(name);
    let o = seq2expr()
        .args(base)
        .args(extra)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{extra:?} succeeded:\n{err}");
    assert!(
        err.contains(message),
        "{extra:?}: expected {message:?} in:\n{err}"
    );
    assert!(!out.exists(), "{extra:?} created {}", out.display());
}

#[test]
fn k_zero_is_rejected_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let base = inputs(dir.path());
    rejected(dir.path(), &base, &["--k", "0"], "topk", "--k must be > 0");
    rejected(
        dir.path(),
        &base,
        &["--k", "0", "--selection", "abscorr"],
        "abscorr",
        "--k must be > 0",
    );
}

#[test]
fn other_mirex_arguments_are_rejected_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let base = inputs(dir.path());
    rejected(
        dir.path(),
        &base,
        &["--selection", "best"],
        "sel",
        "unknown --selection \"best\"",
    );
    rejected(
        dir.path(),
        &base,
        &["--weight", "sum"],
        "weight",
        "unknown miRNA weight \"sum\"",
    );
    rejected(
        dir.path(),
        &base,
        &["--mirna-column", "tpm"],
        "column",
        "tpm",
    );
    rejected(
        dir.path(),
        &base,
        &["--species", "10090"],
        "species",
        "--species 10090",
    );
}
