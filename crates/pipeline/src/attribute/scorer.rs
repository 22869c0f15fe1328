//! Sequences → one model output each: the seam that saturation mutagenesis of any model and
//! variant scoring share.

use std::ops::Range;

use models::Xpresso;
use models::lm::LoadedLm;
use seqenc::onehot::{Layout, NPolicy, OneHot};

use crate::{Error, Result};

/// Anything that maps DNA sequences to model outputs.
pub trait Scorer {
    /// Output `target` of every sequence.
    ///
    /// # Errors
    /// A sequence the model cannot take (length, tokens), a `target` past the outputs.
    fn score(&self, seqs: &[Vec<u8>], target: usize) -> Result<Vec<f32>>;
}

fn no_target(target: usize, k: usize) -> Error {
    Error::Usage(format!(
        "--target {target} does not exist: the model has {k} output(s) (0-based)"
    ))
}

/// A one-hot model (Xpresso, miREx) with its side inputs held at fixed values.
#[derive(Debug)]
pub struct OneHotScorer<'a> {
    /// The network.
    pub model: &'a Xpresso,
    /// Side inputs (already scaled) given to every sequence.
    pub side: Vec<f32>,
    /// The window length the model takes.
    pub len: usize,
    /// Sequences per forward pass.
    pub batch: usize,
}

impl OneHotScorer<'_> {
    /// Channels-first one-hot of `seq` (A, C, G, T; any other letter all-zero, as `N`).
    ///
    /// # Errors
    /// [`Error::Usage`] when the length is not the model's window length.
    pub fn encode(&self, seq: &[u8]) -> Result<Vec<f32>> {
        if seq.len() != self.len {
            return Err(Error::Usage(format!(
                "a sequence of {} bases: the model takes windows of exactly {} bases",
                seq.len(),
                self.len
            )));
        }
        Ok(OneHot::new(NPolicy::Zeros).encode(seq, Layout::ChannelsFirst)?)
    }
}

impl Scorer for OneHotScorer<'_> {
    fn score(&self, seqs: &[Vec<u8>], target: usize) -> Result<Vec<f32>> {
        let mut flat = Vec::with_capacity(seqs.len() * 4 * self.len);
        for s in seqs {
            flat.extend(self.encode(s)?);
        }
        models::attribution::outputs_of(self.model, &flat, self.len, &self.side, target, self.batch)
            .map_err(|e| match e {
                models::Error::Config(m) if m.starts_with("target output") => {
                    Error::Usage(format!("--target: {m}"))
                }
                e => e.into(),
            })
    }
}

/// An HF sequence-classification / regression checkpoint: its logits (long sequences averaged
/// over model-sized pieces, as `lm predict`).
#[derive(Debug)]
pub struct LmScorer<'a> {
    /// The checkpoint.
    pub lm: &'a LoadedLm,
    /// Where it runs.
    pub device: models::Device,
    /// Sequences per forward pass.
    pub batch: usize,
}

impl Scorer for LmScorer<'_> {
    fn score(&self, seqs: &[Vec<u8>], target: usize) -> Result<Vec<f32>> {
        let mut out = Vec::with_capacity(seqs.len());
        for chunk in seqs.chunks(self.batch.max(1)) {
            let recs: Vec<(String, Vec<u8>)> = chunk
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("seq{i}"), s.clone()))
                .collect();
            for v in crate::lm::lm_logits(self.lm, &recs, &self.device)? {
                out.push(*v.get(target).ok_or_else(|| no_target(target, v.len()))?);
            }
        }
        Ok(out)
    }
}

