//! The [`DeepCba`] burn module: two CNN–BiLSTM paths, dot attention, dense head.

use super::config::{DeepCbaConfig, same_conv_padding};
use super::ops::{conv_padded, dot_attention, max_pool_same, regroup_channels_last};
use crate::Result;
use burn::module::{Module, Param};
use burn::nn::conv::{Conv1d, Conv1dConfig};
use burn::nn::{
    BatchNorm, BatchNormConfig, BiLstm, BiLstmConfig, Dropout, DropoutConfig, Initializer, Linear,
    LinearConfig,
};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

/// One path of DeepCBA (promoter or partner): conv blocks, regrouping, BiLSTM.
///
/// `convs[2b]` / `convs[2b + 1]` are block `b`'s two convolutions (`[out, in, k]`, burn layout),
/// `norms[i]` the BatchNorm after `convs[i]` (gamma fixed at 1 and frozen: Keras
/// `scale=False`), `dropouts[b]` the dropout after block `b`'s pool.
#[derive(Module, Debug)]
pub struct DeepCbaPath {
    /// Convolutions, two per block; the first is 'valid', the others 'same'.
    pub convs: Vec<Conv1d>,
    /// BatchNorms, one per convolution.
    pub norms: Vec<BatchNorm>,
    /// Dropouts, one per block (after the pool).
    pub dropouts: Vec<Dropout>,
    /// The bidirectional LSTM (forward half first in its output).
    pub bilstm: BiLstm,
    /// Max-pool window = stride.
    pub pool: usize,
    /// Time steps of the regrouping before the BiLSTM.
    pub lstm_steps: usize,
}

/// DeepCBA (see [`DeepCbaConfig`]); built with [`DeepCbaConfig::init`] or
/// [`load_keras_weights`](super::load_keras_weights).
#[derive(Module, Debug)]
pub struct DeepCba {
    /// The promoter path (Keras path a, the attention query).
    pub promoter: DeepCbaPath,
    /// The partner path (Keras path b, the attention value and key); `None` for the
    /// promoter-only ablation.
    pub partner: Option<DeepCbaPath>,
    /// Dropout after the flatten.
    pub head_dropout: Dropout,
    /// Hidden dense layer (ReLU), weight `[in, out]`.
    pub dense: Linear,
    /// Output layer (linear), weight `[dense_units, n_outputs]`.
    pub out: Linear,
    /// Length of each anchor in bases (the input length both paths need).
    pub anchor_len: usize,
}

/// Every intermediate activation of one forward pass (oracle comparison, inspection).
#[derive(Debug, Clone)]
pub struct DeepCbaTrace {
    /// Promoter path stages by oracle name: `conv1`..`conv6`, `bn1`.., `relu1`.., `pool1`..
    /// as `[B, C, L]` (channels-first), then `reshape` `[B, steps, D]` and `bilstm`
    /// `[B, steps, 2·units]`.
    pub promoter: Vec<(String, Tensor<3>)>,
    /// Partner path stages (empty for the promoter-only ablation).
    pub partner: Vec<(String, Tensor<3>)>,
    /// `q·vᵀ` `[B, steps, steps]`.
    pub attention_scores: Tensor<3>,
    /// Softmax of the scores over the value positions `[B, steps, steps]`.
    pub attention_weights: Tensor<3>,
    /// Attention output `[B, steps, 2·units]`.
    pub attention_output: Tensor<3>,
    /// Row-major flatten `[B, steps · 2·units]`.
    pub flatten: Tensor<2>,
    /// Hidden dense layer before the ReLU `[B, dense_units]`.
    pub dense_preact: Tensor<2>,
    /// After the ReLU `[B, dense_units]`.
    pub dense: Tensor<2>,
    /// Model output `[B, n_outputs]`.
    pub output: Tensor<2>,
}

/// One mini-batch for the training seam: both one-hot anchors, channels-first.
#[derive(Debug, Clone)]
pub struct DeepCbaBatch {
    /// Promoter one-hot `[B, 4, anchor_len]`.
    pub promoter: Tensor<3>,
    /// Partner one-hot `[B, 4, anchor_len]` (`None` for a promoter-only model).
    pub partner: Option<Tensor<3>>,
}

fn keras_conv(c_in: usize, c_out: usize, k: usize, device: &Device) -> Conv1d {
    let mut conv = Conv1dConfig::new(c_in, c_out, k)
        .with_initializer(Initializer::XavierUniform { gain: 1.0 })
        .init(device);
    conv.bias = Some(Param::from_tensor(Tensor::zeros([c_out], device)));
    conv
}

