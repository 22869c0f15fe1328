//! Saturation mutagenesis of [`Xpresso`] by local recomputation (the fastISM idea, Nair et al.
//! 2022): a substitution at position `i` changes only the convolution outputs whose receptive
//! field contains `i`. The reference pass caches every layer's input and convolution output;
//! for a block of positions (one first-layer pooling window), each layer is recomputed only
//! where its input changed, on a slice of the cached reference with the changed part written in,
//! and the changed units of the last pooled layer are written into the reference's before the
//! dense head runs in full.
//!
//! **Exactness.** With a changed input range `[s, e)` a `same` convolution (kernel `k`, left
//! padding `l`, right `r`) changes outputs `[s − r, e + l)` (clamped to the layer's length); they
//! are computed by a valid convolution of the input `[s − r − l, e + r)`, zero outside the
//! sequence as the padding is.
//! A pool of width `p` then changes units `[⌊(s − r)/p⌋, ⌈(e + l)/p⌉)`, computed over whole,
//! aligned windows of the cached outputs (units past `⌊L/p⌋` are dropped, as the model drops
//! them). The values equal the full forward pass up to floating-point rounding (tested to 1e-5
//! against [`super::ism`] and the torch reference).

use std::ops::Range;

use burn::tensor::activation::relu;
use burn::tensor::{Tensor, TensorData};

use super::Ism;
use crate::xpresso::{Xpresso, conv_same};
use crate::{Error, Result};

fn host(t: Tensor<2>) -> Result<Vec<f32>> {
    t.into_data()
        .try_to_vec::<f32>()
        .map_err(|e| Error::Config(format!("cannot read outputs: {e:?}")))
}

/// `t[:, :, a..b]` of a `[1, C, L]` tensor, zero outside `0..L`.
fn window(t: &Tensor<3>, a: i64, b: i64) -> Tensor<3> {
    let [_, c, l] = t.dims();
    let (lo, hi) = (a.max(0) as usize, (b.min(l as i64)).max(a.max(0)) as usize);
    let mut x = t.clone().slice([0..1, 0..c, lo..hi]);
    let (pl, pr) = ((lo as i64 - a) as usize, (b - hi as i64) as usize);
    if pl + pr > 0 {
        x = x.pad([(pl, pr)], burn::tensor::ops::PadMode::Constant(0.0));
    }
    x
}

/// One layer's cached reference and geometry.
struct Layer {
    /// Input `[1, C_in, L]`.
    input: Tensor<3>,
    /// Convolution output `[1, F, L]` (before pooling and ReLU).
    conv: Tensor<3>,
    k: usize,
    left: usize,
    pool: usize,
    len: usize,
}

