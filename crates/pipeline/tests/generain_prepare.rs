//! GeneRAIN `prepare` on hand-checkable matrices, and (ignored) on the real gEUVADIS counts.

use std::path::{Path, PathBuf};

use genome_io::matrix::{MatrixError, Orientation};
use pipeline::generain::{GeneKey, PrepareError, PrepareSettings, PreparedDir, prepare};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write input");
    p
}

/// Settings with the thresholds of a tiny matrix.
fn small(input: &Path, o: Orientation, out: &Path) -> PrepareSettings {
    let mut s = PrepareSettings::new(input, o, out);
    s.min_total_counts = 1.0;
    s.min_expressed_genes = 1;
    s.min_gene_mean = 0.0;
    s
}

/// Every sample totals 100 = `library_size`, so each value is `log10(count + 1)` and ranks
/// within a gene follow the counts.
const RANKS: &str = "gene_id\tS1\tS2\tS3\tS4\n\
g1\t50\t10\t60\t70\n\
g2\t30\t0\t40\t20\n\
g3\t20\t90\t0\t10\n";

fn ranks_settings(input: &Path, o: Orientation, out: &Path) -> PrepareSettings {
    let mut s = small(input, o, out);
    s.library_size = 100.0;
    (s.gene_bins, s.top_n, s.token_bins) = (5, 3, 4);
    (s.ref_fraction, s.ref_min_keep) = (1.0, 1);
    s
}

/// Hand-worked tokens of [`RANKS`] with 5 gene bins, top 3, 4 token bins.
///
/// Gene bins (`2 + floor(r·4/n)` over each gene's non-zero values): g1 = S2 2, S1 3, S3 4, S4 5;
/// g2 = S4 2, S1 3, S3 4, S2 1; g3 = S4 2, S1 3, S2 4, S3 1. Per sample genes by (bin desc,
/// value desc); the e expressed ones get `2 + floor(r·3/e)` with r the ascending rank:
/// S1 bins 3,3,3 → g1,g2,g3 → 4,3,2; S2 → g3,g1,(g2 unexpressed) → 3,2,1; S3 → g1,g2,(g3) →
/// 3,2,1; S4 g1 5, g2 2 vs g3 2 by value → g1,g2,g3 → 4,3,2.
fn expected_ranks() -> Vec<(Vec<u32>, Vec<u16>)> {
    vec![
        (vec![0, 1, 2], vec![4, 3, 2]),
        (vec![2, 0, 1], vec![3, 2, 1]),
        (vec![0, 1, 2], vec![3, 2, 1]),
        (vec![0, 1, 2], vec![4, 3, 2]),
    ]
}

fn records(dir: &Path) -> Vec<(Vec<u32>, Vec<u16>)> {
    let p = PreparedDir::open(dir).expect("open prepared");
    (0..p.len())
        .map(|i| {
            let t = p.get(i).expect("record");
            assert_eq!(
                t.unexpressed,
                t.bins.iter().map(|&b| b == 1).collect::<Vec<_>>()
            );
            (t.genes, t.bins)
        })
        .collect()
}

fn transpose(tsv: &str, corner: &str) -> String {
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    let mut out = String::new();
    for c in 0..rows[0].len() {
        let f: Vec<&str> = rows
            .iter()
            .map(|r| {
                if c == 0 && r == &rows[0] {
                    corner
                } else {
                    r[c]
                }
            })
            .collect();
        out.push_str(&f.join("\t"));
        out.push('\n');
    }
    out
}

#[test]
fn hand_checked_tokens_both_orientations_and_record_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let input = write(d.path(), "ranks.tsv", RANKS);
    let out = d.path().join("out");
    let sum = prepare(&ranks_settings(&input, Orientation::GenesBySamples, &out)).unwrap();
    assert_eq!((sum.samples_kept, sum.genes_kept, sum.top_n), (4, 3, 3));
    assert_eq!(records(&out), expected_ranks());
    let p = PreparedDir::open(&out).unwrap();
    assert_eq!(
        (p.n_genes(), p.top_n(), p.samples()[1].as_str()),
        (3, 3, "S2")
    );
    assert!(matches!(
        p.get(4),
        Err(pipeline::Error::Generain(PrepareError::OutOfRange {
            index: 4,
            len: 4
        }))
    ));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bin_reference.safetensors",
            "genes.tsv",
            "prepare.json",
            "samples.tsv",
            "tokens.bin"
        ]
    );
    // the same matrix as samples x genes, gzip-compressed, gives the same bytes
    let t = transpose(RANKS, "sample");
    let gz = d.path().join("t.tsv.gz");
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut z, t.as_bytes()).unwrap();
    std::fs::write(&gz, z.finish().unwrap()).unwrap();
    let out2 = d.path().join("out2");
    prepare(&ranks_settings(&gz, Orientation::SamplesByGenes, &out2)).unwrap();
    assert_eq!(
        std::fs::read(out.join("tokens.bin")).unwrap(),
        std::fs::read(out2.join("tokens.bin")).unwrap()
    );
    // a truncated tokens.bin is refused
    let tb = out2.join("tokens.bin");
    let bytes = std::fs::read(&tb).unwrap();
    std::fs::write(&tb, &bytes[..bytes.len() - 2]).unwrap();
    assert!(matches!(
        PreparedDir::open(&out2),
        Err(pipeline::Error::Generain(PrepareError::Prepared { .. }))
    ));
}

