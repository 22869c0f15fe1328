//! Real data: the GRCh38 chr9:1-1,000,000 Ensembl 91 soft-masked FASTA in
//! `../shared/data/grch38-chr9-1mb-ensembl91` (plain gzip, one record named `9`, see PROVENANCE.md).

use std::error::Error as StdError;
use std::io::{BufReader, Read};
use std::path::PathBuf;

use genome_io::fasta::{
    FastaFormat, FastaOptions, IndexedFasta, SequenceSource, build_fai, detect_format, open_fasta,
    read_fai, write_fai_to,
};
use genome_io::{Error, FastaError};

type R<T = ()> = Result<T, Box<dyn StdError>>;

const STEM: &str = "Homo_sapiens.GRCh38.dna_sm.primary_assembly_chr9_1_1000000.fa";

fn data_dir() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("data/grch38-chr9-1mb-ensembl91")
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn chr9_loads_with_the_length_of_its_fai() -> R {
    let gz = data_dir().join(format!("{STEM}.gz"));
    assert_eq!(detect_format(&gz)?, FastaFormat::Gzip);
    let fai = read_fai(&data_dir().join(format!("{STEM}.fai")))?;
    let g = open_fasta(&gz, &FastaOptions::default())?;
    assert_eq!(g.names(), vec!["9".to_string()]);
    assert_eq!(fai.len(), 1);
    assert_eq!(g.seq_len("9"), Some(fai[0].length()));

    // Soft-masked and case preserved: PROVENANCE says 46 % lowercase, ~1 % N (telomere first).
    let seq = g.fetch("9", 0, fai[0].length())?;
    let lower = seq.iter().filter(|b| b.is_ascii_lowercase()).count() as f64 / seq.len() as f64;
    assert!((0.40..0.52).contains(&lower), "lowercase fraction {lower}");
    assert_eq!(seq[0].to_ascii_uppercase(), b'N');

    // Ensembl naming: `chr9` is absent, and the error points at --chrom-alias.
    match g.fetch("chr9", 0, 10) {
        Err(e @ Error::Fasta(FastaError::UnknownSequence { .. })) => {
            assert!(e.to_string().contains("--chrom-alias"))
        }
        other => return Err(format!("expected UnknownSequence, got {other:?}").into()),
    }
    let aliased = open_fasta(
        &gz,
        &FastaOptions {
            uppercase: true,
            chrom_alias: true,
        },
    )?;
    assert_eq!(
        aliased.fetch("chr9", 500_000, 500_100)?,
        seq[500_000..500_100].to_ascii_uppercase()
    );
    Ok(())
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn chr9_index_we_build_equals_the_shipped_fai() -> R {
    let dir = tempfile::tempdir()?;
    let gz = std::fs::File::open(data_dir().join(format!("{STEM}.gz")))?;
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(BufReader::new(gz)).read_to_end(&mut text)?;
    let fa = dir.path().join(STEM);
    std::fs::write(&fa, &text)?;
    let mut ours = Vec::new();
    write_fai_to(&build_fai(&fa)?, &mut ours)?;
    assert_eq!(ours, std::fs::read(data_dir().join(format!("{STEM}.fai")))?);

    // The indexed reader with the shipped .fai serves the same bases as the gzip reader.
    std::fs::copy(
        data_dir().join(format!("{STEM}.fai")),
        dir.path().join(format!("{STEM}.fai")),
    )?;
    let indexed = IndexedFasta::open(&fa)?;
    let in_memory = open_fasta(
        data_dir().join(format!("{STEM}.gz")),
        &FastaOptions::default(),
    )?;
    for (s, e) in [
        (0, 1),
        (9_999, 10_061),
        (123_456, 223_456),
        (999_000, 1_000_000),
    ] {
        assert_eq!(
            indexed.fetch("9", s, e)?,
            in_memory.fetch("9", s, e)?,
            "9:{s}-{e}"
        );
    }
    Ok(())
}
