//! A query that is a citation names a provision, and is looked up rather than searched for its
//! words: 公共图书馆法第三十三条第二款, 《北京市图书馆条例》第十七条, 도서관법 제3조의2 제1항,
//! 20 U.S.C. 9141(a), National Library Act 1960 s 6. Searched as words, such a query found
//! every clause that mentions the law or cites some 第三十三条, and rarely the article itself.

use std::sync::LazyLock;

use regex::Regex;

use crate::grammar::{article_head, from_chinese, ArticleNumber, ClauseKind};
use crate::index::analysis;
use crate::model::Clause;

/// A provision a query cites: the law's title as typed (folded for comparison) and the
/// article, with the paragraph when one is named.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cited {
    /// The title part, folded ([`fold_title`]); empty when the query names only the article.
    pub title: String,
    pub number: ArticleNumber,
    pub paragraph: Option<Paragraph>,
    /// The provision as read, for the reader: 第三十三条第二款, §9141(a).
    pub shown: String,
}

/// How a citation names a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Paragraph {
    /// By its position: 第二款, 제2항, khoản 2.
    Nth(usize),
    /// By the enumerators it stands under: (a)(1) of §9141(a)(1).
    Enumerators(String),
}

/// The Chinese and Japanese form: 第三十三条, 第十条之一, 第二条の二, then 第二款 / 第二項.
static ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?s)(?P<title>.*?)\s*(?P<head>第\s*[〇零一二两三四五六七八九十百千0-9０-９]+\s*[条條](?:[之の][〇零一二三四五六七八九十0-9]+)?)\s*(?:第\s*(?P<para>[〇零一二两三四五六七八九十0-9０-９]+)\s*[款項项])?\s*$",
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

/// The Latin forms: § 9141(a)(1), section 6, s 6, Sec. 305, Article 9, Điều 4 khoản 2, and a
/// bare section number after "U.S.C.".
static LATIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(?P<title>.*?)[\s,]*(?:(?P<word>§+|\b(?:sections?|secs?\.?|ss?\.|ss?|articles?|art\.?|điều))\s*)?\b(?P<num>[0-9]+[A-Za-z]?)(?P<enums>(?:\s*\([0-9A-Za-z]+\))*)(?:\s*khoản\s*(?P<khoan>[0-9]+))?\s*$",
    )
    .expect("valid pattern")
});

/// Reads `text` as a citation, or `None` when it is not one.
pub(crate) fn parse(text: &str) -> Option<Cited> {
    let text = text.trim();
    if let Some(c) = ZH.captures(text) {
        let head = article_head(c.name("head")?.as_str(), false)?;
        let paragraph = c
            .name("para")
            .and_then(|p| from_chinese(p.as_str()))
            .filter(|&n| n > 0);
        let mut shown = head.label.clone();
        if let Some(n) = paragraph {
            shown.push_str(&format!("第{}款", crate::grammar::to_chinese(n)));
        }
        return Some(Cited {
            title: fold_title(&c["title"]),
            number: head.number?,
            paragraph: paragraph.map(|n| Paragraph::Nth(n as usize)),
            shown,
        });
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
        return Some(Cited {
            title: fold_title(&c["title"]),
            number: ArticleNumber::with_sub(base, sub),
            paragraph: paragraph.map(Paragraph::Nth),
            shown,
        });
    }
    let c = LATIN.captures(text)?;
    let title = c["title"].trim();
    let word = c.name("word").map(|w| w.as_str().to_lowercase());
    // A bare number is a section only after "U.S.C." (20 U.S.C. 9141): "Library Act 1960"
    // ends in a year, not a section.
    let code = title.to_ascii_uppercase().ends_with("U.S.C.");
    if word.is_none() && !code {
        return None;
    }
    let head_text = match word.as_deref() {
        _ if code => format!("§{}", &c["num"]),
        Some(w) if w.starts_with('§') => format!("§{}", &c["num"]),
        Some(w) if w.starts_with("art") => format!("Article {}", &c["num"]),
        Some("điều") => format!("Điều {}", &c["num"]),
        _ => format!("Section {}", &c["num"]),
    };
    let head = article_head(&head_text, false)?;
    let enums: String = c["enums"].split_whitespace().collect();
    let paragraph = match c.name("khoan").and_then(|k| k.as_str().parse().ok()) {
        Some(k) => Some(Paragraph::Nth(k)),
        None if !enums.is_empty() => Some(Paragraph::Enumerators(enums.clone())),
        None => None,
    };
    let mut shown = head.label.clone();
    match &paragraph {
        Some(Paragraph::Nth(k)) => shown.push_str(&format!(" khoản {k}")),
        Some(Paragraph::Enumerators(e)) => shown.push_str(e),
        None => {}
    }
    Some(Cited {
        title: fold_title(title),
        number: head.number?,
        paragraph,
        shown,
    })
}

