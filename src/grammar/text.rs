//! Normalising legal text as every format needs it: whitespace, invisible characters, and
//! joining wrapped lines per script (no space between two characters of an unspaced script).
//! Every parser reads text through these: no parser keeps its own idea of white space.

use super::{is_cjk_punct, is_han, is_unspaced};

/// Characters that carry no text: zero-width space, non-joiner and joiner, word joiner, byte
/// order mark (zero-width no-break space), soft hyphen, the bidirectional marks web pages
/// leave in copied text (an LRM before 第二十条 hid its head), noncharacters, and control
/// characters other than white space (a stray ESC or BEL is no text, and must never reach a
/// terminal). Dropped wherever text is normalised.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{FFFE}'
            | '\u{FFFF}'
    ) || is_bidi_control(c)
        || (c.is_control() && !c.is_whitespace())
}

/// Marks and overrides of bidirectional text (LRM, RLM, LRE…RLO, LRI…PDI): invisible, and
/// they make text display differently from what it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Punctuation Chinese typesetting sets full width: CJK punctuation, and the Western quotes,
/// dashes and dots that Chinese text uses. No space belongs next to it in Chinese text.
pub fn is_chinese_punct(c: char) -> bool {
    is_cjk_punct(c) || matches!(c, '\u{2018}'..='\u{201F}' | '—' | '…' | '·')
}

/// A Han character or Chinese punctuation: what takes no space beside it.
fn is_wide(c: char) -> bool {
    is_han(c) || is_chinese_punct(c)
}

/// Collapses whitespace to single spaces, removes invisible characters, and joins lines
/// broken between two CJK characters without a space (a source line break inside Chinese
/// text is not a word boundary).
pub fn normalize_text(raw: &str) -> String {
    let mut flow = TextFlow::default();
    flow.push_str(raw);
    flow.take()
}

/// Running text assembled into one block piece by piece, normalised as [`normalize_text`]
/// does as it arrives, with breaks between the pieces ([`Gap`]) that structured formats
/// know from their markup (an XML element that is a block, a table column).
#[derive(Debug, Default)]
pub struct TextFlow {
    out: String,
    gap: Gap,
}

/// What separates the text before from the text after; the widest gap met wins.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gap {
    #[default]
    None,
    /// White space: one space.
    Space,
    /// A line break or a block: a space in spaced scripts, nothing between two characters
    /// of an unspaced script.
    Soft,
    /// Always a space (table columns).
    Hard,
}

impl TextFlow {
    pub fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                c if is_invisible(c) => {}
                '\n' | '\r' => self.gap = self.gap.max(Gap::Soft),
                c if c.is_whitespace() => self.gap = self.gap.max(Gap::Space),
                c => {
                    let space = match self.gap {
                        Gap::None => false,
                        Gap::Soft => {
                            !(self.out.chars().next_back().is_some_and(is_unspaced)
                                && is_unspaced(c))
                        }
                        Gap::Space | Gap::Hard => true,
                    };
                    if space && !self.out.is_empty() {
                        self.out.push(' ');
                    }
                    self.gap = Gap::None;
                    self.out.push(c);
                }
            }
        }
    }

    /// A break between what was pushed and what comes next.
    pub fn boundary(&mut self, gap: Gap) {
        self.gap = self.gap.max(gap);
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// The text so far, leaving the flow empty.
    pub fn take(&mut self) -> String {
        self.gap = Gap::None;
        std::mem::take(&mut self.out)
    }
}

