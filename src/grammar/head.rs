//! Recognising article heads and division headings at the start of a block of text.

use serde::{Deserialize, Serialize};

use super::number::{from_chinese, is_numeral_char, to_chinese, ArticleNumber};

/// What kind of unit a clause is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    /// 第X条, 제N조, Article N, Điều N.
    Article,
    /// § N, Section N (common-law numbering).
    Section,
    /// 一、二、 items of an amendment decision.
    AmendmentItem,
}

/// An article head found at the start of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// The citation, normalised: 第三十三条, 第一條, 제3조의2, §9141, Section 7A, Sec. 101,
    /// Article 9, Điều 41.12.LQ.1.
    pub label: String,
    pub number: Option<ArticleNumber>,
    pub kind: ClauseKind,
    /// The id part for the clause: `art33`, `art10-1`, `s9141`, `s7A`.
    pub key: String,
    /// Byte offset where the text after the head begins.
    pub rest: usize,
    /// Whether whitespace, a bracket or end of text followed the head. A head glued to the
    /// following text is only believed when its number continues the sequence.
    pub separated: bool,
    /// The head came from a heading-like form (`5  Establishment of Library`), which is only
    /// believed in headings or when the number continues the sequence.
    pub bare_number: bool,
}

/// Words that follow 第X条 in a cross-reference rather than in an article head.
const ZH_CROSSREF_NEXT: [&str; 22] = [
    "规定", "規定", "的", "至", "和", "或", "、", "中", "所", "第", "款", "项", "項", "及", "の",
    "に", "を", "又", "若", "から", "まで", "並",
];

/// Chinese and Japanese: 第三十三条, 第 1 條, 第十条之一, 第二条の二, 第33条.
fn zh_head(t: &str) -> Option<Head> {
    let rest = t.strip_prefix('第')?;
    let mut num = String::new();
    let mut idx = '第'.len_utf8();
    for c in rest.chars() {
        if is_numeral_char(c) {
            num.push(c);
        } else if c == ' ' || c == '\u{3000}' {
            // 第 1 條 (Taiwan) has spaces around the number.
        } else {
            break;
        }
        idx += c.len_utf8();
    }
    let after = &t[idx..];
    let unit = after.chars().next()?;
    if unit != '条' && unit != '條' {
        return None;
    }
    let base = from_chinese(&num)?;
    if base == 0 {
        return None;
    }
    idx += unit.len_utf8();
    let mut number = ArticleNumber::new(base);
    // Chinese numerals stay as written (Japanese 第百三十条 drops the 一 that Chinese writes);
    // Arabic numerals (第 1 條) are cited in Chinese numerals.
    let written = |n: &str, value: u32| {
        if n.chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        {
            to_chinese(value)
        } else {
            n.to_string()
        }
    };
    let mut label = format!("第{}{}", written(&num, base), unit);
    let mut key = format!("art{base}");
    // 之一 / の二 (and Japanese chains の二の三): inserted articles.
    let mut first = true;
    'chain: loop {
        let tail = &t[idx..];
        for marker in ['之', 'の'] {
            if let Some(r) = tail.strip_prefix(marker) {
                let n: String = r.chars().take_while(|&c| is_numeral_char(c)).collect();
                let Some(sub) = from_chinese(&n).filter(|&s| s > 0) else {
                    break 'chain;
                };
                if first {
                    number.sub = sub;
                    first = false;
                }
                label.push(marker);
                label.push_str(&written(&n, sub));
                key.push_str(&format!("-{sub}"));
                idx += marker.len_utf8() + n.len();
                continue 'chain;
            }
        }
        break;
    }
    let next = &t[idx..];
    let separated = next.is_empty()
        || next.starts_with(|c: char| c.is_whitespace() || "　【［[（(：:".contains(c));
    if !separated && ZH_CROSSREF_NEXT.iter().any(|w| next.starts_with(w)) {
        return None;
    }
    Some(Head {
        key,
        label,
        number: Some(number),
        kind: ClauseKind::Article,
        rest: idx,
        separated,
        bare_number: false,
    })
}

