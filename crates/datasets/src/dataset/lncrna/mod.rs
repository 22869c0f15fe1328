//! The four binary tasks of the lncRNA promoter study, built from a genome and a GTF.
//!
//! | task | label 1 | label 0 |
//! |---|---|---|
//! | 1 | real promoters | the same sequences shuffled (dinucleotide-preserving by default) |
//! | 2 | real promoters | windows sampled outside `±flank` of every annotated TSS |
//! | 3 | promoters of highly expressed genes | of lowly expressed genes (all-tissue percentile rule) |
//! | 4 | protein-coding gene promoters | lncRNA gene promoters (balanced by down-sampling) |
//!
//! The first-named class of the study's task name is always label 1.
//!
//! ## Promoter windows
//! One promoter per gene, at the gene's TSS ([`Gene::tss0`](genome_io::annotation::Gene::tss0), 0-based: the first base on `+`, the
//! last base on `-`). A window of length `l` covers `l − 50` bases upstream of the TSS, the TSS
//! and 49 bases downstream (the study's "−(l−50) … +50" with the TSS counted as +1), taken on the
//! gene's strand: minus-strand windows are reverse-complemented, so every sequence reads 5'→3'
//! and the TSS is at 0-based offset `l − 50`. `l` must be at least 51. Windows running off a
//! chromosome, on chromosomes absent from the FASTA, or holding a non-ACGT base are skipped and
//! counted. Sequences are uppercased.
//!
//! Tasks 1, 2 and 4 use genes whose biotype is protein-coding or lncRNA (GENCODE or Ensembl
//! vocabulary, see [`genome_io::annotation::canonical_biotype`]); task 3 uses every gene of the
//! expression table found in the annotation (joined by gene id, versions stripped, or failing
//! that by gene name).
//!
//! ## Splits
//! Stratified by label and grouped by gene ([`crate::splits`]): a shuffled negative stays with
//! its source promoter, so the two never straddle train and test.

mod summary;
mod window;

use std::path::Path;

pub use summary::{ExpressionNote, GcStats, LncrnaSummary, SplitCounts, write_lncrna_dataset};
use window::promoter;
pub use window::{DOWNSTREAM, MIN_LENGTH, promoter_spec};

use crate::Result;
use crate::dataset::Example;
use crate::error::DatasetError;
use crate::labels::{
    ExpressionClass, JoinKey, PercentileRule, balance_by_downsampling, join_to_annotation,
    label_by_percentile,
};
use crate::negatives::{
    BackgroundConfig, RejectionReport, ShuffleKind, sample_background, shuffle_all,
};
use crate::splits::{Split, SplitConfig, stratified_split};
use genome_io::annotation::{Annotation, BiotypeClass, biotype_class};
use genome_io::expression::ExpressionTable;
use genome_io::fasta::SequenceSource;

/// Options of [`build_lncrna`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LncrnaConfig {
    /// Task number, 1 to 4 (see the module table).
    pub task: u8,
    /// Window length in bp (>= 51; the study used 300, and 500/1000/2000 for task 3).
    pub length: u64,
    /// Seed of shuffles, background sampling, balancing and splits.
    pub seed: u64,
    /// Split fractions (the seed field is ignored: `seed` is used).
    pub split: SplitConfig,
    /// Task 1: which shuffle.
    pub shuffle: ShuffleKind,
    /// Task 2: bases excluded on each side of every annotated TSS.
    pub flank: u64,
    /// Task 2: optional GC tolerance for matching negatives to positives.
    pub gc_tolerance: Option<f64>,
    /// Task 3: a gene is high if above this percentile (0-100) in every tissue (default 75).
    pub high_percentile: f64,
    /// Task 3: a gene is low if below this percentile in every tissue (default 25).
    pub low_percentile: f64,
}

impl Default for LncrnaConfig {
    fn default() -> Self {
        Self {
            task: 1,
            length: 300,
            seed: 0,
            split: SplitConfig::default(),
            shuffle: ShuffleKind::Dinucleotide,
            flank: 1000,
            gc_tolerance: None,
            high_percentile: 75.0,
            low_percentile: 25.0,
        }
    }
}

/// One example with its provenance.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LncrnaExample {
    /// Sequence and label.
    pub example: Example,
    /// Gene id (the source gene for shuffles; `bg:<chrom>:<start>` for background windows).
    pub gene_id: String,
    /// Canonical biotype of the gene (`None` for background windows).
    pub biotype: Option<String>,
    /// Record name.
    pub chrom: String,
    /// 0-based start of the window.
    pub start: u64,
    /// 0-based exclusive end.
    pub end: u64,
    /// `'+'` or `'-'`.
    pub strand: char,
    /// `promoter`, `shuffled` or `background`.
    pub source: String,
}

