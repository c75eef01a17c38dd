//! The data model shared by every stage: documents, blocks, clauses, article numbers.

mod clause;
mod document;
mod info;
mod source;

pub use clause::{citation, Clause, ClauseId};
// The grammar's types a clause carries, named where the data model is read.
pub use crate::grammar::{ArticleNumber, ClauseKind};
pub use document::{Block, BlockKind, Document, Format, Origin};
pub use info::{DocInfo, DocOrigin, Edition, SegmentedDoc};
pub use source::{doc_id_from_path, SourceMeta};

/// A count in English, right for one: "1 document", "2 documents", "1 copy", "2 copies".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
pub(crate) use clause::test_article;
