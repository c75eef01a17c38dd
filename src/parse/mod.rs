//! Bytes → [`Document`]: one module per format, all behind [`parse_bytes`].
//!
//! The format is sniffed from the bytes; the file extension only breaks ties (markdown vs
//! plain text). Every parser runs behind `catch_unwind` and size limits, so a hostile file
//! becomes a [`ParseError`] for that document and never takes the batch down.

mod doc;
mod docx;
pub mod encoding;
mod html;
mod json;
pub mod lang;
mod pdf;
mod text;
mod xml;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Duration;

use crate::budget::{Budget, OverBudget};
use crate::model::{doc_id_from_path, Document, Format};

/// Version of what parsing and segmenting produce from the same bytes. Bump it with every
/// change to a parser or the segmenter that changes clauses, labels, ids or metadata: each
/// indexed document records the version that parsed it, and `lawdex index` / `update` re-parse
/// documents recorded with another version even when their bytes did not change.
///
/// 2: records carry their [`Edition`](crate::model::Edition) (work key, dates, article
/// fingerprint); an update re-reads older records once to add it.
pub const PARSER_VERSION: u32 = 2;

/// Limits applied to every input. Defaults fit any real law with a wide margin.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_bytes: u64,
    /// Largest total of decompressed stream bytes a PDF or docx may expand to.
    pub max_decompressed: u64,
    /// Most pages read from a PDF.
    pub max_pages: u32,
    /// Time one document may take to parse and segment (the parse budget): past it, the
    /// document is a one-line error and the batch goes on.
    pub parse_time: Duration,
    /// Most steps (blocks, lines, PDF content operators, XML and HTML nodes, JSON values) one
    /// document may take; `u64::MAX` for no cap. A budget that does not depend on the machine.
    pub parse_steps: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 32 * 1024 * 1024,
            max_decompressed: 64 * 1024 * 1024,
            max_pages: 5_000,
            parse_time: Duration::from_secs(30),
            parse_steps: u64::MAX,
        }
    }
}

impl Limits {
    /// The budget of one document under these limits, starting now.
    pub fn budget(&self) -> Budget {
        Budget::new(self.parse_time, self.parse_steps)
    }
}

/// One input to parse: its bytes and what is known about them.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The path or URL as the user gave it; named in every error.
    pub source: &'a str,
    pub bytes: &'a [u8],
    /// `Content-Type` of an HTTP response, if the input was fetched.
    pub content_type: Option<&'a str>,
    /// CSS selector of the law body in an HTML page, from the manifest.
    pub select: Option<&'a str>,
}

