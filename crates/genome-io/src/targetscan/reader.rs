//! Readers for TargetScan's context++ scores and Summary_Counts tables.

use std::io::BufRead;
use std::path::Path;

use super::matrix::MatrixBuilder;
use super::{TargetMatrix, normalize_mirna_name};
use crate::expression::{Lines, open_maybe_gz, parse_value, preview, split_fields, strip_version};
use crate::{Error, Result, TableError, TargetScanError};

/// The two TargetScan table layouts. Columns are found by header name (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetScanLayout {
    /// One row per predicted site: `Predicted_Targets_Context_Scores.*` (gene `Gene ID`,
    /// miRNA `miRNA`, species `Gene Tax ID`) and the TargetScan 7 pipeline's
    /// `Targets.BL_PCT.context_scores.txt` (`Gene ID`, `Mirbase ID`, `Species ID`); the score is
    /// `weighted context++ score`.
    ContextScores,
    /// One row per transcript × miRNA family: `Summary_Counts.*` (gene key `Transcript ID`,
    /// miRNA `Representative miRNA`, species `Species ID`, score
    /// `Cumulative weighted context++ score`).
    SummaryCounts,
}

impl TargetScanLayout {
    fn name(self) -> &'static str {
        match self {
            TargetScanLayout::ContextScores => "context++ scores",
            TargetScanLayout::SummaryCounts => "Summary_Counts",
        }
    }

    /// Candidate header names: (gene, miRNA, score, species).
    fn candidates(self) -> [&'static [&'static str]; 4] {
        match self {
            TargetScanLayout::ContextScores => [
                &["gene id", "gene_id", "a_gene_id"],
                &["mirna", "mirbase id", "mirbase_id"],
                &["weighted context++ score"],
                &["gene tax id", "species id", "species_id"],
            ],
            TargetScanLayout::SummaryCounts => [
                &["transcript id"],
                &["representative mirna"],
                &["cumulative weighted context++ score"],
                &["species id", "species_id"],
            ],
        }
    }
}

/// Options for [`read_targetscan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetScanOptions {
    /// Layout; `None` (default) detects it from the header (`Cumulative weighted context++
    /// score` → Summary_Counts, `weighted context++ score` → context++ scores).
    pub layout: Option<TargetScanLayout>,
    /// Keep only rows of this species (NCBI taxonomy id; default `Some(9606)`, human, as miREx).
    /// `None` keeps all rows; a filter on a file without species column is an error.
    pub species: Option<u32>,
    /// Override the gene key column (e.g. `Gene Symbol` for Summary_Counts).
    pub gene_column: Option<String>,
    /// Override the miRNA column (e.g. `miRNA family`).
    pub mirna_column: Option<String>,
    /// Strip Ensembl version suffixes from gene keys (default `true`).
    pub strip_version: bool,
    /// Normalise miRNA names with [`normalize_mirna_name`] (default `true`).
    pub normalize_mirna: bool,
}

impl Default for TargetScanOptions {
    fn default() -> Self {
        TargetScanOptions {
            layout: None,
            species: Some(9606),
            gene_column: None,
            mirna_column: None,
            strip_version: true,
            normalize_mirna: true,
        }
    }
}

/// Counts from one read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetScanStats {
    /// Layout read.
    pub layout: Option<TargetScanLayout>,
    /// Data rows in the file.
    pub rows: usize,
    /// Rows summed into the matrix.
    pub kept: usize,
    /// Rows dropped by the species filter.
    pub other_species: usize,
    /// Kept rows whose score was empty, `NULL`, `NA` or `NaN`: they count as a site with score 0
    /// (what miREx's pandas `groupby().sum()` did, which skips NaN).
    pub missing_scores: usize,
}

