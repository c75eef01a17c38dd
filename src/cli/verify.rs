//! `lawdex verify [--data-dir DIR]`: checks every file's checksum and reads every stored
//! document of the index. Needs no lock: it runs beside a writer, on the last commit.

use std::io::{self, Write};

use anyhow::Result;

use lawdex::index;

use super::index::DataDir;
use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataDir,
    /// Output: `text` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

pub fn run(args: Args) -> Result<Outcome> {
    let verified = index::verify(&args.data.resolve())?;
    let mut out = io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &verified)?;
            writeln!(out)?;
        }
        OutputFormat::Text => writeln!(
            out,
            "ok: {}, {}, checksums verified ({})",
            super::count(verified.documents, "document", "documents"),
            super::count(verified.clauses, "clause", "clauses"),
            super::count(verified.segments, "segment", "segments")
        )?,
    }
    Ok(Outcome::Success)
}