#[test]
fn reference_reuse_gives_identical_tokens_and_checks_the_vocabulary() {
    let d = tempfile::tempdir().unwrap();
    let input = write(d.path(), "ranks.tsv", RANKS);
    let (a, b) = (d.path().join("a"), d.path().join("b"));
    prepare(&ranks_settings(&input, Orientation::GenesBySamples, &a)).unwrap();
    let mut s = ranks_settings(&input, Orientation::GenesBySamples, &b);
    s.reference = Some(a.clone());
    let sum = prepare(&s).unwrap();
    assert!(sum.reused_reference);
    // fraction 1 and distinct values: the reference reproduces Binning-By-Gene exactly
    assert_eq!(records(&b), expected_ranks());
    assert_eq!(
        std::fs::read(a.join("genes.tsv")).unwrap(),
        std::fs::read(b.join("genes.tsv")).unwrap()
    );
    // a new sample between S1 and S3 for g1 (55 of 100) lands in S3's bin 4 (p = 2 of 4 kept)
    let new = write(d.path(), "new.tsv", "gene_id\tN\ng1\t55\ng2\t45\ng3\t0\n");
    let mut s = ranks_settings(&new, Orientation::GenesBySamples, &d.path().join("c"));
    s.reference = Some(a.clone());
    prepare(&s).unwrap();
    // gene bins: g1 4 (2+floor(2·4/4)), g2 45 > all 3 kept → 2+floor(3·4/3)=6 → clamped 5; g3 0 → 1
    assert_eq!(
        records(&d.path().join("c")),
        vec![(vec![1, 0, 2], vec![3, 2, 1])]
    );
    // a matrix without g3 disagrees with the vocabulary
    let less = write(d.path(), "less.tsv", "gene_id\tN\ng1\t55\ng2\t45\n");
    let mut s = ranks_settings(&less, Orientation::GenesBySamples, &d.path().join("e"));
    s.reference = Some(a.clone());
    let e = prepare(&s).unwrap_err();
    assert!(
        matches!(
            &e,
            pipeline::Error::Generain(PrepareError::Reference { .. })
        ),
        "{e}"
    );
    assert!(e.to_string().contains("g3"), "{e}");
    assert!(
        !d.path().join("e").exists(),
        "nothing is written before the checks"
    );
    s.input = new;
    s.gene_bins = 7;
    assert!(matches!(
        prepare(&s),
        Err(pipeline::Error::Generain(PrepareError::Reference { .. }))
    ));
}

#[test]
fn sample_filters_and_normalisation_numbers() {
    let d = tempfile::tempdir().unwrap();
    // A: total 10, 2 expressed (kept); B: total 5 (< 10); C: total 20 but 1 expressed (<= 1)
    let input = write(
        d.path(),
        "f.tsv",
        "id\tA\tB\tC\ng1\t6\t5\t20\ng2\t4\t0\t0\n",
    );
    let out = d.path().join("out");
    let mut s = small(&input, Orientation::GenesBySamples, &out);
    s.min_total_counts = 10.0;
    let sum = prepare(&s).unwrap();
    assert_eq!(
        (
            sum.samples_in,
            sum.samples_dropped_total_counts,
            sum.samples_dropped_expressed_genes,
            sum.samples_kept
        ),
        (4 - 1, 1, 1, 1)
    );
    let p = PreparedDir::open(&out).unwrap();
    assert_eq!(p.samples(), ["A"]);
    // 6 of 10 counts at a library size of 1e7: log10(6e6 + 1) = 6.778151..., 4: log10(4e6 + 1) = 6.602060...
    let m: Vec<f64> = p.genes().iter().map(|g| g.mean).collect();
    assert!(
        (m[0] - 6.778_151_3).abs() < 1e-6 && (m[1] - 6.602_060_1).abs() < 1e-6,
        "{m:?}"
    );
    s.min_total_counts = 100.0;
    let e = prepare(&s).unwrap_err();
    assert!(
        matches!(
            e,
            pipeline::Error::Generain(PrepareError::NoSamples {
                n_samples: 3,
                dropped_total: 3,
                ..
            })
        ),
        "{e}"
    );
}

