//! Oracle tests against ../shared/oracles/genome (bedtools 2.30 / samtools 1.16 outputs, see its
//! README): TSSs, window coordinates, TSS indices and sequences, byte for byte.

use std::collections::HashMap;
use std::path::PathBuf;

use genome_io::annotation::{Annotation, Strand, read_annotation};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::output::{OutputFormat, write_windows};
use genome_io::tss::{TssOptions, collect_tss};
use genome_io::windows::{EndPolicy, Window, WindowSpec, extract_window, plan_windows};

fn oracle() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("oracles/genome")
}

fn genome() -> Box<dyn SequenceSource> {
    open_fasta(oracle().join("genome.fa.gz"), &FastaOptions::default()).expect("oracle genome")
}

fn annotation() -> Annotation {
    read_annotation(&oracle().join("annotation.gtf")).expect("oracle annotation")
}

/// The three oracle window sets: name, upstream, downstream (offsets [lo, hi) = [-up, down + 1)).
const SETS: [(&str, u64, u64); 3] = [
    ("prom300", 249, 50),
    ("prom1500", 1000, 499),
    ("xpresso10500", 7000, 3499),
];

fn rows(set: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(oracle().join(format!("windows/{set}.json"))).expect("json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json parse");
    let lohi = v["offsets_half_open"].as_array().expect("offsets").clone();
    assert_eq!(lohi.len(), 2);
    v["rows"].as_array().expect("rows").clone()
}

