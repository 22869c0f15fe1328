//! Partition-comparison metrics (scikit-learn's `metrics.cluster`), all computed from one sparse
//! [`Contingency`] table: `O(n)` in the number of samples plus `O(non-zero cells)`.
//!
//! Every function takes `(labels_true, labels_pred)` as `&[i64]` and fails with
//! [`crate::Error::Empty`] or [`crate::Error::LengthMismatch`] only; all other edge cases
//! (one cluster, all singletons) have scikit-learn's defined values.

mod contingency;
mod emi;

pub use contingency::Contingency;

use crate::Result;

/// How NMI / AMI normalise by the two entropies (scikit-learn's `average_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AverageMethod {
    /// min(H(U), H(V)).
    Min,
    /// sqrt(H(U) H(V)).
    Geometric,
    /// (H(U) + H(V)) / 2, scikit-learn's default.
    #[default]
    Arithmetic,
    /// max(H(U), H(V)).
    Max,
}

impl AverageMethod {
    fn of(self, u: f64, v: f64) -> f64 {
        match self {
            Self::Min => u.min(v),
            Self::Geometric => (u * v).sqrt(),
            Self::Arithmetic => (u + v) / 2.0,
            Self::Max => u.max(v),
        }
    }
}

impl Contingency {
    /// Rand index (fraction of agreeing pairs); 1.0 when there are no pairs.
    pub fn rand_index(&self) -> f64 {
        let c = self.pair_confusion();
        let num = c[0][0] + c[1][1];
        let den = num + c[0][1] + c[1][0];
        if num == den || den == 0 {
            1.0
        } else {
            num as f64 / den as f64
        }
    }

    /// Adjusted Rand index (Hubert & Arabie), as scikit-learn.
    pub fn adjusted_rand_index(&self) -> f64 {
        let [[tn, fp], [fn_, tp]] = self.pair_confusion();
        if fn_ == 0 && fp == 0 {
            return 1.0;
        }
        let num = 2 * (tp * tn - fn_ * fp);
        let den = (tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn);
        num as f64 / den as f64
    }

    fn both_single(&self) -> bool {
        self.row_sums().len() == 1 && self.col_sums().len() == 1
    }

    /// Normalized mutual information with the given averaging.
    pub fn normalized_mutual_info(&self, method: AverageMethod) -> f64 {
        if self.both_single() {
            return 1.0;
        }
        let mi = self.mutual_info();
        if mi == 0.0 {
            return 0.0;
        }
        mi / method.of(self.entropy_true(), self.entropy_pred())
    }

    /// Expected mutual information under random permutation (nats).
    pub fn expected_mutual_info(&self) -> f64 {
        emi::expected_mutual_info(self.row_sums(), self.col_sums(), self.n())
    }

    /// Adjusted mutual information with the given averaging (scikit-learn's sign-preserving
    /// clamping of numerator and denominator to ±machine epsilon included).
    pub fn adjusted_mutual_info(&self, method: AverageMethod) -> f64 {
        self.ami_with(method, self.mutual_info(), self.expected_mutual_info())
    }

    fn ami_with(&self, method: AverageMethod, mi: f64, emi: f64) -> f64 {
        if self.both_single() {
            return 1.0;
        }
        if self.row_sums().len() == 1 || self.col_sums().len() == 1 {
            return 0.0;
        }
        let clamp = |x: f64| {
            if x < 0.0 {
                x.min(-f64::EPSILON)
            } else {
                x.max(f64::EPSILON)
            }
        };
        let den = clamp(method.of(self.entropy_true(), self.entropy_pred()) - emi);
        clamp(mi - emi) / den
    }

