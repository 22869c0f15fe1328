//! MEME minimal motif format (as JASPAR and HOCOMOCO ship it): reader and writer.
//!
//! Recognised lines: `MEME version V`, `ALPHABET= ACGT`, `strands: + -`, `Background letter
//! frequencies` followed by `A p C p G p T p` (on one or more lines), `MOTIF id [alt name]`,
//! `letter-probability matrix: alength= 4 w= N nsites= n E= e` followed by exactly `N` rows of 4
//! probabilities, `URL ...`; a `log-odds matrix:` block is skipped. Anything else (comments,
//! blank lines) is ignored. Each probability row must sum to 1 within 0.01 (the rounding of
//! files written with 2–3 decimals).

use super::Motif;
use crate::error::MemeProblem;
use crate::{Error, Result};
use std::io::{BufRead, Write};
use std::path::Path;

/// Tolerance on the sum of a probability row (and of the background).
pub const ROW_SUM_TOLERANCE: f64 = 1e-2;

/// The contents of a MEME file.
#[derive(Debug, Clone, PartialEq)]
pub struct MemeFile {
    /// The `MEME version` value (`None` when the line is absent).
    pub version: Option<String>,
    /// The `strands:` value (`None` when absent).
    pub strands: Option<String>,
    /// Background letter frequencies A, C, G, T (uniform when absent).
    pub background: [f64; 4],
    /// The motifs in file order.
    pub motifs: Vec<Motif>,
}

struct Cursor<'a> {
    name: &'a str,
    lines: Vec<String>,
    at: usize,
}

impl Cursor<'_> {
    fn err(&self, line: usize, motif: Option<&str>, problem: MemeProblem) -> Error {
        Error::Meme {
            path: self.name.to_string(),
            line,
            motif: motif.map(str::to_string),
            problem,
        }
    }
}

