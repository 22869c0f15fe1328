//! Streaming a VCF through the TSS windows and a scorer.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use genome_io::annotation::{BiotypeFilter, Detail, Strand, read_annotation_with};
use genome_io::fasta::{FastaOptions, SequenceSource, chrom_aliases, open_fasta};
use genome_io::seq::reverse_complement;
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};
use genome_io::variants::{AltOptions, AltOutcome, FixedLength, WindowIndex, alt_window};
use genome_io::vcf::{VcfOptions, VcfRecord, open_vcf};
use genome_io::windows::{EndPolicy, Window, WindowSpec, extract_window, plan_windows};
use serde_json::{Value, json};

use crate::attribute::Scorer;
use crate::error::io_err;
use crate::{Error, Result};

/// Settings of [`score_variants`].
#[derive(Debug, Clone)]
pub struct VariantSettings {
    /// Bases upstream of the TSS.
    pub upstream: u64,
    /// Bases downstream of the TSS (the TSS base counted once on top).
    pub downstream: u64,
    /// Transcript selection, as `seq2expr windows`.
    pub policy: TssPolicy,
    /// Chromosome ends, as `seq2expr windows --ends`.
    pub ends: EndPolicy,
    /// Length rule of the alternative window.
    pub fixed_length: FixedLength,
    /// Average each score with the reverse complement's.
    pub rc_average: bool,
    /// The model output scored (0-based).
    pub target: usize,
    /// Sequences per forward pass.
    pub batch_size: usize,
    /// `chr9` matches `9` between VCF, GTF and FASTA.
    pub chrom_alias: bool,
    /// Count malformed VCF lines instead of stopping at the first.
    pub skip_malformed: bool,
}

impl Default for VariantSettings {
    fn default() -> Self {
        Self {
            upstream: 1000,
            downstream: 500,
            policy: TssPolicy::All,
            ends: EndPolicy::Pad,
            fixed_length: FixedLength::Off,
            rc_average: false,
            target: 0,
            batch_size: 64,
            chrom_alias: true,
            skip_malformed: false,
        }
    }
}

/// Where the results go.
#[derive(Debug, Clone, Default)]
pub struct VariantOutputs {
    /// `effects.tsv` (also names `*.genes.tsv` and `*.skipped.tsv` beside it).
    pub effects: Option<PathBuf>,
    /// `--emit-sequences`: ref and alt windows as FASTA.
    pub sequences: Option<PathBuf>,
}

struct Job {
    label: String,
    window: usize,
    alt: Vec<u8>,
    tss_distance: i64,
    partial: bool,
    length_change: i64,
}

fn sibling(p: &Path, suffix: &str) -> PathBuf {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".tsv")
        .or_else(|| name.strip_suffix(".txt"))
        .unwrap_or(&name);
    p.with_file_name(format!("{stem}.{suffix}.tsv"))
}

fn tss_distance(w: &Window, v: &VcfRecord) -> i64 {
    match w.strand {
        Strand::Reverse => w.tss0 as i64 - (v.end0() as i64 - 1),
        _ => v.start0() as i64 - w.tss0 as i64,
    }
}

/// What was read, skipped and scored.
#[derive(Debug, Default)]
struct Counts {
    alleles: u64,
    unknown_chrom: u64,
    no_window: u64,
    ref_mismatch: u64,
    pairs: u64,
}

/// The strongest effect of a gene: `(variant, transcript, diff)`.
type Best = HashMap<String, (Option<String>, String, String, f32)>;

struct Ctx<'a, R: std::io::BufRead> {
    scorer: Option<&'a dyn Scorer>,
    s: &'a VariantSettings,
    source: &'a dyn SequenceSource,
    windows: &'a [Window],
    index: WindowIndex,
    names: HashSet<String>,
    reader: genome_io::vcf::VcfReader<R>,
    ref_cache: HashMap<usize, f32>,
    counts: Counts,
    best: Best,
    progress: &'a mut dyn FnMut(u64),
}

