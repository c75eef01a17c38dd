//! The coverage matrix: documents × obligations, each cell `covered` (with evidence and
//! strength), `gap` (with model clauses from other documents), `not-applicable` (the document
//! never names the subject: see [`super::scope`]) or `unknown` (a document we could not read
//! is never reported as a gap). Covered and gap cells say how sure they are.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use super::matcher::{Confidence, DocMatches, Evidence, Matcher};
use super::scope::Scope;
use super::strength::Strength;
use crate::model::{ClauseId, SegmentedDoc};
use crate::work::{Scope as Versions, Works};

/// The state of one document × obligation cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Covered,
    Gap,
    /// The document is out of the taxonomy's scope: it never names the subject.
    NotApplicable,
    Unknown,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Covered => "covered",
            State::Gap => "gap",
            State::NotApplicable => "not-applicable",
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
    pub confidence: Confidence,
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
    /// `firm` or `borderline` for covered and gap cells; `null` otherwise.
    pub confidence: Option<Confidence>,
    /// Why the cell is `not-applicable`, a borderline gap (a cue occurs that no clause states,
    /// or the document's scope is in doubt), or a gap in a document that regulates the subject
    /// only in part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
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
    /// The law the document is a text of and its version (`lawdex show WORK`); absent for a
    /// draft and an unreadable document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `in-force`, `superseded`, `repealed` or `draft`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_status: Option<String>,
    /// Why every cell is `unknown`, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    /// `primary`, `partial` or `none` (`null` when unknown).
    pub scope: Option<Scope>,
    /// Why the document has its scope.
    pub scope_reason: String,
    /// How sure the scope is: `borderline` when the document is `partial` only through
    /// mentions a reader may not take as regulating the subject (`scope_doubt` says which),
    /// and then every cell is borderline; `firm` otherwise; `null` when unknown.
    pub scope_confidence: Option<Confidence>,
    /// Why the scope is in doubt, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_doubt: Option<String>,
    pub covered: usize,
    pub gaps: usize,
    pub not_applicable: usize,
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

/// Cells in each state, and documents out of scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub covered: usize,
    pub gaps: usize,
    pub unknown: usize,
    pub not_applicable: usize,
    /// Documents of scope `none`.
    pub out_of_scope: usize,
}

