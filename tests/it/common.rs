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
        report_skip(&dir);
        None
    }
}

/// Says on the real stderr (libtest captures `eprintln!`, which made skips silent) that this
/// test skipped and why, one line per skipped test, so a run without ../shared shows how many
/// tests did not run. CI still fails on the absence (.ci/run checks the folder).
fn report_skip(dir: &std::path::Path) {
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(
        std::io::stderr().lock(),
        "lawdex tests: SKIPPED {test}: {} has no corpus/ (real data; set LAWDEX_SHARED)",
        dir.display()
    );
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