/// Korean: 제3조, 제3조의2, followed by a caption in parentheses or text.
fn ko_head(t: &str) -> Option<Head> {
    let rest = t.strip_prefix('제')?;
    let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let base: u32 = rest[..digits].parse().ok()?;
    let after = rest[digits..].strip_prefix('조')?;
    let mut idx = '제'.len_utf8() + digits + '조'.len_utf8();
    let mut number = ArticleNumber::new(base);
    if let Some(r) = after.strip_prefix('의') {
        let d = r.bytes().take_while(|b| b.is_ascii_digit()).count();
        if d > 0 {
            number.sub = r[..d].parse().ok()?;
            idx += '의'.len_utf8() + d;
        }
    }
    let next = &t[idx..];
    let separated = next.is_empty() || next.starts_with([' ', '(', '（', '\u{3000}']);
    if !separated {
        return None;
    }
    // In running text 제2조 중 "…"을 고친다 is an amendment instruction; a head carries its
    // caption in parentheses (제2조(정의)), or stands alone in a heading. law.go.kr prints the
    // articles of an addendum that amend other acts as `제2조 생략` or `제2조 부터 제6조까지
    // 생략`: omitted from the print, but articles of the addendum all the same.
    let captioned = next.trim_start().starts_with(['(', '（']) || is_omission(next);
    let label = if number.sub > 0 {
        format!("제{}조의{}", number.base, number.sub)
    } else {
        format!("제{}조", number.base)
    };
    Some(Head {
        key: format!("art{}", number.key()),
        label,
        number: Some(number),
        kind: ClauseKind::Article,
        rest: idx,
        separated: captioned,
        bare_number: !captioned,
    })
}

