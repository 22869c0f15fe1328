//! The promoter window geometry of the lncRNA tasks, computed by [`WindowSpec::genomic_span`]
//! like every other window of the workspace.

use crate::Result;
use crate::error::DatasetError;
use genome_io::annotation::{Gene, Strand};
use genome_io::fasta::SequenceSource;
use genome_io::windows::{EndPolicy, WindowSpec};

/// Bases downstream of (and including) the TSS in every promoter window.
pub const DOWNSTREAM: u64 = 50;
/// Smallest window length accepted (at least one upstream base).
pub const MIN_LENGTH: u64 = DOWNSTREAM + 1;

/// The [`WindowSpec`] of an `l` bp promoter window: `upstream = l − 50`, `downstream = 49`,
/// windows crossing a chromosome end skipped — what `seq2expr windows --upstream 250
/// --downstream 49` extracts for `l = 300`.
///
/// ```
/// use datasets::dataset::lncrna::promoter_spec;
/// let spec = promoter_spec(300).unwrap();
/// assert_eq!((spec.upstream, spec.downstream, spec.len()), (250, 49, 300));
/// ```
///
/// Errors: `length < 51` ([`DatasetError::WindowTooShort`]).
pub fn promoter_spec(length: u64) -> Result<WindowSpec> {
    if length < MIN_LENGTH {
        return Err(DatasetError::WindowTooShort {
            length,
            min: MIN_LENGTH,
        }
        .into());
    }
    Ok(WindowSpec::new(
        length - DOWNSTREAM,
        DOWNSTREAM - 1,
        EndPolicy::Skip,
    ))
}

/// Extracts the promoter window of `gene` (see the module docs); `None` when out of bounds.
pub(super) fn promoter(
    src: &(impl SequenceSource + ?Sized),
    g: &Gene,
    length: u64,
    buf: &mut Vec<u8>,
) -> Result<Option<(u64, u64)>> {
    let Some(chrom_len) = src.seq_len(&g.chrom) else {
        return Ok(None);
    };
    let (s, e) = promoter_spec(length)?.genomic_span(g.tss0(), g.strand);
    let (Ok(s), Ok(e)) = (u64::try_from(s), u64::try_from(e)) else {
        return Ok(None);
    };
    if e > chrom_len {
        return Ok(None);
    }
    src.fetch_into(&g.chrom, s, e, buf)?;
    if g.strand == Strand::Reverse {
        genome_io::seq::reverse_complement_in_place(buf);
    }
    buf.make_ascii_uppercase();
    Ok(Some((s, e)))
}
