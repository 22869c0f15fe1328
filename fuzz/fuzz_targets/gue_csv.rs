//! GUE CSV datasets (`sequence,label`) from memory ([`datasets::dataset::read_csv`]).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = datasets::dataset::read_csv(data, "fuzz.csv");
});
