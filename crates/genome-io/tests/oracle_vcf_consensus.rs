//! Oracle: alternative promoter windows against `bcftools consensus` (bcftools 1.16).
//!
//! For each window and each variant, alone, the oracle is built by the tools only:
//!
//! ```text
//! samtools faidx genome.fa                      # once
//! printf '##fileformat=VCFv4.2\n##contig=<ID=CHROM,length=LEN>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nCHROM\tPOS\t.\tREF\tALT\t.\t.\t.\n' > v.vcf
//! bgzip -f v.vcf && tabix -f -p vcf v.vcf.gz
//! samtools faidx genome.fa CHROM:START+1-END | bcftools consensus v.vcf.gz
//! ```
//!
//! where `[START, END)` is the window's genomic interval (0-based half-open, as
//! [`plan_windows`] gives it) and POS is in chromosome coordinates (bcftools reads the region
//! offset from the `CHROM:BEG-END` header). The consensus is reverse-complemented on `-` and
//! given the window's `N` padding, then compared with [`alt_window`] case-insensitively
//! (bcftools writes ALT lowercase inside soft-masked sequence; we insert it uppercase). The
//! variant [`alt_window`] sees is read back from the bgzipped `v.vcf.gz` by [`open_vcf`].
//!
//! Cases: SNVs (at the TSS and on the first and last window bases), insertions and deletions, on
//! `+` and `-` windows of the Ensembl 91 chr9 annotation and on a small synthetic chromosome
//! whose windows cross both chromosome ends (padded), including variants on the first and last
//! chromosome bases and variants that overlap one another (each scored alone).
//!
//! Needs `bcftools`, `samtools`, `bgzip` and `tabix` on the PATH:
//! `apt-get install -y bcftools samtools tabix`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use genome_io::annotation::{Strand, read_annotation};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::seq::reverse_complement;
use genome_io::tss::{Tss, TssOptions, TssPolicy, collect_tss};
use genome_io::variants::{AltOptions, AltOutcome, alt_window};
use genome_io::vcf::{VcfOptions, VcfRecord, open_vcf};
use genome_io::windows::{EndPolicy, Window, WindowSpec, plan_windows};

fn data_dir() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("data/grch38-chr9-1mb-ensembl91")
}

fn require_tools() {
    for tool in ["bcftools", "samtools", "bgzip", "tabix"] {
        let ok = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "{tool} not found: this oracle test needs bcftools, samtools, bgzip and tabix \
             (Debian/Ubuntu: `apt-get install -y bcftools samtools tabix`)"
        );
    }
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The genome: chr9:1-1,000,000 (record `9`) and a 300 bp synthetic record `small`.
fn write_genome(dir: &Path) -> PathBuf {
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(
        std::fs::File::open(
            data_dir().join("Homo_sapiens.GRCh38.dna_sm.primary_assembly_chr9_1_1000000.fa.gz"),
        )
        .expect("fasta"),
    )
    .read_to_string(&mut text)
    .expect("gunzip");
    let mut state = 12345u64;
    let small: String = (0..300)
        .map(|i| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let b = b"ACGT"[(state >> 62) as usize];
            (if (100..140).contains(&i) {
                b.to_ascii_lowercase()
            } else {
                b
            }) as char
        })
        .collect();
    text.push_str(">small\n");
    for chunk in small.as_bytes().chunks(60) {
        text.push_str(std::str::from_utf8(chunk).expect("ascii"));
        text.push('\n');
    }
    let fa = dir.join("genome.fa");
    std::fs::write(&fa, text).expect("write");
    run(Command::new("samtools").arg("faidx").arg(&fa));
    fa
}

fn tss(chrom: &str, pos0: u64, strand: Strand) -> Tss {
    Tss {
        gene_id: format!("{chrom}:{pos0}"),
        gene_name: None,
        transcript_id: None,
        biotype: None,
        chrom: chrom.into(),
        strand,
        pos0,
    }
}

/// Variants (0-based start, REF length, ALT builder) inside `w`, REF read from the genome.
fn variants(g: &dyn SequenceSource, w: &Window) -> Vec<VcfRecord> {
    let len = g.seq_len(&w.chrom).expect("len");
    let mut out = Vec::new();
    let mut add = |p0: u64, lr: u64, alt: &dyn Fn(&str) -> String| {
        if p0 < w.start || p0 + lr > w.end || p0 + lr > len {
            return;
        }
        let r = String::from_utf8(g.fetch(&w.chrom, p0, p0 + lr).expect("ref"))
            .expect("ascii")
            .to_ascii_uppercase();
        out.push(VcfRecord {
            chrom: w.chrom.clone(),
            pos: p0 + 1,
            alt: alt(&r),
            reference: r,
            ..Default::default()
        });
    };
    let snv = |r: &str| {
        match r {
            "A" => "G",
            "C" => "T",
            "G" => "A",
            _ => "C",
        }
        .to_string()
    };
    let ins = |r: &str| format!("{r}GATTC");
    let del = |r: &str| r[..1].to_string();
    let t = w.tss0;
    add(t, 1, &snv);
    add(w.start, 1, &snv);
    add(w.end - 1, 1, &snv);
    add(t.saturating_sub(5), 1, &ins);
    add(t + 3, 1, &ins);
    add(t.saturating_sub(8), 6, &del); // covers the TSS region 5' on '+'
    add(t + 2, 5, &del); // overlaps the insertion anchor at t + 3 and the SNV below
    add(t + 4, 1, &snv);
    add(t + 3, 3, &|r: &str| format!("{}TT", &r[..1])); // a complex change (MNP + indel)
    add(w.end - 4, 4, &del); // deletion reaching the last window base
    out
}

