//! Annotation behaviour on small inline GTF/GFF3 texts: UTR classification, implicit transcripts,
//! GFF3 assembly, compression sniffing, biotype vocabularies and TSS selection policies.

use std::io::Write;
use std::path::Path;

use genome_io::annotation::{Interval, Strand, read_annotation, read_gff3, read_gtf};
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};

const MEM: &str = "<memory>";

fn gtf(text: &str) -> genome_io::annotation::Annotation {
    read_gtf(text.replace("|", "\t").as_bytes(), Path::new(MEM)).expect("parse")
}

/// A GENCODE-style minus-strand transcript: exons 100-300 and 500-800 (1-based), CDS 250-300 and
/// 500-600, so the UTR 601-800 is 5' (upstream on '-') and 100-249 is 3'.
const GENCODE_MINUS: &str = "\
chr1|H|gene|100|800|.|-|.|gene_id \"G\"; gene_type \"protein_coding\"; gene_name \"N\";
chr1|H|transcript|100|800|.|-|.|gene_id \"G\"; transcript_id \"T\"; transcript_type \"protein_coding\"; tag \"basic\"; tag \"MANE_Select\"; transcript_support_level \"1\";
chr1|H|exon|500|800|.|-|.|gene_id \"G\"; transcript_id \"T\";
chr1|H|CDS|500|600|.|-|0|gene_id \"G\"; transcript_id \"T\";
chr1|H|exon|100|300|.|-|.|gene_id \"G\"; transcript_id \"T\";
chr1|H|CDS|250|300|.|-|2|gene_id \"G\"; transcript_id \"T\";
chr1|H|UTR|601|800|.|-|.|gene_id \"G\"; transcript_id \"T\";
chr1|H|UTR|100|249|.|-|.|gene_id \"G\"; transcript_id \"T\";
";

#[test]
fn gencode_utr_is_classified_by_strand_and_cds_position() {
    let ann = gtf(GENCODE_MINUS);
    let (g, t) = ann.transcript("T").expect("T");
    assert_eq!(
        (g.name.as_deref(), g.biotype.as_deref()),
        (Some("N"), Some("protein_coding"))
    );
    assert_eq!(
        t.five_prime_utr,
        vec![Interval {
            start: 600,
            end: 800
        }]
    );
    assert_eq!(
        t.three_prime_utr,
        vec![Interval {
            start: 99,
            end: 249
        }]
    );
    assert!(t.unclassified_utr.is_empty());
    assert_eq!(t.tags, ["basic", "MANE_Select"]);
    assert!(t.is_canonical());
    assert_eq!(t.support_level.as_deref(), Some("1"));
    assert_eq!(
        t.exons_5p_to_3p()[0],
        Interval {
            start: 499,
            end: 800
        }
    );
    assert_eq!(t.tss0() + 1, 800);
    // The same on '+': the UTR before the CDS is 5'.
    let plus = GENCODE_MINUS.replace("|-|", "|+|");
    let ann = gtf(&plus);
    let (_, t) = ann.transcript("T").expect("T");
    assert_eq!(
        t.five_prime_utr,
        vec![Interval {
            start: 99,
            end: 249
        }]
    );
    assert_eq!(
        t.three_prime_utr,
        vec![Interval {
            start: 600,
            end: 800
        }]
    );
    assert_eq!(t.tss0() + 1, 100);
}

