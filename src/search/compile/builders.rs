//! The tantivy query builders: one unit's alternatives (typed form and synonyms), phrases,
//! and the small combinators every part uses.

use super::*;

use tantivy::query::{EnableScoring, Explanation, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader};

pub(super) fn term_query(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// Terms that must appear in this order at consecutive positions.
pub(super) fn sequence(field: tantivy::schema::Field, terms: &[String]) -> Option<Box<dyn Query>> {
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
pub(super) fn any_of(mut alts: Vec<Box<dyn Query>>, tie_breaker: f32) -> Box<dyn Query> {
    if alts.len() == 1 {
        if let Some(only) = alts.pop() {
            return only;
        }
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(alts, tie_breaker))
}

pub(super) fn all_of(mut groups: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if groups.len() <= 1 {
        return groups.pop().unwrap_or_else(|| Box::new(EmptyQuery));
    }
    Box::new(BooleanQuery::new(
        groups.into_iter().map(|g| (Occur::Must, g)).collect(),
    ))
}

/// An excluded query whose scorer never seeks backwards. tantivy 0.27 asks an exclusion for a
/// document before the one it stands on, which its phrase scorer forbids by a debug assertion
/// (tantivy issue #2811): `library -"public library"` panicked in a debug build. Such a seek
/// is answered here (the scorer is past the target, so the target is not excluded).
#[derive(Debug)]
pub(super) struct ForwardOnly(pub Box<dyn Query>);

impl Clone for ForwardOnly {
    fn clone(&self) -> Self {
        ForwardOnly(self.0.box_clone())
    }
}

impl Query for ForwardOnly {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ForwardOnlyWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor)
    }
}

struct ForwardOnlyWeight(Box<dyn Weight>);

impl Weight for ForwardOnlyWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardOnlyScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ForwardOnlyScorer(Box<dyn Scorer>);

