//! Greedy clustering of seqlets into motifs.
//!
//! Method:
//!
//! 1. Each seqlet's contribution-weight matrix (CWM) is `attr × one-hot` over its span, divided
//!    by its largest absolute entry (so seqlets of different strength compare on shape).
//! 2. All seqlet CWMs are compared with all of them by [`tomtom`] (so the null of step 2 of the
//!    Tomtom statistic is built from the seqlets' own columns), giving for every pair a p-value,
//!    an offset and a strand.
//! 3. Seqlets are visited by decreasing attribution sum; each one not yet assigned seeds a
//!    cluster that takes every unassigned seqlet whose p-value against the seed is below
//!    `p_threshold`, aligned by that comparison's offset and strand.
//! 4. A cluster's PWM and CWM are averaged in the seed's frame (the seed's width): for each
//!    member, the sequence positions facing the seed's columns (reverse-complemented for a
//!    reverse match; positions may lie outside the member's span but not outside its example)
//!    contribute their one-hot (PWM, normalised per column; uniform where nothing is covered)
//!    and their `attr × one-hot` (CWM, mean over covering members, unnormalised).

use super::{Seqlet, Strand, TomtomParams, tomtom};
use crate::{Error, Result};

/// Parameters of [`cluster_seqlets`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterParams {
    /// A seqlet joins a seed's cluster when the Tomtom p-value of seed vs seqlet is below this
    /// (default 1e-3).
    pub p_threshold: f64,
    /// Clusters with fewer members are dropped (default 1: keep all).
    pub min_size: usize,
    /// Parameters of the pairwise comparison.
    pub tomtom: TomtomParams,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            p_threshold: 1e-3,
            min_size: 1,
            tomtom: TomtomParams::default(),
        }
    }
}

/// A seqlet in a cluster, aligned to the seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Index into the seqlets given to [`cluster_seqlets`].
    pub seqlet: usize,
    /// Column of the (oriented) member facing the seed's column 0 (0 for the seed).
    pub offset: i64,
    /// Orientation of the member relative to the seed.
    pub strand: Strand,
    /// Tomtom p-value of the seed against this member (0 for the seed itself).
    pub p_value: f64,
}

/// A motif found by clustering seqlets.
#[derive(Debug, Clone, PartialEq)]
pub struct SeqletCluster {
    /// Index of the seed seqlet.
    pub seed: usize,
    /// Members, the seed first, then in seqlet order.
    pub members: Vec<Member>,
    /// Position probability matrix `[w][A, C, G, T]` in the seed's frame.
    pub pwm: Vec<[f64; 4]>,
    /// Mean contribution weights `[w][A, C, G, T]` in the seed's frame.
    pub cwm: Vec<[f64; 4]>,
    /// Members covering each column.
    pub coverage: Vec<usize>,
}

