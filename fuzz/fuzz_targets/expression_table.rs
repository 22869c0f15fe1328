//! Wide expression tables (TSV / CSV / auto-detected) from memory ([`read_table`]); the first
//! byte picks the options (delimiter, header, name column, duplicates, missing values).
#![no_main]
use std::path::Path;

use genome_io::expression::{
    Delimiter, DuplicatePolicy, MissingValues, Summary, TableOptions, read_table,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&f, rest)) = data.split_first() else {
        return;
    };
    let opts = TableOptions {
        delimiter: [
            Delimiter::Auto,
            Delimiter::Tab,
            Delimiter::Comma,
            Delimiter::Auto,
        ][usize::from(f & 3)],
        has_header: f & 4 == 0,
        name_column: (f & 8 == 8).then_some(1),
        strip_version: f & 16 == 16,
        duplicates: [
            DuplicatePolicy::Error,
            DuplicatePolicy::Sum,
            DuplicatePolicy::Mean,
        ][usize::from((f >> 5) & 3).min(2)],
        missing: if f & 128 == 128 {
            MissingValues::DropRow
        } else {
            MissingValues::Fill(0.0)
        },
        ..Default::default()
    };
    if let Ok(t) = read_table(rest, Path::new("fuzz.tsv"), &opts) {
        let _ = t.summarize(Summary::Mean);
        let _ = t.summarize(Summary::Median);
        for j in 0..t.n_columns().min(4) {
            let _ = t.column(j);
        }
    }
});
