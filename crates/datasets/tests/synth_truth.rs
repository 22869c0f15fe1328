//! The known answer of the synthetic world: planted elements sit at the documented offsets on the
//! gene's strand, expression follows them, and the genome looks like a genome.
#![allow(clippy::unwrap_used)]

mod synth_common;

use std::collections::{BTreeMap, BTreeSet};

use datasets::synth::{SynthConfig, SynthPaths, expression as ex, generate_to_dir};
use synth_common::*;

fn world(cfg: &SynthConfig) -> (tempfile::TempDir, SynthPaths) {
    let dir = tempfile::tempdir().unwrap();
    let p = generate_to_dir(cfg, dir.path()).unwrap();
    (dir, p)
}

fn is_y(b: u8) -> bool {
    b == b'C' || b == b'T'
}

#[test]
fn planted_elements_sit_at_documented_offsets_on_the_gene_strand() {
    let (_d, p) = world(&SynthConfig::tiny());
    let g: BTreeMap<String, Vec<u8>> = read_fasta(&p.fasta).into_iter().collect();
    let (_, truth) = read_tsv(&p.truth);
    let tx = by_transcript(&read_gtf(&p.gtf));
    let mut seen = BTreeMap::<String, usize>::new();
    for r in &truth {
        let (chrom, strand) = (&g[&r["chrom"]], r["strand"].chars().next().unwrap());
        let tss0 = r["tss_1based"].parse::<u64>().unwrap() - 1;
        // the canonical transcript of the GTF starts at this TSS (1-based: start on +, end on -)
        let t = tx[&r["canonical_transcript"]]
            .iter()
            .find(|f| f.kind == "transcript")
            .unwrap();
        assert_eq!(
            if strand == '+' { t.start } else { t.end - 1 },
            tss0,
            "{}",
            r["gene_id"]
        );
        assert!(
            t.attrs
                .iter()
                .any(|(k, v)| k == "tag" && v == "Ensembl_canonical")
        );
        let mut kinds = BTreeSet::new();
        for el in r["elements"].split(';').filter(|s| *s != ".") {
            let (kind, rest) = el.split_once('@').unwrap();
            let (off, seq) = rest.split_once(':').unwrap();
            let off: i64 = off.parse().unwrap();
            let mut got = sense(chrom, tss0, strand, off, seq.len());
            got.make_ascii_uppercase();
            assert_eq!(
                got,
                seq.as_bytes(),
                "{} {el}: genome has {}",
                r["gene_id"],
                String::from_utf8_lossy(&got)
            );
            let fixed = |m: &str, range: std::ops::RangeInclusive<i64>| {
                assert_eq!(seq, m, "{el}");
                assert!(
                    range.contains(&off),
                    "{} {el}: offset outside {range:?}",
                    r["gene_id"]
                );
            };
            match kind {
                "TATA" => fixed("TATAAA", -31..=-31),
                "CCAAT" => fixed("CCAAT", -85..=-75),
                "GC" => fixed("GGGCGG", -110..=-40),
                "HNF4" => fixed("GGTCAAAGGTCA", -6500..=-1000),
                "MEF2" => fixed("CTAAAAATAG", -6500..=-1000),
                "ETS" => fixed("CCGGAAGT", -6500..=-1000),
                "INR" => {
                    let s = seq.as_bytes();
                    assert_eq!(off, -2);
                    assert!(
                        is_y(s[0])
                            && is_y(s[1])
                            && s[2] == b'A'
                            && (s[4] == b'A' || s[4] == b'T')
                            && is_y(s[5])
                            && is_y(s[6]),
                        "{el}"
                    );
                }
                k => panic!("unknown element kind {k}"),
            }
            *seen.entry(kind.to_string()).or_default() += 1;
            kinds.insert(kind);
        }
        // counts in the columns agree with the list; absent core elements are really absent
        assert_eq!(
            r["tata"].parse::<usize>().unwrap(),
            usize::from(kinds.contains("TATA"))
        );
        if !kinds.contains("TATA") {
            assert_ne!(
                sense(chrom, tss0, strand, -31, 6).to_ascii_uppercase(),
                b"TATAAA"
            );
        }
        if !kinds.contains("INR") {
            assert_ne!(
                sense(chrom, tss0, strand, 0, 1).to_ascii_uppercase(),
                b"A",
                "TSS base of a gene without Inr"
            );
        }
    }
    for k in ["TATA", "CCAAT", "GC", "INR", "HNF4", "MEF2", "ETS"] {
        assert!(
            seen.get(k).copied().unwrap_or(0) >= 3,
            "too few {k}: {seen:?}"
        );
    }
}

