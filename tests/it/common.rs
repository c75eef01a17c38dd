//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// Runs the lawdex binary with `data` as its data directory (`LAWDEX_DATA`), from the
/// checkout, with no user synonym table or colour setting from the environment: (exit code,
/// stdout, stderr).
#[allow(dead_code)]
pub fn lawdex_run(args: &[&str], data: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(args)
        .env("LAWDEX_DATA", data)
        .env_remove("LAWDEX_SYNONYMS")
        .env_remove("NO_COLOR")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run lawdex");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `lawdex ARGS --data-dir DATA`, run to its end.
#[allow(dead_code)]
pub fn lawdex_in(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("run lawdex")
}

/// Members of the bulk tarball (paths inside LawRefBook-Laws/), unpacked into `dir` with the system `tar`
/// (zstd is on the machine image, as the bulk README says). Returns the unpacked root.
#[allow(dead_code)]
pub fn unpack_bulk(shared: &Path, members: &[String], dir: &Path) -> PathBuf {
    let tarball = shared.join("corpus/bulk/lawrefbook-laws-2f4c5c2.tar.zst");
    assert!(tarball.is_file(), "{} is missing", tarball.display());
    let out = std::process::Command::new("tar")
        .arg("--zstd")
        .arg("-xf")
        .arg(&tarball)
        .arg("-C")
        .arg(dir)
        .args(members.iter().map(|m| format!("LawRefBook-Laws/{m}")))
        .output()
        .expect("run tar");
    assert!(
        out.status.success(),
        "tar --zstd failed on {}: {}",
        tarball.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("LawRefBook-Laws")
}
