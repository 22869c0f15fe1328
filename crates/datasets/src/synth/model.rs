//! The known answer of a synthetic world: genes, transcripts, planted elements and expression.
//!
//! Gene-internal positions are **sense offsets** relative to the gene's canonical TSS: offset 0 is
//! the TSS base, negative offsets are upstream, positive downstream, always read 5'→3' on the
//! gene's strand. [`SynthGene::to_genomic`] converts them to 0-based half-open genomic intervals.

use genome_io::annotation::Strand;

/// Gene biotype of the synthetic world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SynthBiotype {
    /// `protein_coding` (multi-exon, CDS with ATG start and a stop codon).
    ProteinCoding,
    /// `lncRNA` (no CDS; weaker promoters, lower expression).
    LncRna,
}

impl SynthBiotype {
    /// The GENCODE `gene_type` / `transcript_type` string.
    ///
    /// ```
    /// assert_eq!(datasets::synth::SynthBiotype::LncRna.gene_type(), "lncRNA");
    /// ```
    pub fn gene_type(self) -> &'static str {
        match self {
            SynthBiotype::ProteinCoding => "protein_coding",
            SynthBiotype::LncRna => "lncRNA",
        }
    }
}

/// Kinds of planted regulatory elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ElementKind {
    /// TATA box `TATAAA`, always at offset -31 (occupies -31..=-26).
    Tata,
    /// CCAAT box `CCAAT`, first base at an offset in -85..=-75.
    Ccaat,
    /// GC box (Sp1 site) `GGGCGG`, first base in -110..=-40, up to 3 copies.
    GcBox,
    /// Initiator `YYANWYY` with its `A` on the TSS (occupies -2..=+4).
    Inr,
    /// HNF4 (DR1) enhancer motif `GGTCAAAGGTCA`, active in tissue 0 (liver).
    Hnf4,
    /// MEF2 enhancer motif `CTAAAAATAG`, active in tissue 1 (muscle).
    Mef2,
    /// ETS enhancer motif `CCGGAAGT`, active in every tissue.
    Ets,
}

impl ElementKind {
    /// Short name used in `truth.tsv` (`TATA`, `CCAAT`, `GC`, `INR`, `HNF4`, `MEF2`, `ETS`).
    ///
    /// ```
    /// assert_eq!(datasets::synth::ElementKind::GcBox.name(), "GC");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ElementKind::Tata => "TATA",
            ElementKind::Ccaat => "CCAAT",
            ElementKind::GcBox => "GC",
            ElementKind::Inr => "INR",
            ElementKind::Hnf4 => "HNF4",
            ElementKind::Mef2 => "MEF2",
            ElementKind::Ets => "ETS",
        }
    }

    /// The fixed motif (sense strand), or `None` for the degenerate Inr (see [`PlantedElement::seq`]).
    ///
    /// ```
    /// assert_eq!(datasets::synth::ElementKind::Tata.motif(), Some(&b"TATAAA"[..]));
    /// ```
    pub fn motif(self) -> Option<&'static [u8]> {
        match self {
            ElementKind::Tata => Some(b"TATAAA"),
            ElementKind::Ccaat => Some(b"CCAAT"),
            ElementKind::GcBox => Some(b"GGGCGG"),
            ElementKind::Inr => None,
            ElementKind::Hnf4 => Some(b"GGTCAAAGGTCA"),
            ElementKind::Mef2 => Some(b"CTAAAAATAG"),
            ElementKind::Ets => Some(b"CCGGAAGT"),
        }
    }

    /// True for the distal (enhancer) motifs.
    pub fn is_enhancer(self) -> bool {
        matches!(
            self,
            ElementKind::Hnf4 | ElementKind::Mef2 | ElementKind::Ets
        )
    }
}

/// One planted element: `seq` (uppercase, 5'→3' on the gene's strand) starts at sense `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedElement {
    /// Which element.
    pub kind: ElementKind,
    /// Sense offset of the element's first (5'-most) base relative to the canonical TSS.
    pub offset: i64,
    /// The planted bases as read on the gene's strand.
    pub seq: Vec<u8>,
}

/// One transcript; exons in sense offsets (half-open, 5'→3' order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthTranscript {
    /// `transcript_id` (versioned, e.g. `SYNT00000001.1`).
    pub id: String,
    /// `transcript_name` (`<gene_name>-201`, ...).
    pub name: String,
    /// Exons as sense-offset half-open intervals `[a, b)`, 5'→3'.
    pub exons: Vec<(i64, i64)>,
    /// CDS as a half-open range of spliced transcript positions (0 = first transcribed base),
    /// start codon included, stop codon excluded (GTF convention); `None` for lncRNAs.
    pub cds: Option<(u64, u64)>,
    /// The gene's canonical transcript (tags `Ensembl_canonical`).
    pub canonical: bool,
    /// `transcript_support_level` (`1`..`5` or `NA`).
    pub support_level: &'static str,
}

