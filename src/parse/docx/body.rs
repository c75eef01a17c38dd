//! Walking `word/document.xml`: paragraphs, tables, fields and runs into blocks.

use super::*;

pub(super) enum XmlEdge<'a, 'i> {
    Open(Node<'a, 'i>),
    Close(Node<'a, 'i>),
}

/// Visits `root`'s subtree in document order without recursion (a hostile file can nest
/// tables thousands deep). The visitor returns `false` on `Open` to skip that subtree.
pub(super) fn walk<'a, 'i>(root: Node<'a, 'i>, mut visit: impl FnMut(XmlEdge<'a, 'i>) -> bool) {
    let mut stack: Vec<Node<'a, 'i>> = Vec::new();
    let mut skip: Option<usize> = None; // stack depth of the skipped node
    let close_until = |stack: &mut Vec<Node<'a, 'i>>,
                       skip: &mut Option<usize>,
                       parent: Option<Node<'a, 'i>>,
                       visit: &mut dyn FnMut(XmlEdge<'a, 'i>) -> bool| {
        while let Some(&top) = stack.last() {
            if parent == Some(top) {
                break;
            }
            stack.pop();
            if *skip == Some(stack.len()) {
                *skip = None;
            } else if skip.is_none() {
                visit(XmlEdge::Close(top));
            }
        }
    };
    for node in root.descendants() {
        crate::budget::tick();
        close_until(&mut stack, &mut skip, node.parent(), &mut visit);
        if skip.is_none() && !visit(XmlEdge::Open(node)) {
            skip = Some(stack.len());
        }
        stack.push(node);
    }
    close_until(&mut stack, &mut skip, None, &mut visit);
}

pub(super) enum BodyItem {
    Block(Block),
    /// Where an altChunk's blocks go.
    Chunk,
}

pub(super) struct OpenParagraph {
    pub(super) text: String,
    pub(super) kind: BlockKind,
    /// A list number Word generates ("第一条 "), with its suffix, written before the text.
    pub(super) label: Option<String>,
}

/// Complex field state: between `begin` and `separate` is the field code (not text),
/// between `separate` and `end` its displayed result.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum FieldPart {
    Code,
    Result,
}

pub(super) struct BodyWriter<'s> {
    pub(super) styles: &'s StyleSheet,
    pub(super) numbering: Numbering,
    pub(super) blocks: Vec<BodyItem>,
    /// Relationship ids of altChunks, in order.
    pub(super) chunks: Vec<String>,
    /// Paragraphs being written (text boxes nest paragraphs inside paragraphs).
    pub(super) paragraphs: Vec<OpenParagraph>,
    /// A table row written as one paragraph, and its text.
    pub(super) row: Option<(roxmltree::NodeId, String)>,
    pub(super) fields: Vec<FieldPart>,
}

