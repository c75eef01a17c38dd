//! Structured formats on real data: Taiwan MOJ JSON, USLM bills and compilations, Japanese
//! e-Gov law XML. Expected counts come from the raw files, read here independently of the
//! parser (serde_json / roxmltree over the bytes), except where the brief states them.
//!
//! Properties checked:
//! 1. Every article of the source is one `Article` block, deleted/repealed ones included.
//! 2. Labels are as the source writes them; captions are the source's headings.
//! 3. Article text splits into the source's paragraphs (one block per line / level).
//! 4. Supplementary provisions (附則) are announced by a heading before their articles.
//! 5. Titles and languages come from the format's own metadata.
//! 6. A truncated real file is a one-line error naming the file, not a panic.

use std::path::{Path, PathBuf};

use lawdex::model::{Block, BlockKind, Document};
use lawdex::parse::{parse_bytes, parse_file, Input, Limits};

use crate::common::real_dir;

fn real(rel: &str) -> Option<PathBuf> {
    Some(real_dir()?.join(rel))
}

fn parse(path: &Path) -> Document {
    parse_file(path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn labels(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Article { label } => Some(label.as_str()),
            _ => None,
        })
        .collect()
}

/// The article block with this label and the paragraph blocks that follow it.
fn article<'d>(doc: &'d Document, label: &str) -> Option<(&'d Block, Vec<&'d str>)> {
    let start = doc
        .blocks
        .iter()
        .position(|b| matches!(&b.kind, BlockKind::Article { label: l } if l == label))?;
    let paragraphs = doc.blocks[start + 1..]
        .iter()
        .take_while(|b| b.kind == BlockKind::Paragraph)
        .map(|b| b.text.as_str())
        .collect();
    Some((&doc.blocks[start], paragraphs))
}

// ---------------------------------------------------------------- Taiwan MOJ JSON

const TW: [(&str, usize, &str, &str); 4] = [
    ("tw/library-act-2015.zh.json", 20, "圖書館法", "zh-Hant"),
    ("tw/library-act-2015.en.json", 20, "Library Act", "en"),
    (
        "tw/library-establishment-and-operation-standards-2021.json",
        14,
        "圖書館設立及營運標準",
        "zh-Hant",
    ),
    (
        "tw/special-edition-materials-for-print-disabled-readers-2015.json",
        14,
        "特殊讀者使用圖書資訊特殊版本徵集轉製提供及技術規範辦法",
        "zh-Hant",
    ),
];

#[test]
fn taiwan_json_article_counts_titles_languages() {
    for (rel, count, title, lang) in TW {
        let Some(path) = real(rel) else { return };
        let doc = parse(&path);
        assert_eq!(labels(&doc).len(), count, "{rel}");
        assert_eq!(doc.title.as_deref(), Some(title), "{rel}");
        assert_eq!(doc.language.as_deref(), Some(lang), "{rel}");
        assert!(
            doc.blocks.iter().any(|b| b.kind == BlockKind::Meta),
            "{rel}: history"
        );
    }
}

#[test]
fn taiwan_json_paragraphs_follow_the_source_lines() {
    for (rel, ..) in TW {
        let Some(path) = real(rel) else { return };
        let doc = parse(&path);
        let raw: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let entries = raw["法規內容"].as_array().unwrap();
        let mut checked = 0;
        for e in entries {
            let (Some(label), Some(text)) = (e["條號"].as_str(), e["條文內容"].as_str())
            else {
                continue;
            };
            let lines = text.split("\r\n").filter(|l| !l.trim().is_empty()).count();
            let (_, paragraphs) = article(&doc, label).unwrap_or_else(|| panic!("{rel} {label}"));
            assert_eq!(paragraphs.len(), lines, "{rel} {label}");
            checked += 1;
        }
        assert_eq!(checked, labels(&doc).len(), "{rel}");
    }
}

