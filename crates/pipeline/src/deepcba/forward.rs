//! `seq2expr deepcba forward`: a TSV of anchor pairs → one model output per pair.
//!
//! Input (`PAIRS.tsv`): the header `promoter<TAB>partner`, then one pair per line, each
//! sequence exactly the preset's anchor length (3,000 bp ppi, 1,500 bp pdi) of `A C G T N`,
//! case-insensitive. `N` is an all-zero one-hot column (as upstream `data_encode`); note that
//! upstream also zeroes *lowercase* bases, while this reader treats `acgt` as `ACGT`. Empty
//! lines are skipped; a trailing `\r` (CRLF files) is ignored. Every line is checked before
//! anything runs, and a bad one is an [`Error::Input`] naming the file, the line and what is
//! wrong.

use std::path::Path;

use models::Device;
use models::deepcba::{DeepCbaConfig, DeepCbaPreset, load_keras_weights};
use seqenc::onehot::{Layout, NPolicy, OneHot};

use crate::error::io_err;
use crate::{Error, Result};

/// The header line of a pairs file.
pub const HEADER: &str = "promoter\tpartner";

/// Pairs per forward batch.
const BATCH: usize = 32;

/// Validated anchor pairs, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorPairs {
    /// Length of every anchor.
    pub anchor_len: usize,
    /// `(promoter, partner)` bytes as read (validated: `ACGTN`, either case).
    pub pairs: Vec<(Vec<u8>, Vec<u8>)>,
    /// 1-based line number of each pair in its file.
    pub lines: Vec<u64>,
}

fn check_anchor(seq: &[u8], anchor_len: usize, which: &str) -> std::result::Result<(), String> {
    if seq.len() != anchor_len {
        return Err(format!(
            "{which} has {} bases, the preset needs exactly {anchor_len}",
            seq.len()
        ));
    }
    match seq.iter().position(|b| !b"ACGTNacgtn".contains(b)) {
        Some(i) => Err(format!(
            "{which} has an invalid base {:?} at position {} (expected A, C, G, T or N)",
            char::from(seq[i]),
            i + 1
        )),
        None => Ok(()),
    }
}

/// Parses the text of a pairs file; `name` names it in errors.
///
/// ```
/// let text = "promoter\tpartner\nACGTN\tnnnna\n";
/// let p = pipeline::deepcba::parse_pairs(text, "pairs.tsv", 5).unwrap();
/// assert_eq!((p.pairs.len(), p.lines[0]), (1, 2));
/// let e = pipeline::deepcba::parse_pairs("promoter\tpartner\nACGT\tACGTA\n", "p.tsv", 5);
/// assert!(e.unwrap_err().to_string().starts_with("p.tsv:2: promoter has 4 bases"));
/// ```
///
/// # Errors
/// [`Error::Input`] (file, 1-based line, what): a missing or wrong header, a line without
/// exactly two tab-separated fields, a wrong length, a base other than `ACGTN`, no pair at all.
pub fn parse_pairs(text: &str, name: &str, anchor_len: usize) -> Result<AnchorPairs> {
    let err = |line: u64, msg: String| Error::Input {
        path: name.to_string(),
        line,
        msg,
    };
    let mut lines = text.split('\n').enumerate();
    let header = lines.next().map(|(_, h)| h.trim_end_matches('\r'));
    if header != Some(HEADER) {
        let found: String = header.unwrap_or("").chars().take(60).collect();
        return Err(err(
            1,
            format!("expected the header \"promoter<TAB>partner\", found {found:?}"),
        ));
    }
    let mut out = AnchorPairs {
        anchor_len,
        pairs: Vec::new(),
        lines: Vec::new(),
    };
    for (i, line) in lines {
        let no = i as u64 + 1;
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [p, q] = fields[..] else {
            return Err(err(
                no,
                format!(
                    "expected 2 tab-separated fields (promoter, partner), found {}",
                    fields.len()
                ),
            ));
        };
        for (seq, which) in [(p, "promoter"), (q, "partner")] {
            check_anchor(seq.as_bytes(), anchor_len, which).map_err(|m| err(no, m))?;
        }
        out.pairs
            .push((p.as_bytes().to_vec(), q.as_bytes().to_vec()));
        out.lines.push(no);
    }
    if out.pairs.is_empty() {
        return Err(err(2, "no pair after the header".into()));
    }
    Ok(out)
}

/// Reads and validates a pairs file (see [`parse_pairs`]).
///
/// # Errors
/// [`Error::Io`] naming the file when it cannot be read; [`Error::Input`] as [`parse_pairs`]
/// (also for a file that is not UTF-8).
pub fn read_pairs(path: &Path, anchor_len: usize) -> Result<AnchorPairs> {
    let bytes = std::fs::read(path).map_err(io_err(format!("reading {}", path.display())))?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        Error::Input {
            path: name.clone(),
            line,
            msg: "not UTF-8 text".into(),
        }
    })?;
    parse_pairs(&text, &name, anchor_len)
}

/// Runs the upstream Keras model (weights from `weights`, a safetensors file keyed by Keras
/// variable path, see [`models::deepcba`]) on every pair of `input`, in inference mode:
/// `n_outputs` values per pair, in file order (row-major `[pairs, n_outputs]`).
///
/// The input is validated completely before the weights are loaded.
///
/// # Errors
/// As [`read_pairs`]; [`Error::Models`] for a weight file that is unreadable, lacks a Keras key
/// or holds a wrongly shaped tensor (the key is named).
pub fn deepcba_forward(
    weights: &Path,
    preset: DeepCbaPreset,
    input: &Path,
    device: &Device,
) -> Result<Vec<f32>> {
    let cfg = DeepCbaConfig::preset(preset);
    let pairs = read_pairs(input, cfg.anchor_len)?;
    let model = load_keras_weights(weights, &cfg, device)?;
    let oh = OneHot::new(NPolicy::Zeros);
    let row = 4 * cfg.anchor_len;
    let mut out = Vec::with_capacity(pairs.pairs.len() * cfg.n_outputs);
    for chunk in pairs.pairs.chunks(BATCH) {
        let (mut a, mut b) = (
            vec![0.0f32; chunk.len() * row],
            vec![0.0f32; chunk.len() * row],
        );
        for (i, (p, q)) in chunk.iter().enumerate() {
            oh.encode_into(p, Layout::ChannelsFirst, &mut a[i * row..(i + 1) * row])?;
            oh.encode_into(q, Layout::ChannelsFirst, &mut b[i * row..(i + 1) * row])?;
        }
        out.extend(model.predict_host(&a, Some(&b), BATCH)?);
    }
    Ok(out)
}
