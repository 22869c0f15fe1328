//! `seq2expr attribute` end to end: a tiny Xpresso trained on the tiny synthetic world, its
//! windows from `seq2expr windows`, and checks against independent computations: ISM deltas
//! against `seq2expr predict` on a genome with the mutation written in, integrated gradients'
//! completeness, the reference base's exact 0, and refusals before anything is written.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn seq2expr() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seq2expr"))
}

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// `(id, position, base) -> score` of attributions.tsv.
fn read_tsv(path: &Path) -> HashMap<(String, usize, String), f64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "id\tposition\tbase\tscore");
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string()),
                f[3].parse().unwrap(),
            )
        })
        .collect()
}

/// `id -> (output, sequence)` of sequences.tsv.
fn read_sequences(path: &Path) -> Vec<(String, f64, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_string(),
                f[2].parse().unwrap_or(f64::NAN),
                f[3].to_string(),
            )
        })
        .collect()
}

struct World {
    _dir: tempfile::TempDir,
    model: std::path::PathBuf,
    windows: std::path::PathBuf,
    root: std::path::PathBuf,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let model = dir.path().join("model");
    run(seq2expr()
        .args(["train", "xpresso", "--fasta"])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--expression")
        .arg(&p.expression)
        .arg("--out")
        .arg(&model)
        .args(["--upstream", "200", "--downstream", "99", "--epochs", "2"])
        .args(["--runs", "1", "--optimizer", "adam", "--bootstrap", "50"])
        .arg("--no-features"));
    let all = dir.path().join("windows.fa");
    run(seq2expr()
        .args(["windows", "--fasta"])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .args(["--upstream", "200", "--downstream", "99"])
        .args(["--transcripts", "longest-cds", "--out"])
        .arg(&all));
    // the first three windows, and one all-N sequence (the zero baseline)
    let text = std::fs::read_to_string(&all).unwrap();
    let mut keep: String = text.lines().take(6).map(|l| format!("{l}\n")).collect();
    keep.push_str(&format!(">allN\n{}\n", "N".repeat(300)));
    let windows = dir.path().join("some.fa");
    std::fs::write(&windows, keep).unwrap();
    World {
        root: dir.path().to_path_buf(),
        _dir: dir,
        model,
        windows,
    }
}

#[test]
fn ism_ig_and_gradients_on_a_trained_xpresso() {
    let w = world();
    let ism = w.root.join("ism");
    let s = run(seq2expr()
        .args(["attribute", "--model"])
        .arg(&w.model)
        .arg("--fasta")
        .arg(&w.windows)
        .args(["--method", "ism", "--window", "190..210", "--out"])
        .arg(&ism));
    let s: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["layout"], "matrix");
    assert_eq!(s["n_sequences"], 4);
    let t = read_tsv(&ism.join("attributions.tsv"));
    let seqs = read_sequences(&ism.join("sequences.tsv"));
    for (id, _, seq) in &seqs {
        for i in 0..300 {
            let here = seq.as_bytes()[i].to_ascii_uppercase() as char;
            for b in ["A", "C", "G", "T"] {
                let v = t[&(id.clone(), i, b.to_string())];
                if !(190..210).contains(&i) || here.to_string() == b {
                    assert_eq!(v, 0.0, "{id} {i} {b}");
                }
            }
        }
    }
    // ISM delta = f(mutant) − f(x), with f(mutant) from a second run on the mutant itself
    let (id, f0, seq) = &seqs[0];
    let mut m = seq.clone().into_bytes();
    let alt = if m[200].eq_ignore_ascii_case(&b'A') {
        b'C'
    } else {
        b'A'
    };
    m[200] = alt;
    let mfa = w.root.join("mutant.fa");
    std::fs::write(&mfa, format!(">m\n{}\n", String::from_utf8(m).unwrap())).unwrap();
    let mo = w.root.join("ism-mutant");
    run(seq2expr()
        .args(["attribute", "--model"])
        .arg(&w.model)
        .arg("--fasta")
        .arg(&mfa)
        .args(["--method", "ism", "--window", "0..1", "--out"])
        .arg(&mo));
    let f1 = read_sequences(&mo.join("sequences.tsv"))[0].1;
    let d = t[&(id.clone(), 200, (alt as char).to_string())];
    assert!((d - (f1 - f0)).abs() < 1e-5, "{d} vs {}", f1 - f0);

    // integrated gradients from the zero baseline add up to f(x) − f(all N)
    let f_n = seqs.iter().find(|r| r.0 == "allN").unwrap().1;
    let ig = w.root.join("ig");
    let s = run(seq2expr()
        .args(["attribute", "--model"])
        .arg(&w.model)
        .arg("--fasta")
        .arg(&w.windows)
        .args([
            "--method",
            "integrated-gradients",
            "--steps",
            "128",
            "--out",
        ])
        .arg(&ig));
    let s: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["riemann_rule"], "midpoint");
    let t = read_tsv(&ig.join("attributions.tsv"));
    for (id, f, _) in seqs.iter().filter(|r| r.0 != "allN") {
        let sum: f64 = t.iter().filter(|(k, _)| &k.0 == id).map(|(_, v)| v).sum();
        assert!(
            (sum - (f - f_n)).abs() < 2e-2 * (f - f_n).abs().max(0.05),
            "{id}: Σ IG {sum} vs f(x) − f(x') {}",
            f - f_n
        );
    }
    // gradient × input is 0 at absent bases; hypothetical.npy is written
    let gi = w.root.join("gi");
    run(seq2expr()
        .args(["attribute", "--model"])
        .arg(&w.model)
        .arg("--fasta")
        .arg(&w.windows)
        .args(["--method", "grad-input", "--out"])
        .arg(&gi));
    let t = read_tsv(&gi.join("attributions.tsv"));
    for ((id, i, b), v) in &t {
        let seq = &seqs.iter().find(|r| &r.0 == id).unwrap().2;
        let here = (seq.as_bytes()[*i].to_ascii_uppercase() as char).to_string();
        if &here != b {
            assert_eq!(*v, 0.0);
        }
    }
    let npy = std::fs::read(gi.join("hypothetical.npy")).unwrap();
    assert_eq!(&npy[..6], b"\x93NUMPY");
    assert_eq!(npy.len(), 128 + 4 * 4 * 300 * 4);
}

#[test]
fn refusals_leave_nothing_behind() {
    let w = world();
    for (args, want) in [
        (vec!["--method", "attention"], "attention model"),
        (vec!["--method", "ism", "--window", "5..5"], "--window"),
        (vec!["--method", "deeplift"], "unknown --method"),
        (
            vec!["--method", "integrated-gradients", "--steps", "0"],
            "--steps",
        ),
        (vec!["--method", "ism", "--target", "3"], "--target"),
    ] {
        let out = w.root.join("refused");
        let o = seq2expr()
            .args(["attribute", "--model"])
            .arg(&w.model)
            .arg("--fasta")
            .arg(&w.windows)
            .args(&args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!out.join("attributions.tsv").exists(), "{args:?}");
    }
}
