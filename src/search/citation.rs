//! A query that is a citation names a provision, and is looked up rather than searched for its
//! words: 公共图书馆法第三十三条第二款, 《北京市图书馆条例》第十七条, 도서관법 제3조의2 제1항,
//! 도서관법 부칙 제3조, 20 U.S.C. 9141(a), National Library Act 1960 s 6, Điều 4 Luật Thư viện.
//! Searched as words, such a query found every clause that mentions the law or cites some
//! 第三十三条, and rarely the article itself.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::grammar::{article_head, from_chinese, to_chinese, ArticleNumber, ClauseKind};
use crate::index::analysis;
use crate::model::Clause;

/// A provision a query cites.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cited {
    /// The title part, folded ([`fold_title`]); empty when the query names only the article.
    pub title: String,
    /// The addenda (附則, 부칙) the article is in, when the citation names them: the block's
    /// own name folded (`<제18547호,2021.12.7>`), or empty for whichever block has the article.
    pub addenda: Option<String>,
    pub article: Article,
    pub paragraph: Option<Paragraph>,
    /// The provision as read, for the reader: 第三十三条第二款, 부칙 제3조, §9141(a).
    pub shown: String,
}

/// How a citation names the article.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Article {
    /// By its number: 第三十三条, 제3조의2, §9141, Section 6, Điều 4.
    Number(ArticleNumber),
    /// By a codified label printed whole: Điều 41.12.NĐ.1.3.
    Label(String),
}

/// How a citation names a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Paragraph {
    /// By its position and the unit typed: 第二款 (mainland paragraph), 第二項 (Taiwan and
    /// Japan's paragraph), 제2항, khoản 2 (`'k'`), paragraph 2 (`'p'`).
    Nth(usize, char),
    /// By the enumerators it stands under: (a)(1) of §9141(a)(1).
    Enumerators(String),
}

/// The Chinese and Japanese form: 第三十三条, 第十条之一, 第二条の二, then 第二款 / 第二項.
static ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?s)(?P<title>.*?)\s*(?P<head>第\s*[〇零一二两三四五六七八九十百千0-9０-９]+\s*[条條](?:[之の][〇零一二三四五六七八九十0-9]+)*)\s*(?:第\s*(?P<para>[〇零一二两三四五六七八九十0-9０-９]+)\s*(?P<unit>[款項项]))?(?:\s*第\s*[〇零一二三四五六七八九十0-9０-９]+\s*[项項号款])?\s*$",
    )
    .expect("valid pattern")
});

/// The Korean form: 제3조, 제3조의2, then 제2항.
static KO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?s)(?P<title>.*?)\s*제\s*(?P<base>[0-9]+)\s*조(?:\s*의\s*(?P<sub>[0-9]+))?\s*(?:제\s*(?P<para>[0-9]+)\s*항)?\s*$",
    )
    .expect("valid pattern")
});

/// The Latin forms after the title: § 9141(a)(1), section 6, s 6, s6, Sec. 305, Article 9,
/// Article 15, paragraph 2, Điều 4 khoản 2, Điều 41.12.LQ.4, and a bare section number
/// after "U.S.C.".
static LATIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(?P<title>.*?)[\s,]*(?:(?P<word>§+|\b(?:sections?|secs?\.?|ss?\.|ss?|articles?|art\.?|điều))\s*|\b)(?P<num>[0-9]+(?:\.[0-9A-ZĐ]+)*[A-Za-z]?)(?P<enums>(?:\s*\([0-9A-Za-z]+\))*)(?:\s*(?:,\s*)?(?:khoản|paragraph|para\.?)\s*(?P<nth>[0-9]+))?\s*$",
    )
    .expect("valid pattern")
});

/// The Vietnamese order, the article before the law: khoản 2 Điều 4 Luật Thư viện.
static VI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(?:khoản\s*(?P<nth>[0-9]+)\s*,?\s*)?điều\s*(?P<num>[0-9]+(?:\.[0-9A-ZĐ]+)*)(?:\s*,\s*|\s+)(?:của\s+)?(?P<title>\p{L}.*?)\s*$",
    )
    .expect("valid pattern")
});

