//! The planted promoter elements of the synthetic world (docs/synthetic-world.md: TATA box at
//! −31, CCAAT box in −85..−75, GC boxes in −110..−40) are recovered by name at their planted
//! positions from the attributions of an Xpresso model trained on the demo world:
//! `train` (300-bp windows, demo preset) → `windows` → `attribute --method grad-input` →
//! `motifs` against a MEME file holding those motifs and two random decoys. (The Inr, at −2, is
//! learned too but too weakly and degenerate to be called; it is not asserted.)
#![allow(clippy::unwrap_used)]

use std::process::Command;

mod common;
use common::run;

#[test]
#[ignore = "trains on the demo world (about 2 minutes on 2 cores)"]
fn planted_elements_are_recovered_by_name_and_position() {
    let bin = env!("CARGO_BIN_EXE_seq2expr");
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::demo()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let model = dir.path().join("model");
    run(Command::new(bin)
        .args(["train", "xpresso", "--fasta"])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .arg("--expression")
        .arg(&p.expression)
        .args([
            "--upstream",
            "200",
            "--downstream",
            "99",
            "--preset",
            "demo",
        ])
        .args([
            "--epochs",
            "100",
            "--patience",
            "20",
            "--runs",
            "2",
            "--lr",
            "3e-3",
        ])
        .args([
            "--batch-size",
            "32",
            "--no-features",
            "--transcripts",
            "canonical",
        ])
        .args(["--bootstrap", "10", "--out"])
        .arg(&model));
    let windows = dir.path().join("w.fa");
    run(Command::new(bin)
        .args(["windows", "--fasta"])
        .arg(&p.fasta)
        .arg("--gtf")
        .arg(&p.gtf)
        .args([
            "--upstream",
            "200",
            "--downstream",
            "99",
            "--transcripts",
            "canonical",
        ])
        .args(["--ends", "pad", "--out"])
        .arg(&windows));
    let attr = dir.path().join("attr");
    run(Command::new(bin)
        .args(["attribute", "--model"])
        .arg(&model)
        .arg("--fasta")
        .arg(&windows)
        .args(["--method", "grad-input", "--plots", "0", "--out"])
        .arg(&attr));
    let db = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../evalkit/tests/fixtures/motifs/db.meme"
    );
    let out = dir.path().join("motifs");
    run(Command::new(bin)
        .args(["motifs", "--attributions"])
        .arg(&attr)
        .args(["--meme", db, "--tss-index", "200", "--out"])
        .arg(&out));
    let text = std::fs::read_to_string(out.join("matches.tsv")).unwrap();
    let rows: std::collections::HashMap<String, (usize, i64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let name = f[0].split(' ').nth(1).unwrap().to_string();
            (
                name,
                (f[1].parse().unwrap(), f[2].parse().unwrap_or(i64::MIN)),
            )
        })
        .collect();
    let (tata, ccaat, sp1) = (rows["TATA-box"], rows["CCAAT-box"], rows["SP1"]);
    assert!(
        tata.0 >= 100 && (-33..=-29).contains(&tata.1),
        "TATA {tata:?}\n{text}"
    );
    assert!(
        ccaat.0 >= 20 && (-87..=-73).contains(&ccaat.1),
        "CCAAT {ccaat:?}\n{text}"
    );
    assert!(
        sp1.0 >= 500 && (-110..=-40).contains(&sp1.1),
        "GC box {sp1:?}\n{text}"
    );
    for decoy in ["random-a", "random-b"] {
        assert!(
            rows[decoy].0 * 20 < sp1.0,
            "{decoy} {:?}\n{text}",
            rows[decoy]
        );
    }
}