    /// Fowlkes–Mallows index; 0.0 when no pair is co-clustered in both.
    pub fn fowlkes_mallows(&self) -> f64 {
        let n = self.n() as f64;
        let sq = |v: &[u64]| v.iter().map(|&x| (x as f64).powi(2)).sum::<f64>();
        let tk = self
            .nonzero()
            .iter()
            .map(|c| (c.2 as f64).powi(2))
            .sum::<f64>()
            - n;
        let pk = sq(self.col_sums()) - n;
        let qk = sq(self.row_sums()) - n;
        if tk == 0.0 {
            0.0
        } else {
            (tk / pk).sqrt() * (tk / qk).sqrt()
        }
    }

    /// (homogeneity, completeness, V-measure with weight `beta`), scikit-learn's definitions
    /// (1.0 for a zero-entropy labeling).
    pub fn homogeneity_completeness_v(&self, beta: f64) -> (f64, f64, f64) {
        let (hc, hk) = (self.entropy_true(), self.entropy_pred());
        let mi = self.mutual_info();
        let h = if hc != 0.0 { mi / hc } else { 1.0 };
        let c = if hk != 0.0 { mi / hk } else { 1.0 };
        let v = if h + c == 0.0 {
            0.0
        } else {
            (1.0 + beta) * h * c / (beta * h + c)
        };
        (h, c, v)
    }

    /// Variation of information H(U) + H(V) − 2 I(U;V) in nats (0 for identical partitions).
    pub fn variation_of_information(&self) -> f64 {
        self.entropy_true() + self.entropy_pred() - 2.0 * self.mutual_info()
    }
}

/// All clustering scores of one pair of labelings (defaults: arithmetic normalisation, β = 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusteringScores {
    /// Rand index.
    pub rand_index: f64,
    /// Adjusted Rand index.
    pub adjusted_rand_index: f64,
    /// Mutual information (nats).
    pub mutual_info: f64,
    /// NMI, arithmetic.
    pub normalized_mutual_info: f64,
    /// AMI, arithmetic.
    pub adjusted_mutual_info: f64,
    /// Fowlkes–Mallows.
    pub fowlkes_mallows: f64,
    /// Homogeneity.
    pub homogeneity: f64,
    /// Completeness.
    pub completeness: f64,
    /// V-measure (β = 1).
    pub v_measure: f64,
    /// Variation of information (nats).
    pub variation_of_information: f64,
}

/// Computes every clustering score from one contingency table.
///
/// Errors: [`crate::Error::Empty`], [`crate::Error::LengthMismatch`].
///
/// ```
/// let s = evalkit::clustering_scores(&[0, 0, 1, 1], &[1, 1, 0, 0]).unwrap();
/// assert_eq!(s.adjusted_rand_index, 1.0);
/// assert_eq!(s.variation_of_information, 0.0);
/// ```
pub fn clustering_scores(labels_true: &[i64], labels_pred: &[i64]) -> Result<ClusteringScores> {
    let c = Contingency::new(labels_true, labels_pred)?;
    let (homogeneity, completeness, v_measure) = c.homogeneity_completeness_v(1.0);
    let mi = c.mutual_info();
    Ok(ClusteringScores {
        rand_index: c.rand_index(),
        adjusted_rand_index: c.adjusted_rand_index(),
        mutual_info: mi,
        normalized_mutual_info: c.normalized_mutual_info(AverageMethod::Arithmetic),
        adjusted_mutual_info: c.ami_with(AverageMethod::Arithmetic, mi, c.expected_mutual_info()),
        fowlkes_mallows: c.fowlkes_mallows(),
        homogeneity,
        completeness,
        v_measure,
        variation_of_information: c.variation_of_information(),
    })
}

