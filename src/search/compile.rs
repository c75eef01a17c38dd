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
//! loading jieba's 130 ms dictionary in a one-shot `lawdex search` (as relevant as jieba's own
//! cut: RESULTS-search.md has the measurements).
//!
//! Synonyms (see `expand`): a listed word that is a term of the thesaurus must match as typed
//! or through any of its synonyms, each weighed below the typed word. Terms are found whole
//! (视障, "free of charge", 도서관 이용자) and inside runs (视障读者 → 视障 + 读者); listed
//! words that are terms of one group are one word (`理事会 法人治理结构`: either will do);
//! one text never satisfies two words of a query. RESULTS-synonyms.md has the measurements.

use std::collections::{HashMap, HashSet};

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, FuzzyTermQuery,
    Occur, PhraseQuery, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::expand::{self, Expansion, Synonym, Thesaurus};
use super::query::Expr;
use super::snippet::Highlighter;
use super::{ExpandedWord, Tuning};
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

/// Longest run of query pieces joined to find a thesaurus term (视力 + 残疾 → 视力残疾).
const MAX_TERM_PIECES: usize = 4;

/// The tantivy queries for one search.
pub(crate) struct Compiled {
    /// Every word (as the query says).
    pub strict: Box<dyn Query>,
    /// The relaxed form, when the query has several words that could be relaxed.
    pub relaxed: Option<Box<dyn Query>>,
    pub highlighter: Highlighter,
    /// Words the thesaurus expanded, and what they also searched for.
    pub expansions: Vec<ExpandedWord>,
}

/// What one group of a typed word must match.
struct Unit {
    /// Folded CJK text that must appear as typed, the index term of an alphabetic word, or the
    /// folded words of a phrase (`phrase`).
    text: String,
    script: Script,
    /// jieba words of a CJK unit (from the index vocabulary), for ranking.
    words: Vec<String>,
    /// Several query words matched in order: a thesaurus term such as "free of charge".
    phrase: bool,
    /// As typed, for reporting what was expanded.
    typed: String,
    /// What the thesaurus adds, when the unit is one of its terms.
    expansion: Option<Expansion>,
    /// A term made of several words of the vocabulary (数字 + 资源): those words, each of
    /// which the term as typed must match, as it would without the thesaurus.
    parts: Vec<Unit>,
}

impl Unit {
    fn cjk(text: &str, words: Vec<String>, script: Script) -> Unit {
        Unit {
            text: text.to_string(),
            script,
            words,
            phrase: false,
            typed: text.to_string(),
            expansion: None,
            parts: Vec::new(),
        }
    }

    /// The thesaurus key of what the unit matches.
    fn key(&self) -> String {
        if self.phrase {
            expand::key(&self.text)
        } else {
            self.text.clone()
        }
    }
}

/// A piece of a split Han run: a word of the vocabulary (or an unknown chunk), or a thesaurus
/// term.
struct Piece {
    text: String,
    term: bool,
    /// The words of the vocabulary a term was joined from.
    words: Vec<String>,
}

/// How a top-level part of the query other than a listed word takes part in the search
/// (listed words are required in the strict query and may be relaxed: see `Built`).
enum Role {
    /// Always required: `+word`, phrases, groups, explicit AND.
    Required,
    /// Excluded: `NOT`, `-`.
    Excluded,
}

/// A listed word, built: what it must match in the all-words search, and the words it counts
/// as when relaxing to most words (a term typed as several words of the vocabulary, 流动图书馆,
/// counts as 流动 and 图书馆, each of which its synonyms satisfy, as without the thesaurus).
struct Built {
    whole: Box<dyn Query>,
    slots: Vec<Box<dyn Query>>,
}

/// A top-level part: a built query, or a listed word not built yet (listed words that are
/// terms of one thesaurus group become one word first).
enum Part {
    Query(Role, Box<dyn Query>),
    Word(Unit),
}

/// An item of an implicit AND: an expression, or several words forming one thesaurus term.
enum Item<'e> {
    Expr(&'e Expr),
    Phrase(Unit),
}

pub(crate) struct Compiler<'a> {
    pub searcher: &'a tantivy::Searcher,
    pub fields: Fields,
    pub tuning: &'a Tuning,
    /// `None`: no expansion (`--exact`).
    thesaurus: Option<&'a Thesaurus>,
    highlighter: Highlighter,
    df_cache: HashMap<String, u64>,
    term_df_cache: HashMap<(Field, String), u64>,
    num_docs: f64,
    expansions: Vec<ExpandedWord>,
}

impl<'a> Compiler<'a> {
    pub fn new(
        searcher: &'a tantivy::Searcher,
        fields: Fields,
        tuning: &'a Tuning,
        thesaurus: Option<&'a Thesaurus>,
    ) -> Self {
        Compiler {
            searcher,
            fields,
            tuning,
            thesaurus,
            highlighter: Highlighter::default(),
            df_cache: HashMap::new(),
            term_df_cache: HashMap::new(),
            num_docs: searcher.num_docs().max(1) as f64,
            expansions: Vec::new(),
        }
    }

