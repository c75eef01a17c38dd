//! Inputs that once crashed lawdex, kept in tests/fixtures/hostile/ (its README lists them),
//! each run through the command that broke: the answer is one error line, never a crash.

use std::path::PathBuf;
use std::process::Command;

use crate::compat::{data_dir_with, fixtures};

fn hostile(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// 8,000 `(` overflowed the query parser's stack: `lawdex search` died of SIGSEGV (and a
/// `lawdex serve` worker with it). Now exit 2 and one line saying where the nesting is too deep.
#[test]
fn a_query_of_8000_open_parentheses_is_one_error_line_not_a_stack_overflow() {
    let query = hostile("query-8000-open-parentheses.txt");
    assert_eq!(query.len(), 8_000);
    let scratch = tempfile::tempdir().unwrap();
    let data = data_dir_with(
        &fixtures().join(format!("schema-{}", lawdex::index::SCHEMA_VERSION)),
        scratch.path(),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["search", "--data-dir"])
        .arg(&data)
        .arg(&query)
        .output()
        .expect("run lawdex");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("parentheses and NOTs nested more than 32 deep at column 33"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
