//! Document × obligation → ranked evidence clauses.
//!
//! Every term of every obligation (cues, near terms, unless terms, exclusions, subject terms)
//! is compiled into one Aho-Corasick automaton, so a clause is read once whatever the size of
//! the taxonomy; the hits are then sorted out per obligation:
//!
//! 1. a cue hit counts when its `near` condition holds, no `unless` term shares its sentence,
//!    no excluded phrase contains it, and no sentence-scope exclusion shares its sentence;
//! 2. a clause's score for an obligation is the sum of the weights of the distinct cue terms
//!    that count, and a clause is evidence when the score reaches the obligation's `min_score`
//!    and the clause is on the subject (see [`super::taxonomy`]);
//! 3. its strength is that of the strongest sentence holding a counted hit, and that sentence
//!    is the snippet;
//! 4. it is `firm` evidence when that sentence alone reaches `min_score`, binds someone (not a
//!    bare principle or definition) and names the subject or lies in a document about it;
//!    otherwise it only mentions a cue and is `borderline`.
//!
//! Texts and terms are folded with the search analysis' folding (Traditional → Simplified,
//! full-width → ASCII, one character for one), so a cue written once matches both scripts and
//! snippets still show the document's own characters.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Serialize;

use super::classes;
use super::scope::{self, Scope, SubjectCounts};
use super::strength::{self, Strength};
use super::taxonomy::{ExclusionScope, NearScope, Taxonomy};
use crate::index::analysis::{normalize, Normalized};
use crate::model::{Clause, ClauseId, SegmentedDoc};

/// Why a taxonomy could not be compiled.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: cannot compile the cues: {message}")]
pub struct MatcherError {
    pub origin: String,
    pub message: String,
}

/// A clause that addresses an obligation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub clause_id: ClauseId,
    /// The citation of the paragraph holding the snippet: 第三十三条第二款, Article 7.
    pub label: String,
    /// The article's own label: 第三十三条.
    pub article: String,
    /// 1-based paragraph of the snippet.
    pub paragraph: usize,
    #[serde(skip)]
    pub ordinal: u32,
    pub score: f32,
    pub strength: Strength,
    /// Whether the clause is about the obligation (`firm`) or only mentions a cue of it.
    pub confidence: Confidence,
    /// A general provision of a `partial` document (liability for violating this regulation,
    /// funding, oversight) that governs the duties it puts on the subject without naming it.
    pub general: bool,
    /// How surely the evidence reaches the subject's duties, surest first: 0 a paragraph naming
    /// the subject (any paragraph of a `primary` document); 1 a paragraph of a clause that names
    /// the subject only in its lead, caption or headings; then general provisions: 2 a sentence
    /// on every act violating the instrument, whoever commits it (违反本条例规定的行为); 3 one
    /// naming the instrument otherwise (违反本条例规定，老年教育机构…); 4 one naming its violator
    /// before the instrument (学校违反本法规定的); 5 one standing in a general division (总则,
    /// 法律责任); 6 one addressed to everyone the instrument binds (任何组织和个人); 7 one only
    /// addressed to an enforcing authority; 8 one easing the sanctions (从轻、减轻处罚), for
    /// liability; 9 for any other obligation, a clause sanctioning its breach (对投诉不依法查处
    /// 的，给予处分). Evidence ranks by it first.
    #[serde(skip)]
    pub tier: u8,
    /// The strongest sentence holding a cue.
    pub snippet: String,
    /// Cue hits in the snippet as `[start, end)` character offsets.
    pub hits: Vec<[usize; 2]>,
}

/// How sure a cell or a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Evidence that only mentions a cue, a general provision, or a gap where a cue of the
    /// obligation appears but did not count: a reader should look.
    Borderline,
    /// Evidence that states the obligation; a gap where nothing in the text comes near it.
    Firm,
}

impl Confidence {
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Firm => "firm",
            Confidence::Borderline => "borderline",
        }
    }
}

/// What the matcher found in one document.
#[derive(Debug, Clone)]
pub struct DocMatches {
    /// Set when the document cannot be judged (no clauses, a language without cues).
    pub unknown: Option<String>,
    /// Whether the document is about the subject (meaningless when `unknown` is set).
    pub scope: Scope,
    /// Why it has that scope, in words a reader can check.
    pub scope_reason: String,
    /// Set when the document is `partial` only through mentions a reader may not take as
    /// regulating the subject (see [`Reading::Passing`]): every cell is then borderline.
    pub scope_doubt: Option<String>,
    /// Per obligation (taxonomy order): evidence, best first (specific before general).
    pub evidence: Vec<Vec<Evidence>>,
    /// Per obligation: a cue term of it occurs where it could count (on the subject) but no
    /// clause reached the bar, so a gap there is borderline.
    pub near_miss: Vec<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Cue { cue: u16, weight: f32 },
    Near { cue: u16 },
    Unless { cue: u16 },
    ExcludePhrase,
    ExcludeSentence,
    Subject,
    SubjectIncludes,
    General,
    Addressee,
    Dereliction,
    Authority,
    Visitor,
    Exempt,
    ExemptItems,
    Field,
}

#[derive(Debug, Clone, Copy)]
struct Use {
    obligation: u16,
    role: Role,
}

#[derive(Debug, Clone)]
struct Pattern {
    left_boundary: bool,
    right_boundary: bool,
    uses: Range<usize>,
}

#[derive(Debug, Clone)]
struct CueRule {
    has_near: bool,
    window: Option<u32>,
    phrase: bool,
    has_unless: bool,
    /// Primary language subtag the cue is limited to.
    lang: Option<String>,
}

/// A taxonomy compiled for matching. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Matcher {
    taxonomy: Taxonomy,
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    uses: Vec<Use>,
    cues: Vec<Vec<CueRule>>,
    /// The pattern a class the document puts the subject in is read as (`classes`): outside
    /// the automaton, which is the same for every document.
    class_pattern: usize,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    pattern: usize,
    start: usize,
    end: usize,
    sentence: usize,
    phrase: usize,
    /// Lies strictly inside a subject term (图书 in 图书馆): the subject's own name is never a
    /// cue or the context of one.
    inside_subject: bool,
}

/// A clause folded and read once by the automaton, before scope is known.
struct ReadClause {
    text: Normalized,
    hits: Vec<Hit>,
    names_subject: bool,
    /// Every text mention of the subject lies in a rule of conduct binding visitors (公民应当
    /// 遵守下列规定：…在图书馆内…), and neither caption nor headings name it.
    subject_as_place: bool,
    /// As `subject_as_place`, counting also an item of a list of places where something is
    /// forbidden to whoever enters (下列场所禁止携带犬只进入：…图书馆…): such a place is
    /// regulated only when the document binds its managers (see [`binds_place_managers`]).
    subject_as_listed_place: bool,
    /// As `subject_as_listed_place`, counting also the mentions a reader may or may not take
    /// as regulating the library (see [`Reading::Passing`]): they put the scope in doubt.
    subject_in_passing: bool,
    names_includes: bool,
}

/// How far [`Matcher::subject_reading`] reads a mention of the subject as naming a
/// library the text does not regulate. Each reading includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reading {
    /// Places where visitors or another actor are bound, exemptions, founders, donors and
    /// building lists: the document does not regulate the library.
    Places,
    /// Also an item of a list of places where something is forbidden to whoever enters: not
    /// regulated unless the document binds the places' managers.
    ListedPlaces,
    /// Also a place where an act is forbidden to whoever does it there, in a sentence or its
    /// list's lead-in (禁止携带犬只进入…图书馆…; 不得在公共图书馆…内举办营业性文化娱乐活动), and
    /// the receiver of what another actor must deposit (博士学位论文应当同时交存国家图书馆), and
    /// one of what an authority develops, supports or founds (国家发展…图书馆…和其他文化事业).
    /// Annotators who read only the law call most such documents out of scope, but not all:
    /// read as out of scope, two documents of an unseen split that two annotators each called
    /// `partial` turned `none` (benches/RESULTS-coverage.md, fifteenth session). So such a reading
    /// leaves the document in scope and says the scope is in doubt.
    Passing,
}

/// One obligation's result for one clause, before it becomes [`Evidence`].
struct ClauseMatch {
    obligation: usize,
    score: f32,
    strength: Strength,
    firm: bool,
    general: bool,
    tier: u8,
    sentence: Range<usize>,
    hits: Vec<Range<usize>>,
}

