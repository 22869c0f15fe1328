//! One-hot encoding of DNA in `A, C, G, T` channel order (Xpresso's), case-insensitive.
//!
//! A 256-entry lookup table maps every byte to its 4-channel row, so the hot loop copies one
//! row per base without branching. `N` (and every other byte that is not `A C G T` in either
//! case, e.g. IUPAC codes) follows the [`NPolicy`].

use crate::error::{Error, Result};
use rayon::prelude::*;

/// What to do with `N` and any other non-`ACGT` byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NPolicy {
    /// All four channels 0.
    #[default]
    Zeros,
    /// All four channels 0.25.
    Uniform,
    /// Reject with [`Error::InvalidBase`].
    Error,
}

/// Memory layout of one encoded sequence of length `L`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// `[4, L]`: channel-major (PyTorch `Conv1d` input).
    #[default]
    ChannelsFirst,
    /// `[L, 4]`: position-major (Keras / Xpresso input).
    ChannelsLast,
}

/// A one-hot encoder (a lookup table for one [`NPolicy`]).
///
/// ```
/// use seqenc::onehot::{Layout, NPolicy, OneHot};
/// let oh = OneHot::new(NPolicy::Uniform);
/// let x = oh.encode(b"AcN", Layout::ChannelsLast).unwrap();
/// assert_eq!(x, vec![1., 0., 0., 0.,  0., 1., 0., 0.,  0.25, 0.25, 0.25, 0.25]);
/// ```
#[derive(Debug, Clone)]
pub struct OneHot {
    lut: [[f32; 4]; 256],
    lut_u8: [[u8; 4]; 256],
    bad: [u8; 256],
    policy: NPolicy,
}

impl OneHot {
    /// Builds the lookup table for `policy`.
    pub fn new(policy: NPolicy) -> Self {
        let other = match policy {
            NPolicy::Uniform => [0.25; 4],
            NPolicy::Zeros | NPolicy::Error => [0.0; 4],
        };
        let mut lut = [other; 256];
        let mut bad = [u8::from(policy == NPolicy::Error); 256];
        for (c, b) in b"ACGT".iter().enumerate() {
            let mut row = [0.0f32; 4];
            row[c] = 1.0;
            for x in [*b, b.to_ascii_lowercase()] {
                lut[x as usize] = row;
                bad[x as usize] = 0;
            }
        }
        // The same rows as 0/1 bytes (Uniform's 0.25 rows are never used: `encode_u8_into`
        // rejects that policy).
        let lut_u8 = lut.map(|row| row.map(|v| v as u8));
        OneHot {
            lut,
            lut_u8,
            bad,
            policy,
        }
    }

    /// The N policy.
    pub fn policy(&self) -> NPolicy {
        self.policy
    }

    /// Encodes one sequence into a new `4 * len` buffer in `layout`.
    pub fn encode(&self, seq: &[u8], layout: Layout) -> Result<Vec<f32>> {
        let mut out = vec![0.0; 4 * seq.len()];
        self.encode_into(seq, layout, &mut out)
            .map_err(|e| reindex(e, 0))?;
        Ok(out)
    }

    /// Encodes `seq` into `out`, which holds `4 * L` values for some `L >= seq.len()`;
    /// positions past the sequence are set to 0 (right padding).
    ///
    /// ```
    /// use seqenc::onehot::{Layout, NPolicy, OneHot};
    /// let mut out = vec![9.0f32; 12];
    /// OneHot::new(NPolicy::Zeros).encode_into(b"GT", Layout::ChannelsFirst, &mut out).unwrap();
    /// assert_eq!(out, vec![0., 0., 0.,  0., 0., 0.,  1., 0., 0.,  0., 1., 0.]);
    /// ```
    pub fn encode_into(&self, seq: &[u8], layout: Layout, out: &mut [f32]) -> Result<()> {
        encode_rows(&self.lut, &self.bad, seq, layout, out)
    }

