//! DNABERT overlapping k-mer tokenizer (k = 3..6), vocabulary-exact.

use super::vocab::{Vocab, atcg_codes, kmers_atcg};
use super::{CaseMode, Encoding, SpecialTokens, Tokenizer, wrap};
use crate::error::{Error, Result};
use std::path::Path;

/// DNABERT's special tokens, in vocabulary order (ids 0..=4).
pub const DNABERT_SPECIALS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// DNABERT's own piece length: inputs of 510 or more k-mers are split into pieces of 510.
pub const DNABERT_PIECE: usize = 510;

/// DNABERT overlapping k-mer tokenizer.
///
/// The sequence becomes its `len - k + 1` overlapping k-mers (stride 1; none when
/// `len < k`), each looked up in the vocabulary `[PAD] [UNK] [CLS] [SEP] [MASK]` + all 4^k
/// k-mers in `A,T,C,G` order; a k-mer with any byte outside upper-case `ACGT` (N, IUPAC codes,
/// lower case under [`CaseMode::AsIs`]) is `[UNK]`. [`Tokenizer::encode`] gives
/// `[CLS] k-mers [SEP]`, exactly `BertTokenizer(vocab, do_lower_case=False)` applied to the
/// space-joined k-mers (equality holds for inputs made of ASCII letters; BERT's basic tokenizer
/// would split k-mers at punctuation). Token `i` spans `[i, i + k)`.
///
/// ```
/// use seqenc::tokenizer::{CaseMode, DnaBert, Tokenizer};
/// let t = DnaBert::new(6, CaseMode::AsIs).unwrap();
/// assert_eq!(t.encode(b"ACGTAC").unwrap().ids, vec![2, 727, 3]);
/// assert_eq!(t.encode(b"GGGGGGN").unwrap().ids, vec![2, 4100, 1, 3]); // N k-mer -> [UNK]
/// ```
#[derive(Debug, Clone)]
pub struct DnaBert {
    k: usize,
    case: CaseMode,
    vocab: Vocab,
    table: Vec<u32>,
    codes: [u8; 256],
    special: SpecialTokens,
}

impl DnaBert {
    /// Builds the standard DNABERT vocabulary for `k` (3..=6).
    pub fn new(k: usize, case: CaseMode) -> Result<Self> {
        check_k(k)?;
        let mut tokens: Vec<String> = DNABERT_SPECIALS.iter().map(|s| s.to_string()).collect();
        tokens.extend(kmers_atcg(k));
        Self::from_vocab(Vocab::from_tokens(tokens, "<built-in>")?, k, case)
    }

    /// Uses an existing vocabulary; it must hold the five special tokens once each and all
    /// 4^k k-mers, and have exactly `5 + 4^k` entries (any order).
    pub fn from_vocab(vocab: Vocab, k: usize, case: CaseMode) -> Result<Self> {
        check_k(k)?;
        let expected = 5 + (1usize << (2 * k));
        let [pad, unk, cls, sep, mask] = DNABERT_SPECIALS.map(|s| vocab.require(s));
        let special = SpecialTokens {
            pad: Some(pad?),
            unk: Some(unk?),
            cls: Some(cls?),
            sep: Some(sep?),
            mask: Some(mask?),
            bos: None,
            eos: None,
        };
        if vocab.len() != expected {
            return Err(Error::VocabSize {
                origin: vocab.origin.clone(),
                expected,
                found: vocab.len(),
            });
        }
        let table = vocab.kmer_table(k)?;
        let codes = atcg_codes(case == CaseMode::Upper);
        Ok(DnaBert {
            k,
            case,
            vocab,
            table,
            codes,
            special,
        })
    }

    /// Loads a DNABERT `vocab.txt` (see [`DnaBert::from_vocab`] for the checks).
    pub fn from_vocab_file(path: &Path, k: usize, case: CaseMode) -> Result<Self> {
        Self::from_vocab(Vocab::from_file(path)?, k, case)
    }

    /// The k-mer length.
    pub fn k(&self) -> usize {
        self.k
    }

    /// The case mode.
    pub fn case_mode(&self) -> CaseMode {
        self.case
    }

