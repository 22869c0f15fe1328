//! miRNA target tables from TargetScan and miREx's per-gene miRNA feature vector.
//!
//! - [`read_targetscan`] reads the context++ scores layout (`Predicted_Targets_Context_Scores.*`,
//!   one row per site, and the pipeline's `Targets.BL_PCT.context_scores.txt`) or the
//!   `Summary_Counts.*` layout (one row per transcript × miRNA family), plain or gzip
//!   ([`open_targetscan`]), and sums the weighted context++ scores per (gene, miRNA) into a sparse
//!   [`TargetMatrix`].
//! - miRNA names are normalised as miREx does ([`normalize_mirna_name`]).
//! - miREx's per-gene vector `x_i = w(gene, miRNA_i) × expression(miRNA_i)` is built from a
//!   [`TargetMatrix`] by `datasets::mirex` (crate `seq2expr-datasets`).
//!
//! Weighted context++ scores are ≤ 0 (more negative = stronger predicted repression); they are
//! used with their sign, as miREx did.

mod matrix;
mod reader;

pub use matrix::{TargetEntry, TargetMatrix};
pub use reader::{
    TargetScanLayout, TargetScanOptions, TargetScanStats, open_targetscan, read_targetscan,
};

/// Normalises a miRNA name the way miREx did before matching TargetScan to TCGA miRNA ids:
/// lower-case, `.` → `-`, then every occurrence of `-3p` and of `-5p` removed (miREx used
/// Python's `str.replace`, which removes the text anywhere, not only at the end; no miRBase name
/// has it elsewhere). Surrounding white space is trimmed. The two arms of one precursor thus get
/// the same name.
///
/// ```
/// use genome_io::targetscan::normalize_mirna_name;
/// assert_eq!(normalize_mirna_name("hsa-miR-21-5p"), "hsa-mir-21");
/// assert_eq!(normalize_mirna_name("hsa-let-7a-3p"), "hsa-let-7a");
/// assert_eq!(normalize_mirna_name("mmu-miR-1a-1-5p"), "mmu-mir-1a-1");
/// assert_eq!(normalize_mirna_name("hsa-miR-4521"), "hsa-mir-4521");
/// assert_eq!(normalize_mirna_name("hsa-miR-1.2"), "hsa-mir-1-2");
/// ```
pub fn normalize_mirna_name(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .replace('.', "-")
        .replace("-3p", "")
        .replace("-5p", "")
}
