//! Assembles genes and transcripts from feature lines in any order (shared by GTF and GFF3).

use std::path::PathBuf;

use foldhash::{HashMap, HashMapExt};

use super::Detail;
use super::model::{Annotation, Gene, Interval, Strand, Transcript};
use crate::{AnnotationError, AnnotationErrorKind, Error, Result};

/// Feature types the model keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Exon,
    Cds,
    FivePrimeUtr,
    ThreePrimeUtr,
    Utr,
    StartCodon,
    StopCodon,
}

/// Gene-level facts carried by a line.
#[derive(Debug, Clone, Default)]
pub(crate) struct GeneInfo {
    pub id: String,
    pub name: Option<String>,
    pub biotype: Option<String>,
}

/// Transcript-level facts carried by a line.
#[derive(Debug, Clone, Default)]
pub(crate) struct TxInfo {
    pub id: String,
    pub name: Option<String>,
    pub biotype: Option<String>,
    pub tags: Vec<String>,
    pub support_level: Option<String>,
}

/// Where a line sits and what it spans.
#[derive(Debug, Clone)]
pub(crate) struct Loc<'a> {
    pub line: u64,
    pub chrom: &'a str,
    pub strand: Strand,
    pub iv: Interval,
}

pub(crate) struct Builder {
    path: PathBuf,
    detail: Detail,
    genes: Vec<Gene>,
    gene_idx: HashMap<String, usize>,
    tx_idx: HashMap<String, (usize, usize)>,
}

impl Builder {
    pub fn new(path: PathBuf, detail: Detail) -> Self {
        Builder {
            path,
            detail,
            genes: Vec::new(),
            gene_idx: HashMap::new(),
            tx_idx: HashMap::new(),
        }
    }

    pub fn err(&self, line: u64, kind: AnnotationErrorKind) -> Error {
        Error::Annotation(AnnotationError::Record {
            path: self.path.clone(),
            line,
            kind,
        })
    }

    /// The error for line `line`, which gives transcript `tx_id` the gene `now` after `before`.
    pub fn other_gene(&self, line: u64, tx_id: &str, before: &str, now: &str) -> Error {
        self.err(
            line,
            AnnotationErrorKind::Inconsistent(format!(
                "transcript {tx_id:?} was given gene {before:?} before, now {now:?}"
            )),
        )
    }

    /// An error unless `loc` is on `chrom`/`strand` (the place of `what`, named lazily).
    fn check_place(
        &self,
        loc: &Loc,
        what: impl FnOnce() -> String,
        chrom: &str,
        strand: Strand,
    ) -> Result<()> {
        if chrom != loc.chrom || strand != loc.strand {
            return Err(self.err(
                loc.line,
                AnnotationErrorKind::Inconsistent(format!(
                    "record on {}({}) but {} is on {chrom}({})",
                    loc.chrom,
                    loc.strand.as_char(),
                    what(),
                    strand.as_char()
                )),
            ));
        }
        Ok(())
    }

    /// Declares (or completes) a gene. `explicit` marks a `gene` line whose span is authoritative.
    pub fn gene(&mut self, g: &GeneInfo, loc: &Loc, explicit: bool) -> Result<usize> {
        if let Some(&i) = self.gene_idx.get(&g.id) {
            let gene = &self.genes[i];
            self.check_place(loc, || format!("gene {:?}", g.id), &gene.chrom, gene.strand)?;
            let gene = &mut self.genes[i];
            if gene.name.is_none() {
                gene.name.clone_from(&g.name);
            }
            if gene.biotype.is_none() {
                gene.biotype.clone_from(&g.biotype);
            }
            if explicit {
                gene.span = loc.iv;
                gene.explicit = true;
            }
            return Ok(i);
        }
        self.genes.push(Gene {
            id: g.id.clone(),
            name: g.name.clone(),
            chrom: loc.chrom.to_string(),
            strand: loc.strand,
            span: loc.iv,
            biotype: g.biotype.clone(),
            explicit,
            transcripts: Vec::new(),
        });
        self.gene_idx.insert(g.id.clone(), self.genes.len() - 1);
        Ok(self.genes.len() - 1)
    }

    /// Declares (or completes) a transcript of gene `g`.
    pub fn transcript(
        &mut self,
        g: &GeneInfo,
        t: &TxInfo,
        loc: &Loc,
        explicit: bool,
    ) -> Result<()> {
        if let Some(&(gi, ti)) = self.tx_idx.get(&t.id) {
            if self.genes[gi].id != g.id {
                return Err(self.other_gene(loc.line, &t.id, &self.genes[gi].id, &g.id));
            }
            let tx = &self.genes[gi].transcripts[ti];
            self.check_place(
                loc,
                || format!("transcript {:?}", t.id),
                &tx.chrom,
                tx.strand,
            )?;
            let tx = &mut self.genes[gi].transcripts[ti];
            if explicit {
                tx.span = loc.iv;
                tx.explicit = true;
            }
            fill(&mut tx.name, &t.name);
            fill(&mut tx.biotype, &t.biotype);
            fill(&mut tx.support_level, &t.support_level);
            if tx.tags.is_empty() {
                tx.tags.clone_from(&t.tags);
            }
            return Ok(());
        }
        let gi = self.gene(g, loc, false)?;
        let mut tx = Transcript::new(&t.id, &g.id, loc.chrom, loc.strand, loc.iv);
        tx.name.clone_from(&t.name);
        tx.biotype.clone_from(&t.biotype);
        tx.tags.clone_from(&t.tags);
        tx.support_level.clone_from(&t.support_level);
        tx.explicit = explicit;
        self.genes[gi].transcripts.push(tx);
        self.tx_idx
            .insert(t.id.clone(), (gi, self.genes[gi].transcripts.len() - 1));
        Ok(())
    }

