//! GTF lines parsed apart from the [`Builder`]: a block of lines becomes [`Event`]s on any
//! thread, and the events are applied to the builder in file order.
//!
//! Everything that depends on one line alone (columns, coordinates, strand, attributes, the
//! required ids) is checked while parsing; what depends on earlier lines (a transcript's gene,
//! chromosome and strand) is checked when the event is applied. So the first error in file order
//! is the one reported, with its line, as when the file is read line by line.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;

use noodles::gtf;

use super::builder::{Builder, GeneInfo, Kind, Loc, TxInfo};
use super::gtf::{check_interval, check_strand, n_columns};
use super::gtf_attrs::AttrIndex;
use super::lines::LineCounter;
use super::model::{Interval, Strand};
use crate::error::AnnotationErrorKind as K;
use crate::{Error, Result};

/// One kept line, parsed. `line` is 1-based within its block; names are indices into the
/// block's [`Parsed::names`].
pub(super) struct Event {
    line: u64,
    chrom: u32,
    strand: Strand,
    iv: Interval,
    what: What,
}

enum What {
    /// A `gene` line.
    Gene(GeneInfo),
    /// A `transcript` line.
    Transcript(GeneInfo, TxInfo),
    /// A feature line (exon, CDS, UTR, codon).
    Feature {
        /// The feature type as written.
        ty: &'static str,
        kind: Kind,
        tx_id: u32,
        gene_id: Option<u32>,
        /// The gene's and transcript's facts, which declare the transcript if it is new. Only
        /// on a line whose transcript differs from the previous line's in the block (or in the
        /// stream, line by line): a later line of the same run finds the transcript declared,
        /// or the run stopped at an error.
        new: Option<Box<(GeneInfo, TxInfo)>>,
    },
}

/// Why a block's parsing stopped before its end.
enum Failure {
    /// Line (1-based within the block) and what was wrong with it.
    Line(u64, K),
    Io(std::io::Error),
}

/// A block's lines, parsed up to the first malformed one.
pub(super) struct Parsed {
    events: Vec<Event>,
    /// The chromosome names and ids of the events, each stored once per run of lines that
    /// repeat it (GTF lines come grouped by chromosome and transcript).
    names: Vec<Box<str>>,
    failure: Option<Failure>,
    /// Newlines in the block.
    lines: u64,
}

/// Parses a block of whole lines.
pub(super) fn parse_block(bytes: &[u8]) -> Parsed {
    let mut names = Vec::new();
    // About one event per 100 bytes (GENCODE lines run 150–300), so that the vector is rarely
    // grown and copied.
    let mut events = Vec::with_capacity(bytes.len() / 100 + 1);
    let Ok((failure, lines)) = scan(bytes, &mut names, |ev, _| {
        events.push(ev);
        Ok::<(), std::convert::Infallible>(())
    });
    Parsed {
        events,
        names,
        failure,
        lines,
    }
}

/// Applies a block's events to `b`, its lines numbered after the `offset` lines before it, and
/// then reports the block's parse failure if it had one; adds the block's lines to `offset`.
pub(super) fn apply_block(
    b: &mut Builder,
    parsed: Parsed,
    offset: &mut u64,
    path: &Path,
) -> Result<()> {
    for ev in &parsed.events {
        apply(b, ev, &parsed.names, *offset + ev.line)?;
    }
    if let Some(failure) = parsed.failure {
        return Err(error(b, failure, *offset, path));
    }
    *offset += parsed.lines;
    Ok(())
}

/// Parses `reader` line by line and applies each event at once (one thread, no blocks).
pub(super) fn apply_stream<R: BufRead>(reader: R, b: &mut Builder, path: &Path) -> Result<()> {
    let mut names = Vec::new();
    let (failure, _) = scan(reader, &mut names, |ev, names| {
        apply(b, &ev, names, ev.line)
    })?;
    match failure {
        Some(failure) => Err(error(b, failure, 0, path)),
        None => Ok(()),
    }
}

