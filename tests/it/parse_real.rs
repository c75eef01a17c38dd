//! Every real file parses into the number of articles its source has.
//!
//! The expected counts were derived from the texts themselves, not from lawdex: for Chinese
//! files by counting lines (markdown), `<p>` paragraphs inside `<article>` (HTML) or
//! `pdftotext -raw` lines (PDF) that start with 第X条 followed by white space; for Korean
//! files by counting `##### 제N조` heads plus, under 부칙, captioned 제N조(…) heads and 부칙
//! blocks that have no articles (one citable unit each); for the rest as each row says.

use std::path::Path;

use lawdex::model::Clause;
use lawdex::parse::{parse_file, Limits};
use lawdex::segment::{segment, Segmented, Structure};

use crate::common::{real_dir, shared_dir};

/// (path under corpus/, articles, why)
const EXPECTED: &[(&str, usize, &str)] = &[
    ("real/cn/national/public-library-law-2018.md", 55, "第一条…第五十五条, one line each"),
    ("real/cn/national/public-library-law-2017.md", 55, "same law, 2017 text; every article indented 4 spaces"),
    ("real/cn/national/public-cultural-service-guarantee-law-2016.md", 65, "65 第X条 lines"),
    ("real/cn/national/public-cultural-sports-facilities-regulations-2003.md", 34, "34 第X条 lines"),
    ("real/cn/national/museum-regulations-2015.md", 47, "47 第X条 lines"),
    ("real/cn/beijing/beijing-library-regulations-2002.md", 45, "45 heads; 2 in-text cross-references are not heads"),
    ("real/cn/shanghai/shanghai-public-library-regulations-2024.md", 38, "no chapters, 38 articles"),
    ("real/cn/shanghai/shanghai-public-cultural-service-regulations-2020.md", 69, "69 第X条 lines"),
    ("real/cn/shanghai/shanghai-community-public-cultural-service-provisions-2012.md", 33, "33 第X条 lines"),
    ("real/cn/zhejiang/zhejiang-public-cultural-service-guarantee-regulations-2017.md", 16, "16 第X条 lines"),
    ("real/kr/library-act.md", 71, "55 main + 13 addenda articles + 3 addenda without articles"),
    ("real/kr/library-act-enforcement-decree.md", 59, "41 main + 15 addenda articles + 3 articleless addenda"),
    ("real/kr/library-act-enforcement-rules.md", 18, "14 main + 4 addenda articles"),
    ("real/kr/national-library-for-the-disabled-use-rules.md", 14, "11 main + 2 addenda articles + 1 articleless"),
    ("real/kr/reading-culture-promotion-act.md", 29, "17 main + 5 captioned addenda articles + 7 articleless addenda ('제7조 생략' is an omission note)"),
    ("real/kr/school-library-promotion-act.md", 29, "18 main + addenda (7 blocks)"),
    ("real/kr/small-library-promotion-act.md", 21, "15 main + 2 addenda articles + 4 articleless"),
    ("real/kr/university-library-promotion-act.md", 21, "16 main + 4 addenda articles + 1 articleless"),
    ("real/au/national-library-act-1960.md", 32, "sections 1,2,4-7,7A,8-13,14,15,15A,16,17,17A-17E,17H,17J,18,20,22,26,27A,27B,28 (corpus/pdf SOURCES.tsv lists the same 32)"),
    ("real/us/usc-title20-ch72-museum-and-library-services.md", 30, "§9101…§9176: 30 distinct '#### § N.' heads; a section split across chunks is one clause"),
    ("real/vn/library-codified-topic-thu-vien.md", 190, "190 'Điều 41.12.X.n.' lines before the trailing 'Danh sách điều khoản' list, which repeats them"),
];

fn parse(path: &Path) -> (lawdex::model::Document, Segmented) {
    let doc = parse_file(path, &Limits::default())
        .unwrap_or_else(|e| panic!("{} failed to parse: {e}", path.display()));
    let seg = segment(&doc);
    (doc, seg)
}

