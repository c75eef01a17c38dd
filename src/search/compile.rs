//! Query expression → tantivy query, through the same analysis as the indexed text.
//!
//! A word matches a clause when its characters appear in the clause (a phrase query over the
//! `grams` bigrams: exact, whatever jieba made of the surrounding text). Ranking adds BM25 of
//! the word in `body`,
//! the jieba-segmented text, so a clause where 法人 is a word ranks above one where the two
//! characters only meet (合法人身).
//!
//! A run of Chinese characters in the query (视障读者阅读服务) is split into words by the
//! index's own vocabulary: the split that maximises the product of the words' document
//! frequencies, as jieba maximises the product of dictionary frequencies. Every word jieba
//! produced while indexing is in that vocabulary, so the query meets the indexed words without
//! loading jieba's 130 ms dictionary in a one-shot `lawdex search`. (`QuerySegmenter::Jieba`
//! keeps jieba for comparison; RESULTS-search.md has the measurements.)

use std::collections::HashMap;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RegexQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::query::Expr;
use super::snippet::Highlighter;
use super::{QuerySegmenter, Relax, RunSplit, Tuning};
use crate::index::analysis::{self, Script};
use crate::index::Fields;

/// Longest word, in characters, looked up in the vocabulary when splitting a CJK run.
const MAX_WORD_CHARS: usize = 8;

/// Longest CJK run split at once; longer runs are split piece by piece.
const MAX_RUN_CHARS: usize = 64;

/// Function words dropped from queries (unless nothing else is left): they carry no topic and
/// would make an all-words match fail on natural-language questions.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "for", "with", "which", "what", "who", "how", "why", "when", "where",
    "is", "are", "was", "were", "be", "been", "to", "in", "on", "at", "by", "from", "and", "or",
    "that", "this", "these", "those", "it", "its", "as", "into", "than", "there", "their", "do",
    "does", "did", "about", "的", "了", "和", "与", "及", "或", "为", "对", "在", "是", "哪些",
    "什么", "怎么", "如何", "哪个", "有关", "关于", "吗", "呢", "把", "被", "从", "给",
];

/// The tantivy queries for one search.
pub(crate) struct Compiled {
    /// Every word (as the query says).
    pub strict: Box<dyn Query>,
    /// The relaxed form, when the query has several words that could be relaxed.
    pub relaxed: Option<Box<dyn Query>>,
    pub highlighter: Highlighter,
}

/// The groups of a typed word (each must match) and an optional score-only bonus.
type WordGroups = (Vec<Box<dyn Query>>, Option<Box<dyn Query>>);

/// What one group of a typed word must match.
struct Unit {
    /// Folded CJK text that must appear as typed, or the index term of an alphabetic word.
    text: String,
    script: Script,
    /// jieba words of a CJK unit (from the index vocabulary), for ranking.
    words: Vec<String>,
}

impl Unit {
    fn cjk(text: &str, words: Vec<String>, script: Script) -> Unit {
        Unit {
            text: text.to_string(),
            script,
            words,
        }
    }
}

/// How a top-level part of the query takes part in the search.
enum Role {
    /// A word of an implicit AND: required in the strict query, may be relaxed.
    Relaxable,
    /// Always required: `+word`, phrases, groups, explicit AND.
    Required,
    /// Excluded: `NOT`, `-`.
    Excluded,
    /// Adds to the score only: the words of a typed run next to each other (公共图书馆 as
    /// typed, not just 公共 and 图书馆 somewhere in the clause).
    Bonus,
}

pub(crate) struct Compiler<'a> {
    pub searcher: &'a tantivy::Searcher,
    pub fields: Fields,
    pub tuning: &'a Tuning,
    highlighter: Highlighter,
    df_cache: HashMap<String, u64>,
    num_docs: f64,
}

impl<'a> Compiler<'a> {
    pub fn new(searcher: &'a tantivy::Searcher, fields: Fields, tuning: &'a Tuning) -> Self {
        Compiler {
            searcher,
            fields,
            tuning,
            highlighter: Highlighter::default(),
            df_cache: HashMap::new(),
            num_docs: searcher.num_docs().max(1) as f64,
        }
    }

