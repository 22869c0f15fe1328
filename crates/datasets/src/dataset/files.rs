//! GUE CSV and DNABERT k-mer TSV dataset files, in and out.
//!
//! * **GUE CSV** (DNABERT-2's Genome Understanding Evaluation): header `sequence,label`, one
//!   example per line, the label a non-negative integer class.
//! * **DNABERT k-mer TSV** (DNABERT fine-tuning `train.tsv` / `dev.tsv`): header
//!   `sequence<TAB>label`; the sequence is written as its overlapping k-mers (stride 1) separated
//!   by single spaces, e.g. `ACGTA` with k = 3 is `ACG CGT GTA`. The reader also accepts the
//!   header of DNABERT's published sample files, `sequence  label` (any white space), and CRLF.
//!
//! Readers are generic over [`BufRead`], accept `\r\n` line ends and skip empty lines; a
//! malformed line is an [`DatasetError::Record`] naming the file and 1-based line. Writers go
//! through [`write_atomic`] when given a path.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::DatasetError;
use crate::{Error, Result};
use genome_io::atomic::write_atomic;

/// One labelled sequence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Example {
    /// The sequence (ASCII letters).
    pub sequence: String,
    /// Class label.
    pub label: u32,
}

fn bad(path: &Path, line: u64, msg: impl Into<String>) -> Error {
    DatasetError::Record {
        path: path.to_path_buf(),
        line,
        msg: msg.into(),
    }
    .into()
}

fn check_seq(path: &Path, line: u64, s: &str) -> Result<()> {
    if s.is_empty() {
        return Err(bad(path, line, "empty sequence"));
    }
    if let Some(c) = s.chars().find(|c| !c.is_ascii_alphabetic()) {
        return Err(bad(
            path,
            line,
            format!("invalid character {c:?} in sequence"),
        ));
    }
    Ok(())
}

fn parse_label(path: &Path, line: u64, s: &str) -> Result<u32> {
    s.trim().parse::<u32>().map_err(|_| {
        bad(
            path,
            line,
            format!("label {s:?} is not a non-negative integer"),
        )
    })
}

/// Reads lines, yielding `(1-based line number, line without end-of-line)`, skipping empty lines.
fn lines<'a, R: BufRead + 'a>(
    r: R,
    path: &'a Path,
) -> impl Iterator<Item = Result<(u64, String)>> + 'a {
    r.lines().enumerate().filter_map(move |(i, l)| match l {
        Err(e) => Some(Err(Error::io(path, e))),
        Ok(l) => {
            let l = l.strip_suffix('\r').unwrap_or(&l).to_string();
            (!l.is_empty()).then_some(Ok((i as u64 + 1, l)))
        }
    })
}

/// Reads a GUE CSV (`sequence,label` header). `path` is used in error messages only.
///
/// ```
/// let data = "sequence,label\nACGT,1\nTTGA,0\n";
/// let ex = datasets::dataset::read_csv(data.as_bytes(), "<memory>").unwrap();
/// assert_eq!((ex[0].sequence.as_str(), ex[0].label), ("ACGT", 1));
/// assert!(datasets::dataset::read_csv("sequence,label\nAC GT,1\n".as_bytes(), "x").is_err());
/// ```
pub fn read_csv<R: BufRead>(r: R, path: impl AsRef<Path>) -> Result<Vec<Example>> {
    let path = path.as_ref();
    let mut it = lines(r, path);
    match it.next().transpose()? {
        Some((_, h)) if h.trim() == "sequence,label" => {}
        Some((n, h)) => {
            return Err(bad(
                path,
                n,
                format!("expected header \"sequence,label\", found {h:?}"),
            ));
        }
        None => {
            return Err(bad(
                path,
                1,
                "empty file: expected header \"sequence,label\"",
            ));
        }
    }
    let mut out = Vec::new();
    for item in it {
        let (n, l) = item?;
        let fields: Vec<&str> = l.split(',').collect();
        if fields.len() != 2 {
            return Err(bad(
                path,
                n,
                format!("expected 2 comma-separated fields, found {}", fields.len()),
            ));
        }
        let seq = fields[0].trim();
        check_seq(path, n, seq)?;
        out.push(Example {
            sequence: seq.to_string(),
            label: parse_label(path, n, fields[1])?,
        });
    }
    Ok(out)
}

