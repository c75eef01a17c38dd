//! Text patterns of law documents: article and division heads, items, sentence ends, and the
//! spacing rules of Chinese text. Pure functions on `&str`, shared by the layout passes.

/// Characters of Chinese numerals (and full-width digits) used in 第X条 labels.
fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千'
            | '万' | '两' | '0'..='9' | '０'..='９'
    )
}

pub(super) use crate::grammar::is_han;

use crate::grammar::tighten_spacing;

/// What kind of division a heading line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Division {
    /// 编 / Part.
    Part,
    /// 分编 / Division.
    SubPart,
    /// 章 / Chapter.
    Chapter,
    /// 节 / Subdivision.
    Section,
}

/// Byte length of a leading `第…X` label whose last character is one of `units`
/// (e.g. `第十二条`, `第三章`), if the text starts with one.
fn numbered_label(text: &str, units: &[char]) -> Option<(usize, char)> {
    let rest = text.strip_prefix('第')?;
    let rest_trim = rest.trim_start_matches([' ', '\u{3000}']);
    let skipped = rest.len() - rest_trim.len();
    let mut n = 0;
    let mut len = '第'.len_utf8() + skipped;
    for c in rest_trim.chars() {
        if is_numeral(c) {
            n += 1;
            len += c.len_utf8();
            if n > 10 {
                return None;
            }
            continue;
        }
        if c == ' ' || c == '\u{3000}' {
            // xeCJK and letter-spacing put spaces inside labels: 第 1 条.
            len += c.len_utf8();
            continue;
        }
        if n > 0 && units.contains(&c) {
            return Some((len + c.len_utf8(), c));
        }
        return None;
    }
    None
}

/// Words that follow 第X条 in a cross-reference but never in an article head. After a space
/// only the unambiguous ones count: an article may well start with 中华人民共和国… or 以….
fn continues_reference(rest: &str, spaced: bool) -> bool {
    const ALWAYS: [&str; 9] = ["的", "规定", "、", "，", ",", "至", "第", "之规定", "。"];
    const UNSPACED: [&str; 7] = ["和", "或", "及", "中", "所", "以", "有关"];
    ALWAYS.iter().any(|r| rest.starts_with(r))
        || (!spaced && UNSPACED.iter().any(|r| rest.starts_with(r)))
}

/// If `text` starts with an article head (`第X条`, `第X条之一`), the byte length of its label.
/// `strict`: the label must be followed by a space or end the line (a wrapped line can start
/// with a cross-reference such as `第二十条的规定`).
pub(super) fn article_label(text: &str, strict: bool) -> Option<usize> {
    let (mut len, _) = numbered_label(text, &['条'])?;
    let rest = &text[len..];
    if let Some(after) = rest.strip_prefix('之') {
        let n: usize = after
            .chars()
            .take_while(|&c| is_numeral(c))
            .map(char::len_utf8)
            .sum();
        if n > 0 {
            len += '之'.len_utf8() + n;
        }
    }
    let rest = &text[len..];
    let trimmed = rest.trim_start_matches([' ', '\u{3000}', '\u{a0}']);
    let spaced = trimmed.len() < rest.len() || rest.is_empty();
    if continues_reference(trimmed, spaced) {
        return None;
    }
    if strict && !spaced {
        return None;
    }
    Some(len)
}

/// `Article 5`, `Art. 5`, `Section 5`, `Sec. 5`, `§ 5` (English and similar heads), with the
/// byte length of the label.
pub(super) fn english_article_label(text: &str) -> Option<usize> {
    let word_len = ["article", "section", "art.", "sec.", "§"]
        .iter()
        .find(|w| starts_with_ignore_case(text, w))
        .map(|w| w.len())?;
    let rest = &text[word_len..];
    let digits_start = rest.len() - rest.trim_start().len();
    let num = &rest[digits_start..];
    let n: usize = num
        .char_indices()
        .take_while(|(i, c)| {
            c.is_ascii_digit() || (*i > 0 && c.is_ascii_uppercase()) || (*i > 0 && *c == '-')
        })
        .map(|(_, c)| c.len_utf8())
        .sum();
    if n == 0 || !num.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let after = &num[n..];
    if !(after.is_empty() || after.starts_with([' ', '.', ':', '\u{a0}', '—', '-', '('])) {
        return None;
    }
    Some(word_len + digits_start + n)
}

/// ASCII case-insensitive prefix test, without allocating.
fn starts_with_ignore_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .get(..word.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()))
}