#[test]
fn taiwan_deleted_article_19_is_still_an_article() {
    let Some(zh) = real("tw/library-act-2015.zh.json") else {
        return;
    };
    let Some(en) = real("tw/library-act-2015.en.json") else {
        return;
    };
    let zh = parse(&zh);
    assert_eq!(labels(&zh)[18], "第 19 條");
    assert_eq!(article(&zh, "第 19 條").unwrap().1, vec!["（刪除）"]);
    let en = parse(&en);
    assert_eq!(labels(&en)[18], "Article 19");
    assert_eq!(article(&en, "Article 19").unwrap().1, vec!["（Deleted）"]);
    // Article 4 lists five kinds of library, one block per item.
    let (_, art4) = article(&zh, "第 4 條").unwrap();
    assert_eq!(art4.len(), 7);
    assert!(art4[2].starts_with("一、國家圖書館"));
    assert!(art4[6].starts_with("五、專門圖書館"));
}

// ---------------------------------------------------------------- USLM

const USLM_NS: [&str; 2] = [
    "http://xml.house.gov/schemas/uslm/1.0",
    "http://schemas.gpo.gov/xml/uslm",
];

/// `<num>` texts of the file's `<section>` elements, read with roxmltree; sections quoted in
/// an amendment (`<quotedContent>`) are text of the amending section, not sections here.
fn uslm_section_nums(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let xml = roxmltree::Document::parse(&text).unwrap();
    let in_ns = |n: &roxmltree::Node, name: &str| {
        n.tag_name().name() == name
            && n.tag_name()
                .namespace()
                .is_some_and(|ns| USLM_NS.contains(&ns))
    };
    xml.descendants()
        .filter(|n| in_ns(n, "section"))
        .filter(|n| !n.ancestors().any(|a| in_ns(&a, "quotedContent")))
        .map(|s| {
            s.children()
                .find(|c| in_ns(c, "num"))
                .map(|num| {
                    num.descendants()
                        .filter_map(|d| d.text().filter(|_| d.is_text()))
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn uslm_every_section_is_an_article_with_its_num() {
    for rel in [
        "us/anadromous-fish-conservation-act.comps.uslm.xml",
        "us/hr2740-rh-2019-labor-hhs-education-appropriations.uslm.xml",
    ] {
        let Some(path) = real(rel) else { return };
        let doc = parse(&path);
        let expected = uslm_section_nums(&path);
        assert!(expected.len() >= 8, "{rel}: {}", expected.len());
        // Appropriations paragraphs are articles too, cited by their headings.
        let sections: Vec<&str> = labels(&doc)
            .into_iter()
            .filter(|l| l.is_empty() || l.starts_with("Sec.") || l.starts_with("SEC."))
            .collect();
        assert_eq!(sections, expected, "{rel}");
        assert_eq!(doc.language.as_deref(), Some("en"), "{rel}");
    }
}

#[test]
fn uslm_compilation_labels_captions_and_levels() {
    let Some(path) = real("us/anadromous-fish-conservation-act.comps.uslm.xml") else {
        return;
    };
    let doc = parse(&path);
    assert_eq!(
        doc.title.as_deref(),
        Some("ANADROMOUS FISH CONSERVATION ACT")
    );
    let (sec4, paras) = article(&doc, "SEC. 4.").unwrap();
    assert_eq!(sec4.text, "AUTHORIZATION OF APPROPRIATIONS.");
    assert_eq!(
        paras,
        vec![
            "There are authorized to be appropriated to carry out the purposes of this Act not \
             to exceed $4,500,000 for each of fiscal years 2007 through 2012."
        ]
    );
    // Sec. 7, repealed, sits inside an editorial note and is still an article.
    let (_, sec7) = article(&doc, "Sec. 7.").unwrap();
    assert!(sec7[0].starts_with("Repealed by section 3(a)"));
    // The first section's subsections and paragraphs are paragraphs led by their nums.
    let first = doc
        .blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Article { .. }))
        .unwrap();
    let nums: Vec<&str> = doc.blocks[first + 1..]
        .iter()
        .take_while(|b| b.kind == BlockKind::Paragraph)
        .map(|b| b.text.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        nums,
        vec!["That", "(b)", "(2)", "(c)", "(2)", "(A)", "(B)", "(C)"]
    );
    // USC references in editorial notes stay out of the text.
    assert!(!doc
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Paragraph && b.text.contains("[16 U.S.C.")));
}

#[test]
fn uslm_bill_titles_headings_and_the_library_section() {
    let Some(path) = real("us/hr2740-rh-2019-labor-hhs-education-appropriations.uslm.xml") else {
        return;
    };
    let doc = parse(&path);
    assert!(doc
        .title
        .as_deref()
        .is_some_and(|t| t.starts_with("116 HR 2740 RH: Making appropriations")));
    let (sec513, paras) = article(&doc, "Sec. 513.").unwrap();
    assert_eq!(sec513.text, "");
    assert!(paras[0].contains("Library Services and Technology Act"));
    let (sec205, _) = article(&doc, "Sec. 205.").unwrap();
    assert_eq!(sec205.text, "(transfer of funds)");
    let titles: Vec<&str> = doc
        .blocks
        .iter()
        .filter(|b| b.kind == (BlockKind::Heading { level: 1 }))
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(
        titles,
        vec![
            "TITLE I DEPARTMENT OF LABOR",
            "TITLE II DEPARTMENT OF HEALTH AND HUMAN SERVICES",
            "TITLE III DEPARTMENT OF EDUCATION",
            "TITLE IV RELATED AGENCIES",
            "TITLE V GENERAL PROVISIONS",
        ]
    );
    // The IMLS appropriation: the agency (intermediate) is a heading, the account (small) an
    // article cited by its heading, then the money.
    let imls = doc
        .blocks
        .iter()
        .position(|b| b.text == "Institute of Museum and Library Services")
        .unwrap();
    assert_eq!(doc.blocks[imls].kind, BlockKind::Heading { level: 3 });
    assert_eq!(
        doc.blocks[imls + 1].kind,
        BlockKind::Article {
            label: "office of museum and library services: grants and administration".into()
        }
    );
    assert!(doc.blocks[imls + 2]
        .text
        .starts_with("For carrying out the Museum and Library Services Act of 1996"));
}

// ---------------------------------------------------------------- e-Gov

const EGOV: &str = "jp/civil-aeronautics-act-egov.xml";

/// Article counts straight from the XML: (main provision, supplementary provisions,
/// number of SupplProvision elements). Articles quoted in amendments do not count.
fn egov_counts(path: &Path) -> (usize, usize, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let xml = roxmltree::Document::parse(&text).unwrap();
    let articles_under = |name: &str| {
        xml.descendants()
            .filter(|n| n.tag_name().name() == "Article")
            .filter(|n| !n.ancestors().any(|a| a.tag_name().name() == "NewProvision"))
            .filter(|n| n.ancestors().any(|a| a.tag_name().name() == name))
            .count()
    };
    let suppl = xml
        .descendants()
        .filter(|n| n.tag_name().name() == "SupplProvision")
        .count();
    (
        articles_under("MainProvision"),
        articles_under("SupplProvision"),
        suppl,
    )
}

#[test]
fn egov_main_and_supplementary_articles() {
    let Some(path) = real(EGOV) else { return };
    let doc = parse(&path);
    let (main, suppl, suppl_blocks) = egov_counts(&path);
    assert!(main > 300 && suppl > 100, "{main} {suppl}");
    let first_suppl = doc
        .blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading { .. }) && b.text.starts_with("附則"))
        .unwrap();
    let count = |blocks: &[Block]| {
        blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Article { .. }))
            .count()
    };
    assert_eq!(count(&doc.blocks[..first_suppl]), main);
    assert_eq!(count(&doc.blocks[first_suppl..]), suppl);
    let suppl_headings = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { level: 1 }) && b.text.starts_with("附則"))
        .count();
    assert_eq!(suppl_headings, suppl_blocks);
    assert_eq!(doc.title.as_deref(), Some("航空法"));
    assert_eq!(doc.language.as_deref(), Some("ja"));
}

