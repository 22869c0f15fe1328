//! `seq2expr train xpresso|mirex` and `seq2expr predict` end to end on the tiny synthetic world
//! (tiny windows and few epochs: these check the plumbing, not accuracy).
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

mod common;
use common::{run, seq2expr};

/// `gene_id -> log10(median + 0.1)` computed here from the table itself.
fn labels_from_table(path: &Path) -> HashMap<String, f64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = HashMap::new();
    for line in text.lines().skip(1) {
        let mut f = line.split('\t');
        let id = f.next().unwrap().split('.').next().unwrap().to_string();
        let mut v: Vec<f64> = f.map(|x| x.parse().unwrap()).collect();
        v.sort_by(f64::total_cmp);
        let m = if v.len() % 2 == 1 {
            v[v.len() / 2]
        } else {
            (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
        };
        out.insert(id, (m + 0.1).log10());
    }
    out
}

/// `gene_id -> (y_true, y_pred)` of a predictions TSV.
fn read_predictions(path: &Path) -> HashMap<String, (f64, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(
        header,
        [
            "gene_id",
            "gene_name",
            "transcript_id",
            "chrom",
            "strand",
            "tss0",
            "y_true",
            "y_pred"
        ]
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let id = f[0].split('.').next().unwrap().to_string();
            (id, (f[6].parse().unwrap(), f[7].parse().unwrap()))
        })
        .collect()
}

fn train_args(cmd: &mut Command, p: &datasets::synth::SynthPaths, expression: &Path, out: &Path) {
    cmd.arg("--fasta")
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--expression")
        .arg(expression)
        .arg("--out")
        .arg(out)
        .args(["--upstream", "200", "--downstream", "99", "--epochs", "2"])
        .args(["--runs", "1", "--optimizer", "adam", "--bootstrap", "50"]);
}

#[test]
fn train_then_predict_reproduces_the_test_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let out = dir.path().join("model");
    let mut cmd = seq2expr();
    cmd.args(["train", "xpresso"]);
    train_args(&mut cmd, &p, &p.expression, &out);
    let stdout = run(&mut cmd);
    let m: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let n_genes = labels_from_table(&p.expression).len() as u64;
    let sizes = ["n_train", "n_valid", "n_test"].map(|k| m[k].as_u64().unwrap());
    assert_eq!(sizes.iter().sum::<u64>(), n_genes);
    assert!(m["r2"]["lower"].as_f64().unwrap() <= m["r2"]["estimate"].as_f64().unwrap());
    for f in [
        "model.safetensors",
        "config.json",
        "inputs.json",
        "feature_scaler.json",
        "predictions.tsv",
        "metrics.json",
        "pred_vs_true.svg",
        "learning_curve.svg",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let truth = labels_from_table(&p.expression);
    let test = read_predictions(&out.join("predictions.tsv"));
    assert_eq!(test.len() as u64, sizes[2]);
    for (g, (y, _)) in &test {
        assert!(
            (y - truth[g]).abs() < 1e-9,
            "{g}: label {y} vs {}",
            truth[g]
        );
    }
    // `predict` rebuilds the inputs from inputs.json + feature_scaler.json: same predictions.
    let all = dir.path().join("all.tsv");
    let stdout = run(seq2expr()
        .args(["predict", "--model"])
        .arg(&out)
        .arg("--fasta")
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--expression")
        .arg(&p.expression)
        .arg("--out")
        .arg(&all));
    let s: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(s["n_test"].as_u64().unwrap(), n_genes);
    let all = read_predictions(&all);
    assert_eq!(all.len() as u64, n_genes);
    for (g, (y, yhat)) in &test {
        let (y2, yhat2) = all[g];
        assert!((y - y2).abs() < 1e-9);
        assert!((yhat - yhat2).abs() < 1e-5, "{g}: {yhat} vs {yhat2}");
    }
}