fn keras_bn(c: usize, cfg: &DeepCbaConfig, device: &Device) -> BatchNorm {
    let mut bn = BatchNormConfig::new(c)
        .with_epsilon(cfg.bn_epsilon)
        .with_momentum(1.0 - cfg.bn_momentum)
        .init(device);
    bn.gamma = Param::from_tensor(Tensor::ones([c], device)).set_require_grad(false);
    bn
}

fn keras_linear(d_in: usize, d_out: usize, device: &Device) -> Linear {
    let mut lin = LinearConfig::new(d_in, d_out)
        .with_initializer(Initializer::XavierUniform { gain: 1.0 })
        .init(device);
    lin.bias = Some(Param::from_tensor(Tensor::zeros([d_out], device)));
    lin
}

/// A BiLSTM with Keras' parameterisation: one bias per gate (the hidden transforms have
/// none), zero biases except the forget gate's 1 (`unit_forget_bias`).
fn keras_bilstm(d_in: usize, units: usize, device: &Device) -> BiLstm {
    let mut bi = BiLstmConfig::new(d_in, units, true)
        .with_initializer(Initializer::XavierUniform { gain: 1.0 })
        .init(device);
    for lstm in [&mut bi.forward, &mut bi.reverse] {
        let forget = lstm.forget_gate.as_mut();
        let gates = [
            Some(&mut lstm.input_gate),
            forget,
            Some(&mut lstm.cell_gate),
        ];
        for (g, fill) in gates.into_iter().zip([0.0, 1.0, 0.0]) {
            if let Some(g) = g {
                g.hidden_transform.bias = None;
                g.input_transform.bias =
                    Some(Param::from_tensor(Tensor::full([units], fill, device)));
            }
        }
        lstm.output_gate.hidden_transform.bias = None;
        lstm.output_gate.input_transform.bias =
            Some(Param::from_tensor(Tensor::zeros([units], device)));
    }
    bi
}

impl DeepCbaConfig {
    /// Validates the configuration and builds the module on `device` (use
    /// `device.clone().autodiff()` for training; call `device.seed(..)` first for a
    /// reproducible initialisation). Initialisation follows Keras' defaults in kind:
    /// Glorot-uniform kernels, zero biases, LSTM forget bias 1 (Keras' orthogonal recurrent
    /// init is replaced by Glorot-uniform).
    pub fn init(&self, device: &Device) -> Result<DeepCba> {
        self.validate()?;
        let path = || self.init_path(device);
        Ok(DeepCba {
            promoter: path(),
            partner: self.partner.then(path),
            head_dropout: DropoutConfig::new(self.head_dropout).init(),
            dense: keras_linear(self.flatten_len(), self.dense_units, device),
            out: keras_linear(self.dense_units, self.n_outputs, device),
            anchor_len: self.anchor_len,
        })
    }

    fn init_path(&self, device: &Device) -> DeepCbaPath {
        let (mut convs, mut norms, mut dropouts) = (Vec::new(), Vec::new(), Vec::new());
        let mut ch = 4;
        for &f in &self.filters {
            for _ in 0..2 {
                convs.push(keras_conv(ch, f, self.kernel, device));
                norms.push(keras_bn(f, self, device));
                ch = f;
            }
            dropouts.push(DropoutConfig::new(self.dropout).init());
        }
        DeepCbaPath {
            convs,
            norms,
            dropouts,
            bilstm: keras_bilstm(self.lstm_input(), self.lstm_units, device),
            pool: self.pool,
            lstm_steps: self.lstm_steps,
        }
    }
}

