//! Seqlet calling + clustering on synthetic sequences with two planted motifs (some copies
//! reverse-complemented): the expected clusters follow from the construction, not from evalkit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use evalkit::motifs::{self, ClusterParams, SeqletParams, Strand};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const M1: &str = "TATAAAAGGC";
const M2: &str = "GGGGCGGGGC";

fn revcomp(s: &str) -> String {
    s.chars()
        .rev()
        .map(|c| match c {
            'A' => 'T',
            'C' => 'G',
            'G' => 'C',
            _ => 'A',
        })
        .collect()
}

/// (sequences, attributions, planted (example, start, motif 0/1)).
type World = (
    Vec<Vec<[f64; 4]>>,
    Vec<Vec<[f64; 4]>>,
    Vec<(usize, usize, usize)>,
);

fn world() -> World {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut xs, mut attrs, mut planted) = (Vec::new(), Vec::new(), Vec::new());
    for ex in 0..24 {
        let mut seq: Vec<char> = (0..120)
            .map(|_| b"ACGT"[rng.random_range(0..4)] as char)
            .collect();
        let which = ex % 2;
        let m = if which == 0 { M1 } else { M2 };
        let m = if ex % 3 == 0 {
            revcomp(m)
        } else {
            m.to_string()
        };
        let start = rng.random_range(10..100);
        for (i, c) in m.chars().enumerate() {
            seq[start + i] = c;
        }
        planted.push((ex, start, which));
        let s: String = seq.iter().collect();
        let x = motifs::one_hot(&s).unwrap();
        let a: Vec<[f64; 4]> = x
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let w = if (start..start + 10).contains(&i) {
                    1.0 + rng.random_range(-0.1..0.1)
                } else {
                    rng.random_range(-0.05..0.05)
                };
                r.map(|v| v * w)
            })
            .collect();
        xs.push(x);
        attrs.push(a);
    }
    (xs, attrs, planted)
}

fn consensus(pwm: &[[f64; 4]]) -> String {
    pwm.iter()
        .map(|c| {
            let (b, p) = c
                .iter()
                .enumerate()
                .fold((0, 0.0), |m, (b, &p)| if p > m.1 { (b, p) } else { m });
            if p >= 0.75 { b"ACGT"[b] as char } else { 'n' }
        })
        .collect()
}

#[test]
fn planted_motifs_give_two_clusters() {
    let (xs, attrs, planted) = world();
    let proj: Vec<Vec<f64>> = attrs
        .iter()
        .map(|a| a.iter().map(|r| r.iter().sum()).collect())
        .collect();
    let seqlets = motifs::recursive_seqlets(&proj, &SeqletParams::default()).unwrap();
    // every planted copy is found by a seqlet overlapping it by at least 8 of 10 positions
    let family = |s: &motifs::Seqlet| {
        planted
            .iter()
            .find(|&&(ex, st, _)| ex == s.example && s.start.max(st) + 8 <= s.end.min(st + 10))
    };
    for &(ex, st, _) in &planted {
        assert!(
            seqlets
                .iter()
                .any(|s| s.example == ex && s.start.max(st) + 8 <= s.end.min(st + 10)),
            "planted copy at {ex}:{st} missed; seqlets {seqlets:?}"
        );
    }
    let planted_seqlets: Vec<_> = seqlets
        .iter()
        .filter(|s| family(s).is_some())
        .cloned()
        .collect();
    let params = ClusterParams {
        p_threshold: 1e-2,
        ..ClusterParams::default()
    };
    let clusters = motifs::cluster_seqlets(&planted_seqlets, &xs, &attrs, &params).unwrap();
    assert!(clusters.len() >= 2);
    for (c, m) in clusters.iter().take(2).zip(0..) {
        let fams: Vec<usize> = c
            .members
            .iter()
            .map(|mb| family(&planted_seqlets[mb.seqlet]).unwrap().2)
            .collect();
        assert!(
            fams.iter().all(|&f| f == fams[0]),
            "cluster {m} mixes motifs: {fams:?}"
        );
        assert!(
            c.members.len() >= 10,
            "cluster {m} has {} members",
            c.members.len()
        );
        let want = if fams[0] == 0 { M1 } else { M2 };
        let cons = consensus(&c.pwm);
        assert!(
            cons.contains(want) || cons.contains(&revcomp(want)),
            "cluster {m}: consensus {cons} lacks {want}"
        );
        // both orientations were planted, so both strands must occur among members
        assert!(c.members.iter().any(|mb| mb.strand == Strand::Reverse));
        assert_eq!(c.coverage.iter().max(), Some(&c.members.len()));
    }
    let written = motifs::Motif::new("c0", clusters[0].pwm.clone()).unwrap();
    let mut buf = Vec::new();
    motifs::write_meme(&mut buf, &[written], [0.25; 4]).unwrap();
    assert_eq!(
        motifs::read_meme(buf.as_slice(), "c").unwrap().motifs.len(),
        1
    );
}

#[test]
fn cluster_rejects_bad_input() {
    let x = vec![motifs::one_hot("ACGTACGT").unwrap()];
    let s = motifs::Seqlet {
        example: 0,
        start: 4,
        end: 12,
        attribution: 1.0,
        p_value: 0.0,
    };
    assert!(
        motifs::cluster_seqlets(std::slice::from_ref(&s), &x, &x, &ClusterParams::default())
            .is_err()
    );
    let s = motifs::Seqlet {
        example: 3,
        end: 6,
        ..s
    };
    assert!(motifs::cluster_seqlets(&[s], &x, &x, &ClusterParams::default()).is_err());
    assert!(motifs::cluster_seqlets(&[], &x, &x, &ClusterParams::default()).is_err());
}
