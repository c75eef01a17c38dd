//! All integration tests in one binary (faster to build and link than one per file).

mod common;
mod coverage;
mod formats;
mod html;
mod parse_real;
mod pdf;
mod properties;
mod quickstart;
mod search;
mod serve;
mod structured;
