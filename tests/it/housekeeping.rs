//! Promises about the project itself: pointers in help texts and data files lead somewhere,
//! and tests on real data never skip silently.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("rs" | "toml" | "md")
        ) {
            out.push(p);
        }
    }
}

/// `search --help` and the taxonomy file pointed at docs/synonyms.md and
/// docs/taxonomy-format.md, which did not exist.
#[test]
fn docs_pointed_at_by_code_and_data_exist() {
    let mut files = Vec::new();
    for d in ["src", "corpus-manifest"] {
        files_under(&root().join(d), &mut files);
    }
    files.push(root().join("README.md"));
    let mut pointers = 0;
    for f in &files {
        let all = std::fs::read_to_string(f).unwrap();
        // Pointers for people live in comments, help texts (doc comments) and markdown; a
        // `path = "docs/…"` in a test manifest is data.
        let is_md = f.extension().is_some_and(|x| x == "md");
        let text: String = all
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                is_md || l.starts_with("//") || l.starts_with('#')
            })
            .collect::<Vec<_>>()
            .join("\n");
        for (at, _) in text.match_indices("docs/") {
            let name: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
                .collect();
            let name = name.trim_end_matches('.');
            if !name.ends_with(".md") {
                continue;
            }
            pointers += 1;
            assert!(
                root().join(name).is_file(),
                "{} points at {name}, which does not exist",
                f.display()
            );
        }
    }
    assert!(
        pointers >= 1,
        "the README's pointer to docs/gaps-json.md was not seen"
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for heading in [
        "#### Adding your own synonyms",
        "## Taxonomies: writing your own",
    ] {
        assert!(
            readme.contains(heading),
            "README lost the section {heading:?}, which help texts cite"
        );
    }
}

/// Without ../shared the tests on real data skipped without a word: each skip now says so on
/// stderr, past libtest's capture.
#[test]
fn real_data_tests_say_when_they_skip() {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["parse_real::", "--test-threads", "1"])
        .env(
            "LAWDEX_SHARED",
            root().join("tests/fixtures/no-such-shared-folder"),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let skipped = stderr.matches("lawdex tests: SKIPPED parse_real::").count();
    assert!(out.status.success(), "stderr: {stderr}");
    assert!(
        skipped >= 3,
        "expected a SKIPPED line per real-data test, saw {skipped}: {stderr}"
    );
    assert!(stderr.contains("set LAWDEX_SHARED"), "{stderr}");
}
