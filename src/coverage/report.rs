//! The coverage matrix: documents × obligations, each cell `covered` (with evidence and
//! strength), `gap` (with model clauses from other documents) or `unknown` (a document we
//! could not read is never reported as a gap).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::matcher::{DocMatches, Evidence, Matcher};
use super::strength::Strength;
use crate::model::{ClauseId, SegmentedDoc};

/// The state of one document × obligation cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Covered,
    Gap,
    Unknown,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Covered => "covered",
            State::Gap => "gap",
            State::Unknown => "unknown",
        }
    }
}

/// A document that could not be parsed: every cell is `unknown`.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub doc_id: String,
    pub source: String,
    pub reason: String,
}

/// A model clause offered for a gap: another document's wording of the obligation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub doc_id: String,
    pub title: String,
    pub clause_id: ClauseId,
    pub label: String,
    pub snippet: String,
    pub strength: Strength,
    pub jurisdiction: String,
    pub level: String,
    pub language: String,
    pub score: f32,
    /// Cue hits in the snippet as `[start, end)` character offsets.
    pub hits: Vec<[usize; 2]>,
}

/// One document × obligation.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// The obligation id.
    pub id: String,
    pub state: State,
    /// The strongest evidence's strength; `null` unless covered.
    pub strength: Option<Strength>,
    /// Best first; empty unless covered.
    pub evidence: Vec<Evidence>,
    /// Model clauses from other documents, best first; present for gaps only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Vec<Suggestion>>,
}

/// One row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct DocReport {
    pub doc_id: String,
    pub source: String,
    pub title: String,
    pub jurisdiction: String,
    pub level: String,
    pub language: String,
    /// Why every cell is `unknown`, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    pub covered: usize,
    pub gaps: usize,
    pub obligations: Vec<Cell>,
}

/// An obligation as a column of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub id: String,
    pub title: BTreeMap<String, String>,
    pub basis: String,
}

/// The whole matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub taxonomy: String,
    pub taxonomy_title: BTreeMap<String, String>,
    pub basis: String,
    pub obligations: Vec<Column>,
    pub documents: Vec<DocReport>,
}

impl Report {
    /// Number of cells in each state, over all documents.
    pub fn totals(&self) -> (usize, usize, usize) {
        let mut t = (0, 0, 0);
        for d in &self.documents {
            for c in &d.obligations {
                match c.state {
                    State::Covered => t.0 += 1,
                    State::Gap => t.1 += 1,
                    State::Unknown => t.2 += 1,
                }
            }
        }
        t
    }
}

/// How much of the evidence the report keeps.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    pub max_evidence: usize,
    pub max_suggestions: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            max_evidence: 5,
            max_suggestions: 3,
        }
    }
}

/// A corpus matched against a taxonomy: the source of rows and of model clauses.
pub struct CorpusCoverage<'a> {
    matcher: &'a Matcher,
    docs: &'a [SegmentedDoc],
    matches: Vec<DocMatches>,
    /// Per obligation: (doc, evidence index) of each covering document's strongest clause,
    /// strongest first.
    models: Vec<Vec<(usize, usize)>>,
}

impl<'a> CorpusCoverage<'a> {
    /// Matches every document of the corpus (in parallel).
    pub fn compute(matcher: &'a Matcher, docs: &'a [SegmentedDoc]) -> Self {
        let matches: Vec<DocMatches> = docs.par_iter().map(|d| matcher.match_document(d)).collect();
        let n = matcher.taxonomy().obligations.len();
        let mut models = vec![Vec::new(); n];
        for (di, m) in matches.iter().enumerate() {
            if m.unknown.is_some() {
                continue;
            }
            for (o, list) in m.evidence.iter().enumerate() {
                let best = list
                    .iter()
                    .enumerate()
                    .max_by(|(ia, a), (ib, b)| {
                        a.strength
                            .cmp(&b.strength)
                            .then(a.score.total_cmp(&b.score))
                            .then(ib.cmp(ia))
                    })
                    .map(|(i, _)| i);
                if let Some(i) = best {
                    models[o].push((di, i));
                }
            }
        }
        let mut cov = CorpusCoverage {
            matcher,
            docs,
            matches,
            models,
        };
        cov.sort_models();
        cov
    }

