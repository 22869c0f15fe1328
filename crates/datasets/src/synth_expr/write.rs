//! The files of a synthetic expression world.

use std::path::PathBuf;

use genome_io::atomic::write_atomic;

use super::ExprWorld;
use super::config::SynthExprConfig;
use crate::{Error, Result};

/// Paths of the files written by [`ExprWorld::write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprPaths {
    /// The output directory.
    pub dir: PathBuf,
    /// `counts.tsv`: genes × samples raw counts; header `gene_id<TAB>symbol<TAB>S1<TAB>S2…`,
    /// then one row per gene.
    pub counts: PathBuf,
    /// `modules.tsv`: header `gene_id<TAB>symbol<TAB>module`, one row per gene, module `M1..`
    /// or `none`.
    pub modules: PathBuf,
    /// `modules.gmt`: one line per module, `M1<TAB>description<TAB>symbol…` (genes ascending).
    pub gmt: PathBuf,
    /// `truth.json`: the config, the seed and the planted truth (see [`Truth`]).
    pub truth: PathBuf,
}

impl ExprPaths {
    /// The standard file names inside `dir`.
    ///
    /// ```
    /// let p = datasets::synth_expr::ExprPaths::in_dir("/tmp/e");
    /// assert_eq!(p.gmt, std::path::Path::new("/tmp/e/modules.gmt"));
    /// ```
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        ExprPaths {
            counts: dir.join("counts.tsv"),
            modules: dir.join("modules.tsv"),
            gmt: dir.join("modules.gmt"),
            truth: dir.join("truth.json"),
            dir,
        }
    }
}

/// The content of `truth.json` (ids rather than indices).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Truth {
    /// `"seq2expr synth_expr"`.
    pub generator: String,
    /// The seed (also in `config`).
    pub seed: u64,
    /// The full configuration.
    pub config: SynthExprConfig,
    /// Gene ids of each module, `modules[m]` for `M{m+1}`.
    pub modules: Vec<Vec<String>>,
    /// Gene ids with a near-zero mean.
    pub low_mean_genes: Vec<String>,
    /// `[symbol, first gene id, second gene id]` of each duplicated symbol.
    pub duplicated_symbols: Vec<[String; 3]>,
    /// Sample ids with a library below 1,000,000 counts.
    pub low_count_samples: Vec<String>,
    /// Sample ids with at most 2,000 expressed genes.
    pub sparse_samples: Vec<String>,
    /// Library size each sample was drawn with.
    pub library_size: Vec<f64>,
    /// Module activities, `module_activity[m][s]`.
    pub module_activity: Vec<Vec<f64>>,
}

impl Truth {
    /// The truth of `world`.
    ///
    /// ```
    /// use datasets::synth_expr::{generate, SynthExprConfig, Truth};
    /// let w = generate(&SynthExprConfig { n_samples: 5, n_genes: 50, n_modules: 2,
    ///     genes_per_module: 4, ..Default::default() }).unwrap();
    /// let t = Truth::of(&w);
    /// assert_eq!((t.modules.len(), t.modules[0].len(), t.seed), (2, 4, 42));
    /// ```
    pub fn of(world: &ExprWorld) -> Self {
        let w = world;
        let ns = w.n_samples();
        let ids = |v: &[usize], names: &[String]| v.iter().map(|&i| names[i].clone()).collect();
        Truth {
            generator: "seq2expr synth_expr".into(),
            seed: w.config.seed,
            config: w.config.clone(),
            modules: (0..w.config.n_modules)
                .map(|m| ids(&w.module_genes(m), &w.gene_ids))
                .collect(),
            low_mean_genes: ids(&w.low_mean_genes, &w.gene_ids),
            duplicated_symbols: w
                .duplicated_symbols
                .iter()
                .map(|&(a, b)| {
                    [
                        w.symbols[a].clone(),
                        w.gene_ids[a].clone(),
                        w.gene_ids[b].clone(),
                    ]
                })
                .collect(),
            low_count_samples: ids(&w.low_count_samples, &w.sample_ids),
            sparse_samples: ids(&w.sparse_samples, &w.sample_ids),
            library_size: w.library_size.clone(),
            module_activity: w.activity.chunks(ns.max(1)).map(<[f64]>::to_vec).collect(),
        }
    }
}

pub(super) fn write(w: &ExprWorld, dir: PathBuf) -> Result<ExprPaths> {
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let paths = ExprPaths::in_dir(dir);
    let ns = w.n_samples();
    write_atomic(&paths.counts, |f| {
        write!(f, "gene_id\tsymbol")?;
        for s in &w.sample_ids {
            write!(f, "\t{s}")?;
        }
        writeln!(f)?;
        for g in 0..w.n_genes() {
            write!(f, "{}\t{}", w.gene_ids[g], w.symbols[g])?;
            for k in &w.counts[g * ns..(g + 1) * ns] {
                write!(f, "\t{k}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    })?;
    write_atomic(&paths.modules, |f| {
        writeln!(f, "gene_id\tsymbol\tmodule")?;
        for g in 0..w.n_genes() {
            let m = w.module_of[g].map_or("none".to_string(), |m| format!("M{}", m + 1));
            writeln!(f, "{}\t{}\t{m}", w.gene_ids[g], w.symbols[g])?;
        }
        Ok(())
    })?;
    write_atomic(&paths.gmt, |f| {
        for m in 0..w.config.n_modules {
            let genes = w.module_genes(m);
            write!(
                f,
                "M{}\tsynthetic co-expression module {} ({} genes)",
                m + 1,
                m + 1,
                genes.len()
            )?;
            for g in genes {
                write!(f, "\t{}", w.symbols[g])?;
            }
            writeln!(f)?;
        }
        Ok(())
    })?;
    let truth = Truth::of(w);
    write_atomic(&paths.truth, |f| {
        serde_json::to_writer_pretty(&mut *f, &truth)?;
        writeln!(f)
    })?;
    Ok(paths)
}
