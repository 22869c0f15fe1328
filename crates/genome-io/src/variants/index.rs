//! [`WindowIndex`]: which windows a variant overlaps, by binary search per chromosome.

use std::collections::HashMap;

use crate::fasta::chrom_aliases;
use crate::vcf::VcfRecord;
use crate::windows::Window;

/// The windows of one chromosome, sorted by start.
#[derive(Debug, Clone, Default)]
struct ChromWindows {
    starts: Vec<u64>,
    ends: Vec<u64>,
    ids: Vec<usize>,
    max_len: u64,
}

/// Per-chromosome sorted intervals of windows (their genomic `[start, end)`), for streaming a
/// VCF in any order: memory is linear in the number of windows, not variants, and a lookup is a
/// binary search plus a scan over the windows starting within one window length before the
/// variant. Chromosomes are found under the FASTA spelling of the windows and its aliases
/// (`chr9` ↔ `9`, `chrM` ↔ `MT`).
///
/// ```
/// use genome_io::annotation::Strand;
/// use genome_io::fasta::InMemoryGenome;
/// use genome_io::tss::Tss;
/// use genome_io::variants::WindowIndex;
/// use genome_io::vcf::VcfRecord;
/// use genome_io::windows::{plan_windows, EndPolicy, WindowSpec};
/// let g = InMemoryGenome::from_records([("9", "ACGTACGTACGTACGTACGT")]).unwrap();
/// let tss: Vec<Tss> = [3, 9, 14].iter().map(|&p| Tss { gene_id: "G".into(), gene_name: None,
///     transcript_id: None, biotype: None, chrom: "9".into(), strand: Strand::Forward, pos0: p })
///     .collect();
/// let plan = plan_windows(&g, &tss, &WindowSpec::new(2, 2, EndPolicy::Clip)).unwrap();
/// let index = WindowIndex::new(&plan.windows); // [1, 6), [7, 12), [12, 17)
/// let v = VcfRecord { chrom: "chr9".into(), pos: 11, reference: "GTA".into(), ..Default::default() };
/// let mut hits = Vec::new();
/// index.overlapping_variant(&v, &mut hits);
/// assert_eq!(hits, [1, 2]); // indices into plan.windows
/// ```
#[derive(Debug, Clone, Default)]
pub struct WindowIndex {
    chroms: Vec<ChromWindows>,
    by_name: HashMap<String, usize>,
    len: usize,
}

impl WindowIndex {
    /// Indexes `windows`; hits are indices into this slice.
    ///
    /// ```
    /// let index = genome_io::variants::WindowIndex::new(&[]);
    /// assert!(index.is_empty());
    /// ```
    pub fn new(windows: &[Window]) -> Self {
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let mut lists: Vec<Vec<(u64, u64, usize)>> = Vec::new();
        for (i, w) in windows.iter().enumerate() {
            let slot = *by_name.entry(w.chrom.clone()).or_insert_with(|| {
                lists.push(Vec::new());
                lists.len() - 1
            });
            lists[slot].push((w.start, w.end, i));
        }
        let chroms = lists
            .into_iter()
            .map(|mut l| {
                l.sort_unstable();
                ChromWindows {
                    max_len: l.iter().map(|&(s, e, _)| e - s).max().unwrap_or(0),
                    starts: l.iter().map(|x| x.0).collect(),
                    ends: l.iter().map(|x| x.1).collect(),
                    ids: l.iter().map(|x| x.2).collect(),
                }
            })
            .collect();
        // Aliases find the same list, unless a window uses that spelling itself.
        let mut names: Vec<(String, usize)> =
            by_name.iter().map(|(k, &v)| (k.clone(), v)).collect();
        names.sort_unstable(); // deterministic when two spellings share an alias (chrM, M -> MT)
        for (name, slot) in names {
            for alias in chrom_aliases(&name) {
                by_name.entry(alias).or_insert(slot);
            }
        }
        WindowIndex {
            chroms,
            by_name,
            len: windows.len(),
        }
    }

    /// Number of windows indexed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no window is indexed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Clears `out` and fills it with the indices of the windows on `chrom` (or an alias) whose
    /// genomic `[start, end)` meets `[start0, end0)` (0-based half-open), in order of window
    /// start (then end, then index).
    ///
    /// ```
    /// use genome_io::variants::WindowIndex;
    /// let mut hits = vec![7];
    /// WindowIndex::new(&[]).overlapping("1", 0, 10, &mut hits);
    /// assert!(hits.is_empty());
    /// ```
    pub fn overlapping(&self, chrom: &str, start0: u64, end0: u64, out: &mut Vec<usize>) {
        out.clear();
        let Some(c) = self.by_name.get(chrom).map(|&i| &self.chroms[i]) else {
            return;
        };
        // A window starting at or before `start0 - max_len` ends at or before `start0`.
        let lo = c
            .starts
            .partition_point(|&s| s.saturating_add(c.max_len) <= start0);
        let hi = c.starts.partition_point(|&s| s < end0);
        out.extend((lo..hi).filter(|&i| c.ends[i] > start0).map(|i| c.ids[i]));
    }

    /// [`WindowIndex::overlapping`] for the REF span of `v`.
    ///
    /// ```
    /// use genome_io::variants::WindowIndex;
    /// let v = genome_io::vcf::VcfRecord { chrom: "1".into(), pos: 5, reference: "A".into(), ..Default::default() };
    /// let mut hits = Vec::new();
    /// WindowIndex::new(&[]).overlapping_variant(&v, &mut hits);
    /// assert!(hits.is_empty());
    /// ```
    pub fn overlapping_variant(&self, v: &VcfRecord, out: &mut Vec<usize>) {
        self.overlapping(&v.chrom, v.start0(), v.end0(), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Strand;
    use proptest::prelude::*;

    fn window(chrom: &str, start: u64, end: u64) -> Window {
        Window {
            name: String::new(),
            gene_id: String::new(),
            gene_name: None,
            transcript_id: None,
            biotype: None,
            chrom: chrom.into(),
            strand: Strand::Forward,
            tss0: start,
            start,
            end,
            pad_5p: 0,
            pad_3p: 0,
            tss_index: 0,
            clipped_left: false,
            clipped_right: false,
        }
    }

    proptest! {
        #[test]
        fn lookups_equal_a_linear_scan(
            spans in proptest::collection::vec((0u64..2, 0u64..500, 1u64..80), 0..60),
            queries in proptest::collection::vec((0u64..2, 0u64..600, 1u64..30), 1..40),
        ) {
            let names = ["chr1", "2"];
            let windows: Vec<Window> = spans
                .iter()
                .map(|&(c, s, l)| window(names[c as usize], s, s + l))
                .collect();
            let index = WindowIndex::new(&windows);
            let mut hits = Vec::new();
            for (c, s, l) in queries {
                // Query by the alias spelling: "1" finds "chr1", "chr2" finds "2".
                let q = ["1", "chr2"][c as usize];
                index.overlapping(q, s, s + l, &mut hits);
                hits.sort_unstable();
                let want: Vec<usize> = windows
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| w.chrom == names[c as usize] && w.start < s + l && w.end > s)
                    .map(|(i, _)| i)
                    .collect();
                prop_assert_eq!(&hits, &want);
            }
        }
    }
}