impl Matcher {
    /// Compiles a taxonomy.
    pub fn new(taxonomy: Taxonomy) -> Result<Matcher, MatcherError> {
        // Key: (lowercased term without '*', prefix?) → uses.
        let mut table: Vec<(String, bool, bool, Vec<Use>)> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut add = |term: &str, u: Use| {
            let prefix = term.ends_with('*');
            let body = normalize(term.trim_end_matches('*'))
                .text
                .to_ascii_lowercase();
            let left = body
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let right = !prefix
                && body
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            let key = (body.clone(), left, right);
            let i = *index.entry(key).or_insert_with(|| {
                table.push((body, left, right, Vec::new()));
                table.len() - 1
            });
            table[i].3.push(u);
        };
        let mut cues = Vec::new();
        for (oi, o) in taxonomy.obligations.iter().enumerate() {
            let obligation = oi as u16;
            let mut rules = Vec::new();
            for (ci, cue) in o.cues.iter().enumerate() {
                let c = ci as u16;
                for t in &cue.terms {
                    add(
                        t,
                        Use {
                            obligation,
                            role: Role::Cue {
                                cue: c,
                                weight: cue.weight,
                            },
                        },
                    );
                }
                for t in &cue.near {
                    add(
                        t,
                        Use {
                            obligation,
                            role: Role::Near { cue: c },
                        },
                    );
                }
                for t in &cue.unless {
                    add(
                        t,
                        Use {
                            obligation,
                            role: Role::Unless { cue: c },
                        },
                    );
                }
                rules.push(CueRule {
                    has_near: !cue.near.is_empty(),
                    window: cue.window,
                    phrase: cue.near_scope == NearScope::Phrase,
                    has_unless: !cue.unless.is_empty(),
                    lang: cue.lang.as_deref().map(primary_language),
                });
            }
            for ex in &o.exclusions {
                let role = match ex.scope {
                    ExclusionScope::Phrase => Role::ExcludePhrase,
                    ExclusionScope::Sentence => Role::ExcludeSentence,
                };
                for t in &ex.terms {
                    add(t, Use { obligation, role });
                }
            }
            cues.push(rules);
        }
        if let Some(subject) = &taxonomy.subject {
            for (terms, role) in [
                (&subject.terms, Role::Subject),
                (&subject.includes, Role::SubjectIncludes),
                (&subject.general, Role::General),
                (&subject.addressees, Role::Addressee),
                (&subject.dereliction, Role::Dereliction),
                (&subject.authorities, Role::Authority),
                (&subject.visitors, Role::Visitor),
                (&subject.exempt, Role::Exempt),
                (&subject.exempt_items, Role::ExemptItems),
                (&subject.fields, Role::Field),
            ] {
                for t in terms {
                    add(
                        t,
                        Use {
                            obligation: u16::MAX,
                            role,
                        },
                    );
                }
            }
        }
        let mut patterns = Vec::with_capacity(table.len());
        let mut uses = Vec::new();
        let mut texts = Vec::with_capacity(table.len());
        for (body, left, right, u) in table {
            let start = uses.len();
            uses.extend(u);
            patterns.push(Pattern {
                left_boundary: left,
                right_boundary: right,
                uses: start..uses.len(),
            });
            texts.push(body);
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&texts)
            .or_else(|_| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&texts)
            })
            .map_err(|e| MatcherError {
                origin: taxonomy.origin.clone(),
                message: e.to_string(),
            })?;
        let class_pattern = patterns.len();
        patterns.push(Pattern {
            left_boundary: false,
            right_boundary: false,
            uses: uses.len()..uses.len() + 1,
        });
        uses.push(Use {
            obligation: u16::MAX,
            role: Role::SubjectIncludes,
        });
        Ok(Matcher {
            taxonomy,
            automaton,
            patterns,
            uses,
            cues,
            class_pattern,
        })
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Finds the evidence for every obligation in one document.
    pub fn match_document(&self, doc: &SegmentedDoc) -> DocMatches {
        let n = self.taxonomy.obligations.len();
        let mut out = DocMatches {
            unknown: None,
            scope: Scope::Primary,
            scope_reason: String::new(),
            scope_doubt: None,
            evidence: vec![Vec::new(); n],
            near_miss: vec![false; n],
        };
        if doc.clauses.is_empty() {
            out.unknown = Some(match &doc.info.error {
                Some(error) => format!("could not be read: {error}"),
                None => format!(
                    "no clauses found (structure: {})",
                    if doc.info.structure.is_empty() {
                        "unknown"
                    } else {
                        &doc.info.structure
                    }
                ),
            });
            return out;
        }
        if !self.taxonomy.reads_language(&doc.info.language) {
            out.unknown = Some(format!(
                "the taxonomy has no cues in {} (it reads {})",
                doc.info.language,
                self.taxonomy.languages.join(", ")
            ));
            return out;
        }
        // Read every clause once; scope needs all of them before any clause is judged.
        let mut read: Vec<ReadClause> = doc.clauses.iter().map(|c| self.read_clause(c)).collect();
        // Only a text listing the library among forbidden places is read for its managers.
        let listed = read
            .iter()
            .any(|r| r.subject_as_listed_place && !r.subject_as_place);
        // Read lazily: most documents list no place and are not in doubt, and scanning every
        // clause of every document for managers took the bulk matrix from 0.37 s to 0.48 s.
        let managers_bound = std::cell::OnceCell::new();
        let bound = |read: &[ReadClause]| {
            *managers_bound.get_or_init(|| read.iter().any(|r| binds_place_managers(&r.text.text)))
        };
        if listed && !bound(&read) {
            for r in &mut read {
                r.subject_as_place |= r.subject_as_listed_place;
            }
        }
        let classes = self.add_classes(&mut read);
        let title = normalize(&doc.info.title).text;
        let scope = if self.taxonomy.subject.is_none() {
            out.scope_reason = "the taxonomy has no subject".into();
            Scope::Primary
        } else {
            let title_names = self.names(&title, Role::Subject);
            let title_includes = self.names(&title, Role::SubjectIncludes);
            // A clause naming the subject only as the place of a rule for visitors does not
            // bring the document into scope.
            let regulates = |r: &ReadClause| r.names_subject && !r.subject_as_place;
            let includes_count = title_names || read.iter().any(regulates);
            let counts = SubjectCounts {
                title_names,
                title_includes,
                clauses_naming: read.iter().filter(|r| regulates(r)).count(),
                unregulated_mentions: read.iter().filter(|r| r.subject_as_place).count(),
                clauses_on_subject: read
                    .iter()
                    .filter(|r| regulates(r) || (includes_count && r.names_includes))
                    .count(),
                clauses: read.len(),
            };
            let (scope, mut reason) = scope::decide(&counts);
            // In scope only through passing mentions, with no manager of those places and no
            // class that includes the subject bound elsewhere: the scope is in doubt (and every
            // evidence clause borderline, below).
            let naming: Vec<&ReadClause> = read.iter().filter(|r| regulates(r)).collect();
            if scope == Scope::Partial
                && naming.iter().all(|r| r.subject_in_passing)
                && !read
                    .iter()
                    .any(|r| r.names_includes && !r.subject_in_passing)
                && !bound(&read)
            {
                out.scope_doubt = Some(format!(
                    "{} it only as a place where others are forbidden an act, where others must \
                     deposit copies, or among what an authority develops or founds; a reader may \
                     take the document as not regulating it",
                    if naming.len() == 1 {
                        "its one clause naming the subject names"
                    } else {
                        "each clause naming the subject names"
                    }
                ));
            }
            if scope == Scope::Partial && !classes.is_empty() {
                reason.push_str(&format!(
                    " (classes it puts the subject in: {})",
                    classes.join(", ")
                ));
            }
            out.scope_reason = reason;
            scope
        };
        out.scope = scope;
        if scope == Scope::None {
            return out;
        }
        let includes_count = scope == Scope::Primary || read.iter().any(|r| r.names_subject);
        // Funding, staff and donors of a document's own field reach the subject's work only
        // when the subject's bodies do that work (a public-culture or reading regulation), not
        // when the field is a regime they are merely subject to (fire safety, parking).
        let in_field = self.names(&title, Role::Field);
        let language = primary_language(&doc.info.language);
        // A division headed as general (总则, 法律责任) is a few chapters of a law. When such a
        // heading stands over most of the document, the text lost its later headings (a
        // markdown copy that marks only 第一章 总则) and the heading says nothing about them.
        let under_general = doc
            .clauses
            .iter()
            .filter(|c| self.around(c, Role::General))
            .count();
        let general_divisions = under_general * 2 <= doc.clauses.len();
        // Articles that put duties on the subject: a provision citing other articles only
        // (违反本条例第七条规定的) reaches their duties, not these.
        let subject_articles: Vec<u32> = doc
            .clauses
            .iter()
            .zip(&read)
            .filter(|(_, r)| r.names_subject || (includes_count && r.names_includes))
            .filter_map(|(c, _)| c.number.as_ref().map(|n| n.base))
            .collect();
        // The articles of each chapter, for a provision citing a chapter (违反本条例第三章规定).
        let mut chapter_articles: HashMap<u32, Vec<u32>> = HashMap::new();
        for c in &doc.clauses {
            let (Some(n), Some(chapter)) = (
                c.number.as_ref(),
                c.headings
                    .iter()
                    .find_map(|h| crate::grammar::chapter_number(h)),
            ) else {
                continue;
            };
            chapter_articles.entry(chapter).or_default().push(n.base);
        }
        for (clause, r) in doc.clauses.iter().zip(&read) {
            let ctx = Context {
                scope,
                includes_count,
                in_field,
                general_divisions,
                subject_articles: &subject_articles,
                chapter_articles: &chapter_articles,
                language: &language,
            };
            let mut found = self.match_clause(clause, r, ctx, &mut out.near_miss);
            let stated: Vec<usize> = found.iter().map(|m| m.obligation).collect();
            found.extend(self.match_heading(clause, r, ctx, &stated));
            for m in found {
                out.evidence[m.obligation].push(self.evidence(clause, &r.text, m));
            }
        }
        // Specific before general; a general provision framed for the whole instrument before
        // one only addressed to an authority (for resources, see `tier_rank`); then by score,
        // strength and position.
        for (o, list) in out.evidence.iter_mut().enumerate() {
            let field = self.taxonomy.obligations[o].field;
            let rank = |tier: u8| if field { tier_rank(tier) } else { tier };
            list.sort_by(|a, b| {
                a.general
                    .cmp(&b.general)
                    .then(rank(a.tier).cmp(&rank(b.tier)))
                    .then(b.score.total_cmp(&a.score))
                    .then(a.tier.cmp(&b.tier))
                    .then(b.strength.cmp(&a.strength))
                    .then(a.ordinal.cmp(&b.ordinal))
            });
            // A document that may not regulate the subject at all gives no firm evidence, for
            // its own row and as a model clause for others'.
            if out.scope_doubt.is_some() {
                for e in list.iter_mut() {
                    e.confidence = Confidence::Borderline;
                }
            }
        }
        out
    }

    /// Finds the classes the document puts the subject in (`classes`), wherever a clause names
    /// them beside it (an item of an authority's building list, 建设完善下列设施：…公共图书馆、
    /// 流动图书馆和公共阅报栏等阅读设施, says what a 阅读设施 is as much as a duty does), and marks
    /// their every mention as one of a broader body that includes the subject. They count only
    /// where the document regulates the subject (`includes_count`). Returns the classes.
    fn add_classes(&self, read: &mut [ReadClause]) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for r in read.iter().filter(|r| r.names_subject) {
            let t = r.text.text.as_str();
            let subject: Vec<Range<usize>> = r
                .hits
                .iter()
                .filter(|h| self.has_role(h, |x| x == Role::Subject))
                .map(|h| h.start..h.end)
                .collect();
            if subject.is_empty() {
                continue;
            }
            let sentences = strength::sentences(t);
            let leads = strength::lead_ins(t, &sentences);
            found.extend(
                classes::classes(t, &subject, &sentences, &leads)
                    .into_iter()
                    .map(str::to_string),
            );
        }
        // A class the taxonomy already lists (公共文化设施) is read already.
        found.retain(|c| !self.names(c, Role::SubjectIncludes));
        found.sort_unstable();
        found.dedup();
        if found.is_empty() {
            return found;
        }
        for r in read.iter_mut() {
            let t = r.text.text.as_str();
            let mut added = false;
            for class in &found {
                for (start, m) in t.match_indices(class.as_str()) {
                    if !classes::binds(t, start, start + m.len()) {
                        continue;
                    }
                    r.hits.push(Hit {
                        pattern: self.class_pattern,
                        start,
                        end: start + m.len(),
                        sentence: 0,
                        phrase: 0,
                        inside_subject: false,
                    });
                    added = true;
                }
            }
            r.names_includes |= added;
        }
        found
    }

    /// Whether `text` holds a subject term (after folding).
    pub fn mentions_subject(&self, text: &str) -> bool {
        self.names(&normalize(text).text, Role::Subject)
    }

    /// Whether a clause's caption or headings hold a term with this role.
    fn around(&self, clause: &Clause, role: Role) -> bool {
        let folded = |s: &str| self.names(&normalize(s).text, role);
        folded(&clause.caption) || clause.headings.iter().any(|h| folded(h))
    }

    /// Whether folded `text` holds a term with this role.
    fn names(&self, text: &str, role: Role) -> bool {
        self.automaton.find_overlapping_iter(text).any(|m| {
            let p = &self.patterns[m.pattern().as_usize()];
            self.at_boundaries(text, p, m.start(), m.end())
                && self.uses[p.uses.clone()].iter().any(|u| u.role == role)
        })
    }

    fn at_boundaries(&self, text: &str, p: &Pattern, start: usize, end: usize) -> bool {
        let b = text.as_bytes();
        (!p.left_boundary || start == 0 || !b[start - 1].is_ascii_alphanumeric())
            && (!p.right_boundary || end >= b.len() || !b[end].is_ascii_alphanumeric())
    }

    fn read_clause(&self, clause: &Clause) -> ReadClause {
        let text = normalize(&clause.text);
        let t = text.text.as_str();
        let mut hits = Vec::new();
        for m in self.automaton.find_overlapping_iter(t) {
            let p = &self.patterns[m.pattern().as_usize()];
            if self.at_boundaries(t, p, m.start(), m.end()) {
                hits.push(Hit {
                    pattern: m.pattern().as_usize(),
                    start: m.start(),
                    end: m.end(),
                    sentence: 0,
                    phrase: 0,
                    inside_subject: false,
                });
            }
        }
        let around = |role: Role| self.around(clause, role);
        let names_subject = hits
            .iter()
            .any(|h| self.has_role(h, |r| r == Role::Subject))
            || around(Role::Subject);
        let names_includes = hits
            .iter()
            .any(|h| self.has_role(h, |r| r == Role::SubjectIncludes))
            || around(Role::SubjectIncludes);
        let own = names_subject && !around(Role::Subject);
        let reading = own.then(|| self.subject_reading(t, &hits)).flatten();
        let subject_as_place = reading == Some(Reading::Places);
        let subject_as_listed_place = reading.is_some_and(|r| r <= Reading::ListedPlaces);
        let subject_in_passing = reading.is_some();
        ReadClause {
            text,
            hits,
            names_subject,
            subject_as_place,
            subject_as_listed_place,
            subject_in_passing,
            names_includes,
        }
    }

    /// Reads each mention of the subject in folded `text` as a library the text does not
    /// regulate (with [`Reading::Passing`]: may not regulate) when it names:
    /// - the place where the visiting public is bound: the sentence, or the lead-in of its list,
    ///   opens with a visitor term and binds it (公民应当维护公共秩序，自觉遵守下列规定：…（六）在
    ///   图书馆…内应当遵守秩序);
    /// - a body the text says it does not apply to (学校、图书馆等单位内部附设的…场所…不适用本
    ///   条例), in the sentence or the lead-in of its list;
    /// - an item, binding no one, of a list whose lead-in exempts its items from a tax (下列项目
    ///   免征增值税：…（九）…图书馆举办文化活动的门票收入);
    /// - a place named in another actor's duty, not an authority's (学校应当…在通往教学楼、
    ///   图书馆…等人员密集场所的道路上设置警示标识; 携犬出户应当遵守下列规定：…不得进入…图书馆
    ///   …等场所): the school or the dog's keeper is bound, the library is where;
    /// - what others are encouraged to found or give to (鼓励…从事下列活动：…开办…图书馆; 鼓励
    ///   单位和个人向…图书馆…捐赠), or a facility an authority builds among others, in a list
    ///   whose managers the article does not go on to bind;
    /// - with [`Reading::ListedPlaces`], an item of a list of places forbidden to whoever enters;
    /// - with [`Reading::Passing`], a place where an act is forbidden to whoever does it there,
    ///   where another actor must deposit something, or one of the facilities or undertakings
    ///   an authority develops, supports or founds.
    ///
    /// Returns the least [`Reading`] under which every mention is such a library (the
    /// mentions' largest), or `None` when some mention is a library the text regulates. One
    /// pass for all three readings: most clauses naming the subject regulate it.
    fn subject_reading(&self, text: &str, hits: &[Hit]) -> Option<Reading> {
        let role = |h: &Hit, r: Role| self.has_role(h, |x| x == r);
        let sentences = strength::sentences(text);
        let leads = strength::lead_ins(text, &sentences);
        // Each read only for the sentences (and lead-ins) that name the subject.
        let opening = |si: usize| {
            let r = &sentences[si];
            let s = strength::strip_article_head(&text[r.clone()]);
            (r.end - s.len(), s)
        };
        let visitor_actor = |si: usize| {
            let (opens, s) = opening(si);
            hits.iter()
                .any(|h| h.start == opens && role(h, Role::Visitor) && !civil_affairs(text, h))
                && strength::classify(s) == Strength::Mandatory
        };
        let holds = |si: usize, r: Role| {
            hits.iter()
                .any(|h| sentences[si].contains(&h.start) && role(h, r))
        };
        let exempt = |si: usize| holds(si, Role::Exempt);
        // An item of a list whose lead-in exempts its items from a tax, binding no one.
        let exempt_item = |si: usize| {
            leads[si].is_some_and(|l| holds(l, Role::ExemptItems))
                && strength::classify(opening(si).1) == Strength::Principle
        };
        // Where another actor's duty starts (its modal verb).
        let other_actor = |si: usize| {
            let (opens, s) = opening(si);
            self.own_actor(s, true).map(|at| opens + at)
        };
        let sentence_of = |h: &Hit| sentences.iter().position(|r| r.contains(&h.start));
        let mention = |h: &Hit| -> Option<Reading> {
            let si = sentence_of(h)?;
            if visitor_actor(si)
                || leads[si].is_some_and(visitor_actor)
                || exempt(si)
                || leads[si].is_some_and(exempt)
                || exempt_item(si)
            {
                return Some(Reading::Places);
            }
            // The library is a place where the duty applies: in a locative phrase (在…, 进入…,
            // 通往…) naming places (…图书馆…等…场所), after the duty's verb, or in an item of a
            // list whose lead-in binds another actor (携犬出户应当遵守下列规定：…（七）不得进入…
            // 图书馆…等场所). Not where the library is what the duty provides (配备图书馆…等教学场所).
            let sentence = sentences[si].clone();
            let within = |at: usize| at.clamp(sentence.start, sentence.end);
            let (start, end) = (within(h.start), within(h.end));
            let phrase_start = text[sentence.start..start]
                .rfind(['，', '；', '：', ',', ';'])
                .map_or(sentence.start, |i| sentence.start + i);
            let phrase_end = text[end..sentence.end]
                .find(['，', '；', '。', ',', ';'])
                .map_or(sentence.end, |i| end + i);
            let before = &text[phrase_start..start];
            let after = &text[end..phrase_end];
            // The lead-in of the list the mention is an item of.
            let lead: Option<&str> = leads[si].map(|l| &text[sentences[l].clone()]);
            // The sentence's own force, which several readings below ask.
            let force = strength::classify(opening(si).1);
            let locative = contains_any(before, &["在", "进入", "通往", "前往"]);
            // The recipient of another actor's delivery (出版单位…应当…向国家图书馆…送交样本):
            // the publisher is bound, the library receives.
            let recipient = before.contains('向') && contains_any(after, &DELIVERY);
            // One of the means of another activity (鼓励单位和个人…通过开办博物馆、图书馆…等方式
            // 合理利用不可移动文物): the activity is regulated, not the library.
            let means = before.contains("通过") && after.contains("等方式");
            // An item of a list whose lead-in names its items as the means of another activity
            // (鼓励…通过以下方式合理利用不可移动文物：（一）开办博物馆、图书馆…).
            let listed_as = lead.is_some_and(|lead| {
                // Means others are encouraged to use, not an authority's own ways (人民政府应当
                // 通过下列方式推进…：（一）加强公共图书馆建设).
                let encourages = contains_any(lead, &["鼓励", "支持", "引导"]);
                let means = contains_any(lead, &["以下方式", "下列方式"])
                    && lead.contains("通过")
                    && encourages;
                // Activities others are encouraged to take up, one of which founds a library
                // (鼓励在古城内依法从事下列活动：…（二）开办博物馆、…图书馆): the founding is
                // encouraged, no library is bound.
                let activities = contains_any(lead, &["下列活动", "以下活动"])
                    && encourages
                    && contains_any(before, &FOUNDING);
                // Facilities an authority plans and builds (人民政府…应当…建设完善下列公共设施：
                // …（三）体育场（馆）、图书馆…等公共文化设施), unless the article goes on to
                // bind those facilities' managers (前款规定的设施，管理单位应当…): the library is
                // what is built.
                let built = contains_any(lead, &["下列", "以下"])
                    && lead.contains("设施")
                    && contains_any(lead, &["建设", "规划"])
                    && contains_any(lead, &["人民政府", "政府", "部门"])
                    && force == Strength::Principle
                    && !binds_listed_managers(text);
                means || activities || built
            });
            // The recipient of others' gifts (鼓励单位和个人向…图书馆…等公共文化机构捐赠; 纳税人
            // …对下列文化事业的捐赠…：（二）对公益性的图书馆…的捐赠): the donors are encouraged
            // or relieved of tax, the library receives. A gift someone must make (学校应当向图书馆
            // 捐赠图书) is a rule about the library.
            let gifts = (before.contains('向') || before.contains('对'))
                && contains_any(after, &["捐赠", "捐献", "捐助"])
                && matches!(force, Strength::Encouraged | Strength::Principle);
            // A historic site bearing a library's name (河朔图书馆旧址): a place, not a body.
            let site = ["旧址", "遗址", "故居", "旧居"]
                .iter()
                .any(|w| text[end..].starts_with(w));
            if (locative
                && after.contains("场所")
                && (other_actor(si).is_some_and(|at| start > at)
                    || leads[si].is_some_and(|l| other_actor(l).is_some())))
                || (recipient && force == Strength::Mandatory)
                || means
                || listed_as
                || gifts
                || site
            {
                return Some(Reading::Places);
            }
            // An item of a list of places where something is forbidden to whoever enters (下列
            // 场所禁止携带犬只进入：…图书馆…): regulated only when the document binds their
            // managers.
            if lead.is_some_and(|lead| {
                contains_any(lead, &FORBIDDEN_PLACE_LISTS)
                    && lead.contains("禁止")
                    && !contains_any(lead, &["应当", "必须"])
            }) {
                return Some(Reading::ListedPlaces);
            }
            // A deposit due with the library as its place (博士学位论文应当同时交存国家图书馆):
            // the modal comes before the delivery verb, and no 由 after it makes the library the
            // one bound (缴送的样本应当由国家图书馆负责保存).
            let deposited = DELIVERY
                .iter()
                .filter_map(|v| before.rfind(v))
                .max()
                .is_some_and(|at| {
                    contains_any(&before[..at], &["应当", "必须"]) && !before[at..].contains('由')
                });
            // One of the facilities or undertakings an authority develops, supports or founds
            // (国家发展…图书馆博物馆文化馆和其他文化事业; 各级人民政府应当扶持…创办文化馆（站）、
            // 图书馆等文化设施): annotators read some such documents as regulating libraries and
            // some not.
            let founded_by_authority =
                contains_any(
                    before,
                    &[
                        "发展", "支持", "扶持", "建设", "创办", "设立", "兴建", "新建", "兴办",
                    ],
                ) && (contains_any(&text[sentence.start..start], &["国家", "人民政府", "政府"])
                    || lead.is_some_and(|l| contains_any(l, &["人民政府", "政府"])));
            // A place where an act is forbidden to whoever does it there: the library stands in
            // a locative phrase (进入…, 出入…, 在…内) of a sentence, or of a list whose lead-in,
            // forbids the act with no actor of its own. The entrant, the organiser or the
            // builder is bound, not the library.
            let forbidden_here = || {
                let locative = contains_any(before, &["在", "进入", "出入", "携入", "带入"])
                    || lead.is_some_and(|l| {
                        contains_any(l, &["在下列", "在以下", "进入下列", "进入以下"])
                            || contains_any(l, &["下列区域", "以下区域"])
                            || contains_any(l, &FORBIDDEN_PLACE_LISTS)
                    });
                locative
                    && (self.forbids_anyone(opening(si).1)
                        || lead.is_some_and(|l| self.forbids_anyone(l)))
            };
            (deposited || founded_by_authority || forbidden_here()).then_some(Reading::Passing)
        };
        hits.iter()
            .filter(|h| role(h, Role::Subject))
            .try_fold(Reading::Places, |most, h| mention(h).map(|r| most.max(r)))
    }

    /// Whether a (folded) sentence forbids an act to no actor of its own: it opens with the
    /// ban (禁止携带犬只进入…; 不得在…内举办…), with a locative phrase before it (在下列区域内不得
    /// 建设…; 在…场馆内应当遵守秩序), or with a clause of conduct (遵守养犬文明行为规范，不得实施
    /// 下列行为). Not a ban on a manager or a unit (公共场所经营单位不得…), nor on the subject.
    fn forbids_anyone(&self, sentence: &str) -> bool {
        let s = strength::strip_article_head(sentence).trim_start();
        let Some((at, ban)) = first_of(s, &["禁止", "严禁", "不得", "应当"]) else {
            return false;
        };
        let actor = &s[..at];
        // A locative phrase before the ban (在图书馆内不得…; 在…场馆内，禁止…).
        let place = actor.trim_end_matches(['，', ',']);
        if place.starts_with('在')
            && !place.contains(['，', ','])
            && ["内", "里", "中", "上"].iter().any(|w| place.ends_with(w))
        {
            return true;
        }
        // Everyone, by name (任何单位和个人不得在…内举办…), as no actor at all.
        let everyone = [
            "任何单位和个人",
            "任何组织和个人",
            "任何单位或者个人",
            "任何组织或者个人",
        ]
        .contains(&place);
        ban != "应当"
            && (actor.is_empty() || actor.ends_with(['，', ',']) || everyone)
            && (everyone || !contains_any(actor, &["管理", "经营", "单位", "机构"]))
            && !self.names(actor, Role::Subject)
    }

    /// Whether a paragraph's first sentence opens with an actor of its own, bound by a duty
    /// or a power (用人单位应当…, 新闻媒体可以…): a plain noun phrase before 应当/必须/不得/
    /// 可以 that neither names the subject nor refers back (前款规定的…, 其…), nor states a
    /// condition (…的) or a list item.
    fn opens_with_own_actor(&self, paragraph: &str) -> bool {
        let folded = normalize(paragraph.trim_start()).text;
        let first = strength::sentences(&folded)
            .first()
            .map(|r| folded[r.clone()].to_string())
            .unwrap_or_default();
        self.own_actor(&first, false).is_some() || self.encouraged_actor(&first)
    }

    /// Whether a folded sentence opens by encouraging a body of its own (国家鼓励科研机构和科技类
    /// 社会组织对未成年人开展科学普及活动): that body, not the library of the paragraph before,
    /// is the one the sentence is about. The encouraged phrase runs to its first verb or
    /// preposition and ends in a body's name.
    fn encouraged_actor(&self, sentence: &str) -> bool {
        const URGE: [&str; 4] = ["鼓励", "支持", "引导", "提倡"];
        const PREFIX: [&str; 6] = ["国家", "本市", "本省", "人民政府", "政府", "社会"];
        const STOPS: [&str; 16] = [
            "开展", "参与", "为", "对", "向", "通过", "利用", "设立", "兴办", "举办", "建立",
            "提供", "捐赠", "在", "按照", "依法",
        ];
        let Some((at, urge)) = first_of(sentence, &URGE) else {
            return false;
        };
        let before = &sentence[..at];
        if !(before.is_empty() || PREFIX.iter().any(|p| before.ends_with(p))) {
            return false;
        }
        let rest = &sentence[at + urge.len()..];
        // No object at all (鼓励为未成年人提供…): the sentence goes on with the paragraph's actor.
        let Some((stop, verb)) = first_of(rest, &STOPS) else {
            return false;
        };
        // Donors and participants (国家鼓励公民、法人和其他组织捐赠…、参与…) support the work of
        // the paragraph before: the library's.
        if ["捐赠", "参与"].contains(&verb) {
            return false;
        }
        let object = rest[..stop].trim();
        self.plain_actor(object) && BODIES.iter().any(|b| object.ends_with(b))
    }

    /// Whether a part of a folded sentence between semicolons opens with an actor of its own: a
    /// body or a person (互联网站, 广播电台, 成年人) before a whole modal verb. A fronted object
    /// (对未成年人…应当), a condition (根据…), a time (节假日应当开放) or a verb the part shares
    /// with the sentence's actor (…；根据…配备相应的专业人员) is none: such a part goes on with the
    /// actor named before it.
    fn part_actor(&self, part: &str) -> bool {
        const MODALS: [&str; 4] = ["应当", "必须", "不得", "可以"];
        const NOT_ACTORS: [&str; 10] = [
            "对", "在", "根据", "按照", "依照", "依据", "为", "经", "凡", "向",
        ];
        let Some(at) = MODALS.iter().filter_map(|m| part.find(m)).min() else {
            return false;
        };
        let actor = part[..at].trim();
        self.plain_actor(actor)
            && !NOT_ACTORS.iter().any(|w| actor.starts_with(w))
            && BODIES.iter().any(|b| actor.ends_with(b))
    }

    /// What every actor of its own is: a short noun phrase with no clause punctuation in it
    /// (not a condition or a list lead-in) that names neither the subject nor a body including
    /// it.
    fn plain_actor(&self, actor: &str) -> bool {
        (1..=20).contains(&actor.chars().count())
            && !actor.contains(['，', ',', '；', '：', '（', '('])
            && !self.names(actor, Role::Subject)
            && !self.names(actor, Role::SubjectIncludes)
    }

    /// Where the modal verb of a folded `sentence` starts, when an actor of its own opens it
    /// (see [`Matcher::opens_with_own_actor`]). With `not_authority`, an authority or any
    /// department (人民政府, 教育行政部门) is not such an actor either, and a power (可以) is no
    /// duty.
    fn own_actor(&self, sentence: &str, not_authority: bool) -> Option<usize> {
        const DUTY: [&str; 8] = ["应当", "應當", "必须", "必須", "不得", "可以", "应", "應"];
        const BACK: [&str; 12] = [
            "前款",
            "前两款",
            "前述",
            "上述",
            "上款",
            "本款",
            "本条",
            "其",
            "该",
            "該",
            "前項",
            "前项",
        ];
        let at = DUTY.iter().filter_map(|d| sentence.find(d)).min()?;
        // A power or a right (持卡人可以…借阅) binds no one to a place.
        if not_authority && sentence[at..].starts_with("可以") {
            return None;
        }
        let actor = sentence[..at].trim();
        (self.plain_actor(actor)
            && !actor.ends_with('的')
            && !BACK.iter().any(|b| actor.starts_with(b))
            && !(not_authority
                && (self.names(actor, Role::Authority)
                    || ["部门", "政府", "机关"].iter().any(|o| actor.contains(o)))))
        .then_some(at)
    }

    fn match_clause(
        &self,
        clause: &Clause,
        read: &ReadClause,
        ctx: Context<'_>,
        near_miss: &mut [bool],
    ) -> Vec<ClauseMatch> {
        let text = read.text.text.as_str();
        let any_cue = read.hits.iter().any(|h| {
            self.uses[self.patterns[h.pattern].uses.clone()]
                .iter()
                .any(|u| matches!(u.role, Role::Cue { .. }))
        });
        if !any_cue {
            return Vec::new();
        }
        let mut hits = read.hits.clone();
        hits.sort_by_key(|h| (h.start, h.end));
        let subject_spans: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| self.has_role(h, |r| r == Role::Subject))
            .map(|h| (h.start, h.end))
            .collect();
        for h in hits.iter_mut() {
            h.inside_subject = subject_spans
                .iter()
                .any(|&(a, b)| a <= h.start && b >= h.end && (a, b) != (h.start, h.end));
        }
        let sentences = strength::sentences(text);
        let phrase_ends: Vec<usize> = text
            .char_indices()
            .filter(|(_, c)| "，,；;。！？!?\n：:".contains(*c))
            .map(|(i, _)| i)
            .collect();
        let mut si = 0;
        for h in hits.iter_mut() {
            while si + 1 < sentences.len() && sentences[si].end <= h.start {
                si += 1;
            }
            h.sentence = si;
            h.phrase = phrase_ends.partition_point(|&e| e < h.start);
        }
        let subject_role =
            |r: Role| r == Role::Subject || (ctx.includes_count && r == Role::SubjectIncludes);
        // Off a primary document, the subject must be named where the cue is: in the cue's
        // paragraph, the clause's first paragraph (its lead), caption or headings. An omnibus
        // section that names libraries once does not make all its paragraphs about them.
        let starts = paragraph_starts(clause);
        let para = |h: &Hit| paragraph_index(&starts, read.text.original_offset(h.start));
        let primary = ctx.scope == Scope::Primary;
        let subject_paragraphs: Vec<usize> = if primary {
            Vec::new()
        } else {
            hits.iter()
                .filter(|h| self.has_role(h, subject_role))
                .map(para)
                .collect()
        };
        let around = |role: Role| self.around(clause, role);
        let clause_on_subject = primary
            || around(Role::Subject)
            || (ctx.includes_count && around(Role::SubjectIncludes));
        // A later paragraph inherits the subject its lead names, unless it opens with an actor
        // of its own (图书馆应当…。\n用人单位应当…): a paragraph binding someone else is a
        // rule of its own, as a reader of the law takes it.
        let lead_names = subject_paragraphs.contains(&0);
        let own_actor: Vec<bool> = if lead_names && !clause_on_subject {
            clause
                .paragraphs
                .iter()
                .enumerate()
                .map(|(i, p)| i > 0 && self.opens_with_own_actor(p))
                .collect()
        } else {
            Vec::new()
        };
        let lead_ins = strength::lead_ins(text, &sentences);
        // An item of a list is about what it names: a cue in one item (（五）盲道、坡道等无障碍
        // 设施) does not reach the library another item of the same list names (（四）图书馆…),
        // unless the lead-in names it too.
        let subject_sentence = |x: &Hit| self.has_role(x, subject_role).then_some(x.sentence);
        let sibling_only = |h: &Hit| {
            let Some(lead) = lead_ins.get(h.sentence).copied().flatten() else {
                return false;
            };
            let mut named = hits.iter().filter_map(subject_sentence);
            !named.clone().any(|s| s == h.sentence || s == lead)
                && named.any(|s| lead_ins.get(s).copied().flatten() == Some(lead))
        };
        // Parts of a sentence between semicolons (…；互联网站应当开设科普专栏；…；图书馆…应当发挥
        // 科普教育的作用): one that opens with an actor of its own and does not name the subject is
        // that actor's rule, as a later paragraph with its own actor is. A sentence with no
        // semicolon inside is one rule, which the paragraph rule above decides.
        let other_actors_part: Vec<bool> = if primary {
            Vec::new()
        } else {
            hits.iter()
                .map(|h| {
                    let Some((part, true)) = sentences
                        .get(h.sentence)
                        .and_then(|sentence| semicolon_part(text, sentence, h))
                    else {
                        return false;
                    };
                    let names = hits.iter().any(|x| {
                        x.start >= part.start && x.end <= part.end && self.has_role(x, subject_role)
                    });
                    !names && self.part_actor(&text[part])
                })
                .collect()
        };
        // Whether hit `hi` (`h`) is about the subject.
        let on_subject = |hi: usize, h: &Hit| {
            let p = para(h);
            (clause_on_subject
                || ((subject_paragraphs.contains(&p)
                    || (lead_names && !own_actor.get(p).copied().unwrap_or(false)))
                    && (primary || !sibling_only(h))))
                && !other_actors_part.get(hi).copied().unwrap_or(false)
        };
        // A general provision: a sentence naming the whole instrument or everyone it binds, or
        // any clause of a division headed as general (总则, 法律责任); for obligations whose
        // duty is the authority's own act, also a sentence addressed to an enforcing authority.
        let partial = ctx.scope == Scope::Partial;
        let general_division = partial && ctx.general_divisions && around(Role::General);
        // Sentences holding a term of `role` whose hit passes `keep`.
        let sentences_where = |role: Role, keep: &dyn Fn(&Hit) -> bool| -> Vec<usize> {
            if !partial {
                return Vec::new();
            }
            hits.iter()
                .filter(|h| self.has_role(h, |r| r == role) && keep(h))
                .map(|h| h.sentence)
                .collect()
        };
        let sentences_with = |role: Role| sentences_where(role, &|_| true);
        let general_sentences = sentences_with(Role::General);
        // The instrument named after 违反 with a violator before it (学校违反本条例规定…).
        let named_violator = |h: &Hit| {
            let addressed_from = |from: usize| {
                hits.iter().any(|a| {
                    a.start >= from
                        && a.end <= h.start
                        && self.has_role(a, |r| r == Role::Addressee)
                })
            };
            sentences
                .get(h.sentence)
                .is_some_and(|r| names_violator(text, r, h, addressed_from))
        };
        // Every act violating the instrument (违反本条例规定的行为, 对违反本法的行为, 违反本法
        // 规定，构成犯罪的): a provision that reaches the library whoever else the document
        // regulates, where one naming its violator (老年教育机构, 学校违反本条例规定，构成犯罪的)
        // may not.
        let whoever_sentences =
            sentences_where(Role::General, &|h| match on_every_violation(text, h) {
                Violation::Acts => true,
                Violation::OtherActs | Violation::Consequence => !named_violator(h),
                Violation::No => false,
            });
        // Officials' dereliction in the work the instrument governs (…工作人员在科普工作中玩忽
        // 职守、滥用职权的，依法给予处分): a sanction on the authorities that carry it out, ranked
        // with the provisions addressed to them, after any naming the instrument.
        let dereliction_sentences: Vec<usize> = sentences_with(Role::Dereliction)
            .into_iter()
            .filter(|si| !general_sentences.contains(si))
            .collect();
        let addressee_sentences = sentences_with(Role::Addressee);
        // A sentence naming its violator before 违反本条例: ranked after the other sentences
        // naming the instrument. Only where that is the sentence's first mention of it: 对执行
        // 本条例的情况进行监督检查，对违反本条例的单位… is about carrying the instrument out.
        let first_general = |h: &Hit| {
            !hits.iter().any(|g| {
                g.sentence == h.sentence
                    && g.start < h.start
                    && self.has_role(g, |r| r == Role::General)
            })
        };
        let violator_sentences: Vec<usize> =
            sentences_where(Role::General, &|h| first_general(h) && named_violator(h));
        // The public given a say: a visitor term followed, in its phrase, by 有权 or 可以
        // (公民有权…投诉; 市民可以通过热线反映), not an object (答复居民) or a ban (任何人不得).
        let public_sentences = sentences_where(Role::Visitor, &|h| {
            !civil_affairs(text, h) && gives_a_say(text, h)
        });
        let authority_sentences = sentences_with(Role::Authority);
        // A sentence citing articles of the instrument, none of which is about the subject, is
        // no general provision for the subject's duties, wherever it stands.
        // So is the lead-in of a list whose every item cites such articles (违反本条例规定，有下列
        // 情形之一的，由公安机关交通管理部门…处罚：（一）违反本条例第十五条…): it sanctions the
        // items' acts.
        let elsewhere: Vec<bool> = if partial {
            let own: Vec<bool> = sentences
                .iter()
                .map(|r| {
                    let cited = own_article_references(&text[r.clone()], ctx.chapter_articles);
                    !cited.is_empty() && !cited.iter().any(|a| ctx.subject_articles.contains(a))
                })
                .collect();
            // Per lead-in: whether it has items, and whether every item cites elsewhere.
            let mut items: Vec<(bool, bool)> = vec![(false, true); sentences.len()];
            for (i, lead) in lead_ins.iter().enumerate() {
                if let Some(l) = *lead {
                    items[l] = (true, items[l].1 && own[i]);
                }
            }
            own.iter()
                .zip(&items)
                .map(|(&own, &(listed, all_elsewhere))| own || (listed && all_elsewhere))
                .collect()
        } else {
            Vec::new()
        };
        let elsewhere = |si: usize| elsewhere.get(si).copied().unwrap_or(false);
        // A sentence saying what the instrument covers (从事…监督管理活动，适用本法; 本条例适用
        // 于…; …参照本条例执行) or what its words mean (本条例所称…) is no rule: the cues in it
        // name its scope.
        let scope_statements = sentences_where(Role::General, &|h| {
            let end = sentences.get(h.sentence).map_or(text.len(), |r| r.end);
            let before = &text[..h.start];
            let after = &text[h.end..];
            after.starts_with("所称")
                || after.starts_with("适用于")
                || (before.ends_with("参照") && after.starts_with("执行"))
                || (before.ends_with("适用")
                    && text
                        .get(h.end..end)
                        .is_some_and(|rest| rest.chars().all(|c| "。；;.，, \n".contains(c))))
        });

        // Paragraphs imposing a sanction (…有下列行为之一的，…依法给予处分：…（三）对投诉、举报不依法
        // 查处的): a cue there is the breach of a duty another provision lays down. By paragraph,
        // so that a list's items share their lead and another paragraph's sanction does not
        // reach a complaint channel (…可以投诉。② …给予处分).
        let sanctioning_paragraphs: Vec<usize> = if partial {
            sentences
                .iter()
                .filter(|r| sanctions(&text[(*r).clone()]))
                .map(|r| paragraph_index(&starts, read.text.original_offset(r.start)))
                .collect()
        } else {
            Vec::new()
        };

        // (obligation, pattern, weight, hit index, tier) of every cue hit that counts (see
        // `Evidence::tier`).
        let mut counted: Vec<(u16, usize, f32, usize, u8)> = Vec::new();
        for (hi, h) in hits.iter().enumerate() {
            if h.inside_subject {
                continue;
            }
            for u in &self.uses[self.patterns[h.pattern].uses.clone()] {
                let Role::Cue { cue, weight } = u.role else {
                    continue;
                };
                let o = u.obligation as usize;
                let ob = &self.taxonomy.obligations[o];
                if let Some(lang) = &self.cues[o][cue as usize].lang {
                    if !ctx.language.is_empty() && lang != ctx.language {
                        continue;
                    }
                }
                let mut tier = if primary || subject_paragraphs.contains(&para(h)) {
                    SPECIFIC
                } else {
                    INHERITED
                };
                if ob.needs_subject() && !on_subject(hi, h) {
                    if !partial
                        || !ob.general
                        || (ob.field && !ctx.in_field)
                        || elsewhere(h.sentence)
                        || scope_statements.contains(&h.sentence)
                    {
                        continue;
                    }
                    if dereliction_sentences.contains(&h.sentence) {
                        if !ob.sanction {
                            continue;
                        }
                        tier = AUTHORITY;
                    } else if whoever_sentences.contains(&h.sentence) {
                        tier = WHOEVER;
                    } else if violator_sentences.contains(&h.sentence) {
                        tier = VIOLATOR;
                    } else if general_sentences.contains(&h.sentence) {
                        tier = NAMED;
                    } else if general_division {
                        tier = DIVISION;
                    } else if addressee_sentences.contains(&h.sentence)
                        || (ob.public && public_sentences.contains(&h.sentence))
                    {
                        tier = EVERYONE;
                    } else if ob.authority && authority_sentences.contains(&h.sentence) {
                        tier = AUTHORITY;
                    } else {
                        continue;
                    }
                    if ob.sanction
                        && sentences
                            .get(h.sentence)
                            .and_then(|r| semicolon_part(text, r, h))
                            .is_some_and(|(part, _)| mitigates(&text[part]))
                    {
                        tier = MITIGATING;
                    } else if !ob.sanction && sanctioning_paragraphs.contains(&para(h)) {
                        tier = SANCTIONING;
                    }
                }
                near_miss[o] = true;
                if self.cue_counts(text, &hits, &lead_ins, hi, u.obligation, cue) {
                    counted.push((u.obligation, h.pattern, weight, hi, tier));
                }
            }
        }
        if counted.is_empty() {
            return Vec::new();
        }
        // A specific hit of an obligation makes the clause specific evidence for it.
        counted.sort_by_key(|c| (c.0, c.4, c.1, c.3));
        let strengths = strength::sentence_strengths(text, &sentences);
        let mut out = Vec::new();
        let mut i = 0;
        while i < counted.len() {
            let o = counted[i].0;
            let mut j = i;
            while j < counted.len() && counted[j].0 == o {
                j += 1;
            }
            let all = &counted[i..j];
            i = j;
            let specific = all.iter().any(|c| c.4 <= INHERITED);
            let group: Vec<(u16, usize, f32, usize, u8)> = all
                .iter()
                .copied()
                .filter(|c| (c.4 <= INHERITED) == specific)
                .collect();
            let tier = group.iter().map(|c| c.4).min().unwrap_or(AUTHORITY);
            let score = distinct_weight(group.iter().map(|c| (c.1, c.2)));
            let min_score = self.taxonomy.obligations[o as usize].min_score;
            if score + 1e-6 < min_score {
                continue;
            }
            // The strongest sentence holding a counted hit; ties go to more hits, then the
            // earlier sentence.
            let mut best: Option<(Strength, usize, usize)> = None;
            for &(_, _, _, hi, _) in &group {
                let s = hits[hi].sentence;
                let n = group.iter().filter(|g| hits[g.3].sentence == s).count();
                let cand = (
                    strengths.get(s).copied().unwrap_or(Strength::Principle),
                    n,
                    s,
                );
                best = Some(match best {
                    Some(b) if (b.0, b.1, usize::MAX - b.2) >= (cand.0, cand.1, usize::MAX - s) => {
                        b
                    }
                    _ => cand,
                });
            }
            let Some((strength, _, s)) = best else {
                continue;
            };
            let Some(sentence) = sentences.get(s).cloned() else {
                continue;
            };
            let in_sentence = || group.iter().filter(|g| hits[g.3].sentence == s);
            let sentence_score = distinct_weight(in_sentence().map(|c| (c.1, c.2)));
            let mut spans: Vec<Range<usize>> = in_sentence()
                .map(|g| hits[g.3].start..hits[g.3].end)
                .collect();
            spans.sort_by_key(|r| (r.start, r.end));
            spans.dedup();
            out.push(ClauseMatch {
                obligation: o as usize,
                score: (score * 100.0).round() / 100.0,
                strength,
                firm: specific
                    && strength != Strength::Principle
                    && sentence_score + 1e-6 >= min_score,
                general: !specific,
                tier,
                sentence,
                hits: spans,
            });
        }
        out
    }

    /// In a `partial` document, a clause that binds the subject under a division named for an
    /// obligation (第三章 社会责任, 第六章 社会参与: the division's title is a cue of it) states a
    /// duty of the subject as an instance of it: borderline evidence for it, quoting the
    /// sentence that names the subject. The subject must be bound there (a duty word follows
    /// its name: 图书馆…应当), not listed as a place; a title holding the cue beside other
    /// words (保障与监督) names a topic, not what its duties are. Only cues that need no context
    /// count; obligations the clause's text already states are left to the text.
    fn match_heading(
        &self,
        clause: &Clause,
        read: &ReadClause,
        ctx: Context<'_>,
        stated: &[usize],
    ) -> Vec<ClauseMatch> {
        if ctx.scope != Scope::Partial || clause.headings.is_empty() {
            return Vec::new();
        }
        let names =
            |r: Role| r == Role::Subject || (ctx.includes_count && r == Role::SubjectIncludes);
        let text = read.text.text.as_str();
        let sentences = strength::sentences(text);
        // The first sentence where a duty word follows the subject's name.
        let Some((s, _)) = read
            .hits
            .iter()
            .filter(|h| self.has_role(h, names))
            .filter_map(|h| {
                let s = sentences.iter().position(|r| r.contains(&h.start))?;
                let after = text.get(h.end..sentences[s].end)?;
                matches!(
                    strength::classify(after),
                    Strength::Mandatory | Strength::Permissive
                )
                .then_some((s, h.start))
            })
            .min_by_key(|&(_, start)| start)
        else {
            return Vec::new();
        };
        // (obligation, pattern, weight) of every heading cue that counts.
        let mut counted: Vec<(usize, usize, f32)> = Vec::new();
        for heading in &clause.headings {
            let folded = normalize(heading).text;
            let title = division_title(&folded);
            let found: Vec<(usize, usize, usize)> = self
                .automaton
                .find_overlapping_iter(folded.as_str())
                .filter(|m| {
                    let p = &self.patterns[m.pattern().as_usize()];
                    self.at_boundaries(&folded, p, m.start(), m.end())
                })
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            for &(pattern, start, end) in &found {
                for u in &self.uses[self.patterns[pattern].uses.clone()] {
                    let Role::Cue { cue, weight } = u.role else {
                        continue;
                    };
                    let o = u.obligation as usize;
                    let rule = &self.cues[o][cue as usize];
                    if (start, end) != (title.start, title.end)
                        || rule.has_near
                        || rule.has_unless
                        || stated.contains(&o)
                        || !self.taxonomy.obligations[o].needs_subject()
                        || rule
                            .lang
                            .as_ref()
                            .is_some_and(|l| !ctx.language.is_empty() && l != ctx.language)
                    {
                        continue;
                    }
                    let excluded = found.iter().any(|&(q, a, b)| {
                        let ex = |role: Role| {
                            self.uses[self.patterns[q].uses.clone()]
                                .iter()
                                .any(|x| x.obligation == u.obligation && x.role == role)
                        };
                        ex(Role::ExcludeSentence)
                            || (a <= start
                                && b >= end
                                && (a, b) != (start, end)
                                && ex(Role::ExcludePhrase))
                    });
                    if !excluded {
                        counted.push((o, pattern, weight));
                    }
                }
            }
        }
        if counted.is_empty() {
            return Vec::new();
        }
        let strength = strength::sentence_strengths(text, &sentences)
            .get(s)
            .copied()
            .unwrap_or(Strength::Principle);
        counted.sort_by_key(|c| c.0);
        let mut out = Vec::new();
        for group in counted.chunk_by(|a, b| a.0 == b.0) {
            let o = group[0].0;
            let score = distinct_weight(group.iter().map(|c| (c.1, c.2)));
            if score + 1e-6 < self.taxonomy.obligations[o].min_score {
                continue;
            }
            out.push(ClauseMatch {
                obligation: o,
                score: (score * 100.0).round() / 100.0,
                strength,
                firm: false,
                general: false,
                tier: INHERITED,
                sentence: sentences[s].clone(),
                hits: Vec::new(),
            });
        }
        out
    }

    fn has_role(&self, h: &Hit, f: impl Fn(Role) -> bool) -> bool {
        self.uses[self.patterns[h.pattern].uses.clone()]
            .iter()
            .any(|u| f(u.role))
    }

    fn has_use(&self, h: &Hit, obligation: u16, f: impl Fn(Role) -> bool) -> bool {
        self.uses[self.patterns[h.pattern].uses.clone()]
            .iter()
            .any(|u| u.obligation == obligation && f(u.role))
    }

    fn cue_counts(
        &self,
        text: &str,
        hits: &[Hit],
        lead_ins: &[Option<usize>],
        hi: usize,
        obligation: u16,
        cue: u16,
    ) -> bool {
        let h = hits[hi];
        let rule = &self.cues[obligation as usize][cue as usize];
        // A list item is read with its lead-in: its context words may stand there.
        let lead = lead_ins.get(h.sentence).copied().flatten();
        let same_sentence = || {
            hits.iter()
                .filter(move |o| o.sentence == h.sentence || Some(o.sentence) == lead)
        };
        if rule.has_near {
            let near = |o: &Hit| {
                !o.inside_subject && self.has_use(o, obligation, |r| r == Role::Near { cue })
            };
            let ok = match rule.window {
                Some(w) => hits
                    .iter()
                    .filter(|o| near(o))
                    .any(|o| char_distance(text, &h, o) <= w as usize),
                None if rule.phrase => hits.iter().filter(|o| o.phrase == h.phrase).any(near),
                None => same_sentence().any(near),
            };
            if !ok {
                return false;
            }
        }
        if rule.has_unless
            && same_sentence().any(|o| self.has_use(o, obligation, |r| r == Role::Unless { cue }))
        {
            return false;
        }
        let excluded = hits.iter().any(|o| {
            (o.start <= h.start
                && o.end >= h.end
                && (o.start, o.end) != (h.start, h.end)
                && self.has_use(o, obligation, |r| r == Role::ExcludePhrase))
                || (o.sentence == h.sentence
                    && self.has_use(o, obligation, |r| r == Role::ExcludeSentence))
        });
        !excluded
    }

    /// Evidence from a match on the folded text, cited and quoted in the original's characters.
    fn evidence(&self, clause: &Clause, folded: &Normalized, m: ClauseMatch) -> Evidence {
        let text = clause.text.as_str();
        let back =
            |r: &Range<usize>| folded.original_offset(r.start)..folded.original_offset(r.end);
        let sentence = back(&m.sentence);
        let hits: Vec<Range<usize>> = m.hits.iter().map(back).collect();
        let paragraph = paragraph_of(clause, sentence.start);
        let (snippet, hits) = snippet(text, &sentence, &hits);
        Evidence {
            clause_id: clause.id.clone(),
            label: clause.cited_label(Some(paragraph)),
            article: clause.label.clone(),
            paragraph,
            ordinal: clause.ordinal,
            score: m.score,
            strength: m.strength,
            confidence: if m.firm {
                Confidence::Firm
            } else {
                Confidence::Borderline
            },
            general: m.general,
            tier: m.tier,
            snippet,
            hits,
        }
    }
}

