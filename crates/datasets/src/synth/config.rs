//! [`SynthConfig`]: every knob of the synthetic world, its presets and their validation.

use crate::Result;
use crate::error::SynthError;

/// How UTR lines are written in the GTF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UtrStyle {
    /// GENCODE: one feature type `UTR` for both ends; the 3' `UTR` segment **includes** the stop
    /// codon (as in GENCODE releases), so a reader must classify 5' vs 3' by position.
    Gencode,
    /// Ensembl: `five_prime_utr` / `three_prime_utr`; the 3' UTR **excludes** the stop codon.
    Ensembl,
}

/// Configuration of the synthetic world (genome, annotation, expression). See
/// `docs/synthetic-world.md` for what each part models and the exact expression function.
///
/// Ranges `(min, max)` are inclusive. Use a preset and struct-update syntax to change a few fields:
///
/// ```
/// use datasets::synth::SynthConfig;
/// let cfg = SynthConfig { seed: 7, noise_sd: 0.0, ..SynthConfig::tiny() };
/// assert!(cfg.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// Seed of every random draw: the same config gives byte-identical files.
    pub seed: u64,
    /// Chromosome lengths in bp; chromosomes are named `chr1`, `chr2`, ... in this order.
    pub chrom_lengths: Vec<u64>,
    /// Number of protein-coding genes (spread over chromosomes in proportion to length).
    pub protein_coding_genes: usize,
    /// Number of lncRNA genes.
    pub lncrna_genes: usize,
    /// Transcripts per protein-coding gene (canonical included), inclusive range.
    pub pc_transcripts: (usize, usize),
    /// Transcripts per lncRNA gene (canonical included), inclusive range.
    pub lnc_transcripts: (usize, usize),
    /// Exons per canonical protein-coding transcript, inclusive range (min >= 2).
    pub pc_exons: (usize, usize),
    /// CDS length in codons, start codon included, stop codon excluded.
    pub cds_codons: (u32, u32),
    /// Intron length in bp.
    pub intron_len: (u32, u32),
    /// Largest distance (bp) of an alternative upstream first exon from the canonical TSS.
    pub max_alt_upstream: u32,
    /// Tissue (column) names of the expression table; the first two drive the tissue-specific
    /// enhancers (HNF4 in tissue 0, MEF2 in tissue 1).
    pub tissues: Vec<String>,
    /// Standard deviation of the per-gene noise on log2 expression.
    pub noise_sd: f64,
    /// Standard deviation of the per-gene-and-tissue noise on log2 expression.
    pub tissue_noise_sd: f64,
    /// Target fraction of the genome covered by soft-masked (lowercase) repeats, 0..=0.8.
    pub repeat_fraction: f64,
    /// N runs inside each chromosome (besides the telomeric ones), placed between genes.
    pub internal_gaps: usize,
    /// Place the first and last gene of every chromosome within a few kb of its ends (plus
    /// strand at the start, minus strand at the end) so that long windows run past the ends.
    pub genes_near_ends: bool,
    /// Smallest distance in bp between the spans (upstream reserve included) of two genes.
    pub min_gap: u32,
    /// UTR feature naming in the GTF.
    pub utr_style: UtrStyle,
}

