//! Tokenizer specifications as users write them (`dnabert:6`, `nt6`, `nt6:VOCAB`,
//! `bpe:tokenizer.json`, `char`), parsed once here for the CLI, the pipeline and examples.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::{
    Bpe, CaseMode, CharTokenizer, DnaBert, Encoding, NucleotideTransformer, SpecialTokens,
    Tokenizer,
};
use crate::error::{Error, Result};

/// Which tokenizer, before any file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenizerSpec {
    /// DNABERT overlapping k-mers, `K` in 3..=6 (`dnabert:K`).
    DnaBert(usize),
    /// Nucleotide Transformer 6-mers, with an optional vocabulary file (`nt6`, `nt6:VOCAB`).
    Nt6(Option<PathBuf>),
    /// A HF `tokenizer.json` BPE model (DNABERT-2) (`bpe:FILE`).
    Bpe(PathBuf),
    /// One token per base (`char`).
    Char,
}

impl FromStr for TokenizerSpec {
    type Err = Error;

    /// ```
    /// use seqenc::tokenizer::TokenizerSpec;
    /// assert_eq!("dnabert:6".parse::<TokenizerSpec>().unwrap(), TokenizerSpec::DnaBert(6));
    /// assert_eq!("nt6".parse::<TokenizerSpec>().unwrap(), TokenizerSpec::Nt6(None));
    /// assert!("dnabert:x".parse::<TokenizerSpec>().is_err());
    /// assert!("wordpiece".parse::<TokenizerSpec>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let (kind, param) = match s.split_once(':') {
            Some((k, p)) => (k, Some(p)),
            None => (s, None),
        };
        match (kind, param) {
            ("dnabert", Some(k)) => k.parse().map(Self::DnaBert).map_err(|_| {
                Error::InvalidArgument(format!("dnabert:K needs a number K, got {k:?}"))
            }),
            ("nt6", p) => Ok(Self::Nt6(p.map(PathBuf::from))),
            ("bpe", Some(p)) => Ok(Self::Bpe(PathBuf::from(p))),
            ("char", None) => Ok(Self::Char),
            _ => Err(Error::InvalidArgument(format!(
                "unknown tokenizer {s:?}; use dnabert:K, nt6[:VOCAB], bpe:TOKENIZER_JSON or char"
            ))),
        }
    }
}

impl TokenizerSpec {
    /// Builds the tokenizer: the built-in vocabulary, or `vocab` (a `vocab.txt`) for
    /// `dnabert:K`, `nt6` and `char`. `case` does not apply to BPE (an error unless
    /// [`CaseMode::AsIs`]).
    ///
    /// ```
    /// use seqenc::tokenizer::{CaseMode, Tokenizer, TokenizerSpec};
    /// let t = TokenizerSpec::DnaBert(3).build(None, CaseMode::AsIs).unwrap();
    /// assert_eq!(t.vocab_size(), 69);
    /// ```
    pub fn build(&self, vocab: Option<&Path>, case: CaseMode) -> Result<AnyTokenizer> {
        Ok(match self {
            Self::DnaBert(k) => AnyTokenizer::DnaBert(match vocab {
                Some(v) => DnaBert::from_vocab_file(v, *k, case)?,
                None => DnaBert::new(*k, case)?,
            }),
            Self::Nt6(file) => AnyTokenizer::Nt(Box::new(match file.as_deref().or(vocab) {
                Some(v) => NucleotideTransformer::from_vocab_file(v, case)?,
                None => NucleotideTransformer::new(case)?,
            })),
            Self::Bpe(path) => {
                if case != CaseMode::AsIs {
                    return Err(Error::InvalidArgument(
                        "upper-casing is not available for bpe".into(),
                    ));
                }
                AnyTokenizer::Bpe(Box::new(Bpe::from_file(path)?))
            }
            Self::Char => AnyTokenizer::Char(match vocab {
                Some(v) => CharTokenizer::from_vocab_file(v, case)?,
                None => CharTokenizer::new(case)?,
            }),
        })
    }
}

/// Any of the tokenizers of this crate, chosen at run time ([`TokenizerSpec::build`]).
///
/// Built once per run, so the variants' sizes do not matter.
#[derive(Debug)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum AnyTokenizer {
    /// DNABERT k-mers.
    DnaBert(DnaBert),
    /// Nucleotide Transformer 6-mers.
    Nt(Box<NucleotideTransformer>),
    /// BPE from `tokenizer.json`.
    Bpe(Box<Bpe>),
    /// One token per base.
    Char(CharTokenizer),
}

macro_rules! each {
    ($self:ident, $t:ident => $e:expr) => {
        match $self {
            AnyTokenizer::DnaBert($t) => $e,
            AnyTokenizer::Nt($t) => $e,
            AnyTokenizer::Bpe($t) => $e,
            AnyTokenizer::Char($t) => $e,
        }
    };
}

impl Tokenizer for AnyTokenizer {
    fn encode_raw(&self, seq: &[u8]) -> Result<Encoding> {
        each!(self, t => t.encode_raw(seq))
    }
    fn wrap_ids(&self) -> (Vec<u32>, Vec<u32>) {
        each!(self, t => t.wrap_ids())
    }
    fn decode(&self, ids: &[u32]) -> Result<String> {
        each!(self, t => t.decode(ids))
    }
    fn special_tokens(&self) -> SpecialTokens {
        each!(self, t => t.special_tokens())
    }
    fn vocab_size(&self) -> usize {
        each!(self, t => t.vocab_size())
    }
    fn id_to_token(&self, id: u32) -> Option<String> {
        each!(self, t => t.id_to_token(id))
    }
}
