//! The model inputs of GeneRAIN's three transformers, built from one [`SampleTokens`].
//!
//! | model | `input_ids` | `position_ids` | order of the genes | loss |
//! |---|---|---|---|---|
//! | [`GeneRainModel::PredExpr`] | expression bin `1..=n_bins`, [`EXPR_MASK_ID`] `= 0` = mask = pad | gene token `gene + 1`, 0 = pad | gene index ascending | masked bins |
//! | [`GeneRainModel::PredGenes`] | gene token `gene + 1`, 0 = pad, mask = `n_genes + 1` | `0..max_len` | expression descending | masked gene tokens |
//! | [`GeneRainModel::Gpt`] | gene token `gene + 1`, 0 = pad | `0..max_len` | expression descending | every expressed gene (next-token) |
//!
//! # Token-id convention
//!
//! * A gene (row `g` of the expression matrix, `0 <= g < n_genes`) is always the token
//!   [`gene_token`]`(g) = g + `[`GENE_OFFSET`] (`GENE_OFFSET = 1`), whether it is an input id
//!   (Pred_Genes, GPT) or a position id (Pred_Expr); 0 is the padding gene ([`PAD_ID`]). This is
//!   the layout of the oracles `gpt2-generain` (vocab 300: 0 = padding gene, 1..299 genes) and
//!   `bert-pred-expr` (`max_position_embeddings` 300 = the gene vocabulary).
//! * Pred_Expr: vocabulary `n_bins + 1` (101 for GeneRAIN's 100 bins): bins keep their value
//!   `1..=n_bins`, 0 is both the mask and the pad bin (GeneRAIN's `mask_token=0`); position
//!   table `n_genes + 1`.
//! * Pred_Genes: vocabulary `n_genes + 2`: pad 0, genes `1..=n_genes`, mask `n_genes + 1`
//!   (GeneRAIN itself writes 0 over masked genes; a separate mask keeps 0 for padding only).
//! * GPT: vocabulary `n_genes + 1`, no mask. `labels` are aligned with `input_ids` as in HF's
//!   `GPT2LMHeadModel(labels=…)`: the model shifts them (`logits[t]` predicts `labels[t + 1]`).
//! * Pred_Genes and GPT position tables are the fixed length `max_len` (GeneRAIN: 2,048).
//! * Every sequence is right-padded to `max_len`: pad input 0, label [`IGNORE_INDEX`],
//!   attention 0; the pad position id is 0 for Pred_Expr and the running index otherwise.
//!
//! Unexpressed genes (flagged in [`SampleTokens::unexpressed`]) keep their token but get
//! `attention_mask` 0 and label −100 and are never masked, as GeneRAIN passes
//! `attention_mask=(~zero_expression_genes)` and restricts the loss to
//! `masked & ~zero_expression_genes` (`src/train/common.py`, `src/train/common_params_funs.py`).
//! Masking ([`super::bert_mask`]) selects only expressed genes.
//!
//! GeneRAIN's Pred_Expr order: `src/data/ARCHSDataset.py` sorts by expression only for `GPT` and
//! `Bert_pred_tokens` (`sort_return_expr_numerically`); Pred_Expr keeps the order of
//! `get_top_genes` (`src/data/data_utils.py`), i.e. `np.argpartition`'s, which is unspecified.
//! With the gene as the position id a bidirectional model does not see the order, so here it
//! is made deterministic: gene index ascending.

use super::SampleTokens;
use super::mask::{MaskAction, MaskConfig, bert_mask};
use crate::error::{Error, Result};
use rand::Rng;

/// The padding token (Pred_Genes, GPT) and padding gene / position (Pred_Expr).
pub const PAD_ID: u32 = 0;
/// Pred_Expr's mask token (the same id as its pad bin).
pub const EXPR_MASK_ID: u32 = 0;
/// Token id of gene 0; gene `g` is `g + GENE_OFFSET`.
pub const GENE_OFFSET: u32 = 1;
/// The label of a position without loss (PyTorch's `ignore_index`).
pub const IGNORE_INDEX: i64 = -100;
/// GeneRAIN's number of expression bins.
pub const GENERAIN_N_BINS: u16 = 100;
/// GeneRAIN's sequence length (the top 2,048 genes of a sample).
pub const GENERAIN_MAX_LEN: usize = 2048;
/// Largest gene count accepted (bounds the per-sample duplicate check).
pub const MAX_GENES: usize = 1 << 24;
/// Largest `max_len` accepted.
pub const MAX_LEN_LIMIT: usize = 1 << 20;