/// A built task: examples, their split and a summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LncrnaDataset {
    /// Examples (positives first, in annotation order, then negatives).
    pub examples: Vec<LncrnaExample>,
    /// Split of every example.
    pub splits: Vec<Split>,
    /// Counts, biotype mix, GC distributions, rejection report.
    pub summary: LncrnaSummary,
}

/// Builds task `cfg.task` from a genome, its annotation and (task 3) an expression table with
/// its path (for messages).
///
/// Errors: task not in 1..=4, `length < 51` ([`DatasetError::WindowTooShort`]), task 3 without a table,
/// a table matching no annotation gene ([`LabelsError::JoinNoMatch`](crate::error::LabelsError::JoinNoMatch) with the counts), a class
/// without examples ([`DatasetError::EmptyClass`] with the counts), and the errors of background
/// sampling and of the FASTA.
///
/// ```
/// use genome_io::annotation::{Annotation, Gene, Interval, Strand};
/// use datasets::dataset::lncrna::{build_lncrna, LncrnaConfig};
/// let genome = genome_io::fasta::InMemoryGenome::from_records([("chr1", "ACGTTGCA".repeat(200))]).unwrap();
/// let gene = |id: &str, s: u64| Gene { id: id.into(), name: None, chrom: "chr1".into(), strand: Strand::Forward,
///     span: Interval { start: s, end: s + 100 }, biotype: Some("protein_coding".into()), explicit: true, transcripts: vec![] };
/// let ann = Annotation { genes: (0..10).map(|i| gene(&format!("G{i}"), 200 + 100 * i)).collect() };
/// let cfg = LncrnaConfig { task: 1, length: 100, ..Default::default() };
/// let ds = build_lncrna(&genome, &ann, None, &cfg).unwrap();
/// assert_eq!(ds.examples.len(), 20);
/// assert_eq!(ds.summary.counts.total_positive(), 10);
/// ```
pub fn build_lncrna<S: SequenceSource + ?Sized>(
    src: &S,
    ann: &Annotation,
    expression: Option<(&ExpressionTable, &Path)>,
    cfg: &LncrnaConfig,
) -> Result<LncrnaDataset> {
    if !(1..=4).contains(&cfg.task) {
        return Err(DatasetError::InvalidArgument(format!(
            "lncRNA task must be 1, 2, 3 or 4, got {}",
            cfg.task
        ))
        .into());
    }
    promoter_spec(cfg.length)?;
    let task = cfg.task;
    let mut notes = summary::Notes::default();
    // (gene index, label) of candidate positives/negatives before extraction.
    let mut chosen: Vec<(usize, u32)> = Vec::new();
    match task {
        1 | 2 | 4 => {
            for (i, g) in ann.genes.iter().enumerate() {
                match (biotype_class(g.effective_biotype().unwrap_or("")), task) {
                    (BiotypeClass::ProteinCoding, 4) => chosen.push((i, 1)),
                    (BiotypeClass::LncRna, 4) => chosen.push((i, 0)),
                    (BiotypeClass::ProteinCoding | BiotypeClass::LncRna, _) => chosen.push((i, 1)),
                    _ => {}
                }
            }
        }
        _ => {
            let Some((table, path)) = expression else {
                return Err(DatasetError::InvalidArgument(
                    "task 3 needs an expression table (gene x tissue)".into(),
                )
                .into());
            };
            let labels = label_by_percentile(
                table,
                &PercentileRule {
                    high: cfg.high_percentile,
                    low: cfg.low_percentile,
                },
            )?;
            let ids = ann
                .genes
                .iter()
                .map(|g| (g.id.as_str(), g.name.as_deref().unwrap_or("")));
            let join = match join_to_annotation(table.gene_ids(), ids.clone(), JoinKey::GeneId) {
                Ok(j) => j,
                Err(e) => match table.gene_names() {
                    Some(names) => {
                        join_to_annotation(names, ids, JoinKey::GeneName).map_err(|_| e)?
                    }
                    None => return Err(e),
                },
            };
            let (low, mid, high) = labels.counts();
            notes.expression = Some(summary::ExpressionNote {
                table: path.display().to_string(),
                table_genes: join.report.table_genes,
                matched_genes: join.report.matched_records,
                high,
                middle: mid,
                low,
            });
            for m in &join.matches {
                match labels.classes[m.table_index] {
                    ExpressionClass::High => chosen.push((m.annotation_index, 1)),
                    ExpressionClass::Low => chosen.push((m.annotation_index, 0)),
                    ExpressionClass::Middle => {}
                }
            }
        }
    }
    // Extract windows.
    let mut examples = Vec::new();
    let mut buf = Vec::new();
    for &(i, label) in &chosen {
        let g = &ann.genes[i];
        match promoter(src, g, cfg.length, &mut buf)? {
            None => notes.skipped_out_of_bounds += 1,
            Some(_) if !buf.iter().all(|b| matches!(b, b'A' | b'C' | b'G' | b'T')) => {
                notes.skipped_ambiguous += 1
            }
            Some((start, end)) => examples.push(LncrnaExample {
                example: Example {
                    sequence: String::from_utf8_lossy(&buf).into_owned(),
                    label,
                },
                gene_id: g.id.clone(),
                biotype: g
                    .effective_biotype()
                    .map(|b| genome_io::annotation::canonical_biotype(b).to_string()),
                chrom: g.chrom.clone(),
                start,
                end,
                strand: g.strand.as_char(),
                source: "promoter".into(),
            }),
        }
    }
    notes.candidates = chosen.len();
    let count = |ex: &[LncrnaExample], l: u32| ex.iter().filter(|e| e.example.label == l).count();
    let detail = |ex: &[LncrnaExample], notes: &summary::Notes| {
        format!(
            "{} genes selected, {} windows skipped off-chromosome, {} with N; {} label 1 and {} label 0 windows{}",
            notes.candidates,
            notes.skipped_out_of_bounds,
            notes.skipped_ambiguous,
            count(ex, 1),
            count(ex, 0),
            notes.expression.as_ref().map_or(String::new(), |x| format!(
                "; expression table: {} of {} genes matched, {} high / {} low overall",
                x.matched_genes, x.table_genes, x.high, x.low
            ))
        )
    };
    if count(&examples, 1) == 0 {
        return Err(DatasetError::EmptyClass {
            task,
            class: "positive",
            detail: detail(&examples, &notes),
        }
        .into());
    }
    match task {
        1 => {
            let seqs: Vec<Vec<u8>> = examples
                .iter()
                .map(|e| e.example.sequence.as_bytes().to_vec())
                .collect();
            let shuffled = shuffle_all(&seqs, cfg.shuffle, cfg.seed);
            let negs: Vec<LncrnaExample> = examples
                .iter()
                .zip(shuffled)
                .map(|(e, s)| LncrnaExample {
                    example: Example {
                        sequence: String::from_utf8_lossy(&s).into_owned(),
                        label: 0,
                    },
                    source: "shuffled".into(),
                    ..e.clone()
                })
                .collect();
            examples.extend(negs);
        }
        2 => {
            let tss: Vec<(String, u64)> = ann
                .transcripts()
                .map(|(_, t)| (t.chrom.clone(), t.tss0()))
                .chain(ann.genes.iter().map(|g| (g.chrom.clone(), g.tss0())))
                .collect();
            let gc: Vec<f64> = examples
                .iter()
                .filter_map(|e| genome_io::seq::gc_fraction(e.example.sequence.as_bytes()))
                .collect();
            let bcfg = BackgroundConfig {
                length: cfg.length,
                count: examples.len(),
                flank: cfg.flank,
                gc_tolerance: cfg.gc_tolerance,
                seed: cfg.seed,
                ..Default::default()
            };
            let (wins, report): (_, RejectionReport) =
                sample_background(src, &tss, Some(&gc), &bcfg)?;
            notes.background = Some(report);
            for w in wins {
                let mut seq = w.seq;
                seq.make_ascii_uppercase();
                examples.push(LncrnaExample {
                    example: Example {
                        sequence: String::from_utf8_lossy(&seq).into_owned(),
                        label: 0,
                    },
                    gene_id: format!("bg:{}:{}", w.chrom, w.start),
                    biotype: None,
                    chrom: w.chrom,
                    start: w.start,
                    end: w.end,
                    strand: '+',
                    source: "background".into(),
                });
            }
        }
        _ => {
            if count(&examples, 0) == 0 {
                return Err(DatasetError::EmptyClass {
                    task,
                    class: "negative",
                    detail: detail(&examples, &notes),
                }
                .into());
            }
            let labels: Vec<u32> = examples.iter().map(|e| e.example.label).collect();
            let keep = balance_by_downsampling(&labels, cfg.seed)?;
            let mut keep_it = keep.into_iter().peekable();
            let mut i = 0usize;
            examples.retain(|_| {
                let k = keep_it.peek() == Some(&i);
                if k {
                    keep_it.next();
                }
                i += 1;
                k
            });
        }
    }
    let labels: Vec<u32> = examples.iter().map(|e| e.example.label).collect();
    let groups: Vec<&str> = examples.iter().map(|e| e.gene_id.as_str()).collect();
    let splits = stratified_split(
        &labels,
        Some(&groups),
        &SplitConfig {
            seed: cfg.seed,
            ..cfg.split
        },
    )?;
    let summary = LncrnaSummary::new(cfg, &examples, &splits, notes);
    Ok(LncrnaDataset {
        examples,
        splits,
        summary,
    })
}
