//! HTML and docx parsing on real pages and on fixtures we wrote.
//!
//! Properties checked:
//! 1. Every article of a real page starts its own block, numbered 1..N without gaps, and N
//!    is the law's article count.
//! 2. The HTML page and its markdown twin give the same article texts (up to whitespace).
//! 3. Nothing from the 1.4 MB navigation sidebar, the footer or the heading anchors leaks
//!    into the blocks; no U+200B survives.
//! 4. GBK / Big5 pages decode from the header, the `<meta>` or detection.
//! 5. Pages without `<article>` (table layout, plain divs) still yield the body only.
//! 6. The docx whose text sits in an altChunk MHT gives every article of the law.
//! 7. Garbage and broken zips give one-line errors naming the file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lawdex::grammar::from_chinese;
use lawdex::model::{BlockKind, Document, Format};
use lawdex::parse::{parse_bytes, parse_file, Input, Limits};

use crate::common;

/// The real HTML pages and their article counts. Each count is the number of the page's
/// last article (e.g. 第七十二条), which property 1 ties to a gap-free sequence; the
/// barrier-free law's 72 also matches the LawRefBook markdown of the same law in the bulk
/// corpus, and the public library law's 55 its markdown twin (checked below).
const REAL_PAGES: &[(&str, usize)] = &[
    ("cn/national/barrier-free-environment-law-2023.html", 72),
    (
        "cn/national/national-reading-promotion-regulations-2025.html",
        45,
    ),
    ("cn/national/public-library-law-2018.html", 55),
    (
        "cn/sichuan/sichuan-public-cultural-service-guarantee-regulations-2021.html",
        67,
    ),
    (
        "cn/sichuan/sichuan-public-library-regulations-2024.html",
        56,
    ),
    (
        "cn/tianjin/tianjin-public-cultural-service-regulations-2018.html",
        58,
    ),
    (
        "cn/tianjin/tianjin-reading-promotion-regulations-2023.html",
        34,
    ),
];

fn parse_path(path: &Path) -> Document {
    match parse_file(path, &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => panic!("{e}"),
    }
}

/// The article number at the start of a block: 第十二条 → 12.
fn article_head(text: &str) -> Option<u32> {
    let rest = text.strip_prefix('第')?;
    let end = rest.find(['条', '條'])?;
    let numeral = rest.get(..end)?;
    if numeral.chars().count() > 8 {
        return None;
    }
    from_chinese(numeral)
}

