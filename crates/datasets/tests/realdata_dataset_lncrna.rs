//! Task 2 (promoter vs genomic background) from the real GRCh38 chr9:1-1,000,000 region with its
//! Ensembl 91 GTF (../shared/data/grch38-chr9-1mb-ensembl91).
#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::path::PathBuf;

use datasets::dataset::lncrna::{LncrnaConfig, build_lncrna};
use genome_io::fasta::{FastaOptions, open_fasta};

fn shared() -> PathBuf {
    std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn task_2_builds_from_the_real_genome() {
    let dir = shared().join("data/grch38-chr9-1mb-ensembl91");
    let fasta = dir.join("Homo_sapiens.GRCh38.dna_sm.primary_assembly_chr9_1_1000000.fa.gz");
    let gtf = dir.join("Homo_sapiens.GRCh38.91_chr9_1_1000000.gtf.gz");
    let genome = open_fasta(&fasta, &FastaOptions::default()).unwrap();
    let ann = genome_io::annotation::read_annotation(&gtf).unwrap();
    let cfg = LncrnaConfig {
        task: 2,
        length: 300,
        flank: 1000,
        gc_tolerance: Some(0.1),
        seed: 7,
        ..Default::default()
    };
    let ds = build_lncrna(&*genome, &ann, None, &cfg).unwrap();

    // Independent count of coding + lncRNA genes straight from the GTF text (Ensembl 91 names:
    // protein_coding, lincRNA, antisense_RNA, sense_intronic are the ones present here).
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&gtf).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let wanted = [
        "protein_coding",
        "lincRNA",
        "antisense_RNA",
        "sense_intronic",
        "sense_overlapping",
    ];
    let n_genes = text
        .lines()
        .filter(|l| l.split('\t').nth(2) == Some("gene"))
        .filter(|l| {
            wanted
                .iter()
                .any(|b| l.contains(&format!("gene_biotype \"{b}\"")))
        })
        .count();
    let s = &ds.summary;
    assert!(n_genes >= 12, "{n_genes}");
    assert_eq!(s.candidate_genes, n_genes);
    assert_eq!(
        s.counts.total_positive() + s.skipped_out_of_bounds + s.skipped_ambiguous,
        n_genes
    );
    assert_eq!(s.counts.total_negative(), s.counts.total_positive());

    let tss: Vec<u64> = ann.transcripts().map(|(_, t)| t.tss0()).collect();
    for e in ds.examples.iter().filter(|e| e.example.label == 0) {
        assert_eq!(e.chrom, "9");
        assert!(e.example.sequence.bytes().all(|b| b"ACGT".contains(&b)));
        assert!(
            tss.iter().all(|&p| e.end + 1000 <= p || e.start > p + 1000),
            "{e:?}"
        );
    }
    assert_eq!(
        build_lncrna(&*genome, &ann, None, &cfg).unwrap(),
        ds,
        "seeded"
    );
}
