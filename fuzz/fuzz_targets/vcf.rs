//! VCF records from memory ([`VcfReader`], strict or skipping malformed lines), each applied to
//! a promoter window of a small genome with [`alt_window`].
#![no_main]
use genome_io::annotation::Strand;
use genome_io::fasta::InMemoryGenome;
use genome_io::tss::Tss;
use genome_io::variants::{AltOptions, FixedLength, alt_window};
use genome_io::vcf::{VcfOptions, VcfReader};
use genome_io::windows::{EndPolicy, WindowSpec, plan_windows};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&f, rest)) = data.split_first() else {
        return;
    };
    let g =
        InMemoryGenome::from_records([("chr1", "AACCGGTTACGTACGTNNNNacgtacgt")]).expect("genome");
    let strand = if f & 2 == 2 {
        Strand::Reverse
    } else {
        Strand::Forward
    };
    let t = Tss {
        gene_id: "G".into(),
        gene_name: None,
        transcript_id: None,
        biotype: None,
        chrom: "chr1".into(),
        strand,
        pos0: 10,
    };
    let plan = plan_windows(&g, &[t], &WindowSpec::new(6, 6, EndPolicy::Skip)).expect("window");
    let w = &plan.windows[0];
    let opts = AltOptions {
        fixed_length: [
            FixedLength::Off,
            FixedLength::AtEnd,
            FixedLength::KeepTss,
            FixedLength::Off,
        ][usize::from((f >> 2) & 3)],
    };
    let mut buf = Vec::new();
    let reader = VcfReader::new(rest, "fuzz.vcf").with_options(VcfOptions {
        skip_malformed: f & 1 == 1,
    });
    for r in reader.take(10_000) {
        let Ok(v) = r else { break };
        let _ = v.label();
        let _ = (v.start0(), v.end0());
        let _ = alt_window(&g, w, &v, &opts, &mut buf);
    }
});
