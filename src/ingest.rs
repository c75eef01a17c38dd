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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::crawl::{Location, Manifest, ManifestError};
use crate::index::{self, ClauseIndex, IndexBatch, IndexError};
use crate::model::{
    doc_id_from_path, BlockKind, DocInfo, Document, Format, SegmentedDoc, SourceMeta,
};
use crate::parse::{self, Input, Limits, ParseErrorKind};
use crate::segment;

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

/// One source to process.
#[derive(Debug, Clone)]
struct Planned {
    location: Location,
    meta: SourceMeta,
    /// From a manifest `id`, else from the file name; unique within the run.
    id: String,
    /// From a manifest: its id is a contract, so it wins a collision.
    from_manifest: bool,
    /// Another source of this run has the same id: the id is settled after parsing, among the
    /// sources that parsed.
    contested: bool,
}

impl Planned {
    fn display(&self) -> String {
        match &self.location {
            Location::Path(p) => p.display().to_string(),
            Location::Url(u) => u.clone(),
        }
    }
}

enum Outcome {
    Indexed(DocumentReport),
    /// Parsed and segmented, waiting for its id to be settled.
    Contested(Box<(Planned, SegmentedDoc, DocumentReport)>),
    Failed(Planned, Failure),
    Skipped(Skipped),
}

/// What reading one source gave, before any indexing.
enum Read {
    Parsed(Box<SegmentedDoc>, DocumentReport),
    Failed(Failure),
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

/// Expands the inputs into sources with unique ids.
fn plan(
    inputs: &[PathBuf],
    failures: &mut Vec<Failure>,
    skipped: &mut Vec<Skipped>,
) -> Result<Vec<Planned>, IngestError> {
    let mut out = Vec::new();
    for input in inputs {
        let meta = match std::fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                failures.push(Failure {
                    source: input.display().to_string(),
                    error: e.to_string(),
                });
                continue;
            }
        };
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(input, &mut files, skipped);
            files.sort();
            let sidecar = read_sidecar(input);
            for path in files {
                let rel = path
                    .strip_prefix(input)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let mut planned = from_path(path);
                if let Some(meta) = sidecar.get(&rel) {
                    if let Some(id) = &meta.id {
                        planned.id = id.clone();
                    }
                    planned.meta = meta.clone();
                }
                out.push(planned);
            }
        } else if is_manifest(input) {
            let manifest = Manifest::load(input)?;
            for s in manifest.sources {
                out.push(Planned {
                    id: s.meta.id.clone().unwrap_or_default(),
                    location: s.location,
                    meta: s.meta,
                    from_manifest: true,
                    contested: false,
                });
            }
        } else {
            out.push(from_path(input.clone()));
        }
    }
    dedupe_inputs(&mut out);
    mark_contested(&mut out);
    Ok(out)
}

fn is_manifest(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

fn from_path(path: PathBuf) -> Planned {
    Planned {
        id: doc_id_from_path(&path),
        location: Location::Path(path),
        meta: SourceMeta::default(),
        from_manifest: false,
        contested: false,
    }
}

/// `SOURCES.tsv` at the top of a directory: relative path → metadata, for corpora that keep
/// their metadata in a table instead of a manifest. The header names the columns: `path`
/// (required, relative to the directory) and any of `id`, `title`, `jurisdiction`, `level`,
/// `kind`, `language`, `status`, `year`. A missing or malformed table gives no metadata
/// rather than an error: it only enriches what the files say.
fn read_sidecar(dir: &Path) -> HashMap<String, SourceMeta> {
    let mut out = HashMap::new();
    let Ok(text) = std::fs::read_to_string(dir.join("SOURCES.tsv")) else {
        return out;
    };
    let mut lines = text.lines();
    let Some(header) = lines.next() else {
        return out;
    };
    let cols: Vec<&str> = header.split('\t').map(str::trim).collect();
    let col = |name: &str| cols.iter().position(|c| *c == name);
    let Some(path_col) = col("path") else {
        return out;
    };
    let get = |fields: &[&str], name: &str| {
        col(name)
            .and_then(|i| fields.get(i))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let Some(path) = fields.get(path_col) else {
            continue;
        };
        let meta = SourceMeta {
            id: get(&fields, "id"),
            title: get(&fields, "title"),
            jurisdiction: get(&fields, "jurisdiction"),
            level: get(&fields, "level"),
            kind: get(&fields, "kind"),
            language: get(&fields, "language"),
            status: get(&fields, "status"),
            year: get(&fields, "year").and_then(|y| y.parse().ok()),
            select: None,
        };
        out.insert(path.trim().to_string(), meta);
    }
    out
}

/// The regular files under `dir`, recursively, sorted, hidden entries left out; what could
/// not be read (a directory without permission, a link to a directory) comes back as skipped.
pub fn files_under(dir: &Path) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    walk(dir, &mut files, &mut skipped);
    files.sort();
    (files, skipped)
}

