//! What changed between the indexed version of a document and its new text: articles added,
//! removed and changed, coverage states that moved, and whether the new text looks like an
//! error page rather than a new version (the shrink guard).

use super::report::{ArticleChanges, CoverageMove};
use crate::coverage::Matcher;
use crate::model::{Clause, SegmentedDoc};
use crate::work::{ArticleDiff, ChangeKind};

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

/// Articles added, removed and changed from `old` to `new`, as [`ArticleDiff`] finds them
/// (one article diff for this report and `lawdex diff`). An article with the same text under
/// another number is listed as renumbered, not as changed.
pub(super) fn articles(old: &[Clause], new: &[Clause]) -> ArticleChanges {
    let d = ArticleDiff::compare(old, new);
    ArticleChanges {
        added: d.labels(ChangeKind::Added),
        removed: d.labels(ChangeKind::Removed),
        changed: d.labels(ChangeKind::Changed),
        renumbered: d.labels(ChangeKind::Renumbered),
    }
}

/// Obligations of the matcher's taxonomy whose state differs between `old` and `new`.
pub(super) fn coverage_moves(
    matcher: &Matcher,
    old: &SegmentedDoc,
    new: &SegmentedDoc,
) -> Vec<CoverageMove> {
    crate::coverage::moves(matcher, old, new)
        .into_iter()
        .map(|(obligation, from, to)| CoverageMove {
            obligation,
            from: from.name().to_string(),
            to: to.name().to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_article as clause;

    #[test]
    fn articles_are_compared_after_whitespace_normalisation() {
        let old = vec![
            clause(1, "第一条", "为了保障。"),
            clause(2, "第二条", "图书馆 应当\n开放。"),
            clause(3, "第三条", "旧的规定。"),
        ];
        let new = vec![
            clause(1, "第一条", "为了保障。"),
            clause(2, "第二条", "图书馆 应当 开放。"),
            clause(4, "第四条", "国家鼓励社会力量参与。"),
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
