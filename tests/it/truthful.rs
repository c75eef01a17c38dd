//! Issue 9: every answer, count and exit code tells the truth. Each test is named after what a
//! new user met. Properties checked:
//! 1. exit codes: 0 found / 1 nothing or partial / 2 error, one line on stderr for errors;
//! 2. counts add up and partial hits are marked in the table, JSON and CSV;
//! 3. filter values are checked: an unknown one is named with the known ones;
//! 5. a leading-dash word, the CSV citation, expansions listed once.

use crate::common::lawdex_run as lawdex;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
    // Tiers, in this order: every word as typed; every word through translations (the
    // sample's English act: library, free of charge); most of the words.
    let tier = |h: &serde_json::Value| match (h["all_words"].as_bool(), h["translated"].as_bool()) {
        (Some(true), Some(false)) => 0,
        (Some(true), Some(true)) => 1,
        (Some(false), _) => 2,
        other => panic!("{other:?}"),
    };
    let tiers: Vec<u8> = hits.iter().map(tier).collect();
    let count = |t: u8| tiers.iter().filter(|x| **x == t).count();
    let (with_every_word, translated, partial) = (count(0), count(1), count(2));
    // Fewer clauses than the limit have both words: all of them shown, first, then the others.
    assert!(
        total >= 1 && total < hits.len(),
        "{total} of {}",
        hits.len()
    );
    assert_eq!(with_every_word, total);
    assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "{tiers:?}");
    assert!(translated >= 1, "{tiers:?}");
    let translated_total = v["translated_total"].as_u64().unwrap() as usize;
    assert!(translated_total >= translated);
    let partial_total = v["partial_total"].as_u64().unwrap() as usize;
    assert!(partial_total >= partial && partial >= 1);

    let (_, table, _) = lawdex(&["search", "图书馆", "免费"], data);
    assert_eq!(
        table.matches("(partial: not every word)").count(),
        partial,
        "{table}"
    );
    assert_eq!(
        table.matches("(translated: ").count(),
        translated,
        "{table}"
    );
    let translated_part = match translated {
        0 => String::new(),
        n => format!(
            "; {n} of {translated_total} clause{} with every word through translations shown \
             after them, marked translated",
            if translated_total == 1 { "" } else { "s" }
        ),
    };
    let summary = format!(
        "{total} clauses have every word (all shown){translated_part}; {partial} of \
         {partial_total} clauses with part of the words shown after them, marked partial"
    );
    assert!(table.contains(&summary), "{table}");

    let (_, csv, _) = lawdex(&["search", "图书馆", "免费", "--format", "csv"], data);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (citation, all_words) = (col("citation"), col("all_words"));
    let translated_col = col("translated");
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), hits.len());
    for (row, hit) in rows.iter().zip(hits) {
        assert_eq!(&row[citation], hit["citation"].as_str().unwrap());
        // Chinese titles in 《》, English ones as they are.
        let chinese = hit["language"].as_str().unwrap().starts_with("zh");
        assert_eq!(row[citation].starts_with('《'), chinese, "{row:?}");
        assert_eq!(&row[all_words], &hit["all_words"].to_string());
        assert_eq!(&row[translated_col], &hit["translated"].to_string());
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
fn a_huge_limit_aborted_the_search() {
    let (code, out, err) = lawdex(
        &["search", "图书馆", "--limit", "18446744073709551615"],
        sample(),
    );
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(one_line(&err).contains("must be at most 1000000"), "{err}");
    // The library clamps what it is asked: the most a search returns is bounded.
    let (code, _, err) = lawdex(&["search", "图书馆", "--limit", "1000000"], sample());
    assert_eq!(code, 0, "{err}");
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
    let (code, out, _) = lawdex(
        &[
            "search",
            "图书馆",
            "--doc",
            "mingshan.public-library-regulations",
            "--format",
            "json",
        ],
        data,
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["doc_id"] == "mingshan.public-library-regulations"));
    let (code, out, _) = lawdex(&["search", "图书馆", "--jurisdiction", "ZZ"], data);
    assert_eq!(
        (code, out.lines().next()),
        (1, Some("no clause matches")),
        "{out}"
    );
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
    // Every other count a user reads, for one: verify, an unknown --doc, a draft's scope.
    let (code, out, err) = lawdex(&["verify"], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ok: 1 document, 5 clauses,"), "{out}");
    let (code, _, err) = lawdex(&["search", "阅读", "--doc", "nosuch"], &dir);
    assert_eq!(code, 2);
    assert!(
        one_line(&err).contains("indexed: harbor-city-reading-promotion-measures"),
        "{err}"
    );
    let draft = dir.join("one-article.md");
    std::fs::write(&draft, "第一条 公共图书馆应当免费开放。\n").unwrap();
    let (_, out, err) = lawdex(&["gaps", "--draft", draft.to_str().unwrap()], &dir);
    assert!(!format!("{out}{err}").contains("1 clauses"), "{out}{err}");
    assert!(out.contains("its only clause names the subject"), "{out}");
}

#[test]
fn gaps_on_a_missing_draft_reported_gaps_and_exit_1() {
    let (code, out, err) = lawdex(&["gaps", "--draft", "no-such-draft.md"], sample());
    assert_eq!(code, 2, "{out}");
    assert!(
        out.is_empty(),
        "no report for a draft that is not there: {out}"
    );
    assert!(one_line(&err).contains("no-such-draft.md"), "{err}");
    // A draft that is plainly not a law text is no report either.
    let dir = scratch("draft-binary");
    let blob = dir.join("draft.png");
    std::fs::write(&blob, [0x89, b'P', b'N', b'G', 0, 1, 2, 3]).unwrap();
    let (code, _, err) = lawdex(&["gaps", "--draft", blob.to_str().unwrap()], sample());
    assert_eq!(code, 2);
    assert!(one_line(&err).contains("not a law text"), "{err}");
    // Nor is a text with no article in it: 19 unknown cells would check nothing.
    let note = dir.join("note.txt");
    std::fs::write(
        &note,
        "今天去图书馆借了三本书，天气很好，读者很多。\n明天还要去。\n",
    )
    .unwrap();
    let (code, out, err) = lawdex(&["gaps", "--draft", note.to_str().unwrap()], sample());
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(one_line(&err).contains("no articles found"), "{err}");
}

#[test]
fn gaps_for_a_jurisdiction_nothing_has_said_all_covered() {
    let (code, out, _) = lawdex(&["gaps", "--jurisdiction", "ZZ"], sample());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("no document matches --jurisdiction ZZ"),
        "{out}"
    );
    assert!(
        out.contains("CN-XX"),
        "names the jurisdictions there are: {out}"
    );
    // Tools still get a well-formed (empty) report, and the reason on stderr.
    let (code, out, err) = lawdex(
        &["gaps", "--jurisdiction", "ZZ", "--format", "json"],
        sample(),
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(0));
    assert!(one_line(&err).contains("no document matches"), "{err}");
    // A jurisdiction that exists is still a report with gaps (the sample has them).
    let (code, out, _) = lawdex(&["gaps", "--jurisdiction", "CN"], sample());
    assert_eq!(code, 1);
    assert!(out.contains("mingshan.public-library-regulations"), "{out}");
}

