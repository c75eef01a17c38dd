//! Normalising legal text as every format needs it: whitespace, zero-width characters, and
//! joining wrapped lines per script (no space between two characters of an unspaced script).

use super::is_unspaced;

/// Collapses whitespace to single spaces, removes zero-width characters, and joins lines
/// broken between two CJK characters without a space (a source line break inside Chinese
/// text is not a word boundary).
pub fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending: Option<bool> = None; // Some(run contains a line break)
    let mut last: Option<char> = None;
    for c in raw.chars() {
        match c {
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => continue,
            c if c.is_whitespace() => {
                let newline = c == '\n' || c == '\r';
                pending = Some(pending.unwrap_or(false) || newline);
            }
            c => {
                if let (Some(newline), Some(prev)) = (pending.take(), last) {
                    if !(newline && is_unspaced(prev) && is_unspaced(c)) {
                        out.push(' ');
                    }
                }
                out.push(c);
                last = Some(c);
            }
        }
    }
    out
}

/// Joins a wrapped line to its paragraph: no space between Chinese or Japanese characters, one
/// elsewhere (Korean included).
pub fn join_line(p: &mut String, next: &str) {
    let last = p.chars().last();
    let first = next.chars().next();
    let cjk = |c: Option<char>| c.is_some_and(is_unspaced);
    if !(p.is_empty() || cjk(last) && cjk(first)) {
        if p.ends_with('-') && first.is_some_and(|c| c.is_lowercase()) {
            p.pop();
        } else {
            p.push(' ');
        }
    }
    p.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_whitespace_zero_width_and_cjk_line_breaks() {
        assert_eq!(
            normalize_text("  第一条\u{3000}为了\n促进，\u{A0}\u{FEFF}and\nmore "),
            "第一条 为了促进， and more"
        );
        assert_eq!(normalize_text("\u{200B}"), "");
    }

    #[test]
    fn article_heads_at_the_start() {
        use crate::grammar::starts_with_article_head;
        assert!(starts_with_article_head("第一百零三条 内容"));
        assert!(starts_with_article_head("第5條"));
        assert!(!starts_with_article_head("第一章 总则"));
        assert!(!starts_with_article_head("依照第三条"));
    }

    #[test]
    fn wrapped_lines_join_without_a_space_only_between_unspaced_characters() {
        let mut zh = String::from("图书馆应当");
        join_line(&mut zh, "免费提供服务");
        assert_eq!(zh, "图书馆应当免费提供服务");
        let mut ko = String::from("도서관은");
        join_line(&mut ko, "봉사한다");
        assert_eq!(ko, "도서관은 봉사한다");
        let mut en = String::from("free of charge to the pub-");
        join_line(&mut en, "lic");
        assert_eq!(en, "free of charge to the public");
    }
}