#[test]
fn transcripts_and_genes_are_built_from_exons_when_their_lines_are_missing() {
    let ann = gtf("\
chr2|E|exon|1000|1100|.|+|.|gene_id \"G\"; transcript_id \"A\"; gene_biotype \"lincRNA\"; transcript_biotype \"lincRNA\";
chr2|E|exon|1500|1600|.|+|.|gene_id \"G\"; transcript_id \"A\";
chr2|E|exon|900|950|.|+|.|gene_id \"G\"; transcript_id \"B\";
");
    assert_eq!(ann.genes.len(), 1);
    let g = &ann.genes[0];
    assert!(!g.explicit);
    assert_eq!(
        g.span,
        Interval {
            start: 899,
            end: 1600
        }
    );
    assert_eq!(g.biotype.as_deref(), Some("lincRNA"));
    let (_, a) = ann.transcript("A").expect("A");
    assert!(!a.explicit);
    assert_eq!(
        a.span,
        Interval {
            start: 999,
            end: 1600
        }
    );
    assert_eq!(a.biotype.as_deref(), Some("lincRNA"));
    let lnc = TssOptions {
        biotypes: genome_io::annotation::BiotypeFilter::new(["lncRNA"]),
        ..Default::default()
    };
    assert_eq!(collect_tss(&ann, &lnc).len(), 2);
    let pc = TssOptions {
        biotypes: genome_io::annotation::BiotypeFilter::new(["protein_coding"]),
        ..Default::default()
    };
    assert!(collect_tss(&ann, &pc).is_empty());
}

#[test]
fn gff3_ensembl_style_in_any_order_with_shared_exons() {
    let text = "##gff-version 3
9\tE\texon\t100\t200\t.\t-\t.\tParent=transcript:T1,transcript:T2;Name=E1
9\tE\tfive_prime_UTR\t150\t200\t.\t-\t.\tParent=transcript:T1
9\tE\tCDS\t100\t149\t.\t-\t0\tParent=transcript:T1
9\tE\tmRNA\t100\t200\t.\t-\t.\tID=transcript:T1;Parent=gene:G1;biotype=protein_coding;tag=basic,Ensembl_canonical;transcript_id=T1
9\tE\tlnc_RNA\t100\t300\t.\t-\t.\tID=transcript:T2;Parent=gene:G1;biotype=lncRNA
9\tE\texon\t250\t300\t.\t-\t.\tParent=transcript:T2
9\tE\tgene\t100\t300\t.\t-\t.\tID=gene:G1;Name=ABC;biotype=protein_coding;gene_id=G1
9\tE\tbiological_region\t1\t10\t.\t.\t.\tlogic_name=cpg
###
##FASTA
>9
ACGT
";
    let ann = read_gff3(text.as_bytes(), Path::new(MEM)).expect("gff3");
    assert_eq!(ann.genes.len(), 1);
    let (g, t1) = ann.transcript("T1").expect("T1");
    assert_eq!((g.id.as_str(), g.name.as_deref()), ("G1", Some("ABC")));
    assert!(t1.is_canonical());
    assert_eq!(
        t1.cds,
        vec![Interval {
            start: 99,
            end: 149
        }]
    );
    assert_eq!(
        t1.five_prime_utr,
        vec![Interval {
            start: 149,
            end: 200
        }]
    );
    let (_, t2) = ann.transcript("T2").expect("T2");
    assert_eq!(t2.exons.len(), 2);
    assert_eq!(t2.strand, Strand::Reverse);
    let canon = collect_tss(
        &ann,
        &TssOptions {
            policy: TssPolicy::Canonical,
            ..Default::default()
        },
    );
    assert_eq!(canon.len(), 1);
    assert_eq!(canon[0].transcript_id.as_deref(), Some("T1"));
}

#[test]
fn plain_gzip_and_bgzip_files_are_detected_by_magic_bytes() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = GENCODE_MINUS.replace("|", "\t");
    // Plain gzip under a name that says nothing about compression.
    let gz = dir.path().join("ann.gtf");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("f"),
        flate2::Compression::default(),
    );
    enc.write_all(text.as_bytes()).expect("w");
    enc.finish().expect("finish");
    // bgzip: several BGZF blocks (multi-member gzip).
    let bgz = dir.path().join("ann.gtf.gz");
    let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(&bgz).expect("f"));
    for line in text.lines() {
        w.write_all(line.as_bytes()).expect("w");
        w.write_all(b"\n").expect("w");
        w.flush().expect("flush block");
    }
    w.finish().expect("finish");
    let plain = gtf(GENCODE_MINUS);
    assert_eq!(read_annotation(&gz).expect("gz"), plain);
    assert_eq!(read_annotation(&bgz).expect("bgz"), plain);
    // GFF3 sniffed from the first line when the name says nothing.
    let gff = dir.path().join("ann.txt");
    std::fs::write(
        &gff,
        "##gff-version 3\n9\tE\tgene\t1\t5\t.\t+\t.\tID=gene:G\n",
    )
    .expect("w");
    assert_eq!(read_annotation(&gff).expect("gff").genes[0].id, "G");
}

