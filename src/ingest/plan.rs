//! Planning: inputs (files, directories, manifests) → sources with unique document ids.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::report::{DocumentReport, Failure, Skipped};
use super::IngestError;
use crate::crawl::{self, CrawlOutcome, CrawlReport, Location, Manifest};
use crate::model::{doc_id_from_path, DocOrigin, SegmentedDoc, SourceMeta};

/// Where a source's bytes come from.
#[derive(Debug, Clone)]
pub(super) enum Body {
    /// Read the file at the source's path.
    File,
    /// Bytes the crawl keeps in its store.
    Stored {
        path: PathBuf,
        content_type: Option<String>,
        /// blake3 of the bytes, as the crawl computed it.
        hash: String,
    },
    /// The crawl could not fetch it; the one-line reason.
    FetchFailed(String),
}

/// The sources of one run, and what the run may remove.
#[derive(Debug, Default)]
pub(super) struct Plan {
    pub sources: Vec<Planned>,
    /// Origins read completely in this run: an indexed document of one of them that the run
    /// did not name is gone from its origin.
    pub origins: HashSet<DocOrigin>,
    /// Ids named in this run besides the sources' own (manifest `url` sources the crawl did
    /// not list, e.g. robots-disallowed): never removed.
    pub named: HashSet<String>,
}

/// One source to process.
#[derive(Debug, Clone)]
pub(super) struct Planned {
    pub location: Location,
    pub meta: SourceMeta,
    /// From a manifest `id`, else from the file name; unique within the run.
    pub id: String,
    /// From a manifest: its id is a contract, so it wins a collision.
    pub from_manifest: bool,
    /// Another source of this run has the same id: the id is settled after parsing, among the
    /// sources that parsed.
    pub contested: bool,
    /// The directory, manifest or listing that named it; `None` for a file given alone.
    pub origin: Option<DocOrigin>,
    pub body: Body,
}

impl Planned {
    pub fn display(&self) -> String {
        match &self.location {
            Location::Path(p) => p.display().to_string(),
            Location::Url(u) => u.clone(),
        }
    }
}

/// The canonical form of a path, for comparing origins across runs; the path as given when it
/// cannot be resolved.
pub(super) fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A crawl origin as a document records it.
pub(super) fn doc_origin(o: &crawl::Origin) -> DocOrigin {
    match &o.listing {
        None => DocOrigin::Manifest {
            path: o.manifest.clone(),
        },
        Some(l) => DocOrigin::Listing {
            manifest: o.manifest.clone(),
            listing: l.clone(),
        },
    }
}

/// Expands the inputs into sources with unique ids.
pub(super) fn plan(
    inputs: &[PathBuf],
    failures: &mut Vec<Failure>,
    skipped: &mut Vec<Skipped>,
) -> Result<Plan, IngestError> {
    let mut out = Vec::new();
    let mut origins = HashSet::new();
    for input in inputs {
        let meta = match std::fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                failures.push(Failure::new(input.display().to_string(), e.to_string()));
                continue;
            }
        };
        if meta.is_dir() {
            let mut files = Vec::new();
            let origin = DocOrigin::Directory {
                path: canonical(input),
            };
            // A subdirectory that could not be read hides files that may still be there:
            // such a walk removes nothing.
            if walk(input, &mut files, skipped) {
                origins.insert(origin.clone());
            }
            files.sort();
            let sidecar = read_sidecar(input);
            for path in files {
                let rel = path
                    .strip_prefix(input)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let mut planned = from_path(path);
                planned.origin = Some(origin.clone());
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
            let origin = DocOrigin::Manifest {
                path: canonical(input),
            };
            origins.insert(origin.clone());
            for s in manifest.sources {
                out.push(from_manifest(s, &origin));
            }
        } else {
            out.push(from_path(input.clone()));
        }
    }
    dedupe_inputs(&mut out);
    mark_contested(&mut out);
    Ok(Plan {
        sources: out,
        origins,
        named: HashSet::new(),
    })
}

fn from_manifest(s: crawl::ManifestSource, origin: &DocOrigin) -> Planned {
    Planned {
        id: s.meta.id.clone().unwrap_or_default(),
        location: s.location,
        meta: s.meta,
        from_manifest: true,
        contested: false,
        origin: Some(origin.clone()),
        body: Body::File,
    }
}

