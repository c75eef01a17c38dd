//! Clauses: the unit of retrieval and citation.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::document::Origin;
use crate::grammar::{ArticleNumber, ClauseKind};

/// A stable, readable clause id: `{doc_id}/art33`, `{doc_id}/art10-1`, `{doc_id}/s9141`,
/// `{doc_id}/add2/art1` (an article of the second addenda block), `{doc_id}/item3` (an item of
/// an amendment decision). A paragraph is cited as `{clause_id}/para2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClauseId(pub String);

impl ClauseId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The document part of the id (everything before the first `/`).
    pub fn doc_id(&self) -> &str {
        self.0.split('/').next().unwrap_or("")
    }
}

impl fmt::Display for ClauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One article (or section) with its paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clause {
    pub id: ClauseId,
    pub doc_id: String,
    /// 1-based position in the document; unique even where labels repeat (Korean addenda).
    pub ordinal: u32,
    pub kind: ClauseKind,
    /// The citation as the jurisdiction writes it: 第三十三条, 제5조의2, §9141, Section 6, Article 9.
    pub label: String,
    pub number: Option<ArticleNumber>,
    /// Caption printed with the article: (목적), "Establishment of Library", 【立法目的】.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    /// Enclosing division headings, outermost first: ["第三章 服务"], ["Part II—…"].
    pub headings: Vec<String>,
    /// Paragraphs (款 / subsections) in order; items (项) stay inside their paragraph's text.
    pub paragraphs: Vec<String>,
    /// The article text without its label, paragraphs joined by newlines.
    pub text: String,
    #[serde(default)]
    pub origin: Origin,
}

impl Clause {
    /// The label a citation names: the article's (or paragraph `n`'s, 1-based) within its
    /// addenda block when it sits in one (附則（昭和六〇年…）第一条, 부칙 <제11310호,2012.2.17>
    /// 제2조), for an addenda article restarts the numbering and would cite as the main text's.
    pub fn cited_label(&self, paragraph: Option<usize>) -> String {
        let label = match paragraph {
            Some(n) => self.paragraph_label(n),
            None => self.label.clone(),
        };
        match self.addenda() {
            Some(block) if block.chars().any(crate::grammar::is_hangul) => {
                format!("{block} {label}")
            }
            Some(block) => format!("{block}{label}"),
            None => label,
        }
    }

    /// The heading of the addenda block (附則, 부칙) the clause is an article of, when its id
    /// places it in one (`…/add2/art1`) and its label does not already name it.
    fn addenda(&self) -> Option<&str> {
        const NAMES: [&str; 3] = ["附則", "附则", "부칙"];
        if !self.in_addenda() || NAMES.iter().any(|n| self.label.starts_with(n)) {
            return None;
        }
        let heading = self
            .headings
            .iter()
            .rev()
            .map(|h| h.trim())
            .find(|h| NAMES.iter().any(|n| h.starts_with(n)))?;
        // 抄 marks an excerpt of the block, not part of its name.
        Some(heading.trim_end_matches('抄').trim_end())
    }

