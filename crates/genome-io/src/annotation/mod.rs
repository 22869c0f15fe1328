//! Gene annotation: GTF and GFF3 (plain, gzip or bgzip) → genes → transcripts → exons, CDS,
//! 5'/3' UTRs, start and stop codons.
//!
//! ## Coordinates
//! GTF and GFF3 files are **1-based closed** (`start..=end`). The model stores every feature as
//! a **0-based half-open** [`Interval`] (`start0 = start1 - 1`, `end0 = end1`), like the rest of
//! the crate and BED. TSS positions are exposed 0-based ([`Transcript::tss0`]); the 1-based TSS
//! of GTF-speak (start on `+`, end on `-`) is `tss0 + 1`.
//!
//! ## What is kept
//! `gene_id`, `gene_name`, `gene_type` | `gene_biotype`, `transcript_id`, `transcript_name`,
//! `transcript_type` | `transcript_biotype`, every `tag` (`basic`, `Ensembl_canonical`,
//! `MANE_Select`, `CCDS`, `cds_start_NF`, ...) and `transcript_support_level`. GENCODE `UTR`
//! features are classified 5' or 3' by their position relative to the CDS and the strand. Biotype
//! vocabularies of GENCODE and Ensembl are reconciled by [`canonical_biotype`].
//!
//! ## Errors
//! Every malformed line is an [`AnnotationError::Record`](crate::AnnotationError::Record)
//! (wrapped in [`Error::Annotation`](crate::Error::Annotation)) naming the file, the 1-based line
//! and an [`AnnotationErrorKind`](crate::AnnotationErrorKind); nothing is returned for a file with
//! an error.

mod biotype;
mod blocks;
mod builder;
mod gff;
mod gtf;
mod gtf_attrs;
mod gtf_events;
mod lines;
mod model;

use std::path::Path;

pub use biotype::{BiotypeClass, BiotypeFilter, LNCRNA_SYNONYMS, biotype_class, canonical_biotype};
pub use gff::{read_gff3, read_gff3_with};
pub use gtf::{read_gtf, read_gtf_with};
pub use lines::open_maybe_gzip;
pub use model::{Annotation, Gene, Interval, Strand, Transcript, total_len};

use crate::Result;

/// How much of each transcript's structure a reader keeps.
///
/// Both levels read and validate every line the same way (the same errors for the same file);
/// they differ only in what the model holds afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Everything: exons, CDS, UTRs, start/stop codons ([`Transcript`]'s lists are filled).
    #[default]
    Full,
    /// Genes and transcripts with their ids, names, biotypes, tags and spans only: the feature
    /// lists of every [`Transcript`] stay empty, but a transcript without a `transcript` line
    /// still gets the span of its features. Enough for per-transcript TSSs and gene starts
    /// ([`TssPolicy::All`](crate::tss::TssPolicy::All) and
    /// [`TssPolicy::GeneStart`](crate::tss::TssPolicy::GeneStart)), not for CDS-based choices;
    /// it reads a large GTF with a fraction of the memory.
    Spans,
}

/// Annotation file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationFormat {
    /// GTF (GTF2.2, GENCODE and Ensembl flavours).
    Gtf,
    /// GFF3.
    Gff3,
}

impl AnnotationFormat {
    /// Guesses the format from the file name (`.gtf`, `.gff3`, `.gff`, optionally followed by
    /// `.gz` / `.bgz`), or `None` when the name says nothing.
    ///
    /// ```
    /// use genome_io::annotation::AnnotationFormat;
    /// use std::path::Path;
    /// assert_eq!(AnnotationFormat::from_path(Path::new("a.gff3.gz")), Some(AnnotationFormat::Gff3));
    /// assert_eq!(AnnotationFormat::from_path(Path::new("b.gtf")), Some(AnnotationFormat::Gtf));
    /// assert_eq!(AnnotationFormat::from_path(Path::new("c.txt")), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = name
            .strip_suffix(".gz")
            .or_else(|| name.strip_suffix(".bgz"))
            .unwrap_or(&name);
        if name.ends_with(".gtf") {
            Some(AnnotationFormat::Gtf)
        } else if name.ends_with(".gff3") || name.ends_with(".gff") {
            Some(AnnotationFormat::Gff3)
        } else {
            None
        }
    }
}

/// Reads an annotation file: gzip/bgzip detected by magic bytes, the format by the file name
/// ([`AnnotationFormat::from_path`]) or, failing that, by a `##gff-version 3` first line (else GTF).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.gtf");
/// std::fs::write(&p, "chr1\tX\ttranscript\t1\t10\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";\n").unwrap();
/// let ann = genome_io::annotation::read_annotation(&p).unwrap();
/// assert_eq!(ann.n_transcripts(), 1);
/// ```
pub fn read_annotation(path: &Path) -> Result<Annotation> {
    read_annotation_with(path, Detail::Full)
}

/// [`read_annotation`] keeping only what `detail` asks for.
///
/// ```
/// use genome_io::annotation::{read_annotation_with, Detail};
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.gtf");
/// std::fs::write(&p, "chr1\tX\texon\t5\t10\t.\t-\t.\tgene_id \"G\"; transcript_id \"T\";\n").unwrap();
/// let ann = read_annotation_with(&p, Detail::Spans).unwrap();
/// let (_, t) = ann.transcript("T").unwrap();
/// assert!(t.exons.is_empty());
/// assert_eq!(t.tss0() + 1, 10); // the span still comes from the exon
/// ```
pub fn read_annotation_with(path: &Path, detail: Detail) -> Result<Annotation> {
    let mut reader = open_maybe_gzip(path)?;
    let format = match AnnotationFormat::from_path(path) {
        Some(f) => f,
        None => {
            let head =
                std::io::BufRead::fill_buf(&mut reader).map_err(|e| crate::Error::io(path, e))?;
            if head.starts_with(b"##gff-version 3") {
                AnnotationFormat::Gff3
            } else {
                AnnotationFormat::Gtf
            }
        }
    };
    match format {
        AnnotationFormat::Gtf => read_gtf_with(reader, path, detail),
        AnnotationFormat::Gff3 => read_gff3_with(reader, path, detail),
    }
}
