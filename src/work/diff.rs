//! Two texts of a law compared article by article: added, removed, renumbered and changed
//! articles, with a character-level diff of each changed one. The ingest change report and
//! `lawdex diff` both read it.
//!
//! Articles are aligned by their texts first (a longest common subsequence over the articles'
//! normalised texts, so that inserting one article does not make every later one "changed"),
//! then, within what is left between two aligned stretches, by the same number with a similar
//! text, by a similar text under another number, and last by the number alone.

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffOp, TextDiff};

use super::edition::normalized;
use crate::model::Clause;

/// Share of characters two articles must share to count as one article changed (rather than
/// one removed and another added) when their numbers differ.
const SAME_ARTICLE: f32 = 0.5;

/// What happened to one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Same,
    Added,
    Removed,
    /// Same text under another number.
    Renumbered,
    /// Other text (perhaps under another number too: see the labels).
    Changed,
}

impl ChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Same => "same",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renumbered => "renumbered",
            ChangeKind::Changed => "changed",
        }
    }
}

/// A stretch of a changed article's text: in both, only in the old, or only in the new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// `same`, `removed` or `added`.
    pub kind: &'static str,
    pub text: String,
}

/// One article in the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleChange {
    pub kind: ChangeKind,
    /// The part of the clause id after the document id (`art51`), old and new.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_text: Option<String>,
    /// Character-level diff of a changed article (old text to new), empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pieces: Vec<Piece>,
}

impl ArticleChange {
    /// The label a person cites: the new one, else the old.
    pub fn label(&self) -> &str {
        self.new_label
            .as_deref()
            .or(self.old_label.as_deref())
            .unwrap_or("")
    }
}

/// Every article of two texts, in the new text's order (removed ones where they stood).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArticleDiff {
    pub articles: Vec<ArticleChange>,
}

impl ArticleDiff {
    /// The articles that are not the same.
    pub fn changes(&self) -> impl Iterator<Item = &ArticleChange> {
        self.articles.iter().filter(|a| a.kind != ChangeKind::Same)
    }

    /// Labels of the articles of one kind.
    pub fn labels(&self, kind: ChangeKind) -> Vec<String> {
        self.articles
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| a.label().to_string())
            .collect()
    }

    /// Whether both texts have the same articles with the same numbers.
    pub fn is_same(&self) -> bool {
        self.changes().next().is_none()
    }

    /// Compares `old` with `new`.
    pub fn compare(old: &[Clause], new: &[Clause]) -> ArticleDiff {
        let a: Vec<String> = old.iter().map(normalized).collect();
        let b: Vec<String> = new.iter().map(normalized).collect();
        let mut out = Vec::with_capacity(new.len().max(old.len()));
        for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        let (o, n) = (&old[old_index + k], &new[new_index + k]);
                        let kind = if key(o) == key(n) {
                            ChangeKind::Same
                        } else {
                            ChangeKind::Renumbered
                        };
                        out.push(entry(kind, Some(o), Some(n)));
                    }
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => pair(&old[old_index..old_index + old_len], &[], &mut out),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => pair(&[], &new[new_index..new_index + new_len], &mut out),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => pair(
                    &old[old_index..old_index + old_len],
                    &new[new_index..new_index + new_len],
                    &mut out,
                ),
            }
        }
        ArticleDiff { articles: out }
    }
}

/// The part of a clause id after the document id (`art12`, `add2/art1`): stable across
/// versions, unlike the ordinal, and unique, unlike the label.
pub fn key(c: &Clause) -> &str {
    c.id.as_str()
        .split_once('/')
        .map(|(_, rest)| rest)
        .unwrap_or(c.id.as_str())
}

/// Pairs the old and new articles between two aligned stretches: the same number with a
/// similar text first, then a similar text under another number (an article moved and edited
/// is that article, not a rewrite of the one now holding its number), then the same number
/// whatever the text (a rewrite); the rest are removed or added.
fn pair(old: &[Clause], new: &[Clause], out: &mut Vec<ArticleChange>) {
    let mut used = vec![false; old.len()];
    let mut matched: Vec<Option<usize>> = vec![None; new.len()];
    let old_texts: Vec<String> = old.iter().map(normalized).collect();
    let new_texts: Vec<String> = new.iter().map(normalized).collect();
    let old_lens: Vec<usize> = old_texts.iter().map(|t| t.chars().count()).collect();
    let new_lens: Vec<usize> = new_texts.iter().map(|t| t.chars().count()).collect();
    // Whether two texts are similar enough to be one article. The ratio is 2 × matches / both
    // lengths, so texts whose lengths alone keep it under the bar are never diffed: a rewrite
    // of a whole law would otherwise diff every old article against every new one.
    let similar = |i: usize, j: usize| -> Option<f32> {
        let (a, b) = (old_lens[i], new_lens[j]);
        if a + b > 0 && (2 * a.min(b)) as f32 / ((a + b) as f32) < SAME_ARTICLE {
            return None;
        }
        let r = TextDiff::from_chars(old_texts[i].as_str(), new_texts[j].as_str()).ratio();
        (r >= SAME_ARTICLE).then_some(r)
    };
    for (j, n) in new.iter().enumerate() {
        if let Some(i) = old
            .iter()
            .enumerate()
            .position(|(i, o)| !used[i] && key(o) == key(n))
            .filter(|&i| similar(i, j).is_some())
        {
            used[i] = true;
            matched[j] = Some(i);
        }
    }
    for (j, m) in matched.iter_mut().enumerate() {
        if m.is_some() {
            continue;
        }
        let best = (0..old.len())
            .filter(|&i| !used[i])
            .filter_map(|i| similar(i, j).map(|r| (i, r)))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, _)) = best {
            used[i] = true;
            *m = Some(i);
        }
    }
    for (j, n) in new.iter().enumerate() {
        if matched[j].is_some() {
            continue;
        }
        if let Some(i) = (0..old.len()).find(|&i| !used[i] && key(&old[i]) == key(n)) {
            used[i] = true;
            matched[j] = Some(i);
        }
    }
    // Removed articles go before the first new article that follows them in the old order.
    let mut next_old = 0;
    for (j, n) in new.iter().enumerate() {
        if let Some(i) = matched[j] {
            while next_old < i {
                if !used[next_old] {
                    out.push(entry(ChangeKind::Removed, Some(&old[next_old]), None));
                }
                next_old += 1;
            }
            next_old = next_old.max(i + 1);
            let o = &old[i];
            let kind = if normalized(o) == normalized(n) {
                ChangeKind::Renumbered
            } else {
                ChangeKind::Changed
            };
            out.push(entry(kind, Some(o), Some(n)));
        } else {
            out.push(entry(ChangeKind::Added, None, Some(n)));
        }
    }
    for (i, o) in old.iter().enumerate().skip(next_old) {
        if !used[i] {
            out.push(entry(ChangeKind::Removed, Some(o), None));
        }
    }
    // An old article paired out of order was skipped by the sweep above only if used.
}

