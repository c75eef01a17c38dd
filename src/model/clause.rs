//! Clauses: the unit of retrieval and citation.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::document::Origin;
use crate::grammar::{ArticleNumber, ClauseKind};

/// A stable, readable clause id: `{doc_id}/art33`, `{doc_id}/art10-1`, `{doc_id}/s9141`,
/// `{doc_id}/add2/art1` (an article of the second addenda block), `{doc_id}/item3` (an item of
/// an amendment decision). A paragraph is cited as `{clause_id}/para2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClauseId(pub String);

impl ClauseId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The document part of the id (everything before the first `/`).
    pub fn doc_id(&self) -> &str {
        self.0.split('/').next().unwrap_or("")
    }
}

impl fmt::Display for ClauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One article (or section) with its paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clause {
    pub id: ClauseId,
    pub doc_id: String,
    /// 1-based position in the document; unique even where labels repeat (Korean addenda).
    pub ordinal: u32,
    pub kind: ClauseKind,
    /// The citation as the jurisdiction writes it: 第三十三条, 제5조의2, §9141, Section 6, Article 9.
    pub label: String,
    pub number: Option<ArticleNumber>,
    /// Caption printed with the article: (목적), "Establishment of Library", 【立法目的】.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    /// Enclosing division headings, outermost first: ["第三章 服务"], ["Part II—…"].
    pub headings: Vec<String>,
    /// Paragraphs (款 / subsections) in order; items (项) stay inside their paragraph's text.
    pub paragraphs: Vec<String>,
    /// The article text without its label, paragraphs joined by newlines.
    pub text: String,
    #[serde(default)]
    pub origin: Origin,
}

impl Clause {
    /// The citation of paragraph `n` (1-based), e.g. 第三十三条第二款 or §9141(2nd paragraph).
    pub fn paragraph_label(&self, n: usize) -> String {
        if self.paragraphs.len() <= 1 {
            return self.label.clone();
        }
        if self.label.starts_with('第') {
            format!("{}第{}款", self.label, crate::grammar::to_chinese(n as u32))
        } else if self.label.starts_with('제') {
            format!("{}제{}항", self.label, n)
        } else {
            format!("{} ¶{}", self.label, n)
        }
    }
}

/// An article of the document `law`, for tests that compare texts: id `law/art{n}`, one
/// paragraph.
#[cfg(test)]
pub(crate) fn test_article(n: u32, label: &str, text: &str) -> Clause {
    Clause {
        id: ClauseId(format!("law/art{n}")),
        doc_id: "law".into(),
        ordinal: n,
        kind: ClauseKind::Article,
        label: label.into(),
        number: None,
        caption: String::new(),
        headings: Vec::new(),
        paragraphs: vec![text.into()],
        text: text.into(),
        origin: Origin::default(),
    }
}