/// Where a clause sits: the document's scope and language, and whether broader bodies count
/// as the subject.
#[derive(Debug, Clone, Copy)]
struct Context<'l> {
    scope: Scope,
    includes_count: bool,
    /// Whether the document's title names a field whose work the subject's bodies do.
    in_field: bool,
    /// Whether divisions headed as general are trusted (they do not hold most of the text).
    general_divisions: bool,
    /// Numbers of the articles that name the subject (or a broader body that counts).
    subject_articles: &'l [u32],
    /// Numbers of the articles under each chapter (第三章), by the chapter's number.
    chapter_articles: &'l HashMap<u32, Vec<u32>>,
    language: &'l str,
}

/// The earliest of `words` in `text`: where it starts, and which it is.
fn first_of<'w>(text: &str, words: &[&'w str]) -> Option<(usize, &'w str)> {
    words
        .iter()
        .filter_map(|w| text.find(w).map(|i| (i, *w)))
        .min()
}

/// Words a body's or a person's name ends in.
const BODIES: [&str; 22] = [
    "单位",
    "机构",
    "部门",
    "媒体",
    "网站",
    "电台",
    "电视台",
    "报纸",
    "期刊",
    "学校",
    "企业",
    "组织",
    "机关",
    "经营者",
    "协会",
    "委员会",
    "平台",
    "公司",
    "人",
    "者",
    "院",
    "社",
];