    /// Whether the clause is an article of an addenda block (附則, 부칙), as its id says
    /// (`…/add2/art1`).
    pub fn in_addenda(&self) -> bool {
        self.id.0.split('/').any(|s| {
            s.strip_prefix("add")
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
    }

    /// The citation of paragraph `n` (1-based), as the jurisdiction writes it: 第三十三条第二款,
    /// 제5조제2항, 第十条第二項 (Japanese), 第五條第二項 (Taiwan), §9141(a)(1) (the enumerators
    /// the paragraph stands under), Section 4 (definition of library material), or `label ¶n`
    /// where none is printed.
    pub fn paragraph_label(&self, n: usize) -> String {
        if self.paragraphs.len() <= 1 {
            return self.label.clone();
        }
        if self.label.starts_with('第') {
            // Japanese law numbers its paragraphs 項 (and writes kana), Chinese 款.
            let japanese = self
                .paragraphs
                .iter()
                .any(|p| p.chars().any(crate::grammar::is_kana));
            // Taiwan's laws (條) number paragraphs 項 and their items 款, the mainland's the
            // other way round.
            let taiwanese = self.label.contains('條');
            let unit = if japanese || taiwanese { '項' } else { '款' };
            format!(
                "{}第{}{unit}",
                self.label,
                crate::grammar::to_chinese(n as u32)
            )
        } else if self.label.starts_with('제') {
            format!("{}제{}항", self.label, n)
        } else if let Some(k) = self
            .label
            .starts_with("Điều")
            .then(|| khoan_number(self.paragraphs.get(n.wrapping_sub(1))?))
            .flatten()
        {
            // Vietnamese law numbers its paragraphs (khoản) in the text: 3. Người khiếm thị…
            // is khoản 3 whatever notes stand before it.
            format!("{} khoản {k}", self.label)
        } else if let Some(term) = self
            .paragraphs
            .get(n.wrapping_sub(1))
            .filter(|_| self.defines_terms())
            .and_then(|p| defined_term(p))
        {
            // Common-law citation of a definition: s 4 (definition of library material).
            format!("{} (definition of {term})", self.label)
        } else {
            match enumerator_path(&self.paragraphs[..n.min(self.paragraphs.len())]) {
                Some(path) => format!("{}{path}", self.label),
                None => format!("{} ¶{}", self.label, n),
            }
        }
    }

    /// Whether the clause is a section of definitions: captioned so (Interpretation,
    /// Definitions), or opening with "In this Act" (Part, section…).
    fn defines_terms(&self) -> bool {
        let caption = self.caption.to_lowercase();
        caption.contains("interpretation")
            || caption.contains("definition")
            || self
                .paragraphs
                .first()
                .is_some_and(|p| p.trim_start().starts_with("In this "))
    }
}

/// The term a paragraph of a definitions section defines: "library material" in "library
/// material includes books, …", "Council" in "the Council means …"; `None` for a paragraph
/// that defines nothing.
fn defined_term(paragraph: &str) -> Option<&str> {
    let p = paragraph.trim_start();
    let end = [
        " means ",
        " includes ",
        " has the meaning ",
        " has the same meaning ",
    ]
    .iter()
    .filter_map(|verb| p.find(verb))
    .min()?;
    let term = p[..end].trim();
    let term = term
        .strip_prefix("the ")
        .or_else(|| term.strip_prefix("The "))
        .unwrap_or(term);
    let words = term.split_whitespace().count();
    let plain = term
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '\'');
    (plain && (1..=6).contains(&words) && term.starts_with(|c: char| c.is_alphabetic()))
        .then_some(term)
}

/// Citation of a clause of the law titled `title`: 《中华人民共和国公共图书馆法》第三十三条第二款 for
/// titles in CJK script, `20 U.S.C. §9141(a)` for a chapter of the United States Code, `title,
/// label` otherwise.
pub fn citation(title: &str, label: &str) -> String {
    use crate::grammar::{is_han, is_hangul, is_kana};
    // A title that starts with a Latin letter is cited the English way, even where it names
    // the Chinese law it translates (Library Act (official English translation of 圖書館法)).
    let latin = title
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && !(is_han(c) || is_hangul(c) || is_kana(c)));
    if !latin
        && title
            .chars()
            .any(|c| is_han(c) || is_hangul(c) || is_kana(c))
    {
        return format!("《{title}》{label}");
    }
    // "20 U.S.C. Chapter 72 — …": the Code cites by title and section alone.
    let mut words = title.split_whitespace();
    if let (Some(number), Some("U.S.C."), true) =
        (words.next(), words.next(), label.starts_with('§'))
    {
        if number.chars().all(|c| c.is_ascii_digit()) {
            return format!("{number} U.S.C. {label}");
        }
    }
    format!("{title}, {label}")
}

