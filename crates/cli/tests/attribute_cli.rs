//! `seq2expr attribute` end to end: a tiny Xpresso trained on the tiny synthetic world, its
//! windows from `seq2expr windows`, and checks against independent computations: ISM deltas
//! against `seq2expr predict` on a genome with the mutation written in, integrated gradients'
//! completeness, the reference base's exact 0, and refusals before anything is written.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

mod common;
use common::{run, seq2expr};

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
    all_windows: std::path::PathBuf,
    root: std::path::PathBuf,
    paths: datasets::synth::SynthPaths,
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
        all_windows: all,
        paths: p,
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

/// FASTA records `name -> sequence`.
fn read_fasta(path: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = HashMap::new();
    let mut name = String::new();
    for l in text.lines() {
        if let Some(n) = l.strip_prefix('>') {
            name = n.to_string();
            out.insert(name.clone(), String::new());
        } else {
            out.get_mut(&name).unwrap().push_str(l);
        }
    }
    out
}

/// `seq2expr variants` against independent paths: the reference score equals `seq2expr
/// predict` of the gene (features off), the emitted reference window equals `seq2expr
/// windows`, and an SNV's effect equals the ISM delta of that base.
#[test]
fn variant_effects_agree_with_predict_windows_and_ism() {
    let w = world();
    let wins = read_fasta(&w.all_windows);
    // windows are named TRANSCRIPT::chrom:start-end(strand)
    let (name, seq) = wins.iter().min_by_key(|(n, _)| n.as_str()).unwrap();
    let tid = name.split("::").next().unwrap().to_string();
    let loc = name.split("::").nth(1).unwrap();
    let chrom = loc.split(':').next().unwrap().to_string();
    let span = loc.split(':').nth(1).unwrap();
    let strand = span.chars().rev().nth(1).unwrap();
    let start: u64 = span.split('-').next().unwrap().parse().unwrap();
    let end: u64 = span
        .split('-')
        .nth(1)
        .unwrap()
        .split('(')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // an SNV 20 bp upstream of the TSS on the transcript's strand
    let oriented = 200 - 20;
    let g0 = if strand == '+' {
        start + oriented
    } else {
        end - 1 - oriented
    };
    let here = seq.as_bytes()[oriented as usize].to_ascii_uppercase();
    let comp = |b: u8| match b {
        b'A' => b'T',
        b'C' => b'G',
        b'G' => b'C',
        b'T' => b'A',
        x => x,
    };
    let ref_g = if strand == '+' { here } else { comp(here) };
    let alt_g = if ref_g == b'A' { b'G' } else { b'A' };
    let vcf = w.root.join("v.vcf");
    std::fs::write(
        &vcf,
        format!(
            "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n{chrom}\t{}\t.\t{}\t{}\t.\t.\t.\n{chrom}\t{}\t.\tT\t<DEL>\t.\t.\t.\n",
            g0 + 1,
            ref_g as char,
            alt_g as char,
            g0 + 1
        ),
    )
    .unwrap();
    let eff = w.root.join("out/effects.tsv");
    let emitted = w.root.join("out/seqs.fa");
    let s = run(seq2expr()
        .args(["variants", "--model"])
        .arg(&w.model)
        .arg("--fasta")
        .arg(&w.paths.fasta)
        .arg("--gtf")
        .arg(&w.paths.gtf)
        .arg("--vcf")
        .arg(&vcf)
        .arg("--out")
        .arg(&eff)
        .arg("--emit-sequences")
        .arg(&emitted));
    let s: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["skipped_alleles"]["symbolic"], 1);
    let text = std::fs::read_to_string(&eff).unwrap();
    let row: Vec<&str> = text
        .lines()
        .find(|l| l.split('\t').nth(5) == Some(tid.as_str()))
        .unwrap()
        .split('\t')
        .collect();
    assert_eq!(row[9], "-20", "tss_distance");
    let (r, a, d): (f64, f64, f64) = (
        row[12].parse().unwrap(),
        row[13].parse().unwrap(),
        row[14].parse().unwrap(),
    );
    assert!((a - r - d).abs() < 1e-6);
    // the reference window is what `windows` extracts
    let em = read_fasta(&emitted);
    let label = format!("{chrom}:{}:{}:{}", g0 + 1, ref_g as char, alt_g as char);
    assert_eq!(&em[&format!("{label}|{tid}|ref")], seq);
    let alt = &em[&format!("{label}|{tid}|alt")];
    let want_alt = if strand == '+' { alt_g } else { comp(alt_g) };
    assert_eq!(alt.as_bytes()[oriented as usize], want_alt);
    // the effect is the ISM delta of that base in that window
    let one = w.root.join("one.fa");
    std::fs::write(&one, format!(">{tid}\n{seq}\n")).unwrap();
    let ism = w.root.join("ism-one");
    run(seq2expr()
        .args(["attribute", "--model"])
        .arg(&w.model)
        .arg("--fasta")
        .arg(&one)
        .args(["--method", "ism", "--window"])
        .arg(format!("{oriented}..{}", oriented + 1))
        .arg("--out")
        .arg(&ism));
    let t = read_tsv(&ism.join("attributions.tsv"));
    let delta = t[&(
        tid.clone(),
        oriented as usize,
        (want_alt as char).to_string(),
    )];
    assert!((delta - d).abs() < 1e-5, "ISM {delta} vs variant diff {d}");
    // the reference score is what `predict` gives the gene
    let pred = w.root.join("pred.tsv");
    run(seq2expr()
        .args(["predict", "--model"])
        .arg(&w.model)
        .arg("--fasta")
        .arg(&w.paths.fasta)
        .arg("--gtf")
        .arg(&w.paths.gtf)
        .arg("--out")
        .arg(&pred));
    let ptext = std::fs::read_to_string(&pred).unwrap();
    let header: Vec<&str> = ptext.lines().next().unwrap().split('\t').collect();
    let (ti, yi) = (
        header.iter().position(|h| *h == "transcript_id").unwrap(),
        header.iter().position(|h| *h == "y_pred").unwrap(),
    );
    let y: f64 = ptext
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f[ti] == tid)
        .unwrap()[yi]
        .parse()
        .unwrap();
    assert!((y - r).abs() < 1e-5, "predict {y} vs ref_score {r}");
}