#[test]
fn duplicate_symbols_keep_the_highest_mean_and_low_means_are_dropped() {
    let d = tempfile::tempdir().unwrap();
    // each sample totals 9 and library_size = 9: values are log10(count + 1)
    let text = "id\tsymbol\tA\tB\ng1\tX\t1\t1\ng2\tX\t6\t6\ng3\tY\t1\t0\ng4\t\t1\t2\n";
    let input = write(d.path(), "d.tsv", text);
    let out = d.path().join("out");
    let mut s = small(&input, Orientation::GenesBySamples, &out);
    s.matrix.symbol_column = true;
    s.gene_key = GeneKey::Symbol;
    s.library_size = 9.0;
    // means: g1 log10 2 = 0.301, g2 log10 7 = 0.845, g3 (log10 2)/2 = 0.151, g4 (log10 2 + log10 3)/2 = 0.389
    s.min_gene_mean = 0.2;
    let sum = prepare(&s).unwrap();
    assert_eq!(
        (
            sum.genes_in,
            sum.genes_dropped_duplicate,
            sum.genes_dropped_low_mean,
            sum.genes_kept
        ),
        (4, 1, 1, 2)
    );
    let p = PreparedDir::open(&out).unwrap();
    let ids: Vec<(&str, &str)> = p
        .genes()
        .iter()
        .map(|g| (g.id.as_str(), g.symbol.as_str()))
        .collect();
    assert_eq!(ids, [("g2", "X"), ("g4", "")]); // g4 has no symbol: keyed by its id
    assert!((p.genes()[0].mean - 7f64.log10()).abs() < 1e-6);
    // keyed by id, both X rows stay
    s.gene_key = GeneKey::Id;
    assert_eq!(prepare(&s).unwrap().genes_kept, 3);
    // symbols asked of a matrix without a symbol column
    s.matrix.symbol_column = false;
    s.gene_key = GeneKey::Symbol;
    assert!(matches!(
        prepare(&s),
        Err(pipeline::Error::Generain(PrepareError::Settings(_)))
    ));
}

fn matrix_error(text: &str) -> MatrixError {
    let d = tempfile::tempdir().expect("tempdir");
    let input = write(d.path(), "bad.csv", text);
    let out = d.path().join("out");
    let e = prepare(&small(&input, Orientation::GenesBySamples, &out))
        .expect_err("a bad matrix must fail");
    assert!(!out.exists(), "nothing is written for a bad input");
    assert!(e.to_string().contains("bad.csv:"), "{e}");
    match e {
        pipeline::Error::Genome(genome_io::Error::Matrix(m)) => *m,
        e => panic!("not a matrix error: {e}"),
    }
}

#[test]
fn bad_inputs_are_typed_errors_naming_line_and_column() {
    assert!(matches!(
        matrix_error("id,A,B\ng1,1,2\ng2,3\n"),
        MatrixError::Ragged { line: 3, .. }
    ));
    assert!(matches!(
        matrix_error("id,A,B\ng1,1,x\n"),
        MatrixError::BadCount {
            line: 2,
            column: 3,
            ..
        }
    ));
    assert!(matches!(
        matrix_error("id,A,B\ng1,-1,2\n"),
        MatrixError::BadCount {
            line: 2,
            column: 2,
            ..
        }
    ));
    assert!(matches!(
        matrix_error("id,A,A\ng1,1,2\n"),
        MatrixError::DuplicateId { what: "sample", .. }
    ));
    assert!(matches!(matrix_error("id,A\n"), MatrixError::Empty { .. }));
}

/// A deterministic 700 genes × 300 samples matrix (xorshift counts, some zeros; the genes
/// g0, g7, g14, … are all zero).
fn generated() -> String {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut t = String::from("gene_id");
    (0..300).for_each(|s| t.push_str(&format!("\ts{s}")));
    for g in 0..700 {
        t.push_str(&format!("\ng{g}"));
        for _ in 0..300 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let c = if x.is_multiple_of(5) {
                0
            } else {
                (x >> 20) % (1 + 50 * (g as u64 % 7))
            };
            t.push_str(&format!("\t{c}"));
        }
    }
    t + "\n"
}

#[test]
fn small_memory_blocks_give_the_same_output() {
    let d = tempfile::tempdir().unwrap();
    let text = generated();
    let a_in = write(d.path(), "g.tsv", &text);
    let b_in = write(d.path(), "t.tsv", &transpose(&text, "sample"));
    let (a, b) = (d.path().join("a"), d.path().join("b"));
    let mut s = small(&a_in, Orientation::GenesBySamples, &a);
    (s.top_n, s.gene_bins, s.token_bins) = (50, 40, 10);
    prepare(&s).unwrap();
    // 1 MiB blocks: pass 3 (samples x genes) 218 of 300 samples, pass 4 87 of 600 genes,
    // pass 5 145 of 300 samples
    let mut t = s.clone();
    (t.input, t.out_dir, t.matrix.orientation, t.memory_mb) =
        (b_in, b.clone(), Orientation::SamplesByGenes, 1);
    prepare(&t).unwrap();
    for f in [
        "tokens.bin",
        "genes.tsv",
        "bin_reference.safetensors",
        "samples.tsv",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let p = PreparedDir::open(&a).unwrap();
    assert_eq!((p.len(), p.n_genes(), p.top_n()), (300, 700 - 100, 50));
}