impl DocSet for ForwardOnlyScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        match self.0.doc() {
            doc if doc >= target => doc,
            _ => self.0.seek(target),
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for ForwardOnlyScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

/// Wraps a filter so it restricts without adding to the score.
pub(crate) fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

impl Compiler<'_> {
    /// One required word: any of its typed forms (several when listed words are terms of one
    /// group), or any of their synonyms at a lower weight. A synonym rarer than the typed word
    /// would score higher by BM25 alone, so its weight is also scaled down to the typed
    /// word's: where both occur alike, the clause with the word the user typed ranks first.
    /// Synonyms whose keys are in `foreign` belong to another word of the query. Translations
    /// (terms of other languages) are alternatives only with `translate`.
    pub(super) fn alternatives(
        &mut self,
        typed: &[Unit],
        highlight: bool,
        foreign: &HashSet<String>,
        translate: bool,
    ) -> tantivy::Result<Built> {
        // Per typed unit: the queries of its words (one unless it has parts).
        let mut forms: Vec<Vec<Box<dyn Query>>> = Vec::with_capacity(typed.len());
        let mut typed_strength = 0.0f32;
        // Whether the index has some typed form at all.
        let mut typed_found = false;
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
                    self.phrase_query(&w.text)?
                } else {
                    self.unit_group(w)?
                });
            }
            if found {
                typed_strength = typed_strength.max(strength);
                typed_found = true;
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
        // The translations alone (query, weight): this word in another language.
        let mut abroad: Vec<(Box<dyn Query>, f32)> = Vec::new();
        for (_, s) in synonyms {
            let weight = match s.relation {
                Relation::Translation if !translate => continue,
                Relation::Translation => self.tuning.translation_weight,
                // The discount keeps the word as typed above its synonyms; where no clause has
                // the word as typed (视障 in any statute), the synonyms are all there is.
                Relation::Equivalent | Relation::Narrower if !typed_found => 1.0,
                Relation::Equivalent | Relation::Narrower => self.tuning.synonym_weight,
            } * match s.relation {
                // A narrower term (盲人 for 视障) answers part of what was asked: below an
                // equivalent (视力障碍者) found alike.
                Relation::Narrower => self.tuning.narrower_weight,
                _ => 1.0,
            };
            if weight <= 0.0 {
                continue;
            }
            let (q, strength, found) = self.synonym_query(&s.text)?;
            if s.relation == Relation::Translation {
                // A translation no clause has adds nothing but noise to the list of
                // expansions (a Chinese-only index and "public library").
                if !found {
                    continue;
                }
                self.translated = true;
            }
            let scale = if typed_strength > 0.0 && strength > typed_strength {
                typed_strength / strength
            } else {
                1.0
            };
            if highlight {
                self.highlighter.add_phrase(&s.text);
            }
            if s.relation == Relation::Translation {
                abroad.push((q.box_clone(), weight * scale));
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
        let foreign = (!abroad.is_empty()).then(|| {
            any_of(
                abroad
                    .into_iter()
                    .map(|(q, w)| Box::new(BoostQuery::new(q, w)) as Box<dyn Query>)
                    .collect(),
                tie,
            )
        });
        Ok(Built {
            whole,
            slots,
            foreign,
        })
    }

    pub(super) fn highlight_unit(&mut self, u: &Unit) {
        if u.phrase {
            self.highlighter.add_phrase(&u.text);
        } else if u.script == Script::Word {
            self.highlighter.add_word_term(&u.text);
        } else {
            self.highlighter.add_cjk(&u.text);
        }
    }

    /// What a unit's match weighs at most (the IDF its query sums, term frequency and length
    /// aside), and whether every term it needs occurs in the index.
    pub(super) fn unit_strength(&mut self, u: &Unit) -> tantivy::Result<(f32, bool)> {
        let f = self.fields;
        if u.script == Script::Word && !u.phrase {
            if let Some(prefix) = u.text.strip_suffix('*') {
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(f.body, prefix), 0, false);
                let n = self.searcher.search(&q, &tantivy::collector::Count)? as u64;
                return Ok((self.idf(n), n > 0));
            }
            let df = self.term_df(f.body, &u.text)?;
            let found =
                df > 0 || (self.headings_searched() && self.term_df(f.heading, &u.text)? > 0);
            return Ok((self.idf(df), found));
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
        if !found && self.headings_searched() {
            let texts: Vec<&str> = grams.iter().map(|g| g.text.as_str()).collect();
            found = self.in_headings(&texts)?;
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

    /// One group: its text present in the clause (or, weaker, its context); ranked also by
    /// its jieba words in `body`.
    pub(super) fn unit_group(&mut self, u: &Unit) -> tantivy::Result<Box<dyn Query>> {
        let f = self.fields;
        let t = self.tuning;
        if u.script == Script::Word {
            let in_field = |field| -> Box<dyn Query> {
                match u.text.strip_suffix('*') {
                    Some(prefix) => {
                        let term = Term::from_field_text(field, prefix);
                        Box::new(FuzzyTermQuery::new_prefix(term, 0, false))
                    }
                    None => term_query(field, &u.text),
                }
            };
            let own = in_field(f.body);
            // A word no heading has stays a plain term: the union with an empty heading
            // query cost a third of a bulk query's time.
            let prefix = u.text.ends_with('*');
            if !self.headings_searched() || (!prefix && self.term_df(f.heading, &u.text)? == 0) {
                return Ok(own);
            }
            return Ok(or_weaker(own, in_field(f.heading), t.heading_weight));
        }
        let grams: Vec<String> = analysis::gram_terms(&u.text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        let mut present: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(q) = sequence(f.grams, &grams) {
            present.push((Occur::Should, Box::new(BoostQuery::new(q, t.grams_boost))));
        }
        let headings = self.headings_searched();
        let texts: Vec<&str> = grams.iter().map(String::as_str).collect();
        if headings && self.in_headings(&texts)? {
            if let Some(q) = sequence(f.heading_grams, &grams) {
                let w = t.grams_boost * t.heading_weight;
                present.push((Occur::Should, Box::new(BoostQuery::new(q, w))));
            }
        }
        if u.text.chars().count() == 1 && u.script == Script::Han {
            // One character is indexed inside bigrams (jieba's one-character words are not
            // indexed): any bigram starting or ending with it.
            if let Some(c) = u.text.chars().next() {
                let pattern = format!("{c}.|.{c}");
                if let Ok(q) = RegexQuery::from_pattern(&pattern, f.grams) {
                    let q: Box<dyn Query> = Box::new(q);
                    present.push((Occur::Should, Box::new(BoostQuery::new(q, t.grams_boost))));
                }
                if headings {
                    if let Ok(q) = RegexQuery::from_pattern(&pattern, f.heading_grams) {
                        let q: Box<dyn Query> = Box::new(q);
                        let w = t.grams_boost * t.heading_weight;
                        present.push((Occur::Should, Box::new(BoostQuery::new(q, w))));
                    }
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

    /// A quoted phrase: its grams in order in the clause itself (words as typed, like
    /// `--exact`: not in its chapter's heading).
    pub(super) fn phrase(&mut self, p: &str, highlight: bool) -> Box<dyn Query> {
        if highlight {
            // Its words are marked where they stand together: "library services" marks
            // neither a lone "Services" nor a lone "library".
            self.highlighter.add_phrase(p);
        }
        grams_phrase(self.fields.grams, &analysis::gram_terms(p))
    }

    /// Whether every gram occurs in some heading: a phrase no heading can hold is searched
    /// in the clause only, which keeps the common case a single phrase query.
    pub(super) fn in_headings(&mut self, grams: &[&str]) -> tantivy::Result<bool> {
        for g in grams {
            if self.term_df(self.fields.heading_grams, g)? == 0 {
                return Ok(false);
            }
        }
        Ok(!grams.is_empty())
    }

    /// A term of several words or scripts (a thesaurus term, a synonym, a translation, a
    /// multi-word English unit): its grams in order in the clause or, weaker, in a heading over
    /// it. A phrase the user quoted goes through `phrase` instead, which reads the clause only.
    pub(super) fn phrase_query(&mut self, p: &str) -> tantivy::Result<Box<dyn Query>> {
        let f = self.fields;
        let terms = analysis::gram_terms(p);
        let own = grams_phrase(f.grams, &terms);
        let texts: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        if !self.headings_searched() || !self.in_headings(&texts)? {
            return Ok(own);
        }
        let heading = grams_phrase(f.heading_grams, &terms);
        Ok(or_weaker(own, heading, self.tuning.heading_weight))
    }
}

/// A match in the clause itself, or in its headings at `weight`.
fn or_weaker(own: Box<dyn Query>, heading: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, own),
        (Occur::Should, Box::new(BoostQuery::new(heading, weight))),
    ]))
}

/// Grams at their positions in `field` (one gram: a term).
fn grams_phrase(field: tantivy::schema::Field, terms: &[analysis::Term]) -> Box<dyn Query> {
    match terms {
        [] => Box::new(EmptyQuery),
        [one] => term_query(field, &one.text),
        _ => Box::new(PhraseQuery::new_with_offset(
            terms
                .iter()
                .map(|t| (t.position, Term::from_field_text(field, &t.text)))
                .collect(),
        )),
    }
}