/// Collects regular files under `dir`, skipping hidden entries. Symbolic links to directories
/// are not followed (they can loop); they are reported as skipped.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            skipped.push(Skipped {
                source: dir.display().to_string(),
                reason: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files, skipped);
        } else if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => files.push(path),
                Ok(_) => skipped.push(Skipped {
                    source: path.display().to_string(),
                    reason: "symbolic link to a directory, not followed".into(),
                }),
                Err(e) => skipped.push(Skipped {
                    source: path.display().to_string(),
                    reason: format!("broken symbolic link: {e}"),
                }),
            }
        } else if kind.is_file() {
            files.push(path);
        }
    }
}

/// The same file given twice (as a file and inside a directory) is processed once.
fn dedupe_inputs(planned: &mut Vec<Planned>) {
    let mut seen = HashSet::new();
    planned.retain(|p| match &p.location {
        Location::Path(path) => {
            let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            seen.insert((key, p.id.clone(), p.from_manifest))
        }
        Location::Url(_) => true,
    });
}

fn mark_contested(planned: &mut [Planned]) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for p in planned.iter() {
        *count.entry(p.id.clone()).or_insert(0) += 1;
    }
    for p in planned.iter_mut() {
        p.contested = count.get(&p.id).is_some_and(|&n| n > 1);
    }
}

/// Two sources with the same id would replace each other. Manifest ids win; among path-derived
/// ids the first in path order keeps the id and the others get `-{format}` (then `-2`, `-3`…),
/// e.g. `public-library-law-2018` (.html) and `public-library-law-2018-markdown`. Only sources
/// that parsed take part, so a file that fails does not push its twin to another id.
fn settle_ids(
    mut contested: Vec<(Planned, SegmentedDoc, DocumentReport)>,
    mut taken: HashSet<String>,
) -> Vec<(SegmentedDoc, DocumentReport)> {
    contested.sort_by(|(a, ..), (b, ..)| {
        a.id.cmp(&b.id)
            .then_with(|| b.from_manifest.cmp(&a.from_manifest))
            .then_with(|| a.display().cmp(&b.display()))
    });
    let mut out = Vec::with_capacity(contested.len());
    let mut previous: Option<String> = None;
    for (p, mut doc, mut report) in contested {
        if previous.as_deref() != Some(p.id.as_str()) {
            // The first of its group keeps the id.
            previous = Some(p.id.clone());
            out.push((doc, report));
            continue;
        }
        let format = doc.info.format.name();
        let mut id = format!("{}-{format}", p.id);
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{}-{format}-{n}", p.id);
            n += 1;
        }
        taken.insert(id.clone());
        rename(&mut doc, &id);
        report.warnings.insert(
            0,
            format!(
                "id `{}` is taken by another input of this run; indexed as `{id}`",
                p.id
            ),
        );
        report.id = id;
        out.push((doc, report));
    }
    out
}

