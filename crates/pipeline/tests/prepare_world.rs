//! Input preparation on the tiny synthetic world: window geometry, labels, streaming-friendly
//! storage and the model-directory checks.
#![allow(clippy::unwrap_used)]

use datasets::synth::{SynthConfig, generate};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::seq::reverse_complement;
use pipeline::{LabelSpec, PrepOptions, prepare};

fn world() -> (tempfile::TempDir, datasets::synth::SynthPaths) {
    let dir = tempfile::tempdir().unwrap();
    let w = generate(&SynthConfig::tiny()).unwrap();
    let p = w.write_to_dir(dir.path()).unwrap();
    (dir, p)
}

#[test]
fn the_default_window_is_xpressos_10500_bases_with_the_tss_at_7000() {
    let (_d, p) = world();
    let opts = PrepOptions::default();
    let genes = prepare(&p.fasta, &p.gtf, Some(&p.expression), &opts).unwrap();
    assert_eq!(genes.seq_len, 10_500);
    assert_eq!(genes.bases.len(), genes.len() * 10_500);
    let fasta = open_fasta(&p.fasta, &FastaOptions::default()).unwrap();
    for (i, w) in genes.windows.iter().enumerate() {
        assert_eq!(w.tss_index, 7000, "{}", w.name);
        // The base at index 7000 is the TSS base, read 5'→3' on the gene's strand.
        let mut b = Vec::new();
        fasta
            .fetch_into(&w.chrom, w.tss0, w.tss0 + 1, &mut b)
            .unwrap();
        if w.strand.as_char() == '-' {
            b = reverse_complement(&b);
        }
        let got = genes.bases[i * 10_500 + 7000].to_ascii_uppercase();
        assert_eq!(got, b[0].to_ascii_uppercase(), "{}", w.name);
    }
}

#[test]
fn all_columns_give_one_label_per_tissue() {
    let (_d, p) = world();
    let header = std::fs::read_to_string(&p.expression).unwrap();
    let columns: Vec<&str> = header.lines().next().unwrap().split('\t').skip(1).collect();
    let opts = PrepOptions {
        upstream: 100,
        downstream: 49,
        labels: LabelSpec::AllColumns,
        ..Default::default()
    };
    let genes = prepare(&p.fasta, &p.gtf, Some(&p.expression), &opts).unwrap();
    assert_eq!(genes.label_names, columns);
    assert_eq!(genes.labels.len(), genes.len() * columns.len());
    let bad = PrepOptions {
        labels: LabelSpec::Columns(vec!["no-such-tissue".into()]),
        ..opts
    };
    let err = prepare(&p.fasta, &p.gtf, Some(&p.expression), &bad).unwrap_err();
    assert!(err.to_string().contains("no-such-tissue"), "{err}");
}

#[test]
fn an_impossible_window_is_a_typed_error() {
    let (_d, p) = world();
    let opts = PrepOptions {
        upstream: 1_000_000_000_000,
        ..Default::default()
    };
    let err = prepare(&p.fasta, &p.gtf, None, &opts).unwrap_err();
    assert!(err.to_string().contains("longer than the limit"), "{err}");
    let opts = PrepOptions {
        upstream: u64::MAX,
        downstream: u64::MAX,
        ..Default::default()
    };
    assert!(opts.window_len().is_err());
}
