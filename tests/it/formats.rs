//! Bad input: one-line errors naming the file, no panics, bounded memory, and a batch that
//! keeps going past a bad file.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use lawdex::parse::{parse_file, Limits, ParseErrorKind};

fn lawdex() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lawdex"))
}

/// Runs lawdex with its address space capped at 1 GiB, so a parser that tries to hold a
/// bomb in memory fails the test instead of the machine.
fn lawdex_bounded(args: &[&Path]) -> std::process::Output {
    let mut script = String::from("ulimit -v 1048576; exec \"$0\" parse --summary");
    for i in 0..args.len() {
        script.push_str(&format!(" \"${}\"", i + 1));
    }
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_lawdex"))
        .args(args)
        .output()
        .expect("run lawdex")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

#[test]
fn fifty_megabyte_text_file_is_refused_with_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.txt");
    let mut f = std::fs::File::create(&path).expect("create");
    let line = "第一条 为了测试超大文件，制定本条。\n".repeat(1000);
    while f.metadata().map(|m| m.len()).unwrap_or(0) < 50 * 1024 * 1024 {
        f.write_all(line.as_bytes()).expect("write");
    }
    drop(f);
    let err = parse_file(&path, &Limits::default()).expect_err("too large");
    assert!(matches!(err.kind, ParseErrorKind::TooLarge { .. }));
    let msg = err.to_string();
    assert!(msg.contains("huge.txt") && !msg.contains('\n'), "{msg}");
}

#[test]
fn binary_garbage_named_html_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let path = write(dir.path(), "law.html", &garbage);
    let err = parse_file(&path, &Limits::default()).expect_err("garbage");
    let msg = err.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "{msg}");
    assert!(!msg.contains('\n'));
}

#[test]
fn empty_file_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "empty.md", b"");
    let err = parse_file(&path, &Limits::default()).expect_err("empty");
    assert!(matches!(err.kind, ParseErrorKind::Empty), "{err}");
}

#[test]
/// `lawdex parse` reads as `index` does: a malformed law fails, bytes that are no format
/// lawdex reads are skipped with their reason (the rule of issue 9), and the rest is printed.
fn batch_with_bad_files_parses_the_rest_and_exits_1_listing_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(
        dir.path(),
        "good.md",
        "# 测试条例\n\n第一条 为了测试。\n\n第二条 本条例自公布之日起施行。\n".as_bytes(),
    );
    let bad = write(
        dir.path(),
        "bad.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    );
    let garbage = write(
        dir.path(),
        "garbage.html",
        &[0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0],
    );
    let out = lawdex_bounded(&[&good, &bad, &garbage]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stdout.contains("good.md") && stdout.contains("    2  "),
        "{stdout}"
    );
    let error_lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("lawdex: error:"))
        .collect();
    assert_eq!(error_lines.len(), 1, "{stderr}");
    assert!(error_lines[0].contains("bad.pdf"), "{stderr}");
    assert!(
        stderr.lines().any(|l| l.starts_with("lawdex: skipped ")
            && l.contains("garbage.html")
            && l.contains("not a document lawdex can read")),
        "{stderr}"
    );
    let last = stderr.lines().last().unwrap_or("");
    assert!(
        last.contains("1 of 2 inputs failed") && last.contains("bad.pdf"),
        "{last}"
    );
}

#[test]
fn parse_jsonl_contract_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = write(
        dir.path(),
        "sample-regs.md",
        "# 示例条例\n\n## 第一章 总则\n\n第一条 为了测试。\n\n第二条 图书馆应当免费开放。\n\n前款所称图书馆包括：\n\n（一）公共图书馆；\n".as_bytes(),
    );
    let out = lawdex()
        .args(["parse", "--format", "jsonl"])
        .arg(&md)
        .output()
        .expect("run");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let art2 = &lines[1];
    assert_eq!(art2["source"], md.display().to_string());
    assert_eq!(art2["doc_id"], "sample-regs");
    assert_eq!(art2["clause_id"], "sample-regs/art2");
    assert_eq!(art2["label"], "第二条");
    assert_eq!(art2["number"]["base"], 2);
    assert_eq!(art2["headings"][0], "第一章 总则");
    assert_eq!(art2["paragraphs"].as_array().map(|a| a.len()), Some(2));
    assert_eq!(
        art2["text"],
        "图书馆应当免费开放。\n前款所称图书馆包括：\n（一）公共图书馆；"
    );
}

