//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The shared test data folder (`../shared` beside the checkout, or `$LAWDEX_SHARED`).
/// Tests that read it skip with a note when it is absent; `.ci/run` makes its absence a
/// failure, so CI never passes by skipping.
#[allow(dead_code)]
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LAWDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("corpus").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "note: {} not found; skipping tests on real data",
            dir.display()
        );
        None
    }
}

/// `corpus/real` inside the shared folder.
#[allow(dead_code)]
pub fn real_dir() -> Option<PathBuf> {
    shared_dir().map(|d| d.join("corpus/real"))
}

/// The fixtures we wrote ourselves.
#[allow(dead_code)]
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}