/// Whether `text` holds any of `words`.
fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Lead-ins of lists of places (下列场所禁止携带犬只进入：…).
const FORBIDDEN_PLACE_LISTS: [&str; 4] = ["下列场所", "以下场所", "下列公共场所", "以下公共场所"];

/// Verbs of delivering copies to a library (送交样本, 交存论文): the library receives them.
const DELIVERY: [&str; 7] = ["送交", "缴送", "报送", "送存", "交存", "呈缴", "交送"];

/// Verbs that found a body (开办图书馆): the body is what another actor sets up.
const FOUNDING: [&str; 6] = ["开办", "开设", "设立", "兴办", "创办", "建立"];

/// Tiers of a counted cue hit (see [`Evidence::tier`]): in a paragraph naming the subject, in
/// a clause naming it elsewhere, in a sentence on every act violating the instrument, in
/// another sentence naming it, in a general division, in a sentence addressed to everyone the
/// instrument binds, in one addressed to an enforcing authority, in one easing sanctions, in
/// a clause sanctioning the breach of another obligation.
const SPECIFIC: u8 = 0;
const INHERITED: u8 = 1;
const WHOEVER: u8 = 2;
const NAMED: u8 = 3;
const VIOLATOR: u8 = 4;
const DIVISION: u8 = 5;
const EVERYONE: u8 = 6;
const AUTHORITY: u8 = 7;
/// The rank of a tier in the evidence's order for a resource (`field`) obligation: a general
/// division, everyone bound and an authority rank as one, by score. A resource counts only in
/// a document of the subject's field (rule 2 of the labelling guide), whoever gives it, so how
/// squarely the sentence states it decides (国家加强科普工作人员培训 before a 总则 article naming
/// 人才 in passing). Enforcement (rule 1) keeps the order of its tiers.
fn tier_rank(tier: u8) -> u8 {
    match tier {
        DIVISION | EVERYONE | AUTHORITY => DIVISION,
        t => t,
    }
}

