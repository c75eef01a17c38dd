//! A parsed source: metadata plus an ordered list of blocks, each traceable to its bytes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The formats lawdex reads. Sniffed from the bytes, the extension only breaks ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Text,
    Html,
    Json,
    Xml,
    Pdf,
    Docx,
    /// Word 97–2003 binary (.doc).
    Doc,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Html => "html",
            Format::Json => "json",
            Format::Xml => "xml",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Doc => "doc",
        }
    }
}

impl Format {
    /// The format a file extension usually means; the bytes decide when a file is parsed.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Format::Markdown,
            "txt" | "text" => Format::Text,
            "html" | "htm" | "xhtml" => Format::Html,
            "json" => Format::Json,
            "xml" => Format::Xml,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "doc" => Format::Doc,
            _ => return None,
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a block came from, so a clause can be traced back to its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// 1-based page number (PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// 1-based line number in the decoded text (text, markdown) or the element's line (XML).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Origin {
    pub fn line(line: u32) -> Self {
        Origin {
            page: None,
            line: Some(line),
        }
    }

    pub fn page(page: u32) -> Self {
        Origin {
            page: Some(page),
            line: None,
        }
    }
}

/// What a block is, as far as the format itself says.
///
/// Formats without structure (text, markdown, HTML, PDF) emit `Heading` and `Paragraph` and
/// let the segmenter find articles in the text; formats with structure (Taiwan JSON, USLM,
/// e-Gov XML) emit `Article` so that no guessing is needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockKind {
    /// The document's own title.
    Title,
    /// A division or section heading as the source marks it (markdown `#`, `<h2>`, bold line).
    /// `level` is the source's nesting depth (1 = outermost), not a legal rank: the segmenter
    /// decides whether 第一章 is a chapter from the text.
    Heading { level: u8 },
    /// Body text: a paragraph (款), an item line (项), or a line of a PDF after joining.
    Paragraph,
    /// An article boundary given by the format's structure. `label` is the citation as the
    /// source writes it (第 1 條, Article 9, § 9141.); the block's text is the article caption,
    /// possibly empty. Paragraph blocks that follow belong to this article.
    Article { label: String },
    /// Front matter that is not law text: promulgation notes, amendment history, a preamble
    /// printed by the publisher. Becomes document metadata, never a clause.
    Meta,
}

/// One unit of text in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    #[serde(flatten)]
    pub kind: BlockKind,
    pub text: String,
    #[serde(default)]
    pub origin: Origin,
}

impl Block {
    pub fn new(kind: BlockKind, text: impl Into<String>, origin: Origin) -> Self {
        Block {
            kind,
            text: text.into(),
            origin,
        }
    }

    pub fn paragraph(text: impl Into<String>, origin: Origin) -> Self {
        Block::new(BlockKind::Paragraph, text, origin)
    }
}

/// A parsed document, before segmentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: from the manifest, or derived from the file name.
    pub id: String,
    /// The path or URL as the user gave it.
    pub source: String,
    pub format: Format,
    /// Title from the format's metadata or its first heading, cleaned of markup.
    pub title: Option<String>,
    /// BCP 47 language tag: from the manifest, the format's metadata, or the script of the text
    /// (`zh-Hans`, `zh-Hant`, `ko`, `ja`, `en`, `vi`).
    pub language: Option<String>,
    pub blocks: Vec<Block>,
    /// Problems that did not stop the parse (a page without text, a font without ToUnicode).
    pub warnings: Vec<String>,
}

impl Document {
    pub fn new(id: impl Into<String>, source: impl Into<String>, format: Format) -> Self {
        Document {
            id: id.into(),
            source: source.into(),
            format,
            title: None,
            language: None,
            blocks: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn push(&mut self, kind: BlockKind, text: impl Into<String>, origin: Origin) {
        self.blocks.push(Block::new(kind, text, origin));
    }
}