/// The sources of `lawdex update`: the manifests' local `path` sources, and every document
/// the crawl fetched or failed to fetch (its bytes in the store). Origins that the crawl could
/// not read completely remove nothing.
pub(super) fn plan_update(manifests: &[Manifest], crawled: &CrawlReport) -> Plan {
    let mut out = Vec::new();
    let mut origins = HashSet::new();
    let mut named = HashSet::new();
    for m in manifests {
        let path = canonical(&m.path);
        let origin = DocOrigin::Manifest { path: path.clone() };
        origins.insert(origin.clone());
        for l in &m.listings {
            origins.insert(DocOrigin::Listing {
                manifest: path.clone(),
                listing: l.id.clone(),
            });
        }
        for s in &m.sources {
            match &s.location {
                Location::Path(_) => out.push(from_manifest(s.clone(), &origin)),
                Location::Url(_) => {
                    named.extend(s.meta.id.clone());
                }
            }
        }
    }
    for o in &crawled.incomplete {
        origins.remove(&doc_origin(o));
    }
    let mut seen = HashSet::new();
    for (origin, doc) in &crawled.documents {
        let Some(id) = doc.meta.id.clone().filter(|id| !id.is_empty()) else {
            continue;
        };
        // Two listings naming one URL give one document, the first.
        if !seen.insert(id.clone()) {
            continue;
        }
        let body = match &doc.outcome {
            CrawlOutcome::Stored(b) => Body::Stored {
                path: b.path.clone(),
                content_type: b.content_type.clone(),
                hash: b.hash.clone(),
            },
            CrawlOutcome::Failed { error } => Body::FetchFailed(error.clone()),
            // Skipped on purpose: named, so it stays as it is; nothing to read.
            CrawlOutcome::Kept { .. } => {
                named.insert(id);
                continue;
            }
        };
        out.push(Planned {
            id,
            location: Location::Url(doc.url.clone()),
            meta: doc.meta.clone(),
            from_manifest: true,
            contested: false,
            origin: Some(doc_origin(origin)),
            body,
        });
    }
    dedupe_inputs(&mut out);
    mark_contested(&mut out);
    Plan {
        sources: out,
        origins,
        named,
    }
}

