//! The annotation readers of genome-io on synthetic worlds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use genome_io::annotation::read_annotation;
use genome_io::tss::{TssOptions, TssPolicy, collect_tss};

/// `Detail::Spans` keeps no features but must give the same TSSs and spans as the full model,
/// with and without `transcript` lines (spans then come from the features).
#[test]
fn spans_only_reader_matches_the_full_model_on_synthetic_worlds() {
    use datasets::synth::{SynthConfig, UtrStyle, generate_to_dir};
    use genome_io::annotation::{Detail, read_annotation_with};
    for style in [UtrStyle::Gencode, UtrStyle::Ensembl] {
        let dir = tempfile::tempdir().unwrap();
        let cfg = SynthConfig {
            utr_style: style,
            ..SynthConfig::tiny()
        };
        let p = generate_to_dir(&cfg, dir.path()).unwrap();
        // The same file without its gene and transcript lines.
        let text = std::fs::read_to_string(&p.gtf).unwrap();
        let bare: String = text
            .lines()
            .filter(|l| !l.contains("\tgene\t") && !l.contains("\ttranscript\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        let bare_path = dir.path().join("bare.gtf");
        std::fs::write(&bare_path, bare).unwrap();
        for path in [&p.gtf, &bare_path] {
            let full = read_annotation(path).unwrap();
            let spans = read_annotation_with(path, Detail::Spans).unwrap();
            assert!(full.n_transcripts() > 10);
            let full_spans: Vec<_> = full.transcripts().map(|(_, t)| (&t.id, t.span)).collect();
            let only_spans: Vec<_> = spans.transcripts().map(|(_, t)| (&t.id, t.span)).collect();
            assert_eq!(only_spans, full_spans);
            assert!(spans.transcripts().all(|(_, t)| t.exons.is_empty()));
            for policy in [TssPolicy::All, TssPolicy::GeneStart] {
                let o = TssOptions {
                    policy,
                    ..Default::default()
                };
                assert_eq!(collect_tss(&spans, &o), collect_tss(&full, &o));
            }
        }
    }
}
