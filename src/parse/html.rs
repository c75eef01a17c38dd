//! HTML pages: decode, find the law body among the site's navigation, emit blocks.
//!
//! The body is, in order: the manifest's CSS selector; a semantic or customary container
//! (`<article>`, `<main>`, `#zoom`, `.TRS_Editor`, …) holding a fair share of the page's
//! readable text; else the smallest container holding most of it. Readable text is text
//! outside links and outside navigation-like elements, so a sidebar of 5,000 law titles
//! weighs nothing. All tree walks are iterative: a page nested 100,000 levels deep must not
//! overflow the stack.

use std::borrow::Cow;
use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node, Selector};

use super::{encoding, lang, Input, ParseError};
use crate::grammar::is_numeral_char;
use crate::grammar::is_unspaced;
use crate::model::{BlockKind, Document, Format, Origin};

/// Parses an HTML page into blocks. `input.content_type` supplies the HTTP charset and
/// `input.select` the manifest's body selector.
pub fn parse(input: Input<'_>) -> Result<Document, ParseError> {
    let src = input.source;
    let selector = match input.select.map(str::trim).filter(|s| !s.is_empty()) {
        // scraper's own message for a bad selector can span lines and blames itself.
        Some(s) => Some(Selector::parse(s).map_err(|_| {
            ParseError::malformed(
                src,
                Format::Html,
                format!("{s:?} is not a valid CSS selector"),
            )
        })?),
        None => None,
    };
    let decoded = encoding::decode_html(input.bytes, input.content_type);
    let mut doc = Document::new("", src, Format::Html);
    doc.warnings.extend(decoded.warning);
    let page: Cow<'_, str> = match article_cut(&decoded.text, input.select) {
        Some(cut) => Cow::Owned(cut),
        None => Cow::Borrowed(&decoded.text),
    };
    if max_nesting(&page) > MAX_NESTING {
        return Err(ParseError::malformed(
            src,
            Format::Html,
            format!("elements nest more than {MAX_NESTING} levels deep"),
        ));
    }
    let html = Html::parse_document(&page);
    let stats = TextStats::measure(html.tree.root());
    let bodies = find_body(&html, &stats, selector.as_ref(), &mut doc.warnings);

    let mut writer = BlockWriter::default();
    for body in &bodies {
        writer.walk(*body, &stats);
    }
    let mut blocks = writer.finish();
    tidy_front_matter(&mut blocks);

    if !blocks.iter().any(|(k, _)| *k == BlockKind::Title) {
        if let Some(title) = page_title(&html) {
            blocks.insert(0, (BlockKind::Title, title));
        }
    }
    doc.title = blocks
        .iter()
        .find(|(k, _)| *k == BlockKind::Title)
        .map(|(_, t)| t.clone());
    doc.blocks = blocks
        .into_iter()
        .map(|(kind, text)| crate::model::Block::new(kind, text, Origin::default()))
        .collect();
    let (language, warning) = declared_language(&html, &doc);
    doc.language = language;
    doc.warnings.extend(warning);
    Ok(doc)
}

// ---------------------------------------------------------------------------------------
// Cutting the <article> out before the DOM is built

/// Returns the page's `<head>` followed by the span from the first `<article` to the last
/// `</article>`, when that span holds most of the page's readable text (the same 40 % rule
/// `find_body` applies), so the DOM is built for a few KB instead of megabytes of sidebar.
/// A manifest selector other than `article` could match anything: no cut then.
fn article_cut(page: &str, select: Option<&str>) -> Option<String> {
    let select = select.map(str::trim).filter(|s| !s.is_empty());
    if select.is_some_and(|s| s != "article") {
        return None;
    }
    let bytes = page.as_bytes();
    let start = find_open_tag(bytes, b"article")?;
    let close = rfind_end_tag(bytes, b"article")?;
    let end = close + memchr::memchr(b'>', bytes.get(close..)?)? + 1;
    if end <= start || inside_comment(bytes, start) {
        return None;
    }
    let inside = page.get(start..end)?;
    if select.is_none() {
        let outside = readable_chars(page.get(..start)?) + readable_chars(page.get(end..)?);
        if !is_fair_share(readable_chars(inside), outside + readable_chars(inside)) {
            return None;
        }
    }
    let head_end = find_open_tag(&bytes[..start], b"body").unwrap_or(0);
    let mut cut = String::with_capacity(head_end + inside.len() + 16);
    cut.push_str(page.get(..head_end)?);
    cut.push_str("<body>");
    cut.push_str(inside);
    Some(cut)
}

/// A body candidate must hold at least 40 % of the page's readable text: an `<article>`
/// teaser in a sidebar must not win over the law in `div#zoom`.
fn is_fair_share(part: usize, whole: usize) -> bool {
    part > 0 && part * 10 >= whole * 4
}

