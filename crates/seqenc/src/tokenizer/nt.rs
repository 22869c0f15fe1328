//! Nucleotide Transformer (v1) non-overlapping 6-mer tokenizer.

use super::vocab::{Vocab, atcg_codes, kmers_atcg};
use super::{CaseMode, Encoding, SpecialTokens, Tokenizer};
use crate::error::{Error, Result};
use std::path::Path;

/// Size of the NT v1 6-mer vocabulary: 4 leading specials + 4096 6-mers + `A T C G N` +
/// `<eos> <bos>`.
pub const NT_VOCAB_SIZE: usize = 4107;

const K: usize = 6;

/// Nucleotide Transformer v1 tokenizer.
///
/// Rule (NT's own): the sequence is split at every `N`; each piece is cut left to right into
/// non-overlapping 6-mers, and the remainder that cannot form a full 6-mer becomes
/// single-nucleotide tokens; every `N` is its own token, so the 6-mer grid restarts after it.
/// A 6-mer or single character not in the vocabulary (lower case under [`CaseMode::AsIs`],
/// IUPAC codes) becomes `<unk>`. [`Tokenizer::encode`] puts `<cls>` first and nothing at the
/// end. Vocabulary layout: `<unk> <pad> <mask> <cls>`, the 4096 6-mers in `A,T,C,G` order,
/// `A T C G N`, `<eos> <bos>` (4107 tokens).
///
/// ```
/// use seqenc::tokenizer::{CaseMode, NucleotideTransformer, Tokenizer};
/// let t = NucleotideTransformer::new(CaseMode::AsIs).unwrap();
/// // AAAAAA, then T C as single nucleotides, N, then the grid restarts: AAAAAA
/// let e = t.encode(b"AAAAAATCNAAAAAA").unwrap();
/// assert_eq!(e.ids, vec![3, 4, 4101, 4102, 4104, 4]);
/// assert_eq!(e.spans[5].unwrap().start, 9);
/// ```
#[derive(Debug, Clone)]
pub struct NucleotideTransformer {
    case: CaseMode,
    vocab: Vocab,
    table: Vec<u32>,
    single: [u32; 256],
    codes: [u8; 256],
    special: SpecialTokens,
}

impl NucleotideTransformer {
    /// Builds the NT v1 6-mer vocabulary.
    pub fn new(case: CaseMode) -> Result<Self> {
        let mut tokens: Vec<String> = ["<unk>", "<pad>", "<mask>", "<cls>"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        tokens.extend(kmers_atcg(K));
        tokens.extend(
            ["A", "T", "C", "G", "N", "<eos>", "<bos>"]
                .iter()
                .map(|s| s.to_string()),
        );
        Self::from_vocab(Vocab::from_tokens(tokens, "<built-in>")?, case)
    }

    /// Uses an existing vocabulary (any order) holding the six specials, the 4096 6-mers and
    /// `A T C G N`, with exactly 4107 tokens.
    pub fn from_vocab(vocab: Vocab, case: CaseMode) -> Result<Self> {
        let ids = ["<unk>", "<pad>", "<mask>", "<cls>", "<eos>", "<bos>"].map(|s| vocab.require(s));
        let [unk, pad, mask, cls, eos, bos] = ids;
        let special = SpecialTokens {
            unk: Some(unk?),
            pad: Some(pad?),
            mask: Some(mask?),
            cls: Some(cls?),
            eos: Some(eos?),
            bos: Some(bos?),
            sep: None,
        };
        let mut single = [special.unk.unwrap_or(0); 256];
        for b in *b"ATCGN" {
            let id = vocab.require(&(b as char).to_string())?;
            single[b as usize] = id;
            if case == CaseMode::Upper {
                single[b.to_ascii_lowercase() as usize] = id;
            }
        }
        if vocab.len() != NT_VOCAB_SIZE {
            return Err(Error::VocabSize {
                origin: vocab.origin.clone(),
                expected: NT_VOCAB_SIZE,
                found: vocab.len(),
            });
        }
        let table = vocab.kmer_table(K)?;
        let codes = atcg_codes(case == CaseMode::Upper);
        Ok(NucleotideTransformer {
            case,
            vocab,
            table,
            single,
            codes,
            special,
        })
    }

    /// Loads an NT vocabulary file (one token per line).
    pub fn from_vocab_file(path: &Path, case: CaseMode) -> Result<Self> {
        Self::from_vocab(Vocab::from_file(path)?, case)
    }

    /// The vocabulary.
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    fn is_n(&self, b: u8) -> bool {
        b == b'N' || (self.case == CaseMode::Upper && b == b'n')
    }

    fn push_piece(&self, seq: &[u8], from: usize, to: usize, e: &mut Encoding) {
        let unk = self.special.unk.unwrap_or(0);
        let mut p = from;
        while p + K <= to {
            let mut code = 0usize;
            let mut ok = true;
            for &b in &seq[p..p + K] {
                let c = self.codes[b as usize];
                ok &= c < 4;
                code = (code << 2) | (c & 3) as usize;
            }
            e.push_token(if ok { self.table[code] } else { unk }, p, p + K);
            p += K;
        }
        for (i, &b) in seq[p..to].iter().enumerate() {
            e.push_token(self.single[b as usize], p + i, p + i + 1);
        }
    }
}

impl Tokenizer for NucleotideTransformer {
    fn encode_raw(&self, seq: &[u8]) -> Result<Encoding> {
        let mut e = Encoding::default();
        let mut from = 0;
        for (i, &b) in seq.iter().enumerate() {
            if self.is_n(b) {
                self.push_piece(seq, from, i, &mut e);
                e.push_token(self.single[b'N' as usize], i, i + 1);
                from = i + 1;
            }
        }
        self.push_piece(seq, from, seq.len(), &mut e);
        Ok(e)
    }

    fn wrap_ids(&self) -> (Vec<u32>, Vec<u32>) {
        (vec![self.special.cls.unwrap_or(3)], vec![])
    }

    /// Concatenates the token strings; specials and padding are skipped, `<unk>` decodes as a
    /// single `N` (the length it covered is not recoverable from the id).
    fn decode(&self, ids: &[u32]) -> Result<String> {
        let mut s = String::new();
        for &id in ids {
            let tok = self.vocab.token(id).ok_or(Error::UnknownId {
                id,
                vocab_size: self.vocab.len(),
            })?;
            if Some(id) == self.special.unk {
                s.push('N');
            } else if !tok.starts_with('<') {
                s.push_str(tok);
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
