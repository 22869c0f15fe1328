//! Attention-based importance of tokenised models (host-side, `f64`), from the attention
//! probabilities an encoder returns ([`crate::lm::Collect::attentions`]).
//!
//! * [`cls_attention`]: `t_i = Σ_heads a[h, 0, i]`, the attention `[CLS]` pays to token `i` in one
//!   layer (DNABERT uses the last).
//! * [`spread_to_nucleotides`]: token scores → nucleotide scores: nucleotide `j` gets the mean of
//!   the scores of the tokens whose span covers it — for overlapping k-mers the mean over the
//!   (up to) k k-mers containing it (DNABERT's rule), for non-overlapping tokens (NT 6-mers,
//!   BPE) each token's score on every nucleotide it spans — then the vector is L2-normalised.
//!   Special and padding tokens carry no span and take no part.
//! * [`rollout`]: attention rollout (Abnar & Zuidema 2020): per layer the head mean `A`, then
//!   `B = (A + I) / rowsum`, multiplied through the layers (`R = B_L ⋯ B_1`).
//!
//! DNABERT's own `visualize()` applies the same mean rule to a padded row with quirks (the
//! tail divides by k even where `[SEP]`/padding entries are zeroed); [`spread_to_nucleotides`]
//! is the clean rule, equal to it on an unpadded row.

use crate::{Error, Result};

/// `Σ_heads a[h, 0, i]` for one sequence; `attn` is `[heads, L, L]` row-major.
///
/// # Errors
/// [`Error::Data`] when `attn` is not `heads × L × L`.
///
/// ```
/// let a = [0.5f32, 0.5, 0.0, 1.0, /* head 2 */ 0.25, 0.75, 1.0, 0.0];
/// let t = models::attribution::attention::cls_attention(&a, 2, 2).unwrap();
/// assert_eq!(t, vec![0.75, 1.25]);
/// ```
pub fn cls_attention(attn: &[f32], heads: usize, l: usize) -> Result<Vec<f64>> {
    check(attn.len(), heads * l * l, "attention [heads, L, L]")?;
    Ok((0..l)
        .map(|i| (0..heads).map(|h| f64::from(attn[h * l * l + i])).sum())
        .collect())
}

fn check(got: usize, want: usize, what: &str) -> Result<()> {
    if got == want {
        Ok(())
    } else {
        Err(Error::Data {
            what: what.into(),
            msg: format!("{got} values, expected {want}"),
        })
    }
}

/// Nucleotide scores of a sequence of `n` nucleotides from per-token `scores` and token
/// `spans` (`Some((start, end))`, 0-based half-open in the sequence; `None` for specials and
/// padding), L2-normalised. Nucleotides no token covers get 0.
///
/// # Errors
/// [`Error::Data`] for mismatched lengths or a span outside the sequence.
///
/// ```
/// use models::attribution::attention::spread_to_nucleotides;
/// // two overlapping 3-mers over 4 nt: [a, (a+b)/2, (a+b)/2, b], normalised
/// let s = spread_to_nucleotides(&[0.0, 3.0, 1.0], &[None, Some((0, 3)), Some((1, 4))], 4).unwrap();
/// let want = [3.0, 2.0, 2.0, 1.0].map(|v: f64| v / 18f64.sqrt());
/// assert!(s.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12));
/// ```
pub fn spread_to_nucleotides(
    scores: &[f64],
    spans: &[Option<(usize, usize)>],
    n: usize,
) -> Result<Vec<f64>> {
    check(spans.len(), scores.len(), "token spans")?;
    let (mut sum, mut count) = (vec![0.0f64; n], vec![0usize; n]);
    for (&s, span) in scores.iter().zip(spans) {
        let Some((a, b)) = *span else { continue };
        if a > b || b > n {
            return Err(Error::Data {
                what: "token spans".into(),
                msg: format!("span {a}..{b} outside a sequence of {n} nt"),
            });
        }
        for j in a..b {
            sum[j] += s;
            count[j] += 1;
        }
    }
    let mut v: Vec<f64> = sum
        .iter()
        .zip(&count)
        .map(|(&s, &c)| if c == 0 { 0.0 } else { s / c as f64 })
        .collect();
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    Ok(v)
}

/// Nucleotide scores from per-token `scores` that add up: each token's score is shared
/// equally among the nucleotides of its span, and a nucleotide sums its shares, so the
/// nucleotide scores total the token scores of tokens with a span (used for gradient × input,
/// where the total means something). Specials and padding (`None`) are dropped.
///
/// # Errors
/// [`Error::Data`] for mismatched lengths or a span outside the sequence.
///
/// ```
/// use models::attribution::attention::spread_shares;
/// let s = spread_shares(&[5.0, 3.0, 1.5], &[None, Some((0, 3)), Some((1, 4))], 4).unwrap();
/// assert_eq!(s, vec![1.0, 1.5, 1.5, 0.5]);
/// ```
pub fn spread_shares(
    scores: &[f64],
    spans: &[Option<(usize, usize)>],
    n: usize,
) -> Result<Vec<f64>> {
    check(spans.len(), scores.len(), "token spans")?;
    let mut v = vec![0.0f64; n];
    for (&s, span) in scores.iter().zip(spans) {
        let Some((a, b)) = *span else { continue };
        if a >= b || b > n {
            return Err(Error::Data {
                what: "token spans".into(),
                msg: format!("span {a}..{b} outside a sequence of {n} nt"),
            });
        }
        let share = s / (b - a) as f64;
        v[a..b].iter_mut().for_each(|x| *x += share);
    }
    Ok(v)
}

/// Attention rollout of one sequence: `layers` is one `[heads, L, L]` array per layer (first
/// layer first); returns `R = B_L ⋯ B_1` as `[L, L]` row-major, `B = (mean_h A + I) / rowsum`.
///
/// # Errors
/// [`Error::Data`] when a layer is not `heads × L × L` or there is no layer.
///
/// ```
/// // one head, one layer, uniform attention over 2 tokens: B = 0.5·A + 0.5·I
/// let r = models::attribution::attention::rollout(&[vec![0.5f32; 4]], 1, 2).unwrap();
/// assert_eq!(r, vec![0.75, 0.25, 0.25, 0.75]);
/// ```
pub fn rollout(layers: &[Vec<f32>], heads: usize, l: usize) -> Result<Vec<f64>> {
    if layers.is_empty() {
        return Err(Error::Data {
            what: "attention rollout".into(),
            msg: "no layer".into(),
        });
    }
    let mut r: Vec<f64> = (0..l * l)
        .map(|x| if x / l == x % l { 1.0 } else { 0.0 })
        .collect();
    for a in layers {
        check(a.len(), heads * l * l, "attention [heads, L, L]")?;
        let mut b = vec![0.0f64; l * l];
        for i in 0..l {
            for j in 0..l {
                let m: f64 = (0..heads)
                    .map(|h| f64::from(a[h * l * l + i * l + j]))
                    .sum::<f64>()
                    / heads as f64;
                b[i * l + j] = m + if i == j { 1.0 } else { 0.0 };
            }
            let s: f64 = b[i * l..(i + 1) * l].iter().sum();
            b[i * l..(i + 1) * l].iter_mut().for_each(|x| *x /= s);
        }
        // r = b · r
        let mut next = vec![0.0f64; l * l];
        for i in 0..l {
            for k in 0..l {
                let bik = b[i * l + k];
                if bik != 0.0 {
                    for j in 0..l {
                        next[i * l + j] += bik * r[k * l + j];
                    }
                }
            }
        }
        r = next;
    }
    Ok(r)
}
