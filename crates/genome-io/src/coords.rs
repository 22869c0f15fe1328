//! Coordinate conventions, in one place.
//!
//! * **0-based half-open** `[start, end)`: BED, this crate's API, Rust slices. Length = `end - start`.
//! * **1-based closed** `[start, end]`: GTF/GFF3, samtools regions (`chr:start-end`), VCF.
//!   Length = `end - start + 1`.
//!
//! The conversion is `start0 = start1 - 1`, `end0 = end1`.

use crate::{Error, Result};

/// Converts a 1-based closed interval to 0-based half-open.
///
/// Errors when `start1 == 0` (1-based coordinates start at 1) or `start1 > end1 + 1`
/// (an empty 1-based interval is written `end1 = start1 - 1`).
///
/// ```
/// use genome_io::coords::{one_based_to_half_open, half_open_to_one_based};
/// assert_eq!(one_based_to_half_open(1, 10).unwrap(), (0, 10));
/// assert_eq!(half_open_to_one_based(0, 10), (1, 10));
/// assert!(one_based_to_half_open(0, 10).is_err());
/// ```
pub fn one_based_to_half_open(start1: u64, end1: u64) -> Result<(u64, u64)> {
    if start1 == 0 {
        return Err(Error::InvalidArgument("1-based start must be >= 1".into()));
    }
    if start1 > end1 + 1 {
        return Err(Error::InvalidArgument(format!(
            "1-based start {start1} > end {end1}"
        )));
    }
    Ok((start1 - 1, end1))
}

/// Converts a 0-based half-open interval to 1-based closed.
///
/// ```
/// assert_eq!(genome_io::coords::half_open_to_one_based(99, 200), (100, 200));
/// ```
pub fn half_open_to_one_based(start0: u64, end0: u64) -> (u64, u64) {
    (start0 + 1, end0)
}

/// A named region in 0-based half-open coordinates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region {
    /// Sequence (chromosome) name.
    pub name: String,
    /// 0-based start (inclusive).
    pub start: u64,
    /// 0-based end (exclusive).
    pub end: u64,
}

impl Region {
    /// A region from 0-based half-open coordinates.
    pub fn new(name: impl Into<String>, start: u64, end: u64) -> Self {
        Region {
            name: name.into(),
            start,
            end,
        }
    }

    /// Parses a samtools-style region `name:start-end` (1-based closed, commas allowed) or a
    /// bare `name` (whole record: `end` is `u64::MAX`, to be clipped by the caller).
    ///
    /// ```
    /// use genome_io::coords::Region;
    /// assert_eq!(Region::parse_one_based("chr9:1,001-2000").unwrap(), Region::new("chr9", 1000, 2000));
    /// assert!(Region::parse_one_based("chr9:0-5").is_err());
    /// ```
    pub fn parse_one_based(s: &str) -> Result<Self> {
        let bad = |why: &str| Error::InvalidArgument(format!("region {s:?}: {why}"));
        match s.rsplit_once(':') {
            None => Ok(Region::new(s, 0, u64::MAX)),
            Some((name, range)) => {
                let range = range.replace(',', "");
                let (a, b) = range
                    .split_once('-')
                    .ok_or_else(|| bad("expected name:start-end"))?;
                let a: u64 = a.parse().map_err(|_| bad("start is not a number"))?;
                let b: u64 = b.parse().map_err(|_| bad("end is not a number"))?;
                let (start, end) = one_based_to_half_open(a, b).map_err(|e| bad(&e.to_string()))?;
                Ok(Region::new(name, start, end))
            }
        }
    }

    /// Length in bases.
    pub fn len(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// True when the region holds no base.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn one_and_zero_based_round_trip(s in 0u64..1_000_000, len in 0u64..10_000) {
            let (s1, e1) = half_open_to_one_based(s, s + len);
            prop_assert_eq!(one_based_to_half_open(s1, e1).unwrap(), (s, s + len));
            prop_assert_eq!(e1 + 1 - s1, len);
        }
    }
}
