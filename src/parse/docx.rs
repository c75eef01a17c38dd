//! Word documents (.docx): paragraphs of `word/document.xml`, headings from paragraph styles,
//! list numbers Word generates (第%1条), tables row by row, and `altChunk` parts (HTML or MHT
//! imported whole, as online converters produce) through the HTML parser.
//!
//! A docx is a zip: every entry is read through one budget of decompressed bytes
//! (`Limits::max_decompressed`) and the entry count is checked before the central directory
//! is loaded, so a zip bomb or a million-entry archive is an error, not an outage.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use roxmltree::Node;

use super::{encoding, html, Input, Limits, ParseError, ParseErrorKind};
use crate::grammar::to_chinese;
use crate::model::{Block, BlockKind, Document, Format, Origin};

/// More entries than any real docx has (a few dozen); a zip listing more is not a document.
const MAX_ENTRIES: usize = 10_000;

/// Parses a docx into blocks.
pub fn parse(input: Input<'_>, limits: &Limits) -> Result<Document, ParseError> {
    let src = input.source;
    let mut package = Package::open(src, input.bytes, limits)?;
    let main_part = package.main_part()?;
    let xml = package.read(&main_part)?.ok_or_else(|| {
        ParseError::malformed(
            src,
            Format::Docx,
            format!("a zip without {main_part}: not a Word document"),
        )
    })?;
    let styles = match package.read("word/styles.xml")? {
        Some(bytes) => StyleSheet::parse(&xml_text(&bytes)),
        None => StyleSheet::default(),
    };
    let numbering = match package.read("word/numbering.xml")? {
        Some(bytes) => Numbering::parse(&xml_text(&bytes)),
        None => Numbering::default(),
    };
    let rels = match package.read(&rels_path(&main_part))? {
        Some(bytes) => relationships(&xml_text(&bytes), &main_part),
        None => HashMap::new(),
    };

    let text = xml_text(&xml);
    let tree = super::xml::tree(&text)
        .map_err(|e| ParseError::malformed(src, Format::Docx, format!("{main_part}: {e}")))?;
    let body = tree
        .root_element()
        .children()
        .find(|n| n.tag_name().name() == "body")
        .ok_or_else(|| {
            ParseError::malformed(src, Format::Docx, format!("{main_part} has no w:body"))
        })?;

    let mut doc = Document::new("", src, Format::Docx);
    let mut writer = BodyWriter {
        styles: &styles,
        numbering,
        blocks: Vec::new(),
        chunks: Vec::new(),
        paragraphs: Vec::new(),
        row: None,
        fields: Vec::new(),
    };
    walk(body, |edge| writer.edge(edge));

    // altChunk parts are imported at their place in the body: each chunk's blocks replace
    // the marker the walk left.
    let chunk_ids = std::mem::take(&mut writer.chunks);
    let mut chunk_blocks: Vec<Vec<Block>> = Vec::with_capacity(chunk_ids.len());
    for id in &chunk_ids {
        let blocks = match rels.get(id) {
            Some(target) => package.alt_chunk(target, &mut doc)?,
            None => {
                doc.warnings
                    .push(format!("altChunk {id} has no relationship; skipped"));
                Vec::new()
            }
        };
        chunk_blocks.push(blocks);
    }
    let mut chunk_iter = chunk_blocks.into_iter();
    for item in writer.blocks {
        match item {
            BodyItem::Block(b) => doc.blocks.push(b),
            BodyItem::Chunk => doc.blocks.extend(chunk_iter.next().unwrap_or_default()),
        }
    }

    promote_title(&mut doc.blocks);
    doc.title = doc
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Title)
        .map(|b| b.text.clone());
    if doc.title.is_none() {
        if let Some(bytes) = package.read("docProps/core.xml")? {
            doc.title = core_title(&xml_text(&bytes));
        }
    }
    Ok(doc)
}

// ---------------------------------------------------------------------------------------
// The zip package

struct Package<'a> {
    src: &'a str,
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Decompressed bytes still allowed.
    budget: u64,
    limit: u64,
}

