//! Issue 9: every answer, count and exit code tells the truth. Each test is named after what a
//! new user met. Properties checked:
//! 1. exit codes: 0 found / 1 nothing or partial / 2 error, one line on stderr for errors;
//! 2. counts add up and partial hits are marked in the table, JSON and CSV;
//! 3. filter values are checked: an unknown one is named with the known ones;
//! 5. a leading-dash word, the CSV citation, expansions listed once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs lawdex; (exit code, stdout, stderr).
fn lawdex(args: &[&str], data: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(args)
        .env("LAWDEX_DATA", data)
        .env_remove("LAWDEX_SYNONYMS")
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("truthful-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The README's sample corpus, indexed once.
fn sample() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("sample");
        let (code, out, err) = lawdex(&["index", "corpus-manifest/sample.toml"], &dir);
        assert_eq!(code, 0, "{out}{err}");
        dir
    })
}

fn one_line(err: &str) -> &str {
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    err.trim_end()
}

#[test]
fn readme_example_counted_more_hits_than_matches() {
    let data = sample();
    let (code, out, _) = lawdex(&["search", "图书馆", "免费", "--format", "json"], data);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hits = v["hits"].as_array().unwrap();
    let total = v["total"].as_u64().unwrap() as usize;
    let full: Vec<bool> = hits
        .iter()
        .map(|h| h["all_words"].as_bool().unwrap())
        .collect();
    let with_every_word = full.iter().filter(|b| **b).count();
    // Fewer clauses than the limit have both words: all of them shown, first, then partials.
    assert!(
        total >= 1 && total < hits.len(),
        "{total} of {}",
        hits.len()
    );
    assert_eq!(with_every_word, total);
    assert!(full[..total].iter().all(|b| *b) && full[total..].iter().all(|b| !*b));
    let partial_total = v["partial_total"].as_u64().unwrap() as usize;
    assert!(partial_total >= hits.len() - total);

    let (_, table, _) = lawdex(&["search", "图书馆", "免费"], data);
    assert_eq!(
        table.matches("(partial: not every word)").count(),
        hits.len() - total,
        "{table}"
    );
    let summary = format!(
        "{total} clauses have every word (all shown); {} of {partial_total} clauses with most \
         of the words shown after them, marked partial",
        hits.len() - total
    );
    assert!(table.contains(&summary), "{table}");

    let (_, csv, _) = lawdex(&["search", "图书馆", "免费", "--format", "csv"], data);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (citation, all_words) = (col("citation"), col("all_words"));
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), hits.len());
    for (row, hit) in rows.iter().zip(hits) {
        assert_eq!(&row[citation], hit["citation"].as_str().unwrap());
        assert!(row[citation].starts_with('《'), "{row:?}");
        assert_eq!(&row[all_words], &hit["all_words"].to_string());
    }
}

#[test]
fn limit_zero_showed_one_hit() {
    let (code, out, err) = lawdex(&["search", "图书馆", "--limit", "0"], sample());
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(one_line(&err).contains("must be at least 1"), "{err}");
}

#[test]
fn unknown_filter_values_found_nothing_instead_of_failing() {
    let data = sample();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--level", "planet"],
            &["\"planet\"", "municipal", "national"],
        ),
        (
            &["--kind", "treaty-ish"],
            &["\"treaty-ish\"", "local-regulation"],
        ),
        (&["--status", "alive"], &["\"alive\"", "in-force"]),
        (&["--lang", "中文"], &["\"中文\"", "BCP 47"]),
        (&["--jurisdiction", "C N"], &["\"C N\"", "ISO 3166"]),
        (
            &["--doc", "mingshan"],
            &[
                "\"mingshan\"",
                "no document with this id",
                "mingshan.public-library-regulations",
            ],
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["search", "图书馆"];
        args.extend_from_slice(flags);
        let (code, out, err) = lawdex(&args, data);
        assert_eq!(code, 2, "{flags:?}: {out}{err}");
        let line = one_line(&err);
        for e in *expected {
            assert!(line.contains(e), "{flags:?}: {line} lacks {e}");
        }
    }
    // Known values, and a well-formed code nothing has, are not errors.
    let (code, _, _) = lawdex(&["search", "图书馆", "--level", "Municipal"], data);
    assert_eq!(code, 0);
    let (code, out, _) = lawdex(&["search", "图书馆", "--jurisdiction", "ZZ"], data);
    assert_eq!((code, out.trim()), (1, "no clause matches"));
}

#[test]
fn a_leading_dash_word_printed_a_clap_dump() {
    let (code, out, err) = lawdex(&["search", "-图书馆"], sample());
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let line = one_line(&err);
    assert!(
        line.contains("-- ") && line.contains("NOT 图书馆"),
        "{line}"
    );
    // Any other usage error is one line too.
    let (code, _, err) = lawdex(&["search", "图书馆", "--limt", "3"], sample());
    assert_eq!(code, 2);
    assert!(one_line(&err).contains("--limit"), "{err}");
}

#[test]
fn a_pasted_query_listed_its_expansions_dozens_of_times() {
    let long = "图书馆应当免费开放，免费提供借阅服务；".repeat(20);
    let (code, out, _) = lawdex(&["search", &long, "--format", "json"], sample());
    assert!(code <= 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let words: Vec<&str> = v["expansions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["word"].as_str().unwrap())
        .collect();
    assert!(words.contains(&"免费"), "{words:?}");
    let mut unique = words.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), words.len(), "{words:?}");
}

#[test]
fn reports_said_1_documents() {
    let dir = scratch("one-doc");
    let (code, out, _) = lawdex(
        &[
            "index",
            "corpus-manifest/sample/harbor-city-reading-promotion-measures.json",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("indexed 1 document, 5 clauses into"),
        "{out}"
    );
}