/// Promoter score read from the sequence alone, with the documented weights.
fn sequence_score(chrom: &[u8], tss0: u64, strand: char) -> f64 {
    let w = sense(chrom, tss0, strand, -120, 130).to_ascii_uppercase(); // offsets -120..+10
    let at = |off: i64, m: &[u8]| w[(off + 120) as usize..].starts_with(m);
    let mut s = 0.0;
    if at(-31, b"TATAAA") {
        s += ex::TATA_EFFECT;
    }
    if (-85..=-75).any(|o| at(o, b"CCAAT")) {
        s += ex::CCAAT_EFFECT;
    }
    s += ex::GC_BOX_EFFECT * (-110..=-40).filter(|&o| at(o, b"GGGCGG")).count() as f64;
    let inr = &w[118..125];
    if is_y(inr[0])
        && is_y(inr[1])
        && inr[2] == b'A'
        && (inr[4] == b'A' || inr[4] == b'T')
        && is_y(inr[5])
        && is_y(inr[6])
    {
        s += ex::INR_EFFECT;
    }
    s
}

#[test]
fn expression_follows_the_planted_promoter_elements() {
    let cfg = SynthConfig {
        chrom_lengths: vec![2_500_000, 2_000_000, 1_500_000],
        protein_coding_genes: 450,
        lncrna_genes: 150,
        ..SynthConfig::tiny()
    };
    let (_d, p) = world(&cfg);
    let g: BTreeMap<String, Vec<u8>> = read_fasta(&p.fasta).into_iter().collect();
    let (_, truth) = read_tsv(&p.truth);
    let (header, expr) = read_tsv(&p.expression);
    assert_eq!(header[0], "gene_id");
    assert_eq!(&header[1..], cfg.tissues.as_slice());
    assert_eq!(expr.len(), truth.len());
    let log_mean = |row: &BTreeMap<String, String>, prefix: &str| {
        cfg.tissues
            .iter()
            .map(|t| row[&format!("{prefix}{t}")].parse::<f64>().unwrap())
            .sum::<f64>()
            / cfg.tissues.len() as f64
    };
    let (mut score, mut y_obs, mut y_free) = (vec![], vec![], vec![]);
    for (r, e) in truth.iter().zip(&expr) {
        assert_eq!(r["gene_id"], e["gene_id"]);
        let tss0 = r["tss_1based"].parse::<u64>().unwrap() - 1;
        score.push(sequence_score(
            &g[&r["chrom"]],
            tss0,
            r["strand"].chars().next().unwrap(),
        ));
        let logs: Vec<f64> = cfg
            .tissues
            .iter()
            .map(|t| e[t].parse::<f64>().unwrap().log2())
            .collect();
        y_obs.push(logs.iter().sum::<f64>() / logs.len() as f64);
        y_free.push(log_mean(r, "y_"));
    }
    // Best achievable correlation: r(score, noise-free) shrunk by the documented noise variance.
    let noise_var = cfg.noise_sd.powi(2) + cfg.tissue_noise_sd.powi(2) / cfg.tissues.len() as f64;
    let r_free = pearson(&score, &y_free);
    let expected = r_free * (variance(&y_free) / (variance(&y_free) + noise_var)).sqrt();
    let observed = pearson(&score, &y_obs);
    let n = score.len() as f64;
    let threshold = expected - 4.0 / n.sqrt();
    assert!(
        r_free > 0.4,
        "sequence score vs noise-free expression r = {r_free}"
    );
    assert!(
        observed > threshold.max(0.25),
        "r = {observed}, expected about {expected}, threshold {threshold}"
    );
    // and the truth's noise-free values stay within the noise of the observations
    let resid: Vec<f64> = y_obs.iter().zip(&y_free).map(|(a, b)| a - b).collect();
    let sd = variance(&resid).sqrt();
    assert!(
        (sd - noise_var.sqrt()).abs() < 0.2 * noise_var.sqrt() + 0.05,
        "residual sd {sd} vs {}",
        noise_var.sqrt()
    );
}

