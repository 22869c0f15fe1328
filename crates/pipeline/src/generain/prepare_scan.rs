//! The first two passes of [`super::prepare`]: per-sample totals and filters, per-gene means,
//! duplicate keys, the mean filter and the vocabulary.

use std::collections::HashMap;
use std::path::Path;

use genome_io::matrix::{MatrixReader, MatrixRow, Orientation};

use super::PrepareError;
use super::prepare::{GeneKey, PrepareSettings, bar};
use super::prepared::GeneEntry;
use crate::Result;

/// What the first pass learns: ids, symbols and per-sample totals.
#[derive(Debug)]
pub(crate) struct Scan {
    pub sample_ids: Vec<String>,
    pub totals: Vec<f64>,
    pub expressed: Vec<u32>,
    pub gene_ids: Vec<String>,
    /// Empty strings where the input has no symbol.
    pub symbols: Vec<String>,
}

/// The samples that passed the filters, in input order.
#[derive(Debug)]
pub(crate) struct KeptSamples {
    pub ids: Vec<String>,
    /// Input sample index of each kept sample.
    pub input: Vec<usize>,
    /// Kept index of each input sample.
    pub of_input: Vec<Option<usize>>,
    /// `library_size / total` per kept sample.
    pub scale: Vec<f64>,
    pub dropped_total: usize,
    pub dropped_genes: usize,
}

/// The vocabulary and, per input gene, its vocabulary index.
#[derive(Debug)]
pub(crate) struct Vocabulary {
    pub genes: Vec<GeneEntry>,
    /// Input gene index of each vocabulary gene.
    pub input: Vec<usize>,
    /// Vocabulary index of each input gene.
    pub of_input: Vec<Option<usize>>,
    pub dropped_duplicate: usize,
    pub dropped_low_mean: usize,
    pub not_in_reference: usize,
}

/// The stored value of a count: library-size normalised, `log10(x + 1)`, as f32 (GeneRAIN keeps
/// its normalised matrices as float32; means and bins are computed from these values).
pub(crate) fn normalise(count: f64, scale: f64) -> f32 {
    (count * scale + 1.0).log10() as f32
}

pub(crate) fn open(s: &PrepareSettings) -> Result<MatrixReader> {
    Ok(MatrixReader::open(&s.input, &s.matrix).map_err(genome_io::Error::from)?)
}

pub(crate) fn next(r: &mut MatrixReader, row: &mut MatrixRow) -> Result<bool> {
    Ok(r.read_row(row).map_err(genome_io::Error::from)?)
}

/// Pass 1: ids, symbols, total counts and expressed genes per sample.
pub(crate) fn scan_samples(s: &PrepareSettings) -> Result<Scan> {
    let mut r = open(s)?;
    let pb = bar(s.progress, None, "GeneRAIN pass 1/5: sample totals");
    let mut row = MatrixRow::default();
    let cols = r.columns().to_vec();
    let mut scan = Scan {
        sample_ids: Vec::new(),
        totals: Vec::new(),
        expressed: Vec::new(),
        gene_ids: Vec::new(),
        symbols: Vec::new(),
    };
    match r.orientation() {
        Orientation::GenesBySamples => {
            scan.totals = vec![0.0; cols.len()];
            scan.expressed = vec![0; cols.len()];
            while next(&mut r, &mut row)? {
                for (j, &v) in row.values.iter().enumerate() {
                    scan.totals[j] += v;
                    scan.expressed[j] += u32::from(v > 0.0);
                }
                scan.gene_ids.push(row.id.clone());
                scan.symbols.push(row.symbol.clone().unwrap_or_default());
                pb.inc(1);
            }
            scan.sample_ids = cols;
        }
        Orientation::SamplesByGenes => {
            while next(&mut r, &mut row)? {
                scan.totals.push(row.values.iter().sum());
                scan.expressed
                    .push(row.values.iter().filter(|&&v| v > 0.0).count() as u32);
                scan.sample_ids.push(row.id.clone());
                pb.inc(1);
            }
            scan.symbols = vec![String::new(); cols.len()];
            scan.gene_ids = cols;
        }
    }
    pb.finish_and_clear();
    Ok(scan)
}

/// GeneRAIN's sample filters: total counts ≥ `min_total_counts`, then more than
/// `min_expressed_genes` genes with a count > 0 (over all input genes).
pub(crate) fn filter_samples(s: &PrepareSettings, scan: &Scan) -> Result<KeptSamples> {
    let mut k = KeptSamples {
        ids: Vec::new(),
        input: Vec::new(),
        of_input: Vec::new(),
        scale: Vec::new(),
        dropped_total: 0,
        dropped_genes: 0,
    };
    for (i, id) in scan.sample_ids.iter().enumerate() {
        let ok = if scan.totals[i] < s.min_total_counts {
            k.dropped_total += 1;
            false
        } else if scan.expressed[i] as usize <= s.min_expressed_genes {
            k.dropped_genes += 1;
            false
        } else {
            true
        };
        // a sample of zero counts passes only with min_total_counts = 0 and is left all zero
        k.of_input.push(ok.then_some(k.ids.len()));
        if ok {
            k.ids.push(id.clone());
            k.input.push(i);
            k.scale.push(if scan.totals[i] > 0.0 {
                s.library_size / scan.totals[i]
            } else {
                0.0
            });
        }
    }
    if k.ids.is_empty() {
        return Err(PrepareError::NoSamples {
            path: s.input.clone(),
            n_samples: scan.sample_ids.len(),
            dropped_total: k.dropped_total,
            dropped_genes: k.dropped_genes,
            min_total: s.min_total_counts,
            min_genes: s.min_expressed_genes,
        }
        .into());
    }
    Ok(k)
}

