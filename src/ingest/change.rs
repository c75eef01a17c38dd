//! What changed between the indexed version of a document and its new text: articles added,
//! removed and changed, coverage states that moved, and whether the new text looks like an
//! error page rather than a new version (the shrink guard).

use std::collections::HashMap;

use super::report::{ArticleChanges, CoverageMove};
use crate::coverage::{CorpusCoverage, Matcher, ReportOptions};
use crate::model::{Clause, SegmentedDoc};

/// Why the new text of a document that had articles is held back, if it is: it has none, or
/// fewer than half as many. A repeal or a consolidation can do that too; `--accept-shrink`
/// says so.
pub(super) fn shrink(indexed: usize, found: usize) -> Option<String> {
    if indexed == 0 {
        return None;
    }
    if found == 0 {
        Some(format!(
            "the new text has no articles, the indexed version has {indexed} \
             (an error or placeholder page?)"
        ))
    } else if found * 2 < indexed {
        Some(format!(
            "the new text has {found} articles, the indexed version has {indexed} \
             (fewer than half)"
        ))
    } else {
        None
    }
}

/// The part of a clause id after the document id (`art12`, `add2/art1`): stable across
/// versions, unlike the ordinal, and unique, unlike the label.
fn key(c: &Clause) -> &str {
    c.id.as_str()
        .split_once('/')
        .map(|(_, rest)| rest)
        .unwrap_or(c.id.as_str())
}

/// Caption and text with every run of whitespace made one space: re-wrapping a line is not a
/// change.
fn normalized(c: &Clause) -> String {
    let mut out = String::with_capacity(c.caption.len() + c.text.len() + 1);
    for word in c
        .caption
        .split_whitespace()
        .chain(c.text.split_whitespace())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Articles added, removed and changed from `old` to `new`, by label.
pub(super) fn articles(old: &[Clause], new: &[Clause]) -> ArticleChanges {
    let before: HashMap<&str, &Clause> = old.iter().map(|c| (key(c), c)).collect();
    let after: HashMap<&str, &Clause> = new.iter().map(|c| (key(c), c)).collect();
    let mut out = ArticleChanges::default();
    for c in new {
        match before.get(key(c)) {
            None => out.added.push(c.label.clone()),
            Some(o) if normalized(o) != normalized(c) => out.changed.push(c.label.clone()),
            Some(_) => {}
        }
    }
    for c in old {
        if !after.contains_key(key(c)) {
            out.removed.push(c.label.clone());
        }
    }
    out
}

/// Obligations of the matcher's taxonomy whose state differs between `old` and `new`.
pub(super) fn coverage_moves(
    matcher: &Matcher,
    old: &SegmentedDoc,
    new: &SegmentedDoc,
) -> Vec<CoverageMove> {
    let docs = [old.clone(), new.clone()];
    let corpus = CorpusCoverage::compute(matcher, &docs);
    let report = corpus.report(
        &[0, 1],
        &[],
        ReportOptions {
            max_evidence: 0,
            max_suggestions: 0,
        },
    );
    let [before, after] = report.documents.as_slice() else {
        return Vec::new();
    };
    before
        .obligations
        .iter()
        .zip(&after.obligations)
        .filter(|(a, b)| a.state != b.state)
        .map(|(a, b)| CoverageMove {
            obligation: a.id.clone(),
            from: a.state.name().to_string(),
            to: b.state.name().to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(n: u32, label: &str, text: &str) -> Clause {
        serde_json::from_value(serde_json::json!({
            "id": format!("law/art{n}"), "doc_id": "law", "ordinal": n, "kind": "article",
            "label": label, "number": null, "headings": [], "paragraphs": [text], "text": text
        }))
        .unwrap()
    }

    #[test]
    fn articles_are_compared_by_id_after_whitespace_normalisation() {
        let old = vec![
            clause(1, "第一条", "为了保障。"),
            clause(2, "第二条", "图书馆 应当\n开放。"),
            clause(3, "第三条", "旧的。"),
        ];
        let new = vec![
            clause(1, "第一条", "为了保障。"),
            clause(2, "第二条", "图书馆 应当 开放。"),
            clause(4, "第四条", "新的。"),
        ];
        let d = articles(&old, &new);
        assert_eq!(d.added, ["第四条"]);
        assert_eq!(d.removed, ["第三条"]);
        assert!(d.changed.is_empty(), "{d:?}");
        let edited = vec![clause(1, "第一条", "为了保障公民。")];
        assert_eq!(articles(&old[..1], &edited).changed, ["第一条"]);
    }

    #[test]
    fn shrink_holds_back_empty_and_halved_texts_only() {
        assert!(shrink(38, 0).is_some());
        assert!(shrink(38, 18).is_some());
        assert!(shrink(38, 19).is_none());
        assert!(shrink(38, 40).is_none());
        assert!(shrink(0, 0).is_none());
    }
}
