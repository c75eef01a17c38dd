//! What is recorded about a document once it is parsed and segmented: the row the index keeps
//! per document, and what search results and coverage reports show about it.

use serde::{Deserialize, Serialize};

use super::clause::Clause;
use super::document::Format;

/// Document-level facts, merged from the parser's findings and the manifest's metadata
/// (the manifest wins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocInfo {
    pub id: String,
    /// The path or URL the document came from, as given.
    pub source: String,
    pub title: String,
    pub format: Format,
    pub language: String,
    /// ISO 3166 with subdivision (`CN`, `CN-SH`); empty when unknown.
    #[serde(default)]
    pub jurisdiction: String,
    /// `national`, `provincial`, `municipal`, `international`; empty when unknown.
    #[serde(default)]
    pub level: String,
    /// `law`, `administrative-regulation`, `local-regulation`, …; empty when unknown.
    #[serde(default)]
    pub kind: String,
    /// `in-force`, `amended`, `repealed`; empty when unknown.
    #[serde(default)]
    pub status: String,
    pub year: Option<i32>,
    /// How the text is organised: `articles`, `amendment-items` or `unstructured`.
    pub structure: String,
    /// Promulgation notes and other front matter kept as metadata.
    #[serde(default)]
    pub preamble: Vec<String>,
    /// Why the document could not be read (structure `unreadable`, no clauses): kept so that
    /// reports show it as unknown instead of leaving it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl DocInfo {
    /// A record with the facts every document has; jurisdiction, level, kind, status and year
    /// stay unknown until a manifest or the text supplies them.
    pub fn new(
        id: impl Into<String>,
        source: impl Into<String>,
        title: impl Into<String>,
        format: Format,
        language: impl Into<String>,
    ) -> Self {
        DocInfo {
            id: id.into(),
            source: source.into(),
            title: title.into(),
            format,
            language: language.into(),
            jurisdiction: String::new(),
            level: String::new(),
            kind: String::new(),
            status: String::new(),
            year: None,
            structure: "articles".into(),
            preamble: Vec::new(),
            error: None,
        }
    }
}

/// A document with its clauses: the unit that ingest indexes and coverage checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentedDoc {
    pub info: DocInfo,
    pub clauses: Vec<Clause>,
}