    pub fn compile(mut self, expr: &Expr) -> tantivy::Result<Compiled> {
        let mut raw: Vec<Part> = Vec::new();
        self.top_level(expr, &mut raw)?;
        // Listed words that are terms of one group are one word with alternatives: a search
        // for `理事会 法人治理结构` or `legal deposit 缴送 납본` needs either, not all.
        let mut parts: Vec<(Role, Box<dyn Query>)> = Vec::new();
        let mut words: Vec<Vec<Unit>> = Vec::new();
        for part in raw {
            match part {
                Part::Query(role, q) => parts.push((role, q)),
                Part::Word(u) => {
                    let concepts = u.expansion.as_ref().map(|e| e.concepts.clone());
                    let same = concepts.and_then(|ids| {
                        words.iter_mut().find(|w| {
                            w.iter().any(|v| {
                                v.expansion
                                    .as_ref()
                                    .is_some_and(|e| e.concepts.iter().any(|c| ids.contains(c)))
                            })
                        })
                    });
                    match same {
                        Some(w) => w.push(u),
                        None => words.push(vec![u]),
                    }
                }
            }
        }
        let owners = synonym_owners(&words);
        let mut built: Vec<Built> = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            let foreign: HashSet<String> = owners
                .iter()
                .filter(|(_, &(owner, _))| owner != i)
                .map(|(k, _)| k.clone())
                .collect();
            built.push(self.alternatives(w, true, &foreign)?);
        }
        let relaxable: usize = built.iter().map(|b| b.slots.len()).sum();
        let mut strict_clauses: Vec<(Occur, Box<dyn Query>)> = parts
            .iter()
            .map(|(role, q)| match role {
                Role::Excluded => (Occur::MustNot, q.box_clone()),
                Role::Required => (Occur::Must, q.box_clone()),
            })
            .collect();
        strict_clauses.extend(built.iter().map(|b| (Occur::Must, b.whole.box_clone())));
        let strict: Box<dyn Query> = Box::new(BooleanQuery::new(strict_clauses));
        // Relaxed: clauses with at least half of the words (measured against any word and
        // never relaxing in RESULTS-search.md).
        let relaxed = match relaxable.div_ceil(2).max(1) {
            m if relaxable >= 2 => {
                let mut outer = Vec::new();
                for (role, q) in parts {
                    match role {
                        Role::Excluded => outer.push((Occur::MustNot, q)),
                        Role::Required => outer.push((Occur::Must, q)),
                    }
                }
                let words: Vec<(Occur, Box<dyn Query>)> = built
                    .into_iter()
                    .flat_map(|b| b.slots)
                    .map(|q| (Occur::Should, q))
                    .collect();
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
            expansions: self.expansions,
        })
    }

    fn top_level(&mut self, expr: &Expr, out: &mut Vec<Part>) -> tantivy::Result<()> {
        let expand = self.thesaurus.is_some();
        match expr {
            Expr::Word(w) => self.listed_word(w, out)?,
            Expr::And {
                items,
                implicit: true,
            } => {
                // A listed stop word ("libraries with disabilities") is neither required nor
                // highlighted, unless the query is nothing but stop words. (Within one word a
                // lone stop word is "all there is", so this is decided over the whole list.)
                let is_stop = |w: &str| STOP_WORDS.contains(&w.to_lowercase().as_str());
                let all_stop = items
                    .iter()
                    .all(|i| matches!(i, Expr::Word(w) if is_stop(w)));
                for item in self.items(items, expand)? {
                    match item {
                        Item::Phrase(u) => out.push(Part::Word(u)),
                        Item::Expr(Expr::Word(w)) if !all_stop && is_stop(w) => {}
                        Item::Expr(Expr::Word(w)) => self.listed_word(w, out)?,
                        Item::Expr(Expr::Not(inner)) => {
                            let q = self.expr(inner, false, false)?;
                            out.push(Part::Query(Role::Excluded, q));
                        }
                        Item::Expr(other) => {
                            let q = self.expr(other, true, expand)?;
                            out.push(Part::Query(Role::Required, q));
                        }
                    }
                }
            }
            Expr::Not(inner) => {
                let q = self.expr(inner, false, false)?;
                out.push(Part::Query(Role::Excluded, q));
            }
            other => {
                let q = self.expr(other, true, expand)?;
                out.push(Part::Query(Role::Required, q));
            }
        }
        Ok(())
    }

    /// A word of an implicit AND: its units, relaxable.
    fn listed_word(&mut self, w: &str, out: &mut Vec<Part>) -> tantivy::Result<()> {
        let units = self.word_units(w, self.thesaurus.is_some())?;
        out.extend(units.into_iter().map(Part::Word));
        Ok(())
    }

    /// Any expression below the top level; `highlight` is false under NOT; `expand` is false
    /// under `+` and NOT (the user asked for that word, or excludes exactly that word).
    fn expr(
        &mut self,
        expr: &Expr,
        highlight: bool,
        expand: bool,
    ) -> tantivy::Result<Box<dyn Query>> {
        Ok(match expr {
            Expr::Word(w) => {
                let units = self.word_units(w, expand)?;
                let mut groups = Vec::with_capacity(units.len());
                for u in units {
                    let built =
                        self.alternatives(std::slice::from_ref(&u), highlight, &HashSet::new())?;
                    groups.push(built.whole);
                }
                all_of(groups)
            }
            Expr::Phrase(p) => self.phrase(p, highlight),
            Expr::Required(inner) => self.expr(inner, highlight, false)?,
            Expr::Not(inner) => {
                // NOT inside a group: match everything the group allows minus this. The
                // parent decides what "everything" is, so a lone NOT excludes from its siblings.
                let q = self.expr(inner, false, false)?;
                Box::new(BooleanQuery::new(vec![(Occur::MustNot, q)]))
            }
            Expr::And { items, implicit } => {
                let mut clauses = Vec::new();
                for item in self.items(items, expand && *implicit)? {
                    match item {
                        Item::Phrase(u) => {
                            let built = self.alternatives(
                                std::slice::from_ref(&u),
                                highlight,
                                &HashSet::new(),
                            )?;
                            clauses.push((Occur::Must, built.whole));
                        }
                        Item::Expr(Expr::Not(inner)) => {
                            clauses.push((Occur::MustNot, self.expr(inner, false, false)?));
                        }
                        Item::Expr(other) => {
                            clauses.push((Occur::Must, self.expr(other, highlight, expand)?))
                        }
                    }
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Expr::Or(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    clauses.push((Occur::Should, self.expr(item, highlight, expand)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        })
    }

    /// The items of an implicit AND; with `phrases`, listed words that together are a
    /// thesaurus term ("board of trustees") become one item.
    fn items<'e>(&mut self, items: &'e [Expr], phrases: bool) -> tantivy::Result<Vec<Item<'e>>> {
        let mut out = Vec::with_capacity(items.len());
        let mut i = 0;
        while i < items.len() {
            if phrases {
                if let Some((n, unit)) = self.phrase_term(&items[i..])? {
                    out.push(Item::Phrase(unit));
                    i += n;
                    continue;
                }
            }
            out.push(Item::Expr(&items[i]));
            i += 1;
        }
        Ok(out)
    }

    /// The longest run of two or more words at the start of `items` that is a thesaurus term.
    /// As typed, its words match as they would without the thesaurus (each anywhere in the
    /// clause); its synonyms are the alternatives.
    fn phrase_term(&mut self, items: &[Expr]) -> tantivy::Result<Option<(usize, Unit)>> {
        let Some(t) = self.thesaurus else {
            return Ok(None);
        };
        let words: Vec<&str> = items
            .iter()
            .take(t.max_phrase_words())
            .map_while(|e| match e {
                Expr::Word(w) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        let Some((n, typed, expansion)) = (2..=words.len()).rev().find_map(|n| {
            let typed = words[..n].join(" ");
            let expansion = t.expand_key(&expand::key(&typed))?;
            Some((n, typed, expansion))
        }) else {
            return Ok(None);
        };
        let mut parts = Vec::new();
        for w in &words[..n] {
            if STOP_WORDS.contains(&w.to_lowercase().as_str()) {
                continue;
            }
            parts.extend(self.word_units(w, false)?);
        }
        Ok(Some((
            n,
            Unit {
                text: analysis::normalize(&typed).text,
                script: Script::Word,
                words: Vec::new(),
                phrase: true,
                typed,
                expansion: Some(expansion),
                parts,
            },
        )))
    }

    /// The units of a typed word: each must match. How a CJK run is split is
    /// into its words (公共图书馆 → 公共 + 图书馆, each anywhere
    /// in the clause), unless the vocabulary does not know the typed word (缴送, 图书馆员),
    /// which then must appear as typed. With `expand`, thesaurus terms in a run are units of
    /// their own (视障读者 → 视障 + 读者) that carry their synonyms. Stop words are dropped
    /// unless they are all there is.
    fn word_units(&mut self, word: &str, expand: bool) -> tantivy::Result<Vec<Unit>> {
        let thesaurus = if expand { self.thesaurus } else { None };
        let norm = analysis::normalize(word);
        let mut units: Vec<Unit> = Vec::new();
        let mut stop_units: Vec<Unit> = Vec::new();
        let mut term = String::new();
        for run in analysis::runs(&norm.text) {
            let slice = &norm.text[run.start..run.end];
            match run.script {
                Script::Han => {
                    let split = self.split_han(slice)?;
                    let pieces = match thesaurus {
                        Some(t) => self.mark_terms(t, split)?,
                        None => split
                            .into_iter()
                            .map(|text| Piece {
                                text,
                                term: false,
                                words: Vec::new(),
                            })
                            .collect(),
                    };
                    let mut stretch: Vec<String> = Vec::new();
                    for piece in pieces {
                        if piece.term {
                            let before = std::mem::take(&mut stretch);
                            self.han_units(before, &mut units, &mut stop_units);
                            let mut u =
                                Unit::cjk(&piece.text, vec![piece.text.clone()], run.script);
                            u.expansion = thesaurus.and_then(|t| t.expand_key(&piece.text));
                            if piece.words.len() > 1 {
                                let (mut parts, mut stop) = (Vec::new(), Vec::new());
                                self.han_units(piece.words, &mut parts, &mut stop);
                                if parts.len() > 1 {
                                    u.parts = parts;
                                }
                            }
                            units.push(u);
                        } else {
                            stretch.push(piece.text);
                        }
                    }
                    self.han_units(stretch, &mut units, &mut stop_units);
                }
                Script::Hangul | Script::Kana => {
                    let mut u = Unit::cjk(slice, vec![slice.to_string()], run.script);
                    let stem = thesaurus.and_then(|t| match run.script {
                        Script::Hangul => t.hangul_term(slice),
                        _ => t.is_term(slice).then_some(slice),
                    });
                    if let (Some(t), Some(stem)) = (thesaurus, stem) {
                        // The particle is grammar, not meaning: 장애인을 is found as 장애인.
                        if stem != slice {
                            u.text = stem.to_string();
                            u.words.push(stem.to_string());
                        }
                        u.expansion = t.expand_key(stem);
                    }
                    units.push(u);
                }
                Script::Word => {
                    analysis::word_term(slice, &mut term);
                    let prefix = norm.text[run.end..].starts_with('*')
                        && slice.bytes().all(|b| b.is_ascii_alphanumeric());
                    if prefix {
                        // `lib*`: every indexed word starting so (library, librarian). The
                        // typed letters, not their stem, are the prefix of the index terms.
                        term = format!("{}*", slice.to_ascii_lowercase());
                    } else if let Some(fixed) = self.typo_correction(slice, &term)? {
                        term = fixed;
                    }
                    let mut unit = Unit {
                        text: term.clone(),
                        script: Script::Word,
                        words: Vec::new(),
                        phrase: false,
                        typed: slice.to_string(),
                        expansion: None,
                        parts: Vec::new(),
                    };
                    if STOP_WORDS.contains(&slice.to_lowercase().as_str()) {
                        stop_units.push(unit);
                    } else {
                        if !prefix {
                            unit.expansion = thesaurus.and_then(|t| t.expand_key(&term));
                        }
                        units.push(unit);
                    }
                }
            }
        }
        if units.is_empty() {
            units = stop_units;
        }
        Ok(units)
    }

    /// The units of consecutive Han words (a run, or the part of it between thesaurus terms):
    /// as typed or word by word, see `word_units`.
    fn han_units(&self, split: Vec<String>, units: &mut Vec<Unit>, stop_units: &mut Vec<Unit>) {
        if split.is_empty() {
            return;
        }
        let slice = split.concat();
        let content: Vec<String> = split
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        // A piece of one character means the vocabulary does not know the typed word
        // (缴送 → 缴 送, 图书馆员 → 图书馆 员): keep it whole.
        let as_typed = content.len() < 2 || content.iter().any(|w| w.chars().count() == 1);
        if content.is_empty() {
            stop_units.push(Unit::cjk(&slice, split, Script::Han));
        } else if as_typed {
            units.push(Unit::cjk(&slice, content, Script::Han));
        } else {
            for w in content {
                units.push(Unit::cjk(&w.clone(), vec![w], Script::Han));
            }
        }
    }

    /// Marks the thesaurus terms among the words of a split Han run: consecutive words that
    /// together are a term (视力 + 残疾 → 视力残疾), and terms inside a chunk the vocabulary does
    /// not know (视障者 in 视障者读).
    fn mark_terms(&mut self, t: &Thesaurus, split: Vec<String>) -> tantivy::Result<Vec<Piece>> {
        let mut out = Vec::with_capacity(split.len());
        let mut i = 0;
        while i < split.len() {
            let mut joined = String::new();
            let mut found = None;
            for (j, piece) in split.iter().enumerate().skip(i).take(MAX_TERM_PIECES) {
                joined.push_str(piece);
                if t.is_term(&joined) {
                    found = Some((j + 1, joined.clone()));
                }
            }
            if let Some((next, text)) = found {
                out.push(Piece {
                    text,
                    term: true,
                    words: split[i..next].to_vec(),
                });
                i = next;
                continue;
            }
            let piece = &split[i];
            if piece.chars().count() > 2 && self.doc_freq(piece)? == 0 {
                out.extend(terms_inside(t, piece));
            } else {
                out.push(Piece {
                    text: piece.clone(),
                    term: false,
                    words: Vec::new(),
                });
            }
            i += 1;
        }
        Ok(out)
    }

    /// One required word: any of its typed forms (several when listed words are terms of one
    /// group), or any of their synonyms at a lower weight. A synonym rarer than the typed word
    /// would score higher by BM25 alone, so its weight is also scaled down to the typed
    /// word's: where both occur alike, the clause with the word the user typed ranks first.
    /// Synonyms whose keys are in `foreign` belong to another word of the query.
    fn alternatives(
        &mut self,
        typed: &[Unit],
        highlight: bool,
        foreign: &HashSet<String>,
    ) -> tantivy::Result<Built> {
        // Per typed unit: the queries of its words (one unless it has parts).
        let mut forms: Vec<Vec<Box<dyn Query>>> = Vec::with_capacity(typed.len());
        let mut typed_strength = 0.0f32;
        let mut keys: HashSet<String> = HashSet::new();
        for u in typed {
            keys.insert(u.key());
            let whole = std::slice::from_ref(u);
            let words = if u.parts.is_empty() { whole } else { &u.parts };
            let mut queries = Vec::with_capacity(words.len());
            let (mut strength, mut found) = (0.0, true);
            for w in words {
                if highlight {
                    self.highlight_unit(w);
                }
                let (s, f) = self.unit_strength(w)?;
                strength += s;
                found &= f;
                queries.push(if w.phrase {
                    self.phrase_query(&w.text)
                } else {
                    self.unit_group(w)?
                });
            }
            if found {
                typed_strength = typed_strength.max(strength);
            }
            forms.push(queries);
        }
        let mut synonyms: Vec<(String, &Synonym)> = Vec::new();
        for s in typed
            .iter()
            .filter_map(|u| u.expansion.as_ref())
            .flat_map(|e| &e.synonyms)
        {
            let k = expand::key(&s.text);
            if keys.contains(&k) || foreign.contains(&k) {
                continue;
            }
            match synonyms.iter_mut().find(|(sk, _)| *sk == k) {
                Some(found) if s.relation < found.1.relation => found.1 = s,
                Some(_) => {}
                None => synonyms.push((k, s)),
            }
        }
        let mut used: Vec<Synonym> = Vec::new();
        // (query, weight) of each synonym.
        let mut close: Vec<(Box<dyn Query>, f32)> = Vec::new();
        let weight = self.tuning.synonym_weight;
        for (_, s) in synonyms {
            let (q, strength) = self.synonym_query(&s.text)?;
            let scale = if typed_strength > 0.0 && strength > typed_strength {
                typed_strength / strength
            } else {
                1.0
            };
            if highlight {
                self.highlighter.add_phrase(&s.text);
            }
            close.push((q, weight * scale));
            used.push(s.clone());
        }
        if !used.is_empty() && highlight {
            let mut word: Vec<&str> = Vec::new();
            for u in typed {
                if !word.contains(&u.typed.as_str()) {
                    word.push(u.typed.as_str());
                }
            }
            let word = word.join(" / ");
            // A pasted paragraph repeats its words: list each expansion once.
            if !self
                .expansions
                .iter()
                .any(|e| e.word == word || e.synonyms == used)
            {
                self.expansions.push(ExpandedWord {
                    word,
                    synonyms: used,
                });
            }
        }
        let tie = self.tuning.synonym_tie_breaker;
        let boosted = |share: f32| -> Vec<Box<dyn Query>> {
            close
                .iter()
                .map(|(q, w)| Box::new(BoostQuery::new(q.box_clone(), w * share)) as Box<dyn Query>)
                .collect()
        };
        // Relaxing counts a single typed term of several words as those words.
        let slot_parts: Option<Vec<Box<dyn Query>>> = match forms.as_slice() {
            [one] if one.len() > 1 => Some(one.iter().map(|q| q.box_clone()).collect()),
            _ => None,
        };
        let mut whole: Vec<Box<dyn Query>> = forms.into_iter().map(|f| all_of(f)).collect();
        whole.extend(boosted(1.0));
        let whole = any_of(whole, tie);
        let slots = match slot_parts {
            Some(parts) => {
                // A synonym satisfies every slot; its score is shared among them.
                let share = 1.0 / parts.len() as f32;
                parts
                    .into_iter()
                    .map(|p| {
                        let mut slot = vec![p];
                        slot.extend(boosted(share));
                        any_of(slot, tie)
                    })
                    .collect()
            }
            None => vec![whole.box_clone()],
        };
        Ok(Built { whole, slots })
    }

    fn highlight_unit(&mut self, u: &Unit) {
        if u.phrase {
            self.highlighter.add_phrase(&u.text);
        } else if u.script == Script::Word {
            self.highlighter.add_word_term(&u.text);
        } else {
            self.highlighter.add_cjk(&u.text);
        }
    }

    /// A synonym's query, built like a typed word's, and its strength (see `unit_strength`).
    fn synonym_query(&mut self, text: &str) -> tantivy::Result<(Box<dyn Query>, f32)> {
        let norm = analysis::normalize(text);
        let runs = analysis::runs(&norm.text);
        let unit = match runs.as_slice() {
            [run] if run.script == Script::Word => {
                let mut term = String::new();
                analysis::word_term(&norm.text[run.start..run.end], &mut term);
                Unit {
                    text: term.clone(),
                    script: Script::Word,
                    words: Vec::new(),
                    phrase: false,
                    typed: term,
                    expansion: None,
                    parts: Vec::new(),
                }
            }
            [run] => {
                let slice = &norm.text[run.start..run.end];
                Unit::cjk(slice, vec![slice.to_string()], run.script)
            }
            _ => Unit {
                text: norm.text.clone(),
                script: Script::Word,
                words: Vec::new(),
                phrase: true,
                typed: norm.text.clone(),
                expansion: None,
                parts: Vec::new(),
            },
        };
        let (strength, _) = self.unit_strength(&unit)?;
        let q = if unit.phrase {
            self.phrase_query(&unit.text)
        } else {
            self.unit_group(&unit)?
        };
        Ok((q, strength))
    }

    /// What a unit's match weighs at most (the IDF its query sums, term frequency and length
    /// aside), and whether every term it needs occurs in the index.
    fn unit_strength(&mut self, u: &Unit) -> tantivy::Result<(f32, bool)> {
        let f = self.fields;
        if u.script == Script::Word && !u.phrase {
            if let Some(prefix) = u.text.strip_suffix('*') {
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(f.body, prefix), 0, false);
                let n = self.searcher.search(&q, &tantivy::collector::Count)? as u64;
                return Ok((self.idf(n), n > 0));
            }
            let df = self.term_df(f.body, &u.text)?;
            return Ok((self.idf(df), df > 0));
        }
        let boost = if u.phrase {
            1.0
        } else {
            self.tuning.grams_boost
        };
        let grams = analysis::gram_terms(&u.text);
        let mut strength = 0.0;
        let mut found = !grams.is_empty();
        for g in &grams {
            let df = self.term_df(f.grams, &g.text)?;
            found &= df > 0;
            strength += boost * self.idf(df);
        }
        if !u.phrase {
            for w in &u.words {
                let df = self.doc_freq(w)?;
                if df > 0 {
                    strength += self.idf(df);
                }
            }
        }
        Ok((strength, found))
    }

    /// BM25's IDF, as tantivy computes it.
    fn idf(&self, df: u64) -> f32 {
        let df = df as f64;
        (1.0 + (self.num_docs - df + 0.5) / (df + 0.5))
            .ln()
            .max(0.0) as f32
    }

    /// An English word of five letters or more that no clause has (`libary`, `disabilites`)
    /// is read as the indexed word one edit away (insertion, deletion, substitution or
    /// transposition of a letter) that most clauses have, compared after stemming. A word
    /// the index knows is never corrected, so a correction never outranks an exact match.
    fn typo_correction(&mut self, typed: &str, term: &str) -> tantivy::Result<Option<String>> {
        let lower = typed.to_ascii_lowercase();
        if lower.len() < 5 || !lower.bytes().all(|b| b.is_ascii_lowercase()) {
            return Ok(None);
        }
        let body = self.fields.body;
        if self.term_df(body, term)? > 0 {
            return Ok(None);
        }
        let chars: Vec<u8> = lower.into_bytes();
        let mut candidates: Vec<Vec<u8>> = Vec::new();
        for i in 0..=chars.len() {
            for c in b'a'..=b'z' {
                let mut w = chars.clone();
                w.insert(i, c);
                candidates.push(w);
                if i < chars.len() && chars[i] != c {
                    let mut w = chars.clone();
                    w[i] = c;
                    candidates.push(w);
                }
            }
            if i < chars.len() {
                let mut w = chars.clone();
                w.remove(i);
                candidates.push(w);
            }
            if i + 1 < chars.len() {
                let mut w = chars.clone();
                w.swap(i, i + 1);
                candidates.push(w);
            }
        }
        let mut best: Option<(u64, String)> = None;
        let mut stem = String::new();
        for w in candidates {
            let Ok(w) = String::from_utf8(w) else {
                continue;
            };
            analysis::word_term(&w, &mut stem);
            let df = self.term_df(body, &stem)?;
            if df > 0
                && best
                    .as_ref()
                    .is_none_or(|(n, s)| df > *n || (df == *n && stem < *s))
            {
                best = Some((df, stem.clone()));
            }
        }
        Ok(best.map(|(_, s)| s))
    }

    fn term_df(&mut self, field: Field, text: &str) -> tantivy::Result<u64> {
        if let Some(&n) = self.term_df_cache.get(&(field, text.to_string())) {
            return Ok(n);
        }
        let n = self
            .searcher
            .doc_freq(&Term::from_field_text(field, text))?;
        self.term_df_cache.insert((field, text.to_string()), n);
        Ok(n)
    }

    /// One group: its text present in the clause (or, weaker, its context); ranked also by
    /// its jieba words in `body`.
    fn unit_group(&mut self, u: &Unit) -> tantivy::Result<Box<dyn Query>> {
        let f = self.fields;
        let t = self.tuning;
        if u.script == Script::Word {
            if let Some(prefix) = u.text.strip_suffix('*') {
                let term = Term::from_field_text(f.body, prefix);
                return Ok(Box::new(FuzzyTermQuery::new_prefix(term, 0, false)));
            }
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
        if highlight {
            self.highlighter.add_text(p);
        }
        self.phrase_query(p)
    }

    fn phrase_query(&self, p: &str) -> Box<dyn Query> {
        let f = self.fields;
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

/// Any of these queries: the best-scoring one counts, the others by `tie_breaker`.
fn any_of(mut alts: Vec<Box<dyn Query>>, tie_breaker: f32) -> Box<dyn Query> {
    if alts.len() == 1 {
        if let Some(only) = alts.pop() {
            return only;
        }
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(alts, tie_breaker))
}

fn all_of(mut groups: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if groups.len() <= 1 {
        return groups.pop().unwrap_or_else(|| Box::new(EmptyQuery));
    }
    Box::new(BooleanQuery::new(
        groups.into_iter().map(|g| (Occur::Must, g)).collect(),
    ))
}

/// Wraps a filter so it restricts without adding to the score.
pub(crate) fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// Thesaurus terms inside a chunk of characters the vocabulary does not know, by forward
/// maximum matching; the rest stays as chunks.
fn terms_inside(t: &Thesaurus, chunk: &str) -> Vec<Piece> {
    let bounds: Vec<usize> = chunk
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(chunk.len()))
        .collect();
    let n = bounds.len() - 1;
    let mut out = Vec::new();
    let (mut rest, mut i) = (0, 0);
    while i < n {
        let longest = (2..=MAX_WORD_CHARS.min(n - i))
            .rev()
            .find(|&len| t.is_term(&chunk[bounds[i]..bounds[i + len]]));
        match longest {
            Some(len) => {
                if rest < i {
                    out.push(Piece {
                        text: chunk[bounds[rest]..bounds[i]].to_string(),
                        term: false,
                        words: Vec::new(),
                    });
                }
                out.push(Piece {
                    text: chunk[bounds[i]..bounds[i + len]].to_string(),
                    term: true,
                    words: Vec::new(),
                });
                i += len;
                rest = i;
            }
            None => i += 1,
        }
    }
    if rest < n {
        out.push(Piece {
            text: chunk[bounds[rest]..].to_string(),
            term: false,
            words: Vec::new(),
        });
    }
    out
}

/// Which listed word (index in `words`) each typed word and synonym belongs to, by key: one
/// text must not satisfy two words of a query. In `图书馆 法律责任 罚款`, 罚款 is typed, so
/// it is not also a (narrower) synonym of 法律责任, and 罚金 goes to 罚款, whose equivalent it
/// is, rather than to 法律责任, whose narrower term it is. Typed words come first, then
/// equivalents, then narrower terms, then the earlier word.
fn synonym_owners(words: &[Vec<Unit>]) -> HashMap<String, (usize, usize)> {
    let mut owners: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        for u in w {
            owners.entry(u.key()).or_insert((i, 0));
        }
    }
    for (i, w) in words.iter().enumerate() {
        for s in w
            .iter()
            .filter_map(|u| u.expansion.as_ref())
            .flat_map(|e| &e.synonyms)
        {
            let rank = 1 + s.relation as usize;
            let owner = owners.entry(expand::key(&s.text)).or_insert((i, rank));
            if rank < owner.1 {
                *owner = (i, rank);
            }
        }
    }
    owners
}

#[cfg(test)]
mod tests {
    use crate::index::ClauseIndex;
    use crate::model::{Clause, ClauseId, ClauseKind, DocInfo, Format, Origin, SegmentedDoc};
    use crate::search::{Query, Results, Searcher};

    /// A hand-made document of one clause per text, indexed in a temporary directory.
    fn index(texts: &[&str]) -> (tempfile::TempDir, Searcher) {
        let dir = tempfile::tempdir().unwrap();
        let clauses = texts
            .iter()
            .enumerate()
            .map(|(i, text)| Clause {
                id: ClauseId(format!("d/art{}", i + 1)),
                doc_id: "d".into(),
                ordinal: i as u32 + 1,
                kind: ClauseKind::Article,
                label: format!("art{}", i + 1),
                number: None,
                caption: String::new(),
                headings: Vec::new(),
                paragraphs: vec![text.to_string()],
                text: text.to_string(),
                origin: Origin::default(),
            })
            .collect();
        let doc = SegmentedDoc {
            info: DocInfo::new("d", "d.md", "测试条例", Format::Markdown, "zh-Hans"),
            clauses,
        };
        let index = ClauseIndex::open_or_create(dir.path()).unwrap();
        let batch = index.batch().unwrap();
        batch.replace(&doc).unwrap();
        batch.commit().unwrap();
        let searcher = Searcher::open(dir.path()).unwrap();
        (dir, searcher)
    }

    fn search(s: &Searcher, q: &str, exact: bool) -> Results {
        let mut query = Query::parse(q).unwrap();
        query.exact = exact;
        s.search(&query).unwrap()
    }

    /// Clause numbers of the hits, best first.
    fn arts(r: &Results) -> Vec<String> {
        r.hits
            .iter()
            .map(|h| h.clause_id.trim_start_matches("d/").to_string())
            .collect()
    }

    const VISION: &[&str] = &[
        "图书馆应当为视障读者提供无障碍阅读服务。",
        "图书馆应当为盲人提供盲文读物。",
        "图书馆应当为视力残疾人提供有声读物。",
        "图书馆应当按时开放。",
    ];

    #[test]
    fn a_chinese_word_also_finds_its_synonyms_ranked_below_it() {
        let (_dir, s) = index(VISION);
        let r = search(&s, "视障", false);
        assert_eq!(arts(&r)[0], "art1", "the word as typed first");
        let mut found = arts(&r);
        found.sort_unstable();
        assert_eq!(found, ["art1", "art2", "art3"]);
        assert!(r.hits.iter().all(|h| h.all_words));
        assert_eq!(r.expansions.len(), 1);
        assert_eq!(r.expansions[0].word, "视障");
        // The snippet marks the synonym that matched.
        assert_eq!(
            r.hits[1..]
                .iter()
                .filter(|h| h.snippet.terminal(false).contains("[盲人]"))
                .count(),
            1
        );
        // --exact: as typed only.
        let exact = search(&s, "视障", true);
        assert_eq!(arts(&exact), ["art1"]);
        assert!(exact.expansions.is_empty());
    }

    #[test]
    fn terms_are_found_inside_a_typed_run() {
        let (_dir, s) = index(VISION);
        // 视障读者 → 视障 (expanded) + 读者; only art1 has 读者.
        let r = search(&s, "视障读者", false);
        assert_eq!(arts(&r)[0], "art1");
        assert!(r.hits[0].all_words);
    }

    #[test]
    fn narrower_terms_expand_one_way_only() {
        let (_dir, s) = index(VISION);
        assert_eq!(arts(&search(&s, "盲人", false)), ["art2"]);
    }

    #[test]
    fn phrases_plus_words_and_exclusions_are_taken_as_typed() {
        let (_dir, s) = index(VISION);
        assert_eq!(arts(&search(&s, "\"视障\"", false)), ["art1"]);
        assert_eq!(arts(&search(&s, "+视障", false)), ["art1"]);
        // Excluding 视障 does not exclude its synonyms.
        let mut rest = arts(&search(&s, "图书馆 -视障", false));
        rest.sort_unstable();
        assert_eq!(rest, ["art2", "art3", "art4"]);
    }

    #[test]
    fn an_english_word_finds_phrases_and_marks_them_whole() {
        let (_dir, s) = index(&[
            "Public libraries shall serve individuals with disabilities.",
            "The library shall provide books in braille for blind readers.",
            "The library shall open daily.",
        ]);
        let r = search(&s, "handicapped", false);
        let mut found = arts(&r);
        found.sort_unstable();
        assert_eq!(found, ["art1", "art2"]);
        let art1 = r.hits.iter().find(|h| h.clause_id == "d/art1").unwrap();
        assert_eq!(
            art1.snippet.terminal(false),
            "Public libraries shall serve [individuals with disabilities]."
        );
        assert!(search(&s, "handicapped", true).hits.is_empty());
    }

    #[test]
    fn one_text_does_not_satisfy_two_words_of_a_query() {
        let (_dir, s) = index(&[
            "违反本条例规定的，处以一千元罚款。",
            "违反本条例规定的，依法追究法律责任，并处以一千元罚款。",
        ]);
        // 罚款 is a narrower term of 法律责任, but the query names it as a word of its own.
        let r = search(&s, "法律责任 罚款", false);
        assert_eq!(arts(&r), ["art2", "art1"]);
        assert!(r.hits[0].all_words && !r.hits[1].all_words);
    }

    #[test]
    fn listed_terms_of_one_group_are_alternatives() {
        let (_dir, s) = index(&[
            "公共图书馆应当建立理事会。",
            "公共图书馆应当建立健全法人治理结构。",
            "公共图书馆应当按时开放。",
        ]);
        let r = search(&s, "公共图书馆 理事会 法人治理结构", false);
        let mut every_word: Vec<&str> = r
            .hits
            .iter()
            .filter(|h| h.all_words)
            .map(|h| h.clause_id.as_str())
            .collect();
        every_word.sort_unstable();
        assert_eq!(every_word, ["d/art1", "d/art2"], "either term is the word");
        assert_eq!(r.total, 2);
        assert_eq!(r.expansions[0].word, "理事会 / 法人治理结构");
    }

    #[test]
    fn korean_particles_do_not_hide_a_term() {
        let (_dir, s) = index(&[
            "도서관은 장애인에게 점자자료를 제공한다.",
            "도서관은 매일 개관한다.",
        ]);
        assert!(search(&s, "장애인을", true).hits.is_empty());
        assert_eq!(arts(&search(&s, "장애인을", false)), ["art1"]);
    }
}