/// `생략` or `부터 제6조까지 생략` after an article number: the article is omitted from this
/// print (law.go.kr's addenda), with nothing else on the line.
fn is_omission(rest: &str) -> bool {
    let t = rest.trim();
    let Some(before) = t.strip_suffix("생략") else {
        return false;
    };
    let before = before.trim();
    if before.is_empty() {
        return true;
    }
    // 부터 제6조까지 (a range of omitted articles)
    before
        .strip_prefix("부터")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('제'))
        .and_then(|r| r.strip_suffix("까지"))
        .and_then(|r| r.strip_suffix('조'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `17A` → (17, "A"); digits then at most two capital letters.
fn number_with_letter(s: &str) -> Option<(ArticleNumber, usize)> {
    let digits = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    let base: u32 = s[..digits].parse().ok()?;
    let letters = s[digits..]
        .bytes()
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_lowercase())
        .count();
    // "5a" is a section number; "5th" or "5 of" is not.
    if letters > 2 {
        return None;
    }
    let letter = &s[digits..digits + letters];
    let end = digits + letters;
    let next = s[end..].chars().next();
    if letters > 0 && next.is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    Some((ArticleNumber::with_letter(base, letter), end))
}

/// English and other Latin-script forms: § 9141., Section 5, Sec. 101., SEC. 101., Article 9,
/// Art. 9, Điều 1.
fn latin_head(t: &str) -> Option<Head> {
    let forms: [(&str, &str, ClauseKind, &str); 9] = [
        ("§", "§", ClauseKind::Section, "s"),
        ("Section", "Section ", ClauseKind::Section, "s"),
        ("SECTION", "Section ", ClauseKind::Section, "s"),
        ("Sec.", "Sec. ", ClauseKind::Section, "s"),
        ("SEC.", "SEC. ", ClauseKind::Section, "s"),
        ("Article", "Article ", ClauseKind::Article, "art"),
        ("ARTICLE", "Article ", ClauseKind::Article, "art"),
        ("Art.", "Article ", ClauseKind::Article, "art"),
        ("Điều", "Điều ", ClauseKind::Article, "art"),
    ];
    for (prefix, label_prefix, kind, key_prefix) in forms {
        let Some(after) = t.strip_prefix(prefix) else {
            continue;
        };
        let spaces = after.len() - after.trim_start().len();
        if spaces == 0 && prefix != "§" {
            continue;
        }
        let body = &after[spaces..];
        if prefix == "Điều" {
            return vi_head(t, body, t.len() - body.len());
        }
        let (number, used) = number_with_letter(body)?;
        let mut idx = t.len() - body.len() + used;
        let next = &t[idx..];
        // "Section 5 of this Act" is a reference, not a head.
        let lowered = next.trim_start().to_ascii_lowercase();
        if [
            "of ", "or ", "and ", "to ", "through ", "shall", "is ", "as ", "in ",
        ]
        .iter()
        .any(|w| lowered.starts_with(w))
        {
            return None;
        }
        if next.starts_with('(') && prefix != "§" {
            return None;
        }
        if next.starts_with('.') {
            idx += 1;
        }
        let label = format!("{}{}", label_prefix, number.key());
        return Some(Head {
            key: format!("{}{}", key_prefix, number.key()),
            label,
            number: Some(number),
            kind,
            rest: idx,
            separated: true,
            bare_number: false,
        });
    }
    None
}

/// Vietnamese `Điều 5.` or codified `Điều 41.12.LQ.1.`: the whole dotted number is the label.
fn vi_head(t: &str, body: &str, start: usize) -> Option<Head> {
    let len = body
        .char_indices()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '.')
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let raw = body[..len].trim_end_matches('.');
    if !raw.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let last: u32 = raw
        .rsplit('.')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let simple = raw.bytes().all(|b| b.is_ascii_digit());
    let key = if simple {
        format!("art{raw}")
    } else {
        format!("art-{}", raw.to_lowercase().replace('.', "-"))
    };
    Some(Head {
        label: format!("Điều {raw}"),
        number: (last > 0).then(|| ArticleNumber::new(last)),
        kind: ClauseKind::Article,
        key,
        rest: (start + len).min(t.len()),
        separated: true,
        bare_number: false,
    })
}

/// Commonwealth style section heading: `5  Establishment of National Library`, `17A Terms…`.
fn bare_section_head(t: &str) -> Option<Head> {
    let (number, used) = number_with_letter(t)?;
    let rest = &t[used..];
    let trimmed = rest.trim_start();
    if trimmed.len() == rest.len() || number.base == 0 {
        return None;
    }
    // The caption starts with a capital letter and reads like a title, not a sentence.
    if !trimmed.starts_with(|c: char| c.is_ascii_uppercase()) || trimmed.len() > 120 {
        return None;
    }
    if trimmed.ends_with(['.', ';', ':', ',']) {
        return None;
    }
    Some(Head {
        key: format!("s{}", number.key()),
        label: format!("Section {}", number.key()),
        number: Some(number),
        kind: ClauseKind::Section,
        rest: t.len() - trimmed.len(),
        separated: true,
        bare_number: true,
    })
}

/// Markup a source leaves before a head: markdown emphasis, list bullets, quotes are not
/// stripped (a quoted 第X条 is a quotation inside an amendment, not a head).
fn strip_lead(t: &str) -> &str {
    t.trim_start_matches(['*', '_', ' ', '\u{3000}', '\t'])
}

/// Finds an article head at the start of `text`.
pub fn article_head(text: &str, in_heading: bool) -> Option<Head> {
    let t = strip_lead(text);
    let offset = text.len() - t.len();
    let mut head = zh_head(t)
        .or_else(|| ko_head(t))
        .or_else(|| latin_head(t))
        .or_else(|| {
            if in_heading {
                bare_section_head(t)
            } else {
                None
            }
        })?;
    head.rest += offset;
    Some(head)
}

