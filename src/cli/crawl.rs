//! `lawdex crawl [--data-dir DIR] [--format table|json] MANIFEST...`: fetch the manifests'
//! sources and listings into the store (DIR/store) without indexing them.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};

use lawdex::crawl::{self, CrawlOptions, CrawlOutcome, Manifest};
use lawdex::index::WriteLock;

use super::index::{DataDir, ReportFormat};
use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Manifests (*.toml) whose `[[source]]` urls and `[[listing]]`s to fetch.
    #[arg(required = true, value_name = "MANIFEST")]
    manifests: Vec<PathBuf>,
    #[command(flatten)]
    data: DataDir,
    /// Report format: `table` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub fn run(args: Args) -> Result<Outcome> {
    let data_dir = args.data.resolve();
    let manifests = Manifest::load_all(&args.manifests)
        .map_err(|e| super::index::manifest_fatal(e, args.format))?;
    // The store is part of the data directory: one writer at a time.
    let _lock = WriteLock::acquire(&data_dir, "lawdex crawl")?;
    let report = crawl::crawl(&manifests, &data_dir, &CrawlOptions::default())
        .with_context(|| format!("crawling into {}", data_dir.display()))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        ReportFormat::Table => {
            let stored = report
                .documents
                .iter()
                .filter(|(_, d)| matches!(d.outcome, CrawlOutcome::Stored(_)))
                .count();
            writeln!(
                out,
                "documents  {} ({stored} stored, {} failed)",
                report.documents.len(),
                report.documents.len() - stored
            )?;
            writeln!(out, "fetched    {}", report.fetched)?;
            writeln!(out, "unchanged  {}", report.not_modified)?;
            writeln!(out, "store      {}", data_dir.join("store").display())?;
            for o in &report.incomplete {
                if let Some(l) = &o.listing {
                    writeln!(
                        out,
                        "incomplete listing {l} ({}): nothing of it is taken as removed",
                        o.manifest.display()
                    )?;
                }
            }
            for s in &report.skipped {
                writeln!(out, "skipped {}: {}", s.url, s.reason)?;
            }
        }
    }
    let mut err = std::io::stderr().lock();
    for f in &report.failed {
        writeln!(err, "failed {}: {}", f.url, f.error)?;
    }
    Ok(if report.failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::Partial
    })
}