impl<'a> Package<'a> {
    fn open(src: &'a str, bytes: &'a [u8], limits: &Limits) -> Result<Self, ParseError> {
        if let Some(n) = declared_entry_count(bytes) {
            if n > MAX_ENTRIES {
                return Err(ParseError::malformed(
                    src,
                    Format::Docx,
                    format!("zip lists {n} entries (a docx has a few dozen; limit {MAX_ENTRIES})"),
                ));
            }
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            ParseError::malformed(
                src,
                Format::Docx,
                format!("not a readable zip archive ({e})"),
            )
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(ParseError::malformed(
                src,
                Format::Docx,
                format!("zip lists {} entries (limit {MAX_ENTRIES})", zip.len()),
            ));
        }
        Ok(Package {
            src,
            zip,
            budget: limits.max_decompressed,
            limit: limits.max_decompressed,
        })
    }

    /// Reads one part; `None` when the zip has no such entry. Part names are matched without
    /// regard to case or a leading '/', as OPC says.
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ParseError> {
        let name = name.trim_start_matches('/');
        let index = match self.zip.index_for_name(name) {
            Some(i) => i,
            None => match self
                .zip
                .file_names()
                .position(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name))
            {
                Some(i) => i,
                None => return Ok(None),
            },
        };
        let src = self.src;
        let malformed = |e: &dyn std::fmt::Display| {
            ParseError::malformed(src, Format::Docx, format!("{name}: {e}"))
        };
        let entry = self.zip.by_index(index).map_err(|e| malformed(&e))?;
        let mut buf = Vec::new();
        // Never trust the entry's declared size: read at most one byte past the budget.
        let read = entry
            .take(self.budget.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| malformed(&e))?;
        if read as u64 > self.budget {
            return Err(ParseError::new(
                self.src,
                ParseErrorKind::Bomb {
                    format: Format::Docx,
                    limit: self.limit,
                },
            ));
        }
        self.budget -= read as u64;
        Ok(Some(buf))
    }

    /// The main document part named by `_rels/.rels`, usually `word/document.xml`.
    fn main_part(&mut self) -> Result<String, ParseError> {
        const DEFAULT: &str = "word/document.xml";
        let Some(bytes) = self.read("_rels/.rels")? else {
            return Ok(DEFAULT.to_string());
        };
        let text = xml_text(&bytes);
        let Ok(tree) = super::xml::tree(&text) else {
            return Ok(DEFAULT.to_string());
        };
        let target = tree
            .descendants()
            .filter(|n| n.tag_name().name() == "Relationship")
            .find(|n| attr(*n, "Type").is_some_and(|t| t.ends_with("/officeDocument")))
            .and_then(|n| attr(n, "Target"));
        Ok(target
            .map(|t| resolve_target("", t))
            .unwrap_or_else(|| DEFAULT.to_string()))
    }

    /// Blocks of an altChunk part: MHT (MIME) or HTML through the HTML parser, plain text
    /// line by line. Other kinds (RTF, nested docx) are skipped with a warning.
    fn alt_chunk(&mut self, target: &str, doc: &mut Document) -> Result<Vec<Block>, ParseError> {
        let Some(bytes) = self.read(target)? else {
            doc.warnings
                .push(format!("altChunk part {target} is missing from the zip"));
            return Ok(Vec::new());
        };
        let head = String::from_utf8_lossy(bytes.get(..1024).unwrap_or(&bytes)).to_lowercase();
        let (html_bytes, content_type) =
            if head.contains("mime-version:") || head.trim_start().starts_with("content-type:") {
                match mime::html_part(&bytes) {
                    Some(part) => (part.body, part.content_type),
                    None => {
                        doc.warnings.push(format!(
                            "altChunk {target}: no HTML part in the MIME message"
                        ));
                        return Ok(Vec::new());
                    }
                }
            } else if head.contains('<') {
                (bytes, None)
            } else if head.starts_with("{\\rtf") || bytes.starts_with(b"PK") {
                doc.warnings
                    .push(format!("altChunk {target}: RTF or nested docx is not read"));
                return Ok(Vec::new());
            } else {
                let (text, _) = encoding::decode(&bytes, None);
                return Ok(text
                    .lines()
                    .map(html::normalize_text)
                    .filter(|t| !t.is_empty())
                    .map(|t| Block::paragraph(t, Origin::default()))
                    .collect());
            };
        let chunk_source = format!("{}#{}", self.src, target.trim_start_matches('/'));
        let chunk = html::parse(Input {
            source: &chunk_source,
            bytes: &html_bytes,
            content_type: content_type.as_deref(),
            select: None,
        })
        .map_err(|e| {
            ParseError::malformed(
                self.src,
                Format::Docx,
                format!("altChunk {target}: {}", e.kind),
            )
        })?;
        doc.warnings.extend(chunk.warnings);
        Ok(chunk.blocks)
    }
}