#[test]
#[ignore = "reads ../shared and runs bcftools; run with `cargo test -- --ignored`"]
fn alt_windows_equal_bcftools_consensus() {
    require_tools();
    let tmp = tempfile::tempdir().expect("tmp");
    let fa = write_genome(tmp.path());
    let g = open_fasta(&fa, &FastaOptions::default()).expect("open");
    let ann = read_annotation(&data_dir().join("Homo_sapiens.GRCh38.91_chr9_1_1000000.gtf.gz"))
        .expect("gtf");
    let opts = TssOptions {
        policy: TssPolicy::Canonical,
        ..Default::default()
    };
    let all = collect_tss(&ann, &opts);
    let mut picked: Vec<Tss> = all
        .iter()
        .filter(|t| t.strand == Strand::Forward)
        .take(3)
        .cloned()
        .collect();
    picked.extend(
        all.iter()
            .filter(|t| t.strand == Strand::Reverse)
            .take(3)
            .cloned(),
    );
    for (p, s) in [
        (5, Strand::Forward),
        (5, Strand::Reverse),
        (297, Strand::Forward),
        (294, Strand::Reverse),
        (0, Strand::Forward),
        (299, Strand::Reverse),
    ] {
        picked.push(tss("small", p, s));
    }
    let plan = plan_windows(&g, &picked, &WindowSpec::new(60, 20, EndPolicy::Pad)).expect("plan");
    assert_eq!(
        plan.report.padded, 6,
        "the small-chromosome windows cross its ends"
    );

    let vcf = tmp.path().join("v.vcf");
    let vcf_gz = tmp.path().join("v.vcf.gz");
    let (mut ours, mut kinds, mut cases) = (Vec::new(), [0usize; 3], 0);
    let mut ends = 0;
    for w in &plan.windows {
        let clen = g.seq_len(&w.chrom).expect("len");
        for v in variants(g.as_ref(), w) {
            let mut f = std::fs::File::create(&vcf).expect("vcf");
            write!(
                f,
                "##fileformat=VCFv4.2\n##contig=<ID={c},length={clen}>\n\
                 #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n{c}\t{p}\t.\t{r}\t{a}\t.\t.\t.\n",
                c = v.chrom,
                p = v.pos,
                r = v.reference,
                a = v.alt
            )
            .expect("write");
            drop(f);
            run(Command::new("bgzip").arg("-f").arg(&vcf));
            run(Command::new("tabix").args(["-f", "-p", "vcf"]).arg(&vcf_gz));
            let region = format!("{}:{}-{}", w.chrom, w.start + 1, w.end);
            let script = format!(
                "samtools faidx '{}' '{region}' | bcftools consensus '{}' 2>/dev/null",
                fa.display(),
                vcf_gz.display()
            );
            let fasta = run(Command::new("sh").arg("-c").arg(&script));
            let mut consensus: Vec<u8> = fasta
                .split(|&b| b == b'\n')
                .skip(1)
                .flatten()
                .copied()
                .collect();
            if w.strand == Strand::Reverse {
                consensus = reverse_complement(&consensus);
            }
            let mut oracle = vec![b'N'; w.pad_5p as usize];
            oracle.extend_from_slice(&consensus);
            oracle.resize(oracle.len() + w.pad_3p as usize, b'N');

            let read: Vec<VcfRecord> = open_vcf(&vcf_gz, VcfOptions::default())
                .expect("open")
                .collect::<Result<_, _>>()
                .expect("read");
            assert_eq!(read.len(), 1);
            let out = alt_window(&g, w, &read[0], &AltOptions::default(), &mut ours).expect("alt");
            assert!(
                matches!(out, AltOutcome::Applied(a) if !a.partial),
                "{out:?}"
            );
            assert!(
                ours.eq_ignore_ascii_case(&oracle),
                "{} on {} ({:?} {region}):\n ours   {}\n oracle {}",
                v.label(),
                w.name,
                w.strand,
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&oracle)
            );
            let k = match v.alt.len().cmp(&v.reference.len()) {
                std::cmp::Ordering::Equal => 0,
                std::cmp::Ordering::Greater => 1,
                std::cmp::Ordering::Less => 2,
            };
            kinds[k] += 1;
            cases += 1;
            if v.start0() == 0 || v.end0() == clen {
                ends += 1;
            }
        }
    }
    assert!(
        kinds.iter().all(|&k| k >= 10),
        "SNV/insertion/deletion cases: {kinds:?}"
    );
    assert!(
        ends >= 2,
        "variants on the first/last chromosome base: {ends}"
    );
    eprintln!("{cases} alternative windows equal bcftools consensus ({kinds:?} SNV/ins/del)");
}
