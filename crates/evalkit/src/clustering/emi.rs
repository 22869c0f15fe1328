//! Expected mutual information under the permutation (hypergeometric) model, as scikit-learn's
//! `expected_mutual_information`, but summed over *distinct* (row size, column size) pairs with
//! multiplicities, so 10,000 clusters cost (distinct sizes)² instead of 10⁸ cell pairs.

use rayon::prelude::*;

/// ln k! for k = 0..=n by compensated prefix sums of ln i.
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(n + 1);
    let (mut s, mut c) = (0.0f64, 0.0f64);
    out.push(0.0);
    for i in 1..=n {
        let y = (i as f64).ln() - c;
        let t = s + y;
        c = (t - s) - y;
        s = t;
        out.push(s);
    }
    out
}

/// Distinct values with their multiplicities, ascending.
fn distinct(x: &[u64]) -> Vec<(u64, u64)> {
    let mut v = x.to_vec();
    v.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::new();
    for s in v {
        match out.last_mut() {
            Some(l) if l.0 == s => l.1 += 1,
            _ => out.push((s, 1)),
        }
    }
    out
}

/// E[I(U;V)] in nats for row sums `a`, column sums `b`, `n` samples.
pub(crate) fn expected_mutual_info(a: &[u64], b: &[u64], n: u64) -> f64 {
    if a.len() == 1 || b.len() == 1 {
        return 0.0;
    }
    let lf = ln_factorials(n as usize);
    let nf = n as f64;
    let (da, db) = (distinct(a), distinct(b));
    let per_a: Vec<f64> = da
        .par_iter()
        .map(|&(ai, ca)| {
            let mut acc = 0.0;
            for &(bj, cb) in &db {
                let start = 1.max((ai + bj).saturating_sub(n));
                let end = ai.min(bj);
                let fixed = lf[ai as usize]
                    + lf[bj as usize]
                    + lf[(n - ai) as usize]
                    + lf[(n - bj) as usize]
                    - lf[n as usize];
                let (la, lb) = ((ai as f64).ln(), (bj as f64).ln());
                let mut s = 0.0;
                for nij in start..=end {
                    let term1 = nij as f64 / nf;
                    let term2 = nf.ln() + (nij as f64).ln() - la - lb;
                    let gln = fixed
                        - lf[nij as usize]
                        - lf[(ai - nij) as usize]
                        - lf[(bj - nij) as usize]
                        - lf[(n + nij - ai - bj) as usize];
                    s += term1 * term2 * gln.exp();
                }
                acc += (ca * cb) as f64 * s;
            }
            acc
        })
        .collect();
    per_a.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_factorials_match_lgamma() {
        let lf = ln_factorials(200);
        for k in [0usize, 1, 2, 10, 100, 200] {
            let g = crate::stats::ln_gamma(k as f64 + 1.0);
            assert!((lf[k] - g).abs() < 1e-11 * g.abs().max(1.0), "k={k}");
        }
    }
}