/// The entry count of the zip's end-of-central-directory record, read before the zip crate
/// loads the whole directory into memory. `None` when absent or deferred to zip64.
fn declared_entry_count(bytes: &[u8]) -> Option<usize> {
    const EOCD: &[u8] = b"PK\x05\x06";
    // The record is 22 bytes plus a comment of at most 64 KB at the very end.
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let pos = tail_start + memchr::memmem::rfind(bytes.get(tail_start..)?, EOCD)?;
    let total = bytes.get(pos + 10..pos + 12)?;
    let n = u16::from_le_bytes([total[0], total[1]]);
    (n != u16::MAX).then_some(usize::from(n))
}

/// `word/document.xml` → `word/_rels/document.xml.rels`.
fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Relationship ids of a part → zip paths of their targets.
fn relationships(xml: &str, part: &str) -> HashMap<String, String> {
    let dir = part.rsplit_once('/').map_or("", |(d, _)| d);
    let Ok(tree) = super::xml::tree(xml) else {
        return HashMap::new();
    };
    tree.descendants()
        .filter(|n| n.tag_name().name() == "Relationship")
        .filter(|n| attr(*n, "TargetMode") != Some("External"))
        .filter_map(|n| {
            Some((
                attr(n, "Id")?.to_string(),
                resolve_target(dir, attr(n, "Target")?),
            ))
        })
        .collect()
}

/// Resolves a relationship target against the folder of its source part.
fn resolve_target(dir: &str, target: &str) -> String {
    let joined = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
    } else if dir.is_empty() {
        target.to_string()
    } else {
        format!("{dir}/{target}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// XML parts are UTF-8 or UTF-16 with a BOM; both decode here.
fn xml_text(bytes: &[u8]) -> String {
    encoding::decode(bytes, None).0
}

/// An attribute by local name, whatever its namespace prefix (`w:val`, `r:id`).
fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

fn child<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.tag_name().name() == local)
}

/// `docProps/core.xml`'s dc:title, unless it is a converter's leftover.
fn core_title(xml: &str) -> Option<String> {
    let tree = super::xml::tree(xml).ok()?;
    let raw = tree
        .descendants()
        .find(|n| n.tag_name().name() == "title")?
        .text()?;
    let title = html::normalize_text(raw);
    let title = title.strip_prefix("Microsoft Word - ").unwrap_or(&title);
    let title = title
        .strip_suffix(".docx")
        .or_else(|| title.strip_suffix(".doc"))
        .unwrap_or(title);
    (!title.is_empty()).then(|| title.to_string())
}

