//! Splitting a run of Han characters into words by the index's own vocabulary (see the
//! parent module), and the document frequencies that split and ranking read.

use super::*;

/// Longest word, in characters, looked up in the vocabulary when splitting a CJK run.
pub(super) const MAX_WORD_CHARS: usize = 8;

/// Most document frequencies a searcher keeps (a few MB).
const MAX_CACHED_DFS: usize = 100_000;

/// Longest run split by the vocabulary alone: a compound of two words (免费开放, 借书难), which
/// it splits as jieba would, without loading jieba's dictionary (~90 ms) for a one-shot search.
pub(super) const SHORT_RUN_CHARS: usize = 4;

/// Longest CJK run split at once; longer runs are split piece by piece.
pub(super) const MAX_RUN_CHARS: usize = 64;

impl Compiler<'_> {
    /// Splits a Han run into words: a run the index or the thesaurus knows as one word, or a
    /// short one, is split by the index vocabulary (which keeps a known word whole); any other
    /// is cut by jieba's dictionary, and a dictionary word the index lacks (统计数据) is split
    /// again by the index's own vocabulary (统计 + 数据), see `split_by_index`. The
    /// vocabulary alone reads sentences badly: every bigram of the corpus is one of its
    /// words, so 图书馆应当 came out as 图书 + 馆应 + 当 (RESULTS-search.md).
    pub(super) fn split_han(&mut self, run: &str) -> tantivy::Result<Vec<String>> {
        if run.chars().count() <= SHORT_RUN_CHARS {
            return self.split_by_index(run);
        }
        // Under --exact there is no thesaurus to expand with, but its terms are still words.
        let term = match self.thesaurus {
            Some(t) => t.is_term(run),
            None => Thesaurus::builtin().is_term(run),
        };
        if term || self.doc_freq(run)? > 0 {
            return self.split_by_index(run);
        }
        let mut words = Vec::new();
        for w in analysis::dictionary_words(run) {
            if w.chars().count() > 1 && self.doc_freq(w)? == 0 {
                words.extend(self.split_by_index(w)?);
            } else {
                words.push(w.to_string());
            }
        }
        Ok(words)
    }

    /// Splits a Han run by the index's own vocabulary, see the module documentation.
    pub(super) fn split_by_index(&mut self, run: &str) -> tantivy::Result<Vec<String>> {
        // A pasted paragraph would cost thousands of lookups: split it into pieces first.
        if run.chars().count() > MAX_RUN_CHARS {
            let chars: Vec<char> = run.chars().collect();
            let mut words = Vec::new();
            for piece in chars.chunks(MAX_RUN_CHARS) {
                words.extend(self.split_by_index(&piece.iter().collect::<String>())?);
            }
            return Ok(words);
        }
        let bounds: Vec<usize> = run
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(run.len()))
            .collect();
        let n = bounds.len() - 1;
        // An unknown character costs more than any known word, so known words always win;
        // consecutive unknown characters are then joined into one chunk for the bigram match.
        let unknown = (0.1f64).ln() - self.num_docs.ln() - 2.0;
        let mut best = vec![(0.0f64, 0usize, false); n + 1];
        for i in (0..n).rev() {
            let mut choice = (unknown + best[i + 1].0, i + 1, false);
            for len in 1..=MAX_WORD_CHARS.min(n - i) {
                let word = &run[bounds[i]..bounds[i + len]];
                let df = self.doc_freq(word)?;
                if df == 0 {
                    continue;
                }
                let score = (df as f64).ln() - self.num_docs.ln() + best[i + len].0;
                if score > choice.0 {
                    choice = (score, i + len, true);
                }
            }
            best[i] = choice;
        }
        let mut words: Vec<String> = Vec::new();
        let mut i = 0;
        let mut unknown_start: Option<usize> = None;
        while i < n {
            let (_, next, known) = best[i];
            if known {
                if let Some(s) = unknown_start.take() {
                    words.push(run[bounds[s]..bounds[i]].to_string());
                }
                words.push(run[bounds[i]..bounds[next]].to_string());
            } else if unknown_start.is_none() {
                unknown_start = Some(i);
            }
            i = next;
        }
        if let Some(s) = unknown_start {
            words.push(run[bounds[s]..].to_string());
        }
        Ok(words)
    }

    /// In how many clauses a word occurs as a word (see `word_field`); 0 for one character.
    pub(super) fn doc_freq(&mut self, word: &str) -> tantivy::Result<u64> {
        match self.word_field(word) {
            Some(field) => self.term_df(field, word),
            None => Ok(0),
        }
    }

    /// Where a word is indexed as a word: a Han word of two characters is a bigram of
    /// `grams`, longer ones (and Hangul and kana runs) are `body` terms; one Han character is
    /// not indexed as a word.
    pub(super) fn word_field(&self, word: &str) -> Option<tantivy::schema::Field> {
        let mut chars = word.chars();
        let first = chars.next()?;
        if analysis::script(first) != Some(Script::Han) {
            return Some(self.fields.body);
        }
        match word.chars().count() {
            1 => None,
            2 => Some(self.fields.grams),
            _ => Some(self.fields.body),
        }
    }

    /// In how many clauses `text` is a term of `field`, remembered for the searcher's life
    /// (one snapshot of the index): a query looks up every synonym and translation of its
    /// words, and the next query mostly the same ones.
    pub(super) fn term_df(&mut self, field: Field, text: &str) -> tantivy::Result<u64> {
        let key = (field, text.to_string());
        if let Some(&n) = self.dfs.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(n);
        }
        let n = self
            .searcher
            .doc_freq(&Term::from_field_text(field, text))?;
        let mut dfs = self.dfs.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded: a server fed random words (each unknown word tries its typo candidates)
        // must not grow without end; starting over costs only lookups.
        if dfs.len() >= MAX_CACHED_DFS {
            dfs.clear();
        }
        dfs.insert(key, n);
        Ok(n)
    }

    /// BM25's IDF, as tantivy computes it.
    pub(super) fn idf(&self, df: u64) -> f32 {
        let df = df as f64;
        (1.0 + (self.num_docs - df + 0.5) / (df + 0.5))
            .ln()
            .max(0.0) as f32
    }
}
