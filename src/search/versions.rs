//! One hit per article of a law: which documents a search leaves out (other versions, other
//! copies, laws not yet in force on the day asked), and, on each hit, the other versions of
//! its article (same text or changed) and its copies in other formats.

use std::collections::HashMap;

use serde::Serialize;

use super::{Hit, SearchError};
use crate::index::ClauseIndex;
use crate::model::{Format, SegmentedDoc};
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

/// Adds to each hit its work, version, copies and other versions. Documents of other versions
/// are read once per search.
pub(super) fn annotate(
    hits: &mut [Hit],
    works: &Works,
    index: &ClauseIndex,
    searcher: &tantivy::Searcher,
    clauses: &[crate::model::Clause],
) -> Result<(), SearchError> {
    let mut loaded: HashMap<String, Option<SegmentedDoc>> = HashMap::new();
    for (h, clause) in hits.iter_mut().zip(clauses) {
        let Some((work, version)) = works.of(&h.doc_id) else {
            continue;
        };
        h.work = Some(work.id.clone());
        h.version = Some(version.label.clone());
        h.version_status = Some(version.status.name().to_string());
        let article = key(clause);
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
        for v in work.versions.iter().filter(|v| v.label != version.label) {
            let primary = v.primary();
            if !loaded.contains_key(&primary.doc_id) {
                let doc = index.document_in(searcher, &primary.doc_id)?;
                loaded.insert(primary.doc_id.clone(), doc);
            }
            let theirs = loaded
                .get(&primary.doc_id)
                .and_then(Option::as_ref)
                .and_then(|d| d.clauses.iter().find(|c| key(c) == article));
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
