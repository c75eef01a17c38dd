//! Markdown and plain text.
//!
//! Markdown is read line by line rather than through a CommonMark parser: real law files
//! break CommonMark on purpose or by accident (the 2017 public library law indents every
//! article by four spaces, which CommonMark turns into code blocks), and what matters here is
//! headings, paragraphs and article heads, not inline rendering.

use std::borrow::Cow;

use super::{Input, ParseError};
use crate::grammar::join_line;
use crate::model::{Block, BlockKind, Document, Format, Origin};

pub fn parse(input: Input<'_>, format: Format) -> Result<Document, ParseError> {
    let decoded = super::encoding::decode_declared(input.bytes, &[]);
    let mut doc = Document::new("", input.source, format);
    doc.warnings.extend(decoded.warning);
    let text = lone_crs_as_newlines(&decoded.text);
    let mut reader = Reader::new(format);
    reader.read(&text);
    doc.blocks = reader.blocks;
    doc.title = reader.title;
    Ok(doc)
}

/// Old Mac files end lines with a lone CR, which `lines()` does not split at (it does split
/// CRLF, so Windows files are passed through untouched).
fn lone_crs_as_newlines(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        out.push(if c == '\r' && lone(i) { '\n' } else { c });
    }
    Cow::Owned(out)
}

struct Reader {
    format: Format,
    blocks: Vec<Block>,
    title: Option<String>,
    /// The paragraph being built from consecutive lines, with its first line number.
    para: Option<(String, u32)>,
    /// Inside a "Contents"/"目录" section: its lines are a table of contents, not law text.
    in_toc: Option<u8>,
    /// Plain text with few blank lines has one paragraph per line.
    line_per_paragraph: bool,
}

impl Reader {
    fn new(format: Format) -> Self {
        Reader {
            format,
            blocks: Vec::new(),
            title: None,
            para: None,
            in_toc: None,
            line_per_paragraph: false,
        }
    }

