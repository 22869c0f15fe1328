//! A seeded synthetic world with a known answer: genome FASTA (+ `.fai`), GENCODE-style GTF, a
//! genes × tissues expression table and the truth behind it.
//!
//! * Genome: chromosomes `chr1`..; background GC 41 % with CpG depletion, soft-masked (lowercase)
//!   SINE/LINE-like and simple repeats, telomeric and internal N runs, 60-column FASTA.
//! * Annotation: protein-coding genes (ATG start, in-frame stop, CDS % 3 == 0, UTRs, GT..AG
//!   introns) and lncRNA genes on both strands, with alternative TSSs; some genes sit within a few
//!   kb of chromosome ends.
//! * Expression: log2 expression is the documented function of planted promoter elements (TATA,
//!   CCAAT, GC box, Inr, CpG island, distal tissue-specific enhancers), gene structure, biotype
//!   and seeded noise; see [`expression`] and `docs/synthetic-world.md`.
//!
//! The same [`SynthConfig`] always gives byte-identical files (ChaCha8 streams per chromosome).
//! [`generate`] builds the world in memory; [`generate_to_dir`] streams it chromosome by chromosome
//! (for the 320 Mb [`SynthConfig::big`] preset). Both write identical files.
//!
//! ```
//! use datasets::synth::{generate, SynthConfig};
//! let world = generate(&SynthConfig::tiny()).unwrap();
//! let dir = tempfile::tempdir().unwrap();
//! let paths = world.write_to_dir(dir.path()).unwrap();
//! assert!(std::fs::read_to_string(&paths.gtf).unwrap().contains("\tstart_codon\t"));
//! ```

mod config;
pub mod expression;
mod gtf;
mod model;
mod plan;
mod rng;
mod sequence;
mod structure;
mod tables;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use config::{SynthConfig, UtrStyle};
pub use model::{
    ElementKind, GeneExpression, PlantedElement, SynthBiotype, SynthGene, SynthTranscript,
};
pub use tables::LINE_WIDTH;

use crate::{Error, Result};
use genome_io::atomic::write_atomic;

/// Paths of the files written by [`SynthWorld::write_to_dir`] / [`generate_to_dir`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthPaths {
    /// The output directory.
    pub dir: PathBuf,
    /// `genome.fa` (soft-masked, 60 bases per line).
    pub fasta: PathBuf,
    /// `genome.fa.fai` (samtools layout).
    pub fai: PathBuf,
    /// `annotation.gtf` (GENCODE style).
    pub gtf: PathBuf,
    /// `expression.tsv` (`gene_id` + one column per tissue, TPM-like values `2^y`).
    pub expression: PathBuf,
    /// `truth.tsv` (planted elements and noise-free log2 expression per gene).
    pub truth: PathBuf,
}

impl SynthPaths {
    /// The standard file names inside `dir`.
    ///
    /// ```
    /// let p = datasets::synth::SynthPaths::in_dir("/tmp/w");
    /// assert_eq!(p.fai, std::path::Path::new("/tmp/w/genome.fa.fai"));
    /// ```
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        SynthPaths {
            fasta: dir.join("genome.fa"),
            fai: dir.join("genome.fa.fai"),
            gtf: dir.join("annotation.gtf"),
            expression: dir.join("expression.tsv"),
            truth: dir.join("truth.tsv"),
            dir,
        }
    }
}

/// A synthetic world held in memory.
#[derive(Debug, Clone)]
pub struct SynthWorld {
    /// The configuration it was generated from.
    pub config: SynthConfig,
    /// `(name, sequence)` per chromosome, in order; soft-masked, `N` in gaps.
    pub chromosomes: Vec<(String, Vec<u8>)>,
    /// All genes in genomic order (chromosome, then position), with their known answer.
    pub genes: Vec<SynthGene>,
}

