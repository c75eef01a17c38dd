//! Query expression → tantivy query, through the same analysis as the indexed text.
//!
//! A word matches a clause when its characters appear in the clause (a phrase query over the
//! `grams` bigrams: exact, whatever jieba made of the surrounding text). Ranking adds BM25 of
//! the word in `body`,
//! the jieba-segmented text, so a clause where 法人 is a word ranks above one where the two
//! characters only meet (合法人身).
//!
//! A run of Chinese characters in the query is taken whole when the index knows it as one
//! word (公共图书馆, 总分馆制); otherwise jieba's dictionary cuts it (国家图书馆的主要职能 →
//! 国家图书馆 + 的 + 主要 + 职能), and a dictionary word the index lacks is split again by the
//! index's own vocabulary: the split that maximises the product of the words' document
//! frequencies. The vocabulary alone cannot read a sentence, since every bigram of the corpus
//! is in it (图书馆应当 → 图书 + 馆应 + 当), so the 90 ms dictionary is loaded for such runs
//! (RESULTS-search.md has the measurements). In a run of two meaningful words or more (a
//! sentence), one-character words are dropped rather than glued to their neighbours.
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

use super::expand::{self, Expansion, People, Relation, Synonym, Thesaurus};
use super::query::Expr;
use super::snippet::Highlighter;
use super::{Correction, ExpandedWord, PlaceWord, Tuning};
use crate::index::analysis::{self, Script};
use crate::index::Fields;

mod builders;
mod thesaurus;
mod vocabulary;
mod words;

pub(crate) use builders::filter;
use builders::*;
use vocabulary::*;
use words::*;

/// Document frequencies of terms in one snapshot of the index, by field and term.
pub(crate) type DocFreqs = std::sync::Mutex<HashMap<(Field, String), u64>>;

/// The tantivy queries for one search.
pub(crate) struct Compiled {
    /// Every word (as the query says), each in the language typed or through its synonyms.
    pub strict: Box<dyn Query>,
    /// Every word, some through translations (terms of other languages), when the query has
    /// translations that occur in the index.
    pub translated: Option<Box<dyn Query>>,
    /// The relaxed form, when the query has several words that could be relaxed.
    pub relaxed: Option<Box<dyn Query>>,
    /// Each word the thesaurus knows, in any language, when two or more are known and some
    /// are not: partial hits stating more of them come first.
    pub concept_parts: Vec<Box<dyn Query>>,
    /// Any word of the query (or a synonym or translation of one), with the query's required
    /// and excluded parts: what a clause needs to join the partial hits through feedback.
    pub any_word: Option<Box<dyn Query>>,
    /// The words that have translations, at least half of them, when a place was read: what
    /// its documents can show of a question typed in another language, searched when nothing
    /// else is found.
    pub in_place: Option<Box<dyn Query>>,
    pub highlighter: Highlighter,
    /// Words the thesaurus expanded, and what they also searched for.
    pub expansions: Vec<ExpandedWord>,
    /// Words no clause has, read as the indexed word one typo away.
    pub corrections: Vec<Correction>,
    /// Words read as the jurisdiction they name, which the search is restricted to.
    pub places: Vec<PlaceWord>,
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
    /// The word's translations found in the index, when it has some.
    foreign: Option<Box<dyn Query>>,
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
    /// Document frequencies by field and term, shared by the searcher's queries.
    dfs: &'a DocFreqs,
    num_docs: f64,
    expansions: Vec<ExpandedWord>,
    corrections: Vec<Correction>,
    /// Whether some word got a translation that occurs in the index.
    translated: bool,
    /// Whether a word naming a jurisdiction the index holds is read as that jurisdiction.
    read_places: bool,
    /// Whether the word being read is a listed word of the top level (a place is read only
    /// there: under NOT, OR or brackets it stays a word).
    top_word: bool,
    /// Whether the words being read are those of a thesaurus term of several words, spelled
    /// as the thesaurus spells them: never typo-corrected.
    in_term: bool,
    /// Whether the words being read must be in the clause itself, not only in its headings:
    /// under `-` and `+` (`-服务` excludes the clauses that say 服务, not every article of a
    /// chapter headed 服务).
    own_text: bool,
    places: Vec<PlaceWord>,
}

impl<'a> Compiler<'a> {
    pub fn new(
        searcher: &'a tantivy::Searcher,
        fields: Fields,
        tuning: &'a Tuning,
        thesaurus: Option<&'a Thesaurus>,
        read_places: bool,
        dfs: &'a DocFreqs,
    ) -> Self {
        Compiler {
            searcher,
            fields,
            tuning,
            thesaurus,
            highlighter: Highlighter::default(),
            dfs,
            num_docs: searcher.num_docs().max(1) as f64,
            expansions: Vec::new(),
            corrections: Vec::new(),
            translated: false,
            read_places,
            top_word: false,
            in_term: false,
            own_text: false,
            places: Vec::new(),
        }
    }

    /// The jurisdiction a typed name stands for (see [`crate::grammar::jurisdiction_of`]),
    /// when places are read and the index holds documents of it; it is then recorded.
    fn place(&mut self, typed: &str) -> tantivy::Result<bool> {
        if !self.read_places {
            return Ok(false);
        }
        // "Australia?", "(Korea)", Ａｕｓｔｒａｌｉａ, 臺灣: the name without punctuation, folded.
        let typed = typed.trim_matches(|c: char| !c.is_alphanumeric());
        let folded = analysis::normalize(typed).text;
        let Some(code) = crate::grammar::jurisdiction_of(&folded) else {
            return Ok(false);
        };
        if self.term_df(self.fields.jurisdiction_path, &code.to_lowercase())? == 0 {
            return Ok(false);
        }
        if !self.places.iter().any(|p| p.word == typed) {
            self.places.push(PlaceWord {
                word: typed.to_string(),
                jurisdiction: code.to_string(),
            });
        }
        Ok(true)
    }

