//! A genome held in memory: built from any FASTA stream (plain or decompressed gzip) or from
//! `(name, sequence)` pairs.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::catalog::Catalog;
use super::scan::scan;
use super::{FastaFormat, FastaOptions, SequenceSource, detect_format};
use crate::{Error, Result};

/// Label used in errors for genomes that were not read from a file.
const MEMORY: &str = "<memory>";

/// All records in memory (bases stored as read, case preserved).
///
/// This is the reader for **plain gzip** FASTA, which has no random access: the file is
/// decompressed once, in full. Use [`super::IndexedFasta`] or [`super::BgzfFasta`] for large
/// genomes.
#[derive(Debug, Clone)]
pub struct InMemoryGenome {
    catalog: Catalog,
    seqs: Vec<Vec<u8>>,
    uppercase: bool,
}

impl InMemoryGenome {
    /// Reads a FASTA stream (errors name `<memory>` as the file). Lines may be ragged.
    ///
    /// ```
    /// use genome_io::fasta::{InMemoryGenome, SequenceSource};
    /// let g = InMemoryGenome::from_reader(&b">a desc\nAC\nGTA\n>b\nN\n"[..])?;
    /// assert_eq!(g.names(), ["a", "b"]);
    /// assert_eq!(g.fetch("a", 0, 5)?, b"ACGTA");
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn from_reader<R: BufRead>(reader: R) -> Result<Self> {
        Self::from_reader_at(reader, Path::new(MEMORY))
    }

    /// Reads a FASTA stream; `path` is only used to name the source in errors.
    ///
    /// ```
    /// use genome_io::{Error, FastaError, fasta::InMemoryGenome};
    /// let err = InMemoryGenome::from_reader_at(&b"ACGT\n"[..], "x.fa".as_ref()).unwrap_err();
    /// assert!(matches!(err, Error::Fasta(FastaError::NoHeader { line: 1, .. })));
    /// assert!(err.to_string().starts_with("x.fa:1:"));
    /// ```
    pub fn from_reader_at<R: BufRead>(reader: R, path: &Path) -> Result<Self> {
        let scanned = scan(reader, path, true, false)?;
        let catalog = Catalog::new(path, scanned.iter().map(|s| (s.name.clone(), s.len)));
        let seqs = scanned.into_iter().map(|s| s.seq).collect();
        Ok(InMemoryGenome {
            catalog,
            seqs,
            uppercase: false,
        })
    }

    /// Reads a whole FASTA file: plain, gzip or bgzip (detected by magic bytes), decompressing
    /// it completely.
    ///
    /// ```
    /// use genome_io::fasta::{InMemoryGenome, SequenceSource};
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = dir.path().join("g.fa.gz");
    /// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    /// std::io::Write::write_all(&mut gz, b">chr1\nACGT\n").unwrap();
    /// std::fs::write(&p, gz.finish().unwrap()).unwrap();
    /// assert_eq!(InMemoryGenome::from_path(&p)?.fetch("chr1", 1, 3)?, b"CG");
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        const CAP: usize = 1 << 16;
        match detect_format(path)? {
            FastaFormat::Plain => Self::from_reader_at(BufReader::with_capacity(CAP, file), path),
            FastaFormat::Gzip | FastaFormat::Bgzf => {
                // MultiGzDecoder: concatenated members (and BGZF blocks) are all read.
                let gz = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(CAP, file));
                Self::from_reader_at(BufReader::with_capacity(CAP, gz), path)
            }
        }
    }

    /// Builds a genome from `(name, sequence)` pairs, in order. Errors on a duplicate or empty
    /// name.
    ///
    /// ```
    /// use genome_io::fasta::{InMemoryGenome, SequenceSource};
    /// let g = InMemoryGenome::from_records([("chr1", "ACGT"), ("chr2", "ac")])?;
    /// assert_eq!(g.seq_len("chr2"), Some(2));
    /// assert!(InMemoryGenome::from_records([("a", "A"), ("a", "C")]).is_err());
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn from_records<I, N, S>(records: I) -> Result<Self>
    where
        I: IntoIterator<Item = (N, S)>,
        N: Into<String>,
        S: Into<Vec<u8>>,
    {
        let mut names = Vec::new();
        let mut seqs = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (n, s) in records {
            let n: String = n.into();
            if n.is_empty() || !seen.insert(n.clone()) {
                return Err(Error::InvalidArgument(format!(
                    "empty or duplicate record name {n:?}"
                )));
            }
            names.push(n);
            seqs.push(s.into());
        }
        let entries = names
            .into_iter()
            .zip(seqs.iter().map(|s: &Vec<u8>| s.len() as u64));
        let catalog = Catalog::new(&PathBuf::from(MEMORY), entries);
        Ok(InMemoryGenome {
            catalog,
            seqs,
            uppercase: false,
        })
    }

    /// Applies [`FastaOptions`] (uppercasing at fetch time, chromosome aliasing).
    ///
    /// ```
    /// use genome_io::fasta::{FastaOptions, InMemoryGenome, SequenceSource};
    /// let g = InMemoryGenome::from_records([("chrM", "acg")])?
    ///     .with_options(&FastaOptions { uppercase: true, chrom_alias: true });
    /// assert_eq!(g.fetch("MT", 0, 3)?, b"ACG");
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn with_options(mut self, opts: &FastaOptions) -> Self {
        self.uppercase = opts.uppercase;
        self.catalog.set_alias(opts.chrom_alias);
        self
    }

    /// The whole stored sequence of a record (as read: options do not apply), or `None`.
    ///
    /// ```
    /// let g = genome_io::fasta::InMemoryGenome::from_records([("a", "AcG")])?;
    /// assert_eq!(g.sequence("a"), Some(&b"AcG"[..]));
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn sequence(&self, name: &str) -> Option<&[u8]> {
        self.catalog.lookup(name).map(|i| self.seqs[i].as_slice())
    }

    /// Number of records.
    ///
    /// ```
    /// let g = genome_io::fasta::InMemoryGenome::from_records([("a", "A"), ("b", "C")])?;
    /// assert_eq!(g.len(), 2);
    /// assert!(!g.is_empty());
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.seqs.len()
    }

    /// True when the genome has no record.
    ///
    /// ```
    /// let g = genome_io::fasta::InMemoryGenome::from_records(Vec::<(String, Vec<u8>)>::new())?;
    /// assert!(g.is_empty());
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.seqs.is_empty()
    }
}

impl SequenceSource for InMemoryGenome {
    fn names(&self) -> Vec<String> {
        self.catalog.names()
    }

    fn seq_len(&self, name: &str) -> Option<u64> {
        self.catalog.lookup(name).map(|i| self.catalog.len_of(i))
    }

    fn fetch_into(&self, name: &str, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<()> {
        let i = self.catalog.check(name, start, end)?;
        buf.clear();
        buf.extend_from_slice(&self.seqs[i][start as usize..end as usize]);
        if self.uppercase {
            buf.make_ascii_uppercase();
        }
        Ok(())
    }
}
