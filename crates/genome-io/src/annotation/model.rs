//! The annotation data model: [`Annotation`] → [`Gene`] → [`Transcript`] → feature intervals.
//!
//! All intervals are **0-based half-open** ([`Interval`]); a GTF line `start=100 end=200`
//! (1-based closed) becomes `Interval { start: 99, end: 200 }`. Feature lists are kept sorted by
//! genomic start (ascending, whatever the strand); use [`Transcript::exons_5p_to_3p`] for
//! transcript order.

/// Strand of a gene or transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strand {
    /// `+`: 5'→3' follows increasing coordinates.
    Forward,
    /// `-`: 5'→3' follows decreasing coordinates.
    Reverse,
}

impl Strand {
    /// `'+'` or `'-'`.
    ///
    /// ```
    /// use genome_io::annotation::Strand;
    /// assert_eq!(Strand::Reverse.as_char(), '-');
    /// ```
    pub fn as_char(self) -> char {
        match self {
            Strand::Forward => '+',
            Strand::Reverse => '-',
        }
    }
}

/// A 0-based half-open genomic interval `[start, end)` on the chromosome of its transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Interval {
    /// 0-based first base.
    pub start: u64,
    /// 0-based exclusive end.
    pub end: u64,
}

impl Interval {
    /// Builds an interval from 1-based closed coordinates (`start1 >= 1`, `start1 <= end1`).
    ///
    /// ```
    /// use genome_io::annotation::Interval;
    /// assert_eq!(Interval::from_one_based(100, 200), Interval { start: 99, end: 200 });
    /// ```
    pub fn from_one_based(start1: u64, end1: u64) -> Self {
        Interval {
            start: start1.saturating_sub(1),
            end: end1,
        }
    }

    /// Number of bases (`end - start`, the biological length of the 1-based `end1 - start1 + 1`).
    ///
    /// ```
    /// assert_eq!(genome_io::annotation::Interval { start: 99, end: 200 }.len(), 101);
    /// ```
    pub fn len(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// True when the interval holds no base.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Sum of the lengths of `intervals` (0-based half-open; overlaps are counted twice).
///
/// ```
/// use genome_io::annotation::{total_len, Interval};
/// assert_eq!(total_len(&[Interval { start: 0, end: 10 }, Interval { start: 20, end: 25 }]), 15);
/// ```
pub fn total_len(intervals: &[Interval]) -> u64 {
    intervals.iter().map(Interval::len).sum()
}

/// One transcript with its features (each list sorted by genomic start, 0-based half-open).
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    /// `transcript_id` (GFF3: the `transcript_id` attribute, else `ID` without `transcript:`).
    pub id: String,
    /// `gene_id` of the parent gene.
    pub gene_id: String,
    /// `transcript_name`, if given.
    pub name: Option<String>,
    /// Chromosome name as written in the annotation.
    pub chrom: String,
    /// Strand.
    pub strand: Strand,
    /// Transcript span: from the `transcript` line, or the union of its features when the file
    /// has no such line.
    pub span: Interval,
    /// `transcript_type` (GENCODE) or `transcript_biotype` (Ensembl), verbatim.
    pub biotype: Option<String>,
    /// All `tag` values (e.g. `basic`, `Ensembl_canonical`, `MANE_Select`, `CCDS`), file order.
    pub tags: Vec<String>,
    /// `transcript_support_level`, verbatim (`1`..`5` or `NA`).
    pub support_level: Option<String>,
    /// Exons.
    pub exons: Vec<Interval>,
    /// CDS segments (GTF convention: stop codon excluded).
    pub cds: Vec<Interval>,
    /// 5' UTR segments (`five_prime_utr`, or GENCODE `UTR` classified by position).
    pub five_prime_utr: Vec<Interval>,
    /// 3' UTR segments (`three_prime_utr`, or GENCODE `UTR` classified by position).
    pub three_prime_utr: Vec<Interval>,
    /// `UTR` segments that could not be classified because the transcript has no CDS.
    pub unclassified_utr: Vec<Interval>,
    /// `start_codon` segments (a codon split by an intron gives two).
    pub start_codons: Vec<Interval>,
    /// `stop_codon` segments.
    pub stop_codons: Vec<Interval>,
    /// True when the file had an explicit `transcript` (GFF3: mRNA, lnc_RNA, ...) line.
    pub explicit: bool,
}

impl Transcript {
    /// Whether the transcript carries `tag` (exact, case-sensitive).
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// True for the Ensembl canonical or MANE Select transcript (`Ensembl_canonical`,
    /// `MANE_Select` tags; GFF3 from Ensembl also writes `Ensembl_canonical`).
    pub fn is_canonical(&self) -> bool {
        self.has_tag("Ensembl_canonical") || self.has_tag("MANE_Select")
    }

