//! Synthetic world files: determinism, FASTA/.fai consistency and GTF gene models, checked with
//! the small readers of `synth_common` (independent of the crate's parsers).
#![allow(clippy::unwrap_used)]

mod synth_common;

use datasets::error::SynthError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use datasets::synth::{SynthConfig, SynthPaths, UtrStyle, generate, generate_to_dir};
use synth_common::*;

const FILES: [&str; 5] = [
    "genome.fa",
    "genome.fa.fai",
    "annotation.gtf",
    "expression.tsv",
    "truth.tsv",
];

fn read_all(dir: &Path) -> Vec<Vec<u8>> {
    FILES
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

#[test]
fn same_seed_gives_identical_files_and_streaming_equals_in_memory() {
    let cfg = SynthConfig::tiny();
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let pa = generate_to_dir(&cfg, a.path()).unwrap();
    generate_to_dir(&cfg, b.path()).unwrap();
    generate(&cfg).unwrap().write_to_dir(c.path()).unwrap();
    assert_eq!(pa, SynthPaths::in_dir(a.path()));
    let (fa, fb, fc) = (read_all(a.path()), read_all(b.path()), read_all(c.path()));
    for i in 0..FILES.len() {
        assert!(
            fa[i] == fb[i],
            "{} differs between two runs with the same seed",
            FILES[i]
        );
        assert!(
            fa[i] == fc[i],
            "{} differs between streaming and in-memory generation",
            FILES[i]
        );
    }
    let d = tempfile::tempdir().unwrap();
    generate_to_dir(
        &SynthConfig {
            seed: cfg.seed + 1,
            ..cfg
        },
        d.path(),
    )
    .unwrap();
    let fd = read_all(d.path());
    for i in [0, 2, 3, 4] {
        assert!(fa[i] != fd[i], "{} identical for different seeds", FILES[i]);
    }
}

#[test]
fn fai_matches_the_fasta() {
    let dir = tempfile::tempdir().unwrap();
    let p = generate_to_dir(&SynthConfig::tiny(), dir.path()).unwrap();
    let bytes = std::fs::read(&p.fasta).unwrap();
    // Build the index independently: scan lines, record offsets.
    let mut expected = Vec::new();
    let mut pos = 0usize;
    let mut cur: Option<(String, u64, usize, Vec<usize>)> = None;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line[0] == b'>' {
            if let Some(r) = cur.take() {
                expected.push(r);
            }
            let name = String::from_utf8_lossy(&line[1..line.len() - 1]).to_string();
            cur = Some((name, 0, pos + line.len(), Vec::new()));
        } else {
            let r = cur.as_mut().unwrap();
            r.1 += line.len() as u64 - 1;
            r.3.push(line.len());
            assert!(
                line[..line.len() - 1]
                    .iter()
                    .all(|b| b"ACGTNacgtn".contains(b)),
                "unexpected byte"
            );
        }
        pos += line.len();
    }
    expected.extend(cur);
    let fai = std::fs::read_to_string(&p.fai).unwrap();
    let rows: Vec<Vec<&str>> = fai.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), expected.len());
    let cfg = SynthConfig::tiny();
    for ((name, len, offset, lines), row) in expected.iter().zip(&rows) {
        assert_eq!(row[0], name);
        assert_eq!(row[1].parse::<u64>().unwrap(), *len);
        assert_eq!(row[2].parse::<usize>().unwrap(), *offset);
        // every line but the last holds exactly 60 bases (61 bytes)
        assert!(lines[..lines.len() - 1].iter().all(|&l| l == 61));
        assert!(*lines.last().unwrap() <= 61);
        assert_eq!((row[3], row[4]), ("60", "61"));
    }
    let lens: Vec<u64> = expected.iter().map(|r| r.1).collect();
    assert_eq!(lens, cfg.chrom_lengths);
}

fn genome(p: &SynthPaths) -> BTreeMap<String, Vec<u8>> {
    read_fasta(&p.fasta).into_iter().collect()
}

