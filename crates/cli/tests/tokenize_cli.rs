//! `seq2expr tokenize` end to end, against ../shared/oracles/tokenize.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn oracle(rel: &str) -> PathBuf {
    std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
        .join("oracles/tokenize")
        .join(rel)
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(oracle(rel)).expect("oracle")).expect("json")
}

/// Runs the binary with `args`, feeding `input` on stdin; returns (success, stdout, stderr).
fn run(args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .arg("tokenize")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // A process that rejects its arguments may exit before reading stdin: a broken pipe is
    // then expected and the exit status tells the outcome.
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes());
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write: {e}");
    }
    let out = child.wait_with_output().expect("wait");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn id_line(v: &Value) -> String {
    v.as_array()
        .expect("ids")
        .iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn dnabert_ids_match_the_oracle_for_every_k() {
    let d = json("dnabert_kmer_cases.json");
    for k in 3..=6 {
        let cases = d["by_k"][k.to_string()]["cases"].as_array().expect("cases");
        let input: String = cases
            .iter()
            .map(|c| format!("{}\n", c["seq"].as_str().expect("seq")))
            .collect();
        let spec = format!("dnabert:{k}");
        let vocab = oracle(&format!("dnabert_vocab/bert-config-{k}/vocab.txt"));
        let (ok, out, err) = run(
            &[
                "--tokenizer",
                &spec,
                "--vocab",
                vocab.to_str().expect("path"),
            ],
            &input,
        );
        assert!(ok, "{err}");
        let want: Vec<String> = cases.iter().map(|c| id_line(&c["ids"])).collect();
        assert_eq!(out.lines().collect::<Vec<_>>(), want, "k={k}");
        let (ok, out, _) = run(&["--tokenizer", &spec, "--uppercase"], &input);
        assert!(ok);
        let want: Vec<String> = cases.iter().map(|c| id_line(&c["ids_upper"])).collect();
        assert_eq!(out.lines().collect::<Vec<_>>(), want, "upper k={k}");
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn bpe_ids_and_spans_match_the_oracle() {
    let enc = json("bpe4096/encodings.json");
    let cases = enc["cases"].as_array().expect("cases");
    let input: String = cases
        .iter()
        .map(|c| format!("{}\r\n", c["seq"].as_str().expect("seq")))
        .collect();
    let spec = format!("bpe:{}", oracle("bpe4096/tokenizer.json").display());
    let (ok, out, err) = run(&["--tokenizer", &spec], &input);
    assert!(ok, "{err}");
    let want: Vec<String> = cases.iter().map(|c| id_line(&c["ids"])).collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), want);
    let (ok, out, _) = run(&["--tokenizer", &spec, "--emit", "spans"], &input);
    assert!(ok);
    for (line, c) in out.lines().zip(cases) {
        let offs = c["offsets"].as_array().expect("offsets");
        let want: Vec<String> = offs
            .iter()
            .enumerate()
            .map(|(i, o)| {
                if i == 0 || i == offs.len() - 1 {
                    "*".into()
                } else {
                    format!("{}-{}", o[0], o[1])
                }
            })
            .collect();
        assert_eq!(line, want.join(" "));
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn max_len_char_nt_and_errors() {
    let (ok, out, _) = run(
        &["--tokenizer", "dnabert:3", "--max-len", "4"],
        "ACGTACGT\n",
    );
    assert!(ok);
    assert_eq!(out, "2 16 50 3\n"); // [CLS] ACG CGT [SEP]: ids from the oracle's k=3 layout
    let (ok, out, _) = run(&["--tokenizer", "char"], "ACGTN\n");
    assert!(ok);
    assert_eq!(out, "2 5 6 7 8 9 3\n");
    let (ok, out, _) = run(&["--tokenizer", "nt6", "--emit", "spans"], "AAAAAAC\n");
    assert!(ok);
    assert_eq!(out, "* 0-6 6-7\n");
    for bad in [
        &["--tokenizer", "dnabert:9"][..],
        &["--tokenizer", "wordpiece"],
        &["--tokenizer", "bpe:/nonexistent.json"],
    ] {
        let (ok, _, err) = run(bad, "ACGT\n");
        assert!(!ok && err.starts_with("error:"), "{bad:?}: {err}");
    }
    let wl = oracle("kmer3_wordlevel_tokenizer.json");
    let (ok, _, err) = run(&["--tokenizer", &format!("bpe:{}", wl.display())], "ACGT\n");
    assert!(!ok && err.contains("WordLevel"), "{err}");
}

/// What is not one sequence per line is refused with file and line: a FASTA header, non-ASCII
/// text, and a `--max-len` too short for the specials (these used to be tokenized silently).
#[test]
fn non_sequences_and_impossible_lengths_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (text, extra, want) in [
        (">seq1\nACGT\n", vec![], "line 1: a FASTA header"),
        ("ACGT\nACGé\n", vec![], "line 2: non-ASCII"),
        ("ACGT\n", vec!["--max-len", "1"], "--max-len 1"),
        ("ACGT\n", vec!["--max-len", "0"], "--max-len 0"),
    ] {
        let input = dir.path().join("in.txt");
        std::fs::write(&input, text).unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
            .args(["tokenize", "--tokenizer", "dnabert:3", "--input"])
            .arg(&input)
            .args(&extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{text:?}: {err}");
        assert!(err.contains(want), "{text:?}: {err}");
    }
}
