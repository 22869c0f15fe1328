//! `seq2expr train` refuses what it used to get wrong: re-running into a directory made from
//! other settings, impossible window sizes, invalid arguments (checked before anything is
//! written), and model directories whose files disagree.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

fn seq2expr() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seq2expr"))
}

fn world(dir: &Path) -> datasets::synth::SynthPaths {
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    w.write_to_dir(dir).unwrap()
}

fn train(p: &datasets::synth::SynthPaths, out: &Path, extra: &[&str]) -> Output {
    let mut cmd = seq2expr();
    cmd.args(["train", "xpresso", "--fasta"])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--expression")
        .arg(&p.expression)
        .arg("--out")
        .arg(out);
    // The base settings, less those the caller sets itself.
    let base = [
        ("--upstream", "200"),
        ("--downstream", "99"),
        ("--epochs", "1"),
        ("--runs", "1"),
        ("--optimizer", "adam"),
        ("--bootstrap", "20"),
    ];
    for (flag, value) in base {
        if !extra.contains(&flag) {
            cmd.args([flag, value]);
        }
    }
    cmd.args(extra).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn other_settings_are_refused_and_force_replaces_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let p = world(dir.path());
    let out = dir.path().join("m");
    let first = train(&p, &out, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let weights = std::fs::read(out.join("model.safetensors")).unwrap();
    // Same command: resumes the finished run and gives the same figures.
    let again = train(&p, &out, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(first.stdout, again.stdout);
    // Another learning rate: refused with a message naming it; the model is untouched.
    let other = train(&p, &out, &["--lr", "0.05"]);
    assert_eq!(other.status.code(), Some(1), "{}", stderr(&other));
    assert!(stderr(&other).contains("lr"), "{}", stderr(&other));
    assert!(stderr(&other).contains("--force"), "{}", stderr(&other));
    assert_eq!(
        std::fs::read(out.join("model.safetensors")).unwrap(),
        weights
    );
    // Another window: the data differ, refused as such (not as a corrupt checkpoint).
    let longer = train(&p, &out, &["--upstream", "300"]);
    assert_eq!(longer.status.code(), Some(1));
    assert!(stderr(&longer).contains("data"), "{}", stderr(&longer));
    // --force starts afresh.
    let forced = train(&p, &out, &["--lr", "0.05", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    let cfg = std::fs::read_to_string(out.join("config.json")).unwrap();
    assert!(cfg.contains("0.05"), "{cfg}");
}

#[test]
fn invalid_arguments_fail_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = world(dir.path());
    for bad in [
        &["--batch-size", "0"][..],
        &["--epochs", "0"],
        &["--runs", "0"],
        &["--preset", "bogus"],
        &["--lr", "nan"],
        &["--device", "bogus"],
        &["--schedule", "cosine"],
        &["--optimizer", "rmsprop"],
        &["--upstream", "1000000000000"],
        &["--bootstrap", "1000000000"],
    ] {
        let out = dir.path().join("never");
        let o = train(&p, &out, bad);
        assert_eq!(o.status.code(), Some(1), "{bad:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{bad:?}: {}", stderr(&o));
        assert!(!out.exists(), "{bad:?} created the output directory");
    }
    let demo_out = dir.path().join("demo");
    let o = seq2expr()
        .args(["demo", "--upstream", "100000000000", "--out"])
        .arg(&demo_out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("longer than the limit"),
        "{}",
        stderr(&o)
    );
    assert!(!demo_out.exists());
}

#[test]
fn predict_checks_the_model_directory_before_running_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = world(dir.path());
    let out = dir.path().join("m");
    let o = train(&p, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let spec = std::fs::read_to_string(out.join("inputs.json")).unwrap();
    // A window of another length than the network's input: a typed error, not a burn panic.
    std::fs::write(
        out.join("inputs.json"),
        spec.replace("\"upstream\": 200", "\"upstream\": 250"),
    )
    .unwrap();
    let o = seq2expr()
        .args(["predict", "--model"])
        .arg(&out)
        .arg("--fasta")
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--out")
        .arg(dir.path().join("pred.tsv"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("input_len"), "{}", stderr(&o));
    assert!(!dir.path().join("pred.tsv").exists());
}

#[test]
fn all_columns_train_one_output_per_tissue() {
    let dir = tempfile::tempdir().unwrap();
    let p = world(dir.path());
    let out = dir.path().join("m");
    let o = train(&p, &out, &["--all-columns"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&p.expression).unwrap();
    let tissues: Vec<&str> = text.lines().next().unwrap().split('\t').skip(1).collect();
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for t in &tissues {
        assert!(m["outputs"][t]["r2"]["estimate"].is_number(), "{t}: {m}");
    }
    let preds = std::fs::read_to_string(out.join("predictions.tsv")).unwrap();
    let header: Vec<&str> = preds.lines().next().unwrap().split('\t').collect();
    assert_eq!(header.len(), 6 + 2 * tissues.len());
    assert_eq!(header[6], format!("y_true:{}", tissues[0]));
    assert_eq!(header[6 + tissues.len()], format!("y_pred:{}", tissues[0]));
}

/// `demo` checks that its network fits the window before it writes the synthetic world (it
/// used to write 40 MB and then fail in training).
#[test]
fn demo_validates_the_window_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .args(["demo", "--upstream", "0", "--downstream", "0", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("shrinks the length 1 to zero"), "{err}");
    assert!(!out.exists());
}

/// A negative expression value is refused naming the file, the gene and the column (it used to
/// surface as "no finite expression label").
#[test]
fn negative_expression_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let text = std::fs::read_to_string(&p.expression).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut f: Vec<String> = lines[2].split('\t').map(str::to_string).collect();
    f[1] = "-5".into();
    lines[2] = f.join("\t");
    let bad = dir.path().join("neg.tsv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("model");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .args(["train", "xpresso", "--fasta"])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--expression")
        .arg(&bad)
        .args(["--upstream", "200", "--downstream", "99", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("neg.tsv") && err.contains("negative expression value -5"),
        "{err}"
    );
    assert!(!out.exists());
}