#[test]
fn a_binary_was_skipped_in_a_directory_but_failed_when_named() {
    let dir = scratch("not-laws");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("blob.bin"),
        [0u8, 159, 146, 150, 0, 255, 1, 2, 3, 0],
    )
    .unwrap();
    std::fs::write(
        corpus.join("fetch.py"),
        "第一条 import requests\nprint('第二条')\n",
    )
    .unwrap();
    std::fs::copy(
        root().join("corpus-manifest/sample/harbor-city-reading-promotion-measures.json"),
        corpus.join("harbor.json"),
    )
    .unwrap();
    let data = dir.join("data");
    // Walked: both skipped with a reason, the law indexed, exit 0.
    let (code, out, _) = lawdex(&["index", corpus.to_str().unwrap()], &data);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("indexed 1 document, 5 clauses"), "{out}");
    assert!(out.contains("skipped 2 files:"), "{out}");
    assert!(
        out.contains("fetch.py: not a law text (source code"),
        "{out}"
    );
    // Named: the same rule, the same reasons, still exit 0 beside a law.
    let named: Vec<String> = ["blob.bin", "fetch.py", "harbor.json"]
        .iter()
        .map(|f| corpus.join(f).display().to_string())
        .collect();
    let mut args = vec!["index"];
    args.extend(named.iter().map(String::as_str));
    let (code, out, _) = lawdex(&args, &data);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("skipped 2 files:"), "{out}");
    // Only non-laws: no law among the inputs is "nothing found", exit 1, not success,
    // even though the index still holds the law of the earlier runs.
    let (code, out, _) = lawdex(&["index", &named[0], &named[1]], &data);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("indexed 0 documents"), "{out}");
    // The Python script never became a searchable document.
    let (code, out, _) = lawdex(&["search", "requests"], &data);
    assert_eq!((code, out.trim()), (1, "no clause matches"));
}

#[test]
fn index_json_printed_nothing_on_a_fatal_error() {
    let dir = scratch("json-error");
    let manifest = dir.join("bad.toml");
    std::fs::write(
        &manifest,
        "[[source]]\nid = \"x\"\npath = \"a.md\"\nnera = 1\n",
    )
    .unwrap();
    let (code, out, err) = lawdex(
        &["index", manifest.to_str().unwrap(), "--format", "json"],
        &dir.join("data"),
    );
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"], "manifest");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `nera`"),
        "{v}"
    );
    assert!(one_line(&err).contains("bad.toml"), "{err}");
}

/// The marked words of each hit's snippet, lowercased.
fn marked(json: &str) -> Vec<Vec<String>> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let snippet: Vec<char> = h["snippet"].as_str().unwrap().chars().collect();
            h["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let (a, b) = (
                        r[0].as_u64().unwrap() as usize,
                        r[1].as_u64().unwrap() as usize,
                    );
                    snippet[a..b].iter().collect::<String>().to_lowercase()
                })
                .collect()
        })
        .collect()
}