    fn sort_models(&mut self) {
        let matches = &self.matches;
        let docs = self.docs;
        for (o, list) in self.models.iter_mut().enumerate() {
            list.sort_by(|&(da, ea), &(db, eb)| {
                let a = &matches[da].evidence[o][ea];
                let b = &matches[db].evidence[o][eb];
                b.strength
                    .cmp(&a.strength)
                    .then(b.score.total_cmp(&a.score))
                    .then(docs[da].info.id.cmp(&docs[db].info.id))
            });
        }
    }

    pub fn docs(&self) -> &[SegmentedDoc] {
        self.docs
    }

    /// The matrix for the corpus documents at `rows` (indices into the corpus), plus
    /// `unreadable` documents as rows of `unknown`.
    pub fn report(&self, rows: &[usize], unreadable: &[Unreadable], opts: ReportOptions) -> Report {
        let targets: Vec<(&SegmentedDoc, &DocMatches)> = rows
            .iter()
            .filter_map(|&i| Some((self.docs.get(i)?, self.matches.get(i)?)))
            .collect();
        self.build(&targets, unreadable, opts)
    }

    /// The report for documents outside the corpus (a draft): matched the same way, with
    /// model clauses from the corpus.
    pub fn report_external(
        &self,
        docs: &[SegmentedDoc],
        unreadable: &[Unreadable],
        opts: ReportOptions,
    ) -> Report {
        let matches: Vec<DocMatches> = docs
            .iter()
            .map(|d| self.matcher.match_document(d))
            .collect();
        let targets: Vec<(&SegmentedDoc, &DocMatches)> = docs.iter().zip(&matches).collect();
        self.build(&targets, unreadable, opts)
    }

    fn build(
        &self,
        targets: &[(&SegmentedDoc, &DocMatches)],
        unreadable: &[Unreadable],
        opts: ReportOptions,
    ) -> Report {
        let tax = self.matcher.taxonomy();
        // Model clauses depend only on the row's language and level, so rank them once per
        // (obligation, language, level) and drop the row's own document afterwards.
        let mut ranked: HashMap<(usize, &str, &str), Vec<usize>> = HashMap::new();
        for (d, m) in targets {
            if m.unknown.is_some() {
                continue;
            }
            for (o, ev) in m.evidence.iter().enumerate() {
                if self.is_covered(o, ev) {
                    continue;
                }
                let key = (o, d.info.language.as_str(), d.info.level.as_str());
                ranked
                    .entry(key)
                    .or_insert_with(|| self.rank_models(o, key.1, key.2, opts.max_suggestions + 1));
            }
        }
        let mut documents: Vec<DocReport> = targets
            .par_iter()
            .map(|(d, m)| self.row(d, m, &ranked, opts))
            .collect();
        for u in unreadable {
            documents.push(DocReport {
                doc_id: u.doc_id.clone(),
                source: u.source.clone(),
                title: String::new(),
                jurisdiction: String::new(),
                level: String::new(),
                language: String::new(),
                unknown: Some(u.reason.clone()),
                covered: 0,
                gaps: 0,
                obligations: tax
                    .obligations
                    .iter()
                    .map(|o| Cell {
                        id: o.id.clone(),
                        state: State::Unknown,
                        strength: None,
                        evidence: Vec::new(),
                        suggestions: None,
                    })
                    .collect(),
            });
        }
        Report {
            taxonomy: tax.id.clone(),
            taxonomy_title: tax.title.clone(),
            basis: tax.basis.clone(),
            obligations: tax
                .obligations
                .iter()
                .map(|o| Column {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    basis: o.basis.clone(),
                })
                .collect(),
            documents,
        }
    }