fn article_numbers(doc: &Document) -> Vec<u32> {
    doc.blocks
        .iter()
        .filter_map(|b| article_head(&b.text))
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Texts of the links in the hugo-book sidebar (`<aside class=book-menu>`): the titles of
/// every other law on the site.
fn sidebar_titles(page: &str) -> Vec<String> {
    let Some(start) = page.find("<aside class=book-menu>") else {
        return Vec::new();
    };
    let end = page[start..]
        .find("</aside>")
        .map_or(page.len(), |e| start + e);
    page[start..end]
        .split("</a>")
        .filter_map(|chunk| chunk.rsplit('>').next())
        .map(|t| t.trim().to_string())
        .filter(|t| t.chars().count() >= 6 && t.contains('('))
        .collect()
}

#[test]
fn real_pages_have_one_block_per_article_and_no_navigation() {
    let Some(real) = common::real_dir() else {
        return;
    };
    for (rel, count) in REAL_PAGES {
        let path = real.join(rel);
        let doc = parse_path(&path);
        assert_eq!(doc.format, Format::Html);
        let numbers = article_numbers(&doc);
        let expected: Vec<u32> = (1..=*count as u32).collect();
        assert_eq!(numbers, expected, "{rel}: article heads at block starts");

        let page = std::fs::read_to_string(&path).unwrap_or_default();
        let titles = sidebar_titles(&page);
        assert!(titles.len() > 1000, "{rel}: sidebar not found by the test");
        let all: String = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        for t in &titles {
            assert!(
                !all.contains(t.as_str()),
                "{rel}: sidebar entry {t:?} leaked"
            );
        }
        for b in &doc.blocks {
            assert!(
                !b.text.contains('\u{200B}'),
                "{rel}: U+200B in {:?}",
                b.text
            );
            assert!(!b.text.is_empty(), "{rel}: empty block");
            assert!(
                !b.text.ends_with('#'),
                "{rel}: heading anchor kept: {:?}",
                b.text
            );
        }
        // Title from the <h1>, without the site name of the <title>.
        assert_eq!(doc.blocks[0].kind, BlockKind::Title, "{rel}");
        let title = doc.title.clone().unwrap_or_default();
        assert!(
            !title.contains("快查手册") && !title.contains('#'),
            "{rel}: {title}"
        );
        assert_eq!(doc.language.as_deref(), Some("zh-Hans"), "{rel}");
        // The footer's previous/next links and the page's own TOC are not text either.
        assert!(
            !all.contains("Backward") && !all.contains("book-icon"),
            "{rel}"
        );
    }
}

/// Articles as (head number, text of all its paragraphs joined), from markdown written the
/// LawRefBook way: `## 第一章 …` headings, one paragraph per line, articles at line start.
fn markdown_articles(md: &str) -> Vec<(u32, String)> {
    let body = md.split("<!-- INFO END -->").nth(1).unwrap_or(md);
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut open = false;
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with('#') {
            open = false;
        } else if let Some(n) = article_head(line) {
            out.push((n, squeeze(line)));
            open = true;
        } else if let (true, Some(last)) = (open, out.last_mut()) {
            last.1.push_str(&squeeze(line));
        }
    }
    out
}

fn block_articles(doc: &Document) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut open = false;
    for b in &doc.blocks {
        match (&b.kind, article_head(&b.text)) {
            (BlockKind::Paragraph, Some(n)) => {
                out.push((n, squeeze(&b.text)));
                open = true;
            }
            (BlockKind::Paragraph, None) if open => {
                if let Some(last) = out.last_mut() {
                    last.1.push_str(&squeeze(&b.text));
                }
            }
            _ => open = false,
        }
    }
    out
}

#[test]
fn public_library_law_html_matches_its_markdown_twin() {
    let Some(real) = common::real_dir() else {
        return;
    };
    let doc = parse_path(&real.join("cn/national/public-library-law-2018.html"));
    let md = std::fs::read_to_string(real.join("cn/national/public-library-law-2018.md"))
        .unwrap_or_default();
    let from_md = markdown_articles(&md);
    let from_html = block_articles(&doc);
    assert_eq!(from_md.len(), 55);
    assert_eq!(from_html.len(), from_md.len());
    for (h, m) in from_html.iter().zip(&from_md) {
        assert_eq!(h, m);
    }
    // Chapter headings too, in order.
    let md_headings: Vec<String> = md
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(squeeze)
        .collect();
    let html_headings: Vec<String> = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .map(|b| squeeze(&b.text))
        .collect();
    assert_eq!(html_headings, md_headings);
    assert_eq!(doc.title.as_deref(), Some("中华人民共和国公共图书馆法"));
}

/// The `<article>` cut (a few KB parsed) and the full DOM (1.6 MB parsed; a selector other
/// than `article` turns the cut off) must give the same document.
#[test]
fn article_cut_gives_the_same_blocks_as_the_full_page() {
    let Some(real) = common::real_dir() else {
        return;
    };
    for (rel, _) in REAL_PAGES.iter().take(3) {
        let bytes = std::fs::read(real.join(rel)).unwrap_or_default();
        let parse_with = |select| {
            parse_bytes(
                Input {
                    source: rel,
                    bytes: &bytes,
                    content_type: None,
                    select,
                },
                &Limits::default(),
            )
            .unwrap_or_else(|e| panic!("{e}"))
        };
        let cut = parse_with(None);
        let full = parse_with(Some("body article"));
        assert_eq!(cut.blocks, full.blocks, "{rel}");
        assert_eq!(cut.title, full.title, "{rel}");
        // `<main>` also holds the 1.4 MB sidebar and the page's TOC: dropping navigation
        // must leave exactly the article.
        let main = parse_with(Some("main"));
        assert_eq!(main.blocks, cut.blocks, "{rel}");
    }
}

