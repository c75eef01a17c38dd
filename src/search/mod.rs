//! Search: ranked clauses with citations, highlighted snippets and facet counts.
//!
//! ```no_run
//! use lawdex::search::{Query, Searcher};
//! let searcher = Searcher::open("lawdex-data".as_ref())?;
//! let results = searcher.search(&Query::parse("公共图书馆 免费")?)?;
//! for hit in &results.hits {
//!     println!("{} {}", hit.citation(), hit.snippet.plain());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! All words must match (AND). When nothing matches all of them and the words were simply
//! listed (no operators), the search is relaxed to clauses that match at least half of them,
//! and [`Results::relaxed`] says so: a natural-language question still finds its clauses,
//! while a query whose words never meet (图书馆员 工会 罢工) answers nothing.
//!
//! Words that are terms of the synonym table ([`Thesaurus`], `synonyms.toml`) also find their
//! synonyms, ranked below the word as typed: 视障 finds 视力残疾 and 盲人, "disabled" finds
//! "individuals with disabilities". Quoted phrases, `+word` and `-word` are taken as typed,
//! and [`Query::exact`] turns expansion off.

mod citation;
mod compile;
mod exclude;
pub mod expand;
mod facets;
mod feedback;
pub mod query;
pub mod record;
pub mod snippet;
mod versions;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, Query as TantivyQuery, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexReader, TantivyDocument, Term};

pub use expand::{Relation, Synonym, Thesaurus, ThesaurusError};
pub use facets::Facets;
pub use query::{Expr, QueryError};
pub use snippet::{Fragment, Highlighter, Snippet};
pub use versions::Related;

pub use crate::work::Scope;

use crate::index::{self, ClauseIndex, IndexError};
use crate::model::{Clause, DocInfo};
use crate::work::Works;

/// Width of a snippet in display columns (a CJK character is two).
const SNIPPET_WIDTH: usize = 120;

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The user's query is malformed: a user error, not an internal one.
    #[error("malformed query: {0}")]
    Query(#[from] QueryError),
    #[error("bad filter: {0}")]
    Filter(String),
    /// A filter names a value no document can have: a typo, not an empty answer.
    #[error("{filter} {value:?}: {detail}")]
    UnknownValue {
        /// The filter as the command line names it (`level`, `doc`).
        filter: &'static str,
        value: String,
        detail: String,
    },
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// An inclusive range of years; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearRange {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl FromStr for YearRange {
    type Err = String;

    /// `2018`, `2010..2020`, `2010..`, `..2020`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("year {s:?} is not YEAR or FROM..TO (e.g. 2018 or 2010..2020)");
        let year = |t: &str| -> Result<Option<i32>, String> {
            let t = t.trim();
            if t.is_empty() {
                Ok(None)
            } else {
                t.parse().map(Some).map_err(|_| bad())
            }
        };
        let range = match s.split_once("..") {
            Some((a, b)) => YearRange {
                from: year(a)?,
                to: year(b.strip_prefix('=').unwrap_or(b))?,
            },
            None => {
                let y = year(s)?.ok_or_else(bad)?;
                YearRange {
                    from: Some(y),
                    to: Some(y),
                }
            }
        };
        if let (Some(a), Some(b)) = (range.from, range.to) {
            if a > b {
                return Err(format!("year range {s:?} ends before it starts"));
            }
        }
        Ok(range)
    }
}

/// Restrictions on which clauses may be hits. Several values of one filter are alternatives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Prefix match on ISO 3166: `CN` matches `CN` and `CN-SH`.
    pub jurisdictions: Vec<String>,
    pub levels: Vec<String>,
    pub kinds: Vec<String>,
    /// Prefix match on BCP 47: `zh` matches `zh-Hans` and `zh-Hant`.
    pub languages: Vec<String>,
    pub statuses: Vec<String>,
    pub years: Option<YearRange>,
    /// Document ids.
    pub docs: Vec<String>,
}

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The query as typed.
    pub text: String,
    pub expr: Expr,
    pub filters: Filters,
    /// Most hits returned.
    pub limit: usize,
    /// Count hits per jurisdiction, level and year.
    pub facets: bool,
    /// Words only as typed: no synonyms.
    pub exact: bool,
    /// Which versions of each law are searched: the one in force (default: one hit per
    /// article, its copies and other versions listed on the hit), the one in force on a day,
    /// or all. Documents named in [`Filters::docs`] are searched whatever the scope.
    pub scope: Scope,
}

impl Query {
    /// Parses a query with no filters, 10 hits and no facets.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        // Composed, as the laws' texts are: a Vietnamese word typed with combining marks
        // (thông as t-h-o-^-n-g plus marks) is the same word.
        use unicode_normalization::UnicodeNormalization;
        let text: String = text.nfc().collect();
        Ok(Query {
            expr: query::parse(&text)?,
            text,
            filters: Filters::default(),
            limit: 10,
            facets: false,
            exact: false,
            scope: Scope::Current,
        })
    }
}

