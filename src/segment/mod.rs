//! Document → clauses: finds articles (第X条, 제N조, Section N, §N, Article N, Điều N) and
//! their paragraphs, division headings and citations.
//!
//! The segmenter reads the blocks a parser produced, in order. Division headings (编/章/节,
//! Part/Chapter) set the heading context; an article head starts a clause; other text is a
//! paragraph of the current clause, or preamble before the first one. Heads glued to their
//! text (PDF extraction can lose the space in 第五条　国家…) are believed only when their
//! number continues the sequence, so a cross-reference at the start of a line
//! (第十条规定的…) never starts an article.

use std::collections::HashMap;

use crate::grammar::{self as head, collapse_spaces_by_line, Head};
use crate::model::{BlockKind, Clause, ClauseId, ClauseKind, Document, Origin};

/// How a document's text is organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// Numbered articles or sections.
    Articles,
    /// An amendment decision whose items are numbered 一、二、…
    AmendmentItems,
    /// No article structure: the summary says so instead of inventing articles.
    Unstructured,
}

impl Structure {
    pub fn name(self) -> &'static str {
        match self {
            Structure::Articles => "articles",
            Structure::AmendmentItems => "amendment-items",
            Structure::Unstructured => "unstructured",
        }
    }
}

/// The result of segmenting one document.
#[derive(Debug, Clone)]
pub struct Segmented {
    pub clauses: Vec<Clause>,
    pub structure: Structure,
    /// Text before the first article (promulgation notes, preamble): metadata, not clauses.
    pub preamble: Vec<String>,
    pub warnings: Vec<String>,
}

/// A clause being built.
struct Open {
    head: Head,
    group: u32,
    caption: String,
    headings: Vec<String>,
    paragraphs: Vec<String>,
    origin: Origin,
}

struct Segmenter<'a> {
    doc: &'a Document,
    /// Han-script documents keep items (（一）, 1.) inside their paragraph (款); Latin-script
    /// documents treat each block as a paragraph (subsection).
    items_join: bool,
    latin: bool,
    /// The parser delimited articles (`BlockKind::Article`): no head is guessed from text.
    structured: bool,
    clauses: Vec<Clause>,
    open: Option<Open>,
    headings: Vec<(u8, String)>,
    preamble: Vec<String>,
    warnings: Vec<String>,
    /// Addenda block number (부칙, 附則 restart article numbering); 0 = main provisions.
    group: u32,
    /// The 부칙 line that opened the current addenda block, cited for its text when the block
    /// has no articles of its own.
    addenda_label: Option<String>,
    /// The last division heading named only its number (Mục 2, 第二章): its title may follow
    /// on the next line.
    untitled_division: bool,
    last_number: Option<crate::model::ArticleNumber>,
    keys: HashMap<String, u32>,
    ended: bool,
}

/// Segments a parsed document into clauses.
pub fn segment(doc: &Document) -> Segmented {
    let lang = doc.language.as_deref().unwrap_or("");
    let latin = !(lang.starts_with("zh") || lang.starts_with("ja") || lang.starts_with("ko"));
    let mut s = Segmenter {
        doc,
        items_join: !latin,
        latin,
        structured: doc
            .blocks
            .iter()
            .any(|b| matches!(b.kind, BlockKind::Article { .. })),
        clauses: Vec::new(),
        open: None,
        headings: Vec::new(),
        preamble: Vec::new(),
        warnings: Vec::new(),
        group: 0,
        addenda_label: None,
        untitled_division: false,
        last_number: None,
        keys: HashMap::new(),
        ended: false,
    };
    s.run();
    let mut structure = if s.clauses.is_empty() {
        Structure::Unstructured
    } else {
        Structure::Articles
    };
    if is_amendment_decision(doc, &s.clauses) {
        let items = amendment_items(doc);
        if !items.is_empty() {
            s.clauses = items;
            s.preamble.clear();
            structure = Structure::AmendmentItems;
        }
    }
    Segmented {
        clauses: s.clauses,
        structure,
        preamble: s.preamble,
        warnings: s.warnings,
    }
}

