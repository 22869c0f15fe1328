//! The GTF attribute column (`key "value"; key value; ...`) indexed without allocating per line.
//!
//! The grammar and the escape rules are noodles-gtf's (`record::attributes`): a key runs to the
//! first space; a value is either a double-quoted string (up to the next `"`) or a bare token
//! (up to the next `;`); whitespace and one `;` separate fields; inside a value `\\` and `\"`
//! decode to `\` and `"`, any other escape is an error. A key may repeat (`tag "basic"; tag
//! "CCDS";`). noodles builds an `IndexMap` per line, which dominated the time of reading a
//! large GTF; here one reusable index of byte ranges serves every line, and only the values the
//! model keeps are copied. The unit tests check the two parsers agree.

use std::borrow::Cow;
use std::ops::Range;

use memchr::memchr;

/// Byte ranges of the fields of one attribute column.
#[derive(Debug, Default)]
pub(crate) struct AttrIndex {
    fields: Vec<(Range<usize>, Range<usize>)>,
}

impl AttrIndex {
    /// Indexes `src` (the ninth column), replacing the previous line's fields. The error is a
    /// short description of what is malformed.
    pub fn index(&mut self, src: &[u8]) -> Result<(), &'static str> {
        self.fields.clear();
        let mut i = 0;
        while i < src.len() {
            let key_len = memchr(b' ', &src[i..]).ok_or("a key without a value")?;
            let key = i..i + key_len;
            i += key_len + 1;
            let value = if src.get(i) == Some(&b'"') {
                let len = memchr(b'"', &src[i + 1..]).ok_or("an unterminated quoted value")?;
                let v = i + 1..i + 1 + len;
                i += len + 2;
                v
            } else {
                let len = memchr(b';', &src[i..]).unwrap_or(src.len() - i);
                let v = i..i + len;
                i += len;
                v
            };
            validate_escapes(&src[value.clone()])?;
            self.fields.push((key, value));
            i = skip_ws(src, i);
            if src.get(i) == Some(&b';') {
                i = skip_ws(src, i + 1);
            }
        }
        Ok(())
    }

    /// The first value of `key`, decoded.
    pub fn first<'s>(&self, src: &'s [u8], key: &[u8]) -> Option<Cow<'s, str>> {
        self.values(src, key).next()
    }

    /// Every value of `key` in file order, decoded.
    pub fn values<'s, 'k>(
        &'k self,
        src: &'s [u8],
        key: &'k [u8],
    ) -> impl Iterator<Item = Cow<'s, str>> + 'k
    where
        's: 'k,
    {
        self.fields
            .iter()
            .filter(move |(k, _)| &src[k.clone()] == key)
            .map(move |(_, v)| decode(&src[v.clone()]))
    }
}

fn skip_ws(src: &[u8], mut i: usize) -> usize {
    while src.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

fn validate_escapes(v: &[u8]) -> Result<(), &'static str> {
    let Some(first) = memchr(b'\\', v) else {
        return Ok(());
    };
    let mut it = v[first..].iter();
    while let Some(&c) = it.next() {
        if c == b'\\' && it.next().is_some_and(|&e| e != b'\\' && e != b'"') {
            return Err("an invalid escape sequence");
        }
    }
    Ok(())
}

/// Decodes `\\` and `\"` (already validated) and converts to UTF-8, lossily.
fn decode(v: &[u8]) -> Cow<'_, str> {
    if memchr(b'\\', v).is_none() {
        return String::from_utf8_lossy(v);
    }
    let mut out = Vec::with_capacity(v.len());
    let mut escaped = false;
    for &c in v {
        if c == b'\\' && !escaped {
            escaped = true;
        } else {
            out.push(c);
            escaped = false;
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use noodles::gtf;
    use proptest::prelude::*;

    /// noodles' view of an attribute column: (key, values) in order, or an error.
    fn noodles_view(col: &[u8]) -> Option<Vec<(String, Vec<String>)>> {
        let mut line = b"c\ts\texon\t1\t2\t.\t+\t.\t".to_vec();
        line.extend_from_slice(col);
        let mut rdr = gtf::io::Reader::new(&line[..]);
        let mut l = gtf::Line::default();
        rdr.read_line(&mut l).ok()?;
        let rec = l.as_record()?.ok()?;
        let attrs = rec.attributes().ok()?;
        let mut out = Vec::new();
        for kv in attrs.iter() {
            let (k, v) = kv.ok()?;
            let vals = v
                .iter()
                .map(|s| String::from_utf8_lossy(s.as_ref()).into_owned());
            out.push((
                String::from_utf8_lossy(k.as_ref()).into_owned(),
                vals.collect(),
            ));
        }
        Some(out)
    }

    fn our_view(col: &[u8]) -> Option<Vec<(String, Vec<String>)>> {
        let mut idx = AttrIndex::default();
        idx.index(col).ok()?;
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for (k, _) in &idx.fields {
            let key = &col[k.clone()];
            let name = String::from_utf8_lossy(key).into_owned();
            if out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let vals = idx.values(col, key).map(Cow::into_owned).collect();
            out.push((name, vals));
        }
        Some(out)
    }

    #[test]
    fn agrees_with_noodles_on_typical_columns() {
        let cols: [&[u8]; 9] = [
            br#"gene_id "G1"; transcript_id "T1"; tag "basic"; tag "CCDS";"#,
            br#"gene_id "G1"; exon_number 3; gene_name "A;B";"#,
            br#"gene_id "G\"1"; note "a\\b""#,
            br#"gene_id "G1" ;  transcript_id T1 ;"#,
            b"",
            br#"gene_id "G1"; bad"#,
            br#"gene_id "unterminated; transcript_id "T";"#,
            br#"gene_id "a\nb";"#,
            br#"gene_id "G1";transcript_id "T1";"#,
        ];
        for col in cols {
            assert_eq!(
                our_view(col),
                noodles_view(col),
                "{}",
                String::from_utf8_lossy(col)
            );
        }
    }

    proptest! {
        #[test]
        fn agrees_with_noodles_on_random_columns(col in r#"([a-z_]{1,4} ("[a-z;\\" ]{0,5}"|[a-z0-9]{0,3})[ ;]{0,3}){0,4}"#) {
            prop_assert_eq!(our_view(col.as_bytes()), noodles_view(col.as_bytes()));
        }
    }
}