/// A title folded for comparison: Simplified, lower case, without spaces, title marks and
/// brackets (《中華人民共和國 公共圖書館法》 and 中华人民共和国公共图书馆法 are one title).
pub(crate) fn fold_title(title: &str) -> String {
    analysis::normalize(title)
        .text
        .chars()
        .filter(|c| !c.is_whitespace() && !"《》〈〉<>\"“”「」『』'‘’,，".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How closely a document's folded title matches the cited one: 0 the same, 1 the title
/// holds the cited (公共图书馆法 in 中华人民共和国公共图书馆法, a version's 条例（2024修订）),
/// 2 the cited holds the title (中华人民共和国公共图书馆法 for a text titled 公共图书馆法),
/// 3 the cited is the title with words left out (明山市图书馆条例 for 明山市公共图书馆条例),
/// keeping at least half of it; `None` otherwise.
pub(crate) fn title_match(cited: &str, title: &str) -> Option<u8> {
    let (n, m) = (cited.chars().count(), title.chars().count());
    if n == 0 || m == 0 {
        None
    } else if cited == title {
        Some(0)
    } else if title.contains(cited) {
        Some(1)
    } else if cited.contains(title) && m >= 3 {
        Some(2)
    } else if 2 * n >= m && n >= 3 && {
        let mut rest = title.chars();
        cited.chars().all(|c| rest.any(|t| t == c))
    } {
        Some(3)
    } else {
        None
    }
}

/// The clause of a document's main text (not an addenda article, not an item of an amendment
/// decision) that bears the cited number, with the paragraph cited when the citation names one
/// the clause has.
pub(crate) fn find<'a>(
    cited: &Cited,
    clauses: &'a [Clause],
) -> Option<(&'a Clause, Option<usize>)> {
    let clause = clauses.iter().find(|c| {
        c.kind != ClauseKind::AmendmentItem
            && c.number.as_ref() == Some(&cited.number)
            && !c.id.0.split('/').any(|s| {
                s.strip_prefix("add")
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            })
    })?;
    let n = clause.paragraphs.len();
    let paragraph = match &cited.paragraph {
        Some(Paragraph::Nth(k)) if n > 1 => {
            if clause.label.starts_with("Điều") {
                (1..=n).find(|&i| clause.paragraph_label(i).ends_with(&format!(" khoản {k}")))
            } else {
                Some(*k).filter(|&k| k <= n)
            }
        }
        Some(Paragraph::Enumerators(e)) if n > 1 => {
            let want = format!("{}{e}", clause.label).to_lowercase();
            (1..=n).find(|&i| clause.paragraph_label(i).to_lowercase() == want)
        }
        _ => None,
    };
    Some((clause, paragraph))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(q: &str) -> Option<(String, u32, u32, Option<Paragraph>)> {
        parse(q).map(|c| (c.title, c.number.base, c.number.sub, c.paragraph))
    }

    #[test]
    fn chinese_and_japanese_citations() {
        assert_eq!(
            read("公共图书馆法第三十三条第二款"),
            Some(("公共图书馆法".into(), 33, 0, Some(Paragraph::Nth(2))))
        );
        assert_eq!(
            read("《中華人民共和國公共圖書館法》 第33条"),
            Some(("中华人民共和国公共图书馆法".into(), 33, 0, None))
        );
        assert_eq!(
            read("北京市图书馆条例第十条之一"),
            Some(("北京市图书馆条例".into(), 10, 1, None))
        );
        assert_eq!(read("第三十三条").map(|c| c.0), Some(String::new()));
        // Words around a citation make it a search, not a citation.
        assert_eq!(read("公共图书馆法第三十三条 免费"), None);
        assert_eq!(read("公共图书馆 免费"), None);
    }

    #[test]
    fn korean_citations() {
        assert_eq!(
            read("도서관법 제3조의2 제1항"),
            Some(("도서관법".into(), 3, 2, Some(Paragraph::Nth(1))))
        );
        assert_eq!(read("도서관법 제 12 조").map(|c| c.1), Some(12));
    }

    #[test]
    fn latin_citations() {
        assert_eq!(
            read("20 U.S.C. 9141(a)"),
            Some((
                "20u.s.c.".into(),
                9141,
                0,
                Some(Paragraph::Enumerators("(a)".into()))
            ))
        );
        assert_eq!(read("20 U.S.C. § 9141").map(|c| c.1), Some(9141));
        assert_eq!(
            parse("20 U.S.C. 9141").map(|c| c.shown),
            Some("§9141".into())
        );
        assert_eq!(
            read("National Library Act 1960 s 6").map(|c| (c.0, c.1)),
            Some(("nationallibraryact1960".into(), 6))
        );
        assert_eq!(
            read("Luật Thư viện Điều 4 khoản 2").map(|c| (c.1, c.3)),
            Some((4, Some(Paragraph::Nth(2))))
        );
        // A year is no section, and a phrase with a number is no citation.
        assert_eq!(read("National Library Act 1960"), None);
        assert_eq!(read("libraries open 24 hours"), None);
    }

    #[test]
    fn titles_match_closest_first() {
        let cited = fold_title("公共图书馆法");
        assert_eq!(title_match(&cited, &fold_title("公共图书馆法")), Some(0));
        assert_eq!(
            title_match(&cited, &fold_title("中华人民共和国公共图书馆法")),
            Some(1)
        );
        assert_eq!(title_match(&cited, &fold_title("圖書館法")), Some(2));
        assert_eq!(title_match(&cited, &fold_title("博物馆条例")), None);
        assert_eq!(
            title_match(
                &fold_title("明山市图书馆条例"),
                &fold_title("明山市公共图书馆条例")
            ),
            Some(3)
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
