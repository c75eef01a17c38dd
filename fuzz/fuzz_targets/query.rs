//! The search query parser (`lawdex search`'s words, phrases, AND/OR/NOT, brackets).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lawdex::search::Query::parse(text);
    }
});