    pub fn compile(mut self, expr: &Expr) -> tantivy::Result<Compiled> {
        let mut parts: Vec<(Role, Box<dyn Query>)> = Vec::new();
        self.top_level(expr, &mut parts)?;
        let relaxable = parts
            .iter()
            .filter(|(r, _)| matches!(r, Role::Relaxable))
            .count();
        let strict_clauses: Vec<(Occur, Box<dyn Query>)> = parts
            .iter()
            .map(|(role, q)| match role {
                Role::Excluded => (Occur::MustNot, q.box_clone()),
                Role::Bonus => (Occur::Should, q.box_clone()),
                _ => (Occur::Must, q.box_clone()),
            })
            .collect();
        let strict: Box<dyn Query> = Box::new(BooleanQuery::new(strict_clauses));
        let min_should = match self.tuning.relax {
            Relax::Never => None,
            Relax::AnyWord => Some(1),
            Relax::MostWords => Some(relaxable.div_ceil(2).max(1)),
        };
        let relaxed = match min_should {
            Some(m) if relaxable >= 2 => {
                let mut outer = Vec::new();
                let mut words = Vec::new();
                for (role, q) in parts {
                    match role {
                        Role::Excluded => outer.push((Occur::MustNot, q)),
                        Role::Required => outer.push((Occur::Must, q)),
                        Role::Bonus => outer.push((Occur::Should, q)),
                        Role::Relaxable => words.push((Occur::Should, q)),
                    }
                }
                let mut some = BooleanQuery::new(words);
                some.set_minimum_number_should_match(m);
                outer.push((Occur::Must, Box::new(some)));
                Some(Box::new(BooleanQuery::new(outer)) as Box<dyn Query>)
            }
            _ => None,
        };
        Ok(Compiled {
            strict,
            relaxed,
            highlighter: self.highlighter,
        })
    }

    fn top_level(
        &mut self,
        expr: &Expr,
        out: &mut Vec<(Role, Box<dyn Query>)>,
    ) -> tantivy::Result<()> {
        match expr {
            Expr::Word(w) => {
                let (groups, bonus) = self.word_groups(w, true)?;
                for g in groups {
                    out.push((Role::Relaxable, g));
                }
                out.extend(bonus.map(|b| (Role::Bonus, b)));
            }
            Expr::And {
                items,
                implicit: true,
            } => {
                for item in items {
                    match item {
                        Expr::Word(_) => self.top_level(item, out)?,
                        Expr::Not(inner) => out.push((Role::Excluded, self.expr(inner, false)?)),
                        other => out.push((Role::Required, self.expr(other, true)?)),
                    }
                }
            }
            Expr::Not(inner) => out.push((Role::Excluded, self.expr(inner, false)?)),
            other => out.push((Role::Required, self.expr(other, true)?)),
        }
        Ok(())
    }

