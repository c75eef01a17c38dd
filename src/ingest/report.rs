//! The change report of an ingest (`lawdex index`, `update`, `remove`): counts, what changed
//! per document down to the article and the coverage state, what was held back, failed or
//! skipped; and the last runs' reports kept under `DATA_DIR/reports/`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::plan::Planned;
use crate::crawl::Location;
use crate::model::Format;

/// How many reports `DATA_DIR/reports/` keeps; older ones are deleted.
pub const KEPT_REPORTS: usize = 30;

/// What happened to one document parsed and indexed in this run.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentReport {
    pub id: String,
    pub source: String,
    pub title: String,
    pub format: Format,
    /// `articles`, `amendment-items` or `unstructured`.
    pub structure: String,
    pub clauses: usize,
    pub year: Option<i32>,
    /// Parser and segmenter warnings, and id changes made by the ingest.
    pub warnings: Vec<String>,
}

/// A source that could not be indexed, with a one-line reason (which does not repeat the
/// source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The path, or the URL for a fetched document.
    pub source: String,
    /// The URL, for a fetched document (the same as `source`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub error: String,
}

impl Failure {
    pub fn new(source: String, error: String) -> Self {
        Failure {
            source,
            url: None,
            error,
        }
    }

    pub fn url(url: String, error: String) -> Self {
        Failure {
            source: url.clone(),
            url: Some(url),
            error,
        }
    }

    pub(super) fn at(p: &Planned, error: String) -> Self {
        match &p.location {
            Location::Url(u) => Failure::url(u.clone(), error),
            Location::Path(path) => Failure::new(path.display().to_string(), error),
        }
    }
}

/// Something met and left alone on purpose: a file in a directory walk that is not a law
/// (README, checksums, images…), a URL the crawl did not fetch (robots.txt, out of scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub reason: String,
}

impl Skipped {
    pub fn new(source: String, reason: String) -> Self {
        Skipped {
            source,
            url: None,
            reason,
        }
    }

    pub fn url(url: String, reason: String) -> Self {
        Skipped {
            source: url.clone(),
            url: Some(url),
            reason,
        }
    }
}

/// What a run did to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeState {
    New,
    Changed,
    Removed,
}

impl ChangeState {
    pub fn name(self) -> &'static str {
        match self {
            ChangeState::New => "new",
            ChangeState::Changed => "changed",
            ChangeState::Removed => "removed",
        }
    }
}

/// Articles of a changed document, by label, in document order (removed ones in the order of
/// the indexed version). Empty for new and removed documents: their `clauses` say how many.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArticleChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    /// Same text under another number (new labels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renumbered: Vec<String>,
}

impl ArticleChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.renumbered.is_empty()
    }
}

/// One obligation of the built-in taxonomy whose coverage state moved with a document's new
/// text (`free-basic-services: gap → covered`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageMove {
    pub obligation: String,
    pub from: String,
    pub to: String,
}

/// One new, changed or removed document.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: String,
    pub state: ChangeState,
    pub title: String,
    pub source: String,
    /// Clauses of the new version (of the removed version, for a removed document).
    pub clauses: usize,
    pub articles: ArticleChanges,
    pub coverage: Vec<CoverageMove>,
    /// For a new document: the law it is a text of and what it is there (a new work, a new
    /// version, a copy of a version), as `lawdex show WORK` groups it after this run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<WorkPlace>,
}

/// Where a new document stands in its work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkPlace {
    pub work: String,
    pub version: String,
    /// The version's status: `in-force`, `superseded`, `repealed`, `draft`.
    pub status: String,
    /// `new-work` (the only document of its law), `new-version` (a version of a law already
    /// there) or `copy` (another document of a version).
    pub role: String,
    /// The versions this one made `superseded`, by label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
}

/// A document whose new text was held back: it lost all or most of its articles, which is
/// what an error page served with status 200 looks like. The indexed text stays.
#[derive(Debug, Clone, Serialize)]
pub struct Suspect {
    pub id: String,
    pub source: String,
    /// Articles of the indexed version.
    pub indexed: usize,
    /// Articles of the new text.
    pub found: usize,
    pub reason: String,
}

