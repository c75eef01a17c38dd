//! The manifest loader: TOML syntax, then validation (dates, durations, sizes, URLs, paths).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lawdex::crawl::Manifest::parse(text, std::path::Path::new("fuzz/manifest.toml"));
    }
});
