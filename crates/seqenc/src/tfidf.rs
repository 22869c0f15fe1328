//! Character n-gram TF-IDF with scikit-learn's
//! `TfidfVectorizer(analyzer='char', ngram_range=(a, b))` semantics.
//!
//! Steps, as in scikit-learn 1.x: optional lower-casing (on by default); every run of two or
//! more whitespace characters becomes one space; all character n-grams with `a <= n <= b` (none
//! longer than the document); vocabulary = every n-gram seen in training (`min_df=1`,
//! `max_df=1.0`), sorted by code point, so column `j` is the `j`-th n-gram in sorted order;
//! `tf` = raw count, or `1 + ln(count)` with `sublinear_tf`; `idf = ln((1 + n) / (1 + df)) + 1`
//! with `smooth_idf` (else `ln(n / df) + 1`); rows normalised to unit L2 (or L1, or not).
//! N-grams unseen during `fit` are ignored by `transform`.

use crate::error::{Error, Result};
use crate::sparse::{CsrMatrix, count_columns};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rayon::prelude::*;
use std::borrow::Cow;

/// Row normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Norm {
    /// Unit Euclidean norm (scikit-learn's default).
    #[default]
    L2,
    /// Unit sum of absolute values.
    L1,
    /// No normalisation.
    None,
}

/// Options of [`TfidfVectorizer`]; the defaults are scikit-learn's (with `ngram_range=(1, 1)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TfidfConfig {
    /// Smallest and largest n-gram length (inclusive), `1 <= a <= b`.
    pub ngram_range: (usize, usize),
    /// Lower-case documents first (Unicode lower-casing).
    pub lowercase: bool,
    /// Row normalisation.
    pub norm: Norm,
    /// Multiply by idf.
    pub use_idf: bool,
    /// Add one to document frequencies (as if an extra document held every term once).
    pub smooth_idf: bool,
    /// Use `1 + ln(tf)` instead of `tf`.
    pub sublinear_tf: bool,
}

impl Default for TfidfConfig {
    fn default() -> Self {
        TfidfConfig {
            ngram_range: (1, 1),
            lowercase: true,
            norm: Norm::L2,
            use_idf: true,
            smooth_idf: true,
            sublinear_tf: false,
        }
    }
}

/// A fitted TF-IDF vectoriser.
///
/// ```
/// use seqenc::tfidf::{TfidfConfig, TfidfVectorizer};
/// let cfg = TfidfConfig { ngram_range: (1, 2), ..Default::default() };
/// let v = TfidfVectorizer::fit(&["AAC", "ACC"], cfg).unwrap();
/// assert_eq!(v.vocabulary(), &["a", "aa", "ac", "c", "cc"]);
/// let x = v.transform(&["AC"]);
/// assert_eq!(x.indices, vec![0, 2, 3]);
/// let norm: f64 = x.data.iter().map(|v| v * v).sum();
/// assert!((norm - 1.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TfidfVectorizer {
    cfg: TfidfConfig,
    vocabulary: Vec<String>,
    index: HashMap<String, u32>,
    idf: Vec<f64>,
}