/// The ranking knobs that are numbers, measured in benches/RESULTS-search.md and
/// RESULTS-synonyms.md. The defaults are the chosen values; other values exist to compare.
/// (Choices that lost a measurement, such as jieba for query splitting, relaxing to any word,
/// keeping stop words or matching CJK runs only as typed, were removed, not kept as knobs.)
#[derive(Debug, Clone, PartialEq)]
pub struct Tuning {
    /// Weight of the bigram (exact characters) match against the jieba word match.
    pub grams_boost: f32,
    /// Weight of a synonym against the word as typed (0: no expansion).
    pub synonym_weight: f32,
    /// How much the other forms of a word count when a clause holds several (the typed word
    /// and synonyms, or several synonyms): 0 = only the best one, 1 = all of them (a sum).
    pub synonym_tie_breaker: f32,
    /// Weight of a translation (a term of the same concept in another language) against the
    /// word as typed (0: searches stay in the language typed).
    pub translation_weight: f32,
    /// Share of a synonym's weight that a narrower term gets (盲人 for 视障, "blind" for
    /// "visually impaired"): 1 = as an equivalent.
    pub narrower_weight: f32,
    /// How many of the best hits feed back their shared words to the partial hits (0: none).
    pub feedback_docs: usize,
    /// How many of those words.
    pub feedback_terms: usize,
    /// Weight of the feedback score, relative to its best hit's, against the best partial
    /// hit's score.
    pub feedback_weight: f32,
    /// Weight of a word found in the headings of the divisions enclosing a clause against
    /// one in the clause itself (0: headings are not searched).
    pub heading_weight: f32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            grams_boost: 0.5,
            synonym_weight: 0.8,
            synonym_tie_breaker: 0.1,
            translation_weight: 0.2,
            narrower_weight: 0.75,
            feedback_docs: 6,
            feedback_terms: 10,
            feedback_weight: 0.2,
            heading_weight: 0.1,
        }
    }
}

/// One ranked clause.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub clause_id: String,
    pub doc_id: String,
    /// The path or URL the document came from.
    pub source: String,
    /// The citation label, at paragraph level when every match is in one paragraph
    /// (第三十三条第二款), else the clause's (第三十三条).
    pub label: String,
    /// The clause's own label.
    pub clause_label: String,
    /// 1-based paragraph cited by `label`, if any.
    pub paragraph: Option<usize>,
    pub title: String,
    pub score: f32,
    #[serde(skip)]
    pub snippet: Snippet,
    pub jurisdiction: String,
    pub level: String,
    pub kind: String,
    pub language: String,
    pub status: String,
    pub year: Option<i32>,
    pub headings: Vec<String>,
    /// The headings with the query's matches marked, one per heading: a word may match only
    /// there, and the reader should see which.
    #[serde(skip)]
    pub heading_marks: Vec<Snippet>,
    /// False for hits of a relaxed search, which match only part of the words.
    pub all_words: bool,
    /// True when the clause matches some word only through a translation (a term of the same
    /// concept in another language): ranked after the clauses with every word as typed.
    pub translated: bool,
    /// The work (law) the document is a text of, its version label and the version's status
    /// (`in-force`, `superseded`, `repealed`, `draft`).
    pub work: Option<String>,
    pub version: Option<String>,
    pub version_status: Option<String>,
    /// The same article in the other copies of this version (other formats).
    pub copies: Vec<Related>,
    /// The same article in the other versions of the work (their main copy), with whether it
    /// reads the same.
    pub versions: Vec<Related>,
}

impl Hit {
    /// 《title》label, e.g. 《中华人民共和国公共图书馆法》第三十三条第二款; English titles are
    /// not wrapped in Chinese brackets.
    pub fn citation(&self) -> String {
        crate::model::citation(&self.title, &self.label)
    }
}

/// A word of the query that the synonym table expanded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpandedWord {
    /// As typed (words of one concept joined by " / ").
    pub word: String,
    /// What it also searched for, best relation first.
    pub synonyms: Vec<Synonym>,
}

/// What a query read as a citation found: the provision as read, and in each document found
/// its clause, the paragraph cited if the clause has it, and whether it lacks the one cited.
struct CitedOutcome {
    shown: String,
    found: Vec<(Clause, Option<usize>, bool)>,
}

/// Most documents a citation's title is looked up in (a title part such as 图书馆条例 names
/// many laws; a citation names one, or a few).
const CITED_DOCS: usize = 200;

/// A word of the query that no clause has, read as the indexed word one typo away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// As typed: `libary`.
    pub typed: String,
    /// The word searched for instead: `library`.
    pub read_as: String,
}

/// A word of the query read as the jurisdiction it names (澳大利亚, "Australia's", 上海市):
/// the search was restricted to that jurisdiction instead of requiring the word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceWord {
    /// As typed.
    pub word: String,
    /// ISO 3166 code, matched as a prefix like `--jurisdiction`.
    pub jurisdiction: String,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Clauses matching every word in the language typed (or through its synonyms), not just
    /// those returned.
    pub total: usize,
    /// Clauses matching every word only through translations, counted when there was room
    /// after the `total` ones; 0 otherwise.
    pub translated_total: usize,
    /// Clauses matching part of the words, counted when the search was relaxed (no
    /// clause has every word, or fewer than the limit do); 0 otherwise.
    pub partial_total: usize,
    /// True when some hits match only part of the words (see [`Hit::all_words`]).
    pub relaxed: bool,
    pub facets: Option<Facets>,
    /// Words searched for with their synonyms too (empty with [`Query::exact`]).
    pub expansions: Vec<ExpandedWord>,
    /// Words read as jurisdictions (only without [`Query::exact`] and `--jurisdiction`).
    pub places: Vec<PlaceWord>,
    /// Words no clause has, searched as the indexed word one typo away (`libary` → library).
    pub corrections: Vec<Correction>,
    /// The provision the query was read as citing (第三十三条第二款, §9141(a)), when it is a
    /// citation that names an indexed law (公共图书馆法第三十三条第二款, 20 U.S.C. 9141(a)):
    /// the hits are that provision in each law the title names, not clauses with its words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited: Option<String>,
    /// The provision the query was read as citing when no law its title names has it (under
    /// the filters and versions searched): the query was then searched for its words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited_not_found: Option<String>,
    /// Of the hits of a citation naming a paragraph, how many lack that paragraph (their
    /// whole article is given).
    #[serde(skip_serializing_if = "is_zero")]
    pub whole_articles: usize,
    #[serde(skip)]
    pub elapsed: Duration,
}

pub(crate) fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A clause found, before it is read.
struct Ranked {
    score: f32,
    address: tantivy::DocAddress,
    all_words: bool,
    translated: bool,
}