/// Reads a DNABERT k-mer TSV; returns the examples (sequences rebuilt from their k-mers) and k.
///
/// Every k-mer must have the same length and overlap its predecessor by `k - 1` bases.
///
/// ```
/// let data = "sequence\tlabel\nACG CGT GTA\t1\n";
/// let (ex, k) = datasets::dataset::read_kmer_tsv(data.as_bytes(), "<memory>").unwrap();
/// assert_eq!((ex[0].sequence.as_str(), k), ("ACGTA", 3));
/// ```
pub fn read_kmer_tsv<R: BufRead>(r: R, path: impl AsRef<Path>) -> Result<(Vec<Example>, usize)> {
    let path = path.as_ref();
    let mut it = lines(r, path);
    match it.next().transpose()? {
        // DNABERT's own files have `sequence  label` (two spaces) and CRLF line ends.
        Some((_, h)) if h.split_whitespace().eq(["sequence", "label"]) => {}
        Some((n, h)) => {
            return Err(bad(
                path,
                n,
                format!("expected header \"sequence<TAB>label\", found {h:?}"),
            ));
        }
        None => {
            return Err(bad(
                path,
                1,
                "empty file: expected header \"sequence<TAB>label\"",
            ));
        }
    }
    let mut k_all: Option<usize> = None;
    let mut out = Vec::new();
    for item in it {
        let (n, l) = item?;
        let fields: Vec<&str> = l.split('\t').collect();
        if fields.len() != 2 {
            return Err(bad(
                path,
                n,
                format!("expected 2 tab-separated fields, found {}", fields.len()),
            ));
        }
        let kmers: Vec<&str> = fields[0].split(' ').filter(|s| !s.is_empty()).collect();
        let Some(first) = kmers.first() else {
            return Err(bad(path, n, "empty sequence"));
        };
        let k = first.len();
        match k_all {
            None => k_all = Some(k),
            Some(k0) if k0 != k => {
                return Err(bad(
                    path,
                    n,
                    format!("k-mer length {k} differs from {k0} on earlier lines"),
                ));
            }
            Some(_) => {}
        }
        let mut seq = String::with_capacity(k + kmers.len());
        seq.push_str(first);
        for (j, w) in kmers.iter().enumerate().skip(1) {
            if w.len() != k || !w.is_char_boundary(k - 1) {
                return Err(bad(
                    path,
                    n,
                    format!("k-mer {} ({w:?}) does not have length {k}", j + 1),
                ));
            }
            // Bytes, not `str` slices: the first k-mer is not checked yet and may hold
            // multi-byte characters (`check_seq` rejects them below).
            if seq.as_bytes()[seq.len() + 1 - k..] != w.as_bytes()[..k - 1] {
                return Err(bad(
                    path,
                    n,
                    format!(
                        "k-mer {} ({w:?}) does not overlap the previous one by {} bases",
                        j + 1,
                        k - 1
                    ),
                ));
            }
            seq.push_str(&w[k - 1..]);
        }
        check_seq(path, n, &seq)?;
        out.push(Example {
            sequence: seq,
            label: parse_label(path, n, fields[1])?,
        });
    }
    Ok((out, k_all.unwrap_or(0)))
}

/// Reads a dataset file by extension: `.csv` (GUE) or `.tsv` (DNABERT k-mers), optionally
/// gzip-compressed (`.csv.gz`, `.tsv.gz`). For `.tsv`, a file whose first data line holds no space
/// is read as plain `sequence<TAB>label` rows (k = whole sequence).
///
/// ```no_run
/// let ex = datasets::dataset::read_dataset_file("train.csv").unwrap();
/// ```
pub fn read_dataset_file(path: impl AsRef<Path>) -> Result<Vec<Example>> {
    let path = path.as_ref();
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (stem, gz) = match name.strip_suffix(".gz") {
        Some(s) => (s.to_string(), true),
        None => (name.clone(), false),
    };
    let reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(f))
    } else {
        Box::new(f)
    };
    let r = BufReader::new(reader);
    if stem.ends_with(".csv") {
        read_csv(r, path)
    } else if stem.ends_with(".tsv") {
        Ok(read_kmer_tsv(r, path)?.0)
    } else {
        Err(DatasetError::InvalidArgument(format!(
            "{}: unknown dataset format (expected .csv, .tsv, .csv.gz or .tsv.gz)",
            path.display()
        ))
        .into())
    }
}

/// Writes a GUE CSV (`sequence,label` header) to `w`.
///
/// ```
/// use datasets::dataset::{write_csv, Example};
/// let mut out = Vec::new();
/// write_csv(&mut out, &[Example { sequence: "ACGT".into(), label: 1 }]).unwrap();
/// assert_eq!(out, b"sequence,label\nACGT,1\n");
/// ```
pub fn write_csv<W: Write + ?Sized>(w: &mut W, examples: &[Example]) -> std::io::Result<()> {
    writeln!(w, "sequence,label")?;
    for e in examples {
        writeln!(w, "{},{}", e.sequence, e.label)?;
    }
    Ok(())
}

/// Writes a DNABERT k-mer TSV to `w` (sequences shorter than `k` are written as one token).
///
/// ```
/// use datasets::dataset::{write_kmer_tsv, Example};
/// let mut out = Vec::new();
/// write_kmer_tsv(&mut out, &[Example { sequence: "ACGTA".into(), label: 0 }], 3).unwrap();
/// assert_eq!(out, b"sequence\tlabel\nACG CGT GTA\t0\n");
/// ```
pub fn write_kmer_tsv<W: Write + ?Sized>(
    w: &mut W,
    examples: &[Example],
    k: usize,
) -> std::io::Result<()> {
    if k == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "k must be > 0",
        ));
    }
    writeln!(w, "sequence\tlabel")?;
    for e in examples {
        let s = e.sequence.as_bytes();
        if s.len() <= k {
            w.write_all(s)?;
        } else {
            for (j, km) in s.windows(k).enumerate() {
                if j > 0 {
                    w.write_all(b" ")?;
                }
                w.write_all(km)?;
            }
        }
        writeln!(w, "\t{}", e.label)?;
    }
    Ok(())
}

/// Writes a GUE CSV atomically to `path`.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("train.csv");
/// datasets::dataset::write_csv_file(&p, &[]).unwrap();
/// assert_eq!(std::fs::read_to_string(&p).unwrap(), "sequence,label\n");
/// ```
pub fn write_csv_file(path: impl AsRef<Path>, examples: &[Example]) -> Result<()> {
    write_atomic(path.as_ref(), |w| write_csv(w, examples)).map_err(Error::from)
}

/// Writes a DNABERT k-mer TSV atomically to `path`.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("dev.tsv");
/// datasets::dataset::write_kmer_tsv_file(&p, &[], 6).unwrap();
/// assert_eq!(std::fs::read_to_string(&p).unwrap(), "sequence\tlabel\n");
/// ```
pub fn write_kmer_tsv_file(path: impl AsRef<Path>, examples: &[Example], k: usize) -> Result<()> {
    let p: PathBuf = path.as_ref().to_path_buf();
    write_atomic(&p, |w| write_kmer_tsv(w, examples, k)).map_err(Error::from)
}