impl TfidfVectorizer {
    /// Learns the vocabulary and idf from training documents.
    pub fn fit<S: AsRef<str> + Sync>(docs: &[S], cfg: TfidfConfig) -> Result<Self> {
        let (a, b) = cfg.ngram_range;
        if a == 0 || a > b {
            return Err(Error::InvalidArgument(format!(
                "bad ngram_range ({a}, {b})"
            )));
        }
        // Document frequencies: per rayon task a map owning each n-gram once, merged.
        let df: HashMap<String, u64> = docs
            .par_iter()
            .fold(HashMap::new, |mut df: HashMap<String, u64>, d| {
                let text = preprocess(d.as_ref(), &cfg);
                let mut seen: HashSet<&str> = HashSet::new();
                for_each_ngram(&text, cfg.ngram_range, |g| {
                    seen.insert(g);
                });
                for g in seen {
                    match df.get_mut(g) {
                        Some(c) => *c += 1,
                        None => {
                            df.insert(g.to_owned(), 1);
                        }
                    }
                }
                df
            })
            .reduce(HashMap::new, |a, b| {
                let (mut a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
                for (g, c) in b {
                    *a.entry(g).or_insert(0) += c;
                }
                a
            });
        if df.is_empty() {
            return Err(Error::EmptySequence {
                index: 0,
                what: "TF-IDF fit (empty vocabulary)",
            });
        }
        let mut df: Vec<(String, u64)> = df.into_iter().collect();
        // Column order: n-grams sorted by code point (byte order of UTF-8).
        df.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        let n = docs.len() as f64;
        let s = f64::from(u8::from(cfg.smooth_idf));
        let idf = df
            .iter()
            .map(|&(_, d)| ((n + s) / (d as f64 + s)).ln() + 1.0)
            .collect();
        let vocabulary: Vec<String> = df.into_iter().map(|(t, _)| t).collect();
        let index = vocabulary
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        Ok(TfidfVectorizer {
            cfg,
            vocabulary,
            index,
            idf,
        })
    }

    /// Transforms documents into a `[n_docs, vocabulary size]` CSR matrix (parallel).
    pub fn transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> CsrMatrix {
        let rows: Vec<Vec<(u32, f64)>> = docs.par_iter().map(|d| self.row(d.as_ref())).collect();
        CsrMatrix::from_rows(rows, self.vocabulary.len())
    }

    /// `fit` then `transform` on the same documents.
    pub fn fit_transform<S: AsRef<str> + Sync>(
        docs: &[S],
        cfg: TfidfConfig,
    ) -> Result<(Self, CsrMatrix)> {
        let v = Self::fit(docs, cfg)?;
        let m = v.transform(docs);
        Ok((v, m))
    }

    fn row(&self, doc: &str) -> Vec<(u32, f64)> {
        let text = preprocess(doc, &self.cfg);
        let mut cols: Vec<u32> = Vec::new();
        for_each_ngram(&text, self.cfg.ngram_range, |g| {
            if let Some(&j) = self.index.get(g) {
                cols.push(j);
            }
        });
        let mut r = count_columns(cols);
        for (j, v) in r.iter_mut() {
            if self.cfg.sublinear_tf {
                *v = v.ln() + 1.0;
            }
            if self.cfg.use_idf {
                *v *= self.idf[*j as usize];
            }
        }
        let norm = match self.cfg.norm {
            Norm::L2 => r.iter().map(|(_, v)| v * v).sum::<f64>().sqrt(),
            Norm::L1 => r.iter().map(|(_, v)| v.abs()).sum::<f64>(),
            Norm::None => 1.0,
        };
        if norm > 0.0 && self.cfg.norm != Norm::None {
            r.iter_mut().for_each(|(_, v)| *v /= norm);
        }
        r
    }

    /// The n-grams, in column order (sorted by code point).
    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    /// The idf of each column.
    pub fn idf(&self) -> &[f64] {
        &self.idf
    }

    /// The configuration.
    pub fn config(&self) -> &TfidfConfig {
        &self.cfg
    }
}

/// scikit-learn's preprocessing: optional lower-casing, then runs of whitespace squeezed.
/// Borrows `doc` when neither changes it.
fn preprocess<'a>(doc: &'a str, cfg: &TfidfConfig) -> Cow<'a, str> {
    let text: Cow<'a, str> = if !cfg.lowercase {
        Cow::Borrowed(doc)
    } else if doc.is_ascii() {
        if doc.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(doc.to_ascii_lowercase())
        } else {
            Cow::Borrowed(doc)
        }
    } else {
        Cow::Owned(doc.to_lowercase())
    };
    let mut prev_ws = false;
    let has_run = text.chars().any(|c| {
        let run = prev_ws && c.is_whitespace();
        prev_ws = c.is_whitespace();
        run
    });
    if has_run {
        Cow::Owned(squeeze_whitespace(&text))
    } else {
        text
    }
}

/// scikit-learn's `_char_ngrams`: calls `f` on every n-gram of `text` with `a <= n <= b`
/// characters (shorter n-grams first, then by position), none longer than `text`.
fn for_each_ngram<'t>(text: &'t str, (a, b): (usize, usize), mut f: impl FnMut(&'t str)) {
    if text.is_ascii() {
        let n_chars = text.len();
        for n in a..=b.min(n_chars) {
            for i in 0..=n_chars - n {
                f(&text[i..i + n]);
            }
        }
        return;
    }
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let n_chars = bounds.len() - 1;
    for n in a..=b.min(n_chars) {
        for i in 0..=n_chars - n {
            f(&text[bounds[i]..bounds[i + n]]);
        }
    }
}

/// Python's `re.sub(r"\s\s+", " ", text)`.
fn squeeze_whitespace(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j - i >= 2 {
            out.push(' ');
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}