/// Finds an article head in a paragraph of an English-language document where headings are
/// not marked up (PDF): `5 Establishment of National Library`.
pub fn bare_head(text: &str) -> Option<Head> {
    let t = strip_lead(text);
    let offset = text.len() - t.len();
    let mut head = bare_section_head(t)?;
    head.rest += offset;
    Some(head)
}

/// The number of a Chinese chapter heading (第三章 不文明行为治理 → 3), or `None` when `text`
/// is no chapter heading (a section, 第二节, or a sentence citing a chapter).
pub fn chapter_number(text: &str) -> Option<u32> {
    if division_rank(text)? != 3 {
        return None;
    }
    let rest = strip_lead(text).strip_prefix('第')?;
    let num: String = rest
        .chars()
        .take_while(|&c| is_numeral_char(c) || c == ' ')
        .collect();
    from_chinese(num.trim())
}

/// The rank of a Japanese subdivision of a 節 (節 is 4): 第一款 … 5, 第一目 … 6. Only for a
/// heading a structured format marks as one (e-Gov's Subsection, Division): in Chinese text 第二款
/// names a paragraph.
pub fn japanese_subdivision_rank(text: &str) -> Option<u8> {
    let rest = strip_lead(text).strip_prefix('第')?;
    let num: String = rest.chars().take_while(|&c| is_numeral_char(c)).collect();
    if num.is_empty() {
        return None;
    }
    match rest[num.len()..].chars().next()? {
        '款' => Some(5),
        '目' => Some(6),
        _ => None,
    }
}

/// The rank of a division heading (smaller = higher), or `None` when `text` is not one.
/// 编 1, 分编 2, 章 3, 节 4; Part/Title 1, Division/Subtitle 2, Chapter 3, Subchapter 4,
/// Subdivision 5. Korean 편 1, 장 3, 절 4, 관 5. Vietnamese Phần 1, Chương 3, Mục 4.
pub fn division_rank(text: &str) -> Option<u8> {
    let t = strip_lead(text);
    if let Some(rest) = t.strip_prefix('第') {
        let num: String = rest
            .chars()
            .take_while(|&c| is_numeral_char(c) || c == ' ')
            .collect();
        from_chinese(num.trim())?;
        let after = &rest[num.len()..];
        let rank = if after.starts_with("分编") || after.starts_with("分編") {
            2
        } else {
            match after.chars().next()? {
                '编' | '編' => 1,
                '章' => 3,
                '节' | '節' => 4,
                _ => return None,
            }
        };
        // A chapter heading is short: 第三章 服务. A wrapped sentence that starts
        // 第四章第八节的规定应当追诉的, is not.
        let unit_len = if rank == 2 {
            "分编".len()
        } else {
            '章'.len_utf8()
        };
        let title = &after[unit_len.min(after.len())..];
        let glued_word = [
            '第', '的', '规', '規', '中', '和', '或', '之', '所', '至', '及',
        ]
        .iter()
        .any(|&c| title.starts_with(c));
        if glued_word
            || after.chars().count() > 40
            || after.contains(['。', '；', '，', ',', '：', ':'])
        {
            return None;
        }
        return Some(rank);
    }
    if let Some(rest) = t.strip_prefix('제') {
        let d = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        if d > 0 {
            let after = &rest[d..];
            let rank = match after.chars().next()? {
                '편' => 1,
                '장' => 3,
                '절' => 4,
                '관' => 5,
                _ => return None,
            };
            let next = after.chars().nth(1);
            if next.is_none_or(|c| c == ' ' || c == '\u{3000}') && after.chars().count() < 50 {
                return Some(rank);
            }
        }
        return None;
    }
    if !t.starts_with(|c: char| c.is_alphabetic() && !super::is_unspaced(c)) {
        return None;
    }
    let lower = t.chars().take(16).collect::<String>().to_lowercase();
    let words: [(&str, u8); 10] = [
        ("part ", 1),
        ("title ", 1),
        ("subtitle ", 2),
        ("division ", 2),
        ("chapter ", 3),
        ("subchapter ", 4),
        ("subdivision ", 5),
        ("phần ", 1),
        ("chương ", 3),
        ("mục ", 4),
    ];
    for (w, rank) in words {
        if lower.starts_with(w) {
            let rest = t.get(w.len()..).unwrap_or("");
            // Part I, Part 2, CHAPTER 72—, Subchapter II: a number (Arabic or Roman) follows.
            let n: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let roman = !n.is_empty() && n.chars().all(|c| "ivxlcdmIVXLCDM".contains(c));
            let arabic = n.starts_with(|c: char| c.is_ascii_digit());
            if (roman || arabic) && t.chars().count() < 120 && !t.ends_with(['.', ';', ',']) {
                return Some(rank);
            }
        }
    }
    None
}

