//! The streaming loop of [`super::score_variants`]: VCF records → overlapping windows → alt
//! windows → batched scores → TSV rows.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use genome_io::annotation::Strand;
use genome_io::fasta::SequenceSource;
use genome_io::seq::reverse_complement;
use genome_io::variants::{AltOptions, AltOutcome, WindowIndex, alt_window};
use genome_io::vcf::VcfRecord;
use genome_io::windows::{Window, extract_window};

use super::run::VariantSettings;
use crate::attribute::Scorer;
use crate::{Error, Result};

pub(super) struct Job {
    pub(super) variant: VcfRecord,
    pub(super) window: usize,
    pub(super) alt: Vec<u8>,
    pub(super) tss_distance: i64,
    pub(super) partial: bool,
    pub(super) length_change: i64,
}

fn tss_distance(w: &Window, v: &VcfRecord) -> i64 {
    match w.strand {
        Strand::Reverse => w.tss0 as i64 - (v.end0() as i64 - 1),
        _ => v.start0() as i64 - w.tss0 as i64,
    }
}

/// What was read, skipped and scored.
#[derive(Debug, Default)]
pub(super) struct Counts {
    pub(super) alleles: u64,
    pub(super) unknown_chrom: u64,
    pub(super) no_window: u64,
    pub(super) ref_mismatch: u64,
    pub(super) pairs: u64,
}

/// The strongest effect of a gene: `(variant, transcript, diff)`.
pub(super) type Best = HashMap<String, (Option<String>, String, String, f32)>;

pub(super) struct Ctx<'a, R: std::io::BufRead> {
    pub(super) scorer: Option<&'a dyn Scorer>,
    pub(super) s: &'a VariantSettings,
    pub(super) source: &'a dyn SequenceSource,
    pub(super) windows: &'a [Window],
    pub(super) index: WindowIndex,
    pub(super) names: HashSet<String>,
    pub(super) reader: genome_io::vcf::VcfReader<R>,
    pub(super) ref_cache: HashMap<usize, f32>,
    pub(super) counts: Counts,
    pub(super) best: Best,
    pub(super) progress: &'a mut dyn FnMut(u64),
}

pub(super) fn io_at(p: &Path, e: std::io::Error) -> Error {
    Error::Io {
        context: format!("writing {}", p.display()),
        source: e,
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        context: "writing the variant outputs".into(),
        source: e,
    }
}