#[test]
fn gbk_government_page_with_table_layout() {
    let path = common::fixtures_dir().join("html/gov-gbk-zoom.html");
    let bytes = std::fs::read(&path).unwrap_or_default();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "fixture must stay GBK"
    );
    let doc = parse_path(&path);
    assert_eq!(doc.title.as_deref(), Some("青柳市社区图书室管理办法"));
    assert_eq!(article_numbers(&doc), vec![1, 2, 3, 4, 5, 6]);
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert!(texts.contains(
        &"第一条 为了规范社区图书室的设立和管理，方便居民就近阅读，结合本市实际，制定本办法。"
    ));
    // <br> items are their own paragraphs; table rows are one paragraph each.
    assert!(texts.contains(&"（二）不少于两千册的图书；"));
    assert!(texts.contains(&"五千人以下 2000 20"));
    let all = texts.concat();
    for leak in [
        "政务公开",
        "河道保洁",
        "当前位置",
        "打印本页",
        "相关文章",
        "志愿者",
        "备案号",
        "脚本里的字",
        "欢迎您",
    ] {
        assert!(!all.contains(leak), "{leak} leaked: {texts:?}");
    }
}

#[test]
fn english_legislature_page_without_article_element() {
    let doc = parse_path(&common::fixtures_dir().join("html/legislature-en.html"));
    assert_eq!(doc.title.as_deref(), Some("Community Library Access Act"));
    assert_eq!(doc.language.as_deref(), Some("en"));
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    let sections: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| t.starts_with("Section "))
        .collect();
    assert_eq!(sections.len(), 5, "{texts:?}");
    assert!(texts.contains(
        &"Section 1. Short title. This Act may be cited as the Community Library Access Act."
    ));
    assert!(doc
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Heading { level: 2 } && b.text == "Part 2 Access"));
    let all = texts.concat();
    for leak in [
        "Skip to main",
        "Committees",
        "Harbor Dredging",
        "Other bills",
        "Capitol Way",
        "Privacy",
        "Draft comment",
    ] {
        assert!(!all.contains(leak), "{leak} leaked: {texts:?}");
    }
}

#[test]
fn charset_from_http_header_when_the_page_declares_none() {
    let page = "<html><body><div><p>第一條 為促進圖書館之健全發展，提供完善之圖書資訊服務，特制定本法。</p>\
                <p>第二條 本法所稱圖書館，指蒐集、整理、保存圖書資訊，以服務公眾之機構。</p></div></body></html>";
    let (big5, _, _) = encoding_rs::BIG5.encode(page);
    let doc = parse_bytes(
        Input {
            source: "https://example.org/law.html",
            bytes: &big5,
            content_type: Some("text/html; charset=big5"),
            select: None,
        },
        &Limits::default(),
    );
    let doc = doc.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc.blocks.first().map(|b| b.text.as_str()),
        Some("第一條 為促進圖書館之健全發展，提供完善之圖書資訊服務，特制定本法。")
    );
    assert_eq!(doc.language.as_deref(), Some("zh-Hant"));
}

#[test]
fn binary_garbage_named_html_is_a_one_line_error() {
    let mut garbage = Vec::new();
    let mut x: u32 = 0x1234_5678;
    for _ in 0..4096 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        garbage.push((x >> 16) as u8);
    }
    let err = parse_bytes(
        Input {
            source: "downloads/law.html",
            bytes: &garbage,
            content_type: Some("text/html"),
            select: None,
        },
        &Limits::default(),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(err.starts_with("downloads/law.html: "), "{err}");
    assert!(!err.contains('\n'), "{err}");
}