/// Without a Title style, a first level-1 heading before any article that is not a
/// division (第一章) is the title.
fn promote_title(blocks: &mut [Block]) {
    if blocks.iter().any(|b| b.kind == BlockKind::Title) {
        return;
    }
    for b in blocks.iter_mut() {
        if html::starts_with_article_head(&b.text) {
            return;
        }
        if b.kind == (BlockKind::Heading { level: 1 }) {
            if !b.text.starts_with('第') {
                b.kind = BlockKind::Title;
            }
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Walking the body

enum XmlEdge<'a, 'i> {
    Open(Node<'a, 'i>),
    Close(Node<'a, 'i>),
}

/// Visits `root`'s subtree in document order without recursion (a hostile file can nest
/// tables thousands deep). The visitor returns `false` on `Open` to skip that subtree.
fn walk<'a, 'i>(root: Node<'a, 'i>, mut visit: impl FnMut(XmlEdge<'a, 'i>) -> bool) {
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
        close_until(&mut stack, &mut skip, node.parent(), &mut visit);
        if skip.is_none() && !visit(XmlEdge::Open(node)) {
            skip = Some(stack.len());
        }
        stack.push(node);
    }
    close_until(&mut stack, &mut skip, None, &mut visit);
}

enum BodyItem {
    Block(Block),
    /// Where an altChunk's blocks go.
    Chunk,
}

struct OpenParagraph {
    text: String,
    kind: BlockKind,
    /// A list number Word generates ("第一条 "), with its suffix, written before the text.
    label: Option<String>,
}

/// Complex field state: between `begin` and `separate` is the field code (not text),
/// between `separate` and `end` its displayed result.
#[derive(Clone, Copy, PartialEq)]
enum FieldPart {
    Code,
    Result,
}

struct BodyWriter<'s> {
    styles: &'s StyleSheet,
    numbering: Numbering,
    blocks: Vec<BodyItem>,
    /// Relationship ids of altChunks, in order.
    chunks: Vec<String>,
    /// Paragraphs being written (text boxes nest paragraphs inside paragraphs).
    paragraphs: Vec<OpenParagraph>,
    /// A table row written as one paragraph, and its text.
    row: Option<(roxmltree::NodeId, String)>,
    fields: Vec<FieldPart>,
}

impl BodyWriter<'_> {
    fn edge(&mut self, edge: XmlEdge<'_, '_>) -> bool {
        match edge {
            XmlEdge::Open(node) => self.open(node),
            XmlEdge::Close(node) => {
                self.close(node);
                true
            }
        }
    }

    fn open(&mut self, node: Node<'_, '_>) -> bool {
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

    fn close(&mut self, node: Node<'_, '_>) {
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

    fn visible(&self) -> bool {
        self.fields.last() != Some(&FieldPart::Code)
    }

    fn push_text(&mut self, s: &str) {
        if self.visible() {
            if let Some(p) = self.paragraphs.last_mut() {
                p.text.push_str(s);
            }
        }
    }

    fn split_paragraph(&mut self) {
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

    fn emit(&mut self, p: OpenParagraph) {
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

    fn push_block(&mut self, kind: BlockKind, raw: &str) {
        let text = html::normalize_text(raw);
        if !text.is_empty() {
            self.blocks
                .push(BodyItem::Block(Block::new(kind, text, Origin::default())));
        }
    }

    /// The block kind a paragraph's style gives it, and its generated list number.
    fn paragraph_style(&mut self, p: Node<'_, '_>) -> (BlockKind, Option<String>) {
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
fn is_data_row(tr: Node<'_, '_>) -> bool {
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

// ---------------------------------------------------------------------------------------
// Styles

#[derive(Default)]
struct StyleSheet {
    styles: HashMap<String, Style>,
}

struct Style {
    /// Lower-cased display name ("heading 1", "标题 1", "title").
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    num_level: Option<usize>,
}

impl StyleSheet {
    fn parse(xml: &str) -> StyleSheet {
        let Ok(tree) = super::xml::tree(xml) else {
            return StyleSheet::default();
        };
        let mut styles = HashMap::new();
        for s in tree
            .descendants()
            .filter(|n| n.tag_name().name() == "style")
        {
            let Some(id) = attr(s, "styleId") else {
                continue;
            };
            let val = |name: &str| child(s, name).and_then(|c| attr(c, "val"));
            let ppr = child(s, "pPr");
            let num = ppr.and_then(|p| child(p, "numPr"));
            styles.insert(
                id.to_string(),
                Style {
                    name: val("name").unwrap_or_default().to_lowercase(),
                    based_on: val("basedOn").map(str::to_string),
                    outline: ppr
                        .and_then(|p| child(p, "outlineLvl"))
                        .and_then(|o| attr(o, "val"))
                        .and_then(|v| v.parse().ok()),
                    num_id: num
                        .and_then(|n| child(n, "numId"))
                        .and_then(|x| attr(x, "val"))
                        .map(str::to_string),
                    num_level: num
                        .and_then(|n| child(n, "ilvl"))
                        .and_then(|x| attr(x, "val"))
                        .and_then(|v| v.parse().ok()),
                },
            );
        }
        StyleSheet { styles }
    }

    /// The style and the styles it is based on, nearest first (cycles cut at 16 steps).
    fn chain<'a>(&'a self, id: &'a str) -> impl Iterator<Item = (&'a str, Option<&'a Style>)> {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let id = next?;
            let style = self.styles.get(id);
            next = style.and_then(|s| s.based_on.as_deref());
            Some((id, style))
        })
        .take(16)
    }

    fn kind(&self, id: &str) -> BlockKind {
        for (sid, style) in self.chain(id) {
            let name = style.map_or("", |s| s.name.as_str());
            if let Some(level) = heading_level_in_name(name).or_else(|| heading_level_in_name(sid))
            {
                return BlockKind::Heading { level };
            }
            if matches!(name, "title" | "标题") || sid.eq_ignore_ascii_case("title") {
                return BlockKind::Title;
            }
            if let Some(lvl) = style.and_then(|s| s.outline).filter(|l| *l < 9) {
                return BlockKind::Heading { level: lvl + 1 };
            }
        }
        BlockKind::Paragraph
    }

    fn num_id(&self, id: &str) -> Option<String> {
        self.chain(id)
            .find_map(|(_, s)| s.and_then(|s| s.num_id.clone()))
    }

    fn num_level(&self, id: &str) -> Option<usize> {
        self.chain(id)
            .find_map(|(_, s)| s.and_then(|s| s.num_level))
    }
}

/// "heading 2", "Heading2", "标题 2", "标题2" → 2.
fn heading_level_in_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?
        .trim();
    rest.parse::<u8>().ok().filter(|l| (1..=9).contains(l))
}

// ---------------------------------------------------------------------------------------
// Numbering

#[derive(Default)]
struct Numbering {
    /// numId → abstractNumId and start overrides per level.
    nums: HashMap<String, (String, HashMap<usize, u32>)>,
    /// abstractNumId → levels.
    abstracts: HashMap<String, HashMap<usize, ListLevel>>,
    /// Current counters per numId, one per level.
    counters: HashMap<String, Vec<Option<u32>>>,
}

#[derive(Clone)]
struct ListLevel {
    start: u32,
    format: String,
    text: String,
    /// What follows the number: a tab (default), a space or nothing.
    no_suffix: bool,
}

impl Numbering {
    fn parse(xml: &str) -> Numbering {
        let Ok(tree) = super::xml::tree(xml) else {
            return Numbering::default();
        };
        let mut abstracts = HashMap::new();
        let mut nums = HashMap::new();
        for n in tree.root_element().children().filter(|n| n.is_element()) {
            match n.tag_name().name() {
                "abstractNum" => {
                    let Some(id) = attr(n, "abstractNumId") else {
                        continue;
                    };
                    let levels = n
                        .children()
                        .filter(|l| l.tag_name().name() == "lvl")
                        .filter_map(|l| Some((attr(l, "ilvl")?.parse().ok()?, list_level(l))))
                        .collect();
                    abstracts.insert(id.to_string(), levels);
                }
                "num" => {
                    let (Some(id), Some(abs)) = (
                        attr(n, "numId"),
                        child(n, "abstractNumId").and_then(|a| attr(a, "val")),
                    ) else {
                        continue;
                    };
                    let overrides = n
                        .children()
                        .filter(|o| o.tag_name().name() == "lvlOverride")
                        .filter_map(|o| {
                            let lvl = attr(o, "ilvl")?.parse().ok()?;
                            let start = child(o, "startOverride")
                                .and_then(|s| attr(s, "val"))?
                                .parse()
                                .ok()?;
                            Some((lvl, start))
                        })
                        .collect();
                    nums.insert(id.to_string(), (abs.to_string(), overrides));
                }
                _ => {}
            }
        }
        Numbering {
            nums,
            abstracts,
            counters: HashMap::new(),
        }
    }

    /// Advances the counter of `num_id` at `ilvl` and returns the label Word would show.
    fn next_label(&mut self, num_id: &str, ilvl: usize) -> Option<String> {
        if ilvl > 8 {
            return None;
        }
        let (abs, overrides) = self.nums.get(num_id)?;
        let levels = self.abstracts.get(abs)?;
        let level = levels.get(&ilvl)?;
        if level.format == "bullet" || level.format == "none" {
            return None;
        }
        let counters = self
            .counters
            .entry(num_id.to_string())
            .or_insert_with(|| vec![None; 9]);
        let start_of = |l: usize| {
            overrides
                .get(&l)
                .copied()
                .or_else(|| levels.get(&l).map(|x| x.start))
                .unwrap_or(1)
        };
        let value = match counters.get(ilvl).copied().flatten() {
            Some(v) => v.saturating_add(1),
            None => start_of(ilvl),
        };
        if let Some(slot) = counters.get_mut(ilvl) {
            *slot = Some(value);
        }
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = None;
        }
        // "第%1条": %k is level k-1's current value in that level's format.
        let mut label = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(k)) if (1..=9).contains(&k) => {
                    chars.next();
                    let l = k as usize - 1;
                    let v = counters
                        .get(l)
                        .copied()
                        .flatten()
                        .unwrap_or_else(|| start_of(l));
                    let format = levels.get(&l).map_or("decimal", |x| x.format.as_str());
                    label.push_str(&format_number(v, format));
                }
                _ => label.push(c),
            }
        }
        if !level.no_suffix {
            label.push(' ');
        }
        Some(label)
    }
}