/// The addenda named at the end of a title: 航空法附則, 도서관법 부칙 <제18547호,2021.12.7>.
static ADDENDA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?s)(?P<title>.*?)\s*(?:附則|附则|부칙)\s*(?P<block>[<＜〈‹(（].*)?$")
        .expect("valid pattern")
});

/// What a Chinese, Japanese or Korean law's title ends with; a title part that ends otherwise
/// (图书馆第三条) is a phrase of the query, not a law's name.
const TITLE_ENDS: [&str; 24] = [
    "法", "条例", "條例", "规定", "規定", "办法", "辦法", "细则", "細則", "决定", "決定", "规则",
    "規則", "章程", "标准", "標準", "令", "法律", "법", "령", "규칙", "조례", "규정", "法典",
];

/// Title parts too general to name a law: every law's title ends so.
const TOO_GENERAL: [&str; 9] = [
    "条例",
    "办法",
    "规定",
    "实施办法",
    "实施细则",
    "管理办法",
    "管理条例",
    "细则",
    "规则",
];

/// Reads `text` as a citation, or `None` when it is not one.
pub(crate) fn parse(text: &str) -> Option<Cited> {
    let text = text.trim();
    if let Some(c) = ZH.captures(text) {
        let head = article_head(c.name("head")?.as_str(), false)?;
        let unit = c.name("unit").and_then(|u| u.as_str().chars().next());
        let paragraph = c
            .name("para")
            .and_then(|p| from_chinese(p.as_str()))
            .filter(|&n| n > 0)
            .zip(unit);
        let mut shown = head.label.clone();
        if let Some((n, unit)) = paragraph {
            shown.push_str(&format!("第{}{unit}", to_chinese(n)));
        }
        // A Japanese chain (第百三十一条の二の五) is more than its number says: matched whole.
        let chained = head.label.matches(['之', 'の']).count() > 1;
        let article = match chained {
            true => Article::Label(head.label.clone()),
            false => Article::Number(head.number?),
        };
        return titled(
            &c,
            article,
            paragraph.map(|(n, u)| Paragraph::Nth(n as usize, u)),
            shown,
            true,
        );
    }
    if let Some(c) = KO.captures(text) {
        let base: u32 = c["base"].parse().ok().filter(|&n| n > 0)?;
        let sub: u32 = c.name("sub").map_or(Some(0), |s| s.as_str().parse().ok())?;
        let paragraph: Option<usize> = c
            .name("para")
            .and_then(|p| p.as_str().parse().ok())
            .filter(|&n| n > 0);
        let mut shown = format!("제{base}조");
        if sub > 0 {
            shown.push_str(&format!("의{sub}"));
        }
        if let Some(n) = paragraph {
            shown.push_str(&format!("제{n}항"));
        }
        return titled(
            &c,
            Article::Number(ArticleNumber::with_sub(base, sub)),
            paragraph.map(|n| Paragraph::Nth(n, '항')),
            shown,
            true,
        );
    }
    if let Some(c) = VI.captures(text) {
        let (article, shown) = latin_article(Some("điều"), &c["num"], false)?;
        let nth = c.name("nth").and_then(|k| k.as_str().parse().ok());
        let shown = match nth {
            Some(k) => format!("{shown} khoản {k}"),
            None => shown,
        };
        return titled(
            &c,
            article,
            nth.map(|k| Paragraph::Nth(k, 'k')),
            shown,
            false,
        );
    }
    let c = LATIN.captures(text)?;
    let title = c["title"].trim();
    let word = c.name("word").map(|w| w.as_str().to_lowercase());
    // A bare number is a section only after "U.S.C." (20 U.S.C. 9141): "Library Act 1960"
    // ends in a year, not a section.
    let upper = title.to_ascii_uppercase();
    let code = upper.ends_with("U.S.C.") || upper.ends_with(" USC");
    if word.is_none() && !code {
        return None;
    }
    let (article, mut shown) = latin_article(word.as_deref(), &c["num"], code)?;
    let enums: String = c["enums"].split_whitespace().collect();
    let vietnamese = word.as_deref() == Some("điều");
    let paragraph = match c.name("nth").and_then(|k| k.as_str().parse().ok()) {
        Some(k) => Some(Paragraph::Nth(k, if vietnamese { 'k' } else { 'p' })),
        None if !enums.is_empty() => Some(Paragraph::Enumerators(enums.clone())),
        None => None,
    };
    match &paragraph {
        Some(Paragraph::Nth(k, 'k')) => shown.push_str(&format!(" khoản {k}")),
        Some(Paragraph::Nth(k, _)) => shown.push_str(&format!(", paragraph {k}")),
        Some(Paragraph::Enumerators(e)) => shown.push_str(e),
        None => {}
    }
    titled(&c, article, paragraph, shown, false)
}

