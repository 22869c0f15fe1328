//! Real-data tests: Ensembl 91 GTF + GRCh38 chr9:1-1,000,000 (../shared/data/grch38-chr9-1mb-ensembl91)
//! and the GENCODE v36 gene table (../shared/data/gencode-v36-genes). Expected numbers come from
//! the PROVENANCE files or are counted independently from the raw lines in the test.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use genome_io::annotation::{
    Annotation, BiotypeClass, BiotypeFilter, Detail, Interval, Strand, Transcript, biotype_class,
    read_annotation, read_annotation_with, read_gtf,
};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::seq::reverse_complement;
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};

fn shared() -> PathBuf {
    std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
}

fn grch38() -> PathBuf {
    shared().join("data/grch38-chr9-1mb-ensembl91")
}

fn gunzip(path: &Path) -> String {
    let mut s = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).expect("open"))
        .read_to_string(&mut s)
        .expect("gunzip");
    s
}

const GTF: &str = "Homo_sapiens.GRCh38.91_chr9_1_1000000.gtf.gz";
const FA: &str = "Homo_sapiens.GRCh38.dna_sm.primary_assembly_chr9_1_1000000.fa.gz";

fn ensembl() -> Annotation {
    read_annotation(&grch38().join(GTF)).expect("Ensembl GTF parses")
}