macro_rules! label_fn {
    ($(#[$m:meta])* $name:ident => |$c:ident| $body:expr) => {
        $(#[$m])*
        ///
        /// Errors: [`crate::Error::Empty`], [`crate::Error::LengthMismatch`].
        pub fn $name(labels_true: &[i64], labels_pred: &[i64]) -> Result<f64> {
            let $c = Contingency::new(labels_true, labels_pred)?;
            Ok($body)
        }
    };
}

label_fn!(
    /// Rand index.
    ///
    /// ```
    /// assert_eq!(evalkit::rand_index(&[0, 0, 1], &[0, 0, 0]).unwrap(), 1.0 / 3.0);
    /// ```
    rand_index => |c| c.rand_index()
);
label_fn!(
    /// Adjusted Rand index (may be negative).
    ///
    /// ```
    /// assert_eq!(evalkit::adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 2, 2]).unwrap(), 1.0);
    /// ```
    adjusted_rand_index => |c| c.adjusted_rand_index()
);
label_fn!(
    /// Mutual information in nats.
    ///
    /// ```
    /// let mi = evalkit::mutual_info(&[0, 0, 1, 1], &[0, 0, 1, 1]).unwrap();
    /// assert!((mi - std::f64::consts::LN_2).abs() < 1e-15);
    /// ```
    mutual_info => |c| c.mutual_info()
);
label_fn!(
    /// Fowlkes–Mallows index.
    ///
    /// ```
    /// assert_eq!(evalkit::fowlkes_mallows(&[0, 0, 1, 1], &[0, 0, 1, 1]).unwrap(), 1.0);
    /// ```
    fowlkes_mallows => |c| c.fowlkes_mallows()
);
label_fn!(
    /// Homogeneity (each cluster contains only members of one class).
    ///
    /// ```
    /// assert!((evalkit::homogeneity(&[0, 0, 1, 1], &[0, 1, 2, 3]).unwrap() - 1.0).abs() < 1e-15);
    /// ```
    homogeneity => |c| c.homogeneity_completeness_v(1.0).0
);
label_fn!(
    /// Completeness (all members of a class are in one cluster).
    ///
    /// ```
    /// assert!((evalkit::completeness(&[0, 1, 2, 3], &[0, 0, 1, 1]).unwrap() - 1.0).abs() < 1e-15);
    /// ```
    completeness => |c| c.homogeneity_completeness_v(1.0).1
);
label_fn!(
    /// V-measure (β = 1, harmonic mean of homogeneity and completeness).
    ///
    /// ```
    /// assert_eq!(evalkit::v_measure(&[0, 0, 1, 1], &[1, 1, 0, 0]).unwrap(), 1.0);
    /// ```
    v_measure => |c| c.homogeneity_completeness_v(1.0).2
);
label_fn!(
    /// Variation of information in nats, H(U) + H(V) − 2 I(U;V).
    ///
    /// ```
    /// let vi = evalkit::variation_of_information(&[0, 0, 0, 0], &[0, 0, 1, 1]).unwrap();
    /// assert!((vi - std::f64::consts::LN_2).abs() < 1e-15);
    /// ```
    variation_of_information => |c| c.variation_of_information()
);

/// Normalized mutual information with the given averaging (arithmetic = scikit-learn default).
///
/// Errors: [`crate::Error::Empty`], [`crate::Error::LengthMismatch`].
///
/// ```
/// use evalkit::{normalized_mutual_info, AverageMethod};
/// assert_eq!(normalized_mutual_info(&[0, 0, 1, 1], &[1, 1, 0, 0], AverageMethod::Arithmetic).unwrap(), 1.0);
/// ```
pub fn normalized_mutual_info(t: &[i64], p: &[i64], method: AverageMethod) -> Result<f64> {
    Ok(Contingency::new(t, p)?.normalized_mutual_info(method))
}

/// Adjusted mutual information with the given averaging (arithmetic = scikit-learn default).
///
/// Errors: [`crate::Error::Empty`], [`crate::Error::LengthMismatch`].
///
/// ```
/// use evalkit::{adjusted_mutual_info, AverageMethod};
/// assert_eq!(adjusted_mutual_info(&[0, 0, 1, 1], &[1, 1, 0, 0], AverageMethod::Max).unwrap(), 1.0);
/// ```
pub fn adjusted_mutual_info(t: &[i64], p: &[i64], method: AverageMethod) -> Result<f64> {
    Ok(Contingency::new(t, p)?.adjusted_mutual_info(method))
}