    /// The gene id of a known transcript.
    pub fn gene_of(&self, tx_id: &str) -> Option<&str> {
        self.tx_idx
            .get(tx_id)
            .map(|&(gi, _)| self.genes[gi].id.as_str())
    }

    /// Adds a feature to a known transcript; errors when the transcript is unknown.
    pub fn feature(&mut self, tx_id: &str, feature: &str, kind: Kind, loc: &Loc) -> Result<()> {
        let Some(&(gi, ti)) = self.tx_idx.get(tx_id) else {
            return Err(self.err(
                loc.line,
                AnnotationErrorKind::UnknownTranscript {
                    feature: feature.to_string(),
                    transcript: tx_id.to_string(),
                },
            ));
        };
        let tx = &self.genes[gi].transcripts[ti];
        self.check_place(
            loc,
            || format!("transcript {tx_id:?}"),
            &tx.chrom,
            tx.strand,
        )?;
        let tx = &mut self.genes[gi].transcripts[ti];
        // Without a `transcript` line the span is the union of the features (the first of which
        // created the transcript with its own interval).
        if !tx.explicit {
            tx.span = union(tx.span, loc.iv);
        }
        if self.detail == Detail::Spans {
            return Ok(());
        }
        let list = match kind {
            Kind::Exon => &mut tx.exons,
            Kind::Cds => &mut tx.cds,
            Kind::FivePrimeUtr => &mut tx.five_prime_utr,
            Kind::ThreePrimeUtr => &mut tx.three_prime_utr,
            Kind::Utr => &mut tx.unclassified_utr,
            Kind::StartCodon => &mut tx.start_codons,
            Kind::StopCodon => &mut tx.stop_codons,
        };
        list.push(loc.iv);
        Ok(())
    }

    /// Sorts features, derives implicit spans and classifies GENCODE `UTR` segments.
    pub fn finish(mut self) -> Result<Annotation> {
        for gene in &mut self.genes {
            for tx in &mut gene.transcripts {
                finish_transcript(tx);
            }
            if !gene.explicit {
                let mut spans = gene.transcripts.iter().map(|t| t.span);
                if let Some(first) = spans.next() {
                    gene.span = spans.fold(first, union);
                }
            }
        }
        Ok(Annotation { genes: self.genes })
    }
}

fn fill(dst: &mut Option<String>, src: &Option<String>) {
    if dst.is_none() {
        dst.clone_from(src);
    }
}

fn union(a: Interval, b: Interval) -> Interval {
    Interval {
        start: a.start.min(b.start),
        end: a.end.max(b.end),
    }
}

fn finish_transcript(tx: &mut Transcript) {
    for list in [
        &mut tx.exons,
        &mut tx.cds,
        &mut tx.five_prime_utr,
        &mut tx.three_prime_utr,
        &mut tx.unclassified_utr,
        &mut tx.start_codons,
        &mut tx.stop_codons,
    ] {
        list.sort_unstable();
    }
    classify_utrs(tx);
}

/// GENCODE writes `UTR` for both ends: a segment before the CDS in genomic order is 5' on `+` and
/// 3' on `-`, and vice versa. Without a CDS the segments stay unclassified.
fn classify_utrs(tx: &mut Transcript) {
    let (Some(first), Some(last)) = (tx.cds.first(), tx.cds.last()) else {
        return;
    };
    let (cds_start, cds_end) = (first.start, last.end);
    let mut keep = Vec::new();
    for u in std::mem::take(&mut tx.unclassified_utr) {
        let mid2 = u.start + u.end; // twice the midpoint, compared with twice the CDS bounds
        let before = u.end <= cds_start || (u.start < cds_start && mid2 < cds_start + cds_end);
        let after = u.start >= cds_end || (u.end > cds_end && mid2 >= cds_start + cds_end);
        let five = match (before, after, tx.strand) {
            (true, _, Strand::Forward) | (_, true, Strand::Reverse) => Some(true),
            (true, _, Strand::Reverse) | (_, true, Strand::Forward) => Some(false),
            _ => None,
        };
        match five {
            Some(true) => tx.five_prime_utr.push(u),
            Some(false) => tx.three_prime_utr.push(u),
            None => keep.push(u),
        }
    }
    tx.unclassified_utr = keep;
    tx.five_prime_utr.sort_unstable();
    tx.three_prime_utr.sort_unstable();
}
