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

/// What to do at chromosome ends.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Ends {
    /// Drop windows that cross a chromosome end (as bedtools does), and report how many.
    Skip,
    /// Cut them at the end, and report how many.
    Clip,
    /// Cut them and pad with N to full length.
    Pad,
}

impl Ends {
    /// The genome-io end policy.
    pub fn policy(self) -> genome_io::windows::EndPolicy {
        use genome_io::windows::EndPolicy;
        match self {
            Ends::Skip => EndPolicy::Skip,
            Ends::Clip => EndPolicy::Clip,
            Ends::Pad => EndPolicy::Pad,
        }
    }
}
