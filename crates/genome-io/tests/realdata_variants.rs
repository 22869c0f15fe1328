//! Real data: VCF variants on promoter windows of the Ensembl 91 GTF over GRCh38
//! chr9:1-1,000,000 (`../shared/data/grch38-chr9-1mb-ensembl91`, one FASTA record named `9`).
//! The VCF is written here (gzip, `chr9` naming) from bases read off the FASTA; expectations are
//! computed independently from the reference window sequences.

use std::io::Write;
use std::path::PathBuf;

use genome_io::annotation::{Strand, read_annotation};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::seq::complement;
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};
use genome_io::variants::{AltOptions, AltOutcome, FixedLength, WindowIndex, alt_window, overlaps};
use genome_io::vcf::{VcfOptions, VcfRecord, open_vcf};
use genome_io::windows::{EndPolicy, WindowSpec, extract_window, plan_windows};

fn data_dir() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("data/grch38-chr9-1mb-ensembl91")
}

fn other_base(b: u8) -> u8 {
    match b.to_ascii_uppercase() {
        b'A' => b'C',
        b'C' => b'G',
        b'G' => b'T',
        _ => b'A',
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn tss_variants_on_chr9_windows() {
    let dir = data_dir();
    let ann =
        read_annotation(&dir.join("Homo_sapiens.GRCh38.91_chr9_1_1000000.gtf.gz")).expect("gtf");
    let opts = TssOptions {
        policy: TssPolicy::All,
        ..Default::default()
    };
    let tss = collect_tss(&ann, &opts);
    let g = open_fasta(
        dir.join("Homo_sapiens.GRCh38.dna_sm.primary_assembly_chr9_1_1000000.fa.gz"),
        &FastaOptions::default(),
    )
    .expect("fasta");
    let plan = plan_windows(&g, &tss, &WindowSpec::new(250, 49, EndPolicy::Pad)).expect("plan");
    let windows = &plan.windows;
    assert!(windows.len() > 50, "{} windows", windows.len());
    assert!(windows.iter().any(|w| w.strand == Strand::Reverse));

    // One SNV at every distinct TSS, a 3 bp deletion 10 bp 3' of it, a wrong-REF line, a
    // multi-allelic line with a symbolic allele and a missing ALT; unsorted (file order).
    let tmp = tempfile::tempdir().expect("tmp");
    let vcf = tmp.path().join("v.vcf.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    writeln!(
        gz,
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"
    )
    .expect("w");
    let mut tss0: Vec<(u64, Strand)> = windows.iter().map(|w| (w.tss0, w.strand)).collect();
    tss0.sort_unstable_by_key(|&(p, _)| p);
    tss0.dedup_by_key(|&mut (p, _)| p);
    for &(p, strand) in &tss0 {
        let b = g.fetch("9", p, p + 1).expect("base")[0].to_ascii_uppercase();
        let alt = other_base(b) as char;
        writeln!(
            gz,
            "chr9\t{}\tsnv\t{}\t{alt},<DEL>\t.\tPASS\t.",
            p + 1,
            b as char
        )
        .expect("w");
        let d = match strand {
            Strand::Forward => p + 10,
            Strand::Reverse => p.saturating_sub(13),
        };
        let r = String::from_utf8(g.fetch("9", d, d + 4).expect("del")).expect("ascii");
        writeln!(gz, "chr9\t{}\tdel\t{r}\t{}\t.\tPASS\t.", d + 1, &r[..1]).expect("w");
    }
    let p = tss0[0].0;
    let wrong = other_base(g.fetch("9", p, p + 1).expect("b")[0]) as char;
    writeln!(
        gz,
        "chr9\t{}\tbad\t{wrong}\tA\t.\t.\t.\nchr9\t5\tmiss\tN\t.\t.\t.\t.",
        p + 1
    )
    .expect("w");
    std::fs::write(&vcf, gz.finish().expect("gz")).expect("write");

    let index = WindowIndex::new(windows);
    let mut reader = open_vcf(&vcf, VcfOptions::default()).expect("open");
    let (mut refseq, mut alt, mut hits) = (Vec::new(), Vec::new(), Vec::new());
    let mut v = VcfRecord::default();
    let (mut snv, mut del, mut mismatch) = (0, 0, 0);
    while reader.read_record(&mut v).expect("record") {
        index.overlapping_variant(&v, &mut hits);
        let linear: Vec<usize> = (0..windows.len())
            .filter(|&i| overlaps(&windows[i], &v))
            .collect();
        let mut sorted = hits.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, linear, "{}", v.label());
        for &i in &hits {
            let w = &windows[i];
            extract_window(&g, w, &mut refseq).expect("ref");
            let out = alt_window(&g, w, &v, &AltOptions::default(), &mut alt).expect("alt");
            match (v.id.as_str(), out) {
                ("snv", AltOutcome::Applied(a)) => {
                    // The only difference is the SNV base, oriented.
                    let k = match w.strand {
                        Strand::Forward => w.pad_5p + v.start0() - w.start,
                        Strand::Reverse => w.pad_5p + w.end - 1 - v.start0(),
                    } as usize;
                    let want = match w.strand {
                        Strand::Forward => v.alt.as_bytes()[0],
                        Strand::Reverse => complement(v.alt.as_bytes()[0]),
                    };
                    let mut expect = refseq.clone();
                    expect[k] = want;
                    assert_eq!(alt, expect, "{} in {}", v.label(), w.name);
                    if v.start0() == w.tss0 {
                        assert_eq!(k as u64, w.tss_index);
                    }
                    assert_eq!((a.length_change, a.partial), (0, false));
                    snv += 1;
                }
                ("del", AltOutcome::Applied(a)) => {
                    assert_eq!(alt.len() as i64, refseq.len() as i64 + a.length_change);
                    if !a.partial {
                        assert_eq!(a.length_change, -3);
                    }
                    let fixed = AltOptions {
                        fixed_length: FixedLength::KeepTss,
                    };
                    alt_window(&g, w, &v, &fixed, &mut alt).expect("alt");
                    assert_eq!(alt.len(), refseq.len());
                    del += 1;
                }
                ("bad", AltOutcome::RefMismatch { genome }) => {
                    assert_eq!(
                        genome.as_bytes(),
                        g.fetch("9", v.start0(), v.end0()).expect("b")
                    );
                    mismatch += 1;
                }
                (id, out) => panic!("{id} {}: unexpected {out:?}", v.label()),
            }
        }
    }
    assert!(
        snv >= windows.len(),
        "every window sees its own TSS SNV: {snv}"
    );
    assert!(del > 0 && mismatch > 0);
    let skips = reader.skips();
    assert_eq!((skips.symbolic, skips.missing_alt), (tss0.len() as u64, 1));
    assert_eq!(reader.data_lines(), 2 * tss0.len() as u64 + 2);
}
