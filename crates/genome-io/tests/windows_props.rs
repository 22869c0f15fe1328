//! Property tests of window extraction against a naive per-base reference implementation.

use std::path::Path;

use genome_io::annotation::{Strand, read_gtf};
use genome_io::fasta::InMemoryGenome;
use genome_io::seq::complement;
use genome_io::tss::{Tss, TssOptions, collect_tss};
use genome_io::windows::{EndPolicy, WindowSpec, extract_window, for_each_sequence, plan_windows};
use proptest::prelude::*;

fn genome_strategy() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(proptest::sample::select(b"ACGTNacgtnRY".to_vec()), 1..300)
}

/// Naive reference: walk offsets -up..=down along the strand, one base at a time, N off the ends.
fn naive(seq: &[u8], pos0: u64, strand: Strand, up: u64, down: u64) -> Vec<u8> {
    let (p, len) = (pos0 as i64, seq.len() as i64);
    (-(up as i64)..=down as i64)
        .map(|k| {
            let g = if strand == Strand::Forward {
                p + k
            } else {
                p - k
            };
            if g < 0 || g >= len {
                b'N'
            } else if strand == Strand::Forward {
                seq[g as usize]
            } else {
                complement(seq[g as usize])
            }
        })
        .collect()
}

fn tss(pos0: u64, strand: Strand) -> Tss {
    Tss {
        gene_id: "G".into(),
        gene_name: None,
        transcript_id: Some("T".into()),
        biotype: None,
        chrom: "c".into(),
        strand,
        pos0,
    }
}

