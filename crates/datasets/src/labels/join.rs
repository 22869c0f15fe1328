//! Joining table genes to annotation genes by id (versions stripped) or by name.

use std::collections::HashMap;
use std::fmt;

use crate::Result;
use crate::error::LabelsError;
use genome_io::expression::strip_version;

/// What to join on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKey {
    /// Ensembl gene id, compared with versions stripped on both sides
    /// ([`genome_io::expression::strip_version`]).
    GeneId,
    /// Gene name / symbol, compared exactly (case-sensitive).
    GeneName,
}

impl fmt::Display for JoinKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JoinKey::GeneId => "gene id (versions stripped)",
            JoinKey::GeneName => "gene name",
        })
    }
}

/// One annotation record matched to one table row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JoinedGene {
    /// 0-based position of the record in the annotation iterator.
    pub annotation_index: usize,
    /// 0-based row of the table.
    pub table_index: usize,
}

/// Counts describing a join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinReport {
    /// The key joined on.
    pub key: JoinKey,
    /// Number of table keys given.
    pub table_genes: usize,
    /// Number of annotation records given.
    pub annotation_records: usize,
    /// Annotation records that found a table row.
    pub matched_records: usize,
    /// Distinct table rows matched by at least one record.
    pub matched_table_genes: usize,
    /// Table keys that occur on more than one row (never matched, to avoid guessing).
    pub ambiguous_table_keys: usize,
}

/// Result of [`join_to_annotation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    /// Matches in annotation order.
    pub matches: Vec<JoinedGene>,
    /// Counts.
    pub report: JoinReport,
}

/// Joins table rows to annotation records. `table_keys` are the table's gene ids
/// ([`genome_io::expression::ExpressionTable::gene_ids`]) for [`JoinKey::GeneId`], or its names
/// for [`JoinKey::GeneName`]; `annotation` yields `(gene_id, gene_name)` per record (genes, or
/// transcripts: each record is matched on its own, so several transcripts of one gene all get
/// that gene's row). A key present on several table rows is ambiguous and never matched.
///
/// GENCODE's `ENSG….N_PAR_Y` records keep their `_PAR_Y` tail when stripped, so the Y copies of
/// pseudo-autosomal genes do not match a table's plain `ENSG…` id.
///
/// Zero matches is an [`LabelsError::JoinNoMatch`](crate::error::LabelsError::JoinNoMatch) with the counts and an example key from each
/// side.
///
/// ```
/// use datasets::labels::{join_to_annotation, JoinKey};
/// let table = vec!["ENSG1".to_string(), "ENSG2.4".to_string()];
/// let annot = [("ENSG2.7", "B"), ("ENSG9.1", "Z"), ("ENSG1.1", "A")];
/// let j = join_to_annotation(&table, annot, JoinKey::GeneId).unwrap();
/// assert_eq!(j.report.matched_records, 2);
/// assert_eq!((j.matches[0].annotation_index, j.matches[0].table_index), (0, 1));
/// let none = join_to_annotation(&table, [("X", "x")], JoinKey::GeneId);
/// assert!(none.is_err());
/// ```
pub fn join_to_annotation<I, A, B>(
    table_keys: &[String],
    annotation: I,
    key: JoinKey,
) -> Result<Join>
where
    I: IntoIterator<Item = (A, B)>,
    A: AsRef<str>,
    B: AsRef<str>,
{
    let norm = |s: &str| -> String {
        match key {
            JoinKey::GeneId => strip_version(s.trim()).into_owned(),
            JoinKey::GeneName => s.trim().to_owned(),
        }
    };
    // usize::MAX marks an ambiguous key.
    let mut index: HashMap<String, usize> = HashMap::with_capacity(table_keys.len());
    for (i, k) in table_keys.iter().enumerate() {
        index
            .entry(norm(k))
            .and_modify(|v| *v = usize::MAX)
            .or_insert(i);
    }
    let ambiguous_table_keys = index.values().filter(|&&v| v == usize::MAX).count();
    let mut matches = Vec::new();
    let mut seen = vec![false; table_keys.len()];
    let mut n_annot = 0usize;
    let mut annotation_example = String::new();
    for (a, (id, name)) in annotation.into_iter().enumerate() {
        n_annot += 1;
        let k = match key {
            JoinKey::GeneId => id.as_ref(),
            JoinKey::GeneName => name.as_ref(),
        };
        if a == 0 {
            annotation_example = k.to_owned();
        }
        if let Some(&t) = index.get(&norm(k))
            && t != usize::MAX
        {
            seen[t] = true;
            matches.push(JoinedGene {
                annotation_index: a,
                table_index: t,
            });
        }
    }
    let report = JoinReport {
        key,
        table_genes: table_keys.len(),
        annotation_records: n_annot,
        matched_records: matches.len(),
        matched_table_genes: seen.iter().filter(|&&s| s).count(),
        ambiguous_table_keys,
    };
    if matches.is_empty() {
        return Err(LabelsError::JoinNoMatch {
            key: key.to_string(),
            table_genes: report.table_genes,
            annotation_genes: n_annot,
            table_example: table_keys.first().cloned().unwrap_or_default(),
            annotation_example,
        }
        .into());
    }
    Ok(Join { matches, report })
}