fn entry(kind: ChangeKind, old: Option<&Clause>, new: Option<&Clause>) -> ArticleChange {
    let text = |c: &Clause| {
        if c.caption.is_empty() {
            c.text.clone()
        } else {
            format!("{} {}", c.caption, c.text)
        }
    };
    let pieces = match (kind, old, new) {
        (ChangeKind::Changed, Some(o), Some(n)) => char_diff(&text(o), &text(n)),
        _ => Vec::new(),
    };
    ArticleChange {
        kind,
        old_key: old.map(|c| key(c).to_string()),
        new_key: new.map(|c| key(c).to_string()),
        old_label: old.map(|c| c.label.clone()),
        new_label: new.map(|c| c.label.clone()),
        old_text: old.map(text),
        new_text: new.map(text),
        pieces,
    }
}

/// Character-level diff, runs of one kind merged.
fn char_diff(old: &str, new: &str) -> Vec<Piece> {
    let diff = TextDiff::from_chars(old, new);
    let mut out: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Delete => "removed",
            ChangeTag::Insert => "added",
        };
        match out.last_mut() {
            Some(p) if p.kind == kind => p.text.push_str(change.value()),
            _ => out.push(Piece {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_article as clause;

    #[test]
    fn an_inserted_article_renumbers_the_rest_instead_of_changing_them() {
        let old = vec![
            clause(1, "第一条", "为了保障公民的基本文化权益。"),
            clause(2, "第二条", "公共图书馆应当免费开放。"),
            clause(3, "第三条", "读者应当遵守规定。"),
        ];
        let new = vec![
            clause(1, "第一条", "为了保障公民的基本文化权益。"),
            clause(2, "第二条", "国家鼓励社会力量参与。"),
            clause(3, "第三条", "公共图书馆应当免费开放。"),
            clause(4, "第四条", "读者应当遵守有关规定。"),
        ];
        let d = ArticleDiff::compare(&old, &new);
        let kinds: Vec<(&str, ChangeKind)> =
            d.articles.iter().map(|a| (a.label(), a.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("第一条", ChangeKind::Same),
                ("第二条", ChangeKind::Added),
                ("第三条", ChangeKind::Renumbered),
                ("第四条", ChangeKind::Changed),
            ]
        );
        let changed = &d.articles[3];
        assert_eq!(changed.old_label.as_deref(), Some("第三条"));
        let added: String = changed
            .pieces
            .iter()
            .filter(|p| p.kind == "added")
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(added, "有关");
    }

    /// A new article inserted before one that is also edited: the edited one is that article
    /// renumbered and changed, not a rewrite of the number the new one took.
    #[test]
    fn an_article_moved_and_edited_is_itself() {
        let old = vec![
            clause(1, "第一条", "为了保障公民的基本文化权益。"),
            clause(2, "第二条", "图书馆应当保护读者个人信息。"),
            clause(3, "第三条", "本办法自公布之日起施行。"),
        ];
        let new = vec![
            clause(1, "第一条", "为了保障公民的基本文化权益。"),
            clause(2, "第二条", "图书馆应当为残疾人提供无障碍服务。"),
            clause(3, "第三条", "图书馆应当妥善保护读者个人信息。"),
            clause(4, "第四条", "本办法自公布之日起施行。"),
        ];
        let d = ArticleDiff::compare(&old, &new);
        let kinds: Vec<(&str, Option<&str>, ChangeKind)> = d
            .articles
            .iter()
            .map(|a| (a.label(), a.old_label.as_deref(), a.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("第一条", Some("第一条"), ChangeKind::Same),
                ("第二条", None, ChangeKind::Added),
                ("第三条", Some("第二条"), ChangeKind::Changed),
                ("第四条", Some("第三条"), ChangeKind::Renumbered),
            ]
        );
    }

    #[test]
    fn removed_articles_and_whitespace() {
        let old = vec![
            clause(1, "第一条", "甲 乙\n丙。"),
            clause(2, "第二条", "完全不同的旧条文，已经删除。"),
        ];
        let new = vec![clause(1, "第一条", "甲乙丙。")];
        let d = ArticleDiff::compare(&old, &new);
        assert_eq!(d.labels(ChangeKind::Removed), ["第二条"]);
        assert_eq!(d.labels(ChangeKind::Same), ["第一条"]);
        assert!(!d.is_same());
        assert!(ArticleDiff::compare(&new, &new).is_same());
    }
}