/// Saturation mutagenesis of one sequence through any [`Scorer`]: `delta[4·i + c] =
/// f(x with base c at i) − f(x)`, position-major `[L][4]` (A, C, G, T), for the positions of
/// `window` (others 0). The reference base is exactly 0 (it is not re-scored); at a position
/// that is not A, C, G or T (`N`), all four are real substitutions. Mutants are upper-case.
/// Returns `(f(x), delta)`.
///
/// # Errors
/// An empty or out-of-range window; the scorer's errors.
///
/// ```
/// use pipeline::attribute::{Scorer, sequence_ism};
/// struct CountG; // f = number of G
/// impl Scorer for CountG {
///     fn score(&self, s: &[Vec<u8>], _: usize) -> pipeline::Result<Vec<f32>> {
///         Ok(s.iter().map(|x| x.iter().filter(|&&b| b == b'G').count() as f32).collect())
///     }
/// }
/// let (f, d) = sequence_ism(&CountG, b"GA", 0, None, 8).unwrap();
/// assert_eq!(f, 1.0);
/// assert_eq!(d, vec![-1.0, -1.0, 0.0, -1.0, 0.0, 0.0, 1.0, 0.0]);
/// ```
pub fn sequence_ism(
    scorer: &dyn Scorer,
    seq: &[u8],
    target: usize,
    window: Option<Range<usize>>,
    batch: usize,
) -> Result<(f32, Vec<f32>)> {
    let w = window.unwrap_or(0..seq.len());
    if w.start >= w.end || w.end > seq.len() {
        return Err(Error::Usage(format!(
            "--window {}..{} is not inside a sequence of {} bases",
            w.start,
            w.end,
            seq.len()
        )));
    }
    let reference = scorer.score(&[seq.to_vec()], target)?[0];
    let mut delta = vec![0f32; 4 * seq.len()];
    let mut jobs: Vec<(usize, Vec<u8>)> = Vec::with_capacity(batch.max(1));
    let flush = |jobs: &mut Vec<(usize, Vec<u8>)>, delta: &mut Vec<f32>| -> Result<()> {
        let seqs: Vec<Vec<u8>> = jobs.iter().map(|j| j.1.clone()).collect();
        for ((slot, _), y) in jobs.iter().zip(scorer.score(&seqs, target)?) {
            delta[*slot] = y - reference;
        }
        jobs.clear();
        Ok(())
    };
    for i in w {
        let here = seq[i].to_ascii_uppercase();
        for (c, &b) in b"ACGT".iter().enumerate() {
            if here == b {
                continue;
            }
            let mut m = seq.to_vec();
            m[i] = b;
            jobs.push((4 * i + c, m));
            if jobs.len() >= batch.max(1) {
                flush(&mut jobs, &mut delta)?;
            }
        }
    }
    if !jobs.is_empty() {
        flush(&mut jobs, &mut delta)?;
    }
    Ok((reference, delta))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The sequence-level ISM (mutate letters, re-encode) agrees with the one-hot ISM of
    /// `models` (tested against tangermeme-style torch references) on the same network.
    #[test]
    fn sequence_ism_equals_the_one_hot_ism() {
        let cfg = models::XpressoConfig::oracle_tiny();
        let model = cfg.init(&models::select_device(None).unwrap()).unwrap();
        let len = cfg.input_len;
        let seq: Vec<u8> = (0..len)
            .map(|i| b"ACGTNacgt"[(i * 7 + i / 3) % 9])
            .collect();
        let side = vec![0.25; cfg.n_features];
        let sc = OneHotScorer {
            model: &model,
            side: side.clone(),
            len,
            batch: 7,
        };
        let (f, d) = sequence_ism(&sc, &seq, 0, Some(3..len - 2), 5).unwrap();
        let x = sc.encode(&seq).unwrap();
        let want =
            models::attribution::ism(&model, &x, len, &side, 0, Some(3..len - 2), 16).unwrap();
        assert!((f - want.reference).abs() < 1e-6);
        for (i, (a, b)) in d.iter().zip(&want.delta).enumerate() {
            assert!((a - b).abs() < 1e-5, "{i}: {a} vs {b}");
        }
        assert!(sequence_ism(&sc, &seq, 0, Some(4..len + 1), 5).is_err());
        assert!(sc.encode(&seq[1..]).is_err());
    }
}
