//! The `segment` target. Its body is `lawdex_fuzz::segment` (fuzz/src/lib.rs), which the normal
//! test suite also runs over the seeds (tests/it/fuzz_bodies.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lawdex_fuzz::segment(data));