/// Clusters `seqlets` (from [`super::recursive_seqlets`]) given each example's one-hot sequence
/// and attributions `[L][A, C, G, T]` (hypothetical or projected: they are multiplied by the
/// one-hot). Returns clusters by decreasing size (ties in seed order).
///
/// Errors: [`Error::Empty`] for no seqlets; [`Error::InvalidArgument`] for a seqlet outside its
/// example, an example index without a sequence, or one-hot and attribution lengths that differ;
/// [`Error::NonFinite`]; as [`tomtom`].
///
/// ```
/// use evalkit::motifs::{cluster_seqlets, one_hot, ClusterParams, Seqlet};
/// let seqs = ["AATTGACGTCATTA", "CCTGACGTCAGGCC"];
/// let x: Vec<_> = seqs.iter().map(|s| one_hot(s).unwrap()).collect();
/// let s = |example, start| Seqlet { example, start, end: start + 6, attribution: 1.0, p_value: 0.0 };
/// let c = cluster_seqlets(&[s(0, 4), s(1, 3)], &x, &x, &ClusterParams { p_threshold: 0.5, ..Default::default() }).unwrap();
/// assert_eq!((c.len(), c[0].members.len()), (1, 2));
/// assert_eq!(c[0].pwm[0], [0.0, 0.0, 1.0, 0.0]); // G of GACGTC
/// ```
pub fn cluster_seqlets<S: AsRef<[[f64; 4]]>, A: AsRef<[[f64; 4]]>>(
    seqlets: &[Seqlet],
    onehot: &[S],
    attr: &[A],
    p: &ClusterParams,
) -> Result<Vec<SeqletCluster>> {
    if seqlets.is_empty() {
        return Err(Error::Empty("seqlets"));
    }
    for (i, s) in seqlets.iter().enumerate() {
        let (Some(x), Some(a)) = (onehot.get(s.example), attr.get(s.example)) else {
            return Err(Error::InvalidArgument(format!(
                "seqlet {i}: no example {}",
                s.example
            )));
        };
        let (x, a) = (x.as_ref(), a.as_ref());
        if x.len() != a.len() {
            return Err(Error::InvalidArgument(format!(
                "example {}: one-hot has {} positions, attributions {}",
                s.example,
                x.len(),
                a.len()
            )));
        }
        if s.start >= s.end || s.end > x.len() {
            return Err(Error::InvalidArgument(format!(
                "seqlet {i}: span {}..{} outside example {} of length {}",
                s.start,
                s.end,
                s.example,
                x.len()
            )));
        }
        super::check_matrix(a, "attributions")?;
    }
    let contrib = |ex: usize, pos: usize| -> ([f64; 4], [f64; 4]) {
        let (x, a) = (onehot[ex].as_ref()[pos], attr[ex].as_ref()[pos]);
        (x, [x[0] * a[0], x[1] * a[1], x[2] * a[2], x[3] * a[3]])
    };
    let cwms: Vec<Vec<[f64; 4]>> = seqlets
        .iter()
        .map(|s| {
            let m: Vec<[f64; 4]> = (s.start..s.end).map(|i| contrib(s.example, i).1).collect();
            let scale = m.iter().flatten().fold(0.0f64, |a, v| a.max(v.abs()));
            let scale = if scale > 0.0 { scale } else { 1.0 };
            m.iter().map(|r| r.map(|v| v / scale)).collect()
        })
        .collect();
    let hits = tomtom(&cwms, &cwms, &p.tomtom)?;

    let mut order: Vec<usize> = (0..seqlets.len()).collect();
    order.sort_by(|&a, &b| seqlets[b].attribution.total_cmp(&seqlets[a].attribution));
    let mut assigned = vec![false; seqlets.len()];
    let mut clusters = Vec::new();
    for &seed in &order {
        if assigned[seed] {
            continue;
        }
        assigned[seed] = true;
        let mut members = vec![Member {
            seqlet: seed,
            offset: 0,
            strand: Strand::Forward,
            p_value: 0.0,
        }];
        for (u, h) in hits[seed].iter().enumerate() {
            if !assigned[u] && h.p_value < p.p_threshold {
                assigned[u] = true;
                members.push(Member {
                    seqlet: u,
                    offset: h.offset,
                    strand: h.strand,
                    p_value: h.p_value,
                });
            }
        }
        if members.len() < p.min_size {
            continue;
        }
        let w = seqlets[seed].end - seqlets[seed].start;
        let (mut pwm, mut cwm, mut cov) = (vec![[0.0; 4]; w], vec![[0.0; 4]; w], vec![0usize; w]);
        for m in &members {
            let s = &seqlets[m.seqlet];
            let (len, wu) = (
                onehot[s.example].as_ref().len() as i64,
                (s.end - s.start) as i64,
            );
            for c in 0..w {
                let pos = match m.strand {
                    Strand::Forward => s.start as i64 + m.offset + c as i64,
                    Strand::Reverse => s.start as i64 + wu - 1 - m.offset - c as i64,
                };
                if !(0..len).contains(&pos) {
                    continue;
                }
                let (mut x, mut a) = contrib(s.example, pos as usize);
                if m.strand == Strand::Reverse {
                    x.reverse();
                    a.reverse();
                }
                for b in 0..4 {
                    pwm[c][b] += x[b];
                    cwm[c][b] += a[b];
                }
                cov[c] += 1;
            }
        }
        for c in 0..w {
            let tot: f64 = pwm[c].iter().sum();
            pwm[c] = if tot > 0.0 {
                pwm[c].map(|v| v / tot)
            } else {
                [0.25; 4]
            };
            if cov[c] > 0 {
                cwm[c] = cwm[c].map(|v| v / cov[c] as f64);
            }
        }
        clusters.push(SeqletCluster {
            seed,
            members,
            pwm,
            cwm,
            coverage: cov,
        });
    }
    clusters.sort_by_key(|c| std::cmp::Reverse(c.members.len()));
    Ok(clusters)
}
