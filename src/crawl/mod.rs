//! Sources: manifests, and fetching them from official sites (robots.txt, per-host politeness,
//! conditional GET, a content-addressed store) for `lawdex crawl` and `lawdex update`.
//!
//! The types below are the contract between the crawl and the ingest: the crawl fetches and
//! stores bytes and says, per document, where they are; the ingest decides from the stored
//! bytes (their hash) and the parser version what to re-index. Nothing here parses a law.

pub mod fetch;
pub mod listing;
pub mod manifest;
pub mod store;

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
    /// Not requested on purpose (robots.txt now forbids it): no failure, and the document
    /// keeps its last good text, as a `[[source]]` robots.txt forbids does.
    Kept { reason: String },
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
    /// Returned by versions without a crawler; kept so that callers matching on it compile.
    #[error("crawling is not built in this version")]
    NotBuilt,
}

/// Fetches every `[[source]]` url and walks every `[[listing]]` of `manifests`, politely,
/// keeping the bytes in the store under `data_dir`. Hosts are crawled in parallel, one thread
/// each; the requests to one host are made one at a time, spaced by its delay.
pub fn crawl(
    manifests: &[Manifest],
    data_dir: &std::path::Path,
    options: &CrawlOptions,
) -> Result<CrawlReport, CrawlError> {
    let store = store::Store::new(data_dir);
    store.create().map_err(|e| CrawlError::Store {
        path: store.root().to_path_buf(),
        source: e,
    })?;
    // Callers hold the data directory's write lock (`lawdex crawl`, `lawdex update`).
    store.sweep_leftovers();
    let shared = fetch::Shared::default();

    // Every piece of work, in manifest order, grouped by the host it starts on.
    struct Job<'m> {
        /// Index of the manifest (and of its fetcher).
        manifest: usize,
        origin: Origin,
        work: Work<'m>,
    }
    enum Work<'m> {
        Source(&'m ManifestSource, &'m str),
        Listing(&'m manifest::Listing),
    }
    let mut jobs = Vec::new();
    for (mi, m) in manifests.iter().enumerate() {
        let path = std::fs::canonicalize(&m.path).unwrap_or_else(|_| m.path.clone());
        for s in &m.sources {
            if let Location::Url(u) = &s.location {
                jobs.push(Job {
                    manifest: mi,
                    origin: Origin {
                        manifest: path.clone(),
                        listing: None,
                    },
                    work: Work::Source(s, u),
                });
            }
        }
        for l in &m.listings {
            jobs.push(Job {
                manifest: mi,
                origin: Origin {
                    manifest: path.clone(),
                    listing: Some(l.id.clone()),
                },
                work: Work::Listing(l),
            });
        }
    }
    let host_of = |job: &Job| {
        let url = match &job.work {
            Work::Source(_, u) => *u,
            Work::Listing(l) => l.start.as_str(),
        };
        fetch::normalise(url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| format!("{h}:{:?}", u.port_or_known_default()))
            })
            .unwrap_or_default()
    };
    let mut groups: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (i, job) in jobs.iter().enumerate() {
        groups.entry(host_of(job)).or_default().push(i);
    }

    struct Done {
        documents: Vec<(Origin, CrawledDoc)>,
        incomplete: bool,
        failed: Vec<UrlError>,
        skipped: Vec<UrlSkip>,
    }
    // One fetcher (one HTTP agent, one pool of kept-alive connections) per manifest for the
    // whole run: a fetcher per source opened a new connection for every source.
    let fetchers: Vec<fetch::Fetcher> = manifests
        .iter()
        .map(|m| fetch::Fetcher::new(&m.crawl, options.no_delay, &store, &shared))
        .collect();
    let run = |job: &Job| -> Done {
        let fetcher = &fetchers[job.manifest];
        match &job.work {
            Work::Source(s, url) => {
                let (url, fetched) = fetcher.fetch(url, None);
                let mut done = Done {
                    documents: Vec::new(),
                    incomplete: false,
                    failed: Vec::new(),
                    skipped: Vec::new(),
                };
                let outcome = match fetched {
                    fetch::Fetched::Stored(b) => CrawlOutcome::Stored(b),
                    fetch::Fetched::Failed(error) => {
                        done.failed.push(UrlError {
                            url: url.clone(),
                            error: error.clone(),
                        });
                        CrawlOutcome::Failed { error }
                    }
                    // A source robots.txt forbids is skipped, not failed; the manifest still
                    // names it, so its last text stays indexed.
                    fetch::Fetched::Skipped(reason) => {
                        done.skipped.push(UrlSkip { url, reason });
                        return done;
                    }
                };
                done.documents.push((
                    job.origin.clone(),
                    CrawledDoc {
                        meta: s.meta.clone(),
                        url,
                        outcome,
                    },
                ));
                done
            }
            Work::Listing(l) => {
                let w = listing::walk(fetcher, l, &store);
                Done {
                    documents: w
                        .documents
                        .into_iter()
                        .map(|d| (job.origin.clone(), d))
                        .collect(),
                    incomplete: w.incomplete,
                    failed: w.failed,
                    skipped: w.skipped,
                }
            }
        }
    };
    let mut results: Vec<Option<Done>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .values()
            .map(|idx| {
                let jobs = &jobs;
                let run = &run;
                scope.spawn(move || idx.iter().map(|&i| (i, run(&jobs[i]))).collect::<Vec<_>>())
            })
            .collect();
        for h in handles {
            if let Ok(done) = h.join() {
                for (i, d) in done {
                    results[i] = Some(d);
                }
            }
        }
    });
    let mut report = CrawlReport::default();
    for (job, done) in jobs.iter().zip(results) {
        let Some(done) = done else {
            // The host's thread panicked: nothing it did can be trusted to be complete.
            report.incomplete.push(job.origin.clone());
            continue;
        };
        report.documents.extend(done.documents);
        if done.incomplete {
            report.incomplete.push(job.origin.clone());
        }
        report.failed.extend(done.failed);
        report.skipped.extend(done.skipped);
    }
    let counts = *shared.counts.lock().unwrap_or_else(|e| e.into_inner());
    report.fetched = counts.fetched;
    report.not_modified = counts.not_modified;
    Ok(report)
}