    fn is_covered(&self, o: usize, evidence: &[Evidence]) -> bool {
        let min = self.matcher.taxonomy().obligations[o].min_score;
        evidence.iter().any(|e| e.score + 1e-6 >= min)
    }

    fn row(
        &self,
        d: &SegmentedDoc,
        m: &DocMatches,
        ranked: &HashMap<(usize, &str, &str), Vec<usize>>,
        opts: ReportOptions,
    ) -> DocReport {
        let tax = self.matcher.taxonomy();
        let mut cells = Vec::with_capacity(tax.obligations.len());
        let (mut covered, mut gaps) = (0, 0);
        for (o, ob) in tax.obligations.iter().enumerate() {
            let ev = m.evidence.get(o).map(Vec::as_slice).unwrap_or(&[]);
            let cell = if m.unknown.is_some() {
                Cell {
                    id: ob.id.clone(),
                    state: State::Unknown,
                    strength: None,
                    evidence: Vec::new(),
                    suggestions: None,
                }
            } else if self.is_covered(o, ev) {
                covered += 1;
                Cell {
                    id: ob.id.clone(),
                    state: State::Covered,
                    strength: ev.iter().map(|e| e.strength).max(),
                    evidence: ev.iter().take(opts.max_evidence).cloned().collect(),
                    suggestions: None,
                }
            } else {
                gaps += 1;
                let key = (o, d.info.language.as_str(), d.info.level.as_str());
                let suggestions = ranked
                    .get(&key)
                    .map(|list| {
                        list.iter()
                            .filter(|&&mi| self.docs[self.models[o][mi].0].info.id != d.info.id)
                            .take(opts.max_suggestions)
                            .map(|&mi| self.suggestion(o, mi))
                            .collect()
                    })
                    .unwrap_or_default();
                Cell {
                    id: ob.id.clone(),
                    state: State::Gap,
                    strength: None,
                    evidence: Vec::new(),
                    suggestions: Some(suggestions),
                }
            };
            cells.push(cell);
        }
        DocReport {
            doc_id: d.info.id.clone(),
            source: d.info.source.clone(),
            title: d.info.title.clone(),
            jurisdiction: d.info.jurisdiction.clone(),
            level: d.info.level.clone(),
            language: d.info.language.clone(),
            unknown: m.unknown.clone(),
            covered,
            gaps,
            obligations: cells,
        }
    }

    /// Indices into `models[o]`, best first for a row in `language` at `level`: the same
    /// language before others (the same primary language, zh-Hans/zh-Hant, in between), then
    /// national and same-level documents before others, then strength and score (the order
    /// `models` is already in).
    fn rank_models(&self, o: usize, language: &str, level: &str, per_class: usize) -> Vec<usize> {
        let primary = |l: &str| l.split('-').next().unwrap_or("").to_ascii_lowercase();
        let mut classes: [Vec<usize>; 6] = Default::default();
        for (mi, &(di, _)) in self.models[o].iter().enumerate() {
            let info = &self.docs[di].info;
            let lang_class = if info.language == language {
                0
            } else if !language.is_empty() && primary(&info.language) == primary(language) {
                1
            } else {
                2
            };
            let level_class = usize::from(
                !(info.level == "national" || (!level.is_empty() && info.level == level)),
            );
            let c = &mut classes[lang_class * 2 + level_class];
            if c.len() < per_class {
                c.push(mi);
            }
        }
        classes.into_iter().flatten().collect()
    }

    fn suggestion(&self, o: usize, mi: usize) -> Suggestion {
        let (di, ei) = self.models[o][mi];
        let info = &self.docs[di].info;
        let e = &self.matches[di].evidence[o][ei];
        Suggestion {
            doc_id: info.id.clone(),
            title: info.title.clone(),
            clause_id: e.clause_id.clone(),
            label: e.label.clone(),
            snippet: e.snippet.clone(),
            strength: e.strength,
            jurisdiction: info.jurisdiction.clone(),
            level: info.level.clone(),
            language: info.language.clone(),
            score: e.score,
            hits: e.hits.clone(),
        }
    }
}