/// A numbered English section head as Commonwealth acts print it: `5  Establishment of
/// Library`, `17A Borrowing`: a number (with letters) then a capitalised caption.
pub(super) fn numbered_section_label(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let letters = text[digits..]
        .bytes()
        .take_while(u8::is_ascii_uppercase)
        .count();
    if letters > 2 {
        return None;
    }
    let label = digits + letters;
    let rest = &text[label..];
    let caption = rest.trim_start_matches([' ', '\u{a0}']);
    if caption.len() == rest.len() {
        return None;
    }
    let mut chars = caption.chars();
    let first_upper = chars.next().is_some_and(|c| c.is_uppercase());
    let second_lower = chars.next().is_some_and(|c| c.is_lowercase());
    (first_upper && second_lower).then_some(label)
}

/// A division heading: `第一章 总则`, `第二编　分　则`, `第三节`, `Part II—Establishment`,
/// `Chapter 3`. Returns its kind and the byte length of its label.
pub(super) fn division_label(text: &str) -> Option<(Division, usize)> {
    if let Some((len, unit)) = numbered_label(text, &['编', '章', '节']) {
        let kind = match unit {
            '编' => Division::Part,
            '章' => Division::Chapter,
            _ => Division::Section,
        };
        // 分编 is 第一分编.
        let rest = &text[len..];
        let trimmed = rest.trim_start();
        if rest.starts_with('第') || continues_reference(trimmed, trimmed.len() < rest.len()) {
            return None;
        }
        return Some((kind, len));
    }
    if let Some((len, _)) = numbered_label(text, &['分']) {
        if text[len..].starts_with('编') {
            return Some((Division::SubPart, len + '编'.len_utf8()));
        }
    }
    let words: [(&str, Division); 4] = [
        ("part", Division::Part),
        ("division", Division::SubPart),
        ("chapter", Division::Chapter),
        ("subdivision", Division::Section),
    ];
    for (word, kind) in words {
        if !starts_with_ignore_case(text, word) {
            continue;
        }
        let rest = text.get(word.len()..)?;
        let num_start = rest.len() - rest.trim_start().len();
        if num_start == 0 {
            return None;
        }
        let num = &rest[num_start..];
        let n: usize = num
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(char::len_utf8)
            .sum();
        let token = &num[..n];
        let roman = !token.is_empty() && token.chars().all(|c| "IVXLCDM".contains(c));
        let numeric = token.starts_with(|c: char| c.is_ascii_digit())
            && token.chars().all(|c| c.is_ascii_alphanumeric());
        if !(roman || numeric) {
            return None;
        }
        let after = &num[n..];
        if after.is_empty() || after.starts_with([' ', '—', '–', '-', ':', '.', '\u{a0}']) {
            return Some((kind, word.len() + num_start + n));
        }
        return None;
    }
    None
}

/// An item or list head at the start of a line: `（一）`, `(一)`, `一、`, `(a)`, `(1)`, `(iv)`,
/// `1.`, `1、`.
pub(super) fn item_label(text: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    let (_, first) = chars.next()?;
    if first == '（' || first == '(' {
        let inner_start = first.len_utf8();
        let end = text[inner_start..].find([')', '）'])?;
        let inner = &text[inner_start..inner_start + end];
        let ok = !inner.is_empty()
            && inner.chars().count() <= 5
            && (inner.chars().all(is_numeral)
                || inner.chars().all(|c| c.is_ascii_digit())
                || inner.chars().all(|c| c.is_ascii_lowercase())
                || inner.chars().all(|c| c.is_ascii_uppercase()));
        let close_len = text[inner_start + end..].chars().next()?.len_utf8();
        return ok.then_some(inner_start + end + close_len);
    }
    let n: usize = text
        .chars()
        .take_while(|&c| is_numeral(c))
        .map(char::len_utf8)
        .sum();
    if n == 0 || n > 12 {
        return None;
    }
    let rest = &text[n..];
    if rest.starts_with('、') {
        return Some(n + '、'.len_utf8());
    }
    let ascii_number = text[..n].bytes().all(|b| b.is_ascii_digit());
    if ascii_number && rest.starts_with('.') && !rest[1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Some(n + 1);
    }
    None
}

/// Ends a sentence or a clause that a new paragraph or item may follow.
pub(super) fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end();
    match t.chars().next_back() {
        Some('。' | '；' | '：' | '！' | '？' | '.' | ';' | ':' | '!' | '?') => true,
        _ => ends_sentence_before_closer(t),
    }
}

/// `……。”` and `……。）` end a sentence too.
fn ends_sentence_before_closer(t: &str) -> bool {
    let mut rev = t.chars().rev();
    let closer = rev.next();
    let before = rev.next();
    matches!(closer, Some('）' | ')' | '”' | '」' | '"' | '’'))
        && matches!(
            before,
            Some('。' | '；' | '！' | '？' | '.' | ';' | '!' | '?')
        )
}