/// Hands every kept line of `reader`, parsed, to `on` with the names so far, up to the first
/// malformed line; returns that line's failure, if any, and the newlines read. An error of `on`
/// stops the scan and is returned.
fn scan<R: BufRead, E>(
    reader: R,
    names: &mut Vec<Box<str>>,
    mut on: impl FnMut(Event, &[Box<str>]) -> std::result::Result<(), E>,
) -> std::result::Result<(Option<Failure>, u64), E> {
    let mut rdr = gtf::io::Reader::new(LineCounter::new(reader));
    let mut line = gtf::Line::default();
    let mut attrs = AttrIndex::default();
    let mut recent = Recent::default();
    let failure = loop {
        match rdr.read_line(&mut line) {
            Ok(0) => break None,
            Ok(_) => {}
            Err(e) => break Some(Failure::Io(e)),
        }
        let lineno = rdr.get_ref().current_line();
        match parse_line(&line, lineno, &mut attrs, &mut recent, names) {
            Ok(Some(ev)) => on(ev, names)?,
            Ok(None) => {}
            Err(kind) => break Some(Failure::Line(lineno, kind)),
        }
    };
    Ok((failure, rdr.get_ref().newlines()))
}

/// The error of a parse failure in a block after `offset` lines.
fn error(b: &Builder, failure: Failure, offset: u64, path: &Path) -> Error {
    match failure {
        Failure::Line(line, kind) => b.err(offset + line, kind),
        Failure::Io(e) => Error::io(path, e),
    }
}

fn apply(b: &mut Builder, ev: &Event, names: &[Box<str>], line: u64) -> Result<()> {
    let name = |i: u32| &*names[i as usize];
    let loc = Loc {
        line,
        chrom: name(ev.chrom),
        strand: ev.strand,
        iv: ev.iv,
    };
    match &ev.what {
        What::Gene(g) => b.gene(g, &loc, true).map(|_| ()),
        What::Transcript(g, t) => b.transcript(g, t, &loc, true),
        What::Feature {
            ty,
            kind,
            tx_id,
            gene_id,
            new,
        } => {
            let tx_id = name(*tx_id);
            if let Some(gid) = gene_id.map(name) {
                match b.gene_of(tx_id) {
                    // Without `new` the transcript stays unknown and `feature` says so.
                    None => {
                        if let Some(new) = new {
                            b.transcript(&new.0, &new.1, &loc, false)?;
                        }
                    }
                    Some(known) if known != gid => {
                        return Err(b.other_gene(line, tx_id, known, gid));
                    }
                    Some(_) => {}
                }
            }
            b.feature(tx_id, ty, *kind, &loc)
        }
    }
}

/// The kept feature types, as written, with their kind (`None` for `gene` and `transcript`).
fn kind_of(ty: &[u8]) -> Option<(&'static str, Option<Kind>)> {
    Some(match ty {
        b"gene" => ("gene", None),
        b"transcript" => ("transcript", None),
        b"exon" => ("exon", Some(Kind::Exon)),
        b"CDS" => ("CDS", Some(Kind::Cds)),
        b"UTR" => ("UTR", Some(Kind::Utr)),
        b"five_prime_utr" => ("five_prime_utr", Some(Kind::FivePrimeUtr)),
        b"5UTR" => ("5UTR", Some(Kind::FivePrimeUtr)),
        b"five_prime_UTR" => ("five_prime_UTR", Some(Kind::FivePrimeUtr)),
        b"three_prime_utr" => ("three_prime_utr", Some(Kind::ThreePrimeUtr)),
        b"3UTR" => ("3UTR", Some(Kind::ThreePrimeUtr)),
        b"three_prime_UTR" => ("three_prime_UTR", Some(Kind::ThreePrimeUtr)),
        b"start_codon" => ("start_codon", Some(Kind::StartCodon)),
        b"stop_codon" => ("stop_codon", Some(Kind::StopCodon)),
        _ => return None,
    })
}