    /// 0-based position of the transcription start site: first base on `+`, last base on `-`.
    /// The 1-based TSS of the usual convention is this plus one.
    ///
    /// ```
    /// use genome_io::annotation::{Interval, Strand, Transcript};
    /// let mut t = Transcript::new("T1", "G1", "chr1", Strand::Reverse, Interval { start: 99, end: 200 });
    /// assert_eq!(t.tss0(), 199); // 1-based 200 = the GTF end
    /// t.strand = Strand::Forward;
    /// assert_eq!(t.tss0(), 99); // 1-based 100 = the GTF start
    /// ```
    pub fn tss0(&self) -> u64 {
        match self.strand {
            Strand::Forward => self.span.start,
            Strand::Reverse => self.span.end.saturating_sub(1),
        }
    }

    /// A transcript with a span and no features (builders and tests).
    pub fn new(id: &str, gene_id: &str, chrom: &str, strand: Strand, span: Interval) -> Self {
        Transcript {
            id: id.to_string(),
            gene_id: gene_id.to_string(),
            name: None,
            chrom: chrom.to_string(),
            strand,
            span,
            biotype: None,
            tags: Vec::new(),
            support_level: None,
            exons: Vec::new(),
            cds: Vec::new(),
            five_prime_utr: Vec::new(),
            three_prime_utr: Vec::new(),
            unclassified_utr: Vec::new(),
            start_codons: Vec::new(),
            stop_codons: Vec::new(),
            explicit: false,
        }
    }

    /// Exons in transcript order (5'→3': descending coordinates on `-`).
    pub fn exons_5p_to_3p(&self) -> Vec<Interval> {
        oriented(&self.exons, self.strand)
    }

    /// CDS segments in transcript order (5'→3').
    pub fn cds_5p_to_3p(&self) -> Vec<Interval> {
        oriented(&self.cds, self.strand)
    }

    /// Total CDS length in bases (0 for non-coding transcripts).
    pub fn cds_len(&self) -> u64 {
        total_len(&self.cds)
    }

    /// Total 5' UTR length in bases.
    pub fn five_prime_utr_len(&self) -> u64 {
        total_len(&self.five_prime_utr)
    }

    /// Total 3' UTR length in bases.
    pub fn three_prime_utr_len(&self) -> u64 {
        total_len(&self.three_prime_utr)
    }
}

/// `intervals` (sorted ascending) in 5'→3' order for `strand`.
pub(crate) fn oriented(intervals: &[Interval], strand: Strand) -> Vec<Interval> {
    let mut v = intervals.to_vec();
    if strand == Strand::Reverse {
        v.reverse();
    }
    v
}

/// One gene with its transcripts (file order).
#[derive(Debug, Clone, PartialEq)]
pub struct Gene {
    /// `gene_id`.
    pub id: String,
    /// `gene_name`, if given.
    pub name: Option<String>,
    /// Chromosome name as written in the annotation.
    pub chrom: String,
    /// Strand.
    pub strand: Strand,
    /// Gene span: from the `gene` line, or the union of its transcripts when there is none.
    pub span: Interval,
    /// `gene_type` (GENCODE) or `gene_biotype` (Ensembl; GFF3 `biotype`), verbatim.
    pub biotype: Option<String>,
    /// True when the file had an explicit `gene` line.
    pub explicit: bool,
    /// Transcripts in file order.
    pub transcripts: Vec<Transcript>,
}

impl Gene {
    /// 0-based position of the gene start (first base on `+`, last base on `-`).
    pub fn tss0(&self) -> u64 {
        match self.strand {
            Strand::Forward => self.span.start,
            Strand::Reverse => self.span.end.saturating_sub(1),
        }
    }

    /// The gene's biotype, or that of its first transcript that has one.
    pub fn effective_biotype(&self) -> Option<&str> {
        self.biotype
            .as_deref()
            .or_else(|| self.transcripts.iter().find_map(|t| t.biotype.as_deref()))
    }
}

/// A parsed annotation: genes in file order (order of first appearance).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    /// Genes in order of first appearance.
    pub genes: Vec<Gene>,
}

impl Annotation {
    /// Number of transcripts over all genes.
    pub fn n_transcripts(&self) -> usize {
        self.genes.iter().map(|g| g.transcripts.len()).sum()
    }

    /// All transcripts with their gene, in file order.
    pub fn transcripts(&self) -> impl Iterator<Item = (&Gene, &Transcript)> {
        self.genes
            .iter()
            .flat_map(|g| g.transcripts.iter().map(move |t| (g, t)))
    }

    /// The transcript with this id, if any.
    pub fn transcript(&self, id: &str) -> Option<(&Gene, &Transcript)> {
        self.transcripts().find(|(_, t)| t.id == id)
    }

    /// The gene with this id, if any.
    pub fn gene(&self, id: &str) -> Option<&Gene> {
        self.genes.iter().find(|g| g.id == id)
    }
}