fn list_level(l: Node<'_, '_>) -> ListLevel {
    let val = |name: &str| child(l, name).and_then(|c| attr(c, "val"));
    ListLevel {
        start: val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
        format: val("numFmt").unwrap_or("decimal").to_string(),
        text: val("lvlText").unwrap_or_default().to_string(),
        no_suffix: val("suff") == Some("nothing"),
    }
}

/// A list counter in one of Word's number formats.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographTraditional"
        | "japaneseCounting"
        | "taiwaneseCounting" => to_chinese(n),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|d| {
                ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九']
                    .get(d.to_digit(10).unwrap_or(0) as usize)
                    .copied()
                    .unwrap_or('〇')
            })
            .collect(),
        "lowerLetter" | "upperLetter" => {
            // Word repeats the letter: a … z, aa … zz.
            let i = n.saturating_sub(1);
            let letter = char::from(b'a' + (i % 26) as u8);
            let s: String = std::iter::repeat_n(letter, (i / 26 + 1).min(10) as usize).collect();
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" => {
            let s = roman(n);
            if format == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            }
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32('①' as u32 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (value, letters) in TABLE {
        while n >= value && s.len() < 32 {
            s.push_str(letters);
            n -= value;
        }
    }
    s
}

// ---------------------------------------------------------------------------------------
// MIME (MHT) parts

