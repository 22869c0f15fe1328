//! The tokenizer stored beside a checkpoint, through the `seqenc` crate, checked against the
//! embedding matrix.

use crate::{Error, Result};
use seqenc::tokenizer::vocab::Vocab;
use seqenc::tokenizer::{Bpe, CaseMode, DnaBert, NucleotideTransformer, Tokenizer};
use std::path::Path;

fn tok_err(path: &Path, e: seqenc::Error) -> Error {
    Error::Checkpoint {
        path: path.to_path_buf(),
        msg: format!("tokenizer: {e}"),
    }
}

/// Checks a vocabulary of `vocab` tokens against `rows` embedding rows. Equal sizes pass; so
/// does a vocabulary whose only tokens past the last row are `<eos>`/`<bos>` (NT v1: 4,107
/// tokens, 4,105 rows, those two never produced by its tokenizer).
///
/// # Errors
/// [`Error::VocabMismatch`].
pub fn check_vocab(path: &Path, tokens: &[String], rows: usize) -> Result<()> {
    let n = tokens.len();
    if n == rows {
        return Ok(());
    }
    let tail_ok = n > rows && tokens[rows..].iter().all(|t| t == "<eos>" || t == "<bos>");
    if tail_ok {
        return Ok(());
    }
    let detail = if n > rows {
        format!(
            " (tokens from id {rows} have no embedding row: {:?}...)",
            &tokens[rows..n.min(rows + 3)]
        )
    } else {
        " (embedding rows without a token)".to_string()
    };
    Err(Error::VocabMismatch {
        path: path.to_path_buf(),
        vocab: n,
        rows,
        detail,
    })
}

/// Loads `tokenizer.json` (BPE, DNABERT-2) or `vocab.txt` (NT 6-mers when it holds `<cls>`,
/// else DNABERT k-mers, `k` = the length of its first non-special token) from `dir`; `None`
/// when neither exists.
///
/// # Errors
/// [`Error::Checkpoint`] for an unreadable tokenizer, [`Error::VocabMismatch`].
pub fn load_tokenizer(dir: &Path, rows: usize) -> Result<Option<Box<dyn Tokenizer>>> {
    let json = dir.join("tokenizer.json");
    if json.exists() {
        let t = Bpe::from_file(&json).map_err(|e| tok_err(&json, e))?;
        let tokens: Vec<String> = (0..t.vocab_size() as u32)
            .map(|i| t.id_to_token(i).unwrap_or_default())
            .collect();
        check_vocab(&json, &tokens, rows)?;
        return Ok(Some(Box::new(t)));
    }
    let txt = dir.join("vocab.txt");
    if !txt.exists() {
        return Ok(None);
    }
    let vocab = Vocab::from_file(&txt).map_err(|e| tok_err(&txt, e))?;
    check_vocab(&txt, vocab.tokens(), rows)?;
    if vocab.id("<cls>").is_some() {
        let t = NucleotideTransformer::from_vocab(vocab, CaseMode::AsIs)
            .map_err(|e| tok_err(&txt, e))?;
        return Ok(Some(Box::new(t)));
    }
    let k = vocab
        .tokens()
        .iter()
        .find(|t| !t.starts_with('['))
        .map(String::len)
        .ok_or_else(|| Error::Checkpoint {
            path: txt.clone(),
            msg: "vocab.txt has no k-mer tokens".into(),
        })?;
    let t = DnaBert::from_vocab(vocab, k, CaseMode::AsIs).map_err(|e| tok_err(&txt, e))?;
    Ok(Some(Box::new(t)))
}
