//! Document → clauses: finds articles (第X条, 제N조, Section N, §N, Article N, Điều N) and
//! their paragraphs, headings and citations. (Being written; the API below is final.)

use crate::model::{Clause, Document};

/// How a document's text is organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// Numbered articles or sections.
    Articles,
    /// An amendment decision whose items are numbered 一、二、…
    AmendmentItems,
    /// No article structure: the summary says so instead of inventing articles.
    Unstructured,
}

impl Structure {
    pub fn name(self) -> &'static str {
        match self {
            Structure::Articles => "articles",
            Structure::AmendmentItems => "amendment-items",
            Structure::Unstructured => "unstructured",
        }
    }
}

/// The result of segmenting one document.
#[derive(Debug, Clone)]
pub struct Segmented {
    pub clauses: Vec<Clause>,
    pub structure: Structure,
    /// Text before the first article (promulgation notes, preamble): metadata, not clauses.
    pub preamble: Vec<String>,
    pub warnings: Vec<String>,
}

/// Segments a parsed document into clauses.
pub fn segment(doc: &Document) -> Segmented {
    let _ = doc;
    Segmented {
        clauses: Vec::new(),
        structure: Structure::Unstructured,
        preamble: Vec::new(),
        warnings: Vec::new(),
    }
}