/// The article a Latin-script citation names, and how it reads.
fn latin_article(word: Option<&str>, num: &str, code: bool) -> Option<(Article, String)> {
    if word == Some("điều") && num.contains('.') {
        let label = format!("Điều {num}");
        return Some((Article::Label(label.clone()), label));
    }
    if num.contains('.') {
        return None;
    }
    let head_text = match word {
        _ if code => format!("§{num}"),
        Some(w) if w.starts_with('§') => format!("§{num}"),
        Some(w) if w.starts_with("art") => format!("Article {num}"),
        Some("điều") => format!("Điều {num}"),
        _ => format!("Section {num}"),
    };
    let head = article_head(&head_text, false)?;
    Some((Article::Number(head.number?), head.label))
}

/// The citation with its title part read: the addenda it names split off, and a CJK title
/// part that names no law (图书馆第三条, 条例第十条) refused.
fn titled(
    c: &Captures,
    article: Article,
    paragraph: Option<Paragraph>,
    mut shown: String,
    cjk: bool,
) -> Option<Cited> {
    let typed = c.name("title").map_or("", |t| t.as_str()).trim();
    let (title, block) = match ADDENDA.captures(typed) {
        Some(a) => (
            a.name("title").map_or("", |t| t.as_str()),
            Some(a.name("block").map_or("", |b| b.as_str().trim())),
        ),
        None => (typed, None),
    };
    let addenda = block.map(fold_title);
    let title = fold_title(title);
    if cjk && !title.is_empty() {
        // A title may end with its version or number in brackets: 航空法（昭和二十七年…）.
        let name = match title.strip_suffix(['）', ')']) {
            Some(inner) => inner.rfind(['（', '(']).map_or(inner, |i| &inner[..i]),
            None => title.as_str(),
        };
        let named = TITLE_ENDS.iter().any(|e| name.ends_with(e))
            && name.chars().count() >= 2
            && !TOO_GENERAL.contains(&name);
        if !named {
            return None;
        }
    }
    if let Some(block) = block {
        let name = if shown.starts_with('제') {
            "부칙 "
        } else {
            "附則"
        };
        shown = match block.is_empty() {
            true => format!("{name}{shown}"),
            false => format!("{name}{block} {shown}"),
        };
    }
    Some(Cited {
        title,
        addenda,
        article,
        paragraph,
        shown,
    })
}

/// A title folded for comparison: Simplified, lower case, without spaces, title marks and
/// brackets, and full stops (《中華人民共和國 公共圖書館法》 and 中华人民共和国公共图书馆法 are one
/// title, and so are 20 U.S.C. and 20 USC).
pub(crate) fn fold_title(title: &str) -> String {
    analysis::normalize(title)
        .text
        .chars()
        .filter(|c| !c.is_whitespace() && !"《》〈〉<>＜＞‹›\"“”「」『』'‘’,，.".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A folded title without the version note a text's title ends with: 四川省公共图书馆条例
/// for 四川省公共图书馆条例（2024修订）. A bracketed note without a digit is part of the name.
pub(crate) fn without_version(title: &str) -> &str {
    let t = title.trim_end();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = t.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                if inner[i..].chars().any(|c| c.is_ascii_digit()) {
                    return &t[..i];
                }
            }
        }
    }
    t
}

