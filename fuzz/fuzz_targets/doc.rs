//! `fuzz.doc` through parse and segment (the Word 97–2003 parser; other formats are other
//! targets). Seeds: tests/fixtures/doc/*.doc.
#![no_main]

use lawdex::model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    lawdex_fuzz::parse_and_segment(data, "fuzz.doc", Format::Doc);
});
