//! Motif discovery from attributions: MEME files, seqlet calling, seqlet clustering and a
//! Tomtom-like comparison of motifs against a database.
//!
//! Matrices are position-major: `[L][4]` with the letters in the order A, C, G, T (the MEME row
//! layout; tangermeme's `(4, L)` tensors transposed).
//!
//! A pipeline from per-position attributions to annotated motifs:
//!
//! ```
//! use evalkit::motifs::{self, SeqletParams, ClusterParams, TomtomParams};
//! // one example, 40 positions: an "ACGTAC" span with high attribution at 10..16
//! let seq = "TTGATCCATGACGTACGATTCGAGCTTAGGCATTCAGGCT";
//! let onehot = motifs::one_hot(seq).unwrap();
//! let mut attr = vec![[0.0; 4]; 40];
//! for (i, row) in onehot.iter().enumerate() {
//!     let w = if (10..16).contains(&i) { 1.0 } else { -0.01 };
//!     for b in 0..4 { attr[i][b] = row[b] * w; }
//! }
//! let projected: Vec<f64> = attr.iter().map(|r| r.iter().sum()).collect();
//! let seqlets = motifs::recursive_seqlets(&[projected], &SeqletParams::default()).unwrap();
//! assert_eq!((seqlets[0].start, seqlets[0].end), (10, 16));
//! let clusters = motifs::cluster_seqlets(&seqlets, &[onehot], &[attr], &ClusterParams::default()).unwrap();
//! assert_eq!(clusters[0].members.len(), 1);
//! let db = vec![motifs::Motif::new("x", motifs::one_hot("ACGTAC").unwrap()).unwrap()];
//! let hits = motifs::tomtom(&[clusters[0].pwm.clone()], &db, &TomtomParams::default()).unwrap();
//! assert_eq!(hits[0][0].offset, 0);
//! ```

mod cluster;
mod meme;
mod seqlets;
mod tomtom;
mod tomtom_null;

pub use cluster::{ClusterParams, Member, SeqletCluster, cluster_seqlets};
pub use meme::{
    MemeFile, ROW_SUM_TOLERANCE, read_meme, read_meme_file, write_meme, write_meme_file,
};
pub use seqlets::{Seqlet, SeqletParams, recursive_seqlets};
pub use tomtom::{Strand, TomtomHit, TomtomParams, tomtom, tomtom_best};

use crate::{Error, Result};

/// A motif: an id, an optional alternative name and a probability matrix `[w][A, C, G, T]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Motif {
    /// Motif id (first field of the `MOTIF` line).
    pub id: String,
    /// Alternative name (rest of the `MOTIF` line).
    pub alt: Option<String>,
    /// Letter probabilities per position.
    pub probs: Vec<[f64; 4]>,
    /// `nsites=` of the matrix header.
    pub nsites: Option<f64>,
    /// `E=` of the matrix header.
    pub evalue: Option<f64>,
    /// The `URL` line.
    pub url: Option<String>,
}

impl Motif {
    /// A motif with the given id and matrix (no alt name, nsites, E-value or URL).
    ///
    /// Errors: [`Error::Empty`] for a width-0 matrix, [`Error::NonFinite`].
    ///
    /// ```
    /// let m = evalkit::motifs::Motif::new("m", vec![[1.0, 0.0, 0.0, 0.0]]).unwrap();
    /// assert_eq!(m.probs.len(), 1);
    /// assert!(evalkit::motifs::Motif::new("m", vec![]).is_err());
    /// ```
    pub fn new(id: &str, probs: Vec<[f64; 4]>) -> Result<Motif> {
        check_matrix(&probs, "motif matrix")?;
        Ok(Motif {
            id: id.to_string(),
            probs,
            ..Motif::default()
        })
    }
}

/// Checks a `[L][4]` matrix is non-empty and finite.
pub(crate) fn check_matrix(m: &[[f64; 4]], what: &'static str) -> Result<()> {
    if m.is_empty() {
        return Err(Error::Empty(what));
    }
    if let Some(i) = m.iter().flatten().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite { what, index: i / 4 });
    }
    Ok(())
}

/// One-hot encoding `[L][A, C, G, T]` of a DNA string (case-insensitive; `N` is all zeros).
///
/// Errors: [`Error::InvalidArgument`] naming the position of any other letter.
///
/// ```
/// let x = evalkit::motifs::one_hot("AcN").unwrap();
/// assert_eq!(x, vec![[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0; 4]]);
/// ```
pub fn one_hot(seq: &str) -> Result<Vec<[f64; 4]>> {
    seq.bytes()
        .enumerate()
        .map(|(i, b)| {
            let mut r = [0.0; 4];
            match b.to_ascii_uppercase() {
                b'A' => r[0] = 1.0,
                b'C' => r[1] = 1.0,
                b'G' => r[2] = 1.0,
                b'T' => r[3] = 1.0,
                b'N' => {}
                _ => {
                    return Err(Error::InvalidArgument(format!(
                        "letter `{}` at position {i} is not A, C, G, T or N",
                        b as char
                    )));
                }
            }
            Ok(r)
        })
        .collect()
}

/// Reverse complement of a `[L][A, C, G, T]` matrix: positions reversed, A<->T and C<->G.
///
/// ```
/// let m = [[0.7, 0.1, 0.1, 0.1], [0.0, 0.0, 1.0, 0.0]];
/// assert_eq!(evalkit::motifs::reverse_complement(&m),
///            vec![[0.0, 1.0, 0.0, 0.0], [0.1, 0.1, 0.1, 0.7]]);
/// ```
pub fn reverse_complement(m: &[[f64; 4]]) -> Vec<[f64; 4]> {
    m.iter().rev().map(|r| [r[3], r[2], r[1], r[0]]).collect()
}

/// Information content (bits) of each position of a probability matrix against a uniform
/// background: `2 + Σ p log2 p` (0 log 0 = 0).
///
/// ```
/// let ic = evalkit::motifs::information_content(&[[1.0, 0.0, 0.0, 0.0], [0.25; 4]]);
/// assert_eq!(ic, vec![2.0, 0.0]);
/// ```
pub fn information_content(probs: &[[f64; 4]]) -> Vec<f64> {
    probs
        .iter()
        .map(|r| {
            2.0 + r
                .iter()
                .filter(|&&p| p > 0.0)
                .map(|&p| p * p.log2())
                .sum::<f64>()
        })
        .collect()
}
