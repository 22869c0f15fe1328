//! Writing stdout never panics: into /dev/full the run fails with `error: writing stdout` (exit
//! status 1, not the 101 of a panic); into a pipe whose reader has gone it stops quietly.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Stdio};

fn seq2expr() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seq2expr"))
}

/// Runs `cmd` with stdout on /dev/full: exit status 1 and a message naming stdout.
fn into_dev_full(mut cmd: Command) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = cmd.stdout(full).stderr(Stdio::piped()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error: writing stdout"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Runs `cmd` with stdout on a pipe closed before anything is read: success, no stderr noise
/// about the write.
fn into_closed_pipe(mut cmd: Command) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("error"), "{err}");
    assert!(o.status.success(), "{:?}: {err}", o.status);
}

fn regression_tsv(dir: &Path) -> std::path::PathBuf {
    let mut s = String::from("y_true\ty_pred\n");
    for i in 0..300 {
        s += &format!("{}\t{}\n", i % 17, (i * 7) % 13);
    }
    let p = dir.join("r.tsv");
    std::fs::write(&p, s).unwrap();
    p
}

fn metrics(input: &Path) -> Command {
    let mut c = seq2expr();
    c.args([
        "metrics",
        "--task",
        "regression",
        "--bootstrap",
        "200",
        "--input",
    ])
    .arg(input);
    c
}

/// 20 000 lines of tokens: far more than a pipe buffer holds.
fn tokenize(dir: &Path) -> Command {
    let p = dir.join("seqs.txt");
    std::fs::write(&p, "ACGTACGTACGTACGTACGT\n".repeat(20_000)).unwrap();
    let mut c = seq2expr();
    c.args(["tokenize", "--tokenizer", "dnabert:3", "--input"])
        .arg(p);
    c
}

fn windows(dir: &Path) -> Command {
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir).unwrap();
    let mut c = seq2expr();
    c.arg("windows")
        .arg("--fasta")
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .args(["--upstream", "1000", "--downstream", "499"]);
    c
}

#[test]
fn metrics_into_dev_full_fails_and_into_a_closed_pipe_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let p = regression_tsv(dir.path());
    into_dev_full(metrics(&p));
    into_closed_pipe(metrics(&p));
}

#[test]
fn tokenize_into_dev_full_fails_and_into_a_closed_pipe_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    into_dev_full(tokenize(dir.path()));
    into_closed_pipe(tokenize(dir.path()));
}

#[test]
fn windows_into_dev_full_fails_and_into_a_closed_pipe_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    into_dev_full(windows(dir.path()));
    into_closed_pipe(windows(dir.path()));
}

#[test]
fn baseline_into_dev_full_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = String::from("sequence,label\n");
    for i in 0..40 {
        let motif = if i % 2 == 1 { "TATAAA" } else { "GGGCGG" };
        s += &format!("ACACCAACAC{motif}CACAACCA,{}\n", i % 2);
    }
    let data = dir.path().join("d.csv");
    std::fs::write(&data, s).unwrap();
    let mut c = seq2expr();
    c.args(["baseline", "lr", "--bootstrap", "20", "--train"])
        .arg(&data)
        .arg("--test")
        .arg(&data)
        .arg("--predictions")
        .arg(dir.path().join("p.tsv"));
    into_dev_full(c);
}
