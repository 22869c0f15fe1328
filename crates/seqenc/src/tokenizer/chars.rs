//! Single-nucleotide (character-level) tokenizer.

use super::vocab::Vocab;
use super::{CaseMode, Encoding, SpecialTokens, Tokenizer};
use crate::error::{Error, Result};
use std::path::Path;

/// The built-in character vocabulary: `[PAD] [UNK] [CLS] [SEP] [MASK] A C G T N`.
pub const CHAR_VOCAB: [&str; 10] = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "A", "C", "G", "T", "N",
];

/// One token per nucleotide: byte `i` becomes the vocabulary's one-character token for it (or
/// `[UNK]`) with span `[i, i + 1)`; [`Tokenizer::encode`] wraps in `[CLS] … [SEP]`.
///
/// ```
/// use seqenc::tokenizer::{CaseMode, CharTokenizer, Tokenizer};
/// let t = CharTokenizer::new(CaseMode::Upper).unwrap();
/// assert_eq!(t.encode(b"ACgtR").unwrap().ids, vec![2, 5, 6, 7, 8, 1, 3]);
/// ```
#[derive(Debug, Clone)]
pub struct CharTokenizer {
    vocab: Vocab,
    table: [u32; 256],
    special: SpecialTokens,
}

impl CharTokenizer {
    /// The built-in vocabulary [`CHAR_VOCAB`].
    pub fn new(case: CaseMode) -> Result<Self> {
        let v = Vocab::from_tokens(
            CHAR_VOCAB.iter().map(|s| s.to_string()).collect(),
            "<built-in>",
        )?;
        Self::from_vocab(v, case)
    }

    /// Any vocabulary holding `[UNK]`, `[CLS]`, `[SEP]` (and optionally `[PAD]`, `[MASK]`);
    /// its one-character ASCII tokens are the alphabet.
    pub fn from_vocab(vocab: Vocab, case: CaseMode) -> Result<Self> {
        let special = SpecialTokens {
            pad: vocab.id("[PAD]"),
            unk: Some(vocab.require("[UNK]")?),
            cls: Some(vocab.require("[CLS]")?),
            sep: Some(vocab.require("[SEP]")?),
            mask: vocab.id("[MASK]"),
            bos: None,
            eos: None,
        };
        let mut table = [special.unk.unwrap_or(0); 256];
        for (id, t) in vocab.tokens().iter().enumerate() {
            if let [b] = t.as_bytes() {
                let id = u32::try_from(id)
                    .map_err(|_| Error::InvalidArgument("vocab too large".into()))?;
                table[*b as usize] = id;
            }
        }
        if case == CaseMode::Upper {
            for b in b'a'..=b'z' {
                let up = table[b.to_ascii_uppercase() as usize];
                if vocab.id(&(b as char).to_string()).is_none() {
                    table[b as usize] = up;
                }
            }
        }
        Ok(CharTokenizer {
            vocab,
            table,
            special,
        })
    }

    /// Loads a vocabulary file (one token per line).
    pub fn from_vocab_file(path: &Path, case: CaseMode) -> Result<Self> {
        Self::from_vocab(Vocab::from_file(path)?, case)
    }
}

impl Tokenizer for CharTokenizer {
    fn encode_raw(&self, seq: &[u8]) -> Result<Encoding> {
        Ok(Encoding {
            ids: seq.iter().map(|&b| self.table[b as usize]).collect(),
            attention_mask: vec![1; seq.len()],
            spans: (0..seq.len())
                .map(|i| {
                    Some(super::Span {
                        start: i,
                        end: i + 1,
                    })
                })
                .collect(),
        })
    }

    fn wrap_ids(&self) -> (Vec<u32>, Vec<u32>) {
        (
            self.special.cls.into_iter().collect(),
            self.special.sep.into_iter().collect(),
        )
    }

    /// Concatenates one-character tokens; `[UNK]` decodes as `N`, other specials are skipped.
    fn decode(&self, ids: &[u32]) -> Result<String> {
        let mut s = String::new();
        for &id in ids {
            let t = self.vocab.token(id).ok_or(Error::UnknownId {
                id,
                vocab_size: self.vocab.len(),
            })?;
            if Some(id) == self.special.unk {
                s.push('N');
            } else if t.len() == 1 {
                s.push_str(t);
            }
        }
        Ok(s)
    }

    fn special_tokens(&self) -> SpecialTokens {
        self.special
    }

    fn vocab_size(&self) -> usize {
        self.vocab.len()
    }

    fn id_to_token(&self, id: u32) -> Option<String> {
        self.vocab.token(id).map(str::to_string)
    }
}