/// Chinese numbered items of an amendment decision or a list: 一、 二、 十二、
pub fn zh_item_number(text: &str) -> Option<u32> {
    let t = strip_lead(text);
    let n: String = t
        .chars()
        .take_while(|&c| is_numeral_char(c) && !c.is_ascii_digit())
        .collect();
    if n.is_empty() {
        return None;
    }
    t[n.len()..].strip_prefix('、')?;
    from_chinese(&n)
}

/// Item markers that continue a paragraph rather than start one: （一） (1) 1. 가. ⑴.
pub fn is_item_marker(text: &str) -> bool {
    let t = strip_lead(text);
    let mut chars = t.chars();
    match chars.next() {
        Some('（') | Some('(') => {
            let inner: String = chars
                .by_ref()
                .take_while(|&c| c != '）' && c != ')')
                .collect();
            !inner.is_empty()
                && inner.chars().count() <= 4
                && (inner.chars().all(is_numeral_char)
                    || inner.chars().all(|c| c.is_ascii_alphanumeric()))
        }
        Some(c) if ('⑴'..='⒇').contains(&c) => true,
        Some(c) if c.is_ascii_digit() => {
            let d = t.bytes().take_while(|b| b.is_ascii_digit()).count();
            t[d..].starts_with(". ") || t[d..].starts_with('.') && d < 3
        }
        Some(c) if ('가'..='힣').contains(&c) => t[c.len_utf8()..].starts_with(". "),
        _ => false,
    }
}

/// Korean paragraph numbers ①–⑳ start a new paragraph (항).
pub fn is_circled_number(text: &str) -> bool {
    strip_lead(text)
        .chars()
        .next()
        .is_some_and(|c| ('①'..='⑳').contains(&c))
}

/// True when a line begins a new unit (article head, division heading, numbered item) and so
/// must not be joined to the line before it by a parser that rebuilds paragraphs.
pub fn starts_unit(line: &str) -> bool {
    article_head(line, false).is_some_and(|h| h.separated)
        || division_rank(line).is_some()
        || is_item_marker(line)
        || is_circled_number(line)
        || zh_item_number(line).is_some()
}

