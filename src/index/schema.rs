//! The tantivy schema: one tantivy document per clause, plus one record per document.
//!
//! Clause documents carry the clause (stored JSON), its analysed text, and their document's
//! metadata as indexed fields (filters) and fast fields (facets). Document records carry
//! `doc_id`, `record_id` and the document's [`DocInfo`](crate::model::DocInfo) as stored JSON,
//! stored once per document rather than on every clause; they have no text, so no text query
//! ever matches them.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};

use super::analysis::{GRAMS_TOKENIZER, WORDS_TOKENIZER};

/// Version of the schema and analysis. Bump it whenever a change makes old indexes read or
/// rank wrongly (fields, tokenizers, stored formats); an index built by another version is
/// refused with "re-index required".
pub const SCHEMA_VERSION: u32 = 5;

/// The fields of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Document id (raw), on both kinds: deleting it removes a document entirely.
    pub doc_id: Field,
    /// Caption and text by jieba words (freqs, no positions): ranking.
    pub body: Field,
    /// Caption and text by bigrams (positions): exact matching and phrases.
    pub grams: Field,
    /// The headings of the divisions enclosing the clause (第三章 服务, "Part III—The
    /// Council"), by jieba words: a clause's words as its readers see them include its
    /// chapter's, searched at a lower weight than its own (`Tuning::heading_weight`).
    pub heading: Field,
    /// The same headings by bigrams (positions).
    pub heading_grams: Field,
    /// Exact jurisdiction (`CN-SH`), fast: facets.
    pub jurisdiction: Field,
    /// Jurisdiction and its parents, lowercase (`cn`, `cn-sh`): prefix filters.
    pub jurisdiction_path: Field,
    /// Level (lowercase), indexed and fast.
    pub level: Field,
    pub kind: Field,
    /// Language and its parents, lowercase (`zh`, `zh-hans`).
    pub language_path: Field,
    pub status: Field,
    /// Year of the version, indexed and fast; absent when unknown.
    pub year: Field,
    /// The clause as JSON (see `writer::stored_clause`).
    pub clause: Field,
    /// Document id (raw), on document records only: finds a document's info in one lookup.
    pub record_id: Field,
    /// The full DocInfo as JSON, on document records only.
    pub info: Field,
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record)
                .set_fieldnorms(true),
        )
    };
    // Exact values, for filters and lookups: filters score nothing (constant-score queries),
    // so these need no field norms (a byte per clause and field, and work at every commit).
    // Clauses have no indexed id of their own: 148,000 unique terms cost 3 % of a bulk build,
    // and a clause is found through its document (see `ClauseIndex::clause`).
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let fields = Fields {
        doc_id: b.add_text_field("doc_id", key.clone()),
        body: b.add_text_field("body", text(WORDS_TOKENIZER, IndexRecordOption::WithFreqs)),
        grams: b.add_text_field(
            "grams",
            text(GRAMS_TOKENIZER, IndexRecordOption::WithFreqsAndPositions),
        ),
        heading: b.add_text_field(
            "heading",
            text(WORDS_TOKENIZER, IndexRecordOption::WithFreqs),
        ),
        heading_grams: b.add_text_field(
            "heading_grams",
            text(GRAMS_TOKENIZER, IndexRecordOption::WithFreqsAndPositions),
        ),
        jurisdiction: b.add_text_field("jurisdiction", FAST),
        jurisdiction_path: b.add_text_field("jurisdiction_path", key.clone()),
        level: b.add_text_field("level", key.clone() | FAST),
        kind: b.add_text_field("kind", key.clone()),
        language_path: b.add_text_field("language_path", key.clone()),
        status: b.add_text_field("status", key.clone()),
        year: b.add_i64_field("year", NumericOptions::default().set_indexed().set_fast()),
        clause: b.add_text_field("clause", STORED),
        record_id: b.add_text_field("record_id", key),
        info: b.add_text_field("info", STORED),
    };
    (b.build(), fields)
}

/// `CN-SH` → `cn`, `cn-sh`: a filter on `CN` then matches every Chinese jurisdiction.
pub(crate) fn path_terms(value: &str) -> Vec<String> {
    let lower = value.trim().to_lowercase();
    let mut out = Vec::new();
    for (i, c) in lower.char_indices() {
        if c == '-' && i > 0 {
            out.push(lower[..i].to_string());
        }
    }
    if !lower.is_empty() {
        out.push(lower);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_terms_include_parents() {
        assert_eq!(path_terms("CN-SH"), ["cn", "cn-sh"]);
        assert_eq!(path_terms("zh-Hant-TW"), ["zh", "zh-hant", "zh-hant-tw"]);
        assert!(path_terms("").is_empty());
    }
}
