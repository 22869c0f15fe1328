//! Negative sets for promoter classification: shuffled sequences and genomic background windows.
//!
//! * [`shuffle`]: mononucleotide shuffle (Fisher–Yates) and dinucleotide-preserving shuffle
//!   (Altschul–Erickson, via a random Eulerian path), both seeded with `ChaCha8Rng`;
//! * [`background`]: windows of a given length sampled from a [`SequenceSource`] outside
//!   `±N` bp of every annotated TSS, N-free, optionally GC-matched to the positives, without
//!   replacement and seeded, with a per-reason rejection report.
//!
//! [`SequenceSource`]: genome_io::fasta::SequenceSource

pub mod background;
mod gc_match;
pub mod shuffle;

pub use background::{BackgroundConfig, BackgroundWindow, RejectionReport, sample_background};
pub use shuffle::{ShuffleKind, dinucleotide_shuffle, mononucleotide_shuffle, shuffle_all};
