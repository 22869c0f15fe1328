//! GFF3 (Ensembl / GENCODE flavours) → [`Annotation`], on top of noodles-gff.
//!
//! Coordinates in the file are 1-based closed; the model stores 0-based half-open intervals.
//! Genes are `gene`, `ncRNA_gene` and `pseudogene` lines; a transcript is any other line with an
//! `ID` whose `Parent` is a gene (`mRNA`, `transcript`, `lnc_RNA`, `miRNA`, ...); `exon`, `CDS`,
//! `five_prime_UTR`, `three_prime_UTR`, `UTR`, `start_codon` and `stop_codon` attach to every
//! transcript listed in their `Parent`. Lines may come in any order (the file is read once and
//! assembled afterwards). Ids: `gene_id` / `transcript_id` attributes when present, else `ID`
//! without its `gene:` / `transcript:` prefix. Reading stops at a `##FASTA` directive.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use noodles::gff;

use super::Detail;
use super::builder::{Builder, GeneInfo, Kind, Loc, TxInfo};
use super::gtf::{column, interval, n_columns, strand};
use super::lines::LineCounter;
use super::model::{Annotation, Strand};
use crate::error::AnnotationErrorKind as K;
use crate::{Error, Result};

struct Rec {
    line: u64,
    ty: String,
    chrom: String,
    /// The strand, or the raw strand column when it is not `+`/`-`.
    strand: std::result::Result<Strand, String>,
    iv: super::model::Interval,
    attrs: HashMap<String, Vec<String>>,
}

impl Rec {
    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|k| self.attrs.get(*k).and_then(|v| v.first().cloned()))
    }
    fn all(&self, key: &str) -> Vec<String> {
        self.attrs.get(key).cloned().unwrap_or_default()
    }
    fn loc(&self, b: &Builder) -> Result<Loc<'_>> {
        let strand = match &self.strand {
            Ok(s) => *s,
            Err(raw) => return Err(b.err(self.line, K::BadStrand(raw.clone()))),
        };
        Ok(Loc {
            line: self.line,
            chrom: &self.chrom,
            strand,
            iv: self.iv,
        })
    }
}

fn child_kind(ty: &str) -> Option<Kind> {
    Some(match ty {
        "exon" => Kind::Exon,
        "CDS" => Kind::Cds,
        "UTR" => Kind::Utr,
        "five_prime_UTR" | "five_prime_utr" => Kind::FivePrimeUtr,
        "three_prime_UTR" | "three_prime_utr" => Kind::ThreePrimeUtr,
        "start_codon" => Kind::StartCodon,
        "stop_codon" => Kind::StopCodon,
        _ => return None,
    })
}

fn is_gene(ty: &str) -> bool {
    matches!(ty, "gene" | "ncRNA_gene" | "pseudogene")
}

fn strip(id: &str, prefix: &str) -> String {
    id.strip_prefix(prefix).unwrap_or(id).to_string()
}

/// Reads a GFF3 stream. `path` only labels errors.
///
/// ```
/// use genome_io::annotation::{read_gff3, Interval};
/// let gff = "##gff-version 3\n\
/// 9\tensembl\tgene\t100\t500\t.\t+\t.\tID=gene:G1;Name=ABC;biotype=protein_coding\n\
/// 9\tensembl\tmRNA\t100\t500\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;tag=basic,Ensembl_canonical\n\
/// 9\tensembl\texon\t100\t200\t.\t+\t.\tParent=transcript:T1\n";
/// let ann = read_gff3(gff.as_bytes(), std::path::Path::new("<memory>")).unwrap();
/// let (g, t) = ann.transcript("T1").unwrap();
/// assert_eq!((g.id.as_str(), g.name.as_deref()), ("G1", Some("ABC")));
/// assert!(t.is_canonical());
/// assert_eq!(t.exons, vec![Interval { start: 99, end: 200 }]);
/// ```
pub fn read_gff3<R: BufRead>(reader: R, path: &Path) -> Result<Annotation> {
    read_gff3_with(reader, path, Detail::Full)
}