/// A 696-byte docx nesting 12,500 elements aborted the whole process from inside the XML
/// parser, so indexing a folder with two good laws and this file indexed nothing.
/// Two good laws beside the bad file of a batch test: 2 documents, 3 clauses.
fn two_small_laws(corpus: &Path) {
    write(
        corpus,
        "a.md",
        "# 甲条例\n\n第一条 为了保障读者权利，制定本条例。\n\n第二条 图书馆应当免费开放。\n"
            .as_bytes(),
    );
    write(
        corpus,
        "b.md",
        "# 乙条例\n\n第一条 本条例适用于本市。\n".as_bytes(),
    );
}

#[test]
fn deeply_nested_docx_fails_alone_and_the_batch_is_indexed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let mut xml = String::from("<?xml version=\"1.0\"?><w:document xmlns:w=\"x\"><w:body>");
    xml.push_str(&"<w:p>".repeat(12_500));
    xml.push_str(&"</w:p>".repeat(12_500));
    xml.push_str("</w:body></w:document>");
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("word/document.xml", opts).expect("zip entry");
        w.write_all(xml.as_bytes()).expect("zip write");
        w.finish().expect("zip finish");
    }
    let bomb = buf.into_inner();
    assert!(
        bomb.len() < 1024,
        "the hostile file is tiny: {}",
        bomb.len()
    );
    write(&corpus, "nested.docx", &bomb);
    two_small_laws(&corpus);
    let data = dir.path().join("data");
    let out = lawdex()
        .arg("index")
        .arg("--data-dir")
        .arg(&data)
        .arg(&corpus)
        .output()
        .expect("run lawdex");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("indexed 2 documents, 3 clauses"),
        "{stdout}"
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("nested.docx"))
        .expect("the docx is reported");
    assert!(line.contains("nested more than"), "{line}");
}

/// One real law per format and reader (PDF, docx, HTML, USLM and e-Gov XML, JSON, markdown).
fn one_real_law_per_format() -> Option<Vec<std::path::PathBuf>> {
    let shared = crate::common::shared_dir()?;
    let real = shared.join("corpus/real");
    Some(
        [
            "cn/national/women-rights-protection-law-2022.pdf",
            "cn/national/minors-protection-law-2020.docx",
            "cn/national/public-library-law-2018.html",
            "us/anadromous-fish-conservation-act.comps.uslm.xml",
            "jp/civil-aeronautics-act-egov.xml",
            "tw/library-act-2015.zh.json",
            "cn/national/public-library-law-2017.md",
        ]
        .iter()
        .map(|p| real.join(p))
        .collect(),
    )
}

/// The budget is checked inside every parser's own loops: a spent budget stops each of them
/// with the one-line error, after a bounded number of steps, where a budget to spare parses.
#[test]
fn every_parser_stops_at_a_spent_budget_with_one_line() {
    let Some(files) = one_real_law_per_format() else {
        return;
    };
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let doc = parse_file(&file, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.blocks.len() > 5, "{name}: {} blocks", doc.blocks.len());

        let zero = Limits {
            parse_time: std::time::Duration::ZERO,
            ..Limits::default()
        };
        let err = parse_file(&file, &zero).expect_err(&name);
        let line = err.to_string();
        assert!(
            matches!(err.kind, ParseErrorKind::OverBudget(_)),
            "{name}: {line}"
        );
        assert!(
            line.contains(&name)
                && line.ends_with(
                    "took longer than the 0 s parse budget (raise it with --parse-seconds)"
                )
                && !line.contains('\n'),
            "{line}"
        );

        // A cap of 40 steps is spent inside the parser itself, not only at its end.
        let capped = Limits {
            parse_steps: 40,
            ..Limits::default()
        };
        let err = parse_file(&file, &capped).expect_err(&name);
        assert!(
            err.to_string()
                .ends_with("took more than the 40 steps of its parse budget (--parse-steps)"),
            "{err}"
        );
    }
}