/// Collapses runs of white space (U+3000 included) inside each line to one space and trims
/// the text, keeping its line breaks: the segmenter's view of a block, whose lines may be
/// paragraphs of their own.
pub fn collapse_spaces_by_line(s: &str) -> String {
    let t = s.trim();
    if !t.contains(|c: char| c.is_whitespace() && c != ' ') && !t.contains("  ") {
        return t.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut space = false;
        for c in line.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space && !out.is_empty() && !out.ends_with('\n') {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out.trim().to_string()
}

/// Joins a source line to the paragraph it continues (markdown, plain text, JSON): the line
/// break is a space, except between two characters of an unspaced script (Chinese,
/// Japanese; not Korean); a word hyphenated at the line end is joined again.
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

/// Joins a typeset line (a PDF's) to its paragraph. The spaces of a laid-out page are the
/// layout's guesses, so this is tighter than [`join_line`]: nothing beside a Han character or
/// Chinese punctuation, nothing after a slash, a dash or a soft hyphen, and nothing inside a
/// number or word broken across lines of Chinese text (`201` / `8年`).
pub fn join_layout_line(out: &mut String, next: &str) {
    let next = next.trim_start();
    if out.is_empty() {
        out.push_str(next);
        return;
    }
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    let last = out.chars().next_back();
    let first = next.chars().next();
    let (Some(last), Some(first)) = (last, first) else {
        out.push_str(next);
        return;
    };
    if last == '\u{ad}' {
        out.pop();
        out.push_str(next);
        return;
    }
    let before_last = out.chars().rev().nth(1);
    if last == '-' && before_last.is_some_and(char::is_alphabetic) {
        // `estab-` + `lished` was hyphenated by the layout; `Director-` + `General` keeps
        // its hyphen.
        if first.is_lowercase() {
            out.pop();
        }
        out.push_str(next);
        return;
    }
    if matches!(last, '-' | '—' | '–') && before_last.is_some_and(|c| !c.is_whitespace()) {
        // Browsers break lines after a dash: `Representatives--` + `the`.
        out.push_str(next);
        return;
    }
    // A number or word broken across lines of Chinese text (`201` / `8年`) has no space.
    let chinese = || out.chars().rev().take(12).any(is_han) || next.chars().take(12).any(is_han);
    if is_wide(last)
        || is_wide(first)
        || last == '/'
        || (last.is_ascii_alphanumeric() && first.is_ascii_alphanumeric() && chinese())
    {
        out.push_str(next);
    } else {
        out.push(' ');
        out.push_str(next);
    }
}

/// Spacing as typeset Chinese text wants it: runs of whitespace become one space; no space
/// between Han characters, or between Han and ASCII letters or digits (xeCJK's
/// `2024 年 11 月`); in Chinese text, no space around CJK punctuation either. A space after a
/// leading label (`第一条 为了`, `第一章 总则`) at byte `keep_space_at` is kept, as one space.
pub fn tighten_spacing(text: &str, keep_space_at: Option<usize>) -> String {
    let has_han = text.chars().any(is_han);
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            if prev.is_some() {
                pending_space = true;
            }
            continue;
        }
        if pending_space {
            let keep = keep_space_at.is_some_and(|k| k <= i && out.len() <= k)
                || !prev.is_some_and(|p| no_space_between(p, c, has_han));
            if keep {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn no_space_between(a: char, b: char, chinese: bool) -> bool {
    // Full-width punctuation never takes spaces (`county（city）level` in an English
    // translation); curly quotes and dashes only in Chinese text.
    let full_width = |c: char| matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}');
    let tight = |x: char, y: char| {
        is_han(x) && (is_han(y) || y.is_ascii_alphanumeric())
            || full_width(x)
            || (chinese && is_chinese_punct(x) && (is_wide(y) || y.is_ascii_alphanumeric()))
    };
    tight(a, b) || tight(b, a)
}

/// Korean particles stripped from an eojeol before looking it up (장애인을 → 장애인),
/// longest first.
const HANGUL_PARTICLES: &[&str] = &[
    "이라는",
    "에서는",
    "으로써",
    "으로서",
    "에게서",
    "에서",
    "에게",
    "으로",
    "까지",
    "부터",
    "보다",
    "라는",
    "과",
    "와",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "도",
    "만",
];

/// An eojeol's stems without a particle (장애인을 → 장애인), longest particle first; a stem
/// of one syllable is left out (a particle's letters end many words: 사이 is no 사 + 이).
pub fn hangul_stems(eojeol: &str) -> impl Iterator<Item = &str> {
    HANGUL_PARTICLES
        .iter()
        .filter_map(move |p| eojeol.strip_suffix(p))
        .filter(|stem| stem.chars().count() >= 2)
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
        assert_eq!(
            normalize_text("第十九条 甲。\n\u{200E}第二十条 乙\u{1b}[2J。\u{7}"),
            "第十九条 甲。第二十条 乙[2J。"
        );
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

    #[test]
    fn typeset_chinese_spacing_is_tightened() {
        assert_eq!(
            tighten_spacing("2024 年 11 月 28 日", None),
            "2024年11月28日"
        );
        assert_eq!(tighten_spacing("公共 图书馆", None), "公共图书馆");
        assert_eq!(
            tighten_spacing("第一条 为了 促进", Some("第一条".len())),
            "第一条 为了促进"
        );
        assert_eq!(
            tighten_spacing("the  Library  Act", None),
            "the Library Act"
        );
        assert_eq!(
            tighten_spacing("county （ city ） level", None),
            "county（city）level"
        );
        assert_eq!(
            tighten_spacing("He said “yes” to it", None),
            "He said “yes” to it"
        );
        assert_eq!(
            tighten_spacing("依照 《 刑法 》 处罚", None),
            "依照《刑法》处罚"
        );
    }

    #[test]
    fn typeset_lines_join_tight_beside_han_and_rejoin_hyphenated_words() {
        let mut s = String::from("公共图书馆");
        join_layout_line(&mut s, "应当");
        assert_eq!(s, "公共图书馆应当");
        let mut s = String::from("the national");
        join_layout_line(&mut s, "collection");
        assert_eq!(s, "the national collection");
        let mut s = String::from("estab-");
        join_layout_line(&mut s, "lished");
        assert_eq!(s, "established");
        let mut s = String::from("Director-");
        join_layout_line(&mut s, "General");
        assert_eq!(s, "Director-General");
    }
}
