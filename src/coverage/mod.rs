//! Coverage: which obligations of a taxonomy a document spells out, in which clauses, how
//! strongly, and what it leaves out.
//!
//! - [`taxonomy`]: the TOML format of obligations and their cues, loaded and validated;
//! - [`strength`]: mandatory / permissive / encouraged / principle, per sentence;
//! - [`matcher`]: document × obligation → ranked evidence clauses (one automaton pass per
//!   clause for all cues of all obligations);
//! - [`report`]: the matrix with `covered` / `gap` / `unknown` cells and model clauses for gaps;
//! - [`render`]: the matrix as a table, CSV, Markdown or a self-contained HTML heat map.
//!
//! The input is a list of [`SegmentedDoc`]s: read from the index, or parsed from files with
//! [`corpus_from_files`] (also how a draft is read).

pub mod matcher;
pub mod render;
pub mod report;
pub mod strength;
pub mod taxonomy;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use matcher::{DocMatches, Evidence, Matcher, MatcherError};
pub use report::{
    Cell, CorpusCoverage, DocReport, Report, ReportOptions, State, Suggestion, Unreadable,
};
pub use strength::Strength;
pub use taxonomy::{Obligation, Taxonomy, TaxonomyError};

use crate::model::{doc_id_from_path, DocInfo, Document, SegmentedDoc, SourceMeta};
use crate::parse::{self, Limits, ParseError};

/// Documents read from files: the ones that parsed, and why the others did not.
#[derive(Debug, Default)]
pub struct Corpus {
    pub docs: Vec<SegmentedDoc>,
    pub unreadable: Vec<Unreadable>,
}

/// File extensions read when a directory is given.
const EXTENSIONS: &[&str] = &[
    "md", "markdown", "txt", "html", "htm", "json", "xml", "pdf", "docx",
];

/// Parses and segments files and directories (recursively, in name order) into a corpus.
///
/// A `SOURCES.tsv` at the top of a directory, with a header naming any of the columns `path`
/// (relative to the directory), `id`, `title`, `jurisdiction`, `level`, `kind`, `language`,
/// `status`, `year`, supplies the metadata a bare file lacks. Document ids come from file
/// names; a clash (`law.md` beside `law.html`) gets the extension appended.
pub fn corpus_from_files(inputs: &[PathBuf], limits: &Limits) -> Corpus {
    let mut files: Vec<(PathBuf, SourceMeta)> = Vec::new();
    let mut unreadable = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let sidecar = read_sidecar(input);
            let mut found = Vec::new();
            walk(input, &mut found, &mut unreadable);
            found.sort();
            for f in found {
                let rel = f
                    .strip_prefix(input)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let meta = sidecar.get(&rel).cloned().unwrap_or_default();
                files.push((f, meta));
            }
        } else {
            files.push((input.clone(), SourceMeta::default()));
        }
    }
    let ids = unique_ids(&files);
    let results: Vec<Result<SegmentedDoc, ParseError>> = files
        .par_iter()
        .zip(ids.par_iter())
        .map(|((path, meta), id)| read_document(path, id, meta, limits))
        .collect();
    let mut docs = Vec::new();
    for (r, id) in results.into_iter().zip(ids) {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => unreadable.push(Unreadable {
                doc_id: id,
                source: e.input.clone(),
                reason: e.kind.to_string(),
            }),
        }
    }
    Corpus { docs, unreadable }
}

/// Parses and segments one file (a draft) under the id derived from its name.
pub fn document_from_file(path: &Path, limits: &Limits) -> Result<SegmentedDoc, ParseError> {
    read_document(
        path,
        &doc_id_from_path(path),
        &SourceMeta::default(),
        limits,
    )
}

fn read_document(
    path: &Path,
    id: &str,
    meta: &SourceMeta,
    limits: &Limits,
) -> Result<SegmentedDoc, ParseError> {
    let mut doc = parse::parse_file(path, limits)?;
    doc.id = meta.id.clone().unwrap_or_else(|| id.to_string());
    Ok(segmented(doc, meta))
}

/// Segments a parsed document and gathers what is known about it; the manifest's metadata
/// wins over the parser's findings.
pub fn segmented(doc: Document, meta: &SourceMeta) -> SegmentedDoc {
    let seg = crate::segment::segment(&doc);
    let title = meta
        .title
        .clone()
        .or_else(|| doc.title.clone())
        .unwrap_or_else(|| doc.id.clone());
    let info = DocInfo {
        id: doc.id.clone(),
        source: doc.source.clone(),
        title,
        format: doc.format,
        language: meta
            .language
            .clone()
            .or(doc.language.clone())
            .unwrap_or_default(),
        jurisdiction: meta.jurisdiction.clone().unwrap_or_default(),
        level: meta.level.clone().unwrap_or_default(),
        kind: meta.kind.clone().unwrap_or_default(),
        status: meta.status.clone().unwrap_or_default(),
        year: meta.year,
        structure: seg.structure.name().to_string(),
        preamble: seg.preamble,
    };
    SegmentedDoc {
        info,
        clauses: seg.clauses,
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, unreadable: &mut Vec<Unreadable>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            unreadable.push(Unreadable {
                doc_id: doc_id_from_path(dir),
                source: dir.display().to_string(),
                reason: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out, unreadable);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
}

fn unique_ids(files: &[(PathBuf, SourceMeta)]) -> Vec<String> {
    let base: Vec<String> = files
        .iter()
        .map(|(path, meta)| meta.id.clone().unwrap_or_else(|| doc_id_from_path(path)))
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for b in &base {
        *count.entry(b.as_str()).or_default() += 1;
    }
    // Every file of a clashing name gets its extension, so no id depends on listing order.
    let mut seen = HashSet::new();
    files
        .iter()
        .zip(&base)
        .map(|((path, meta), b)| {
            let mut id = b.clone();
            if meta.id.is_none() && count.get(b.as_str()).copied().unwrap_or(0) > 1 {
                let ext = path
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                id = format!("{b}-{ext}");
            }
            let mut n = 2;
            let stem = id.clone();
            while seen.contains(&id) {
                id = format!("{stem}-{n}");
                n += 1;
            }
            seen.insert(id.clone());
            id
        })
        .collect()
}

/// `SOURCES.tsv` beside a corpus: relative path → metadata. Missing or malformed files give
/// no metadata rather than an error: it only enriches the report.
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