#[test]
fn genome_composition_masking_and_n_runs_look_real() {
    let cfg = SynthConfig::tiny();
    let (_d, p) = world(&cfg);
    let fasta = read_fasta(&p.fasta);
    let all: Vec<u8> = fasta.iter().flat_map(|(_, s)| s.iter().copied()).collect();
    let count = |f: &dyn Fn(u8) -> bool| all.iter().filter(|&&b| f(b)).count() as f64;
    let acgt = count(&|b| b"ACGTacgt".contains(&b));
    let gc = count(&|b| b"CGcg".contains(&b)) / acgt;
    assert!((0.38..=0.45).contains(&gc), "GC {gc}");
    let lower = count(&|b| b.is_ascii_lowercase()) / acgt;
    assert!(
        (0.25..=0.55).contains(&lower),
        "soft-masked fraction {lower}"
    );
    let up: Vec<u8> = all.to_ascii_uppercase();
    let cpg_oe = |s: &[u8]| {
        let c = s.iter().filter(|&&b| b == b'C').count() as f64;
        let g = s.iter().filter(|&&b| b == b'G').count() as f64;
        let n = s.iter().filter(|b| b"ACGT".contains(b)).count() as f64;
        s.windows(2).filter(|w| w == b"CG").count() as f64 * n / (c * g)
    };
    // CpG depletion: intergenic DNA (outside every gene span +- 1 kb), then whole genome
    let g: BTreeMap<String, Vec<u8>> = fasta.iter().cloned().collect();
    let mut inter: BTreeMap<String, Vec<u8>> = g
        .iter()
        .map(|(k, v)| (k.clone(), v.to_ascii_uppercase()))
        .collect();
    for f in read_gtf(&p.gtf).iter().filter(|f| f.kind == "gene") {
        let s = inter.get_mut(&f.chrom).unwrap();
        let (a, b) = (
            f.start.saturating_sub(1000) as usize,
            (f.end as usize + 1000).min(s.len()),
        );
        s[a..b].fill(b'N');
    }
    let inter: Vec<u8> = inter.into_values().flatten().collect();
    assert!(
        cpg_oe(&inter) < 0.4,
        "intergenic CpG o/e {}",
        cpg_oe(&inter)
    );
    assert!(cpg_oe(&up) < 0.6, "genome-wide CpG o/e {}", cpg_oe(&up));
    eprintln!(
        "CpG o/e: intergenic {:.3}, genome {:.3}; GC {gc:.3}; soft-masked {lower:.3}",
        cpg_oe(&inter),
        cpg_oe(&up)
    );
    // CpG islands at promoters
    let (_, truth) = read_tsv(&p.truth);
    let mut island = Vec::new();
    for r in truth.iter().filter(|r| r["cpg_island"] == "1") {
        let tss0 = r["tss_1based"].parse::<u64>().unwrap() - 1;
        island.extend(
            sense(
                &g[&r["chrom"]],
                tss0,
                r["strand"].chars().next().unwrap(),
                -450,
                400,
            )
            .to_ascii_uppercase(),
        );
        island.push(b'N');
    }
    assert!(
        cpg_oe(&island) > 0.6,
        "CpG o/e in islands {}",
        cpg_oe(&island)
    );
    // N runs: chr1 starts and ends with 10 kb of N; other N runs exist inside
    let chr1 = &fasta[0].1;
    assert!(chr1[..10_000].iter().all(|&b| b == b'N') && chr1[10_000] != b'N');
    assert!(chr1[chr1.len() - 10_000..].iter().all(|&b| b == b'N'));
    let runs = all
        .windows(2)
        .filter(|w| w[0] != b'N' && w[1] == b'N')
        .count();
    assert!(runs >= 3, "only {runs} internal N runs");
    // every chromosome has a TSS within 7 kb of its first or last non-N base, and on chromosomes
    // with short telomeric N runs 10.5 kb windows run past the end
    let mut past_end = 0;
    for (name, seq) in &fasta {
        let first = seq.iter().position(|&b| b != b'N').unwrap() as u64;
        let last = seq.iter().rposition(|&b| b != b'N').unwrap() as u64;
        let tss: Vec<u64> = truth
            .iter()
            .filter(|r| &r["chrom"] == name)
            .map(|r| r["tss_1based"].parse::<u64>().unwrap() - 1)
            .collect();
        assert!(
            tss.iter()
                .any(|&t| t < first + 7000 || t > last.saturating_sub(7000)),
            "{name}: no gene near an end"
        );
        past_end += tss
            .iter()
            .filter(|&&t| t < 7000 || t + 7000 >= seq.len() as u64)
            .count();
    }
    assert!(
        past_end >= 2,
        "only {past_end} TSSs within 7 kb of a chromosome end"
    );
}