/// A document as its hits need it.
struct Known {
    info: DocInfo,
    /// Work, version label and status of a document alone in its work (see
    /// [`crate::work::alone`]); `None` for one of a work of several documents.
    alone: Option<(String, String, crate::work::VersionStatus)>,
}

/// An open index, ready to search. Cheap to query many times; open it once.
pub struct Searcher {
    index: ClauseIndex,
    reader: IndexReader,
    tuning: Tuning,
    /// `None`: the built-in table, parsed on the first search that expands (~2 ms), so
    /// `--exact` does not pay for it.
    thesaurus: Option<Arc<Thesaurus>>,
    /// Document infos read so far: stored once per document, needed by every hit.
    infos: Mutex<HashMap<String, Arc<Known>>>,
    /// Works, versions and copies of every document, grouped on the first search, and the
    /// clauses a search of the versions in force leaves out.
    works: OnceLock<(Arc<Works>, exclude::Documents)>,
    /// Every document grouped, read from every record when `--as-of` asks.
    all_works: OnceLock<Arc<Works>>,
    /// Every document's id and folded title, read on the first query that is a citation.
    titles: OnceLock<Arc<Vec<(String, String)>>>,
    /// Documents of other versions read to compare a hit's article with theirs.
    versions: versions::Cache,
    /// The facet columns of every segment, opened once.
    facet_columns: OnceLock<facets::Columns>,
    /// Document frequencies the queries looked up (the reader is one snapshot).
    dfs: compile::DocFreqs,
}

impl Searcher {
    /// Opens the index in `dir` (an index directory or a data directory).
    pub fn open(dir: &Path) -> Result<Searcher, SearchError> {
        let index = ClauseIndex::open(dir)?;
        let reader = index.reader()?;
        Ok(Searcher {
            index,
            reader,
            tuning: Tuning::default(),
            thesaurus: None,
            infos: Mutex::new(HashMap::new()),
            works: OnceLock::new(),
            all_works: OnceLock::new(),
            titles: OnceLock::new(),
            versions: versions::Cache::default(),
            facet_columns: OnceLock::new(),
            dfs: Default::default(),
        })
    }

    /// Replaces the ranking knobs (for measurements).
    pub fn with_tuning(mut self, tuning: Tuning) -> Self {
        self.tuning = tuning;
        self
    }

    /// Replaces the synonym table (the built-in one by default).
    pub fn with_thesaurus(mut self, thesaurus: Thesaurus) -> Self {
        self.thesaurus = Some(Arc::new(thesaurus));
        self
    }

    /// The open index (for `show`: documents and clauses by id).
    pub fn index(&self) -> &ClauseIndex {
        &self.index
    }

    /// Checks that every filter value is one a document can have, so a typo (`--level
    /// planet`, `--doc nosuch`) is an error naming the value and the known ones instead of an
    /// empty answer. Levels, kinds and statuses must be documented values or ones in the
    /// index; jurisdictions and languages are checked for syntax only (a well-formed code that
    /// nothing has simply finds nothing); document ids must be indexed.
    pub fn check_filters(&self, f: &Filters) -> Result<(), SearchError> {
        let fields = self.index.fields();
        let lower = |v: &String| v.trim().to_lowercase();
        let vocab = [
            ("level", &f.levels, fields.level, LEVELS),
            ("kind", &f.kinds, fields.kind, KINDS),
            ("status", &f.statuses, fields.status, STATUSES),
        ];
        for (flag, values, field, documented) in vocab {
            if values.is_empty() {
                continue;
            }
            let mut known = self.indexed_values(field)?;
            known.extend(documented.iter().map(|s| s.to_string()));
            known.remove("");
            if let Some(bad) = values.iter().find(|v| !known.contains(&lower(v))) {
                let list: Vec<&str> = known.iter().map(String::as_str).collect();
                return Err(SearchError::UnknownValue {
                    filter: flag,
                    value: bad.clone(),
                    detail: format!("unknown {flag}; known: {}", list.join(", ")),
                });
            }
        }
        for (flag, values, what) in [
            (
                "jurisdiction",
                &f.jurisdictions,
                "an ISO 3166 code such as CN, CN-SH or US",
            ),
            (
                "lang",
                &f.languages,
                "a BCP 47 tag such as zh, zh-Hant or en",
            ),
        ] {
            if let Some(bad) = values.iter().find(|v| !is_code(v.trim())) {
                return Err(SearchError::UnknownValue {
                    filter: flag,
                    value: bad.clone(),
                    detail: format!("not {what}"),
                });
            }
        }
        if !f.docs.is_empty() {
            let ids = self.indexed_values(fields.record_id)?;
            if let Some(bad) = f.docs.iter().find(|d| !ids.contains(d.trim())) {
                let close = close_ids(bad.trim(), &ids);
                let hint = if !close.is_empty() {
                    format!("did you mean {}?", close.join(", "))
                } else if ids.is_empty() {
                    "the index holds no documents".to_string()
                } else if ids.len() <= MAX_IDS_NAMED {
                    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
                    format!("indexed: {}", known.join(", "))
                } else {
                    format!(
                        "{} indexed, none like it (`{LIST_IDS}` lists every id)",
                        crate::model::count(ids.len(), "document", "documents")
                    )
                };
                return Err(SearchError::UnknownValue {
                    filter: "doc",
                    value: bad.clone(),
                    detail: format!("no document with this id is indexed; {hint}"),
                });
            }
        }
        Ok(())
    }

