//! Encoder outputs copied to host memory, row by row, for callers that print or pool them
//! (the `lm forward`, `lm embed` and `lm predict` commands) without depending on burn.

use super::auto::{LmOutput, LoadedLm};
use super::blocks::{Collect, batch_tensors};
use crate::{Error, Result};
use burn::tensor::{Device, Int, Tensor, TensorData};

/// One input row's outputs, as flat row-major `f32` vectors.
#[derive(Debug, Clone, PartialEq)]
pub struct RowOutput {
    /// Tokens in the (padded) batch: every per-token tensor has this many rows.
    pub len: usize,
    /// Hidden size.
    pub hidden: usize,
    /// `[len, hidden]`.
    pub last_hidden_state: Vec<f32>,
    /// `[hidden]`, models with a pooler only.
    pub pooled_output: Option<Vec<f32>>,
    /// `[num_labels]` (sequence classification / regression heads).
    pub logits: Option<Vec<f32>>,
    /// `[len, vocab]` (masked-LM heads).
    pub mlm_logits: Option<Vec<f32>>,
    /// `[len, vocab]` next-token logits (causal-LM heads: GPT-2).
    pub lm_logits: Option<Vec<f32>>,
    /// Per layer `[heads, len, len]` (empty unless asked).
    pub attentions: Vec<Vec<f32>>,
    /// Attention heads (0 when no attentions were collected).
    pub heads: usize,
    /// Embeddings, then each layer: `layers + 1` of `[len, hidden]` (empty unless asked).
    pub hidden_states: Vec<Vec<f32>>,
}

fn host<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>> {
    t.into_data()
        .convert::<f32>()
        .try_to_vec::<f32>()
        .map_err(|e| Error::Data {
            what: "lm output".into(),
            msg: format!("{e:?}"),
        })
}

/// Regroups per-layer batches (`[layer][row]`) by row (`[row][layer]`), moving the vectors.
fn by_row(layers: Vec<Vec<Vec<f32>>>, b: usize) -> Vec<Vec<Vec<f32>>> {
    let mut out: Vec<Vec<Vec<f32>>> = (0..b).map(|_| Vec::with_capacity(layers.len())).collect();
    for layer in layers {
        for (row, v) in out.iter_mut().zip(layer) {
            row.push(v);
        }
    }
    out
}

/// Splits a flat `[B, ...]` host vector into `B` rows.
fn rows(v: Vec<f32>, b: usize) -> Vec<Vec<f32>> {
    let per = v.len() / b.max(1);
    v.chunks(per.max(1)).map(<[f32]>::to_vec).collect()
}

impl LmOutput {
    /// Copies the batch to host memory, one [`RowOutput`] per batch row.
    ///
    /// # Errors
    /// [`Error::Data`] if a tensor cannot be read back.
    pub fn to_rows(self) -> Result<Vec<RowOutput>> {
        let [b, len, hidden] = self.encoder.last_hidden_state.dims();
        let split = |t: Option<Vec<f32>>| -> Vec<Option<Vec<f32>>> {
            match t {
                Some(v) => rows(v, b).into_iter().map(Some).collect(),
                None => vec![None; b],
            }
        };
        let heads = self.encoder.attentions.first().map_or(0, |a| a.dims()[1]);
        let last = rows(host(self.encoder.last_hidden_state)?, b);
        let pooled = split(self.encoder.pooled_output.map(host).transpose()?);
        let logits = split(self.logits.map(host).transpose()?);
        let mlm = split(self.mlm_logits.map(host).transpose()?);
        let causal = split(self.lm_logits.map(host).transpose()?);
        let att: Vec<Vec<Vec<f32>>> = self
            .encoder
            .attentions
            .into_iter()
            .map(|a| host(a).map(|v| rows(v, b)))
            .collect::<Result<_>>()?;
        let hs: Vec<Vec<Vec<f32>>> = self
            .encoder
            .hidden_states
            .into_iter()
            .map(|h| host(h).map(|v| rows(v, b)))
            .collect::<Result<_>>()?;
        let (att, hs) = (by_row(att, b), by_row(hs, b));
        let mut out = Vec::with_capacity(b);
        for ((((last, pooled), (logits, mlm)), (attentions, hidden_states)), lm_logits) in last
            .into_iter()
            .zip(pooled)
            .zip(logits.into_iter().zip(mlm))
            .zip(att.into_iter().zip(hs))
            .zip(causal)
        {
            out.push(RowOutput {
                len,
                hidden,
                last_hidden_state: last,
                pooled_output: pooled,
                logits,
                mlm_logits: mlm,
                lm_logits,
                attentions,
                heads,
                hidden_states,
            });
        }
        Ok(out)
    }
}

impl LoadedLm {
    /// Pads `rows` (right, with the configuration's pad id), checks ids and lengths, and runs
    /// the model on `device`.
    ///
    /// # Errors
    /// [`Error::TokenOutOfVocab`], [`Error::InputTooLong`] (see [`super::chunk`]),
    /// [`Error::Data`] for an empty batch.
    pub fn forward(
        &self,
        rows: &[Vec<u32>],
        collect: Collect,
        device: &Device,
    ) -> Result<LmOutput> {
        let (ids, mask) = batch_tensors(
            rows,
            self.config.pad_id(),
            self.config.vocab_size(),
            self.config.max_len(),
            device,
        )?;
        Ok(self.model.forward(ids, mask, collect))
    }