#[test]
fn alternative_tss_and_canonical_is_longest_cds_with_tie_breaks() {
    let (_d, p) = world(&SynthConfig::tiny());
    let feats = read_gtf(&p.gtf);
    let tx = by_transcript(&feats);
    // per gene: (canonical, tss, CDS length, 5'UTR length, 3'UTR length) of each transcript
    type Tx = (bool, u64, u64, u64, u64);
    let mut genes: BTreeMap<String, Vec<Tx>> = BTreeMap::new();
    for fs in tx.values() {
        let t = fs.iter().find(|f| f.kind == "transcript").unwrap();
        let tss = if t.strand == '+' { t.start } else { t.end - 1 };
        let canonical = t
            .attrs
            .iter()
            .any(|(k, v)| k == "tag" && v == "Ensembl_canonical");
        let len = |k: &str| {
            fs.iter()
                .filter(|f| f.kind == k)
                .map(|f| f.end - f.start)
                .sum::<u64>()
        };
        let cds: Vec<&Feature> = fs.iter().filter(|f| f.kind == "CDS").collect();
        let (cds_lo, cds_hi) = (
            cds.iter().map(|f| f.start).min(),
            cds.iter().map(|f| f.end).max(),
        );
        // 5'UTR / 3'UTR = exonic bases before / after the CDS on the transcript's strand (+3: stop)
        let exonic = |keep: &dyn Fn(u64) -> bool| {
            fs.iter()
                .filter(|f| f.kind == "exon")
                .flat_map(|f| f.start..f.end)
                .filter(|&x| keep(x))
                .count() as u64
        };
        let (u5, u3) = match (cds_lo, cds_hi, t.strand) {
            (Some(lo), Some(hi), '+') => (exonic(&|x| x < lo), exonic(&|x| x >= hi) - 3),
            (Some(lo), Some(hi), _) => (exonic(&|x| x >= hi), exonic(&|x| x < lo) - 3),
            _ => (0, 0),
        };
        genes
            .entry(t.attr("gene_id").unwrap().into())
            .or_default()
            .push((canonical, tss, len("CDS"), u5, u3));
    }
    let mut alt_tss = 0;
    for (id, ts) in &genes {
        let distinct: BTreeSet<u64> = ts.iter().map(|t| t.1).collect();
        if distinct.len() > 1 {
            alt_tss += 1;
        }
        let best = ts.iter().map(|t| (t.2, t.3, t.4)).max().unwrap();
        let canon = ts.iter().find(|t| t.0).unwrap();
        assert_eq!(
            (canon.2, canon.3, canon.4),
            best,
            "{id}: canonical is not the longest CDS with tie-breaks"
        );
    }
    assert!(
        alt_tss >= genes.len() / 3,
        "only {alt_tss} of {} genes have alternative TSSs",
        genes.len()
    );
}