impl Segmenter<'_> {
    fn run(&mut self) {
        for block in &self.doc.blocks {
            crate::budget::tick();
            if self.ended {
                break;
            }
            let text = collapse_spaces_by_line(&block.text);
            match &block.kind {
                BlockKind::Title => {}
                BlockKind::Meta => {
                    if self.clauses.is_empty() && self.open.is_none() && !text.is_empty() {
                        self.preamble.push(text);
                    }
                }
                BlockKind::Article { label } => {
                    let written = label.trim().trim_end_matches('.');
                    let head = head::article_head(label, true).unwrap_or_else(|| Head {
                        // A section printed without a number (an Act's enacting section).
                        label: if written.is_empty() {
                            "(unnumbered section)".to_string()
                        } else {
                            written.to_string()
                        },
                        number: None,
                        kind: ClauseKind::Article,
                        key: String::new(),
                        rest: label.len(),
                        separated: true,
                        bare_number: false,
                    });
                    let rest = label[head.rest.min(label.len())..].trim().to_string();
                    let fresh = self.start(head, &block.origin);
                    if let (true, Some(open)) = (fresh, &mut self.open) {
                        open.caption = if text.is_empty() { rest } else { text };
                    }
                }
                BlockKind::Heading { .. } => self.text_block(&text, true, &block.origin),
                BlockKind::Paragraph => self.text_block(&text, false, &block.origin),
            }
        }
        self.finish();
    }

    fn text_block(&mut self, text: &str, is_heading: bool, origin: &Origin) {
        if text.is_empty() {
            return;
        }
        if self.structured && !is_heading {
            // The format delimits articles itself: a paragraph that starts with 第三十条の規定
            // is text of the open article, never a head or a division.
            self.append(text, origin);
            return;
        }
        if is_publisher_note(text) {
            return;
        }
        if is_heading && is_end_of_body(text) {
            self.finish();
            self.ended = true;
            return;
        }
        if is_addenda_marker(text) {
            self.finish();
            // A bare 부칙 heading announces the addenda and 부칙 <제N호,date> follows: one block
            // number for both, so a new number starts only once the current block has content.
            let group_used = self
                .clauses
                .last()
                .is_some_and(|c| self.clause_group(c) == self.group);
            if self.group == 0 || group_used {
                self.group += 1;
            }
            self.addenda_label = Some(text.to_string());
            self.last_number = None;
            self.headings = vec![(0, text.to_string())];
            return;
        }
        // A structured format's own heading may be a Japanese 款 or 目, which in Chinese text
        // names a paragraph and is never a heading.
        let rank = head::division_rank(text).or_else(|| {
            (is_heading && self.structured)
                .then(|| head::japanese_subdivision_rank(text))
                .flatten()
        });
        let title_due = std::mem::take(&mut self.untitled_division);
        if let Some(rank) = rank {
            let rank = rank.max(1);
            let heading = normalize_heading(text);
            self.untitled_division = names_only_its_number(&heading);
            if self
                .headings
                .iter()
                .any(|(r, h)| *r == rank && *h == heading)
            {
                return; // a running header repeating the current division
            }
            self.finish();
            self.headings.retain(|(r, _)| *r < rank);
            self.headings.push((rank, heading));
            return;
        }
        // Mục 2 / TRÁCH NHIỆM CỦA CƠ QUAN…: the title printed under a division's number is
        // the division's, not the last words of the article before it.
        if title_due && is_division_title(text) {
            if let Some((_, heading)) = self.headings.last_mut() {
                heading.push(' ');
                heading.push_str(text.trim());
            }
            return;
        }
        if let Some(h) = head::article_head(text, is_heading).filter(|_| !self.structured) {
            if self.accept(&h, is_heading) {
                let rest = text[h.rest..].trim().to_string();
                // The open article's number again with a body of its own (第三条 twice in a
                // draft) is an article of its own, kept and warned about as any repeated
                // label is, never text dropped; a repeated heading with its caption alone (the
                // U.S. Code in chunks) continues the clause.
                let own_body = !rest.is_empty()
                    && self.open.as_ref().is_some_and(|o| {
                        o.head.key == h.key
                            && !h.key.is_empty()
                            && o.caption != rest
                            && !o.paragraphs.is_empty()
                    });
                if own_body {
                    self.finish();
                    self.open_clause(h, origin);
                    self.first_text(rest, is_heading);
                } else if self.start(h, origin) {
                    self.first_text(rest, is_heading);
                }
                return;
            }
        }
        // Section heads printed without markup (PDF): `5 Establishment of National Library`.
        // Believed at the very start of the law (section 1 or 2) or once the document has
        // used them, and only when the number continues the sequence.
        let bare_allowed =
            self.uses_bare_heads() || (self.open.is_none() && self.clauses.is_empty());
        if self.latin && !is_heading && !self.structured && bare_allowed {
            if let Some(h) = head::bare_head(text) {
                if self.continues_sequence(&h, 10) {
                    let rest = text[h.rest..].trim().to_string();
                    if self.start(h, origin) {
                        self.first_text(rest, true);
                    }
                    return;
                }
            }
        }
        self.append(text, origin);
    }

    /// Adds body text to the open clause, or to the preamble before the first clause.
    fn append(&mut self, text: &str, origin: &Origin) {
        match &mut self.open {
            Some(open) => {
                // 一、 二、 inside an article list the items of the paragraph before them when it
                // leads in to them (…下列资格之一：) or is itself such an item: Taiwan's 款 under
                // a 項, a mainland article's list.
                let listed = || {
                    let Some(last) = open.paragraphs.last() else {
                        return false;
                    };
                    head::zh_item_number(text).is_some()
                        && (last.trim_end().ends_with(['：', ':'])
                            || last.lines().any(|l| head::zh_item_number(l).is_some()))
                };
                // A Korean article's paragraphs (항) are numbered ①, ②…; a line without a
                // number (an amendment instruction in 부칙: 별표 3 제48호를 다음과 같이 한다.) is
                // part of the paragraph before it, and an article without numbers is one 항.
                let korean = open.head.label.starts_with('제')
                    && open.head.label.chars().any(crate::grammar::is_hangul);
                let joins = self.items_join
                    && (head::is_item_marker(text) || listed() || korean)
                    && !head::is_circled_number(text)
                    && !open.paragraphs.is_empty();
                if joins {
                    if let Some(last) = open.paragraphs.last_mut() {
                        last.push('\n');
                        last.push_str(text);
                    }
                } else {
                    open.paragraphs.push(text.to_string());
                }
            }
            None => {
                if let (Some(label), true) = (self.addenda_label.clone(), self.group > 0) {
                    // Addenda without articles (부칙 <…> 이 법은 공포한 날부터 시행한다.) are one
                    // citable unit.
                    let head = Head {
                        key: String::new(),
                        label,
                        number: None,
                        kind: ClauseKind::Article,
                        rest: 0,
                        separated: true,
                        bare_number: false,
                    };
                    self.start(head, origin);
                    self.addenda_label = None;
                    if let Some(open) = &mut self.open {
                        open.paragraphs.push(text.to_string());
                    }
                } else if let Some(last) = self.clauses.last_mut() {
                    // Text after a division heading but before the next article continues the
                    // law, not its preamble.
                    last.paragraphs.push(text.to_string());
                    last.text.push('\n');
                    last.text.push_str(text);
                } else {
                    self.preamble.push(text.to_string());
                }
            }
        }
    }

    /// A head glued to its text, or a bare `5  Title` heading, must continue the numbering.
    fn accept(&self, h: &Head, is_heading: bool) -> bool {
        if h.bare_number {
            return is_heading;
        }
        h.separated || is_heading || self.continues_sequence(h, 3)
    }

    /// The head's number follows the last one within `window` (repealed articles leave gaps:
    /// the National Library Act goes from section 22 to 26).
    fn continues_sequence(&self, h: &Head, window: u32) -> bool {
        let Some(n) = &h.number else { return false };
        match &self.last_number {
            None => n.base <= 2,
            Some(last) => n > last && n.base <= last.base + window,
        }
    }

    /// Bare numbered section heads in paragraphs are only believed in documents that have
    /// already used them (the first section was found as one).
    fn uses_bare_heads(&self) -> bool {
        let last_bare = self
            .clauses
            .last()
            .is_some_and(|c| c.kind == ClauseKind::Section && c.label.starts_with("Section "));
        self.open.as_ref().map_or(last_bare, |o| o.head.bare_number)
    }

    fn first_text(&mut self, rest: String, is_heading: bool) {
        let Some(open) = &mut self.open else { return };
        let mut rest = rest;
        // Korean and Vietnamese captions: 제1조(목적) …, Điều 5. Caption
        if let Some(inner) = rest.strip_prefix('(').or_else(|| rest.strip_prefix('（')) {
            if let Some(end) = inner.find([')', '）']) {
                if open.head.label.starts_with('제') {
                    open.caption = inner[..end].trim().to_string();
                    rest = inner[end..]
                        .trim_start_matches([')', '）'])
                        .trim()
                        .to_string();
                }
            }
        }
        if rest.is_empty() {
            return;
        }
        let caption_like = is_heading
            || (self.latin && rest.chars().count() <= 100 && !rest.ends_with(['.', ';', ':']));
        if caption_like && open.caption.is_empty() && !open.head.label.starts_with('第') {
            open.caption = rest;
        } else {
            open.paragraphs.push(rest);
        }
    }

    /// Opens a clause for `head`; false when the head continues the clause already open.
    fn start(&mut self, head: Head, origin: &Origin) -> bool {
        // The same head again right after itself: a source that repeats a section's heading
        // for each part (concatenated chunks of the U.S. Code) continues the clause.
        let same_as_open = self.open.as_ref().is_some_and(|o| {
            o.head.key == head.key && o.group == self.group && !head.key.is_empty()
        });
        if same_as_open {
            return false;
        }
        if let Some(last) = self.clauses.last() {
            let last_key = last.id.as_str().rsplit('/').next().unwrap_or("");
            if self.open.is_none()
                && !head.key.is_empty()
                && last_key == head.key
                && self.clause_group(last) == self.group
            {
                if let Some(reopened) = self.clauses.pop() {
                    self.reopen(reopened, head);
                    return false;
                }
            }
        }
        self.finish();
        self.open_clause(head, origin);
        true
    }

    /// Opens a clause at `head` (the open one is finished).
    fn open_clause(&mut self, head: Head, origin: &Origin) {
        if let Some(n) = &head.number {
            self.last_number = Some(n.clone());
        }
        if !head.key.is_empty() {
            self.addenda_label = None;
        }
        self.open = Some(Open {
            head,
            group: self.group,
            caption: String::new(),
            headings: self.headings.iter().map(|(_, h)| h.clone()).collect(),
            paragraphs: Vec::new(),
            origin: origin.clone(),
        });
    }

    fn clause_group(&self, c: &Clause) -> u32 {
        let mut parts = c.id.as_str().split('/').skip(1);
        match parts.next() {
            Some(p) if p.starts_with("add") => p[3..].parse().unwrap_or(0),
            _ => 0,
        }
    }

    fn reopen(&mut self, c: Clause, head: Head) {
        self.open = Some(Open {
            head,
            group: self.group,
            caption: c.caption,
            headings: c.headings,
            paragraphs: c.paragraphs,
            origin: c.origin,
        });
    }

    fn finish(&mut self) {
        let Some(open) = self.open.take() else { return };
        let ordinal = self.clauses.len() as u32 + 1;
        let scoped = match (open.head.key.is_empty(), open.group > 0) {
            (true, true) => format!("add{}", open.group),
            (true, false) => format!("c{ordinal}"),
            (false, true) => format!("add{}/{}", open.group, open.head.key),
            (false, false) => open.head.key.clone(),
        };
        let seen = self.keys.entry(scoped.clone()).or_insert(0);
        *seen += 1;
        let key = if *seen > 1 {
            self.warnings.push(format!(
                "{} appears {} times; later copies get the id suffix ~{}",
                open.head.label, seen, seen
            ));
            format!("{scoped}~{seen}")
        } else {
            scoped
        };
        let paragraphs: Vec<String> = open
            .paragraphs
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        let text = paragraphs.join("\n");
        self.clauses.push(Clause {
            id: ClauseId(format!("{}/{}", self.doc.id, key)),
            doc_id: self.doc.id.clone(),
            ordinal,
            kind: open.head.kind,
            label: open.head.label,
            number: open.head.number,
            caption: open.caption,
            headings: open.headings,
            paragraphs,
            text,
            origin: open.origin,
        });
    }
}

