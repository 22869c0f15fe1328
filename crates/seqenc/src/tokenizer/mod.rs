//! Tokenizers: the seam between sequences and models.
//!
//! Every tokenizer turns a DNA sequence (bytes) into an [`Encoding`]: token ids, an attention
//! mask, and for every token the nucleotide [`Span`] it covers. Spans are **0-based, half-open**
//! byte ranges `[start, end)` into the input sequence; special tokens (`[CLS]`, `[SEP]`,
//! `<cls>`, padding, …) cover no nucleotide and carry `None`.
//!
//! Implementations: [`DnaBert`] (overlapping k-mers, k = 3..6), [`NucleotideTransformer`]
//! (non-overlapping 6-mers, NT v1), [`Bpe`] (HF `tokenizer.json`, DNABERT-2 style) and
//! [`CharTokenizer`] (one token per nucleotide).

mod bpe;
mod chars;
mod dnabert;
mod nt;
mod spec;
pub mod vocab;

pub use bpe::{Bpe, BpeTrainConfig};
pub use chars::{CHAR_VOCAB, CharTokenizer};
pub use dnabert::DnaBert;
pub use nt::NucleotideTransformer;
pub use spec::{AnyTokenizer, TokenizerSpec};

use crate::error::Result;
use rayon::prelude::*;

/// A 0-based, half-open nucleotide range `[start, end)` of the input sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// First covered position (0-based).
    pub start: usize,
    /// One past the last covered position.
    pub end: usize,
}

/// How upper/lower case input is treated by the k-mer tokenizers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseMode {
    /// Use the bytes as they are, like DNABERT's own tokenizer (no lower-casing): a k-mer with a
    /// lowercase base is not in the vocabulary and becomes the unknown token.
    #[default]
    AsIs,
    /// Upper-case the sequence first (a common preprocessing step).
    Upper,
}

/// The encoding of one sequence (or one chunk of it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encoding {
    /// Token ids.
    pub ids: Vec<u32>,
    /// 1 for real tokens (specials included), 0 for padding.
    pub attention_mask: Vec<u8>,
    /// Nucleotide span of each token; `None` for special and padding tokens.
    pub spans: Vec<Option<Span>>,
}

impl Encoding {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Appends one special token (mask 1, no span).
    pub(crate) fn push_special(&mut self, id: u32) {
        self.ids.push(id);
        self.attention_mask.push(1);
        self.spans.push(None);
    }

    /// Appends one token covering `[start, end)`.
    pub(crate) fn push_token(&mut self, id: u32, start: usize, end: usize) {
        self.ids.push(id);
        self.attention_mask.push(1);
        self.spans.push(Some(Span { start, end }));
    }

    /// Pads on the right with `pad_id` (mask 0, no span) up to `len` tokens; never shortens.
    ///
    /// ```
    /// use seqenc::tokenizer::{Encoding, Span};
    /// let mut e = Encoding { ids: vec![2, 7, 3], attention_mask: vec![1, 1, 1],
    ///     spans: vec![None, Some(Span { start: 0, end: 3 }), None] };
    /// e.pad_to(5, 0);
    /// assert_eq!(e.ids, vec![2, 7, 3, 0, 0]);
    /// assert_eq!(e.attention_mask, vec![1, 1, 1, 0, 0]);
    /// ```
    pub fn pad_to(&mut self, len: usize, pad_id: u32) {
        while self.ids.len() < len {
            self.ids.push(pad_id);
            self.attention_mask.push(0);
            self.spans.push(None);
        }
    }
}

/// The special tokens of a vocabulary (`None` where the vocabulary has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpecialTokens {
    /// Padding token.
    pub pad: Option<u32>,
    /// Unknown token.
    pub unk: Option<u32>,
    /// Classification / start token.
    pub cls: Option<u32>,
    /// Separator / end token.
    pub sep: Option<u32>,
    /// Mask token.
    pub mask: Option<u32>,
    /// Beginning-of-sequence token.
    pub bos: Option<u32>,
    /// End-of-sequence token.
    pub eos: Option<u32>,
}