/// Reads a TargetScan table and sums the weighted context++ score per (gene, miRNA).
/// Errors: [`TargetScanError::Header`] (unknown layout, missing column),
/// [`TableError::RaggedRow`], [`TableError::NonNumeric`], [`TableError::Empty`].
///
/// ```
/// use genome_io::targetscan::{read_targetscan, TargetScanOptions};
/// let tsv = "Gene ID\tGene Symbol\tTranscript ID\tGene Tax ID\tmiRNA\tSite Type\tUTR_start\tUTR end\t\
/// context++ score\tcontext++ score percentile\tweighted context++ score\tweighted context++ score percentile\n\
/// ENSG1.2\tA\tENST1.1\t9606\thsa-miR-21-5p\t2\t10\t16\t-0.2\t80\t-0.15\t80\n\
/// ENSG1.2\tA\tENST1.1\t9606\thsa-miR-21-3p\t3\t40\t46\t-0.1\t50\t-0.05\t50\n\
/// ENSG1.2\tA\tENST1.1\t10090\thsa-miR-21-5p\t2\t10\t16\t-0.2\t80\t-0.9\t80\n";
/// let (m, stats) = read_targetscan(tsv.as_bytes(), "cs.txt".as_ref(), &TargetScanOptions::default()).unwrap();
/// assert_eq!((stats.kept, stats.other_species), (2, 1));
/// assert!((m.score("ENSG1", "hsa-mir-21").unwrap() + 0.2).abs() < 1e-12);
/// ```
pub fn read_targetscan<R: BufRead>(
    reader: R,
    path: &Path,
    opts: &TargetScanOptions,
) -> Result<(TargetMatrix, TargetScanStats)> {
    let mut lines = Lines::new(reader, path);
    let header: Vec<String> = match lines.next_nonblank()? {
        Some((_, l)) => l.split('\t').map(|f| f.trim().to_owned()).collect(),
        None => {
            return Err(TableError::Empty {
                path: path.into(),
                msg: "empty file".into(),
            }
            .into());
        }
    };
    let lower: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let has = |n: &str| lower.iter().any(|h| h == n);
    let layout = match opts.layout {
        Some(l) => l,
        None if has("cumulative weighted context++ score") => TargetScanLayout::SummaryCounts,
        None if has("weighted context++ score") => TargetScanLayout::ContextScores,
        None => {
            return Err(TargetScanError::Header {
                path: path.into(),
                layout: "context++ scores or Summary_Counts".into(),
                msg: format!(
                    "no weighted context++ score column in header ({})",
                    preview(&header)
                ),
            }
            .into());
        }
    };
    let [gene_c, mir_c, score_c, species_c] = layout.candidates();
    let find = |over: &Option<String>, cands: &[&str], what: &str| -> Result<usize> {
        let found = match over {
            Some(o) => lower.iter().position(|h| *h == o.to_ascii_lowercase()),
            None => lower.iter().position(|h| cands.contains(&h.as_str())),
        };
        found.ok_or_else(|| {
            Error::TargetScan(TargetScanError::Header {
                path: path.into(),
                layout: layout.name().into(),
                msg: format!(
                    "no {what} column (looked for {:?}) in header ({})",
                    over.as_deref()
                        .map_or_else(|| cands.join(" | "), str::to_owned),
                    preview(&header)
                ),
            })
        })
    };
    let gi = find(&opts.gene_column, gene_c, "gene")?;
    let mi = find(&opts.mirna_column, mir_c, "miRNA")?;
    let si = find(&None, score_c, "score")?;
    let spi = match opts.species {
        Some(_) => Some(find(&None, species_c, "species")?),
        None => None,
    };
    let mut stats = TargetScanStats {
        layout: Some(layout),
        ..Default::default()
    };
    let mut b = MatrixBuilder::default();
    let mut fields = Vec::with_capacity(header.len());
    while let Some((line, text)) = lines.next_nonblank()? {
        split_fields(text, '\t', &mut fields);
        if fields.len() != header.len() {
            return Err(TableError::RaggedRow {
                path: path.into(),
                line,
                expected: header.len(),
                found: fields.len(),
            }
            .into());
        }
        stats.rows += 1;
        if let (Some(c), Some(want)) = (spi, opts.species) {
            let sp = fields[c].trim();
            match sp.parse::<u32>() {
                Ok(s) if s == want => {}
                Ok(_) => {
                    stats.other_species += 1;
                    continue;
                }
                Err(_) => {
                    return Err(TableError::NonNumeric {
                        path: path.into(),
                        line,
                        column: c + 1,
                        column_name: header[c].clone(),
                        value: sp.to_owned(),
                    }
                    .into());
                }
            }
        }
        let raw_score = fields[si].trim();
        let score = if matches!(
            raw_score.to_ascii_lowercase().as_str(),
            "" | "null" | "na" | "nan"
        ) {
            stats.missing_scores += 1;
            0.0
        } else {
            parse_value(raw_score, path, line, si, &header[si])?
        };
        let gene = fields[gi].trim();
        let gene = if opts.strip_version {
            strip_version(gene)
        } else {
            gene.into()
        };
        let mirna = fields[mi].trim();
        let mirna = if opts.normalize_mirna {
            normalize_mirna_name(mirna).into()
        } else {
            std::borrow::Cow::Borrowed(mirna)
        };
        b.add(&gene, &mirna, score);
        stats.kept += 1;
    }
    if stats.rows == 0 {
        return Err(TableError::Empty {
            path: path.into(),
            msg: "header but no data rows".into(),
        }
        .into());
    }
    Ok((b.finish(), stats))
}

/// Opens a TargetScan table by path (plain or gzip) and reads it with [`read_targetscan`].
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("sc.txt");
/// std::fs::write(&p, "Transcript ID\tGene Symbol\tmiRNA family\tSpecies ID\tRepresentative miRNA\t\
/// Cumulative weighted context++ score\nENST5.3\tX\tmiR-1\t9606\thsa-miR-1-3p\t-0.4\n").unwrap();
/// let (m, _) = genome_io::targetscan::open_targetscan(&p, &Default::default()).unwrap();
/// assert_eq!(m.score("ENST5", "hsa-mir-1"), Some(-0.4));
/// ```
pub fn open_targetscan(
    path: &Path,
    opts: &TargetScanOptions,
) -> Result<(TargetMatrix, TargetScanStats)> {
    read_targetscan(open_maybe_gz(path)?, path, opts)
}