/// A sentence easing the sanctions of the instrument (从轻、减轻处罚; a fine served as social
/// work): it presumes the liability another provision imposes and ranks after every one.
const MITIGATING: u8 = 8;
/// For any other obligation, a clause sanctioning a breach of it (对投诉、举报不依法查处的，…
/// 给予处分): the liability presumes the duty another provision lays down, which comes first.
const SANCTIONING: u8 = 9;

/// Whether a (folded) sentence imposes a sanction: a disciplinary measure, a fine, a warning,
/// an administrative or criminal penalty. Not a power to impose one or the law on it (行使…行政处罚
/// 权, 《行政处罚法》, 处罚决定书).
fn sanctions(sentence: &str) -> bool {
    const SANCTIONS: [&str; 8] = [
        "处分",
        "罚款",
        "罚锾",
        "行政处罚",
        "追究刑事责任",
        "治安管理处罚",
        "给予警告",
        "予以警告",
    ];
    const NOT_AFTER: [&str; 5] = ["权", "法", "决定", "程序", "机关"];
    // An act referred to the police (…殴打劝阻人、举报人的，由公安机关依法处理) is punished.
    let police = sentence.match_indices("由公安机关").any(|(i, _)| {
        let near = sentence[i..]
            .char_indices()
            .nth(25)
            .map_or(&sentence[i..], |(end, _)| &sentence[i..i + end]);
        sentence[..i].ends_with("的，") && near.contains("处理")
    });
    police
        || SANCTIONS.iter().any(|w| {
            sentence.match_indices(w).any(|(i, _)| {
                !NOT_AFTER
                    .iter()
                    .any(|n| sentence[i + w.len()..].starts_with(n))
            })
        })
}

/// Whether a (folded) text eases sanctions rather than imposing one: 依法从轻或者减轻行政处罚,
/// 减轻或者免除处罚, 不予行政处罚, or community service in place of a fine (应当受到罚款处罚，…
/// 自愿参加…社会服务).
fn mitigates(text: &str) -> bool {
    const EASING: [&str; 11] = [
        "从轻",
        "减轻处罚",
        "减轻行政处罚",
        "免除处罚",
        "不予处罚",
        "不予行政处罚",
        "免予处罚",
        "免予行政处罚",
        "免于处罚",
        "免于行政处罚",
        "不予罚款",
    ];
    EASING.iter().any(|w| text.contains(w)) || (text.contains("罚款") && text.contains("社会服务"))
}

/// The part of `sentence` (a range of folded `text`) between semicolons that holds hit `h`,
/// and whether the sentence has a semicolon inside (the part is not the whole sentence):
/// 违反本条例规定的行为，…从其规定；情节轻微的，不予行政处罚 is a liability and an easing.
fn semicolon_part(text: &str, sentence: &Range<usize>, h: &Hit) -> Option<(Range<usize>, bool)> {
    let is_semi = |c: char| c == '；' || c == ';';
    let body_end = sentence.start + text[sentence.clone()].trim_end_matches(is_semi).len();
    let before = text.get(sentence.start..h.start)?;
    let after = text.get(h.end..body_end)?;
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| is_semi(*c))
        .map_or(sentence.start, |(i, c)| sentence.start + i + c.len_utf8());
    let end = after.find(is_semi).map_or(body_end, |i| h.end + i);
    let inside = start != sentence.start || end != body_end;
    Some((start..end, inside))
}

/// Whether the instrument's name `h` follows 违反 in a sentence (`sentence`, of folded `text`)
/// that names the violator before it (学校或者其他教育机构违反本法规定，…): a sanction on that
/// actor, which reaches the library only when it is one of them, unlike one opening with the
/// violation (违反本法规定，侵犯…的，应当依法承担民事责任) or naming everyone the document binds
/// (`addressee`: 任何单位和个人违反本条例规定的).
fn names_violator(
    text: &str,
    sentence: &Range<usize>,
    h: &Hit,
    addressee: impl Fn(usize) -> bool,
) -> bool {
    let before = &text[sentence.start..h.start];
    let Some(at) = before.trim_end().strip_suffix("违反") else {
        return false;
    };
    let opening = strength::strip_article_head(at).trim();
    let opening = ["对", "凡", "有", "如", "若", "因"]
        .iter()
        .find_map(|w| opening.strip_prefix(w))
        .unwrap_or(opening);
    !opening.is_empty() && !addressee(sentence.start + (at.len() - opening.len()))
}

/// Whether an instrument's name (`h`, in folded `text`) stands in a phrase on every act
/// violating it, whoever commits it: 违反 just before it and 行为 after it, with only 有关 or
/// 相关, 规定, 的 or 之, 其他 and 违法 between (违反本条例规定的行为, 对违反本法的行为, 违反本条例
/// 有关规定的违法行为, 違反本條例之行為 folded; 违反本条例规定的其他行为 unless a violator stands
/// before it), or followed at once by the consequence
/// (违反本法规定，构成犯罪的; 违反本条例，有关法律、法规已有法律责任规定的). Not 遵守本条例的行为,
/// nor 违反本条例规定，学校…的 (a named violator), nor 违反本法规定，擅自运送…的 (one act).
fn on_every_violation(text: &str, h: &Hit) -> Violation {
    if !text[..h.start].trim_end().ends_with("违反") {
        return Violation::No;
    }
    let mut rest = text[h.end..].trim_start();
    for optional in [&["有关", "相关"][..], &["的"], &["规定"], &["的", "之"]] {
        if let Some(r) = optional.iter().find_map(|w| rest.strip_prefix(w)) {
            rest = r.trim_start();
        }
    }
    let other = ["其他", "其它"].iter().find_map(|w| rest.strip_prefix(w));
    if let Some(r) = other {
        rest = r.trim_start();
    }
    if let Some(r) = rest.strip_prefix("违法") {
        rest = r.trim_start();
    }
    if rest.starts_with("行为") {
        return match other {
            Some(_) => Violation::OtherActs,
            None => Violation::Acts,
        };
    }
    // 违反本法规定，构成犯罪的，…: the next phrase is already the consequence, so the
    // sentence names no act of its own and reaches every violation. A consequence opens with
    // the offence it makes of the violation (构成犯罪, 构成违反治安管理行为, 尚不构成), the harm
    // (造成损失, 给他人造成), liability by law or by other laws (依法, 应当依法, 法律、法规已有
    // 规定, 有关法律) or the body that sanctions it (由文化主管部门责令改正).
    let Some(next) = rest.strip_prefix('，').or_else(|| rest.strip_prefix(',')) else {
        return Violation::No;
    };
    const CONSEQUENCES: [&str; 12] = [
        "构成犯罪",
        "构成违反治安管理",
        "尚不构成",
        "造成",
        "给他人",
        "给国家",
        "依法",
        "应当依法",
        "法律、",
        "法律法规",
        "有关法律",
        "由",
    ];
    let next = next.trim_start();
    if CONSEQUENCES.iter().any(|w| next.starts_with(w)) {
        Violation::Consequence
    } else {
        Violation::No
    }
}

/// How a sentence names violations of the instrument (see [`on_every_violation`]).
enum Violation {
    No,
    /// The acts violating it (违反本条例规定的行为): whoever commits them, even where the
    /// sentence names who finds or reports them (任何单位或者个人发现…有违反本条例行为的).
    Acts,
    /// The violation followed at once by its consequence (违反本法规定，构成犯罪的): every
    /// violation unless a violator stands before it (学校违反本法规定，构成犯罪的).
    Consequence,
    /// The other acts violating it (违反本条例规定的其他行为，…适用其规定), the catch-all after
    /// the document's own sanctions: every violation unless a violator stands before it
    /// (博物馆有违反本条例规定的其他行为的).
    OtherActs,
}

