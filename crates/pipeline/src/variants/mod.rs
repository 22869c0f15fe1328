//! Variant effects: what `seq2expr variants` does.
//!
//! A VCF (plain, gzip or bgzip) is streamed record by record (multi-allelic records split into
//! one allele each; symbolic, breakend, `*` and missing alleles counted and skipped). A variant
//! affects a transcript when its REF span overlaps the transcript's TSS window — the window
//! `seq2expr windows` extracts with the same `--upstream/--downstream/--transcripts`. The
//! reference sequence is that window; the alternative is the same genomic interval with the
//! allele applied, oriented like the reference (reverse-complemented on `−`), so an indel
//! changes its length by `len(ALT) − len(REF)` ([`genome_io::variants`]). With a fixed-length
//! rule it is trimmed or padded with `N` instead: `at-end` at the 3′ end of the oriented
//! sequence (away from the TSS for variants upstream of it), `keep-tss` on the variant's side
//! of the TSS so the TSS keeps its index. Models of fixed input length (one-hot models) get
//! `at-end` unless `keep-tss` is asked.
//!
//! REF is checked against the genome (case-insensitive): a mismatch, a REF past the
//! chromosome end or a chromosome absent from the FASTA is listed in `*.skipped.tsv`, not
//! scored. Each variant is applied alone to the reference (overlapping variants are scored
//! independently).
//!
//! `effects.tsv`, one row per variant × transcript: `variant` (`CHROM:POS:REF:ALT`, VCF's
//! 1-based POS), `chrom, pos, ref, alt, transcript_id, gene_id, gene_name, strand`,
//! `tss_distance` (variant start relative to the TSS on the transcript's strand; negative =
//! upstream), `partial` (REF crosses the window edge), `length_change`, `ref_score`,
//! `alt_score`, `diff = alt − ref`, `log2_ratio = log2(alt / ref)` (`NA` unless both are
//! positive). With reverse-complement averaging each score is the mean of the window's and its
//! reverse complement's. `*.genes.tsv`: per gene the variant with the largest `|diff|`.

mod run;
mod stream;

pub use run::{VariantOutputs, VariantSettings, score_variants};