fn tissues(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

impl SynthConfig {
    /// Tiny world for doctests and unit tests: 3 chromosomes, 1.2 Mb, 90 + 30 genes.
    ///
    /// ```
    /// let cfg = datasets::synth::SynthConfig::tiny();
    /// assert_eq!(cfg.chrom_lengths.iter().sum::<u64>(), 1_200_000);
    /// ```
    pub fn tiny() -> Self {
        SynthConfig {
            seed: 1,
            chrom_lengths: vec![500_000, 400_000, 300_000],
            protein_coding_genes: 90,
            lncrna_genes: 30,
            internal_gaps: 1,
            ..Self::demo()
        }
    }

    /// The demo world (the default): 4 chromosomes, 20 Mb, 1,500 protein-coding + 500 lncRNA
    /// genes (about 5,500 transcripts), 5 tissues. Genes are ~10 kb apart so that Xpresso's
    /// 10.5 kb windows around canonical TSSs rarely overlap.
    ///
    /// ```
    /// let cfg = datasets::synth::SynthConfig::demo();
    /// assert_eq!(cfg.protein_coding_genes + cfg.lncrna_genes, 2000);
    /// ```
    pub fn demo() -> Self {
        SynthConfig {
            seed: 42,
            chrom_lengths: vec![6_500_000, 5_500_000, 4_500_000, 3_500_000],
            protein_coding_genes: 1500,
            lncrna_genes: 500,
            pc_transcripts: (1, 5),
            lnc_transcripts: (1, 3),
            pc_exons: (2, 8),
            cds_codons: (100, 700),
            intron_len: (150, 2500),
            max_alt_upstream: 2500,
            tissues: tissues(&["liver", "muscle", "brain", "lung", "testis"]),
            noise_sd: 0.8,
            tissue_noise_sd: 0.3,
            repeat_fraction: 0.4,
            internal_gaps: 2,
            genes_near_ends: true,
            min_gap: 300,
            utr_style: UtrStyle::Gencode,
        }
    }

    /// The benchmark world: 8 chromosomes, 320 Mb, 50,000 protein-coding + 20,000 lncRNA genes
    /// with about 240,000 transcripts (TSSs). Write it with
    /// [`generate_to_dir`](super::generate_to_dir), which streams chromosome by chromosome.
    ///
    /// ```
    /// let cfg = datasets::synth::SynthConfig::big(1);
    /// assert!(cfg.chrom_lengths.iter().sum::<u64>() >= 300_000_000);
    /// ```
    pub fn big(seed: u64) -> Self {
        let mb = 1_000_000;
        SynthConfig {
            seed,
            chrom_lengths: [60, 52, 46, 42, 38, 32, 28, 22]
                .iter()
                .map(|m| m * mb)
                .collect(),
            protein_coding_genes: 50_000,
            lncrna_genes: 20_000,
            pc_transcripts: (2, 6),
            lnc_transcripts: (1, 3),
            pc_exons: (2, 6),
            cds_codons: (100, 500),
            intron_len: (80, 1000),
            max_alt_upstream: 1200,
            internal_gaps: 4,
            ..Self::demo()
        }
    }

    /// Chromosome names, `chr1`..`chrN`.
    ///
    /// ```
    /// assert_eq!(datasets::synth::SynthConfig::tiny().chrom_names(), ["chr1", "chr2", "chr3"]);
    /// ```
    pub fn chrom_names(&self) -> Vec<String> {
        (1..=self.chrom_lengths.len())
            .map(|i| format!("chr{i}"))
            .collect()
    }

    /// Checks the configuration; every later step relies on it, so generation never panics.
    /// Whether the genes fit on their chromosomes is checked during generation.
    ///
    /// ```
    /// use datasets::synth::SynthConfig;
    /// let bad = SynthConfig { tissues: vec![], ..SynthConfig::tiny() };
    /// assert!(bad.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        let bad =
            |m: String| Err(SynthError::InvalidArgument(format!("synthetic world: {m}")).into());
        if self.chrom_lengths.is_empty() {
            return bad("no chromosome".into());
        }
        if let Some(l) = self
            .chrom_lengths
            .iter()
            .find(|&&l| !(50_000..=2_000_000_000).contains(&l))
        {
            return bad(format!(
                "chromosome length {l} outside 50,000..=2,000,000,000"
            ));
        }
        if self.protein_coding_genes + self.lncrna_genes == 0 {
            return bad("no gene".into());
        }
        let ranges = [
            (
                "pc_transcripts",
                self.pc_transcripts.0 as u64,
                self.pc_transcripts.1 as u64,
                1,
                20,
            ),
            (
                "lnc_transcripts",
                self.lnc_transcripts.0 as u64,
                self.lnc_transcripts.1 as u64,
                1,
                20,
            ),
            (
                "pc_exons",
                self.pc_exons.0 as u64,
                self.pc_exons.1 as u64,
                2,
                40,
            ),
            (
                "cds_codons",
                self.cds_codons.0 as u64,
                self.cds_codons.1 as u64,
                10,
                10_000,
            ),
            (
                "intron_len",
                self.intron_len.0 as u64,
                self.intron_len.1 as u64,
                60,
                1_000_000,
            ),
        ];
        for (name, lo, hi, min, max) in ranges {
            if lo > hi || lo < min || hi > max {
                return bad(format!(
                    "{name} = ({lo}, {hi}) must satisfy {min} <= min <= max <= {max}"
                ));
            }
        }
        if !(600..=100_000).contains(&self.max_alt_upstream) {
            return bad(format!(
                "max_alt_upstream {} outside 600..=100,000",
                self.max_alt_upstream
            ));
        }
        if self.tissues.is_empty() {
            return bad("no tissue".into());
        }
        for (i, t) in self.tissues.iter().enumerate() {
            if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return bad(format!("tissue name {t:?} is empty or has white space"));
            }
            if self.tissues[..i].contains(t) {
                return bad(format!("tissue {t:?} given twice"));
            }
        }
        for (name, v) in [
            ("noise_sd", self.noise_sd),
            ("tissue_noise_sd", self.tissue_noise_sd),
        ] {
            if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                return bad(format!("{name} = {v} must be in 0..=10"));
            }
        }
        if !(self.repeat_fraction.is_finite() && (0.0..=0.8).contains(&self.repeat_fraction)) {
            return bad(format!(
                "repeat_fraction = {} must be in 0..=0.8",
                self.repeat_fraction
            ));
        }
        if self.internal_gaps > 1000 {
            return bad(format!(
                "internal_gaps = {} is more than 1000",
                self.internal_gaps
            ));
        }
        if !(50..=1_000_000).contains(&self.min_gap) {
            return bad(format!("min_gap = {} outside 50..=1,000,000", self.min_gap));
        }
        Ok(())
    }
}

impl Default for SynthConfig {
    /// Same as [`SynthConfig::demo`].
    fn default() -> Self {
        Self::demo()
    }
}