    pub fn compile(mut self, expr: &Expr) -> tantivy::Result<Compiled> {
        let mut raw: Vec<Part> = Vec::new();
        self.top_level(expr, &mut raw)?;
        let searched = raw
            .iter()
            .any(|p| matches!(p, Part::Word(_) | Part::Query(Role::Required, _)));
        if !searched && !self.places.is_empty() {
            // Nothing but a place (上海, 澳大利亚的, `Australia -library`): that is the word
            // searched for.
            self.places.clear();
            self.read_places = false;
            self.top_level(expr, &mut raw)?;
        }
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
        let foreign: Vec<HashSet<String>> = (0..words.len())
            .map(|i| {
                owners
                    .iter()
                    .filter(|(_, &(owner, _))| owner != i)
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .collect();
        // With translations (for the translated tier and the relaxed search; highlighting
        // them too), then, when some were found, without (the first tier).
        let mut built: Vec<Built> = Vec::with_capacity(words.len());
        for (w, foreign) in words.iter().zip(&foreign) {
            built.push(self.alternatives(w, true, foreign, true)?);
        }
        let native: Option<Vec<Built>> = match self.translated {
            true => Some(
                words
                    .iter()
                    .zip(&foreign)
                    .map(|(w, foreign)| self.alternatives(w, false, foreign, false))
                    .collect::<tantivy::Result<_>>()?,
            ),
            false => None,
        };
        let relaxable: usize = built.iter().map(|b| b.slots.len()).sum();
        let strict_clauses: Vec<(Occur, Box<dyn Query>)> = parts
            .iter()
            .map(|(role, q)| match role {
                Role::Excluded => (Occur::MustNot, q.box_clone()),
                Role::Required => (Occur::Must, q.box_clone()),
            })
            .collect();
        // Operators hold for clauses joined through feedback as for any other hit.
        let any_word: Option<Box<dyn Query>> = (relaxable >= 1).then(|| {
            let some = BooleanQuery::new(
                built
                    .iter()
                    .flat_map(|b| b.slots.iter())
                    .map(|q| (Occur::Should, q.box_clone()))
                    .collect(),
            );
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = strict_clauses
                .iter()
                .map(|(o, q)| (*o, q.box_clone()))
                .collect();
            clauses.push((Occur::Must, Box::new(some)));
            Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
        });
        let every_word = |built: &[Built]| -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = strict_clauses
                .iter()
                .map(|(o, q)| (*o, q.box_clone()))
                .collect();
            clauses.extend(built.iter().map(|b| (Occur::Must, b.whole.box_clone())));
            Box::new(BooleanQuery::new(clauses))
        };
        let (strict, translated) = match &native {
            Some(native) => (every_word(native), Some(every_word(&built))),
            None => (every_word(&built), None),
        };
        // Also relaxed: in another language, every word that has a translation there, when
        // two or more do. An English question's plain words ("services", "vehicles",
        // "remote") have no translation, so "at least half of the words" never reaches the
        // Chinese or Vietnamese clauses on its concepts (mobile libraries, rural areas). A
        // word the thesaurus knows but cannot translate is a concept a foreign clause cannot
        // show, so then nothing is searched abroad (图书馆 自习座位 预约: no 座位 abroad).
        // Scored at the translations' weight, these come after clauses in the language typed
        // that score higher (RESULTS-search.md).
        let translatable: Vec<&Box<dyn Query>> =
            built.iter().filter_map(|b| b.foreign.as_ref()).collect();
        // A word for whoever a library serves (读者, readers) beside one naming a group of
        // people (视障读者, "readers with disabilities") is no concept of the question: the
        // laws name the group (视力残疾人阅览室) without calling them readers, and a clause
        // repeating 读者 says nothing about the group. Among partial hits, those naming the
        // group come first (RESULTS-search.md).
        let people: Vec<Vec<People>> = words
            .iter()
            .map(|w| match self.thesaurus {
                Some(t) => w
                    .iter()
                    .filter_map(|u| u.expansion.as_ref())
                    .flat_map(|e| e.concepts.iter().filter_map(|&c| t.people(c)))
                    .collect(),
                None => Vec::new(),
            })
            .collect();
        // Only beside one group: with two (视障 儿童 读者) the concepts tier would ask for both
        // groups and rank a metro's priority seats above the library clause on either.
        let groups = people.iter().filter(|p| p.contains(&People::Group)).count();
        let names_group = groups == 1;
        let readers: Vec<bool> = people
            .iter()
            .map(|p| names_group && !p.is_empty() && p.iter().all(|p| *p == People::Anyone))
            .collect();
        // A word the thesaurus knows: one of its forms has synonyms.
        let known: Vec<bool> = words
            .iter()
            .zip(&readers)
            .map(|(w, reader)| {
                !reader
                    && w.iter()
                        .any(|u| u.expansion.as_ref().is_some_and(|e| !e.synonyms.is_empty()))
            })
            .collect();
        let known_untranslated = known
            .iter()
            .zip(&built)
            .any(|(k, b)| *k && b.foreign.is_none());
        let n_known = known.iter().filter(|k| **k).count();
        // One concept is enough beside the readers it qualifies.
        let enough = n_known >= 2 || (n_known == 1 && readers.contains(&true));
        // The whole query of each word the thesaurus knows, from `from` (with or without
        // translations), and the required and excluded parts typed with them.
        let known_wholes = |from: &[Built]| -> Vec<Box<dyn Query>> {
            from.iter()
                .zip(&known)
                .filter(|(_, k)| **k)
                .map(|(b, _)| b.whole.box_clone())
                .collect()
        };
        let with_typed = |q: Vec<(Occur, Box<dyn Query>)>| -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = strict_clauses
                .iter()
                .map(|(o, q)| (*o, q.box_clone()))
                .collect();
            clauses.extend(q);
            Box::new(BooleanQuery::new(clauses))
        };
        let concepts = (enough && n_known < built.len()).then(|| {
            with_typed(
                known_wholes(&built)
                    .into_iter()
                    .map(|q| (Occur::Must, q))
                    .collect(),
            )
        });
        let concept_parts: Vec<Box<dyn Query>> = match concepts {
            Some(_) => known_wholes(&built),
            None => Vec::new(),
        };
        // Three concepts or more: a clause stating all but one of them is a candidate too (a
        // statute puts 居民住宅区 and 配套建设 beside 公共文化设施, not the 图书室 asked about).
        // In the language typed only when a known word has no translation: a foreign clause
        // cannot state it, and the others would reach abroad for the rest (图书馆 志愿者 座位
        // 预约: volunteers in an English library act).
        let most_from: &[Built] = match (&native, known_untranslated) {
            (Some(native), true) => native,
            _ => &built,
        };
        let most_concepts = (n_known >= 3 && n_known < built.len()).then(|| {
            let mut some = BooleanQuery::new(
                known_wholes(most_from)
                    .into_iter()
                    .map(|q| (Occur::Should, q))
                    .collect(),
            );
            some.set_minimum_number_should_match(n_known - 1);
            with_typed(vec![(Occur::Must, Box::new(some) as Box<dyn Query>)])
        });
        // Searched in other languages only when nothing was required as typed; what was
        // excluded stays excluded.
        let only_excluded = !parts.iter().any(|(role, _)| matches!(role, Role::Required));
        let excluded = || -> Vec<(Occur, Box<dyn Query>)> {
            parts
                .iter()
                .map(|(_, q)| (Occur::MustNot, q.box_clone()))
                .collect()
        };
        let abroad = (translatable.len() >= 2
            && translatable.len() < built.len()
            && !known_untranslated
            && only_excluded)
            .then(|| {
                let mut clauses = excluded();
                clauses.extend(translatable.iter().map(|q| (Occur::Must, q.box_clone())));
                Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
            });
        // A place named in the query whose documents are in another language (澳大利亚 in a
        // Chinese question) leaves only the translated words able to match there: when nothing
        // else is found, clauses with at least half of those are the answer, rather than none.
        let in_place =
            (!self.places.is_empty() && !translatable.is_empty() && only_excluded).then(|| {
                let mut some = BooleanQuery::new(
                    translatable
                        .iter()
                        .map(|q| (Occur::Should, q.box_clone()))
                        .collect(),
                );
                some.set_minimum_number_should_match(translatable.len().div_ceil(2));
                let mut clauses = excluded();
                clauses.push((Occur::Must, Box::new(some) as Box<dyn Query>));
                Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
            });
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
                // Translations count here too, at their low weight: a partial match in the
                // language typed ranks first, but an English question whose words only partly
                // translate still reaches the Chinese clauses (measured on the development
                // sets, RESULTS-synonyms.md).
                let words: Vec<(Occur, Box<dyn Query>)> = built
                    .into_iter()
                    .flat_map(|b| b.slots)
                    .map(|q| (Occur::Should, q))
                    .collect();
                let mut some = BooleanQuery::new(words);
                some.set_minimum_number_should_match(m);
                outer.push((Occur::Must, Box::new(some)));
                let relaxed: Box<dyn Query> = Box::new(BooleanQuery::new(outer));
                // A clause stating every concept the thesaurus knows is a candidate too,
                // whatever its share of the words: 图书馆 and 捐赠 answer a question about
                // donations to libraries that has five other words (dev4 0.6085 → 0.6222, the
                // other development sets unchanged; RESULTS-search.md).
                let mut either = vec![relaxed];
                either.extend(abroad);
                either.extend(concepts.as_ref().map(|c| c.box_clone()));
                either.extend(most_concepts);
                Some(match either.len() {
                    1 => either.pop().unwrap(),
                    _ => Box::new(DisjunctionMaxQuery::new(either)),
                })
            }
            _ => None,
        };
        Ok(Compiled {
            strict,
            translated,
            relaxed,
            concept_parts,
            any_word,
            in_place,
            highlighter: self.highlighter,
            expansions: self.expansions,
            corrections: self.corrections,
            places: self.places,
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
                let is_stop = |w: &str| {
                    STOP_WORDS.contains(&w.to_lowercase().as_str())
                        || (expand && korean_function_word(w))
                };
                let all_stop = items
                    .iter()
                    .all(|i| matches!(i, Expr::Word(w) if is_stop(w)));
                for item in self.items(items, expand, true)? {
                    match item {
                        Item::Phrase(u) => out.push(Part::Word(u)),
                        Item::Expr(Expr::Word(w)) if !all_stop && is_stop(w) => {}
                        Item::Expr(Expr::Word(w)) => self.listed_word(w, out)?,
                        Item::Expr(Expr::Not(inner)) => {
                            let q = self.excluded(inner)?;
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
                let q = self.excluded(inner)?;
                out.push(Part::Query(Role::Excluded, q));
            }
            other => {
                let q = self.expr(other, true, expand)?;
                out.push(Part::Query(Role::Required, q));
            }
        }
        Ok(())
    }

    /// What `NOT` / `-` excludes: taken as typed, not highlighted, and seeking forward only
    /// (see [`ForwardOnly`]).
    fn excluded(&mut self, inner: &Expr) -> tantivy::Result<Box<dyn Query>> {
        let q = self.own_text_expr(inner, false)?;
        Ok(Box::new(ForwardOnly(q)))
    }

    /// `inner` read as words of the clause itself (see `own_text`).
    fn own_text_expr(&mut self, inner: &Expr, highlight: bool) -> tantivy::Result<Box<dyn Query>> {
        let was = std::mem::replace(&mut self.own_text, true);
        let q = self.expr(inner, highlight, false);
        self.own_text = was;
        q
    }

    /// Words as typed (`--exact`) are words of the clause itself, not of its chapter's
    /// heading: the whole query is read as under `+`.
    pub fn own_text_only(mut self, yes: bool) -> Self {
        self.own_text = yes;
        self
    }

    /// Whether a word is also searched in the headings over a clause.
    fn headings_searched(&self) -> bool {
        self.tuning.heading_weight > 0.0 && !self.own_text
    }

    /// A word of an implicit AND: its units, relaxable.
    fn listed_word(&mut self, w: &str, out: &mut Vec<Part>) -> tantivy::Result<()> {
        self.top_word = true;
        let units = self.word_units(w, self.thesaurus.is_some());
        self.top_word = false;
        let units = units?;
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
                    // Inside an expression with operators words stay in the language typed.
                    let built = self.alternatives(
                        std::slice::from_ref(&u),
                        highlight,
                        &HashSet::new(),
                        false,
                    )?;
                    groups.push(built.whole);
                }
                all_of(groups)
            }
            Expr::Phrase(p) => self.phrase(p, highlight),
            Expr::Required(inner) => self.own_text_expr(inner, highlight)?,
            Expr::Not(inner) => {
                // NOT inside a group: match everything the group allows minus this. The
                // parent decides what "everything" is, so a lone NOT excludes from its siblings.
                let q = self.excluded(inner)?;
                Box::new(BooleanQuery::new(vec![(Occur::MustNot, q)]))
            }
            Expr::And { items, implicit } => {
                let mut clauses = Vec::new();
                for item in self.items(items, expand && *implicit, false)? {
                    match item {
                        Item::Phrase(u) => {
                            let built = self.alternatives(
                                std::slice::from_ref(&u),
                                highlight,
                                &HashSet::new(),
                                false,
                            )?;
                            clauses.push((Occur::Must, built.whole));
                        }
                        Item::Expr(Expr::Not(inner)) => {
                            clauses.push((Occur::MustNot, self.excluded(inner)?));
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
    fn items<'e>(
        &mut self,
        items: &'e [Expr],
        phrases: bool,
        places: bool,
    ) -> tantivy::Result<Vec<Item<'e>>> {
        let mut out = Vec::with_capacity(items.len());
        let mut i = 0;
        while i < items.len() {
            // A name of several words ("United States", "South Korea"), read at the top level
            // only.
            if places && self.read_places {
                let mut named = None;
                for n in (2..=3).rev() {
                    let Some(words) = items.get(i..i + n) else {
                        continue;
                    };
                    let words: Option<Vec<&str>> = words
                        .iter()
                        .map(|e| match e {
                            Expr::Word(w) => Some(w.as_str()),
                            _ => None,
                        })
                        .collect();
                    if let Some(words) = words {
                        if self.place(&words.join(" "))? {
                            named = Some(n);
                            break;
                        }
                    }
                }
                if let Some(n) = named {
                    i += n;
                    continue;
                }
            }
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
    /// clause), except Vietnamese syllables, which are a word only together (thông tin cá nhân,
    /// personal information, is not thông tin here and cá nhân there); its synonyms are the
    /// alternatives.
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
            if let Some(expansion) = t.expand_typed(&words[..n], &expand::key(&typed)) {
                return Some((n, typed, expansion));
            }
            // A Korean term of several eojeols takes a particle on its last one (사서
            // 자격증이 is the term 사서 자격증), as a term of one eojeol does (`hangul_term`).
            let last = words[n - 1];
            if !last.chars().all(crate::grammar::is_hangul) {
                return None;
            }
            crate::grammar::hangul_stems(last).find_map(|stem| {
                let mut stripped: Vec<&str> = words[..n - 1].to_vec();
                stripped.push(stem);
                let typed = stripped.join(" ");
                let expansion = t.expand_typed(&stripped, &expand::key(&typed))?;
                Some((n, typed, expansion))
            })
        }) else {
            return Ok(None);
        };
        let mut parts = Vec::new();
        // Vietnamese syllables are a word only together: no parts to match apart.
        if !typed.chars().any(crate::grammar::is_vietnamese_letter) {
            self.in_term = true;
            for w in &words[..n] {
                if STOP_WORDS.contains(&w.to_lowercase().as_str()) {
                    continue;
                }
                // (An error ends the compilation: the flag is not left set for a next word.)
                parts.extend(self.word_units(w, false)?);
            }
            self.in_term = false;
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
        let texts: Vec<(&[&str], &str)> = texts.iter().map(|t| (&[][..], *t)).collect();
        index_under(&texts)
    }

    /// Clauses under the headings given with each.
    fn index_under(texts: &[(&[&str], &str)]) -> (tempfile::TempDir, Searcher) {
        let dir = tempfile::tempdir().unwrap();
        let clauses = texts
            .iter()
            .enumerate()
            .map(|(i, (headings, text))| Clause {
                id: ClauseId(format!("d/art{}", i + 1)),
                doc_id: "d".into(),
                ordinal: i as u32 + 1,
                kind: ClauseKind::Article,
                label: format!("art{}", i + 1),
                number: None,
                caption: String::new(),
                headings: headings.iter().map(|h| h.to_string()).collect(),
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
    fn a_clause_is_found_through_the_heading_of_its_chapter_below_one_stating_the_words() {
        const KEEPERS: &str = "Subchapter III—Services for Lighthouse Keepers";
        let (_dir, s) = index_under(&[
            (&[KEEPERS], "The Director may award grants to applicants."),
            (&[], "The Director may award grants to States."),
            (
                &[],
                "Grants for services to lighthouse keepers are awarded yearly.",
            ),
            (&["第三章 服务"], "公共图书馆应当免费开放。"),
            (&["第四章 管理"], "公共图书馆应当建立财务制度。"),
        ]);
        let r = search(&s, "grants lighthouse keepers", false);
        assert_eq!(arts(&r)[..2], ["art3", "art1"]);
        assert!(r.hits[0].all_words && r.hits[1].all_words);
        assert!(r.hits[2..].iter().all(|h| !h.all_words), "{:?}", arts(&r));
        let r = search(&s, "公共图书馆 服务", false);
        assert_eq!(arts(&r)[0], "art4");
        assert!(r.hits[0].all_words && r.hits[1..].iter().all(|h| !h.all_words));
        // A prefix and a one-character word reach the heading too; a word only a heading has
        // is no typo to correct ("keepers" is in no clause of its own but art3's).
        let r = search(&s, "grants lightho*", false);
        assert_eq!(arts(&r)[..2], ["art3", "art1"]);
        assert!(r.hits[1].all_words);
        let r = search(&s, "公共图书馆 服", false);
        assert!(r.hits[0].clause_id == "d/art4" && r.hits[0].all_words);
        // Words as typed, quoted, required or excluded are the clause's own.
        let r = search(&s, "grants lighthouse keepers", true);
        assert_eq!(arts(&r), ["art3"]);
        let r = search(&s, "公共图书馆 \"服务\"", false);
        assert!(r
            .hits
            .iter()
            .all(|h| h.clause_id != "d/art4" || !h.all_words));
        let r = search(&s, "公共图书馆 +服务", false);
        assert!(
            r.hits.iter().all(|h| h.clause_id != "d/art4"),
            "{:?}",
            arts(&r)
        );
        let r = search(&s, "公共图书馆 -服务", false);
        assert_eq!(arts(&r), ["art4", "art5"]);
    }

    /// Every bigram of these clauses is a "word" of the index's vocabulary (馆应, 当具, 馆的),
    /// so only a dictionary reads the question as 设立 + 公共 + 图书馆 + 应当 + 具备 + 条件.
    #[test]
    fn a_question_is_read_word_by_word_not_by_bigrams_of_the_corpus() {
        let (_dir, s) = index(&[
            "设立公共图书馆，应当具备下列条件：章程、固定馆址、馆藏与经费。",
            "公共图书馆应当按时开放，公共图书馆的馆长应当具备专业知识。",
            "国家图书馆的主要职能是收藏国家文献。",
        ]);
        let r = search(&s, "设立公共图书馆应当具备的条件", false);
        assert_eq!(arts(&r), ["art1", "art2"]);
        assert!(r.hits[0].all_words && !r.hits[1].all_words);
        // One-character words of a sentence (人, 到, 看) are not glued into a string no clause
        // has: the two words that mean something still find their clause.
        let (_dir, s) = index(&[
            "国家支持在村里设立借书点，方便群众借书。",
            "图书馆应当按时开放。",
        ]);
        let r = search(&s, "住在村里的人到哪里借书看", false);
        assert_eq!(arts(&r), ["art1"]);
        assert!(r.hits[0].all_words);
    }

    /// 钱 in a question is a library's funds (经费), one way: the statutes' 钱 is in 洗钱 and
    /// 钱塘江, so a search for 经费 does not find them.
    #[test]
    fn money_in_a_question_finds_funds_but_funds_do_not_find_money() {
        let (_dir, s) = index(&[
            "公共图书馆的经费应当专款专用，任何组织和个人不得挪用。",
            "金融机构应当履行反洗钱义务，不得为洗钱提供便利。",
            "图书馆应当按时开放。",
        ]);
        let r = search(&s, "图书馆的钱会不会被挪去干别的", false);
        assert_eq!(arts(&r).first().map(String::as_str), Some("art1"));
        let r = search(&s, "经费", false);
        assert_eq!(arts(&r), ["art1"]);
    }

    /// 运营管理 asked of a library (交给公司来运营管理) is having someone else run it: it finds
    /// the statutes' 参与运行和管理 and 运营方.
    #[test]
    fn running_a_library_by_others_is_found_from_everyday_words() {
        let (_dir, s) = index(&[
            "乡镇图书馆可以引入社会力量参与运行和管理。",
            "图书馆应当加强对社会上各类机构的联系和管理。",
        ]);
        let r = search(&s, "图书馆能不能交给社会上的机构来运营管理", false);
        assert_eq!(arts(&r).first().map(String::as_str), Some("art1"));
    }

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
    fn a_correction_is_shown_as_the_word_the_index_has() {
        let (_dir, s) = index(&["Thư viện phục vụ nghiên cứu khoa học.", "Library services."]);
        let r = search(&s, "khoan", false);
        let shown: Vec<(&str, &str)> = r
            .corrections
            .iter()
            .map(|c| (c.typed.as_str(), c.read_as.as_str()))
            .collect();
        assert_eq!(shown, [("khoan", "khoa")]);
        assert_eq!(arts(&r), ["art1"]);
    }

    #[test]
    fn a_chinese_word_finds_its_japanese_form() {
        let (_dir, s) = index(&[
            "図書館は、図書、記録その他必要な資料を収集し、一般公衆の利用に供する。",
            "博物館は、資料を収集する。",
        ]);
        for q in ["图书馆", "圖書館", "図書館"] {
            assert_eq!(arts(&search(&s, q, true)), ["art1"], "{q}");
        }
        let r = search(&s, "图书馆", true);
        assert_eq!(
            r.hits[0]
                .snippet
                .terminal(false)
                .matches("[図書館]")
                .count(),
            1
        );
    }

    #[test]
    fn under_exact_a_compound_is_matched_as_typed() {
        let (_dir, s) = index(&[
            "公共图书馆应当为视力残疾读者提供盲文图书。",
            "读者视力下降的，可以申请大字本；残疾读者可以申请上门服务。",
            "公共图书馆应当免费开放。",
        ]);
        // Without --exact the compound is read as its two words, and both clauses have them.
        let r = search(&s, "视力残疾", false);
        let mut found = arts(&r);
        found.sort_unstable();
        assert_eq!(found, ["art1", "art2"]);
        // With it, only the clause where they stand together.
        assert_eq!(arts(&search(&s, "视力残疾", true)), ["art1"]);
        assert_eq!(arts(&search(&s, "视力残疾 盲文", true)), ["art1"]);
        // A question is still read word by word.
        let question = search(&s, "公共图书馆应当免费开放吗", true);
        assert_eq!(arts(&question)[0], "art3");
        assert!(question.hits[0].all_words);
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

    /// Clauses in two languages, one document (the language of a clause is its text's).
    const TWO_LANGUAGES: &[&str] = &[
        "Libraries may recruit volunteers to assist patrons.",
        "图书馆可以招募志愿者协助读者。",
        "图书馆应当按时开放。",
        "The library shall open on weekdays.",
        "损坏图书馆文献的，处一千元罚款。",
    ];

    #[test]
    fn translations_reach_other_languages_after_the_language_typed() {
        let (_dir, s) = index(TWO_LANGUAGES);
        // English question: the English clause first, the Chinese one with every concept next,
        // marked translated; the rest match only "libraries" and come after, partial.
        let r = search(&s, "volunteers in libraries", false);
        assert_eq!(arts(&r)[..2], ["art1", "art2"]);
        assert!(r.hits[0].all_words && !r.hits[0].translated);
        assert!(r.hits[1].all_words && r.hits[1].translated);
        assert_eq!((r.total, r.translated_total), (1, 1));
        assert!(r.hits[2..].iter().all(|h| !h.all_words));
        // Chinese question: the Chinese clause first, then the English one, marked
        // translated, then the partial ones.
        let r = search(&s, "图书馆 志愿者", false);
        assert_eq!(arts(&r)[..2], ["art2", "art1"]);
        assert!(r.hits[1].all_words && r.hits[1].translated);
        assert!(r.hits[2..].iter().all(|h| !h.all_words));
        // Partial matches through translations count too (图书馆 and 罚款, two of three
        // words). Stating both concepts the thesaurus knows (library, fines), the Chinese
        // clause comes before the English one with library and the plain word "weekdays".
        let r = search(&s, "library fines weekdays", false);
        assert_eq!(arts(&r)[..2], ["art5", "art4"]);
        assert!(r.hits.iter().all(|h| !h.all_words));
        // --exact and operators keep the language typed.
        for (q, exact) in [
            ("volunteers libraries", true),
            ("volunteers AND libraries", false),
        ] {
            let r = search(&s, q, exact);
            assert_eq!(arts(&r)[0], "art1", "{q}");
            assert!(
                r.hits
                    .iter()
                    .all(|h| !h.translated && h.clause_id != "d/art2"),
                "{q}"
            );
        }
    }

    /// An English question's plain words ("vehicles", "serving", "winter") have no
    /// translation; its concepts (bookmobile, countryside) do.
    #[test]
    fn a_question_s_concepts_reach_another_language_and_come_first() {
        let (_dir, s) = index(&[
            "Libraries serving remote rural areas shall be supported by vehicles.",
            "县级公共图书馆应当开展流动服务，为农村居民提供借阅。",
            "The library shall open daily.",
            "公共图书馆应当按时开放。",
            "Volunteers may help in the library.",
        ]);
        let r = search(
            &s,
            "bookmobile vehicles serving countryside residents in winter",
            false,
        );
        // The Chinese clause has both concepts (two of six words), the English one three
        // words but not the bookmobile: the concepts rank first, both partial.
        assert_eq!(arts(&r), ["art2", "art1"]);
        assert!(r.hits.iter().all(|h| !h.all_words && !h.translated));
        assert_eq!(r.partial_total, 2);
        // A concept the thesaurus knows but no other language has (座位) keeps the search in
        // the language typed: library and volunteers abroad would be noise.
        let r = search(&s, "图书馆 志愿者 座位 预约 规则", false);
        assert!(r.hits.is_empty(), "{:?}", arts(&r));
    }

    /// A question's deictic and interrogative words (这里, 什么地方, 的话) are no topic: a
    /// clause need not repeat them to have every word asked about.
    #[test]
    fn a_question_s_here_and_where_are_not_searched_for() {
        let (_dir, s) = index(&[
            "国家对偏远地区发展图书馆事业给予扶持。",
            "这里的图书馆设在什么地方，由县人民政府决定。",
        ]);
        let r = search(&s, "我们这里的图书馆有没有扶持", false);
        assert_eq!(arts(&r).first().map(String::as_str), Some("art1"));
        assert!(r.hits[0].all_words, "{:?}", arts(&r));
    }

    /// A word the thesaurus knows is no typo where no English clause has it: "remote" finds
    /// the Chinese clause on remote areas, not the English one on removing books (one edit
    /// away, which a misspelling of a word the index has would be read as).
    #[test]
    fn a_thesaurus_word_no_clause_of_its_language_has_is_not_corrected() {
        let (_dir, s) = index(&[
            "The library may remove damaged books from its reading areas.",
            "公共图书馆应当向偏远地区提供流动服务。",
        ]);
        assert_eq!(arts(&search(&s, "remote", false)), ["art2"]);
        // Nor as a word of a term of several words, nor when excluded or required.
        let r = search(&s, "remote areas", false);
        assert_eq!(arts(&r).first().map(String::as_str), Some("art2"));
        assert!(
            r.hits
                .iter()
                .all(|h| h.clause_id.ends_with("art2") || !h.all_words),
            "the removal clause has only \"areas\""
        );
        assert_eq!(arts(&search(&s, "books -remote", false)), ["art1"]);
        // `+` requires the word as typed, which no clause has.
        assert!(arts(&search(&s, "+remote", false)).is_empty());
        // Without the thesaurus (--exact) it is read as the indexed word it is one edit from.
        assert_eq!(arts(&search(&s, "remote", true)), ["art1"]);
    }

    /// Asserts that the partial hits of `query` over `clauses` start with `want`, and that none
    /// has every word.
    fn first_partial_hit(clauses: &[&str], query: &str, want: &str) {
        let (_dir, s) = index(clauses);
        let r = search(&s, query, false);
        assert_eq!(
            arts(&r).first().map(String::as_str),
            Some(want),
            "{:?}",
            arts(&r)
        );
        assert!(r.hits.iter().all(|h| !h.all_words));
    }

    /// The words the best partial hits share find an article phrased like them that has only
    /// one word of the question; an article sharing that word but none of theirs stays out,
    /// and a question nothing matches still gets nothing.
    #[test]
    fn the_best_hits_words_bring_in_articles_phrased_like_them() {
        let clauses = [
            "各图书馆之间应当加强合作，开展馆际互借和通借通还。",
            "图书馆合作开展馆际互借、通借通还服务。",
            "读者可以凭证借书。",
            "实行馆际互借和通借通还的图书馆，应当公布办法。",
            "图书馆应当向社会公众免费开放。",
            "图书馆应当保护读者的个人信息。",
            "公园应当开放。",
        ];
        let (_dir, s) = index(&clauses);
        let r = search(&s, "图书馆 合作 借书", false);
        let got = arts(&r);
        let mut first = got[..2].to_vec();
        first.sort();
        assert_eq!(first, ["art1", "art2"], "{got:?}");
        assert_eq!(got[2], "art4", "{got:?}");
        assert!(!got.contains(&"art3".to_string()), "{got:?}");
        // Without feedback the article with one word of the question is not a partial hit.
        let s = s.with_tuning(crate::search::Tuning {
            feedback_docs: 0,
            ..Default::default()
        });
        assert!(!arts(&search(&s, "图书馆 合作 借书", false)).contains(&"art4".to_string()));
        // Nor under --exact, which searches the words typed only.
        let (_dir, s) = index(&clauses);
        assert!(!arts(&search(&s, "图书馆 合作 借书", true)).contains(&"art4".to_string()));
        let (_dir, s) = index(&clauses);
        assert!(search(&s, "博物馆 门票 价格", false).hits.is_empty());
        // Operators hold for joined clauses too: art4 has 公布 and lacks 合作.
        let r = search(&s, "图书馆 合作 借书 -公布", false);
        assert!(!arts(&r).contains(&"art4".to_string()), "{:?}", arts(&r));
        let r = search(&s, "图书馆 借书 +合作", false);
        assert!(!arts(&r).contains(&"art4".to_string()), "{:?}", arts(&r));
        // The count of partial hits covers the joined ones.
        let r = search(&s, "图书馆 合作 借书", false);
        assert!(
            r.partial_total >= r.hits.len(),
            "{} < {}",
            r.partial_total,
            r.hits.len()
        );
    }

    /// A question's concepts are searched in the language typed too, not only abroad: the
    /// clause stating both (library, donations) has two of the question's five words, fewer
    /// than half, yet it is what the question asks about.
    #[test]
    fn a_clause_stating_every_concept_is_found_with_fewer_than_half_the_words() {
        first_partial_hit(
            &[
                "国家鼓励公民向公共图书馆捐赠。",
                "公共图书馆应当按时开放。",
                "公司应当依法缴纳税费。",
            ],
            "公司向图书馆捐书能少交多少税费",
            "art1",
        );
    }

    /// Of three concepts or more, a clause stating all but one is found: the statute builds
    /// 公共文化设施 in a new 居民住宅区, not the 图书室 the question names; fewer than half of the
    /// question's words are in it.
    #[test]
    fn a_clause_stating_all_concepts_but_one_is_found() {
        first_partial_hit(
            &[
                "新建居民住宅区应当按照规定配套建设公共文化设施和阅读场所。",
                "公共图书馆应当按时开放。",
                "开发商应当依法缴纳税费。",
            ],
            "开发商盖新小区是不是必须建图书室或者看书的地方",
            "art1",
        );
    }

    /// Among partial hits, one stating more of the question's concepts comes first, whatever
    /// the length of the clause stating fewer.
    #[test]
    fn partial_hits_stating_more_concepts_come_first() {
        first_partial_hit(
            &[
                "志愿者报名守则。",
                "公共图书馆可以招募志愿者协助开展阅读推广活动，并为其办理相关手续和登记。",
                "公共图书馆应当按时开放。",
            ],
            "图书馆 志愿者 捐赠 报名",
            "art2",
        );
    }

    /// Readers beside one group of people are no concept of their own (视障读者 wants the
    /// group first); beside two groups every word counts as before, or the concepts tier would
    /// rank a clause naming both groups and no library above one naming a group and readers.
    #[test]
    fn readers_beside_two_groups_of_people_keep_their_weight() {
        let (_dir, s) = index(&[
            "盲人和儿童可以优先乘车。",
            "公共图书馆应当为儿童读者设置阅览区。",
            "读者应当遵守借阅规则。",
            "盲人可以携带导盲犬进入公共场所。",
            "盲人按摩机构应当依法登记。",
        ]);
        let r = search(&s, "视障 儿童 读者", false);
        assert_eq!(
            arts(&r).first().map(String::as_str),
            Some("art2"),
            "{:?}",
            arts(&r)
        );
        let r = search(&s, "视障读者", false);
        assert_eq!(
            arts(&r).first().map(String::as_str),
            Some("art1"),
            "{:?}",
            arts(&r)
        );
    }

    /// A yes-no question asks with 能不能 or 会不会: split as words it left 不能 and 不会, a
    /// law's prohibitions, to be searched for.
    #[test]
    fn a_yes_no_question_does_not_search_its_negation() {
        let (_dir, s) = index(&[
            "公共图书馆不能向读者出借的文献，应当单独存放。",
            "公共图书馆的服务收费项目应当公示。",
        ]);
        for q in ["图书馆能不能收费", "图书馆可不可以收费"] {
            let r = search(&s, q, false);
            assert_eq!(arts(&r).first().map(String::as_str), Some("art2"), "{q}");
            assert!(r.hits[0].all_words, "{q}");
            assert!(r.hits[1..].iter().all(|h| !h.all_words), "{q}");
        }
    }

    /// Vietnamese writes each syllable apart: a term typed is found where its syllables stand
    /// together, not where thông tin and cá nhân occur in different phrases.
    #[test]
    fn a_vietnamese_term_is_found_only_where_its_syllables_stand_together() {
        let (_dir, s) = index(&[
            "Thư viện có trách nhiệm bảo vệ thông tin cá nhân của người đọc.",
            "Thông tin về hoạt động thư viện được công bố cho tổ chức, cá nhân.",
        ]);
        let r = search(&s, "thông tin cá nhân", false);
        assert_eq!(arts(&r), ["art1"]);
        // English words of a term still match apart ("deposit" here, "legal" there).
        let (_dir, s) = index(&["The legal owner shall deposit two copies.", "Nothing."]);
        assert_eq!(arts(&search(&s, "legal deposit", false)), ["art1"]);
    }

    /// A query typed with combining marks (NFD) finds what the composed one does.
    #[test]
    fn a_decomposed_query_is_the_composed_one() {
        let (_dir, s) = index(&[
            "Thư viện có trách nhiệm bảo vệ thông tin cá nhân của người đọc.",
            "Thư viện mở cửa hằng ngày.",
        ]);
        let composed = "thông tin cá nhân";
        let decomposed = "tho\u{302}ng tin ca\u{301} nha\u{302}n";
        assert_ne!(composed, decomposed);
        assert_eq!(arts(&search(&s, decomposed, false)), ["art1"]);
        assert_eq!(
            arts(&search(&s, decomposed, false)),
            arts(&search(&s, composed, false))
        );
    }

    /// 사서 자격증 is a term of two eojeols; typed with a particle (사서 자격증이) it is still the
    /// term, and finds its one-word spelling (사서자격증).
    #[test]
    fn a_korean_term_of_two_words_is_found_through_a_particle() {
        let (_dir, s) = index(&["사서자격증을 받은 사람", "사서는 도서관에서 일한다."]);
        let r = search(&s, "사서 자격증이", false);
        assert_eq!(arts(&r).first().map(|a| a.as_str()), Some("art1"));
        // Every word matched: without the term, 자격증이 is found nowhere and art1 only
        // shares 사서 with the query.
        assert!(r.hits[0].all_words);
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

    /// A Korean question: its nouns lose their particles whether or not the thesaurus knows
    /// them (명칭을 → 명칭), and its predicates (써도, 되나요) are not searched for.
    #[test]
    fn a_korean_question_is_searched_by_its_nouns() {
        let (_dir, s) = index(&[
            "이 법에 따른 사서가 아니면 사서와 유사한 명칭을 사용할 수 없다.",
            "도서관은 매일 개관한다.",
        ]);
        let q = "유사한 명칭의 사용을 써도 되나요?";
        assert!(search(&s, q, true).hits.is_empty());
        assert_eq!(arts(&search(&s, q, false)), ["art1"]);
    }
}