/// Spliced, strand-oriented sequence of `segments` (sorted ascending), uppercased.
fn spliced(g: &dyn SequenceSource, t: &Transcript, segments: &[Interval]) -> Vec<u8> {
    let mut s = Vec::new();
    for iv in segments {
        s.extend(g.fetch(&t.chrom, iv.start, iv.end).expect("fetch"));
    }
    if t.strand == Strand::Reverse {
        s = reverse_complement(&s);
    }
    s.to_ascii_uppercase()
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn ensembl91_counts_match_provenance_and_raw_lines() {
    let ann = ensembl();
    assert_eq!(ann.genes.len(), 23);
    assert_eq!(ann.n_transcripts(), 105);
    // Independent count of feature lines per type from the raw text.
    let raw = gunzip(&grch38().join(GTF));
    let mut by_type: HashMap<&str, usize> = HashMap::new();
    for l in raw.lines().filter(|l| !l.starts_with('#')) {
        *by_type
            .entry(l.split('\t').nth(2).expect("type"))
            .or_default() += 1;
    }
    let sum = |f: fn(&Transcript) -> usize| ann.transcripts().map(|(_, t)| f(t)).sum::<usize>();
    assert_eq!(sum(|t| t.exons.len()), by_type["exon"]);
    assert_eq!(sum(|t| t.exons.len()), 831);
    assert_eq!(sum(|t| t.cds.len()), 410);
    assert_eq!(sum(|t| t.five_prime_utr.len()), 57);
    assert_eq!(sum(|t| t.three_prime_utr.len()), 123);
    assert_eq!(sum(|t| t.start_codons.len()), 33);
    assert_eq!(sum(|t| t.stop_codons.len()), 38);
    assert!(
        ann.transcripts()
            .all(|(_, t)| t.explicit && t.support_level.is_some())
    );
    // Ensembl vocabulary: "lincRNA" genes are lncRNA; the filter accepts either spelling.
    let lincrna: Vec<&str> = ann
        .genes
        .iter()
        .filter(|g| g.biotype.as_deref() == Some("lincRNA"))
        .map(|g| g.name.as_deref().unwrap_or(""))
        .collect();
    let mut names = lincrna.clone();
    names.sort_unstable();
    assert_eq!(names, ["AL449043.1", "FAM138C", "LINC01388", "PGM5P3-AS1"]);
    let lnc = BiotypeFilter::new(["lncRNA"]);
    let n_lnc = ann
        .genes
        .iter()
        .filter(|g| lnc.accepts(g.biotype.as_deref()))
        .count();
    let raw_lnc = ann
        .genes
        .iter()
        .filter(|g| {
            matches!(
                g.biotype.as_deref(),
                Some("lincRNA" | "antisense_RNA" | "sense_intronic")
            )
        })
        .count();
    assert_eq!(n_lnc, raw_lnc);
    assert!(n_lnc > lincrna.len());
    let pc: Vec<&str> = {
        let mut v: Vec<&str> = ann
            .genes
            .iter()
            .filter(|g| {
                biotype_class(g.biotype.as_deref().unwrap_or("")) == BiotypeClass::ProteinCoding
            })
            .filter_map(|g| g.name.as_deref())
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(
        pc,
        [
            "C9orf66", "CBWD1", "DMRT1", "DMRT3", "DOCK8", "FOXD4", "KANK1", "WASHC1"
        ]
    );
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn ensembl91_start_codons_read_atg_and_complete_cds_are_codon_multiples() {
    let ann = ensembl();
    let g = open_fasta(grch38().join(FA), &FastaOptions::default()).expect("FASTA");
    let mut n_start = 0;
    for (_, t) in ann
        .transcripts()
        .filter(|(_, t)| !t.start_codons.is_empty())
    {
        assert_eq!(spliced(&*g, t, &t.start_codons), b"ATG", "{}", t.id);
        n_start += t.start_codons.len();
    }
    assert_eq!(n_start, 33);
    // Every protein-coding transcript whose CDS is complete at its 5' end (start codon present,
    // no cds_start_NF tag) starts with ATG; complete at both ends (neither cds_start_NF nor
    // cds_end_NF) it is a whole number of codons and the stop codon after it is a stop.
    let mut checked = 0;
    for (_, t) in ann
        .transcripts()
        .filter(|(_, t)| t.biotype.as_deref() == Some("protein_coding"))
    {
        let cds = spliced(&*g, t, &t.cds);
        if !t.has_tag("cds_start_NF") {
            assert!(!t.start_codons.is_empty(), "{}", t.id);
            assert_eq!(&cds[..3], b"ATG", "{}", t.id);
        }
        if !t.has_tag("cds_start_NF") && !t.has_tag("cds_end_NF") {
            assert_eq!(cds.len() % 3, 0, "{}", t.id);
            let stop = spliced(&*g, t, &t.stop_codons);
            assert!(
                matches!(&stop[..], b"TAA" | b"TAG" | b"TGA"),
                "{}: stop {:?}",
                t.id,
                String::from_utf8_lossy(&stop)
            );
            checked += 1;
        }
    }
    // 29 protein_coding transcripts; 3 are cds_start_NF, 3 cds_end_NF (counted from the raw tags).
    let raw = gunzip(&grch38().join(GTF));
    let incomplete: std::collections::HashSet<&str> = raw
        .lines()
        .filter(|l| {
            l.contains("transcript_biotype \"protein_coding\"")
                && (l.contains("cds_start_NF") || l.contains("cds_end_NF"))
        })
        .filter_map(|l| l.split("transcript_id \"").nth(1)?.split('"').next())
        .collect();
    let all_pc: std::collections::HashSet<&str> = raw
        .lines()
        .filter(|l| l.contains("transcript_biotype \"protein_coding\""))
        .filter_map(|l| l.split("transcript_id \"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(checked, all_pc.len() - incomplete.len());
    assert!(checked >= 20);
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn ensembl91_tss_policies() {
    let ann = ensembl();
    let all = collect_tss(&ann, &TssOptions::default());
    assert_eq!(all.len(), 105);
    for t in &all {
        let (_, tx) = ann
            .transcript(t.transcript_id.as_deref().expect("id"))
            .expect("tx");
        let expected = if tx.strand == Strand::Forward {
            tx.span.start + 1
        } else {
            tx.span.end
        };
        assert_eq!(t.pos1(), expected);
    }
    let per_gene = |p| {
        collect_tss(
            &ann,
            &TssOptions {
                policy: p,
                ..Default::default()
            },
        )
    };
    assert_eq!(per_gene(TssPolicy::GeneStart).len(), 23);
    assert_eq!(per_gene(TssPolicy::LongestCds).len(), 23);
    // No Ensembl_canonical tags in release 91: Canonical falls back to LongestCds.
    assert_eq!(
        per_gene(TssPolicy::Canonical),
        per_gene(TssPolicy::LongestCds)
    );
    // LongestCds picks a transcript whose CDS is maximal within its gene.
    for t in per_gene(TssPolicy::LongestCds) {
        let gene = ann.gene(&t.gene_id).expect("gene");
        let (_, chosen) = ann
            .transcript(t.transcript_id.as_deref().expect("id"))
            .expect("tx");
        assert!(
            gene.transcripts
                .iter()
                .all(|o| o.cds_len() <= chosen.cds_len())
        );
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn gencode_v36_biotype_counts_match_provenance() {
    // The table is genes only (no transcripts); convert each row into a GTF gene line and parse it.
    let text = gunzip(&shared().join("data/gencode-v36-genes/gencode.v36.annotation.genes.tsv.gz"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).expect("column");
    let (c_chr, c_s, c_e, c_str, c_id, c_ty, c_name) = (
        col("seqnames"),
        col("start"),
        col("end"),
        col("strand"),
        col("gene_id"),
        col("gene_type"),
        col("gene_name"),
    );
    let mut gtf = String::new();
    let mut rows = Vec::new();
    for l in lines {
        let f: Vec<&str> = l.split('\t').collect();
        gtf += &format!(
            "{}\tHAVANA\tgene\t{}\t{}\t.\t{}\t.\tgene_id \"{}\"; gene_type \"{}\"; gene_name \"{}\";\n",
            f[c_chr], f[c_s], f[c_e], f[c_str], f[c_id], f[c_ty], f[c_name]
        );
        rows.push((
            f[c_id].to_string(),
            f[c_s].parse::<u64>().expect("s"),
            f[c_e].parse::<u64>().expect("e"),
            f[c_str] == "+",
        ));
    }
    let ann = read_gtf(gtf.as_bytes(), Path::new("<gencode v36 genes>")).expect("parse");
    assert_eq!(ann.genes.len(), 60_660);
    let count = |c| {
        ann.genes
            .iter()
            .filter(|g| biotype_class(g.biotype.as_deref().unwrap_or("")) == c)
            .count()
    };
    assert_eq!(count(BiotypeClass::ProteinCoding), 19_962);
    assert_eq!(count(BiotypeClass::LncRna), 16_901);
    // Ensembl vocabulary selects the same GENCODE genes.
    let f = BiotypeFilter::new(["lincRNA"]);
    assert_eq!(
        ann.genes
            .iter()
            .filter(|g| f.accepts(g.biotype.as_deref()))
            .count(),
        16_901
    );
    // Gene-level TSS: start on '+', end on '-' (1-based), as the PROVENANCE describes.
    let tss = collect_tss(
        &ann,
        &TssOptions {
            policy: TssPolicy::GeneStart,
            ..Default::default()
        },
    );
    assert_eq!(tss.len(), rows.len());
    for (t, (id, s, e, plus)) in tss.iter().zip(&rows) {
        assert_eq!(&t.gene_id, id);
        assert_eq!(t.pos1(), if *plus { *s } else { *e });
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn spans_only_reader_gives_the_full_models_tss_and_spans() {
    let path = grch38().join(GTF);
    let full = ensembl();
    let spans = read_annotation_with(&path, Detail::Spans).expect("spans");
    assert_eq!(spans.genes.len(), full.genes.len());
    assert_eq!(spans.n_transcripts(), full.n_transcripts());
    for (a, b) in spans.genes.iter().zip(&full.genes) {
        assert_eq!(
            (&a.id, &a.name, &a.biotype, a.span),
            (&b.id, &b.name, &b.biotype, b.span)
        );
        for (s, f) in a.transcripts.iter().zip(&b.transcripts) {
            assert_eq!((&s.id, s.span, &s.tags), (&f.id, f.span, &f.tags));
            assert!(s.exons.is_empty() && s.cds.is_empty(), "{}", s.id);
        }
    }
    for policy in [TssPolicy::All, TssPolicy::GeneStart] {
        for dedup in [false, true] {
            let o = TssOptions {
                policy,
                dedup,
                biotypes: BiotypeFilter::default(),
            };
            assert_eq!(
                collect_tss(&spans, &o),
                collect_tss(&full, &o),
                "{policy:?}"
            );
        }
    }
}
