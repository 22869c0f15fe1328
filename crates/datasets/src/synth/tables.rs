//! Plain-text writers of the synthetic world: FASTA + `.fai`, `expression.tsv`, `truth.tsv`.

use std::io::{self, Write};

use super::expression::promoter_score;
use super::model::{ElementKind, SynthGene};

/// Bases per FASTA line.
pub const LINE_WIDTH: usize = 60;

/// One `.fai` line (samtools layout).
pub(crate) struct FaiEntry {
    name: String,
    len: u64,
    offset: u64,
}

/// Writes one FASTA record at byte `offset` of the file; returns its index entry and advances
/// `offset` past it.
pub(crate) fn write_fasta_record(
    w: &mut dyn Write,
    name: &str,
    seq: &[u8],
    offset: &mut u64,
) -> io::Result<FaiEntry> {
    writeln!(w, ">{name}")?;
    *offset += name.len() as u64 + 2;
    let entry = FaiEntry {
        name: name.to_string(),
        len: seq.len() as u64,
        offset: *offset,
    };
    for chunk in seq.chunks(LINE_WIDTH) {
        w.write_all(chunk)?;
        w.write_all(b"\n")?;
        *offset += chunk.len() as u64 + 1;
    }
    Ok(entry)
}

/// Writes a samtools-compatible `.fai` (name, length, offset, bases per line, bytes per line).
pub(crate) fn write_fai(w: &mut dyn Write, entries: &[FaiEntry]) -> io::Result<()> {
    for e in entries {
        writeln!(
            w,
            "{}\t{}\t{}\t{}\t{}",
            e.name,
            e.len,
            e.offset,
            LINE_WIDTH,
            LINE_WIDTH + 1
        )?;
    }
    Ok(())
}

/// `expression.tsv`: `gene_id` then one column per tissue holding `2^observed` (4 decimals).
pub(crate) fn write_expression(
    w: &mut dyn Write,
    tissues: &[String],
    genes: &[&SynthGene],
) -> io::Result<()> {
    writeln!(w, "gene_id\t{}", tissues.join("\t"))?;
    for g in genes {
        write!(w, "{}", g.id)?;
        for y in &g.expression.observed {
            write!(w, "\t{:.4}", y.exp2())?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// The `truth.tsv` header (see `docs/synthetic-world.md`).
pub(crate) fn truth_header(tissues: &[String]) -> String {
    let mut h = String::from(
        "gene_id\tgene_name\tgene_type\tchrom\tstrand\ttss_1based\tcanonical_transcript\tn_transcripts\t\
         cpg_island\ttata\tccaat\tgc_boxes\tinr\tenhancers\tutr5_len\tcds_len\tpromoter_score\telements",
    );
    for t in tissues {
        h.push_str("\ty_");
        h.push_str(t);
    }
    h
}

/// `truth.tsv`: one row per gene with its planted elements and noise-free log2 expression.
pub(crate) fn write_truth(
    w: &mut dyn Write,
    tissues: &[String],
    genes: &[&SynthGene],
) -> io::Result<()> {
    writeln!(w, "{}", truth_header(tissues))?;
    for g in genes {
        let count = |k: ElementKind| g.elements_of(k).count();
        let enh = g.elements.iter().filter(|e| e.kind.is_enhancer()).count();
        let canon = g.canonical();
        let els: Vec<String> = g
            .elements
            .iter()
            .map(|e| {
                format!(
                    "{}@{}:{}",
                    e.kind.name(),
                    e.offset,
                    String::from_utf8_lossy(&e.seq)
                )
            })
            .collect();
        let els = if els.is_empty() {
            ".".to_string()
        } else {
            els.join(";")
        };
        let score = promoter_score(g.elements.iter().map(|e| e.kind), g.cpg_island);
        write!(
            w,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.4}\t{}",
            g.id,
            g.name,
            g.biotype.gene_type(),
            g.chrom,
            g.strand.as_char(),
            g.tss + 1,
            canon.map_or("", |t| t.id.as_str()),
            g.transcripts.len(),
            u8::from(g.cpg_island),
            count(ElementKind::Tata),
            count(ElementKind::Ccaat),
            count(ElementKind::GcBox),
            count(ElementKind::Inr),
            enh,
            canon.map_or(0, |t| t.utr5_len()),
            canon.map_or(0, |t| t.cds_len()),
            score,
            els
        )?;
        for y in &g.expression.noise_free {
            write!(w, "\t{y:.4}")?;
        }
        writeln!(w)?;
    }
    Ok(())
}