/// The number a Vietnamese paragraph prints before its text: `3. Người…` gives 3.
fn khoan_number(paragraph: &str) -> Option<u32> {
    let t = paragraph.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = &t[digits.len()..];
    (!digits.is_empty() && digits.len() <= 3 && rest.starts_with(". "))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The enumerators the last of `paragraphs` stands under: `(a)(1)(A)(i)` in the United
/// States Code, `(2)(a)(i)` in an Australian or British act. Each kind of enumerator (digits,
/// lowercase letters, capitals, lowercase and capital roman numerals) is one level, nested in
/// the order the section first uses them; a paragraph without one of its own is under the
/// last. `None` when no paragraph has one.
fn enumerator_path(paragraphs: &[String]) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Digits,
        Lower,
        Upper,
        LowerRoman,
        UpperRoman,
    }
    let mut order: Vec<Kind> = Vec::new();
    let mut stack: Vec<(usize, Kind, String)> = Vec::new();
    for p in paragraphs {
        let Some(token) = p
            .trim_start()
            .strip_prefix('(')
            .and_then(|r| r.split_once(')'))
            .map(|(t, _)| t)
            .filter(|t| {
                !t.is_empty() && t.len() <= 8 && t.chars().all(|c| c.is_ascii_alphanumeric())
            })
        else {
            continue;
        };
        // (i) after (h) is a letter, elsewhere a roman numeral; so are (v) and (x).
        let letter_after = |kind: Kind| {
            let c = token.chars().next().unwrap_or(' ');
            token.len() == 1
                && stack.iter().any(|(_, k, t)| {
                    *k == kind && t.chars().next().map(|p| (p as u8 + 1) as char) == Some(c)
                })
        };
        let roman = token.chars().all(|c| "ivxlcIVXLC".contains(c));
        let kind = if token.chars().all(|c| c.is_ascii_digit()) {
            Kind::Digits
        } else if token.chars().all(|c| c.is_ascii_lowercase()) {
            if roman
                && !letter_after(Kind::Lower)
                && (token.len() > 1 || order.contains(&Kind::Lower))
            {
                Kind::LowerRoman
            } else {
                Kind::Lower
            }
        } else if token.chars().all(|c| c.is_ascii_uppercase()) {
            if roman
                && !letter_after(Kind::Upper)
                && (token.len() > 1 || order.contains(&Kind::Upper))
            {
                Kind::UpperRoman
            } else {
                Kind::Upper
            }
        } else {
            continue;
        };
        let depth = match order.iter().position(|k| *k == kind) {
            Some(d) => d,
            None => {
                order.push(kind);
                order.len() - 1
            }
        };
        while stack.last().is_some_and(|(d, _, _)| *d >= depth) {
            stack.pop();
        }
        stack.push((depth, kind, token.to_string()));
    }
    (!stack.is_empty()).then(|| stack.iter().map(|(_, _, t)| format!("({t})")).collect())
}

