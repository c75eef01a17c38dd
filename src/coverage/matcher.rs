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
//!    is the snippet.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Serialize;

use super::strength::{self, Strength};
use super::taxonomy::{ExclusionScope, Taxonomy};
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
    /// The strongest sentence holding a cue.
    pub snippet: String,
    /// Cue hits in the snippet as `[start, end)` character offsets.
    pub hits: Vec<[usize; 2]>,
}

/// What the matcher found in one document.
#[derive(Debug, Clone)]
pub struct DocMatches {
    /// Set when the document cannot be judged (no clauses, a language without cues).
    pub unknown: Option<String>,
    /// Per obligation (taxonomy order): evidence, best first.
    pub evidence: Vec<Vec<Evidence>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Cue { cue: u16, weight: f32 },
    Near { cue: u16 },
    Unless { cue: u16 },
    ExcludePhrase,
    ExcludeSentence,
    Subject,
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
    has_unless: bool,
}

/// A taxonomy compiled for matching. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Matcher {
    taxonomy: Taxonomy,
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    uses: Vec<Use>,
    cues: Vec<Vec<CueRule>>,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    pattern: usize,
    start: usize,
    end: usize,
    sentence: usize,
}

/// One obligation's result for one clause, before it becomes [`Evidence`].
struct ClauseMatch {
    obligation: usize,
    score: f32,
    strength: Strength,
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
            let body = term.trim_end_matches('*').to_ascii_lowercase();
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
                    has_unless: !cue.unless.is_empty(),
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
            for t in &subject.terms {
                add(
                    t,
                    Use {
                        obligation: u16::MAX,
                        role: Role::Subject,
                    },
                );
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
        Ok(Matcher {
            taxonomy,
            automaton,
            patterns,
            uses,
            cues,
        })
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Finds the evidence for every obligation in one document.
    pub fn match_document(&self, doc: &SegmentedDoc) -> DocMatches {
        let n = self.taxonomy.obligations.len();
        let mut evidence = vec![Vec::new(); n];
        if doc.clauses.is_empty() {
            let reason = match &doc.info.error {
                Some(error) => format!("could not be read: {error}"),
                None => format!(
                    "no clauses found (structure: {})",
                    if doc.info.structure.is_empty() {
                        "unknown"
                    } else {
                        &doc.info.structure
                    }
                ),
            };
            return DocMatches {
                unknown: Some(reason),
                evidence,
            };
        }
        if !self.taxonomy.reads_language(&doc.info.language) {
            return DocMatches {
                unknown: Some(format!(
                    "the taxonomy has no cues in {} (it reads {})",
                    doc.info.language,
                    self.taxonomy.languages.join(", ")
                )),
                evidence,
            };
        }
        let doc_on_subject =
            self.taxonomy.subject.is_none() || self.mentions_subject(&doc.info.title);
        let mut hits = Vec::new();
        for clause in &doc.clauses {
            for m in self.match_clause(clause, doc_on_subject, &mut hits) {
                evidence[m.obligation].push(self.evidence(clause, m));
            }
        }
        for list in &mut evidence {
            list.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then(b.strength.cmp(&a.strength))
                    .then(a.ordinal.cmp(&b.ordinal))
            });
        }
        DocMatches {
            unknown: None,
            evidence,
        }
    }

    /// Whether `text` holds a subject term.
    pub fn mentions_subject(&self, text: &str) -> bool {
        self.automaton.find_overlapping_iter(text).any(|m| {
            let p = &self.patterns[m.pattern().as_usize()];
            self.at_boundaries(text, p, m.start(), m.end())
                && self.uses[p.uses.clone()]
                    .iter()
                    .any(|u| u.role == Role::Subject)
        })
    }

    fn at_boundaries(&self, text: &str, p: &Pattern, start: usize, end: usize) -> bool {
        let b = text.as_bytes();
        (!p.left_boundary || start == 0 || !b[start - 1].is_ascii_alphanumeric())
            && (!p.right_boundary || end >= b.len() || !b[end].is_ascii_alphanumeric())
    }

    fn match_clause(
        &self,
        clause: &Clause,
        doc_on_subject: bool,
        hits: &mut Vec<Hit>,
    ) -> Vec<ClauseMatch> {
        let text = clause.text.as_str();
        hits.clear();
        for m in self.automaton.find_overlapping_iter(text) {
            let p = &self.patterns[m.pattern().as_usize()];
            if self.at_boundaries(text, p, m.start(), m.end()) {
                hits.push(Hit {
                    pattern: m.pattern().as_usize(),
                    start: m.start(),
                    end: m.end(),
                    sentence: 0,
                });
            }
        }
        let any_cue = hits.iter().any(|h| {
            self.uses[self.patterns[h.pattern].uses.clone()]
                .iter()
                .any(|u| matches!(u.role, Role::Cue { .. }))
        });
        if !any_cue {
            return Vec::new();
        }
        hits.sort_by_key(|h| (h.start, h.end));
        let sentences = strength::sentences(text);
        let mut si = 0;
        for h in hits.iter_mut() {
            while si + 1 < sentences.len() && sentences[si].end <= h.start {
                si += 1;
            }
            h.sentence = si;
        }
        // Off a subject document, the subject must be named where the cue is: in the cue's
        // paragraph, the clause's first paragraph (its lead), caption or headings. An omnibus
        // section that names libraries once does not make all its paragraphs about them.
        let starts = paragraph_starts(clause);
        let subject_paragraphs: Vec<usize> = if doc_on_subject {
            Vec::new()
        } else {
            hits.iter()
                .filter(|h| self.has_role(h, |r| r == Role::Subject))
                .map(|h| paragraph_index(&starts, h.start))
                .collect()
        };
        let clause_on_subject = doc_on_subject
            || subject_paragraphs.contains(&0)
            || self.mentions_subject(&clause.caption)
            || clause.headings.iter().any(|t| self.mentions_subject(t));
        let on_subject = |h: &Hit| {
            clause_on_subject || subject_paragraphs.contains(&paragraph_index(&starts, h.start))
        };

        // (obligation, pattern, weight, hit index) of every cue hit that counts.
        let mut counted: Vec<(u16, usize, f32, usize)> = Vec::new();
        for (hi, h) in hits.iter().enumerate() {
            for u in &self.uses[self.patterns[h.pattern].uses.clone()] {
                let Role::Cue { cue, weight } = u.role else {
                    continue;
                };
                let o = u.obligation as usize;
                let ob = &self.taxonomy.obligations[o];
                if ob.needs_subject() && !on_subject(h) {
                    continue;
                }
                if self.cue_counts(text, hits, hi, u.obligation, cue) {
                    counted.push((u.obligation, h.pattern, weight, hi));
                }
            }
        }
        if counted.is_empty() {
            return Vec::new();
        }
        counted.sort_by_key(|c| (c.0, c.1, c.3));
        let strengths = strength::sentence_strengths(text, &sentences);
        let mut out = Vec::new();
        let mut i = 0;
        while i < counted.len() {
            let o = counted[i].0;
            let mut j = i;
            let mut score = 0.0f32;
            let mut last_pattern = usize::MAX;
            let mut pattern_weight = 0.0f32;
            while j < counted.len() && counted[j].0 == o {
                let (_, p, w, _) = counted[j];
                if p != last_pattern {
                    score += pattern_weight;
                    last_pattern = p;
                    pattern_weight = w;
                } else {
                    pattern_weight = pattern_weight.max(w);
                }
                j += 1;
            }
            score += pattern_weight;
            let group = &counted[i..j];
            i = j;
            if score + 1e-6 < self.taxonomy.obligations[o as usize].min_score {
                continue;
            }
            // The strongest sentence holding a counted hit; ties go to more hits, then the
            // earlier sentence.
            let mut best: Option<(Strength, usize, usize)> = None;
            for &(_, _, _, hi) in group {
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
            let mut spans: Vec<Range<usize>> = group
                .iter()
                .filter(|g| hits[g.3].sentence == s)
                .map(|g| hits[g.3].start..hits[g.3].end)
                .collect();
            spans.sort_by_key(|r| (r.start, r.end));
            spans.dedup();
            out.push(ClauseMatch {
                obligation: o as usize,
                score: (score * 100.0).round() / 100.0,
                strength,
                sentence,
                hits: spans,
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

    fn cue_counts(&self, text: &str, hits: &[Hit], hi: usize, obligation: u16, cue: u16) -> bool {
        let h = hits[hi];
        let rule = &self.cues[obligation as usize][cue as usize];
        let same_sentence = || hits.iter().filter(move |o| o.sentence == h.sentence);
        if rule.has_near {
            let near = |o: &Hit| self.has_use(o, obligation, |r| r == Role::Near { cue });
            let ok = match rule.window {
                Some(w) => hits
                    .iter()
                    .filter(|o| near(o))
                    .any(|o| char_distance(text, &h, o) <= w as usize),
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

    fn evidence(&self, clause: &Clause, m: ClauseMatch) -> Evidence {
        let text = clause.text.as_str();
        let paragraph = paragraph_of(clause, m.sentence.start);
        let (snippet, hits) = snippet(text, &m.sentence, &m.hits);
        Evidence {
            clause_id: clause.id.clone(),
            label: clause.paragraph_label(paragraph),
            article: clause.label.clone(),
            paragraph,
            ordinal: clause.ordinal,
            score: m.score,
            strength: m.strength,
            snippet,
            hits,
        }
    }
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
            label: format!("第{}条", crate::model::to_chinese(n)),
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
    fn a_document_without_clauses_is_unknown() {
        let r = matcher().match_document(&doc("图书馆条例", Vec::new()));
        assert!(r.unknown.is_some());
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