impl DeepCbaPath {
    /// One path: conv blocks, regrouping, BiLSTM.
    ///
    /// # Shapes
    /// - `x`: `[batch, 4, anchor_len]` one-hot, channels-first
    /// - output: `[batch, lstm_steps, 2·lstm_units]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        self.run(x, None)
    }

    fn run(&self, mut x: Tensor<3>, mut trace: Option<&mut Vec<(String, Tensor<3>)>>) -> Tensor<3> {
        let mut keep = |name: String, t: &Tensor<3>| {
            if let Some(tr) = trace.as_deref_mut() {
                tr.push((name, t.clone()));
            }
        };
        for (i, (conv, bn)) in self.convs.iter().zip(&self.norms).enumerate() {
            let k = conv.weight.dims()[2];
            let (before, after) = if i == 0 { (0, 0) } else { same_conv_padding(k) };
            x = conv_padded(conv, x, before, after);
            keep(format!("conv{}", i + 1), &x);
            x = bn.forward(x);
            keep(format!("bn{}", i + 1), &x);
            x = relu(x);
            keep(format!("relu{}", i + 1), &x);
            if i % 2 == 1 {
                x = max_pool_same(x, self.pool);
                keep(format!("pool{}", i / 2 + 1), &x);
                if let Some(d) = self.dropouts.get(i / 2) {
                    x = d.forward(x);
                }
            }
        }
        let x = regroup_channels_last(x, self.lstm_steps);
        keep("reshape".into(), &x);
        let (y, _) = self.bilstm.forward(x, None);
        keep("bilstm".into(), &y);
        y
    }
}

impl DeepCba {
    /// Predicts `n_outputs` values per promoter–partner pair.
    ///
    /// BatchNorm and dropout run in training mode only on an autodiff device (burn's rule);
    /// `model.valid()` gives inference mode (moving statistics, no dropout).
    ///
    /// # Shapes
    /// - `promoter`: `[batch, 4, anchor_len]` one-hot, channels-first (rows A, C, G, T; N = 0)
    /// - `partner`: `[batch, 4, anchor_len]`; ignored (may be `None`) for a promoter-only
    ///   model, which attends the promoter path to itself
    /// - output: `[batch, n_outputs]`
    ///
    /// # Panics
    /// When the model has a partner path and `partner` is `None`, or on wrong shapes (as
    /// burn's layers do).
    pub fn forward(&self, promoter: Tensor<3>, partner: Option<Tensor<3>>) -> Tensor<2> {
        let q = self.promoter.forward(promoter);
        let v = match (&self.partner, partner) {
            (Some(path), Some(x)) => path.forward(x),
            (Some(_), None) => panic!("DeepCba::forward: this model needs a partner tensor"),
            (None, _) => q.clone(),
        };
        let (att, _, _) = dot_attention(q, v);
        let h = self.head_dropout.forward(att.flatten(1, 2));
        self.out.forward(relu(self.dense.forward(h)))
    }

    /// Like [`forward`](Self::forward) but keeps every intermediate activation.
    ///
    /// # Shapes
    /// - as [`forward`](Self::forward); see the fields of [`DeepCbaTrace`] for the outputs
    ///
    /// # Panics
    /// As [`forward`](Self::forward).
    pub fn forward_trace(&self, promoter: Tensor<3>, partner: Option<Tensor<3>>) -> DeepCbaTrace {
        let (mut tp, mut tb) = (Vec::new(), Vec::new());
        let q = self.promoter.run(promoter, Some(&mut tp));
        let v = match (&self.partner, partner) {
            (Some(path), Some(x)) => path.run(x, Some(&mut tb)),
            (Some(_), None) => panic!("DeepCba::forward_trace: this model needs a partner tensor"),
            (None, _) => q.clone(),
        };
        let (att, scores, weights) = dot_attention(q, v);
        let flatten = att.clone().flatten(1, 2);
        let dense_preact = self
            .dense
            .forward(self.head_dropout.forward(flatten.clone()));
        let dense = relu(dense_preact.clone());
        let output = self.out.forward(dense.clone());
        DeepCbaTrace {
            promoter: tp,
            partner: tb,
            attention_scores: scores,
            attention_weights: weights,
            attention_output: att,
            flatten,
            dense_preact,
            dense,
            output,
        }
    }
}

impl crate::seam::ModelConfig for DeepCbaConfig {
    type Model = DeepCba;

    fn kind(&self) -> &'static str {
        "deepcba"
    }

    fn validate(&self) -> Result<()> {
        DeepCbaConfig::validate(self)
    }

    fn init_model(&self, device: &Device) -> Result<DeepCba> {
        self.init(device)
    }

    fn n_outputs(&self) -> usize {
        self.n_outputs
    }
}

impl crate::seam::TrainableModel for DeepCba {
    type Input = DeepCbaBatch;

    fn forward_input(&self, input: DeepCbaBatch) -> Tensor<2> {
        self.forward(input.promoter, input.partner)
    }

    fn device(&self) -> Device {
        self.dense.weight.device()
    }
}
