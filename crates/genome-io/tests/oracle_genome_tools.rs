//! Oracle tests against ../shared/oracles/genome/tool_behaviour.json: the edge cases of
//! bedtools 2.30 and samtools 1.16 (chromosome ends, soft-masking, headers) and how our explicit
//! policies answer each.

use std::path::PathBuf;

use genome_io::annotation::Strand;
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::output::{OutputFormat, write_windows};
use genome_io::windows::{EndPolicy, Window, WindowSpec, extract_window, plan_windows};

fn oracle() -> PathBuf {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    shared.join("oracles/genome")
}

fn genome() -> Box<dyn SequenceSource> {
    open_fasta(oracle().join("genome.fa.gz"), &FastaOptions::default()).expect("oracle genome")
}

/// A hand-made window on the oracle genome (0-based half-open genomic interval).
fn window(chrom: &str, start: u64, end: u64, strand: Strand) -> Window {
    Window {
        name: "probe".into(),
        gene_id: "G".into(),
        gene_name: None,
        transcript_id: None,
        biotype: None,
        chrom: chrom.into(),
        strand,
        tss0: start,
        start,
        end,
        pad_5p: 0,
        pad_3p: 0,
        tss_index: 0,
        clipped_left: false,
        clipped_right: false,
    }
}

fn probe_stdout(probes: &serde_json::Value, name: &str) -> Vec<String> {
    probes[name]["stdout"]
        .as_array()
        .expect("stdout")
        .iter()
        .map(|s| s.as_str().expect("s").to_string())
        .collect()
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn tool_behaviour_cases_follow_our_explicit_policies() {
    let text = std::fs::read_to_string(oracle().join("tool_behaviour.json")).expect("json");
    let tb: serde_json::Value = serde_json::from_str(&text).expect("json");
    let probes = &tb["probes"];
    let g = genome();
    let mut buf = Vec::new();
    // Interval ending exactly at the chromosome end, minus strand; start 0 minus strand; soft-mask
    // boundary: case is preserved through the reverse complement, headers as bedtools writes them.
    for (probe, chrom, start, end, strand) in [
        (
            "bedtools_end_equals_chrom_end",
            "chr2",
            700_003,
            700_013,
            Strand::Reverse,
        ),
        ("bedtools_start_0", "chr2", 0, 10, Strand::Reverse),
        (
            "bedtools_softmasked_boundary_rc",
            "chr1",
            9165,
            9175,
            Strand::Reverse,
        ),
    ] {
        let mut w = window(chrom, start, end, strand);
        let name = probes[probe]["bed"][0]
            .as_str()
            .expect("bed")
            .split('\t')
            .nth(3)
            .expect("name")
            .to_string();
        w.name = name;
        let mut out = Vec::new();
        write_windows(
            &*g,
            std::slice::from_ref(&w),
            OutputFormat::Fasta,
            &mut out,
            |_| {},
        )
        .expect("write");
        let expected = probe_stdout(probes, probe).join("\n") + "\n";
        assert_eq!(String::from_utf8(out).expect("utf8"), expected, "{probe}");
    }
    // Without -s bedtools ignores the strand: that is our + strand extraction.
    extract_window(&*g, &window("chr2", 0, 10, Strand::Forward), &mut buf).expect("fwd");
    assert_eq!(
        buf,
        probe_stdout(probes, "bedtools_no_strand_flag")[1].as_bytes()
    );
    extract_window(&*g, &window("chr1", 9165, 9175, Strand::Forward), &mut buf).expect("fwd");
    assert_eq!(
        buf,
        probe_stdout(probes, "samtools_softmasked_boundary_fwd")[1].as_bytes()
    );

    // A window past the chromosome end (chr2:700003-700028 requested): bedtools drops it (our
    // Skip, counted), samtools truncates it (our Clip, same bases), Pad fills with N.
    let tss = |pos0: u64, strand: Strand| genome_io::tss::Tss {
        gene_id: "G".into(),
        gene_name: None,
        transcript_id: Some("past_end".into()),
        biotype: None,
        chrom: "chr2".into(),
        strand,
        pos0,
    };
    let t = [tss(700_003, Strand::Forward)];
    let skip = plan_windows(&*g, &t, &WindowSpec::new(0, 24, EndPolicy::Skip)).expect("skip");
    assert_eq!((skip.windows.len(), skip.report.skipped), (0, 1));
    assert!(probe_stdout(probes, "bedtools_end_past_chrom_end").is_empty());
    let clip = plan_windows(&*g, &t, &WindowSpec::new(0, 24, EndPolicy::Clip)).expect("clip");
    assert_eq!(clip.report.clipped, 1);
    extract_window(&*g, &clip.windows[0], &mut buf).expect("clip");
    assert_eq!(
        buf,
        probe_stdout(probes, "samtools_end_past_chrom_end")[1].as_bytes()
    );
    let pad = plan_windows(&*g, &t, &WindowSpec::new(0, 24, EndPolicy::Pad)).expect("pad");
    extract_window(&*g, &pad.windows[0], &mut buf).expect("pad");
    assert_eq!(buf.len(), 25);
    assert_eq!(&buf[10..], &[b'N'; 15][..]);

    // A negative start: bedtools aborts (exit 1, partial or no output); we never abort — the
    // window is skipped (counted) and the later windows are still written.
    assert_eq!(probes["bedtools_negative_start"]["exit_code"], 1);
    let t = [tss(10, Strand::Forward), tss(500, Strand::Forward)];
    let skip = plan_windows(&*g, &t, &WindowSpec::new(30, 0, EndPolicy::Skip)).expect("skip");
    assert_eq!(
        (
            skip.windows.len(),
            skip.report.skipped,
            skip.windows[0].start
        ),
        (1, 1, 470)
    );

    // Unknown chromosome: bedtools warns and skips; we fail by default with a clear message, or
    // skip and count on request.
    let mut t = tss(5, Strand::Forward);
    t.chrom = "chrX".into();
    let err = plan_windows(
        &*g,
        std::slice::from_ref(&t),
        &WindowSpec::new(1, 1, EndPolicy::Skip),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            genome_io::Error::Windows(genome_io::WindowsError::ChromosomeNotInFasta { .. })
        ),
        "{err}"
    );
    let mut spec = WindowSpec::new(1, 1, EndPolicy::Skip);
    spec.skip_missing_chroms = true;
    let p = plan_windows(&*g, &[t], &spec).expect("skip missing");
    assert_eq!((p.windows.len(), p.report.missing_chrom), (0, 1));
    // Zero-length features cannot arise: every window holds at least the TSS base.
    assert!(probe_stdout(probes, "bedtools_zero_length").is_empty());
    let p = plan_windows(
        &*g,
        &[tss(100, Strand::Reverse)],
        &WindowSpec::new(0, 0, EndPolicy::Skip),
    )
    .expect("1bp");
    assert_eq!(p.windows[0].len(), 1);
}
