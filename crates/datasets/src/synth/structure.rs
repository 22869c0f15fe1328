//! Transcript structures (sense offsets): canonical transcripts and their alternatives.
//!
//! Alternatives of a protein-coding gene keep the canonical CDS and never have a longer 5'UTR or
//! 3'UTR than the canonical transcript, so "canonical" and "longest CDS with Xpresso's tie-breaks"
//! select the same transcript; "gene start" picks the most upstream TSS instead.
//! * **A**, downstream TSS: the first exon starts 8.. bases later (shorter 5'UTR);
//! * **B**, upstream first exon: an extra exon 600..`max_alt_upstream` bp upstream, spliced into an
//!   internal acceptor of the 5'UTR (the new 5'UTR is still shorter);
//! * **C**, earlier polyadenylation: the last exon ends 20.. bases earlier;
//! * **D** (lncRNA only), exon skipping.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::config::SynthConfig;
use super::model::{SynthBiotype, SynthTranscript};
use super::rng::{log_uniform, range_u64};

/// Structures of one gene: transcripts (canonical first, ids not yet assigned), the upstream
/// reserve (bp before the canonical TSS owned by the gene) and the body end (sense offset).
pub(crate) struct Structure {
    pub transcripts: Vec<SynthTranscript>,
    pub up: i64,
    pub body: i64,
}

/// Smallest upstream reserve: the promoter (CpG island to -500, elements to -110) plus a margin.
pub(crate) const CORE_UP: i64 = 600;

const TSL: [&str; 5] = ["1", "2", "3", "5", "NA"];

/// Splits `total` into `k` parts of at least `min` (requires `total >= k * min`).
fn split(rng: &mut ChaCha8Rng, total: u64, k: usize, min: u64) -> Vec<u64> {
    let w: Vec<f64> = (0..k).map(|_| 0.2 + rng.random::<f64>()).collect();
    let sum: f64 = w.iter().sum();
    let free = total - min * k as u64;
    let mut parts: Vec<u64> = w
        .iter()
        .map(|x| min + (free as f64 * x / sum) as u64)
        .collect();
    let used: u64 = parts.iter().sum();
    parts[k - 1] += total - used;
    parts
}

/// Lays exons of the given lengths out from offset 0 with random introns.
fn lay_out(rng: &mut ChaCha8Rng, cfg: &SynthConfig, lens: &[u64]) -> Vec<(i64, i64)> {
    let mut pos = 0i64;
    let mut exons = Vec::with_capacity(lens.len());
    for (i, &l) in lens.iter().enumerate() {
        if i > 0 {
            pos += range_u64(rng, (cfg.intron_len.0 as u64, cfg.intron_len.1 as u64)) as i64;
        }
        exons.push((pos, pos + l as i64));
        pos += l as i64;
    }
    exons
}

fn transcript(
    exons: Vec<(i64, i64)>,
    cds: Option<(u64, u64)>,
    canonical: bool,
    tsl: &'static str,
) -> SynthTranscript {
    SynthTranscript {
        id: String::new(),
        name: String::new(),
        exons,
        cds,
        canonical,
        support_level: tsl,
    }
}

/// Spliced position of sense offset `pos` in `exons`, if inside an exon.
fn spliced_of_sense(exons: &[(i64, i64)], pos: i64) -> Option<u64> {
    let mut acc = 0i64;
    for &(a, b) in exons {
        if (a..b).contains(&pos) {
            return Some((acc + pos - a) as u64);
        }
        acc += b - a;
    }
    None
}

/// Splice-site bases (`GT` after each exon, `AG` before the next) of `exons` as (offset, base).
fn sites(exons: &[(i64, i64)]) -> impl Iterator<Item = (i64, u8)> + '_ {
    exons.windows(2).flat_map(|w| {
        [
            (w[0].1, b'G'),
            (w[0].1 + 1, b'T'),
            (w[1].0 - 2, b'A'),
            (w[1].0 - 1, b'G'),
        ]
    })
}

/// True when the splice sites of `exons` never ask for another base where a transcript of `all`
/// has a splice site (two alternative acceptors one base apart would overwrite each other).
fn sites_agree(all: &[SynthTranscript], exons: &[(i64, i64)]) -> bool {
    sites(exons).all(|(o, b)| {
        all.iter()
            .all(|t| sites(&t.exons).all(|(o2, b2)| o != o2 || b == b2))
    })
}

