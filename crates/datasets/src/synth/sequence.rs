//! Chromosome sequences: CpG-depleted background, soft-masked repeats, N runs, then the planned
//! genes (CpG islands, exons with coding sequence, GT..AG introns, promoter and enhancer elements).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::model::{ElementKind, SynthGene};
use super::plan::{ChromPlan, GenePlan};
use super::rng::{ACGT, Markov, base_index, log_uniform, seq_stream, stream};
use genome_io::annotation::Strand;
use genome_io::seq::complement;

/// Random stream of the repeat family consensus sequences.
const REPEAT_STREAM: u64 = u64::MAX - 1;

/// Background: GC 41 %, CpG observed/expected about 0.22 (see `docs/synthetic-world.md`).
pub(crate) const BACKGROUND: (f64, f64) = (0.41, 0.22);
/// CpG island: GC 65 %, CpG observed/expected about 0.85.
pub(crate) const ISLAND: (f64, f64) = (0.65, 0.85);

/// Consensus sequences of the interspersed repeat families.
pub(crate) struct Families {
    sine: Vec<u8>,
    line: Vec<u8>,
}

const SIMPLE_UNITS: [&[u8]; 7] = [b"CA", b"TG", b"A", b"AT", b"TTAGGG", b"GGAA", b"CAG"];

impl Families {
    /// Alu-like SINE (300 bp, GC-rich) and L1-like LINE (6 kb, AT-rich) consensus sequences.
    pub(crate) fn new(seed: u64) -> Self {
        let mut rng = stream(seed, REPEAT_STREAM);
        let sine = Markov::new(0.52, 0.5).sample(&mut rng, 300);
        let line = Markov::new(0.40, 0.3).sample(&mut rng, 6000);
        Families { sine, line }
    }

    /// One lowercase repeat copy (mutated, random orientation).
    fn copy(&self, rng: &mut ChaCha8Rng) -> Vec<u8> {
        let kind = rng.random_range(0..20);
        let (mut v, div) = if kind < 9 {
            let mut v = self.sine.clone();
            v.extend(std::iter::repeat_n(b'A', rng.random_range(10..40)));
            (v, rng.random_range(0.04..0.18))
        } else if kind < 14 {
            let l = log_uniform(rng, 200, self.line.len() as u64) as usize;
            (
                self.line[self.line.len() - l..].to_vec(),
                rng.random_range(0.08..0.25),
            )
        } else {
            let unit = SIMPLE_UNITS[rng.random_range(0..SIMPLE_UNITS.len())];
            let l = rng.random_range(20..150);
            (unit.iter().copied().cycle().take(l).collect(), 0.03)
        };
        // substitutions at geometric distances
        let ln1 = (1.0f64 - div).ln();
        let mut i = 0usize;
        loop {
            let u: f64 = 1.0 - rng.random::<f64>();
            i += (u.ln() / ln1) as usize;
            if i >= v.len() {
                break;
            }
            v[i] = ACGT[(base_index(v[i]) + rng.random_range(1..4)) % 4];
            i += 1;
        }
        // CpG decay (methylated C deaminates): 70 % of CpGs become TpG or CpA
        for i in 0..v.len().saturating_sub(1) {
            if v[i] == b'C' && v[i + 1] == b'G' && rng.random_bool(0.7) {
                if rng.random::<bool>() {
                    v[i] = b'T'
                } else {
                    v[i + 1] = b'A'
                }
            }
        }
        if rng.random::<bool>() {
            genome_io::seq::reverse_complement_in_place(&mut v);
        }
        v.make_ascii_lowercase();
        v
    }
}

/// Mean length of a repeat copy drawn by [`Families::copy`] (used to reach `repeat_fraction`).
const MEAN_REPEAT_LEN: f64 = 0.45 * 325.0 + 0.25 * 1715.0 + 0.30 * 85.0;

/// Builds the full sequence of one planned chromosome.
pub(crate) fn build_chrom(
    seed: u64,
    repeat_fraction: f64,
    fam: &Families,
    plan: &ChromPlan,
) -> Vec<u8> {
    let mut rng = stream(seed, seq_stream(plan.index));
    let bg = Markov::new(BACKGROUND.0, BACKGROUND.1);
    let mut seq = bg.sample(&mut rng, plan.len as usize);
    if repeat_fraction > 0.0 {
        let mean_gap = MEAN_REPEAT_LEN * (1.0 - repeat_fraction) / repeat_fraction;
        let mut pos = 0usize;
        loop {
            let u: f64 = 1.0 - rng.random::<f64>();
            pos += (-mean_gap * u.ln()) as usize;
            if pos >= seq.len() {
                break;
            }
            let copy = fam.copy(&mut rng);
            let end = (pos + copy.len()).min(seq.len());
            seq[pos..end].copy_from_slice(&copy[..end - pos]);
            pos = end;
        }
    }
    for &(a, b) in &plan.n_runs {
        seq[a as usize..b as usize].fill(b'N');
    }
    for g in &plan.genes {
        plant_gene(&mut rng, &mut seq, g);
    }
    seq
}

/// Writes `bytes` (sense orientation) at sense offset `off` of `gene`.
fn put(seq: &mut [u8], gene: &SynthGene, off: i64, bytes: &[u8]) {
    for (i, &b) in bytes.iter().enumerate() {
        let o = off + i as i64;
        let (p, b) = match gene.strand {
            Strand::Forward => (gene.tss as i64 + o, b),
            Strand::Reverse => (gene.tss as i64 - o, complement(b)),
        };
        if let Some(slot) = usize::try_from(p).ok().and_then(|p| seq.get_mut(p)) {
            *slot = b;
        }
    }
}