fn plan(
    set_up: u64,
    set_down: u64,
    ends: EndPolicy,
) -> (
    Box<dyn SequenceSource>,
    Vec<Window>,
    genome_io::windows::EndReport,
) {
    let g = genome();
    let tss = collect_tss(&annotation(), &TssOptions::default());
    let p = plan_windows(&*g, &tss, &WindowSpec::new(set_up, set_down, ends)).expect("plan");
    (g, p.windows, p.report)
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn annotation_counts_match_the_readme() {
    let ann = annotation();
    assert_eq!(ann.genes.len(), 37);
    assert_eq!(ann.n_transcripts(), 75);
    let n = |f: fn(&genome_io::annotation::Transcript) -> usize| {
        ann.transcripts().map(|(_, t)| f(t)).sum::<usize>()
    };
    assert_eq!(n(|t| t.exons.len()), 229);
    assert_eq!(n(|t| t.cds.len()), 135);
    assert_eq!(n(|t| t.five_prime_utr.len() + t.three_prime_utr.len()), 146);
    assert_eq!(n(|t| t.unclassified_utr.len()), 0);
    // GENCODE UTRs classified by position: 5'UTR + CDS + 3'UTR tile the exons, 5' UTRs lie
    // upstream of the CDS on the transcript strand and 3' UTRs downstream.
    for (_, t) in ann.transcripts().filter(|(_, t)| !t.cds.is_empty()) {
        let exonic: u64 = t.exons.iter().map(|e| e.len()).sum();
        assert_eq!(
            t.five_prime_utr_len() + t.cds_len() + t.three_prime_utr_len(),
            exonic,
            "{}",
            t.id
        );
        let (lo, hi) = (t.cds[0].start, t.cds[t.cds.len() - 1].end);
        let upstream = |u: &genome_io::annotation::Interval| match t.strand {
            Strand::Forward => u.end <= lo,
            Strand::Reverse => u.start >= hi,
        };
        assert!(t.five_prime_utr.iter().all(upstream), "{}", t.id);
        assert!(t.three_prime_utr.iter().all(|u| !upstream(u)), "{}", t.id);
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn tss_match_tss_tsv() {
    let ann = annotation();
    let tss = collect_tss(&ann, &TssOptions::default());
    let text = std::fs::read_to_string(oracle().join("tss.tsv")).expect("tss.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let expected: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    assert_eq!(tss.len(), expected.len());
    for (t, e) in tss.iter().zip(&expected) {
        assert_eq!(t.transcript_id.as_deref(), Some(e[col("transcript_id")]));
        assert_eq!(t.gene_id, e[col("gene_id")]);
        assert_eq!(t.gene_name.as_deref(), Some(e[col("gene_name")]));
        assert_eq!(t.biotype.as_deref(), Some(e[col("gene_type")]));
        assert_eq!(t.chrom, e[col("chrom")]);
        assert_eq!(t.strand.as_char().to_string(), e[col("strand")]);
        assert_eq!(t.pos1().to_string(), e[col("tss")]);
        assert_eq!(t.pos0.to_string(), e[col("tss_bed_start")]);
        let (_, tx) = ann.transcript(e[col("transcript_id")]).expect("transcript");
        assert_eq!(tx.exons.len().to_string(), e[col("n_exons")]);
        assert_eq!((tx.span.start + 1).to_string(), e[col("tx_start")]);
        assert_eq!(tx.span.end.to_string(), e[col("tx_end")]);
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn clip_equals_bedtools_and_samtools_and_json() {
    for (set, up, down) in SETS {
        let (g, windows, report) = plan(up, down, EndPolicy::Clip);
        let rows = rows(set);
        assert_eq!(windows.len(), rows.len(), "{set}");
        let n_clipped = rows
            .iter()
            .filter(|r| r["clipped_left"] == true || r["clipped_right"] == true)
            .count();
        assert_eq!(report.clipped, n_clipped, "{set}");
        let mut buf = Vec::new();
        for (w, r) in windows.iter().zip(&rows) {
            assert_eq!(w.name, r["name"].as_str().expect("name"), "{set}");
            assert_eq!(Some(w.start), r["start"].as_u64(), "{set} {}", w.name);
            assert_eq!(Some(w.end), r["end"].as_u64(), "{set} {}", w.name);
            assert_eq!(
                Some(w.tss_index),
                r["tss_index"].as_u64(),
                "{set} {}",
                w.name
            );
            assert_eq!(
                Some(w.clipped_left),
                r["clipped_left"].as_bool(),
                "{set} {}",
                w.name
            );
            assert_eq!(
                Some(w.clipped_right),
                r["clipped_right"].as_bool(),
                "{set} {}",
                w.name
            );
            assert_eq!(
                genome_io::output::fasta_header(w),
                r["bedtools_header"].as_str().expect("h")
            );
            extract_window(&*g, w, &mut buf).expect("extract");
            assert_eq!(
                buf,
                r["seq"].as_str().expect("seq").as_bytes(),
                "{set} {}",
                w.name
            );
        }
        // The whole FASTA output is byte-identical to bedtools getfasta -s -name on the clipped BED.
        let mut out = Vec::new();
        write_windows(&*g, &windows, OutputFormat::Fasta, &mut out, |_| {}).expect("write");
        let bedtools = std::fs::read(oracle().join(format!("windows/{set}.bedtools.fa")))
            .expect("bedtools.fa");
        assert!(out == bedtools, "{set}: FASTA differs from bedtools");
        // The BED6 output is byte-identical to the clipped BED bedtools was given.
        let mut bed = Vec::new();
        write_windows(&*g, &windows, OutputFormat::Bed, &mut bed, |_| {}).expect("bed");
        let clipped_bed =
            std::fs::read(oracle().join(format!("windows/{set}.clipped.bed"))).expect("bed");
        assert!(bed == clipped_bed, "{set}: BED differs");
        // samtools faidx (-i for minus): headers chrom:start+1-end[/rc], 60-column lines.
        let samtools = read_fasta_records(&oracle().join(format!("windows/{set}.samtools.fa")));
        for w in &windows {
            let rc = if w.strand == Strand::Reverse {
                "/rc"
            } else {
                ""
            };
            let key = format!("{}:{}-{}{rc}", w.chrom, w.start + 1, w.end);
            extract_window(&*g, w, &mut buf).expect("extract");
            assert_eq!(
                samtools.get(&key).map(Vec::as_slice),
                Some(buf.as_slice()),
                "{set} {key}"
            );
        }
    }
}

fn read_fasta_records(path: &std::path::Path) -> HashMap<String, Vec<u8>> {
    let text = std::fs::read_to_string(path).expect("fasta");
    let mut map = HashMap::new();
    let mut name = String::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix('>') {
            name = h.to_string();
            map.insert(name.clone(), Vec::new());
        } else if let Some(s) = map.get_mut(&name) {
            s.extend_from_slice(line.as_bytes());
        }
    }
    map
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn skip_drops_exactly_the_clipped_rows_and_matches_bedtools_on_the_rest() {
    for (set, up, down) in SETS {
        let (g, windows, report) = plan(up, down, EndPolicy::Skip);
        let rows = rows(set);
        let kept: Vec<&serde_json::Value> = rows
            .iter()
            .filter(|r| r["clipped_left"] == false && r["clipped_right"] == false)
            .collect();
        assert_eq!(report.skipped, rows.len() - kept.len(), "{set}");
        assert_eq!(windows.len(), kept.len(), "{set}");
        let mut out = Vec::new();
        write_windows(&*g, &windows, OutputFormat::Fasta, &mut out, |_| {}).expect("write");
        let mut expected = String::new();
        for r in &kept {
            expected += &format!(
                ">{}\n{}\n",
                r["bedtools_header"].as_str().expect("h"),
                r["seq"].as_str().expect("s")
            );
        }
        assert!(
            out == expected.as_bytes(),
            "{set}: skip output differs from bedtools on the kept windows"
        );
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn pad_gives_full_length_with_the_tss_at_upstream() {
    for (set, up, down) in SETS {
        let (g, windows, report) = plan(up, down, EndPolicy::Pad);
        let rows = rows(set);
        assert_eq!(windows.len(), rows.len());
        assert_eq!(
            report.padded,
            rows.iter()
                .filter(|r| r["clipped_left"] == true || r["clipped_right"] == true)
                .count()
        );
        let mut buf = Vec::new();
        for (w, r) in windows.iter().zip(&rows) {
            extract_window(&*g, w, &mut buf).expect("extract");
            assert_eq!(buf.len() as u64, up + down + 1, "{set} {}", w.name);
            assert_eq!(w.tss_index, up);
            // Stripping the padding gives the oracle's clipped sequence, and the TSS base agrees.
            let core = &buf[w.pad_5p as usize..buf.len() - w.pad_3p as usize];
            let seq = r["seq"].as_str().expect("seq").as_bytes();
            assert_eq!(core, seq, "{set} {}", w.name);
            let idx = r["tss_index"].as_u64().expect("idx") as usize;
            assert_eq!(buf[w.tss_index as usize], seq[idx], "{set} {}", w.name);
            assert!(
                buf[..w.pad_5p as usize]
                    .iter()
                    .chain(&buf[buf.len() - w.pad_3p as usize..])
                    .all(|&b| b == b'N')
            );
        }
    }
}
