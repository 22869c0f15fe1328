//! `seq2expr windows --bed`: ready-made BED regions extracted exactly as `bedtools getfasta -s
//! -name` (bedtools 2.30) does, checked against ../shared/oracles/genome (the window sets and the
//! recorded tool-behaviour probes).

use std::path::PathBuf;
use std::process::{Command, Output};

fn oracle() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("oracles/genome")
}

fn windows_bed(bed: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .arg("windows")
        .arg("--fasta")
        .arg(oracle().join("genome.fa.gz"))
        .arg("--bed")
        .arg(bed)
        .output()
        .expect("run seq2expr")
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn bed_input_is_byte_identical_to_bedtools_on_every_window_set() {
    for set in ["prom300", "prom1500", "xpresso10500"] {
        let out = windows_bed(&oracle().join(format!("windows/{set}.clipped.bed")));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{set}: {stderr}");
        let want = std::fs::read(oracle().join(format!("windows/{set}.bedtools.fa")))
            .expect("bedtools.fa");
        assert!(out.stdout == want, "{set}: output differs from bedtools");
        assert!(stderr.contains("75 BED regions, 75 written"), "{stderr}");
    }
}

/// A JSON array of strings (the probes' BED and stdout lines).
fn strs(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|l| l.as_str().expect("string"))
        .collect()
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn bed_input_follows_the_recorded_bedtools_behaviour() {
    let text = std::fs::read_to_string(oracle().join("tool_behaviour.json")).expect("json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for (name, probe) in v["probes"].as_object().expect("probes") {
        if probe["tool"] != "bedtools getfasta -s -name" {
            continue;
        }
        let lines = strs(&probe["bed"]);
        let bed = dir.path().join(format!("{name}.bed"));
        std::fs::write(&bed, lines.join("\n") + "\n").expect("write bed");
        let out = windows_bed(&bed);
        let code = probe["exit_code"].as_i64().expect("exit_code");
        assert_eq!(out.status.success(), code == 0, "{name}: {out:?}");
        if code == 0 {
            let want = strs(&probe["stdout"]);
            let got = String::from_utf8(out.stdout).expect("utf8");
            assert_eq!(got.lines().collect::<Vec<_>>(), want, "{name}");
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(":1: BED start"), "{name}: {stderr}");
        }
        checked += 1;
    }
    assert_eq!(checked, 7, "every -s -name probe of the oracle is checked");
}

#[test]
fn bed_input_rejects_other_formats_and_an_annotation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fa = dir.path().join("g.fa");
    std::fs::write(&fa, ">c\nACGTACGTAC\n").expect("fa");
    let bed = dir.path().join("r.bed");
    std::fs::write(&bed, "c\t2\t6\tr\t0\t-\nc\t5\t3\tbad\t0\t+\n").expect("bed");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_seq2expr"))
            .args(["windows", "--fasta"])
            .arg(&fa)
            .arg("--bed")
            .arg(&bed)
            .args(extra)
            .output()
            .expect("run")
    };
    let bad = run(&[]);
    assert!(!bad.status.success());
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(
        msg.contains("r.bed:2: BED start 5 is greater than end 3"),
        "{msg}"
    );
    for extra in [
        &["--format", "bed"][..],
        &["--gtf", "x.gtf"],
        &["--upstream", "5"],
    ] {
        assert!(!run(extra).status.success(), "{extra:?} must be refused");
    }
}
