//! Unit tests and properties of [`alt_window`] against a naive construction on the whole
//! chromosome.

use super::*;
use crate::fasta::InMemoryGenome;
use crate::seq::reverse_complement;
use crate::tss::Tss;
use crate::windows::{EndPolicy, WindowSpec, extract_window, plan_windows};
use proptest::prelude::*;

fn window(g: &InMemoryGenome, pos0: u64, strand: Strand, up: u64, down: u64) -> Window {
    let t = Tss {
        gene_id: "G".into(),
        gene_name: None,
        transcript_id: Some("T".into()),
        biotype: None,
        chrom: "c".into(),
        strand,
        pos0,
    };
    let spec = WindowSpec::new(up, down, EndPolicy::Pad);
    plan_windows(g, &[t], &spec).expect("plan").windows[0].clone()
}

fn var(pos: u64, r: &str, a: &str) -> VcfRecord {
    VcfRecord {
        chrom: "c".into(),
        pos,
        reference: r.into(),
        alt: a.into(),
        ..Default::default()
    }
}

fn apply(g: &InMemoryGenome, w: &Window, v: &VcfRecord, f: FixedLength) -> (Vec<u8>, AltOutcome) {
    let mut buf = Vec::new();
    let opts = AltOptions { fixed_length: f };
    let out = alt_window(g, w, v, &opts, &mut buf).expect("alt");
    (buf, out)
}

fn applied(out: &AltOutcome) -> AltWindow {
    match out {
        AltOutcome::Applied(a) => *a,
        other => panic!("not applied: {other:?}"),
    }
}

#[test]
fn partial_overlaps_apply_the_inside_part() {
    // 0-based:        0123456789
    let g = InMemoryGenome::from_records([("c", "AACCGGTTAC")]).expect("genome");
    // '+' window [2, 6): CCGG (TSS 3, upstream 1, downstream 2).
    let w = window(&g, 3, Strand::Forward, 1, 2);
    assert_eq!((w.start, w.end), (2, 6));
    // Deletion GGTT -> G starting inside (0-based 4): window keeps the anchor G, loses G5.
    let (s, out) = apply(&g, &w, &var(5, "GGTT", "G"), FixedLength::Off);
    assert_eq!(s, b"CCG");
    let a = applied(&out);
    assert!(a.partial);
    assert_eq!((a.length_change, a.tss_index), (-1, Some(1)));
    // Deletion ACCG -> A anchored before the window (0-based 1): C2, C3, G4 go.
    let (s, out) = apply(&g, &w, &var(2, "ACCG", "A"), FixedLength::AtEnd);
    assert_eq!(s, b"GNNN");
    assert_eq!(applied(&out).tss_index, None); // the TSS base C3 was deleted
    // An insertion anchored on the last window base keeps its inserted bases.
    let (s, _) = apply(&g, &w, &var(6, "G", "GTT"), FixedLength::Off);
    assert_eq!(s, b"CCGGTT");
    // ... and one anchored just before the window does not meet it.
    let (s, out) = apply(&g, &w, &var(2, "A", "ATT"), FixedLength::Off);
    assert_eq!((s.len(), out), (0, AltOutcome::NoOverlap));
}

#[test]
fn chromosome_ends_mismatches_and_names() {
    let g = InMemoryGenome::from_records([("c", "ACGTAcgtAC")]).expect("genome");
    // '-' TSS at 0-based 1, downstream 3: genomic [0, 3) with two Ns at the 3' end.
    let w = window(&g, 1, Strand::Reverse, 1, 3);
    let mut refseq = Vec::new();
    extract_window(&g, &w, &mut refseq).expect("ref");
    assert_eq!(refseq, b"CGTNN");
    let (s, out) = apply(&g, &w, &var(1, "A", "G"), FixedLength::Off);
    assert_eq!(s, b"CGCNN");
    assert_eq!(applied(&out).tss_index, Some(w.tss_index));
    let (s, _) = apply(&g, &w, &var(1, "A", "AT"), FixedLength::AtEnd);
    assert_eq!(s, b"CGATN");
    // '+' TSS on the last base: genomic [8, 10) then three Ns.
    let w = window(&g, 9, Strand::Forward, 1, 3);
    let (s, _) = apply(&g, &w, &var(10, "C", "T"), FixedLength::Off);
    assert_eq!(s, b"ATNNN");
    // REF check is case-insensitive against the soft-masked genome; mismatches list the genome.
    let w2 = window(&g, 7, Strand::Forward, 1, 1);
    let (s, out) = apply(&g, &w2, &var(7, "G", "A"), FixedLength::Off);
    assert_eq!(s, b"AtA");
    assert!(applied(&out).tss_index == Some(1));
    let (s, out) = apply(&g, &w2, &var(7, "GTC", "G"), FixedLength::Off);
    assert_eq!(
        (s, out),
        (
            vec![],
            AltOutcome::RefMismatch {
                genome: "gtA".into()
            }
        )
    );
    let (_, out) = apply(
        &g,
        &window(&g, 9, Strand::Forward, 1, 0),
        &var(10, "CA", "C"),
        FixedLength::Off,
    );
    assert_eq!(out, AltOutcome::RefBeyondChromosome { chrom_len: 10 });
    // A window on a chromosome the source lacks is the source's error, not a panic.
    let mut lost = w2.clone();
    lost.chrom = "z".into();
    let v = VcfRecord {
        chrom: "z".into(),
        ..var(8, "T", "A")
    };
    let e = alt_window(&g, &lost, &v, &AltOptions::default(), &mut Vec::new()).expect_err("absent");
    assert!(e.to_string().contains("\"z\""), "{e}");
    // Another chromosome (or spelling that is no alias) does not overlap.
    let other = VcfRecord {
        chrom: "d".into(),
        ..var(8, "T", "A")
    };
    assert_eq!(
        apply(&g, &w2, &other, FixedLength::Off).1,
        AltOutcome::NoOverlap
    );
}

