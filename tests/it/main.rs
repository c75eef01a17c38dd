//! All integration tests in one binary (faster to build and link than one per file).

mod common;
mod compat;
mod coverage;
mod crawl;
mod formats;
mod fuzz_bodies;
mod hostile;
mod housekeeping;
mod html;
mod layering;
mod lifecycle;
mod mock_site;
mod parse_real;
mod pdf;
mod properties;
mod quickstart;
mod search;
mod serve;
mod structured;
mod truthful;
mod update;
mod update_site;
mod works;