/// True when `text` starts with an article head: 第十条, 第一百零三条, 第5條.
pub fn starts_with_article_head(text: &str) -> bool {
    let Some(rest) = text.trim_start().strip_prefix('第') else {
        return false;
    };
    let digits = rest.chars().take_while(|&c| is_numeral_char(c)).count();
    digits > 0
        && rest
            .chars()
            .nth(digits)
            .is_some_and(|c| c == '条' || c == '條')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(t: &str) -> Option<String> {
        article_head(t, false).map(|h| h.label)
    }

    #[test]
    fn chinese_heads() {
        assert_eq!(label("第三十三条 公共图书馆"), Some("第三十三条".into()));
        assert_eq!(label("第 1 條"), Some("第一條".into()));
        assert_eq!(label("第十条之一　国家"), Some("第十条之一".into()));
        assert_eq!(label("第二条の二"), Some("第二条の二".into()));
        assert_eq!(
            label("第百三十一条の二の三"),
            Some("第百三十一条の二の三".into())
        );
        assert_eq!(
            article_head("第百三十一条の二の三", true).map(|h| h.key),
            Some("art131-2-3".into())
        );
        assert_eq!(label("第三十条の規定により"), None);
        assert_eq!(label("第十条规定的"), None);
        assert_eq!(label("第十条第二款"), None);
        assert_eq!(label("第 3 页 共 5 页"), None);
        let h = article_head("第五条国家鼓励", false).unwrap();
        assert!(!h.separated);
        assert_eq!(&"第五条国家鼓励"[h.rest..], "国家鼓励");
    }

    #[test]
    fn korean_heads() {
        assert_eq!(label("제1조 (목적)"), Some("제1조".into()));
        assert_eq!(label("제3조의2(정의)"), Some("제3조의2".into()));
        assert_eq!(label("제43조제2항에 따른"), None);
        // Omitted addendum articles are articles; an instruction that mentions one is not.
        assert_eq!(label("제2조 생략"), Some("제2조".into()));
        assert_eq!(label("제2조 부터 제6조까지 생략"), Some("제2조".into()));
        assert!(article_head("제4조 생략", false).is_some_and(|h| h.separated));
        assert!(
            article_head("제2조 본문 중 \"제45조\"를 생략한다", false).is_none_or(|h| !h.separated)
        );
    }

    #[test]
    fn latin_heads() {
        assert_eq!(label("§ 9141. Grants to States"), Some("§9141".into()));
        assert_eq!(label("Section 5 Establishment"), Some("Section 5".into()));
        assert_eq!(label("Section 5 of this Act applies"), None);
        assert_eq!(label("SEC. 101. Short title."), Some("SEC. 101".into()));
        assert_eq!(label("Article 19"), Some("Article 19".into()));
        assert_eq!(
            label("Điều 41.12.LQ.1. Phạm vi"),
            Some("Điều 41.12.LQ.1".into())
        );
        assert_eq!(
            article_head("7A  Power to purchase", true).map(|h| h.label),
            Some("Section 7A".into())
        );
        assert_eq!(article_head("7A  Power to purchase", false), None);
        assert_eq!(article_head("1960 as amended", true), None);
    }

    #[test]
    fn divisions() {
        assert_eq!(division_rank("第一章 总则"), Some(3));
        assert_eq!(chapter_number("第三章　不文明行为治理"), Some(3));
        assert_eq!(chapter_number("第二节 服务"), None);
        assert_eq!(chapter_number("第三章规定的事项，由国务院规定。"), None);
        assert_eq!(division_rank("第一编　总　　则"), Some(1));
        assert_eq!(division_rank("第二节 服务"), Some(4));
        assert_eq!(division_rank("제1장 총칙"), Some(3));
        assert_eq!(division_rank("Part II--Establishment"), Some(1));
        assert_eq!(
            division_rank("CHAPTER 72— MUSEUM AND LIBRARY SERVICES"),
            Some(3)
        );
        assert_eq!(division_rank("SUBCHAPTER I— GENERAL PROVISIONS"), Some(4));
        assert_eq!(
            division_rank("Part of the library's duty is to lend."),
            None
        );
        assert_eq!(division_rank("第三章规定的事项，由国务院规定。"), None);
        assert_eq!(
            division_rank("第四章第八节的规定应当追诉的,但是如果本法"),
            None
        );
        assert_eq!(
            division_rank("第一章 刑法的任务、基本原则和适用范围"),
            Some(3)
        );
        assert_eq!(division_rank("第二分编 合同"), Some(2));
    }

    #[test]
    fn items() {
        assert_eq!(zh_item_number("十二、将第五条修改为"), Some(12));
        assert!(is_item_marker("（一）图书报刊"));
        assert!(is_item_marker("1. 국립 도서관"));
        assert!(is_item_marker("가. 작은도서관"));
        assert!(!is_item_marker("第一条"));
        assert!(is_circled_number("① 도서관은"));
    }
}