    /// Every value indexed in a keyword field.
    fn indexed_values(
        &self,
        field: tantivy::schema::Field,
    ) -> Result<std::collections::BTreeSet<String>, SearchError> {
        let err = |e| SearchError::Index(self.index.error(e));
        let searcher = self.reader.searcher();
        let mut out = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).map_err(err)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| err(tantivy::TantivyError::from(e)))?;
            while terms.advance() {
                out.insert(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        Ok(out)
    }

    /// Runs a search.
    pub fn search(&self, q: &Query) -> Result<Results, SearchError> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let fields = self.index.fields();
        let err = |e| SearchError::Index(self.index.error(e));
        let expand = !q.exact && self.tuning.synonym_weight > 0.0;
        let table = match (expand, &self.thesaurus) {
            (false, _) => None,
            (true, Some(t)) => Some(t.clone()),
            (true, None) => Some(Thesaurus::builtin()),
        };
        let thesaurus = table.as_deref();
        // A place named in the query (澳大利亚, "Australia's") restricts the search to it,
        // unless the user chose jurisdictions or asked for words as typed.
        let read_places = expand && q.filters.jurisdictions.is_empty();
        let compiled = compile::Compiler::new(
            &searcher,
            fields,
            &self.tuning,
            thesaurus,
            read_places,
            &self.dfs,
        )
        .own_text_only(q.exact)
        .compile(&q.expr)
        .map_err(err)?;
        let (works, current) = self.works(&searcher)?;
        let as_of = match q.scope {
            Scope::AsOf(day) => Some(day),
            _ => None,
        };
        let mut filters = self.filters(&q.filters, &works, as_of)?;
        if !compiled.places.is_empty() {
            let codes: Vec<String> = compiled
                .places
                .iter()
                .map(|p| p.jurisdiction.clone())
                .collect();
            filters.extend(self.filters(
                &Filters {
                    jurisdictions: codes,
                    ..Filters::default()
                },
                &works,
                None,
            )?);
        }
        let excluded: Option<exclude::Documents> = match q.scope {
            Scope::All => None,
            // A document named by --doc is searched whatever its version.
            Scope::Current if q.filters.docs.is_empty() => Some(current),
            scope => {
                let mut out = match scope {
                    Scope::AsOf(_) => self.all_works(&searcher)?.excluded(scope),
                    _ => works.excluded(scope),
                };
                for d in &q.filters.docs {
                    out.remove(d.trim());
                }
                Some(exclude::Documents::new(&searcher, fields.doc_id, &out).map_err(err)?)
            }
        }
        .filter(|x| !x.is_empty());
        let facet_columns = match q.facets {
            true => self.facet_columns(&searcher)?,
            false => facets::Columns::default(),
        };
        // tantivy allocates room for the whole limit up front: a limit of 2^64 aborted.
        let limit = q.limit.clamp(1, MAX_LIMIT);
        // A query with the user's filters and without the versions left out.
        let restricted = |text: Box<dyn TantivyQuery>| {
            let mut clauses = vec![(Occur::Must, text)];
            clauses.extend(filters.iter().map(|f| (Occur::Must, f.box_clone())));
            if let Some(x) = &excluded {
                clauses.push((Occur::MustNot, Box::new(x.clone())));
            }
            BooleanQuery::new(clauses)
        };
        let run_k = |text: Box<dyn TantivyQuery>, limit: usize| -> Result<_, SearchError> {
            let full = restricted(text);
            let facets = q
                .facets
                .then(|| facets::FacetCollector(facet_columns.clone()));
            searcher
                .search(
                    &full,
                    &(TopDocs::with_limit(limit).order_by_score(), Count, facets),
                )
                .map_err(err)
        };
        let run = |text: Box<dyn TantivyQuery>| run_k(text, limit);
        let cited = self.cited(q, &searcher, &restricted)?;
        let mut cited_not_found = None;
        if let Some(CitedOutcome { shown, found }) = cited {
            if found.is_empty() {
                cited_not_found = Some(shown);
            } else {
                return self.cited_results(&searcher, &works, shown, found, limit, started);
            }
        }
        let (top, total, mut facets) = run(compiled.strict)?;
        let mut partial_total = 0;
        let mut translated_total = 0;
        // First the clauses with every word in the language typed, then those with every word
        // through translations, then those with part of the words.
        let mut ranked: Vec<Ranked> = top
            .into_iter()
            .map(|(score, address)| Ranked {
                score,
                address,
                all_words: true,
                translated: false,
            })
            .collect();
        if ranked.len() < limit {
            let have: HashSet<tantivy::DocAddress> = ranked.iter().map(|r| r.address).collect();
            let mut rest: HashMap<tantivy::DocAddress, Ranked> = HashMap::new();
            let mut all_words: HashSet<tantivy::DocAddress> = HashSet::new();
            // Read as deep as the deepest page, whatever the limit, so that a shorter list or
            // the next page never reorders the hits before it: a translated hit read only for a
            // longer list would rank above the partial hits a shorter one shows. The relaxed
            // and translated searches count every match, so depth costs only the heap.
            let pool = limit.max(RANKED_DEPTH);
            if let Some(t) = compiled.translated {
                let (top, n, f) = run_k(t, pool)?;
                translated_total = n.saturating_sub(total);
                if total == 0 && n > 0 {
                    facets = f;
                }
                for (score, address) in top {
                    all_words.insert(address);
                    if !have.contains(&address) {
                        rest.insert(
                            address,
                            Ranked {
                                score,
                                address,
                                all_words: true,
                                translated: true,
                            },
                        );
                    }
                }
            }
            // The partial hits that state every concept of the query (the words the
            // thesaurus knows), in whatever language, rank before those that miss one: "library
            // services for prisoners" wants the Korean article on prison libraries before
            // English ones on library services. The relaxed search's own hits are marked, by
            // their scorers (a second search cost 37 % of a relaxed query's time), among its
            // best `CONCEPT_POOL` (RESULTS-search.md).
            let mut partial: Vec<tantivy::DocAddress> = Vec::new();
            if let Some(r) = compiled.relaxed {
                // Deep: a clause stating the concepts in another language scores at the
                // translations' weight, below the first page of clauses in the language typed.
                let (top, n, f) = run_k(r, pool)?;
                partial.extend(top.iter().take(CONCEPT_POOL).map(|(_, a)| *a));
                // The relaxed query also matches the clauses with every word.
                partial_total = n.saturating_sub(total + translated_total);
                if total + translated_total == 0 {
                    facets = f;
                }
                for (score, address) in top {
                    if have.contains(&address) {
                        continue;
                    }
                    let entry = rest.entry(address).or_insert(Ranked {
                        score,
                        address,
                        all_words: all_words.contains(&address),
                        translated: all_words.contains(&address),
                    });
                    entry.score = entry.score.max(score);
                }
            }
            // How many of the question's concepts each partial hit states.
            let mut stated: HashMap<tantivy::DocAddress, usize> = HashMap::new();
            for part in &compiled.concept_parts {
                for a in matching(&searcher, part.as_ref(), &partial).map_err(err)? {
                    *stated.entry(a).or_default() += 1;
                }
            }
            // The partial hits re-ranked, and joined, by the words the best hits share
            // (`feedback`): never when nothing was found, so a question no clause answers
            // still gets nothing; not under `--exact`, which searches only the words typed.
            if expand && self.tuning.feedback_docs > 0 && !rest.is_empty() {
                let mut order: Vec<&Ranked> = rest.values().collect();
                order.sort_by(|a, b| by_tier(a, b, &stated));
                let seeds: Vec<tantivy::DocAddress> = ranked
                    .iter()
                    .chain(order)
                    .map(|r| r.address)
                    .take(self.tuning.feedback_docs)
                    .collect();
                if let Some(query) =
                    self.feedback_query(&searcher, &seeds, compiled.any_word.as_deref())?
                {
                    // Its best hits only: the tiers' counts and facets are not its to change.
                    let found = searcher
                        .search(
                            &restricted(query),
                            &TopDocs::with_limit(CONCEPT_POOL).order_by_score(),
                        )
                        .map_err(err)?;
                    let joined =
                        feedback::apply(&mut rest, &have, found, self.tuning.feedback_weight);
                    partial_total += joined.len();
                    for part in &compiled.concept_parts {
                        for a in matching(&searcher, part.as_ref(), &joined).map_err(err)? {
                            *stated.entry(a).or_default() += 1;
                        }
                    }
                }
            }
            let mut rest: Vec<Ranked> = rest.into_values().collect();
            // Clauses with every word through translations before those with only most of
            // the words, each by score: a clause stating every concept in another language
            // answers better than one sharing a common word with the query ("volunteers in
            // libraries" listed ten English clauses with "library" above the four Chinese
            // ones on library volunteers). On the development sets this cost 0.012 nDCG@10
            // where the judges looked only at the query's own language and gained 0.006 where
            // they looked at every language (RESULTS-synonyms.md).
            rest.sort_by(|a, b| by_tier(a, b, &stated));
            let room = limit - ranked.len();
            ranked.extend(rest.into_iter().take(room));
        }
        if ranked.is_empty() {
            if let Some(q) = compiled.in_place {
                let (top, n, f) = run(q)?;
                partial_total = n;
                facets = f;
                ranked.extend(top.into_iter().map(|(score, address)| Ranked {
                    score,
                    address,
                    all_words: false,
                    translated: false,
                }));
            }
        }
        let relaxed = ranked.iter().any(|r| !r.all_words);
        let mut hits = Vec::with_capacity(ranked.len());
        let mut hit_clauses = Vec::with_capacity(ranked.len());
        let mut seen = HashSet::new();
        for Ranked {
            score,
            address: addr,
            all_words,
            translated,
        } in ranked
        {
            let d: TantivyDocument = searcher.doc(addr).map_err(err)?;
            let index::Stored::Clause(clause) = self.index.decode(&d)? else {
                continue;
            };
            let Some(known) = self.info(&searcher, &works, &clause.doc_id)? else {
                continue;
            };
            if !seen.insert(clause.id.clone()) {
                continue;
            }
            // The clause itself is kept only where another version's article is compared
            // with it.
            let versioned = works
                .of(&clause.doc_id)
                .is_some_and(|(w, _)| w.versions.len() > 1);
            hit_clauses.push(versioned.then(|| clause.clone()));
            let mut h = placed(&known, clause, score, &compiled.highlighter);
            h.all_words = all_words;
            h.translated = translated;
            hits.push(h);
        }
        versions::annotate(
            &mut hits,
            &works,
            &self.index,
            &searcher,
            &hit_clauses,
            &self.versions,
        )?;
        Ok(Results {
            hits,
            total,
            partial_total,
            translated_total,
            relaxed,
            facets,
            expansions: compiled.expansions,
            places: compiled.places,
            corrections: compiled.corrections,
            cited: None,
            cited_not_found,
            whole_articles: 0,
            elapsed: started.elapsed(),
        })
    }

    /// The provision a query cites (see [`citation`]), in each document of the laws its title
    /// names that `restricted` lets through (the filters and the versions searched): only the
    /// closest tier of titles ([`citation::title_match`]), never a looser one because the
    /// closer lacks the article (圖書館法第21條 is no article of 公共图书馆法). `None` when the
    /// query is no citation; no provision found when the title names no indexed law.
    fn cited(
        &self,
        q: &Query,
        searcher: &tantivy::Searcher,
        restricted: &dyn Fn(Box<dyn TantivyQuery>) -> BooleanQuery,
    ) -> Result<Option<CitedOutcome>, SearchError> {
        let plain = match &q.expr {
            Expr::Word(_) => true,
            Expr::And { items, implicit } => {
                *implicit && items.iter().all(|i| matches!(i, Expr::Word(_)))
            }
            _ => false,
        };
        let Some(cited) = plain.then(|| citation::parse(&q.text)).flatten() else {
            return Ok(None);
        };
        let err = |e| SearchError::Index(self.index.error(e));
        // A citation without a title names an article of the documents chosen with --doc.
        let candidates: Vec<String> = if cited.title.is_empty() {
            q.filters
                .docs
                .iter()
                .map(|d| d.trim().to_string())
                .collect()
        } else {
            let titles = self.titles(searcher)?;
            // Within a tier, titles that start with the cited one first (Library Act (…) for
            // "Library Act", before National Library Act 1960), then the shorter.
            let mut matched: Vec<(u8, bool, usize, &str)> = titles
                .iter()
                .filter_map(|(id, title)| {
                    let tier = citation::title_match(&cited.title, title)?;
                    let inside = !title.starts_with(&cited.title);
                    Some((tier, inside, title.chars().count(), id.as_str()))
                })
                .collect();
            matched.sort();
            let best = matched.first().map(|m| m.0);
            matched
                .into_iter()
                .filter(|m| Some(m.0) == best)
                .take(CITED_DOCS)
                .map(|m| m.3.to_string())
                .collect()
        };
        if candidates.is_empty() && cited.title.is_empty() {
            return Ok(None);
        }
        let fields = self.index.fields();
        let mut found = Vec::new();
        for id in &candidates {
            let term = Term::from_field_text(fields.doc_id, id);
            let one: Box<dyn TantivyQuery> =
                Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            if searcher.search(&restricted(one), &Count).map_err(err)? == 0 {
                continue;
            }
            let Some(doc) = self.index.document_in(searcher, id)? else {
                continue;
            };
            for f in citation::find(&cited, &doc.clauses) {
                found.push((f.clause.clone(), f.paragraph, f.paragraph_missing));
            }
        }
        Ok(Some(CitedOutcome {
            shown: cited.shown,
            found,
        }))
    }

    /// The answer to a query read as a citation: the provision in each document found, the
    /// paragraph cited where it has it. `total` counts them all; the hits stop at `limit`.
    fn cited_results(
        &self,
        searcher: &tantivy::Searcher,
        works: &Works,
        shown: String,
        found: Vec<(Clause, Option<usize>, bool)>,
        limit: usize,
        started: Instant,
    ) -> Result<Results, SearchError> {
        let total = found.len();
        let whole_articles = found.iter().filter(|f| f.2).count();
        let mut hits = Vec::new();
        let mut versioned = Vec::new();
        for (clause, paragraph, _) in found.into_iter().take(limit) {
            let Some(known) = self.info(searcher, works, &clause.doc_id)? else {
                continue;
            };
            let mut h = placed(&known, clause.clone(), 1.0, &Highlighter::default());
            if let Some(n) = paragraph {
                h.label = clause.cited_label(Some(n));
                h.paragraph = Some(n);
                // A subsection's first paragraph may be only its heading ((a) In general): the
                // snippet goes on into the paragraphs under it (§9141(a)(1), (a)(2), …).
                let own = clause.paragraph_label(n);
                let under = (n + 1..=clause.paragraphs.len())
                    .take_while(|&i| clause.paragraph_label(i).starts_with(&own))
                    .count();
                let text = clause.paragraphs[n - 1..n + under].join(" ");
                h.snippet = Highlighter::default().snippet(&[text], SNIPPET_WIDTH);
                h.snippet.paragraph = n;
            }
            hits.push(h);
            let several = works
                .of(&clause.doc_id)
                .is_some_and(|(w, _)| w.versions.len() > 1);
            versioned.push(several.then_some(clause));
        }
        versions::annotate(
            &mut hits,
            works,
            &self.index,
            searcher,
            &versioned,
            &self.versions,
        )?;
        Ok(Results {
            total,
            hits,
            partial_total: 0,
            translated_total: 0,
            relaxed: false,
            facets: None,
            expansions: Vec::new(),
            places: Vec::new(),
            corrections: Vec::new(),
            cited: Some(shown),
            cited_not_found: None,
            whole_articles,
            elapsed: started.elapsed(),
        })
    }

    /// Every document's id and folded title (see [`citation::fold_title`]), read once.
    fn titles(
        &self,
        searcher: &tantivy::Searcher,
    ) -> Result<Arc<Vec<(String, String)>>, SearchError> {
        if let Some(t) = self.titles.get() {
            return Ok(t.clone());
        }
        let titles = self
            .index
            .snapshot_of(searcher)
            .infos()?
            .into_values()
            .map(|i| (i.id, citation::fold_title(&i.title)))
            .collect();
        Ok(self.titles.get_or_init(|| Arc::new(titles)).clone())
    }

    /// Reads now what every search needs (the works of the index, the clauses a search of
    /// the versions in force leaves out, the facet columns) rather than in the first search:
    /// a server prepares a new commit before it answers from it.
    pub fn prepare(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        self.works(&searcher)?;
        self.facet_columns(&searcher).map(|_| ())
    }

    /// The works (laws, their versions and copies) of the commit this searcher reads, worked
    /// out once with it.
    pub fn grouped_works(&self) -> Result<Arc<Works>, SearchError> {
        Ok(self.works(&self.reader.searcher())?.0)
    }

    /// The works of the index and the clauses a search of the versions in force leaves out,
    /// worked out once (the reader never reloads).
    fn works(
        &self,
        searcher: &tantivy::Searcher,
    ) -> Result<(Arc<Works>, exclude::Documents), SearchError> {
        if let Some(w) = self.works.get() {
            return Ok(w.clone());
        }
        // The commit keeps the grouping (works of several documents, what is left out);
        // without it (an index written before it was kept) every record is read.
        let (works, excluded) = match self
            .index
            .works_summary_in(searcher)
            .and_then(|s| Works::from_summary(&s))
        {
            Some(kept) => kept,
            None => {
                let works = self.all_works(searcher)?;
                let excluded = works.excluded(Scope::Current);
                ((*works).clone(), excluded)
            }
        };
        let current = exclude::Documents::new(searcher, self.index.fields().doc_id, &excluded)
            .map_err(|e| SearchError::Index(self.index.error(e)))?;
        Ok(self
            .works
            .get_or_init(|| (Arc::new(works), current))
            .clone())
    }

    /// The facet columns of every segment, opened on the first search that counts facets.
    fn facet_columns(&self, searcher: &tantivy::Searcher) -> Result<facets::Columns, SearchError> {
        if let Some(c) = self.facet_columns.get() {
            return Ok(c.clone());
        }
        let columns =
            facets::Columns::open(searcher).map_err(|e| SearchError::Index(self.index.error(e)))?;
        Ok(self.facet_columns.get_or_init(|| columns).clone())
    }

    /// Every document grouped into works, from every record: what `--as-of` needs (a law
    /// alone is left out when it was adopted after the day).
    fn all_works(&self, searcher: &tantivy::Searcher) -> Result<Arc<Works>, SearchError> {
        if let Some(w) = self.all_works.get() {
            return Ok(w.clone());
        }
        let infos = self.index.snapshot_of(searcher).infos()?;
        let works = Arc::new(Works::group(infos.values()));
        Ok(self.all_works.get_or_init(|| works).clone())
    }

    /// A document's info and, for a document alone in its work, its work, version label and
    /// status: from the cache or the index (the reader never reloads, so the cache cannot go
    /// stale). Placing a lone document reads its title and dates, so it is done once per
    /// document, not per hit.
    fn info(
        &self,
        searcher: &tantivy::Searcher,
        works: &Works,
        doc_id: &str,
    ) -> Result<Option<Arc<Known>>, SearchError> {
        if let Some(i) = self.infos.lock().ok().and_then(|m| m.get(doc_id).cloned()) {
            return Ok(Some(i));
        }
        let Some(info) = self.index.info_in(searcher, doc_id)? else {
            return Ok(None);
        };
        let alone = works
            .of(doc_id)
            .is_none()
            .then(|| crate::work::alone(&info));
        let known = Arc::new(Known { info, alone });
        if let Ok(mut m) = self.infos.lock() {
            m.insert(doc_id.to_string(), known.clone());
        }
        Ok(Some(known))
    }

    fn filters(
        &self,
        f: &Filters,
        works: &Works,
        as_of: Option<crate::work::CalendarDate>,
    ) -> Result<Vec<Box<dyn TantivyQuery>>, SearchError> {
        let fields = self.index.fields();
        let mut out = Vec::new();
        let any_of = |field, values: &[String], lower: bool| -> Option<Box<dyn TantivyQuery>> {
            if values.is_empty() {
                return None;
            }
            let clauses = values
                .iter()
                .map(|v| {
                    let v = if lower {
                        v.trim().to_lowercase()
                    } else {
                        v.trim().to_string()
                    };
                    let q: Box<dyn TantivyQuery> = Box::new(TermQuery::new(
                        Term::from_field_text(field, &v),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            Some(compile::filter(Box::new(BooleanQuery::new(clauses))))
        };
        out.extend(any_of(fields.jurisdiction_path, &f.jurisdictions, true));
        out.extend(any_of(fields.level, &f.levels, true));
        out.extend(any_of(fields.kind, &f.kinds, true));
        out.extend(any_of(fields.language_path, &f.languages, true));
        if !f.statuses.is_empty() {
            // A document's status is its manifest's, or its version's within its law: most
            // documents have no manifest status, and `--status in-force` finds the versions in
            // force (superseded, repealed, draft likewise). A document that is its law's only
            // text is in force unless its manifest says repealed or draft.
            // On an --as-of day, the version that applied then was in force and the others
            // were not, whatever they are today.
            let wanted: Vec<String> = f.statuses.iter().map(|v| v.trim().to_lowercase()).collect();
            let status_of = |w: &crate::work::Work, v: &crate::work::Version| match as_of {
                Some(day) if v.status != crate::work::VersionStatus::Draft => {
                    if w.as_of(day).is_some_and(|then| std::ptr::eq(then, v)) {
                        "in-force"
                    } else {
                        "superseded"
                    }
                }
                _ => v.status.name(),
            };
            let copies = |keep: bool| -> Vec<Term> {
                works
                    .works
                    .iter()
                    .flat_map(|w| w.versions.iter().map(move |v| (w, v)))
                    .filter(|(w, v)| keep == wanted.iter().any(|s| s == status_of(w, v)))
                    .flat_map(|(_, v)| &v.copies)
                    .map(|c| Term::from_field_text(fields.doc_id, &c.doc_id))
                    .collect()
            };
            let mut either: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
            either.extend(any_of(fields.status, &f.statuses, true).map(|q| (Occur::Should, q)));
            either.push((Occur::Should, Box::new(TermSetQuery::new(copies(true)))));
            if wanted.iter().any(|s| s == "in-force") {
                let mut alone: Vec<(Occur, Box<dyn TantivyQuery>)> = vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, Box::new(TermSetQuery::new(copies(false)))),
                ];
                for other in ["repealed", "draft"] {
                    alone.push((
                        Occur::MustNot,
                        Box::new(TermQuery::new(
                            Term::from_field_text(fields.status, other),
                            IndexRecordOption::Basic,
                        )),
                    ));
                }
                either.push((Occur::Should, Box::new(BooleanQuery::new(alone))));
            }
            out.push(compile::filter(Box::new(BooleanQuery::new(either))));
        }
        out.extend(any_of(fields.doc_id, &f.docs, false));
        if let Some(y) = f.years {
            let bound = |v: Option<i32>| match v {
                Some(v) => Bound::Included(Term::from_field_i64(fields.year, i64::from(v))),
                None => Bound::Unbounded,
            };
            if y.from.is_none() && y.to.is_none() {
                return Err(SearchError::Filter("an empty year range".into()));
            }
            out.push(compile::filter(Box::new(RangeQuery::new(
                bound(y.from),
                bound(y.to),
            ))));
        }
        Ok(out)
    }
}

/// Levels, kinds and statuses the README documents, accepted even when no indexed document has
/// them yet (then nothing matches); anything else must be in the index.
const LEVELS: &[&str] = &[
    "national",
    "provincial",
    "municipal",
    "county",
    "international",
];
const KINDS: &[&str] = &[
    "law",
    "administrative-regulation",
    "local-regulation",
    "rule",
];
const STATUSES: &[&str] = &["in-force", "amended", "repealed", "superseded", "draft"];

/// The most hits one search returns, whatever it asks for: more than any index has clauses.
pub const MAX_LIMIT: usize = 1_000_000;

/// How deep the hits after those with every word are read and ranked, whatever the limit: any
/// list up to this long is the start of any longer one (a server's deepest page ends here).
pub const RANKED_DEPTH: usize = 1_000;

/// How many of the best partial hits are read for those stating every concept of the query,
/// whatever the limit, so that a longer list or the next page never reorders the first hits:
/// 0.6486 → 0.6618 mean nDCG@10 over the four development sets at ten per page (10, 20, 30,
/// 50, 80 and 150 measured; 50 to 80 the same; RESULTS-search.md).
const CONCEPT_POOL: usize = 50;

/// The order of the hits after those with every word in the language typed: every word
/// through translations first, then the partial hits stating more of the question's concepts
/// (`stated`), each by score.
fn by_tier(
    a: &Ranked,
    b: &Ranked,
    stated: &HashMap<tantivy::DocAddress, usize>,
) -> std::cmp::Ordering {
    let stated = |r: &Ranked| stated.get(&r.address).copied().unwrap_or(0);
    b.all_words
        .cmp(&a.all_words)
        .then(stated(b).cmp(&stated(a)))
        .then(b.score.total_cmp(&a.score))
        .then(a.address.cmp(&b.address))
}

/// Which of `addresses` match `query`, read from its scorers rather than by searching again.
fn matching(
    searcher: &tantivy::Searcher,
    query: &dyn TantivyQuery,
    addresses: &[tantivy::DocAddress],
) -> tantivy::Result<HashSet<tantivy::DocAddress>> {
    let mut out = HashSet::new();
    if addresses.is_empty() {
        return Ok(out);
    }
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    let mut sorted = addresses.to_vec();
    sorted.sort();
    for segment in sorted.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(segment[0].segment_ord);
        let mut scorer = weight.scorer(reader, 1.0)?;
        for a in segment {
            // Seek forward only: some scorers refuse a target behind them.
            if scorer.doc() <= a.doc_id && scorer.seek(a.doc_id) == a.doc_id {
                out.insert(*a);
            }
        }
    }
    Ok(out)
}