impl<R: std::io::BufRead> Ctx<'_, R> {
    fn score(&self, seqs: &[Vec<u8>]) -> Result<Vec<f32>> {
        let Some(sc) = self.scorer else {
            return Ok(vec![f32::NAN; seqs.len()]);
        };
        let f = sc.score(seqs, self.s.target)?;
        if !self.s.rc_average {
            return Ok(f);
        }
        let rc: Vec<Vec<u8>> = seqs.iter().map(|x| reverse_complement(x)).collect();
        let r = sc.score(&rc, self.s.target)?;
        Ok(f.iter().zip(&r).map(|(a, b)| (a + b) / 2.0).collect())
    }

    fn flush(
        &mut self,
        jobs: &mut Vec<Job>,
        w: &mut dyn Write,
        mut seqw: Option<&mut (dyn Write + '_)>,
    ) -> Result<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut need: Vec<usize> = jobs
            .iter()
            .map(|j| j.window)
            .filter(|i| !self.ref_cache.contains_key(i))
            .collect();
        need.sort_unstable();
        need.dedup();
        let mut refs = Vec::with_capacity(need.len());
        for &i in &need {
            let mut b = Vec::new();
            extract_window(self.source, &self.windows[i], &mut b)?;
            refs.push(b);
        }
        if self.scorer.is_some() && !need.is_empty() {
            for (i, v) in need.iter().zip(self.score(&refs)?) {
                self.ref_cache.insert(*i, v);
            }
        }
        let alts: Vec<Vec<u8>> = jobs.iter().map(|j| j.alt.clone()).collect();
        let alts = self.score(&alts)?;
        // reference windows of this batch, extracted once (those scored above, then any other
        // one the emitted FASTA needs)
        let mut ref_seqs: HashMap<usize, Vec<u8>> = need.into_iter().zip(refs).collect();
        for (j, alt) in jobs.iter().zip(alts) {
            let win = &self.windows[j.window];
            let tid = win.transcript_id.as_deref().unwrap_or(&win.name);
            let label = j.variant.label();
            if let Some(sw) = seqw.as_deref_mut() {
                let r = match ref_seqs.entry(j.window) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        let mut b = Vec::new();
                        extract_window(self.source, win, &mut b)?;
                        e.insert(b)
                    }
                };
                for (tag, seq) in [("ref", r.as_slice()), ("alt", j.alt.as_slice())] {
                    writeln!(sw, ">{label}|{tid}|{tag}").map_err(io)?;
                    sw.write_all(seq).map_err(io)?;
                    writeln!(sw).map_err(io)?;
                }
            }
            self.counts.pairs += 1;
            if self.scorer.is_none() {
                continue;
            }
            let r = self.ref_cache.get(&j.window).copied().unwrap_or(f32::NAN);
            let d = alt - r;
            let l2 = if r > 0.0 && alt > 0.0 {
                (f64::from(alt) / f64::from(r)).log2().to_string()
            } else {
                "NA".into()
            };
            let v = &j.variant;
            let strand = match win.strand {
                Strand::Reverse => '-',
                _ => '+',
            };
            writeln!(
                w,
                "{label}\t{}\t{}\t{}\t{}\t{tid}\t{}\t{}\t{strand}\t{}\t{}\t{}\t{r}\t{alt}\t{d}\t{l2}",
                v.chrom,
                v.pos,
                v.reference,
                v.alt,
                win.gene_id,
                win.gene_name.as_deref().unwrap_or("."),
                j.tss_distance,
                u8::from(j.partial),
                j.length_change,
            )
            .map_err(io)?;
            let e = self.best.entry(win.gene_id.clone()).or_insert((
                win.gene_name.clone(),
                label.clone(),
                tid.to_string(),
                d,
            ));
            if d.abs() > e.3.abs() {
                *e = (win.gene_name.clone(), label, tid.to_string(), d);
            }
        }
        jobs.clear();
        Ok(())
    }

    pub(super) fn stream(
        &mut self,
        w: &mut dyn Write,
        mut seqw: Option<&mut (dyn Write + '_)>,
        skw: &mut dyn Write,
    ) -> Result<()> {
        let opts = AltOptions {
            fixed_length: self.s.fixed_length,
        };
        let mut v = VcfRecord::default();
        let (mut hits, mut buf) = (Vec::new(), Vec::new());
        let mut jobs: Vec<Job> = Vec::with_capacity(self.s.batch_size);
        if self.scorer.is_some() {
            writeln!(w, "variant\tchrom\tpos\tref\talt\ttranscript_id\tgene_id\tgene_name\tstrand\ttss_distance\tpartial\tlength_change\tref_score\talt_score\tdiff\tlog2_ratio").map_err(io)?;
        }
        writeln!(skw, "variant\ttranscript_id\treason\tdetail").map_err(io)?;
        while self.reader.read_record(&mut v)? {
            self.counts.alleles += 1;
            if !self.names.contains(&v.chrom) {
                self.counts.unknown_chrom += 1;
                writeln!(skw, "{}\t.\tunknown_chromosome\t{}", v.label(), v.chrom).map_err(io)?;
                continue;
            }
            self.index.overlapping_variant(&v, &mut hits);
            if hits.is_empty() {
                self.counts.no_window += 1;
            }
            for &i in &hits {
                let win = &self.windows[i];
                let tid = win
                    .transcript_id
                    .as_deref()
                    .unwrap_or(&win.name)
                    .to_string();
                match alt_window(self.source, win, &v, &opts, &mut buf)? {
                    AltOutcome::Applied(a) => {
                        jobs.push(Job {
                            variant: v.clone(),
                            window: i,
                            alt: buf.clone(),
                            tss_distance: tss_distance(win, &v),
                            partial: a.partial,
                            length_change: a.length_change,
                        });
                        if jobs.len() >= self.s.batch_size {
                            self.flush(&mut jobs, w, seqw.as_deref_mut())?;
                            (self.progress)(self.counts.alleles);
                        }
                    }
                    AltOutcome::RefMismatch { genome } => {
                        self.counts.ref_mismatch += 1;
                        writeln!(
                            skw,
                            "{}\t{tid}\tref_mismatch\tgenome has {genome}",
                            v.label()
                        )
                        .map_err(io)?;
                    }
                    AltOutcome::RefBeyondChromosome { chrom_len } => {
                        self.counts.ref_mismatch += 1;
                        writeln!(
                            skw,
                            "{}\t{tid}\tref_beyond_chromosome\tchromosome length {chrom_len}",
                            v.label()
                        )
                        .map_err(io)?;
                    }
                    _ => {}
                }
            }
        }
        self.flush(&mut jobs, w, seqw)?;
        (self.progress)(self.counts.alleles);
        Ok(())
    }
}
