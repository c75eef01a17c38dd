//! The pipeline: inputs → parse → segment → index, with one writer and one atomic commit.
//!
//! Steps, in order:
//! 1. plan: expand inputs (files, directories walked recursively, manifests) into sources,
//!    each with its document id; ids that collide within the run are made unique;
//! 2. parse and segment every source in parallel (rayon), handing each document to the one
//!    index writer as soon as it is ready (replace by id: delete, then add);
//! 3. commit once. An error of one document is recorded in the report and never stops the
//!    batch; an error of the index itself stops it before the commit, so the previous commit
//!    stays intact.
//!
//! `lawdex index` (and later `lawdex update`) are thin calls of [`ingest`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::crawl::{Location, ManifestError};
use crate::index::{self, ClauseIndex, IndexBatch, IndexError};
use crate::model::{DocInfo, Format, SegmentedDoc};
use crate::parse::Limits;

mod plan;
mod read;

pub use plan::files_under;
pub use read::{doc_info, year_from_name, year_from_text};

use plan::{plan, settle_ids, Planned};
use read::{read, Read};

/// How to run an ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub limits: Limits,
    /// Delete the existing index first (needed after a schema change).
    pub rebuild: bool,
}

/// Receives progress while documents are processed (the CLI draws a bar with it).
pub trait Progress: Sync {
    /// The number of sources about to be processed.
    fn start(&self, _total: usize) {}
    /// One source is done (indexed, failed or skipped).
    fn advance(&self, _source: &str) {}
    /// Everything is processed; the commit follows.
    fn committing(&self) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {}

/// What happened to one indexed document.
#[derive(Debug, Clone, serde::Serialize)]
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
#[derive(Debug, Clone, serde::Serialize)]
pub struct Failure {
    pub source: String,
    pub error: String,
}

/// A file met in a directory walk that is not a law (README, checksums, images…).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    pub source: String,
    pub reason: String,
}

/// The outcome of an ingest.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IngestReport {
    pub index_dir: PathBuf,
    /// Indexed documents, sorted by id.
    pub documents: Vec<DocumentReport>,
    pub failures: Vec<Failure>,
    pub skipped: Vec<Skipped>,
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

impl IngestReport {
    /// Clauses indexed in this run.
    pub fn clauses(&self) -> usize {
        self.documents.iter().map(|d| d.clauses).sum()
    }

    /// Documents by structure name, e.g. `{"articles": 33, "unstructured": 2}`.
    pub fn structures(&self) -> BTreeMap<&str, usize> {
        let mut m = BTreeMap::new();
        for d in &self.documents {
            *m.entry(d.structure.as_str()).or_insert(0) += 1;
        }
        m
    }
}

/// Errors that stop an ingest before its commit.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

enum Outcome {
    Indexed(DocumentReport),
    /// Parsed and segmented, waiting for its id to be settled.
    Contested(Box<(Planned, SegmentedDoc, DocumentReport)>),
    Failed(Planned, Failure),
    Skipped(Skipped),
}

/// Documents parsed and segmented from files, directories and manifests, without an index:
/// what `lawdex gaps --corpus` and `--draft` read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sorted by id; ids are unique (a clash gets `-{format}` as in [`ingest`]).
    pub documents: Vec<SegmentedDoc>,
    pub failures: Vec<Failure>,
    pub skipped: Vec<Skipped>,
}

/// Parses and segments `inputs` like [`ingest`] does (same ids, same metadata, same
/// failures), in parallel, and returns the documents instead of indexing them.
pub fn load(inputs: &[PathBuf], limits: &Limits) -> Result<Loaded, IngestError> {
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    let planned = plan(inputs, &mut failures, &mut skipped)?;
    let reads: Vec<(Planned, Read)> = planned
        .into_par_iter()
        .map(|p| {
            let r = read(&p, limits);
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
            Read::Parsed(doc, _) => documents.push(*doc),
            Read::Failed(f) => failures.push(f),
            Read::Skipped(s) => skipped.push(s),
        }
    }
    documents.extend(settle_ids(contested, taken).into_iter().map(|(d, _)| d));
    documents.sort_by(|a, b| a.info.id.cmp(&b.info.id));
    failures.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(Loaded {
        documents,
        failures,
        skipped,
    })
}

