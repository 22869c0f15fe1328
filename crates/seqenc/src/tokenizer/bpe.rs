//! BPE (DNABERT-2 style) through the HF `tokenizers` crate, with a nucleotide span map.

use super::{Encoding, Span, SpecialTokens, Tokenizer};
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;
use tokenizers::models::bpe::{BPE, BpeTrainerBuilder};
use tokenizers::models::{ModelWrapper, TrainerWrapper};
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{AddedToken, Tokenizer as HfTokenizer};

/// Settings for [`Bpe::train`]; the defaults are DNABERT-2's (and the project oracle's).
#[derive(Debug, Clone, PartialEq)]
pub struct BpeTrainConfig {
    /// Target vocabulary size, special tokens included.
    pub vocab_size: usize,
    /// Minimum pair frequency for a merge.
    pub min_frequency: u64,
    /// Special tokens, in id order (`[UNK]` must be among them; `[CLS]`/`[SEP]` wrap inputs).
    pub special_tokens: Vec<String>,
    /// Characters always in the vocabulary.
    pub initial_alphabet: Vec<char>,
    /// Longest token allowed (`None`: unlimited).
    pub max_token_length: Option<usize>,
}

impl Default for BpeTrainConfig {
    fn default() -> Self {
        BpeTrainConfig {
            vocab_size: 4096,
            min_frequency: 2,
            special_tokens: ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
                .map(String::from)
                .to_vec(),
            initial_alphabet: "ACGTN".chars().collect(),
            max_token_length: None,
        }
    }
}

/// A BPE tokenizer loaded from (or trained into) a HF `tokenizer.json`.
///
/// Encodings are the HF library's own, so ids equal what `tokenizers`/`transformers` produce
/// from the same file; spans come from HF's offsets (sequences must be ASCII, so character and
/// byte offsets agree); tokens added by the post-processor (`[CLS]`, `[SEP]`) get `None`.
///
/// ```
/// use seqenc::tokenizer::{Bpe, BpeTrainConfig, Tokenizer};
/// let corpus = ["ACGTACGTACGT", "ACGTTTACGTAA", "TTTTACGTACGT"];
/// let cfg = BpeTrainConfig { vocab_size: 16, ..Default::default() };
/// let bpe = Bpe::train(corpus.iter().copied(), &cfg).unwrap();
/// let e = bpe.encode(b"ACGTACGT").unwrap();
/// assert_eq!(e.ids[0], 1); // [CLS]
/// assert_eq!(bpe.decode(&e.ids).unwrap(), "ACGTACGT");
/// ```
#[derive(Debug, Clone)]
pub struct Bpe {
    inner: HfTokenizer,
    special_ids: HashSet<u32>,
    special: SpecialTokens,
    wrap: (Vec<u32>, Vec<u32>),
}

impl Bpe {
    /// Loads a `tokenizer.json`; the model must be BPE.
    pub fn from_file(path: &Path) -> Result<Self> {
        let s = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_json(&s, &path.display().to_string())
    }

