//! Parsing of the fixed columns of one VCF data line (no allocation: ranges into the line).

use std::ops::Range;

use super::SkipCounts;
use crate::VcfErrorKind;

/// The fixed columns of one data line, as ranges into the line buffer.
#[derive(Debug, Clone, Default)]
pub(super) struct Fixed {
    pub chrom: Range<usize>,
    pub pos: u64,
    pub id: Range<usize>,
    pub reference: Range<usize>,
    /// Sequence alleles kept, with their 0-based index in the ALT column.
    pub alts: Vec<(usize, Range<usize>)>,
}

/// What an ALT allele is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AltKind {
    Sequence,
    Symbolic,
    Breakend,
    SpanningDeletion,
    Missing,
}

fn is_acgtn(b: u8) -> bool {
    matches!(b | 0x20, b'a' | b'c' | b'g' | b't' | b'n')
}

/// Classifies one ALT allele; `Err` for an empty allele or bad bases.
pub(super) fn classify_alt(a: &[u8]) -> Result<AltKind, VcfErrorKind> {
    Ok(match a {
        [] => return Err(VcfErrorKind::EmptyAlt),
        b"." => AltKind::Missing,
        b"*" => AltKind::SpanningDeletion,
        [b'<', ..] => AltKind::Symbolic,
        _ if a.contains(&b'[') || a.contains(&b']') => AltKind::Breakend,
        [b'.', ..] | [.., b'.'] => AltKind::Breakend,
        _ if a.iter().all(|&b| is_acgtn(b)) => AltKind::Sequence,
        _ => {
            return Err(VcfErrorKind::BadBases {
                column: "ALT",
                value: String::from_utf8_lossy(a).into_owned(),
            });
        }
    })
}

