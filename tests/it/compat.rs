//! Indexes users already have on disk: `tests/fixtures/index/schema-N/` is an index written by
//! schema version N (its README says how to add one).
//!
//! 1. the current schema's committed index opens with today's code: a search finds known clauses
//!    of the sample and `lawdex verify` passes; every older schema's committed index is refused
//!    with "re-index required", never misread.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::lawdex_in as lawdex;
use lawdex::index::SCHEMA_VERSION;

pub(crate) fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/index")
}

/// A data directory holding a copy of the committed generation `schema` and the `index`
/// symlink to it. A copy, because opening may repair or lock what it opens.
pub(crate) fn data_dir_with(schema: &Path, scratch: &Path) -> PathBuf {
    let data = scratch.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut generations = Vec::new();
    for entry in std::fs::read_dir(schema).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let to = data.join(entry.file_name());
        std::fs::create_dir(&to).unwrap();
        for file in std::fs::read_dir(entry.path()).unwrap() {
            let file = file.unwrap();
            std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
        }
        generations.push(entry.file_name());
    }
    assert_eq!(
        generations.len(),
        1,
        "{} holds one generation",
        schema.display()
    );
    std::os::unix::fs::symlink(&generations[0], data.join("index")).unwrap();
    data
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

// 1 ------------------------------------------------------------------------------------------

#[test]
fn the_committed_index_of_the_current_schema_opens_searches_and_verifies() {
    let schema = fixtures().join(format!("schema-{SCHEMA_VERSION}"));
    assert!(
        schema.is_dir(),
        "no committed index for schema {SCHEMA_VERSION}: build one as tests/fixtures/index/README.md says"
    );
    let scratch = tempfile::tempdir().unwrap();
    let data = data_dir_with(&schema, scratch.path());

    let search = lawdex(
        &data,
        &["search", "--format", "jsonl", "--limit", "50", "借阅"],
    );
    assert_eq!(search.status.code(), Some(0), "{}", text(&search));
    let ids: Vec<String> = String::from_utf8_lossy(&search.stdout)
        .lines()
        .map(|l| {
            let hit: serde_json::Value = serde_json::from_str(l).expect("a jsonl hit");
            hit["clause_id"].as_str().expect("clause_id").to_string()
        })
        .collect();
    // Both scripts of the sample, read back from the stored fields of the old files.
    for want in [
        "fanyuan.public-library-ordinance/art6",
        "mingshan.public-library-regulations/art15",
    ] {
        assert!(ids.iter().any(|id| id == want), "{want} not in {ids:?}");
    }

    let verify = lawdex(&data, &["verify"]);
    let out = text(&verify);
    assert_eq!(verify.status.code(), Some(0), "{out}");
    assert!(out.contains("4 documents, 39 clauses"), "{out}");

    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(version) = name.strip_prefix("schema-") else {
            continue;
        };
        if version.parse::<u32>().expect("schema-N") == SCHEMA_VERSION {
            continue;
        }
        let scratch = tempfile::tempdir().unwrap();
        let old = data_dir_with(&entry.path(), scratch.path());
        let search = lawdex(&old, &["search", "图书馆"]);
        let out = text(&search);
        assert_eq!(search.status.code(), Some(2), "{name}: {out}");
        assert!(out.contains("re-index required"), "{name}: {out}");
    }
}
