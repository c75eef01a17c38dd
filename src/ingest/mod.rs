//! The pipeline: sources → parse → segment → index, with one writer and one atomic commit,
//! touching only what changed.
//!
//! Steps, in order:
//! 1. plan: expand inputs (files, directories walked recursively, manifests; for `update`, the
//!    documents a crawl fetched) into sources, each with its document id and the origin that
//!    named it; ids that collide within the run are made unique;
//! 2. per source, in parallel (rayon): read its bytes and hash them; a document whose bytes,
//!    metadata and parser version are as indexed is `unchanged` and not parsed. Otherwise it
//!    is parsed and segmented, compared with the indexed version (articles added, removed,
//!    changed; coverage states moved) and handed to the one index writer, unless its new text
//!    lost all or most of its articles (held back as `suspect`: an error page served with
//!    status 200 must not replace a law);
//! 3. documents that an origin read completely in this run (a directory, a manifest, a
//!    listing) no longer names are removed;
//! 4. commit once, only if something changed. An error of one document is recorded in the
//!    report and never stops the batch; an error of the index itself stops it before the
//!    commit, so the previous commit stays intact. A failed fetch or an unreadable file never
//!    replaces or deletes the last good text.
//!
//! `lawdex index` calls [`ingest`], `lawdex update` [`update`], `lawdex remove` [`remove`].

mod change;
mod plan;
mod read;
pub mod report;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use rayon::prelude::*;

use crate::coverage::{Matcher, Taxonomy};
use crate::crawl::{CrawlReport, Location, Manifest, ManifestError};
use crate::index::{self, ClauseIndex, IndexBatch, IndexError, Snapshot, WriteLock};
use crate::model::{DocInfo, Format, SegmentedDoc};
use crate::parse::{Limits, PARSER_VERSION};

pub use plan::files_under;
pub use read::{doc_info, year_from_name, year_from_text};
pub use report::{
    ArticleChanges, Change, ChangeState, CoverageMove, DocumentReport, Failure, IngestReport,
    Skipped, Suspect, WorkPlace,
};

use plan::{plan, plan_update, settle_ids, Body, Plan, Planned};
use read::{raw, read, Read, Unread};

/// How to run an ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub limits: Limits,
    /// Delete the existing index first (needed after a schema change).
    pub rebuild: bool,
    /// Replace a document even when its new text lost all or most of its articles.
    pub accept_shrink: bool,
    /// Work out and report every change, and write nothing (no commit, no report file).
    pub dry_run: bool,
}

/// Receives progress while documents are processed (the CLI draws a bar with it).
pub trait Progress: Sync {
    /// The number of sources about to be processed.
    fn start(&self, _total: usize) {}
    /// One source is done (indexed, unchanged, failed or skipped).
    fn advance(&self, _source: &str) {}
    /// Everything is processed; the commit follows.
    fn committing(&self) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {}

/// Errors that stop an ingest before its commit.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// Documents parsed and segmented from files, directories and manifests, without an index:
/// what `lawdex gaps --corpus` and `--draft` read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sorted by id; ids are unique (a clash gets `-{format}` as in [`ingest`]).
    pub documents: Vec<SegmentedDoc>,
    /// What reading each document found (warnings included), in the order of `documents`.
    pub reports: Vec<DocumentReport>,
    pub failures: Vec<Failure>,
    pub skipped: Vec<Skipped>,
}

/// Parses and segments `inputs` like [`ingest`] does (same ids, same metadata, same
/// failures), in parallel, and returns the documents instead of indexing them.
pub fn load(inputs: &[PathBuf], limits: &Limits) -> Result<Loaded, IngestError> {
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    let planned = plan(inputs, &mut failures, &mut skipped)?.sources;
    let reads: Vec<(Planned, Read)> = planned
        .into_par_iter()
        .map(|p| {
            let r = match raw(&p, limits) {
                Ok(bytes) => read(&p, &bytes, limits),
                Err(u) => u.into(),
            };
            (p, r)
        })
        .collect();
    let mut documents = Vec::new();
    let mut contested = Vec::new();
    let mut taken = HashSet::new();
    for (p, r) in reads {
        taken.insert(p.id.clone());
        match r {
            Read::Parsed(doc, report) if p.contested => contested.push((p, *doc, report)),
            Read::Parsed(doc, report) => documents.push((*doc, report)),
            Read::Failed(f) => failures.push(f),
            Read::Skipped(s) => skipped.push(s),
        }
    }
    documents.extend(settle_ids(contested, taken, &HashMap::new()));
    documents.sort_by(|a, b| a.0.info.id.cmp(&b.0.info.id));
    failures.sort_by(|a, b| a.source.cmp(&b.source));
    let (documents, reports) = documents.into_iter().unzip();
    Ok(Loaded {
        documents,
        reports,
        failures,
        skipped,
    })
}