fn parse_num(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

/// Reads a MEME file from `reader`; `name` (e.g. the path) is used in error messages.
///
/// Errors: [`Error::Meme`] with the 1-based line and the motif id for a missing or non-DNA
/// alphabet, a row of the wrong width, `w=` disagreeing with the rows, a non-numeric value, a
/// probability outside [0, 1], a row not summing to 1 within [`ROW_SUM_TOLERANCE`], no motif;
/// [`Error::Io`] when reading fails.
///
/// ```
/// let text = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n\
///     Background letter frequencies\nA 0.3 C 0.2 G 0.2 T 0.3\n\n\
///     MOTIF MA0001.1 TATA\nletter-probability matrix: alength= 4 w= 2 nsites= 10 E= 0\n\
///     0.1 0.1 0.1 0.7\n0.7 0.1 0.1 0.1\nURL http://x\n";
/// let f = evalkit::motifs::read_meme(text.as_bytes(), "db.meme").unwrap();
/// assert_eq!(f.background, [0.3, 0.2, 0.2, 0.3]);
/// assert_eq!(f.motifs[0].id, "MA0001.1");
/// assert_eq!(f.motifs[0].alt.as_deref(), Some("TATA"));
/// assert_eq!(f.motifs[0].probs[1], [0.7, 0.1, 0.1, 0.1]);
/// let bad = text.replace("0.7 0.1 0.1 0.1", "0.7 0.1 0.1");
/// let e = evalkit::motifs::read_meme(bad.as_bytes(), "db.meme").unwrap_err();
/// assert_eq!(e.to_string(), "db.meme:13: motif MA0001.1: row has 3 values, expected 4");
/// ```
pub fn read_meme<R: BufRead>(reader: R, name: &str) -> Result<MemeFile> {
    let mut lines = Vec::new();
    for (i, l) in reader.lines().enumerate() {
        lines.push(l.map_err(|e| Error::Io {
            context: format!("reading {name} line {}", i + 1),
            source: e,
        })?);
    }
    let mut c = Cursor { name, lines, at: 0 };
    let mut out = MemeFile {
        version: None,
        strands: None,
        background: [0.25; 4],
        motifs: Vec::new(),
    };
    let mut alphabet = false;
    let mut motif: Option<(Motif, usize)> = None; // the motif being read and its MOTIF line
    while c.at < c.lines.len() {
        let ln = c.at + 1;
        let line = c.lines[c.at].trim().to_string();
        c.at += 1;
        if let Some(v) = line.strip_prefix("MEME version") {
            out.version = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("ALPHABET") {
            let v = v.trim_start_matches(['=', ' ', '\t']).trim();
            if v != "ACGT" {
                return Err(c.err(ln, None, MemeProblem::UnsupportedAlphabet(v.to_string())));
            }
            alphabet = true;
        } else if let Some(v) = line.strip_prefix("strands:") {
            out.strands = Some(v.trim().to_string());
        } else if line.starts_with("Background letter frequencies") {
            out.background = read_background(&mut c)?;
        } else if let Some(rest) = line.strip_prefix("MOTIF") {
            if let Some((m, at)) = motif.take() {
                return Err(c.err(
                    at,
                    Some(&m.id),
                    MemeProblem::BadMotif("motif has no letter-probability matrix".into()),
                ));
            }
            let mut f = rest.split_whitespace();
            let id = f.next().ok_or_else(|| {
                c.err(
                    ln,
                    None,
                    MemeProblem::BadMotif("MOTIF line without id".into()),
                )
            })?;
            let alt = f.collect::<Vec<_>>().join(" ");
            motif = Some((
                Motif {
                    id: id.to_string(),
                    alt: (!alt.is_empty()).then_some(alt),
                    ..Motif::default()
                },
                ln,
            ));
        } else if let Some(rest) = line.strip_prefix("letter-probability matrix:") {
            let (mut m, _) = motif.take().ok_or_else(|| {
                c.err(
                    ln,
                    None,
                    MemeProblem::BadMotif("matrix before any MOTIF line".into()),
                )
            })?;
            if !alphabet {
                return Err(c.err(ln, Some(&m.id), MemeProblem::MissingAlphabet));
            }
            read_matrix(&mut c, ln, rest, &mut m)?;
            out.motifs.push(m);
        } else if line.starts_with("log-odds matrix:") {
            while c.at < c.lines.len() && first_is_number(&c.lines[c.at]) {
                c.at += 1;
            }
        } else if let (Some(url), Some(m)) = (line.strip_prefix("URL"), out.motifs.last_mut()) {
            m.url = Some(url.trim().to_string());
        }
    }
    if let Some((m, at)) = motif {
        return Err(c.err(
            at,
            Some(&m.id),
            MemeProblem::BadMotif("motif has no letter-probability matrix".into()),
        ));
    }
    if out.motifs.is_empty() {
        return Err(c.err(c.lines.len(), None, MemeProblem::NoMotifs));
    }
    Ok(out)
}

fn first_is_number(line: &str) -> bool {
    line.split_whitespace().next().and_then(parse_num).is_some()
}

fn check_sum(c: &Cursor<'_>, ln: usize, motif: Option<&str>, row: &[f64]) -> Result<()> {
    for &p in row {
        if !(0.0..=1.0 + 1e-9).contains(&p) {
            return Err(c.err(ln, motif, MemeProblem::BadProbability(p)));
        }
    }
    let s: f64 = row.iter().sum();
    if (s - 1.0).abs() > ROW_SUM_TOLERANCE {
        return Err(c.err(ln, motif, MemeProblem::RowSum(s)));
    }
    Ok(())
}

fn read_background(c: &mut Cursor<'_>) -> Result<[f64; 4]> {
    let mut bg = [f64::NAN; 4];
    let mut seen = 0;
    let mut ln = c.at;
    while seen < 4 && c.at < c.lines.len() {
        ln = c.at + 1;
        let line = c.lines[c.at].clone();
        c.at += 1;
        let toks: Vec<&str> = line.split_whitespace().collect();
        if toks.is_empty() {
            continue;
        }
        for pair in toks.chunks(2) {
            let i = match pair[0] {
                "A" => 0,
                "C" => 1,
                "G" => 2,
                "T" => 3,
                other => {
                    return Err(c.err(ln, None, MemeProblem::UnsupportedAlphabet(other.into())));
                }
            };
            let v = pair.get(1).copied().unwrap_or("");
            bg[i] =
                parse_num(v).ok_or_else(|| c.err(ln, None, MemeProblem::NotANumber(v.into())))?;
            seen += 1;
        }
    }
    if bg.iter().any(|v| v.is_nan()) {
        return Err(c.err(ln, None, MemeProblem::MissingAlphabet));
    }
    check_sum(c, ln, None, &bg)?;
    Ok(bg)
}

fn read_matrix(c: &mut Cursor<'_>, ln: usize, header: &str, m: &mut Motif) -> Result<()> {
    let spaced = header.replace('=', "= ");
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    let (mut w, mut alength) = (None, 4usize);
    for kv in toks.chunks(2) {
        let v = kv.get(1).copied().unwrap_or("");
        let num = || {
            parse_num(v).ok_or_else(|| c.err(ln, Some(&m.id), MemeProblem::NotANumber(v.into())))
        };
        match kv[0] {
            "w=" => w = Some(num()? as usize),
            "alength=" => alength = num()? as usize,
            "nsites=" => m.nsites = Some(num()?),
            "E=" => m.evalue = Some(num()?),
            _ => {}
        }
    }
    if alength != 4 {
        return Err(c.err(
            ln,
            Some(&m.id),
            MemeProblem::BadHeader(format!("alength= {alength}, expected 4")),
        ));
    }
    let w = w.ok_or_else(|| c.err(ln, Some(&m.id), MemeProblem::BadHeader("no w=".into())))?;
    while c.at < c.lines.len() && first_is_number(&c.lines[c.at]) {
        let rl = c.at + 1;
        let vals = c.lines[c.at]
            .split_whitespace()
            .map(|t| {
                parse_num(t)
                    .ok_or_else(|| c.err(rl, Some(&m.id), MemeProblem::NotANumber(t.into())))
            })
            .collect::<Result<Vec<f64>>>()?;
        if vals.len() != 4 {
            return Err(c.err(
                rl,
                Some(&m.id),
                MemeProblem::RowWidth {
                    expected: 4,
                    got: vals.len(),
                },
            ));
        }
        check_sum(c, rl, Some(&m.id), &vals)?;
        m.probs.push([vals[0], vals[1], vals[2], vals[3]]);
        c.at += 1;
    }
    if m.probs.len() != w || w == 0 {
        return Err(c.err(
            ln,
            Some(&m.id),
            MemeProblem::WidthMismatch {
                declared: w,
                rows: m.probs.len(),
            },
        ));
    }
    Ok(())
}

/// Reads a MEME file from disk.
///
/// Errors: [`Error::Io`] naming the path; otherwise as [`read_meme`].
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("x.meme");
/// let m = evalkit::motifs::Motif::new("m1", vec![[0.25; 4]; 3]).unwrap();
/// evalkit::motifs::write_meme_file(&p, &[m.clone()], [0.25; 4]).unwrap();
/// assert_eq!(evalkit::motifs::read_meme_file(&p).unwrap().motifs, vec![m]);
/// ```
pub fn read_meme_file(path: &Path) -> Result<MemeFile> {
    let f = std::fs::File::open(path).map_err(|e| Error::Io {
        context: format!("opening {}", path.display()),
        source: e,
    })?;
    read_meme(std::io::BufReader::new(f), &path.display().to_string())
}

/// Writes `motifs` in MEME minimal format (version 4, DNA, both strands) with the given
/// background, probabilities with 6 decimals; `nsites`, `E` and `URL` when the motif has them.
///
/// Errors: [`Error::Empty`] for no motif or a motif of width 0; [`Error::Io`].
///
/// ```
/// let m = evalkit::motifs::Motif::new("seqlet-cluster-0", vec![[0.7, 0.1, 0.1, 0.1]]).unwrap();
/// let mut buf = Vec::new();
/// evalkit::motifs::write_meme(&mut buf, &[m], [0.25; 4]).unwrap();
/// let s = String::from_utf8(buf).unwrap();
/// assert!(s.contains("MOTIF seqlet-cluster-0\nletter-probability matrix: alength= 4 w= 1"));
/// assert!(s.contains("0.700000 0.100000 0.100000 0.100000\n"));
/// ```
pub fn write_meme<W: Write + ?Sized>(
    w: &mut W,
    motifs: &[Motif],
    background: [f64; 4],
) -> Result<()> {
    if motifs.is_empty() || motifs.iter().any(|m| m.probs.is_empty()) {
        return Err(Error::Empty("motifs to write"));
    }
    let io = |e| Error::Io {
        context: "writing MEME".into(),
        source: e,
    };
    let [a, c, g, t] = background;
    write!(
        w,
        "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\n\
         A {a} C {c} G {g} T {t}\n\n"
    )
    .map_err(io)?;
    for m in motifs {
        let name = match &m.alt {
            Some(alt) => format!("{} {alt}", m.id),
            None => m.id.clone(),
        };
        write!(
            w,
            "MOTIF {name}\nletter-probability matrix: alength= 4 w= {}",
            m.probs.len()
        )
        .map_err(io)?;
        if let Some(n) = m.nsites {
            write!(w, " nsites= {n}").map_err(io)?;
        }
        if let Some(e) = m.evalue {
            write!(w, " E= {e}").map_err(io)?;
        }
        writeln!(w).map_err(io)?;
        for r in &m.probs {
            writeln!(w, "{:.6} {:.6} {:.6} {:.6}", r[0], r[1], r[2], r[3]).map_err(io)?;
        }
        if let Some(u) = &m.url {
            writeln!(w, "URL {u}").map_err(io)?;
        }
        writeln!(w).map_err(io)?;
    }
    Ok(())
}

/// [`write_meme`] to `path`, atomically (temporary file renamed over the target).
///
/// Errors: as [`write_meme`]; [`Error::Io`] naming the path.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("found.meme");
/// let m = evalkit::motifs::Motif::new("c0", vec![[0.1, 0.2, 0.3, 0.4]]).unwrap();
/// evalkit::motifs::write_meme_file(&p, &[m], [0.25; 4]).unwrap();
/// assert!(std::fs::read_to_string(&p).unwrap().starts_with("MEME version 4"));
/// ```
pub fn write_meme_file(path: &Path, motifs: &[Motif], background: [f64; 4]) -> Result<()> {
    let io = |p: &Path, source| Error::Io {
        context: format!("writing {}", p.display()),
        source,
    };
    outfile::write_atomic_with(path, |w| write_meme(w, motifs, background), io)
}
