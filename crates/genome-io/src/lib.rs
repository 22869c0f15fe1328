//! # genome-io
//!
//! Genome sequence and annotation access for seq2expr: FASTA (plain, gzip, bgzip with `.fai`/`.gzi`)
//! with random access, GTF/GFF3 gene and transcript models, strand-aware TSSs, promoter windows,
//! expression tables, BED regions, miRNA target matrices, VCF variants and promoter windows with a
//! variant applied. Dataset preparation (synthetic worlds, tasks, negatives, labels, splits,
//! features) lives in the `seq2expr-datasets` crate.
//!
//! ## Coordinates
//! Unless a function says otherwise, positions are **0-based half-open** (`[start, end)`), the
//! convention of BED. GTF/GFF3 and samtools-style regions are **1-based closed**; the
//! [`coords`] module converts between the two in one place.
//!
//! This crate does not depend on burn: it produces bytes, tables and coordinates.

pub mod annotation;
pub mod atomic;
pub mod bed;
pub mod coords;
pub mod error;
pub mod expression;
pub mod fasta;
pub mod gmt;
mod line;
pub mod matrix;
pub mod output;
pub mod seq;
pub mod targetscan;
pub mod tss;
pub mod variants;
pub mod vcf;
pub mod windows;

pub use error::{
    AnnotationError, AnnotationErrorKind, Error, FastaError, Result, TableError, TargetScanError,
    VcfError, VcfErrorKind, WindowsError,
};
