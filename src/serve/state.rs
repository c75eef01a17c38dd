//! What the server holds between requests: the open index of the current commit, reopened
//! when a commit or a rebuild replaces it, and the coverage matrix of that commit.
//!
//! Readers take no lock: `lawdex index` and `update` write while the server reads. Each
//! request compares the identity of `meta.json` (inode, size, modification time) with the
//! one the open index was read from: tantivy rewrites that file by renaming a new one over it
//! at every commit, and a rebuild swaps the whole directory, so either gives a new identity
//! and the next request opens the index again. One `stat` per request, no watcher thread.

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, TryLockError};
use std::time::SystemTime;

use serde_json::Value;

use super::error::ApiError;
use crate::coverage::{CorpusCoverage, Matcher, ReportOptions, Taxonomy};
use crate::index;
use crate::model::SegmentedDoc;
use crate::search::{Filters, Searcher};
use crate::work::Scope;

/// Evidence clauses kept per covered cell (as `lawdex gaps`) and model clauses per gap (the
/// heat map offers them on a click), in pages and the API.
pub const REPORT_OPTIONS: ReportOptions = ReportOptions {
    max_evidence: 5,
    max_suggestions: 3,
};

/// Which commit an open index shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CommitKey {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: Option<SystemTime>,
}

fn commit_key(index_dir: &Path) -> std::io::Result<CommitKey> {
    let m = std::fs::metadata(index_dir.join("meta.json"))?;
    Ok(CommitKey {
        dev: m.dev(),
        ino: m.ino(),
        len: m.len(),
        mtime: m.modified().ok(),
    })
}

/// The index as of one commit.
pub struct Generation {
    key: CommitKey,
    pub searcher: Searcher,
    /// When it was opened.
    pub opened: SystemTime,
    coverage: OnceLock<Result<Arc<Coverage>, ApiError>>,
}

/// The corpus of one commit matched against the built-in taxonomy.
pub struct Coverage {
    pub matcher: Matcher,
    pub docs: Vec<SegmentedDoc>,
    /// The whole matrix (every document) as the JSON of `lawdex gaps --all-versions --format
    /// json`; requests take rows of it.
    pub report: Value,
    /// The documents that are no row unless asked for by id: each law's other versions and
    /// copies, as `lawdex gaps` leaves them out.
    pub not_current: HashSet<String>,
}

impl Generation {
    /// Checks jurisdiction codes as a search's filters are checked: a malformed one is a 400,
    /// not an empty matrix.
    pub fn check_jurisdictions(&self, jurisdictions: &[String]) -> Result<(), ApiError> {
        let filters = Filters {
            jurisdictions: jurisdictions.to_vec(),
            ..Filters::default()
        };
        Ok(self.searcher.check_filters(&filters)?)
    }

    /// The coverage matrix of this commit, computed on first use.
    pub fn coverage(&self) -> Result<Arc<Coverage>, ApiError> {
        self.coverage
            .get_or_init(|| {
                let docs = self.searcher.index().documents()?;
                let taxonomy = Taxonomy::library_social_responsibility()
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                let matcher =
                    Matcher::new(taxonomy).map_err(|e| ApiError::internal(e.to_string()))?;
                let (report, not_current) = {
                    let cov = CorpusCoverage::compute(&matcher, &docs);
                    let rows: Vec<usize> = (0..docs.len()).collect();
                    let r = cov.report(&rows, &[], REPORT_OPTIONS);
                    let value =
                        serde_json::to_value(&r).map_err(|e| ApiError::internal(e.to_string()))?;
                    (value, cov.works().excluded(Scope::Current))
                };
                Ok(Arc::new(Coverage {
                    matcher,
                    docs,
                    report,
                    not_current,
                }))
            })
            .clone()
    }
}

/// The data directory and the index generation open on it.
pub struct Corpus {
    data_dir: PathBuf,
    current: Mutex<Option<Arc<Generation>>>,
    /// Held by the one request that opens a new commit.
    opening: Mutex<()>,
}

impl Corpus {
    pub fn new(data_dir: PathBuf) -> Self {
        Corpus {
            data_dir,
            current: Mutex::new(None),
            opening: Mutex::new(()),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The index of the latest commit, opened again when it changed since the last request.
    /// Blocking (a `stat`, sometimes an open): call it from blocking work.
    ///
    /// The request that sees a new commit first opens it (and reads what every search needs)
    /// and answers from it; requests arriving meanwhile answer from the previous commit
    /// instead of queueing behind the open, which under load made every commit a burst of
    /// slow answers (BENCHMARKS.md, issue 10).
    pub fn current(&self) -> Result<Arc<Generation>, ApiError> {
        let dir = index::resolve_dir(&self.data_dir);
        // Read before opening: a commit landing in between makes the next request reopen
        // again, never leaves an old index looking current.
        let key = commit_key(&dir).map_err(|_| {
            ApiError::unavailable(format!(
                "no index at {}: run `lawdex index` first",
                dir.display()
            ))
        })?;
        let open = |this: &Self| this.current_generation().filter(|g| g.key == key);
        let previous = match self.current_generation() {
            Some(g) if g.key == key => return Ok(g),
            other => other,
        };
        let _opening = match (self.opening.try_lock(), previous) {
            (Ok(guard), _) => guard,
            (Err(TryLockError::Poisoned(p)), _) => p.into_inner(),
            (Err(TryLockError::WouldBlock), Some(previous)) => return Ok(previous),
            (Err(TryLockError::WouldBlock), None) => {
                self.opening.lock().unwrap_or_else(|p| p.into_inner())
            }
        };
        // Another request may have opened it while this one waited.
        if let Some(g) = open(self) {
            return Ok(g);
        }
        let searcher = Searcher::open(&self.data_dir).map_err(ApiError::from)?;
        searcher.prepare().map_err(ApiError::from)?;
        let g = Arc::new(Generation {
            key,
            searcher,
            opened: SystemTime::now(),
            coverage: OnceLock::new(),
        });
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(g.clone());
        Ok(g)
    }

    fn current_generation(&self) -> Option<Arc<Generation>> {
        self.current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ingest, IngestOptions, Quiet};

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/search")
            .join(name)
    }

    /// While one request opens a new commit, the others answer from the previous one instead
    /// of waiting; once it is open, every request gets it.
    #[test]
    fn requests_during_an_open_answer_from_the_previous_commit() {
        let dir = tempfile::tempdir().unwrap();
        let add = |name: &str| {
            let report = ingest(
                &[fixture(name)],
                dir.path(),
                &IngestOptions::default(),
                &Quiet,
            )
            .unwrap();
            assert_eq!(report.indexed.len(), 1, "{name}: {:?}", report.failed);
        };
        add("riverton-library-act.md");
        let corpus = Corpus::new(dir.path().to_path_buf());
        let first = corpus.current().unwrap();
        assert!(Arc::ptr_eq(&first, &corpus.current().unwrap()));

        add("tongan-library-measures.md");
        {
            // Another request is opening the new commit.
            let _opening = corpus.opening.lock().unwrap();
            assert!(Arc::ptr_eq(&first, &corpus.current().unwrap()));
        }
        let second = corpus.current().unwrap();
        assert!(!Arc::ptr_eq(&first, &second));
        assert_ne!(first.key, second.key);
        assert!(Arc::ptr_eq(&second, &corpus.current().unwrap()));
    }
}