proptest! {
    #[test]
    fn pad_equals_the_naive_walk_and_has_full_length(
        seq in genome_strategy(), frac in 0.0f64..1.0, minus in any::<bool>(), up in 0u64..120, down in 0u64..120,
    ) {
        let g = InMemoryGenome::from_records([("c", seq.clone())]).expect("ok");
        let pos0 = ((seq.len() as f64 * frac) as u64).min(seq.len() as u64 - 1);
        let strand = if minus { Strand::Reverse } else { Strand::Forward };
        let plan = plan_windows(&g, &[tss(pos0, strand)], &WindowSpec::new(up, down, EndPolicy::Pad)).expect("ok");
        let w = &plan.windows[0];
        let mut buf = Vec::new();
        extract_window(&g, w, &mut buf).expect("ok");
        prop_assert_eq!(buf.len() as u64, up + down + 1);
        prop_assert_eq!(w.tss_index, up);
        prop_assert_eq!(&buf, &naive(&seq, pos0, strand, up, down));
    }

    #[test]
    fn clip_and_skip_keep_the_tss_at_tss_index(
        seq in genome_strategy(), frac in 0.0f64..1.0, minus in any::<bool>(), up in 0u64..120, down in 0u64..120,
    ) {
        let g = InMemoryGenome::from_records([("c", seq.clone())]).expect("ok");
        let pos0 = ((seq.len() as f64 * frac) as u64).min(seq.len() as u64 - 1);
        let strand = if minus { Strand::Reverse } else { Strand::Forward };
        let reference = naive(&seq, pos0, strand, up, down);
        let inside = !reference.is_empty() && {
            let (p, l) = (pos0 as i64, seq.len() as i64);
            let (lo, hi) = if minus { (p - down as i64, p + up as i64) } else { (p - up as i64, p + down as i64) };
            lo >= 0 && hi < l
        };
        let tss_base = reference[up as usize];
        let clip = plan_windows(&g, &[tss(pos0, strand)], &WindowSpec::new(up, down, EndPolicy::Clip)).expect("ok");
        let w = &clip.windows[0];
        let mut buf = Vec::new();
        extract_window(&g, w, &mut buf).expect("ok");
        prop_assert_eq!(buf[w.tss_index as usize], tss_base);
        prop_assert_eq!(buf.len() as u64, w.end - w.start);
        prop_assert_eq!(clip.report.clipped, usize::from(!inside));
        // Clipping removes exactly the off-chromosome bases of the naive walk.
        let lead = (up - w.tss_index) as usize;
        prop_assert_eq!(&buf[..], &reference[lead..lead + buf.len()]);
        let (p, l) = (pos0 as i64, seq.len() as i64);
        let (lo, hi) = if minus { (p - down as i64, p + up as i64) } else { (p - up as i64, p + down as i64) };
        prop_assert_eq!(buf.len() as i64, hi.min(l - 1) - lo.max(0) + 1);
        let skip = plan_windows(&g, &[tss(pos0, strand)], &WindowSpec::new(up, down, EndPolicy::Skip)).expect("ok");
        prop_assert_eq!(skip.windows.len(), usize::from(inside));
        prop_assert_eq!(skip.report.skipped, usize::from(!inside));
    }

    #[test]
    fn tss_base_sits_at_tss_index_for_random_transcripts(
        seq in proptest::collection::vec(proptest::sample::select(b"ACGTacgt".to_vec()), 20..400),
        spans in proptest::collection::vec((0.0f64..1.0, 0.0f64..1.0, any::<bool>()), 1..8),
        up in 0u64..60, down in 0u64..60, ends in 0u8..3,
    ) {
        let n = seq.len() as u64;
        let mut text = String::new();
        for (i, (a, b, minus)) in spans.iter().enumerate() {
            let (x, y) = ((a * n as f64) as u64 + 1, (b * n as f64) as u64 + 1);
            let (s, e) = (x.min(y).min(n), x.max(y).min(n));
            let strand = if *minus { '-' } else { '+' };
            text += &format!("c\tP\texon\t{s}\t{e}\t.\t{strand}\t.\tgene_id \"G{i}\"; transcript_id \"T{i}\";\n");
        }
        let ann = read_gtf(text.as_bytes(), Path::new("<memory>")).expect("ok");
        let g = InMemoryGenome::from_records([("c", seq.clone())]).expect("ok");
        let tss = collect_tss(&ann, &TssOptions::default());
        prop_assert_eq!(tss.len(), spans.len());
        let policy = [EndPolicy::Skip, EndPolicy::Clip, EndPolicy::Pad][ends as usize];
        let plan = plan_windows(&g, &tss, &WindowSpec::new(up, down, policy)).expect("ok");
        let mut seen = 0;
        for_each_sequence(&g, &plan.windows, |w, s| {
            let (_, tx) = ann.transcript(w.transcript_id.as_deref().expect("ok")).expect("ok");
            // 1-based TSS = GTF start on '+', GTF end on '-'; the base read on the transcript strand.
            let expected = match tx.strand {
                Strand::Forward => seq[tx.span.start as usize],
                Strand::Reverse => complement(seq[tx.span.end as usize - 1]),
            };
            assert_eq!(s[w.tss_index as usize], expected, "{w:?}");
            seen += 1;
            Ok(())
        }, |_| {}).expect("ok");
        prop_assert_eq!(seen, plan.report.kept);
        prop_assert_eq!(plan.report.kept + plan.report.skipped, spans.len());
    }
}

#[test]
fn parallel_batches_keep_the_input_order() {
    // More windows than one batch, on both strands: the sink sees them in plan order and each
    // sequence equals a sequential extraction.
    let seq: Vec<u8> = (0..5000u32)
        .map(|i| b"ACGTacgtN"[(i * 7 % 9) as usize])
        .collect();
    let g = InMemoryGenome::from_records([("c", seq)]).expect("ok");
    let tss: Vec<Tss> = (0..3000u64)
        .map(|i| {
            tss(
                (i * 13) % 5000,
                if i % 2 == 0 {
                    Strand::Forward
                } else {
                    Strand::Reverse
                },
            )
        })
        .collect();
    let plan = plan_windows(&g, &tss, &WindowSpec::new(40, 20, EndPolicy::Pad)).expect("ok");
    assert!(plan.windows.len() > genome_io::windows::BATCH);
    let mut i = 0;
    let mut buf = Vec::new();
    for_each_sequence(
        &g,
        &plan.windows,
        |w, s| {
            assert_eq!(w, &plan.windows[i]);
            extract_window(&g, w, &mut buf).expect("ok");
            assert_eq!(s, &buf[..]);
            i += 1;
            Ok(())
        },
        |_| {},
    )
    .expect("ok");
    assert_eq!(i, plan.windows.len());
}
