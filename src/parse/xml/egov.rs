//! Japanese e-Gov law XML (法令標準XML): `Law/LawBody` with `LawTitle`, a `TOC`, the
//! `MainProvision` in Part/Chapter/Section/Subsection/Division, `Article`s of `Paragraph`s of
//! `Item`s and `Subitem1`…`Subitem10`, then one `SupplProvision` (附則) per amending act and
//! appended tables (`AppdxTable`).
//!
//! Output: division titles → `Heading` (level = nesting depth); `Article` → `Article{label:
//! ArticleTitle}` with `ArticleCaption` as caption; each paragraph, item, sub-item, list line
//! and table row → one `Paragraph` led by its number (`２ …`, `一 …`, `イ …`). Every
//! `SupplProvision` starts with a `Heading` 附則（amending act）so that the segmenter can tell
//! its articles from the main provision's (both count from 第一条). Ruby readings (`<Rt>`)
//! are dropped, the base text kept; the TOC is skipped.

use roxmltree::Node;

use super::{child, normalise_language, push_paragraph, text_of, Boundary, LineIndex};
use crate::model::{BlockKind, Document, Origin};

/// The `<Law>` element with a `<LawBody>`: the document itself, or wrapped in an API
/// response (`DataRoot/ApplData/LawFullText/Law`).
pub(super) fn law_element<'a, 'i>(root: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let is_law = |n: &Node<'_, '_>| n.tag_name().name() == "Law" && child(*n, "LawBody").is_some();
    if is_law(&root) {
        return Some(root);
    }
    matches!(root.tag_name().name(), "DataRoot" | "ApplData" | "LawFullText")
        .then(|| root.descendants().take(64).find(is_law))
        .flatten()
}

pub(super) fn read(law: Node<'_, '_>, lines: &LineIndex, doc: &mut Document) {
    doc.language = Some(
        law.attribute("Lang")
            .and_then(normalise_language)
            .unwrap_or_else(|| "ja".to_string()),
    );
    let Some(body) = child(law, "LawBody") else {
        return;
    };
    let mut reader = Reader { lines, doc };
    if let Some(title) = child(body, "LawTitle").map(text).filter(|t| !t.is_empty()) {
        reader.doc.title = Some(title.clone());
        reader.doc.push(BlockKind::Title, title, lines.origin(body));
    }
    if let Some(num) = child(law, "LawNum").map(text).filter(|t| !t.is_empty()) {
        reader.doc.push(BlockKind::Meta, num, Origin::default());
    }
    for c in body.children().filter(|c| c.is_element()) {
        match c.tag_name().name() {
            "LawTitle" | "TOC" => {}
            "EnactStatement" => {
                let t = text(c);
                if !t.is_empty() {
                    reader.doc.push(BlockKind::Meta, t, lines.origin(c));
                }
            }
            "MainProvision" => reader.provision(c, 0),
            "SupplProvision" => reader.suppl_provision(c),
            name if name.starts_with("Appdx") => reader.appendix(c, 1),
            _ => reader.unit(c),
        }
    }
}

/// e-Gov text: ruby readings dropped, sentences run on (separated only where the text is
/// Latin), table columns set apart.
fn boundary(n: Node<'_, '_>) -> Boundary {
    match n.tag_name().name() {
        "Rt" => Boundary::Skip,
        "Sentence" => Boundary::Soft,
        "Column" | "TableColumn" => Boundary::Hard,
        _ => Boundary::Inline,
    }
}

fn text(n: Node<'_, '_>) -> String {
    text_of(n, &boundary)
}

const DIVISIONS: [&str; 5] = ["Part", "Chapter", "Section", "Subsection", "Division"];

struct Reader<'r, 'd> {
    lines: &'r LineIndex,
    doc: &'d mut Document,
}