#[test]
fn keep_tss_pads_and_trims_on_the_variant_side() {
    let g = InMemoryGenome::from_records([("c", "AACCGGTTACGT")]).expect("genome");
    let w = window(&g, 5, Strand::Forward, 3, 3); // [2, 9): CCGGTTA, TSS G5 at 3
    let del_up = var(3, "CC", "C"); // 5' of the TSS
    let (s, out) = apply(&g, &w, &del_up, FixedLength::KeepTss);
    assert_eq!(
        (s.as_slice(), applied(&out).tss_index),
        (&b"NCGGTTA"[..], Some(3))
    );
    let (s, out) = apply(&g, &w, &del_up, FixedLength::AtEnd);
    assert_eq!(
        (s.as_slice(), applied(&out).tss_index),
        (&b"CGGTTAN"[..], Some(2))
    );
    let ins_down = var(8, "T", "TAAA"); // 3' of the TSS
    let (s, out) = apply(&g, &w, &ins_down, FixedLength::KeepTss);
    assert_eq!(
        (s.as_slice(), applied(&out).tss_index),
        (&b"CCGGTTA"[..], Some(3))
    );
    let (s, _) = apply(&g, &w, &ins_down, FixedLength::Off);
    assert_eq!(s, b"CCGGTTAAAA");
}

/// A random chromosome, a '+' or '-' window under `Pad` (possibly crossing an end) and a
/// variant whose REF is read from the chromosome.
fn case() -> impl Strategy<Value = (Vec<u8>, u64, bool, u64, u64, u64, usize, Vec<u8>)> {
    (8usize..60).prop_flat_map(|n| {
        (
            proptest::collection::vec(proptest::sample::select(b"ACGTacgtN".to_vec()), n),
            0..n as u64,
            any::<bool>(),
            0u64..12,
            0u64..12,
            0..n as u64,
            1usize..5,
            proptest::collection::vec(proptest::sample::select(b"ACGT".to_vec()), 0..6),
        )
    })
}

proptest! {
    #[test]
    fn contained_variants_equal_the_naive_construction(
        (chrom, tss, minus, up, down, v0, lr, alt) in case()
    ) {
        let g = InMemoryGenome::from_records([("c", chrom.clone())]).expect("genome");
        let strand = if minus { Strand::Reverse } else { Strand::Forward };
        let w = window(&g, tss, strand, up, down);
        let v1 = (v0 + lr as u64).min(chrom.len() as u64);
        let reference = String::from_utf8(chrom[v0 as usize..v1 as usize].to_vec()).expect("ascii");
        let mut alt = alt;
        if alt.is_empty() { alt.push(b'A'); }
        let v = var(v0 + 1, &reference.to_ascii_uppercase(), std::str::from_utf8(&alt).expect("ascii"));
        let (s, out) = apply(&g, &w, &v, FixedLength::Off);
        if v1 <= w.start || v0 >= w.end {
            prop_assert_eq!(out, AltOutcome::NoOverlap);
            return Ok(());
        }
        let a = applied(&out);
        prop_assert_eq!(a.partial, v0 < w.start || v1 > w.end);
        if !a.partial {
            prop_assert_eq!(a.length_change, alt.len() as i64 - (v1 - v0) as i64);
            // Naive: edit the whole chromosome, cut the shifted window, orient, pad.
            let mut edited = chrom[..v0 as usize].to_vec();
            edited.extend_from_slice(&alt);
            edited.extend_from_slice(&chrom[v1 as usize..]);
            let end = (w.end as i64 + a.length_change) as usize;
            let mut want = edited[w.start as usize..end].to_vec();
            if minus { want = reverse_complement(&want); }
            let mut padded = vec![b'N'; w.pad_5p as usize];
            padded.extend_from_slice(&want);
            padded.resize(padded.len() + w.pad_3p as usize, b'N');
            prop_assert_eq!(&s, &padded);
        }
        // Fixed lengths keep the reference length; KeepTss keeps the TSS base where promised.
        let mut refseq = Vec::new();
        extract_window(&g, &w, &mut refseq).expect("ref");
        for f in [FixedLength::AtEnd, FixedLength::KeepTss] {
            let (s, out) = apply(&g, &w, &v, f);
            prop_assert_eq!(s.len(), refseq.len());
            if let Some(t) = applied(&out).tss_index {
                let covers = v0 <= w.tss0 && w.tss0 < v1;
                if !covers {
                    prop_assert_eq!(s[t as usize], refseq[w.tss_index as usize]);
                }
                if f == FixedLength::KeepTss && !covers {
                    prop_assert_eq!(t, w.tss_index);
                }
            }
        }
    }
}