/// How closely a document's folded title matches the cited one: 0 the same, 1 the same but
/// for a version note (四川省公共图书馆条例 for 四川省公共图书馆条例（2024修订）), 2 the title holds
/// the cited (公共图书馆法 in 中华人民共和国公共图书馆法), 3 the cited ends with the title
/// (中华人民共和国公共图书馆法 for a text titled 公共图书馆法; not 博物馆条例实施细则 for
/// 博物馆条例, another instrument), 4 the cited is the title with words left out (明山市图书馆条例
/// for 明山市公共图书馆条例), keeping at least half of it; `None` otherwise.
pub(crate) fn title_match(cited: &str, title: &str) -> Option<u8> {
    if cited.is_empty() || title.is_empty() {
        return None;
    }
    if cited == title {
        return Some(0);
    }
    let (bare_cited, bare_title) = (without_version(cited), without_version(title));
    if bare_cited == bare_title {
        return Some(1);
    }
    [closeness(cited, title), closeness(bare_cited, bare_title)]
        .into_iter()
        .flatten()
        .min()
}

fn closeness(cited: &str, title: &str) -> Option<u8> {
    let (n, m) = (cited.chars().count(), title.chars().count());
    if n == 0 || m == 0 || cited == title {
        None
    } else if title.contains(cited) {
        Some(2)
    } else if cited.ends_with(title) && m >= 3 {
        Some(3)
    } else if 2 * n >= m && n >= 3 && {
        let mut rest = title.chars();
        cited.chars().all(|c| rest.any(|t| t == c))
    } {
        Some(4)
    } else {
        None
    }
}

/// What `find` made of a citation in one document.
#[derive(Debug)]
pub(crate) struct Found<'a> {
    pub clause: &'a Clause,
    /// The paragraph cited, when the citation names one the clause has.
    pub paragraph: Option<usize>,
    /// The citation names a paragraph the clause does not have (the whole article is given).
    pub paragraph_missing: bool,
}

/// The clauses of a document that bear the cited article, with the paragraph cited: one, or,
/// for an article of addenda whose block the citation does not name, the article in each block
/// that has one (航空法附則第十条: six amending acts' addenda each have a 第十条). The citation's
/// folded title says which instrument of a codified Vietnamese topic it means (Nghị định: the
/// decree's articles, NĐ).
pub(crate) fn find<'a>(cited: &Cited, clauses: &'a [Clause]) -> Vec<Found<'a>> {
    let instrument = if cited.title.contains("nghịđịnh") || cited.title.contains("nđ-cp") {
        "NĐ"
    } else if cited.title.contains("thôngtư") || cited.title.contains("tt-") {
        "TT"
    } else {
        "LQ"
    };
    let bears = |c: &&Clause| {
        if c.kind == ClauseKind::AmendmentItem {
            return false;
        }
        let place = match &cited.addenda {
            None => !c.in_addenda(),
            Some(block) => {
                c.in_addenda()
                    && (block.is_empty()
                        || c.headings
                            .iter()
                            .any(|h| fold_title(h).contains(block.as_str())))
            }
        };
        place
            && match &cited.article {
                Article::Label(label) => c.label == *label,
                Article::Number(n) => {
                    c.number.as_ref() == Some(n) && {
                        // A codified topic numbers each instrument's articles anew
                        // (Điều 41.12.LQ.3, Điều 41.12.NĐ.1.3).
                        let codified: Vec<&str> = c.label.split('.').collect();
                        codified.len() < 3 || codified.contains(&instrument)
                    }
                }
            }
    };
    let every_block = matches!(&cited.addenda, Some(b) if b.is_empty());
    let found: Vec<&Clause> = match every_block {
        true => clauses.iter().filter(bears).collect(),
        false => clauses.iter().find(bears).into_iter().collect(),
    };
    found
        .into_iter()
        .map(|c| with_paragraph(cited, c))
        .collect()
}

