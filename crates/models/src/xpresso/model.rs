//! The [`Xpresso`] burn module.

use super::config::XpressoConfig;
use crate::Result;
use burn::module::Module;
use burn::nn::conv::{Conv1d, Conv1dConfig};
use burn::nn::pool::{MaxPool1d, MaxPool1dConfig};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig, PaddingConfig1d};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

/// The Xpresso CNN (see [`XpressoConfig`]); built with [`XpressoConfig::init`].
///
/// Parameter names (used in safetensors files): `convs.{i}.weight` `[out, in, k]`,
/// `convs.{i}.bias`, `dense.{j}.weight` `[in, out]` (burn layout), `dense.{j}.bias`,
/// `out.weight` `[last, n_outputs]`, `out.bias`.
#[derive(Module, Debug)]
pub struct Xpresso {
    /// Convolutions, one per conv block.
    pub convs: Vec<Conv1d>,
    /// Max-pools, one per conv block.
    pub pools: Vec<MaxPool1d>,
    /// Hidden dense layers.
    pub dense: Vec<Linear>,
    /// Dropouts after every hidden dense layer.
    pub dropouts: Vec<Dropout>,
    /// Output layer (`n_outputs` units, no activation).
    pub out: Linear,
}

/// Every intermediate activation of one forward pass (for oracle comparison and inspection).
#[derive(Debug, Clone)]
pub struct XpressoTrace {
    /// Per conv block: conv output before ReLU `[B, C, L]`.
    pub conv: Vec<Tensor<3>>,
    /// Per conv block: after ReLU `[B, C, L]`.
    pub relu: Vec<Tensor<3>>,
    /// Per conv block: after max-pool `[B, C, L / pool]`.
    pub pool: Vec<Tensor<3>>,
    /// Flattened conv output, channel-major `[B, C * L']`.
    pub flatten: Tensor<2>,
    /// `[flatten, side features]` `[B, flat + F]`.
    pub concat: Tensor<2>,
    /// Per hidden dense layer: pre-activation `[B, units]`.
    pub dense: Vec<Tensor<2>>,
    /// Per hidden dense layer: after ReLU `[B, units]`.
    pub dense_relu: Vec<Tensor<2>>,
    /// Model output `[B, n_outputs]`.
    pub output: Tensor<2>,
}

impl XpressoConfig {
    /// Validates the configuration and builds the module on `device` (use
    /// `device.clone().autodiff()` for training). Call `device.seed(..)` first for a
    /// reproducible initialisation (burn's default Kaiming-uniform, as PyTorch).
    pub fn init(&self, device: &Device) -> Result<Xpresso> {
        self.validate()?;
        let mut ch = 4;
        let mut convs = Vec::new();
        let mut pools = Vec::new();
        for c in &self.conv {
            let left = (c.kernel - 1) / 2;
            let right = c.kernel - 1 - left;
            convs.push(
                Conv1dConfig::new(ch, c.filters, c.kernel)
                    .with_padding(PaddingConfig1d::Explicit(left, right))
                    .init(device),
            );
            pools.push(MaxPool1dConfig::new(c.pool).with_stride(c.pool).init());
            ch = c.filters;
        }
        let mut width = self.concat_len();
        let mut dense = Vec::new();
        let mut dropouts = Vec::new();
        for d in &self.dense {
            dense.push(LinearConfig::new(width, d.units).init(device));
            dropouts.push(DropoutConfig::new(d.dropout).init());
            width = d.units;
        }
        let out = LinearConfig::new(width, self.n_outputs).init(device);
        Ok(Xpresso {
            convs,
            pools,
            dense,
            dropouts,
            out,
        })
    }
}

impl Xpresso {
    /// Predicts one value per sequence.
    ///
    /// Dropout is active only when the module is on an autodiff device in training mode.
    ///
    /// # Shapes
    /// - `seq`: `[batch, 4, input_len]` one-hot, channels-first (A, C, G, T)
    /// - `features`: `[batch, n_features]` (ignored when the model has `n_features == 0`)
    /// - output: `[batch, n_outputs]`
    pub fn forward(&self, seq: Tensor<3>, features: Tensor<2>) -> Tensor<2> {
        let mut x = seq;
        for (conv, pool) in self.convs.iter().zip(&self.pools) {
            // Max-pooling commutes with ReLU (both are monotone), so pooling first gives the
            // same values and gradients as the published conv → ReLU → pool while the ReLU and
            // its backward pass touch a tensor `pool` times smaller ([`forward_trace`] keeps
            // the published order).
            //
            // [`forward_trace`]: Self::forward_trace
            x = relu(pool.forward(conv_same(conv, x)));
        }
        self.head(x, features)
    }

    /// The dense head on the last pooled activations: flatten, concatenate the features, the
    /// dense layers, the output layer.
    ///
    /// # Shapes
    /// - `pooled`: `[batch, filters, positions]`, `features`: `[batch, n_features]`
    /// - output: `[batch, n_outputs]`
    pub(crate) fn head(&self, pooled: Tensor<3>, features: Tensor<2>) -> Tensor<2> {
        let mut h = self.concat(pooled.flatten(1, 2), features);
        for (lin, drop) in self.dense.iter().zip(&self.dropouts) {
            h = drop.forward(relu(lin.forward(h)));
        }
        self.out.forward(h)
    }

