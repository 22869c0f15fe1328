//! The documented expression function of the synthetic world.
//!
//! For gene `g` and tissue `t`, log2 expression (log2 TPM) is
//!
//! ```text
//! y[g,t] = INTERCEPT + promoter_score(g) + Σ_{enhancers e of g} enhancer_effect(e, t)
//!        + structure_effect(g) + LNCRNA_EFFECT·[g is lncRNA] + tissue_offset[t]
//!        + noise_sd·ε[g] + tissue_noise_sd·η[g,t]          (ε, η standard normal)
//! promoter_score(g) = TATA_EFFECT·[TATA] + CCAAT_EFFECT·[CCAAT] + GC_BOX_EFFECT·#GC boxes
//!                   + INR_EFFECT·[Inr] + CPG_EFFECT·[CpG island]
//! structure_effect(g) = UTR5_EFFECT·(log10(5'UTR) − 2) + CDS_EFFECT·(log10(CDS) − 3)
//!                       (canonical transcript, lengths in bp; 0 for lncRNAs)
//! ```
//!
//! `expression.tsv` holds `2^y` rounded to 4 decimals; `truth.tsv` holds the noise-free `y`.

use rand_chacha::ChaCha8Rng;

use super::config::SynthConfig;
use super::model::{ElementKind, GeneExpression, SynthBiotype, SynthGene};
use super::rng::{normal, stream};

/// Baseline log2 expression.
pub const INTERCEPT: f64 = 1.0;
/// Effect of a TATA box at -31.
pub const TATA_EFFECT: f64 = 1.2;
/// Effect of a CCAAT box near -80.
pub const CCAAT_EFFECT: f64 = 0.8;
/// Effect of each GC box (0 to 3 per gene).
pub const GC_BOX_EFFECT: f64 = 0.6;
/// Effect of an initiator on the TSS.
pub const INR_EFFECT: f64 = 0.7;
/// Effect of a CpG island around the TSS.
pub const CPG_EFFECT: f64 = 1.0;
/// Effect of each ETS enhancer motif, in every tissue.
pub const ETS_EFFECT: f64 = 0.5;
/// Effect of an HNF4 motif in tissue 0 or a MEF2 motif in tissue 1.
pub const ENHANCER_ACTIVE: f64 = 1.5;
/// Effect of an HNF4 or MEF2 motif in the other tissues.
pub const ENHANCER_INACTIVE: f64 = 0.2;
/// Effect of the lncRNA biotype.
pub const LNCRNA_EFFECT: f64 = -2.0;
/// Coefficient of `log10(5'UTR length) − 2` (protein-coding genes).
pub const UTR5_EFFECT: f64 = -0.6;
/// Coefficient of `log10(CDS length) − 3` (protein-coding genes).
pub const CDS_EFFECT: f64 = 0.4;
/// Standard deviation of the per-tissue offsets `tissue_offset[t]`.
pub const TISSUE_OFFSET_SD: f64 = 0.25;

/// Random stream of the tissue offsets.
const TISSUE_STREAM: u64 = u64::MAX;

/// The core-promoter part of the function: TATA, CCAAT, GC boxes, Inr and CpG island.
///
/// ```
/// use datasets::synth::{expression::*, ElementKind};
/// let s = promoter_score([ElementKind::Tata, ElementKind::GcBox, ElementKind::GcBox].into_iter(), true);
/// assert!((s - (TATA_EFFECT + 2.0 * GC_BOX_EFFECT + CPG_EFFECT)).abs() < 1e-12);
/// ```
pub fn promoter_score(elements: impl Iterator<Item = ElementKind>, cpg_island: bool) -> f64 {
    let mut s = if cpg_island { CPG_EFFECT } else { 0.0 };
    for k in elements {
        s += match k {
            ElementKind::Tata => TATA_EFFECT,
            ElementKind::Ccaat => CCAAT_EFFECT,
            ElementKind::GcBox => GC_BOX_EFFECT,
            ElementKind::Inr => INR_EFFECT,
            _ => 0.0,
        };
    }
    s
}