/// `CN`, `CN-SH`, `zh-Hant`: letters, then subtags of letters and digits.
fn is_code(v: &str) -> bool {
    let mut parts = v.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// An unknown `--doc` names the indexed ids when there are at most this many.
const MAX_IDS_NAMED: usize = 8;

/// The command that lists every indexed document's id.
pub const LIST_IDS: &str = "lawdex gaps --all --all-versions";

/// Up to three indexed ids close to a mistyped one: those containing it (or contained in it),
/// else the most similar by Jaro-Winkler.
fn close_ids(typed: &str, ids: &std::collections::BTreeSet<String>) -> Vec<String> {
    let lower = typed.to_lowercase();
    let mut scored: Vec<(f64, &String)> = ids
        .iter()
        .map(|id| {
            let l = id.to_lowercase();
            let contains = !lower.is_empty() && (l.contains(&lower) || lower.contains(&l));
            let sim = strsim::jaro_winkler(&lower, &l);
            (if contains { 1.0 + sim } else { sim }, id)
        })
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.clone())
        .collect()
}

/// Wide enough for any heading whole (a snippet window is cut at this many columns).
const HEADING_WIDTH: usize = 400;

/// A hit on `clause` of a known document: a document alone is its own work, placed once from
/// its record.
fn placed(known: &Known, clause: Clause, score: f32, highlighter: &Highlighter) -> Hit {
    let mut h = hit(&known.info, clause, score, highlighter);
    if let Some((work, label, status)) = &known.alone {
        h.work = Some(work.clone());
        h.version = Some(label.clone());
        h.version_status = Some(status.name().to_string());
    }
    h
}

