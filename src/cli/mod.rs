//! Command-line interface: clap definitions, one file per command. Only this module prints.

mod gaps;
mod index;
mod parse;
mod search;
mod serve;
mod show;

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
    /// Parse, segment and index files, directories or manifests.
    Index(index::Args),
    /// Search indexed clauses.
    Search(search::Args),
    /// Show a clause or a whole document with its structure and citations.
    Show(show::Args),
    /// Coverage and gap report of documents against a taxonomy of obligations.
    Gaps(gaps::Args),
    /// Web pages and a JSON API over the index (127.0.0.1:8080 by default).
    Serve(serve::Args),
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
        Command::Search(a) => search::run(a),
        Command::Show(a) => show::run(a),
        Command::Gaps(a) => gaps::run(a),
        Command::Serve(a) => serve::run(a),
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
