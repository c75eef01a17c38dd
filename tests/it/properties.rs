//! Properties of segmentation over generated laws, checked with proptest:
//! 1. no text is lost or duplicated: each article's clause holds exactly the paragraphs written
//!    under its head, and the clauses together hold the whole body (up to white space);
//! 2. clause ids are stable: editing one article changes no other clause's id or text.

use lawdex::grammar::to_chinese;
use lawdex::model::Clause;
use lawdex::parse::{parse_bytes, Input, Limits};
use lawdex::segment::segment;
use proptest::prelude::*;

/// Characters of ordinary statute prose. 第, 条, 章 and 节 are left out so that generated
/// prose never spells a head by accident; digits and ASCII are left out for the same reason.
const PROSE: &[char] = &[
    '图', '书', '馆', '应', '当', '为', '读', '者', '提', '供', '免', '费', '服', '务', '国', '家',
    '鼓', '励', '公', '民', '参', '与', '管', '理', '文', '化', '设', '施', '开', '放', '，', '、',
    '；', '：', '（', '）', '一', '二', '三', '的', '和', '在', '可', '以',
];

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PROSE), 4..40)
        .prop_map(|cs| {
            let mut s: String = cs.into_iter().collect();
            s.push('。');
            s
        })
        // A paragraph that opens like an item or a numeral list is a different structure.
        .prop_filter("starts like prose", |s| {
            !s.starts_with(['（', '一', '二', '三', '，', '、', '；', '：', '）'])
        })
}

/// A law: chapters of articles, each article a list of paragraphs.
fn law() -> impl Strategy<Value = Vec<Vec<Vec<String>>>> {
    prop::collection::vec(
        prop::collection::vec(prop::collection::vec(sentence(), 1..4), 1..6),
        1..4,
    )
}

/// The law as markdown in the shape of the bulk corpus: `# title`, `## 第X章`, one paragraph
/// per line, the article head on the first.
fn markdown(chapters: &[Vec<Vec<String>>]) -> String {
    let mut md = String::from("# 某市公共图书馆条例\n\n");
    let mut n = 0;
    for (c, articles) in chapters.iter().enumerate() {
        md.push_str(&format!("## 第{}章 规定\n\n", to_chinese(c as u32 + 1)));
        for paragraphs in articles {
            n += 1;
            md.push_str(&format!("第{}条 {}\n\n", to_chinese(n), paragraphs[0]));
            for p in &paragraphs[1..] {
                md.push_str(p);
                md.push_str("\n\n");
            }
        }
    }
    md
}

fn clauses(md: &str) -> Vec<Clause> {
    let doc = parse_bytes(
        Input {
            source: "generated.md",
            bytes: md.as_bytes(),
            content_type: None,
            select: None,
        },
        &Limits::default(),
    )
    .expect("generated markdown parses");
    segment(&doc).clauses
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn segmentation_loses_and_duplicates_no_text(chapters in law()) {
        let got = clauses(&markdown(&chapters));
        let articles: Vec<&Vec<String>> = chapters.iter().flatten().collect();
        prop_assert_eq!(got.len(), articles.len());
        for (i, (clause, paragraphs)) in got.iter().zip(&articles).enumerate() {
            prop_assert_eq!(&clause.label, &format!("第{}条", to_chinese(i as u32 + 1)));
            prop_assert_eq!(squash(&clause.text), squash(&paragraphs.concat()));
            prop_assert_eq!(clause.paragraphs.len(), paragraphs.len());
        }
        let all: String = got.iter().map(|c| c.text.as_str()).collect();
        let body: String = articles.iter().map(|p| p.concat()).collect();
        prop_assert_eq!(squash(&all), squash(&body));
    }

    #[test]
    fn editing_one_article_changes_no_other_clause(
        chapters in law(),
        pick in any::<prop::sample::Index>(),
        replacement in prop::collection::vec(sentence(), 1..4),
    ) {
        let before = clauses(&markdown(&chapters));
        let total: usize = chapters.iter().map(Vec::len).sum();
        let target = pick.index(total);
        let mut edited = chapters.clone();
        let mut k = 0;
        'find: for articles in &mut edited {
            for paragraphs in articles.iter_mut() {
                if k == target {
                    *paragraphs = replacement.clone();
                    break 'find;
                }
                k += 1;
            }
        }
        let after = clauses(&markdown(&edited));
        let ids = |cs: &[Clause]| cs.iter().map(|c| c.id.as_str().to_string()).collect::<Vec<_>>();
        prop_assert_eq!(ids(&before), ids(&after));
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            if i != target {
                prop_assert_eq!(&b.text, &a.text, "article {} changed", i + 1);
                prop_assert_eq!(&b.headings, &a.headings);
            }
        }
    }
}