/// Padding for batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Padding {
    /// No padding.
    #[default]
    None,
    /// Pad (right) to the longest encoding of the batch.
    Longest,
    /// Pad (right) to a fixed number of tokens (longer encodings are left as they are unless
    /// truncation is also requested).
    Fixed(usize),
}

/// Options for [`Tokenizer::encode_with`] and [`Tokenizer::encode_batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncodeOptions {
    /// Truncate to at most this many tokens, special tokens included (the sequence tokens are
    /// cut on the right, the special tokens are kept, as HF's `truncation=True` does).
    pub max_len: Option<usize>,
    /// Padding (right, with the vocabulary's pad token).
    pub padding: Padding,
}

/// A DNA tokenizer. Implementors provide the raw tokenization (no special tokens) and the
/// special tokens that wrap it; wrapping, truncation, padding, chunking and parallel batches
/// come for free.
pub trait Tokenizer: Send + Sync {
    /// Tokens of `seq` without special tokens; every span is `Some`.
    fn encode_raw(&self, seq: &[u8]) -> Result<Encoding>;

    /// The ids put before and after the sequence tokens (e.g. `[CLS]` and `[SEP]`).
    fn wrap_ids(&self) -> (Vec<u32>, Vec<u32>);

    /// Decodes ids back to a sequence. Special and padding tokens are skipped; overlapping
    /// k-mers are merged (first k-mer, then the last base of each following one).
    fn decode(&self, ids: &[u32]) -> Result<String>;

    /// The special tokens of the vocabulary.
    fn special_tokens(&self) -> SpecialTokens;

    /// Number of tokens in the vocabulary.
    fn vocab_size(&self) -> usize;

    /// The string of token `id`, if it exists.
    fn id_to_token(&self, id: u32) -> Option<String>;

    /// Encodes one sequence with special tokens, exactly as the reference tokenizer does (no
    /// truncation or padding).
    fn encode(&self, seq: &[u8]) -> Result<Encoding> {
        let raw = self.encode_raw(seq)?;
        Ok(wrap(&self.wrap_ids(), raw))
    }

    /// Encodes one sequence with truncation and fixed padding from `opts`
    /// (`Padding::Longest` is the identity for a single sequence).
    fn encode_with(&self, seq: &[u8], opts: &EncodeOptions) -> Result<Encoding> {
        let mut enc = match opts.max_len {
            None => self.encode(seq)?,
            Some(max) => {
                let (pre, post) = self.wrap_ids();
                let mut raw = self.encode_raw(seq)?;
                let keep = max.saturating_sub(pre.len() + post.len());
                truncate(&mut raw, keep);
                let mut e = wrap(&(pre, post), raw);
                truncate(&mut e, max);
                e
            }
        };
        if let Padding::Fixed(n) = opts.padding {
            enc.pad_to(n, self.special_tokens().pad.unwrap_or(0));
        }
        Ok(enc)
    }

    /// Encodes a batch in parallel (rayon), then pads as `opts` asks. The first error (by
    /// sequence order) is returned.
    fn encode_batch<S: AsRef<[u8]> + Sync>(
        &self,
        seqs: &[S],
        opts: &EncodeOptions,
    ) -> Result<Vec<Encoding>>
    where
        Self: Sized,
    {
        let mut out: Vec<Encoding> = seqs
            .par_iter()
            .map(|s| self.encode_with(s.as_ref(), opts))
            .collect::<Result<_>>()?;
        if opts.padding == Padding::Longest {
            let n = out.iter().map(Encoding::len).max().unwrap_or(0);
            let pad = self.special_tokens().pad.unwrap_or(0);
            out.iter_mut().for_each(|e| e.pad_to(n, pad));
        }
        Ok(out)
    }