    fn read(&mut self, text: &str) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.lines().collect();
        let mut start = 0;
        if self.format == Format::Markdown {
            start = self.front_matter(&lines);
        }
        let blank = lines.iter().filter(|l| l.trim().is_empty()).count();
        self.line_per_paragraph = self.format == Format::Text && blank * 5 < lines.len();
        // LawRefBook files put promulgation notes between the title and this marker.
        let info_end = lines.iter().position(|l| l.trim() == "<!-- INFO END -->");
        let mut in_fence = false;
        let mut in_comment = false;
        for (i, raw) in lines.iter().enumerate().skip(start) {
            crate::budget::tick();
            let no = (i + 1) as u32;
            let line = clean_invisible(raw);
            let trimmed = line.trim();
            if in_comment {
                if trimmed.contains("-->") {
                    in_comment = false;
                }
                continue;
            }
            if trimmed.starts_with("<!--") {
                self.flush();
                in_comment = !trimmed.contains("-->");
                continue;
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                self.flush();
                in_fence = !in_fence;
                continue;
            }
            if trimmed.is_empty() {
                self.flush();
                continue;
            }
            let before_info_end = info_end.is_some_and(|e| i < e);
            if self.format == Format::Markdown && !in_fence {
                if let Some((level, heading)) = atx_heading(trimmed) {
                    self.flush();
                    self.heading(level, &heading, no, before_info_end);
                    continue;
                }
                if is_setext_underline(trimmed) && self.para.is_some() {
                    let (text, at) = self.para.take().unwrap_or_default();
                    let level = if trimmed.starts_with('=') { 1 } else { 2 };
                    self.heading(level, &text, at, before_info_end);
                    continue;
                }
                if is_rule(trimmed) {
                    self.flush();
                    continue;
                }
            }
            let (item, content) = if self.format == Format::Markdown && !in_fence {
                list_item(trimmed)
            } else {
                (false, Cow::Borrowed(trimmed))
            };
            let content = if self.format == Format::Markdown {
                inline_markdown(&content)
            } else {
                content
            };
            let content = content.trim();
            if content.is_empty() {
                continue;
            }
            if before_info_end || self.in_toc.is_some() || is_toc_line(raw) {
                self.flush();
                self.blocks
                    .push(Block::new(BlockKind::Meta, content, Origin::line(no)));
                continue;
            }
            let starts_unit =
                item || self.line_per_paragraph || in_fence || starts_new_unit(content);
            if starts_unit {
                self.flush();
            }
            let mut pieces = split_glued_heads(content).into_iter();
            let first = pieces.next().unwrap_or(content);
            match &mut self.para {
                Some((p, _)) => join_line(p, first),
                None => self.para = Some((first.to_string(), no)),
            }
            for piece in pieces {
                self.flush();
                self.para = Some((piece.to_string(), no));
            }
        }
        self.flush();
    }

    /// YAML front matter (`---` … `---` at the top) becomes metadata; its `title:` or
    /// `제목:` key gives the title. Returns the first line after it.
    fn front_matter(&mut self, lines: &[&str]) -> usize {
        if lines.first().map(|l| l.trim()) != Some("---") {
            return 0;
        }
        let Some(end) = lines
            .iter()
            .skip(1)
            .take(400)
            .position(|l| l.trim() == "---")
        else {
            return 0;
        };
        for (i, l) in lines[1..=end].iter().enumerate() {
            let t = l.trim();
            if t.is_empty() {
                continue;
            }
            let top_level = !l.starts_with([' ', '\t', '-']);
            if let (true, Some((k, v))) = (top_level, t.split_once(':')) {
                let v = v.trim().trim_matches(['\'', '"']);
                let is_title_key = matches!(k.trim(), "title" | "제목" | "標題" | "标题");
                if is_title_key && !v.is_empty() && self.title.is_none() {
                    self.title = Some(v.to_string());
                }
            }
            self.blocks
                .push(Block::new(BlockKind::Meta, t, Origin::line(i as u32 + 2)));
        }
        end + 2
    }

    fn heading(&mut self, level: u8, text: &str, no: u32, meta: bool) {
        let text = inline_markdown(text);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        // A table of contents is a run of entries: any heading ends it.
        self.in_toc = None;
        let is_title = self.title.is_none()
            && level <= 2
            && !self.has_body()
            && crate::grammar::division_rank(text).is_none()
            && crate::grammar::article_head(text, true).is_none();
        if is_title {
            self.title = Some(text.to_string());
            self.blocks
                .push(Block::new(BlockKind::Title, text, Origin::line(no)));
            return;
        }
        if is_toc_heading(text) {
            self.in_toc = Some(level);
            self.blocks
                .push(Block::new(BlockKind::Meta, text, Origin::line(no)));
            return;
        }
        if self.in_toc.is_some() || meta {
            self.blocks
                .push(Block::new(BlockKind::Meta, text, Origin::line(no)));
            return;
        }
        self.blocks.push(Block::new(
            BlockKind::Heading { level },
            text,
            Origin::line(no),
        ));
    }

    /// Whether the law text has begun: a publisher's note may precede the title, a heading
    /// may not.
    fn has_body(&self) -> bool {
        self.blocks.iter().any(|b| {
            matches!(
                b.kind,
                BlockKind::Heading { .. } | BlockKind::Article { .. }
            )
        })
    }

    fn flush(&mut self) {
        if let Some((text, no)) = self.para.take() {
            let kind = if self.in_toc.is_some() {
                BlockKind::Meta
            } else {
                BlockKind::Paragraph
            };
            self.blocks.push(Block::new(kind, text, Origin::line(no)));
        }
    }
}

/// Splits a line where an article head is glued to the end of the sentence before it
/// (`…người sử dụng.Điều 41.12.TT.1.4. Xây dựng…`, as the Vietnamese codified library topic
/// has it 21 times): with no space after the full stop, such a head is an export artefact,
/// never a cross-reference (which is preceded by a space: `theo Điều 5.`).
fn split_glued_heads(line: &str) -> Vec<&str> {
    const HEADS: [&str; 3] = ["Điều ", "Article ", "Section "];
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices().skip(1) {
        let glued = line[..i]
            .chars()
            .next_back()
            .is_some_and(|p| matches!(p, '.' | ';' | ':' | '!' | '?'));
        if !glued || !matches!(c, 'Đ' | 'A' | 'S') {
            continue;
        }
        let rest = &line[i..];
        let head = HEADS.iter().find(|h| rest.starts_with(**h));
        let numbered = head.is_some_and(|h| {
            rest[h.len()..]
                .chars()
                .next()
                .is_some_and(|d| d.is_ascii_digit())
        });
        if numbered && i > start {
            out.push(line[start..i].trim_end());
            start = i;
        }
    }
    out.push(&line[start..]);
    out
}

/// Drops invisible characters and makes no-break spaces plain, before markdown syntax is
/// read (a zero-width space before `#` still makes a heading).
fn clean_invisible(s: &str) -> Cow<'_, str> {
    let touched = |c: char| crate::grammar::is_invisible(c) || c == '\u{a0}';
    if !s.contains(touched) {
        return Cow::Borrowed(s);
    }
    s.chars()
        .filter(|&c| !crate::grammar::is_invisible(c))
        .map(|c| if c == '\u{a0}' { ' ' } else { c })
        .collect::<String>()
        .into()
}

