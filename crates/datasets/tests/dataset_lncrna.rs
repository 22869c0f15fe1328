//! The four lncRNA-study tasks on the synthetic world (datasets::synth, tiny preset).
#![allow(clippy::unwrap_used)]

use datasets::error::{DatasetError, LabelsError};
use std::collections::{HashMap, HashSet};
use std::path::Path;

use datasets::dataset::lncrna::{LncrnaConfig, build_lncrna, write_lncrna_dataset};
use datasets::splits::Split;
use datasets::synth::{SynthConfig, generate};
use genome_io::annotation::{Annotation, Strand, read_annotation};
use genome_io::expression::{ExpressionTable, open_table};
use genome_io::fasta::{InMemoryGenome, SequenceSource};

struct World {
    genome: InMemoryGenome,
    ann: Annotation,
    table: ExpressionTable,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let w = generate(&SynthConfig::tiny()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    World {
        genome: InMemoryGenome::from_records(w.chromosomes.clone()).unwrap(),
        ann: read_annotation(&p.gtf).unwrap(),
        table: open_table(&p.expression, &Default::default()).unwrap(),
        _dir: dir,
    }
}

#[test]
fn tasks_1_2_4_build_with_expected_structure() {
    let w = world();
    // Task 1: every negative is a dinucleotide shuffle of a positive of the same gene and split.
    let ds = build_lncrna(
        &w.genome,
        &w.ann,
        None,
        &LncrnaConfig {
            task: 1,
            ..Default::default()
        },
    )
    .unwrap();
    let pos: HashMap<&str, (&str, Split)> = ds
        .examples
        .iter()
        .zip(&ds.splits)
        .filter(|(e, _)| e.example.label == 1)
        .map(|(e, s)| (e.gene_id.as_str(), (e.example.sequence.as_str(), *s)))
        .collect();
    assert!(pos.len() > 50);
    assert_eq!(
        ds.summary.counts.total_positive(),
        ds.summary.counts.total_negative()
    );
    for (e, s) in ds
        .examples
        .iter()
        .zip(&ds.splits)
        .filter(|(e, _)| e.example.label == 0)
    {
        let (p, ps) = pos[e.gene_id.as_str()];
        assert_eq!(*s, ps, "shuffle and source promoter share a split");
        assert_eq!(e.example.sequence.len(), 300);
        assert_eq!(e.example.sequence.as_bytes()[0], p.as_bytes()[0]);
    }
    // Windows: the TSS sits at offset l - 50 of the 5'->3' sequence; check against the genome.
    for e in ds.examples.iter().filter(|e| e.example.label == 1).take(40) {
        let g = w.ann.gene(&e.gene_id).unwrap();
        let mut b = Vec::new();
        w.genome
            .fetch_into(&g.chrom, g.tss0(), g.tss0() + 1, &mut b)
            .unwrap();
        let mut tss_base = b[0].to_ascii_uppercase();
        if g.strand == Strand::Reverse {
            tss_base = genome_io::seq::complement(tss_base);
        }
        assert_eq!(
            e.example.sequence.as_bytes()[250],
            tss_base,
            "{}",
            e.gene_id
        );
        assert_eq!(e.end - e.start, 300);
    }

    // Task 2: negatives are genomic windows far from every TSS.
    // No GC matching here: synthetic promoters carry CpG islands far above the 41% background.
    let cfg2 = LncrnaConfig {
        task: 2,
        flank: 1000,
        ..Default::default()
    };
    let ds2 = build_lncrna(&w.genome, &w.ann, None, &cfg2).unwrap();
    let rep = ds2.summary.background.clone().unwrap();
    assert!(rep.excluded_region + rep.ambiguous_base > 0, "{rep:?}");
    let tss: Vec<(String, u64)> = w
        .ann
        .transcripts()
        .map(|(_, t)| (t.chrom.clone(), t.tss0()))
        .collect();
    for e in ds2.examples.iter().filter(|e| e.example.label == 0) {
        assert_eq!(e.source, "background");
        assert!(e.example.sequence.bytes().all(|b| b"ACGT".contains(&b)));
        for (c, p) in &tss {
            assert!(c != &e.chrom || e.end + 1000 <= *p || e.start > p + 1000);
        }
    }
    assert_eq!(
        ds2.summary.counts.total_positive(),
        ds2.summary.counts.total_negative()
    );

    // Task 4: coding (1) vs lncRNA (0), balanced.
    let ds4 = build_lncrna(
        &w.genome,
        &w.ann,
        None,
        &LncrnaConfig {
            task: 4,
            ..Default::default()
        },
    )
    .unwrap();
    let c = &ds4.summary.counts;
    assert_eq!(c.total_positive(), c.total_negative());
    assert!(c.total_positive() > 10);
    assert_eq!(
        ds4.summary.biotypes["label_1"].keys().collect::<Vec<_>>(),
        vec!["protein_coding"]
    );
    assert_eq!(
        ds4.summary.biotypes["label_0"].keys().collect::<Vec<_>>(),
        vec!["lncRNA"]
    );
    let again = build_lncrna(
        &w.genome,
        &w.ann,
        None,
        &LncrnaConfig {
            task: 4,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(again, ds4, "seeded");
}

#[test]
fn task_3_builds_and_writes_files() {
    let w = world();
    let cfg = LncrnaConfig {
        task: 3,
        length: 500,
        ..Default::default()
    };
    let ds = build_lncrna(
        &w.genome,
        &w.ann,
        Some((&w.table, Path::new("expression.tsv"))),
        &cfg,
    )
    .unwrap();
    let x = ds.summary.expression.clone().unwrap();
    assert!(x.matched_genes > 0 && x.high > 0 && x.low > 0, "{x:?}");
    assert_eq!(
        ds.summary.counts.total_positive(),
        ds.summary.counts.total_negative()
    );
    assert!(ds.examples.iter().all(|e| e.example.sequence.len() == 500));
    let dir = tempfile::tempdir().unwrap();
    write_lncrna_dataset(dir.path(), &ds).unwrap();
    let mut n = 0;
    for f in ["train.csv", "dev.csv", "test.csv"] {
        n += datasets::dataset::read_dataset_file(dir.path().join(f))
            .unwrap()
            .len();
    }
    assert_eq!(n, ds.examples.len());
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    assert!(summary["gc_positive"]["mean"].as_f64().unwrap() > 0.0);
    let genes_in: HashMap<String, HashSet<String>> =
        std::fs::read_to_string(dir.path().join("examples.tsv"))
            .unwrap()
            .lines()
            .skip(1)
            .fold(HashMap::new(), |mut m, l| {
                let f: Vec<&str> = l.split('\t').collect();
                m.entry(f[2].to_string())
                    .or_default()
                    .insert(f[0].to_string());
                m
            });
    assert!(
        genes_in.values().all(|s| s.len() == 1),
        "a gene in two splits"
    );
}

#[test]
fn bad_inputs_are_typed_errors() {
    let w = world();
    let short = LncrnaConfig {
        task: 1,
        length: 50,
        ..Default::default()
    };
    assert!(matches!(
        build_lncrna(&w.genome, &w.ann, None, &short),
        Err(datasets::Error::Dataset(DatasetError::WindowTooShort {
            length: 50,
            min: 51
        }))
    ));
    // A table whose ids match nothing in the annotation.
    let t = ExpressionTable::from_rows(
        (0..8).map(|i| format!("NOPE{i}")).collect(),
        vec!["a".into(), "b".into()],
        (0..16).map(f64::from).collect(),
    )
    .unwrap();
    let r = build_lncrna(
        &w.genome,
        &w.ann,
        Some((&t, Path::new("t.tsv"))),
        &LncrnaConfig {
            task: 3,
            ..Default::default()
        },
    );
    match r {
        Err(datasets::Error::Labels(LabelsError::JoinNoMatch {
            table_genes: 8,
            annotation_genes,
            ..
        })) => assert!(annotation_genes > 0),
        other => panic!("expected LabelJoinNoMatch, got {other:?}"),
    }
    // Zero positives: an annotation whose only genes are neither coding nor lncRNA.
    let mut ann = w.ann.clone();
    ann.genes.iter_mut().for_each(|g| {
        g.biotype = Some("miRNA".into());
        g.transcripts.clear();
    });
    match build_lncrna(
        &w.genome,
        &ann,
        None,
        &LncrnaConfig {
            task: 1,
            ..Default::default()
        },
    ) {
        Err(datasets::Error::Dataset(DatasetError::EmptyClass {
            task: 1,
            class: "positive",
            detail,
        })) => assert!(detail.contains("0 genes selected"), "{detail}"),
        other => panic!("expected EmptyClass, got {other:?}"),
    }
    assert!(
        build_lncrna(
            &w.genome,
            &w.ann,
            None,
            &LncrnaConfig {
                task: 3,
                ..Default::default()
            }
        )
        .is_err()
    );
    assert!(
        build_lncrna(
            &w.genome,
            &w.ann,
            None,
            &LncrnaConfig {
                task: 5,
                ..Default::default()
            }
        )
        .is_err()
    );
}

/// One window convention for the whole workspace: the task builders' promoters are exactly what
/// `seq2expr windows --transcripts gene --upstream 250 --downstream 49` extracts (upper-cased),
/// and the TSS base sits at index 250, read straight off the FASTA.
#[test]
fn promoters_are_the_windows_of_the_windows_command() {
    use datasets::dataset::lncrna::promoter_spec;
    use genome_io::seq::complement;
    use genome_io::tss::{TssOptions, TssPolicy, collect_tss};
    use genome_io::windows::{extract_window, plan_windows};

    let w = world();
    let ds = build_lncrna(
        &w.genome,
        &w.ann,
        None,
        &LncrnaConfig {
            task: 1,
            ..Default::default()
        },
    )
    .unwrap();
    let spec = promoter_spec(300).unwrap();
    assert_eq!((spec.upstream, spec.downstream), (250, 49));
    let tss = collect_tss(
        &w.ann,
        &TssOptions {
            policy: TssPolicy::GeneStart,
            ..Default::default()
        },
    );
    let plan = plan_windows(&w.genome, &tss, &spec).unwrap();
    let by_gene: HashMap<&str, &genome_io::windows::Window> = plan
        .windows
        .iter()
        .map(|w| (w.gene_id.as_str(), w))
        .collect();
    let mut checked = 0;
    let mut buf = Vec::new();
    for e in ds.examples.iter().filter(|e| e.source == "promoter") {
        let win = by_gene[e.gene_id.as_str()];
        assert_eq!((e.start, e.end), (win.start, win.end), "{}", e.gene_id);
        extract_window(&w.genome, win, &mut buf).unwrap();
        buf.make_ascii_uppercase();
        assert_eq!(e.example.sequence.as_bytes(), &buf[..], "{}", e.gene_id);
        // The TSS base, from the FASTA directly: the first base of a `+` gene, the complement of
        // the last base of a `-` gene.
        let mut tss_base = Vec::new();
        w.genome
            .fetch_into(&win.chrom, win.tss0, win.tss0 + 1, &mut tss_base)
            .unwrap();
        let expected = match win.strand {
            Strand::Forward => tss_base[0],
            Strand::Reverse => complement(tss_base[0]),
        }
        .to_ascii_uppercase();
        assert_eq!(
            e.example.sequence.as_bytes()[250],
            expected,
            "{}",
            e.gene_id
        );
        assert_eq!(win.tss_index, 250);
        checked += 1;
    }
    assert!(checked > 50, "only {checked} promoters checked");
}
