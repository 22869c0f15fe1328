//! Biotype vocabularies: GENCODE (`gene_type`, `lncRNA`) and Ensembl (`gene_biotype`, `lincRNA`,
//! `antisense`, ...) mapped onto one canonical name.
//!
//! ## lncRNA synonyms
//! GENCODE 31 / Ensembl 97 merged several long non-coding biotypes into `lncRNA`. Older releases
//! (e.g. Ensembl 91, whose GTF says `lincRNA`) still use them. [`canonical_biotype`] maps each of
//! these to `lncRNA`:
//!
//! | older name | canonical |
//! |---|---|
//! | `lincRNA`, `lncRNA`, `antisense`, `antisense_RNA`, `sense_intronic`, `sense_overlapping`, `3prime_overlapping_ncRNA`, `3prime_overlapping_ncrna`, `bidirectional_promoter_lncRNA`, `bidirectional_promoter_lncrna`, `macro_lncRNA`, `non_coding` | `lncRNA` |
//!
//! `processed_transcript` and `retained_intron` are *not* mapped (they are transcript-level
//! biotypes of coding and non-coding genes alike). Every other name maps to itself.

/// The lncRNA synonyms mapped to `lncRNA` (see the module docs).
pub const LNCRNA_SYNONYMS: &[&str] = &[
    "lncRNA",
    "lincRNA",
    "antisense",
    "antisense_RNA",
    "sense_intronic",
    "sense_overlapping",
    "3prime_overlapping_ncRNA",
    "3prime_overlapping_ncrna",
    "bidirectional_promoter_lncRNA",
    "bidirectional_promoter_lncrna",
    "macro_lncRNA",
    "non_coding",
];

/// Maps a GENCODE or Ensembl biotype onto the canonical (GENCODE ≥ 31) vocabulary: the lncRNA
/// synonyms become `lncRNA`, anything else is returned unchanged.
///
/// ```
/// use genome_io::annotation::canonical_biotype;
/// assert_eq!(canonical_biotype("lincRNA"), "lncRNA");
/// assert_eq!(canonical_biotype("antisense_RNA"), "lncRNA");
/// assert_eq!(canonical_biotype("protein_coding"), "protein_coding");
/// ```
pub fn canonical_biotype(biotype: &str) -> &str {
    if LNCRNA_SYNONYMS.contains(&biotype) {
        "lncRNA"
    } else {
        biotype
    }
}

/// Coarse class of a biotype, used to label promoters coding vs lncRNA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BiotypeClass {
    /// `protein_coding`.
    ProteinCoding,
    /// `lncRNA` or one of its synonyms.
    LncRna,
    /// Anything else (pseudogenes, small RNAs, ...).
    Other,
}

/// Classifies a biotype of either vocabulary.
///
/// ```
/// use genome_io::annotation::{biotype_class, BiotypeClass};
/// assert_eq!(biotype_class("lincRNA"), BiotypeClass::LncRna);
/// assert_eq!(biotype_class("protein_coding"), BiotypeClass::ProteinCoding);
/// assert_eq!(biotype_class("miRNA"), BiotypeClass::Other);
/// ```
pub fn biotype_class(biotype: &str) -> BiotypeClass {
    match canonical_biotype(biotype) {
        "protein_coding" => BiotypeClass::ProteinCoding,
        "lncRNA" => BiotypeClass::LncRna,
        _ => BiotypeClass::Other,
    }
}

/// A set of wanted biotypes; matching goes through [`canonical_biotype`], so `lincRNA` selects
/// GENCODE `lncRNA` genes and `lncRNA` selects Ensembl `lincRNA`/`antisense` genes. An empty
/// filter accepts everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BiotypeFilter {
    wanted: Vec<String>,
}

impl BiotypeFilter {
    /// A filter accepting any of `biotypes` (either vocabulary).
    ///
    /// ```
    /// use genome_io::annotation::BiotypeFilter;
    /// let f = BiotypeFilter::new(["lncRNA"]);
    /// assert!(f.accepts(Some("lincRNA")));
    /// assert!(!f.accepts(Some("protein_coding")));
    /// assert!(!f.accepts(None));
    /// assert!(BiotypeFilter::default().accepts(None));
    /// ```
    pub fn new<I, S>(biotypes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        BiotypeFilter {
            wanted: biotypes
                .into_iter()
                .map(|s| canonical_biotype(s.as_ref()).to_string())
                .collect(),
        }
    }

    /// True when the filter is empty (accepts everything).
    pub fn is_empty(&self) -> bool {
        self.wanted.is_empty()
    }

    /// Whether `biotype` passes (a missing biotype passes only an empty filter).
    pub fn accepts(&self, biotype: Option<&str>) -> bool {
        if self.wanted.is_empty() {
            return true;
        }
        biotype.is_some_and(|b| {
            let c = canonical_biotype(b);
            self.wanted.iter().any(|w| w == c)
        })
    }
}