fn hit(info: &DocInfo, clause: Clause, score: f32, highlighter: &Highlighter) -> Hit {
    let paragraphs = if clause.paragraphs.is_empty() {
        std::slice::from_ref(&clause.text)
    } else {
        clause.paragraphs.as_slice()
    };
    let snippet = highlighter.snippet(paragraphs, SNIPPET_WIDTH);
    let label = clause.cited_label(snippet.cited_paragraph);
    Hit {
        clause_id: clause.id.0,
        doc_id: info.id.clone(),
        source: info.source.clone(),
        label,
        clause_label: clause.label,
        paragraph: snippet.cited_paragraph,
        title: info.title.clone(),
        score,
        snippet,
        jurisdiction: info.jurisdiction.clone(),
        level: info.level.clone(),
        kind: info.kind.clone(),
        language: info.language.clone(),
        status: info.status.clone(),
        year: info.year,
        heading_marks: clause
            .headings
            .iter()
            .map(|h| highlighter.snippet(std::slice::from_ref(h), HEADING_WIDTH))
            .collect(),
        headings: clause.headings,
        all_words: true,
        translated: false,
        work: None,
        version: None,
        version_status: None,
        copies: Vec::new(),
        versions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges() {
        let r = |s: &str| s.parse::<YearRange>();
        assert_eq!(
            r("2018").unwrap(),
            YearRange {
                from: Some(2018),
                to: Some(2018)
            }
        );
        assert_eq!(
            r("2010..2020").unwrap(),
            YearRange {
                from: Some(2010),
                to: Some(2020)
            }
        );
        assert_eq!(
            r("2010..").unwrap(),
            YearRange {
                from: Some(2010),
                to: None
            }
        );
        assert_eq!(
            r("..2020").unwrap(),
            YearRange {
                from: None,
                to: Some(2020)
            }
        );
        assert!(r("2020..2010").is_err());
        assert!(r("soon").is_err());
    }
}