/// Headings after which the law text is over: endnotes, a trailing list of provisions.
fn is_end_of_body(text: &str) -> bool {
    let t = text.trim().trim_matches(['_', '*']).to_lowercase();
    t == "endnotes" || t == "notes" || t.starts_with("danh sách điều khoản")
}

/// Lines a publisher adds around a law on a web page: editor credits, source lines, print
/// and share buttons. Never law text.
fn is_publisher_note(text: &str) -> bool {
    let t = text.trim_start_matches(['(', '（', '【', '[', ' ']);
    const NOTES: [&str; 10] = [
        "责任编辑",
        "責任編輯",
        "编辑：",
        "编辑:",
        "来源：",
        "来源:",
        "打印本页",
        "关闭窗口",
        "【打印",
        "分享到",
    ];
    NOTES.iter().any(|n| t.starts_with(n)) && text.chars().count() < 60
}

/// Korean 부칙 and Japanese 附則 restart article numbering. (Chinese 附则 is a chapter whose
/// articles continue the main numbering, so it is not a marker.)
fn is_addenda_marker(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("부칙") || t.starts_with("附則")) && t.chars().count() < 120
}

/// `第一章　总　　则` → `第一章 总则`: letter-spacing inside a Chinese title is layout.
/// A division heading that is its number alone: Mục 2, Chương IV, Chapter 3, 第二章.
fn names_only_its_number(heading: &str) -> bool {
    let words: Vec<&str> = heading.split_whitespace().collect();
    match words.as_slice() {
        [_, n] => {
            let n = n.trim_end_matches(['.', ':']);
            !n.is_empty()
                && (n.chars().all(|c| c.is_ascii_digit()) || n.chars().all(|c| "IVXLC".contains(c)))
        }
        [one] => {
            one.starts_with('第')
                && one.chars().count() <= 6
                && one.ends_with(['章', '节', '節', '编', '編', '篇'])
        }
        _ => false,
    }
}