/// [`read_gff3`] keeping only what `detail` asks for (see [`Detail`]).
///
/// ```
/// use genome_io::annotation::{read_gff3_with, Detail};
/// let gff = "##gff-version 3\n\
/// 9\tensembl\tgene\t100\t500\t.\t-\t.\tID=gene:G1\n\
/// 9\tensembl\tmRNA\t100\t500\t.\t-\t.\tID=transcript:T1;Parent=gene:G1\n\
/// 9\tensembl\texon\t100\t200\t.\t-\t.\tParent=transcript:T1\n";
/// let ann = read_gff3_with(gff.as_bytes(), std::path::Path::new("<memory>"), Detail::Spans).unwrap();
/// let (_, t) = ann.transcript("T1").unwrap();
/// assert!(t.exons.is_empty());
/// assert_eq!(t.tss0() + 1, 500);
/// ```
pub fn read_gff3_with<R: BufRead>(reader: R, path: &Path, detail: Detail) -> Result<Annotation> {
    let mut rdr = gff::io::Reader::new(LineCounter::new(reader));
    let mut line = gff::Line::default();
    let b = Builder::new(path.to_path_buf(), detail);
    let mut recs = Vec::new();
    loop {
        let n = rdr.read_line(&mut line).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        let lineno = rdr.get_ref().current_line();
        let raw: &[u8] = line.as_ref();
        if raw.starts_with(b"##FASTA") {
            break;
        }
        let Some(rec) = line.as_record() else {
            continue;
        };
        let rec = rec.map_err(|_| {
            b.err(
                lineno,
                K::TooFewColumns {
                    found: n_columns(raw),
                },
            )
        })?;
        let iv = interval(&b, lineno, raw, rec.start(), rec.end())?;
        let mut attrs: HashMap<String, Vec<String>> = HashMap::new();
        for kv in rec.attributes().iter() {
            let (k, v) = kv.map_err(|e| b.err(lineno, K::BadAttributes(e.to_string())))?;
            let vals: Vec<String> = match v {
                gff::record::attributes::field::Value::String(s) => vec![lossy(s.as_ref())],
                gff::record::attributes::field::Value::Array(a) => {
                    a.iter().map(|s| lossy(s.as_ref())).collect()
                }
            };
            attrs.entry(lossy(k.as_ref())).or_default().extend(vals);
        }
        recs.push(Rec {
            line: lineno,
            ty: lossy(rec.ty().as_ref()),
            chrom: lossy(rec.reference_sequence_name().as_ref()),
            strand: strand(&b, lineno, raw, rec.strand()).map_err(|_| column(raw, 6)),
            iv,
            attrs,
        });
    }
    assemble(b, recs)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn assemble(mut b: Builder, recs: Vec<Rec>) -> Result<Annotation> {
    // Pass 1: genes.
    let mut genes: HashMap<String, GeneInfo> = HashMap::new();
    for r in recs.iter().filter(|r| is_gene(&r.ty)) {
        let id = r
            .first(&["ID"])
            .ok_or_else(|| b.err(r.line, K::MissingAttribute("ID")))?;
        let g = GeneInfo {
            id: r.first(&["gene_id"]).unwrap_or_else(|| strip(&id, "gene:")),
            name: r.first(&["gene_name", "Name"]),
            biotype: r.first(&["gene_type", "gene_biotype", "biotype"]),
        };
        let loc = r.loc(&b)?;
        b.gene(&g, &loc, true)?;
        genes.insert(id, g);
    }
    // Pass 2: transcripts (children of genes).
    let mut txs: HashMap<String, String> = HashMap::new();
    for r in recs
        .iter()
        .filter(|r| !is_gene(&r.ty) && child_kind(&r.ty).is_none())
    {
        let (Some(id), Some(parent)) = (r.first(&["ID"]), r.first(&["Parent"])) else {
            continue;
        };
        let Some(g) = genes.get(&parent) else {
            continue;
        };
        let t = TxInfo {
            id: r
                .first(&["transcript_id"])
                .unwrap_or_else(|| strip(&id, "transcript:")),
            name: r.first(&["transcript_name", "Name"]),
            biotype: r.first(&["transcript_type", "transcript_biotype", "biotype"]),
            tags: r.all("tag"),
            support_level: r.first(&["transcript_support_level"]),
        };
        let loc = r.loc(&b)?;
        b.transcript(g, &t, &loc, true)?;
        txs.insert(id, t.id);
    }
    // Pass 3: features.
    for r in &recs {
        let Some(kind) = child_kind(&r.ty) else {
            continue;
        };
        let parents = r.all("Parent");
        if parents.is_empty() {
            return Err(b.err(r.line, K::MissingAttribute("Parent")));
        }
        let loc = r.loc(&b)?;
        for p in parents {
            match txs.get(&p) {
                Some(tx) => b.feature(tx, &r.ty, kind, &loc)?,
                None => {
                    let kind = K::UnknownTranscript {
                        feature: r.ty.clone(),
                        transcript: p,
                    };
                    return Err(b.err(r.line, kind));
                }
            }
        }
    }
    b.finish()
}
