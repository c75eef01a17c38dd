//! `lawdex remove [--data-dir DIR] ID...`: delete documents from the index by id.

use anyhow::{Context, Result};

use lawdex::ingest;

use super::index::{finish, DataDir, ReportFormat};
use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Document ids, as `lawdex show`, `search` and `gaps` print them.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    #[command(flatten)]
    data: DataDir,
    /// Say what would be removed, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Report format: `table` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub fn run(args: Args) -> Result<Outcome> {
    let data_dir = args.data.resolve();
    let report = ingest::remove(&data_dir, &args.ids, args.dry_run)
        .with_context(|| format!("removing from {}", data_dir.display()))?;
    finish(&data_dir, &report, args.format, false)
}