    /// Runs one batch with explicit attention masks (1 = token, 0 = padding; one mask per row,
    /// as long as its row) and copies the outputs to the host. Rows are right-padded with the
    /// pad id to the longest row; a row's padded positions get mask 0.
    ///
    /// ```no_run
    /// # fn main() -> models::Result<()> {
    /// let device = models::select_device(None)?;
    /// let lm = models::lm::load_dir("checkpoint/".as_ref(), &device)?;
    /// let out = lm.forward_host(&[vec![2, 7, 9, 3]], None, Default::default(), &device)?;
    /// println!("{} tokens x {} dims", out[0].len, out[0].hidden);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Data`] for a mask of another length than its row, or with values other than
    /// 0 and 1; the errors of [`LoadedLm::forward`].
    pub fn forward_host(
        &self,
        ids: &[Vec<u32>],
        masks: Option<&[Vec<u32>]>,
        collect: Collect,
        device: &Device,
    ) -> Result<Vec<RowOutput>> {
        self.forward_host_at(ids, masks, None, collect, device)
    }

    /// [`LoadedLm::forward_host`] with explicit position ids, one vector per row as long as
    /// its row (padded positions get 0); `None` = `0..L-1`. GeneRAIN's `BERT_Pred_Expr` passes
    /// gene ids here.
    ///
    /// ```no_run
    /// # fn main() -> models::Result<()> {
    /// let device = models::select_device(None)?;
    /// let lm = models::lm::load_dir("pred_expr/".as_ref(), &device)?;
    /// let (bins, genes) = (vec![vec![0, 57, 12]], vec![vec![25, 193, 7]]);
    /// let out = lm.forward_host_at(&bins, None, Some(&genes), Default::default(), &device)?;
    /// assert!(out[0].mlm_logits.is_some());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Data`] naming the row for positions of another length than their row, a
    /// position outside the table ([`super::LmConfig::position_table`]) or a model without
    /// one; the errors of [`LoadedLm::forward_host`].
    pub fn forward_host_at(
        &self,
        ids: &[Vec<u32>],
        masks: Option<&[Vec<u32>]>,
        positions: Option<&[Vec<u32>]>,
        collect: Collect,
        device: &Device,
    ) -> Result<Vec<RowOutput>> {
        let pos_t = match positions {
            Some(p) => Some(self.position_tensor(ids, p, device)?),
            None => None,
        };
        let (id_t, mut mask_t) = batch_tensors(
            ids,
            self.config.pad_id(),
            self.config.vocab_size(),
            self.config.max_len(),
            device,
        )?;
        if let Some(masks) = masks {
            let l = ids.iter().map(Vec::len).max().unwrap_or(0);
            let mut flat = Vec::with_capacity(ids.len() * l);
            for (r, (row, m)) in ids.iter().zip(masks).enumerate() {
                if m.len() != row.len() || m.iter().any(|&v| v > 1) {
                    return Err(Error::Data {
                        what: "lm input".into(),
                        msg: format!(
                            "row {r}: attention_mask must hold one 0 or 1 per input id ({} ids, {} mask values)",
                            row.len(),
                            m.len()
                        ),
                    });
                }
                flat.extend(m.iter().map(|&v| i64::from(v)));
                flat.extend(std::iter::repeat_n(0i64, l - row.len()));
            }
            mask_t = Tensor::<2, Int>::from_data(TensorData::new(flat, [ids.len(), l]), device);
        }
        self.model
            .forward_at(id_t, mask_t, pos_t, collect)?
            .to_rows()
    }

    /// Checks host position rows against the rows and the position table and pads them.
    fn position_tensor(
        &self,
        ids: &[Vec<u32>],
        positions: &[Vec<u32>],
        device: &Device,
    ) -> Result<Tensor<2, Int>> {
        let bad = |msg: String| Error::Data {
            what: "lm input".into(),
            msg,
        };
        let Some(table) = self.config.position_table() else {
            return Err(bad(format!(
                "{}: this model derives its own positions; position_ids cannot be given",
                self.dir.display()
            )));
        };
        if positions.len() != ids.len() {
            return Err(bad(format!(
                "{} position rows for {} input rows",
                positions.len(),
                ids.len()
            )));
        }
        let l = ids.iter().map(Vec::len).max().unwrap_or(0);
        let mut flat = Vec::with_capacity(ids.len() * l);
        for (r, (row, p)) in ids.iter().zip(positions).enumerate() {
            if p.len() != row.len() {
                return Err(bad(format!(
                    "row {r}: position_ids must hold one position per input id ({} ids, {} positions)",
                    row.len(),
                    p.len()
                )));
            }
            if let Some((i, &x)) = p.iter().enumerate().find(|(_, x)| **x as usize >= table) {
                return Err(bad(format!(
                    "row {r}, position {i}: position id {x} is outside the position table ({table} rows)"
                )));
            }
            flat.extend(p.iter().map(|&v| i64::from(v)));
            flat.extend(std::iter::repeat_n(0i64, l - row.len()));
        }
        Ok(Tensor::from_data(
            TensorData::new(flat, [ids.len(), l]),
            device,
        ))
    }
}
