//! Labelled sequence datasets: the DNABERT / GUE file layouts and the lncRNA-study task builders.
//!
//! * [`files`]: GUE CSV (`sequence,label`) and DNABERT k-mer TSV (`sequence<TAB>label`, the
//!   sequence written as space-separated overlapping k-mers) readers and atomic writers.

pub mod files;

pub use files::{
    Example, read_csv, read_dataset_file, read_kmer_tsv, write_csv, write_csv_file, write_kmer_tsv,
    write_kmer_tsv_file,
};
