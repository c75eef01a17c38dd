//! What is recorded about a document once it is parsed and segmented: the row the index keeps
//! per document, and what search results and coverage reports show about it.

use std::path::PathBuf;

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
    /// How the text is organised: `articles`, `amendment-items` (items 一、二、…, as lines or as
    /// headed sections) or `unstructured`.
    pub structure: String,
    /// Promulgation notes and other front matter kept as metadata.
    #[serde(default)]
    pub preamble: Vec<String>,
    /// Why the document could not be read (structure `unreadable`, no clauses): kept so that
    /// reports show it as unknown instead of leaving it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// blake3 of the raw bytes the clauses were parsed from (lowercase hex, the crawl store's
    /// address); empty in records written before it was kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_hash: String,
    /// The [`PARSER_VERSION`](crate::parse::PARSER_VERSION) that produced the clauses; 0 in
    /// records written before it was kept (so they are re-parsed once).
    #[serde(default)]
    pub parser_version: u32,
    /// blake3 of the metadata a manifest or `SOURCES.tsv` gave: clauses carry it as filter
    /// fields, so a metadata edit re-indexes the document even when its bytes did not change.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub meta_hash: String,
    /// What named the document (a directory, a manifest or a listing): re-reading that origin
    /// completely and no longer finding the document removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<DocOrigin>,
    /// Which law this document is a text of and which version, as far as the document itself
    /// and its manifest say; `crate::work` groups documents into works from it.
    #[serde(default, skip_serializing_if = "Edition::is_unknown")]
    pub edition: Edition,
}

/// What one document says about the law it is a text of: derived when it is indexed, from
/// its own text and metadata only, so that indexing one document never rewrites another.
/// How documents are grouped into works and versions (and which version is in force) is
/// decided over all of them by `crate::work`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    /// The work key: the manifest's `work`, else `{jurisdiction}:{title without version
    /// notes}` (`cn:中华人民共和国公共图书馆法`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub work: String,
    /// True when the manifest gave `work` (never overridden by inference).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub work_given: bool,
    /// The manifest's `version`; empty when it is to be inferred from dates and text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when that is all the text says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<String>,
    /// Amendment dates, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// One 8-hex-digit hash per article of its normalised text, in document order: compares
    /// texts of one work (copy or version) without reading their clauses.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub articles: String,
}

impl Edition {
    pub fn is_unknown(&self) -> bool {
        *self == Edition::default()
    }

    /// The article hashes of [`Edition::articles`].
    pub fn article_hashes(&self) -> Vec<u32> {
        self.articles
            .as_bytes()
            .chunks(8)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .filter_map(|h| u32::from_str_radix(h, 16).ok())
            .collect()
    }
}

/// The directory, manifest or listing that named a document in the run that indexed it. A
/// file given on its own has no origin and is only removed by `lawdex remove`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DocOrigin {
    /// A directory walked recursively (canonical path).
    Directory { path: PathBuf },
    /// A manifest's `[[source]]` list (canonical path of the manifest).
    Manifest { path: PathBuf },
    /// A manifest's `[[listing]]`, by id.
    Listing { manifest: PathBuf, listing: String },
}

impl std::fmt::Display for DocOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocOrigin::Directory { path } => write!(f, "directory {}", path.display()),
            DocOrigin::Manifest { path } => write!(f, "manifest {}", path.display()),
            DocOrigin::Listing { manifest, listing } => {
                write!(f, "listing {listing} of {}", manifest.display())
            }
        }
    }
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
            content_hash: String::new(),
            parser_version: 0,
            meta_hash: String::new(),
            origin: None,
            edition: Edition::default(),
        }
    }
}

/// A document with its clauses: the unit that ingest indexes and coverage checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentedDoc {
    pub info: DocInfo,
    pub clauses: Vec<Clause>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_written_before_derivation_was_kept_still_read() {
        let old = r#"{"id":"law","source":"law.md","title":"法","format":"markdown",
            "language":"zh-Hans","year":2018,"structure":"articles"}"#;
        let info: DocInfo = serde_json::from_str(old).unwrap();
        assert_eq!(info.content_hash, "");
        assert_eq!(info.parser_version, 0);
        assert_eq!(info.origin, None);
        let mut new = info.clone();
        new.origin = Some(DocOrigin::Listing {
            manifest: PathBuf::from("/m.toml"),
            listing: "laws".into(),
        });
        let back: DocInfo = serde_json::from_str(&serde_json::to_string(&new).unwrap()).unwrap();
        assert_eq!(back, new);
    }
}
