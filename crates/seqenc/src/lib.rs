//! # seqenc
//!
//! Turns DNA sequences and expression values into model inputs: one-hot matrices, DNABERT
//! overlapping k-mers, Nucleotide Transformer 6-mers, BPE (HF `tokenizer.json`), single-nucleotide
//! tokens, k-mer counts and TF-IDF n-grams, and GeneRAIN expression binning. Every token carries the
//! 0-based half-open nucleotide span it covers.
//!
//! This crate depends neither on burn nor on genome-io.

pub mod binning;
pub mod error;
pub mod kmer;
pub mod onehot;
pub mod sparse;
pub mod tfidf;
pub mod tokenizer;
mod util;

pub use error::{Error, Result};
