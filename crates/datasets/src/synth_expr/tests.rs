use super::*;

fn small() -> SynthExprConfig {
    SynthExprConfig {
        n_samples: 60,
        n_genes: 400,
        n_modules: 4,
        genes_per_module: 20,
        ..Default::default()
    }
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    sab / (saa * sbb).sqrt()
}

fn read_all(p: &ExprPaths) -> Vec<Vec<u8>> {
    [&p.counts, &p.modules, &p.gmt, &p.truth]
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect()
}

#[test]
fn same_seed_gives_byte_identical_files() {
    let (d1, d2, d3) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let a = generate(&small()).unwrap().write(d1.path()).unwrap();
    let b = generate(&small()).unwrap().write(d2.path()).unwrap();
    let c = generate(&SynthExprConfig {
        seed: 43,
        ..small()
    })
    .unwrap()
    .write(d3.path())
    .unwrap();
    let (fa, fb, fc) = (read_all(&a), read_all(&b), read_all(&c));
    assert_eq!(fa, fb);
    for i in 0..4 {
        assert_ne!(fa[i], fc[i], "file {i} does not depend on the seed");
    }
    // the result does not depend on the rayon pool size
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| generate(&small()).unwrap());
    assert_eq!(one, generate(&small()).unwrap());
}

#[test]
fn modules_correlate_within_not_between() {
    let w = generate(&SynthExprConfig::default()).unwrap();
    let ns = w.n_samples();
    let log: Vec<Vec<f64>> = (0..w.n_genes())
        .map(|g| (0..ns).map(|s| f64::from(w.count(g, s)).ln_1p()).collect())
        .collect();
    let modules: Vec<Vec<usize>> = (0..8).map(|m| w.module_genes(m)).collect();
    let (mut within, mut nw, mut between, mut nb) = (0.0, 0, 0.0, 0);
    for (a, ga) in modules.iter().enumerate() {
        assert_eq!(ga.len(), 40);
        for (i, &g) in ga.iter().enumerate() {
            for &h in &ga[i + 1..] {
                within += pearson(&log[g], &log[h]);
                nw += 1;
            }
            for gb in &modules[a + 1..] {
                for &h in &gb[..10] {
                    between += pearson(&log[g], &log[h]);
                    nb += 1;
                }
            }
        }
    }
    let (within, between) = (within / nw as f64, between / nb as f64);
    eprintln!("mean r within {within:.3}, between {between:.3}");
    assert!(
        within > 0.5 && within - between > 0.4,
        "within {within}, between {between}"
    );
}

#[test]
fn planted_failures_are_where_the_truth_says() {
    let w = generate(&SynthExprConfig::default()).unwrap();
    assert_eq!((w.low_count_samples.len(), w.sparse_samples.len()), (1, 1));
    for s in 0..w.n_samples() {
        let low = w.low_count_samples.contains(&s);
        let sparse = w.sparse_samples.contains(&s);
        assert_eq!(
            w.library(s) < 1_000_000,
            low,
            "sample {s}: {} counts",
            w.library(s)
        );
        assert_eq!(
            w.n_expressed(s) <= 2000,
            sparse,
            "sample {s}: {} genes",
            w.n_expressed(s)
        );
    }
    let mean = |g: usize| {
        (0..w.n_samples())
            .map(|s| f64::from(w.count(g, s)))
            .sum::<f64>()
            / w.n_samples() as f64
    };
    for g in 0..w.n_genes() {
        if w.low_mean_genes.contains(&g) {
            assert!(
                mean(g) < 0.05 && w.module_of[g].is_none(),
                "gene {g}: mean {}",
                mean(g)
            );
        } else {
            assert!(mean(g) > 0.5, "gene {g}: mean {}", mean(g));
        }
    }
    // dropout: some zeros among genes expected well above zero in ordinary samples
    let zeros = (0..w.n_genes())
        .filter(|g| !w.low_mean_genes.contains(g))
        .flat_map(|g| (0..w.n_samples()).map(move |s| (g, s)))
        .filter(|&(g, s)| !w.sparse_samples.contains(&s) && w.count(g, s) == 0)
        .count();
    assert!(zeros > 100, "{zeros} dropout zeros");
    // duplicated symbols: same symbol, different ids, in no module
    assert_eq!(w.duplicated_symbols.len(), 4);
    for &(a, b) in &w.duplicated_symbols {
        assert_eq!(w.symbols[a], w.symbols[b]);
        assert_ne!(w.gene_ids[a], w.gene_ids[b]);
        assert!(w.module_of[a].is_none() && w.module_of[b].is_none());
    }
    // too few genes for a sparse sample: none planted
    let few = generate(&SynthExprConfig {
        n_genes: 1500,
        ..small()
    })
    .unwrap();
    assert!(few.sparse_samples.is_empty());
}

#[test]
fn files_agree_with_the_world() {
    let w = generate(&small()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = w.write(dir.path().join("sub")).unwrap();
    let counts = std::fs::read_to_string(&p.counts).unwrap();
    let lines: Vec<&str> = counts.lines().collect();
    assert_eq!(lines.len(), 401);
    assert!(lines[0].starts_with("gene_id\tsymbol\tS1\tS2\t") && lines[0].ends_with("\tS60"));
    let row5: Vec<&str> = lines[6].split('\t').collect();
    assert_eq!(
        (row5.len(), row5[0], row5[1]),
        (62, w.gene_ids[5].as_str(), w.symbols[5].as_str())
    );
    assert_eq!(row5[2 + 7].parse::<u32>().unwrap(), w.count(5, 7));
    let modules = std::fs::read_to_string(&p.modules).unwrap();
    let gmt = std::fs::read_to_string(&p.gmt).unwrap();
    assert_eq!(gmt.lines().count(), 4);
    for (m, line) in gmt.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f[0], format!("M{}", m + 1));
        let from_tsv: Vec<&str> = modules
            .lines()
            .skip(1)
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|r| r[2] == f[0])
            .map(|r| r[1])
            .collect();
        assert_eq!(f[2..], from_tsv[..]);
        assert_eq!(from_tsv.len(), 20);
    }
    assert_eq!(
        modules.lines().filter(|l| l.ends_with("\tnone")).count(),
        400 - 80
    );
    let truth: Truth = serde_json::from_str(&std::fs::read_to_string(&p.truth).unwrap()).unwrap();
    assert_eq!(truth, Truth::of(&w));
    assert_eq!((truth.seed, truth.config.clone()), (42, small()));
}

#[test]
fn bad_configs_are_refused() {
    let bad = |c: SynthExprConfig| generate(&c).unwrap_err().to_string();
    assert!(
        bad(SynthExprConfig {
            n_genes: 0,
            ..small()
        })
        .contains("must be >= 1")
    );
    assert!(
        bad(SynthExprConfig {
            n_samples: 2,
            ..small()
        })
        .contains("leave no ordinary")
    );
    assert!(
        bad(SynthExprConfig {
            genes_per_module: 100,
            ..small()
        })
        .contains("do not fit")
    );
    assert!(
        bad(SynthExprConfig {
            n_samples: 1 << 20,
            n_genes: 1 << 10,
            ..small()
        })
        .contains("exceeds")
    );
    assert!(
        bad(SynthExprConfig {
            noise_sd: f64::NAN,
            ..small()
        })
        .contains("noise_sd")
    );
    assert!(
        bad(SynthExprConfig {
            dropout_max: 2.0,
            ..small()
        })
        .contains("dropout_max")
    );
    assert!(
        bad(SynthExprConfig {
            sparse_expressed: 2001,
            ..small()
        })
        .contains("sparse_expressed")
    );
}
