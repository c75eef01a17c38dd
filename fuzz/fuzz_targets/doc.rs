//! The `doc` target (Word 97–2003). Its body is `lawdex_fuzz::doc` (fuzz/src/lib.rs), which
//! the normal test suite also runs over the seeds (tests/it/fuzz_bodies.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lawdex_fuzz::doc(data));
