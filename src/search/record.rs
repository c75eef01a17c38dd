//! The JSON records of a search: one per hit, and one for a whole answer. What
//! `lawdex search --format json|jsonl|csv` prints and what `lawdex serve` answers on
//! `/api/search`, so tools see one shape wherever they ask. A documented contract: add fields
//! freely, rename none.

use serde::Serialize;

use super::{Correction, ExpandedWord, Facets, Hit, PlaceWord, Related, Results};

/// One hit.
#[derive(Debug, Serialize)]
pub struct HitRecord<'a> {
    pub rank: usize,
    pub clause_id: &'a str,
    pub doc_id: &'a str,
    pub source: &'a str,
    pub label: &'a str,
    pub clause_label: &'a str,
    pub paragraph: Option<usize>,
    pub title: &'a str,
    pub citation: String,
    pub score: f32,
    /// False for a hit that matches part of the words (shown after those that
    /// match every word, when fewer than the limit do).
    pub all_words: bool,
    /// True for a hit that matches some word only through a translation (another language's
    /// term for it), shown after those that match every word as typed.
    pub translated: bool,
    pub snippet: String,
    pub snippet_html: String,
    /// Character ranges of the matches in `snippet`.
    pub highlights: Vec<(usize, usize)>,
    pub jurisdiction: &'a str,
    pub level: &'a str,
    pub kind: &'a str,
    pub language: &'a str,
    pub status: &'a str,
    pub year: Option<i32>,
    /// The headings of the divisions enclosing the clause, outermost first: a hit may match a
    /// word only there (a clause under 第六章 上海文化品牌 for 上海).
    pub headings: &'a [String],
    /// The work (law) the document is a text of (`lawdex show WORK`).
    pub work: Option<&'a str>,
    /// The document's version (`2018-10-26`) and its status (`in-force`, `superseded`, …).
    pub version: Option<&'a str>,
    pub version_status: Option<&'a str>,
    /// The same article in other copies of the version (other formats): their sources.
    pub copies: &'a [Related],
    /// The same article in the other versions: `text` is `same`, `changed` or `absent`.
    pub versions: &'a [Related],
}

impl<'a> HitRecord<'a> {
    /// The record of `h`, ranked `rank` (1-based).
    pub fn new(rank: usize, h: &'a Hit) -> Self {
        HitRecord {
            rank,
            clause_id: &h.clause_id,
            doc_id: &h.doc_id,
            source: &h.source,
            label: &h.label,
            clause_label: &h.clause_label,
            paragraph: h.paragraph,
            title: &h.title,
            citation: h.citation(),
            score: h.score,
            all_words: h.all_words,
            translated: h.translated,
            snippet: h.snippet.plain(),
            snippet_html: h.snippet.html(),
            highlights: h.snippet.highlights(),
            jurisdiction: &h.jurisdiction,
            level: &h.level,
            kind: &h.kind,
            language: &h.language,
            // The status `--status` filters on: the manifest's, else the version's in its law.
            status: if h.status.is_empty() {
                h.version_status.as_deref().unwrap_or("")
            } else {
                &h.status
            },
            year: h.year,
            headings: &h.headings,
            work: h.work.as_deref(),
            version: h.version.as_deref(),
            version_status: h.version_status.as_deref(),
            copies: &h.copies,
            versions: &h.versions,
        }
    }
}

/// A whole answer.
#[derive(Debug, Serialize)]
pub struct ResultsRecord<'a> {
    pub query: &'a str,
    /// Clauses with every word.
    pub total: usize,
    /// Clauses with every word only through translations (counted when there was room).
    pub translated_total: usize,
    /// Clauses with part of the words (counted when partial hits were added).
    pub partial_total: usize,
    pub relaxed: bool,
    pub hits: Vec<HitRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<&'a Facets>,
    /// Words also searched for as their synonyms.
    pub expansions: &'a [ExpandedWord],
    /// Words read as the jurisdiction they name, which the search was restricted to.
    pub places: &'a [PlaceWord],
    /// Words no clause has, searched as the indexed word one typo away.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub corrections: &'a [Correction],
    /// The provision the query was read as citing (see [`Results::cited`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited: Option<&'a str>,
    /// The provision a citation named when no law its title names has it (see
    /// [`Results::cited_not_found`]): the words were searched instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited_not_found: Option<&'a str>,
    /// Hits of a citation that lack the paragraph it names (their whole article is given).
    #[serde(skip_serializing_if = "super::is_zero")]
    pub whole_articles: usize,
}

impl<'a> ResultsRecord<'a> {
    /// The record of `results` for `query`, its hits ranked from 1.
    pub fn new(query: &'a str, results: &'a Results) -> Self {
        Self::from_rank(query, results, 0)
    }

    /// The record of the hits of `results` after the first `skip` (a later page): ranks
    /// continue from `skip + 1`.
    pub fn from_rank(query: &'a str, results: &'a Results, skip: usize) -> Self {
        ResultsRecord {
            query,
            total: results.total,
            translated_total: results.translated_total,
            partial_total: results.partial_total,
            relaxed: results.relaxed,
            hits: hit_records(results, skip),
            facets: results.facets.as_ref(),
            expansions: &results.expansions,
            places: &results.places,
            corrections: &results.corrections,
            cited: results.cited.as_deref(),
            cited_not_found: results.cited_not_found.as_deref(),
            whole_articles: results.whole_articles,
        }
    }
}

/// The records of the hits after the first `skip`, ranked from `skip + 1`.
pub fn hit_records(results: &Results, skip: usize) -> Vec<HitRecord<'_>> {
    results
        .hits
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, h)| HitRecord::new(i + 1, h))
        .collect()
}
