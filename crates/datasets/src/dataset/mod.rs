//! Labelled sequence datasets: the DNABERT / GUE file layouts and the lncRNA-study task builders.
//!
//! * [`files`]: GUE CSV (`sequence,label`) and DNABERT k-mer TSV (`sequence<TAB>label`, the
//!   sequence written as space-separated overlapping k-mers) readers and atomic writers;
//! * [`lncrna`]: the four tasks of the lncRNA promoter study from FASTA + GTF (+ expression).

pub mod files;
pub mod lncrna;

pub use files::{
    Example, read_csv, read_dataset_file, read_kmer_tsv, write_csv, write_csv_file, write_kmer_tsv,
    write_kmer_tsv_file,
};
