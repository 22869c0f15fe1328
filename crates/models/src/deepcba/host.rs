//! Host-side inference: one-hot buffers in, output values out, sizes checked (no tensors
//! for the caller to build, no panic on a wrong length).

use super::model::DeepCba;
use crate::{Error, Result};
use burn::tensor::{Tensor, TensorData};

impl DeepCba {
    /// Runs the model on host buffers in batches of `batch` pairs and returns
    /// `[pairs, n_outputs]` row-major. Inference mode when the model is on a plain device
    /// (call `.valid()` first on an autodiff device).
    ///
    /// # Shapes
    /// - `promoter`: `[pairs, 4, anchor_len]` one-hot, channels-first, row-major
    /// - `partner`: the same shape; must be `Some` exactly when the model has a partner path
    /// - returned: `[pairs, n_outputs]`
    ///
    /// # Errors
    /// [`Error::Data`] when a buffer is not a whole number of `4 × anchor_len` one-hot
    /// sequences, the two buffers differ in length, or the partner buffer's presence does not
    /// match the model.
    ///
    /// ```
    /// use models::deepcba::DeepCbaConfig;
    /// let cfg = DeepCbaConfig { anchor_len: 23, filters: vec![2], kernel: 4, pool: 2,
    ///     lstm_steps: 2, lstm_units: 2, ..DeepCbaConfig::ppi() };
    /// let m = cfg.init(&models::Device::default())?;
    /// let x = vec![0.0f32; 3 * 4 * 23];
    /// assert_eq!(m.predict_host(&x, Some(&x), 2)?.len(), 3);
    /// assert!(m.predict_host(&x[1..], Some(&x[1..]), 2).is_err());
    /// # Ok::<(), models::Error>(())
    /// ```
    pub fn predict_host(
        &self,
        promoter: &[f32],
        partner: Option<&[f32]>,
        batch: usize,
    ) -> Result<Vec<f32>> {
        let bad = |msg: String| Error::Data {
            what: "deepcba".into(),
            msg,
        };
        let row = 4 * self.anchor_len;
        if row == 0 || !promoter.len().is_multiple_of(row) {
            return Err(bad(format!(
                "promoter buffer of {} values is not a whole number of 4 × {} one-hot sequences",
                promoter.len(),
                self.anchor_len
            )));
        }
        match (self.partner.is_some(), partner) {
            (true, None) => return Err(bad("this model needs partner sequences".into())),
            (false, Some(_)) => {
                return Err(bad("this promoter-only model takes no partner".into()));
            }
            (_, Some(p)) if p.len() != promoter.len() => {
                return Err(bad(format!(
                    "partner buffer has {} values, promoter buffer {}",
                    p.len(),
                    promoter.len()
                )));
            }
            _ => {}
        }
        let device = self.dense.weight.device();
        let tensor = |v: &[f32]| -> Tensor<3> {
            let n = v.len() / row;
            Tensor::from_data(
                TensorData::new(v.to_vec(), [n, 4, self.anchor_len]),
                &device,
            )
        };
        let step = batch.max(1) * row;
        let mut out = Vec::new();
        for (i, a) in promoter.chunks(step).enumerate() {
            let b = partner.map(|p| tensor(&p[i * step..i * step + a.len()]));
            let y = self.forward(tensor(a), b);
            let v = y
                .into_data()
                .convert::<f32>()
                .try_to_vec::<f32>()
                .map_err(|e| bad(format!("reading the outputs: {e:?}")))?;
            out.extend(v);
        }
        Ok(out)
    }
}
