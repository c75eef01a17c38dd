//! Command-line interface: clap definitions, one file per command. Only this module prints.

mod crawl;
mod diff;
mod gaps;
mod index;
mod parse;
mod remove;
mod search;
mod serve;
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
    /// Compare two texts of a law article by article (ids or files).
    Diff(diff::Args),
    /// Coverage and gap report of documents against a taxonomy of obligations.
    Gaps(gaps::Args),
    /// Check the index: every file's checksum, every stored document.
    Verify(verify::Args),
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match cli.command {
        Command::Parse(a) => parse::run(a),
        Command::Index(a) => index::run(a),
        Command::Crawl(a) => crawl::run(a),
        Command::Update(a) => update::run(a),
        Command::Remove(a) => remove::run(a),
        Command::Search(a) => search::run(a),
        Command::Show(a) => show::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Gaps(a) => gaps::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Serve(a) => serve::run(a),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            // One line, whatever a file name or a message quoted in it holds.
            let message = lawdex::search::snippet::terminal_safe(&format!("{e:#}"));
            let _ = writeln!(io::stderr(), "lawdex: {message}");
            ExitCode::from(2)
        }
    }
}

/// Help and version print as clap prints them; a usage error is one line and exit 2, like
/// every other error (clap's own report spans five lines with a usage block).
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    // Lossy: an argument that is not UTF-8 is what clap complains about, and must not panic.
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if e.kind() == ErrorKind::UnknownArgument && args.get(1).is_some_and(|a| a == "search") {
        // `lawdex search -图书馆`: clap reads a leading '-' as an option (and splits it into
        // characters); say what was meant instead.
        if let Some(word) = args[2..].iter().find(|a| {
            a.starts_with('-')
                && !a.starts_with("--")
                && a.chars().nth(1).is_some_and(|c| !c.is_ascii())
        }) {
            let bare = word.trim_start_matches('-');
            let _ = writeln!(
                io::stderr(),
                "lawdex: {word:?} is read as an option; to exclude {bare:?} from the results, \
                 write `lawdex search -- WORDS -{bare}` or `lawdex search WORDS NOT {bare}`"
            );
            return ExitCode::from(2);
        }
    }
    let rendered = e.render().to_string();
    let mut parts: Vec<&str> = Vec::new();
    for line in rendered.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if !line.is_empty() {
            parts.push(line.trim_start_matches("error: "));
        }
    }
    let _ = writeln!(
        io::stderr(),
        "lawdex: {} (see `lawdex {}--help`)",
        parts.join(" "),
        args.get(1)
            .filter(|a| <Cli as clap::CommandFactory>::command()
                .find_subcommand(a.as_str())
                .is_some())
            .map_or(String::new(), |a| format!("{a} "))
    );
    ExitCode::from(2)
}

pub(crate) use lawdex::model::count;

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