/// An article of the document `law`, for tests that compare texts: id `law/art{n}`, one
/// paragraph.
#[cfg(test)]
pub(crate) fn test_article(n: u32, label: &str, text: &str) -> Clause {
    Clause {
        id: ClauseId(format!("law/art{n}")),
        doc_id: "law".into(),
        ordinal: n,
        kind: ClauseKind::Article,
        label: label.into(),
        number: None,
        caption: String::new(),
        headings: Vec::new(),
        paragraphs: vec![text.into()],
        text: text.into(),
        origin: Origin::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(label: &str, paragraphs: &[&str]) -> Clause {
        let mut c = test_article(1, label, "");
        c.paragraphs = paragraphs.iter().map(|p| p.to_string()).collect();
        c
    }

    #[test]
    fn a_definition_is_cited_by_the_term_it_defines() {
        let s = clause(
            "Section 4",
            &[
                "In this Act, unless the contrary intention appears:",
                "library material includes books, periodicals and maps.",
                "the Council means the Council of the National Library.",
                "member means a member of the Council, and:",
                "(a) includes the Chair; and",
                "Finance Minister means the Minister administering the Act.",
            ],
        );
        let labels: Vec<String> = (1..=6).map(|n| s.paragraph_label(n)).collect();
        assert_eq!(
            labels,
            [
                "Section 4 ¶1",
                "Section 4 (definition of library material)",
                "Section 4 (definition of Council)",
                "Section 4 (definition of member)",
                "Section 4(a)",
                "Section 4 (definition of Finance Minister)",
            ]
        );
        // Outside a definitions section, a sentence with "means" is just a paragraph.
        let t = clause(
            "Section 9",
            &["The Council may act.", "Notice means nothing here."],
        );
        assert_eq!(t.paragraph_label(2), "Section 9 ¶2");
    }

    #[test]
    fn a_section_is_cited_by_the_enumerators_its_paragraph_stands_under() {
        let s = clause(
            "§9141",
            &[
                "(a) In general",
                "Of the funds provided, the agency shall spend on",
                "(1) expanding services;",
                "(3)",
                "(A) providing training;",
                "(i) for librarians;",
                "(b) Special rule",
                "(h) Another rule",
                "(i) The ninth letter, after (h), not a numeral.",
            ],
        );
        let labels: Vec<String> = (1..=9).map(|n| s.paragraph_label(n)).collect();
        assert_eq!(
            labels,
            [
                "§9141(a)",
                "§9141(a)",
                "§9141(a)(1)",
                "§9141(a)(3)",
                "§9141(a)(3)(A)",
                "§9141(a)(3)(A)(i)",
                "§9141(b)",
                "§9141(h)",
                "§9141(i)",
            ]
        );
        assert_eq!(
            clause("Section 6", &["The Library is a body.", "It may sue."]).paragraph_label(2),
            "Section 6 ¶2"
        );
        // An Australian act nests the other way: subsection (1), paragraph (a), (i).
        let au = clause(
            "Section 7",
            &[
                "(1) The Library may act.",
                "(2) Its powers include:",
                "(a) to buy;",
                "(i) books;",
                "(3) Money is held.",
            ],
        );
        let labels: Vec<String> = (1..=5).map(|n| au.paragraph_label(n)).collect();
        assert_eq!(
            labels,
            [
                "Section 7(1)",
                "Section 7(2)",
                "Section 7(2)(a)",
                "Section 7(2)(a)(i)",
                "Section 7(3)"
            ]
        );
        assert_eq!(
            citation(
                "20 U.S.C. Chapter 72 — Museum and Library Services",
                "§9141(a)"
            ),
            "20 U.S.C. §9141(a)"
        );
        assert_eq!(
            citation(
                "Library Act (official English translation of 圖書館法)",
                "Article 9"
            ),
            "Library Act (official English translation of 圖書館法), Article 9"
        );
        assert_eq!(
            citation("2023年度图书馆工作办法", "第一条"),
            "《2023年度图书馆工作办法》第一条"
        );
        assert_eq!(
            citation("National Library Act 1960", "Section 6"),
            "National Library Act 1960, Section 6"
        );
        assert_eq!(
            citation("公共图书馆法", "第三十三条第二款"),
            "《公共图书馆法》第三十三条第二款"
        );
    }

    #[test]
    fn japanese_and_taiwanese_paragraphs_are_xiang_mainland_kuan() {
        let ja = clause(
            "第十条",
            &["図書館は、資料を収集する。", "前項の規定は、適用しない。"],
        );
        assert_eq!(ja.paragraph_label(2), "第十条第二項");
        let zh = clause("第十条", &["图书馆应当收集资料。", "前款规定不适用。"]);
        assert_eq!(zh.paragraph_label(2), "第十条第二款");
        let tw = clause(
            "第五條",
            &[
                "圖書館專業人員應具備下列資格之一：\n一、畢業。",
                "前項人員應受訓練。",
            ],
        );
        assert_eq!(tw.paragraph_label(2), "第五條第二項");
    }

    #[test]
    fn a_vietnamese_paragraph_is_cited_by_its_printed_number() {
        let vn = clause(
            "Điều 41.12.LQ.44",
            &[
                "(Điều 44 Luật số 46/2019/QH14, có hiệu lực thi hành kể từ ngày 01/07/2020)",
                "1. Người dân tộc thiểu số được tạo điều kiện.",
                "2. Người cao tuổi được tạo điều kiện.",
                "3. Người khiếm thị có quyền sử dụng tài nguyên thông tin.",
            ],
        );
        assert_eq!(vn.paragraph_label(4), "Điều 41.12.LQ.44 khoản 3");
        assert_eq!(vn.paragraph_label(1), "Điều 41.12.LQ.44 ¶1");
    }

    #[test]
    fn an_addenda_article_is_cited_within_its_block() {
        let mut ja = clause("第一条", &["この法律は、公布の日から施行する。"]);
        ja.id = ClauseId("koku/add27/art1".into());
        ja.headings = vec!["附則（昭和六〇年一二月二四日法律第一〇二号） 抄".into()];
        assert_eq!(
            ja.cited_label(None),
            "附則（昭和六〇年一二月二四日法律第一〇二号）第一条"
        );
        let mut ko = clause("제5조", &["① 가", "② 나"]);
        ko.id = ClauseId("decree/add1/art5".into());
        ko.headings = vec!["부칙 <제33023호,2022.12.6>".into()];
        assert_eq!(
            ko.cited_label(Some(2)),
            "부칙 <제33023호,2022.12.6> 제5조제2항"
        );
        // The main text, and a block cited by its own heading, stay as they are.
        let main = clause("제5조", &["① 가"]);
        assert_eq!(main.cited_label(None), "제5조");
        let mut block = clause("부칙 <제1호>", &["이 법은 공포한 날부터 시행한다."]);
        block.id = ClauseId("act/add1".into());
        block.headings = vec!["부칙 <제1호>".into()];
        assert_eq!(block.cited_label(None), "부칙 <제1호>");
    }
}