    /// Long-sequence chunking: splits the sequence tokens into pieces of at most
    /// `max_len - (number of special tokens)` tokens and wraps each piece in the special
    /// tokens, so every chunk has at most `max_len` tokens. Spans keep referring to the whole
    /// input. Always returns at least one chunk.
    ///
    /// ```
    /// use seqenc::tokenizer::{CaseMode, DnaBert, Tokenizer};
    /// let t = DnaBert::new(3, CaseMode::AsIs).unwrap();
    /// let chunks = t.encode_chunks(b"ACGTAC", 4).unwrap(); // 4 k-mers, 2 per chunk
    /// assert_eq!(chunks.len(), 2);
    /// assert_eq!(chunks[1].spans[1].unwrap().start, 2);
    /// ```
    fn encode_chunks(&self, seq: &[u8], max_len: usize) -> Result<Vec<Encoding>> {
        let wrap_ids = self.wrap_ids();
        let per = max_len.saturating_sub(wrap_ids.0.len() + wrap_ids.1.len());
        if per == 0 {
            return Err(crate::Error::InvalidArgument(format!(
                "chunk length {max_len} leaves no room for sequence tokens"
            )));
        }
        let raw = self.encode_raw(seq)?;
        if raw.is_empty() {
            return Ok(vec![wrap(&wrap_ids, raw)]);
        }
        Ok((0..raw.len())
            .step_by(per)
            .map(|a| {
                let b = (a + per).min(raw.len());
                let piece = Encoding {
                    ids: raw.ids[a..b].to_vec(),
                    attention_mask: raw.attention_mask[a..b].to_vec(),
                    spans: raw.spans[a..b].to_vec(),
                };
                wrap(&wrap_ids, piece)
            })
            .collect())
    }
}

/// Wraps raw tokens in the given prefix/suffix special ids.
pub(crate) fn wrap(wrap_ids: &(Vec<u32>, Vec<u32>), raw: Encoding) -> Encoding {
    let n = wrap_ids.0.len() + raw.len() + wrap_ids.1.len();
    let mut e = Encoding {
        ids: Vec::with_capacity(n),
        attention_mask: Vec::with_capacity(n),
        spans: Vec::with_capacity(n),
    };
    wrap_ids.0.iter().for_each(|&i| e.push_special(i));
    e.ids.extend_from_slice(&raw.ids);
    e.attention_mask.extend_from_slice(&raw.attention_mask);
    e.spans.extend_from_slice(&raw.spans);
    wrap_ids.1.iter().for_each(|&i| e.push_special(i));
    e
}

fn truncate(e: &mut Encoding, n: usize) {
    e.ids.truncate(n);
    e.attention_mask.truncate(n);
    e.spans.truncate(n);
}

/// Boxed tokenizers (e.g. chosen at run time) are tokenizers too, so `Box<dyn Tokenizer>`
/// gets [`Tokenizer::encode_batch`]. Every method forwards, overrides included.
impl<T: Tokenizer + ?Sized> Tokenizer for Box<T> {
    fn encode_raw(&self, seq: &[u8]) -> Result<Encoding> {
        (**self).encode_raw(seq)
    }
    fn wrap_ids(&self) -> (Vec<u32>, Vec<u32>) {
        (**self).wrap_ids()
    }
    fn decode(&self, ids: &[u32]) -> Result<String> {
        (**self).decode(ids)
    }
    fn special_tokens(&self) -> SpecialTokens {
        (**self).special_tokens()
    }
    fn vocab_size(&self) -> usize {
        (**self).vocab_size()
    }
    fn id_to_token(&self, id: u32) -> Option<String> {
        (**self).id_to_token(id)
    }
    fn encode(&self, seq: &[u8]) -> Result<Encoding> {
        (**self).encode(seq)
    }
    fn encode_with(&self, seq: &[u8], opts: &EncodeOptions) -> Result<Encoding> {
        (**self).encode_with(seq, opts)
    }
    fn encode_chunks(&self, seq: &[u8], max_len: usize) -> Result<Vec<Encoding>> {
        (**self).encode_chunks(seq, max_len)
    }
}
