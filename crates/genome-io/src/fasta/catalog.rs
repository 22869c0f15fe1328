//! Record names, lengths and (opt-in) chromosome aliasing, shared by every reader.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::{Error, FastaError, Result};

/// Alternative spellings of a chromosome name between UCSC/GENCODE (`chr9`, `chrM`) and
/// Ensembl/NCBI (`9`, `MT`) conventions, most likely first. The name itself is not included.
///
/// Rules: `chrM` ↔ `MT` (also `chrMT`, `M`); otherwise a `chr` prefix is removed or added.
///
/// ```
/// use genome_io::fasta::chrom_aliases;
/// assert_eq!(chrom_aliases("chr9"), vec!["9"]);
/// assert_eq!(chrom_aliases("X"), vec!["chrX"]);
/// assert_eq!(chrom_aliases("chrM"), vec!["MT", "chrMT", "M"]);
/// assert_eq!(chrom_aliases("MT"), vec!["chrM", "chrMT", "M"]);
/// ```
pub fn chrom_aliases(name: &str) -> Vec<String> {
    const MITO: [&str; 4] = ["chrM", "MT", "chrMT", "M"];
    if MITO.contains(&name) {
        // Prefer the other convention's usual spelling first.
        let first = if name.starts_with("chr") {
            "MT"
        } else {
            "chrM"
        };
        let mut out = vec![first.to_string()];
        out.extend(
            MITO.iter()
                .filter(|m| **m != name && **m != first)
                .map(|m| m.to_string()),
        );
        return out;
    }
    match name.strip_prefix("chr") {
        Some(rest) if !rest.is_empty() => vec![rest.to_string()],
        _ => vec![format!("chr{name}")],
    }
}

/// Names, lengths and the name lookup of one FASTA, plus its aliasing policy.
#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    path: PathBuf,
    names: Vec<String>,
    lens: Vec<u64>,
    index: HashMap<String, usize>,
    alias: bool,
}

impl Catalog {
    /// Builds a catalog; the caller has already rejected duplicate names (with line numbers).
    pub(crate) fn new(path: &Path, entries: impl IntoIterator<Item = (String, u64)>) -> Self {
        let (names, lens): (Vec<String>, Vec<u64>) = entries.into_iter().unzip();
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        Catalog {
            path: path.to_path_buf(),
            names,
            lens,
            index,
            alias: false,
        }
    }

    pub(crate) fn set_alias(&mut self, alias: bool) {
        self.alias = alias;
    }

    pub(crate) fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    pub(crate) fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    pub(crate) fn len_of(&self, i: usize) -> u64 {
        self.lens[i]
    }

    /// Index of `name`: exact match, then (only when aliasing is on) its aliases.
    pub(crate) fn lookup(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.index.get(name) {
            return Some(i);
        }
        if !self.alias {
            return None;
        }
        chrom_aliases(name)
            .iter()
            .find_map(|a| self.index.get(a.as_str()).copied())
    }

    /// Like [`Catalog::lookup`] but an absent name is a [`FastaError::UnknownSequence`] whose
    /// message suggests `--chrom-alias` when an alias of `name` exists.
    pub(crate) fn resolve(&self, name: &str) -> Result<usize> {
        self.lookup(name).ok_or_else(|| {
            let alias = chrom_aliases(name)
                .into_iter()
                .find(|a| self.index.contains_key(a));
            let hint = match alias {
                Some(a) if !self.alias => format!(
                    "; the FASTA has {a:?}: pass --chrom-alias (FastaOptions::chrom_alias) to map \
                     chr-style and Ensembl-style names"
                ),
                _ => String::new(),
            };
            Error::Fasta(FastaError::UnknownSequence {
                path: self.path.clone(),
                name: name.to_string(),
                hint,
            })
        })
    }

    /// Resolves `name` and checks `start <= end <= len`; returns the record index.
    pub(crate) fn check(&self, name: &str, start: u64, end: u64) -> Result<usize> {
        let i = self.resolve(name)?;
        let len = self.lens[i];
        if start > end || end > len {
            return Err(FastaError::FetchOutOfRange {
                path: self.path.clone(),
                name: name.to_string(),
                start,
                end,
                len,
            }
            .into());
        }
        Ok(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(alias: bool) -> Catalog {
        let mut c = Catalog::new(
            Path::new("g.fa"),
            [
                ("9".to_string(), 10),
                ("MT".to_string(), 5),
                ("chrX".to_string(), 7),
            ],
        );
        c.set_alias(alias);
        c
    }

    #[test]
    fn aliasing_is_opt_in_and_hinted() {
        let off = cat(false);
        assert_eq!(off.lookup("chr9"), None);
        match off.resolve("chrM") {
            Err(e @ Error::Fasta(FastaError::UnknownSequence { .. })) => {
                assert!(e.to_string().contains("--chrom-alias"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        match off.resolve("chr22") {
            Err(e) => assert!(!e.to_string().contains("--chrom-alias"), "{e}"),
            Ok(i) => panic!("chr22 resolved to {i}"),
        }
        let on = cat(true);
        assert_eq!(on.lookup("chr9"), Some(0));
        assert_eq!(on.lookup("chrM"), Some(1));
        assert_eq!(on.lookup("X"), Some(2));
        assert_eq!(on.lookup("9"), Some(0));
    }

    #[test]
    fn out_of_range_is_typed() {
        let c = cat(false);
        assert!(c.check("9", 0, 10).is_ok());
        let e = c.check("9", 3, 11);
        assert!(matches!(
            e,
            Err(Error::Fasta(FastaError::FetchOutOfRange {
                start: 3,
                end: 11,
                len: 10,
                ..
            }))
        ));
        assert!(matches!(
            c.check("9", 5, 4),
            Err(Error::Fasta(FastaError::FetchOutOfRange { .. }))
        ));
    }
}