/// Parses, segments and indexes `inputs` (files, directories, manifests) into the index
/// under `data_dir`: new and changed documents are (re)indexed, unchanged ones left as they
/// are, and documents that a directory or manifest given here no longer names are removed.
pub fn ingest(
    inputs: &[PathBuf],
    data_dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<IngestReport, IngestError> {
    let mut report = IngestReport::new("index", index::index_dir(data_dir), options.dry_run);
    // The lock comes before anything is read or changed; a dry run changes nothing and
    // takes none.
    let lock = if options.dry_run {
        None
    } else {
        Some(WriteLock::acquire(data_dir, "lawdex index")?)
    };
    let plan = plan(inputs, &mut report.failed, &mut report.skipped)?;
    run(plan, data_dir, lock.as_ref(), options, progress, report)
}

/// Indexes what a crawl of `manifests` fetched (bytes from the crawl store, sources shown by
/// URL) and the manifests' local `path` sources, like [`ingest`]; documents a listing or
/// manifest no longer names are removed, unless the crawl could not read that origin
/// completely. A document whose fetch failed keeps its last good text. Takes the data
/// directory's write lock (not in a dry run); a caller that held it across the crawl uses
/// [`update_locked`].
pub fn update(
    manifests: &[Manifest],
    crawled: &CrawlReport,
    data_dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<IngestReport, IngestError> {
    let lock = if options.dry_run {
        None
    } else {
        Some(WriteLock::acquire(data_dir, "lawdex update")?)
    };
    update_locked(
        lock.as_ref(),
        manifests,
        crawled,
        data_dir,
        options,
        progress,
    )
}

/// [`update`] under a lock the caller holds (`None` only in a dry run).
pub fn update_locked(
    lock: Option<&WriteLock>,
    manifests: &[Manifest],
    crawled: &CrawlReport,
    data_dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<IngestReport, IngestError> {
    let mut report = IngestReport::new("update", index::index_dir(data_dir), options.dry_run);
    report.fetched = crawled.fetched;
    report.not_modified = crawled.not_modified;
    report.failed.extend(
        crawled
            .failed
            .iter()
            .map(|e| Failure::url(e.url.clone(), e.error.clone())),
    );
    report.skipped.extend(
        crawled
            .skipped
            .iter()
            .map(|s| Skipped::url(s.url.clone(), s.reason.clone())),
    );
    let plan = plan_update(manifests, crawled);
    run(plan, data_dir, lock, options, progress, report)
}

/// Deletes the documents `ids` from the index under `data_dir`, in one commit. Ids that name
/// no indexed document are listed in the report's `failed`.
pub fn remove(data_dir: &Path, ids: &[String], dry_run: bool) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    let dir = index::index_dir(data_dir);
    let mut report = IngestReport::new("remove", dir.clone(), dry_run);
    let lock = if dry_run {
        None
    } else {
        Some(WriteLock::acquire(data_dir, "lawdex remove")?)
    };
    // Opening read-only first says "no index" instead of creating one.
    let live = ClauseIndex::open(data_dir)?;
    let write = match &lock {
        Some(l) => Some(l.begin(false)?),
        None => None,
    };
    let clause_index = write.as_ref().map_or(&live, |w| w.index());
    let snapshot = clause_index.snapshot()?;
    let batch = if dry_run {
        None
    } else {
        Some(clause_index.batch()?)
    };
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            continue;
        }
        match snapshot.document(id)? {
            Some(doc) => {
                if let Some(b) = &batch {
                    b.delete(id);
                }
                report.changes.push(removed(&doc));
            }
            None => report.failed.push(Failure::new(
                id.clone(),
                format!(
                    "no indexed document has this id (`{}` lists them)",
                    crate::search::LIST_IDS
                ),
            )),
        }
    }
    let (documents, clauses) = snapshot.totals()?;
    let summary = if batch.is_some() && !report.changes.is_empty() {
        let mut infos = snapshot.infos()?;
        for c in &report.changes {
            infos.remove(&c.id);
        }
        Some(crate::work::Works::group(infos.values()).summary())
    } else {
        None
    };
    drop(snapshot);
    report.documents = documents - report.changes.len();
    report.clauses = clauses - report.changes.iter().map(|c| c.clauses).sum::<usize>();
    if let Some(b) = batch {
        if report.changes.is_empty() {
            drop(b);
        } else {
            b.commit_with(summary.as_deref())?;
            (report.documents, report.clauses) = clause_index.snapshot()?.totals()?;
        }
    }
    if let Some(w) = write {
        w.publish()?;
    }
    report.finish();
    report.elapsed = started.elapsed();
    Ok(report)
}