/// `### Heading ###` → (3, "Heading").
fn atx_heading(line: &str) -> Option<(u8, String)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &line[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    Some((hashes as u8, text.to_string()))
}

fn is_setext_underline(line: &str) -> bool {
    line.len() >= 3 && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && (compact.bytes().all(|b| b == b'*')
            || compact.bytes().all(|b| b == b'-')
            || compact.bytes().all(|b| b == b'_'))
}

fn is_toc_heading(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        t.to_lowercase().as_str(),
        "目录" | "目錄" | "contents" | "tableofcontents" | "목차" | "mụclục"
    )
}

/// A table-of-contents entry: a title, a tab, a page number.
fn is_toc_line(raw: &str) -> bool {
    match raw.trim_end().rsplit_once('\t') {
        Some((head, page)) => {
            !head.trim().is_empty() && !page.is_empty() && page.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Strips a list marker: `* x`, `- x`, `+ x` lose the marker; `1. x` and `1\. x` keep the
/// number, which is the item's citation.
fn list_item(line: &str) -> (bool, Cow<'_, str>) {
    for marker in ["* ", "- ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return (true, Cow::Borrowed(rest.trim()));
        }
    }
    let digits = line.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && digits < 4 {
        let rest = &line[digits..];
        if let Some(r) = rest
            .strip_prefix("\\. ")
            .or_else(|| rest.strip_prefix(". "))
        {
            return (
                true,
                Cow::Owned(format!("{}. {}", &line[..digits], r.trim())),
            );
        }
    }
    (false, Cow::Borrowed(line))
}

/// Removes inline markdown: emphasis markers, backslash escapes, links and images, inline
/// HTML tags. Law text uses `*` and `_` as text so rarely that removing them is safe.
fn inline_markdown(s: &str) -> Cow<'_, str> {
    if !s.contains(['\\', '*', '_', '!', '[', '<', '\t']) && !s.contains("  ") {
        return Cow::Borrowed(s);
    }
    if !s.contains(['\\', '*', '_', '!', '[', '<']) {
        return Cow::Owned(crate::grammar::normalize_text(s));
    }
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let next = NextClose::new(&chars);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '*' | '_' => {
                // `_` inside a word (snake_case, URLs) is text; as a delimiter it is not.
                let prev_alnum = i > 0 && chars[i - 1].is_alphanumeric();
                let next_alnum = chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
                if c == '_' && prev_alnum && next_alnum {
                    out.push(c);
                }
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'[') => {
                // Image: drop entirely.
                match link_end(&chars, &next, i + 1) {
                    Some((_, end)) => i = end,
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            '[' => match link_end(&chars, &next, i) {
                Some((text_end, end)) => {
                    out.extend(&chars[i + 1..text_end]);
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '<' => {
                // Inline HTML tags (<br>, <sup>) go; angle-bracketed text (<개정 2023.8.8>,
                // <제18547호>) stays because it is not a tag name.
                let close = next.angle[i].map(|j| j - i);
                let is_tag = chars
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == '/')
                    && close.is_some_and(|n| {
                        chars[i + 1..i + n]
                            .iter()
                            .all(|c| c.is_ascii() && *c != '<')
                    });
                match (is_tag, close) {
                    (true, Some(n)) => i += n + 1,
                    _ => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Cow::Owned(crate::grammar::normalize_text(&out))
}

/// For `[text](url)` starting at `open`: the index of `]` and the index after `)`.
fn link_end(chars: &[char], next: &NextClose, open: usize) -> Option<(usize, usize)> {
    let close = next.bracket[open]?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let paren = next.paren[close + 1]?;
    Some((close, paren + 1))
}

/// For every position, where the next `]`, `)` and `>` are. Looking each up by scanning
/// forward made a line of 200,000 `[` (or `<`, `![`) take seconds: one scan per bracket.
struct NextClose {
    bracket: Vec<Option<usize>>,
    paren: Vec<Option<usize>>,
    angle: Vec<Option<usize>>,
}

impl NextClose {
    fn new(chars: &[char]) -> Self {
        let n = chars.len();
        let mut next = NextClose {
            bracket: vec![None; n + 1],
            paren: vec![None; n + 1],
            angle: vec![None; n + 1],
        };
        for i in (0..n).rev() {
            let pick =
                |v: &[Option<usize>], c: char| if chars[i] == c { Some(i) } else { v[i + 1] };
            next.bracket[i] = pick(&next.bracket, ']');
            next.paren[i] = pick(&next.paren, ')');
            next.angle[i] = pick(&next.angle, '>');
        }
        next
    }
}

/// Lines that begin a new unit even without a blank line before them: article heads and
/// numbered items. Markdown would fold them into the previous paragraph.
fn starts_new_unit(line: &str) -> bool {
    crate::grammar::starts_unit(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_end_lines() {
        let md =
            "# 某市图书馆条例\r\r第一条 为了规范图书馆，制定本条例。\r\r第二条 图书馆免费开放。\r";
        let input = Input {
            source: "cr.md",
            bytes: md.as_bytes(),
            content_type: None,
            select: None,
        };
        let doc = parse(input, Format::Markdown).unwrap();
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(texts.contains(&"第二条 图书馆免费开放。"), "{texts:?}");
        assert_eq!(doc.title.as_deref(), Some("某市图书馆条例"));
    }

    fn blocks(md: &str) -> Vec<Block> {
        let mut r = Reader::new(Format::Markdown);
        r.read(md);
        r.blocks
    }

    /// `第一条 ` followed by 200,000 `[` took over 10 s (a forward scan per bracket); each
    /// hostile run must now come back whole, in one pass over the line.
    #[test]
    fn runs_of_brackets_and_angles_stay_text_in_one_pass() {
        for run in ["[", "<", "![", "[](", "<a"] {
            let line = format!("第一条 {}", run.repeat(200_000));
            let out = inline_markdown(&line);
            assert_eq!(out.chars().count(), line.chars().count(), "{run}");
        }
    }

    #[test]
    fn reads_lawrefbook_layout() {
        let md = "# 某某条例\n\n2020年1月1日 某某会议通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了测试，制定本条例。\n\n前款所称测试。\n";
        let b = blocks(md);
        assert_eq!(b[0].kind, BlockKind::Title);
        assert_eq!(b[1].kind, BlockKind::Meta);
        assert_eq!(b[2].kind, BlockKind::Heading { level: 2 });
        assert_eq!(b[3].text, "第一条 为了测试，制定本条例。");
        assert_eq!(b[4].text, "前款所称测试。");
    }

    #[test]
    fn indented_articles_are_text_not_code() {
        let md = "某法\n---\n\n    第一条 为了测试。\n\n    第二条 本法自公布之日起施行。\n";
        let b = blocks(md);
        assert_eq!(b[0].kind, BlockKind::Title);
        assert_eq!(b[1].text, "第一条 为了测试。");
        assert_eq!(b[2].text, "第二条 本法自公布之日起施行。");
    }

    #[test]
    fn strips_inline_markup_but_keeps_angle_notes() {
        assert_eq!(
            inline_markdown("**①** 도서관은 <개정 2023.8.8>"),
            "① 도서관은 <개정 2023.8.8>"
        );
        assert_eq!(
            inline_markdown("see [the Act](http://x) and _this_"),
            "see the Act and this"
        );
        assert_eq!(inline_markdown("1\\. 항목"), "1. 항목");
    }

    #[test]
    fn vietnamese_heads_glued_to_the_sentence_before_start_articles() {
        let pieces = split_glued_heads(
            "3. Tăng cường ứng dụng công nghệ thông tin.Điều 41.12.TT.1.4. Xây dựng vốn tài liệu",
        );
        assert_eq!(
            pieces,
            [
                "3. Tăng cường ứng dụng công nghệ thông tin.",
                "Điều 41.12.TT.1.4. Xây dựng vốn tài liệu"
            ]
        );
        // A cross-reference follows a space and stays in its sentence.
        let line = "Thực hiện theo quy định tại Điều 5. Luật này";
        assert_eq!(split_glued_heads(line), [line]);
    }

    #[test]
    fn wrapped_lines_join_without_spaces_in_cjk() {
        let b =
            blocks("第一条 为了促进\n公共图书馆事业发展。\n\nThe Library shall\nhave a seal.\n");
        assert_eq!(b[0].text, "第一条 为了促进公共图书馆事业发展。");
        assert_eq!(b[1].text, "The Library shall have a seal.");
    }

    #[test]
    fn table_of_contents_is_metadata() {
        let b = blocks("# Act\n\n## Contents\n\n  * Part I--Preliminary\t1\n\n### Part I--Preliminary\n\n##### 1  Short title\n\n* This Act may be cited.\n");
        let meta = b.iter().filter(|b| b.kind == BlockKind::Meta).count();
        assert_eq!(meta, 2);
        assert!(b.iter().any(|b| b.kind == BlockKind::Heading { level: 3 }));
    }
}