/// Position of the first `<name` followed by a tag-name delimiter, ignoring ASCII case.
fn find_open_tag(html: &[u8], name: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'<', html).find(|&pos| {
        let after = pos + 1 + name.len();
        html.get(pos + 1..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && matches!(
                html.get(after),
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/') | None
            )
    })
}

/// Position of the last `</name`, ignoring ASCII case.
fn rfind_end_tag(html: &[u8], name: &[u8]) -> Option<usize> {
    memchr::memrchr_iter(b'<', html).find(|&pos| {
        html.get(pos + 1) == Some(&b'/')
            && html
                .get(pos + 2..pos + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

fn inside_comment(html: &[u8], pos: usize) -> bool {
    let before = &html[..pos];
    match memchr::memmem::rfind(before, b"<!--") {
        Some(open) => memchr::memmem::find(&before[open..], b"-->").is_none(),
        None => false,
    }
}

/// One piece of raw HTML source, as the byte scanner sees it.
enum RawToken<'a> {
    Text(&'a [u8]),
    /// A start or end tag; `name` is lower-cased and cut at 16 bytes.
    Tag {
        name: &'a [u8],
        closing: bool,
        self_closing: bool,
    },
}

/// Scans HTML source without building a tree: tags and text, skipping comments and the
/// contents of script-like elements. Used where a DOM costs too much or cannot be trusted.
fn scan_raw(html: &[u8], mut visit: impl FnMut(RawToken<'_>)) {
    let mut i = 0;
    let mut name_buf = [0u8; 16];
    while i < html.len() {
        let text_end = memchr::memchr(b'<', &html[i..]).map_or(html.len(), |p| i + p);
        if text_end > i {
            visit(RawToken::Text(&html[i..text_end]));
            i = text_end;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with(b"<!--") {
            i = memchr::memmem::find(&rest[4..], b"-->").map_or(html.len(), |e| i + 4 + e + 3);
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', rest) else {
            break;
        };
        let tag = &rest[1..gt];
        let closing = tag.first() == Some(&b'/');
        let raw_name = tag
            .iter()
            .skip(usize::from(closing))
            .take_while(|c| c.is_ascii_alphanumeric());
        let mut n = 0;
        for (slot, c) in name_buf.iter_mut().zip(raw_name) {
            *slot = c.to_ascii_lowercase();
            n += 1;
        }
        i += gt + 1;
        let name = &name_buf[..n];
        if n == 0 {
            continue; // "<!doctype", "<?xml", a stray '<'
        }
        visit(RawToken::Tag {
            name,
            closing,
            self_closing: tag.ends_with(b"/"),
        });
        if !closing
            && matches!(
                name,
                b"script" | b"style" | b"title" | b"noscript" | b"template" | b"textarea"
            )
        {
            i = find_end_tag(html, i, name).unwrap_or(html.len());
        }
    }
}

/// Position of `</name` at or after `from`, ignoring ASCII case.
fn find_end_tag(html: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let pos = at + memchr::memmem::find(html.get(at..)?, b"</")?;
        let candidate = html.get(pos + 2..pos + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name) {
            return Some(pos);
        }
        at = pos + 2;
    }
}

/// Counts characters of readable text in raw HTML: text outside links and navigation-like
/// elements. An estimate (entities count as several characters), used only to decide
/// whether the `<article>` cut is safe.
fn readable_chars(html: &str) -> usize {
    let mut count = 0;
    let mut link_depth = 0usize;
    let mut nav_depth = 0usize;
    scan_raw(html.as_bytes(), |token| match token {
        RawToken::Text(t) => {
            if link_depth == 0 && nav_depth == 0 {
                // One count per character: UTF-8 continuation bytes and whitespace do not.
                count += t
                    .iter()
                    .filter(|&&c| c & 0xC0 != 0x80 && !c.is_ascii_whitespace())
                    .count();
            }
        }
        RawToken::Tag {
            name,
            closing,
            self_closing,
        } => match name {
            b"a" if closing => link_depth = link_depth.saturating_sub(1),
            b"a" => link_depth += 1,
            b"nav" | b"aside" | b"header" | b"footer" | b"form" | b"head" => {
                if closing {
                    nav_depth = nav_depth.saturating_sub(1);
                } else if !self_closing {
                    nav_depth += 1;
                }
            }
            _ => {}
        },
    });
    count
}

/// html5ever takes time quadratic in nesting depth (scope checks walk the stack of open
/// elements): 8,000 nested `<div>`s take seconds. No real page nests this deep.
const MAX_NESTING: usize = 1_000;

/// Estimates the deepest element nesting from the source. Like a browser, an end tag closes
/// every element opened after its start tag (so `<td><div>…</td>` does not drift deeper),
/// and a `<p>`, `<li>`, `<td>`… closes its unclosed sibling.
fn max_nesting(html: &str) -> usize {
    let mut stack: Vec<([u8; 16], usize)> = Vec::new();
    let mut max = 0;
    scan_raw(html.as_bytes(), |token| {
        let RawToken::Tag {
            name,
            closing,
            self_closing,
        } = token
        else {
            return;
        };
        let is_void = matches!(
            name,
            b"area"
                | b"base"
                | b"br"
                | b"col"
                | b"embed"
                | b"hr"
                | b"img"
                | b"input"
                | b"link"
                | b"meta"
                | b"source"
                | b"track"
                | b"wbr"
        );
        if is_void || (self_closing && !closing) || max > MAX_NESTING {
            return;
        }
        let same = |entry: &([u8; 16], usize)| &entry.0[..entry.1] == name;
        if closing {
            if let Some(pos) = stack.iter().rposition(same) {
                stack.truncate(pos);
            }
            return;
        }
        let closes_sibling = matches!(
            name,
            b"p" | b"li" | b"dt" | b"dd" | b"tr" | b"td" | b"th" | b"option"
        );
        if closes_sibling && stack.last().is_some_and(same) {
            stack.pop();
        }
        let mut entry = ([0u8; 16], name.len());
        entry.0[..name.len()].copy_from_slice(name);
        stack.push(entry);
        max = max.max(stack.len());
    });
    max
}

// ---------------------------------------------------------------------------------------
// Text statistics per element

/// Readable and link characters under each element, counted once for the whole page.
struct TextStats {
    per_element: HashMap<NodeId, (usize, usize)>,
}

impl TextStats {
    fn measure(root: NodeRef<'_, Node>) -> TextStats {
        let mut per_element = HashMap::new();
        // (element, text chars, link chars), innermost last.
        let mut stack: Vec<(NodeId, usize, usize)> = Vec::new();
        let mut skip: Option<NodeId> = None;
        let mut link_depth = 0usize;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Element(el) => {
                            if is_hidden_or_chrome(node, el) {
                                skip = Some(node.id());
                                continue;
                            }
                            if is_link(el) {
                                link_depth += 1;
                            }
                            stack.push((node.id(), 0, 0));
                        }
                        Node::Text(t) => {
                            let n = t.chars().filter(|c| !c.is_whitespace()).count();
                            if let Some(top) = stack.last_mut() {
                                top.1 += n;
                                if link_depth > 0 {
                                    top.2 += n;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skip {
                        if id == node.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if let Node::Element(el) = node.value() {
                        if is_link(el) {
                            link_depth = link_depth.saturating_sub(1);
                        }
                        if let Some((id, text, link)) = stack.pop() {
                            per_element.insert(id, (text, link));
                            if let Some(parent) = stack.last_mut() {
                                parent.1 += text;
                                parent.2 += link;
                            }
                        }
                    }
                }
            }
        }
        TextStats { per_element }
    }

    /// Characters of text outside links.
    fn readable(&self, id: NodeId) -> usize {
        self.per_element.get(&id).map_or(0, |(t, l)| t - l)
    }

    /// More link text than other text: a menu, a list of related laws, "上一篇/下一篇".
    fn is_link_dense(&self, id: NodeId) -> bool {
        self.per_element
            .get(&id)
            .is_some_and(|&(t, l)| t > 0 && l * 2 > t)
    }
}

fn is_link(el: &scraper::node::Element) -> bool {
    el.name() == "a" && el.attr("href").is_some()
}

/// Elements that are never law text: scripts, navigation, page chrome, form controls,
/// hidden elements, and the '#' anchors static-site generators append to headings.
fn is_hidden_or_chrome(node: NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
    let name = el.name();
    if matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "nav"
            | "aside"
            | "footer"
            | "form"
            | "button"
            | "select"
            | "option"
            | "input"
            | "textarea"
            | "label"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "canvas"
            | "video"
            | "audio"
            | "map"
            | "dialog"
            | "menu"
            | "rt"
            | "rp"
    ) {
        return true;
    }
    // A <header> inside an <article> is that article's own heading; elsewhere it is the
    // site's banner.
    if name == "header" && !node.ancestors().any(|a| element_name(a) == Some("article")) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    name == "a" && is_anchor_symbol(node, el)
}

/// `<a class=anchor href="#id">#</a>`: a permalink symbol, not text.
fn is_anchor_symbol(node: NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
    if !el.attr("href").is_some_and(|h| h.starts_with('#')) {
        return false;
    }
    let text: String = ElementRef::wrap(node)
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default();
    matches!(text.trim(), "#" | "¶" | "🔗" | "⚓")
}

fn element_name<'a>(node: NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

// ---------------------------------------------------------------------------------------
// Finding the body

/// Containers that hold the body on typical sites, tried in order: semantic HTML, then
/// the ids and classes of Chinese government content systems (TRS, UCAP) and blogs.
const BODY_CANDIDATES: &[&str] = &[
    "article",
    "main",
    "[role=main]",
    "#content",
    ".TRS_Editor",
    "#zoom",
    "#Zoom",
    ".article-content",
    "#UCAP-CONTENT",
    ".pages_content",
];

fn find_body<'a>(
    html: &'a Html,
    stats: &TextStats,
    select: Option<&Selector>,
    warnings: &mut Vec<String>,
) -> Vec<NodeRef<'a, Node>> {
    let page = body_element(html);
    if let Some(sel) = select {
        let matched = outermost(html.select(sel).map(|e| *e));
        if !matched.is_empty() {
            return matched;
        }
        warnings.push(
            "the manifest's selector matches nothing on this page; the body was guessed".into(),
        );
    }
    let page_text = stats.readable(page.id());
    for css in BODY_CANDIDATES {
        let Ok(sel) = Selector::parse(css) else {
            continue;
        };
        let best = html
            .select(&sel)
            .max_by_key(|e| stats.readable(e.id()))
            .map(|e| *e);
        if let Some(best) = best {
            if is_fair_share(stats.readable(best.id()), page_text) {
                return vec![best];
            }
        }
    }
    vec![densest_container(page, stats)]
}

fn body_element(html: &Html) -> NodeRef<'_, Node> {
    html.root_element()
        .children()
        .find(|c| element_name(*c) == Some("body"))
        .unwrap_or_else(|| *html.root_element())
}

/// Keeps the matches that are not inside another match, in document order.
fn outermost<'a>(matches: impl Iterator<Item = NodeRef<'a, Node>>) -> Vec<NodeRef<'a, Node>> {
    let all: Vec<NodeRef<'a, Node>> = matches.collect();
    let ids: std::collections::HashSet<NodeId> = all.iter().map(|n| n.id()).collect();
    all.into_iter()
        .filter(|n| !n.ancestors().any(|a| ids.contains(&a.id())))
        .collect()
}