#[test]
fn english_stop_words_were_required_and_highlighted() {
    let (code, out, _) = lawdex(
        &[
            "search", "services", "of", "the", "library", "--format", "json",
        ],
        sample(),
    );
    assert_eq!(code, 0);
    let marks = marked(&out);
    assert!(!marks.is_empty());
    for m in marks.iter().flatten() {
        for stop in ["of", "the"] {
            assert!(
                !m.split(' ').any(|w| w == stop) || m.contains("library services"),
                "{m}"
            );
        }
    }
    // Dropping them changes nothing: the same clauses as without them.
    let (_, without, _) = lawdex(
        &["search", "services", "library", "--format", "json"],
        sample(),
    );
    let ids = |s: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["clause_id"].to_string())
            .collect()
    };
    assert_eq!(ids(&out), ids(&without));
    // A query of stop words only still searches for them.
    let (code, _, _) = lawdex(&["search", "the"], sample());
    assert_eq!(code, 0);
}

#[test]
fn english_typos_and_trailing_star_found_nothing() {
    for q in ["libary", "lib*", "librar*"] {
        let (code, out, _) = lawdex(&["search", q, "--format", "json"], sample());
        assert_eq!(code, 0, "{q}: {out}");
        let marks = marked(&out);
        assert!(
            marks
                .iter()
                .all(|m| m.iter().any(|w| w.starts_with("librar"))),
            "{q}: {marks:?}"
        );
    }
    // The reader is told what was searched instead, in the record and under the hits.
    let (_, out, _) = lawdex(&["search", "libary", "--format", "json"], sample());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["corrections"],
        serde_json::json!([{ "typed": "libary", "read_as": "library" }])
    );
    let (_, table, _) = lawdex(&["search", "libary", "free"], sample());
    assert!(
        table.contains("\"libary\" read as \"library\": no clause has it as typed"),
        "{table}"
    );
    let (_, out, _) = lawdex(&["search", "library", "--format", "json"], sample());
    assert!(!out.contains("\"corrections\""), "{out}");
    let (code, out, _) = lawdex(
        &["search", "disabilites", "--exact", "--format", "json"],
        sample(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        marked(&out)[0].iter().any(|w| w.starts_with("disabilit")),
        "{out}"
    );
    // Short words are not guessed at (one edit turns "fee" into "free", "see", "feed").
    let (code, _, _) = lawdex(&["search", "librery", "--exact"], sample());
    assert_eq!(code, 0, "one substituted letter is corrected");
    let (code, _, _) = lawdex(&["search", "libry", "--exact"], sample());
    assert_eq!(code, 1, "two edits away is not a typo of library");
    let (code, out, _) = lawdex(&["search", "lbry"], sample());
    assert_eq!((code, out.trim()), (1, "no clause matches"));
    // A word the index has is never corrected into another.
    let (code, out, _) = lawdex(
        &["search", "liquor", "--exact", "--format", "json"],
        sample(),
    );
    if code == 0 {
        assert!(
            marked(&out).iter().flatten().all(|w| w == "liquor"),
            "{out}"
        );
    }
}

/// A clause may have a word of the query only in the heading of its chapter (the sample's
/// 明山 art2, under 第一章 总则): it counts as having every word, and every output shows the
/// heading so the reader sees why.
#[test]
fn a_hit_through_its_heading_shows_the_heading() {
    let data = sample();
    const ART2: &str = "mingshan.public-library-regulations/art2";
    let (code, out, _) = lawdex(&["search", "图书馆", "总则", "--format", "json"], data);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hits = v["hits"].as_array().unwrap();
    let hit = hits.iter().find(|h| h["clause_id"] == ART2).expect(&out);
    assert_eq!(hit["all_words"], true, "{hit}");
    assert_eq!(hit["headings"], serde_json::json!(["第一章 总则"]));
    // Only the articles under that chapter have both words.
    let every: Vec<&serde_json::Value> = hits.iter().filter(|h| h["all_words"] == true).collect();
    assert_eq!(every.len() as u64, v["total"].as_u64().unwrap());
    for h in every {
        let under = h["headings"][0].as_str().unwrap();
        assert!(under.contains("总则") || under.contains("總則"), "{h}");
    }

    let (_, table, _) = lawdex(&["search", "图书馆", "总则"], data);
    // The word found there is marked, as in a snippet.
    assert!(
        table.contains(&format!("{ART2}  (第一章 [总则])")),
        "{table}"
    );
    let (_, csv, _) = lawdex(&["search", "图书馆", "总则", "--format", "csv"], data);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (id, headings) = (col("clause_id"), col("headings"));
    let row = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[id] == ART2)
        .expect(&csv);
    assert_eq!(&row[headings], "第一章 总则");

    // Words as typed are the clause's own: no clause says 总则.
    let (_, out, _) = lawdex(
        &["search", "图书馆", "总则", "--exact", "--format", "json"],
        data,
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], 0, "{out}");
    assert!(!v["hits"].as_array().unwrap().is_empty());
}
