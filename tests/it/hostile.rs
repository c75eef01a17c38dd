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

/// An argument that is not UTF-8 (a file name from another locale) panicked while the usage
/// error was reported: one line and exit 2.
#[test]
fn an_argument_that_is_not_utf8_is_one_error_line_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .arg("search")
        .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe"))
        .output()
        .expect("run lawdex");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("invalid UTF-8"), "{stderr}");
}

/// Excluding a quoted phrase panicked in a debug build: tantivy asked the phrase's scorer to
/// seek backwards (tantivy issue #2811). The hits now simply lack the phrase.
#[test]
fn excluding_a_quoted_phrase_is_a_search_not_a_panic() {
    let scratch = tempfile::tempdir().unwrap();
    let data = data_dir_with(
        &fixtures().join(format!("schema-{}", lawdex::index::SCHEMA_VERSION)),
        scratch.path(),
    );
    for (query, phrase) in [
        ("library -\"public library\"", "public library"),
        ("图书馆 -\"公共图书馆\"", "公共图书馆"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
            .args(["search", "--format", "json", "--limit", "100", "--data-dir"])
            .arg(&data)
            .arg(query)
            .output()
            .expect("run lawdex");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{query}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{query}: {stderr}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let hits = v["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "{query}");
        for h in hits {
            let text = h["snippet"].as_str().unwrap().to_lowercase();
            assert!(!text.contains(phrase), "{query}: {text}");
        }
    }
}

/// A FIFO named as input hung `index` for ever (holding the lock, so every later writer
/// failed), and /dev/zero was read until memory ran out. Inputs that are not regular files
/// now fail up front, one line each naming them, and the rest of the batch is indexed.
#[test]
#[cfg(unix)]
fn a_fifo_or_a_device_named_as_input_fails_at_once_and_the_batch_goes_on() {
    let scratch = tempfile::tempdir().unwrap();
    let fifo = scratch.path().join("law.md");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus-manifest/sample");
    let data = scratch.path().join("data");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["index", "--data-dir"])
        .arg(&data)
        .arg(&fifo)
        .arg("/dev/zero")
        .arg(&sample)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run lawdex");
    // A bound on the wait, so a regression fails instead of hanging the suite.
    let mut waited = 0;
    while child.try_wait().expect("wait").is_none() {
        if waited == 1200 {
            let _ = child.kill();
            panic!("lawdex index hung on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    let out = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for name in [fifo.display().to_string(), "/dev/zero".to_string()] {
        let line = stdout
            .lines()
            .find(|l| l.contains(&name) && l.contains("not a regular file"))
            .unwrap_or_else(|| panic!("no failure line for {name}: {stdout}"));
        assert!(!line.is_empty());
    }
    assert!(
        stdout.contains("new "),
        "the sample laws are indexed: {stdout}"
    );
}

/// `parse` and `gaps --draft` printed file names raw: an escape sequence in a name reached the
/// terminal, and a newline split one error over two lines. Text with control characters is
/// no longer passed on either.
#[test]
fn a_file_name_with_escapes_or_a_newline_is_one_clean_error_line() {
    let scratch = tempfile::tempdir().unwrap();
    let evil = scratch
        .path()
        .join("evil\u{1b}]0;TITLE\u{7}\u{1b}[2J\nfake error.pdf");
    std::fs::write(&evil, b"%PDF-1.4\n garbage").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["parse", "--summary"])
        .arg(&evil)
        .output()
        .expect("run lawdex");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("malformed pdf"))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr:?}");
    assert!(
        errors[0].contains("fake error.pdf: malformed pdf"),
        "{stderr:?}"
    );
    let draft = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["gaps", "--data-dir"])
        .arg(scratch.path().join("none"))
        .arg("--draft")
        .arg(&evil)
        .output()
        .expect("run lawdex");
    let stderr = String::from_utf8_lossy(&draft.stderr);
    assert_eq!(draft.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    let last = stderr.lines().last().unwrap_or("");
    assert!(last.contains("fake error.pdf: malformed pdf"), "{stderr:?}");
}