/// Parses the fixed columns of `line` (no line terminator) into `out`, uppercasing REF and the
/// kept ALT alleles in place, and adds the skipped alleles to `skips` (only when the whole line
/// is valid). `truncated`: the line went on past the buffer (its 8th column exists when 7 tabs
/// were read).
pub(super) fn parse_fixed(
    line: &mut [u8],
    truncated: bool,
    out: &mut Fixed,
    skips: &mut SkipCounts,
) -> Result<(), VcfErrorKind> {
    let mut cols: [Range<usize>; 7] = Default::default();
    let mut start = 0;
    let mut found = 0;
    for tab in memchr::memchr_iter(b'\t', line) {
        cols[found] = start..tab;
        found += 1;
        start = tab + 1;
        if found == 7 {
            break;
        }
    }
    if found < 7 {
        if truncated {
            return Err(VcfErrorKind::LineTooLong {
                limit: super::MAX_FIXED_BYTES,
            });
        }
        // The last column has no tab after it.
        return Err(VcfErrorKind::TooFewColumns { found: found + 1 });
    }
    let [chrom, pos, id, reference, alt, _qual, _filter] = cols;
    let text = |r: &Range<usize>| std::str::from_utf8(&line[r.clone()]);
    let c = text(&chrom).map_err(|_| VcfErrorKind::NotUtf8)?;
    if c.is_empty() || c.contains(char::is_whitespace) {
        return Err(VcfErrorKind::BadChrom(c.to_string()));
    }
    text(&id).map_err(|_| VcfErrorKind::NotUtf8)?;
    let p = &line[pos.clone()];
    let pos_value = std::str::from_utf8(p)
        .ok()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&v| v > 0)
        .ok_or_else(|| VcfErrorKind::BadPos(String::from_utf8_lossy(p).into_owned()))?;
    let r = &line[reference.clone()];
    if r.is_empty() || r == b"." {
        return Err(VcfErrorKind::EmptyRef);
    }
    if !r.iter().all(|&b| is_acgtn(b)) {
        return Err(VcfErrorKind::BadBases {
            column: "REF",
            value: String::from_utf8_lossy(r).into_owned(),
        });
    }
    out.alts.clear();
    let mut local = SkipCounts::default();
    let mut a0 = alt.start;
    for (index, allele) in line[alt.clone()].split(|&b| b == b',').enumerate() {
        let range = a0..a0 + allele.len();
        a0 = range.end + 1;
        match classify_alt(allele)? {
            AltKind::Sequence => out.alts.push((index, range)),
            AltKind::Symbolic => local.symbolic += 1,
            AltKind::Breakend => local.breakend += 1,
            AltKind::SpanningDeletion => local.spanning_deletion += 1,
            AltKind::Missing => local.missing_alt += 1,
        }
    }
    line[reference.clone()].make_ascii_uppercase();
    for (_, a) in &out.alts {
        line[a.clone()].make_ascii_uppercase();
    }
    skips.symbolic += local.symbolic;
    skips.breakend += local.breakend;
    skips.spanning_deletion += local.spanning_deletion;
    skips.missing_alt += local.missing_alt;
    out.chrom = chrom;
    out.pos = pos_value;
    out.id = id;
    out.reference = reference;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<(Fixed, SkipCounts, Vec<u8>), VcfErrorKind> {
        let mut buf = line.as_bytes().to_vec();
        let (mut f, mut s) = (Fixed::default(), SkipCounts::default());
        parse_fixed(&mut buf, false, &mut f, &mut s)?;
        Ok((f, s, buf))
    }

    #[test]
    fn alt_kinds() {
        for (a, k) in [
            ("A", AltKind::Sequence),
            ("acgtN", AltKind::Sequence),
            (".", AltKind::Missing),
            ("*", AltKind::SpanningDeletion),
            ("<DEL>", AltKind::Symbolic),
            ("<*>", AltKind::Symbolic),
            ("G]17:198982]", AltKind::Breakend),
            ("[13:123457[A", AltKind::Breakend),
            (".A", AltKind::Breakend),
            ("A.", AltKind::Breakend),
        ] {
            assert_eq!(classify_alt(a.as_bytes()), Ok(k), "{a}");
        }
        assert_eq!(classify_alt(b""), Err(VcfErrorKind::EmptyAlt));
        assert!(matches!(
            classify_alt(b"AR"),
            Err(VcfErrorKind::BadBases { column: "ALT", .. })
        ));
    }

    #[test]
    fn fixed_columns_and_counts() {
        let (f, s, buf) = parse("chr1\t5\trs\tac\tG,*,<DEL>,.,tT\t.\t.\t.\tGT\t0/1").unwrap();
        assert_eq!(&buf[f.reference.clone()], b"AC");
        let alts: Vec<_> = f.alts.iter().map(|(i, r)| (*i, &buf[r.clone()])).collect();
        assert_eq!(alts, [(0, &b"G"[..]), (4, &b"TT"[..])]);
        assert_eq!((s.spanning_deletion, s.symbolic, s.missing_alt), (1, 1, 1));
    }

    #[test]
    fn malformed_lines() {
        type Check = fn(&VcfErrorKind) -> bool;
        let cases: [(&str, Check); 7] = [
            ("c\t5\t.\tA\tC\t.\t.", |k| {
                *k == VcfErrorKind::TooFewColumns { found: 7 }
            }),
            ("c\tx5\t.\tA\tC\t.\t.\t.", |k| {
                matches!(k, VcfErrorKind::BadPos(_))
            }),
            ("c\t0\t.\tA\tC\t.\t.\t.", |k| {
                matches!(k, VcfErrorKind::BadPos(_))
            }),
            ("c\t-3\t.\tA\tC\t.\t.\t.", |k| {
                matches!(k, VcfErrorKind::BadPos(_))
            }),
            ("c\t3\t.\t.\tC\t.\t.\t.", |k| *k == VcfErrorKind::EmptyRef),
            ("c\t3\t.\tAX\tC\t.\t.\t.", |k| {
                matches!(k, VcfErrorKind::BadBases { column: "REF", .. })
            }),
            ("\t3\t.\tA\tC\t.\t.\t.", |k| {
                matches!(k, VcfErrorKind::BadChrom(_))
            }),
        ];
        for (line, ok) in cases {
            let e = parse(line).expect_err(line);
            assert!(ok(&e), "{line}: {e}");
        }
        // A bad allele makes the whole line malformed and counts nothing.
        let mut buf = b"c\t3\t.\tA\t<DEL>,Q\t.\t.\t.".to_vec();
        let (mut f, mut s) = (Fixed::default(), SkipCounts::default());
        assert!(parse_fixed(&mut buf, false, &mut f, &mut s).is_err());
        assert_eq!(s, SkipCounts::default());
    }
}