/// Plans a gene's transcripts. `near_end` genes get no upstream alternative exon and an upstream
/// reserve of 600..=3000 bp (their TSS sits that far from a chromosome end).
pub(crate) fn plan(
    rng: &mut ChaCha8Rng,
    cfg: &SynthConfig,
    biotype: SynthBiotype,
    near_end: bool,
) -> Structure {
    let (canonical, cds_sense) = match biotype {
        SynthBiotype::ProteinCoding => canonical_pc(rng, cfg),
        SynthBiotype::LncRna => (canonical_lnc(rng, cfg), None),
    };
    let want = match biotype {
        SynthBiotype::ProteinCoding => range_u64(
            rng,
            (cfg.pc_transcripts.0 as u64, cfg.pc_transcripts.1 as u64),
        ),
        SynthBiotype::LncRna => range_u64(
            rng,
            (cfg.lnc_transcripts.0 as u64, cfg.lnc_transcripts.1 as u64),
        ),
    } as usize;
    let mut all = vec![canonical];
    let mut tries = 0;
    while all.len() < want && tries < 10 * want {
        tries += 1;
        if let Some(exons) = alternative(rng, cfg, &all[0], biotype, near_end)
            && all.iter().all(|t| t.exons != exons)
            && sites_agree(&all, &exons)
        {
            let cds = cds_sense.and_then(|(s, e)| {
                Some((
                    spliced_of_sense(&exons, s)?,
                    spliced_of_sense(&exons, e - 1)? + 1,
                ))
            });
            all.push(transcript(
                exons,
                cds,
                false,
                TSL[rng.random_range(0..TSL.len())],
            ));
        }
    }
    let first = all.iter().map(|t| t.exons[0].0).min().unwrap_or(0);
    let up = if near_end {
        range_u64(rng, (600, 3000)) as i64
    } else {
        CORE_UP.max(50 - first)
    };
    let body = all
        .iter()
        .map(|t| t.exons.last().map_or(0, |e| e.1))
        .max()
        .unwrap_or(1);
    Structure {
        transcripts: all,
        up,
        body,
    }
}

/// Canonical protein-coding transcript and its CDS as a sense range (stop codon excluded).
fn canonical_pc(rng: &mut ChaCha8Rng, cfg: &SynthConfig) -> (SynthTranscript, Option<(i64, i64)>) {
    let u5 = log_uniform(rng, 40, 300);
    let cds = 3 * range_u64(rng, (cfg.cds_codons.0 as u64, cfg.cds_codons.1 as u64));
    let u3 = log_uniform(rng, 80, 1200);
    let total = u5 + cds + 3 + u3;
    let k = (range_u64(rng, (cfg.pc_exons.0 as u64, cfg.pc_exons.1 as u64)) as usize)
        .min((total / 50) as usize)
        .max(2);
    let lens = split(rng, total, k, 50);
    let exons = lay_out(rng, cfg, &lens);
    let t = transcript(exons, Some((u5, u5 + cds)), true, "1");
    let s = t.sense_of_spliced(u5);
    let e = t.sense_of_spliced(u5 + cds - 1);
    let range = s.zip(e).map(|(s, e)| (s, e + 1));
    (t, range)
}

/// Canonical lncRNA transcript: 1-4 exons, 300-3000 bp spliced.
fn canonical_lnc(rng: &mut ChaCha8Rng, cfg: &SynthConfig) -> SynthTranscript {
    let k = [1, 2, 2, 2, 3, 3, 3, 4][rng.random_range(0..8)];
    let total = log_uniform(rng, 300, 3000);
    let lens = split(rng, total, k, 60);
    transcript(
        lay_out(rng, cfg, &lens),
        None,
        true,
        TSL[rng.random_range(0..TSL.len())],
    )
}

/// One random alternative of `canon`, or `None` when the drawn kind does not fit.
fn alternative(
    rng: &mut ChaCha8Rng,
    cfg: &SynthConfig,
    canon: &SynthTranscript,
    biotype: SynthBiotype,
    near_end: bool,
) -> Option<Vec<(i64, i64)>> {
    let mut exons = canon.exons.clone();
    let l1 = exons[0].1 - exons[0].0;
    let n = exons.len();
    // 5' room: bases of exon 1 before the CDS (all of exon 1 minus 60 for lncRNAs).
    let room = match biotype {
        SynthBiotype::ProteinCoding => l1.min(canon.utr5_len() as i64),
        SynthBiotype::LncRna => l1 - 60,
    };
    let start_kind = rng.random_range(0..10);
    let end_kind = rng.random_range(0..10);
    let mut changed = false;
    if start_kind < 4 && room >= 16 {
        // A: downstream TSS
        exons[0].0 += rng.random_range(8..=room - 8);
        changed = true;
    } else if start_kind < 7 && room >= 40 && !near_end {
        // B: upstream first exon spliced into an acceptor at p (p - w bases shorter 5'UTR)
        let p = rng.random_range(35..=room - 5);
        let w = rng.random_range(30..p);
        let d = rng.random_range(600..=(cfg.max_alt_upstream as i64 - w).max(600));
        exons[0].0 = p;
        exons.insert(0, (-d - w, -d));
        changed = true;
    }
    let last = exons.len() - 1;
    let tail_room = match biotype {
        SynthBiotype::ProteinCoding => {
            let stop_end = canon.sense_of_spliced(canon.cds.map_or(0, |c| c.1) + 2)? + 1;
            exons[last].1 - stop_end.max(exons[last].0)
        }
        SynthBiotype::LncRna => exons[last].1 - exons[last].0 - 60,
    };
    if end_kind < 4 && tail_room >= 60 {
        // C: earlier polyA
        exons[last].1 -= rng.random_range(20..=tail_room - 30);
        changed = true;
    } else if biotype == SynthBiotype::LncRna && end_kind >= 7 && n >= 3 {
        // D: skip one internal canonical exon
        let off = exons.len() - n;
        exons.remove(off + rng.random_range(1..n - 1));
        changed = true;
    }
    changed.then_some(exons)
}