#[test]
fn corrupt_model_directory_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    std::fs::write(dir.path().join("inputs.json"), "{\"model\": ").unwrap();
    let o = seq2expr()
        .args(["predict", "--model"])
        .arg(dir.path())
        .arg("--fasta")
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--out")
        .arg(dir.path().join("x.tsv"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("inputs.json"), "{err}");
}

/// A planted repressor: genes targeted by `hsa-miR-1-3p` get 1/16 of their expression; 19 decoy
/// miRNAs target random genes. miREx's selection on training residuals must rank miR-1 first.
#[test]
fn mirex_selects_the_planted_repressor() {
    use rand::{Rng, SeedableRng};
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let text = std::fs::read_to_string(&p.expression).unwrap();
    let mut lines = text.lines();
    let mut expr = format!("{}\n", lines.next().unwrap());
    let mut ts = String::from(
        "Gene ID\tGene Symbol\tTranscript ID\tGene Tax ID\tmiRNA\tSite Type\tUTR_start\tUTR end\t\
         context++ score\tcontext++ score percentile\tweighted context++ score\t\
         weighted context++ score percentile\n",
    );
    for line in lines {
        let mut f = line.split('\t');
        let id = f.next().unwrap();
        let targeted = rng.random_bool(0.4);
        let scale = if targeted { 1.0 / 16.0 } else { 1.0 };
        let vals: Vec<String> = f
            .map(|x| format!("{:.4}", x.parse::<f64>().unwrap() * scale))
            .collect();
        expr.push_str(&format!("{id}\t{}\n", vals.join("\t")));
        let mut site = |mirna: &str, score: f64| {
            ts.push_str(&format!(
                "{id}\tG\tT1\t9606\t{mirna}\t2\t10\t17\t{score}\t90\t{score}\t90\n"
            ));
        };
        if targeted {
            site("hsa-miR-1-3p", -0.8);
        }
        for d in 0..19 {
            if rng.random_bool(0.3) {
                site(
                    &format!("hsa-miR-{}-5p", 100 + d),
                    -rng.random_range(0.1..0.9),
                );
            }
        }
    }
    let expr_path = dir.path().join("expr.tsv");
    std::fs::write(&expr_path, expr).unwrap();
    let ts_path = dir.path().join("targets.txt");
    std::fs::write(&ts_path, ts).unwrap();
    let mut mirna = String::from("miRNA\texpression\n");
    mirna.push_str("hsa-miR-1-3p\t500\n");
    for d in 0..19 {
        mirna.push_str(&format!("hsa-miR-{}-5p\t{}\n", 100 + d, 50 + 10 * d));
    }
    let mirna_path = dir.path().join("mirna.tsv");
    std::fs::write(&mirna_path, mirna).unwrap();
    let out = dir.path().join("mirex");
    let mut cmd = seq2expr();
    cmd.args(["train", "mirex", "--k", "3", "--no-features"]);
    train_args(&mut cmd, &p, &expr_path, &out);
    cmd.arg("--targetscan")
        .arg(&ts_path)
        .arg("--mirna-expression")
        .arg(&mirna_path);
    let stdout = run(&mut cmd);
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let sel = r["selected"].as_array().unwrap();
    assert_eq!(sel.len(), 3);
    assert_eq!(sel[0][0].as_str().unwrap(), "hsa-mir-1", "{stdout}");
    assert!(sel[0][1].as_f64().unwrap() < 0.0);
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("inputs.json")).unwrap()).unwrap();
    assert_eq!(spec["model"], "mirex");
    assert_eq!(spec["mirnas"].as_array().unwrap().len(), 3);
    assert!(out.join("baseline/model.safetensors").exists());
    // predict needs the miRNA inputs for a miREx model
    let o = seq2expr()
        .args(["predict", "--model"])
        .arg(&out)
        .arg("--fasta")
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--out")
        .arg(dir.path().join("x.tsv"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--targetscan"));
}