/// A line that can be a division's title: short, no sentence, no article or item of its own.
fn is_division_title(text: &str) -> bool {
    let t = text.trim();
    (1..=160).contains(&t.chars().count())
        && !t.ends_with(['。', '.', ';', '；', ',', '，', ':', '：'])
        && !t.starts_with(['(', '（'])
        && head::article_head(t, false).is_none()
        && !head::is_item_marker(t)
        && head::zh_item_number(t).is_none()
}

fn normalize_heading(text: &str) -> String {
    let t = collapse_spaces_by_line(text.trim_matches(['*', '_']));
    let cjk = |c: char| crate::grammar::is_unspaced(c);
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    let mut first_space_kept = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let between_cjk = prev.is_some_and(cjk) && next.is_some_and(cjk);
            if between_cjk && first_space_kept {
                continue;
            }
            first_space_kept = true;
        }
        out.push(c);
    }
    out
}

fn is_amendment_decision(doc: &Document, clauses: &[Clause]) -> bool {
    let title = doc.title.as_deref().unwrap_or("");
    let decision = title.contains("决定") || title.contains("決定");
    clauses.is_empty() || (decision && title.contains("修"))
}

/// Items 一、二、… of an amendment decision, each with the text up to the next item. A
/// decision or notice may head its items instead (`## 一、开征文化事业建设费`, then paragraphs):
/// the heading's words are the item's caption and the paragraphs under it its text.
fn amendment_items(doc: &Document) -> Vec<Clause> {
    let mut out: Vec<Clause> = Vec::new();
    let mut expected = 1;
    for block in &doc.blocks {
        crate::budget::tick();
        let heading = match block.kind {
            BlockKind::Paragraph => false,
            BlockKind::Heading { .. } => true,
            _ => continue,
        };
        let text = collapse_spaces_by_line(&block.text);
        if let Some(n) = head::zh_item_number(&text).filter(|&n| n == expected) {
            expected += 1;
            let label = format!("{}、", crate::grammar::to_chinese(n));
            let body = text[text.find('、').map(|i| i + '、'.len_utf8()).unwrap_or(0)..]
                .trim()
                .to_string();
            // A headed item's words are its caption; its text is what stands under it.
            let (caption, paragraphs, text) = if heading {
                (body, Vec::new(), String::new())
            } else {
                (String::new(), vec![body.clone()], body)
            };
            out.push(Clause {
                id: ClauseId(format!("{}/item{}", doc.id, n)),
                doc_id: doc.id.clone(),
                ordinal: out.len() as u32 + 1,
                kind: ClauseKind::AmendmentItem,
                label,
                number: Some(crate::model::ArticleNumber::new(n)),
                caption,
                headings: Vec::new(),
                paragraphs,
                text,
                origin: block.origin.clone(),
            });
        } else if heading {
            // A heading that is no item (a closing section's) ends none and joins none.
            continue;
        } else if let Some(last) = out.last_mut() {
            if !last.text.is_empty() {
                last.text.push('\n');
            }
            last.paragraphs.push(text.clone());
            last.text.push_str(&text);
        }
    }
    // An item headed but with nothing under it still says what its heading says.
    for c in &mut out {
        if c.text.is_empty() {
            c.text = c.caption.clone();
            c.paragraphs = vec![c.caption.clone()];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Format};

    fn doc(lang: &str, blocks: Vec<(BlockKind, &str)>) -> Document {
        let mut d = Document::new("d", "d.md", Format::Markdown);
        d.language = Some(lang.into());
        d.title = Some("测试条例".into());
        for (k, t) in blocks {
            d.blocks.push(Block::new(k, t, Origin::default()));
        }
        d
    }

    /// A numbering slip in a draft (第三条 twice in a row): the second article is kept, as
    /// `art3~2`, with the warning every repeated label gets; its duty is not lost.
    #[test]
    fn the_same_number_twice_in_a_row_keeps_both_articles() {
        let d = doc(
            "zh-Hans",
            vec![
                (BlockKind::Paragraph, "第三条 图书馆应当保护读者个人信息。"),
                (
                    BlockKind::Paragraph,
                    "第三条 区人民政府应当将图书馆经费列入本级财政预算。",
                ),
                (BlockKind::Paragraph, "第四条 本办法自公布之日起施行。"),
            ],
        );
        let s = segment(&d);
        let ids: Vec<&str> = s.clauses.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["d/art3", "d/art3~2", "d/art4"]);
        assert!(s.clauses[1].text.contains("财政预算"));
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("第三条 appears 2 times")),
            "{:?}",
            s.warnings
        );
    }

    /// 一、 二、 after a lead-in are the items of its paragraph (Taiwan's 款 under a 項), sub-items
    /// and all; the next paragraph (前項…) is the second.
    #[test]
    fn numbered_items_after_a_lead_in_stay_in_its_paragraph() {
        let d = doc(
            "zh-Hant",
            vec![
                (BlockKind::Paragraph, "第二條 圖書館分類如下："),
                (BlockKind::Paragraph, "一、國家圖書館。"),
                (BlockKind::Paragraph, "二、公共圖書館："),
                (BlockKind::Paragraph, "（一）公立公共圖書館。"),
                (BlockKind::Paragraph, "三、大專校院圖書館。"),
                (BlockKind::Paragraph, "前項圖書館應公開服務。"),
            ],
        );
        let s = segment(&d);
        assert_eq!(
            s.clauses[0].paragraphs.len(),
            2,
            "{:?}",
            s.clauses[0].paragraphs
        );
        assert!(s.clauses[0].paragraphs[0].ends_with("三、大專校院圖書館。"));
    }

    /// e-Gov divides a 節 into 款: a structured format's 第一款 heading opens a division, and
    /// is no text of the article before it. In a Chinese text 第二款 names a paragraph.
    #[test]
    fn a_japanese_subsection_heading_is_a_division() {
        let article = |label: &str| BlockKind::Article {
            label: label.into(),
        };
        let d = doc(
            "ja",
            vec![
                (BlockKind::Heading { level: 2 }, "第二節 無人航空機の安全性"),
                (article("第十条"), ""),
                (
                    BlockKind::Paragraph,
                    "国土交通大臣は、公示しなければならない。",
                ),
                (
                    BlockKind::Heading { level: 3 },
                    "第一款 無人航空機操縦者技能証明",
                ),
                (article("第十一条"), ""),
                (BlockKind::Paragraph, "国土交通大臣は、技能証明を行う。"),
            ],
        );
        let s = segment(&d);
        assert_eq!(s.clauses.len(), 2);
        assert_eq!(
            s.clauses[0].paragraphs.len(),
            1,
            "{:?}",
            s.clauses[0].paragraphs
        );
        assert_eq!(
            s.clauses[1].headings,
            [
                "第二節 無人航空機の安全性",
                "第一款 無人航空機操縦者技能証明"
            ]
        );
    }

    /// The segmenter spends the document's budget block by block: a cap of 3 steps stops a
    /// document of 5 blocks; 6 steps are enough for it.
    #[test]
    fn segmenting_spends_the_budget_block_by_block() {
        use crate::budget::{run, Budget, OverBudget};
        let d = doc(
            "zh-Hans",
            vec![
                (
                    BlockKind::Paragraph,
                    "第一条 为了保障读者权利，制定本条例。",
                ),
                (BlockKind::Paragraph, "第二条 图书馆应当免费开放。"),
                (BlockKind::Paragraph, "第三条 本条例自公布之日起施行。"),
                (BlockKind::Paragraph, "第四条 略。"),
                (BlockKind::Paragraph, "第五条 略。"),
            ],
        );
        let long = std::time::Duration::from_secs(3600);
        assert_eq!(
            run(Budget::new(long, 3), || segment(&d).clauses.len()),
            Err(OverBudget::Steps(3))
        );
        assert_eq!(
            run(Budget::new(long, 6), || segment(&d).clauses.len()),
            Ok(5)
        );
    }

    #[test]
    fn chinese_articles_paragraphs_and_items() {
        use BlockKind::*;
        let d = doc(
            "zh-Hans",
            vec![
                (Title, "测试条例"),
                (Paragraph, "2020年1月1日通过"),
                (Heading { level: 2 }, "第一章　总　　则"),
                (Paragraph, "第一条 为了测试，制定本条例。"),
                (Paragraph, "第二条 本条例所称图书馆，包括："),
                (Paragraph, "（一）公共图书馆；"),
                (Paragraph, "（二）学校图书馆。"),
                (Paragraph, "前款规定的图书馆应当开放。"),
                (Paragraph, "第二条之一 新增条文。"),
                (Paragraph, "第十条规定的事项不是条文开头。"),
                (Heading { level: 2 }, "第二章 服务"),
                (Paragraph, "第三条国家鼓励阅读。"),
            ],
        );
        let s = segment(&d);
        assert_eq!(s.structure, Structure::Articles);
        let labels: Vec<&str> = s.clauses.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["第一条", "第二条", "第二条之一", "第三条"]);
        assert_eq!(s.preamble, ["2020年1月1日通过"]);
        let art2 = &s.clauses[1];
        assert_eq!(art2.paragraphs.len(), 2);
        assert!(art2.paragraphs[0].ends_with("（二）学校图书馆。"));
        assert_eq!(art2.headings, ["第一章 总则"]);
        assert_eq!(art2.paragraph_label(2), "第二条第二款");
        assert_eq!(s.clauses[2].id.as_str(), "d/art2-1");
        assert!(s.clauses[2]
            .text
            .ends_with("第十条规定的事项不是条文开头。"));
        assert_eq!(s.clauses[3].headings, ["第二章 服务"]);
        assert_eq!(s.clauses[3].text, "国家鼓励阅读。");
    }

    #[test]
    fn korean_addenda_restart_numbering() {
        use BlockKind::*;
        let d = doc(
            "ko",
            vec![
                (Heading { level: 5 }, "제1조 (목적)"),
                (Paragraph, "이 법은 도서관에 관한 사항을 정한다."),
                (Heading { level: 5 }, "제2조 (정의)"),
                (Paragraph, "① 첫째 항."),
                (Paragraph, "1. 항목"),
                (Paragraph, "② 둘째 항."),
                (Heading { level: 2 }, "부칙"),
                (Paragraph, "부칙 <제1호,2021.1.1>"),
                (Paragraph, "제1조(시행일) 이 법은 공포한 날부터 시행한다."),
                (Paragraph, "부칙 <제2호,2022.1.1>"),
                (Paragraph, "제1조(시행일) 이 법은 공포한 날부터 시행한다."),
            ],
        );
        let s = segment(&d);
        let ids: Vec<&str> = s.clauses.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["d/art1", "d/art2", "d/add1/art1", "d/add2/art1"]);
        assert_eq!(s.clauses[0].caption, "목적");
        assert_eq!(s.clauses[1].paragraphs.len(), 2);
        assert_eq!(s.clauses[2].caption, "시행일");
        assert_eq!(s.clauses[2].headings, ["부칙 <제1호,2021.1.1>"]);
    }

    #[test]
    fn korean_lines_without_a_paragraph_number_stay_in_their_paragraph() {
        use BlockKind::*;
        let d = doc(
            "ko",
            vec![
                (Heading { level: 2 }, "부칙"),
                (Paragraph, "부칙 <제3호,2022.12.6>"),
                (
                    Paragraph,
                    "제5조(다른 법령의 개정) ① 가 시행령 일부를 다음과 같이 개정한다.",
                ),
                (Paragraph, "별표 3 제48호를 다음과 같이 한다."),
                (Paragraph, "② 나 시행령 일부를 다음과 같이 개정한다."),
                (Paragraph, "별표 1 중 \"가\"를 \"나\"로 한다."),
                (
                    Paragraph,
                    "제6조(다른 법률의 개정) 다 법 일부를 다음과 같이 개정한다.",
                ),
                (Paragraph, "제2조제6호 중 \"가\"를 \"나\"로 한다."),
            ],
        );
        let s = segment(&d);
        let art5 = &s.clauses[0];
        assert_eq!(art5.paragraphs.len(), 2, "{:?}", art5.paragraphs);
        assert!(art5.paragraphs[1].starts_with('②'));
        assert_eq!(s.clauses[1].paragraphs.len(), 1);
        assert_eq!(
            art5.cited_label(Some(2)),
            "부칙 <제3호,2022.12.6> 제5조제2항"
        );
    }

    #[test]
    fn a_title_under_a_numbered_division_is_the_divisions() {
        use BlockKind::*;
        let d = doc(
            "vi",
            vec![
                (
                    Paragraph,
                    "Điều 44. Quyền của người sử dụng thư viện đặc thù",
                ),
                (Paragraph, "1. Người dân tộc thiểu số được tạo điều kiện."),
                (Paragraph, "Mục 2"),
                (
                    Paragraph,
                    "TRÁCH NHIỆM CỦA CƠ QUAN, TỔ CHỨC, CÁ NHÂN CÓ LIÊN QUAN",
                ),
                (
                    Paragraph,
                    "Điều 45. Trách nhiệm của cơ quan thành lập thư viện",
                ),
                (Paragraph, "1. Bảo đảm điều kiện hoạt động."),
            ],
        );
        let s = segment(&d);
        assert_eq!(s.clauses.len(), 2);
        assert!(
            !s.clauses[0].text.contains("TRÁCH NHIỆM"),
            "{:?}",
            s.clauses[0].paragraphs
        );
        assert_eq!(
            s.clauses[1].headings,
            ["Mục 2 TRÁCH NHIỆM CỦA CƠ QUAN, TỔ CHỨC, CÁ NHÂN CÓ LIÊN QUAN"]
        );
    }

    #[test]
    fn english_sections_merge_repeated_chunks() {
        use BlockKind::*;
        let d = doc(
            "en",
            vec![
                (Heading { level: 1 }, "Title 20— EDUCATION"),
                (
                    Heading { level: 3 },
                    "CHAPTER 72— MUSEUM AND LIBRARY SERVICES",
                ),
                (
                    Heading { level: 4 },
                    "§ 9102. Institute of Museum and Library Services",
                ),
                (Heading { level: 5 }, "(a) Establishment"),
                (Paragraph, "There is established an Institute."),
                (Heading { level: 1 }, "Title 20— EDUCATION"),
                (
                    Heading { level: 3 },
                    "CHAPTER 72— MUSEUM AND LIBRARY SERVICES",
                ),
                (
                    Heading { level: 4 },
                    "§ 9102. Institute of Museum and Library Services",
                ),
                (Heading { level: 5 }, "(b) Offices"),
                (Heading { level: 4 }, "§ 9103. Director of Institute"),
            ],
        );
        let s = segment(&d);
        let labels: Vec<&str> = s.clauses.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["§9102", "§9103"]);
        assert_eq!(
            s.clauses[0].caption,
            "Institute of Museum and Library Services"
        );
        assert_eq!(
            s.clauses[0].paragraphs,
            [
                "(a) Establishment",
                "There is established an Institute.",
                "(b) Offices"
            ]
        );
        assert_eq!(s.clauses[0].headings.len(), 2);
    }

    #[test]
    fn amendment_decision_items() {
        use BlockKind::*;
        let mut d = doc(
            "zh-Hans",
            vec![
                (
                    Paragraph,
                    "第十二届全国人民代表大会常务委员会决定对下列法律作出修改：",
                ),
                (Paragraph, "一、将第五条修改为：“……”"),
                (Paragraph, "二、删去第七条。"),
                (Paragraph, "本决定自公布之日起施行。"),
            ],
        );
        d.title = Some("全国人民代表大会常务委员会关于修改某法的决定".into());
        let s = segment(&d);
        assert_eq!(s.structure, Structure::AmendmentItems);
        assert_eq!(s.clauses.len(), 2);
        assert_eq!(s.clauses[1].label, "二、");
    }

    #[test]
    fn a_notice_in_headed_sections_is_read_item_by_item() {
        use BlockKind::*;
        let mut d = doc(
            "zh-Hans",
            vec![
                (Paragraph, "各省、自治区、直辖市人民政府："),
                (Heading { level: 2 }, "一、开征文化事业建设费"),
                (Paragraph, "从明年起开征文化事业建设费。"),
                (Paragraph, "（一）娱乐场所按营业收入的3%缴纳。"),
                (Heading { level: 2 }, "二、鼓励对文化事业的捐赠"),
                (Paragraph, "（二）对公益性的图书馆的捐赠。"),
                (Heading { level: 2 }, "三、其他"),
            ],
        );
        d.title = Some("国务院关于进一步完善文化经济政策的若干规定".into());
        let s = segment(&d);
        assert_eq!(s.structure, Structure::AmendmentItems);
        let labels: Vec<&str> = s.clauses.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["一、", "二、", "三、"]);
        assert_eq!(s.clauses[0].caption, "开征文化事业建设费");
        assert_eq!(
            s.clauses[0].paragraphs,
            [
                "从明年起开征文化事业建设费。",
                "（一）娱乐场所按营业收入的3%缴纳。"
            ]
        );
        assert_eq!(s.clauses[1].text, "（二）对公益性的图书馆的捐赠。");
        assert_eq!(s.clauses[2].text, "其他");
    }

    #[test]
    fn unstructured_text_invents_no_articles() {
        let d = doc(
            "en",
            vec![(BlockKind::Paragraph, "A memo with no sections at all.")],
        );
        let s = segment(&d);
        assert_eq!(s.structure, Structure::Unstructured);
        assert!(s.clauses.is_empty());
    }
}