#[test]
fn every_real_file_has_its_source_article_count() {
    let Some(shared) = shared_dir() else { return };
    let mut wrong = Vec::new();
    for (rel, expected, why) in EXPECTED {
        let (_, seg) = parse(&shared.join("corpus").join(rel));
        if seg.clauses.len() != *expected {
            wrong.push(format!(
                "{rel}: {} articles, expected {expected} ({why})",
                seg.clauses.len()
            ));
        }
        assert_eq!(seg.structure, Structure::Articles, "{rel}");
    }
    assert!(
        wrong.is_empty(),
        "article counts differ:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn chinese_labels_run_in_order_without_gaps() {
    let Some(real) = real_dir() else { return };
    let (_, seg) = parse(&real.join("cn/national/public-library-law-2018.md"));
    for (i, c) in seg.clauses.iter().enumerate() {
        let n = c.number.as_ref().expect("numbered").base as usize;
        assert_eq!(n, i + 1, "{}", c.label);
        assert_eq!(
            c.label,
            format!("第{}条", lawdex::model::to_chinese(n as u32))
        );
    }
    let art33 = &seg.clauses[32];
    assert_eq!(art33.id.as_str(), "public-library-law-2018/art33");
    assert_eq!(art33.headings, ["第四章 服务"]);
    assert!(art33.text.contains("免费"), "{}", art33.text);
}

#[test]
fn preamble_is_metadata_not_a_clause() {
    let Some(real) = real_dir() else { return };
    let (doc, seg) = parse(&real.join("cn/national/public-library-law-2018.md"));
    assert_eq!(doc.title.as_deref(), Some("中华人民共和国公共图书馆法"));
    assert!(seg.preamble.iter().any(|p| p.contains("2017年11月4日")));
    assert!(seg
        .clauses
        .iter()
        .all(|c| !c.text.contains("常务委员会第三十次会议通过")));
}

#[test]
fn indented_2017_text_equals_2018_text_except_article_51() {
    let Some(real) = real_dir() else { return };
    let (_, old) = parse(&real.join("cn/national/public-library-law-2017.md"));
    let (_, new) = parse(&real.join("cn/national/public-library-law-2018.md"));
    let differing: Vec<&str> = old
        .clauses
        .iter()
        .zip(&new.clauses)
        .filter(|(a, b)| squash(&a.text) != squash(&b.text))
        .map(|(a, _)| a.label.as_str())
        .collect();
    assert_eq!(differing, ["第五十一条"]);
}

#[test]
fn korean_paragraphs_and_addenda_scopes() {
    let Some(real) = real_dir() else { return };
    let (_, seg) = parse(&real.join("kr/library-act.md"));
    let main: Vec<&Clause> = seg
        .clauses
        .iter()
        .filter(|c| !c.id.as_str().contains("/add"))
        .collect();
    assert_eq!(main.len(), 55);
    let art4 = main.iter().find(|c| c.label == "제4조").expect("제4조");
    assert_eq!(art4.caption, "도서관의 구분");
    assert_eq!(
        art4.paragraphs.len(),
        2,
        "① and ② are paragraphs; 1. 2. items stay inside"
    );
    assert_eq!(art4.paragraph_label(2), "제4조제2항");
    let addenda_art1 = seg.clauses.iter().filter(|c| c.label == "제1조").count();
    assert_eq!(
        addenda_art1, 3,
        "main 제1조 and two addenda 제1조, each with its own id"
    );
}

#[test]
fn english_sections_carry_captions_and_subsections() {
    let Some(real) = real_dir() else { return };
    let (_, us) = parse(&real.join("us/usc-title20-ch72-museum-and-library-services.md"));
    let s9141 = us
        .clauses
        .iter()
        .find(|c| c.label == "§9141")
        .expect("§9141");
    assert_eq!(s9141.caption, "Grants to States");
    assert!(s9141.paragraphs.iter().any(|p| p.starts_with("(a)")));
    let (_, au) = parse(&real.join("au/national-library-act-1960.md"));
    let s7a = au
        .clauses
        .iter()
        .find(|c| c.label == "Section 7A")
        .expect("7A");
    assert_eq!(s7a.caption, "Power to purchase and dispose of assets");
    assert!(
        au.clauses.iter().all(|c| !c.text.contains("Endnote")),
        "endnotes are not law text"
    );
}

/// Text up to white space.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