/// Reads `len` bases at sense offset `off` of `gene` (sense orientation; `N` outside).
fn get(seq: &[u8], gene: &SynthGene, off: i64, len: usize) -> Vec<u8> {
    (0..len as i64)
        .map(|i| {
            let o = off + i;
            let p = match gene.strand {
                Strand::Forward => gene.tss as i64 + o,
                Strand::Reverse => gene.tss as i64 - o,
            };
            let b = usize::try_from(p)
                .ok()
                .and_then(|p| seq.get(p))
                .copied()
                .unwrap_or(b'N');
            if gene.strand == Strand::Reverse {
                complement(b)
            } else {
                b
            }
        })
        .collect()
}

const STOPS: [&[u8; 3]; 3] = [b"TAA", b"TAG", b"TGA"];

/// Canonical mature sequence: for coding genes 5'UTR + ATG + sense codons + stop + 3'UTR.
fn mature(rng: &mut ChaCha8Rng, gene: &SynthGene, len: usize, cds: Option<(u64, u64)>) -> Vec<u8> {
    let Some((s, e)) = cds else {
        return Markov::new(0.45, 0.35).sample(rng, len);
    };
    let (s, e) = (s as usize, e as usize);
    let mut v = Markov::new(0.55, 0.6).sample(rng, s);
    v.extend_from_slice(b"ATG");
    while v.len() < e {
        let c = [
            ACGT[rng.random_range(0..4)],
            ACGT[rng.random_range(0..4)],
            ACGT[rng.random_range(0..4)],
        ];
        // CpG depletion inside and across codons: reject 70 % of codons that make a CpG
        let cpg = c[..2] == *b"CG" || c[1..] == *b"CG" || (v.last() == Some(&b'C') && c[0] == b'G');
        if !(STOPS.contains(&&c) || cpg && rng.random_bool(0.7)) {
            v.extend_from_slice(&c);
        }
    }
    v.extend_from_slice(STOPS[rng.random_range(0..3)]);
    v.extend(Markov::new(0.40, 0.3).sample(rng, len - e - 3));
    debug_assert_eq!(v.len(), len, "{}", gene.id);
    v
}

fn plant_gene(rng: &mut ChaCha8Rng, seq: &mut [u8], g: &GenePlan) {
    let gene = &g.gene;
    if gene.cpg_island {
        let (a, b) = ((-500i64).max(-g.up), 500i64.min(g.body));
        let island = Markov::new(ISLAND.0, ISLAND.1).sample(rng, (b - a) as usize);
        put(seq, gene, a, &island);
    }
    let Some(canon) = gene.canonical() else {
        return;
    };
    let m = mature(rng, gene, canon.spliced_len() as usize, canon.cds);
    let mut k = 0usize;
    for &(a, b) in &canon.exons {
        put(seq, gene, a, &m[k..k + (b - a) as usize]);
        k += (b - a) as usize;
    }
    let inside = |a: i64, b: i64| canon.exons.iter().any(|&(x, y)| x <= a && b <= y);
    for t in gene.transcripts.iter().filter(|t| !t.canonical) {
        for &(a, b) in t.exons.iter().filter(|&&(a, b)| !inside(a, b)) {
            let fresh = Markov::new(0.5, 0.5).sample(rng, (b - a) as usize);
            put(seq, gene, a, &fresh);
        }
    }
    for t in &gene.transcripts {
        for w in t.exons.windows(2) {
            put(seq, gene, w[0].1, b"GT");
            put(seq, gene, w[1].0 - 2, b"AG");
        }
    }
    if gene.elements_of(ElementKind::Inr).next().is_none() {
        put(seq, gene, 0, &[b"CGT"[rng.random_range(0..3)]]);
    }
    for e in &gene.elements {
        put(seq, gene, e.offset, &e.seq);
    }
    // Remove sense-strand occurrences of the motifs that were not planted.
    let core = [ElementKind::Tata, ElementKind::Ccaat, ElementKind::GcBox];
    scrub(seq, gene, (-150, 20), &core);
    if let Some(zone) = g.enh_zone {
        scrub(
            seq,
            gene,
            zone,
            &[ElementKind::Hnf4, ElementKind::Mef2, ElementKind::Ets],
        );
    }
}

/// Mutates unplanted sense-strand occurrences of `kinds` fully inside sense range `[a, b)`,
/// never touching a planted element's bases or the TSS base.
fn scrub(seq: &mut [u8], gene: &SynthGene, (a, b): (i64, i64), kinds: &[ElementKind]) {
    let protected = |o: i64| {
        o == 0
            || gene
                .elements
                .iter()
                .any(|e| (e.offset..e.offset + e.seq.len() as i64).contains(&o))
    };
    let mut window = get(seq, gene, a, (b - a) as usize);
    for _pass in 0..4 {
        let mut changed = false;
        for &kind in kinds {
            let motif = kind.motif().unwrap_or(b"");
            for i in 0..window.len().saturating_sub(motif.len() - 1) {
                let hit = window[i..i + motif.len()]
                    .iter()
                    .zip(motif)
                    .all(|(x, y)| x.to_ascii_uppercase() == *y);
                let planted = gene
                    .elements
                    .iter()
                    .any(|e| e.kind == kind && e.offset == a + i as i64);
                if hit
                    && !planted
                    && let Some(j) = (i..i + motif.len()).find(|&j| !protected(a + j as i64))
                {
                    let x = window[j];
                    let y = ACGT[(base_index(x) + 2) % 4];
                    window[j] = if x.is_ascii_lowercase() {
                        y.to_ascii_lowercase()
                    } else {
                        y
                    };
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    put(seq, gene, a, &window);
}
