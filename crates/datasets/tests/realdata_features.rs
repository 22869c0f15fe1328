//! Xpresso gene-structure features on Ensembl 91 chr9:1-1,000,000, checked against values derived
//! independently in this test from the raw GTF lines (1-based closed columns 4/5) and the raw
//! FASTA text (gunzipped, newlines stripped, sliced by hand).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use datasets::features::{HalfLifeFeatures, LengthConvention, features_for, transcript_features};
use genome_io::annotation::read_annotation;
use genome_io::fasta::{FastaOptions, open_fasta};

fn data() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("data/grch38-chr9-1mb-ensembl91")
}

fn gunzip(path: &Path) -> String {
    let mut s = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).expect("open"))
        .read_to_string(&mut s)
        .expect("gz");
    s
}

const GTF: &str = "Homo_sapiens.GRCh38.91_chr9_1_1000000.gtf.gz";
const FA: &str = "Homo_sapiens.GRCh38.dna_sm.primary_assembly_chr9_1_1000000.fa.gz";

#[derive(Default)]
struct Raw {
    tx: (u64, u64),
    exons: Vec<(u64, u64)>,
    cds: Vec<(u64, u64)>,
    utr5: Vec<(u64, u64)>,
    utr3: Vec<(u64, u64)>,
}

fn raw_transcripts() -> BTreeMap<String, Raw> {
    let mut m: BTreeMap<String, Raw> = BTreeMap::new();
    for l in gunzip(&data().join(GTF))
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        let f: Vec<&str> = l.split('\t').collect();
        if !f[8].contains("transcript_biotype \"protein_coding\"") {
            continue;
        }
        let Some(id) = f[8]
            .split("transcript_id \"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            continue;
        };
        let se = (
            f[3].parse::<u64>().expect("start"),
            f[4].parse::<u64>().expect("end"),
        );
        let r = m.entry(id.to_string()).or_default();
        match f[2] {
            "transcript" => r.tx = se,
            "exon" => r.exons.push(se),
            "CDS" => r.cds.push(se),
            "five_prime_utr" => r.utr5.push(se),
            "three_prime_utr" => r.utr3.push(se),
            _ => {}
        }
    }
    m
}

/// GC over A/C/G/T of the 1-based closed segments, sliced from the raw sequence text.
fn raw_gc(genome: &[u8], segs: &[(u64, u64)]) -> Option<f64> {
    let (mut gc, mut n) = (0u64, 0u64);
    for &(s, e) in segs {
        for &b in &genome[(s - 1) as usize..e as usize] {
            match b.to_ascii_uppercase() {
                b'G' | b'C' => {
                    gc += 1;
                    n += 1
                }
                b'A' | b'T' => n += 1,
                _ => {}
            }
        }
    }
    (n > 0).then(|| gc as f64 / n as f64)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() < 1e-12,
        _ => false,
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn protein_coding_features_match_independent_derivation() {
    let text = gunzip(&data().join(FA));
    let genome: Vec<u8> = text
        .lines()
        .filter(|l| !l.starts_with('>'))
        .flat_map(|l| l.bytes())
        .collect();
    assert_eq!(genome.len(), 1_000_000);
    let ann = read_annotation(&data().join(GTF)).expect("gtf");
    let g = open_fasta(data().join(FA), &FastaOptions::default()).expect("fasta");
    let raw = raw_transcripts();
    assert_eq!(raw.len(), 29);
    for (id, r) in &raw {
        let (_, t) = ann.transcript(id).expect("transcript");
        let bio = transcript_features(&*g, t, LengthConvention::Biological).expect("features");
        let quirk = transcript_features(&*g, t, LengthConvention::XpressoQuirk).expect("features");
        let len = |v: &[(u64, u64)]| v.iter().map(|(s, e)| e - s + 1).sum::<u64>();
        let qlen = |v: &[(u64, u64)]| v.iter().map(|(s, e)| e - s).sum::<u64>();
        let exonic = len(&r.exons);
        let span = r.tx.1 - r.tx.0 + 1;
        assert_eq!(bio.utr5_len, len(&r.utr5), "{id}");
        assert_eq!(bio.cds_len, len(&r.cds), "{id}");
        assert_eq!(bio.utr3_len, len(&r.utr3), "{id}");
        assert_eq!(bio.intron_len, span - exonic, "{id}");
        assert_eq!(quirk.utr5_len, qlen(&r.utr5), "{id}");
        assert_eq!(quirk.cds_len, qlen(&r.cds), "{id}");
        assert_eq!(quirk.utr3_len, qlen(&r.utr3), "{id}");
        // n exons => n - 1 introns, each one base shorter under the quirk.
        assert_eq!(
            quirk.intron_len,
            span - exonic - (r.exons.len() as u64 - 1),
            "{id}"
        );
        assert!(close(bio.utr5_gc, raw_gc(&genome, &r.utr5)), "{id}");
        assert!(close(bio.cds_gc, raw_gc(&genome, &r.cds)), "{id}");
        assert!(close(bio.utr3_gc, raw_gc(&genome, &r.utr3)), "{id}");
        let density = r.cds.len() as f64 * 1000.0 / len(&r.cds) as f64;
        assert!(close(bio.orf_exon_density, Some(density)), "{id}");
        // Missing UTR: length 0, GC undefined (NaN in the array form).
        if r.utr5.is_empty() {
            assert_eq!((bio.utr5_len, bio.utr5_gc), (0, None));
            assert!(bio.to_array()[4].is_nan());
        }
    }
    // The parallel form gives the same rows in the same order.
    let txs: Vec<_> = raw
        .keys()
        .map(|id| ann.transcript(id).expect("t").1)
        .collect();
    let par = features_for(&*g, &txs, LengthConvention::Biological).expect("par");
    for (t, f) in txs.iter().zip(&par) {
        let one = transcript_features(&*g, t, LengthConvention::Biological).expect("one");
        assert_eq!(
            f.to_array().map(f64::to_bits),
            one.to_array().map(f64::to_bits)
        );
    }
    assert_eq!(HalfLifeFeatures::COLUMNS[1], "cds_len");
}
