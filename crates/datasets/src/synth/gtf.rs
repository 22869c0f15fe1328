//! GENCODE-style GTF writer for the synthetic world (1-based closed coordinates).

use std::io::{self, Write};

use super::config::UtrStyle;
use super::model::{SynthBiotype, SynthGene, SynthTranscript};

/// One feature piece: genomic 0-based half-open `(start, end)`, exon number (1-based, transcript
/// order) and the number of bases of the same feature before it (for the GTF frame column).
struct Piece {
    start: u64,
    end: u64,
    exon: usize,
    before: u64,
}

/// Genomic pieces of the spliced range `[s, e)` of `t`, in transcript order.
fn pieces(g: &SynthGene, t: &SynthTranscript, s: u64, e: u64) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut acc = 0u64;
    for (i, &(a, b)) in t.exons.iter().enumerate() {
        let len = (b - a) as u64;
        let (x, y) = (s.max(acc), e.min(acc + len));
        if x < y {
            let (gs, ge) = g.to_genomic(a + (x - acc) as i64, a + (y - acc) as i64);
            out.push(Piece {
                start: gs,
                end: ge,
                exon: i + 1,
                before: x - s,
            });
        }
        acc += len;
    }
    out
}

/// Writes the header lines.
pub(crate) fn write_header(w: &mut dyn Write, seed: u64) -> io::Result<()> {
    writeln!(
        w,
        "##description: seq2expr synthetic world (datasets::synth), seed {seed}"
    )?;
    writeln!(w, "##provider: seq2expr")?;
    writeln!(w, "##format: gtf")
}

fn line(
    w: &mut dyn Write,
    g: &SynthGene,
    kind: &str,
    (s, e): (u64, u64),
    frame: Option<u64>,
    attrs: &str,
) -> io::Result<()> {
    let frame = frame.map_or_else(|| ".".to_string(), |f| f.to_string());
    let strand = g.strand.as_char();
    writeln!(
        w,
        "{}\tsynth\t{kind}\t{}\t{e}\t.\t{strand}\t{frame}\t{attrs}",
        g.chrom,
        s + 1
    )
}

/// Writes the gene, transcript, exon, CDS, start/stop codon and UTR lines of `g`.
pub(crate) fn write_gene(w: &mut dyn Write, g: &SynthGene, style: UtrStyle) -> io::Result<()> {
    let gt = g.biotype.gene_type();
    let gene_attrs = format!(
        "gene_id \"{}\"; gene_type \"{gt}\"; gene_name \"{}\"; level 2;",
        g.id, g.name
    );
    line(w, g, "gene", g.span(), None, &gene_attrs)?;
    for t in &g.transcripts {
        let head = format!(
            "gene_id \"{}\"; transcript_id \"{}\"; gene_type \"{gt}\"; gene_name \"{}\"; transcript_type \"{gt}\"; transcript_name \"{}\";",
            g.id, t.id, g.name, t.name
        );
        let canon = if t.canonical {
            " tag \"Ensembl_canonical\";"
        } else {
            ""
        };
        let tail = format!(
            "level 2; transcript_support_level \"{}\"; tag \"basic\";{canon}",
            t.support_level
        );
        let first = g.to_genomic(t.exons[0].0, t.exons[0].1);
        let last = t.exons.last().map_or(first, |&(a, b)| g.to_genomic(a, b));
        let span = (first.0.min(last.0), first.1.max(last.1));
        line(w, g, "transcript", span, None, &format!("{head} {tail}"))?;
        let at = |exon: usize| format!("{head} exon_number {exon}; {tail}");
        let len = t.spliced_len();
        let cds = t.cds.filter(|_| g.biotype == SynthBiotype::ProteinCoding);
        let (cds_p, start_p, stop_p) = match cds {
            Some((c0, c1)) => (
                pieces(g, t, c0, c1),
                pieces(g, t, c0, c0 + 3),
                pieces(g, t, c1, c1 + 3),
            ),
            None => (Vec::new(), Vec::new(), Vec::new()),
        };
        let phase = |p: &Piece| (3 - p.before % 3) % 3;
        for (i, &(a, b)) in t.exons.iter().enumerate() {
            let n = i + 1;
            line(w, g, "exon", g.to_genomic(a, b), None, &at(n))?;
            for p in cds_p.iter().filter(|p| p.exon == n) {
                line(w, g, "CDS", (p.start, p.end), Some(phase(p)), &at(n))?;
            }
            for p in start_p.iter().filter(|p| p.exon == n) {
                line(
                    w,
                    g,
                    "start_codon",
                    (p.start, p.end),
                    Some(phase(p)),
                    &at(n),
                )?;
            }
            for p in stop_p.iter().filter(|p| p.exon == n) {
                line(w, g, "stop_codon", (p.start, p.end), Some(phase(p)), &at(n))?;
            }
        }
        if let Some((c0, c1)) = cds {
            let (five, three, names) = match style {
                UtrStyle::Gencode => (pieces(g, t, 0, c0), pieces(g, t, c1, len), ["UTR", "UTR"]),
                UtrStyle::Ensembl => (
                    pieces(g, t, 0, c0),
                    pieces(g, t, c1 + 3, len),
                    ["five_prime_utr", "three_prime_utr"],
                ),
            };
            for p in &five {
                line(w, g, names[0], (p.start, p.end), None, &at(p.exon))?;
            }
            for p in &three {
                line(w, g, names[1], (p.start, p.end), None, &at(p.exon))?;
            }
        }
    }
    Ok(())
}
