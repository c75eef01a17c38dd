//! The data model shared by every stage: documents, blocks, clauses, article numbers.

mod clause;
mod document;
mod info;
mod number;
mod source;

pub use clause::{Clause, ClauseId, ClauseKind};
pub use document::{Block, BlockKind, Document, Format, Origin};
pub use info::{DocInfo, DocOrigin, Edition, SegmentedDoc};
pub use number::{from_chinese, is_numeral_char, to_chinese, ArticleNumber};
pub use source::{doc_id_from_path, SourceMeta};
