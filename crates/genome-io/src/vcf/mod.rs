//! Streaming VCF reading: the fixed columns, one record per ALT allele.
//!
//! ## Why a hand parser, not noodles-vcf
//! Scoring a variant against a promoter window needs five of the eight fixed columns (`CHROM POS
//! ID REF ALT`), never the header, INFO, FORMAT or samples. noodles-vcf parses and validates the
//! whole header before the first record (real-world headers that break the spec make it fail
//! where the data lines are fine), its records carry no line number for our errors, and it
//! would add a dependency for what is a tab split. This parser reads the fixed columns only,
//! names the file and 1-based line of every malformed line, and skips the rest of each line
//! without buffering it (samples of thousands of individuals cost no memory).
//!
//! ## What is read
//! Plain, gzip or bgzip text (detected from the magic bytes by [`open_vcf`]). Lines starting
//! with `#` (`##` meta lines and the `#CHROM` header) and empty lines are skipped; a file
//! without a header is accepted. A data line needs at least 8 tab-separated columns.
//!
//! ## Records
//! [`VcfRecord`] holds `CHROM`, **1-based** `POS` (as in the file), `ID`, `REF` and **one** ALT
//! allele: a multi-allelic line `A  C,G` yields two records, in ALT order. REF and ALT are
//! uppercased (VCF bases are case-insensitive). ALT alleles that are not sequences are skipped
//! and counted in [`SkipCounts`]: symbolic alleles (`<DEL>`, `<*>`, `<NON_REF>`), breakends
//! (`G]17:198982]`, `[13:123457[A`, single breakends `.A`/`A.`), the spanning deletion `*` and
//! a missing ALT `.`.
//!
//! ## Malformed lines
//! Fewer than 8 columns, an empty CHROM, a POS that is not a positive integer (including 0), an
//! empty or `.` REF, a REF or sequence ALT with a base other than `ACGTN` (any case), an empty
//! ALT allele, non-UTF-8 text or fixed columns over [`MAX_FIXED_BYTES`]: by default
//! [`VcfReader::read_record`] returns an [`Error::Vcf`](crate::Error::Vcf) naming the file and
//! line ([`VcfError::line`](crate::VcfError::line) gives the number). The line is consumed, so
//! a caller may log the error and keep reading. With [`VcfOptions::skip_malformed`] such lines
//! are counted in [`SkipCounts::malformed`] instead and the first error is kept
//! ([`VcfReader::first_malformed`]). A line is validated whole before any of its alleles is
//! yielded.
//!
//! ```
//! use genome_io::vcf::VcfReader;
//! let text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
//!             9\t100\trs1\tA\tc,<DEL>,T\t.\tPASS\t.\n";
//! let mut r = VcfReader::new(text.as_bytes(), "<memory>");
//! let recs: Vec<_> = r.by_ref().collect::<Result<_, _>>()?;
//! assert_eq!(recs.iter().map(|v| v.label()).collect::<Vec<_>>(), ["9:100:A:C", "9:100:A:T"]);
//! assert_eq!(r.skips().symbolic, 1);
//! # Ok::<(), genome_io::Error>(())
//! ```

mod parse;
mod reader;

use std::io::BufRead;
use std::path::Path;

pub use self::reader::VcfReader;
use crate::Result;

/// Most bytes of the first seven columns (`CHROM` .. `FILTER`) a line may hold: the memory
/// bound of the reader. The rest of a longer line (INFO, FORMAT, samples) is skipped unread.
pub const MAX_FIXED_BYTES: usize = 4 << 20;

/// One VCF allele: the fixed columns of a data line with one of its ALT alleles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct VcfRecord {
    /// `CHROM`, as written.
    pub chrom: String,
    /// **1-based** `POS` of the first REF base.
    pub pos: u64,
    /// `ID` as written (`.` when missing).
    pub id: String,
    /// `REF`, uppercased (only `ACGTN`).
    pub reference: String,
    /// One ALT allele, uppercased (only `ACGTN`).
    pub alt: String,
    /// 0-based index of this allele in the line's ALT column (1 is the second ALT).
    pub alt_index: usize,
    /// 1-based line number in the VCF.
    pub line: u64,
}

