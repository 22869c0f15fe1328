//! bgzip FASTA + `.fai` + `.gzi`: random access through noodles' BGZF reader.
//!
//! **Threading.** A noodles `bgzf::io::Reader` keeps the current block and seeks with
//! `&mut self`, so it cannot be shared. [`BgzfFasta`] keeps a small pool of readers behind a
//! `Mutex<Vec<_>>`: a fetch pops one (or creates one when the pool is empty), uses it **without
//! holding the lock**, and pushes it back. Each reader reads the file through positional reads
//! (`pread`) on one shared `Arc<File>`, so readers never disturb each other's file position. The
//! lock is held only for a `Vec::pop`/`push`, so rayon threads do not serialise on decompression.
//!
//! **`.gzi`.** noodles reads `.gzi` files but cannot build them; [`build_gzi`] builds one in
//! memory by walking the BGZF block headers (no decompression), so a missing `.gzi` is not an
//! error.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use noodles::bgzf::{self, gzi};

use super::catalog::Catalog;
use super::fai::{build_fai, fai_path, read_fai};
use super::indexed::{Layout, strip_terminators};
use super::{FastaOptions, SequenceSource};
use crate::{Error, FastaError, Result};

/// How many idle readers the pool keeps.
const POOL_MAX: usize = 64;
/// How many records are checked against the file when opening (plus the last one).
const VALIDATE_MAX: usize = 64;

/// A `Read + Seek` view of a shared file that reads with `pread`, keeping its own position.
struct PreadFile {
    file: Arc<File>,
    pos: u64,
}

impl Read for PreadFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for PreadFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let base = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.file.metadata()?.len().checked_add_signed(d),
        };
        self.pos = base.ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        Ok(self.pos)
    }
}

/// The `.gzi` path of a bgzip file: `<path>.gzi`.
fn gzi_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".gzi");
    PathBuf::from(s)
}

/// Builds the `.gzi` index of a BGZF file by walking its block headers (no decompression):
/// one `(compressed offset, uncompressed offset)` pair per non-empty block after the first.
///
/// Errors: [`FastaError::Bgzf`] when a block header is not BGZF, [`FastaError::Truncated`] when the
/// last block is cut off or the end-of-file marker block is missing.
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("g.fa.gz");
/// let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(&p).unwrap());
/// w.write_all(b">a\nACGT\n").unwrap();
/// w.finish().unwrap();
/// let gzi = genome_io::fasta::build_gzi(&p)?;
/// assert!(gzi.as_ref().is_empty()); // one data block: nothing after the first
/// # Ok::<(), genome_io::Error>(())
/// ```
pub fn build_gzi(path: &Path) -> Result<gzi::Index> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let bad = |msg: String| {
        Error::Fasta(FastaError::Bgzf {
            path: path.to_path_buf(),
            msg,
        })
    };
    let truncated = |pos: u64| {
        Error::Fasta(FastaError::Truncated {
            path: path.to_path_buf(),
            msg: format!("BGZF block at byte {pos} is cut off"),
        })
    };
    let read = |buf: &mut [u8], at: u64| -> Result<()> {
        file.read_exact_at(buf, at).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => truncated(at),
            _ => Error::io(path, e),
        })
    };
    let (mut pos, mut upos, mut last_isize) = (0u64, 0u64, None);
    let mut entries = Vec::new();
    let mut header = [0u8; 12];
    while pos < len {
        read(&mut header, pos)?;
        if header[..4] != [0x1f, 0x8b, 0x08, 0x04] {
            return Err(bad(format!("byte {pos}: not a BGZF block header")));
        }
        let xlen = u16::from_le_bytes([header[10], header[11]]) as usize;
        let mut extra = vec![0u8; xlen];
        read(&mut extra, pos + 12)?;
        let bsize = bc_subfield(&extra).ok_or_else(|| {
            bad(format!(
                "byte {pos}: gzip block without the BGZF 'BC' field"
            ))
        })?;
        let block_end = pos + u64::from(bsize) + 1;
        if block_end > len {
            return Err(truncated(pos));
        }
        let mut isize = [0u8; 4];
        read(&mut isize, block_end - 4)?;
        let isize = u64::from(u32::from_le_bytes(isize));
        if pos > 0 && isize > 0 {
            entries.push((pos, upos));
        }
        upos += isize;
        last_isize = Some(isize);
        pos = block_end;
    }
    if last_isize != Some(0) {
        return Err(FastaError::Truncated {
            path: path.to_path_buf(),
            msg: "no BGZF end-of-file marker block".into(),
        }
        .into());
    }
    Ok(gzi::Index::from(entries))
}

