//! Pseudo-relevance feedback for partial hits: the words the best hits share say what the
//! question is about better than its own words do.
//!
//! A question in everyday words (不同图书馆之间能不能互相借书) shares one or two words with the
//! articles that answer it (馆际互借, 通借通还, 共建共享), so "at least half of the words" misses
//! them, and the partial hits it finds rank by how often they repeat 图书馆. The best hits,
//! though, are mostly on the subject; the rare words several of them share (借阅, 共享, 通借)
//! find the articles phrased like them. Those words re-rank the partial hits and bring in
//! clauses that share a word of the query and many of theirs (measured on the development
//! sets in benches/RESULTS-search.md; never on the held-out sets).

use std::collections::{HashMap, HashSet};

use crate::index::analysis;

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
