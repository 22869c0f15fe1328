//! Transcription start sites: per transcript, strand-aware, with a per-gene selection policy.
//!
//! ## Coordinates
//! A transcript's TSS is its first base on `+` (the GTF `start`) and its last base on `-` (the
//! GTF `end`). [`Tss::pos0`] is **0-based**; [`Tss::pos1`] is the **1-based** position of the
//! same base (what GTF files and `tss.tsv`-style tables print).
//!
//! ## Selection per gene ([`TssPolicy`])
//! * `All`: every transcript, file order.
//! * `Canonical`: the transcript tagged `Ensembl_canonical`, else the one tagged `MANE_Select`,
//!   else the `LongestCds` choice.
//! * `LongestCds`: the transcript with the longest CDS; ties broken as in Xpresso by the longer
//!   5' UTR, then the longer 3' UTR; then (our deterministic additions) the longer exonic length,
//!   then the lexicographically smallest transcript id.
//! * `GeneStart`: one TSS per gene at the gene's start (`+`) or end (`-`), no transcript. The
//!   only policy that yields genes without transcripts (gene-only annotations).
//!
//! With `dedup`, TSSs of one gene at the same position are reported once (the first in the order
//! above). The biotype filter looks at the gene biotype ([`Gene::effective_biotype`]).

use std::cmp::Ordering;

use crate::annotation::{Annotation, BiotypeFilter, Gene, Strand, Transcript, total_len};

/// Which transcripts of a gene give TSSs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TssPolicy {
    /// Every transcript.
    #[default]
    All,
    /// `Ensembl_canonical`, else `MANE_Select`, else [`TssPolicy::LongestCds`].
    Canonical,
    /// Longest CDS with Xpresso's tie-breaks (see the module docs).
    LongestCds,
    /// The gene start (`+`) or end (`-`).
    GeneStart,
}

impl TssPolicy {
    /// The command-line name: `all`, `canonical`, `longest-cds` or `gene`.
    ///
    /// ```
    /// use genome_io::tss::TssPolicy;
    /// assert_eq!(TssPolicy::LongestCds.name(), "longest-cds");
    /// assert_eq!("gene".parse::<TssPolicy>().unwrap(), TssPolicy::GeneStart);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            TssPolicy::All => "all",
            TssPolicy::Canonical => "canonical",
            TssPolicy::LongestCds => "longest-cds",
            TssPolicy::GeneStart => "gene",
        }
    }
}

impl std::str::FromStr for TssPolicy {
    type Err = String;

    /// Parses a [`TssPolicy::name`] (`gene-start` is accepted for `gene`).
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "all" => Ok(TssPolicy::All),
            "canonical" => Ok(TssPolicy::Canonical),
            "longest-cds" => Ok(TssPolicy::LongestCds),
            "gene" | "gene-start" => Ok(TssPolicy::GeneStart),
            other => Err(format!(
                "unknown transcript policy {other:?} (all|canonical|longest-cds|gene)"
            )),
        }
    }
}

/// Options of [`collect_tss`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TssOptions {
    /// Per-gene selection.
    pub policy: TssPolicy,
    /// Report identical TSS positions of one gene once.
    pub dedup: bool,
    /// Keep only genes whose biotype passes (either vocabulary). Empty = all.
    pub biotypes: BiotypeFilter,
}

/// One TSS with the metadata carried into windows and tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tss {
    /// `gene_id`.
    pub gene_id: String,
    /// `gene_name`, if any.
    pub gene_name: Option<String>,
    /// `transcript_id`; `None` under [`TssPolicy::GeneStart`].
    pub transcript_id: Option<String>,
    /// Gene biotype as written in the annotation.
    pub biotype: Option<String>,
    /// Chromosome (annotation naming).
    pub chrom: String,
    /// Strand.
    pub strand: Strand,
    /// 0-based position of the TSS base.
    pub pos0: u64,
}

impl Tss {
    /// 1-based position of the TSS base.
    pub fn pos1(&self) -> u64 {
        self.pos0 + 1
    }

    /// The window/record name: the transcript id, or the gene id for gene-level TSSs.
    pub fn name(&self) -> &str {
        self.transcript_id.as_deref().unwrap_or(&self.gene_id)
    }
}

/// Xpresso's ordering: longer CDS, then longer 5' UTR, then longer 3' UTR, then longer exonic
/// length; `Ordering::Greater` means `a` is preferred. Equal keys fall back to the smaller id.
fn prefer(a: &Transcript, b: &Transcript) -> Ordering {
    let key = |t: &Transcript| {
        (
            t.cds_len(),
            t.five_prime_utr_len(),
            t.three_prime_utr_len(),
            total_len(&t.exons),
        )
    };
    key(a).cmp(&key(b)).then_with(|| b.id.cmp(&a.id))
}