    /// Like [`forward`](Self::forward) but keeps every intermediate activation.
    ///
    /// # Shapes
    /// - `seq`: `[batch, 4, input_len]`, `features`: `[batch, n_features]`
    /// - see the fields of [`XpressoTrace`] for the outputs
    pub fn forward_trace(&self, seq: Tensor<3>, features: Tensor<2>) -> XpressoTrace {
        let (mut conv, mut relus, mut pools) = (Vec::new(), Vec::new(), Vec::new());
        let mut x = seq;
        for (c, p) in self.convs.iter().zip(&self.pools) {
            let y = conv_same(c, x);
            let r = relu(y.clone());
            x = p.forward(r.clone());
            conv.push(y);
            relus.push(r);
            pools.push(x.clone());
        }
        let flatten = x.flatten(1, 2);
        let concat = self.concat(flatten.clone(), features);
        let (mut dense, mut dense_relu) = (Vec::new(), Vec::new());
        let mut h = concat.clone();
        for (lin, drop) in self.dense.iter().zip(&self.dropouts) {
            let z = lin.forward(h);
            let r = relu(z.clone());
            h = drop.forward(r.clone());
            dense.push(z);
            dense_relu.push(r);
        }
        let output = self.out.forward(h);
        XpressoTrace {
            conv,
            relu: relus,
            pool: pools,
            flatten,
            concat,
            dense,
            dense_relu,
            output,
        }
    }

    fn concat(&self, flat: Tensor<2>, features: Tensor<2>) -> Tensor<2> {
        if features.dims()[1] == 0 {
            flat
        } else {
            Tensor::cat(vec![flat, features], 1)
        }
    }
}

/// A stride-1 'same' convolution (`k − 1` zero padding split `(k − 1) / 2` left, the rest
/// right, as Keras and PyTorch's `padding="same"`) computed as one matrix product per batch
/// element: the `k` shifted copies of the padded input and a row of ones are stacked into
/// `[B, k·C + 1, L]` patches and multiplied by `[weight | bias]` viewed as `[out, k·C + 1]`.
///
/// Numerically this is the same convolution as `conv.forward` with the module's explicit
/// padding (the oracle test checks it to 1e-5, and a test checks its gradients against
/// burn's). It exists for speed: on the CPU backend the weight gradient of `Conv1d` is itself a
/// convolution whose kernel is the whole sequence, while here every gradient is a GEMM, and the
/// bias rides in the same GEMM instead of a separate pass over the (largest) output tensor,
/// forward and backward.
///
/// # Shapes
/// - `x`: `[batch, in_channels, length]`
/// - output: `[batch, out_channels, length]`
pub(crate) fn conv_same(conv: &Conv1d, x: Tensor<3>) -> Tensor<3> {
    let k = conv.weight.dims()[2];
    let left = (k - 1) / 2;
    conv_padded(conv, x, left, k - 1 - left)
}

/// A stride-1 convolution with `before` / `after` zero padding (cross-correlation, as Keras),
/// computed as one matrix product per batch element: the `k` shifted copies of the padded
/// input and a row of ones are stacked into `[B, k·C + 1, L_out]` patches and multiplied by
/// `[weight | bias]` viewed as `[out, k·C + 1]`. The same numbers as `Conv1d::forward` with
/// explicit padding, but every gradient is a GEMM (burn-flex's Conv1d weight gradient is a
/// convolution whose kernel is the whole sequence; see [`conv_same`]).
///
/// # Shapes
/// - `x`: `[batch, in_channels, length]`
/// - output: `[batch, out_channels, length + before + after − k + 1]`
pub(crate) fn conv_padded(conv: &Conv1d, x: Tensor<3>, before: usize, after: usize) -> Tensor<3> {
    let [b, c, l] = x.dims();
    let w = conv.weight.val();
    let [out, _, k] = w.dims();
    let padded = if before + after > 0 {
        x.pad([(before, after)], burn::tensor::ops::PadMode::Constant(0.0))
    } else {
        x
    };
    let lo = l + before + after + 1 - k;
    // Row j·C + c of the patches is channel c shifted by j; the weight [out, C, k] is permuted
    // to [out, k, C] to match.
    let mut rows: Vec<Tensor<3>> = (0..k)
        .map(|j| padded.clone().slice([0..b, 0..c, j..j + lo]))
        .collect();
    let mut w = w.swap_dims(1, 2).reshape([out, k * c]);
    if let Some(bias) = &conv.bias {
        rows.push(Tensor::ones([b, 1, lo], &padded.device()));
        w = Tensor::cat(vec![w, bias.val().reshape([out, 1])], 1);
    }
    let patches = Tensor::cat(rows, 1);
    let depth = patches.dims()[1];
    w.reshape([1, out, depth])
        .expand([b, out, depth])
        .matmul(patches)
}

impl crate::seam::ModelConfig for XpressoConfig {
    type Model = Xpresso;

    fn kind(&self) -> &'static str {
        "xpresso"
    }

    fn validate(&self) -> Result<()> {
        XpressoConfig::validate(self)
    }

    fn init_model(&self, device: &Device) -> Result<Xpresso> {
        self.init(device)
    }

    fn n_outputs(&self) -> usize {
        self.n_outputs
    }
}

impl crate::seam::TrainableModel for Xpresso {
    type Input = (Tensor<3>, Tensor<2>);

    fn forward_input(&self, (seq, features): Self::Input) -> Tensor<2> {
        self.forward(seq, features)
    }

    fn device(&self) -> Device {
        match self.convs.first() {
            Some(c) => c.weight.device(),
            None => self.out.weight.device(),
        }
    }
}