fn removed(doc: &SegmentedDoc) -> Change {
    Change {
        id: doc.info.id.clone(),
        state: ChangeState::Removed,
        title: doc.info.title.clone(),
        source: doc.info.source.clone(),
        clauses: doc.clauses.len(),
        articles: ArticleChanges::default(),
        coverage: Vec::new(),
        work: None,
    }
}

/// What processing one source gave.
enum Outcome {
    /// As indexed: not parsed, not written.
    Unchanged,
    /// Written (new or changed), or held back.
    Settled(Settled),
    /// Parsed and segmented, waiting for its id to be settled among its twins.
    Contested(Box<(Planned, SegmentedDoc, DocumentReport)>),
    Failed(Box<Planned>, Failure),
    Skipped(Skipped),
}

enum Settled {
    Unchanged,
    Written {
        change: Box<Change>,
        indexed: DocumentReport,
        /// Clauses added to the index's total (negative when the new version is shorter).
        clause_delta: i64,
    },
    Suspect(Suspect),
}

/// What every source of a run shares.
struct Run<'a> {
    options: &'a IngestOptions,
    /// Document records of the last commit, by id (empty for a rebuild).
    existing: &'a BTreeMap<String, DocInfo>,
    snapshot: Option<&'a Snapshot<'a>>,
    /// `None` in a dry run.
    batch: Option<&'a IndexBatch<'a>>,
    /// The built-in taxonomy, compiled when the first changed document needs it.
    matcher: OnceLock<Option<Matcher>>,
    /// Whether anything was written: a run that changed nothing commits nothing.
    wrote: AtomicBool,
    /// Every document record this run writes (or would write, in a dry run): with the
    /// records of the last commit, what the works grouping of the new commit is made from.
    recorded: Mutex<Vec<DocInfo>>,
}