/// The ninth column (everything after the eighth tab).
fn attribute_column(raw: &[u8]) -> &[u8] {
    let mut rest = raw;
    for _ in 0..8 {
        match memchr::memchr(b'\t', rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return &[],
        }
    }
    rest
}

/// Where the previous line's chromosome, transcript and gene ids are in the block's names.
#[derive(Default)]
struct Recent {
    chrom: Option<u32>,
    tx: Option<u32>,
    gene: Option<u32>,
}

/// The index of `s` in `names`: `slot`'s when it names `s`, else a new entry (then `true`),
/// which `slot` is set to.
fn share(names: &mut Vec<Box<str>>, slot: &mut Option<u32>, s: &str) -> (u32, bool) {
    match *slot {
        Some(i) if *names[i as usize] == *s => (i, false),
        _ => {
            let i = names.len() as u32;
            names.push(s.into());
            *slot = Some(i);
            (i, true)
        }
    }
}

/// One line → its event (`None` for blank, comment and ignored lines), or what is wrong with it.
fn parse_line(
    line: &gtf::Line,
    lineno: u64,
    attrs: &mut AttrIndex,
    recent: &mut Recent,
    names: &mut Vec<Box<str>>,
) -> std::result::Result<Option<Event>, K> {
    let raw: &[u8] = line.as_ref();
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let Some(rec) = line.as_record() else {
        return Ok(None);
    };
    let rec = rec.map_err(|_| K::TooFewColumns {
        found: n_columns(raw),
    })?;
    let iv = check_interval(raw, rec.start(), rec.end())?;
    let Some((ty, kind)) = kind_of(rec.ty().as_ref()) else {
        return Ok(None);
    };
    let strand = check_strand(raw, rec.strand())?;
    let col = attribute_column(raw);
    attrs
        .index(col)
        .map_err(|e| K::BadAttributes(e.to_string()))?;
    let first = |key: &[u8]| attrs.first(col, key);
    let owned = |key: &[u8]| first(key).map(Cow::into_owned);
    let gene = |id: &str| GeneInfo {
        id: id.to_string(),
        name: owned(b"gene_name"),
        biotype: owned(b"gene_type").or_else(|| owned(b"gene_biotype")),
    };
    let tx = |id: &str| TxInfo {
        id: id.to_string(),
        name: owned(b"transcript_name"),
        biotype: owned(b"transcript_type").or_else(|| owned(b"transcript_biotype")),
        tags: attrs.values(col, b"tag").map(Cow::into_owned).collect(),
        support_level: owned(b"transcript_support_level"),
    };
    let (chrom, _) = share(
        names,
        &mut recent.chrom,
        &String::from_utf8_lossy(rec.reference_sequence_name().as_ref()),
    );
    let gene_id = first(b"gene_id");
    let what = if ty == "gene" {
        What::Gene(gene(&gene_id.ok_or(K::MissingAttribute("gene_id"))?))
    } else {
        let tx_id = first(b"transcript_id").ok_or(K::MissingAttribute("transcript_id"))?;
        let (tx_index, fresh) = share(names, &mut recent.tx, &tx_id);
        match kind {
            None => {
                let gid = gene_id.ok_or(K::MissingAttribute("gene_id"))?;
                What::Transcript(gene(&gid), tx(&tx_id))
            }
            Some(kind) => What::Feature {
                ty,
                kind,
                new: gene_id
                    .as_deref()
                    .filter(|_| fresh)
                    .map(|gid| Box::new((gene(gid), tx(&tx_id)))),
                gene_id: gene_id
                    .as_deref()
                    .map(|gid| share(names, &mut recent.gene, gid).0),
                tx_id: tx_index,
            },
        }
    };
    Ok(Some(Event {
        line: lineno,
        chrom,
        strand,
        iv,
        what,
    }))
}