mod mime {
    use mail_parser::{MessageParser, MimeHeaders, PartType};

    /// The HTML part of an MHT file, decoded to UTF-8 from its transfer encoding and charset
    /// (mail-parser does both; GBK and Big5 through encoding_rs).
    pub struct HtmlPart {
        pub body: Vec<u8>,
        pub content_type: Option<String>,
    }

    pub fn html_part(message: &[u8]) -> Option<HtmlPart> {
        let parsed = MessageParser::default().parse(message)?;
        parsed.parts.iter().find_map(|part| {
            let html = part.content_type().is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("text")
                    && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html"))
            });
            match &part.body {
                PartType::Html(text) if html => Some(HtmlPart {
                    body: text.as_bytes().to_vec(),
                    // Already UTF-8: a <meta charset=gbk> inside must not decode it again.
                    content_type: Some("text/html; charset=utf-8".to_string()),
                }),
                _ => None,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, data) in entries {
                if w.start_file(*name, opts).is_err() || w.write_all(data).is_err() {
                    panic!("cannot build test zip");
                }
            }
            if w.finish().is_err() {
                panic!("cannot finish test zip");
            }
        }
        buf.into_inner()
    }

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                     xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

    fn document(body: &str) -> Vec<u8> {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{body}</w:body></w:document>")
            .into_bytes()
    }

    fn run(bytes: &[u8], limits: &Limits) -> Result<Document, ParseError> {
        parse(
            Input {
                source: "t.docx",
                bytes,
                content_type: None,
                select: None,
            },
            limits,
        )
    }

    fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.kind.clone(), b.text.as_str()))
            .collect()
    }

    const STYLES: &str = "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"标题 2\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"a5\"><w:name w:val=\"Title\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"Chapter\"><w:name w:val=\"Chapter\"/><w:basedOn w:val=\"2\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"Article\"><w:name w:val=\"Article\"/>\
          <w:pPr><w:numPr><w:numId w:val=\"7\"/></w:numPr></w:pPr></w:style>\
        </w:styles>";

    const NUMBERING: &str = "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>\
          <w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"第%1条\"/></w:lvl></w:abstractNum>\
        <w:num w:numId=\"7\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

    #[test]
    fn paragraphs_styles_numbering_fields_and_deletions() {
        let body = "<w:p><w:pPr><w:pStyle w:val=\"a5\"/></w:pPr><w:r><w:t>某某条例</w:t></w:r></w:p>\
            <w:p><w:pPr><w:pStyle w:val=\"Chapter\"/></w:pPr><w:r><w:t>第一章</w:t></w:r><w:r><w:tab/><w:t>总则</w:t></w:r></w:p>\
            <w:p><w:pPr><w:pStyle w:val=\"Article\"/></w:pPr><w:r><w:t xml:space=\"preserve\">为了</w:t></w:r>\
              <w:del><w:r><w:delText>删除的</w:delText></w:r></w:del><w:ins><w:r><w:t>测试</w:t></w:r></w:ins>\
              <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
              <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>，</w:t></w:r>\
              <w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>制定本条例。</w:t></w:r></w:p>\
            <w:p><w:pPr><w:pStyle w:val=\"Article\"/></w:pPr><w:r><w:t>第一款。</w:t><w:br/><w:t>第二款。</w:t></w:r></w:p>\
            <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>\
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
            <w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>附则</w:t></w:r></w:p>";
        let bytes = zip_of(&[
            ("word/document.xml", &document(body)),
            ("word/styles.xml", STYLES.as_bytes()),
            ("word/numbering.xml", NUMBERING.as_bytes()),
        ]);
        let doc = run(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Title, "某某条例"),
                (BlockKind::Heading { level: 2 }, "第一章 总则"),
                (BlockKind::Paragraph, "第一条 为了测试，制定本条例。"),
                (BlockKind::Paragraph, "第二条 第一款。"),
                (BlockKind::Paragraph, "第二款。"),
                (BlockKind::Paragraph, "甲 乙"),
                (BlockKind::Heading { level: 1 }, "附则"),
            ]
        );
        assert_eq!(doc.title.as_deref(), Some("某某条例"));
    }

    #[test]
    fn alt_chunk_mht_goes_through_the_html_parser() {
        let html = "<html><head><meta charset=3D\"gb2312\"></head><body><h1>=D6=F7=CC=E2</h1>\
                    <p>=B5=DA=D2=BB=CC=F5 =C4=DA=C8=DD=A1=A3</p></body></html>";
        let mht = format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n    type=\"text/html\";\r\n    boundary=\"----=BOUND\"\r\n\r\n\
             ------=BOUND\r\nContent-Type: text/html;\r\n    charset=\"gbk\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{html}\r\n\
             ------=BOUND--\r\n"
        );
        let rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
            <Relationship Id=\"c1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk\" Target=\"chunk.mht\"/></Relationships>";
        let body = "<w:p><w:r><w:t>前言</w:t></w:r></w:p><w:altChunk r:id=\"c1\"/><w:p><w:r><w:t>后记</w:t></w:r></w:p>";
        let bytes = zip_of(&[
            ("word/document.xml", &document(body)),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/chunk.mht", mht.as_bytes()),
        ]);
        let doc = run(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            blocks(&doc),
            vec![
                (BlockKind::Paragraph, "前言"),
                (BlockKind::Title, "主题"),
                (BlockKind::Paragraph, "第一条 内容。"),
                (BlockKind::Paragraph, "后记"),
            ]
        );
    }

    #[test]
    fn decompression_bomb_and_entry_count_are_refused() {
        let big = vec![b'a'; 2_000_000];
        let bytes = zip_of(&[("word/document.xml", &big)]);
        assert!(bytes.len() < 100_000);
        let limits = Limits {
            max_decompressed: 1_000_000,
            ..Limits::default()
        };
        let err = run(&bytes, &limits)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("t.docx: ") && err.contains("decompression bomb"),
            "{err}"
        );

        let names: Vec<String> = (0..MAX_ENTRIES + 1).map(|i| format!("f{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let many = zip_of(&entries);
        let err = run(&many, &Limits::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("entries"), "{err}");
    }

    #[test]
    fn zip_without_document_and_garbage_are_one_line_errors() {
        let bytes = zip_of(&[("hello.txt", b"hi")]);
        let err = run(&bytes, &Limits::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("t.docx: ") && err.contains("not a Word document"),
            "{err}"
        );
        let err = run(b"PK\x03\x04garbage", &Limits::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("t.docx: ") && !err.contains('\n'), "{err}");
    }

    #[test]
    fn mht_html_parts_decode_from_base64_and_gbk() {
        let html = "<html><body><p>第一条 图书馆免费开放。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(html);
        let b64 = |bytes: &[u8]| {
            const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::new();
            for chunk in bytes.chunks(3) {
                let n = chunk.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b))
                    << (8 * (3 - chunk.len()));
                for k in 0..=chunk.len() {
                    out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
                }
                out.push_str(&"=".repeat(3 - chunk.len()));
            }
            out
        };
        let mht = format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n\
             --B\r\nContent-Type: text/html; charset=\"gbk\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--B--\r\n",
            b64(&gbk)
        );
        let part = mime::html_part(mht.as_bytes()).expect("html part");
        assert_eq!(String::from_utf8(part.body).expect("utf-8"), html);
        assert!(mime::html_part(b"Subject: x\r\n\r\nno html here").is_none());
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(resolve_target("word", "../media/x.png"), "media/x.png");
        assert_eq!(
            resolve_target("word", "/word/afchunk.mht"),
            "word/afchunk.mht"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A valid docx with bytes flipped or cut: an error or a document, never a panic.
        #[test]
        fn damaged_docx_never_panics(flips in proptest::collection::vec((0usize..4000, proptest::prelude::any::<u8>()), 0..8), cut in 0usize..4000) {
            let body = "<w:p><w:r><w:t>第一条 内容。</w:t></w:r></w:p>".repeat(20);
            let mut bytes = zip_of(&[
                ("word/document.xml", &document(&body)),
                ("word/styles.xml", STYLES.as_bytes()),
                ("word/numbering.xml", NUMBERING.as_bytes()),
            ]);
            for (at, b) in flips {
                let len = bytes.len();
                if let Some(slot) = bytes.get_mut(at % len.max(1)) {
                    *slot = b;
                }
            }
            bytes.truncate(cut.max(4));
            let _ = run(&bytes, &Limits::default());
        }
    }

    /// A 696-byte docx whose parts nest 12,500 elements overflowed roxmltree's recursive
    /// parser and aborted the whole process (no catch_unwind helps): every part goes through
    /// the depth check now.
    #[test]
    fn deeply_nested_parts_are_refused_not_a_stack_overflow() {
        let deep = |open: &str, close: &str| -> Vec<u8> {
            let mut x = String::from("<?xml version=\"1.0\"?>");
            x.push_str(&open.repeat(12_500));
            x.push_str(&close.repeat(12_500));
            x.into_bytes()
        };
        let body = document("<w:p><w:r><w:t>第一条 本条例适用于本市。</w:t></w:r></w:p>");
        let nested_doc = deep("<w:p>", "</w:p>");
        let err = run(
            &zip_of(&[("word/document.xml", &nested_doc)]),
            &Limits::default(),
        )
        .expect_err("a body nested 12,500 deep is refused");
        let msg = err.to_string();
        assert!(
            msg.contains("nested more than") && !msg.contains('\n'),
            "{msg}"
        );
        for part in [
            "word/styles.xml",
            "word/numbering.xml",
            "word/_rels/document.xml.rels",
            "_rels/.rels",
            "docProps/core.xml",
        ] {
            let nested = deep("<a>", "</a>");
            let bytes = zip_of(&[("word/document.xml", &body), (part, &nested)]);
            // A broken side part costs its styles, numbering or title, never the text.
            let doc = run(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{part}: {e}"));
            assert!(
                doc.blocks
                    .iter()
                    .any(|b| b.text.contains("本条例适用于本市")),
                "{part}"
            );
        }
    }
}