/// The clause with the paragraph the citation names, where it has it.
fn with_paragraph<'a>(cited: &Cited, clause: &'a Clause) -> Found<'a> {
    let n = clause.paragraphs.len();
    // Japan and Taiwan number paragraphs 項 (and items 款 or 号), the mainland 款 (items 项).
    let xiang = clause.label.contains('條')
        || clause
            .paragraphs
            .iter()
            .any(|p| p.chars().any(crate::grammar::is_kana));
    // The paragraph printed with this enumerator: Section 15(2), §9141(a).
    let enumerated = |e: &str| {
        let want = format!("{}{e}", clause.label).to_lowercase();
        (1..=n).find(|&i| clause.paragraph_label(i).to_lowercase() == want)
    };
    let unnumbered = (1..=n).all(|i| !clause.paragraph_label(i).ends_with(')'));
    let mut asked = cited.paragraph.is_some();
    let paragraph = match &cited.paragraph {
        Some(Paragraph::Nth(k, unit)) => {
            let unit_fits = match unit {
                '款' => !xiang,
                '項' | '项' => xiang,
                _ => true,
            };
            // An item (Taiwan's 款, the mainland's 项) is not looked for: the article is given,
            // and no paragraph is said to be missing.
            asked &= unit_fits;
            if !unit_fits || n < 2 {
                None
            } else if clause.label.starts_with("Điều") {
                (1..=n).find(|&i| clause.paragraph_label(i).ends_with(&format!(" khoản {k}")))
            } else if *unit == 'p' && !unnumbered {
                // "paragraph 2" of a section printed with enumerators is its (2).
                enumerated(&format!("({k})"))
            } else {
                Some(*k).filter(|&k| k <= n)
            }
        }
        Some(Paragraph::Enumerators(e)) if n > 1 => enumerated(e).or_else(|| {
            // Article 15(2) of a text that prints no enumerators: its second paragraph.
            let k: usize = e.strip_prefix('(')?.strip_suffix(')')?.parse().ok()?;
            (unnumbered && k <= n).then_some(k)
        }),
        _ => None,
    };
    // An article of one paragraph is its own first paragraph.
    let whole = matches!(&cited.paragraph, Some(Paragraph::Nth(1, _))) && n < 2;
    Found {
        clause,
        paragraph,
        paragraph_missing: asked && paragraph.is_none() && !whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(q: &str) -> Option<(String, u32, u32, Option<Paragraph>)> {
        parse(q).map(|c| {
            let Article::Number(n) = c.article else {
                panic!("{q}: {:?}", c.article)
            };
            (c.title, n.base, n.sub, c.paragraph)
        })
    }

    #[test]
    fn chinese_and_japanese_citations() {
        assert_eq!(
            read("公共图书馆法第三十三条第二款"),
            Some(("公共图书馆法".into(), 33, 0, Some(Paragraph::Nth(2, '款'))))
        );
        assert_eq!(
            read("《中華人民共和國公共圖書館法》 第33条"),
            Some(("中华人民共和国公共图书馆法".into(), 33, 0, None))
        );
        assert_eq!(
            read("北京市图书馆条例第十条之一"),
            Some(("北京市图书馆条例".into(), 10, 1, None))
        );
        assert_eq!(
            read("圖書館法第15條第2項").map(|c| c.3),
            Some(Some(Paragraph::Nth(2, '項')))
        );
        assert_eq!(read("第三十三条").map(|c| c.0), Some(String::new()));
        assert_eq!(
            parse("航空法第百三十一条の二の五").map(|c| c.article),
            Some(Article::Label("第百三十一条の二の五".into()))
        );
        assert_eq!(
            read("刑法第二百八十七条之二").map(|c| (c.0, c.1, c.2)),
            Some(("刑法".into(), 287, 2))
        );
        // Words around a citation make it a search, not a citation; so does a title part that
        // names no law.
        assert_eq!(read("公共图书馆法第三十三条 免费"), None);
        assert_eq!(read("公共图书馆 免费"), None);
        assert_eq!(read("图书馆第三条"), None);
        assert_eq!(read("条例第十条"), None);
        assert_eq!(read("法第三条"), None);
        // A version in brackets, and an item after the paragraph (the paragraph is cited).
        assert_eq!(
            read("中华人民共和国公共图书馆法（2017原始文本）第五十一条").map(|c| c.1),
            Some(51)
        );
        assert_eq!(
            read("公共图书馆法第三十三条第二款第一项").map(|c| c.3),
            Some(Some(Paragraph::Nth(2, '款')))
        );
    }

    #[test]
    fn addenda_are_named_apart() {
        let c = parse("도서관법 부칙 <제18547호,2021.12.7> 제3조").unwrap();
        assert_eq!(c.title, "도서관법");
        assert_eq!(c.addenda.as_deref(), Some("제18547호2021127"));
        assert_eq!(c.shown, "부칙 <제18547호,2021.12.7> 제3조");
        let c = parse("航空法附則第一条").unwrap();
        assert_eq!(
            (c.title.as_str(), c.addenda.as_deref()),
            ("航空法", Some(""))
        );
        assert_eq!(parse("航空法第一条").unwrap().addenda, None);
    }

    #[test]
    fn korean_citations() {
        assert_eq!(
            read("도서관법 제3조의2 제1항"),
            Some(("도서관법".into(), 3, 2, Some(Paragraph::Nth(1, '항'))))
        );
        assert_eq!(read("도서관법 제 12 조").map(|c| c.1), Some(12));
    }

    #[test]
    fn latin_citations() {
        assert_eq!(
            read("20 U.S.C. 9141(a)"),
            Some((
                "20usc".into(),
                9141,
                0,
                Some(Paragraph::Enumerators("(a)".into()))
            ))
        );
        assert_eq!(read("20 U.S.C. § 9141").map(|c| c.1), Some(9141));
        assert_eq!(read("20 USC 9141(b)").map(|c| c.1), Some(9141));
        assert_eq!(
            parse("20 U.S.C. 9141").map(|c| c.shown),
            Some("§9141".into())
        );
        assert_eq!(
            read("National Library Act 1960 s 6").map(|c| (c.0, c.1)),
            Some(("nationallibraryact1960".into(), 6))
        );
        assert_eq!(read("National Library Act s6").map(|c| c.1), Some(6));
        assert_eq!(
            read("Library Act Article 15, paragraph 2").map(|c| (c.1, c.3)),
            Some((15, Some(Paragraph::Nth(2, 'p'))))
        );
        assert_eq!(
            read("Luật Thư viện Điều 4 khoản 2").map(|c| (c.1, c.3)),
            Some((4, Some(Paragraph::Nth(2, 'k'))))
        );
        // The Vietnamese order, and a codified label printed whole.
        assert_eq!(
            read("khoản 2 Điều 4 Luật Thư viện").map(|c| (c.0, c.1, c.3)),
            Some(("luậtthưviện".into(), 4, Some(Paragraph::Nth(2, 'k'))))
        );
        assert_eq!(
            parse("Điều 41.12.NĐ.1.3").map(|c| c.article),
            Some(Article::Label("Điều 41.12.NĐ.1.3".into()))
        );
        // A year is no section, and a phrase with a number is no citation.
        assert_eq!(read("National Library Act 1960"), None);
        assert_eq!(read("libraries open 24 hours"), None);
        assert_eq!(read("Libraries 6"), None);
    }

    #[test]
    fn titles_match_closest_first() {
        let cited = fold_title("公共图书馆法");
        assert_eq!(title_match(&cited, &fold_title("公共图书馆法")), Some(0));
        assert_eq!(
            title_match(&cited, &fold_title("中华人民共和国公共图书馆法")),
            Some(2)
        );
        assert_eq!(title_match(&cited, &fold_title("圖書館法")), Some(3));
        // Another instrument of the law is not the law.
        assert_eq!(
            title_match(&fold_title("博物馆条例实施细则"), &fold_title("博物馆条例")),
            None
        );
        assert_eq!(
            title_match(
                &fold_title("독서문화진흥법 시행령"),
                &fold_title("독서문화진흥법")
            ),
            None
        );
        assert_eq!(title_match(&cited, &fold_title("博物馆条例")), None);
        assert_eq!(
            title_match(
                &fold_title("明山市图书馆条例"),
                &fold_title("明山市公共图书馆条例")
            ),
            Some(4)
        );
        // A version note is no part of the name.
        assert_eq!(
            title_match(
                &fold_title("四川省图书馆条例"),
                &fold_title("四川省公共图书馆条例（2024修订）")
            ),
            Some(4)
        );
        assert_eq!(
            title_match(
                &fold_title("四川省公共图书馆条例"),
                &fold_title("四川省公共图书馆条例（2024修订）")
            ),
            Some(1)
        );
        // Too little of the title, or out of order.
        assert_eq!(
            title_match(
                &fold_title("图书法"),
                &fold_title("中华人民共和国公共图书馆法")
            ),
            None
        );
        assert_eq!(
            title_match(&fold_title("条例图书馆"), &fold_title("图书馆条例")),
            None
        );
    }
}