/// Why a document could not be parsed. Displays as one line naming the source.
#[derive(Debug, thiserror::Error)]
#[error("{input}: {kind}")]
pub struct ParseError {
    /// The path or URL as given.
    pub input: String,
    pub kind: ParseErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("file too large ({size} bytes; the limit is {limit}, raise it with --max-bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("not a document lawdex can read ({0})")]
    Unrecognized(String),
    #[error("encrypted PDF: a password is needed to read its text")]
    Encrypted,
    /// A .doc whose FIB says encrypted or obfuscated (`how`).
    #[error("{how} Word document: a password is needed to read its text")]
    EncryptedWord { how: &'static str },
    #[error("malformed {format}: {detail}")]
    Malformed { format: Format, detail: String },
    #[error("{format} expands past the limit of {limit} bytes (decompression bomb?)")]
    Bomb { format: Format, limit: u64 },
    #[error("no text found: {0}")]
    NoText(String),
    #[error(transparent)]
    OverBudget(#[from] OverBudget),
    #[error("internal error in the {format} parser: {detail}")]
    Panic { format: Format, detail: String },
}

impl ParseError {
    pub fn new(input: &str, kind: ParseErrorKind) -> Self {
        ParseError {
            input: input.to_string(),
            kind,
        }
    }

    pub fn malformed(input: &str, format: Format, detail: impl Into<String>) -> Self {
        ParseError::new(
            input,
            ParseErrorKind::Malformed {
                format,
                detail: detail.into(),
            },
        )
    }
}

/// Guesses the format from the first bytes; `name` (a file name or URL path) breaks ties.
/// Returns `None` for binary data that is none of the formats.
pub fn sniff(bytes: &[u8], name: &str) -> Option<Format> {
    let lower_name = name.to_ascii_lowercase();
    if bytes.starts_with(b"%PDF-") || find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Some(Format::Pdf);
    }
    // A Word file cut short may lack its stream directory: named .doc, it is a damaged
    // document (a failure), not some other binary (a skip).
    let cfb = bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    if doc::is_doc(bytes) || (cfb && lower_name.ends_with(".doc")) {
        return Some(Format::Doc);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // A zip: docx when it holds word/; other zips are not documents.
        return if find(bytes, b"word/").is_some() || lower_name.ends_with(".docx") {
            Some(Format::Docx)
        } else {
            None
        };
    }
    let head = strip_bom(&bytes[..bytes.len().min(4096)]);
    let first = head.iter().position(|b| !b.is_ascii_whitespace());
    let trimmed = match first {
        Some(i) => &head[i..],
        None => head,
    };
    if looks_binary(&bytes[..bytes.len().min(8192)]) {
        return None;
    }
    let json_like = trimmed.starts_with(b"{") || trimmed.starts_with(b"[");
    if json_like
        && (lower_name.ends_with(".json")
            || serde_json::from_slice::<serde_json::Value>(bytes).is_ok())
    {
        return Some(Format::Json);
    }
    // A comment or XML declaration opening a markdown or text file (<!-- source: … -->) is
    // no markup when no tag follows it.
    let markup_follows = || {
        let mut rest = trimmed;
        loop {
            let end = if rest.starts_with(b"<!--") {
                find(rest, b"-->").map(|e| e + 3)
            } else if rest.starts_with(b"<?") {
                find(rest, b"?>").map(|e| e + 2)
            } else {
                return rest.is_empty() || rest.starts_with(b"<");
            };
            let Some(end) = end else { return true };
            rest = &rest[end..];
            let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            rest = &rest[skip..];
        }
    };
    if trimmed.starts_with(b"<") && markup_follows() {
        let probe =
            String::from_utf8_lossy(&trimmed[..trimmed.len().min(2048)]).to_ascii_lowercase();
        if probe.contains("<html")
            || probe.contains("<!doctype html")
            || probe.contains("<body")
            || probe.contains("<head")
        {
            return Some(Format::Html);
        }
        if probe.starts_with("<?xml") || lower_name.ends_with(".xml") {
            return Some(Format::Xml);
        }
        if lower_name.ends_with(".html") || lower_name.ends_with(".htm") {
            return Some(Format::Html);
        }
        return Some(Format::Xml);
    }
    if lower_name.ends_with(".html") || lower_name.ends_with(".htm") {
        // A fragment without <html>: still HTML if it has tags.
        if find(head, b"<p").is_some() || find(head, b"<div").is_some() {
            return Some(Format::Html);
        }
    }
    if lower_name.ends_with(".txt") {
        Some(Format::Text)
    } else {
        Some(Format::Markdown)
    }
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(b)
}

/// Binary: NUL bytes beyond a stray one or two (one in a law copied from a broken file is
/// still text, and text normalisation drops it), or many control characters that no text
/// encoding produces.
fn looks_binary(b: &[u8]) -> bool {
    if b.len() >= 2 && (b.starts_with(b"\xFF\xFE") || b.starts_with(b"\xFE\xFF")) {
        return false; // UTF-16 text
    }
    let (mut nuls, mut controls) = (0, 0);
    for &c in b {
        nuls += usize::from(c == 0);
        controls += usize::from(c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b));
    }
    nuls > 2 || controls * 100 > b.len().max(1)
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Parses one input into a document. The document id is derived from the source's file name;
/// callers with a manifest id overwrite it.
pub fn parse_bytes(input: Input<'_>, limits: &Limits) -> Result<Document, ParseError> {
    let src = input.source;
    if input.bytes.is_empty() {
        return Err(ParseError::new(src, ParseErrorKind::Empty));
    }
    let size = input.bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(ParseError::new(
            src,
            ParseErrorKind::TooLarge {
                size,
                limit: limits.max_bytes,
            },
        ));
    }
    let name = src.rsplit(['/', '\\']).next().unwrap_or(src);
    let format = match sniff(input.bytes, name) {
        Some(f) => f,
        None => {
            return Err(ParseError::new(
                src,
                ParseErrorKind::Unrecognized("binary data that is not PDF, docx or doc".into()),
            ))
        }
    };
    let id = doc_id_from_path(Path::new(name.split(['?', '#']).next().unwrap_or(name)));
    // Ingest enters the document's budget for parse and segment together; called alone, the
    // parse gets one of its own.
    let _budget = Budget::current().is_none().then(|| limits.budget().enter());
    let result = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Markdown | Format::Text => text::parse(input, format),
        Format::Html => html::parse(input),
        Format::Json => json::parse(input),
        Format::Xml => xml::parse(input),
        Format::Pdf => pdf::parse(input, limits),
        Format::Docx => docx::parse(input, limits),
        Format::Doc => doc::parse(input, limits),
    }));
    let mut doc = match result {
        Ok(r) => r?,
        Err(panic) => {
            if let Some(over) = OverBudget::from_payload(&*panic) {
                return Err(ParseError::new(src, over.into()));
            }
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            return Err(ParseError::new(
                src,
                ParseErrorKind::Panic { format, detail },
            ));
        }
    };
    doc.id = id;
    doc.source = src.to_string();
    if doc.language.is_none() {
        doc.language = Some(lang::detect(&doc).to_string());
    }
    if doc.blocks.iter().all(|b| b.text.trim().is_empty()) {
        return Err(ParseError::new(
            src,
            ParseErrorKind::NoText(format!("the {format} has no readable text")),
        ));
    }
    Ok(doc)
}

