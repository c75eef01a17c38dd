//! Coverage: which obligations of a taxonomy a document spells out, in which clauses, how
//! strongly, and what it leaves out.
//!
//! - [`taxonomy`]: the TOML format of obligations and their cues, loaded and validated;
//! - [`strength`]: mandatory / permissive / encouraged / principle, per sentence;
//! - [`matcher`]: document × obligation → ranked evidence clauses (one automaton pass per
//!   clause for all cues of all obligations);
//! - `classes`: the classes a document itself puts the subject in (…等阅读设施);
//! - [`scope`]: whether a document is about the subject at all (`primary`, `partial`, `none`);
//! - [`report`]: the matrix with `covered` / `gap` / `not-applicable` / `unknown` cells and
//!   model clauses for gaps;
//! - [`render`]: the matrix as a table, CSV, Markdown or a self-contained HTML heat map.
//!
//! The input is a list of [`SegmentedDoc`](crate::model::SegmentedDoc)s: read from the index
//! (`index::read_documents`), or parsed from files by `ingest::load` (also how a draft is
//! read), so coverage sees exactly the clauses that search sees.

mod classes;
pub mod matcher;
pub mod render;
pub mod report;
pub mod scope;
pub mod strength;
pub mod taxonomy;

pub use matcher::{Confidence, DocMatches, Evidence, Matcher, MatcherError};
pub use report::{
    moves, Cell, CorpusCoverage, DocReport, Report, ReportOptions, State, Suggestion, Totals,
    Unreadable,
};
pub use scope::Scope;
pub use strength::Strength;
pub use taxonomy::{Obligation, Taxonomy, TaxonomyError};