/// Four transcripts of one gene: CDS lengths 300, 300, 300, 90 (1-based closed spans below);
/// A and B tie on CDS and 5' UTR, B has the longer 3' UTR; C has a shorter 5' UTR.
const TIES: &str = "\
1|X|exon|100|600|.|+|.|gene_id \"G\"; transcript_id \"A\";
1|X|CDS|200|499|.|+|0|gene_id \"G\"; transcript_id \"A\";
1|X|five_prime_utr|100|199|.|+|.|gene_id \"G\"; transcript_id \"A\";
1|X|three_prime_utr|500|600|.|+|.|gene_id \"G\"; transcript_id \"A\";
1|X|exon|100|700|.|+|.|gene_id \"G\"; transcript_id \"B\";
1|X|CDS|200|499|.|+|0|gene_id \"G\"; transcript_id \"B\";
1|X|five_prime_utr|100|199|.|+|.|gene_id \"G\"; transcript_id \"B\";
1|X|three_prime_utr|500|700|.|+|.|gene_id \"G\"; transcript_id \"B\";
1|X|exon|150|900|.|+|.|gene_id \"G\"; transcript_id \"C\";
1|X|CDS|200|499|.|+|0|gene_id \"G\"; transcript_id \"C\";
1|X|five_prime_utr|150|199|.|+|.|gene_id \"G\"; transcript_id \"C\";
1|X|three_prime_utr|500|900|.|+|.|gene_id \"G\"; transcript_id \"C\";
1|X|exon|100|400|.|+|.|gene_id \"G\"; transcript_id \"D\"; tag \"MANE_Select\";
1|X|CDS|200|289|.|+|0|gene_id \"G\"; transcript_id \"D\";
";

#[test]
fn longest_cds_uses_xpresso_tie_breaks_and_canonical_falls_back() {
    let ann = gtf(TIES);
    let pick = |p| {
        collect_tss(
            &ann,
            &TssOptions {
                policy: p,
                ..Default::default()
            },
        )[0]
        .transcript_id
        .clone()
    };
    assert_eq!(pick(TssPolicy::LongestCds).as_deref(), Some("B"));
    assert_eq!(pick(TssPolicy::Canonical).as_deref(), Some("D")); // MANE_Select
    let no_tags = gtf(&TIES.replace(" tag \"MANE_Select\";", ""));
    let pick = |p| {
        collect_tss(
            &no_tags,
            &TssOptions {
                policy: p,
                ..Default::default()
            },
        )[0]
        .transcript_id
        .clone()
    };
    assert_eq!(pick(TssPolicy::Canonical).as_deref(), Some("B"));
    // Dedup: A, B and D share the TSS at 100; C starts at 150.
    let all = collect_tss(
        &ann,
        &TssOptions {
            dedup: true,
            ..Default::default()
        },
    );
    let ids: Vec<_> = all.iter().map(|t| t.name().to_string()).collect();
    assert_eq!(ids, ["A", "C"]);
    assert_eq!(collect_tss(&ann, &TssOptions::default()).len(), 4);
}

#[test]
fn full_ties_are_broken_by_the_smaller_transcript_id() {
    let ann = gtf("\
1|X|exon|100|200|.|-|.|gene_id \"G\"; transcript_id \"T2\";
1|X|exon|300|400|.|-|.|gene_id \"G\"; transcript_id \"T1\";
");
    let t = collect_tss(
        &ann,
        &TssOptions {
            policy: TssPolicy::LongestCds,
            ..Default::default()
        },
    );
    assert_eq!(t[0].transcript_id.as_deref(), Some("T1"));
    assert_eq!(t[0].pos1(), 400);
}
