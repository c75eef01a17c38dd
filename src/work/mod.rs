//! Works: one law across its versions (the 2017 original, the 2018 amendment) and its copies
//! (the same text as markdown, HTML and PDF).
//!
//! What a single document says about itself is derived when it is indexed and kept in its
//! record ([`Edition`](crate::model::Edition), see [`edition`]); how documents group into
//! works, which of them are copies of one version and which version is in force is decided
//! over all records ([`Works::group`]) at each commit and kept with it ([`Works::summary`]),
//! because adding a document can change the standing of another (a new amendment supersedes
//! the old text) and an incremental update must never have to rewrite documents it did not
//! touch. [`diff`] compares two texts
//! article by article; the ingest change report and `lawdex diff` both use it.

pub mod diff;
mod edition;
mod group;

pub use diff::{ArticleChange, ArticleDiff, ChangeKind, Piece};
pub(crate) use edition::normalized;
pub use edition::{dates_in, days_in_month, edition, title_key, CalendarDate, DateRole};
pub use group::{alone, Copy, Scope, Version, VersionStatus, Work, Works};