impl SynthTranscript {
    /// Spliced (mature) length.
    ///
    /// ```
    /// let t = datasets::synth::SynthTranscript { id: "T".into(), name: "N".into(),
    ///     exons: vec![(0, 100), (300, 350)], cds: None, canonical: true, support_level: "1" };
    /// assert_eq!(t.spliced_len(), 150);
    /// ```
    pub fn spliced_len(&self) -> u64 {
        self.exons.iter().map(|&(a, b)| (b - a) as u64).sum()
    }

    /// Sense offset of the TSS (0 for the canonical transcript).
    pub fn tss_offset(&self) -> i64 {
        self.exons.first().map_or(0, |e| e.0)
    }

    /// 5'UTR length (0 without CDS).
    pub fn utr5_len(&self) -> u64 {
        self.cds.map_or(0, |c| c.0)
    }

    /// CDS length without the stop codon (0 without CDS).
    pub fn cds_len(&self) -> u64 {
        self.cds.map_or(0, |c| c.1 - c.0)
    }

    /// Sense offset of spliced position `pos`, if `pos < spliced_len()`.
    pub fn sense_of_spliced(&self, pos: u64) -> Option<i64> {
        let mut left = pos as i64;
        for &(a, b) in &self.exons {
            if left < b - a {
                return Some(a + left);
            }
            left -= b - a;
        }
        None
    }
}

/// Noise-free and observed log2 expression of one gene, one value per tissue.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneExpression {
    /// The documented function of the planted elements and gene structure (log2 TPM).
    pub noise_free: Vec<f64>,
    /// `noise_free` plus per-gene and per-tissue Gaussian noise (log2 TPM); `expression.tsv`
    /// holds `2^observed`.
    pub observed: Vec<f64>,
}

/// A gene of the synthetic world with its known answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthGene {
    /// `gene_id` (versioned, e.g. `SYNG00000001.1`).
    pub id: String,
    /// `gene_name` (`PCG1`, ..., `LINC00001`, ...).
    pub name: String,
    /// Biotype.
    pub biotype: SynthBiotype,
    /// Chromosome name.
    pub chrom: String,
    /// Strand.
    pub strand: Strand,
    /// 0-based genomic position of the canonical TSS base (1-based: `tss + 1`).
    pub tss: u64,
    /// Transcripts in GTF order (exactly one has `canonical`).
    pub transcripts: Vec<SynthTranscript>,
    /// Planted elements, sorted by offset.
    pub elements: Vec<PlantedElement>,
    /// Whether a CpG island covers sense offsets -500..+500.
    pub cpg_island: bool,
    /// Expression per tissue.
    pub expression: GeneExpression,
}

impl SynthGene {
    /// Maps the sense-offset half-open interval `[a, b)` to a 0-based half-open genomic interval.
    ///
    /// ```
    /// use genome_io::annotation::Strand;
    /// use datasets::synth::*;
    /// let mut g = SynthGene { id: "G".into(), name: "N".into(), biotype: SynthBiotype::LncRna,
    ///     chrom: "chr1".into(), strand: Strand::Forward, tss: 1000, transcripts: vec![],
    ///     elements: vec![], cpg_island: false,
    ///     expression: GeneExpression { noise_free: vec![], observed: vec![] } };
    /// assert_eq!(g.to_genomic(-31, -25), (969, 975));
    /// g.strand = Strand::Reverse; // upstream is to the right
    /// assert_eq!(g.to_genomic(-31, -25), (1026, 1032));
    /// ```
    pub fn to_genomic(&self, a: i64, b: i64) -> (u64, u64) {
        let t = self.tss as i64;
        let (s, e) = match self.strand {
            Strand::Forward => (t + a, t + b),
            Strand::Reverse => (t - b + 1, t - a + 1),
        };
        (s.max(0) as u64, e.max(0) as u64)
    }

    /// The canonical transcript.
    pub fn canonical(&self) -> Option<&SynthTranscript> {
        self.transcripts.iter().find(|t| t.canonical)
    }

    /// Planted elements of `kind`.
    pub fn elements_of(&self, kind: ElementKind) -> impl Iterator<Item = &PlantedElement> {
        self.elements.iter().filter(move |e| e.kind == kind)
    }

    /// Genomic 0-based half-open span of all transcripts.
    pub fn span(&self) -> (u64, u64) {
        let mut lo = u64::MAX;
        let mut hi = 0;
        for t in &self.transcripts {
            for &(a, b) in &t.exons {
                let (s, e) = self.to_genomic(a, b);
                lo = lo.min(s);
                hi = hi.max(e);
            }
        }
        (lo, hi)
    }
}
