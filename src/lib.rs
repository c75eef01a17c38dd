//! lawdex: crawl, parse and index laws and regulations clause by clause, and report where a
//! regulation is silent on duties it should carry.
//!
//! Data flows one way: sources → [`parse`] → [`segment`] → [`index`] → [`search`] and
//! [`coverage`]; [`work`] groups documents into laws, versions and copies. Only the binary's
//! `cli` module prints.

pub mod budget;
pub mod coverage;
pub mod crawl;
pub mod grammar;
pub mod index;
pub mod ingest;
pub mod model;
pub mod parse;
pub mod search;
pub mod segment;
pub mod serve;
pub mod work;