/// BSIZE from the `BC` subfield of a gzip extra field.
fn bc_subfield(mut extra: &[u8]) -> Option<u16> {
    while extra.len() >= 4 {
        let slen = u16::from_le_bytes([extra[2], extra[3]]) as usize;
        let data = extra.get(4..4 + slen)?;
        if extra[..2] == *b"BC" && slen == 2 {
            return Some(u16::from_le_bytes([data[0], data[1]]));
        }
        extra = &extra[4 + slen..];
    }
    None
}

/// A bgzip-compressed FASTA served through its `.fai` and `.gzi` (see the module docs for how
/// it is shared between threads).
pub struct BgzfFasta {
    path: PathBuf,
    fai: PathBuf,
    file: Arc<File>,
    gzi: gzi::Index,
    layouts: Vec<Layout>,
    catalog: Catalog,
    uppercase: bool,
    pool: Mutex<Vec<bgzf::io::Reader<PreadFile>>>,
}

impl std::fmt::Debug for BgzfFasta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BgzfFasta")
            .field("path", &self.path)
            .field("records", &self.layouts.len())
            .field("gzi_entries", &self.gzi.as_ref().len())
            .finish_non_exhaustive()
    }
}

impl BgzfFasta {
    /// Opens a bgzip FASTA with `<path>.fai` and `<path>.gzi`; either index is built in memory
    /// (nothing written) when its file is missing.
    ///
    /// ```
    /// use std::io::Write;
    /// use genome_io::fasta::{BgzfFasta, SequenceSource};
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = dir.path().join("g.fa.gz");
    /// let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(&p).unwrap());
    /// w.write_all(b">chr1\nACGT\nacg\n").unwrap();
    /// w.finish().unwrap();
    /// assert_eq!(BgzfFasta::open(&p)?.fetch("chr1", 2, 6)?, b"GTac");
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let (fai, gzi) = (fai_path(path), gzi_path(path));
        let records = if fai.exists() {
            read_fai(&fai)?
        } else {
            build_fai(path)?
        };
        let index = if gzi.exists() {
            gzi::fs::read(&gzi).map_err(|e| FastaError::Bgzf {
                path: gzi.clone(),
                msg: e.to_string(),
            })?
        } else {
            build_gzi(path)?
        };
        Self::from_parts(path, fai, records, index)
    }

    /// Opens a bgzip FASTA with explicit `.fai` and `.gzi` files.
    ///
    /// ```
    /// use std::io::Write;
    /// use genome_io::fasta::{BgzfFasta, SequenceSource};
    /// let dir = tempfile::tempdir().unwrap();
    /// let (p, fai, gzi) = (dir.path().join("g.gz"), dir.path().join("g.fai"), dir.path().join("g.gzi"));
    /// let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(&p).unwrap());
    /// w.write_all(b">chr1\nACGT\nacg\n").unwrap();
    /// w.finish().unwrap();
    /// std::fs::write(&fai, "chr1\t7\t6\t4\t5\n").unwrap();
    /// std::fs::write(&gzi, 0u64.to_le_bytes()).unwrap(); // no entry
    /// assert_eq!(BgzfFasta::open_with_indexes(&p, &fai, &gzi)?.fetch("chr1", 3, 5)?, b"Ta");
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn open_with_indexes(
        path: impl AsRef<Path>,
        fai: impl AsRef<Path>,
        gzi: impl AsRef<Path>,
    ) -> Result<Self> {
        let (path, fai, gzi) = (path.as_ref(), fai.as_ref(), gzi.as_ref());
        let index = gzi::fs::read(gzi).map_err(|e| FastaError::Bgzf {
            path: gzi.to_path_buf(),
            msg: e.to_string(),
        })?;
        Self::from_parts(path, fai.to_path_buf(), read_fai(fai)?, index)
    }

    fn from_parts(
        path: &Path,
        fai: PathBuf,
        records: Vec<super::FaiRecord>,
        gzi: gzi::Index,
    ) -> Result<Self> {
        let file = Arc::new(File::open(path).map_err(|e| Error::io(path, e))?);
        let layouts: Vec<Layout> = records.iter().map(Layout::from_fai).collect();
        let catalog = Catalog::new(
            path,
            records.iter().map(|r| (r.name().to_string(), r.length())),
        );
        let g = BgzfFasta {
            path: path.to_path_buf(),
            fai,
            file,
            gzi,
            layouts,
            catalog,
            uppercase: false,
            pool: Mutex::new(Vec::new()),
        };
        // The data end within 64 KiB of the last block start the .gzi knows: a record that ends
        // beyond that cannot be in this file (and must not make a fetch allocate its length).
        let last_block = g.gzi.as_ref().last().map_or(0, |e| e.1);
        let max_end = last_block.saturating_add(1 << 16);
        if let Some(i) = g.layouts.iter().position(|l| l.end_byte() > max_end) {
            return Err(FastaError::Truncated {
                path: g.path.clone(),
                msg: format!(
                    "{} places record {:?} beyond the end of the decompressed data",
                    g.fai.display(),
                    g.catalog.name(i)
                ),
            }
            .into());
        }
        // Check the header newline before a bounded number of records (each costs one block
        // decompression); later records are checked by every fetch's terminator checks.
        let n = g.layouts.len();
        for i in (0..n.min(VALIDATE_MAX)).chain(n.checked_sub(1).filter(|&l| l >= VALIDATE_MAX)) {
            let l = g.layouts[i];
            if l.len == 0 {
                continue;
            }
            let bad = || {
                g.mismatch(
                    i,
                    format!("offset {} is not the start of a sequence", l.offset),
                )
            };
            if l.offset == 0 {
                return Err(bad());
            }
            let mut b = Vec::new();
            g.read_raw(l.offset - 1, l.offset + 1, &mut b)?;
            if b[0] != b'\n' || matches!(b[1], b'>' | b'\n' | b'\r') {
                return Err(bad());
            }
        }
        Ok(g)
    }

    fn mismatch(&self, i: usize, msg: String) -> Error {
        Error::Fasta(FastaError::FaiMismatch {
            fai: self.fai.clone(),
            fasta: self.path.clone(),
            name: self.catalog.name(i).to_string(),
            msg,
        })
    }

    /// Reads uncompressed bytes `[a, b)` into `buf` with a pooled reader.
    fn read_raw(&self, a: u64, b: u64, buf: &mut Vec<u8>) -> Result<()> {
        let popped = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut reader = popped.unwrap_or_else(|| {
            bgzf::io::Reader::new(PreadFile {
                file: Arc::clone(&self.file),
                pos: 0,
            })
        });
        buf.resize((b - a) as usize, 0);
        let res = reader
            .seek_by_uncompressed_position(&self.gzi, a)
            .and_then(|_| reader.read_exact(buf));
        match res {
            Ok(()) => {
                let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
                if pool.len() < POOL_MAX {
                    pool.push(reader);
                }
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                Err(Error::Fasta(FastaError::Truncated {
                    path: self.path.clone(),
                    msg: format!("decompressed data ends before byte {b}"),
                }))
            }
            Err(e) => Err(Error::Fasta(FastaError::Bgzf {
                path: self.path.clone(),
                msg: format!(
                    "reading uncompressed bytes {a}..{b} (is the .gzi for this file?): {e}"
                ),
            })),
        }
    }

    /// Applies [`FastaOptions`] (uppercasing, chromosome aliasing).
    ///
    /// ```
    /// use std::io::Write;
    /// use genome_io::fasta::{BgzfFasta, FastaOptions, SequenceSource};
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = dir.path().join("g.fa.gz");
    /// let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(&p).unwrap());
    /// w.write_all(b">MT\nacgt\n").unwrap();
    /// w.finish().unwrap();
    /// let g = BgzfFasta::open(&p)?.with_options(&FastaOptions { uppercase: true, chrom_alias: true });
    /// assert_eq!(g.fetch("chrM", 0, 2)?, b"AC");
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn with_options(mut self, opts: &FastaOptions) -> Self {
        self.uppercase = opts.uppercase;
        self.catalog.set_alias(opts.chrom_alias);
        self
    }
}

impl SequenceSource for BgzfFasta {
    fn names(&self) -> Vec<String> {
        self.catalog.names()
    }

    fn seq_len(&self, name: &str) -> Option<u64> {
        self.catalog.lookup(name).map(|i| self.catalog.len_of(i))
    }

    fn fetch_into(&self, name: &str, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<()> {
        let i = self.catalog.check(name, start, end)?;
        buf.clear();
        if start == end {
            return Ok(());
        }
        let l = &self.layouts[i];
        let (a, b) = l.raw_range(start, end);
        self.read_raw(a, b, buf)?;
        strip_terminators(buf, start, a, l).map_err(|msg| self.mismatch(i, msg))?;
        if self.uppercase {
            buf.make_ascii_uppercase();
        }
        Ok(())
    }
}
