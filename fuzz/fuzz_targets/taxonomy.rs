//! The taxonomy loader, and the matcher built from a taxonomy that loads (cue patterns).
#![no_main]

use lawdex::coverage::taxonomy::Taxonomy;
use lawdex::coverage::Matcher;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(taxonomy) = Taxonomy::parse(text, "fuzz.toml") {
            let _ = Matcher::new(taxonomy);
        }
    }
});