impl Run<'_> {
    fn write(&self, doc: &SegmentedDoc) -> Result<(), IndexError> {
        if let Some(b) = self.batch {
            b.replace(doc)?;
            self.wrote.store(true, Ordering::Relaxed);
        }
        self.record(doc.info.clone());
        Ok(())
    }

    fn record(&self, info: DocInfo) {
        if let Ok(mut r) = self.recorded.lock() {
            r.push(info);
        }
    }

    fn matcher(&self) -> Option<&Matcher> {
        self.matcher
            .get_or_init(|| {
                Taxonomy::library_social_responsibility()
                    .ok()
                    .and_then(|t| Matcher::new(t).ok())
            })
            .as_ref()
    }

    /// Whether `old` was derived from the same metadata by this parser version (its bytes
    /// are compared by the caller).
    fn current(old: &DocInfo, meta_hash: &str) -> bool {
        old.error.is_none() && old.parser_version == PARSER_VERSION && old.meta_hash == meta_hash
    }

    /// An unchanged document whose file moved, or that another directory or manifest now
    /// names, gets its record updated; its clauses stay as they are.
    fn refresh(&self, old: &DocInfo, p: &Planned) -> Result<(), IndexError> {
        let source = p.display();
        let origin = p.origin.clone().or_else(|| old.origin.clone());
        if old.source == source && old.origin == origin {
            return Ok(());
        }
        let mut info = old.clone();
        info.source = source;
        info.origin = origin;
        if let Some(b) = self.batch {
            b.replace_record(&info)?;
            self.wrote.store(true, Ordering::Relaxed);
        }
        self.record(info);
        Ok(())
    }

    fn process(&self, p: &Planned) -> Result<Outcome, IndexError> {
        let old = if p.contested {
            None
        } else {
            self.existing.get(&p.id)
        };
        let meta_hash = read::meta_hash(&p.meta);
        // The crawl hashed what it stored: an unchanged fetched document is not even read.
        if let (Some(old), Body::Stored { hash, .. }) = (old, &p.body) {
            if old.content_hash == *hash && Self::current(old, &meta_hash) {
                self.refresh(old, p)?;
                return Ok(Outcome::Unchanged);
            }
        }
        let bytes = match raw(p, &self.options.limits) {
            Ok(b) => b,
            Err(Unread::Failed(f)) => return Ok(Outcome::Failed(Box::new(p.clone()), f)),
            Err(Unread::Skipped(s)) => return Ok(Outcome::Skipped(s)),
        };
        if let Some(old) = old {
            if old.content_hash == bytes.hash && Self::current(old, &meta_hash) {
                self.refresh(old, p)?;
                return Ok(Outcome::Unchanged);
            }
        }
        match read(p, &bytes, &self.options.limits) {
            Read::Parsed(mut doc, report) => {
                doc.info.content_hash = bytes.hash;
                doc.info.origin = p.origin.clone();
                if p.contested {
                    return Ok(Outcome::Contested(Box::new((p.clone(), *doc, report))));
                }
                self.settle(*doc, report).map(Outcome::Settled)
            }
            Read::Failed(f) => Ok(Outcome::Failed(Box::new(p.clone()), f)),
            Read::Skipped(s) => Ok(Outcome::Skipped(s)),
        }
    }

    /// Indexes a parsed document as new or changed, or holds it back as suspect.
    fn settle(
        &self,
        mut doc: SegmentedDoc,
        indexed: DocumentReport,
    ) -> Result<Settled, IndexError> {
        let id = doc.info.id.clone();
        let old_info = self.existing.get(&id);
        if let Some(old) = old_info {
            if doc.info.origin.is_none() {
                // A file given alone does not take it away from its directory or manifest.
                doc.info.origin = old.origin.clone();
            }
            if old.content_hash == doc.info.content_hash
                && Self::current(old, &doc.info.meta_hash)
                && old.source == doc.info.source
                && old.origin == doc.info.origin
            {
                return Ok(Settled::Unchanged);
            }
        }
        let old = match (old_info, self.snapshot) {
            (Some(_), Some(s)) => s.document(&id)?,
            _ => None,
        };
        let found = doc.clauses.len();
        let Some(old) = old else {
            self.write(&doc)?;
            return Ok(Settled::Written {
                change: Box::new(Change {
                    id,
                    state: ChangeState::New,
                    title: doc.info.title.clone(),
                    source: doc.info.source.clone(),
                    clauses: found,
                    articles: ArticleChanges::default(),
                    coverage: Vec::new(),
                    work: None,
                }),
                indexed,
                clause_delta: found as i64,
            });
        };
        if !self.options.accept_shrink {
            if let Some(reason) = change::shrink(old.clauses.len(), found) {
                return Ok(Settled::Suspect(Suspect {
                    id,
                    source: doc.info.source.clone(),
                    indexed: old.clauses.len(),
                    found,
                    reason,
                }));
            }
        }
        let articles = change::articles(&old.clauses, &doc.clauses);
        let coverage = self
            .matcher()
            .map(|m| change::coverage_moves(m, &old, &doc))
            .unwrap_or_default();
        self.write(&doc)?;
        Ok(Settled::Written {
            change: Box::new(Change {
                id,
                state: ChangeState::Changed,
                title: doc.info.title.clone(),
                source: doc.info.source.clone(),
                clauses: found,
                articles,
                coverage,
                work: None,
            }),
            indexed,
            clause_delta: found as i64 - old.clauses.len() as i64,
        })
    }
}