/// Changes a segmented document's id, and the clause ids built on it.
fn rename(doc: &mut SegmentedDoc, id: &str) {
    let old = std::mem::replace(&mut doc.info.id, id.to_string());
    for c in &mut doc.clauses {
        c.doc_id = id.to_string();
        if let Some(rest) = c.id.0.strip_prefix(old.as_str()) {
            c.id = crate::model::ClauseId(format!("{id}{rest}"));
        }
    }
}

/// Files that sit beside laws in a corpus but are not laws. In a directory walk they are
/// skipped (and reported) when they do not parse into clauses.
fn is_non_law_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or("");
    matches!(
        name.as_str(),
        "sources.tsv" | "sha256sums" | "sha1sums" | "md5sums" | "_index.md"
    ) || matches!(
        stem,
        "readme" | "license" | "licence" | "copying" | "changelog" | "notice" | "authors"
    ) || name.ends_with(".tsv")
        || name.ends_with(".csv")
        // Manifests are read when given as inputs, not when met in a walk.
        || name.ends_with(".toml")
}

/// What a file plainly is, by its extension, when that is not a law text: source code, images,
/// archives, data, executables. One rule for files walked and files named (issue 9): they
/// are skipped with this reason, never indexed as a document of gibberish; a manifest entry
/// naming one fails, since a manifest promises a law.
fn plainly_not_law(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "py" | "pyc" | "ipynb" | "rs" | "js" | "mjs" | "ts" | "sh" | "bash" | "rb" | "pl"
        | "go" | "c" | "h" | "cc" | "cpp" | "hpp" | "java" | "kt" | "php" | "r" | "lua"
        | "swift" | "cs" | "scala" | "sql" => "source code",
        "png" | "jpg" | "jpeg" | "gif" | "bmp" | "svg" | "webp" | "tif" | "tiff" | "ico"
        | "heic" => "an image",
        "zip" | "tar" | "gz" | "tgz" | "bz2" | "xz" | "zst" | "7z" | "rar" => "an archive",
        "parquet" | "sqlite" | "db" | "npy" | "npz" | "pkl" | "pickle" | "arrow" | "feather"
        | "xlsx" | "xls" => "a data file",
        "exe" | "dll" | "so" | "dylib" | "o" | "a" | "class" | "jar" | "wasm" => "a program",
        "mp3" | "mp4" | "wav" | "avi" | "mov" | "mkv" | "flac" | "ogg" => "audio or video",
        _ => return None,
    })
}

/// Parses and segments one source.
fn read(p: &Planned, limits: &Limits) -> Read {
    let source = p.display();
    let path = match &p.location {
        Location::Url(_) => {
            return Read::Failed(Failure {
                source,
                error: "crawling not implemented in this version; download the file and give \
                        its `path` in the manifest"
                    .into(),
            })
        }
        Location::Path(path) => path,
    };
    if let Some(what) = plainly_not_law(path) {
        let reason = format!("not a law text ({what}, by its extension)");
        return if p.from_manifest {
            Read::Failed(Failure {
                source,
                error: reason,
            })
        } else {
            Read::Skipped(Skipped { source, reason })
        };
    }
    let parsed = match &p.meta.select {
        None => parse::parse_file(path, limits),
        Some(select) => std::fs::read(path)
            .map_err(|e| parse::ParseError::new(&source, e.into()))
            .and_then(|bytes| {
                parse::parse_bytes(
                    Input {
                        source: &source,
                        bytes: &bytes,
                        content_type: None,
                        select: Some(select),
                    },
                    limits,
                )
            }),
    };
    let mut doc = match parsed {
        Ok(d) => d,
        Err(e) => {
            // Walked or named alike: bytes that are no format lawdex reads are not a law.
            if !p.from_manifest
                && (is_non_law_name(path) || matches!(e.kind, ParseErrorKind::Unrecognized(_)))
            {
                return Read::Skipped(Skipped {
                    source,
                    reason: e.kind.to_string(),
                });
            }
            return Read::Failed(Failure {
                source,
                error: e.kind.to_string(),
            });
        }
    };
    doc.id = p.id.clone();
    if let Some(lang) = &p.meta.language {
        doc.language = Some(lang.clone());
    }
    let segmented = match catch_unwind(AssertUnwindSafe(|| segment::segment(&doc))) {
        Ok(s) => s,
        Err(_) => {
            return Read::Failed(Failure {
                source,
                error: "internal error in the segmenter".into(),
            })
        }
    };
    if !p.from_manifest && is_non_law_name(path) && segmented.clauses.is_empty() {
        return Read::Skipped(Skipped {
            source,
            reason: "not a law (no articles found in a README-like file)".into(),
        });
    }
    let info = doc_info(&doc, &segmented, &p.meta, path);
    let mut warnings = doc.warnings.clone();
    warnings.extend(segmented.warnings.iter().cloned());
    let report = DocumentReport {
        id: info.id.clone(),
        source: info.source.clone(),
        title: info.title.clone(),
        format: info.format,
        structure: info.structure.clone(),
        clauses: segmented.clauses.len(),
        year: info.year,
        warnings,
    };
    let doc = SegmentedDoc {
        info,
        clauses: segmented.clauses,
    };
    Read::Parsed(Box::new(doc), report)
}