    /// Parses the text of a `tokenizer.json`; `origin` names it in errors.
    pub fn from_json(json: &str, origin: &str) -> Result<Self> {
        let inner = HfTokenizer::from_str(json).map_err(|e| Error::TokenizerJson {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        Self::from_hf(inner, origin)
    }

    /// Wraps an in-memory HF tokenizer; the model must be BPE.
    pub fn from_hf(inner: HfTokenizer, origin: &str) -> Result<Self> {
        let model = match inner.get_model() {
            ModelWrapper::BPE(_) => "BPE",
            ModelWrapper::WordPiece(_) => "WordPiece",
            ModelWrapper::WordLevel(_) => "WordLevel",
            ModelWrapper::Unigram(_) => "Unigram",
        };
        if model != "BPE" {
            return Err(Error::TokenizerJson {
                origin: origin.to_string(),
                message: format!("model is {model}, expected BPE"),
            });
        }
        let special_ids: HashSet<u32> = inner
            .get_added_tokens_decoder()
            .iter()
            .filter(|(_, t)| t.special)
            .map(|(id, _)| *id)
            .collect();
        let id = |t: &str| inner.token_to_id(t);
        let special = SpecialTokens {
            pad: id("[PAD]").or_else(|| id("<pad>")),
            unk: id("[UNK]").or_else(|| id("<unk>")),
            cls: id("[CLS]").or_else(|| id("<cls>")),
            sep: id("[SEP]").or_else(|| id("<sep>")),
            mask: id("[MASK]").or_else(|| id("<mask>")),
            bos: id("<s>").or_else(|| id("<bos>")),
            eos: id("</s>").or_else(|| id("<eos>")),
        };
        let mut bpe = Bpe {
            inner,
            special_ids,
            special,
            wrap: (vec![], vec![]),
        };
        bpe.wrap = bpe.probe_wrap()?;
        Ok(bpe)
    }

    /// Finds the special ids the post-processor puts before/after a sequence, by encoding `A`.
    fn probe_wrap(&self) -> Result<(Vec<u32>, Vec<u32>)> {
        let e = self
            .inner
            .encode("A", true)
            .map_err(|e| Error::Tokenizers(e.to_string()))?;
        let m = e.get_special_tokens_mask();
        let first = m.iter().position(|&x| x == 0).unwrap_or(m.len());
        let last = m.iter().rposition(|&x| x == 0).map_or(first, |p| p + 1);
        Ok((e.get_ids()[..first].to_vec(), e.get_ids()[last..].to_vec()))
    }

    /// Trains a new BPE vocabulary on `seqs` (no normalizer, no pre-tokenizer: each sequence
    /// is one word, as in DNABERT-2) with a `[CLS] $A [SEP]` post-processor.
    pub fn train<'a, I>(seqs: I, cfg: &BpeTrainConfig) -> Result<Self>
    where
        I: Iterator<Item = &'a str> + Send,
    {
        let tokens: Vec<AddedToken> = cfg
            .special_tokens
            .iter()
            .map(|s| AddedToken::from(s.clone(), true))
            .collect();
        let trainer = BpeTrainerBuilder::new()
            .vocab_size(cfg.vocab_size)
            .min_frequency(cfg.min_frequency)
            .special_tokens(tokens)
            .initial_alphabet(cfg.initial_alphabet.iter().copied().collect())
            .max_token_length(cfg.max_token_length)
            .show_progress(false)
            .build();
        let unk = cfg
            .special_tokens
            .iter()
            .find(|t| t.contains("UNK") || t.contains("unk"));
        let mut builder = BPE::builder();
        if let Some(u) = unk {
            builder = builder.unk_token(u.clone());
        }
        let model = builder
            .build()
            .map_err(|e| Error::Tokenizers(e.to_string()))?;
        let mut tok = HfTokenizer::new(model);
        let mut trainer = TrainerWrapper::BpeTrainer(trainer);
        let mut n_nonempty = 0usize;
        let counted = seqs.inspect(|s| n_nonempty += usize::from(!s.is_empty()));
        tok.train(&mut trainer, counted)
            .map_err(|e| Error::Tokenizers(e.to_string()))?;
        if n_nonempty == 0 {
            return Err(Error::EmptySequence {
                index: 0,
                what: "BPE training",
            });
        }
        let cls = tok.token_to_id("[CLS]");
        let sep = tok.token_to_id("[SEP]");
        if let (Some(c), Some(s)) = (cls, sep) {
            let post = TemplateProcessing::builder()
                .try_single("[CLS] $A [SEP]")
                .and_then(|b| b.try_pair("[CLS] $A [SEP] $B:1 [SEP]:1"))
                .map_err(|e| Error::Tokenizers(e.to_string()))?
                .special_tokens(vec![("[CLS]", c), ("[SEP]", s)])
                .build()
                .map_err(|e| Error::Tokenizers(e.to_string()))?;
            tok.with_post_processor(Some(post));
        }
        Self::from_hf(tok, "<trained>")
    }

    /// Serialises to `tokenizer.json` text (loadable by HF `tokenizers`/`transformers`).
    pub fn to_json(&self, pretty: bool) -> Result<String> {
        self.inner
            .to_string(pretty)
            .map_err(|e| Error::Tokenizers(e.to_string()))
    }

    /// Writes `tokenizer.json` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::util::write_atomic(path, self.to_json(true)?.as_bytes())
    }

    /// The wrapped HF tokenizer.
    pub fn hf(&self) -> &HfTokenizer {
        &self.inner
    }

    fn convert(&self, seq: &[u8], add_special: bool) -> Result<Encoding> {
        if let Some(pos) = seq.iter().position(|b| !b.is_ascii()) {
            return Err(Error::InvalidBase {
                index: 0,
                pos,
                byte: seq[pos] as char,
            });
        }
        let s = std::str::from_utf8(seq).map_err(|e| Error::InvalidArgument(e.to_string()))?;
        let e = self
            .inner
            .encode(s, add_special)
            .map_err(|e| Error::Tokenizers(e.to_string()))?;
        let spans = e
            .get_offsets()
            .iter()
            .zip(e.get_special_tokens_mask())
            .map(|(&(a, b), &sp)| (sp == 0).then_some(Span { start: a, end: b }))
            .collect();
        Ok(Encoding {
            ids: e.get_ids().to_vec(),
            attention_mask: e.get_attention_mask().iter().map(|&m| m as u8).collect(),
            spans,
        })
    }
}

impl Tokenizer for Bpe {
    fn encode_raw(&self, seq: &[u8]) -> Result<Encoding> {
        self.convert(seq, false)
    }

    fn wrap_ids(&self) -> (Vec<u32>, Vec<u32>) {
        self.wrap.clone()
    }

    /// The HF encoding with special tokens, exactly.
    fn encode(&self, seq: &[u8]) -> Result<Encoding> {
        self.convert(seq, true)
    }

    /// Concatenates the token strings (the DNABERT-2 files have no decoder, where HF's own
    /// `decode` would join tokens with spaces); special tokens and padding are skipped.
    fn decode(&self, ids: &[u32]) -> Result<String> {
        let mut s = String::new();
        for &id in ids {
            if self.special_ids.contains(&id) && Some(id) != self.special.unk {
                continue;
            }
            let t = self.inner.id_to_token(id).ok_or(Error::UnknownId {
                id,
                vocab_size: self.vocab_size(),
            })?;
            s.push_str(if Some(id) == self.special.unk {
                "N"
            } else {
                &t
            });
        }
        Ok(s)
    }

    fn special_tokens(&self) -> SpecialTokens {
        self.special
    }

    fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    fn id_to_token(&self, id: u32) -> Option<String> {
        self.inner.id_to_token(id)
    }
}
