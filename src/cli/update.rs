//! `lawdex update [--data-dir DIR] MANIFEST...`: crawl the manifests' sources and listings,
//! then index what changed, remove what they no longer name, and report it; one commit.

use std::path::PathBuf;

use anyhow::{Context, Result};

use lawdex::crawl::{self, CrawlOptions, CrawlReport, Location, Manifest};
use lawdex::index::WriteLock;
use lawdex::ingest::{self, IngestOptions};

use super::index::{finish, Bar, ChangeArgs, DataDir, ReportFormat};
use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Manifests (*.toml) whose `[[source]]`s and `[[listing]]`s to fetch and index.
    #[arg(required = true, value_name = "MANIFEST")]
    manifests: Vec<PathBuf>,
    #[command(flatten)]
    data: DataDir,
    #[command(flatten)]
    change: ChangeArgs,
    /// Also print one line per document indexed (id, structure, clauses, source).
    #[arg(long, short)]
    verbose: bool,
    /// Report format: `table` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    #[command(flatten)]
    limits: super::index::LimitArgs,
}

pub fn run(args: Args) -> Result<Outcome> {
    let data_dir = args.data.resolve();
    // A bad manifest is fatal (exit 2) before anything is fetched or written.
    let manifests = Manifest::load_all(&args.manifests)
        .map_err(|e| super::index::manifest_fatal(e, args.format))?;
    let needs_fetch = manifests.iter().any(|m| {
        !m.listings.is_empty()
            || m.sources
                .iter()
                .any(|s| matches!(s.location, Location::Url(_)))
    });
    // The lock covers the crawl and the ingest. A dry run writes no index, but its crawl
    // still writes the store (what it fetched, so the real run asks conditionally): it takes
    // the lock whenever it fetches, so it never races a writer.
    let lock = if args.change.dry_run && !needs_fetch {
        None
    } else {
        Some(WriteLock::acquire(&data_dir, "lawdex update")?)
    };
    let crawled = if needs_fetch {
        crawl::crawl(&manifests, &data_dir, &CrawlOptions::default())
            .with_context(|| format!("crawling into {}", data_dir.display()))?
    } else {
        // Only local `path` sources: nothing to fetch.
        CrawlReport::default()
    };
    let options = IngestOptions {
        limits: args.limits.limits(),
        rebuild: false,
        accept_shrink: args.change.accept_shrink,
        dry_run: args.change.dry_run,
    };
    let bar = Bar::new();
    let report = ingest::update_locked(
        lock.as_ref(),
        &manifests,
        &crawled,
        &data_dir,
        &options,
        &bar,
    )
    .with_context(|| format!("updating {}", data_dir.display()))?;
    bar.finish();
    finish(&data_dir, &report, args.format, args.verbose)
}
