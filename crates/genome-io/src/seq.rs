//! Sequence primitives: IUPAC-aware, case-preserving reverse complement and GC content.

/// Complement table for every byte: IUPAC nucleotide codes (upper and lower case) map to their
/// complements, case preserved; `N`, gaps and any other byte map to themselves.
const COMPLEMENT: [u8; 256] = build_complement();

const fn build_complement() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i as u8;
        i += 1;
    }
    // IUPAC: A<->T, C<->G, R(AG)<->Y(CT), K(GT)<->M(AC), B(CGT)<->V(ACG), D(AGT)<->H(ACT);
    // S(CG), W(AT) and N are their own complements. U (RNA) complements to A.
    let pairs: [(u8, u8); 6] = [
        (b'A', b'T'),
        (b'C', b'G'),
        (b'R', b'Y'),
        (b'K', b'M'),
        (b'B', b'V'),
        (b'D', b'H'),
    ];
    let mut j = 0;
    while j < pairs.len() {
        let (a, b) = pairs[j];
        t[a as usize] = b;
        t[b as usize] = a;
        t[(a + 32) as usize] = b + 32;
        t[(b + 32) as usize] = a + 32;
        j += 1;
    }
    t[b'U' as usize] = b'A';
    t[b'u' as usize] = b'a';
    t
}

/// Complement of one base (IUPAC-aware, case-preserving).
///
/// ```
/// assert_eq!(genome_io::seq::complement(b'a'), b't');
/// assert_eq!(genome_io::seq::complement(b'R'), b'Y');
/// assert_eq!(genome_io::seq::complement(b'N'), b'N');
/// ```
#[inline]
pub fn complement(base: u8) -> u8 {
    COMPLEMENT[base as usize]
}

/// Reverse-complements `seq` in place (IUPAC-aware, case-preserving).
///
/// ```
/// let mut s = b"ACgtNRy".to_vec();
/// genome_io::seq::reverse_complement_in_place(&mut s);
/// assert_eq!(&s, b"rYNacGT");
/// ```
pub fn reverse_complement_in_place(seq: &mut [u8]) {
    // One pass: swap the two ends, complementing both.
    let n = seq.len();
    let (left, right) = seq.split_at_mut(n / 2);
    for (a, b) in left.iter_mut().zip(right.iter_mut().rev()) {
        (*a, *b) = (COMPLEMENT[*b as usize], COMPLEMENT[*a as usize]);
    }
    if n % 2 == 1 {
        seq[n / 2] = COMPLEMENT[seq[n / 2] as usize];
    }
}

/// Returns the reverse complement of `seq` (IUPAC-aware, case-preserving).
///
/// ```
/// assert_eq!(genome_io::seq::reverse_complement(b"AACGTt"), b"aACGTT".to_vec());
/// ```
pub fn reverse_complement(seq: &[u8]) -> Vec<u8> {
    seq.iter().rev().map(|&b| COMPLEMENT[b as usize]).collect()
}

/// Fraction of G/C among the unambiguous bases (A, C, G, T, any case) of `seq`, or `None` when
/// `seq` has no unambiguous base (e.g. empty or all `N`).
///
/// ```
/// assert_eq!(genome_io::seq::gc_fraction(b"ACgtNN"), Some(0.5));
/// assert_eq!(genome_io::seq::gc_fraction(b"NNN"), None);
/// ```
pub fn gc_fraction(seq: &[u8]) -> Option<f64> {
    let (mut gc, mut acgt) = (0usize, 0usize);
    for &b in seq {
        match b | 0x20 {
            b'g' | b'c' => {
                gc += 1;
                acgt += 1;
            }
            b'a' | b't' => acgt += 1,
            _ => {}
        }
    }
    (acgt > 0).then(|| gc as f64 / acgt as f64)
}

/// Uppercases ASCII letters of `seq` in place.
///
/// ```
/// let mut s = b"acgtN".to_vec();
/// genome_io::seq::uppercase_in_place(&mut s);
/// assert_eq!(&s, b"ACGTN");
/// ```
pub fn uppercase_in_place(seq: &mut [u8]) {
    seq.make_ascii_uppercase();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn revcomp_is_an_involution_and_preserves_case(s in proptest::collection::vec(proptest::sample::select(b"ACGTNacgtnRYKMBVDHSWrykmbvdhsw".to_vec()), 0..200)) {
            let rc = reverse_complement(&s);
            prop_assert_eq!(reverse_complement(&rc), s.clone());
            for (a, b) in s.iter().zip(rc.iter().rev()) {
                prop_assert_eq!(a.is_ascii_lowercase(), b.is_ascii_lowercase());
            }
            let mut inplace = s.clone();
            reverse_complement_in_place(&mut inplace);
            prop_assert_eq!(inplace, rc);
        }
    }

    #[test]
    fn complement_pairs_follow_iupac() {
        // Watson-Crick pairs and the IUPAC ambiguity complements (NC-IUB 1984 table).
        for (a, b) in [
            (b'A', b'T'),
            (b'C', b'G'),
            (b'R', b'Y'),
            (b'K', b'M'),
            (b'B', b'V'),
            (b'D', b'H'),
            (b'S', b'S'),
            (b'W', b'W'),
            (b'N', b'N'),
        ] {
            assert_eq!(complement(a), b);
            assert_eq!(complement(b), a);
            assert_eq!(complement(a.to_ascii_lowercase()), b.to_ascii_lowercase());
        }
    }
}