/// One of GeneRAIN's three models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeneRainModel {
    /// BERT_Pred_Expr: masked expression bins as tokens, genes as positions.
    PredExpr,
    /// BERT_Pred_Genes: gene tokens in expression order, masked gene identities predicted.
    PredGenes,
    /// GPT: causal next-gene prediction over the expression-ordered gene list.
    Gpt,
}

/// The token id of gene `gene` (`gene + 1`).
///
/// ```
/// assert_eq!(seqenc::binning::gene_token(0), 1);
/// ```
pub fn gene_token(gene: u32) -> u32 {
    gene + GENE_OFFSET
}

/// The gene of a gene token, `None` for the pad (0) and for ids past `n_genes` (the mask).
///
/// ```
/// use seqenc::binning::token_gene;
/// assert_eq!((token_gene(1, 5), token_gene(0, 5), token_gene(6, 5)), (Some(0), None, None));
/// ```
pub fn token_gene(id: u32, n_genes: usize) -> Option<u32> {
    (id >= GENE_OFFSET && ((id - GENE_OFFSET) as usize) < n_genes).then(|| id - GENE_OFFSET)
}

/// Vocabulary size of `model` for `n_genes` genes with GeneRAIN's 100 bins
/// (see [`InputConfig::vocab_size`]).
///
/// ```
/// use seqenc::binning::{GeneRainModel::*, vocab_size};
/// assert_eq!((vocab_size(PredExpr, 299), vocab_size(PredGenes, 299), vocab_size(Gpt, 299)), (101, 301, 300));
/// ```
pub fn vocab_size(model: GeneRainModel, n_genes: usize) -> usize {
    InputConfig::new(model, n_genes).vocab_size()
}

/// Position-table size of `model` for `n_genes` genes with GeneRAIN's 2,048 tokens
/// (see [`InputConfig::position_table`]).
///
/// ```
/// use seqenc::binning::{GeneRainModel::*, position_table};
/// assert_eq!((position_table(PredExpr, 299), position_table(Gpt, 299)), (300, 2048));
/// ```
pub fn position_table(model: GeneRainModel, n_genes: usize) -> usize {
    InputConfig::new(model, n_genes).position_table()
}

/// How to turn a [`SampleTokens`] into a model input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputConfig {
    /// The model.
    pub model: GeneRainModel,
    /// Number of genes (rows of the expression matrix); every gene index must be below it.
    pub n_genes: usize,
    /// Number of expression bins (bins are `1..=n_bins`).
    pub n_bins: u16,
    /// Fixed sequence length (samples are right-padded to it; longer ones are refused).
    pub max_len: usize,
    /// Masking probabilities (unused by GPT).
    pub masking: MaskConfig,
}

impl InputConfig {
    /// GeneRAIN's settings: 100 bins, 2,048 tokens, 15 % masking with 80/10/10.
    ///
    /// ```
    /// let c = seqenc::binning::InputConfig::new(seqenc::binning::GeneRainModel::Gpt, 10);
    /// assert_eq!((c.n_bins, c.max_len), (100, 2048));
    /// ```
    pub fn new(model: GeneRainModel, n_genes: usize) -> Self {
        InputConfig {
            model,
            n_genes,
            n_bins: GENERAIN_N_BINS,
            max_len: GENERAIN_MAX_LEN,
            masking: MaskConfig::default(),
        }
    }