/// The outcome of a run.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    /// `index`, `update` or `remove`.
    pub command: String,
    /// When the run started, UTC (RFC 3339).
    pub started: String,
    pub index_dir: PathBuf,
    /// Nothing was written: the counts say what the run would have done.
    pub dry_run: bool,
    /// Responses with a body, from the crawl (0 for `index`).
    pub fetched: usize,
    /// 304s and 200s whose bytes hashed as before, from the crawl (0 for `index`).
    pub not_modified: usize,
    pub new: usize,
    pub changed: usize,
    pub removed: usize,
    /// Documents whose bytes, metadata and parser version were as indexed: not re-parsed.
    pub unchanged: usize,
    /// Documents in the index after the run.
    pub documents: usize,
    /// Clauses in the index after the run.
    pub clauses: usize,
    /// New, changed and removed documents, by id.
    pub changes: Vec<Change>,
    pub suspect: Vec<Suspect>,
    pub failed: Vec<Failure>,
    pub skipped: Vec<Skipped>,
    /// Documents parsed and written in this run (new and changed), sorted by id.
    pub indexed: Vec<DocumentReport>,
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    #[serde(skip)]
    started_at: std::time::SystemTime,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

impl IngestReport {
    /// An empty report of `command`, starting now.
    pub fn new(command: &str, index_dir: PathBuf, dry_run: bool) -> Self {
        let now = std::time::SystemTime::now();
        IngestReport {
            command: command.to_string(),
            started: humantime::format_rfc3339_seconds(now).to_string(),
            started_at: now,
            index_dir,
            dry_run,
            fetched: 0,
            not_modified: 0,
            new: 0,
            changed: 0,
            removed: 0,
            unchanged: 0,
            documents: 0,
            clauses: 0,
            changes: Vec::new(),
            suspect: Vec::new(),
            failed: Vec::new(),
            skipped: Vec::new(),
            indexed: Vec::new(),
            elapsed: Duration::ZERO,
        }
    }

    /// Clauses parsed and written in this run.
    pub fn clauses_indexed(&self) -> usize {
        self.indexed.iter().map(|d| d.clauses).sum()
    }

    /// Documents indexed in this run by structure name, e.g. `{"articles": 33}`.
    pub fn structures(&self) -> BTreeMap<&str, usize> {
        let mut m = BTreeMap::new();
        for d in &self.indexed {
            *m.entry(d.structure.as_str()).or_insert(0) += 1;
        }
        m
    }

    /// Whether a script should look: some source failed or a new text was held back.
    pub fn has_problems(&self) -> bool {
        !self.failed.is_empty() || !self.suspect.is_empty()
    }

    /// Sorts every list and sets the counts from the changes.
    pub(super) fn finish(&mut self) {
        self.changes.sort_by(|a, b| a.id.cmp(&b.id));
        self.suspect.sort_by(|a, b| a.id.cmp(&b.id));
        self.failed.sort_by(|a, b| a.source.cmp(&b.source));
        self.failed.dedup();
        self.skipped.sort_by(|a, b| a.source.cmp(&b.source));
        self.skipped.dedup();
        self.indexed.sort_by(|a, b| a.id.cmp(&b.id));
        let count = |s: ChangeState| self.changes.iter().filter(|c| c.state == s).count();
        self.new = count(ChangeState::New);
        self.changed = count(ChangeState::Changed);
        self.removed = count(ChangeState::Removed);
    }
}

/// The folder of kept reports.
pub fn reports_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("reports")
}

/// Writes `report` as `DATA_DIR/reports/{started}-{command}.json` (written to a temporary
/// file and renamed, so a reader never sees half a report) and deletes all but the newest
/// [`KEPT_REPORTS`]. Returns the file written.
pub fn save(data_dir: &Path, report: &IngestReport) -> std::io::Result<PathBuf> {
    let dir = reports_dir(data_dir);
    // Private like the index (0700 / 0600): a report lists the titles and changes of what is
    // indexed, which another user of the machine cannot search either.
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    // Colons are not allowed in file names everywhere; microseconds keep the names in the
    // order of the runs, and a clash (same microsecond) gets `~002`, which sorts after it.
    let stamp = humantime::format_rfc3339_micros(report.started_at)
        .to_string()
        .replace(':', "-");
    let mut path = dir.join(format!("{stamp}-{}.json", report.command));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stamp}-{}~{n:03}.json", report.command));
        n += 1;
    }
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        serde_json::to_writer_pretty(&mut f, report)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    prune(&dir)?;
    Ok(path)
}

fn prune(dir: &Path) -> std::io::Result<()> {
    let mut kept: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    kept.sort();
    let excess = kept.len().saturating_sub(KEPT_REPORTS);
    for old in &kept[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_kept_up_to_the_limit_newest_last() {
        let dir = tempfile::tempdir().unwrap();
        let mut last = PathBuf::new();
        for _ in 0..KEPT_REPORTS + 3 {
            let r = IngestReport::new("index", dir.path().join("index"), false);
            last = save(dir.path(), &r).unwrap();
        }
        let names: Vec<_> = std::fs::read_dir(reports_dir(dir.path()))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(names.len(), KEPT_REPORTS, "{names:?}");
        assert!(names.contains(&last));
        let text = std::fs::read_to_string(&last).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["command"], "index");
    }
}
