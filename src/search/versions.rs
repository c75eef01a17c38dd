//! One hit per article of a law: which documents a search leaves out (other versions, other
//! copies, laws not yet in force on the day asked), and, on each hit, the other versions of
//! its article (same text or changed) and its copies in other formats.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::{Hit, SearchError};
use crate::index::ClauseIndex;
use crate::model::{Clause, Format, SegmentedDoc};
use crate::work::{diff::key, normalized, Works};

/// Another document holding a hit's article: a copy of the same version, or the main copy of
/// another version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub doc_id: String,
    /// The article in that document; `None` for a version that does not have it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause_id: Option<String>,
    pub source: String,
    pub format: Format,
    /// The version's label (`2018-10-26`, `2017`) and status (`in-force`, `superseded`, …).
    pub version: String,
    pub status: String,
    /// For another version: `same` (the article reads the same), `changed`, or `absent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'static str>,
}

/// Documents of other versions already read, by id: a searcher's reader never reloads, so
/// they cannot go stale. Bounded: emptied when it holds [`Cache::MAX`] documents.
#[derive(Default)]
pub(super) struct Cache(Mutex<HashMap<String, Option<Arc<SegmentedDoc>>>>);

impl Cache {
    const MAX: usize = 256;

    fn get(
        &self,
        id: &str,
        index: &ClauseIndex,
        searcher: &tantivy::Searcher,
    ) -> Result<Option<Arc<SegmentedDoc>>, SearchError> {
        if let Some(d) = self.0.lock().ok().and_then(|m| m.get(id).cloned()) {
            return Ok(d);
        }
        let doc = index.document_in(searcher, id)?.map(Arc::new);
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= Self::MAX {
                m.clear();
            }
            m.insert(id.to_string(), doc.clone());
        }
        Ok(doc)
    }
}

/// Adds to each hit of a work of several documents its work, version, copies and other
/// versions.
pub(super) fn annotate(
    hits: &mut [Hit],
    works: &Works,
    index: &ClauseIndex,
    searcher: &tantivy::Searcher,
    clauses: &[Option<Clause>],
    cache: &Cache,
) -> Result<(), SearchError> {
    for (h, clause) in hits.iter_mut().zip(clauses) {
        // Alone in its work (placed by the caller): no copies, no other versions.
        let Some((work, version)) = works.of(&h.doc_id) else {
            continue;
        };
        h.work = Some(work.id.clone());
        h.version = Some(version.label.clone());
        h.version_status = Some(version.status.name().to_string());
        if work.versions.len() == 1 && version.copies.len() == 1 {
            continue;
        }
        // The part of the clause id after the document id (`art43`).
        let article = h
            .clause_id
            .split_once('/')
            .map_or(h.clause_id.as_str(), |(_, rest)| rest)
            .to_string();
        for c in version.copies.iter().filter(|c| c.doc_id != h.doc_id) {
            h.copies.push(Related {
                doc_id: c.doc_id.clone(),
                clause_id: Some(format!("{}/{article}", c.doc_id)),
                source: c.source.clone(),
                format: c.format,
                version: version.label.clone(),
                status: version.status.name().to_string(),
                text: None,
            });
        }
        let Some(clause) = clause else {
            continue;
        };
        for v in work.versions.iter().filter(|v| !std::ptr::eq(*v, version)) {
            let primary = v.primary();
            let doc = cache.get(&primary.doc_id, index, searcher)?;
            let theirs = doc
                .as_deref()
                .and_then(|d| d.clauses.iter().find(|c| key(c) == article.as_str()));
            let text = match theirs {
                None => "absent",
                Some(t) if normalized(t) == normalized(clause) => "same",
                Some(_) => "changed",
            };
            h.versions.push(Related {
                doc_id: primary.doc_id.clone(),
                clause_id: theirs.map(|t| t.id.0.clone()),
                source: primary.source.clone(),
                format: primary.format,
                version: v.label.clone(),
                status: v.status.name().to_string(),
                text: Some(text),
            });
        }
    }
    Ok(())
}