/// The articles of the instrument itself that a (folded) sentence cites: 违反本条例第七条、第十九条
/// 第三款、第四十二条至第四十五条规定的 → 7, 19, 42, 43, 44, 45; a chapter (违反本条例第三章规定)
/// cites the articles `chapters` puts under it. Empty when it cites none.
fn own_article_references(sentence: &str, chapters: &HashMap<u32, Vec<u32>>) -> Vec<u32> {
    const OWN: [&str; 6] = [
        "本条例第",
        "本法第",
        "本办法第",
        "本规定第",
        "本细则第",
        "本决定第",
    ];
    let Some(start) = OWN.iter().filter_map(|p| sentence.find(p)).min() else {
        return Vec::new();
    };
    let rest = &sentence[start..];
    let mut out: Vec<u32> = Vec::new();
    let mut range_from: Option<u32> = None;
    let mut at = 0;
    while let Some(i) = rest[at..].find('第') {
        let from = at + i + '第'.len_utf8();
        let digits: String = rest[from..]
            .chars()
            .take_while(|c| crate::grammar::is_numeral_char(*c) || c.is_ascii_digit())
            .collect();
        let after = from + digits.len();
        at = after.max(from);
        if rest[after..].starts_with('章') {
            if let Some(articles) =
                crate::grammar::from_chinese(&digits).and_then(|n| chapters.get(&n))
            {
                out.extend(articles);
            }
            continue;
        }
        if !rest[after..].starts_with('条') {
            continue;
        }
        let Some(n) = crate::grammar::from_chinese(&digits) else {
            continue;
        };
        match range_from.take() {
            // A range of articles (第四十二条至第四十五条), bounded against misreadings.
            Some(a) if a < n && n - a <= 50 => out.extend(a + 1..=n),
            _ => out.push(n),
        }
        if rest[after + '条'.len_utf8()..].starts_with('至') {
            range_from = Some(n);
        }
    }
    out
}

/// Whether folded `text` binds the managers of the places a document lists (禁止吸烟的公共场所的
/// 管理单位应当…; 携带犬只进入犬只禁入场所的，由有关所有权人、管理人予以劝阻; 犬只禁入区域的管理方
/// 应当及时劝阻): then a library
/// listed among those places is regulated through them. Not the managers of other places
/// (前款规定以外的公共场所，其管理方…).
fn binds_place_managers(text: &str) -> bool {
    const MANAGERS: [&str; 8] = [
        "管理单位",
        "管理者",
        "经营者",
        "管理人",
        "管理方",
        "经营单位",
        "所有权人",
        "使用权人",
    ];
    const REFERENTS: [&str; 6] = ["禁止", "禁入", "前款", "上述", "规定", "所列"];
    MANAGERS.iter().any(|m| {
        text.match_indices(m).any(|(at, _)| {
            // The sentence up to the managers, at most 60 characters back.
            let before = &text[..at];
            let sentence = before
                .rfind(['。', '；', ';'])
                .map_or(before, |i| &before[i..]);
            let near = sentence
                .char_indices()
                .rev()
                .nth(59)
                .map_or(sentence, |(i, _)| &sentence[i..]);
            // Other places, in any wording: 以外, 之外, 除…外.
            let other = ["以外", "之外"].iter().any(|w| near.contains(w))
                || near.find('除').is_some_and(|i| near[i..].contains('外'));
            // Places or areas, as the forbidden ones are named (下列场所, 下列区域; 犬只禁入区域的
            // 管理方应当…).
            ["场所", "区域"].iter().any(|w| near.contains(w))
                && !other
                && REFERENTS.iter().any(|r| near.contains(r))
        })
    })
}

/// Whether a sentence of `text` binds the managers of the facilities or places an earlier
/// part lists (前款规定的设施，管理单位应当加强日常检查): the listed library is then bound as
/// one of them.
fn binds_listed_managers(text: &str) -> bool {
    const MANAGERS: [&str; 6] = [
        "管理单位",
        "维护单位",
        "管理者",
        "经营单位",
        "管理人",
        "运营单位",
    ];
    const REFERENTS: [&str; 4] = ["前款", "上述", "前述", "所列"];
    text.split(['。', ';', '；']).any(|sentence| {
        let Some(at) = MANAGERS.iter().filter_map(|m| sentence.find(m)).min() else {
            return false;
        };
        // The managers of the listed ones: named by reference, or as the facilities' (设施管理
        // 维护单位应当…).
        let theirs = REFERENTS.iter().any(|r| sentence.contains(r))
            || ["设施", "场所"].iter().any(|w| sentence[..at].contains(w));
        theirs && strength::classify(sentence) == Strength::Mandatory
    })
}

/// Whether a hit on the public (市民, 居民) is the first half of a civil-affairs body:
/// 市民政部门 is 市 + 民政部门, not the city's residents (but 市民政务服务热线 is the residents').
fn civil_affairs(text: &str, h: &Hit) -> bool {
    text[..h.end].ends_with('民')
        && [
            "政部门",
            "政局",
            "政厅",
            "政机关",
            "政主管部门",
            "政行政部门",
        ]
        .iter()
        .any(|w| text[h.end..].starts_with(w))
}

/// Whether the public named by hit `h` is given a power in its phrase: 有权 or 可以 follows
/// within a few characters, before any comma (公民有权对…投诉; 市民可以通过…反映), and the
/// term is no part of an organisation's name (居民委员会).
fn gives_a_say(text: &str, h: &Hit) -> bool {
    let rest = &text[h.end..];
    if rest.starts_with("委员会") || rest.starts_with("小组") {
        return false;
    }
    let phrase_end = rest
        .find(['，', '；', '。', ',', ';', '：'])
        .unwrap_or(rest.len());
    let near_end = rest[..phrase_end]
        .char_indices()
        .nth(12)
        .map_or(phrase_end, |(i, _)| i);
    let near = &rest[..near_end];
    near.contains("有权") || near.contains("可以")
}

/// Byte range of a division heading's title: 社会责任 in 第三章 社会责任 (the whole trimmed
/// heading when it has no 第…章 number).
fn division_title(heading: &str) -> Range<usize> {
    let end = heading.trim_end().len();
    let start = heading.len() - heading.trim_start().len();
    let rest = &heading[start..end];
    if rest.starts_with('第') {
        if let Some(i) = rest.find(|c: char| "章节编部卷".contains(c)) {
            let after = start + i + rest[i..].chars().next().map_or(0, char::len_utf8);
            let skip = heading[after..end].len() - heading[after..end].trim_start().len();
            return after + skip..end;
        }
    }
    start..end
}

/// `zh` of `zh-Hant`, lowercased.
fn primary_language(tag: &str) -> String {
    tag.split('-').next().unwrap_or("").to_ascii_lowercase()
}

/// The sum of the weights of distinct patterns (a pattern counts once, at its highest weight).
fn distinct_weight(items: impl Iterator<Item = (usize, f32)>) -> f32 {
    let mut best: Vec<(usize, f32)> = Vec::new();
    for (p, w) in items {
        match best.iter_mut().find(|(q, _)| *q == p) {
            Some(b) => b.1 = b.1.max(w),
            None => best.push((p, w)),
        }
    }
    best.iter().map(|b| b.1).sum()
}

/// Characters between two hits (0 when they touch or overlap).
fn char_distance(text: &str, a: &Hit, b: &Hit) -> usize {
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    if second.start <= first.end {
        return 0;
    }
    text.get(first.end..second.start)
        .map(|s| s.chars().count())
        .unwrap_or(usize::MAX)
}

/// Byte offsets in `clause.text` where each paragraph starts (as far as they can be found).
fn paragraph_starts(clause: &Clause) -> Vec<usize> {
    let mut starts = Vec::with_capacity(clause.paragraphs.len());
    let mut cursor = 0;
    for p in &clause.paragraphs {
        let Some(at) = clause
            .text
            .get(cursor..)
            .and_then(|rest| rest.find(p.as_str()))
        else {
            break;
        };
        starts.push(cursor + at);
        cursor += at + p.len();
    }
    starts
}