/// `lawdex index`: a real law over its budget is one error line and the batch is indexed;
/// with `--parse-seconds 0` the next run parses only the changed file, which fails alone
/// while the laws already indexed stay.
#[test]
fn a_document_over_its_parse_budget_fails_alone_and_the_batch_is_indexed() {
    let Some(shared) = crate::common::shared_dir() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let pdf =
        std::fs::read(shared.join("corpus/real/cn/national/women-rights-protection-law-2022.pdf"))
            .expect("read the real PDF");
    write(&corpus, "women-rights.pdf", &pdf);
    two_small_laws(&corpus);
    let data = dir.path().join("data");
    let index = |budget: &[&str]| {
        let out = lawdex()
            .arg("index")
            .arg("--data-dir")
            .arg(&data)
            .args(budget)
            .arg(&corpus)
            .output()
            .expect("run lawdex");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        (out.status.code(), stdout)
    };
    // Exit 1 and exactly one line for the PDF, ending with `why`.
    let fails_alone = |budget: &[&str], why: &str| -> String {
        let (code, stdout) = index(budget);
        assert_eq!(code, Some(1), "{stdout}");
        let lines: Vec<&str> = stdout
            .lines()
            .filter(|l| l.contains("women-rights.pdf"))
            .collect();
        assert_eq!(lines.len(), 1, "{stdout}");
        assert!(lines[0].ends_with(why), "{stdout}");
        stdout
    };
    let stdout = fails_alone(
        &["--parse-steps", "300"],
        "took more than the 300 steps of its parse budget (--parse-steps)",
    );
    assert!(
        stdout.contains("indexed 2 documents, 3 clauses"),
        "{stdout}"
    );
    fails_alone(
        &["--parse-seconds", "0"],
        "took longer than the 0 s parse budget (raise it with --parse-seconds)",
    );
    let out = lawdex()
        .args(["search", "--data-dir"])
        .arg(&data)
        .arg("免费开放")
        .output()
        .expect("run lawdex search");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("甲条例"));

    // With the default budget, the same law is indexed.
    let (code, stdout) = index(&[]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("indexed 1 document"), "{stdout}");
}

fn jsonl_clauses(path: &Path) -> Vec<serde_json::Value> {
    let out = lawdex()
        .args(["parse", "--format", "jsonl"])
        .arg(path)
        .output()
        .expect("run lawdex");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// A Word 97–2003 .doc (made once by LibreOffice from a law we wrote) and the same law as
/// markdown give the same clauses: ids, labels, chapters, paragraphs, text and title.
#[test]
fn doc_and_markdown_twins_give_the_same_clauses() {
    let dir = crate::common::fixtures_dir().join("doc");
    let doc = jsonl_clauses(&dir.join("community-reading-rooms.doc"));
    let md = jsonl_clauses(&dir.join("community-reading-rooms.md"));
    assert_eq!(doc.len(), 8);
    assert_eq!(md.len(), 8);
    for (d, m) in doc.iter().zip(&md) {
        for key in [
            "clause_id",
            "label",
            "headings",
            "paragraphs",
            "text",
            "title",
        ] {
            assert_eq!(d[key], m[key], "{key} of {}", m["clause_id"]);
        }
    }
    assert_eq!(doc[2]["clause_id"], "community-reading-rooms/art3");
    assert_eq!(doc[2]["paragraphs"].as_array().map(|p| p.len()), Some(2));
    assert_eq!(doc[4]["headings"][0], "第二章 管理与服务");
    assert_eq!(doc[0]["title"], "示例市社区书屋管理办法");
}

/// `lawdex index` of a folder holding .doc files indexes each with its articles, records
/// the format as `doc`, and finds the text in a search.
#[test]
fn index_of_a_folder_with_doc_files_indexes_their_articles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let fixtures = crate::common::fixtures_dir().join("doc");
    for name in ["community-reading-rooms.doc", "reading-room-rules.doc"] {
        std::fs::copy(fixtures.join(name), corpus.join(name)).expect("copy fixture");
    }
    let data = dir.path().join("data");
    let out = lawdex()
        .args(["index", "--format", "json", "--data-dir"])
        .arg(&data)
        .arg(&corpus)
        .output()
        .expect("run lawdex");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["documents"], 2);
    assert_eq!(report["clauses"], 12);
    let indexed = report["indexed"].as_array().expect("indexed");
    let zh = indexed
        .iter()
        .find(|d| d["id"] == "community-reading-rooms")
        .expect("the Chinese .doc is indexed");
    assert_eq!(zh["format"], "doc");
    assert_eq!(zh["clauses"], 8);
    assert_eq!(zh["title"], "示例市社区书屋管理办法");
    let out = lawdex()
        .args(["search", "--data-dir"])
        .arg(&data)
        .arg("捐赠图书")
        .output()
        .expect("run lawdex");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("community-reading-rooms/art7"), "{stdout}");
}