/// Effect of one enhancer motif in tissue `t` (0-based column of the expression table).
///
/// ```
/// use datasets::synth::{expression::*, ElementKind};
/// assert_eq!(enhancer_effect(ElementKind::Hnf4, 0), ENHANCER_ACTIVE);
/// assert_eq!(enhancer_effect(ElementKind::Hnf4, 1), ENHANCER_INACTIVE);
/// assert_eq!(enhancer_effect(ElementKind::Tata, 0), 0.0);
/// ```
pub fn enhancer_effect(kind: ElementKind, t: usize) -> f64 {
    match (kind, t) {
        (ElementKind::Ets, _) => ETS_EFFECT,
        (ElementKind::Hnf4, 0) | (ElementKind::Mef2, 1) => ENHANCER_ACTIVE,
        (ElementKind::Hnf4 | ElementKind::Mef2, _) => ENHANCER_INACTIVE,
        _ => 0.0,
    }
}

/// Gene-structure part: `UTR5_EFFECT·(log10(5'UTR) − 2) + CDS_EFFECT·(log10(CDS) − 3)` on the
/// canonical transcript, 0 for lncRNAs.
///
/// ```
/// use datasets::synth::expression::*;
/// assert!((structure_effect(100, 1000) - 0.0).abs() < 1e-12);
/// assert_eq!(structure_effect(0, 0), 0.0);
/// ```
pub fn structure_effect(utr5_len: u64, cds_len: u64) -> f64 {
    if cds_len == 0 {
        return 0.0;
    }
    UTR5_EFFECT * ((utr5_len.max(1) as f64).log10() - 2.0)
        + CDS_EFFECT * ((cds_len as f64).log10() - 3.0)
}

/// Per-tissue offsets `tissue_offset[t]`, drawn from the seed (normal, sd [`TISSUE_OFFSET_SD`]).
///
/// ```
/// let cfg = datasets::synth::SynthConfig::tiny();
/// assert_eq!(datasets::synth::expression::tissue_offsets(&cfg).len(), cfg.tissues.len());
/// ```
pub fn tissue_offsets(cfg: &SynthConfig) -> Vec<f64> {
    let mut rng = stream(cfg.seed, TISSUE_STREAM);
    cfg.tissues
        .iter()
        .map(|_| TISSUE_OFFSET_SD * normal(&mut rng))
        .collect()
}

/// Noise-free log2 expression of `gene` in tissue `t`, given the tissue offsets.
///
/// ```
/// # use datasets::synth::*;
/// let w = generate(&SynthConfig { noise_sd: 0.0, tissue_noise_sd: 0.0, ..SynthConfig::tiny() }).unwrap();
/// let offs = expression::tissue_offsets(&w.config);
/// let g = &w.genes[0];
/// assert!((expression::noise_free_log2(g, 2, &offs) - g.expression.observed[2]).abs() < 1e-12);
/// ```
pub fn noise_free_log2(gene: &SynthGene, t: usize, tissue_offsets: &[f64]) -> f64 {
    let mut y = INTERCEPT + promoter_score(gene.elements.iter().map(|e| e.kind), gene.cpg_island);
    y += gene
        .elements
        .iter()
        .map(|e| enhancer_effect(e.kind, t))
        .sum::<f64>();
    if let Some(c) = gene.canonical() {
        y += structure_effect(c.utr5_len(), c.cds_len());
    }
    if gene.biotype == SynthBiotype::LncRna {
        y += LNCRNA_EFFECT;
    }
    y + tissue_offsets.get(t).copied().unwrap_or(0.0)
}

/// Draws the expression of `gene` (noise from the chromosome's plan stream).
pub(crate) fn draw(
    cfg: &SynthConfig,
    gene: &SynthGene,
    offsets: &[f64],
    rng: &mut ChaCha8Rng,
) -> GeneExpression {
    let noise_free: Vec<f64> = (0..cfg.tissues.len())
        .map(|t| noise_free_log2(gene, t, offsets))
        .collect();
    let gene_noise = cfg.noise_sd * normal(rng);
    let observed = noise_free
        .iter()
        .map(|y| y + gene_noise + cfg.tissue_noise_sd * normal(rng))
        .collect();
    GeneExpression {
        noise_free,
        observed,
    }
}
