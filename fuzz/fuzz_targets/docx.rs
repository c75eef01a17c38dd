//! `fuzz.docx` through parse and segment (the docx parser; other formats are other targets).
#![no_main]

use lawdex::model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    lawdex_fuzz::parse_and_segment(data, "fuzz.docx", Format::Docx);
});
