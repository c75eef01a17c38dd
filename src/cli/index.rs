//! `lawdex index [--data-dir DIR] INPUT...`: parse, segment and index files, directories and
//! manifests, replacing documents indexed before under the same ids.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use lawdex::ingest::{self, IngestOptions, IngestReport, Progress};
use lawdex::parse::Limits;

use super::Outcome;

/// Where the data lives: `--data-dir`, else `$LAWDEX_DATA`, else `./lawdex-data`.
#[derive(Debug, Clone, clap::Args)]
pub struct DataDir {
    /// Data directory (the index is in DIR/index). Default: $LAWDEX_DATA, else ./lawdex-data.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

impl DataDir {
    pub fn resolve(&self) -> PathBuf {
        self.data_dir
            .clone()
            .or_else(|| std::env::var_os("LAWDEX_DATA").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("lawdex-data"))
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories (walked recursively; hidden files skipped) or manifests (*.toml).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    data: DataDir,
    /// Delete the existing index first (after "re-index required").
    #[arg(long)]
    rebuild: bool,
    /// Also print one line per document (id, structure, clauses, source).
    #[arg(long, short)]
    verbose: bool,
    /// Report format: `table` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Largest file accepted, in bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes, value_name = "BYTES")]
    max_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Table,
    Json,
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn start(&self, total: usize) {
        if let Some(b) = &self.0 {
            b.set_length(total as u64);
        }
    }

    fn advance(&self, _source: &str) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }

    fn committing(&self) {
        if let Some(b) = &self.0 {
            b.set_message("committing");
        }
    }
}

pub fn run(args: Args) -> Result<Outcome> {
    let data_dir = args.data.resolve();
    let options = IngestOptions {
        limits: Limits {
            max_bytes: args.max_bytes,
            ..Limits::default()
        },
        rebuild: args.rebuild,
    };
    let bar = Bar(io::stderr().is_terminal().then(|| {
        let b = ProgressBar::new(0);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    }));
    let result = ingest::ingest(&args.inputs, &data_dir, &options, &bar);
    if let Some(b) = &bar.0 {
        b.finish_and_clear();
    }
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            let kind = match &e {
                ingest::IngestError::Manifest(_) => "manifest",
                ingest::IngestError::Index(_) => "index",
            };
            let e = anyhow::Error::new(e).context(format!("indexing into {}", data_dir.display()));
            if args.format == ReportFormat::Json {
                // A tool reading stdout learns why there is no report; stderr says it too.
                let record = serde_json::json!({ "error": kind, "message": format!("{e:#}") });
                let mut out = io::stdout().lock();
                serde_json::to_writer_pretty(&mut out, &record)?;
                writeln!(out)?;
            }
            return Err(e);
        }
    };
    let mut out = io::stdout().lock();
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        ReportFormat::Table => print_report(&mut out, &report, args.verbose)?,
    }
    // Nothing indexed (only skipped files, or no files) is "nothing found", like an empty search.
    Ok(
        if report.failures.is_empty() && !report.documents.is_empty() {
            Outcome::Success
        } else {
            Outcome::Partial
        },
    )
}

fn print_report(out: &mut impl Write, r: &IngestReport, verbose: bool) -> io::Result<()> {
    use lawdex::search::snippet::terminal_safe as safe;
    if verbose {
        for d in &r.documents {
            writeln!(
                out,
                "{:<48} {:<15} {:>5} clauses  {}",
                safe(&d.id),
                d.structure,
                d.clauses,
                safe(&d.source)
            )?;
            for w in &d.warnings {
                writeln!(out, "    warning: {}", safe(w))?;
            }
        }
    }
    let structures: Vec<String> = r
        .structures()
        .iter()
        .map(|(s, n)| {
            let what = match *s {
                "articles" => "with articles",
                "amendment-items" => "amendment decisions",
                "unstructured" => "not article-structured",
                other => other,
            };
            format!("{n} {what}")
        })
        .collect();
    writeln!(
        out,
        "indexed {}, {} into {} in {:.1} s ({})",
        super::count(r.documents.len(), "document", "documents"),
        super::count(r.clauses(), "clause", "clauses"),
        r.index_dir.display(),
        r.elapsed.as_secs_f64(),
        if structures.is_empty() {
            "none".to_string()
        } else {
            structures.join(", ")
        }
    )?;
    if !r.skipped.is_empty() {
        writeln!(
            out,
            "skipped {}:",
            super::count(
                r.skipped.len(),
                "file that is not a law",
                "files that are not laws"
            )
        )?;
        for s in &r.skipped {
            writeln!(out, "  {}: {}", safe(&s.source), safe(&s.reason))?;
        }
    }
    if !r.failures.is_empty() {
        writeln!(out, "failed {}:", r.failures.len())?;
        for f in &r.failures {
            writeln!(out, "  {}: {}", safe(&f.source), safe(&f.error))?;
        }
    }
    Ok(())
}
