//! The zip package: its parts, relationships and core properties, read within limits.

use super::*;

pub(super) struct Package<'a> {
    pub(super) src: &'a str,
    pub(super) zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Decompressed bytes still allowed.
    pub(super) budget: u64,
    pub(super) limit: u64,
}

impl<'a> Package<'a> {
    pub(super) fn open(src: &'a str, bytes: &'a [u8], limits: &Limits) -> Result<Self, ParseError> {
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
    pub(super) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ParseError> {
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
    pub(super) fn main_part(&mut self) -> Result<String, ParseError> {
        const DEFAULT: &str = "word/document.xml";
        let Some(bytes) = self.read("_rels/.rels")? else {
            return Ok(DEFAULT.to_string());
        };
        let text = xml_text(&bytes);
        let Ok(tree) = crate::parse::xml::tree(&text) else {
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
    pub(super) fn alt_chunk(
        &mut self,
        target: &str,
        doc: &mut Document,
    ) -> Result<Vec<Block>, ParseError> {
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
                    .map(crate::grammar::normalize_text)
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
pub(super) fn declared_entry_count(bytes: &[u8]) -> Option<usize> {
    const EOCD: &[u8] = b"PK\x05\x06";
    // The record is 22 bytes plus a comment of at most 64 KB at the very end.
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let pos = tail_start + memchr::memmem::rfind(bytes.get(tail_start..)?, EOCD)?;
    let total = bytes.get(pos + 10..pos + 12)?;
    let n = u16::from_le_bytes([total[0], total[1]]);
    (n != u16::MAX).then_some(usize::from(n))
}

/// `word/document.xml` → `word/_rels/document.xml.rels`.
pub(super) fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Relationship ids of a part → zip paths of their targets.
pub(super) fn relationships(xml: &str, part: &str) -> HashMap<String, String> {
    let dir = part.rsplit_once('/').map_or("", |(d, _)| d);
    let Ok(tree) = crate::parse::xml::tree(xml) else {
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
pub(super) fn resolve_target(dir: &str, target: &str) -> String {
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
pub(super) fn xml_text(bytes: &[u8]) -> String {
    encoding::decode(bytes, None).0
}

/// An attribute by local name, whatever its namespace prefix (`w:val`, `r:id`).
pub(super) fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

pub(super) fn child<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.tag_name().name() == local)
}

/// `docProps/core.xml`'s dc:title, unless it is a converter's leftover.
pub(super) fn core_title(xml: &str) -> Option<String> {
    let tree = crate::parse::xml::tree(xml).ok()?;
    let raw = tree
        .descendants()
        .find(|n| n.tag_name().name() == "title")?
        .text()?;
    let title = crate::grammar::normalize_text(raw);
    let title = title.strip_prefix("Microsoft Word - ").unwrap_or(&title);
    let title = title
        .strip_suffix(".docx")
        .or_else(|| title.strip_suffix(".doc"))
        .unwrap_or(title);
    (!title.is_empty()).then(|| title.to_string())
}

/// Without a Title style, a first level-1 heading before any article that is not a
/// division (第一章) is the title.
pub(super) fn promote_title(blocks: &mut [Block]) {
    if blocks.iter().any(|b| b.kind == BlockKind::Title) {
        return;
    }
    for b in blocks.iter_mut() {
        if crate::grammar::starts_with_article_head(&b.text) {
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
