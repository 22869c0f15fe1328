//! FASTA readers against the samtools oracles in `../shared/oracles/genome` (see its README):
//! the `.fai` we build equals `samtools faidx`'s byte for byte, and fetched regions equal
//! `samtools faidx -r <W>.plus.regions` (and `-i -r <W>.minus.regions`, reverse-complemented).

use std::error::Error as StdError;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use genome_io::fasta::{
    BgzfFasta, FastaFormat, FastaOptions, InMemoryGenome, IndexedFasta, SequenceSource, build_fai,
    detect_format, open_fasta, write_fai, write_fai_to,
};
use genome_io::seq::reverse_complement;
use rayon::prelude::*;

type R<T = ()> = Result<T, Box<dyn StdError>>;

fn oracle_dir() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("oracles/genome")
}

/// Decompresses the oracle genome (plain gzip) into `dir/genome.fa`.
fn decompressed_genome(dir: &Path) -> R<PathBuf> {
    let gz = std::fs::File::open(oracle_dir().join("genome.fa.gz"))?;
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(BufReader::new(gz)).read_to_end(&mut text)?;
    let out = dir.join("genome.fa");
    std::fs::write(&out, text)?;
    Ok(out)
}

/// Records of a samtools FASTA output: (header without '>', sequence with line breaks removed).
fn read_fasta_records(path: &Path) -> R<Vec<(String, Vec<u8>)>> {
    let text = std::fs::read_to_string(path)?;
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix('>') {
            out.push((h.to_string(), Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.extend_from_slice(line.as_bytes());
        } else {
            return Err(format!("{}: data before header", path.display()).into());
        }
    }
    Ok(out)
}

fn lines(path: &Path) -> R<Vec<String>> {
    Ok(std::fs::read_to_string(path)?
        .lines()
        .map(str::to_string)
        .collect())
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn built_fai_equals_samtools_fai_byte_for_byte() -> R {
    let dir = tempfile::tempdir()?;
    let fa = decompressed_genome(dir.path())?;
    let mut ours = Vec::new();
    write_fai_to(&build_fai(&fa)?, &mut ours)?;
    let samtools = std::fs::read(oracle_dir().join("genome.fa.fai"))?;
    assert_eq!(
        String::from_utf8(ours)?,
        String::from_utf8(samtools.clone())?
    );
    // And the atomic writer puts the same bytes at <fasta>.fai.
    let written = write_fai(&fa)?;
    assert_eq!(std::fs::read(written)?, samtools);
    Ok(())
}

/// Checks one source against every samtools window record (plus, then minus reverse-complemented).
fn check_windows(src: &dyn SequenceSource, label: &str) -> R<usize> {
    let mut checked = 0;
    for w in ["prom300", "prom1500", "xpresso10500"] {
        let wdir = oracle_dir().join("windows");
        let plus = lines(&wdir.join(format!("{w}.plus.regions")))?;
        let minus = lines(&wdir.join(format!("{w}.minus.regions")))?;
        let records = read_fasta_records(&wdir.join(format!("{w}.samtools.fa")))?;
        assert_eq!(records.len(), plus.len() + minus.len(), "{w}: record count");
        // README: all + regions first, in file order, then all - regions (header + "/rc").
        for (region, (header, seq)) in plus.iter().zip(&records) {
            assert_eq!(header, region, "{w}: pairing");
            assert_eq!(&src.fetch_region(region)?, seq, "{label} {w} {region}");
            checked += 1;
        }
        for (region, (header, seq)) in minus.iter().zip(&records[plus.len()..]) {
            assert_eq!(header, &format!("{region}/rc"), "{w}: pairing");
            assert_eq!(
                &reverse_complement(&src.fetch_region(region)?),
                seq,
                "{label} {w} {region}"
            );
            checked += 1;
        }
    }
    Ok(checked)
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn regions_equal_samtools_for_every_reader() -> R {
    let dir = tempfile::tempdir()?;
    let fa = decompressed_genome(dir.path())?;
    std::fs::copy(
        oracle_dir().join("genome.fa.fai"),
        dir.path().join("genome.fa.fai"),
    )?;
    let indexed = IndexedFasta::open(&fa)?; // with samtools' own .fai
    assert_eq!(check_windows(&indexed, "indexed")?, 225);
    let gz = oracle_dir().join("genome.fa.gz");
    assert_eq!(detect_format(&gz)?, FastaFormat::Gzip);
    let in_memory = open_fasta(&gz, &FastaOptions::default())?;
    assert_eq!(check_windows(&in_memory, "gzip in memory")?, 225);
    Ok(())
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn names_and_lengths_equal_chrom_sizes() -> R {
    let g = InMemoryGenome::from_path(oracle_dir().join("genome.fa.gz"))?;
    let sizes = lines(&oracle_dir().join("chrom.sizes"))?;
    let expected: Vec<(String, u64)> = sizes
        .iter()
        .map(|l| {
            let (n, s) = l.split_once('\t').ok_or("chrom.sizes: no tab")?;
            Ok::<_, Box<dyn StdError>>((n.to_string(), s.parse()?))
        })
        .collect::<Result<_, _>>()?;
    let ours: Vec<(String, u64)> = g
        .names()
        .into_iter()
        .map(|n| (n.clone(), g.seq_len(&n).unwrap_or(0)))
        .collect();
    assert_eq!(ours, expected);
    Ok(())
}

/// Writes `fa` as bgzip with noodles' BGZF writer (small blocks flushed every 50,000 bytes so
/// records and lines straddle block boundaries).
fn bgzip_copy(fa: &Path, out: &Path) -> R {
    let data = std::fs::read(fa)?;
    let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(out)?);
    for chunk in data.chunks(50_000) {
        w.write_all(chunk)?;
        w.flush()?;
    }
    w.finish()?;
    Ok(())
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn bgzip_copy_serves_identical_sequences() -> R {
    let dir = tempfile::tempdir()?;
    let fa = decompressed_genome(dir.path())?;
    let bgz = dir.path().join("genome.fa.bgz");
    bgzip_copy(&fa, &bgz)?;
    assert_eq!(detect_format(&bgz)?, FastaFormat::Bgzf);
    // .fai built from the decompressed BGZF stream equals samtools' (offsets are uncompressed).
    let mut fai = Vec::new();
    write_fai_to(&build_fai(&bgz)?, &mut fai)?;
    assert_eq!(fai, std::fs::read(oracle_dir().join("genome.fa.fai"))?);

    let plain = IndexedFasta::open(&fa)?;
    let bgzf = BgzfFasta::open(&bgz)?; // .fai and .gzi both built in memory
    assert_eq!(bgzf.names(), plain.names());
    for name in plain.names() {
        let len = plain.seq_len(&name).ok_or("no len")?;
        assert_eq!(bgzf.seq_len(&name), Some(len));
        assert_eq!(
            bgzf.fetch(&name, 0, len)?,
            plain.fetch(&name, 0, len)?,
            "{name}"
        );
    }
    assert_eq!(check_windows(&bgzf, "bgzf")?, 225);

    // Many threads at once: deterministic windows straddling blocks, fetched in parallel.
    let windows: Vec<(String, u64, u64)> = (0..2_000u64)
        .map(|i| {
            let name = ["chr1", "chr2", "chr3"][(i % 3) as usize].to_string();
            let start = (i * 7_919) % 290_000;
            (name, start, start + 1 + (i * 131) % 9_000)
        })
        .collect();
    let fetch_all = |src: &dyn SequenceSource| -> Vec<genome_io::Result<Vec<u8>>> {
        windows
            .par_iter()
            .map(|(n, s, e)| src.fetch(n, *s, *e))
            .collect()
    };
    let (a, b) = (fetch_all(&plain), fetch_all(&bgzf));
    for (x, y) in a.into_iter().zip(b) {
        assert_eq!(x?, y?);
    }
    Ok(())
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn options_uppercase_and_alias_on_the_oracle() -> R {
    let dir = tempfile::tempdir()?;
    let fa = decompressed_genome(dir.path())?;
    let plain = open_fasta(&fa, &FastaOptions::default())?;
    let upper = open_fasta(
        &fa,
        &FastaOptions {
            uppercase: true,
            chrom_alias: true,
        },
    )?;
    // README: 25 soft-masked runs per chromosome, so a whole chromosome has lowercase bases.
    let len = plain.seq_len("chr1").ok_or("chr1")?;
    let soft = plain.fetch("chr1", 0, len)?;
    assert!(soft.iter().any(u8::is_ascii_lowercase));
    assert_eq!(upper.fetch("1", 0, len)?, soft.to_ascii_uppercase());
    assert!(plain.fetch("1", 0, 10).is_err());
    Ok(())
}