impl Report {
    /// Number of cells in each state, over all documents.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for d in &self.documents {
            t.out_of_scope += usize::from(d.scope == Some(Scope::None));
            for c in &d.obligations {
                match c.state {
                    State::Covered => t.covered += 1,
                    State::Gap => t.gaps += 1,
                    State::Unknown => t.unknown += 1,
                    State::NotApplicable => t.not_applicable += 1,
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
    /// Model clauses per gap; 0 leaves `suggestions` out of the report.
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
    /// Per obligation: (doc, evidence index) of each in-scope covering document's best clause,
    /// best first (see [`model_order`]). Only the main copy of each law's version in force
    /// offers models: a superseded text or another format of the same one would repeat it.
    models: Vec<Vec<(usize, usize)>>,
    /// The corpus's documents grouped into works (laws across versions and copies).
    works: Works,
}

/// Rank of a level for model clauses: a national statute is the model a drafter cites first.
fn level_rank(level: &str) -> u8 {
    match level {
        "national" => 0,
        "provincial" => 1,
        "municipal" => 2,
        _ => 3,
    }
}

/// How squarely a clause states an obligation, best first: firm before borderline, specific
/// before general, a document about the subject throughout before one that names it in
/// passing, then the score (distinct cues: a clause that names one cue in passing, such as a
/// donor-naming rule's 社会公共利益, is no model for the whole duty), stronger before weaker,
/// national before provincial before municipal.
type ModelKey = (
    Confidence,
    bool,
    Scope,
    i64,
    Strength,
    std::cmp::Reverse<u8>,
);

fn model_key(e: &Evidence, scope: Scope, level: &str) -> ModelKey {
    (
        e.confidence,
        !e.general,
        scope,
        (e.score * 100.0).round() as i64,
        e.strength,
        std::cmp::Reverse(level_rank(level)),
    )
}

impl<'a> CorpusCoverage<'a> {
    /// Matches every document of the corpus (in parallel).
    pub fn compute(matcher: &'a Matcher, docs: &'a [SegmentedDoc]) -> Self {
        let matches: Vec<DocMatches> = docs.par_iter().map(|d| matcher.match_document(d)).collect();
        let n = matcher.taxonomy().obligations.len();
        let works = Works::group(docs.iter().map(|d| &d.info));
        let not_current = works.excluded(Versions::Current);
        let mut models = vec![Vec::new(); n];
        for (di, m) in matches.iter().enumerate() {
            if m.unknown.is_some()
                || m.scope == Scope::None
                || not_current.contains(&docs[di].info.id)
            {
                continue;
            }
            for (o, list) in m.evidence.iter().enumerate() {
                // The document's own best evidence (its cell's order, which the labelled
                // top-evidence figure measures), firm if it has any.
                let best = list
                    .iter()
                    .position(|e| e.confidence == Confidence::Firm)
                    .or((!list.is_empty()).then_some(0));
                if let Some(i) = best {
                    models[o].push((di, i));
                }
            }
        }
        for (o, list) in models.iter_mut().enumerate() {
            list.sort_by(|&(da, ea), &(db, eb)| {
                let a = &matches[da].evidence[o][ea];
                let b = &matches[db].evidence[o][eb];
                model_key(b, matches[db].scope, &docs[db].info.level)
                    .cmp(&model_key(a, matches[da].scope, &docs[da].info.level))
                    .then(docs[da].info.id.cmp(&docs[db].info.id))
            });
        }
        CorpusCoverage {
            matcher,
            docs,
            matches,
            models,
            works,
        }
    }

    /// The corpus's documents grouped into works, versions and copies.
    pub fn works(&self) -> &Works {
        &self.works
    }

    pub fn docs(&self) -> &[SegmentedDoc] {
        self.docs
    }

    /// The matcher's findings for corpus document `i`.
    pub fn matches(&self, i: usize) -> Option<&DocMatches> {
        self.matches.get(i)
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
        // Model clauses depend only on the row's language, so rank them once per (obligation,
        // language) and drop the row's own document afterwards.
        let mut ranked: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
        if opts.max_suggestions > 0 {
            for (d, m) in targets {
                if m.unknown.is_some() || m.scope == Scope::None {
                    continue;
                }
                for (o, ev) in m.evidence.iter().enumerate() {
                    if self.is_covered(o, ev) {
                        continue;
                    }
                    let key = (o, d.info.language.as_str());
                    ranked
                        .entry(key)
                        .or_insert_with(|| self.rank_models(o, key.1, opts.max_suggestions + 1));
                }
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
                work: None,
                version: None,
                version_status: None,
                unknown: Some(u.reason.clone()),
                scope: None,
                scope_reason: String::new(),
                scope_confidence: None,
                scope_doubt: None,
                covered: 0,
                gaps: 0,
                not_applicable: 0,
                obligations: tax
                    .obligations
                    .iter()
                    .map(|o| Cell::bare(&o.id, State::Unknown))
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
        ranked: &HashMap<(usize, &str), Vec<usize>>,
        opts: ReportOptions,
    ) -> DocReport {
        let tax = self.matcher.taxonomy();
        // A draft has an id of its own: only a corpus document belongs to a work here.
        let place = self
            .docs
            .iter()
            .any(|c| std::ptr::eq(c, d))
            .then(|| self.works.of(&d.info.id))
            .flatten();
        let mut cells = Vec::with_capacity(tax.obligations.len());
        let doubt = m.scope_doubt.is_some();
        let (mut covered, mut gaps, mut not_applicable) = (0, 0, 0);
        for (o, ob) in tax.obligations.iter().enumerate() {
            let ev = m.evidence.get(o).map(Vec::as_slice).unwrap_or(&[]);
            let cell = if m.unknown.is_some() {
                Cell::bare(&ob.id, State::Unknown)
            } else if m.scope == Scope::None {
                not_applicable += 1;
                Cell {
                    reason: Some(format!("out of scope: {}", m.scope_reason)),
                    ..Cell::bare(&ob.id, State::NotApplicable)
                }
            } else if self.is_covered(o, ev) {
                covered += 1;
                // (In a document whose scope is in doubt no evidence is firm: `scope_doubt`.)
                let firm = ev.iter().any(|e| e.confidence == Confidence::Firm);
                Cell {
                    strength: ev.iter().map(|e| e.strength).max(),
                    confidence: Some(if firm {
                        Confidence::Firm
                    } else {
                        Confidence::Borderline
                    }),
                    evidence: ev.iter().take(opts.max_evidence).cloned().collect(),
                    ..Cell::bare(&ob.id, State::Covered)
                }
            } else {
                gaps += 1;
                // Borderline only where a cue occurs that no clause states: on the development
                // splits those gaps are right 0.77 of the time, gaps with no cue in a partial
                // document 0.93 (in a primary one 0.83, all misses in non-Chinese acts). That
                // the document regulates libraries only in part is said, not doubted.
                let near = m.near_miss.get(o).copied().unwrap_or(false);
                let confidence = if near || doubt {
                    Confidence::Borderline
                } else {
                    Confidence::Firm
                };
                let reason = if doubt && !near {
                    Some(
                        "the document may not regulate the subject at all: its scope is in doubt"
                            .to_string(),
                    )
                } else if near {
                    Some("a cue of it occurs but no clause states it".to_string())
                } else if m.scope == Scope::Partial {
                    Some(format!(
                        "the document regulates the subject only in part ({})",
                        m.scope_reason
                    ))
                } else {
                    None
                };
                let suggestions = (opts.max_suggestions > 0).then(|| {
                    self.suggestions_for(o, d, ranked.get(&(o, d.info.language.as_str())), opts)
                });
                Cell {
                    confidence: Some(confidence),
                    reason,
                    suggestions,
                    ..Cell::bare(&ob.id, State::Gap)
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
            work: place.map(|(w, _)| w.id.clone()),
            version: place.map(|(_, v)| v.label.clone()),
            version_status: place.map(|(_, v)| v.status.name().to_string()),
            unknown: m.unknown.clone(),
            scope: m.unknown.is_none().then_some(m.scope),
            scope_reason: m.scope_reason.clone(),
            scope_confidence: m.unknown.is_none().then_some(if doubt {
                Confidence::Borderline
            } else {
                Confidence::Firm
            }),
            scope_doubt: m.scope_doubt.clone(),
            covered,
            gaps,
            not_applicable,
            obligations: cells,
        }
    }

    /// Model clauses for one gap: never from the row's own law (its document, another version
    /// or copy of it), never the same article of one law twice, never the same wording twice.
    fn suggestions_for(
        &self,
        o: usize,
        d: &SegmentedDoc,
        ranked: Option<&Vec<usize>>,
        opts: ReportOptions,
    ) -> Vec<Suggestion> {
        let mut seen: Vec<String> = Vec::new();
        let mut articles: HashSet<(String, String)> = HashSet::new();
        let work_of = |id: &str| self.works.of(id).map(|(w, _)| w.id.clone());
        let own_work = work_of(&d.info.id);
        let mut out = Vec::new();
        for &mi in ranked.map(Vec::as_slice).unwrap_or(&[]) {
            if out.len() == opts.max_suggestions {
                break;
            }
            let (di, ei) = self.models[o][mi];
            let model_work = work_of(&self.docs[di].info.id);
            if self.docs[di].info.id == d.info.id || (own_work.is_some() && model_work == own_work)
            {
                continue;
            }
            let e = &self.matches[di].evidence[o][ei];
            let article = e
                .clause_id
                .as_str()
                .split_once('/')
                .map_or(e.clause_id.as_str(), |(_, rest)| rest)
                .split("/para")
                .next()
                .unwrap_or("")
                .to_string();
            let work = model_work.unwrap_or_else(|| self.docs[di].info.id.clone());
            if !articles.insert((work, article)) {
                continue;
            }
            let text = same_text_key(&e.snippet);
            if seen.contains(&text) {
                continue;
            }
            seen.push(text);
            out.push(self.suggestion(o, mi));
        }
        out
    }

    /// Indices into `models[o]`, best first for a row in `language`: the same language before
    /// others (the same primary language, zh-Hans/zh-Hant, in between), then the order of
    /// `models` (how squarely, strength, level). Keeps enough per class to survive dropping
    /// the row's own document and repeated wordings.
    fn rank_models(&self, o: usize, language: &str, want: usize) -> Vec<usize> {
        let primary = |l: &str| l.split('-').next().unwrap_or("").to_ascii_lowercase();
        let per_class = want * 4;
        let mut classes: [Vec<usize>; 3] = Default::default();
        for (mi, &(di, _)) in self.models[o].iter().enumerate() {
            let info = &self.docs[di].info;
            let class = if info.language == language {
                0
            } else if !language.is_empty() && primary(&info.language) == primary(language) {
                1
            } else {
                2
            };
            if classes[class].len() < per_class {
                classes[class].push(mi);
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
            confidence: e.confidence,
            jurisdiction: info.jurisdiction.clone(),
            level: info.level.clone(),
            language: info.language.clone(),
            score: e.score,
            hits: e.hits.clone(),
        }
    }
}

/// A snippet reduced to its characters (no spaces, no punctuation differences), to tell two
/// copies of one article apart from two articles.
fn same_text_key(snippet: &str) -> String {
    snippet
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
}

impl Cell {
    fn bare(id: &str, state: State) -> Cell {
        Cell {
            id: id.to_string(),
            state,
            strength: None,
            confidence: None,
            reason: None,
            evidence: Vec::new(),
            suggestions: None,
        }
    }
}

/// Obligations whose state differs between two texts of a document (an old and a new
/// version), as (obligation id, state before, state after): what an amendment did to coverage.
/// The ingest change report and `lawdex show WORK` both read it.
pub fn moves(
    matcher: &Matcher,
    old: &SegmentedDoc,
    new: &SegmentedDoc,
) -> Vec<(String, State, State)> {
    let docs = [old.clone(), new.clone()];
    let corpus = CorpusCoverage::compute(matcher, &docs);
    let report = corpus.report(
        &[0, 1],
        &[],
        ReportOptions {
            max_evidence: 0,
            max_suggestions: 0,
        },
    );
    let [before, after] = report.documents.as_slice() else {
        return Vec::new();
    };
    before
        .obligations
        .iter()
        .zip(&after.obligations)
        .filter(|(a, b)| a.state != b.state)
        .map(|(a, b)| (a.id.clone(), a.state, b.state))
        .collect()
}