impl BodyWriter<'_> {
    pub(super) fn edge(&mut self, edge: XmlEdge<'_, '_>) -> bool {
        match edge {
            XmlEdge::Open(node) => self.open(node),
            XmlEdge::Close(node) => {
                self.close(node);
                true
            }
        }
    }

    pub(super) fn open(&mut self, node: Node<'_, '_>) -> bool {
        if !node.is_element() {
            return false;
        }
        match node.tag_name().name() {
            // Deleted revisions, field codes, properties, and the Fallback copy of content
            // that mc:Choice already holds.
            "del" | "moveFrom" | "delText" | "instrText" | "pPr" | "rPr" | "sectPr" | "tblPr"
            | "trPr" | "tcPr" | "Fallback" | "fldData" | "ffData" => false,
            "sdt" => child(node, "sdtPr").is_none_or(|p| child(p, "showingPlcHdr").is_none()),
            "r" => !child(node, "rPr")
                .and_then(|p| child(p, "vanish"))
                .is_some_and(|v| !matches!(attr(v, "val"), Some("0" | "false" | "off"))),
            "p" => {
                let (kind, label) = self.paragraph_style(node);
                self.paragraphs.push(OpenParagraph {
                    text: String::new(),
                    kind,
                    label,
                });
                true
            }
            "t" => {
                if self.visible() {
                    if let (Some(p), Some(t)) = (self.paragraphs.last_mut(), node.text()) {
                        p.text.push_str(t);
                    }
                }
                false
            }
            "tab" | "ptab" => {
                self.push_text(" ");
                false
            }
            "noBreakHyphen" => {
                self.push_text("-");
                false
            }
            "br" | "cr" => {
                // A page or column break is layout; a line break starts a new paragraph,
                // as <br> does in HTML.
                if !matches!(attr(node, "type"), Some("page" | "column")) && self.row.is_none() {
                    self.split_paragraph();
                }
                false
            }
            "fldChar" => {
                match attr(node, "fldCharType") {
                    Some("begin") => self.fields.push(FieldPart::Code),
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            *f = FieldPart::Result;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                }
                false
            }
            "tr" => {
                if self.row.is_none() && is_data_row(node) {
                    self.row = Some((node.id(), String::new()));
                }
                true
            }
            "altChunk" => {
                if let Some(id) = attr(node, "id") {
                    self.chunks.push(id.to_string());
                    self.blocks.push(BodyItem::Chunk);
                }
                false
            }
            _ => true,
        }
    }

    pub(super) fn close(&mut self, node: Node<'_, '_>) {
        match node.tag_name().name() {
            "p" => {
                if let Some(p) = self.paragraphs.pop() {
                    self.emit(p);
                }
            }
            "tc" => {
                if let Some((_, text)) = self.row.as_mut() {
                    text.push(' ');
                }
            }
            "tr" if self.row.as_ref().is_some_and(|(id, _)| *id == node.id()) => {
                if let Some((_, text)) = self.row.take() {
                    self.push_block(BlockKind::Paragraph, &text);
                }
            }
            _ => {}
        }
    }

    pub(super) fn visible(&self) -> bool {
        self.fields.last() != Some(&FieldPart::Code)
    }

    pub(super) fn push_text(&mut self, s: &str) {
        if self.visible() {
            if let Some(p) = self.paragraphs.last_mut() {
                p.text.push_str(s);
            }
        }
    }

    pub(super) fn split_paragraph(&mut self) {
        if let Some(p) = self.paragraphs.last_mut() {
            let kind = p.kind.clone();
            let first = OpenParagraph {
                text: std::mem::take(&mut p.text),
                kind,
                label: p.label.take(),
            };
            self.emit(first);
        }
    }

    pub(super) fn emit(&mut self, p: OpenParagraph) {
        let text = match p.label {
            Some(label) => label + &p.text,
            None => p.text,
        };
        if let Some((_, row)) = self.row.as_mut() {
            row.push_str(&text);
            row.push(' ');
            return;
        }
        self.push_block(p.kind, &text);
    }

    pub(super) fn push_block(&mut self, kind: BlockKind, raw: &str) {
        let text = crate::grammar::normalize_text(raw);
        if !text.is_empty() {
            self.blocks
                .push(BodyItem::Block(Block::new(kind, text, Origin::default())));
        }
    }

    /// The block kind a paragraph's style gives it, and its generated list number.
    pub(super) fn paragraph_style(&mut self, p: Node<'_, '_>) -> (BlockKind, Option<String>) {
        let ppr = child(p, "pPr");
        let style_id = ppr
            .and_then(|pr| child(pr, "pStyle"))
            .and_then(|s| attr(s, "val"));
        let own_outline = ppr
            .and_then(|pr| child(pr, "outlineLvl"))
            .and_then(|o| attr(o, "val"))
            .and_then(|v| v.parse::<u8>().ok());
        let kind = match (own_outline, style_id) {
            (Some(lvl), _) if lvl < 9 => BlockKind::Heading { level: lvl + 1 },
            (_, Some(id)) => self.styles.kind(id),
            _ => BlockKind::Paragraph,
        };
        let own_num = ppr.and_then(|pr| child(pr, "numPr")).map(|n| {
            (
                child(n, "numId")
                    .and_then(|x| attr(x, "val"))
                    .map(str::to_string),
                child(n, "ilvl")
                    .and_then(|x| attr(x, "val"))
                    .and_then(|v| v.parse::<usize>().ok()),
            )
        });
        let (num_id, ilvl) = match own_num {
            Some((Some(id), lvl)) => (Some(id), lvl),
            Some((None, lvl)) => (style_id.and_then(|s| self.styles.num_id(s)), lvl),
            None => match style_id.and_then(|s| self.styles.num_id(s)) {
                Some(id) => (Some(id), None),
                None => (None, None),
            },
        };
        let ilvl = ilvl
            .or_else(|| style_id.and_then(|s| self.styles.num_level(s)))
            .unwrap_or(0);
        let label = num_id.and_then(|id| self.numbering.next_label(&id, ilvl));
        (kind, label)
    }
}

/// A table row whose cells hold one paragraph each becomes one paragraph; rows of cells with
/// several paragraphs (layout tables) give one block per paragraph.
pub(super) fn is_data_row(tr: Node<'_, '_>) -> bool {
    tr.children()
        .filter(|c| c.tag_name().name() == "tc")
        .all(|tc| {
            tc.descendants()
                .filter(|d| matches!(d.tag_name().name(), "p" | "tbl"))
                .take(2)
                .count()
                <= 1
        })
}