impl VcfRecord {
    /// 0-based start of the REF span.
    ///
    /// ```
    /// let v = genome_io::vcf::VcfRecord { pos: 10, reference: "ACG".into(), ..Default::default() };
    /// assert_eq!((v.start0(), v.end0()), (9, 12));
    /// ```
    pub fn start0(&self) -> u64 {
        self.pos.saturating_sub(1)
    }

    /// 0-based exclusive end of the REF span: `start0 + len(REF)`.
    ///
    /// ```
    /// let v = genome_io::vcf::VcfRecord { pos: 1, reference: "A".into(), ..Default::default() };
    /// assert_eq!(v.end0(), 1);
    /// ```
    pub fn end0(&self) -> u64 {
        self.start0().saturating_add(self.reference.len() as u64)
    }

    /// The variant label `CHROM:POS:REF:ALT` (1-based POS).
    ///
    /// ```
    /// let v = genome_io::vcf::VcfRecord { chrom: "9".into(), pos: 12, reference: "A".into(),
    ///                                     alt: "AT".into(), ..Default::default() };
    /// assert_eq!(v.label(), "9:12:A:AT");
    /// ```
    pub fn label(&self) -> String {
        let mut s = String::new();
        self.write_label(&mut s);
        s
    }

    /// Appends [`VcfRecord::label`] to `out` (no allocation when `out` has room).
    ///
    /// ```
    /// let v = genome_io::vcf::VcfRecord { chrom: "c".into(), pos: 3, reference: "G".into(),
    ///                                     alt: "T".into(), ..Default::default() };
    /// let mut s = String::from("label=");
    /// v.write_label(&mut s);
    /// assert_eq!(s, "label=c:3:G:T");
    /// ```
    pub fn write_label(&self, out: &mut String) {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "{}:{}:{}:{}",
            self.chrom, self.pos, self.reference, self.alt
        );
    }
}

/// Options of [`VcfReader`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VcfOptions {
    /// Count malformed lines in [`SkipCounts::malformed`] instead of returning an error.
    pub skip_malformed: bool,
}

/// What the reader skipped, per kind (ALT alleles, except `malformed` which counts lines).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SkipCounts {
    /// Symbolic ALT alleles: `<DEL>`, `<INS>`, `<*>`, `<NON_REF>` ...
    pub symbolic: u64,
    /// Breakend ALT alleles: `[`/`]` mates and single breakends (`.A`, `A.`).
    pub breakend: u64,
    /// Spanning-deletion alleles `*`.
    pub spanning_deletion: u64,
    /// Missing ALT (`.`).
    pub missing_alt: u64,
    /// Malformed lines (only with [`VcfOptions::skip_malformed`]).
    pub malformed: u64,
}

impl SkipCounts {
    /// All skips together.
    ///
    /// ```
    /// let s = genome_io::vcf::SkipCounts { symbolic: 2, missing_alt: 1, ..Default::default() };
    /// assert_eq!(s.total(), 3);
    /// ```
    pub fn total(&self) -> u64 {
        self.symbolic + self.breakend + self.spanning_deletion + self.missing_alt + self.malformed
    }
}

/// Opens a VCF file (plain, gzip or bgzip, detected from the magic bytes, not the extension)
/// for streaming.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("v.vcf");
/// std::fs::write(&p, "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nc\t2\t.\tG\tA\t.\t.\t.\n").unwrap();
/// let recs = genome_io::vcf::open_vcf(&p, Default::default())?.collect::<Result<Vec<_>, _>>()?;
/// assert_eq!(recs[0].label(), "c:2:G:A");
/// # Ok::<(), genome_io::Error>(())
/// ```
pub fn open_vcf(
    path: impl AsRef<Path>,
    opts: VcfOptions,
) -> Result<VcfReader<Box<dyn BufRead + Send>>> {
    let path = path.as_ref();
    let inner = crate::expression::open_maybe_gz(path)?;
    Ok(VcfReader::new(inner, path).with_options(opts))
}
