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
    ("real/kr/library-act-enforcement-decree.md", 62, "41 main + 15 addenda articles + 3 omitted ('제4조 생략', '제2조 부터 제6조까지 생략' ×2: one article line each) + 3 articleless addenda"),
    ("real/kr/library-act-enforcement-rules.md", 18, "14 main + 4 addenda articles"),
    ("real/kr/national-library-for-the-disabled-use-rules.md", 16, "11 main + 2 addenda articles + 2 omitted ('제2조 생략', '제4조 생략') + 1 articleless"),
    ("real/kr/reading-culture-promotion-act.md", 33, "17 main + 5 captioned addenda articles + 4 omitted ('제2조 부터 제5조까지 생략' ×2, '제7조 생략' ×2) + 7 articleless addenda"),
    ("real/kr/school-library-promotion-act.md", 35, "18 main + addenda (7 blocks), 6 of the addenda article lines omitted ('제7조 생략', '제2조 부터 제8조까지 생략', …)"),
    ("real/kr/small-library-promotion-act.md", 23, "15 main + 2 addenda articles + 2 omitted ('제2조 부터 제8조까지 생략', '제10조 생략') + 4 articleless"),
    ("real/kr/university-library-promotion-act.md", 23, "16 main + 4 addenda articles + 2 omitted ('제2조 부터 제8조까지 생략', '제10조 생략') + 1 articleless"),
    ("real/au/national-library-act-1960.md", 32, "sections 1,2,4-7,7A,8-13,14,15,15A,16,17,17A-17E,17H,17J,18,20,22,26,27A,27B,28 (corpus/pdf SOURCES.tsv lists the same 32)"),
    ("real/us/usc-title20-ch72-museum-and-library-services.md", 30, "§9101…§9176: 30 distinct '#### § N.' heads; a section split across chunks is one clause"),
    ("real/tw/library-act-2015.zh.json", 20, "20 條號 entries; 第 19 條 is （刪除） but still an article"),
    ("real/tw/library-act-2015.en.json", 20, "Article 1-20; Article 19 (Deleted)"),
    ("real/tw/library-establishment-and-operation-standards-2021.json", 14, "14 條號 entries"),
    ("real/tw/special-edition-materials-for-print-disabled-readers-2015.json", 14, "14 條號 entries"),
    ("real/us/anadromous-fish-conservation-act.comps.uslm.xml", 8, "8 <section> elements, the first without a number"),
    ("real/us/hr2740-rh-2019-labor-hhs-education-appropriations.uslm.xml", 244, "97 <section> elements outside quoted content, and 147 <appropriations> paragraphs with words of their own, each cited by its heading (training and employment services; job corps (including transfer of funds)); they once joined the section before them"),
    ("real/jp/civil-aeronautics-act-egov.xml", 560, "345 MainProvision <Article> + 186 supplementary <Article> + 29 <SupplProvision> without articles"),
    ("real/cn/national/public-library-law-2018.html", 55, "55 <p>第X条 paragraphs inside <article>; the nav sidebar lists ~5,000 other laws"),
    ("real/cn/national/national-reading-promotion-regulations-2025.html", 45, "45 <p>第X条 in <article>"),
    ("real/cn/national/barrier-free-environment-law-2023.html", 72, "72 <p>第X条 in <article>"),
    ("real/cn/sichuan/sichuan-public-library-regulations-2024.html", 56, "56 <p>第X条 in <article>; empty <p>U+200B</p> paragraphs"),
    ("real/cn/sichuan/sichuan-public-cultural-service-guarantee-regulations-2021.html", 67, "67 <p>第X条 in <article>"),
    ("real/cn/tianjin/tianjin-public-cultural-service-regulations-2018.html", 58, "58 <p>第X条 in <article>"),
    ("real/cn/tianjin/tianjin-reading-promotion-regulations-2023.html", 34, "34 <p>第X条 in <article>"),
    ("real/cn/national/minors-protection-law-2020.docx", 132, "132 <p>第X条 in word/afchunk.mht (quoted-printable HTML)"),
    ("real/cn/national/minors-protection-law-2020.pdf", 132, "pdftotext -raw: 132 lines starting 第X条 + space; the law has 132 articles"),
    ("real/cn/national/women-rights-protection-law-2022.pdf", 86, "pdftotext -raw: 86 heads; the 2022 revision has 86 articles"),
    ("real/cn/national/criminal-law-2015.pdf", 490, "pdftotext -raw: 451 numbered heads 第一条…第四百五十二条 (第一百九十九条, repealed in 2015, is absent) + 39 inserted 之X articles"),
    ("pdf/public-library-law-2018.libreoffice.pdf", 55, "SOURCES.tsv: 55 heads; the 目录 lists chapter headings before the text"),
    ("pdf/public-library-law-2018.chromium.pdf", 55, "SOURCES.tsv: 55 heads"),
    ("pdf/shanghai-public-library-regulations-2024.xelatex.pdf", 38, "SOURCES.tsv: 38 heads; footer 第 N 页 共 M 页 is not an article"),
    ("pdf/beijing-library-regulations-2002.xelatex.pdf", 45, "SOURCES.tsv: 45 heads, two-column layout, 2 in-text cross-references"),
    ("pdf/national-library-act-1960.chromium.pdf", 32, "SOURCES.tsv: 32 sections"),
    ("pdf/library-act-2015.en.libreoffice.pdf", 20, "SOURCES.tsv: Article 1-20, Article 19 deleted"),
    ("real/vn/library-codified-topic-thu-vien.md", 211, "211 'Điều 41.12.X.n.' heads before the trailing 'Danh sách điều khoản' list, which repeats them; 21 of them are glued to the sentence before (…người sử dụng.Điều 41.12.TT.1.4.) and once vanished into it"),
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
        let doc = match parse_file(&shared.join("corpus").join(rel), &Limits::default()) {
            Ok(doc) => doc,
            Err(e) => {
                wrong.push(format!("{rel}: {e}"));
                continue;
            }
        };
        let seg = segment(&doc);
        if seg.clauses.len() != *expected {
            wrong.push(format!(
                "{rel}: {} articles, expected {expected} ({why})",
                seg.clauses.len()
            ));
        }
        if seg.structure != Structure::Articles {
            wrong.push(format!("{rel}: structure {}", seg.structure.name()));
        }
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
            format!("第{}条", lawdex::grammar::to_chinese(n as u32))
        );
    }
    let art33 = &seg.clauses[32];
    assert_eq!(art33.id.as_str(), "public-library-law-2018/art33");
    assert_eq!(art33.headings, ["第四章 服务"]);
    assert!(art33.text.contains("免费"), "{}", art33.text);
}

