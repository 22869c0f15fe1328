//! `seq2expr windows` on the oracle genome: byte-identical to `bedtools getfasta -s -name`
//! (../shared/oracles/genome/windows/*.bedtools.fa, bedtools 2.30).

use std::path::PathBuf;
use std::process::Command;

fn oracle() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("oracles/genome")
}

fn run(args: &[&str]) -> (Vec<u8>, String) {
    let o = oracle();
    let out = Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .arg("windows")
        .arg("--fasta")
        .arg(o.join("genome.fa.gz"))
        .arg("--gtf")
        .arg(o.join("annotation.gtf"))
        .args(args)
        .output()
        .expect("run seq2expr");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "seq2expr failed: {stderr}");
    (out.stdout, stderr)
}

/// The bedtools records (header, sequence) of one window set.
fn bedtools(set: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(oracle().join(format!("windows/{set}.bedtools.fa")))
        .expect("bedtools.fa");
    let lines: Vec<&str> = text.lines().collect();
    lines
        .chunks(2)
        .map(|c| (c[0].to_string(), c[1].to_string()))
        .collect()
}

/// Rows of the oracle JSON that needed no clipping (the windows bedtools accepts unchanged).
fn unclipped(set: &str) -> Vec<String> {
    let text = std::fs::read_to_string(oracle().join(format!("windows/{set}.json"))).expect("json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["clipped_left"] == false && r["clipped_right"] == false)
        .map(|r| format!(">{}", r["bedtools_header"].as_str().expect("h")))
        .collect()
}

const SETS: [(&str, &str, &str); 3] = [
    ("prom300", "249", "50"),
    ("prom1500", "1000", "499"),
    ("xpresso10500", "7000", "3499"),
];

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn all_skip_fasta_is_byte_identical_to_bedtools_on_the_same_windows() {
    for (set, up, down) in SETS {
        let (stdout, stderr) = run(&[
            "--upstream",
            up,
            "--downstream",
            down,
            "--transcripts",
            "all",
            "--ends",
            "skip",
            "--format",
            "fasta",
        ]);
        let keep = unclipped(set);
        let mut expected = String::new();
        for (h, s) in bedtools(set).into_iter().filter(|(h, _)| keep.contains(h)) {
            expected += &format!("{h}\n{s}\n");
        }
        assert!(
            stdout == expected.as_bytes(),
            "{set}: output differs from bedtools"
        );
        let skipped = 75 - keep.len();
        assert!(
            stderr.contains(&format!("{skipped} skipped")),
            "{set}: {stderr}"
        );
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn clip_fasta_and_bed_equal_bedtools_on_the_clipped_bed() {
    let dir = tempfile::tempdir().expect("tmp");
    for (set, up, down) in SETS {
        let out = dir.path().join(format!("{set}.fa"));
        let out_s = out.to_str().expect("utf8");
        run(&[
            "--upstream",
            up,
            "--downstream",
            down,
            "--ends",
            "clip",
            "--out",
            out_s,
        ]);
        let expected =
            std::fs::read(oracle().join(format!("windows/{set}.bedtools.fa"))).expect("fa");
        assert!(
            std::fs::read(&out).expect("out") == expected,
            "{set}: FASTA differs"
        );
        let (bed, _) = run(&[
            "--upstream",
            up,
            "--downstream",
            down,
            "--ends",
            "clip",
            "--format",
            "bed",
        ]);
        let expected =
            std::fs::read(oracle().join(format!("windows/{set}.clipped.bed"))).expect("bed");
        assert!(bed == expected, "{set}: BED differs");
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn tsv_has_the_oracle_tss_indices() {
    let (tsv, _) = run(&[
        "--upstream",
        "249",
        "--downstream",
        "50",
        "--ends",
        "clip",
        "--format",
        "tsv",
    ]);
    let tsv = String::from_utf8(tsv).expect("utf8");
    let text = std::fs::read_to_string(oracle().join("windows/prom300.json")).expect("json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let rows = v["rows"].as_array().expect("rows");
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).expect("col");
    let body: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    assert_eq!(body.len(), rows.len());
    for (b, r) in body.iter().zip(rows) {
        assert_eq!(b[col("transcript_id")], r["name"].as_str().expect("name"));
        assert_eq!(b[col("tss")], r["tss"].to_string());
        assert_eq!(b[col("tss_index")], r["tss_index"].to_string());
        assert_eq!(b[col("start")], r["start"].to_string());
        assert_eq!(b[col("clipped_left")], r["clipped_left"].to_string());
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn missing_chromosome_suggests_chrom_alias() {
    let dir = tempfile::tempdir().expect("tmp");
    let gtf = dir.path().join("a.gtf");
    std::fs::write(
        &gtf,
        "1\tX\ttranscript\t100\t200\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";\n",
    )
    .expect("w");
    let run_with = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_seq2expr"))
            .args(["windows", "--fasta"])
            .arg(oracle().join("genome.fa.gz"))
            .arg("--gtf")
            .arg(&gtf)
            .args(["--upstream", "5", "--downstream", "5"])
            .args(extra)
            .output()
            .expect("run")
    };
    let out = run_with(&[]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no partial output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--chrom-alias") && err.contains("\"1\""),
        "{err}"
    );
    let out = run_with(&["--chrom-alias"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(">T::chr1:94-105(+)\n"));
}

/// An impossible window size under `--ends pad` is refused with a typed error before anything
/// is allocated or written (it used to abort the process on allocation).
#[test]
fn impossible_window_sizes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    for up in ["1000000000000", "18446744073709551615"] {
        let out = dir.path().join("w.fa");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
            .args(["windows", "--fasta"])
            .arg(&p.fasta)
            .arg("--gtf")
            .arg(&p.gtf)
            .args([
                "--upstream",
                up,
                "--downstream",
                "18446744073709551615",
                "--ends",
                "pad",
            ])
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("longer than every chromosome"), "{err}");
        assert!(!out.exists());
    }
}

/// An empty annotation and a `--biotype` that matches nothing are refused with a reason (they
/// used to exit 0 with an empty file).
#[test]
fn nothing_to_extract_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let empty = dir.path().join("empty.gtf");
    std::fs::write(&empty, "").unwrap();
    for (gtf, extra, want) in [
        (&p.gtf, vec!["--biotype", "nosuchtype"], "matches none"),
        (&empty, vec![], "no genes"),
    ] {
        let out = dir.path().join("w.fa");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
            .args(["windows", "--fasta"])
            .arg(&p.fasta)
            .arg("--gtf")
            .arg(gtf)
            .args(["--upstream", "10", "--downstream", "10"])
            .args(&extra)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(want), "{err}");
        assert!(!out.exists());
    }
}

/// A negative number given to a size is read as that flag's value and refused for what it is
/// (clap used to call it an unexpected argument).
#[test]
fn negative_sizes_are_refused_as_values() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .args(["windows", "--fasta", "g.fa", "--gtf", "g.gtf"])
        .args(["--upstream", "-1", "--downstream", "5"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(0));
    assert!(err.contains("invalid value '-1' for '--upstream"), "{err}");
    assert!(!err.contains("unexpected argument"), "{err}");
}

/// An interrupted `windows --out` (SIGINT or SIGTERM) removes its temporary file and exits
/// 130; it used to leave a hidden `.seq2expr-*.tmp` of hundreds of MB.
#[test]
fn an_interrupted_run_leaves_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    let outdir = dir.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    for signal in ["-INT", "-TERM"] {
        let out = outdir.join("w.fa");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
            .args(["windows", "--fasta"])
            .arg(&p.fasta)
            .arg("--gtf")
            .arg(&p.gtf)
            .args([
                "--upstream",
                "500000",
                "--downstream",
                "499999",
                "--ends",
                "pad",
            ])
            .arg("--out")
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let tmp_seen = (0..400).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(25));
            std::fs::read_dir(&outdir).unwrap().any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".seq2expr-")
            })
        });
        assert!(tmp_seen, "the run never started writing");
        let killed = std::process::Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}: {status:?}");
        let left: Vec<String> = std::fs::read_dir(&outdir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(left.is_empty(), "{signal}: left behind {left:?}");
    }
}