impl Reader<'_, '_> {
    /// A main or supplementary provision, or a division inside one.
    fn provision(&mut self, node: Node<'_, '_>, depth: u8) {
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if DIVISIONS.contains(&name) {
                let title = node_title(c);
                if !title.is_empty() {
                    let level = depth.saturating_add(1);
                    self.doc
                        .push(BlockKind::Heading { level }, title, self.lines.origin(c));
                }
                self.provision(c, depth.saturating_add(1));
            } else if name == "Article" {
                self.article(c);
            } else if name == "SupplProvisionLabel" || name.ends_with("Title") {
                // Read by the holder.
            } else if name.starts_with("SupplProvisionAppdx") || name.starts_with("Appdx") {
                self.appendix(c, depth.saturating_add(1));
            } else {
                self.unit(c);
            }
        }
    }

    fn suppl_provision(&mut self, node: Node<'_, '_>) {
        let label: String = child(node, "SupplProvisionLabel")
            .map(text)
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut heading = if label.is_empty() {
            "附則".to_string()
        } else {
            label
        };
        if let Some(num) = node.attribute("AmendLawNum").filter(|n| !n.trim().is_empty()) {
            heading.push('（');
            heading.push_str(num.trim());
            heading.push('）');
        }
        if node.attribute("Extract") == Some("true") {
            heading.push_str(" 抄");
        }
        self.doc
            .push(BlockKind::Heading { level: 1 }, heading, self.lines.origin(node));
        self.provision(node, 1);
    }

    fn article(&mut self, node: Node<'_, '_>) {
        let label = child(node, "ArticleTitle").map(text).unwrap_or_default();
        let caption = child(node, "ArticleCaption").map(text).unwrap_or_default();
        self.doc
            .push(BlockKind::Article { label }, caption, self.lines.origin(node));
        for c in node.children().filter(|c| c.is_element()) {
            match c.tag_name().name() {
                "ArticleTitle" | "ArticleCaption" | "SupplNote" => {}
                _ => self.unit(c),
            }
        }
    }

    /// An appended table, style or figure: its title as a heading, its rows as paragraphs.
    fn appendix(&mut self, node: Node<'_, '_>, level: u8) {
        let title = node_title(node);
        if !title.is_empty() {
            self.doc
                .push(BlockKind::Heading { level }, title, self.lines.origin(node));
        }
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if !(name.ends_with("Title") || name == "RelatedArticleNum") {
                self.unit(c);
            }
        }
    }

    /// Any unit of text below an article: one paragraph from its number, caption and
    /// sentence, then its sub-units. Paragraph, Item, Subitem1…10, List, Sublist1…3, Class
    /// and Remarks all share this shape (`…Num`/`…Title`/`…Label`, `…Sentence`, children).
    fn unit(&mut self, node: Node<'_, '_>) {
        match node.tag_name().name() {
            "Rt" | "TOC" | "SupplNote" | "Fig" => return,
            "TableRow" | "TableHeaderRow" => return self.table_row(node),
            "AmendProvision" | "NewProvision" => return self.amendment(node),
            _ => {}
        }
        let mut head = Vec::new();
        let mut sentence = Vec::new();
        let mut rest = Vec::new();
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if name.ends_with("Num")
                || name.ends_with("Title")
                || name.ends_with("Label")
                || name.ends_with("Caption")
            {
                head.push(text(c));
            } else if name.ends_with("Sentence") || name == "Column" {
                sentence.push(text(c));
            } else {
                rest.push(c);
            }
        }
        // A unit with words directly inside (a bare <Sentence>, mixed text) reads as a whole.
        let direct_text = node
            .children()
            .any(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()));
        let line = if direct_text && head.is_empty() && sentence.is_empty() {
            rest.clear();
            text(node)
        } else {
            let mut parts: Vec<String> = head.into_iter().filter(|s| !s.is_empty()).collect();
            let sentence = sentence
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !sentence.is_empty() {
                parts.push(sentence);
            }
            parts.join(" ")
        };
        push_paragraph(self.doc, line, self.lines.origin(node));
        for c in rest {
            self.unit(c);
        }
    }

    fn table_row(&mut self, row: Node<'_, '_>) {
        let cells: Vec<String> = row
            .children()
            .filter(|c| {
                c.is_element() && matches!(c.tag_name().name(), "TableColumn" | "TableHeaderColumn")
            })
            .map(text)
            .collect();
        let line = cells.join(" | ");
        if cells.iter().any(|c| !c.is_empty()) {
            push_paragraph(self.doc, line, self.lines.origin(row));
        }
    }

    /// An amendment and the new provisions it quotes: quoted articles and divisions are text
    /// of the amending paragraph, never articles or headings of this law.
    fn amendment(&mut self, node: Node<'_, '_>) {
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if name == "NewProvision" {
                self.amendment(c);
            } else if name == "Article" || DIVISIONS.contains(&name) {
                self.quoted(c);
            } else {
                self.unit(c);
            }
        }
    }

    fn quoted(&mut self, node: Node<'_, '_>) {
        let head = [node_caption(node), node_title(node)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        push_paragraph(self.doc, head, self.lines.origin(node));
        for c in node.children().filter(|c| c.is_element()) {
            let name = c.tag_name().name();
            if name.ends_with("Title") || name.ends_with("Caption") {
                continue;
            }
            if name == "Article" || DIVISIONS.contains(&name) {
                self.quoted(c);
            } else {
                self.unit(c);
            }
        }
    }
}

/// `ChapterTitle`, `ArticleTitle`, `AppdxTableTitle` (+ `RelatedArticleNum`): the title child
/// of a division, article or appendix.
fn node_title(node: Node<'_, '_>) -> String {
    let name = node.tag_name().name();
    let mut title = node
        .children()
        .find(|c| {
            c.is_element() && {
                let n = c.tag_name().name();
                n.ends_with("Title") && n.starts_with(name)
            }
        })
        .map(text)
        .unwrap_or_default();
    if let Some(related) = child(node, "RelatedArticleNum").map(text) {
        if !related.is_empty() {
            title.push_str(&related);
        }
    }
    title
}

fn node_caption(node: Node<'_, '_>) -> String {
    let name = node.tag_name().name();
    node.children()
        .find(|c| {
            c.is_element() && {
                let n = c.tag_name().name();
                n.ends_with("Caption") && n.starts_with(name)
            }
        })
        .map(text)
        .unwrap_or_default()
}