#[test]
fn vietnamese_heads_glued_to_the_sentence_before_vanished_into_it() {
    let Some(real) = real_dir() else { return };
    let (_, seg) = parse(&real.join("vn/library-codified-topic-thu-vien.md"));
    let labels: Vec<&str> = seg.clauses.iter().map(|c| c.label.as_str()).collect();
    let at = labels
        .iter()
        .position(|l| *l == "Điều 41.12.TT.1.4")
        .expect("Điều 41.12.TT.1.4 is an article of its own");
    assert_eq!(labels[at - 1], "Điều 41.12.TT.1.3");
    assert_eq!(labels[at + 1], "Điều 41.12.TT.1.5");
    let before = &seg.clauses[at - 1].text;
    assert!(!before.contains("Xây dựng vốn tài liệu"), "{before}");
    assert!(before.trim_end().ends_with("người sử dụng."), "{before}");
    // The 18,856-character clause that swallowed its neighbours is gone.
    let longest = seg.clauses.iter().map(|c| c.text.chars().count()).max();
    assert!(longest < Some(8_000), "{longest:?}");
}

#[test]
fn hr2740_appropriations_were_one_unnumbered_section_of_39021_characters() {
    let Some(real) = real_dir() else { return };
    let (_, seg) =
        parse(&real.join("us/hr2740-rh-2019-labor-hhs-education-appropriations.uslm.xml"));
    let chars = |c: &lawdex::model::Clause| c.text.chars().count();
    // Only the enacting sentence is left without a number.
    for c in seg
        .clauses
        .iter()
        .filter(|c| c.label == "(unnumbered section)")
    {
        assert!(chars(c) < 500, "{}: {} characters", c.label, chars(c));
    }
    let longest = seg.clauses.iter().max_by_key(|c| chars(c)).unwrap();
    assert!(
        chars(longest) < 10_000,
        "{}: {}",
        longest.label,
        chars(longest)
    );
    // The library appropriation is cited by its account under its title and agency.
    let imls = seg
        .clauses
        .iter()
        .find(|c| c.label == "office of museum and library services: grants and administration")
        .expect("the IMLS account is a clause");
    assert!(imls
        .text
        .starts_with("For carrying out the Museum and Library Services Act"));
    assert!(
        imls.headings.iter().any(|h| h.starts_with("TITLE IV")),
        "{:?}",
        imls.headings
    );
    // Sec. 112 (67,393 characters before) no longer carries Title II's money.
    let s112 = seg.clauses.iter().find(|c| c.label == "Sec. 112").unwrap();
    assert!(chars(s112) < 1_000, "{}", s112.text);
    assert!(!s112.text.contains("For carrying out"), "{}", s112.text);
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
fn korean_omitted_addendum_articles_are_articles_of_their_own() {
    let Some(real) = real_dir() else { return };
    let (_, seg) = parse(&real.join("kr/national-library-for-the-disabled-use-rules.md"));
    let add2: Vec<(&str, &str)> = seg
        .clauses
        .iter()
        .filter(|c| c.id.as_str().contains("/add2/"))
        .map(|c| (c.label.as_str(), c.text.as_str()))
        .collect();
    let labels: Vec<&str> = add2.iter().map(|(l, _)| *l).collect();
    assert_eq!(labels, ["제1조", "제2조", "제3조", "제4조"]);
    assert_eq!(add2[1].1, "생략", "제2조 생략 is its own article");
    assert!(
        !add2[0].1.contains("생략"),
        "제1조 no longer swallows 제2조: {:?}",
        add2[0].1
    );
    assert_eq!(add2[3].1, "생략");
}

#[test]
fn korean_headings_keep_their_spaces() {
    let Some(real) = real_dir() else { return };
    let (_, seg) = parse(&real.join("kr/library-act.md"));
    let headings: std::collections::BTreeSet<&str> = seg
        .clauses
        .iter()
        .flat_map(|c| c.headings.iter().map(String::as_str))
        .collect();
    assert!(
        headings.contains("제2장 도서관발전종합계획의 수립 등"),
        "{headings:?}"
    );
    assert!(headings.contains("제2절 국ㆍ공립 및 사립 공공도서관"));
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

/// The same law in every format it comes in gives the same clauses: same labels in the same
/// order, same text up to white space.
#[test]
fn public_library_law_is_the_same_in_every_format() {
    let Some(shared) = shared_dir() else { return };
    let c = shared.join("corpus");
    let (_, reference) = parse(&c.join("real/cn/national/public-library-law-2018.md"));
    let others = [
        "real/cn/national/public-library-law-2018.html",
        "pdf/public-library-law-2018.libreoffice.pdf",
        "pdf/public-library-law-2018.chromium.pdf",
    ];
    for rel in others {
        let (_, seg) = parse(&c.join(rel));
        let labels: Vec<&str> = seg.clauses.iter().map(|c| c.label.as_str()).collect();
        let expected: Vec<&str> = reference.clauses.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, expected, "{rel}");
        for (a, b) in reference.clauses.iter().zip(&seg.clauses) {
            assert_eq!(squash(&a.text), squash(&b.text), "{rel} {}", a.label);
            assert_eq!(a.headings, b.headings, "{rel} {}", a.label);
        }
    }
}

/// Every other law that comes in two formats: same labels in the same order, and the same
/// text up to white space (and, for English, up to typographic quotes and dashes that the
/// markdown conversion folded to ASCII).
#[test]
fn twins_in_two_formats_agree() {
    let Some(shared) = shared_dir() else { return };
    let c = shared.join("corpus");
    let pairs = [
        (
            "real/cn/shanghai/shanghai-public-library-regulations-2024.md",
            "pdf/shanghai-public-library-regulations-2024.xelatex.pdf",
        ),
        (
            "real/cn/beijing/beijing-library-regulations-2002.md",
            "pdf/beijing-library-regulations-2002.xelatex.pdf",
        ),
        (
            "real/tw/library-act-2015.en.json",
            "pdf/library-act-2015.en.libreoffice.pdf",
        ),
        (
            "real/au/national-library-act-1960.md",
            "pdf/national-library-act-1960.chromium.pdf",
        ),
        (
            "real/cn/national/minors-protection-law-2020.docx",
            "real/cn/national/minors-protection-law-2020.pdf",
        ),
    ];
    let mut problems = Vec::new();
    for (a, b) in pairs {
        let (_, x) = parse(&c.join(a));
        let (_, y) = parse(&c.join(b));
        let lx: Vec<&str> = x.clauses.iter().map(|c| c.label.as_str()).collect();
        let ly: Vec<&str> = y.clauses.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(lx, ly, "{a} vs {b}");
        for (p, q) in x.clauses.iter().zip(&y.clauses) {
            if fold(&p.text) != fold(&q.text) {
                problems.push(format!(
                    "{b} {}:\n  {}\n  {}",
                    p.label,
                    squash(&p.text),
                    squash(&q.text)
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} clauses differ:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn fold(s: &str) -> String {
    squash(s)
        .chars()
        .map(|c| match c {
            '“' | '”' | '"' => '"',
            '‘' | '’' => '\'',
            '—' | '–' => '-',
            _ => c,
        })
        .collect::<String>()
        .replace("--", "-")
}

/// A State Council notice numbers its items as markdown headings (`## 一、开征文化事业建设费`)
/// with paragraphs under them; it once parsed to no clause at all, and coverage could only
/// call it unreadable. The four headings were counted in the file.
#[test]
fn a_notice_in_headed_sections_is_read_item_by_item() {
    let Some(shared) = shared_dir() else { return };
    let member = "行政法规/国务院关于进一步完善文化经济政策的若干规定(1996-09-05).md";
    let dir = tempfile::tempdir().expect("tempdir");
    let root = crate::common::unpack_bulk(&shared, &[member.to_string()], dir.path());
    let (_, seg) = parse(&root.join(member));
    assert_eq!(seg.structure, Structure::AmendmentItems);
    let items: Vec<(&str, &str)> = seg
        .clauses
        .iter()
        .map(|c| (c.label.as_str(), c.caption.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            ("一、", "开征文化事业建设费"),
            ("二、", "鼓励对文化事业的捐赠"),
            ("三、", "继续实行财税优惠政策"),
            ("四、", "建立健全专项资金制度"),
        ]
    );
    // The paragraphs and list items under a heading are its text, not the next item's.
    assert!(
        seg.clauses[1].text.contains("图书馆"),
        "{}",
        seg.clauses[1].text
    );
    assert!(
        !seg.clauses[0].text.contains("图书馆"),
        "{}",
        seg.clauses[0].text
    );
}