    /// Any expression below the top level; `highlight` is false under NOT.
    fn expr(&mut self, expr: &Expr, highlight: bool) -> tantivy::Result<Box<dyn Query>> {
        Ok(match expr {
            Expr::Word(w) => {
                let (groups, bonus) = self.word_groups(w, highlight)?;
                all_of(groups, bonus)
            }
            Expr::Phrase(p) => self.phrase(p, highlight),
            Expr::Required(inner) => self.expr(inner, highlight)?,
            Expr::Not(inner) => {
                // NOT inside a group: match everything the group allows minus this. The
                // parent decides what "everything" is, so a lone NOT excludes from its siblings.
                let q = self.expr(inner, false)?;
                Box::new(BooleanQuery::new(vec![(Occur::MustNot, q)]))
            }
            Expr::And { items, .. } => {
                let mut clauses = Vec::new();
                for item in items {
                    match item {
                        Expr::Not(inner) => {
                            clauses.push((Occur::MustNot, self.expr(inner, false)?));
                        }
                        other => clauses.push((Occur::Must, self.expr(other, highlight)?)),
                    }
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Expr::Or(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    clauses.push((Occur::Should, self.expr(item, highlight)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        })
    }

    /// The groups of a typed word: each must match. How a CJK run is split is
    /// `Tuning::run_split`: by default into its words (公共图书馆 → 公共 + 图书馆, each anywhere
    /// in the clause), unless the vocabulary does not know the typed word (缴送, 图书馆员),
    /// which then must appear as typed. Stop words are dropped unless they are all there is.
    /// The bonus rewards a split run found as typed.
    fn word_groups(&mut self, word: &str, highlight: bool) -> tantivy::Result<WordGroups> {
        let norm = analysis::normalize(word);
        let drop_stop = self.tuning.drop_stop_words;
        let mut units: Vec<Unit> = Vec::new();
        let mut stop_units: Vec<Unit> = Vec::new();
        let mut bonus: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut term = String::new();
        for run in analysis::runs(&norm.text) {
            let slice = &norm.text[run.start..run.end];
            match run.script {
                Script::Han => {
                    let split = self.split_han(slice)?;
                    let content: Vec<String> = split
                        .iter()
                        .filter(|w| !(drop_stop && STOP_WORDS.contains(&w.as_str())))
                        .cloned()
                        .collect();
                    let as_typed = match self.tuning.run_split {
                        RunSplit::AsTyped => true,
                        RunSplit::Sentences(n) => content.len() < n,
                        RunSplit::Words => content.len() < 2,
                        // A piece of one character means the vocabulary does not know the
                        // typed word (缴送 → 缴 送, 图书馆员 → 图书馆 员): keep it whole.
                        RunSplit::KnownWords => {
                            content.len() < 2 || content.iter().any(|w| w.chars().count() == 1)
                        }
                    };
                    if content.is_empty() {
                        stop_units.push(Unit::cjk(slice, split, Script::Han));
                    } else if as_typed {
                        units.push(Unit::cjk(slice, content, Script::Han));
                    } else {
                        if self.tuning.adjacency_boost > 0.0 {
                            let grams: Vec<String> = analysis::gram_terms(slice)
                                .into_iter()
                                .map(|t| t.text)
                                .collect();
                            if let Some(q) = sequence(self.fields.grams, &grams) {
                                bonus.push((
                                    Occur::Should,
                                    Box::new(BoostQuery::new(q, self.tuning.adjacency_boost)),
                                ));
                            }
                        }
                        for w in content {
                            units.push(Unit::cjk(&w.clone(), vec![w], Script::Han));
                        }
                    }
                }
                Script::Hangul | Script::Kana => {
                    units.push(Unit::cjk(slice, vec![slice.to_string()], run.script));
                }
                Script::Word => {
                    analysis::word_term(slice, &mut term);
                    let unit = Unit {
                        text: term.clone(),
                        script: Script::Word,
                        words: Vec::new(),
                    };
                    if drop_stop && STOP_WORDS.contains(&slice.to_lowercase().as_str()) {
                        stop_units.push(unit);
                    } else {
                        units.push(unit);
                    }
                }
            }
        }
        if units.is_empty() {
            units = stop_units;
        }
        let mut groups = Vec::with_capacity(units.len());
        for u in &units {
            if highlight {
                if u.script == Script::Word {
                    self.highlighter.add_word_term(&u.text);
                } else {
                    self.highlighter.add_cjk(&u.text);
                }
            }
            groups.push(self.unit_group(u)?);
        }
        let bonus = match bonus.len() {
            0 => None,
            _ => Some(Box::new(BooleanQuery::new(bonus)) as Box<dyn Query>),
        };
        Ok((groups, bonus))
    }

    /// One group: its text present in the clause (or, weaker, its context); ranked also by
    /// its jieba words in `body`.
    fn unit_group(&mut self, u: &Unit) -> tantivy::Result<Box<dyn Query>> {
        let f = self.fields;
        let t = self.tuning;
        if u.script == Script::Word {
            return Ok(term_query(f.body, &u.text));
        }
        let grams: Vec<String> = analysis::gram_terms(&u.text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        let mut present: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(q) = sequence(f.grams, &grams) {
            present.push((Occur::Should, Box::new(BoostQuery::new(q, t.grams_boost))));
        }
        if u.text.chars().count() == 1 && u.script == Script::Han {
            // One character is indexed inside bigrams (jieba's one-character words are not
            // indexed): any bigram starting or ending with it.
            if let Some(c) = u.text.chars().next() {
                if let Ok(q) = RegexQuery::from_pattern(&format!("{c}.|.{c}"), f.grams) {
                    let q: Box<dyn Query> = Box::new(q);
                    present.push((Occur::Should, Box::new(BoostQuery::new(q, t.grams_boost))));
                }
            }
        }
        let mut ranking: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in &u.words {
            if let Some(field) = self.word_field(w) {
                if self.doc_freq(w)? > 0 {
                    ranking.push((Occur::Should, term_query(field, w)));
                }
            }
        }
        if present.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        let mut clauses = vec![(
            Occur::Must,
            Box::new(BooleanQuery::new(present)) as Box<dyn Query>,
        )];
        clauses.extend(ranking);
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// A quoted phrase: its grams in order in the clause.
    fn phrase(&mut self, p: &str, highlight: bool) -> Box<dyn Query> {
        let f = self.fields;
        if highlight {
            self.highlighter.add_text(p);
        }
        let terms = analysis::gram_terms(p);
        if terms.is_empty() {
            return Box::new(EmptyQuery);
        }
        if terms.len() == 1 {
            return term_query(f.grams, &terms[0].text);
        }
        let with_offsets: Vec<(usize, Term)> = terms
            .iter()
            .map(|t| (t.position, Term::from_field_text(f.grams, &t.text)))
            .collect();
        Box::new(PhraseQuery::new_with_offset(with_offsets))
    }

    /// Where a word is indexed as a word: a Han word of two characters is a bigram of
    /// `grams`, longer ones (and Hangul and kana runs) are `body` terms; one Han character is
    /// not indexed as a word.
    fn word_field(&self, word: &str) -> Option<tantivy::schema::Field> {
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

    /// In how many clauses a word occurs as a word (see `word_field`); 0 for one character.
    fn doc_freq(&mut self, word: &str) -> tantivy::Result<u64> {
        if let Some(&n) = self.df_cache.get(word) {
            return Ok(n);
        }
        let n = match self.word_field(word) {
            Some(field) => self
                .searcher
                .doc_freq(&Term::from_field_text(field, word))?,
            None => 0,
        };
        self.df_cache.insert(word.to_string(), n);
        Ok(n)
    }

    /// Splits a Han run into words, see the module documentation.
    fn split_han(&mut self, run: &str) -> tantivy::Result<Vec<String>> {
        if self.tuning.segmenter == QuerySegmenter::Jieba {
            return Ok(analysis::jieba_cut(run));
        }
        // A pasted paragraph would cost thousands of lookups: split it into pieces first.
        if run.chars().count() > MAX_RUN_CHARS {
            let chars: Vec<char> = run.chars().collect();
            let mut words = Vec::new();
            for piece in chars.chunks(MAX_RUN_CHARS) {
                words.extend(self.split_han(&piece.iter().collect::<String>())?);
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
}

fn term_query(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// Terms that must appear in this order at consecutive positions.
fn sequence(field: tantivy::schema::Field, terms: &[String]) -> Option<Box<dyn Query>> {
    match terms {
        [] => None,
        [one] => Some(term_query(field, one)),
        many => Some(Box::new(PhraseQuery::new(
            many.iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))),
    }
}

fn all_of(mut groups: Vec<Box<dyn Query>>, bonus: Option<Box<dyn Query>>) -> Box<dyn Query> {
    if groups.is_empty() {
        return Box::new(EmptyQuery);
    }
    if groups.len() == 1 && bonus.is_none() {
        return groups.pop().unwrap_or_else(|| Box::new(EmptyQuery));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        groups.into_iter().map(|g| (Occur::Must, g)).collect();
    clauses.extend(bonus.map(|b| (Occur::Should, b)));
    Box::new(BooleanQuery::new(clauses))
}

/// Wraps a filter so it restricts without adding to the score.
pub(crate) fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}