// ---------------------------------------------------------------------------------------
// docx

#[test]
fn docx_with_altchunk_mht_gives_every_article() {
    let Some(real) = common::real_dir() else {
        return;
    };
    let doc = parse_path(&real.join("cn/national/minors-protection-law-2020.docx"));
    assert_eq!(doc.format, Format::Docx);
    // The 2020 revision of the Minors Protection Law has 132 articles: its last is
    // 第一百三十二条 (本法自2021年6月1日起施行), in the PDF twin as in this file, and the
    // numbering below must run 1..132 without gaps or repeats. (pdftotext finds only 126 heads
    // at line starts in the PDF because of its line breaks, so the PDF is no count to copy.)
    let expected: Vec<u32> = (1..=132).collect();
    assert_eq!(article_numbers(&doc), expected);
    assert_eq!(doc.title.as_deref(), Some("中华人民共和国未成年人保护法"));
    // The table of contents before the text is metadata, so each chapter heading appears
    // once as a heading.
    let chapters = doc
        .blocks
        .iter()
        .filter(|b| b.kind != BlockKind::Meta && b.text.starts_with("第一章"))
        .count();
    assert_eq!(chapters, 1);
    assert!(doc
        .blocks
        .iter()
        .any(|b| matches!(b.kind, BlockKind::Heading { .. }) && squeeze(&b.text) == "第九章附则"));
}

#[test]
fn truncated_docx_is_a_one_line_error_naming_the_file() {
    let Some(real) = common::real_dir() else {
        return;
    };
    let bytes =
        std::fs::read(real.join("cn/national/minors-protection-law-2020.docx")).unwrap_or_default();
    for cut in [bytes.len() / 2, 200, 30] {
        let err = parse_bytes(
            Input {
                source: "cut.docx",
                bytes: &bytes[..cut],
                content_type: None,
                select: None,
            },
            &Limits::default(),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.starts_with("cut.docx: "), "cut at {cut}: {err}");
        assert!(!err.contains('\n'), "{err}");
    }
}

// ---------------------------------------------------------------------------------------
// Timing (run on demand; figures go to benches/RESULTS-web.md)

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// `cargo test --test it html::timing -- --ignored --nocapture` (add `--release` for the
/// optimised figures).
#[test]
#[ignore]
fn timing_real_pages() {
    let Some(real) = common::real_dir() else {
        return;
    };
    let mut files: Vec<PathBuf> = REAL_PAGES.iter().map(|(p, _)| real.join(p)).collect();
    files.push(real.join("cn/national/minors-protection-law-2020.docx"));
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let name = path.file_name().map(|n| n.to_string_lossy().to_string());
        let runs = 20;
        let time = |select: Option<&str>, runs: usize| {
            let mut times = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let doc = parse_bytes(
                    Input {
                        source: "t",
                        bytes: &bytes,
                        content_type: None,
                        select,
                    },
                    &Limits::default(),
                );
                times.push(t.elapsed());
                assert!(doc.is_ok());
            }
            median(times)
        };
        let ours = time(None, runs);
        // The same page with the cut turned off (a selector other than `article`), and
        // scraper's DOM alone, for comparison.
        let is_html = bytes.starts_with(b"<");
        let uncut = if is_html {
            time(Some("body article"), 5)
        } else {
            Duration::ZERO
        };
        let mut dom = Vec::new();
        if is_html {
            let text = String::from_utf8_lossy(&bytes);
            for _ in 0..5 {
                let t = Instant::now();
                drop(scraper::Html::parse_document(&text));
                dom.push(t.elapsed());
            }
        }
        println!(
            "{:<66} {:>8} B  parse {:>9.2?}  without cut {:>9.2?}  scraper DOM alone {:>9.2?}",
            name.unwrap_or_default(),
            bytes.len(),
            ours,
            uncut,
            median(dom)
        );
    }
}