/// Merges what the manifest says with what the parser and segmenter found; the manifest wins.
pub fn doc_info(
    doc: &Document,
    segmented: &segment::Segmented,
    meta: &SourceMeta,
    path: &Path,
) -> DocInfo {
    let title = meta
        .title
        .clone()
        .or_else(|| doc.title.clone().filter(|t| !t.trim().is_empty()))
        .or_else(|| {
            doc.blocks
                .iter()
                .find(|b| b.kind == BlockKind::Title && !b.text.trim().is_empty())
                .map(|b| b.text.trim().to_string())
        })
        .unwrap_or_else(|| doc.id.clone());
    let year = meta
        .year
        .or_else(|| {
            year_from_name(
                &path
                    .file_stem()
                    .map(|s| s.to_string_lossy())
                    .unwrap_or_default(),
            )
        })
        .or_else(|| {
            let meta_blocks = doc
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Meta)
                .map(|b| b.text.as_str());
            let preamble = segmented.preamble.iter().map(String::as_str);
            preamble.chain(meta_blocks).filter_map(year_from_text).max()
        });
    DocInfo {
        id: doc.id.clone(),
        source: doc.source.clone(),
        title,
        format: doc.format,
        language: meta
            .language
            .clone()
            .or_else(|| doc.language.clone())
            .unwrap_or_else(|| "und".to_string()),
        jurisdiction: meta.jurisdiction.clone().unwrap_or_default(),
        level: meta.level.clone().unwrap_or_default(),
        kind: meta.kind.clone().unwrap_or_default(),
        status: meta.status.clone().unwrap_or_default(),
        year,
        structure: segmented.structure.name().to_string(),
        preamble: segmented.preamble.clone(),
        error: None,
    }
}

fn plausible_year(y: i32) -> bool {
    (1900..=2100).contains(&y)
}