/// A source that failed is kept in the index as a document without clauses that says why,
/// so a coverage report shows it as `unknown` instead of leaving it out. A document indexed
/// before under the same id is left as it was: a bad download never replaces a good text.
fn record_failure(
    index: &ClauseIndex,
    batch: &IndexBatch<'_>,
    p: &Planned,
    f: &Failure,
) -> Result<(), IndexError> {
    if p.contested || matches!(p.location, Location::Url(_)) || index.document(&p.id)?.is_some() {
        return Ok(());
    }
    let path = match &p.location {
        Location::Path(path) => path,
        Location::Url(_) => return Ok(()),
    };
    let format = path
        .extension()
        .and_then(|e| Format::from_extension(&e.to_string_lossy()))
        .unwrap_or(Format::Text);
    let info = DocInfo {
        id: p.id.clone(),
        source: f.source.clone(),
        title: p.meta.title.clone().unwrap_or_else(|| p.id.clone()),
        format,
        language: p.meta.language.clone().unwrap_or_else(|| "und".into()),
        jurisdiction: p.meta.jurisdiction.clone().unwrap_or_default(),
        level: p.meta.level.clone().unwrap_or_default(),
        kind: p.meta.kind.clone().unwrap_or_default(),
        status: p.meta.status.clone().unwrap_or_default(),
        year: p.meta.year,
        structure: "unreadable".into(),
        preamble: Vec::new(),
        error: Some(f.error.clone()),
    };
    batch.replace(&SegmentedDoc {
        info,
        clauses: Vec::new(),
    })
}

/// Parses, segments and indexes `inputs` (files, directories, manifests) into the index
/// under `data_dir`, replacing documents that were indexed before under the same ids.
pub fn ingest(
    inputs: &[PathBuf],
    data_dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    let planned = plan(inputs, &mut failures, &mut skipped)?;

    let dir = index::index_dir(data_dir);
    if options.rebuild {
        ClauseIndex::remove(&dir)?;
    }
    let clause_index = ClauseIndex::open_or_create(&dir)?;
    let batch = clause_index.batch()?;
    progress.start(planned.len());
    let outcomes: Vec<Result<Outcome, IndexError>> = planned
        .par_iter()
        .map(|p| {
            let outcome = match read(p, &options.limits) {
                Read::Parsed(doc, report) if p.contested => {
                    Ok(Outcome::Contested(Box::new((p.clone(), *doc, report))))
                }
                Read::Parsed(doc, report) => batch.replace(&doc).map(|()| Outcome::Indexed(report)),
                Read::Failed(f) => Ok(Outcome::Failed(p.clone(), f)),
                Read::Skipped(s) => Ok(Outcome::Skipped(s)),
            };
            progress.advance(&p.display());
            outcome
        })
        .collect();
    let mut documents = Vec::new();
    let mut contested = Vec::new();
    for o in outcomes {
        match o? {
            Outcome::Indexed(d) => documents.push(d),
            Outcome::Contested(c) => contested.push(*c),
            Outcome::Failed(p, f) => {
                record_failure(&clause_index, &batch, &p, &f)?;
                failures.push(f);
            }
            Outcome::Skipped(s) => skipped.push(s),
        }
    }
    let taken: HashSet<String> = planned.iter().map(|p| p.id.clone()).collect();
    for (doc, report) in settle_ids(contested, taken) {
        batch.replace(&doc)?;
        documents.push(report);
    }
    progress.committing();
    batch.commit()?;
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    failures.sort_by(|a, b| a.source.cmp(&b.source));
    skipped.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(IngestReport {
        index_dir: dir,
        documents,
        failures,
        skipped,
        elapsed: started.elapsed(),
    })
}