/// Reads and parses a file.
pub fn parse_file(path: &Path, limits: &Limits) -> Result<Document, ParseError> {
    let src = path.display().to_string();
    let bytes = read_file(path, limits.max_bytes).map_err(|kind| ParseError::new(&src, kind))?;
    parse_bytes(
        Input {
            source: &src,
            bytes: &bytes,
            content_type: None,
            select: None,
        },
        limits,
    )
}

/// Most attributes one element of an XML or HTML text may carry. The parsers check each new
/// attribute against the element's others, so an element with 200,000 of them took minutes
/// (outside any budget: the first read is theirs); real markup carries a few dozen.
pub(crate) const MAX_ATTRIBUTES: usize = 1000;

/// The most attributes any start tag of `text` carries (names counted; comments, CDATA and
/// the bodies of script and style skipped). Linear in the text.
pub(crate) fn most_attributes(text: &str) -> usize {
    let b = text.as_bytes();
    let find = |from: usize, what: &[u8]| {
        b.get(from..)
            .and_then(|rest| {
                rest.windows(what.len())
                    .position(|w| w.eq_ignore_ascii_case(what))
            })
            .map_or(b.len(), |p| from + p + what.len())
    };
    let mut most = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i + 1..];
        if rest.starts_with(b"!--") {
            i = find(i + 4, b"-->");
            continue;
        }
        if rest.starts_with(b"![CDATA[") {
            i = find(i + 9, b"]]>");
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let named = |n: &[u8]| rest.len() > n.len() && rest[..n.len()].eq_ignore_ascii_case(n);
        let raw_text = named(b"script") || named(b"style");
        let (mut j, mut quote, mut count, mut space, mut last) = (i + 1, None, 0, false, 0u8);
        while j < b.len() {
            let c = b[j];
            match quote {
                Some(q) => {
                    if c == q {
                        quote = None;
                    }
                }
                None if c == b'>' => break,
                None if c.is_ascii_whitespace() => {
                    space = true;
                    j += 1;
                    continue;
                }
                None => {
                    if c == b'"' || c == b'\'' {
                        quote = Some(c);
                    } else if space && c != b'=' && last != b'=' {
                        count += 1;
                    }
                }
            }
            last = c;
            space = false;
            j += 1;
        }
        most = most.max(count);
        i = j + 1;
        if raw_text {
            i = find(
                i,
                if named(b"script") {
                    b"</script"
                } else {
                    b"</style"
                },
            );
        }
    }
    most
}