/// 0-based paragraph holding byte `offset`.
fn paragraph_index(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

/// The 1-based paragraph of the clause that holds byte `offset` of `clause.text`.
fn paragraph_of(clause: &Clause, offset: usize) -> usize {
    let mut cursor = 0;
    let mut found = 1;
    for (i, p) in clause.paragraphs.iter().enumerate() {
        let Some(at) = clause
            .text
            .get(cursor..)
            .and_then(|rest| rest.find(p.as_str()))
        else {
            break;
        };
        let start = cursor + at;
        if start > offset {
            break;
        }
        found = i + 1;
        cursor = start + p.len();
    }
    found
}

/// Longest snippet kept whole, in characters; longer sentences are cut around the hits.
const SNIPPET_CHARS: usize = 180;

/// The sentence as a snippet, with hit offsets converted to characters of the snippet.
fn snippet(
    text: &str,
    sentence: &Range<usize>,
    hits: &[Range<usize>],
) -> (String, Vec<[usize; 2]>) {
    let s = &text[sentence.clone()];
    let to_chars = |byte: usize| text[sentence.start..byte].chars().count();
    let mut spans: Vec<[usize; 2]> = hits
        .iter()
        .filter(|h| h.start >= sentence.start && h.end <= sentence.end)
        .map(|h| [to_chars(h.start), to_chars(h.end)])
        .collect();
    let len = s.chars().count();
    if len <= SNIPPET_CHARS {
        return (s.to_string(), spans);
    }
    let first = spans.first().map(|h| h[0]).unwrap_or(0);
    let from = first
        .saturating_sub(50)
        .min(len.saturating_sub(SNIPPET_CHARS));
    let to = (from + SNIPPET_CHARS).min(len);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(s.chars().skip(from).take(to - from));
    if to < len {
        out.push('…');
    }
    let shift = usize::from(from > 0);
    spans.retain(|h| h[0] >= from && h[1] <= to);
    for h in &mut spans {
        h[0] = h[0] - from + shift;
        h[1] = h[1] - from + shift;
    }
    (out, spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClauseKind, DocInfo, Format, Origin};

    const TAX: &str = r#"
[taxonomy]
id = "t"
[subject]
terms = ["图书馆", "librar*"]

[[obligation]]
id = "free"
title = { en = "Free" }
[[obligation.cue]]
terms = ["免费"]
near = ["开放", "借阅"]
[[obligation.cue]]
terms = ["free of charge"]

[[obligation]]
id = "env"
title = { en = "Environment" }
[[obligation.cue]]
terms = ["环境", "environmental"]
[[obligation.exclude]]
terms = ["阅读环境"]

[[obligation]]
id = "minors"
title = { en = "Minors" }
[[obligation.cue]]
terms = ["未成年人"]
[[obligation.exclude]]
terms = ["所称"]
scope = "sentence"
"#;

    fn clause(n: u32, text: &str) -> Clause {
        Clause {
            id: ClauseId(format!("d/art{n}")),
            doc_id: "d".into(),
            ordinal: n,
            kind: ClauseKind::Article,
            label: format!("第{}条", crate::grammar::to_chinese(n)),
            number: None,
            caption: String::new(),
            headings: Vec::new(),
            paragraphs: text.split('\n').map(str::to_string).collect(),
            text: text.to_string(),
            origin: Origin::default(),
        }
    }

    fn doc(title: &str, clauses: Vec<Clause>) -> SegmentedDoc {
        SegmentedDoc {
            info: DocInfo::new("d", "d.md", title, Format::Markdown, "zh-Hans"),
            clauses,
        }
    }

    fn matcher() -> Matcher {
        Matcher::new(Taxonomy::parse(TAX, "t.toml").unwrap()).unwrap()
    }

    #[test]
    fn near_terms_exclusions_and_subject_decide_what_counts() {
        let m = matcher();
        let d = doc(
            "某某图书馆条例",
            vec![
                clause(1, "本条例所称未成年人，是指未满十八周岁的公民。"),
                clause(2, "图书馆应当创造良好的阅读环境。"),
                clause(3, "免费停车。\n图书馆应当免费向社会公众开放。"),
                clause(4, "国家鼓励为未成年人提供服务。"),
            ],
        );
        let r = m.match_document(&d);
        assert!(r.unknown.is_none());
        let free = &r.evidence[0];
        assert_eq!(free.len(), 1);
        assert_eq!(free[0].label, "第三条第二款");
        assert_eq!(free[0].strength, Strength::Mandatory);
        assert_eq!(free[0].snippet, "图书馆应当免费向社会公众开放。");
        assert_eq!(free[0].hits, vec![[5, 7]]);
        assert!(r.evidence[1].is_empty(), "阅读环境 is not the environment");
        let minors: Vec<&str> = r.evidence[2].iter().map(|e| e.label.as_str()).collect();
        assert_eq!(minors, ["第四条"]);
        assert_eq!(r.evidence[2][0].strength, Strength::Encouraged);
    }

    #[test]
    fn off_subject_clauses_do_not_count_in_a_broader_document() {
        let m = matcher();
        let d = doc(
            "某某文化条例",
            vec![
                clause(1, "博物馆应当免费开放。"),
                clause(2, "图书馆应当免费开放。"),
            ],
        );
        let r = m.match_document(&d);
        let labels: Vec<&str> = r.evidence[0].iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["第二条"]);
    }

    #[test]
    fn english_terms_match_at_word_boundaries_in_any_case() {
        let m = matcher();
        let mut d = doc(
            "Library Act",
            vec![
                clause(1, "Environmental protection shall be considered."),
                clause(2, "The nonenvironmental rules apply."),
                clause(3, "Services are FREE OF CHARGE."),
            ],
        );
        d.info.language = "en".into();
        let r = m.match_document(&d);
        let env: Vec<&str> = r.evidence[1].iter().map(|e| e.label.as_str()).collect();
        assert_eq!(env, ["第一条"]);
        assert_eq!(r.evidence[0].len(), 1);
    }

    #[test]
    fn cues_written_once_match_traditional_text_and_quote_it_as_written() {
        let m = matcher();
        let mut d = doc(
            "某縣圖書館自治條例",
            vec![clause(1, "圖書館應當免費向社會公眾開放。")],
        );
        d.info.language = "zh-Hant".into();
        let r = m.match_document(&d);
        assert_eq!(r.scope, Scope::Primary);
        let free = &r.evidence[0];
        assert_eq!(
            free.len(),
            1,
            "免费/开放 written in Simplified find 免費/開放"
        );
        assert_eq!(free[0].snippet, "圖書館應當免費向社會公眾開放。");
        assert_eq!(free[0].hits, vec![[5, 7]]);
        assert_eq!(free[0].strength, Strength::Mandatory);
    }

    #[test]
    fn a_document_that_never_names_the_subject_is_out_of_scope() {
        let m = matcher();
        let d = doc("某某博物馆条例", vec![clause(1, "博物馆应当免费开放。")]);
        let r = m.match_document(&d);
        assert_eq!(r.scope, Scope::None);
        assert!(r.evidence.iter().all(Vec::is_empty));
    }

    #[test]
    fn a_document_without_clauses_is_unknown() {
        let r = matcher().match_document(&doc("图书馆条例", Vec::new()));
        assert!(r.unknown.is_some());
    }

    const GENERAL_TAX: &str = r#"
[taxonomy]
id = "t"
[subject]
terms = ["图书馆"]
general = ["本条例", "总则"]
addressees = ["组织和个人"]
authorities = ["人民政府"]

[[obligation]]
id = "funding"
title = { en = "Funding" }
authority = true
[[obligation.cue]]
terms = ["经费"]

[[obligation]]
id = "complaints"
title = { en = "Complaints" }
general = true
[[obligation.cue]]
terms = ["投诉"]

[[obligation]]
id = "liability"
title = { en = "Liability" }
general = true
[[obligation.cue]]
terms = ["罚款"]
"#;

    fn numbered(n: u32, text: &str, heading: &str) -> Clause {
        let mut c = clause(n, text);
        c.number = Some(crate::model::ArticleNumber::new(n));
        if !heading.is_empty() {
            c.headings = vec![heading.to_string()];
        }
        c
    }

    fn labels(list: &[Evidence]) -> Vec<&str> {
        list.iter().map(|e| e.label.as_str()).collect()
    }

    /// The evidence lists of a regulation whose first article binds the library and whose
    /// others are (text, heading), numbered from 2.
    fn evidence_of(tax: &str, articles: &[(&str, &str)]) -> Vec<Vec<Evidence>> {
        let m = Matcher::new(Taxonomy::parse(tax, "t.toml").unwrap()).unwrap();
        let mut clauses = vec![numbered(1, "图书馆应当向读者开放。", "第二章 促进")];
        clauses.extend(
            (2..)
                .zip(articles)
                .map(|(n, (text, heading))| numbered(n, text, heading)),
        );
        let r = m.match_document(&doc("某某文明行为促进条例", clauses));
        assert_eq!(r.scope, Scope::Partial);
        r.evidence
    }

    #[test]
    fn an_authority_sentence_is_a_general_provision_only_for_the_authority_s_own_acts() {
        let m = Matcher::new(Taxonomy::parse(GENERAL_TAX, "t.toml").unwrap()).unwrap();
        let d = doc(
            "某某文化条例",
            vec![
                numbered(1, "图书馆应当向读者开放。", "第二章 服务"),
                numbered(2, "县级以上人民政府应当安排经费。", "第二章 服务"),
                numbered(
                    3,
                    "县级以上人民政府应当受理博物馆名录的投诉。",
                    "第二章 服务",
                ),
                numbered(4, "任何组织和个人可以投诉。", "第二章 服务"),
                numbered(5, "博物馆应当安排经费。", "第一章 总则"),
            ],
        );
        let r = m.match_document(&d);
        assert_eq!(r.scope, Scope::Partial);
        // The authority's budget counts; a provision of the general division ranks before it.
        assert_eq!(labels(&r.evidence[0]), ["第五条", "第二条"]);
        assert!(r.evidence[0].iter().all(|e| e.general));
        assert_eq!(r.evidence[0][0].tier, DIVISION);
        assert_eq!(r.evidence[0][1].tier, AUTHORITY);
        // An authority's complaint procedure for one listing does not reach the library; a
        // complaint open to everyone the regulation binds does.
        assert_eq!(labels(&r.evidence[1]), ["第四条"]);
        assert_eq!(r.evidence[1][0].tier, EVERYONE);
    }

    #[test]
    fn liability_on_every_other_act_ranks_before_sanctions_eased() {
        let tax = GENERAL_TAX.replace("id = \"liability\"", "id = \"liability\"\nsanction = true");
        const DIVISION: &str = "第五章 法律责任";
        let evidence = evidence_of(
            &tax,
            &[
                (
                    "因违反本条例规定应当受到罚款处罚，违法行为人自愿参加社会服务的，可以依法从轻处罚。",
                    DIVISION,
                ),
                (
                    "违反本条例规定，当事人主动消除危害后果的，应当依法从轻或者减轻行政处罚。",
                    DIVISION,
                ),
                (
                    "违反本条例规定的其他行为，法律法规有法律责任规定的，适用其规定；情节轻微的，不予行政处罚；处以罚款。",
                    DIVISION,
                ),
                (
                    "博物馆有违反本条例规定的其他行为的，由文物主管部门处以罚款。",
                    DIVISION,
                ),
            ],
        );
        let liability = &evidence[2];
        // Every other act violating the regulation is the liability that reaches the library,
        // though the sentence goes on to ease it (after a semicolon); the other acts of a named
        // violator are that violator's; the sentences easing sanctions presume the liability
        // and come last.
        assert_eq!(labels(liability)[..2], ["第四条", "第五条"]);
        assert_eq!(liability[0].tier, WHOEVER);
        assert_eq!(liability[1].tier, VIOLATOR);
        assert!(liability[2..].iter().all(|e| e.tier == MITIGATING));
        assert!(liability.len() >= 3, "{:?}", labels(liability));
        assert!(mitigates("依法从轻或者减轻行政处罚"));
        assert!(mitigates("可以依法减轻或者免除处罚"));
        assert!(mitigates("应当受到罚款处罚，违法行为人自愿参加社会服务"));
        assert!(!mitigates("处五十元以上二百元以下罚款"));
    }

    #[test]
    fn a_sanction_on_breaching_a_duty_ranks_after_the_provision_laying_it_down() {
        let evidence = evidence_of(
            GENERAL_TAX,
            &[
                (
                    "任何组织和个人可以投诉。\n有关部门工作人员违反本条例规定的，依法给予处分。",
                    "第三章 监督",
                ),
                (
                    "违反本条例规定，对投诉不依法处理的，依法给予处分。",
                    "第四章 法律责任",
                ),
            ],
        );
        // The complaint channel is the evidence, though another paragraph of its article
        // sanctions officials; the sanction on mishandling complaints presumes it.
        assert_eq!(labels(&evidence[1]), ["第二条第一款", "第三条"]);
        assert_eq!(evidence[1][0].tier, EVERYONE);
        assert_eq!(evidence[1][1].tier, SANCTIONING);
        assert!(sanctions("处五百元以上罚款"));
        assert!(sanctions("处一万元以上罚锾"));
        assert!(!sanctions("有关部门应当及时处理投诉"));
        assert!(sanctions("威胁、殴打举报人的，由公安机关依法处理"));
        assert!(sanctions("对违反者给予警告"));
        assert!(!sanctions("公安机关负责处理交通事故"));
        assert!(!sanctions("行使本条例的相关行政处罚权"));
        assert!(!sanctions("依照《中华人民共和国行政处罚法》的规定"));
    }

    #[test]
    fn resources_for_a_documents_own_field_reach_the_library_only_in_the_subjects_fields() {
        // Funding is the authority's own act but gives resources: it counts only where the
        // document's field is work libraries do. Liability enforces every duty, in any field.
        let tax = GENERAL_TAX
            .replace(
                "authorities = [\"人民政府\"]",
                "authorities = [\"人民政府\"]\nfields = [\"公共文化\"]",
            )
            .replace("authority = true", "authority = true\nfield = true")
            .replace("terms = [\"经费\"]", "terms = [\"经费\", \"预算\"]");
        let m = Matcher::new(Taxonomy::parse(&tax, "t.toml").unwrap()).unwrap();
        let clauses = || {
            vec![
                numbered(1, "图书馆应当遵守本规定。", "第一章 服务"),
                numbered(
                    2,
                    "县级以上人民政府应当将所需经费纳入本级预算。",
                    "第一章 服务",
                ),
                numbered(3, "违反本条例规定的，处以罚款。", "第二章 法律责任"),
                // A general division's passing mention ranks by how squarely it states the
                // resource, not before the authority's duty for standing in 总则.
                numbered(4, "社会各界关心经费保障。", "第三章 总则"),
            ]
        };
        let culture = m.match_document(&doc("某市公共文化服务条例", clauses()));
        let fire = m.match_document(&doc("某市消防条例", clauses()));
        for r in [&culture, &fire] {
            assert_eq!(r.scope, Scope::Partial);
            assert_eq!(labels(&r.evidence[2]), ["第三条"]);
        }
        assert_eq!(labels(&culture.evidence[0]), ["第二条", "第四条"]);
        assert!(
            fire.evidence[0].is_empty(),
            "{:?}",
            labels(&fire.evidence[0])
        );
    }

    #[test]
    fn a_class_named_in_a_building_list_reaches_the_libraries_in_it() {
        let m = Matcher::new(Taxonomy::library_social_responsibility().unwrap()).unwrap();
        let d = doc(
            "某市文明行为促进条例",
            vec![
                clause(1, "图书馆应当按照规定向公众开放。"),
                clause(
                    2,
                    "市人民政府应当建设完善下列设施：\n（一）公共图书馆、流动图书馆和公共阅报栏等阅读设施；\n（二）公共厕所。",
                ),
                clause(3, "鼓励全民阅读设施管理单位向公民提供阅读指导、阅读交流等服务。"),
            ],
        );
        let r = m.match_document(&d);
        assert_eq!(r.scope, Scope::Partial);
        let reading = m
            .taxonomy()
            .obligations
            .iter()
            .position(|o| o.id == "reading-and-education")
            .unwrap();
        assert!(
            labels(&r.evidence[reading]).contains(&"第三条"),
            "{:?}",
            labels(&r.evidence[reading])
        );
    }

    #[test]
    fn a_provision_citing_only_articles_off_the_subject_is_not_general() {
        let m = Matcher::new(Taxonomy::parse(GENERAL_TAX, "t.toml").unwrap()).unwrap();
        let d = doc(
            "某某文化条例",
            vec![
                numbered(1, "图书馆应当向读者开放。", "第一章 服务"),
                numbered(2, "博物馆应当登记藏品。", "第一章 服务"),
                numbered(3, "违反本条例第二条规定的，处以罚款。", "第二章 法律责任"),
                numbered(
                    4,
                    "违反本条例第一条、第二条规定的，处以罚款。",
                    "第二章 法律责任",
                ),
                numbered(5, "违反本条例规定的，处以罚款。", "第三章 附则"),
                // A list whose every item cites an article off the subject, and chapters.
                numbered(
                    6,
                    "违反本条例规定，有下列情形之一的，处以罚款：（一）违反本条例第二条第一项规定的；\
                     （二）违反本条例第二条第二项规定的。",
                    "第二章 法律责任",
                ),
                numbered(7, "违反本条例第一章规定的，处以罚款。", "第三章 附则"),
                numbered(8, "违反本条例第二章规定的，处以罚款。", "第三章 附则"),
            ],
        );
        let r = m.match_document(&d);
        assert_eq!(labels(&r.evidence[2]), ["第四条", "第五条", "第七条"]);
    }

    #[test]
    fn a_general_heading_over_most_of_the_text_is_not_a_general_division() {
        let m = Matcher::new(Taxonomy::parse(GENERAL_TAX, "t.toml").unwrap()).unwrap();
        // A copy that kept only 第一章 总则: every article sits under it.
        let d = doc(
            "某某保护条例",
            vec![
                numbered(1, "图书馆应当向读者开放。", "第一章 总则"),
                numbered(2, "博物馆应当接受投诉。", "第一章 总则"),
                numbered(3, "学校应当安排经费。", "第一章 总则"),
            ],
        );
        let r = m.match_document(&d);
        assert!(r.evidence[0].is_empty() && r.evidence[1].is_empty());
    }

    #[test]
    fn a_heading_naming_an_obligation_makes_its_library_duties_instances_of_it() {
        let m = Matcher::new(Taxonomy::parse(GENERAL_TAX, "t.toml").unwrap()).unwrap();
        let d = doc(
            "某某保护条例",
            vec![
                numbered(1, "本条例适用于本省。", "第一章 总则"),
                numbered(2, "博物馆应当开放。", "第二章 服务"),
                numbered(3, "图书馆应当公示收费项目。", "第三章 投诉"),
                numbered(4, "博物馆应当公示收费项目。", "第三章 投诉"),
                numbered(
                    5,
                    "下列场所应当张贴告示：（一）图书馆、博物馆；",
                    "第三章 投诉",
                ),
                numbered(6, "图书馆应当延长开放时间。", "第四章 投诉与监督"),
                numbered(7, "学校应当开放。", "第五章 附则"),
            ],
        );
        let r = m.match_document(&d);
        assert_eq!(r.scope, Scope::Partial);
        let complaints = &r.evidence[1];
        // Not the museum's duty, not a library listed as a place, not a topic heading.
        assert_eq!(
            labels(complaints),
            ["第三条"],
            "only the clause binding the library"
        );
        assert_eq!(complaints[0].confidence, Confidence::Borderline);
        assert_eq!(complaints[0].snippet, "图书馆应当公示收费项目。");
        assert_eq!(complaints[0].strength, Strength::Mandatory);
    }

    #[test]
    fn a_later_paragraph_with_an_actor_of_its_own_does_not_inherit_the_subject() {
        let m = matcher();
        let d = doc(
            "某某服务条例",
            vec![
                clause(1, "图书馆应当免费开放。\n商场应当为未成年人设置休息区。"),
                clause(
                    2,
                    "图书馆应当免费开放。\n前款规定的场所应当为未成年人提供服务。",
                ),
                clause(3, "图书馆应当免费开放。\n为未成年人设置专门阅览区。"),
                clause(4, "博物馆应当登记藏品。"),
                clause(5, "剧场应当保障安全。"),
                clause(
                    6,
                    "图书馆应当免费开放。\n国家鼓励科研机构和社会组织为未成年人开展科普活动。",
                ),
                clause(7, "图书馆应当免费开放。\n鼓励为未成年人提供阅读指导。"),
                // Donors support the library's work.
                clause(
                    8,
                    "图书馆应当免费开放。\n国家鼓励公民、法人和其他组织捐赠未成年人读物。",
                ),
            ],
        );
        let r = m.match_document(&d);
        assert_eq!(r.scope, Scope::Partial);
        // The shop's duty and the bodies the state encourages are rules of their own; a
        // paragraph referring back, or without an actor of its own, still speaks of the library.
        let mut found = labels(&r.evidence[2]);
        found.sort();
        assert_eq!(
            found,
            [
                "第七条第二款",
                "第三条第二款",
                "第二条第二款",
                "第八条第二款"
            ]
        );
    }

    /// The test taxonomy with `lines` added to its `[subject]`.
    fn with_subject(lines: &str) -> Matcher {
        let subject = "terms = [\"图书馆\", \"librar*\"]";
        let tax = TAX.replace(subject, &format!("{subject}\n{lines}"));
        Matcher::new(Taxonomy::parse(&tax, "t.toml").unwrap()).unwrap()
    }

    #[test]
    fn a_library_named_only_where_visitors_are_bound_does_not_bring_a_text_into_scope() {
        let m = with_subject("visitors = [\"公民\", \"游客\"]");
        let conduct = clause(
            1,
            "游客应当自觉遵守下列规定：\n（一）在图书馆、剧场内保持安静；\n（二）爱护公物。",
        );
        let r = m.match_document(&doc("某某文明行为条例", vec![conduct.clone()]));
        assert_eq!(r.scope, Scope::None, "{}", r.scope_reason);
        assert!(
            r.scope_reason.contains("others are bound"),
            "{}",
            r.scope_reason
        );
        // The managers of the place are bound: the library is regulated.
        let managers = clause(2, "图书馆等场所的管理单位应当设置禁止吸烟标志。");
        let r = m.match_document(&doc("某某文明行为条例", vec![conduct.clone(), managers]));
        assert_eq!(r.scope, Scope::Partial);
        // A right of the public is no rule of conduct binding visitors.
        let right = clause(3, "公民有权免费进入图书馆。");
        let r = m.match_document(&doc("某某文明行为条例", vec![right]));
        assert_eq!(r.scope, Scope::Partial);
    }

    #[test]
    fn a_library_named_only_where_others_are_forbidden_an_act_puts_the_scope_in_doubt() {
        let m = with_subject("includes = [\"公共文化设施\"]");
        let liability = clause(9, "违反本条例规定的，由公安机关处以罚款。");
        for passing in [
            "禁止携带犬只进入图书馆、博物馆等公共场所。",
            "不得在公共图书馆、博物馆内举办营业性文化娱乐活动。",
            "任何单位和个人不得在公共图书馆内举办营业性文化娱乐活动。",
            "在图书馆内，禁止大声喧哗。",
            "博士学位论文应当同时交存国家图书馆。",
            "各级人民政府应当扶持少数民族聚居地方创办文化馆（站）、图书馆等文化设施。",
            "国家发展图书馆博物馆文化馆和其他文化事业。",
            // The ban itself naming a class that includes libraries is no other rule on them.
            "禁止携带犬只进入图书馆、博物馆等公共文化设施。",
        ] {
            let r = m.match_document(&doc(
                "某某管理条例",
                vec![clause(1, passing), liability.clone()],
            ));
            // In scope still: annotators read some such documents as regulating libraries.
            assert_eq!(r.scope, Scope::Partial, "{passing}");
            let doubt = r.scope_doubt.unwrap_or_default();
            assert!(doubt.contains("a reader may take"), "{passing}: {doubt}");
            // No evidence of such a document is firm, for its own row or as a model clause.
            assert!(r
                .evidence
                .iter()
                .flatten()
                .all(|e| e.confidence == Confidence::Borderline));
        }
        // The library's own duty, a manager bound, or a class the document puts it in: no doubt.
        for regulated in [
            vec![clause(1, "图书馆应当免费开放。")],
            vec![
                clause(1, "禁止携带犬只进入图书馆、博物馆等公共场所。"),
                clause(
                    2,
                    "携带犬只进入前款规定的禁入场所的，由场所管理人予以劝阻。",
                ),
            ],
            vec![
                clause(1, "不得在公共图书馆内举办营业性文化娱乐活动。"),
                clause(2, "公共文化设施管理单位应当公示服务项目。"),
            ],
            // The managers of forbidden areas, as of forbidden places.
            vec![
                clause(
                    1,
                    "禁止携带犬只进入下列区域：\n（一）图书馆、博物馆；\n（二）医院。",
                ),
                clause(2, "前款规定区域的管理者应当劝阻携犬进入。"),
            ],
            // The library is the one bound to keep what is deposited.
            vec![clause(1, "缴送的出版物样本应当由国家图书馆负责永久保存。")],
        ] {
            let r = m.match_document(&doc("某某管理条例", regulated));
            assert_eq!(r.scope, Scope::Partial);
            assert_eq!(r.scope_doubt, None, "{}", r.scope_reason);
        }
    }

    #[test]
    fn a_library_listed_as_a_forbidden_place_a_means_or_a_historic_site_is_not_regulated() {
        let m = Matcher::new(Taxonomy::parse(TAX, "t.toml").unwrap()).unwrap();
        let list = clause(
            1,
            "下列场所禁止携带犬只进入：\n（一）医院、学校；\n（二）博物馆、图书馆、体育场馆等；\n（三）候车室。",
        );
        let others = clause(
            2,
            "前款规定以外的公共场所，其管理方有权决定禁止携带犬只进入，但是应当设置明显的禁入标志。",
        );
        let r = m.match_document(&doc("某某养犬管理条例", vec![list.clone(), others.clone()]));
        assert_eq!(r.scope, Scope::None, "{}", r.scope_reason);
        // Once the managers of the listed places are bound, the library is regulated.
        for managers in [
            "携带犬只进入犬只禁入场所的，由有关所有权人、使用权人、管理人予以劝阻。",
            "禁止吸烟的公共场所的管理单位应当设置禁止吸烟标志。",
        ] {
            let r = m.match_document(&doc(
                "某某条例",
                vec![list.clone(), others.clone(), clause(3, managers)],
            ));
            assert_eq!(r.scope, Scope::Partial, "{managers}");
        }
        // Managers of other places are not those of the list.
        for others in [
            "除前款规定的场所外，其他公共场所的所有权人、管理人可以决定禁止携带犬只进入。",
            "前款规定以外的公共场所，其管理方有权决定禁止携带犬只进入。",
        ] {
            let r = m.match_document(&doc(
                "某某养犬管理条例",
                vec![list.clone(), clause(7, others)],
            ));
            assert_eq!(r.scope, Scope::None, "{others}");
        }
        // An authority's own ways of doing its work are no means of another activity.
        let ways = clause(
            8,
            "市、区人民政府应当通过下列方式推进公共阅读服务：\n（一）加强公共图书馆、农家书屋建设；\n（二）保障所需经费。",
        );
        let r = m.match_document(&doc("某某全民阅读促进条例", vec![ways]));
        assert_eq!(r.scope, Scope::Partial, "{}", r.scope_reason);
        // The listed places bound themselves: regulated.
        let bound = clause(
            4,
            "下列场所应当设置无障碍设施：\n（一）图书馆、博物馆；\n（二）车站。",
        );
        let r = m.match_document(&doc("某某条例", vec![bound]));
        assert_eq!(r.scope, Scope::Partial);
        let means = clause(
            5,
            "人民政府应当鼓励公民、法人和其他组织通过以下方式合理利用不可移动文物：\n（一）开办博物馆、图书馆、纪念馆等；\n（二）开办文化创意产业基地。",
        );
        let site = clause(
            6,
            "本市不可移动文物包括：\n（一）古遗址、古墓葬；\n（二）河朔图书馆旧址、中共某某委员会旧址等近代现代重要史迹。",
        );
        let r = m.match_document(&doc("某某文物保护条例", vec![means, site]));
        assert_eq!(r.scope, Scope::None, "{}", r.scope_reason);
        assert!(r.scope_reason.contains("2 clauses"), "{}", r.scope_reason);
        // Founding a library as an activity others are encouraged to take up; gifts others are
        // encouraged to make to it; a facility an authority builds.
        let activities = clause(
            9,
            "鼓励在古城内依法从事下列活动：\n（一）传承非物质文化遗产；\n（二）开办博物馆、展览馆、图书馆；\n（三）经营民宿。",
        );
        let gifts = clause(
            10,
            "鼓励单位和个人向本市博物馆、图书馆等公共文化机构捐赠与古城相关的实物、资料。",
        );
        let built = clause(
            11,
            "市、县人民政府应当科学规划、建设完善下列公共设施：\n（一）道路、停车位等交通设施；\n（二）体育场（馆）、图书馆、影剧院等公共文化设施。",
        );
        let r = m.match_document(&doc(
            "某某古城保护条例",
            vec![activities, gifts, built.clone()],
        ));
        assert_eq!(r.scope, Scope::None, "{}", r.scope_reason);
        assert!(r.scope_reason.contains("3 clauses"), "{}", r.scope_reason);
        // Once the article binds the managers of what it lists, or the text binds the library
        // to a duty, or an authority must build the library itself, the library is regulated.
        for text in [
            "市、县人民政府应当建设完善下列设施：\n（一）图书馆、博物馆等公共文化设施；\n（二）公园。\n设施管理维护单位应当加强日常检查，保证设施完好。",
            "市、县人民政府应当建设完善下列设施：\n（一）图书馆、博物馆等公共文化设施；\n（二）公园。\n前款规定的设施，管理单位应当加强日常检查。",
            "县级以上人民政府应当加强公共图书馆建设，建立健全管理服务制度，为公民提供阅读服务。",
            "单位和个人应当向图书馆捐赠与古城相关的资料。",
        ] {
            let r = m.match_document(&doc("某某条例", vec![clause(12, text)]));
            assert_eq!(r.scope, Scope::Partial, "{text}");
        }
    }

    #[test]
    fn a_library_exempted_or_named_as_a_place_of_another_actor_s_duty_is_not_regulated() {
        let m = with_subject("authorities = [\"人民政府\"]\nexempt = [\"不适用本条例\"]");
        let exempt = clause(
            1,
            "学校、图书馆等单位内部附设的上网服务场所，应当遵守有关法律、法规，不适用本条例。",
        );
        let r = m.match_document(&doc("某某上网服务场所管理条例", vec![exempt]));
        assert_eq!(r.scope, Scope::None, "{}", r.scope_reason);
        let place = clause(
            2,
            "学校应当加强校园交通安全管理，在通往教学楼、图书馆、宿舍等人员密集场所的道路上设置警示标识。",
        );
        let r = m.match_document(&doc("某某学校安全条例", vec![place]));
        assert_eq!(r.scope, Scope::None, "{}", r.scope_reason);
        assert!(
            r.scope_reason.contains("others are bound"),
            "{}",
            r.scope_reason
        );
        let keeper = clause(
            4,
            "携犬出户应当遵守下列规定：\n（一）束犬链；\n（二）不得进入公园、博物馆、图书馆等公共场所。",
        );
        let r = m.match_document(&doc("某某养犬管理条例", vec![keeper]));
        assert_eq!(r.scope, Scope::None, "{}", r.scope_reason);
        // The library as the actor, an authority's duty to the library, and the library as
        // what another actor's duty is about all regulate it.
        for text in [
            "图书馆等公共场所应当开展健康教育。",
            "县级以上人民政府应当在图书馆等公共文化场所设置无障碍设施。",
            "学校应当向图书馆捐赠图书。",
            // What the duty provides, a department's duty, a holder's right.
            "学校应当按照国家标准配备图书馆、实验室等教学场所和设施。",
            "县级以上教育行政部门应当推动学校图书馆、体育场馆等场所向社会开放。",
            "持卡人可以凭社会保障卡在图书馆等场所借阅图书。",
            // One rule excepted, not the instrument.
            "本条例第五条的规定不适用于本市公共图书馆为盲人读者提供的无障碍阅读服务。",
        ] {
            let r = m.match_document(&doc("某某条例", vec![clause(3, text)]));
            assert_eq!(r.scope, Scope::Partial, "{text}");
        }
    }

    #[test]
    fn a_cue_in_one_item_of_a_list_does_not_reach_the_library_another_item_names() {
        let m = matcher();
        // The items stand on lines of one paragraph, as the bulk corpus prints them.
        let minors = |text: &str| {
            let mut c = clause(1, text);
            c.paragraphs = vec![text.to_string()];
            let r = m.match_document(&doc("某某文明行为条例", vec![c]));
            assert_eq!(r.scope, Scope::Partial, "{text}");
            labels(&r.evidence[2]).len()
        };
        // (A list of facilities an authority builds would not regulate the library at all.)
        assert_eq!(
            minors("县级以上人民政府应当管理下列设施：\n（一）图书馆、文化馆；\n（二）未成年人活动场所。"),
            0
        );
        // The item naming the library, and a lead-in naming it, reach it.
        assert_eq!(
            minors(
                "县级以上人民政府应当管理下列设施：\n（一）图书馆未成年人阅览区；\n（二）公园。"
            ),
            1
        );
        assert_eq!(
            minors("图书馆应当提供下列服务：\n（一）借阅；\n（二）未成年人阅读指导。"),
            1
        );
    }

    /// A subject term across what the sentence splitter takes for a full stop ("St. Louis")
    /// once sliced a phrase backwards.
    #[test]
    fn a_subject_term_across_a_sentence_boundary_does_not_panic() {
        let tax = TAX.replace(
            "terms = [\"图书馆\", \"librar*\"]",
            "terms = [\"图书馆\", \"St. Louis Public Library\"]",
        );
        let m = Matcher::new(Taxonomy::parse(&tax, "t.toml").unwrap()).unwrap();
        let c = clause(
            1,
            "The St. Louis Public Library is exempt; the owner shall not enter places such as \
             St. Louis Public Library premises.",
        );
        let r = m.match_document(&doc("Ordinance", vec![c]));
        assert_ne!(r.scope, Scope::Primary);
    }

    #[test]
    fn a_division_title_follows_its_number() {
        let h = "第三章  社会责任 ";
        assert_eq!(&h[division_title(h)], "社会责任");
        assert_eq!(&"总则"[division_title("总则")], "总则");
    }

    #[test]
    fn own_article_references_read_lists_and_ranges() {
        let none = HashMap::new();
        assert_eq!(
            own_article_references(
                "违反本条例第七条、第十九条第三款、第四十二条至第四十五条规定的",
                &none
            ),
            [7, 19, 42, 43, 44, 45]
        );
        assert!(
            own_article_references("违反本条例规定的，依照《某法》第十条处罚", &none).is_empty()
        );
        assert_eq!(own_article_references("违反本法第15条规定的", &none), [15]);
        // A chapter cites the articles under it; an unknown chapter cites nothing.
        let chapters = HashMap::from([(3, vec![20, 21, 22])]);
        assert_eq!(
            own_article_references("违反本条例第三章规定，实施随地吐痰等行为的", &chapters),
            [20, 21, 22]
        );
        assert!(own_article_references("违反本条例第四章规定的", &chapters).is_empty());
    }

    #[test]
    fn long_sentences_are_cut_around_the_first_hit() {
        let text = format!("{}免费开放{}。", "甲".repeat(300), "乙".repeat(300));
        let hit = std::iter::once(900..906).collect::<Vec<_>>();
        let (s, hits) = snippet(&text, &(0..text.len()), &hit);
        assert!(s.starts_with('…') && s.ends_with('…'));
        let chars: Vec<char> = s.chars().collect();
        let [a, b] = hits[0];
        assert_eq!(chars[a..b].iter().collect::<String>(), "免费");
    }
}
