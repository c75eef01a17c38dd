//! Sources: manifests, and fetching them from official sites (robots.txt, per-host politeness,
//! conditional GET, a content-addressed store) for `lawdex crawl` and `lawdex update`.
//!
//! The types below are the contract between the crawl and the ingest: the crawl fetches and
//! stores bytes and says, per document, where they are; the ingest decides from the stored
//! bytes (their hash) and the parser version what to re-index. Nothing here parses a law.

pub mod manifest;

use std::path::PathBuf;

use serde::Serialize;

use crate::model::SourceMeta;

pub use manifest::{Location, Manifest, ManifestError, ManifestSource};

/// One document the crawl was asked for or discovered (a `[[source]]` url, or a detail page
/// or attachment found through a `[[listing]]`).
#[derive(Debug, Clone, Serialize)]
pub struct CrawledDoc {
    /// Metadata from the manifest or the listing's `defaults`; `id` is always set and stable
    /// across runs (a listing derives it from the document's URL).
    pub meta: SourceMeta,
    /// The URL as listed (before redirects).
    pub url: String,
    /// Whether its bytes were fetched (or are unchanged in the store) or the fetch failed.
    pub outcome: CrawlOutcome,
}

/// What fetching one document gave.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum CrawlOutcome {
    /// The document's current bytes are in the store.
    Stored(StoredBody),
    /// The fetch failed (status, timeout, size limit, out of scope…): one line, without the
    /// URL. The ingest keeps the last good text of this document.
    Failed { error: String },
}

/// Raw bytes kept in the store, and what the server said about them.
#[derive(Debug, Clone, Serialize)]
pub struct StoredBody {
    /// The file in the store holding the exact bytes the server sent (after transfer
    /// decoding, before any charset decoding).
    pub path: PathBuf,
    /// The URL after redirects (a notice page's attachment: the attachment's URL).
    pub final_url: String,
    /// The `Content-Type` header, when the server sent one.
    pub content_type: Option<String>,
    /// blake3 of the bytes, lowercase hex: the store's address.
    pub hash: String,
    /// A 304, or a 200 whose bytes hash as before: the crawl saw no change.
    pub not_modified: bool,
}

/// One URL that could not be fetched, with a one-line reason that does not repeat the URL.
#[derive(Debug, Clone, Serialize)]
pub struct UrlError {
    pub url: String,
    pub error: String,
}

/// One URL the crawl chose not to fetch (robots.txt Disallow, out of scope, off-site…).
#[derive(Debug, Clone, Serialize)]
pub struct UrlSkip {
    pub url: String,
    pub reason: String,
}

/// Where a crawled document was named: the manifest file and, for a discovered document, the
/// listing id. The ingest removes an indexed document that its origin no longer names, but
/// only when that origin was read completely (see [`CrawlReport::incomplete`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Origin {
    /// The manifest file, canonicalized.
    pub manifest: PathBuf,
    /// The `[[listing]]` id; `None` for a `[[source]]`.
    pub listing: Option<String>,
}

/// How to crawl. Fields are added with defaults; `Default` is the polite crawl.
#[derive(Debug, Clone, Default)]
pub struct CrawlOptions {
    /// Lift per-host delays (benchmarks against a server on 127.0.0.1). Robots.txt Disallow
    /// still applies.
    pub no_delay: bool,
}

/// What a crawl fetched, from every manifest given.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlReport {
    /// Every document named by the manifests or discovered through their listings, fetched or
    /// failed, in a stable order.
    pub documents: Vec<(Origin, CrawledDoc)>,
    /// Origins whose listing pages could not all be read: their documents that were not seen
    /// this time must not be taken as removed.
    pub incomplete: Vec<Origin>,
    /// URLs that failed (documents and listing pages).
    pub failed: Vec<UrlError>,
    /// URLs not fetched on purpose, robots-disallowed sources among them.
    pub skipped: Vec<UrlSkip>,
    /// Responses with a body (200).
    pub fetched: usize,
    /// 304s and 200s whose bytes hashed as before.
    pub not_modified: usize,
}

/// Why a crawl could not run at all (a document that fails is a [`UrlError`], not this).
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("crawl store at {}: {source}", path.display())]
    Store {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("crawling is not built in this version")]
    NotBuilt,
}

/// Fetches every `[[source]]` url and walks every `[[listing]]` of `manifests`, politely,
/// keeping the bytes in the store under `data_dir`.
pub fn crawl(
    manifests: &[Manifest],
    data_dir: &std::path::Path,
    options: &CrawlOptions,
) -> Result<CrawlReport, CrawlError> {
    let _ = (manifests, data_dir, options);
    Err(CrawlError::NotBuilt)
}