/// Ends with `; and`, `; or`: an English list item that the next item follows.
pub(super) fn ends_list_item(text: &str) -> bool {
    let t = text.trim_end();
    t.ends_with("; and") || t.ends_with("; or") || t.ends_with(", and") || t.ends_with(", or")
}

/// A heading's text: label, one space, caption with letter-spacing removed
/// (`第一章　总　　则` → `第一章 总则`).
pub(super) fn normalize_heading(text: &str, label_len: usize) -> String {
    let (label, caption) = text.split_at_checked(label_len).unwrap_or(("", text));
    let label: String = if label.chars().any(is_han) {
        label.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        tighten_spacing(label.trim(), None)
    };
    let caption = tighten_spacing(caption.trim(), None);
    let caption = if caption.chars().any(is_han) {
        caption.replace(' ', "")
    } else {
        caption
    };
    if caption.is_empty() {
        label
    } else if caption.starts_with(['—', '–', '-', ':']) {
        format!("{label}{caption}")
    } else {
        format!("{label} {caption}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_heads_and_cross_references() {
        assert_eq!(article_label("第一条 为了", true), Some("第一条".len()));
        assert_eq!(
            article_label("第十条之一　本法", true),
            Some("第十条之一".len())
        );
        assert_eq!(article_label("第二十条的规定", false), None);
        assert_eq!(article_label("第五条、第六条", false), None);
        assert_eq!(article_label("第三条第一款", false), None);
        assert_eq!(article_label("第三条为了", true), None);
        assert_eq!(article_label("第三条为了", false), Some("第三条".len()));
        assert_eq!(
            article_label("第七条 中华人民共和国公民", true),
            Some("第七条".len())
        );
        assert_eq!(article_label("第七条中华人民共和国公民", false), None);
        assert_eq!(article_label("第 1 条 总", true), Some("第 1 条".len()));
        assert_eq!(article_label("第1页 共5页", true), None);
        assert_eq!(article_label("第一章 总则", true), None);
    }

    #[test]
    fn division_heads() {
        assert_eq!(
            division_label("第一章 总则").map(|d| d.0),
            Some(Division::Chapter)
        );
        assert_eq!(
            division_label("第二编　分　则").map(|d| d.0),
            Some(Division::Part)
        );
        assert_eq!(division_label("第四章第八节的规定"), None);
        assert_eq!(
            division_label("Part II—Establishment").map(|d| d.0),
            Some(Division::Part)
        );
        assert_eq!(
            division_label("PART 3 Finance").map(|d| d.0),
            Some(Division::Part)
        );
        assert_eq!(division_label("Parties may"), None);
        assert_eq!(division_label("Part of the"), None);
        assert_eq!(division_label("第 3 页 共 5 页"), None);
    }

    #[test]
    fn english_heads() {
        assert_eq!(english_article_label("Article 19"), Some(10));
        assert_eq!(english_article_label("Section 5 Establishment"), Some(9));
        assert_eq!(english_article_label("Articles 2; 4"), None);
        assert_eq!(
            numbered_section_label("5  Establishment of Library"),
            Some(1)
        );
        assert_eq!(numbered_section_label("17A Borrowing"), Some(3));
        assert_eq!(numbered_section_label("2013 applies to"), None);
        assert_eq!(numbered_section_label("(1) A body"), None);
    }

    #[test]
    fn items() {
        assert_eq!(item_label("（一）章程；"), Some("（一）".len()));
        assert_eq!(item_label("(a) shall have"), Some(3));
        assert_eq!(item_label("(iv) the"), Some(4));
        assert_eq!(item_label("1.National libraries"), Some(2));
        assert_eq!(item_label("一、总"), Some("一、".len()));
        assert_eq!(item_label("1.5 metres"), None);
        assert_eq!(item_label("(within the meaning"), None);
    }

    #[test]
    fn headings_lose_letter_spacing() {
        let t = "第一章　总　　则";
        let (_, len) = division_label(t).unwrap_or((Division::Chapter, 0));
        assert_eq!(normalize_heading(t, len), "第一章 总则");
        assert_eq!(
            normalize_heading("Part II—Preliminary", 7),
            "Part II—Preliminary"
        );
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("制定本法。"));
        assert!(ends_sentence("下列条件："));
        assert!(ends_sentence("the Library."));
        assert!(ends_sentence("之规定。”"));
        assert!(!ends_sentence("公共图书馆"));
        assert!(!ends_sentence("（一）"));
    }
}