/// The bytes of the file at `path`, never more than `max_bytes` in memory. A directory is no
/// document; a FIFO, socket or device is refused before it is opened (opening a FIFO waits
/// for a writer, and /dev/zero never ends).
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ParseErrorKind> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ParseErrorKind::Unrecognized("a directory".into()));
    }
    if !meta.is_file() {
        return Err(ParseErrorKind::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a pipe, socket or device)",
        )));
    }
    // Check the size before reading so a huge file never enters memory.
    if meta.len() > max_bytes {
        return Err(ParseErrorKind::TooLarge {
            size: meta.len(),
            limit: max_bytes,
        });
    }
    // A file that grew since: read one byte past the limit to tell.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(path)?
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ParseErrorKind::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    Ok(bytes)
}

/// Blocks in a compact, comparable form for parser tests: `T title`, `H2 heading`,
/// `A 第 1 條 | caption`, `P text`, `M note`.
#[cfg(test)]
pub(crate) fn block_shape(blocks: &[crate::model::Block]) -> Vec<String> {
    use crate::model::BlockKind;
    blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Title => format!("T {}", b.text),
            BlockKind::Meta => format!("M {}", b.text),
            BlockKind::Heading { level } => format!("H{level} {}", b.text),
            BlockKind::Article { label } => format!("A {label} | {}", b.text),
            BlockKind::Paragraph => format!("P {}", b.text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats_from_bytes_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "x.html"), Some(Format::Pdf));
        assert_eq!(sniff(b"<!DOCTYPE html><html>", "x.txt"), Some(Format::Html));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><Law/>", "x"),
            Some(Format::Xml)
        );
        assert_eq!(sniff(b"{\"a\": 1}", "x"), Some(Format::Json));
        assert_eq!(
            sniff("# 标题\n第一条".as_bytes(), "x.md"),
            Some(Format::Markdown)
        );
        assert_eq!(sniff(b"\x00\x01\x02\x03garbage\x00", "x.html"), None);
        let cut_doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00";
        assert_eq!(sniff(cut_doc, "law.doc"), Some(Format::Doc));
        assert_eq!(sniff(cut_doc, "sheet.xls"), None);
        // A law with a comment or a declaration before its text, or one stray NUL, is text.
        let law = "# 某市图书馆条例\n\n第一条 为了规范图书馆，制定本条例。\n";
        let commented = format!("<!-- source: example.gov -->\n{law}");
        assert_eq!(sniff(commented.as_bytes(), "x.md"), Some(Format::Markdown));
        let declared = format!("<?xml version=\"1.0\"?>\n<!-- a -->\n{law}");
        assert_eq!(sniff(declared.as_bytes(), "x.md"), Some(Format::Markdown));
        assert_eq!(
            sniff(b"<!-- a -->\n<Law><P>x</P></Law>", "x"),
            Some(Format::Xml)
        );
        let nul = format!("{law}\u{0}第二条 图书馆免费开放。\n");
        assert_eq!(sniff(nul.as_bytes(), "x.md"), Some(Format::Markdown));
        let doc = include_bytes!("../../tests/fixtures/doc/reading-room-rules.doc");
        assert_eq!(sniff(doc, "download"), Some(Format::Doc));
        // An OLE2 file without a WordDocument stream (a spreadsheet) is not a document,
        // unless it is named .doc: then it is a damaged one (above).
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", "x.xls"),
            None
        );
    }
}
