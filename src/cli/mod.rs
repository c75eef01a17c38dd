//! Command-line interface: clap definitions, one file per command. Only this module prints.

mod crawl;
mod gaps;
mod index;
mod parse;
mod remove;
mod search;
mod show;
mod update;
mod verify;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Crawl, parse and index laws and regulations clause by clause; report where a regulation is
/// silent on duties it should carry.
#[derive(Debug, Parser)]
#[command(name = "lawdex", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse files into clauses and print them (no index needed).
    Parse(parse::Args),
    /// Parse, segment and index files, directories or manifests (only what changed).
    Index(index::Args),
    /// Fetch the manifests' sources and listings into the store, without indexing.
    Crawl(crawl::Args),
    /// Fetch the manifests' sources and listings, index what changed, remove what is gone.
    Update(update::Args),
    /// Delete documents from the index by id.
    Remove(remove::Args),
    /// Search indexed clauses.
    Search(search::Args),
    /// Show a clause or a whole document with its structure and citations.
    Show(show::Args),
    /// Coverage and gap report of documents against a taxonomy of obligations.
    Gaps(gaps::Args),
    /// Check the index: every file's checksum, every stored document.
    Verify(verify::Args),
}

/// The outcome of a command, mapped to the process exit code.
#[allow(dead_code)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: finished, but nothing found or some inputs failed.
    Partial,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(a) => parse::run(a),
        Command::Index(a) => index::run(a),
        Command::Crawl(a) => crawl::run(a),
        Command::Update(a) => update::run(a),
        Command::Remove(a) => remove::run(a),
        Command::Search(a) => search::run(a),
        Command::Show(a) => show::run(a),
        Command::Gaps(a) => gaps::run(a),
        Command::Verify(a) => verify::run(a),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(io::stderr(), "lawdex: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
