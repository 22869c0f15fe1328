//! Argument types shared by several subcommands.

use clap::ValueEnum;
use genome_io::tss::TssPolicy;

/// Which transcripts of each gene give windows.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Transcripts {
    /// Every transcript.
    All,
    /// Ensembl_canonical / MANE_Select, else longest CDS.
    Canonical,
    /// Longest CDS (Xpresso's tie-breaks: longer 5' UTR, then 3' UTR).
    LongestCds,
    /// One window per gene at the gene start.
    Gene,
}

impl Transcripts {
    /// The genome-io TSS policy.
    pub fn policy(self) -> TssPolicy {
        match self {
            Transcripts::All => TssPolicy::All,
            Transcripts::Canonical => TssPolicy::Canonical,
            Transcripts::LongestCds => TssPolicy::LongestCds,
            Transcripts::Gene => TssPolicy::GeneStart,
        }
    }
}