/// Walks down from `<body>` into the child container holding most (60 %) of the readable
/// text, and stops where text is spread over several blocks: that element is the body.
/// Paragraph-level elements are never entered, so one long article cannot become the body.
fn densest_container<'a>(page: NodeRef<'a, Node>, stats: &TextStats) -> NodeRef<'a, Node> {
    let mut current = page;
    loop {
        let total = stats.readable(current.id());
        let mut children: Vec<(NodeRef<'a, Node>, usize)> = current
            .children()
            .filter(|c| c.value().is_element())
            .map(|c| (c, stats.readable(c.id())))
            .collect();
        children.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let Some(&(best, best_text)) = children.first() else {
            return current;
        };
        let enterable = element_name(best).is_some_and(|n| {
            !matches!(
                n,
                "p" | "li"
                    | "dd"
                    | "dt"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "pre"
                    | "blockquote"
                    | "a"
                    | "strong"
                    | "b"
                    | "em"
                    | "i"
                    | "u"
            )
        });
        let others: Vec<usize> = children
            .iter()
            .skip(1)
            .map(|(_, n)| *n)
            .filter(|&n| n >= 20)
            .collect();
        let spread = others.len() >= 3 && others.iter().sum::<usize>() * 4 >= total;
        if !enterable || best_text * 10 < total * 6 || spread {
            return current;
        }
        current = best;
    }
}