/// Pass 2: the mean normalised value of every input gene over the kept samples.
pub(crate) fn gene_means(s: &PrepareSettings, scan: &Scan, kept: &KeptSamples) -> Result<Vec<f64>> {
    let mut r = open(s)?;
    let pb = bar(
        s.progress,
        Some(rows(scan, r.orientation()) as u64),
        "GeneRAIN pass 2/5: gene means",
    );
    let mut row = MatrixRow::default();
    let mut sums = vec![0.0f64; scan.gene_ids.len()];
    let mut g = 0;
    while next(&mut r, &mut row)? {
        match r.orientation() {
            Orientation::GenesBySamples => {
                sums[g] = kept
                    .input
                    .iter()
                    .zip(&kept.scale)
                    .map(|(&i, &sc)| f64::from(normalise(row.values[i], sc)))
                    .sum();
            }
            Orientation::SamplesByGenes => {
                if let Some(j) = kept.of_input[g] {
                    let sc = kept.scale[j];
                    for (acc, &v) in sums.iter_mut().zip(&row.values) {
                        *acc += f64::from(normalise(v, sc));
                    }
                }
            }
        }
        g += 1;
        pb.inc(1);
    }
    pb.finish_and_clear();
    let n = kept.ids.len() as f64;
    Ok(sums.into_iter().map(|x| x / n).collect())
}

fn rows(scan: &Scan, o: Orientation) -> usize {
    match o {
        Orientation::GenesBySamples => scan.gene_ids.len(),
        Orientation::SamplesByGenes => scan.sample_ids.len(),
    }
}

/// Duplicate keys (highest mean wins, ties the first row), then either the mean filter
/// (`mean > min_gene_mean`) or, with a reference, the reference's vocabulary.
pub(crate) fn vocabulary(
    s: &PrepareSettings,
    scan: &Scan,
    means: &[f64],
    reference: Option<(&Path, &[GeneEntry])>,
) -> Result<Vocabulary> {
    let by_symbol = s.gene_key == GeneKey::Symbol;
    let key_of = |id: &'_ str, sym: &'_ str| -> String {
        if by_symbol && !sym.is_empty() {
            sym.to_string()
        } else {
            id.to_string()
        }
    };
    let n = scan.gene_ids.len();
    let mut best: HashMap<String, usize> = HashMap::with_capacity(n);
    for g in 0..n {
        let k = key_of(&scan.gene_ids[g], &scan.symbols[g]);
        match best.get_mut(&k) {
            Some(b) if means[g] > means[*b] => *b = g,
            Some(_) => {}
            None => {
                best.insert(k, g);
            }
        }
    }
    let mut v = Vocabulary {
        genes: Vec::new(),
        input: Vec::new(),
        of_input: vec![None; n],
        dropped_duplicate: n - best.len(),
        dropped_low_mean: 0,
        not_in_reference: 0,
    };
    match reference {
        None => {
            for (g, &mean) in means.iter().enumerate().take(n) {
                let k = key_of(&scan.gene_ids[g], &scan.symbols[g]);
                if best[&k] != g {
                    continue;
                }
                if mean > s.min_gene_mean {
                    v.of_input[g] = Some(v.genes.len());
                    v.input.push(g);
                    v.genes.push(GeneEntry {
                        id: scan.gene_ids[g].clone(),
                        symbol: scan.symbols[g].clone(),
                        mean,
                    });
                } else {
                    v.dropped_low_mean += 1;
                }
            }
            if v.genes.is_empty() {
                return Err(PrepareError::NoGenes {
                    path: s.input.clone(),
                    n_genes: n,
                    dropped_mean: v.dropped_low_mean,
                    min_mean: s.min_gene_mean,
                }
                .into());
            }
        }
        Some((dir, genes)) => {
            let mut missing = Vec::new();
            for (k, e) in genes.iter().enumerate() {
                match best.get(&key_of(&e.id, &e.symbol)) {
                    Some(&g) => {
                        v.of_input[g] = Some(k);
                        v.input.push(g);
                    }
                    None => missing.push(key_of(&e.id, &e.symbol)),
                }
            }
            if !missing.is_empty() {
                let ex: Vec<&str> = missing.iter().take(5).map(String::as_str).collect();
                return Err(PrepareError::Reference {
                    dir: dir.to_path_buf(),
                    msg: format!(
                        "{} of its {} vocabulary genes are not in {} (e.g. {})",
                        missing.len(),
                        genes.len(),
                        s.input.display(),
                        ex.join(", ")
                    ),
                }
                .into());
            }
            v.genes = genes.to_vec();
            v.not_in_reference = best.len() - genes.len();
        }
    }
    Ok(v)
}
