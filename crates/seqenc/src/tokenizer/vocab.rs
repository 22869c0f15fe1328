//! Vocabulary files (`vocab.txt`: one token per line, id = 0-based line number) and the k-mer
//! alphabet order used by DNABERT and the Nucleotide Transformer (`A, T, C, G`, last position
//! varying fastest, i.e. `itertools.product("ATCG", repeat=k)`).

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

/// The k-mer alphabet of DNABERT and NT, in vocabulary order.
pub const ATCG: [u8; 4] = *b"ATCG";

/// A token list with its reverse map; ids are positions in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocab {
    /// Where the vocabulary came from (a path or `<built-in>`), for error messages.
    pub origin: String,
    tokens: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Vocab {
    /// Builds a vocabulary from tokens in id order. Duplicates are an error.
    ///
    /// ```
    /// let v = seqenc::tokenizer::vocab::Vocab::from_tokens(vec!["[PAD]".into(), "A".into()], "<inline>").unwrap();
    /// assert_eq!(v.id("A"), Some(1));
    /// ```
    pub fn from_tokens(tokens: Vec<String>, origin: &str) -> Result<Self> {
        let mut ids = HashMap::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            let id = u32::try_from(i)
                .map_err(|_| Error::InvalidArgument("vocabulary too large".into()))?;
            if let Some(first) = ids.insert(t.clone(), id) {
                return Err(Error::DuplicateToken {
                    origin: origin.to_string(),
                    line: i + 1,
                    first_line: first as usize + 1,
                    token: t.clone(),
                });
            }
        }
        Ok(Vocab {
            origin: origin.to_string(),
            tokens,
            ids,
        })
    }

    /// Reads a `vocab.txt` (one token per line; a final newline is optional; `\r\n` accepted;
    /// no blank lines allowed except a single trailing one).
    ///
    /// ```
    /// let v = seqenc::tokenizer::vocab::Vocab::read("[PAD]\n[UNK]\nAAA".as_bytes(), "<inline>").unwrap();
    /// assert_eq!(v.len(), 3);
    /// ```
    pub fn read<R: BufRead>(reader: R, origin: &str) -> Result<Self> {
        let mut tokens = Vec::new();
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Error::Parse {
                origin: origin.to_string(),
                line: i + 1,
                message: e.to_string(),
            })?;
            let tok = line.strip_suffix('\r').unwrap_or(&line);
            if tok.is_empty() {
                return Err(Error::Parse {
                    origin: origin.to_string(),
                    line: i + 1,
                    message: "empty token line".into(),
                });
            }
            tokens.push(tok.to_string());
        }
        Self::from_tokens(tokens, origin)
    }

    /// Reads a `vocab.txt` file from disk.
    pub fn from_file(path: &Path) -> Result<Self> {
        let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        Self::read(std::io::BufReader::new(f), &path.display().to_string())
    }

    /// Id of `token`.
    pub fn id(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }

    /// Id of `token`, or a [`Error::MissingToken`].
    pub fn require(&self, token: &str) -> Result<u32> {
        self.id(token).ok_or_else(|| Error::MissingToken {
            origin: self.origin.clone(),
            token: token.to_string(),
        })
    }

    /// Token string of `id`.
    pub fn token(&self, id: u32) -> Option<&str> {
        self.tokens.get(id as usize).map(String::as_str)
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True for an empty vocabulary.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The tokens in id order.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// Writes the vocabulary as `vocab.txt` (one token per line, trailing newline), atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut s = self.tokens.join("\n");
        s.push('\n');
        crate::util::write_atomic(path, s.as_bytes())
    }

    /// Maps every k-mer code (2 bits per base, A=0 T=1 C=2 G=3, first base most significant)
    /// to its id; errors on a missing k-mer.
    pub(crate) fn kmer_table(&self, k: usize) -> Result<Vec<u32>> {
        (0..1usize << (2 * k))
            .map(|code| self.require(&kmer_string(code, k)))
            .collect()
    }
}

/// The k-mer with 2-bit code `code` (A=0 T=1 C=2 G=3, first base most significant).
///
/// ```
/// assert_eq!(seqenc::tokenizer::vocab::kmer_string(0b00_10_11, 3), "ACG");
/// ```
pub fn kmer_string(code: usize, k: usize) -> String {
    (0..k)
        .map(|i| ATCG[(code >> (2 * (k - 1 - i))) & 3] as char)
        .collect()
}

/// All 4^k k-mers in `A,T,C,G` product order (DNABERT/NT vocabulary order).
///
/// ```
/// let v = seqenc::tokenizer::vocab::kmers_atcg(2);
/// assert_eq!(&v[..5], &["AA", "AT", "AC", "AG", "TA"]);
/// ```
pub fn kmers_atcg(k: usize) -> Vec<String> {
    (0..1usize << (2 * k)).map(|c| kmer_string(c, k)).collect()
}

/// 256-entry table: byte -> 2-bit code (A=0 T=1 C=2 G=3) or 4 for anything else. With
/// `upper`, lowercase `a t c g` map like uppercase.
pub(crate) fn atcg_codes(upper: bool) -> [u8; 256] {
    let mut t = [4u8; 256];
    for (i, &b) in ATCG.iter().enumerate() {
        t[b as usize] = i as u8;
        if upper {
            t[b.to_ascii_lowercase() as usize] = i as u8;
        }
    }
    t
}