/// A malformed VCF line stops `variants` with its file and line, and leaves no output;
/// `--skip-malformed` counts it instead.
#[test]
fn malformed_vcf_lines_name_file_and_line() {
    let w = world();
    let vcf = w.root.join("bad.vcf");
    std::fs::write(
        &vcf,
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\tx12\t.\tA\tG\t.\t.\t.\n",
    )
    .unwrap();
    let eff = w.root.join("bad/effects.tsv");
    let args = |c: &mut Command| {
        c.args(["variants", "--model"])
            .arg(&w.model)
            .arg("--fasta")
            .arg(&w.paths.fasta)
            .arg("--gtf")
            .arg(&w.paths.gtf)
            .arg("--vcf")
            .arg(&vcf)
            .arg("--out")
            .arg(&eff);
    };
    let mut c = seq2expr();
    args(&mut c);
    let o = c.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("bad.vcf:3"), "{err}");
    assert!(!eff.exists());
    let left = std::fs::read_dir(eff.parent().unwrap()).map_or(0, |d| d.count());
    assert_eq!(left, 0, "no temporaries left behind");
    let mut c = seq2expr();
    args(&mut c);
    let s = run(c.arg("--skip-malformed"));
    let s: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["skipped_alleles"]["malformed_lines"], 1);
}

/// `motifs` on an attribution directory: every file, one `matches.tsv` row per database motif,
/// seqlets inside their sequences.
#[test]
fn motifs_from_an_attribution_directory() {
    let w = world();
    let gi = w.root.join("gi");
    run(seq2expr()
        .args(["attribute", "--model"])
        .arg(&w.model)
        .arg("--fasta")
        .arg(&w.all_windows)
        .args(["--method", "grad-input", "--plots", "2", "--out"])
        .arg(&gi));
    assert!(std::fs::read_dir(gi.join("plots")).unwrap().count() >= 2);
    let db = w.root.join("db.meme");
    std::fs::write(
        &db,
        "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n\
         MOTIF M1 TATA\nletter-probability matrix: alength= 4 w= 4 nsites= 1 E= 0\n0 0 0 1\n1 0 0 0\n0 0 0 1\n1 0 0 0\n\n\
         MOTIF M2 GCbox\nletter-probability matrix: alength= 4 w= 4 nsites= 1 E= 0\n0 0 1 0\n0 0 1 0\n0 1 0 0\n0 0 1 0\n",
    )
    .unwrap();
    let out = w.root.join("motifs");
    let s = run(seq2expr()
        .args(["motifs", "--attributions"])
        .arg(&gi)
        .arg("--meme")
        .arg(&db)
        .args(["--tss-index", "200", "--min-cluster", "1", "--out"])
        .arg(&out));
    let s: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["database_motifs"], 2);
    for f in ["seqlets.tsv", "matches.tsv", "motifs.tsv", "motifs.meme"] {
        assert!(out.join(f).exists(), "{f}");
    }
    let m = std::fs::read_to_string(out.join("matches.tsv")).unwrap();
    assert_eq!(m.lines().count(), 3);
    let sl = std::fs::read_to_string(out.join("seqlets.tsv")).unwrap();
    for l in sl.lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        let (a, b): (usize, usize) = (f[1].parse().unwrap(), f[2].parse().unwrap());
        assert!(a < b && b <= 300, "{l}");
    }
    // a bad MEME file is refused with its line
    std::fs::write(&db, "MEME version 4\n\nALPHABET= ACGT\n\nMOTIF X\nletter-probability matrix: alength= 4 w= 2\n0.5 0.5 0 0\n").unwrap();
    let o = seq2expr()
        .args(["motifs", "--attributions"])
        .arg(&gi)
        .arg("--meme")
        .arg(&db)
        .arg("--out")
        .arg(w.root.join("m2"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("db.meme"));
}