    /// Checks the sizes (`1 <= n_genes <= MAX_GENES`, `n_bins >= 1`,
    /// `1 <= max_len <= MAX_LEN_LIMIT`) and the masking probabilities.
    ///
    /// ```
    /// use seqenc::binning::{GeneRainModel, InputConfig};
    /// assert!(InputConfig::new(GeneRainModel::PredExpr, 0).validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        if self.n_genes == 0 || self.n_genes > MAX_GENES {
            return Err(Error::InvalidArgument(format!(
                "n_genes must be in 1..={MAX_GENES}, got {}",
                self.n_genes
            )));
        }
        if self.n_bins == 0 {
            return Err(Error::InvalidArgument("n_bins must be >= 1".into()));
        }
        if self.max_len == 0 || self.max_len > MAX_LEN_LIMIT {
            return Err(Error::InvalidArgument(format!(
                "max_len must be in 1..={MAX_LEN_LIMIT}, got {}",
                self.max_len
            )));
        }
        self.masking.validate()
    }

    /// Size of the token table: `n_bins + 1` (Pred_Expr), `n_genes + 2` (Pred_Genes),
    /// `n_genes + 1` (GPT).
    ///
    /// ```
    /// use seqenc::binning::{GeneRainModel, InputConfig};
    /// assert_eq!(InputConfig::new(GeneRainModel::PredGenes, 10).vocab_size(), 12);
    /// ```
    pub fn vocab_size(&self) -> usize {
        match self.model {
            GeneRainModel::PredExpr => usize::from(self.n_bins) + 1,
            GeneRainModel::PredGenes => self.n_genes + 2,
            GeneRainModel::Gpt => self.n_genes + 1,
        }
    }

    /// Size of the position table: `n_genes + 1` (Pred_Expr, indexed by gene token), else
    /// `max_len`.
    ///
    /// ```
    /// use seqenc::binning::{GeneRainModel, InputConfig};
    /// assert_eq!(InputConfig::new(GeneRainModel::PredExpr, 10).position_table(), 11);
    /// ```
    pub fn position_table(&self) -> usize {
        match self.model {
            GeneRainModel::PredExpr => self.n_genes + 1,
            GeneRainModel::PredGenes | GeneRainModel::Gpt => self.max_len,
        }
    }

    /// The mask token: 0 (Pred_Expr), `n_genes + 1` (Pred_Genes), none (GPT).
    ///
    /// ```
    /// use seqenc::binning::{GeneRainModel, InputConfig};
    /// assert_eq!(InputConfig::new(GeneRainModel::PredGenes, 10).mask_id(), Some(11));
    /// assert_eq!(InputConfig::new(GeneRainModel::Gpt, 10).mask_id(), None);
    /// ```
    pub fn mask_id(&self) -> Option<u32> {
        match self.model {
            GeneRainModel::PredExpr => Some(EXPR_MASK_ID),
            GeneRainModel::PredGenes => Some(self.n_genes as u32 + GENE_OFFSET),
            GeneRainModel::Gpt => None,
        }
    }

    /// Builds the input of one sample (see the module docs for the layout). Masking draws from
    /// `rng` (Pred_Expr, Pred_Genes; GPT draws nothing); the random token of the 10 % is a
    /// uniform bin `1..=n_bins` or a uniform gene token `1..=n_genes`.
    ///
    /// Errors: ragged `sample`, more than `max_len` genes, a gene `>= n_genes` or repeated, a bin
    /// outside `1..=n_bins`, an unexpressed gene with a bin other than 1, and for Pred_Genes and
    /// GPT a sample that is not in expression order (bins non-increasing, unexpressed last).
    ///
    /// ```
    /// use rand::SeedableRng;
    /// use seqenc::binning::{GeneRainModel, InputConfig, MaskConfig, SampleTokens};
    /// let s = SampleTokens { genes: vec![3, 1, 2, 0], bins: vec![3, 2, 2, 1],
    ///     unexpressed: vec![false, false, false, true] };
    /// let mut cfg = InputConfig::new(GeneRainModel::PredExpr, 5);
    /// cfg.max_len = 6;
    /// cfg.masking = MaskConfig { fraction: 1.0, mask_prob: 1.0, random_prob: 0.0 };
    /// let x = cfg.build(&s, &mut rand_chacha::ChaCha8Rng::seed_from_u64(0)).unwrap();
    /// assert_eq!(x.input_ids, vec![1, 0, 0, 0, 0, 0]);       // genes 0,1,2,3 then pads
    /// assert_eq!(x.position_ids, vec![1, 2, 3, 4, 0, 0]);    // gene + 1, pad 0
    /// assert_eq!(x.attention_mask, vec![0, 1, 1, 1, 0, 0]);  // gene 0 is unexpressed
    /// assert_eq!(x.labels, vec![-100, 2, 2, 3, -100, -100]);
    /// ```
    pub fn build(&self, sample: &SampleTokens, rng: &mut impl Rng) -> Result<ModelInput> {
        self.validate()?;
        self.check(sample)?;
        let n = sample.genes.len();
        let order: Vec<usize> = match self.model {
            GeneRainModel::PredExpr => {
                let mut o: Vec<usize> = (0..n).collect();
                o.sort_by_key(|&i| sample.genes[i]);
                o
            }
            GeneRainModel::PredGenes | GeneRainModel::Gpt => (0..n).collect(),
        };
        let genes: Vec<u32> = order.iter().map(|&i| gene_token(sample.genes[i])).collect();
        let expressed: Vec<bool> = order.iter().map(|&i| !sample.unexpressed[i]).collect();
        let truth: Vec<u32> = match self.model {
            GeneRainModel::PredExpr => order.iter().map(|&i| u32::from(sample.bins[i])).collect(),
            _ => genes.clone(),
        };
        let (tokens, actions) = match self.model {
            GeneRainModel::Gpt => (truth.clone(), vec![MaskAction::None; n]),
            _ => {
                let random = match self.model {
                    GeneRainModel::PredExpr => 1..=u32::from(self.n_bins),
                    _ => GENE_OFFSET..=self.n_genes as u32,
                };
                let mask_id = self.mask_id().unwrap_or(PAD_ID);
                let m = bert_mask(&truth, &expressed, &self.masking, mask_id, random, rng)?;
                (m.tokens, m.actions)
            }
        };
        let labels = (0..n)
            .map(|i| {
                let loss = match self.model {
                    GeneRainModel::Gpt => expressed[i],
                    _ => actions[i].is_selected(),
                };
                if loss {
                    i64::from(truth[i])
                } else {
                    IGNORE_INDEX
                }
            })
            .collect();
        let position_ids = match self.model {
            GeneRainModel::PredExpr => genes,
            _ => (0..self.max_len as u32).collect(),
        };
        let mut x = ModelInput {
            input_ids: tokens,
            position_ids,
            attention_mask: expressed.iter().map(|&e| u8::from(e)).collect(),
            labels,
            actions,
            len: n,
        };
        x.input_ids.resize(self.max_len, PAD_ID);
        x.position_ids.resize(self.max_len, PAD_ID);
        x.attention_mask.resize(self.max_len, 0);
        x.labels.resize(self.max_len, IGNORE_INDEX);
        x.actions.resize(self.max_len, MaskAction::None);
        Ok(x)
    }

    fn check(&self, s: &SampleTokens) -> Result<()> {
        let n = s.genes.len();
        if s.bins.len() != n || s.unexpressed.len() != n {
            return Err(Error::InvalidArgument(format!(
                "sample tokens are ragged: {} genes, {} bins, {} unexpressed flags",
                n,
                s.bins.len(),
                s.unexpressed.len()
            )));
        }
        if n > self.max_len {
            return Err(Error::InvalidArgument(format!(
                "sample has {n} genes, more than max_len {}",
                self.max_len
            )));
        }
        let mut seen = vec![false; self.n_genes];
        let ordered = self.model != GeneRainModel::PredExpr;
        for i in 0..n {
            let (g, b, u) = (s.genes[i], s.bins[i], s.unexpressed[i]);
            let slot = seen.get_mut(g as usize).ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "sample token {i}: gene {g} is outside the {} genes",
                    self.n_genes
                ))
            })?;
            if std::mem::replace(slot, true) {
                return Err(Error::InvalidArgument(format!(
                    "sample token {i}: gene {g} occurs twice"
                )));
            }
            if b == 0 || b > self.n_bins || (u && b != 1) {
                return Err(Error::InvalidArgument(format!(
                    "sample token {i} (gene {g}): bin {b} is outside 1..={} (unexpressed genes have bin 1)",
                    self.n_bins
                )));
            }
            if ordered && i > 0 {
                let (pb, pu) = (s.bins[i - 1], s.unexpressed[i - 1]);
                if !u && (pu || b > pb) {
                    return Err(Error::InvalidArgument(format!(
                        "sample token {i} (gene {g}): not in descending expression order (bin {b} after {pb}{})",
                        if pu { ", unexpressed" } else { "" }
                    )));
                }
            }
        }
        Ok(())
    }
}

/// The input of one sample, every vector `max_len` long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInput {
    /// Token ids (bins for Pred_Expr, gene tokens otherwise), after masking.
    pub input_ids: Vec<u32>,
    /// Position ids (gene tokens for Pred_Expr, `0..max_len` otherwise).
    pub position_ids: Vec<u32>,
    /// 1 for expressed genes, 0 for unexpressed genes and padding.
    pub attention_mask: Vec<u8>,
    /// The true token where there is a loss, [`IGNORE_INDEX`] elsewhere (GPT: unshifted).
    pub labels: Vec<i64>,
    /// What the masking did at each position ([`MaskAction::None`] for GPT and padding).
    pub actions: Vec<MaskAction>,
    /// Number of genes before padding.
    pub len: usize,
}

#[cfg(test)]
#[path = "inputs_tests.rs"]
mod tests;