impl SynthWorld {
    /// Sequence of chromosome `name`.
    ///
    /// ```
    /// let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    /// assert_eq!(w.sequence("chr2").unwrap().len(), 400_000);
    /// assert!(w.sequence("chrX").is_none());
    /// ```
    pub fn sequence(&self, name: &str) -> Option<&[u8]> {
        self.chromosomes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_slice())
    }

    /// Writes `genome.fa`, `genome.fa.fai`, `annotation.gtf`, `expression.tsv` and `truth.tsv`
    /// into `dir` (created if missing), each atomically.
    ///
    /// ```
    /// let w = datasets::synth::generate(&datasets::synth::SynthConfig::tiny()).unwrap();
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = w.write_to_dir(dir.path()).unwrap();
    /// let fai = std::fs::read_to_string(&p.fai).unwrap();
    /// assert!(fai.starts_with("chr1\t500000\t6\t60\t61\n"));
    /// ```
    pub fn write_to_dir(&self, dir: &Path) -> Result<SynthPaths> {
        let genes: Vec<&SynthGene> = self.genes.iter().collect();
        write_files(&self.config, dir, &genes, &mut |c| {
            Cow::Borrowed(&self.chromosomes[c].1)
        })
    }
}

/// Generates a world in memory (chromosomes built in parallel).
///
/// ```
/// use datasets::synth::{generate, SynthConfig};
/// let w = generate(&SynthConfig::tiny()).unwrap();
/// assert_eq!(w.genes.len(), 120);
/// assert!(w.genes.iter().all(|g| g.canonical().is_some()));
/// ```
pub fn generate(config: &SynthConfig) -> Result<SynthWorld> {
    let plans = plan::plan_world(config)?;
    let fam = sequence::Families::new(config.seed);
    let chromosomes = plans
        .par_iter()
        .map(|p| {
            (
                p.name.clone(),
                sequence::build_chrom(config.seed, config.repeat_fraction, &fam, p),
            )
        })
        .collect();
    let genes = plans
        .into_iter()
        .flat_map(|p| p.genes.into_iter().map(|g| g.gene))
        .collect();
    Ok(SynthWorld {
        config: config.clone(),
        chromosomes,
        genes,
    })
}

/// Generates a world straight into `dir`, one chromosome in memory at a time; the files are
/// identical to `generate(config)?.write_to_dir(dir)`.
///
/// ```
/// use datasets::synth::{generate_to_dir, SynthConfig};
/// let dir = tempfile::tempdir().unwrap();
/// let p = generate_to_dir(&SynthConfig::tiny(), dir.path()).unwrap();
/// assert!(p.truth.exists());
/// ```
pub fn generate_to_dir(config: &SynthConfig, dir: &Path) -> Result<SynthPaths> {
    let plans = plan::plan_world(config)?;
    let fam = sequence::Families::new(config.seed);
    let genes: Vec<&SynthGene> = plans
        .iter()
        .flat_map(|p| p.genes.iter().map(|g| &g.gene))
        .collect();
    write_files(config, dir, &genes, &mut |c| {
        Cow::Owned(sequence::build_chrom(
            config.seed,
            config.repeat_fraction,
            &fam,
            &plans[c],
        ))
    })
}

fn write_files<'a>(
    config: &SynthConfig,
    dir: &Path,
    genes: &[&SynthGene],
    chrom: &mut dyn FnMut(usize) -> Cow<'a, [u8]>,
) -> Result<SynthPaths> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let paths = SynthPaths::in_dir(dir);
    let mut fai = Vec::new();
    write_atomic(&paths.fasta, |w| {
        let mut offset = 0;
        for (c, name) in config.chrom_names().iter().enumerate() {
            let seq = chrom(c);
            fai.push(tables::write_fasta_record(w, name, &seq, &mut offset)?);
        }
        Ok(())
    })?;
    write_atomic(&paths.fai, |w| tables::write_fai(w, &fai))?;
    write_atomic(&paths.gtf, |w| {
        gtf::write_header(w, config.seed)?;
        genes
            .iter()
            .try_for_each(|g| gtf::write_gene(w, g, config.utr_style))
    })?;
    write_atomic(&paths.expression, |w| {
        tables::write_expression(w, &config.tissues, genes)
    })?;
    write_atomic(&paths.truth, |w| {
        tables::write_truth(w, &config.tissues, genes)
    })?;
    Ok(paths)
}
