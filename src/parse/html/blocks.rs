//! Writing blocks from the body: headings, paragraphs, list items and data-table rows, with
//! whitespace normalised per script.

use super::*;

#[derive(Default)]
pub(super) struct BlockWriter {
    pub(super) buf: String,
    pub(super) out: Vec<(BlockKind, String)>,
    /// The heading being written and its level.
    pub(super) heading: Option<(NodeId, u8)>,
    /// A table row written as one paragraph.
    pub(super) row: Option<NodeId>,
    pub(super) pre_depth: usize,
    pub(super) title_seen: bool,
}

impl BlockWriter {
    pub(super) fn walk(&mut self, body: NodeRef<'_, Node>, stats: &TextStats) {
        walk_pruned(body, |edge| {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Text(t) => self.text(&t.text),
                    Node::Element(el) => {
                        let droppable = node.id() != body.id()
                            && (is_hidden_or_chrome(node, el)
                                || (self.heading.is_none()
                                    && is_block(el.name())
                                    && stats.is_link_dense(node.id())));
                        if droppable {
                            return Step::Prune;
                        }
                        self.open(node, el.name());
                    }
                    _ => {}
                },
                Edge::Close(node) => {
                    if let Some(name) = element_name(node) {
                        self.close(node, name);
                    }
                }
            }
            Step::Go
        });
        self.flush();
    }

    pub(super) fn open(&mut self, node: NodeRef<'_, Node>, name: &str) {
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

    pub(super) fn close(&mut self, node: NodeRef<'_, Node>, name: &str) {
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

    pub(super) fn text(&mut self, t: &str) {
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

    pub(super) fn flush(&mut self) {
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

    pub(super) fn finish(mut self) -> Vec<(BlockKind, String)> {
        self.flush();
        self.out
    }
}

pub(super) fn heading_level(name: &str) -> Option<u8> {
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

pub(super) fn is_block(name: &str) -> bool {
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
pub(super) fn is_data_row(tr: NodeRef<'_, Node>) -> bool {
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