/// The latest plausible year written as four separate digits in a file name:
/// `公共图书馆法(2018-10-26)` and `public-library-law-2018` give 2018, `hr2740-rh-2019` 2019.
pub fn year_from_name(name: &str) -> Option<i32> {
    let mut best = None;
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                if let Ok(y) = name[start..i].parse::<i32>() {
                    if plausible_year(y) {
                        best = best.max(Some(y));
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    best
}

/// The latest year of a Chinese date in the text (`2018年10月26日`, `二〇一八年`).
pub fn year_from_text(text: &str) -> Option<i32> {
    let mut best = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c != '年' || i < 4 {
            continue;
        }
        let digits = &chars[i - 4..i];
        let value = if digits.iter().all(|d| d.is_ascii_digit()) {
            digits.iter().collect::<String>().parse().ok()
        } else if digits.iter().all(|d| "〇零一二三四五六七八九".contains(*d)) {
            let s: String = digits.iter().collect();
            crate::model::from_chinese(&s).and_then(|n| i32::try_from(n).ok())
        } else {
            None
        };
        // A fifth digit before means this is not a year ("12018年").
        let longer = i >= 5 && chars[i - 5].is_ascii_digit();
        if let Some(y) = value.filter(|y| plausible_year(*y) && !longer) {
            best = best.max(Some(y));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_from_file_names() {
        assert_eq!(year_from_name("公共图书馆法(2018-10-26)"), Some(2018));
        assert_eq!(year_from_name("public-library-law-2018"), Some(2018));
        assert_eq!(year_from_name("hr2740-rh-2019-labor"), Some(2019));
        assert_eq!(year_from_name("usc-title20-ch72"), None);
        assert_eq!(year_from_name("law-1998-amended-2018"), Some(2018));
    }

    #[test]
    fn years_from_chinese_dates() {
        let p = "2017年11月4日第十二届全国人民代表大会常务委员会第三十次会议通过 根据2018年10月26日…修正";
        assert_eq!(year_from_text(p), Some(2018));
        assert_eq!(year_from_text("二〇一五年二月九日"), Some(2015));
        assert_eq!(year_from_text("第12018年"), None);
        assert_eq!(year_from_text("no date"), None);
    }

    fn parsed(path: &str, format: Format) -> (Planned, SegmentedDoc, DocumentReport) {
        let mut p = from_path(PathBuf::from(path));
        p.contested = true;
        let id = p.id.clone();
        let clause: crate::model::Clause = serde_json::from_value(serde_json::json!({
            "id": format!("{id}/art1"), "doc_id": id, "ordinal": 1, "kind": "article",
            "label": "第一条", "number": null, "headings": [], "paragraphs": ["内容。"],
            "text": "内容。"
        }))
        .unwrap();
        let info = DocInfo {
            id: id.clone(),
            source: path.into(),
            title: "法".into(),
            format,
            language: "zh-Hans".into(),
            jurisdiction: String::new(),
            level: String::new(),
            kind: String::new(),
            status: String::new(),
            year: None,
            structure: "articles".into(),
            preamble: Vec::new(),
            error: None,
        };
        let report = DocumentReport {
            id: id.clone(),
            source: path.into(),
            title: "法".into(),
            format,
            structure: "articles".into(),
            clauses: 1,
            year: None,
            warnings: Vec::new(),
        };
        (
            p,
            SegmentedDoc {
                info,
                clauses: vec![clause],
            },
            report,
        )
    }

    #[test]
    fn colliding_ids_get_the_format_appended_in_path_order() {
        let taken: HashSet<String> = ["law-2018".to_string()].into();
        let settled = settle_ids(
            vec![
                parsed("d/law-2018.md", Format::Markdown),
                parsed("d/law-2018.html", Format::Html),
            ],
            taken.clone(),
        );
        // "law-2018.html" sorts before "law-2018.md": the HTML file keeps the plain id.
        assert_eq!(settled[0].0.info.id, "law-2018");
        assert_eq!(settled[1].0.info.id, "law-2018-markdown");
        assert_eq!(
            settled[1].0.clauses[0].id.as_str(),
            "law-2018-markdown/art1"
        );
        assert_eq!(settled[1].0.clauses[0].doc_id, "law-2018-markdown");
        assert!(settled[1].1.warnings[0].contains("law-2018-markdown"));
        // A twin that failed to parse takes no id: the one that parsed keeps it.
        let alone = settle_ids(vec![parsed("d/law-2018.md", Format::Markdown)], taken);
        assert_eq!(alone[0].0.info.id, "law-2018");
    }

    #[test]
    fn non_law_names() {
        for n in [
            "SOURCES.tsv",
            "SHA256SUMS",
            "README.md",
            "LICENSE",
            "_index.md",
        ] {
            assert!(is_non_law_name(Path::new(n)), "{n}");
        }
        assert!(!is_non_law_name(Path::new("public-library-law-2018.md")));
    }
}
