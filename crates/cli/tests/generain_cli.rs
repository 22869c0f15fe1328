//! `seq2expr generain prepare|evaluate` on the synthetic expression world, checked against the
//! world's planted truth (`truth.json`): the planted low-count and sparse samples and the
//! near-zero genes are dropped by GeneRAIN's filters; an embedding that encodes the planted
//! modules clusters them perfectly (ARI 1) and scores its sets above a random embedding.
#![allow(clippy::unwrap_used)]

use std::fmt::Write;

use datasets::synth_expr::{SynthExprConfig, Truth, generate};

mod common;
use common::{run, seq2expr};

#[test]
fn prepare_drops_what_the_world_planted() {
    let tmp = tempfile::tempdir().unwrap();
    let world = generate(&SynthExprConfig::default()).unwrap();
    let paths = world.write(tmp.path().join("world")).unwrap();
    let truth = Truth::of(&world);
    let out = tmp.path().join("prepared");
    let json = run(seq2expr()
        .args(["generain", "prepare", "--symbols", "--input"])
        .arg(&paths.counts)
        .arg("--out")
        .arg(&out));
    let s: serde_json::Value = serde_json::from_str(&json).unwrap();
    let n = |k: &str| s[k].as_u64().unwrap() as usize;
    assert_eq!(n("samples_in"), world.n_samples());
    assert_eq!(
        n("samples_dropped_total_counts"),
        truth.low_count_samples.len()
    );
    assert_eq!(
        n("samples_dropped_expressed_genes"),
        truth.sparse_samples.len()
    );
    assert_eq!(
        n("samples_kept"),
        world.n_samples() - truth.low_count_samples.len() - truth.sparse_samples.len()
    );
    assert_eq!(n("genes_in"), world.n_genes());
    assert!(
        n("genes_dropped_low_mean") >= truth.low_mean_genes.len(),
        "{json}"
    );
    // bad arguments fail before anything is written
    let bad = tmp.path().join("bad");
    let o = seq2expr()
        .args([
            "generain",
            "prepare",
            "--orientation",
            "sideways",
            "--input",
        ])
        .arg(&paths.counts)
        .arg("--out")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("sideways"));
    assert!(!bad.exists());
}

#[test]
fn evaluate_recovers_planted_modules_from_a_module_embedding() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = SynthExprConfig {
        n_samples: 40,
        n_genes: 300,
        n_modules: 4,
        genes_per_module: 20,
        ..Default::default()
    };
    let world = generate(&cfg).unwrap();
    let paths = world.write(tmp.path().join("world")).unwrap();
    let truth = Truth::of(&world);
    let modules = std::fs::read_to_string(&paths.modules).unwrap();
    // an embedding that is the module indicator (plus a tiny per-gene offset), and a random one
    let (mut planted, mut random) = (String::new(), String::new());
    let header = "gene_id\tsymbol\td0\td1\td2\td3\td4\n";
    planted.push_str(header);
    random.push_str(header);
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for (i, line) in modules.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let m = f[2].strip_prefix('M').map(|m| m.parse::<usize>().unwrap());
        let mut v = [0.0f64; 5];
        match m {
            Some(m) => v[m - 1] = 1.0,
            None => v[4] = 1.0,
        }
        v[4] += 1e-3 * (i % 7) as f64;
        write!(planted, "{}\t{}", f[0], f[1]).unwrap();
        write!(random, "{}\t{}", f[0], f[1]).unwrap();
        for d in v {
            write!(planted, "\t{d}").unwrap();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            write!(random, "\t{}", (x >> 11) as f64 / (1u64 << 53) as f64).unwrap();
        }
        planted.push('\n');
        random.push('\n');
    }
    let (pe, re) = (
        tmp.path().join("planted.tsv"),
        tmp.path().join("random.tsv"),
    );
    std::fs::write(&pe, planted).unwrap();
    std::fs::write(&re, random).unwrap();
    let out = tmp.path().join("eval");
    let json = run(seq2expr()
        .args(["generain", "evaluate", "--folds", "2", "--embedding"])
        .arg(format!("planted={}", pe.display()))
        .arg("--embedding")
        .arg(format!("random={}", re.display()))
        .arg("--gmt")
        .arg(&paths.gmt)
        .arg("--out")
        .arg(&out));
    let s: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        s["sets"].as_array().unwrap().len(),
        truth.modules.len(),
        "{json}"
    );
    let e = s["embeddings"].as_array().unwrap();
    assert_eq!(e[0]["name"], "planted");
    let ari = |i: usize| e[i]["clustering"]["ari"].as_f64().unwrap();
    let auc = |i: usize| e[i]["auc"]["median"].as_f64().unwrap();
    assert!((ari(0) - 1.0).abs() < 1e-12, "planted ARI {}", ari(0));
    assert!(ari(1) < 0.5, "random ARI {}", ari(1));
    assert!(
        auc(0) > 0.95 && auc(0) > auc(1),
        "AUCs {} {}",
        auc(0),
        auc(1)
    );
    assert!(out.join("summary.json").exists());
}

#[test]
fn train_rejects_an_unknown_model_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = seq2expr()
        .args(["generain", "train", "--model", "bert", "--prepared"])
        .arg(tmp.path())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("bert"));
    assert!(!out.exists());
}