/// The transcripts of `gene` that `policy` selects (empty for `GeneStart`).
///
/// ```
/// use genome_io::annotation::read_gtf;
/// use genome_io::tss::{select_transcripts, TssPolicy};
/// let gtf = "\
/// 1\tX\tCDS\t100\t399\t.\t+\t0\tgene_id \"G\"; transcript_id \"short\";
/// 1\tX\tCDS\t100\t699\t.\t+\t0\tgene_id \"G\"; transcript_id \"long\";
/// 1\tX\texon\t50\t699\t.\t+\t.\tgene_id \"G\"; transcript_id \"canon\"; tag \"Ensembl_canonical\";
/// ";
/// let ann = read_gtf(gtf.as_bytes(), std::path::Path::new("<memory>")).unwrap();
/// let pick = |p| select_transcripts(&ann.genes[0], p).iter().map(|t| t.id.clone()).collect::<Vec<_>>();
/// assert_eq!(pick(TssPolicy::LongestCds), ["long"]);
/// assert_eq!(pick(TssPolicy::Canonical), ["canon"]);
/// assert_eq!(pick(TssPolicy::All).len(), 3);
/// ```
pub fn select_transcripts(gene: &Gene, policy: TssPolicy) -> Vec<&Transcript> {
    let longest = || gene.transcripts.iter().max_by(|a, b| prefer(a, b));
    match policy {
        TssPolicy::All => gene.transcripts.iter().collect(),
        TssPolicy::GeneStart => Vec::new(),
        TssPolicy::LongestCds => longest().into_iter().collect(),
        TssPolicy::Canonical => gene
            .transcripts
            .iter()
            .find(|t| t.has_tag("Ensembl_canonical"))
            .or_else(|| gene.transcripts.iter().find(|t| t.has_tag("MANE_Select")))
            .or_else(longest)
            .into_iter()
            .collect(),
    }
}

/// All TSSs of `ann` under `opts`, genes and transcripts in file order.
///
/// ```
/// use genome_io::annotation::read_gtf;
/// use genome_io::tss::{collect_tss, TssOptions, TssPolicy};
/// let gtf = "\
/// 1\tX\ttranscript\t100\t500\t.\t-\t.\tgene_id \"G\"; transcript_id \"T1\";
/// 1\tX\ttranscript\t200\t500\t.\t-\t.\tgene_id \"G\"; transcript_id \"T2\";
/// ";
/// let ann = read_gtf(gtf.as_bytes(), std::path::Path::new("<memory>")).unwrap();
/// let all = collect_tss(&ann, &TssOptions::default());
/// assert_eq!(all.iter().map(|t| t.pos1()).collect::<Vec<_>>(), [500, 500]); // end on '-'
/// let dedup = collect_tss(&ann, &TssOptions { dedup: true, ..Default::default() });
/// assert_eq!(dedup.len(), 1);
/// let gene = collect_tss(&ann, &TssOptions { policy: TssPolicy::GeneStart, ..Default::default() });
/// assert_eq!((gene[0].name(), gene[0].pos0), ("G", 499));
/// ```
pub fn collect_tss(ann: &Annotation, opts: &TssOptions) -> Vec<Tss> {
    let mut out = Vec::new();
    for gene in &ann.genes {
        if !opts.biotypes.accepts(gene.effective_biotype()) {
            continue;
        }
        let make = |tx: Option<&Transcript>, pos0: u64| Tss {
            gene_id: gene.id.clone(),
            gene_name: gene.name.clone(),
            transcript_id: tx.map(|t| t.id.clone()),
            biotype: gene.effective_biotype().map(str::to_string),
            chrom: gene.chrom.clone(),
            strand: gene.strand,
            pos0,
        };
        let first = out.len();
        if opts.policy == TssPolicy::GeneStart {
            out.push(make(None, gene.tss0()));
            continue;
        }
        for tx in select_transcripts(gene, opts.policy) {
            let pos0 = tx.tss0();
            if opts.dedup && out[first..].iter().any(|t: &Tss| t.pos0 == pos0) {
                continue;
            }
            let mut t = make(Some(tx), pos0);
            t.chrom.clone_from(&tx.chrom);
            t.strand = tx.strand;
            out.push(t);
        }
    }
    out
}