#[test]
fn egov_article_2_caption_paragraphs_and_ruby() {
    let Some(path) = real(EGOV) else { return };
    let doc = parse(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    let xml = roxmltree::Document::parse(&text).unwrap();
    let art2 = xml
        .descendants()
        .find(|n| {
            n.tag_name().name() == "Article"
                && n.attribute("Num") == Some("2")
                && n.ancestors()
                    .any(|a| a.tag_name().name() == "MainProvision")
        })
        .unwrap();
    let count = |name: &str| {
        art2.descendants()
            .filter(|n| n.tag_name().name() == name)
            .count()
    };
    let (head, paras) = article(&doc, "第二条").unwrap();
    assert_eq!(head.text, "（定義）");
    assert_eq!(count("Paragraph"), 22);
    // One block per paragraph (項), its items (号) inside it, one per line: the paragraph is
    // what a citation names.
    assert_eq!(paras.len(), count("Paragraph"));
    let lines: usize = paras.iter().map(|p| p.lines().count()).sum();
    assert_eq!(lines, count("Paragraph") + count("Item"));
    assert!(paras[1].starts_with("２ この法律において「航空業務」とは"));
    // <Ruby>矩<Rt>く</Rt></Ruby>形: the reading is dropped.
    assert!(paras.iter().any(|p| p.contains("内の矩形部分をいう。")));
    // Headings: chapters and sections in the main provision, in order.
    let headings: Vec<&str> = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .map(|b| b.text.as_str())
        .take(2)
        .collect();
    assert_eq!(headings, vec!["第一章 総則", "第二章 航空機の登録"]);
}

#[test]
fn egov_supplementary_heading_names_the_amending_act() {
    let Some(path) = real(EGOV) else { return };
    let doc = parse(&path);
    let i = doc
        .blocks
        .iter()
        .position(|b| {
            b.text
                .starts_with("附則（昭和二七年七月三一日法律第二七八号）")
        })
        .unwrap();
    assert!(matches!(
        doc.blocks[i].kind,
        BlockKind::Heading { level: 1 }
    ));
    assert_eq!(
        doc.blocks[i + 1].text,
        "１ この法律は、昭和二十七年八月一日から施行する。"
    );
}

// ---------------------------------------------------------------- hostile input

#[test]
fn truncated_real_files_are_one_line_errors() {
    for rel in [EGOV, "tw/library-act-2015.zh.json"] {
        let Some(path) = real(rel) else { return };
        let bytes = std::fs::read(&path).unwrap();
        let half = &bytes[..bytes.len() / 2];
        let err = parse_bytes(
            Input {
                source: rel,
                bytes: half,
                content_type: None,
                select: None,
            },
            &Limits::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with(&format!("{rel}: malformed")), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }
}

/// Parse time of the 970 KB e-Gov file; numbers go to benches/RESULTS-structured.md.
/// `cargo test --release --test it structured::egov_parse_time -- --ignored --nocapture`
#[test]
#[ignore]
fn egov_parse_time() {
    let Some(path) = real(EGOV) else { return };
    let bytes = std::fs::read(&path).unwrap();
    let input = Input {
        source: EGOV,
        bytes: &bytes,
        content_type: None,
        select: None,
    };
    let runs = 20;
    let mut times = Vec::new();
    let mut blocks = 0;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let doc = parse_bytes(input, &Limits::default()).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        blocks = doc.blocks.len();
    }
    times.sort_by(f64::total_cmp);
    // Reference: roxmltree alone on the same text (no decoding, checks or block building).
    let text = std::str::from_utf8(&bytes).unwrap();
    let mut tree = Vec::new();
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let xml = roxmltree::Document::parse(text).unwrap();
        tree.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(xml.descendants().count() > 0);
    }
    tree.sort_by(f64::total_cmp);
    println!(
        "roxmltree alone: min {:.1} ms, median {:.1} ms",
        tree[0],
        tree[runs / 2]
    );
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "{} bytes, {blocks} blocks, {runs} runs: min {:.1} ms, median {:.1} ms, max {:.1} ms ({:.0} MB/s at median)",
        bytes.len(),
        times[0],
        times[runs / 2],
        times[runs - 1],
        mb / (times[runs / 2] / 1000.0)
    );
}