/// [`super::ism`] for [`Xpresso`], computed locally (see the module docs): same arguments and
/// result, an order of magnitude faster on long windows.
///
/// # Errors
/// As [`super::ism`].
///
/// ```
/// use burn::tensor::Device;
/// let cfg = models::XpressoConfig::oracle_tiny();
/// let model = cfg.init(&Device::flex()).unwrap();
/// let mut x = vec![0f32; 4 * cfg.input_len];
/// for i in 0..cfg.input_len { x[((i * 7) % 4) * cfg.input_len + i] = 1.0; }
/// let side = [0.1f32; 8];
/// let fast = models::attribution::xpresso_ism(&model, &x, cfg.input_len, &side, 0, None, 64).unwrap();
/// let full = models::attribution::ism(&model, &x, cfg.input_len, &side, 0, None, 64).unwrap();
/// assert!(fast.delta.iter().zip(&full.delta).all(|(a, b)| (a - b).abs() < 1e-5));
/// ```
pub fn xpresso_ism(
    model: &Xpresso,
    onehot: &[f32],
    len: usize,
    side: &[f32],
    target: usize,
    window_: Option<Range<usize>>,
    batch: usize,
) -> Result<Ism> {
    let win = super::ism::ism_window(onehot, len, window_)?;
    let device = crate::seam::TrainableModel::device(model);
    // the reference pass, caching every layer
    let mut h = Tensor::<3>::from_data(TensorData::new(onehot.to_vec(), [1, 4, len]), &device);
    let mut layers = Vec::new();
    for (conv, pool) in model.convs.iter().zip(&model.pools) {
        let c = conv_same(conv, h.clone());
        let k = conv.weight.dims()[2];
        let l = h.dims()[2];
        let next = relu(pool.forward(c.clone()));
        layers.push(Layer {
            input: h,
            conv: c,
            k,
            left: (k - 1) / 2,
            pool: pool.kernel_size,
            len: l,
        });
        h = next;
    }
    let [_, ch, _] = h.dims();
    let head = |last: Tensor<3>| -> Result<Vec<f32>> {
        let n = last.dims()[0];
        let y = model.head(last, super::side_rows(side, n, &device));
        let k = y.dims()[1];
        if target >= k {
            return Err(Error::Config(format!(
                "target output {target} does not exist (the model has {k} outputs)"
            )));
        }
        host(y.slice([0..n, target..target + 1]))
    };
    let reference = head(h.clone())?[0];
    let is_base = |i: usize, c: usize| (0..4).all(|o| onehot[o * len + i] == f32::from(o == c));
    let mut delta = vec![0f32; 4 * len];
    let block = layers.first().map_or(1, |l| l.pool).max(1);
    let mut start = win.start;
    while start < win.end {
        let end = ((start / block + 1) * block).min(win.end);
        let mutants: Vec<(usize, usize)> = (start..end)
            .flat_map(|i| (0..4).map(move |c| (i, c)))
            .filter(|&(i, c)| !is_base(i, c))
            .collect();
        // one block's mutants per pass at least: small passes cost more in overhead than in work
        'part: for part in mutants.chunks(batch.max(4 * block)) {
            let n = part.len();
            // the changed input range and its values, per mutant
            let w = end - start;
            let mut rows = vec![0f32; n * 4 * w];
            for (m, &(i, c)) in part.iter().enumerate() {
                for o in 0..4 {
                    let dst = &mut rows[(m * 4 + o) * w..(m * 4 + o + 1) * w];
                    dst.copy_from_slice(&onehot[o * len + start..o * len + end]);
                    dst[i - start] = f32::from(o == c);
                }
            }
            let mut v = Tensor::<3>::from_data(TensorData::new(rows, [n, 4, w]), &device);
            let (mut rs, mut re) = (start as i64, end as i64);
            for ((layer, conv), pool) in layers.iter().zip(&model.convs).zip(&model.pools) {
                let (k, left, p, l) = (
                    layer.k as i64,
                    layer.left as i64,
                    layer.pool as i64,
                    layer.len as i64,
                );
                let right = k - 1 - left;
                let (cs, ce) = ((rs - right).max(0), (re + left).min(l));
                let (a, b) = (cs - left, ce - left + k - 1);
                let cin = layer.input.dims()[1];
                let x = window(&layer.input, a, b)
                    .repeat_dim(0, n)
                    .slice_assign([0..n, 0..cin, (rs - a) as usize..(re - a) as usize], v);
                // a valid convolution: outputs [cs, ce) exactly
                let c = burn::tensor::module::conv1d(
                    x,
                    conv.weight.val(),
                    conv.bias.as_ref().map(|b| b.val()),
                    burn::tensor::ops::ConvOptions::new([1], [0], [1], 1),
                );
                let f = c.dims()[1];
                let units = l / p;
                let (ps, pe) = (cs.div_euclid(p), ((ce + p - 1).div_euclid(p)).min(units));
                if ps >= pe {
                    // the changes fall only on outputs the pooling drops: deltas 0
                    continue 'part;
                }
                // the aligned pooling windows, the changed outputs written in
                let (lo, hi) = (cs.max(ps * p), ce.min(pe * p));
                let full = window(&layer.conv, ps * p, pe * p)
                    .repeat_dim(0, n)
                    .slice_assign(
                        [0..n, 0..f, (lo - ps * p) as usize..(hi - ps * p) as usize],
                        c.slice([0..n, 0..f, (lo - cs) as usize..(hi - cs) as usize]),
                    );
                v = relu(pool.forward(full));
                (rs, re) = (ps, pe);
            }
            let last = h
                .clone()
                .repeat_dim(0, n)
                .slice_assign([0..n, 0..ch, rs as usize..re as usize], v);
            for (&(i, c), y) in part.iter().zip(head(last)?) {
                delta[4 * i + c] = y - reference;
            }
        }
        start = end;
    }
    Ok(Ism {
        reference,
        delta,
        window: win,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::xpresso::{ConvLayerConfig, DenseLayerConfig, XpressoConfig};

    fn conv(filters: usize, kernel: usize, pool: usize) -> ConvLayerConfig {
        ConvLayerConfig {
            filters,
            kernel,
            pool,
        }
    }

    /// The local computation equals the full mutant forward passes on several geometries
    /// (even and odd kernels, lengths not divisible by the pools, N bases, windows at the ends).
    #[test]
    fn local_ism_equals_full_ism() {
        let dev = crate::select_device(None).unwrap();
        for (len, convs, feats) in [
            (151, vec![conv(6, 8, 10), conv(5, 9, 10)], 0),
            (97, vec![conv(4, 6, 4), conv(3, 3, 3), conv(2, 5, 2)], 3),
            (64, vec![conv(5, 7, 1)], 2),
        ] {
            let cfg = XpressoConfig {
                input_len: len,
                conv: convs,
                dense: vec![DenseLayerConfig {
                    units: 7,
                    dropout: 0.0,
                }],
                n_features: feats,
                n_outputs: 2,
            };
            let model = cfg.init(&dev).unwrap();
            let mut x = vec![0f32; 4 * len];
            for i in 0..len {
                if i % 11 != 5 {
                    x[((i * 7 + i / 5) % 4) * len + i] = 1.0; // else N
                }
            }
            let side: Vec<f32> = (0..feats).map(|j| j as f32 * 0.3 - 0.2).collect();
            for window in [None, Some(0..5), Some(len - 7..len)] {
                let fast =
                    super::xpresso_ism(&model, &x, len, &side, 1, window.clone(), 13).unwrap();
                let full = super::super::ism(&model, &x, len, &side, 1, window, 64).unwrap();
                assert!((fast.reference - full.reference).abs() < 1e-6);
                for (i, (a, b)) in fast.delta.iter().zip(&full.delta).enumerate() {
                    assert!((a - b).abs() < 1e-5, "len {len} [{i}]: {a} vs {b}");
                }
            }
        }
    }
}
