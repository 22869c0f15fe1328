//! The plan of a world: genes per chromosome, their layout, N runs and planted elements.
//! Everything but the bases themselves (see `sequence`), so that files can be streamed.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::config::SynthConfig;
use super::expression;
use super::model::{ElementKind, GeneExpression, PlantedElement, SynthBiotype, SynthGene};
use super::rng::{log_uniform, plan_stream, range_u64, stream};
use super::structure::{self, Structure};
use crate::error::SynthError;
use crate::{Error, Result};
use genome_io::annotation::Strand;

/// A planned gene: the public record plus what the sequence step needs.
pub(crate) struct GenePlan {
    pub gene: SynthGene,
    /// Upstream reserve (bp before the TSS inside the gene's span).
    pub up: i64,
    /// Sense end of the gene body.
    pub body: i64,
    /// Sense range where enhancers may sit (scrubbed of unplanted enhancer motifs).
    pub enh_zone: Option<(i64, i64)>,
}

/// A planned chromosome.
pub(crate) struct ChromPlan {
    pub index: usize,
    pub name: String,
    pub len: u64,
    /// N runs, 0-based half-open, telomeric ones included.
    pub n_runs: Vec<(u64, u64)>,
    pub genes: Vec<GenePlan>,
}

/// Splits `n` items over chromosomes in proportion to `lens` (largest remainder).
fn allocate(n: usize, lens: &[u64]) -> Vec<usize> {
    let total: u64 = lens.iter().sum();
    let exact: Vec<f64> = lens
        .iter()
        .map(|&l| n as f64 * l as f64 / total as f64)
        .collect();
    let mut out: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut order: Vec<usize> = (0..lens.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let left = n - out.iter().sum::<usize>();
    for &i in order.iter().take(left) {
        out[i] += 1;
    }
    out
}

/// Plans the whole world (cheap: no sequence). Fails when genes do not fit a chromosome.
pub(crate) fn plan_world(cfg: &SynthConfig) -> Result<Vec<ChromPlan>> {
    cfg.validate()?;
    let pc = allocate(cfg.protein_coding_genes, &cfg.chrom_lengths);
    let lnc = allocate(cfg.lncrna_genes, &cfg.chrom_lengths);
    let offsets = expression::tissue_offsets(cfg);
    let mut counters = (0usize, 0usize, 0usize); // genes, pc, lnc
    let mut tx_counter = 0usize;
    let mut out = Vec::with_capacity(cfg.chrom_lengths.len());
    for (c, name) in cfg.chrom_names().into_iter().enumerate() {
        let mut rng = stream(cfg.seed, plan_stream(c));
        let mut plan = plan_chrom(cfg, &mut rng, c, name, pc[c], lnc[c])?;
        for g in &mut plan.genes {
            counters.0 += 1;
            let gene = &mut g.gene;
            gene.id = format!("SYNG{:08}.1", counters.0);
            gene.name = match gene.biotype {
                SynthBiotype::ProteinCoding => {
                    counters.1 += 1;
                    format!("PCG{}", counters.1)
                }
                SynthBiotype::LncRna => {
                    counters.2 += 1;
                    format!("LINC{:05}", counters.2)
                }
            };
            for (i, t) in gene.transcripts.iter_mut().enumerate() {
                tx_counter += 1;
                t.id = format!("SYNT{tx_counter:08}.1");
                t.name = format!("{}-{}", gene.name, 201 + i);
            }
            gene.expression = expression::draw(cfg, gene, &offsets, &mut rng);
        }
        out.push(plan);
    }
    Ok(out)
}

fn plan_chrom(
    cfg: &SynthConfig,
    rng: &mut ChaCha8Rng,
    c: usize,
    name: String,
    n_pc: usize,
    n_lnc: usize,
) -> Result<ChromPlan> {
    let len = cfg.chrom_lengths[c];
    let (tl, tr) = if c == 0 {
        (10_000, 10_000)
    } else {
        (range_u64(rng, (0, 3000)), range_u64(rng, (0, 3000)))
    };
    let mut biotypes = vec![SynthBiotype::ProteinCoding; n_pc];
    biotypes.extend(std::iter::repeat_n(SynthBiotype::LncRna, n_lnc));
    biotypes.shuffle(rng);
    let n = biotypes.len();
    let near = cfg.genes_near_ends && n >= 3;
    let mut structs: Vec<(Strand, Structure)> = Vec::with_capacity(n);
    for (i, &b) in biotypes.iter().enumerate() {
        let near_end = near && (i == 0 || i == n - 1);
        let strand = match (near_end, i) {
            (true, 0) => Strand::Forward,
            (true, _) => Strand::Reverse,
            _ if rng.random::<bool>() => Strand::Forward,
            _ => Strand::Reverse,
        };
        structs.push((strand, structure::plan(rng, cfg, b, near_end)));
    }
    let spans: Vec<u64> = structs
        .iter()
        .map(|(_, s)| (s.up + s.body) as u64)
        .collect();
    // Layout: locus starts (genomic, 0-based) and the gaps between loci.
    let (lo, hi) = (tl, len - tr);
    let mut starts = vec![0u64; n];
    if near {
        starts[0] = lo;
        starts[n - 1] = hi.saturating_sub(spans[n - 1]);
        let inner = fill(rng, cfg, lo + spans[0], starts[n - 1], &spans[1..n - 1])
            .ok_or_else(|| too_many(&name, len))?;
        starts[1..n - 1].copy_from_slice(&inner);
    } else {
        starts = fill(rng, cfg, lo, hi, &spans).ok_or_else(|| too_many(&name, len))?;
    }
    // Gaps between loci: (start, end) genomic, with the neighbouring gene indices.
    let mut n_runs = vec![(0, tl), (len - tr, len)];
    n_runs.retain(|r| r.1 > r.0);
    let gaps: Vec<(u64, u64)> = (0..=n)
        .map(|i| {
            let a = if i == 0 {
                lo
            } else {
                starts[i - 1] + spans[i - 1]
            };
            let b = if i == n { hi } else { starts[i] };
            (a, b.max(a))
        })
        .collect();
    let mut gap_n: Vec<Option<(u64, u64)>> = vec![None; n + 1];
    for _ in 0..cfg.internal_gaps {
        let candidates: Vec<usize> = (1..n)
            .filter(|&i| gap_n[i].is_none() && gaps[i].1 - gaps[i].0 >= 1700)
            .collect();
        if candidates.is_empty() {
            break;
        }
        let i = candidates[rng.random_range(0..candidates.len())];
        let g = gaps[i];
        let l = log_uniform(rng, 100, 50_000).min(g.1 - g.0 - 1600);
        let s = g.0 + (g.1 - g.0 - l) / 2;
        gap_n[i] = Some((s, s + l));
        n_runs.push((s, s + l));
    }
    n_runs.sort_unstable();
    let mut genes = Vec::with_capacity(n);
    for (i, (strand, st)) in structs.into_iter().enumerate() {
        let tss = match strand {
            Strand::Forward => starts[i] + st.up as u64,
            Strand::Reverse => starts[i] + st.body as u64 - 1,
        };
        // The gene's half of its upstream gap, without the N run; the end gaps belong wholly to it.
        let (gi, toward_gene_is_right) = if strand == Strand::Forward {
            (i, true)
        } else {
            (i + 1, false)
        };
        let (ga, gb) = gaps[gi];
        let mid = if gi == 0 || gi == n {
            if toward_gene_is_right { ga } else { gb }
        } else {
            ga + (gb - ga) / 2
        };
        let (za, zb) = match (toward_gene_is_right, gap_n[gi]) {
            (true, Some((_, ne))) => (mid.max(ne), gb),
            (true, None) => (mid, gb),
            (false, Some((ns, _))) => (ga, mid.min(ns)),
            (false, None) => (ga, mid),
        };
        let mut gene = SynthGene {
            id: String::new(),
            name: String::new(),
            biotype: biotypes[i],
            chrom: name.clone(),
            strand,
            tss,
            transcripts: st.transcripts,
            elements: Vec::new(),
            cpg_island: false,
            expression: GeneExpression {
                noise_free: Vec::new(),
                observed: Vec::new(),
            },
        };
        // Sense range of the zone, intersected with -6500..-1000, 10 bp margins.
        let (sa, sb) = match strand {
            Strand::Forward => (za as i64 - tss as i64, zb as i64 - tss as i64),
            Strand::Reverse => (tss as i64 + 1 - zb as i64, tss as i64 + 1 - za as i64),
        };
        let (sa, sb) = ((sa + 10).max(-6500), (sb - 10).min(-1000).min(-st.up));
        let enh_zone = (sb - sa >= 12).then_some((sa, sb));
        plan_elements(rng, &mut gene, enh_zone);
        let mut order: Vec<usize> = (0..gene.transcripts.len()).collect();
        order.shuffle(rng);
        let ts = std::mem::take(&mut gene.transcripts);
        gene.transcripts = order.into_iter().map(|j| ts[j].clone()).collect();
        genes.push(GenePlan {
            gene,
            up: st.up,
            body: st.body,
            enh_zone,
        });
    }
    Ok(ChromPlan {
        index: c,
        name,
        len,
        n_runs,
        genes,
    })
}

fn too_many(name: &str, len: u64) -> Error {
    SynthError::InvalidArgument(format!(
        "synthetic world: the genes planned for {name} (length {len}) do not fit; use longer chromosomes, fewer genes or shorter introns"
    )).into()
}

/// Places loci of lengths `spans` in `[lo, hi)` with random gaps of at least `min_gap`
/// (before, between and after). Returns the locus starts or `None` if they do not fit.
fn fill(
    rng: &mut ChaCha8Rng,
    cfg: &SynthConfig,
    lo: u64,
    hi: u64,
    spans: &[u64],
) -> Option<Vec<u64>> {
    let need = spans.iter().sum::<u64>() + cfg.min_gap as u64 * (spans.len() as u64 + 1);
    let free = hi.checked_sub(lo)?.checked_sub(need)?;
    let w: Vec<f64> = (0..=spans.len())
        .map(|_| 0.3 + rng.random::<f64>())
        .collect();
    let sum: f64 = w.iter().sum();
    let mut pos = lo;
    let mut starts = Vec::with_capacity(spans.len());
    for (i, &s) in spans.iter().enumerate() {
        pos += cfg.min_gap as u64 + (free as f64 * w[i] / sum) as u64;
        starts.push(pos);
        pos += s;
    }
    Some(starts)
}

/// Probability (protein-coding, lncRNA) of each core element and of a CpG island.
const P_TATA: (f64, f64) = (0.35, 0.15);
const P_CCAAT: (f64, f64) = (0.5, 0.25);
const P_INR: (f64, f64) = (0.6, 0.35);
const P_CPG: (f64, f64) = (0.65, 0.2);

fn plan_elements(rng: &mut ChaCha8Rng, gene: &mut SynthGene, enh_zone: Option<(i64, i64)>) {
    let pc = gene.biotype == SynthBiotype::ProteinCoding;
    let p = |(a, b): (f64, f64)| if pc { a } else { b };
    let mut els: Vec<PlantedElement> = Vec::new();
    let mk = |kind: ElementKind, offset: i64| PlantedElement {
        kind,
        offset,
        seq: kind.motif().unwrap_or(b"").to_vec(),
    };
    gene.cpg_island = rng.random_bool(p(P_CPG));
    if rng.random_bool(p(P_TATA)) {
        els.push(mk(ElementKind::Tata, -31));
    }
    if rng.random_bool(p(P_CCAAT)) {
        els.push(mk(ElementKind::Ccaat, rng.random_range(-85..=-75)));
    }
    let n_gc = if pc {
        rng.random_range(0..=3)
    } else {
        rng.random_range(0..=1)
    };
    for _ in 0..n_gc {
        for _ in 0..20 {
            let o = rng.random_range(-110..=-40);
            if els
                .iter()
                .all(|e| o + 6 + 1 < e.offset || o > e.offset + e.seq.len() as i64)
            {
                els.push(mk(ElementKind::GcBox, o));
                break;
            }
        }
    }
    if rng.random_bool(p(P_INR)) {
        let y = |r: &mut ChaCha8Rng| if r.random::<bool>() { b'C' } else { b'T' };
        let seq = vec![
            y(rng),
            y(rng),
            b'A',
            b"ACGT"[rng.random_range(0..4)],
            if rng.random::<bool>() { b'A' } else { b'T' },
            y(rng),
            y(rng),
        ];
        els.push(PlantedElement {
            kind: ElementKind::Inr,
            offset: -2,
            seq,
        });
    }
    if let Some((za, zb)) = enh_zone {
        let n_enh = rng.random_range(0..=if pc { 3 } else { 2 });
        for _ in 0..n_enh {
            let kind =
                [ElementKind::Hnf4, ElementKind::Mef2, ElementKind::Ets][rng.random_range(0..3)];
            let l = kind.motif().map_or(0, <[u8]>::len) as i64;
            if zb - za < l {
                continue;
            }
            for _ in 0..20 {
                let o = rng.random_range(za..=zb - l);
                if els
                    .iter()
                    .all(|e| o + l + 20 <= e.offset || o >= e.offset + e.seq.len() as i64 + 20)
                {
                    els.push(mk(kind, o));
                    break;
                }
            }
        }
    }
    els.sort_by_key(|e| e.offset);
    gene.elements = els;
}