fn is_manifest(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

pub(super) fn from_path(path: PathBuf) -> Planned {
    Planned {
        id: doc_id_from_path(&path),
        location: Location::Path(path),
        meta: SourceMeta::default(),
        from_manifest: false,
        contested: false,
        origin: None,
        body: Body::File,
    }
}

/// `SOURCES.tsv` at the top of a directory: relative path → metadata, for corpora that keep
/// their metadata in a table instead of a manifest. The header names the columns: `path`
/// (required, relative to the directory) and any of `id`, `title`, `jurisdiction`, `level`,
/// `kind`, `language`, `status`, `year`. A missing or malformed table gives no metadata
/// rather than an error: it only enriches what the files say.
fn read_sidecar(dir: &Path) -> HashMap<String, SourceMeta> {
    let mut out = HashMap::new();
    // Tab-separated with a header and no quoting: a `"` in a title is text.
    let Ok(mut table) = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(dir.join("SOURCES.tsv"))
    else {
        return out;
    };
    let Ok(header) = table.headers().cloned() else {
        return out;
    };
    let col = |name: &str| header.iter().position(|c| c == name);
    let Some(path_col) = col("path") else {
        return out;
    };
    let get = |row: &csv::StringRecord, name: &str| {
        col(name)
            .and_then(|i| row.get(i))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    for row in table.records().map_while(Result::ok) {
        let Some(path) = row.get(path_col).filter(|p| !p.is_empty()) else {
            continue;
        };
        let meta = SourceMeta {
            id: get(&row, "id"),
            title: get(&row, "title"),
            jurisdiction: get(&row, "jurisdiction"),
            level: get(&row, "level"),
            kind: get(&row, "kind"),
            language: get(&row, "language"),
            status: get(&row, "status"),
            year: get(&row, "year").and_then(|y| y.parse().ok()),
            work: get(&row, "work"),
            version: get(&row, "version"),
            ..SourceMeta::default()
        };
        out.insert(path.to_string(), meta);
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
/// are not followed (they can loop); they are reported as skipped. False when some directory
/// or entry could not be read (the walk may have missed files).
fn walk(dir: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) -> bool {
    let mut complete = true;
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        // The root is walked even when its own name starts with '.'.
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                complete = false;
                let at = e.path().unwrap_or(dir).display().to_string();
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                skipped.push(Skipped::new(at, format!("cannot read directory: {why}")));
                continue;
            }
        };
        let kind = entry.file_type();
        let path = entry.path();
        if kind.is_symlink() {
            match std::fs::metadata(path) {
                Ok(m) if m.is_file() => files.push(path.to_path_buf()),
                Ok(_) => skipped.push(Skipped::new(
                    path.display().to_string(),
                    "symbolic link to a directory, not followed".into(),
                )),
                Err(e) => skipped.push(Skipped::new(
                    path.display().to_string(),
                    format!("broken symbolic link: {e}"),
                )),
            }
        } else if kind.is_file() {
            files.push(path.to_path_buf());
        }
    }
    complete
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
///
/// A source the index already holds keeps the id it has there (`indexed`: source → id), so a
/// new file of the same name (coll/0/law.md beside coll/a/law.md) never moves another law to
/// a new id, and stored citations keep pointing where they did.
pub(super) fn settle_ids(
    mut contested: Vec<(Planned, SegmentedDoc, DocumentReport)>,
    mut taken: HashSet<String>,
    indexed: &HashMap<String, String>,
) -> Vec<(SegmentedDoc, DocumentReport)> {
    let held = |p: &Planned| indexed.get(&p.display()).is_some_and(|id| *id == p.id);
    contested.sort_by(|(a, ..), (b, ..)| {
        a.id.cmp(&b.id)
            .then_with(|| b.from_manifest.cmp(&a.from_manifest))
            .then_with(|| held(b).cmp(&held(a)))
            .then_with(|| a.display().cmp(&b.display()))
    });
    // Ids the index gives to sources of this run are theirs alone.
    taken.extend(
        contested
            .iter()
            .filter_map(|(p, ..)| indexed.get(&p.display()).cloned()),
    );
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
        let before = indexed
            .get(&p.display())
            .filter(|id| id.starts_with(&format!("{}-", p.id)));
        let id = match before {
            Some(id) => id.clone(),
            None => {
                let mut id = format!("{}-{format}", p.id);
                let mut n = 2;
                while taken.contains(&id) {
                    id = format!("{}-{format}-{n}", p.id);
                    n += 1;
                }
                id
            }
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocInfo, Format};

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
        let info = DocInfo::new(id.clone(), path, "法", format, "zh-Hans");
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
            &HashMap::new(),
        );
        // "law-2018.html" sorts before "law-2018.md": the HTML file keeps the plain id.
        assert_eq!(settled[0].0.info.id, "law-2018");
        assert_eq!(settled[1].0.info.id, "law-2018-markdown");
        // Sources the index holds keep their ids there, whatever sorts first now.
        let indexed: HashMap<String, String> = [
            ("d/law-2018.md".to_string(), "law-2018".to_string()),
            ("d/law-2018.html".to_string(), "law-2018-html-2".to_string()),
        ]
        .into();
        let again = settle_ids(
            vec![
                parsed("d/law-2018.md", Format::Markdown),
                parsed("d/law-2018.html", Format::Html),
            ],
            taken.clone(),
            &indexed,
        );
        let ids: Vec<(&str, &str)> = again
            .iter()
            .map(|(d, _)| (d.info.source.as_str(), d.info.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("d/law-2018.md", "law-2018"),
                ("d/law-2018.html", "law-2018-html-2")
            ]
        );
        assert_eq!(
            settled[1].0.clauses[0].id.as_str(),
            "law-2018-markdown/art1"
        );
        assert_eq!(settled[1].0.clauses[0].doc_id, "law-2018-markdown");
        assert!(settled[1].1.warnings[0].contains("law-2018-markdown"));
        // A twin that failed to parse takes no id: the one that parsed keeps it.
        let alone = settle_ids(
            vec![parsed("d/law-2018.md", Format::Markdown)],
            taken,
            &HashMap::new(),
        );
        assert_eq!(alone[0].0.info.id, "law-2018");
    }
}