fn check_gene_models(style: UtrStyle) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = SynthConfig {
        utr_style: style,
        ..SynthConfig::tiny()
    };
    let p = generate_to_dir(&cfg, dir.path()).unwrap();
    let g = genome(&p);
    let feats = read_gtf(&p.gtf);
    let tx = by_transcript(&feats);
    let (mut coding, mut introns, mut strands) = (0, 0, BTreeSet::new());
    let mut canonical_per_gene: BTreeMap<String, usize> = BTreeMap::new();
    for (id, fs) in &tx {
        let t = fs
            .iter()
            .find(|f| f.kind == "transcript")
            .unwrap_or_else(|| panic!("{id}: no transcript line"));
        strands.insert((t.strand, t.attr("transcript_type").unwrap().to_string()));
        assert!(
            t.attr("transcript_support_level").is_some()
                && fs.iter().all(|f| f.attr("tag").is_some())
        );
        if t.attrs
            .iter()
            .any(|(k, v)| k == "tag" && v == "Ensembl_canonical")
        {
            *canonical_per_gene
                .entry(t.attr("gene_id").unwrap().into())
                .or_default() += 1;
        }
        let mut exons: Vec<&Feature> = fs.iter().filter(|f| f.kind == "exon").collect();
        exons.sort_by_key(|f| f.start);
        for f in fs.iter().filter(|f| f.kind != "transcript") {
            assert!(
                t.start <= f.start && f.end <= t.end,
                "{id}: {} outside transcript",
                f.kind
            );
            assert!(
                exons.iter().any(|e| e.start <= f.start && f.end <= e.end),
                "{id}: {} outside exons",
                f.kind
            );
        }
        for w in exons.windows(2) {
            introns += 1;
            let intron = &g[&t.chrom][w[0].end as usize..w[1].start as usize];
            let mut s = if t.strand == '+' {
                intron.to_vec()
            } else {
                revcomp(intron)
            };
            s.make_ascii_uppercase();
            assert!(
                s.starts_with(b"GT") && s.ends_with(b"AG"),
                "{id}: intron not GT..AG"
            );
        }
        let exon_len: u64 = exons.iter().map(|e| e.end - e.start).sum();
        let cds = spliced(&g, fs, "CDS");
        if cds.is_empty() {
            assert_eq!(t.attr("transcript_type"), Some("lncRNA"));
            continue;
        }
        coding += 1;
        assert_eq!(cds.len() % 3, 0, "{id}: CDS length {}", cds.len());
        assert_eq!(&cds[..3], b"ATG", "{id}: CDS does not start with ATG");
        assert_eq!(spliced(&g, fs, "start_codon"), b"ATG", "{id}: start_codon");
        let stop = spliced(&g, fs, "stop_codon");
        assert!(
            [&b"TAA"[..], b"TAG", b"TGA"].contains(&stop.as_slice()),
            "{id}: stop {stop:?}"
        );
        for (i, codon) in cds.chunks(3).enumerate() {
            assert!(
                !["TAA", "TAG", "TGA"].contains(&std::str::from_utf8(codon).unwrap()),
                "{id}: in-frame stop at codon {i}"
            );
        }
        // The stop codon immediately follows the CDS in the spliced exon sequence.
        let mature = spliced(&g, fs, "exon");
        let at = (0..mature.len() - 3)
            .find(|&i| mature[i..].starts_with(&cds))
            .expect("CDS inside mature sequence");
        assert_eq!(
            &mature[at + cds.len()..at + cds.len() + 3],
            stop.as_slice(),
            "{id}"
        );
        // Frames: the first CDS piece in transcript order has frame 0.
        let mut pieces: Vec<&Feature> = fs.iter().filter(|f| f.kind == "CDS").collect();
        pieces.sort_by_key(|f| {
            if t.strand == '+' {
                f.start as i64
            } else {
                -(f.start as i64)
            }
        });
        let mut before = 0;
        for f in pieces {
            assert_eq!(f.frame, ((3 - before % 3) % 3).to_string(), "{id}: frame");
            before += f.end - f.start;
        }
        let len = |kinds: &[&str]| {
            fs.iter()
                .filter(|f| kinds.contains(&f.kind.as_str()))
                .map(|f| f.end - f.start)
                .sum::<u64>()
        };
        let utr = len(&["UTR", "five_prime_utr", "three_prime_utr"]);
        match style {
            UtrStyle::Gencode => assert_eq!(
                utr + len(&["CDS"]),
                exon_len,
                "{id}: GENCODE UTR includes the stop codon"
            ),
            UtrStyle::Ensembl => assert_eq!(
                utr + len(&["CDS"]) + 3,
                exon_len,
                "{id}: Ensembl UTRs exclude the stop"
            ),
        }
        if style == UtrStyle::Ensembl {
            assert_eq!(len(&["five_prime_utr"]), at as u64, "{id}: 5'UTR length");
        }
    }
    assert!(
        coding > 100 && introns > 300,
        "coding {coding}, introns {introns}"
    );
    assert_eq!(
        strands.len(),
        4,
        "both strands for both biotypes: {strands:?}"
    );
    assert_eq!(
        canonical_per_gene.len(),
        cfg.protein_coding_genes + cfg.lncrna_genes
    );
    assert!(canonical_per_gene.values().all(|&n| n == 1));
}

#[test]
fn gene_models_are_valid_gencode_style() {
    check_gene_models(UtrStyle::Gencode);
}

#[test]
fn gene_models_are_valid_ensembl_style() {
    check_gene_models(UtrStyle::Ensembl);
}

#[test]
fn bad_configurations_are_typed_errors() {
    let tiny = SynthConfig::tiny();
    let cases = [
        SynthConfig {
            chrom_lengths: vec![],
            ..tiny.clone()
        },
        SynthConfig {
            tissues: vec!["a".into(), "a".into()],
            ..tiny.clone()
        },
        SynthConfig {
            tissues: vec!["has space".into()],
            ..tiny.clone()
        },
        SynthConfig {
            noise_sd: f64::NAN,
            ..tiny.clone()
        },
        SynthConfig {
            intron_len: (500, 100),
            ..tiny.clone()
        },
        SynthConfig {
            protein_coding_genes: 0,
            lncrna_genes: 0,
            ..tiny.clone()
        },
        // far too many genes for 150 kb
        SynthConfig {
            chrom_lengths: vec![150_000],
            protein_coding_genes: 500,
            ..tiny.clone()
        },
    ];
    for cfg in cases {
        let dir = tempfile::tempdir().unwrap();
        let err = generate_to_dir(&cfg, dir.path()).unwrap_err();
        assert!(
            matches!(err, datasets::Error::Synth(SynthError::InvalidArgument(_))),
            "{err}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no partial output"
        );
    }
}
