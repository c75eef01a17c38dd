//! Pseudo-relevance feedback for partial hits: the words the best hits share say what the
//! question is about better than its own words do.
//!
//! A question in everyday words (不同图书馆之间能不能互相借书) shares one or two words with the
//! articles that answer it (馆际互借, 通借通还, 共建共享), so "at least half of the words" misses
//! them, and the partial hits it finds rank by how often they repeat 图书馆. The best hits,
//! though, are mostly on the subject; the rare words several of them share (借阅, 共享, 通借)
//! find the articles phrased like them. Those words re-rank the partial hits and bring in
//! clauses that share a word of the query and many of theirs (measured on the development
//! sets in benches/RESULTS-search.md, where the held-out figures measured after the choice
//! are also recorded). The tiers stay: a joined clause is a partial hit, and the boost reaches
//! partial hits only.

use std::collections::{HashMap, HashSet};

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, TantivyDocument, Term};

use super::{Ranked, SearchError, Searcher};
use crate::index::{self, analysis};

impl Searcher {
    /// The feedback query of the clauses at `seeds`: their shared rare terms (`terms`), each
    /// weighed by how well it describes them, among the clauses `any_word` matches (a word of
    /// the query, with its operators), which scores nothing itself. `None` when they share no
    /// such term.
    pub(super) fn feedback_query(
        &self,
        searcher: &tantivy::Searcher,
        seeds: &[DocAddress],
        any_word: Option<&dyn Query>,
    ) -> Result<Option<Box<dyn Query>>, SearchError> {
        let Some(any_word) = any_word else {
            return Ok(None);
        };
        let err = |e| SearchError::Index(self.index.error(e));
        let mut texts = Vec::with_capacity(seeds.len());
        for a in seeds {
            let d: TantivyDocument = searcher.doc(*a).map_err(err)?;
            if let index::Stored::Clause(c) = self.index.decode(&d)? {
                texts.push(c.text);
            }
        }
        let grams = self.index.fields().grams;
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let doc_freq = |t: &str| {
            searcher
                .doc_freq(&Term::from_field_text(grams, t))
                .unwrap_or(0)
        };
        let chosen = terms(
            &texts,
            doc_freq,
            searcher.num_docs(),
            self.tuning.feedback_terms,
        );
        if chosen.is_empty() {
            return Ok(None);
        }
        let some_term = BooleanQuery::new(
            chosen
                .into_iter()
                .map(|(t, w)| {
                    let term = TermQuery::new(
                        Term::from_field_text(grams, &t),
                        IndexRecordOption::WithFreqs,
                    );
                    let q: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), w));
                    (Occur::Should, q)
                })
                .collect(),
        );
        // Both required: the rare terms drive the intersection, rather than every clause
        // with a common word of the query (图书馆) being visited for a score of nothing.
        Ok(Some(Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(any_word.box_clone(), 0.0)),
            ),
            (Occur::Must, Box::new(some_term)),
        ]))))
    }
}

/// Adds the feedback query's `found` hits to the partial hits in `rest`: each partial hit
/// gains `weight` × the best partial score × its feedback score relative to the best one, and
/// those found that were no candidate (nor among the hits with every word, `have`) join as
/// partial hits with that gain alone. Returns the joined ones.
pub(super) fn apply(
    rest: &mut HashMap<DocAddress, Ranked>,
    have: &HashSet<DocAddress>,
    found: Vec<(f32, DocAddress)>,
    weight: f32,
) -> Vec<DocAddress> {
    let best_found = found.first().map_or(0.0, |(s, _)| *s);
    if best_found <= 0.0 {
        return Vec::new();
    }
    let best = |partial_only: bool| {
        rest.values()
            .filter(|r| !(partial_only && r.all_words))
            .map(|r| r.score)
            .fold(0.0f32, f32::max)
    };
    // With no partial hit yet, joined clauses are scaled to the translated ones they follow.
    let scale = match best(true) {
        s if s > 0.0 => s,
        _ => best(false),
    };
    let gain = weight * scale / best_found;
    let mut joined = Vec::new();
    for (score, address) in found {
        if score <= 0.0 || have.contains(&address) {
            continue;
        }
        match rest.get_mut(&address) {
            Some(r) if r.all_words => {}
            Some(r) => r.score += gain * score,
            None => {
                rest.insert(
                    address,
                    Ranked {
                        score: gain * score,
                        address,
                        all_words: false,
                        translated: false,
                    },
                );
                joined.push(address);
            }
        }
    }
    joined
}

/// The `grams` terms (character bigrams, stemmed words) that best describe `texts`: those in
/// at least two of them (any, with one text), by the number of texts holding them times their
/// inverse document frequency in the index (`doc_freq`, out of `num_docs`), with that weight
/// relative to the best one. At most `k`; ties by term, so the choice is stable.
pub(crate) fn terms(
    texts: &[&str],
    doc_freq: impl Fn(&str) -> u64,
    num_docs: u64,
    k: usize,
) -> Vec<(String, f32)> {
    let mut holding: HashMap<String, usize> = HashMap::new();
    for text in texts {
        let mut seen = HashSet::new();
        for t in analysis::gram_terms(text) {
            if seen.insert(t.text.clone()) {
                *holding.entry(t.text).or_default() += 1;
            }
        }
    }
    let need = texts.len().min(2);
    let n = num_docs.max(1) as f32;
    let mut scored: Vec<(String, f32)> = holding
        .into_iter()
        .filter(|(_, c)| *c >= need)
        .map(|(t, c)| {
            let idf = (n / (doc_freq(&t) as f32 + 1.0)).ln().max(0.0);
            (t, c as f32 * idf)
        })
        .filter(|(_, w)| *w > 0.0)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(k);
    if let Some(best) = scored.first().map(|(_, w)| *w) {
        for (_, w) in &mut scored {
            *w /= best;
        }
    }
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_rare_terms_come_first_and_common_or_lone_ones_not_at_all() {
        let texts = [
            "公共图书馆开展馆际互借和通借通还服务",
            "图书馆之间实行通借通还，馆际互借",
            "图书馆应当开放",
        ];
        // 图书 is everywhere in the index, 通借 rare.
        let df = |t: &str| match t {
            "图书" | "书馆" => 1000,
            "通借" | "借通" | "通还" => 3,
            _ => 50,
        };
        let got = terms(&texts, df, 1000, 4);
        let words: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(words, ["借通", "通借", "通还", "互借"]);
        assert_eq!(got[0].1, 1.0);
        assert!(got[3].1 < 1.0);
        // 开放 is in one text only; 图书 in all, but in every clause of the index.
        assert!(!words.contains(&"开放") && !words.contains(&"图书"));
    }

    #[test]
    fn nothing_to_learn_from_nothing() {
        assert!(terms(&[], |_| 1, 10, 5).is_empty());
    }
}