// ---------------------------------------------------------------------------------------
// Emitting blocks

#[derive(Default)]
struct BlockWriter {
    buf: String,
    out: Vec<(BlockKind, String)>,
    /// The heading being written and its level.
    heading: Option<(NodeId, u8)>,
    /// A table row written as one paragraph.
    row: Option<NodeId>,
    pre_depth: usize,
    title_seen: bool,
}

impl BlockWriter {
    fn walk(&mut self, body: NodeRef<'_, Node>, stats: &TextStats) {
        let mut skip: Option<NodeId> = None;
        for edge in body.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => self.text(&t.text),
                        Node::Element(el) => {
                            let droppable = node.id() != body.id()
                                && (is_hidden_or_chrome(node, el)
                                    || (self.heading.is_none()
                                        && is_block(el.name())
                                        && stats.is_link_dense(node.id())));
                            if droppable {
                                skip = Some(node.id());
                                continue;
                            }
                            self.open(node, el.name());
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skip {
                        if id == node.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if let Some(name) = element_name(node) {
                        self.close(node, name);
                    }
                }
            }
        }
        self.flush();
    }

    fn open(&mut self, node: NodeRef<'_, Node>, name: &str) {
        if let Some(level) = heading_level(name) {
            if self.heading.is_none() && self.row.is_none() {
                self.flush();
                self.heading = Some((node.id(), level));
            }
            return;
        }
        if self.row.is_some() {
            return;
        }
        match name {
            "br" | "hr" => {
                if self.heading.is_some() {
                    self.buf.push(' ');
                } else {
                    self.flush();
                }
            }
            "tr" if self.heading.is_none() && is_data_row(node) => {
                self.flush();
                self.row = Some(node.id());
            }
            "pre" => {
                self.flush();
                self.pre_depth += 1;
            }
            _ if is_block(name) && self.heading.is_none() => self.flush(),
            _ => {}
        }
    }

    fn close(&mut self, node: NodeRef<'_, Node>, name: &str) {
        if let Some((id, _)) = self.heading {
            if id == node.id() {
                self.flush();
                self.heading = None;
            }
            return;
        }
        if let Some(id) = self.row {
            if id == node.id() {
                self.flush();
                self.row = None;
            } else if matches!(name, "td" | "th") {
                self.buf.push(' ');
            }
            return;
        }
        if name == "pre" {
            self.pre_depth = self.pre_depth.saturating_sub(1);
        }
        if is_block(name) {
            self.flush();
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre_depth == 0 || self.heading.is_some() || self.row.is_some() {
            self.buf.push_str(t);
            return;
        }
        // Preformatted text is wrapped at a fixed width: lines are joined, and a blank line
        // ends a paragraph.
        let mut lines = t.split('\n').peekable();
        let mut blank_run = false;
        while let Some(line) = lines.next() {
            if line.trim().is_empty() && lines.peek().is_some() {
                blank_run = true;
                continue;
            }
            if blank_run {
                self.flush();
                blank_run = false;
            }
            self.buf.push_str(line);
            if lines.peek().is_some() {
                self.buf.push('\n');
            }
        }
    }

    fn flush(&mut self) {
        let text = normalize_text(&self.buf);
        self.buf.clear();
        if text.is_empty() {
            return;
        }
        let kind = match self.heading {
            Some((_, 1)) if !self.title_seen => {
                self.title_seen = true;
                BlockKind::Title
            }
            Some((_, level)) => BlockKind::Heading { level },
            None => BlockKind::Paragraph,
        };
        self.out.push((kind, text));
    }

    fn finish(mut self) -> Vec<(BlockKind, String)> {
        self.flush();
        self.out
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// A row of a data table (its text becomes one paragraph) rather than a layout row whose
/// cells hold whole passages: no cell holds line breaks, lists, headings, nested tables or
/// more than one paragraph.
fn is_data_row(tr: NodeRef<'_, Node>) -> bool {
    tr.children()
        .filter(|c| matches!(element_name(*c), Some("td" | "th")))
        .all(|cell| {
            let mut paragraphs = 0;
            for d in cell.descendants().skip(1) {
                match element_name(d) {
                    Some(
                        "table" | "br" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                        | "pre" | "blockquote",
                    ) => return false,
                    Some("p" | "div") => paragraphs += 1,
                    _ => {}
                }
            }
            paragraphs <= 1
        })
}

/// Collapses whitespace to single spaces, removes zero-width characters, and joins lines
/// broken between two CJK characters without a space (a source line break inside Chinese
/// text is not a word boundary).
pub(crate) fn normalize_text(raw: &str) -> String {
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

// ---------------------------------------------------------------------------------------
// Front matter, page chrome, title, language

/// True when `text` starts with an article head: 第十条, 第一百零三条, 第5條.
pub(crate) fn starts_with_article_head(text: &str) -> bool {
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

/// Page chrome that sits inside the body on many sites: 【打印本页】【关闭窗口】, 字号 大 中 小.
fn is_page_chrome(text: &str) -> bool {
    // "上一篇：某某条例" / "Next: …" lines link to neighbouring pages.
    const NEIGHBOURS: &[&str] = &["上一篇", "下一篇", "上一条", "下一条", "Previous", "Next"];
    if NEIGHBOURS.iter().any(|n| {
        text.strip_prefix(n)
            .is_some_and(|rest| rest.trim_start().starts_with(['：', ':']))
    }) {
        return true;
    }
    const WORDS: &[&str] = &[
        "打印",
        "打印本页",
        "关闭",
        "关闭窗口",
        "关闭本页",
        "返回顶部",
        "返回",
        "顶部",
        "收藏",
        "分享",
        "分享到",
        "字号",
        "字体",
        "大",
        "中",
        "小",
        "默认",
        "保存",
        "保存本页",
        "纠错",
        "微信",
        "微博",
        "print",
        "close",
        "share",
        "back",
        "to",
        "top",
        "email",
    ];
    if text.chars().count() > 40 {
        return false;
    }
    let lower = text.to_lowercase();
    let mut words = lower
        .split(|c: char| c.is_whitespace() || "【】[]（）()|｜:：·•/".contains(c))
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_some() && words.all(|w| WORDS.contains(&w))
}

/// Labels of publisher metadata lines that precede the law text on government sites.
const META_LABELS: &[&str] = &[
    "发布时间",
    "发布日期",
    "发文日期",
    "成文日期",
    "来源",
    "信息来源",
    "文章来源",
    "作者",
    "浏览次数",
    "点击数",
    "阅读次数",
    "责任编辑",
    "索引号",
    "发文机关",
    "发文字号",
    "主题分类",
];

fn is_meta_line(text: &str) -> bool {
    META_LABELS.iter().any(|label| {
        text.strip_prefix(label)
            .is_some_and(|rest| rest.trim_start().starts_with(['：', ':']))
    })
}

/// Before the first article: drops page chrome, marks publisher metadata and a table of
/// contents (目录 followed by chapter titles) as `Meta`. After it: drops page chrome only.
fn tidy_front_matter(blocks: &mut Vec<(BlockKind, String)>) {
    blocks.retain(|(_, t)| !is_page_chrome(t));
    let mut in_toc = false;
    for (kind, text) in blocks.iter_mut() {
        if starts_with_article_head(text) {
            break;
        }
        if *kind != BlockKind::Paragraph {
            in_toc = false;
            continue;
        }
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed == "目录" || squeezed == "目次" {
            in_toc = true;
            *kind = BlockKind::Meta;
        } else if in_toc && text.chars().count() <= 40 {
            *kind = BlockKind::Meta;
        } else {
            in_toc = false;
            if is_meta_line(text) {
                *kind = BlockKind::Meta;
            }
        }
    }
}

/// The `<title>`, without the site's name: "公共图书馆法(2018 10 26) • 中国法律快查手册".
fn page_title(html: &Html) -> Option<String> {
    let sel = Selector::parse("title").ok()?;
    let raw: String = html.select(&sel).next()?.text().collect();
    clean_title(&normalize_text(&raw))
}

fn clean_title(title: &str) -> Option<String> {
    const SEPARATORS: &[&str] = &[
        " | ", "｜", " - ", " – ", " — ", "——", " • ", " · ", "_", "－", " :: ",
    ];
    let mut parts = vec![title.to_string()];
    for sep in SEPARATORS {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    const LAW_WORDS: &[&str] = &[
        "法",
        "条例",
        "規則",
        "规定",
        "規定",
        "办法",
        "辦法",
        "决定",
        "細則",
        "细则",
        "act",
        "law",
        "code",
        "regulation",
        "statute",
        "bill",
        "ordinance",
    ];
    parts
        .iter()
        .find(|p| {
            let lower = p.to_lowercase();
            LAW_WORDS.iter().any(|w| lower.contains(w))
        })
        .or_else(|| parts.first())
        .cloned()
}

/// `<html lang>` when the text agrees with it. Government templates often say `lang="en"`
/// on Chinese pages, so a tag the text contradicts is reported and ignored.
fn declared_language(html: &Html, doc: &Document) -> (Option<String>, Option<String>) {
    let Some(declared) = html.root_element().value().attr("lang") else {
        return (None, None);
    };
    let declared = declared.trim().to_lowercase();
    let primary = declared.split(['-', '_']).next().unwrap_or_default();
    if primary.is_empty() || doc.blocks.is_empty() {
        return (None, None);
    }
    let detected = lang::detect(doc);
    let detected_primary = detected.split('-').next().unwrap_or(detected);
    if detected_primary == primary {
        (Some(detected.to_string()), None)
    } else {
        let warning = format!("the page declares lang={declared} but its text reads as {detected}");
        (None, Some(warning))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(html: &str) -> Document {
        parse_input(html.as_bytes(), None, None)
    }

    fn parse_input(bytes: &[u8], content_type: Option<&str>, select: Option<&str>) -> Document {
        match parse(Input {
            source: "test.html",
            bytes,
            content_type,
            select,
        }) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        }
    }

    fn texts(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.kind.clone(), b.text.as_str()))
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_anchor_links() {
        let doc = parse_str(
            "<html><head><title>某某条例 | 某网站</title></head><body><article>\
             <h1 id=t>某某条例<a class=anchor href=#t>#</a></h1>\
             <p>2020年1月1日通过</p>\
             <h2>第一章&nbsp;总则<a href=#c1>#</a></h2>\
             <p>第一条\u{200B} 为了<b>测试</b>，制定本条例。</p><p>\u{200B}</p>\
             <p>第二条 第一款。<br>第二款。</p>\
             </article></body></html>",
        );
        assert_eq!(
            texts(&doc),
            vec![
                (BlockKind::Title, "某某条例"),
                (BlockKind::Paragraph, "2020年1月1日通过"),
                (BlockKind::Heading { level: 2 }, "第一章 总则"),
                (BlockKind::Paragraph, "第一条 为了测试，制定本条例。"),
                (BlockKind::Paragraph, "第二条 第一款。"),
                (BlockKind::Paragraph, "第二款。"),
            ]
        );
        assert_eq!(doc.title.as_deref(), Some("某某条例"));
    }

    #[test]
    fn title_falls_back_to_cleaned_title_element() {
        let doc = parse_str(
            "<html><head><title>中国政府网 - 某某管理办法 - 法规库</title></head>\
             <body><div><p>第一条 内容。</p></div></body></html>",
        );
        assert_eq!(doc.title.as_deref(), Some("某某管理办法"));
        assert_eq!(doc.blocks[0].kind, BlockKind::Title);
        assert_eq!(
            clean_title("公共图书馆法(2018 10 26) • 中国法律快查手册").as_deref(),
            Some("公共图书馆法(2018 10 26)")
        );
        assert_eq!(
            clean_title("Library Services Act | State Legislature").as_deref(),
            Some("Library Services Act")
        );
    }

    #[test]
    fn drops_navigation_and_link_lists() {
        let doc = parse_str(
            "<html><body><nav><a href=/>首页</a></nav>\
             <div class=side><ul><li><a href=/a>甲法</a></li><li><a href=/b>乙法</a></li></ul></div>\
             <div class=main><p>第一条 正文内容足够长，足够长，足够长，足够长，足够长。</p>\
             <p>第二条 正文内容足够长，足够长，足够长，足够长。</p>\
             <p>上一篇：<a href=/p>丙法</a></p>\
             <script>var x = '第三条';</script></div>\
             <footer>版权所有 某某网站</footer></body></html>",
        );
        let all: String = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        for leak in ["首页", "甲法", "乙法", "丙法", "第三条", "版权所有"] {
            assert!(!all.contains(leak), "{leak} leaked: {all}");
        }
        assert_eq!(doc.blocks.len(), 2);
    }

    #[test]
    fn table_rows_become_paragraphs_layout_tables_do_not() {
        let doc = parse_str(
            "<html><body><div id=zoom><p>第一条 下表：</p>\
             <table><tr><th>等级</th><th>面积</th></tr><tr><td><p>一级</p></td><td>100</td></tr></table>\
             <table><tr><td>第二条 甲。<br>第三条 乙。</td></tr></table></div></body></html>",
        );
        let t: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            t,
            vec![
                "第一条 下表：",
                "等级 面积",
                "一级 100",
                "第二条 甲。",
                "第三条 乙。"
            ]
        );
    }

    #[test]
    fn manifest_selector_wins_and_bad_selector_is_an_error() {
        let page = "<html><body><article><p>一篇新闻，不是法规。一篇新闻，不是法规。一篇新闻，不是法规。</p></article>\
                    <div class=law><p>第一条 法规正文。</p></div></body></html>";
        let doc = parse_input(page.as_bytes(), None, Some("div.law"));
        let t: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(t, vec!["第一条 法规正文。"]);
        let err = parse(Input {
            source: "x.html",
            bytes: page.as_bytes(),
            content_type: None,
            select: Some("div[["),
        });
        let msg = err.map(|_| ()).unwrap_err().to_string();
        assert!(msg.starts_with("x.html: ") && msg.contains("selector") && !msg.contains('\n'));
    }

    #[test]
    fn small_article_teaser_does_not_hide_the_body() {
        let body = "第一条 正文。".repeat(40);
        let page = format!(
            "<html><body><article><p>相关新闻摘要一则。</p></article>\
             <div id=zoom><p>{body}</p></div></body></html>"
        );
        // The cut must refuse, and the DOM path must skip the teaser.
        assert!(article_cut(&page, None).is_none());
        let doc = parse_str(&page);
        assert!(doc.blocks.iter().any(|b| b.text.starts_with("第一条")));
        assert!(!doc.blocks.iter().any(|b| b.text.contains("相关新闻")));
    }

    #[test]
    fn article_cut_keeps_head_and_article_only() {
        let page = format!(
            "<html lang=zh-cn><head><title>T</title></head><body><aside><nav>{}</nav></aside>\
             <article><p>第一条 正文。</p></article><footer>f</footer></body></html>",
            "<a href=/x>链接</a>".repeat(100)
        );
        let cut = article_cut(&page, None).unwrap_or_default();
        assert!(cut.starts_with("<html lang=zh-cn><head><title>T</title></head><body><article>"));
        assert!(cut.ends_with("</article>"));
        assert!(article_cut(&page, Some("div.x")).is_none());
    }

    #[test]
    fn toc_and_publisher_lines_before_the_first_article_are_meta() {
        let doc = parse_str(
            "<html><body><div id=zoom><p>发布时间：2020-01-01</p><p>目 录</p><p>第一章 总则</p>\
             <p>第二章 附则</p><h2>第一章 总则</h2><p>第一条 内容。</p><p>【打印本页】【关闭窗口】</p>\
             </div></body></html>",
        );
        let kinds: Vec<(BlockKind, &str)> = texts(&doc);
        assert_eq!(kinds[0], (BlockKind::Meta, "发布时间：2020-01-01"));
        assert_eq!(kinds[1], (BlockKind::Meta, "目 录"));
        assert_eq!(kinds[2], (BlockKind::Meta, "第一章 总则"));
        assert_eq!(kinds[3], (BlockKind::Meta, "第二章 附则"));
        assert_eq!(kinds[4], (BlockKind::Heading { level: 2 }, "第一章 总则"));
        assert_eq!(kinds.last(), Some(&(BlockKind::Paragraph, "第一条 内容。")));
    }

    #[test]
    fn normalizes_whitespace_and_cjk_line_breaks() {
        assert_eq!(
            normalize_text("  第一条\u{3000}为了\n促进，\u{A0}\u{FEFF}and\nmore "),
            "第一条 为了促进， and more"
        );
        assert_eq!(normalize_text("\u{200B}"), "");
    }

    #[test]
    fn article_heads() {
        assert!(starts_with_article_head("第一百零三条 内容"));
        assert!(starts_with_article_head("第5條"));
        assert!(!starts_with_article_head("第一章 总则"));
        assert!(!starts_with_article_head("依照第三条"));
    }

    #[test]
    fn deep_nesting_is_refused_quickly_and_moderate_nesting_parses() {
        let page = format!(
            "{}第一条 深。{}",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        let started = std::time::Instant::now();
        let err = parse(Input {
            source: "deep.html",
            bytes: page.as_bytes(),
            content_type: None,
            select: None,
        });
        let msg = err
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.starts_with("deep.html: ") && msg.contains("more than 1000 levels"),
            "{msg}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let page = format!("{}第一条 深。{}", "<div>".repeat(500), "</div>".repeat(500));
        let doc = parse_str(&page);
        assert!(doc.blocks.iter().any(|b| b.text == "第一条 深。"));
        assert_eq!(max_nesting("<p>a<p>b<ul><li>c<li>d</ul><br><img src=x>"), 3);
        // Unclosed elements inside closed ones do not add up over a page.
        let sloppy = "<table><tr><td><div><font>x</td></tr></table>".repeat(5_000);
        assert_eq!(max_nesting(&sloppy), 5);
    }

    #[test]
    fn preformatted_lines_are_joined_blank_lines_split() {
        let doc = parse_str(
            "<html><body><pre>SEC. 2. The Secretary shall\nprovide grants.\n\nSEC. 3. Funds\nare authorized.</pre></body></html>",
        );
        let t: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(
            t.contains(&"SEC. 2. The Secretary shall provide grants."),
            "{t:?}"
        );
        assert!(t.contains(&"SEC. 3. Funds are authorized."), "{t:?}");
    }

    #[test]
    fn gbk_page_with_meta_only() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>\
                    <body><div id=zoom><p>第一条 为了规范图书馆管理，制定本办法。</p></div></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let doc = parse_input(&bytes, None, None);
        assert!(doc
            .blocks
            .iter()
            .any(|b| b.text == "第一条 为了规范图书馆管理，制定本办法。"));
    }

    #[test]
    fn page_chrome_words() {
        assert!(is_page_chrome("【打印本页】 【关闭窗口】"));
        assert!(is_page_chrome("字号：大 中 小"));
        assert!(is_page_chrome("Back to top"));
        assert!(!is_page_chrome("（一）大型图书馆"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Tag soup from fragments real pages are made of, cut anywhere: never a panic.
        #[test]
        fn tag_soup_never_panics(parts in proptest::collection::vec(0usize..16, 0..60), cut in 0usize..2000) {
            const FRAGMENTS: [&str; 16] = [
                "<article>", "</article>", "<p>", "第一条 内容", "<br>", "<table><tr><td>",
                "</td></tr></table>", "<a href=#x>#</a>", "<nav>", "</nav>", "<!--", "-->",
                "<script>", "</script>", "<h1>", "<meta charset=gbk>",
            ];
            let page: String = parts.iter().map(|&i| FRAGMENTS[i]).collect();
            let bytes = page.as_bytes();
            let bytes = &bytes[..cut.min(bytes.len())];
            let _ = parse(Input { source: "p.html", bytes, content_type: None, select: None });
            let _ = parse(Input { source: "p.html", bytes, content_type: None, select: Some("article") });
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = parse(Input { source: "b.html", bytes: &bytes, content_type: Some("text/html; charset=gbk"), select: None });
        }
    }
}