/// Runs a plan under `lock` (`None` in a dry run, which reads the live index if there is one
/// and creates nothing). A first run and a rebuild write a new index generation that
/// replaces the live one only once committed (see `index::lifecycle`).
fn run(
    plan: Plan,
    data_dir: &Path,
    lock: Option<&WriteLock>,
    options: &IngestOptions,
    progress: &dyn Progress,
    mut report: IngestReport,
) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    let dir = index::index_dir(data_dir);
    let write = match lock {
        Some(l) if !options.dry_run => Some(l.begin(options.rebuild)?),
        _ => None,
    };
    let live = match &write {
        None if dir.join("meta.json").is_file() => Some(ClauseIndex::open(&dir)?),
        _ => None,
    };
    let clause_index = write.as_ref().map(|w| w.index()).or(live.as_ref());
    let snapshot = match &clause_index {
        Some(i) if !(options.rebuild && options.dry_run) => Some(i.snapshot()?),
        _ => None,
    };
    let existing = match &snapshot {
        Some(s) => s.infos()?,
        None => BTreeMap::new(),
    };
    let (mut documents, mut clauses) = match &snapshot {
        Some(s) => s.totals()?,
        None => (0, 0),
    };
    let batch = match (&clause_index, options.dry_run) {
        (Some(i), false) => Some(i.batch()?),
        _ => None,
    };
    let ctx = Run {
        options,
        existing: &existing,
        snapshot: snapshot.as_ref(),
        batch: batch.as_ref(),
        matcher: OnceLock::new(),
        wrote: AtomicBool::new(false),
        recorded: Mutex::new(Vec::new()),
    };
    progress.start(plan.sources.len());
    let outcomes: Vec<Result<Outcome, IndexError>> = plan
        .sources
        .par_iter()
        .map(|p| {
            let outcome = ctx.process(p);
            progress.advance(&p.display());
            outcome
        })
        .collect();
    let mut named: HashSet<String> = plan.named.clone();
    named.extend(plan.sources.iter().map(|p| p.id.clone()));
    let mut contested = Vec::new();
    let mut settled = Vec::new();
    for o in outcomes {
        match o? {
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Settled(s) => settled.push(s),
            Outcome::Contested(c) => contested.push(*c),
            Outcome::Failed(p, f) => {
                if record_failure(&ctx, &p, &f)? {
                    documents += 1;
                }
                // A failed fetch is already listed from the crawl: one line per URL.
                let listed = f.url.is_some() && report.failed.iter().any(|e| e.url == f.url);
                if !listed {
                    report.failed.push(f);
                }
            }
            Outcome::Skipped(s) => report.skipped.push(s),
        }
    }
    let taken: HashSet<String> = plan.sources.iter().map(|p| p.id.clone()).collect();
    let held: HashMap<String, String> = existing
        .iter()
        .map(|(id, info)| (info.source.clone(), id.clone()))
        .collect();
    for (doc, indexed) in settle_ids(contested, taken, &held) {
        named.insert(doc.info.id.clone());
        settled.push(ctx.settle(doc, indexed)?);
    }
    for s in settled {
        match s {
            Settled::Unchanged => report.unchanged += 1,
            Settled::Written {
                change,
                indexed,
                clause_delta,
            } => {
                if change.state == ChangeState::New {
                    documents += 1;
                }
                clauses = clauses.saturating_add_signed(clause_delta as isize);
                report.changes.push(*change);
                report.indexed.push(indexed);
            }
            Settled::Suspect(s) => report.suspect.push(s),
        }
    }
    for (id, info) in &existing {
        let gone = info
            .origin
            .as_ref()
            .is_some_and(|o| plan.origins.contains(o))
            && !named.contains(id);
        if !gone {
            continue;
        }
        let Some(doc) = snapshot
            .as_ref()
            .map(|s| s.document(id))
            .transpose()?
            .flatten()
        else {
            continue;
        };
        if let Some(b) = &batch {
            b.delete(id);
            ctx.wrote.store(true, Ordering::Relaxed);
        }
        documents -= 1;
        clauses -= doc.clauses.len();
        report.changes.push(removed(&doc));
    }
    let wrote = ctx.wrote.load(Ordering::Relaxed);
    let recorded = ctx.recorded.into_inner().unwrap_or_default();
    let commits = batch.is_some()
        && clause_index.is_some()
        && (wrote || write.as_ref().is_some_and(|w| w.is_new()));
    // The records as they stand after this run, grouped into works once: for the report
    // (where new documents stand) and for the commit (what searches leave out). A run that
    // changes nothing and commits nothing (a nightly update of an unchanged site) needs
    // neither.
    let works = (commits || !report.changes.is_empty()).then(|| {
        let mut all = existing.clone();
        for c in &report.changes {
            if c.state == ChangeState::Removed {
                all.remove(&c.id);
            }
        }
        for info in recorded {
            all.insert(info.id.clone(), info);
        }
        crate::work::Works::group(all.values())
    });
    if let Some(works) = &works {
        place_new_documents(&mut report, works);
    }
    drop(snapshot);
    report.documents = documents;
    report.clauses = clauses;
    if let (Some(b), Some(index), Some(works)) = (batch, clause_index, &works) {
        // A new generation (first run, rebuild) is committed and published even when empty,
        // so that a rebuild of nothing gives an empty index and a first run creates one.
        if commits {
            progress.committing();
            b.commit_with(Some(&works.summary()))?;
            (report.documents, report.clauses) = index.snapshot()?.totals()?;
        }
    }
    if let Some(w) = write {
        w.publish()?;
    }
    report.finish();
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Says, for each new document, which work it joined and as what, by grouping the records as
/// they stand after this run (the index's, with this run's written and removed ones).
fn place_new_documents(report: &mut IngestReport, works: &crate::work::Works) {
    for c in report
        .changes
        .iter_mut()
        .filter(|c| c.state == ChangeState::New)
    {
        let Some((work, version)) = works.of(&c.id) else {
            continue;
        };
        let role = if version.copies.len() > 1 {
            "copy"
        } else if work.versions.len() > 1 {
            "new-version"
        } else {
            "new-work"
        };
        let supersedes =
            if role == "new-version" && version.status == crate::work::VersionStatus::InForce {
                work.versions
                    .iter()
                    .filter(|v| v.status == crate::work::VersionStatus::Superseded)
                    .filter(|v| !v.copies.iter().any(|d| d.doc_id == c.id))
                    .map(|v| v.label.clone())
                    .collect()
            } else {
                Vec::new()
            };
        c.work = Some(WorkPlace {
            work: work.id.clone(),
            version: version.label.clone(),
            status: version.status.name().to_string(),
            role: role.to_string(),
            supersedes,
        });
    }
}

