//! Streaming a VCF through the TSS windows and a scorer.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use genome_io::annotation::{BiotypeFilter, Detail, read_annotation_with};
use genome_io::fasta::{FastaOptions, SequenceSource, chrom_aliases, open_fasta};
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};
use genome_io::variants::{FixedLength, WindowIndex};
use genome_io::vcf::{VcfOptions, open_vcf};
use genome_io::windows::{EndPolicy, WindowSpec, plan_windows};
use serde_json::{Value, json};

use super::stream::{Best, Counts, Ctx, io_at};
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