    /// The vocabulary.
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// Appends the k-mer ids of `seq` (no special tokens) to `out`: the allocation-free hot
    /// path (rolling 2-bit code, one table lookup per base).
    pub fn kmer_ids_into(&self, seq: &[u8], out: &mut Vec<u32>) {
        let k = self.k;
        if seq.len() < k {
            return;
        }
        let unk = self.special.unk.unwrap_or(1);
        let mask = (1usize << (2 * k)) - 1;
        let mut code = 0usize;
        let mut valid_from = 0usize; // windows starting before this contain a non-ACGT byte
        out.reserve(seq.len() + 1 - k);
        for (i, &b) in seq.iter().enumerate() {
            let c = self.codes[b as usize];
            code = ((code << 2) | (c & 3) as usize) & mask;
            if c > 3 {
                valid_from = i + 1;
            }
            if i + 1 >= k {
                let start = i + 1 - k;
                out.push(if start >= valid_from {
                    self.table[code]
                } else {
                    unk
                });
            }
        }
    }
}

fn check_k(k: usize) -> Result<()> {
    if (3..=6).contains(&k) {
        Ok(())
    } else {
        Err(Error::InvalidArgument(format!(
            "DNABERT k must be 3..=6, got {k}"
        )))
    }
}

impl Tokenizer for DnaBert {
    fn encode_raw(&self, seq: &[u8]) -> Result<Encoding> {
        let mut ids = Vec::new();
        self.kmer_ids_into(seq, &mut ids);
        let n = ids.len();
        Ok(Encoding {
            ids,
            attention_mask: vec![1; n],
            spans: (0..n)
                .map(|i| {
                    Some(super::Span {
                        start: i,
                        end: i + self.k,
                    })
                })
                .collect(),
        })
    }

    fn wrap_ids(&self) -> (Vec<u32>, Vec<u32>) {
        (
            vec![self.special.cls.unwrap_or(2)],
            vec![self.special.sep.unwrap_or(3)],
        )
    }

    /// DNABERT's `build_inputs_with_special_tokens`: fewer than 510 k-mers give
    /// `[CLS] k-mers [SEP]`; otherwise `len / 510 + 1` pieces of up to 510 k-mers, each wrapped
    /// in `[CLS] … [SEP]` and concatenated (so exactly 510 k-mers yield a trailing empty
    /// `[CLS] [SEP]` piece, as in DNABERT). Use [`Tokenizer::encode_chunks`] for separate pieces.
    fn encode(&self, seq: &[u8]) -> Result<Encoding> {
        let raw = self.encode_raw(seq)?;
        let w = self.wrap_ids();
        if raw.len() < DNABERT_PIECE {
            return Ok(wrap(&w, raw));
        }
        let mut out = Encoding::default();
        for p in 0..raw.len() / DNABERT_PIECE + 1 {
            let a = (p * DNABERT_PIECE).min(raw.len());
            let b = ((p + 1) * DNABERT_PIECE).min(raw.len());
            let piece = Encoding {
                ids: raw.ids[a..b].to_vec(),
                attention_mask: raw.attention_mask[a..b].to_vec(),
                spans: raw.spans[a..b].to_vec(),
            };
            let e = wrap(&w, piece);
            out.ids.extend(e.ids);
            out.attention_mask.extend(e.attention_mask);
            out.spans.extend(e.spans);
        }
        Ok(out)
    }

    /// Merges overlapping k-mers: the first k-mer in full, then the last base of each following
    /// one. `[UNK]` k-mers decode as `N`s; other specials and padding are skipped.
    fn decode(&self, ids: &[u32]) -> Result<String> {
        let mut s = String::new();
        let mut first = true;
        for &id in ids {
            let tok = self.vocab.token(id).ok_or(Error::UnknownId {
                id,
                vocab_size: self.vocab.len(),
            })?;
            let kmer = if Some(id) == self.special.unk {
                "N".repeat(self.k)
            } else if tok.len() != self.k || tok.starts_with('[') {
                continue;
            } else {
                tok.to_string()
            };
            if first {
                s.push_str(&kmer);
                first = false;
            } else {
                s.push_str(&kmer[self.k - 1..]);
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