/// A source that failed is kept in the index as a document without clauses that says why,
/// so a coverage report shows it as `unknown` instead of leaving it out. A document indexed
/// before under the same id is left as it was: a bad download never replaces a good text.
/// Returns whether a record was written (or would be, in a dry run).
fn record_failure(ctx: &Run<'_>, p: &Planned, f: &Failure) -> Result<bool, IndexError> {
    if p.contested || ctx.existing.contains_key(&p.id) {
        return Ok(false);
    }
    let path = match &p.location {
        Location::Path(path) => path,
        Location::Url(_) => return Ok(false),
    };
    let format = path
        .extension()
        .and_then(|e| Format::from_extension(&e.to_string_lossy()))
        .unwrap_or(Format::Text);
    let mut info = DocInfo::new(
        p.id.clone(),
        f.source.clone(),
        p.meta.title.clone().unwrap_or_else(|| p.id.clone()),
        format,
        p.meta.language.clone().unwrap_or_else(|| "und".into()),
    );
    info.jurisdiction = p.meta.jurisdiction.clone().unwrap_or_default();
    info.level = p.meta.level.clone().unwrap_or_default();
    info.kind = p.meta.kind.clone().unwrap_or_default();
    info.status = p.meta.status.clone().unwrap_or_default();
    info.year = p.meta.year;
    info.structure = "unreadable".into();
    info.error = Some(f.error.clone());
    info.meta_hash = read::meta_hash(&p.meta);
    info.origin = p.origin.clone();
    info.edition = crate::work::edition(&info.title, &info.jurisdiction, &p.meta, &[], &[]);
    ctx.write(&SegmentedDoc {
        info,
        clauses: Vec::new(),
    })?;
    Ok(true)
}