fn io_at(p: &Path, e: std::io::Error) -> Error {
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
    fn score(&self, seqs: Vec<Vec<u8>>) -> Result<Vec<f32>> {
        let Some(sc) = self.scorer else {
            return Ok(vec![f32::NAN; seqs.len()]);
        };
        let f = sc.score(&seqs, self.s.target)?;
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
            for (i, v) in need.iter().zip(self.score(refs)?) {
                self.ref_cache.insert(*i, v);
            }
        }
        let alts = self.score(jobs.iter().map(|j| j.alt.clone()).collect())?;
        let mut rbuf = Vec::new();
        for (j, alt) in jobs.iter().zip(alts) {
            let win = &self.windows[j.window];
            let tid = win.transcript_id.as_deref().unwrap_or(&win.name);
            if let Some(sw) = seqw.as_deref_mut() {
                extract_window(self.source, win, &mut rbuf)?;
                for (tag, seq) in [("ref", &rbuf), ("alt", &j.alt)] {
                    writeln!(sw, ">{}|{tid}|{tag}", j.label).map_err(io)?;
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
            let mut parts = j.label.splitn(4, ':');
            let (c, p, rf, al) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            let strand = match win.strand {
                Strand::Reverse => '-',
                _ => '+',
            };
            writeln!(
                w,
                "{}\t{c}\t{p}\t{rf}\t{al}\t{tid}\t{}\t{}\t{strand}\t{}\t{}\t{}\t{r}\t{alt}\t{d}\t{l2}",
                j.label,
                win.gene_id,
                win.gene_name.as_deref().unwrap_or("."),
                j.tss_distance,
                u8::from(j.partial),
                j.length_change,
            )
            .map_err(io)?;
            let e = self.best.entry(win.gene_id.clone()).or_insert((
                win.gene_name.clone(),
                j.label.clone(),
                tid.to_string(),
                d,
            ));
            if d.abs() > e.3.abs() {
                *e = (win.gene_name.clone(), j.label.clone(), tid.to_string(), d);
            }
        }
        jobs.clear();
        Ok(())
    }

    fn stream(
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
                            label: v.label(),
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

/// Streams `vcf` through the TSS windows of `fasta` + `gtf` and scores the reference and
/// alternative windows with `scorer` (`None`: only `outs.sequences` is written). Returns the
/// summary (counts of alleles, skips by kind, REF mismatches, scored pairs).
///
/// # Errors
/// Bad settings (checked before anything is read), unreadable or malformed inputs (a
/// malformed VCF line names file and line unless `skip_malformed`), scorer and I/O errors.
pub fn score_variants(
    scorer: Option<&dyn Scorer>,
    fasta: &Path,
    gtf: &Path,
    vcf: &Path,
    s: &VariantSettings,
    outs: &VariantOutputs,
    mut progress: impl FnMut(u64),
) -> Result<Value> {
    if s.batch_size == 0 || s.batch_size > 1 << 16 {
        return Err(Error::Usage("--batch-size must be 1..=65536".into()));
    }
    if scorer.is_some() != outs.effects.is_some() {
        return Err(Error::Usage(
            "--out and --model go together (with --emit-sequences alone the model is optional)"
                .into(),
        ));
    }
    let Some(first) = outs.effects.as_deref().or(outs.sequences.as_deref()) else {
        return Err(Error::Usage("give --out, --emit-sequences or both".into()));
    };
    let source = open_fasta(
        fasta,
        &FastaOptions {
            uppercase: false,
            chrom_alias: s.chrom_alias,
        },
    )?;
    let detail = match s.policy {
        TssPolicy::All | TssPolicy::GeneStart => Detail::Spans,
        _ => Detail::Full,
    };
    let ann = read_annotation_with(gtf, detail)?;
    let tss = collect_tss(
        &ann,
        &TssOptions {
            policy: s.policy,
            dedup: false,
            biotypes: BiotypeFilter::new(&[] as &[String]),
        },
    );
    drop(ann);
    let mut spec = WindowSpec::new(s.upstream, s.downstream, s.ends);
    spec.skip_missing_chroms = true;
    let plan = plan_windows(&*source, &tss, &spec)?;
    let names: HashSet<String> = source
        .names()
        .into_iter()
        .flat_map(|n| {
            let mut v = chrom_aliases(&n);
            v.push(n);
            v
        })
        .collect();
    let reader = open_vcf(
        vcf,
        VcfOptions {
            skip_malformed: s.skip_malformed,
        },
    )?;
    let mut ctx = Ctx {
        scorer,
        s,
        source: &*source,
        windows: &plan.windows,
        index: WindowIndex::new(&plan.windows),
        names,
        reader,
        ref_cache: HashMap::new(),
        counts: Counts::default(),
        best: Best::new(),
        progress: &mut progress,
    };
    let skipped = sibling(first, "skipped");
    for p in [outs.effects.as_deref(), outs.sequences.as_deref()]
        .into_iter()
        .flatten()
    {
        if let Some(d) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(d).map_err(io_err(format!("creating {}", d.display())))?;
        }
    }
    match (&outs.effects, &outs.sequences) {
        (Some(ep), Some(sp)) => outfile::write_atomic_with(
            ep,
            |w| {
                outfile::write_atomic_with(
                    sp,
                    |q| outfile::write_atomic_with(&skipped, |k| ctx.stream(w, Some(q), k), io_at),
                    io_at,
                )
            },
            io_at,
        )?,
        (Some(ep), None) => outfile::write_atomic_with(
            ep,
            |w| outfile::write_atomic_with(&skipped, |k| ctx.stream(w, None, k), io_at),
            io_at,
        )?,
        (None, Some(sp)) => outfile::write_atomic_with(
            sp,
            |q| {
                outfile::write_atomic_with(
                    &skipped,
                    |k| ctx.stream(&mut std::io::sink(), Some(q), k),
                    io_at,
                )
            },
            io_at,
        )?,
        (None, None) => {}
    }
    let mut genes = None;
    if let Some(ep) = &outs.effects {
        let gp = sibling(ep, "genes");
        let mut rows: Vec<_> = ctx.best.iter().collect();
        rows.sort_by(|a, b| b.1.3.abs().total_cmp(&a.1.3.abs()).then(a.0.cmp(b.0)));
        outfile::write_atomic(&gp, |w| {
            writeln!(w, "gene_id\tgene_name\tvariant\ttranscript_id\tdiff")?;
            for (g, (name, v, t, d)) in rows {
                writeln!(w, "{g}\t{}\t{v}\t{t}\t{d}", name.as_deref().unwrap_or("."))?;
            }
            Ok(())
        })
        .map_err(io_err(format!("writing {}", gp.display())))?;
        genes = Some(gp);
    }
    let sk = ctx.reader.skips();
    let c = &ctx.counts;
    Ok(json!({
        "vcf": vcf.display().to_string(),
        "vcf_records": ctx.reader.records(),
        "alleles": c.alleles,
        "skipped_alleles": {
            "symbolic": sk.symbolic,
            "breakend": sk.breakend,
            "spanning_deletion": sk.spanning_deletion,
            "missing_alt": sk.missing_alt,
            "malformed_lines": sk.malformed,
        },
        "unknown_chromosome": c.unknown_chrom,
        "outside_every_window": c.no_window,
        "ref_mismatch": c.ref_mismatch,
        "pairs": c.pairs,
        "windows": plan.windows.len(),
        "fixed_length": format!("{:?}", s.fixed_length),
        "rc_average": s.rc_average,
        "effects": outs.effects.as_ref().map(|p| p.display().to_string()),
        "genes": genes.map(|p| p.display().to_string()),
        "skipped": skipped.display().to_string(),
        "sequences": outs.sequences.as_ref().map(|p| p.display().to_string()),
    }))
}