    /// [`OneHot::encode_into`] with `u8` 0/1 values (a quarter of the memory of `f32`, like
    /// tangermeme's `int8` one-hot). [`NPolicy::Uniform`] (0.25) has no `u8` form and is an
    /// [`Error::InvalidArgument`].
    ///
    /// ```
    /// use seqenc::onehot::{Layout, NPolicy, OneHot};
    /// let mut out = vec![7u8; 12];
    /// OneHot::new(NPolicy::Zeros).encode_u8_into(b"Gn", Layout::ChannelsLast, &mut out).unwrap();
    /// assert_eq!(out, vec![0, 0, 1, 0,  0, 0, 0, 0,  0, 0, 0, 0]);
    /// assert!(OneHot::new(NPolicy::Uniform).encode_u8_into(b"A", Layout::ChannelsLast, &mut out).is_err());
    /// ```
    pub fn encode_u8_into(&self, seq: &[u8], layout: Layout, out: &mut [u8]) -> Result<()> {
        if self.policy == NPolicy::Uniform {
            return Err(Error::InvalidArgument(
                "NPolicy::Uniform (0.25 per channel) has no u8 one-hot; use f32".into(),
            ));
        }
        encode_rows(&self.lut_u8, &self.bad, seq, layout, out)
    }

    /// Encodes a batch into one contiguous buffer of shape `[n, 4, len]` (channels-first) or
    /// `[n, len, 4]` (channels-last), in parallel; shorter sequences are zero-padded on the
    /// right, longer ones are an error.
    ///
    /// ```
    /// use seqenc::onehot::{Layout, NPolicy, OneHot};
    /// let x = OneHot::new(NPolicy::Zeros).encode_batch(&["A", "TT"], 2, Layout::ChannelsLast).unwrap();
    /// assert_eq!(x.len(), 2 * 2 * 4);
    /// assert_eq!(&x[8..], &[0., 0., 0., 1., 0., 0., 0., 1.]);
    /// ```
    pub fn encode_batch<S: AsRef<[u8]> + Sync>(
        &self,
        seqs: &[S],
        len: usize,
        layout: Layout,
    ) -> Result<Vec<f32>> {
        if let Some((index, s)) = seqs
            .iter()
            .enumerate()
            .find(|(_, s)| s.as_ref().len() > len)
        {
            return Err(Error::SequenceTooLong {
                index,
                len: s.as_ref().len(),
                max: len,
            });
        }
        let mut out = vec![0.0f32; seqs.len() * 4 * len];
        if len == 0 {
            return Ok(out);
        }
        out.par_chunks_mut(4 * len)
            .zip(seqs.par_iter())
            .enumerate()
            .try_for_each(|(i, (o, s))| {
                self.encode_into(s.as_ref(), layout, o)
                    .map_err(|e| reindex(e, i))
            })?;
        Ok(out)
    }
}

/// The shared hot loop: one lookup-table row per base (`T` = `f32` or `u8`), right-padded with
/// zeros; `bad` flags bytes that [`NPolicy::Error`] rejects.
fn encode_rows<T: Copy + Default>(
    lut: &[[T; 4]; 256],
    bad: &[u8; 256],
    seq: &[u8],
    layout: Layout,
    out: &mut [T],
) -> Result<()> {
    if !out.len().is_multiple_of(4) || out.len() / 4 < seq.len() {
        return Err(Error::SequenceTooLong {
            index: 0,
            len: seq.len(),
            max: out.len() / 4,
        });
    }
    let len = out.len() / 4;
    let n = seq.len();
    let mut flag = 0u8;
    match layout {
        Layout::ChannelsLast => {
            let (body, tail) = out.split_at_mut(4 * n);
            for (o, &b) in body.chunks_exact_mut(4).zip(seq) {
                o.copy_from_slice(&lut[b as usize]);
                flag |= bad[b as usize];
            }
            tail.fill(T::default());
        }
        Layout::ChannelsFirst => {
            let (a, rest) = out.split_at_mut(len);
            let (c, rest) = rest.split_at_mut(len);
            let (g, t) = rest.split_at_mut(len);
            for (i, &b) in seq.iter().enumerate() {
                let row = &lut[b as usize];
                a[i] = row[0];
                c[i] = row[1];
                g[i] = row[2];
                t[i] = row[3];
                flag |= bad[b as usize];
            }
            for ch in [a, c, g, t] {
                ch[n..].fill(T::default());
            }
        }
    }
    if flag != 0 {
        let pos = seq.iter().position(|&b| bad[b as usize] != 0).unwrap_or(0);
        return Err(Error::InvalidBase {
            index: 0,
            pos,
            byte: seq[pos] as char,
        });
    }
    Ok(())
}

fn reindex(e: Error, index: usize) -> Error {
    match e {
        Error::InvalidBase { pos, byte, .. } => Error::InvalidBase { index, pos, byte },
        Error::SequenceTooLong { len, max, .. } => Error::SequenceTooLong { index, len, max },
        other => other,
    }
}
